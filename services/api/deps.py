"""Annotated dependencies every router uses: the request's session and reads, settings, arq pool, HTTP client."""

import uuid
from collections.abc import AsyncIterator, Callable, Hashable, Mapping
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from arq import ArqRedis
from fastapi import Depends, Request
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.actor import Actor
from shared.config import Settings
from shared.db.base import Model
from shared.db.engine import SessionFactory
from shared.db.reader import Reader, Row
from shared.db.repository import not_found
from shared.db.tenancy import set_actor


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


#: Requests served by an autocommit read session; TransactionalRoute has nothing to commit for them.
READ_METHODS = frozenset({"GET", "HEAD"})


def scope_to_caller(request: Request, session: AsyncSession) -> None:
    """Scope `session` to the request's authenticated caller, if there is one yet."""
    actor = getattr(request.state, "actor", None)
    if actor is not None:
        set_actor(session.sync_session, actor)


async def request_session(request: Request) -> AsyncSession:
    """The request's one session, opened on first use; TransactionalRoute commits and closes it.

    When the caller is known, the session is scoped to the caller's organisation.
    """
    session: AsyncSession | None = getattr(request.state, "session", None)
    if session is None:
        factory = (
            request.app.state.read_sessionmaker if request.method in READ_METHODS else request.app.state.sessionmaker
        )
        session = factory()
        request.state.session = session
    scope_to_caller(request, session)
    return session


async def _read_sessions(request: Request) -> SessionFactory:
    """Extra read-only sessions, each scoped like the request's, for independent queries run at once.

    Each one is its own pooled connection, so aggregates that do not depend on one another
    take as long as the slowest instead of their sum. The actor is read when a session opens,
    after authentication.
    """

    @asynccontextmanager
    async def open_session() -> AsyncIterator[AsyncSession]:
        async with request.app.state.read_sessionmaker() as session:
            scope_to_caller(request, session)
            yield session

    return open_session


class CallerReads:
    """Reads through the app's Reader, scoped to one caller (see services.api.auth.dependencies.reads_for)."""

    __slots__ = ("_actor", "_reader")

    def __init__(self, reader: Reader, actor: Actor) -> None:
        self._reader = reader
        self._actor = actor

    async def shaped(self, shape: Hashable, build: Callable[[], Select[Any]], values: Mapping[str, Any]) -> list[Row]:
        """See `Reader.shaped`: `build` runs once per shape and caller scope, `values` bind by name."""
        return await self._reader.shaped(shape, build, self._actor, values)

    async def visible(self, model: type[Model], record_id: uuid.UUID, *, label: str | None = None) -> Row:
        """The record's row if it exists and the caller may see it; NotFound otherwise (the same answer)."""
        row = await self._reader.by_id(model, record_id, self._actor)
        if row is None:
            raise not_found(model, record_id, label)
        return row


async def _arq(request: Request) -> ArqRedis:
    redis: ArqRedis = request.app.state.arq
    return redis


async def _http(request: Request) -> httpx.AsyncClient:
    client: httpx.AsyncClient = request.app.state.http
    return client


AppSettings = Annotated[Settings, Depends(_settings)]
DbSession = Annotated[AsyncSession, Depends(request_session)]
ReadSessions = Annotated[SessionFactory, Depends(_read_sessions)]
Arq = Annotated[ArqRedis, Depends(_arq)]
Http = Annotated[httpx.AsyncClient, Depends(_http)]
