"""A fixed programme to compute figures on: commitments, reports (one replaced), programs, matches, decisions.

Every expected figure in the metrics tests is worked out by hand from this data.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared import clock
from shared.enums import MatchStatus
from shared.models import Business, Commitment, Match, MatchDecision, Partner, Program
from shared.records.match import record_stage_reached
from tests import factories
from tests.api.conftest import Keys

TODAY = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
T0 = datetime(2024, 1, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[datetime]:
    clock.freeze(TODAY)
    yield TODAY
    clock.freeze(None)


@dataclass
class Programme:
    commitments: dict[str, Commitment]
    programs: dict[str, Program]
    matches: dict[str, Match]


async def post_report(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    commitment: Commitment,
    start: str,
    end: str,
    **metrics: float,
) -> dict[str, Any]:
    response = await client.post(
        f"/v1/commitments/{commitment.id}/reports",
        json={"period_start": start, "period_end": end, "metrics": metrics},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _match(
    session: AsyncSession, commitment: Commitment, program: Program, status: str, steps: list[tuple[str, int]]
) -> Match:
    match = Match(
        id=uuid.uuid4(),
        commitment_id=commitment.id,
        program_id=program.id,
        partner_id=program.partner_id,
        business_id=commitment.business_id,
        score=0.8,
        components={"focus": 1.0},
        reasons=["shares a focus area"],
        status=status,
        model_version="test",
        created_at=T0,
    )
    session.add(match)
    await session.flush()
    previous = "proposed"
    for to_status, days in steps:
        session.add(
            MatchDecision(
                id=uuid.uuid4(),
                match_id=match.id,
                action=to_status,
                from_status=previous,
                to_status=to_status,
                actor_role="coordinator",
                created_at=T0 + timedelta(days=days),
            )
        )
        record_stage_reached(match, MatchStatus(to_status), T0 + timedelta(days=days))
        previous = to_status
    await session.flush()
    return match


@pytest.fixture
async def programme(client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]) -> Programme:
    """C1, C2 belong to `keys.business`; C3, C4 to `keys.other_business`. Programs: P1 of
    `keys.partner` (USAID), P2 of `keys.other_partner` (DFC), P3 inactive."""
    async with sessionmaker() as session:
        a = await session.get_one(Business, keys.business.id)
        b = await session.get_one(Business, keys.other_business.id)
        c1 = await factories.create_commitment(
            session,
            a,
            title="C1",
            focus_areas=["food_security_agriculture"],
            countries=["GT"],
            amount_usd=Decimal("1000000"),
            status="in_progress",
            initiative="call_to_action",
            announced_on=date(2021, 12, 13),
        )
        c2 = await factories.create_commitment(
            session,
            a,
            title="C2",
            focus_areas=["food_security_agriculture", "climate_clean_energy"],
            countries=["GT", "HN"],
            amount_usd=Decimal("2000000"),
            status="in_progress",
            initiative="central_america_forward",
            announced_on=date(2023, 3, 1),
        )
        c3 = await factories.create_commitment(
            session,
            b,
            title="C3",
            focus_areas=["digital_financial_inclusion"],
            countries=["SV"],
            amount_usd=Decimal("500000"),
            status="completed",
            initiative="central_america_forward",
            announced_on=date(2023, 6, 1),
        )
        c4 = await factories.create_commitment(
            session,
            b,
            title="C4",
            focus_areas=[],
            countries=[],
            amount_usd=Decimal("100000"),
            status="withdrawn",
            initiative=None,
            announced_on=None,
        )
        usaid = await session.get_one(Partner, keys.partner.id)
        dfc = await session.get_one(Partner, keys.other_partner.id)
        p1 = await factories.create_program(session, usaid, name="P1")
        p2 = await factories.create_program(session, dfc, name="P2")
        p3 = await factories.create_program(session, usaid, name="P3", active=False)
        matches = {
            "M1": await _match(
                session,
                c1,
                p1,
                "partnership_formed",
                [("approved", 2), ("introduced", 5), ("partnership_formed", 15)],
            ),
            "M2": await _match(session, c2, p1, "introduced", [("approved", 4), ("introduced", 6)]),
            "M3": await _match(session, c3, p2, "declined", [("approved", 1), ("declined", 3)]),
            "M4": await _match(session, c4, p1, "proposed", []),
            "M5": await _match(session, c1, p2, "superseded", []),
            "M6": await _match(session, c2, p2, "declined", [("declined", 1)]),
        }
        await session.commit()
    admin = keys.admin
    # a wrong first report for C1's first quarter, replaced by the corrected one below
    await post_report(client, admin, c1, "2024-01-01", "2024-03-31", investment_deployed_usd=999999, jobs_created=99)
    await post_report(
        client,
        admin,
        c1,
        "2024-01-01",
        "2024-03-31",
        investment_deployed_usd=100000,
        jobs_created=10,
        people_reached=100,
        women_reached=60,
        hectares_climate_smart=50,
    )
    await post_report(
        client,
        admin,
        c1,
        "2024-04-01",
        "2024-06-30",
        investment_deployed_usd=150000,
        jobs_created=5,
        hectares_climate_smart=80,
    )
    await post_report(client, admin, c1, "2024-04-01", "2024-04-30", hectares_climate_smart=70)
    await post_report(
        client,
        admin,
        c2,
        "2024-01-01",
        "2024-03-31",
        investment_deployed_usd=400000,
        jobs_created=20,
        people_trained=30,
        hectares_climate_smart=10,
    )
    await post_report(
        client,
        admin,
        c2,
        "2024-04-01",
        "2024-06-30",
        investment_deployed_usd=200000,
        people_reached=1000,
        women_reached=500,
    )
    await post_report(
        client,
        admin,
        c3,
        "2024-02-01",
        "2024-02-29",
        investment_deployed_usd=50000,
        jobs_created=3,
        people_trained=7,
    )
    await post_report(client, admin, c4, "2024-01-01", "2024-03-31", investment_deployed_usd=10000)
    return Programme(
        commitments={"C1": c1, "C2": c2, "C3": c3, "C4": c4},
        programs={"P1": p1, "P2": p2, "P3": p3},
        matches=matches,
    )
