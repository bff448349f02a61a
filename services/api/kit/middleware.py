"""Pure ASGI middleware: request ids, body size cap, JSON-only bodies, Prometheus timings."""

import time
import uuid
from typing import Any

import orjson
import structlog
from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.kit.problems import PROBLEM_MEDIA_TYPE

REQUESTS = Counter("puente_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "puente_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)

_BODY_METHODS = {b"POST", b"PUT", b"PATCH"}


async def _send_problem(send: Send, scope: Scope, status: int, title: str, detail: str, code: str) -> None:
    body = orjson.dumps(
        {
            "type": f"urn:puente:problem:{code}",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": scope.get("path"),
            "request_id": scope.get("state", {}).get("request_id"),
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


class RequestGuard:
    """Cap body size (declared or streamed) and refuse non-JSON bodies, before any parsing."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, raw_body_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.raw_body_paths = raw_body_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        for name, value in scope["headers"]:
            if name == b"x-request-id" and 0 < len(value) <= 64:
                request_id = value.decode("latin-1")
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        headers = dict(scope["headers"])

        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await _send_problem(
                send,
                scope,
                413,
                "Request body too large",
                f"bodies are limited to {self.max_body_bytes} bytes",
                "too-large",
            )
            return
        if scope["method"].encode() in _BODY_METHODS and not scope["path"].startswith(self.raw_body_paths):
            content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            has_body = declared not in (None, b"0") or b"transfer-encoding" in headers
            if has_body and content_type not in (b"application/json", b"application/merge-patch+json"):
                await _send_problem(
                    send,
                    scope,
                    415,
                    "Unsupported media type",
                    "send JSON with Content-Type: application/json",
                    "unsupported-media-type",
                )
                return

        received = 0
        limit = self.max_body_bytes

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _send_problem(
                    send,
                    scope,
                    413,
                    "Request body too large",
                    f"bodies are limited to {limit} bytes",
                    "too-large",
                )
        finally:
            structlog.contextvars.unbind_contextvars("request_id")


class PrometheusTimer:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route: Any = scope.get("route")
            path = getattr(route, "path", "unmatched")
            LATENCY.labels(scope["method"], path).observe(time.perf_counter() - start)
            REQUESTS.labels(scope["method"], path, str(status)).inc()
