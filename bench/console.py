"""The review queue page at 10,000 open matches, beside the JSON list of the same page in the same run.

Loads a fresh database with 10,000 open matches (proposed and approved) over 2,000 commitments and
200 programmes, a coordinator with a console session and an API key, then drives the real app
in-process (httpx ASGITransport: session or key, scoping, routing, templates or JSON all on), one
request at a time, and reports each page's server time p50/p95/p99: the console's queue (25 cards with
names, score bars, reasons, filter choices, rendered in Spanish) and `GET /v1/matches` for the same
25 matches, unfiltered and filtered (country, focus area, folded text). Run: `.venv/bin/python -m bench.console`.
"""

import asyncio
import secrets
import statistics
import time
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import text

from bench.harness import fresh_database, services, table
from bench.metrics import _p, _time
from services.api.auth.passwords import hash_password
from services.api.auth.sessions import SESSION_COOKIE
from services.api.auth.users import token_hash
from services.api.main import create_app
from shared.clock import utc_now
from shared.config import Settings
from shared.db.engine import create_engine, create_sessionmaker
from shared.enums import Role
from shared.models import User, WebSession
from tests import factories

MATCHES = 10_000
COMMITMENTS = 2_000
BUSINESSES = 500
PARTNERS = 40
PROGRAMS = 200

_SEED = [
    f"""INSERT INTO businesses (id, name, aliases, countries, sectors, size, women_led, indigenous_led,
        version, created_at, updated_at)
      SELECT gen_random_uuid(), 'Empresa Número ' || g, '{{}}', ARRAY['GT'], ARRAY['coffee'], 'small', false,
        false, 1, now(), now() FROM generate_series(1, {BUSINESSES}) g""",
    f"""INSERT INTO partners (id, name, partner_type, countries, version, created_at, updated_at)
      SELECT gen_random_uuid(), 'Socio ' || g, 'ngo', ARRAY['GT','SV','HN'], 1, now(), now()
      FROM generate_series(1, {PARTNERS}) g""",
    f"""INSERT INTO programs (id, partner_id, name, instruments, focus_areas, countries, sectors,
        eligible_sizes, capacity_per_month, active, version, created_at, updated_at)
      SELECT gen_random_uuid(), p.id, 'Programa de crédito ' || g, ARRAY['loan'],
        ARRAY['food_security_agriculture'], ARRAY['GT','HN'], '{{}}', '{{}}', 5, true, 1, now(), now()
      FROM generate_series(1, {PROGRAMS}) g
      JOIN (SELECT id, row_number() OVER () AS n FROM partners) p ON p.n = 1 + g % {PARTNERS}""",
    f"""INSERT INTO commitments (id, business_id, title, focus_areas, countries, amount_usd, needs, status,
        initiative, targets, baselines, version, created_at, updated_at)
      SELECT gen_random_uuid(), b.id, 'Café climático ' || g,
        CASE WHEN g % 2 = 0 THEN ARRAY['food_security_agriculture'] ELSE ARRAY['public_health'] END,
        CASE WHEN g % 3 = 0 THEN ARRAY['GT'] WHEN g % 3 = 1 THEN ARRAY['SV'] ELSE ARRAY['HN','GT'] END,
        1000000, ARRAY['financing'], 'in_progress', 'call_to_action', '{{}}'::jsonb, '{{}}'::jsonb, 1, now(), now()
      FROM generate_series(1, {COMMITMENTS}) g
      JOIN (SELECT id, row_number() OVER () AS n FROM businesses) b ON b.n = 1 + g % {BUSINESSES}""",
    f"""INSERT INTO matches (id, commitment_id, program_id, partner_id, business_id, score, components,
        reasons, status, model_version, fingerprint, version, created_at, updated_at)
      SELECT gen_random_uuid(), c.id, p.id, p.partner_id, c.business_id, (g % 1000) / 1000.0,
        '{{"focus": 1.0, "geography": 0.5, "need_instrument": 0.8, "ticket_fit": 0.6, "text": 0.4}}'::jsonb,
        ARRAY['Both work on food security and agriculture in Guatemala', 'A loan answers the need for financing'],
        CASE WHEN g % 4 = 0 THEN 'approved' ELSE 'proposed' END, 'bench', '', 1,
        now() - make_interval(mins => g), now()
      FROM generate_series(1, {MATCHES}) g
      JOIN (SELECT id, business_id, row_number() OVER () AS n FROM commitments) c ON c.n = 1 + g % {COMMITMENTS}
      JOIN (SELECT id, partner_id, row_number() OVER () AS n FROM programs) p
        ON p.n = 1 + (g % {COMMITMENTS} + (g / {COMMITMENTS}) * 37) % {PROGRAMS}""",
]


async def _seed(settings: Settings) -> tuple[str, str, float]:
    engine = create_engine(settings, "bench-console")
    started = time.perf_counter()
    async with engine.begin() as connection:
        for statement in _SEED:
            await connection.execute(text(statement))
    seconds = time.perf_counter() - started
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("VACUUM ANALYZE"))
    raw_session = secrets.token_urlsafe(32)
    async with create_sessionmaker(engine)() as session:
        key = await factories.create_key(session, Role.COORDINATOR)
        user = User(
            id=uuid.uuid4(),
            email="coordinadora@bench.local",
            name="Coordinadora",
            role=Role.COORDINATOR.value,
            language="es",
            password_hash=hash_password("bench password, not used"),
        )
        session.add(user)
        await session.flush()
        now = utc_now()
        session.add(
            WebSession(
                token_hash=token_hash(raw_session),
                user_id=user.id,
                csrf_token=secrets.token_urlsafe(16),
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(hours=12),
            )
        )
        await session.commit()
    await engine.dispose()
    return key, raw_session, seconds


CASES = {
    "open matches, best first (page 1)": (
        "/console/queue",
        "/v1/matches?status=proposed&status=approved&limit=25",
    ),
    "filtered: country GT, focus area, text «cafe climatico 1»": (
        "/console/queue?country=GT&focus_area=food_security_agriculture&q=cafe+climatico+1",
        "/v1/matches?status=proposed&status=approved&limit=25&country=GT&focus_area=food_security_agriculture"
        "&q=cafe+climatico+1",
    ),
}


async def _measure(settings: Settings, key: str, raw_session: str) -> list[list[str]]:
    rows: list[list[str]] = []
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        console = httpx.AsyncClient(transport=transport, base_url="http://bench", cookies={SESSION_COOKIE: raw_session})
        api = httpx.AsyncClient(
            transport=transport, base_url="http://bench", headers={"Authorization": f"Bearer {key}"}
        )
        async with console, api:
            for label, (page_path, json_path) in CASES.items():
                page = await console.get(page_path)
                listed = await api.get(json_path)
                assert page.status_code == 200 and "data-match" in page.text, page.text[:500]
                assert listed.status_code == 200, listed.text
                cards = page.text.count("data-match id=")
                assert cards == len(listed.json()["items"]), (cards, len(listed.json()["items"]))
                for kind, client, path in (("console page", console, page_path), ("JSON list", api, json_path)):

                    async def call(client: httpx.AsyncClient = client, path: str = path) -> None:
                        response = await client.get(path)
                        assert response.status_code == 200

                    latencies = await _time(call)
                    rows.append(
                        [
                            f"{label} — {kind}",
                            str(cards),
                            f"{statistics.median(latencies):.1f}",
                            f"{_p(latencies, 95):.1f}",
                            f"{_p(latencies, 99):.1f}",
                        ]
                    )
    return rows


def main() -> None:
    with services() as (configured, _), fresh_database(configured, "console") as url:
        settings = configured.model_copy(
            update={"database_url": url, "log_level": "WARNING", "rate_limit_per_minute": 0}
        )
        key, raw_session, seconds = asyncio.run(_seed(settings))
        print(f"seeded {MATCHES:,} open matches, {COMMITMENTS:,} commitments, {PROGRAMS} programmes: {seconds:.1f} s")
        rows = asyncio.run(_measure(settings, key, raw_session))
    print(
        table(
            f"review queue at {MATCHES:,} open matches, 200 requests each, in-process, one at a time (ms)",
            ["request", "items", "p50", "p95", "p99"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
