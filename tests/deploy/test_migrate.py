"""`puente migrate` is safe on every release and from several replicas at once."""

import asyncio
import os
import subprocess
import sys

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.db.engine import async_database_url
from shared.db.migrate import upgrade
from tests.cli.test_run import empty_database

__all__ = ["empty_database"]


def test_three_replicas_migrating_an_empty_database_at_once_all_succeed(empty_database: str) -> None:
    env = {**os.environ, "DATABASE_URL": empty_database, "PUENTE_LOG_LEVEL": "WARNING"}
    replicas = [
        subprocess.Popen(  # `puente migrate`, as each pod's migration step runs it
            [sys.executable, "-m", "services.cli.main", "migrate"], env=env, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outcomes = [(replica.wait(timeout=240), replica.stderr.read() if replica.stderr else "") for replica in replicas]
    assert [code for code, _ in outcomes] == [0, 0, 0], [err[-2000:] for _, err in outcomes]
    assert asyncio.run(_versions(empty_database)) == 1
    upgrade(empty_database)  # and again, as every release does: nothing to do
    assert asyncio.run(_versions(empty_database)) == 1


async def _versions(url: str) -> int:
    engine = create_async_engine(async_database_url(url))
    try:
        async with engine.connect() as connection:
            return len((await connection.execute(text("SELECT version_num FROM alembic_version"))).all())
    finally:
        await engine.dispose()
