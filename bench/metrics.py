"""Metrics latency: summary and trends at 100,000 reports and 10,000 commitments, beside SELECT count(*).

Loads a fresh database with INSERT … SELECT generate_series (the reports' insert fires the
triggers that fill impact_values and commitment_indicator_totals, as any write path does), then
drives the real app in-process (httpx ASGITransport: auth, scoping, routing, serialisation all on)
one request at a time, and times a plain `SELECT count(*) FROM impact_reports` on the same
database in the same run.
Target: summary p95 under 100 ms. Run: `.venv/bin/python -m bench.metrics`.
"""

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx
from sqlalchemy import text

from bench.harness import fresh_database, services, table
from services.api.main import create_app
from shared.config import Settings
from shared.db.engine import create_engine, create_sessionmaker
from shared.enums import Role
from tests import factories

COMMITMENTS = 10_000
REPORTS_PER_COMMITMENT = 10
BUSINESSES = 1_000
PARTNERS = 50
PROGRAMS = 200
MATCHES = 20_000
REQUESTS = 200

_SEED = [
    f"""INSERT INTO businesses (id, name, aliases, countries, sectors, size, women_led, indigenous_led,
        version, created_at, updated_at)
      SELECT gen_random_uuid(), 'Business ' || g, '{{}}', ARRAY['GT'], ARRAY['coffee'], 'small', g % 3 = 0,
        false, 1, now(), now() FROM generate_series(1, {BUSINESSES}) g""",
    f"""INSERT INTO partners (id, name, partner_type, countries, version, created_at, updated_at)
      SELECT gen_random_uuid(), 'Partner ' || g, 'ngo', ARRAY['GT','SV','HN'], 1, now(), now()
      FROM generate_series(1, {PARTNERS}) g""",
    f"""INSERT INTO programs (id, partner_id, name, instruments, focus_areas, countries, sectors,
        eligible_sizes, capacity_per_month, active, version, created_at, updated_at)
      SELECT gen_random_uuid(), p.id, 'Program ' || g, ARRAY['loan'], ARRAY['food_security_agriculture'],
        ARRAY['GT','HN'], '{{}}', '{{}}', 5, true, 1, now(), now()
      FROM generate_series(1, {PROGRAMS}) g
      JOIN (SELECT id, row_number() OVER () AS n FROM partners) p ON p.n = 1 + g % {PARTNERS}""",
    f"""INSERT INTO commitments (id, business_id, title, focus_areas, countries, amount_usd, needs, status,
        initiative, announced_on, targets, baselines, version, created_at, updated_at)
      SELECT gen_random_uuid(), b.id, 'Commitment ' || g,
        (CASE g % 3 WHEN 0 THEN ARRAY['food_security_agriculture','climate_clean_energy']
          WHEN 1 THEN ARRAY['digital_financial_inclusion','education_workforce']
          ELSE ARRAY['public_health','reform_agenda'] END)[1:1 + g % 2],
        (CASE g % 3 WHEN 0 THEN ARRAY['GT','HN'] WHEN 1 THEN ARRAY['SV','GT'] ELSE ARRAY['HN','SV'] END)
          [1:1 + (g / 3) % 2],
        100000 + (g % 97) * 25000, ARRAY['financing'],
        (ARRAY['announced','in_progress','in_progress','completed','stalled'])[1 + g % 5],
        CASE WHEN g % 2 = 0 THEN 'call_to_action' ELSE 'central_america_forward' END,
        date '2021-06-01' + (g % 1200), '{{}}'::jsonb, '{{}}'::jsonb, 1, now(), now()
      FROM generate_series(1, {COMMITMENTS}) g
      JOIN (SELECT id, row_number() OVER () AS n FROM businesses) b ON b.n = 1 + g % {BUSINESSES}""",
    f"""INSERT INTO impact_reports (id, commitment_id, business_id, period_start, period_end, metrics,
        breakdowns, source, created_at, updated_at)
      SELECT gen_random_uuid(), c.id, c.business_id,
        (date '2024-01-01' + make_interval(months => 3 * q))::date,
        (date '2024-01-01' + make_interval(months => 3 * q + 3) - interval '1 day')::date,
        jsonb_build_object('investment_deployed_usd', 1000 * (1 + (c.n + q) % 50),
          'jobs_created', (c.n + q) % 20, 'people_trained', (c.n * q) % 30,
          'people_reached', 100 + (c.n + q) % 400,
          'women_reached', 50 + (c.n + q) % 200, 'hectares_climate_smart', 10 * q),
        '{{}}'::jsonb, 'import', now(), now()
      FROM (SELECT id, business_id, row_number() OVER () AS n FROM commitments) c
      CROSS JOIN generate_series(0, {REPORTS_PER_COMMITMENT - 1}) q""",
    f"""INSERT INTO matches (id, commitment_id, program_id, partner_id, business_id, score, components,
        reasons, status, model_version, fingerprint, version, created_at, updated_at)
      SELECT gen_random_uuid(), c.id, p.id, p.partner_id, c.business_id, 0.5, '{{"focus": 1.0}}'::jsonb,
        '{{}}', (ARRAY['proposed', 'approved', 'introduced', 'partnership_formed', 'declined',
        'no_partnership'])[1 + g % 6],
        'bench', '', 1, now() - make_interval(days => g % 400), now()
      FROM generate_series(1, {MATCHES}) g
      JOIN (SELECT id, business_id, row_number() OVER () AS n FROM commitments) c
        ON c.n = 1 + g % {COMMITMENTS}
      JOIN (SELECT id, partner_id, row_number() OVER () AS n FROM programs) p
        ON p.n = 1 + (g / 7) % {PROGRAMS}""",
    """INSERT INTO match_decisions (id, match_id, action, from_status, to_status, actor_role, created_at,
        updated_at)
      SELECT gen_random_uuid(), m.id, s.to_status, 'proposed', s.to_status, 'coordinator',
        m.created_at + make_interval(days => s.step * 3), now()
      FROM matches m
      CROSS JOIN LATERAL (VALUES (1, 'approved'), (2, 'introduced'), (3, 'partnership_formed'))
        AS s(step, to_status)
      WHERE (m.status IN ('approved', 'introduced', 'partnership_formed', 'no_partnership') AND s.step = 1)
         OR (m.status IN ('introduced', 'partnership_formed', 'no_partnership') AND s.step = 2)
         OR (m.status = 'partnership_formed' AND s.step = 3)""",
    # the stage columns a decision sets through the API (shared.records.match.record_stage_reached)
    """UPDATE matches m SET approved_at = d.approved_at, introduced_at = d.introduced_at,
        partnership_formed_at = d.formed_at
      FROM (SELECT match_id, min(created_at) FILTER (WHERE to_status = 'approved') AS approved_at,
          min(created_at) FILTER (WHERE to_status = 'introduced') AS introduced_at,
          min(created_at) FILTER (WHERE to_status = 'partnership_formed') AS formed_at
        FROM match_decisions GROUP BY match_id) d
      WHERE d.match_id = m.id""",
]


async def _seed(settings: Settings) -> tuple[str, float]:
    engine = create_engine(settings, "bench-metrics")
    started = time.perf_counter()
    async with engine.begin() as connection:
        for statement in _SEED:
            await connection.execute(text(statement))
    seconds = time.perf_counter() - started
    # VACUUM (not only ANALYZE) sets the visibility map, so index-only scans stay index-only
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("VACUUM ANALYZE"))
    async with create_sessionmaker(engine)() as session:
        key = await factories.create_key(session, Role.ADMIN)
        await session.commit()
    await engine.dispose()
    return key, seconds


async def _time(call: Callable[[], Awaitable[None]], n: int = REQUESTS) -> list[float]:
    for _ in range(10):  # warm-up: connections, plans, caches
        await call()
    latencies = []
    for _ in range(n):
        started = time.perf_counter()
        await call()
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def _p(latencies: list[float], q: float) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


async def _measure(settings: Settings, key: str) -> list[list[str]]:
    rows: list[list[str]] = []

    def row(label: str, latencies: list[float]) -> None:
        rows.append(
            [
                label,
                f"{statistics.median(latencies):.1f}",
                f"{_p(latencies, 95):.1f}",
                f"{_p(latencies, 99):.1f}",
            ]
        )

    engine = create_engine(settings, "bench-metrics-baseline")
    async with engine.connect() as connection:
        count = (await connection.execute(text("SELECT count(*) FROM impact_reports"))).scalar_one()
        assert count == COMMITMENTS * REPORTS_PER_COMMITMENT, count
        # the triggers ran: one totals row per commitment counts its ten reports
        counted = "SELECT sum(reports) FROM commitment_indicator_totals WHERE code = '_report'"
        assert (await connection.execute(text(counted))).scalar_one() == count

        async def baseline() -> None:
            await connection.execute(text("SELECT count(*) FROM impact_reports"))

        row("SELECT count(*) FROM impact_reports (baseline, SQL only)", await _time(baseline))
    await engine.dispose()

    app = create_app(settings)
    headers = {"Authorization": f"Bearer {key}"}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as client:
            checks = {
                "GET /v1/metrics/summary": "/v1/metrics/summary",
                "GET /v1/metrics/summary?country=GT&initiative=call_to_action": (
                    "/v1/metrics/summary?country=GT&initiative=call_to_action"
                ),
                "GET /v1/metrics/summary?all_indicators=true": "/v1/metrics/summary?all_indicators=true",
                "GET /v1/metrics/summary?from=2025-01-01 (windowed)": "/v1/metrics/summary?from=2025-01-01",
                "GET /v1/metrics/attention": "/v1/metrics/attention",
                "GET /v1/metrics/trends?group_by=country&interval=quarter": (
                    "/v1/metrics/trends?group_by=country&interval=quarter&from=2024-01-01&to=2026-06-30"
                ),
                "GET /v1/metrics/trends?group_by=focus_area&interval=month&metric=jobs_created": (
                    "/v1/metrics/trends?group_by=focus_area&interval=month&metric=jobs_created"
                    "&from=2024-01-01&to=2026-06-30"
                ),
                "GET /v1/metrics/trends?group_by=initiative&metric=hectares_climate_smart (stock)": (
                    "/v1/metrics/trends?group_by=initiative&metric=hectares_climate_smart&from=2024-01-01&to=2026-06-30"
                ),
            }
            for label, path in checks.items():

                async def call(path: str = path) -> None:
                    response = await client.get(path)
                    assert response.status_code == 200, response.text

                row(label, await _time(call))
    return rows


def main() -> None:
    with services() as (base, _), fresh_database(base, "metrics") as url:
        settings = base.model_copy(
            update={
                "database_url": url,
                "rate_limit_per_minute": 0,
                "log_level": "WARNING",
                "log_json": False,
            }
        )
        key, seed_seconds = asyncio.run(_seed(settings))
        rows = asyncio.run(_measure(settings, key))
        print(
            table(
                f"Metrics latency: {COMMITMENTS:,} commitments,"
                f" {COMMITMENTS * REPORTS_PER_COMMITMENT:,} reports,"
                f" {MATCHES:,} matches (loaded in {seed_seconds:.1f} s); {REQUESTS} sequential requests each,"
                " in-process ASGI (target: summary p95 < 100 ms)",
                ["figure", "p50 ms", "p95 ms", "p99 ms"],
                rows,
            )
        )


if __name__ == "__main__":
    main()
