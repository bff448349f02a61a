"""Who is calling: the Bearer key becomes an Actor, the session is scoped to it, roles are checked."""

import time
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.api.auth import service
from services.api.deps import AppSettings, DbSession
from shared.actor import Actor
from shared.db.tenancy import set_actor
from shared.enums import Role
from shared.errors import Forbidden, RateLimited, Unauthorized

_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer pk_…`")


async def _rate_limit(request: Request, actor: Actor, per_minute: int) -> None:
    if per_minute <= 0:
        return
    window = int(time.time() // 60)
    bucket = f"puente:ratelimit:{actor.key_id}:{window}"
    redis = request.app.state.arq
    pipe = redis.pipeline(transaction=False)
    pipe.incr(bucket)
    pipe.expire(bucket, 120)
    count, _ = await pipe.execute()
    if int(count) > per_minute:
        raise RateLimited(
            f"more than {per_minute} requests this minute for this key",
            extra={"retry_after": 60 - int(time.time()) % 60},
        )


async def authenticate(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise Unauthorized("send an API key as `Authorization: Bearer <key>`")
    actor = await service.authenticate(
        session,
        settings,
        credentials.credentials,
        getattr(request.state, "request_id", None),
        request.app.state.key_cache,
    )
    request.state.actor = actor
    set_actor(session.sync_session, actor)
    await _rate_limit(request, actor, settings.rate_limit_per_minute)
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
