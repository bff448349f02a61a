"""Engine and session factories; nothing is created at import time."""

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from shared.config import Settings

#: Opens a session in an `async with`: a sessionmaker, or one that also scopes the session to a caller.
SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def async_database_url(url: str) -> str:
    """Accept plain postgres URLs and point them at the asyncpg driver."""
    for prefix in ("postgresql+asyncpg://", "postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("DATABASE_URL must be a PostgreSQL URL")


def driver_dsn(url: str) -> str:
    """The same database as a plain postgresql:// DSN, as asyncpg itself takes it."""
    return "postgresql://" + async_database_url(url).removeprefix("postgresql+asyncpg://")


def create_engine(settings: Settings, app_name: str) -> AsyncEngine:
    if not settings.database_url:
        raise RuntimeError("no database configured; call shared.embedded.ensure_services first")
    return create_async_engine(
        async_database_url(settings.database_url),
        pool_size=settings.db_pool_size,
        max_overflow=max(5, settings.db_pool_size // 2),
        pool_pre_ping=False,
        pool_recycle=1800,
        connect_args={"server_settings": {"application_name": app_name}},
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
