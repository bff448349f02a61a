"""What the OpenAPI document learns from the routes' dependencies rather than from FastAPI itself."""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute


def dependency_calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """Every callable the route resolves: the endpoint, its dependencies, theirs, and so on."""
    if dependant.call is not None:
        yield dependant.call
    for sub in dependant.dependencies:
        yield from dependency_calls(sub)


def operations(openapi: dict[str, Any], routes: Iterable[BaseRoute]) -> Iterator[tuple[APIRoute, dict[str, Any]]]:
    """Each documented route with each of its operations in `openapi`, one per method."""
    for route in routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in route.methods or ():
            operation = openapi["paths"].get(route.path_format, {}).get(method.lower())
            if operation is not None:
                yield route, operation
