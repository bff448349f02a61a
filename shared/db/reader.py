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
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson
from sqlalchemy import Select, bindparam, select
from sqlalchemy.dialects.postgresql.asyncpg import dialect as AsyncpgDialect  # noqa: N812 - a class
from sqlalchemy.exc import InvalidRequestError
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


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A statement ready for asyncpg: its SQL, and how to lay out its arguments from named values."""

    sql: str
    #: Each $n placeholder's bind name, and the type processor its value goes through (if any).
    order: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    #: Values the statement holds itself: its constants and, for a scoped caller, the organisation.
    fixed: dict[str, Any]
    #: Names the caller must give a value for (`bindparam(name)` without one).
    required: frozenset[str]

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        missing = self.required - values.keys()
        if missing:
            raise InvalidRequestError(f"A value is required for bind parameter {sorted(missing)[0]!r}")
        merged = {**self.fixed, **values}
        return [merged[name] if process is None else process(merged[name]) for name, process in self.order]


class Reader:
    """Runs SELECT statements on a read-only asyncpg pool, scoped to the given actor."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._dialect = AsyncpgDialect()  # type: ignore[no-untyped-call]
        self._compiled: LRUCache[Any, SQLCompiler] = LRUCache(_COMPILED_SHAPES)
        self._shaped: LRUCache[tuple[Hashable, Any], _Prepared] = LRUCache(_SCOPED_SHAPES)

    @classmethod
    async def connect(cls, dsn: str, *, max_size: int, application_name: str) -> "Reader":
        pool = await asyncpg.create_pool(
            dsn,
            min_size=1,
            max_size=max_size,
            init=_decode_json,
            # nothing but SELECTs in autocommit runs here, so a returned connection has no state to reset
            # (asyncpg's default reset is a query per release: about three times the acquire's own cost)
            reset=_nothing_to_reset,
            # a small pool kept for the process's life: an idle timer re-armed on every release cost ~15 µs a read
            max_inactive_connection_lifetime=0,
            server_settings={"application_name": application_name, "default_transaction_read_only": "on"},
        )
        return cls(pool)

    async def close(self) -> None:
        await self._pool.close()

    async def all(self, statement: Select[Any], actor: Actor | None) -> list[Row]:
        """Rows of any SELECT, scoped to the actor; its cache key is worked out on every call."""
        return await self._rows(self._prepare(scope_statement(statement, actor)), {})

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
        return await self._rows(self._prepared_shape(shape, build, actor), values)

    async def by_id(self, model: type[Model], record_id: uuid.UUID, actor: Actor | None) -> Row | None:
        """The model's row with this primary key, if the actor may see it."""

        def lookup() -> Select[Any]:
            primary_key: Any = model.__mapper__.primary_key[0]
            return select(model).where(primary_key == bindparam(_RECORD_ID))

        rows = await self.shaped((_RECORD_ID, model), lookup, actor, {_RECORD_ID: record_id})
        return rows[0] if rows else None

    async def _rows(self, prepared: _Prepared, values: Mapping[str, Any]) -> list[Row]:
        arguments = prepared.arguments(values)
        try:
            async with self._pool.acquire() as connection:
                return [dict(record) for record in await connection.fetch(prepared.sql, *arguments)]
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise ReadFailed(type(exc).__name__) from exc

    def _prepared_shape(self, shape: Hashable, build: Callable[[], Select[Any]], actor: Actor | None) -> _Prepared:
        """Prepared once per shape and scope; a request then only lays out its own values."""
        scope = (actor.role, actor.organization_id) if actor is not None and actor.is_scoped else None
        key = (shape, scope)
        prepared = self._shaped.get(key)
        if prepared is None:
            prepared = self._prepare(scope_statement(build(), actor))
            self._shaped[key] = prepared
        return prepared

    def _prepare(self, statement: Select[Any]) -> _Prepared:
        """Compiled once per statement shape (SQLAlchemy's cache key); this statement's own values taken out."""
        cache_key = statement._generate_cache_key()
        if cache_key is None:
            raise UnsupportedStatement("statement cannot be cached; run it through a session")
        compiled = self._compiled.get(cache_key.key)
        if compiled is None:
            compiled = statement.compile(dialect=self._dialect, cache_key=cache_key)
            if compiled.post_compile_params or compiled.literal_execute_params:
                raise UnsupportedStatement("expanding or literal parameters; use = ANY(:array) or a session")
            if compiled.escaped_bind_names:
                raise UnsupportedStatement("bind names that need escaping; name them plainly")
            self._compiled[cache_key.key] = compiled
        required = frozenset(name for bind, name in compiled.bind_names.items() if bind.required)
        fixed = compiled.construct_params(extracted_parameters=cache_key.bindparams, _check=False)
        processors = compiled._bind_processors
        order = tuple((name, _callable_or_none(processors.get(name))) for name in compiled.positiontup or ())
        return _Prepared(compiled.string, order, {k: v for k, v in fixed.items() if k not in required}, required)


def _callable_or_none(processor: Any) -> Callable[[Any], Any] | None:
    return processor if callable(processor) else None


async def _decode_json(connection: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await connection.set_type_codec(
            name, schema="pg_catalog", encoder=lambda v: orjson.dumps(v).decode(), decoder=orjson.loads
        )


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    return None
