"""The API benchmark's baseline: bare Starlette + asyncpg serving the same rows, no auth, no ORM."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

COLUMNS = (
    "id, name, aliases, description, website, hq_country, countries, sectors, size, women_led, indigenous_led,"
    " external_id, version, created_at, updated_at"
)


def _json(row: Any) -> dict[str, Any]:
    return {k: (str(v) if k == "id" else v.isoformat() if hasattr(v, "isoformat") else v) for k, v in dict(row).items()}


async def get_one(request: Request) -> Response:
    async with request.app.state.pool.acquire() as connection:
        row = await connection.fetchrow(f"SELECT {COLUMNS} FROM businesses WHERE id = $1", request.path_params["id"])
    if row is None:
        return Response(status_code=404)
    return Response(orjson.dumps(_json(row)), media_type="application/json")


async def list_filtered(request: Request) -> Response:
    country = request.query_params.get("country", "GT")
    limit = int(request.query_params.get("limit", "20"))
    async with request.app.state.pool.acquire() as connection:
        rows = await connection.fetch(
            f"SELECT {COLUMNS} FROM businesses WHERE countries @> ARRAY[$1]::varchar(2)[]"
            " ORDER BY created_at, id LIMIT $2",
            country,
            limit + 1,
        )
    return Response(
        orjson.dumps({"items": [_json(r) for r in rows[:limit]], "next_cursor": None}),
        media_type="application/json",
    )


async def _keep_as_is(connection: asyncpg.Connection) -> None:
    return None


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    dsn = os.environ["BENCH_DSN"]
    # asyncpg's defaults unless BENCH_POOL=lean: then, as Puente's Reader, no reset query on release
    # and no idle timer, which is the leanest a pool of read-only connections can be
    lean = (
        {"reset": _keep_as_is, "max_inactive_connection_lifetime": 0} if os.environ.get("BENCH_POOL") == "lean" else {}
    )
    app.state.pool = await asyncpg.create_pool(dsn, min_size=5, max_size=10, **lean)
    yield
    await app.state.pool.close()


app = Starlette(
    routes=[Route("/businesses/{id:uuid}", get_one), Route("/businesses", list_filtered)], lifespan=lifespan
)
