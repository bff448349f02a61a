"""API throughput: GET-by-id and a filtered list, Puente (auth + scoping on) beside bare Starlette + asyncpg.

Both servers run as one uvicorn process each on 127.0.0.1 against the same database and rows; the
same keep-alive client drives both, in alternating rounds. Target: Puente at least half the
baseline's requests/s. A third server, FastAPI with one dependency over the same asyncpg read,
shows how much of the gap is the framework itself. The baseline's pool runs asyncpg's reset query
on every release, as a pool with defaults does, and Puente's Reader does not; the last row sets
Puente beside a baseline whose pool skips it too.
"""

import asyncio
import os
import random
import uuid

from sqlalchemy import text

from bench.harness import LoadResult, free_port, fresh_database, load, server, services, table
from shared.db.engine import create_engine, create_sessionmaker, driver_dsn
from shared.enums import Role
from tests import factories

ROWS = 5_000
ROUNDS = 3


async def _seed(settings, url: str) -> tuple[list[uuid.UUID], str, str]:
    engine = create_engine(settings.model_copy(update={"database_url": url}), "bench")
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO businesses (id, name, aliases, description, hq_country, countries, sectors, size,"
                " women_led, indigenous_led, version, created_at, updated_at)"
                " SELECT gen_random_uuid(), 'Business ' || g, '{}', 'Exporter number ' || g, 'GT',"
                " CASE g % 3 WHEN 0 THEN ARRAY['GT'] WHEN 1 THEN ARRAY['SV','GT'] ELSE ARRAY['HN'] END,"
                " ARRAY['coffee'], 'small', g % 2 = 0, false, 1,"
                " now() - (g || ' seconds')::interval, now() FROM generate_series(1, :n) g"
            ),
            {"n": ROWS},
        )
        await connection.execute(text("ANALYZE businesses"))
        ids = [row[0] for row in await connection.execute(text("SELECT id FROM businesses"))]
    async with create_sessionmaker(engine)() as session:
        admin = await factories.create_key(session, Role.ADMIN)
        business = await factories.create_key(session, Role.BUSINESS, ids[0])
        await session.commit()
    await engine.dispose()
    return ids, admin, business


def _uvicorn(app: str, port: int, *, factory: bool = False) -> list[str]:
    factory_flag = ["--factory"] if factory else []
    return ["-m", "uvicorn", *factory_flag, app, "--port", str(port), "--no-access-log", "--log-level", "warning"]


def main() -> None:
    with services() as (settings, _), fresh_database(settings, "api") as url:
        ids, admin_key, business_key = asyncio.run(_seed(settings, url))
        target = random.Random(7).choice(ids)
        env = {
            "DATABASE_URL": url,
            "REDIS_URL": settings.redis_url or "",
            "PUENTE_LOG_LEVEL": "WARNING",
            "PUENTE_RATE_LIMIT_PER_MINUTE": os.environ.get("BENCH_RATE_LIMIT", "100000000"),
        }
        rows = []
        base_port, lean_port, floor_port, app_port = free_port(), free_port(), free_port(), free_port()
        admin = {"Authorization": f"Bearer {admin_key}"}
        scoped_key = {"Authorization": f"Bearer {business_key}"}
        direct = {"BENCH_DSN": driver_dsn(url)}
        # All servers stay up and take turns, round after round, so a slow patch of a shared
        # machine falls on every side instead of on whichever happened to run then.
        base_one, base_list, lean_one, floor_one, app_one, app_list, scoped = (LoadResult.empty() for _ in range(7))
        with (
            server(_uvicorn("bench.baseline_app:app", base_port), direct, base_port),
            server(_uvicorn("bench.baseline_app:app", lean_port), {**direct, "BENCH_POOL": "lean"}, lean_port),
            server(_uvicorn("bench.fastapi_floor_app:app", floor_port), direct, floor_port),
            server(_uvicorn("services.api.main:create_app", app_port, factory=True), env, app_port),
        ):
            for _ in range(ROUNDS):
                base_one.add(load(base_port, f"/businesses/{target}"))
                lean_one.add(load(lean_port, f"/businesses/{target}"))
                floor_one.add(load(floor_port, f"/businesses/{target}"))
                app_one.add(load(app_port, f"/v1/businesses/{target}", headers=admin))
                base_list.add(load(base_port, "/businesses?country=GT&limit=20"))
                app_list.add(load(app_port, "/v1/businesses?country=GT&limit=20", headers=admin))
                scoped.add(load(app_port, f"/v1/businesses/{ids[0]}", headers=scoped_key))
        for label, ours, baseline in (
            ("GET /businesses/{id}", app_one, base_one),
            ("GET /businesses?country=GT&limit=20", app_list, base_list),
            ("GET /businesses/{id} (business key, scoped)", scoped, base_one),
            ("GET /businesses/{id}, FastAPI floor: one dependency, asyncpg, no auth", floor_one, base_one),
            ("GET /businesses/{id} beside a baseline whose pool skips asyncpg's reset query", app_one, lean_one),
        ):
            rows.append(
                [
                    label,
                    f"{ours.rps:,.0f}",
                    f"{ours.p99:.1f}",
                    f"{baseline.rps:,.0f}",
                    f"{baseline.p99:.1f}",
                    f"{ours.rps / baseline.rps:.2f}" if baseline.rps else "n/a",
                    str(ours.errors),
                ]
            )
        print(
            table(
                f"API throughput, {ROWS:,} businesses, 16 keep-alive connections, {ROUNDS} alternating rounds of 5 s"
                " per figure (target ratio >= 0.5)",
                ["endpoint", "puente req/s", "p99 ms", "baseline req/s", "p99 ms", "ratio", "errors"],
                rows,
            )
        )


if __name__ == "__main__":
    main()
