"""Audit log written at flush for every Audited model: who, what, when, before and after."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from shared.db.base import Audited
from shared.db.tenancy import get_actor
from shared.models.audit_entry import AuditEntry

_NEVER_AUDITED = {"search", "version", "created_at", "updated_at"}


def _plain(value: Any) -> Any:
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _excluded(obj: Any) -> set[str]:
    return _NEVER_AUDITED | set(getattr(type(obj), "__audit_exclude__", ()))


def _snapshot(obj: Any) -> dict[str, Any]:
    excluded = _excluded(obj)
    state = inspect(obj)
    return {
        column.key: _plain(state.dict[column.key])
        for column in state.mapper.column_attrs
        if column.key not in excluded and column.key in state.dict
    }


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    excluded = _excluded(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in inspect(obj).attrs:
        if attr.key in excluded:
            continue
        history = attr.history
        if history.has_changes():
            before[attr.key] = _plain(history.deleted[0]) if history.deleted else None
            after[attr.key] = _plain(history.added[0]) if history.added else None
    return before, after


@event.listens_for(Session, "before_flush")
def _record_changes(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    actor = get_actor(session)
    entries: list[AuditEntry] = []

    def entry(action: str, obj: Any, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        if obj.id is None:
            obj.id = uuid4()
        entries.append(
            AuditEntry(
                actor_key_id=actor.key_id if actor else None,
                actor_user_id=actor.user_id if actor else None,
                actor_role=actor.role.value if actor else None,
                actor_label=actor.label if actor else "system",
                request_id=actor.request_id if actor else None,
                action=action,
                entity_type=type(obj).__tablename__,
                entity_id=obj.id,
                before=before,
                after=after,
            )
        )

    for obj in session.new:
        if isinstance(obj, Audited):
            entry("create", obj, None, _snapshot(obj))
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after:
                entry("update", obj, before, after)
    for obj in session.deleted:
        if isinstance(obj, Audited):
            entry("delete", obj, _snapshot(obj), None)
    session.add_all(entries)
