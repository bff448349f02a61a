"""Match run: one job of the matcher, its scope, progress and outcome."""

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Model, Timestamps, UUIDPrimaryKey, Versioned
from shared.db.types import Json, enum_check
from shared.enums import RunStatus


class MatchRun(UUIDPrimaryKey, Timestamps, Versioned, Model):
    """`scope` is {"all": true} or {"commitment_ids": [...], "program_ids": [...]}."""

    __tablename__ = "match_runs"

    scope: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    trigger: Mapped[str] = mapped_column(String(20), default="api")
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.QUEUED.value, index=True)
    requested_by: Mapped[str | None] = mapped_column(String(200))
    counts: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    model_version: Mapped[str | None] = mapped_column(String(60))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration_ms: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (enum_check("status", RunStatus),)
