"""Generic lookups every repository needs; no domain rules here."""

import uuid
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.base import Model
from shared.errors import NotFound, PreconditionFailed

M = TypeVar("M", bound=Model)


async def get_visible(session: AsyncSession, model: type[M], record_id: uuid.UUID, *, label: str | None = None) -> M:
    """The record if it exists and the session's caller may see it; NotFound otherwise (the same answer)."""
    record = await session.get(model, record_id, populate_existing=True)
    if record is None:
        raise not_found(model, record_id, label)
    return record


def not_found(model: type[Model], record_id: uuid.UUID, label: str | None = None) -> NotFound:
    """The one answer for a record that is missing or that the caller may not see."""
    return NotFound(f"{label or model.__tablename__.rstrip('s').replace('_', ' ')} {record_id} does not exist")


def apply_changes(record: Model, changes: dict[str, Any]) -> bool:
    """Set the given attributes; True when anything actually changed."""
    changed = False
    for field, value in changes.items():
        if getattr(record, field) != value:
            setattr(record, field, value)
            changed = True
    return changed


def check_version(expected: int | None, current: int) -> None:
    """Optimistic concurrency: refuse a change made against a version that is no longer current."""
    if expected is not None and expected != current:
        raise PreconditionFailed(
            f"the record is at version {current}, not {expected}; read it again and retry",
            extra={"current_version": current},
        )
