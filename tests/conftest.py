"""Test settings and real services: a fresh PostgreSQL database and a Redis database per run.

With DATABASE_URL / REDIS_URL set (CI: this machine's servers) those servers are used;
otherwise embedded ones are started under .puente/test. Each run creates its own database
and drops it at the end; tests that need a clean slate get every table truncated.
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis.asyncio as aioredis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from shared.config import Settings
from shared.db.engine import async_database_url, create_sessionmaker, driver_dsn
from shared.db.migrate import upgrade
from shared.db.reader import Reader
from shared.embedded import EmbeddedServices, ensure_services
from shared.models import Model
from shared.redis import with_database

TEST_REDIS_DB = int(os.environ.get("PUENTE_TEST_REDIS_DB", "9"))


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def services() -> Iterator[tuple[Settings, EmbeddedServices]]:
    base = Settings(data_dir=os.environ.get("PUENTE_TEST_DATA_DIR", ".puente/test"))  # type: ignore[call-arg]
    configured, handles = ensure_services(base)
    yield configured, handles
    handles.close()


@pytest.fixture(scope="session")
async def test_database_url(services: tuple[Settings, EmbeddedServices]) -> AsyncIterator[str]:
    configured, _ = services
    assert configured.database_url
    name = f"puente_test_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(async_database_url(configured.database_url), isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = _with_database(configured.database_url, name)
    await asyncio.to_thread(upgrade, url)
    yield url
    async with admin.connect() as connection:
        await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    await admin.dispose()


@pytest.fixture(scope="session")
def settings(services: tuple[Settings, EmbeddedServices], test_database_url: str) -> Settings:
    configured, _ = services
    assert configured.redis_url
    return configured.model_copy(
        update={
            "database_url": test_database_url,
            "redis_url": with_database(configured.redis_url, TEST_REDIS_DB),
            "environment": "test",
            "webhooks_allow_private_targets": True,
            "rate_limit_per_minute": 0,
            "log_json": False,
            "log_level": "WARNING",
            "matcher_debounce_seconds": 0.0,
        }
    )


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    from shared.db.engine import create_engine

    engine = create_engine(settings, "puente-tests")
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


_TABLES = ", ".join(f'"{t.name}"' for t in Model.metadata.sorted_tables)


@pytest.fixture
async def clean_db(engine: AsyncEngine) -> AsyncIterator[None]:
    """Every table emptied before the test: tests see only their own rows."""
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {_TABLES} CASCADE"))
    yield


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[aioredis.Redis]:
    assert settings.redis_url
    client = aioredis.from_url(settings.redis_url)
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession], clean_db: None) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as session:
        yield session


@pytest.fixture
async def closed_reader(settings: Settings) -> Reader:
    """A Reader whose pool is already closed: every read meets a database it cannot reach."""
    reader = await Reader.connect(driver_dsn(settings.database_url or ""), max_size=1, application_name="tests")
    await reader.close()
    return reader
