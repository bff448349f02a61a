"""/healthz (the process answers), /readyz (database, Redis and worker), /metrics (Prometheus)."""

import asyncio
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from shared.jobs import MATCHER_QUEUE

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Liveness: the process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


async def _check_database(request: Request) -> str:
    async with request.app.state.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    return "ok"


async def _check_redis(request: Request) -> str:
    await request.app.state.arq.ping()
    return "ok"


async def _check_worker(request: Request) -> str:
    beat = await request.app.state.arq.get(f"{MATCHER_QUEUE}:health-check")
    return "up" if beat else "not seen"


@router.get("/readyz", summary="Readiness: database and Redis reachable (worker reported, not required)")
async def readyz(request: Request) -> JSONResponse:
    checks: dict[str, Any] = {}
    ready = True
    for name, check in (("database", _check_database), ("redis", _check_redis), ("worker", _check_worker)):
        try:
            checks[name] = await asyncio.wait_for(check(request), timeout=2)
        except Exception as exc:  # a probe reports, it does not raise
            checks[name] = f"error: {type(exc).__name__}"
            ready = ready and name == "worker"
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks}, status_code=200 if ready else 503
    )


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
