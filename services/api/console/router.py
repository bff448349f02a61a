"""Every console route, in the order they are tried, and the vendored static files they use."""

from fastapi import APIRouter, Request, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from services.api.console import (
    admin_pages,
    auth_pages,
    company_pages,
    dashboard_pages,
    inbox_pages,
    queue_pages,
    records_pages,
)
from services.api.console.web import PREFIX, STATIC_DIR, ConsoleRoute
from shared.errors import NotFound

fallback = APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False)


@fallback.get("/{rest:path}")
async def no_such_page(rest: str, request: Request) -> Response:
    raise NotFound(f"no console page at {PREFIX}/{rest}")


PAGES = [
    auth_pages.router,
    queue_pages.router,
    inbox_pages.router,
    company_pages.router,
    records_pages.router,
    dashboard_pages.router,
    admin_pages.router,
]


def console_routes() -> list[BaseRoute]:
    """The pages, the static files, then a page for every other console path."""
    static = Mount(f"{PREFIX}/static", app=StaticFiles(directory=STATIC_DIR), name="console-static")
    return [*(route for router in PAGES for route in router.routes), static, *fallback.routes]
