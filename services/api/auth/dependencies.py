"""Who is calling: the Bearer key becomes an Actor, the session is scoped to it, roles are checked."""

from collections.abc import Callable, Coroutine, Iterable
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.routing import BaseRoute

from services.api.auth import service
from services.api.deps import CallerReads, request_session, scope_to_caller
from services.api.kit.openapi import dependency_calls, operations
from shared.actor import Actor
from shared.config import Settings
from shared.enums import Role
from shared.errors import Forbidden, Unauthorized

#: How the OpenAPI document names the scheme every authenticated operation uses.
BEARER_SCHEME = "HTTPBearer"
BEARER_SCHEME_SPEC = {"type": "http", "scheme": "bearer", "description": "An API key: `Authorization: Bearer pk_…`"}


def _bearer_key(request: Request) -> str | None:
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    key = key.strip()
    return key if scheme.lower() == "bearer" and key else None


async def authenticate(request: Request) -> Actor:
    """The caller behind the Bearer key, worked out once per request whichever dependency asks first.

    A key verified moments ago comes from the cache without a database session; only a lookup
    opens the request's session (which then stays scoped to it). The header is read here rather
    than through a security-scheme dependency because this runs on every request; the scheme is
    documented once in the OpenAPI document instead (`document_security`).
    """
    known: Actor | None = getattr(request.state, "actor", None)
    if known is not None:
        return known
    raw_key = _bearer_key(request)
    if raw_key is None:
        raise Unauthorized("send an API key as `Authorization: Bearer <key>`")
    settings: Settings = request.app.state.settings
    actor = await service.authenticate(
        lambda: request_session(request),
        settings,
        raw_key,
        getattr(request.state, "request_id", None),
        request.app.state.key_cache,
    )
    request.state.actor = actor
    opened: AsyncSession | None = getattr(request.state, "session", None)
    if opened is not None:  # opened by the key lookup above, before the caller was known
        scope_to_caller(request, opened)
    await request.app.state.rate_limiter.hit(actor.key_id)
    return actor


#: Dependencies that authenticate the caller; the OpenAPI document marks their operations as secured.
_AUTHENTICATING: set[Callable[..., Any]] = {authenticate}


def document_security(openapi: dict[str, Any], routes: Iterable[BaseRoute]) -> dict[str, Any]:
    """Mark every operation that authenticates with the Bearer scheme, as a security dependency would."""
    openapi.setdefault("components", {}).setdefault("securitySchemes", {})[BEARER_SCHEME] = BEARER_SCHEME_SPEC
    for route, operation in operations(openapi, routes):
        if any(call in _AUTHENTICATING for call in dependency_calls(route.dependant)):
            operation["security"] = [{BEARER_SCHEME: []}]
    return openapi


Caller = Annotated[Actor, Depends(authenticate)]


def _check_role(actor: Actor, allowed: frozenset[Role]) -> None:
    if actor.role not in allowed:
        names = ", ".join(sorted(r.value for r in allowed))
        raise Forbidden(f"a {actor.role.value} key may not do this; allowed roles: {names}")


def require(*roles: Role) -> Callable[[Request], Coroutine[Any, Any, Actor]]:
    """A dependency: the authenticated caller, if its role is one of `roles`; 403 otherwise.

    One dependency rather than one per step, since every request resolves it.
    """
    allowed = frozenset(roles)

    async def check(request: Request) -> Actor:
        actor = await authenticate(request)
        _check_role(actor, allowed)
        return actor

    _AUTHENTICATING.add(check)
    return check


def reads_for(*roles: Role) -> Callable[[Request], Coroutine[Any, Any, CallerReads]]:
    """A dependency: reads scoped to the authenticated caller, if its role is one of `roles`."""
    caller = require(*roles)

    async def reads(request: Request) -> CallerReads:
        return CallerReads(request.app.state.reader, await caller(request))

    _AUTHENTICATING.add(reads)
    return reads


#: Read records: everyone but `viewer`, which sees aggregates only. Scoping narrows partner/business.
RECORD_READERS = (Role.ADMIN, Role.COORDINATOR, Role.PARTNER, Role.BUSINESS, Role.INTEGRATOR)
RecordReader = Annotated[Actor, Depends(require(*RECORD_READERS))]
#: The same callers' reads, through the app's Reader and scoped to the caller.
RecordReads = Annotated[CallerReads, Depends(reads_for(*RECORD_READERS))]
AdminCaller = Annotated[Actor, Depends(require(Role.ADMIN))]
CoordinatorCaller = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR))]
IntegratorCaller = Annotated[Actor, Depends(require(Role.ADMIN, Role.INTEGRATOR))]
