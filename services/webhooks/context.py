"""What the webhooks worker adds to every job's context: its HTTP client and its sender of drains."""

from typing import Any, cast

import httpx

from services.webhooks.repository import DrainLocks
from services.webhooks.sender import Sender
from shared.config import Settings
from shared.worker import WorkerContext


class WebhooksContext(WorkerContext):
    http: httpx.AsyncClient
    sender: Sender


def context(ctx: dict[str, Any]) -> WebhooksContext:
    return cast(WebhooksContext, ctx)


def http_client(settings: Settings) -> httpx.AsyncClient:
    """One pool of connections for every endpoint; redirects are failures, not followed."""
    limits = httpx.Limits(
        max_connections=settings.webhook_parallel_sends * 2, max_keepalive_connections=settings.webhook_parallel_sends
    )
    return httpx.AsyncClient(
        timeout=httpx.Timeout(settings.webhook_timeout_seconds), follow_redirects=False, limits=limits
    )


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx["settings"]
    ctx["http"] = http_client(settings)
    ctx["sender"] = Sender(settings, ctx["sessionmaker"], DrainLocks(ctx["engine"]), ctx["http"])


async def shutdown(ctx: dict[str, Any]) -> None:
    sender: Sender = ctx["sender"]
    await sender.close()
    await sender.locks.close()
    await ctx["http"].aclose()
