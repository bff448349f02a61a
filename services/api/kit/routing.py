"""The route class that owns each request's transaction, and the index the app finds routes by.

For every route: run the endpoint, commit before the response leaves (so a client never
sees success for a change that did not commit), then send the jobs queued during the
transaction. A POST with an Idempotency-Key stores its first answer in the same
transaction, and a repeat replays it.
"""

import hashlib
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import orjson
import structlog
from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette._utils import get_route_path
from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from services.api.deps import READ_METHODS
from services.api.kit.etag import not_modified
from shared.db.after_commit import take_after_commit_jobs
from shared.errors import ValidationFailed
from shared.models import IdempotencyRecord

log = structlog.get_logger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
_REPLAYED_HEADERS = ("etag", "location", "content-type")


class Replay(Exception):
    """Raised by the idempotency check to answer with a stored response instead."""

    def __init__(self, response: Response) -> None:
        self.response = response


def _replay(record: IdempotencyRecord, request_hash: str) -> Response:
    if record.request_hash != request_hash:
        raise ValidationFailed(
            "this Idempotency-Key was already used with a different request",
            extra={"errors": [{"field": "header.Idempotency-Key", "message": "reused", "type": "idempotency"}]},
        )
    response = Response(
        content=orjson.dumps(record.response_body) if record.response_body is not None else b"",
        status_code=record.status_code,
        headers=record.response_headers,
    )
    response.headers["Idempotent-Replayed"] = "true"
    return response


async def request_fingerprint(request: Request) -> str:
    body = await request.body()
    return hashlib.sha256(request.method.encode() + request.url.path.encode() + b"\0" + body).hexdigest()


async def find_replay(session: AsyncSession, caller: str, key: str, request_hash: str) -> Response | None:
    record = await session.scalar(
        select(IdempotencyRecord).where(IdempotencyRecord.caller == caller, IdempotencyRecord.idempotency_key == key)
    )
    return _replay(record, request_hash) if record else None


def _store_idempotent_answer(session: AsyncSession, request: Request, response: Response) -> None:
    caller, key, request_hash = request.state.idempotency
    body = bytes(response.body) if response.body else b""
    session.add(
        IdempotencyRecord(
            caller=caller,
            idempotency_key=key,
            method=request.method,
            path=request.url.path,
            request_hash=request_hash,
            status_code=response.status_code,
            response_body=orjson.loads(body) if body else None,
            response_headers={k: v for k, v in response.headers.items() if k.lower() in _REPLAYED_HEADERS},
        )
    )


class TransactionalRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                response = await endpoint(request)
            except Replay as replay:
                await _close(request, commit=False)
                return replay.response
            except BaseException:
                await _close(request, commit=False)
                raise
            session: AsyncSession | None = getattr(request.state, "session", None)
            if session is None:
                return not_modified(request, response) or response
            if request.method in READ_METHODS:
                # a read session runs in autocommit: nothing to commit, nothing to send after
                await _close(request, commit=False)
                return not_modified(request, response) or response
            idempotent = getattr(request.state, "idempotency", None) is not None and response.status_code < 500
            if idempotent:
                _store_idempotent_answer(session, request, response)
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()
                if not idempotent:
                    await _close(request, commit=False)
                    raise
                # a concurrent twin with the same key committed first: answer as it did
                caller, key, request_hash = request.state.idempotency
                replayed = await find_replay(session, caller, key, request_hash)
                await _close(request, commit=False)
                if replayed is None:
                    raise
                return replayed
            except BaseException:
                await _close(request, commit=False)
                raise
            jobs = take_after_commit_jobs(session)
            await _close(request, commit=False)
            if jobs:
                await _run_after_commit(request, jobs)
            return response

        return handler


async def _close(request: Request, *, commit: bool) -> None:
    session: AsyncSession | None = getattr(request.state, "session", None)
    if session is None:
        return
    request.state.session = None
    try:
        if commit:
            await session.commit()
    finally:
        await session.close()


async def _run_after_commit(request: Request, jobs: list[Any]) -> None:
    redis = request.app.state.arq
    for job in jobs:
        try:
            await job(redis)
        except Exception:  # the committed row is the truth; the worker's sweeper will send it
            log.warning("after-commit job failed; the sweeper will retry", exc_info=True)


def _section(path: str) -> str:
    """The first two segments of a path (`/v1/businesses` of `/v1/businesses/{id}`), which group its routes."""
    return "/".join(path.split("/", 3)[:3])


class RouteIndex(BaseRoute):
    """The API's routes, tried only among those of the request's path section.

    Routes are matched one by one in order, at a few microseconds each, so a route listed
    sixtieth paid for the fifty-nine before it on every request. Routes whose first two segments
    hold a parameter cannot be indexed and are tried for every request, after the section's own.
    Within a section the order is the routes' own, so overlapping paths resolve as before.
    """

    _MATCHED = "puente.matched_route"

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = list(routes)
        self._sections: dict[str, list[BaseRoute]] = {}
        self._anywhere: list[BaseRoute] = []
        for route in self.routes:
            path = getattr(route, "path", None)
            if not isinstance(path, str) or "{" in _section(path):
                self._anywhere.append(route)
            else:
                self._sections.setdefault(_section(path), []).append(route)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        partial: tuple[BaseRoute, Scope] | None = None
        # the path as Starlette's own routes match it (under a root path, the part after it)
        for candidates in (self._sections.get(_section(get_route_path(scope)), ()), self._anywhere):
            for route in candidates:
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    return Match.FULL, {**child_scope, self._MATCHED: route}
                if match is Match.PARTIAL and partial is None:
                    partial = (route, child_scope)
        if partial is not None:
            route, child_scope = partial
            return Match.PARTIAL, {**child_scope, self._MATCHED: route}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route: BaseRoute = scope.pop(self._MATCHED)
        await route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
        raise NoMatchFound(name, path_params)
