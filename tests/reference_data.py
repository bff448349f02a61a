"""The vendored reference regions, need catalogue and indicators, loaded once per run and restored per test.

`clean_db` empties every table before a test; loading the reference data again each time would
cost a second a test, so it is loaded once into the real tables, copied into a schema that no
TRUNCATE reaches, and copied back (a few milliseconds) for each test that asks for it.
Import the fixtures into a test folder's conftest.py.
"""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.cli.regions.reference import load_reference_if_empty

SNAPSHOT = "reference_snapshot"
#: Parents before children.
TABLES = ("need_indicators", "regions", "need_releases", "need_values")
SEQUENCES = (("need_releases", "id"), ("need_values", "id"))


@pytest.fixture(scope="session")
async def reference_snapshot(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[None]:
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {', '.join(TABLES)} CASCADE"))
    report = await load_reference_if_empty(sessionmaker)
    assert report is not None and report.units_added == 998
    async with engine.begin() as connection:
        await connection.execute(text(f"DROP SCHEMA IF EXISTS {SNAPSHOT} CASCADE"))
        await connection.execute(text(f"CREATE SCHEMA {SNAPSHOT}"))
        for table in TABLES:
            await connection.execute(text(f"CREATE TABLE {SNAPSHOT}.{table} AS SELECT * FROM {table}"))
    yield
    async with engine.begin() as connection:
        await connection.execute(text(f"DROP SCHEMA IF EXISTS {SNAPSHOT} CASCADE"))


@pytest.fixture
async def reference_data(reference_snapshot: None, clean_db: None, engine: AsyncEngine) -> None:
    """Every table empty but the reference regions, catalogue and bundled indicators (release 1)."""
    async with engine.begin() as connection:
        for table in TABLES:
            await connection.execute(text(f"INSERT INTO {table} SELECT * FROM {SNAPSHOT}.{table}"))
        for table, column in SEQUENCES:
            await connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), (SELECT max({column}) FROM {table}))"
                )
            )
