"""What every job receives: settings, a sessionmaker, an HTTP client and the arq pool."""

from typing import Any, TypedDict, cast

import httpx
from arq import ArqRedis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared.config import Settings, get_settings
from shared.db.engine import create_engine, create_sessionmaker
from shared.logging import configure_logging


class WorkerContext(TypedDict):
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    http: httpx.AsyncClient
    redis: ArqRedis


def context(ctx: dict[str, Any]) -> WorkerContext:
    return cast(WorkerContext, ctx)


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx.get("settings") or get_settings()
    configure_logging("matcher", level=settings.log_level, json=settings.log_json)
    ctx["settings"] = settings
    ctx["engine"] = create_engine(settings, "puente-matcher")
    ctx["sessionmaker"] = create_sessionmaker(ctx["engine"])
    ctx["http"] = httpx.AsyncClient(timeout=httpx.Timeout(settings.webhook_timeout_seconds), follow_redirects=False)


async def shutdown(ctx: dict[str, Any]) -> None:
    await ctx["http"].aclose()
    await ctx["engine"].dispose()
