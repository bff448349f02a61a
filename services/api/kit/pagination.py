"""Keyset pagination: opaque cursors over a stable sort, and the `{items, next_cursor}` page."""

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, Self, TypeVar

from fastapi import Depends
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import BindParameter, ColumnElement, Integer, Select, and_, bindparam, cast, or_
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.visitors import iterate

from services.api.deps import CallerReads
from services.api.kit.query import QueryModel, query
from shared.config import get_settings
from shared.db.reader import Row
from shared.errors import ValidationFailed

ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class PageParams(QueryModel):
    limit: int | None = Field(None, ge=1, description="Items per page (capped by the server).")
    cursor: str | None = Field(None, max_length=512, description="From the previous page's next_cursor.")

    @model_validator(mode="after")
    def _within_cap(self) -> Self:
        cap = get_settings().max_page_size
        if self.limit is not None and self.limit > cap:
            raise ValidationFailed(
                f"limit may be at most {cap}",
                extra={"errors": [{"field": "query.limit", "message": "too large", "type": "less_than_equal"}]},
            )
        return self

    @property
    def size(self) -> int:
        """Items on this page: the caller's limit, or the server's default."""
        return self.limit or get_settings().default_page_size


Pagination = Annotated[PageParams, Depends(query(PageParams))]


@dataclass(frozen=True)
class SortKey:
    column: InstrumentedAttribute[Any]
    descending: bool = False


def _encode(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else str(v) if isinstance(v, uuid.UUID) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, keys: Sequence[SortKey]) -> list[Any]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(keys):
            raise ValueError("shape")
        values: list[Any] = []
        for key, value in zip(keys, raw, strict=True):
            python_type = key.column.type.python_type
            if python_type is datetime:
                values.append(datetime.fromisoformat(value))
            elif python_type is uuid.UUID:
                values.append(uuid.UUID(value))
            elif python_type is float:
                values.append(float(value))
            else:
                values.append(python_type(value))
        return values
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            "cursor is not one this server issued",
            extra={"errors": [{"field": "query.cursor", "message": "invalid cursor", "type": "value_error"}]},
        ) from exc


#: Names the page's own values bind by in a page statement; no filter may use them.
_LIMIT = "page_limit"
_AFTER = "page_after_{}"


def _after(keys: Sequence[SortKey]) -> ColumnElement[bool]:
    """Rows strictly after the cursor's values (bound by `_AFTER` names) in the sort order."""
    values = [bindparam(_AFTER.format(i), type_=key.column.type) for i, key in enumerate(keys)]
    clauses: list[ColumnElement[bool]] = []
    for depth, key in enumerate(keys):
        equal_prefix = [keys[i].column == values[i] for i in range(depth)]
        beyond = key.column < values[depth] if key.descending else key.column > values[depth]
        clauses.append(and_(*equal_prefix, beyond))
    return or_(*clauses)


def _page_statement(statement: Select[RowT], keys: Sequence[SortKey], *, after_cursor: bool) -> Select[RowT]:
    """The page's query: after the cursor, in key order, one row more than the page to tell if another follows.

    Its values are bound by name (`_page_values`), so one statement serves every page of a shape.
    """
    if after_cursor:
        statement = statement.where(_after(keys))
    statement = statement.order_by(*(k.column.desc() if k.descending else k.column.asc() for k in keys))
    return statement.limit(bindparam(_LIMIT, type_=Integer))


def _page_values(params: PageParams, keys: Sequence[SortKey]) -> dict[str, Any]:
    values: dict[str, Any] = {_LIMIT: params.size + 1}
    if params.cursor:
        values.update((_AFTER.format(i), v) for i, v in enumerate(_decode(params.cursor, keys)))
    return values


def _cut(
    rows: list[ItemT], params: PageParams, keys: Sequence[SortKey], value: Callable[[ItemT, str], Any]
) -> tuple[list[ItemT], str | None]:
    """The page's rows and, when another page follows, the cursor after its last row."""
    if len(rows) <= params.size:
        return rows, None
    rows = rows[: params.size]
    return rows, _encode([value(rows[-1], k.column.key) for k in keys])


async def paginate(
    session: AsyncSession,
    statement: Select[RowT],
    params: PageParams,
    keys: Sequence[SortKey],
) -> tuple[list[RowT], str | None]:
    """One ORM query for one page."""
    page = _page_statement(statement, keys, after_cursor=bool(params.cursor))
    rows = list((await session.scalars(page, _page_values(params, keys))).all())
    return _cut(rows, params, keys, getattr)


def holds(column: InstrumentedAttribute[Any], name: str) -> ColumnElement[bool]:
    """A listing condition: the array `column` holds the value bound as `name`.

    The one-element array takes the column's own array type: PostgreSQL has no `@>` between
    text[] and varchar[].
    """
    array_type: Any = column.type
    return column.contains(cast(array([bindparam(name, type_=array_type.item_type)]), array_type))


class Listing:
    """A list endpoint's query: its rows, its named filter conditions and its sort.

    Each condition binds the value of the filter it is named after (`bindparam(name)`), or none
    at all (a switch), so the statement for a page depends only on which filters are set and
    whether a cursor is given, and the Reader builds it once per such shape.
    """

    def __init__(
        self, rows: Select[Any], sort: Sequence[SortKey], conditions: Mapping[str, ColumnElement[bool]]
    ) -> None:
        for name, condition in conditions.items():
            named = {bind.key for bind in iterate(condition) if isinstance(bind, BindParameter) and bind.required}
            if named - {name}:
                raise ValueError(f"condition {name!r} binds {sorted(named - {name})}; it may bind only {name!r}")
        self.rows = rows
        self.sort = tuple(sort)
        self.conditions = dict(conditions)

    def statement(self, filters: frozenset[str], *, after_cursor: bool) -> Select[Any]:
        statement = self.rows.where(*(self.conditions[name] for name in sorted(filters)))
        return _page_statement(statement, self.sort, after_cursor=after_cursor)


async def paginate_reads(
    reads: CallerReads, listing: Listing, filters: Mapping[str, Any], params: PageParams
) -> tuple[list[Row], str | None]:
    """One page of `listing`'s rows through the request's Reader (no ORM objects).

    `filters` holds the value of each condition to apply, by name (a switch's value is ignored).
    """
    names = frozenset(filters)
    after_cursor = bool(params.cursor)
    rows = await reads.shaped(
        (listing, names, after_cursor),
        lambda: listing.statement(names, after_cursor=after_cursor),
        {**filters, **_page_values(params, listing.sort)},
    )
    return _cut(rows, params, listing.sort, lambda row, key: row[key])
