"""The api service: create_app() builds the FastAPI app; its lifespan owns every connection."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from starlette.routing import BaseRoute

from services.api.auth.dependencies import document_security
from services.api.auth.me import router as me_router
from services.api.auth.router import router as api_keys_router
from services.api.auth.service import KeyCache
from services.api.businesses.router import router as businesses_router
from services.api.commitments.router import router as commitments_router
from services.api.console.router import console_routes
from services.api.contacts.router import router as contacts_router
from services.api.errors import install_error_handlers
from services.api.exports.router import router as exports_router
from services.api.feedback.router import router as feedback_router
from services.api.health.router import router as health_router
from services.api.integrations.router import inbound_router
from services.api.integrations.router import router as integrations_router
from services.api.kit.middleware import RequestGuard
from services.api.kit.query import document_queries
from services.api.kit.ratelimit import RateLimiter
from services.api.kit.routing import RouteIndex
from services.api.maps.router import router as maps_router
from services.api.match_runs.router import router as match_runs_router
from services.api.matches.router import router as matches_router
from services.api.metrics.router import router as metrics_router
from services.api.partners.router import router as partners_router
from services.api.programs.router import router as programs_router
from services.api.regions.router import router as regions_router
from services.api.reports.router import router as reports_router
from services.api.webhooks.router import router as webhooks_router
from shared.config import Settings, get_settings
from shared.db.engine import create_engine, create_sessionmaker, driver_dsn
from shared.db.reader import Reader
from shared.embedded import ensure_services
from shared.logging import configure_logging
from shared.redis import create_arq_pool

DESCRIPTION = """
Puente connects companies' investment commitments in Guatemala, El Salvador and Honduras with
the agencies, development banks, NGOs and UN bodies that can help them deliver, and tracks
what those commitments achieve.

Authenticate with `Authorization: Bearer <api key>`. Errors are RFC 9457 problem details.
Lists page with `limit` and `cursor`. Writes return an `ETag`; send it back as `If-Match`.
"""

ROUTERS = [
    health_router,
    api_keys_router,
    me_router,
    businesses_router,
    partners_router,
    programs_router,
    feedback_router,
    commitments_router,
    matches_router,
    match_runs_router,
    reports_router,
    metrics_router,
    exports_router,
    webhooks_router,
    contacts_router,
    integrations_router,
    regions_router,
    maps_router,
    inbound_router,
]


def _routes() -> list[BaseRoute]:
    return [route for router in ROUTERS for route in router.routes] + console_routes()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configured, embedded = ensure_services(settings)
        app.state.settings = configured
        app.state.engine = create_engine(configured, "puente-api")
        app.state.sessionmaker = create_sessionmaker(app.state.engine)
        # reads need no transaction: one round trip per query instead of BEGIN … COMMIT around it
        app.state.read_sessionmaker = create_sessionmaker(
            app.state.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        app.state.reader = await Reader.connect(
            driver_dsn(configured.database_url or ""),
            max_size=configured.db_read_pool_size,
            application_name="puente-api-reads",
        )
        app.state.key_cache = KeyCache(configured.auth_cache_seconds)
        app.state.arq = await create_arq_pool(configured)
        app.state.rate_limiter = RateLimiter(app.state.arq, configured.rate_limit_per_minute)
        app.state.http = httpx.AsyncClient(timeout=httpx.Timeout(configured.webhook_timeout_seconds))
        # Everything built so far lives as long as the process, so the collector need not rescan it;
        # a request allocates thousands of short-lived objects, so a young generation of 10,000 rather
        # than 700 collects far less often: about a tenth more requests/s under bench.api's load.
        gc.freeze()
        gc.set_threshold(10_000, 20, 20)
        try:
            yield
        finally:
            await app.state.http.aclose()
            await app.state.arq.aclose()
            await app.state.reader.close()
            await app.state.engine.dispose()
            embedded.close()

    configure_logging("api", level=settings.log_level, json=settings.log_json)
    app = FastAPI(
        title="Puente API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # Puente exports Prometheus metrics and structured logs itself; FastAPI's OpenTelemetry hooks
        # would only ask, on every request, whether a provider is configured.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
        # Every router's routes, indexed by path section: each router already carries its prefix, tags
        # and responses, and an included router is matched route by route twice per request.
        routes=[RouteIndex(_routes())],
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(
        RequestGuard, max_body_bytes=settings.max_body_bytes, raw_body_paths=("/v1/inbound/", "/console/")
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Request-Id"],
            expose_headers=["ETag", "Location", "X-Request-Id"],
        )

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            routes = _routes()
            document = get_openapi(title=app.title, version=app.version, description=app.description, routes=routes)
            app.openapi_schema = document_queries(document_security(document, routes), routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
