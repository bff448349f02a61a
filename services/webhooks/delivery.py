"""Sending one outbound webhook: the signed Standard Webhooks body, to a checked address, within a deadline.

`send` POSTs once and answers an `Outcome`: 2xx is success; anything else (a redirect too), no
answer, or an answer not complete within the delivery's deadline (`webhook_timeout_seconds`, from
connecting to the last byte kept: a receiver that trickles its headers cannot hold a sender
longer) is a failure. The target is checked again after DNS resolution (`resolve_target`) and the
request goes to the checked address, so a name that moves to a private address is refused.
"""

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import orjson

from shared.config import Settings
from shared.net import resolve_and_check

#: How much of a receiver's answer is kept in an attempt's error.
EXCERPT_BYTES = 300
USER_AGENT = "Puente-Webhooks/1.0"


@dataclass(frozen=True)
class Target:
    """Where to connect (a checked address) and what to tell the server (its host name)."""

    url: str
    host_header: str | None
    sni_hostname: str | None


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None
    latency_ms: int | None
    error: str | None


def message_body(event_type: str, created_at: datetime, payload: dict[str, Any]) -> bytes:
    """The Standard Webhooks payload: type, timestamp (when the event happened), data."""
    return orjson.dumps(
        {"type": event_type, "timestamp": created_at.isoformat().replace("+00:00", "Z"), "data": payload}
    )


async def resolve_target(url: str, settings: Settings) -> Target:
    """Check the URL and every address its host resolves to (UnsafeTarget), and pin the first."""
    addresses = await resolve_and_check(url, allow_private=settings.webhooks_allow_private_targets)
    parts = urlsplit(url)
    host = parts.hostname or ""
    address = addresses[0]
    if host.strip("[]") == address or host == address:
        return Target(url=url, host_header=None, sni_hostname=None)
    literal = f"[{address}]" if ":" in address else address
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    return Target(
        url=urlunsplit(parts._replace(netloc=netloc)),
        host_header=parts.netloc,
        sni_hostname=host if parts.scheme.lower() == "https" else None,
    )


def _elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


async def _post(
    http: httpx.AsyncClient, target: Target, headers: dict[str, str], body: bytes, deadline: float
) -> tuple[int, bytes]:
    extensions: dict[str, Any] = {"sni_hostname": target.sni_hostname} if target.sni_hostname else {}
    async with http.stream(
        "POST", target.url, content=body, headers=headers, extensions=extensions, timeout=deadline
    ) as response:
        excerpt = b""
        async for chunk in response.aiter_bytes():
            excerpt += chunk
            if len(excerpt) >= EXCERPT_BYTES:
                break
        return response.status_code, excerpt


async def send(
    http: httpx.AsyncClient, target: Target, headers: dict[str, str], body: bytes, deadline: float
) -> Outcome:
    """POST once; the whole exchange must end within `deadline` seconds (see the module docstring)."""
    request_headers = {**headers, "content-type": "application/json", "user-agent": USER_AGENT}
    if target.host_header:
        request_headers["host"] = target.host_header
    started = time.perf_counter()
    try:
        async with asyncio.timeout(deadline):
            status_code, excerpt = await _post(http, target, request_headers, body, deadline)
    except (TimeoutError, httpx.TimeoutException):
        return Outcome(False, None, _elapsed_ms(started), f"no complete answer within {deadline:g} s")
    except httpx.HTTPError as exc:
        return Outcome(False, None, _elapsed_ms(started), f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__)
    latency = _elapsed_ms(started)
    if 200 <= status_code < 300:
        return Outcome(True, status_code, latency, None)
    shown = excerpt[:EXCERPT_BYTES].decode("utf-8", "replace").strip()
    return Outcome(False, status_code, latency, f"HTTP {status_code}" + (f": {shown}" if shown else ""))
