"""Reads without the ORM's per-row cost: SQLAlchemy builds and compiles, asyncpg runs and returns records.

The hot read endpoints (a record by id, a filtered page) spend most of their time in the ORM's
session, connection and identity-map machinery rather than in PostgreSQL. A `Reader` keeps the
statements exactly as the repositories build them and the organisation scoping exactly as
`shared.db.tenancy` defines it, but compiles each statement shape once (SQLAlchemy's own cache
key, values extracted) and runs it on a plain asyncpg pool whose connections are read-only.

Records come back as dicts keyed by column name, which for every model is its attribute
name, so the API's response schemas validate them as they would the ORM objects.

The hottest statements need not even be built per request: `Reader.shaped` keeps one statement
per *shape* (which filters a list sets, whether it has a cursor) and caller scope, whose varying
values are named `bindparam`s filled at execution. Building a filtered SELECT costs SQLAlchemy
about as much as PostgreSQL takes to answer it.
"""

import uuid
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import asyncpg
import orjson
from sqlalchemy import Select, bindparam, select
from sqlalchemy.dialects.postgresql.asyncpg import dialect as AsyncpgDialect  # noqa: N812 - a class
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import LRUCache

from shared.actor import Actor
from shared.db.base import Model
from shared.db.tenancy import scope_statement

Row = dict[str, Any]

_COMPILED_SHAPES = 500
#: Shaped statements kept per shape and organisation (each scoped organisation has its own).
_SCOPED_SHAPES = 5_000
_RECORD_ID = "record_id"


class ReadFailed(Exception):
    """The database could not answer: unreachable, shutting down, or the statement failed there."""


class UnsupportedStatement(TypeError):
    """The statement needs work at execution time (expanding IN, literal rendering) a Reader does not do."""


class Reader:
    """Runs SELECT statements on a read-only asyncpg pool, scoped to the given actor."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._dialect = AsyncpgDialect()  # type: ignore[no-untyped-call]
        self._compiled: LRUCache[Any, SQLCompiler] = LRUCache(_COMPILED_SHAPES)
        self._shaped: LRUCache[tuple[Hashable, Any], Select[Any]] = LRUCache(_SCOPED_SHAPES)

    @classmethod
    async def connect(cls, dsn: str, *, max_size: int, application_name: str) -> "Reader":
        pool = await asyncpg.create_pool(
            dsn,
            min_size=1,
            max_size=max_size,
            init=_decode_json,
            # nothing but SELECTs in autocommit runs here, so a returned connection has no state to reset
            reset=_nothing_to_reset,
            server_settings={"application_name": application_name, "default_transaction_read_only": "on"},
        )
        return cls(pool)

    async def close(self) -> None:
        await self._pool.close()

    async def all(self, statement: Select[Any], actor: Actor | None) -> list[Row]:
        """Rows of any SELECT, scoped to the actor; its cache key is worked out on every call."""
        sql, args = self._render(scope_statement(statement, actor))
        return [dict(record) for record in await self._fetch(sql, args)]

    async def shaped(
        self,
        shape: Hashable,
        build: Callable[[], Select[Any]],
        actor: Actor | None,
        values: Mapping[str, Any],
    ) -> list[Row]:
        """Rows of the statement `build` makes for `shape`, scoped to the actor, `values` bound by name.

        `build` runs once per shape and caller scope, so it must depend on the shape alone: every
        value that varies between requests is a named `bindparam` that `values` fills (a missing
        one is an error, never a silent NULL).
        """
        sql, args = self._render(self._statement(shape, build, actor), values)
        return [dict(record) for record in await self._fetch(sql, args)]

    async def by_id(self, model: type[Model], record_id: uuid.UUID, actor: Actor | None) -> Row | None:
        """The model's row with this primary key, if the actor may see it."""

        def lookup() -> Select[Any]:
            primary_key: Any = model.__mapper__.primary_key[0]
            return select(model).where(primary_key == bindparam(_RECORD_ID))

        rows = await self.shaped((_RECORD_ID, model), lookup, actor, {_RECORD_ID: record_id})
        return rows[0] if rows else None

    async def _fetch(self, sql: str, args: list[Any]) -> list[asyncpg.Record]:
        try:
            async with self._pool.acquire() as connection:
                records: list[asyncpg.Record] = await connection.fetch(sql, *args)
                return records
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise ReadFailed(type(exc).__name__) from exc

    def _statement(self, shape: Hashable, build: Callable[[], Select[Any]], actor: Actor | None) -> Select[Any]:
        """One scoped statement object per shape and scope, so its cache key is computed once, not per request."""
        scope = (actor.role, actor.organization_id) if actor is not None and actor.is_scoped else None
        key = (shape, scope)
        statement = self._shaped.get(key)
        if statement is None:
            statement = scope_statement(build(), actor)
            self._shaped[key] = statement
        return statement

    def _render(self, statement: Select[Any], values: Mapping[str, Any] | None = None) -> tuple[str, list[Any]]:
        """SQL with $n placeholders and its arguments; compiled once per statement shape.

        `values` fills the statement's named `bindparam`s; every other value comes from the statement.
        """
        cache_key = statement._generate_cache_key()
        if cache_key is None:
            raise UnsupportedStatement("statement cannot be cached; run it through a session")
        compiled = self._compiled.get(cache_key.key)
        if compiled is None:
            compiled = statement.compile(dialect=self._dialect, cache_key=cache_key)
            if compiled.post_compile_params or compiled.literal_execute_params:
                raise UnsupportedStatement("expanding or literal parameters; use = ANY(:array) or a session")
            self._compiled[cache_key.key] = compiled
        bound = compiled.construct_params(values, extracted_parameters=cache_key.bindparams)
        processors = compiled._bind_processors
        args = []
        for name in compiled.positiontup or ():
            process = processors.get(name)
            args.append(process(bound[name]) if callable(process) else bound[name])
        return compiled.string, args


async def _decode_json(connection: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await connection.set_type_codec(
            name, schema="pg_catalog", encoder=lambda v: orjson.dumps(v).decode(), decoder=orjson.loads
        )


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    return None
