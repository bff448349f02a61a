"""The Reader answers exactly as a scoped ORM session would, and refuses what it cannot run."""

import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.actor import Actor
from shared.config import Settings
from shared.db.base import TenantScoped
from shared.db.engine import driver_dsn
from shared.db.reader import Reader, ReadFailed, UnsupportedStatement
from shared.db.tenancy import set_actor, tenant_models
from shared.enums import Role
from shared.models import Business, Commitment, Match, Partner, Program
from tests import factories


@pytest.fixture
async def reader(settings: Settings, clean_db: None) -> AsyncIterator[Reader]:
    reader = await Reader.connect(driver_dsn(settings.database_url or ""), max_size=2, application_name="tests")
    yield reader
    await reader.close()


@pytest.fixture
async def two_of_everything(sessionmaker: async_sessionmaker[AsyncSession], clean_db: None) -> dict[str, uuid.UUID]:
    """Two businesses and two partners, each with a program or commitment, a match and a report."""
    ids: dict[str, uuid.UUID] = {}
    async with sessionmaker() as session:
        for n in (1, 2):
            business = await factories.create_business(session, name=f"Business {n}")
            partner = await factories.create_partner(session, name=f"Partner {n}")
            program = await factories.create_program(session, partner)
            commitment = await factories.create_commitment(session, business)
            await factories.create_match(session, commitment, program)
            ids[f"business{n}"], ids[f"partner{n}"] = business.id, partner.id
        await session.commit()
    return ids


def _actors(ids: dict[str, uuid.UUID]) -> list[Actor | None]:
    return [
        None,
        Actor(role=Role.ADMIN),
        Actor(role=Role.COORDINATOR),
        Actor(role=Role.BUSINESS, organization_id=ids["business1"]),
        Actor(role=Role.BUSINESS, organization_id=ids["business2"]),
        Actor(role=Role.BUSINESS, organization_id=uuid.uuid4()),
        Actor(role=Role.PARTNER, organization_id=ids["partner1"]),
        Actor(role=Role.PARTNER, organization_id=ids["partner2"]),
        Actor(role=Role.BUSINESS),
    ]


async def _session_ids(
    sessionmaker: async_sessionmaker[AsyncSession], model: type[TenantScoped], actor: Actor | None
) -> set[uuid.UUID]:
    async with sessionmaker() as session:
        if actor is not None:
            set_actor(session.sync_session, actor)
        return {record.id for record in (await session.scalars(select(model))).all()}  # type: ignore[attr-defined]


@pytest.mark.parametrize("model", tenant_models(), ids=lambda m: m.__name__)
async def test_every_tenant_model_sees_what_a_scoped_session_sees(
    reader: Reader,
    sessionmaker: async_sessionmaker[AsyncSession],
    two_of_everything: dict[str, uuid.UUID],
    model: type[TenantScoped],
) -> None:
    seen_by_someone = 0
    for actor in _actors(two_of_everything):
        expected = await _session_ids(sessionmaker, model, actor)
        rows = await reader.all(select(model), actor)
        assert {row["id"] for row in rows} == expected, actor
        for record_id in expected:
            assert await reader.by_id(model, record_id, actor) is not None  # type: ignore[arg-type]
        seen_by_someone += len(expected)
    if model in (Business, Commitment, Match, Partner, Program):
        assert seen_by_someone > 0


async def test_lookup_by_id_is_scoped_per_organisation_even_after_caching(
    reader: Reader, two_of_everything: dict[str, uuid.UUID]
) -> None:
    own, other = two_of_everything["business1"], two_of_everything["business2"]
    me = Actor(role=Role.BUSINESS, organization_id=own)
    for _ in range(3):  # the second and third lookups run from the cached statements
        assert (await reader.by_id(Business, own, me) or {}).get("id") == own
        assert await reader.by_id(Business, other, me) is None
        assert await reader.by_id(Business, other, Actor(role=Role.PARTNER, organization_id=uuid.uuid4())) is None
        assert await reader.by_id(Business, uuid.uuid4(), None) is None


async def test_rows_carry_the_model_attribute_names_and_python_types(
    reader: Reader, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session:
        business = await factories.create_business(session, countries=["GT", "HN"], size="small")
        commitment = await factories.create_commitment(session, business, targets={"jobs_created": 250})
        await session.commit()
    row = await reader.by_id(Commitment, commitment.id, None)
    assert row is not None
    assert row["business_id"] == business.id
    assert row["targets"] == {"jobs_created": 250}  # jsonb decoded, not a string
    assert row["amount_usd"] == Decimal("1000000.00")
    assert row["created_at"].tzinfo is not None
    assert "search" not in row  # deferred columns stay out, as in the ORM
    listed = await reader.all(select(Business).where(Business.countries.contains(["HN"])), None)
    assert [r["countries"] for r in listed] == [["GT", "HN"]]


async def test_expanding_in_is_refused_rather_than_mis_run(reader: Reader) -> None:
    with pytest.raises(UnsupportedStatement):
        await reader.all(select(Business).where(Business.id.in_([uuid.uuid4()])), None)


async def test_its_connections_cannot_write(reader: Reader) -> None:
    async with reader._pool.acquire() as pooled:
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await pooled.execute("DELETE FROM businesses")


async def test_an_unreachable_database_is_a_read_failure_not_a_driver_error(closed_reader: Reader) -> None:
    with pytest.raises(ReadFailed):
        await closed_reader.by_id(Business, uuid.uuid4(), None)
    with pytest.raises(ReadFailed):
        await closed_reader.all(select(Business), None)


def _by_country() -> Select[Any]:
    return select(Business).where(Business.hq_country == bindparam("hq")).order_by(Business.name)


async def test_a_shaped_statement_is_built_once_and_bound_anew_each_time(
    reader: Reader, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session:
        gt = await factories.create_business(session, name="Guatemalan", hq_country="GT")
        hn = await factories.create_business(session, name="Honduran", hq_country="HN")
        await session.commit()
    builds: list[str] = []

    def build() -> Select[Any]:
        builds.append("built")
        return _by_country()

    assert [r["name"] for r in await reader.shaped("by-hq", build, None, {"hq": "GT"})] == ["Guatemalan"]
    assert [r["name"] for r in await reader.shaped("by-hq", build, None, {"hq": "HN"})] == ["Honduran"]
    assert await reader.shaped("by-hq", build, None, {"hq": "SV"}) == []
    assert builds == ["built"]
    # each scope has its own statement: a business key sees its own business and nothing else
    own = Actor(role=Role.BUSINESS, organization_id=hn.id)
    assert [r["name"] for r in await reader.shaped("by-hq", build, own, {"hq": "HN"})] == ["Honduran"]
    assert await reader.shaped("by-hq", build, own, {"hq": "GT"}) == []
    other = Actor(role=Role.BUSINESS, organization_id=gt.id)
    assert [r["name"] for r in await reader.shaped("by-hq", build, other, {"hq": "GT"})] == ["Guatemalan"]
    assert builds == ["built"] * 3


async def test_a_shaped_statement_without_its_value_is_an_error_not_a_null(reader: Reader) -> None:
    with pytest.raises(InvalidRequestError, match="hq"):
        await reader.shaped("by-hq", _by_country, None, {})
