"""The route index finds exactly the route a scan of every route in order would find."""

import re
import uuid

import pytest
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Match, NoMatchFound, Route

from services.api.kit.routing import RouteIndex
from services.api.main import _routes


def _scope(method: str, path: str) -> dict[str, object]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": [], "query_string": b""}


def _scan(routes: list[BaseRoute], scope: dict[str, object]) -> tuple[Match, BaseRoute | None]:
    """What routing did before the index: the first full match, else the first partial one."""
    partial = None
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return match, route
        if match is Match.PARTIAL and partial is None:
            partial = route
    return (Match.PARTIAL, partial) if partial is not None else (Match.NONE, None)


def _requests() -> list[tuple[str, str]]:
    """Every route's path with its parameters filled, under every method any route has, plus misses."""
    paths = {re.sub(r"\{[^}]+\}", str(uuid.uuid4()), getattr(r, "path", "")) for r in _routes()}
    paths |= {"/", "/v1", "/v1/unknown", "/v1/businesses/x/y/z", "/healthz/extra"}
    methods = ["GET", "POST", "PATCH", "DELETE", "PUT", "BREW"]
    return [(m, p) for p in sorted(paths) for m in methods]


@pytest.mark.parametrize(("method", "path"), _requests())
def test_the_index_agrees_with_a_scan_in_order(method: str, path: str) -> None:
    routes = _routes()
    index = RouteIndex(routes)
    scope = _scope(method, path)
    expected_match, expected_route = _scan(routes, scope)
    match, child = index.matches(scope)
    assert match is expected_match
    assert child.get(RouteIndex._MATCHED) is expected_route


def test_a_route_with_a_parameter_in_its_section_is_still_found() -> None:
    def ok(_: object) -> PlainTextResponse:
        return PlainTextResponse("ok")

    greeting, named = Route("/{lang}/hello", ok, name="greeting"), Route("/v1/hello", ok, name="hello")
    index = RouteIndex([named, greeting])
    assert index.matches(_scope("GET", "/es/hello"))[1][RouteIndex._MATCHED] is greeting
    assert index.matches(_scope("GET", "/v1/hello"))[1][RouteIndex._MATCHED] is named
    assert index.url_path_for("greeting", lang="es") == "/es/hello"
    with pytest.raises(NoMatchFound):
        index.url_path_for("nothing")
