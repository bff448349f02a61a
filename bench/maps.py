"""bench.maps: a choropleth of Guatemala's 340 municipalities, drawn and served, beside reading and
serialising the same boundaries as GeoJSON (what a client drawing its own map would fetch).

Figures: the pure SVG render (units in, SVG out), and GET /v1/maps/need.svg end to end in-process
(auth, the need layer, figures by place, render), each as p50 / p95 over a fixed number of rounds;
the baseline is a SELECT of the 340 boundaries plus orjson serialising them, in the same run.
"""

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx
import orjson
from pydantic import SecretStr
from sqlalchemy import select

from bench.harness import fresh_database, services
from services.api.main import create_app
from services.api.maps.render import MapText, MapUnit, Scale, render_svg
from services.api.maps.service import NEED_BREAKS
from services.cli.regions.reference import load_reference_if_empty
from shared.db.engine import create_engine, create_sessionmaker
from shared.models import Region

ROUNDS = 30


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {1000 * statistics.median(ordered):6.1f} ms   p95 {1000 * p95:6.1f} ms"


async def _timed(action: Callable[[], Awaitable[object]]) -> list[float]:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        await action()
        samples.append(time.perf_counter() - started)
    return samples


async def _run(url: str) -> None:
    from shared.config import get_settings

    settings = get_settings().model_copy(
        update={"database_url": url, "bootstrap_admin_key": SecretStr("bench-maps"), "rate_limit_per_minute": 0}
    )
    engine = create_engine(settings, "bench-maps")
    sessionmaker = create_sessionmaker(engine)
    await load_reference_if_empty(sessionmaker)
    statement = select(Region.id, Region.name, Region.boundary).where(
        Region.country == "GT", Region.level == "municipality"
    )

    async def baseline() -> bytes:
        async with sessionmaker() as session:
            rows = (await session.execute(statement)).all()
        return orjson.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": row.id, "properties": {"name": row.name}, "geometry": row.boundary}
            for row in rows
        ]})  # fmt: skip

    async with sessionmaker() as session:
        rows = (await session.execute(statement)).all()
    units = [MapUnit(row.id, row.name, row.boundary, float(i % 100), str(i % 100)) for i, row in enumerate(rows)]
    scale = Scale(NEED_BREAKS, ("0", "20", "40", "60", "80"))
    text = MapText("Need index", "bench", "no data", "source")

    async def render() -> str:
        return render_svg(units, scale, text)

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            headers = {"Authorization": "Bearer bench-maps"}
            params = {"country": "GT", "level": "municipality"}

            async def served() -> None:
                response = await client.get("/v1/maps/need.svg", params=params, headers=headers)
                response.raise_for_status()

            await served()  # the need layer is computed once per data change, not per map
            await baseline()
            rendered = await _timed(render)
            endpoint = await _timed(served)
            base = await _timed(baseline)
    await engine.dispose()
    size = len(render_svg(units, scale, text).encode()) / 1024
    print(f"render_svg, 340 municipalities ({size:.0f} KiB)     {_percentiles(rendered)}")
    print(f"GET /v1/maps/need.svg, in-process            {_percentiles(endpoint)}")
    print(f"baseline: SELECT + orjson GeoJSON of the same {_percentiles(base)}")
    print(f"ratio endpoint / baseline (p50): {statistics.median(endpoint) / statistics.median(base):.1f}x")


def main() -> None:
    with services() as (settings, _), fresh_database(settings, "maps") as url:
        asyncio.run(_run(url))


if __name__ == "__main__":
    main()
