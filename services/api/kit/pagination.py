"""Keyset pagination: opaque cursors over a stable sort, and the `{items, next_cursor}` page."""

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from services.api.deps import CallerReads
from shared.config import get_settings
from shared.db.reader import Row
from shared.errors import ValidationFailed

ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


@dataclass(frozen=True)
class PageParams:
    limit: int
    cursor: str | None


async def page_params(
    limit: Annotated[int | None, Query(ge=1, description="Items per page (capped by the server).")] = None,
    cursor: Annotated[str | None, Query(max_length=512, description="From the previous page's next_cursor.")] = None,
) -> PageParams:
    settings = get_settings()
    if limit is not None and limit > settings.max_page_size:
        raise ValidationFailed(
            f"limit may be at most {settings.max_page_size}",
            extra={"errors": [{"field": "query.limit", "message": "too large", "type": "less_than_equal"}]},
        )
    return PageParams(limit=limit or settings.default_page_size, cursor=cursor)


Pagination = Annotated[PageParams, Depends(page_params)]


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


def _after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the sort order (lexicographic over the keys)."""
    clauses: list[ColumnElement[bool]] = []
    for depth, key in enumerate(keys):
        equal_prefix = [keys[i].column == values[i] for i in range(depth)]
        beyond = key.column < values[depth] if key.descending else key.column > values[depth]
        clauses.append(and_(*equal_prefix, beyond))
    return or_(*clauses)


def _page_statement(statement: Select[RowT], params: PageParams, keys: Sequence[SortKey]) -> Select[RowT]:
    """The page's query: after the cursor, in key order, one row more than the page to tell if another follows."""
    if params.cursor:
        statement = statement.where(_after(keys, _decode(params.cursor, keys)))
    statement = statement.order_by(*(k.column.desc() if k.descending else k.column.asc() for k in keys))
    return statement.limit(params.limit + 1)


def _cut(
    rows: list[ItemT], params: PageParams, keys: Sequence[SortKey], value: Callable[[ItemT, str], Any]
) -> tuple[list[ItemT], str | None]:
    """The page's rows and, when another page follows, the cursor after its last row."""
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    return rows, _encode([value(rows[-1], k.column.key) for k in keys])


async def paginate(
    session: AsyncSession,
    statement: Select[RowT],
    params: PageParams,
    keys: Sequence[SortKey],
) -> tuple[list[RowT], str | None]:
    """One ORM query for one page."""
    rows = list((await session.scalars(_page_statement(statement, params, keys))).all())
    return _cut(rows, params, keys, getattr)


async def paginate_reads(
    reads: CallerReads,
    statement: Select[Any],
    params: PageParams,
    keys: Sequence[SortKey],
) -> tuple[list[Row], str | None]:
    """One query for one page of rows, through the request's Reader (no ORM objects)."""
    rows = await reads.all(_page_statement(statement, params, keys))
    return _cut(rows, params, keys, lambda row, key: row[key])
