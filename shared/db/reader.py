"""Reads without the ORM's per-row cost: SQLAlchemy builds and compiles, asyncpg runs and returns records.

The hot read endpoints (a record by id, a filtered page) spend most of their time in the ORM's
session, connection and identity-map machinery rather than in PostgreSQL. A `Reader` keeps the
statements exactly as the repositories build them and the organisation scoping exactly as
`shared.db.tenancy` defines it, but compiles each statement shape once (SQLAlchemy's own cache
key, values extracted) and runs it on a plain asyncpg pool whose connections are read-only.

Records come back as dicts keyed by column name, which for every model is its attribute
name, so the API's response schemas validate them as they would the ORM objects.
"""

import uuid
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
#: Lookup-by-id statements kept per model and organisation (each scoped organisation has its own).
_SCOPED_LOOKUPS = 5_000
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
        self._by_id: LRUCache[tuple[type[Model], Any], Select[Any]] = LRUCache(_SCOPED_LOOKUPS)

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
        sql, args = self._render(statement, actor)
        return [dict(record) for record in await self._fetch(sql, args)]

    async def by_id(self, model: type[Model], record_id: uuid.UUID, actor: Actor | None) -> Row | None:
        """The model's row with this primary key, if the actor may see it."""
        sql, args = self._render(self._by_id_statement(model, actor), None, {_RECORD_ID: record_id})
        records = await self._fetch(sql, args)
        return dict(records[0]) if records else None

    async def _fetch(self, sql: str, args: list[Any]) -> list[asyncpg.Record]:
        try:
            async with self._pool.acquire() as connection:
                records: list[asyncpg.Record] = await connection.fetch(sql, *args)
                return records
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise ReadFailed(type(exc).__name__) from exc

    def _by_id_statement(self, model: type[Model], actor: Actor | None) -> Select[Any]:
        """One statement object per model and scope, so its cache key is computed once, not per lookup."""
        scope = (actor.role, actor.organization_id) if actor is not None and actor.is_scoped else None
        key = (model, scope)
        statement = self._by_id.get(key)
        if statement is None:
            primary_key: Any = model.__mapper__.primary_key[0]
            statement = scope_statement(select(model).where(primary_key == bindparam(_RECORD_ID)), actor)
            self._by_id[key] = statement
        return statement

    def _render(
        self, statement: Select[Any], actor: Actor | None, params: dict[str, Any] | None = None
    ) -> tuple[str, list[Any]]:
        """SQL with $n placeholders and its arguments; compiled once per statement shape.

        `params` fills the statement's named `bindparam`s; every other value comes from the statement.
        """
        scoped = scope_statement(statement, actor)
        cache_key = scoped._generate_cache_key()
        if cache_key is None:
            raise UnsupportedStatement("statement cannot be cached; run it through a session")
        compiled = self._compiled.get(cache_key.key)
        if compiled is None:
            compiled = scoped.compile(dialect=self._dialect, cache_key=cache_key)
            if compiled.post_compile_params or compiled.literal_execute_params:
                raise UnsupportedStatement("expanding or literal parameters; use = ANY(:array) or a session")
            self._compiled[cache_key.key] = compiled
        values = compiled.construct_params(params, extracted_parameters=cache_key.bindparams)
        processors = compiled._bind_processors
        args = []
        for name in compiled.positiontup or ():
            process = processors.get(name)
            args.append(process(values[name]) if callable(process) else values[name])
        return compiled.string, args


async def _decode_json(connection: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await connection.set_type_codec(
            name, schema="pg_catalog", encoder=lambda v: orjson.dumps(v).decode(), decoder=orjson.loads
        )


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    return None
