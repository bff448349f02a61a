"""The benchmark's webhook receiver: a bare ASGI app that answers 204 and records event-to-receipt latency.

Latency is the receipt time minus the event's `timestamp` (when the outbox row was written). Run it
as its own uvicorn process so the sender and the receiver do not share a CPU-bound event loop.
"""

import time
from datetime import datetime
from typing import Any

import orjson

_latencies_ms: list[float] = []


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["method"] == "POST" and scope["path"].startswith("/hook/"):
        sent = datetime.fromisoformat(orjson.loads(body)["timestamp"].replace("Z", "+00:00")).timestamp()
        _latencies_ms.append((time.time() - sent) * 1000)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    if scope["path"] == "/reset":
        _latencies_ms.clear()
    payload = orjson.dumps({"count": len(_latencies_ms), "latencies_ms": _latencies_ms})
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": payload})
