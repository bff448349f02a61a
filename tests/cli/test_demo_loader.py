"""The demo data set loads into an empty database through the shared write rules, once."""

import asyncio
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from services.cli.demo import DEMO_FILE, KINDS, DemoDataError, load_demo, read_demo_data
from shared.enums import FocusArea
from shared.models import AuditEntry, Business, Commitment, ImpactReport, MatchRun, Partner, Program

SPANISH_MARKERS = (" para ", " con ", " de la ", " y ", "ción", " en el ", " las ", " los ")

pytestmark = pytest.mark.usefixtures("clean_db")


def _is_spanish(text: str) -> bool:
    lowered = f" {text.lower()} "
    return sum(marker in lowered for marker in SPANISH_MARKERS) >= 2 or any(c in text for c in "ñ¿¡")


@pytest.fixture(scope="module")
def demo() -> dict[str, list[dict[str, Any]]]:
    return read_demo_data()


async def _counts(sessionmaker) -> dict[str, int]:
    async with sessionmaker() as session:
        return {
            "businesses": await session.scalar(select(func.count()).select_from(Business)),
            "partners": await session.scalar(select(func.count()).select_from(Partner)),
            "programs": await session.scalar(select(func.count()).select_from(Program)),
            "commitments": await session.scalar(select(func.count()).select_from(Commitment)),
            "reports": await session.scalar(
                select(func.count()).select_from(ImpactReport).where(ImpactReport.replaced_at.is_(None))
            ),
        }


async def test_loads_every_record_of_the_file_once(sessionmaker, demo):
    expected = {kind: len(demo[kind]) for kind in KINDS}
    assert expected["businesses"] == len(json.loads(DEMO_FILE.read_text())["businesses"])

    counts = await load_demo(sessionmaker)

    assert counts == expected
    assert await _counts(sessionmaker) == expected
    again = await load_demo(sessionmaker)
    assert again == dict.fromkeys(KINDS, 0)
    assert await _counts(sessionmaker) == expected


async def test_loaded_records_keep_the_files_values_and_links(sessionmaker, demo):
    await load_demo(sessionmaker)
    partner_names = {p["key"]: p["name"] for p in demo["partners"]}
    business_names = {b["key"]: b["name"] for b in demo["businesses"]}
    async with sessionmaker() as session:
        for record in demo["programs"][:5]:
            partner_name = await session.scalar(
                select(Partner.name)
                .join(Program, Program.partner_id == Partner.id)
                .where(Program.name == record["name"])
            )
            assert partner_name == partner_names[record["partner_key"]]
        first = demo["commitments"][0]
        commitment = await session.scalar(select(Commitment).where(Commitment.title == first["title"]))
        assert commitment is not None
        assert commitment.amount_usd == Decimal(str(first["amount_usd"]))
        assert commitment.status == first["status"]
        assert commitment.initiative == first["initiative"]
        assert commitment.announced_on.isoformat() == first["announced_on"]
        assert commitment.targets == first["targets"]
        assert sorted(commitment.countries) == sorted(first["countries"])
        owner = await session.scalar(select(Business.name).where(Business.id == commitment.business_id))
        assert owner == business_names[first["business_key"]]
        reports = [r for r in demo["reports"] if r["commitment_key"] == first["key"]]
        stored = (
            await session.scalars(
                select(ImpactReport)
                .where(ImpactReport.commitment_id == commitment.id)
                .order_by(ImpactReport.period_start)
            )
        ).all()
        assert [(r.period_start.isoformat(), r.metrics) for r in stored] == sorted(
            (r["period_start"], r["metrics"]) for r in reports
        )
        assert {r.source for r in stored} == {"import"}
        assert {r.business_id for r in stored} == {commitment.business_id}
        # written through the audited write rules, labelled as the demo loader
        audited = (
            await session.execute(
                select(AuditEntry.actor_label, func.count())
                .where(AuditEntry.entity_type == "businesses")
                .group_by(AuditEntry.actor_label)
            )
        ).all()
        assert audited == [("demo", len(demo["businesses"]))]


async def test_demo_is_bilingual_and_covers_the_programme(sessionmaker):
    await load_demo(sessionmaker)
    async with sessionmaker() as session:
        descriptions = [
            *(await session.scalars(select(Business.description))),
            *(await session.scalars(select(Commitment.description))),
            *(await session.scalars(select(Program.description))),
        ]
        commitment_areas = set().union(*(await session.scalars(select(Commitment.focus_areas))))
        program_areas = set().union(*(await session.scalars(select(Program.focus_areas))))
        commitment_countries = set().union(*(await session.scalars(select(Commitment.countries))))
        program_countries = set().union(*(await session.scalars(select(Program.countries))))
    assert any(_is_spanish(d) for d in descriptions if d)
    assert any(not _is_spanish(d) for d in descriptions if d)
    assert commitment_areas == {area.value for area in FocusArea}
    assert program_areas == {area.value for area in FocusArea}
    assert {"GT", "SV", "HN"} <= commitment_countries
    assert {"GT", "SV", "HN"} <= program_countries


async def test_queues_exactly_one_full_run_for_the_matcher(sessionmaker):
    await load_demo(sessionmaker)
    async with sessionmaker() as session:
        runs = (await session.scalars(select(MatchRun))).all()
    assert [(r.scope, r.trigger, r.status, r.requested_by) for r in runs] == [({"all": True}, "demo", "queued", "demo")]


async def test_concurrent_loads_load_once(sessionmaker, demo):
    first, second = await asyncio.gather(load_demo(sessionmaker), load_demo(sessionmaker))
    assert sorted([sum(first.values()), sum(second.values())]) == [0, sum(len(demo[k]) for k in KINDS)]
    assert (await _counts(sessionmaker))["businesses"] == len(demo["businesses"])


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _small(demo: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    commitment = demo["commitments"][0]
    business = next(b for b in demo["businesses"] if b["key"] == commitment["business_key"])
    program = demo["programs"][0]
    partner = next(p for p in demo["partners"] if p["key"] == program["partner_key"])
    reports = [r for r in demo["reports"] if r["commitment_key"] == commitment["key"]][:1]
    return {
        "businesses": [business],
        "partners": [partner],
        "programs": [program],
        "commitments": [commitment],
        "impact_reports": reports,
    }


async def test_a_small_file_loads_with_the_same_rules(sessionmaker, demo, tmp_path):
    counts = await load_demo(sessionmaker, _write(tmp_path, _small(demo)))
    assert counts == {"businesses": 1, "partners": 1, "programs": 1, "commitments": 1, "reports": 1}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["commitments"][0].update(business_key="nobody"),
            "commitment northstar-nearshoring-plants: unknown key 'nobody'",
        ),
        (lambda d: d["programs"][0].update(partner_key="nobody"), "unknown key 'nobody'"),
        (lambda d: d["impact_reports"][0].update(commitment_key="nobody"), "unknown commitment key 'nobody'"),
        (
            lambda d: d["businesses"][0].update(hq_country="XX"),
            "'XX' is not an ISO 3166-1 alpha-2 country code",
        ),
        (lambda d: d["commitments"][0].update(focus_areas=["space"]), "focus_areas.0"),
        (lambda d: d["partners"][0].pop("name"), "name\n  Field required"),
        (lambda d: d["businesses"].append(dict(d["businesses"][0])), "key 'northstar-apparel' is used twice"),
    ],
)
async def test_a_record_breaking_a_rule_loads_nothing(sessionmaker, demo, tmp_path, change, message):
    data = json.loads(json.dumps(_small(demo)))
    change(data)
    with pytest.raises(DemoDataError) as raised:
        await load_demo(sessionmaker, _write(tmp_path, data))
    assert message in str(raised.value)
    assert await _counts(sessionmaker) == dict.fromkeys(KINDS, 0)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(MatchRun)) == 0
