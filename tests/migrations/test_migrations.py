"""The migrations build exactly the models' schema, and walk down and up again cleanly."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.config import Settings
from shared.db.engine import async_database_url
from shared.db.migrate import downgrade, upgrade
from shared.models import Model


@pytest.fixture
async def empty_database(settings: Settings) -> AsyncIterator[str]:
    assert settings.database_url
    name = f"puente_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(async_database_url(settings.database_url), isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield urlunsplit(urlsplit(settings.database_url)._replace(path=f"/{name}"))
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Model.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _run(url: str, fn: Any) -> Any:
    engine = create_async_engine(async_database_url(url))
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(fn)
    finally:
        await engine.dispose()


async def test_upgrade_matches_models_and_round_trips(empty_database: str) -> None:
    await asyncio.to_thread(upgrade, empty_database)
    assert await _run(empty_database, _diff) == []
    expected = {t.name for t in Model.metadata.sorted_tables} | {"alembic_version"}
    assert await _run(empty_database, _tables) == expected

    await asyncio.to_thread(downgrade, empty_database, "base")
    assert await _run(empty_database, _tables) == {"alembic_version"}

    await asyncio.to_thread(upgrade, empty_database)
    assert await _run(empty_database, _diff) == []
