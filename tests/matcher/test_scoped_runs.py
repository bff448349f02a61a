"""Scoped runs read little: the program catalogue is reused until a program or partner row changes,
capacity is counted for the candidates' programs only, and partner acceptance is read every run."""

import uuid
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.matcher import catalogue as catalogues
from services.matcher.runs import execute_run
from shared.config import Settings
from shared.models import Match, MatchRun
from tests import factories


@pytest.fixture(autouse=True)
async def _clean_slate(clean_db: None) -> None:
    """Every test starts with empty tables."""


def _engine(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    bind: AsyncEngine = sessionmaker.kw["bind"]
    return bind


async def _world(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    """A roomy coffee program, a coffee program with room for one, and two coffee commitments."""
    async with sessionmaker() as session:
        usaid = await factories.create_partner(session, name="USAID")
        idb = await factories.create_partner(session, name="IDB Invest", partner_type="mdb", agency_code=None)
        roomy = await factories.create_program(
            session, usaid, name="Coffee credit", description="Loans for coffee smallholders."
        )
        small = await factories.create_program(
            session,
            idb,
            name="Coffee cooperatives",
            description="Credit and technical assistance for coffee cooperatives and coffee farmers.",
            capacity_per_month=1,
        )
        first = await factories.create_commitment(
            session, await factories.create_business(session, name="Finca A"), title="Coffee A"
        )
        second = await factories.create_commitment(
            session, await factories.create_business(session, name="Finca B"), title="Coffee B"
        )
        await session.commit()
    return {"roomy": roomy, "small": small, "usaid": usaid, "first": first, "second": second}


async def _run(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, scope: dict[str, Any]) -> MatchRun:
    async with sessionmaker() as session:
        run = MatchRun(id=uuid.uuid4(), scope=scope, trigger="change", status="queued")
        session.add(run)
        await session.commit()
    outcome = await execute_run(_engine(sessionmaker), settings, run.id)
    async with sessionmaker() as session:
        done = await session.get(MatchRun, run.id)
    assert done is not None and done.status == "succeeded", outcome
    return done


def _scoped(*commitments: Any) -> dict[str, Any]:
    return {"commitment_ids": [str(c.id) for c in commitments], "program_ids": []}


async def _open(sessionmaker: async_sessionmaker[AsyncSession]) -> set[tuple[uuid.UUID, uuid.UUID]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Match.commitment_id, Match.program_id).where(
                Match.status.in_(["proposed", "approved", "introduced"])
            )
        )
        return {(r.commitment_id, r.program_id) for r in rows}


async def test_catalogue_is_reused_until_a_program_or_partner_row_changes(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    world = await _world(sessionmaker)
    await _run(sessionmaker, settings, {"all": True})
    catalogue = catalogues._CATALOGUE["programs"]
    assert len(catalogue.rows.rows) == 2

    await _run(sessionmaker, settings, _scoped(world["first"]))
    assert catalogues._CATALOGUE["programs"] is catalogue  # nothing changed: not read again

    # A write that bypasses the ORM (no version bump) still changes the row's xmin.
    async with sessionmaker() as session:
        await session.execute(text("UPDATE programs SET active = false WHERE id = :id"), {"id": world["small"].id})
        await session.commit()
    await _run(sessionmaker, settings, _scoped(world["first"], world["second"]))
    reloaded = catalogues._CATALOGUE["programs"]
    assert reloaded is not catalogue
    assert [r.id for r in reloaded.rows.rows] == [str(world["roomy"].id)]
    assert {p for _, p in await _open(sessionmaker)} == {world["roomy"].id}

    async with sessionmaker() as session:
        await session.execute(
            text("UPDATE partners SET agency_code = 'USAID-GT' WHERE id = :id"), {"id": world["usaid"].id}
        )
        await session.commit()
    await _run(sessionmaker, settings, _scoped(world["first"]))
    assert catalogues._CATALOGUE["programs"] is not reloaded
    assert catalogues._CATALOGUE["programs"].frame.partner_labels == ("USAID-GT",)


async def test_scoped_run_counts_other_commitments_open_matches_against_capacity(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    world = await _world(sessionmaker)
    small, roomy = world["small"].id, world["roomy"].id
    await _run(sessionmaker, settings, _scoped(world["first"]))
    assert await _open(sessionmaker) == {(world["first"].id, small), (world["first"].id, roomy)}

    # The small program's one place is taken by the first commitment's open proposal.
    run = await _run(sessionmaker, settings, _scoped(world["second"]))
    assert await _open(sessionmaker) == {
        (world["first"].id, small),
        (world["first"].id, roomy),
        (world["second"].id, roomy),
    }
    assert run.counts["candidates"] == 2 and run.counts["chosen"] == 1

    # Recomputing the first commitment does not count its own proposal: it keeps the place.
    again = await _run(sessionmaker, settings, _scoped(world["first"]))
    assert again.counts["kept"] == 2 and again.counts["proposed"] == 0 and again.counts["superseded"] == 0


async def test_partner_acceptance_is_read_every_run_without_reloading_the_catalogue(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    world = await _world(sessionmaker)
    await _run(sessionmaker, settings, _scoped(world["first"]))
    catalogue = catalogues._CATALOGUE["programs"]
    async with sessionmaker() as session:
        await session.execute(
            text("UPDATE matches SET status = 'approved' WHERE program_id = :id"), {"id": world["roomy"].id}
        )
        await session.commit()
    await _run(sessionmaker, settings, _scoped(world["second"]))
    assert catalogues._CATALOGUE["programs"] is catalogue
    async with sessionmaker() as session:
        proposal = (
            await session.scalars(
                select(Match).where(Match.commitment_id == world["second"].id, Match.program_id == world["roomy"].id)
            )
        ).one()
    assert proposal.components["partner_history"] == 1.0  # USAID: 1 accepted of 1 decided
