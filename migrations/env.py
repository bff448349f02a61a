"""Alembic environment: async engine, URL from shared.config, metadata from shared.models."""

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.config import get_settings
from shared.db.engine import async_database_url
from shared.models import Model

config = context.config
target_metadata = Model.metadata


def _url() -> str:
    configured = config.get_main_option("sqlalchemy.url")
    url = configured or get_settings().database_url
    if not url:
        raise RuntimeError("DATABASE_URL is not set")
    return async_database_url(url)


def _include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return True


#: Advisory lock held while migrating: two releases (or replicas) migrating at once take turns, and
#: the second finds the schema already at head.
MIGRATION_LOCK = 0x7075_6D69  # "pumi"


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        include_object=_include_object,
    )
    with context.begin_transaction():
        # taken before alembic reads the current revision, in the transaction that migrates
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()


async def _run_async() -> None:
    engine = create_async_engine(_url(), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        asyncio.run(_run_async())
