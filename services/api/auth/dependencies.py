"""Who is calling: the Bearer key becomes an Actor, the session is scoped to it, roles are checked."""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.auth import service
from services.api.deps import request_session
from shared.actor import Actor
from shared.config import Settings
from shared.db.tenancy import set_actor
from shared.enums import Role
from shared.errors import Forbidden, Unauthorized

_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer pk_…`")


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The caller behind the Bearer key. A key verified moments ago comes from the cache without a
    database session; only a lookup opens the request's session (which then stays scoped to it)."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise Unauthorized("send an API key as `Authorization: Bearer <key>`")
    settings: Settings = request.app.state.settings
    actor = await service.authenticate(
        lambda: request_session(request),
        settings,
        credentials.credentials,
        getattr(request.state, "request_id", None),
        request.app.state.key_cache,
    )
    request.state.actor = actor
    opened: AsyncSession | None = getattr(request.state, "session", None)
    if opened is not None:
        set_actor(opened.sync_session, actor)
    await request.app.state.rate_limiter.hit(actor.key_id)
    return actor


Caller = Annotated[Actor, Depends(authenticate)]


def require(*roles: Role) -> Callable[[Actor], Coroutine[Any, Any, Actor]]:
    allowed = frozenset(roles)

    async def check(actor: Caller) -> Actor:
        if actor.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise Forbidden(f"a {actor.role.value} key may not do this; allowed roles: {names}")
        return actor

    return check


#: Read records: everyone but `viewer`, which sees aggregates only. Scoping narrows partner/business.
RecordReader = Annotated[
    Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.PARTNER, Role.BUSINESS, Role.INTEGRATOR))
]
AdminCaller = Annotated[Actor, Depends(require(Role.ADMIN))]
CoordinatorCaller = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR))]
IntegratorCaller = Annotated[Actor, Depends(require(Role.ADMIN, Role.INTEGRATOR))]
