"""Scoring model: a versioned set of component weights; exactly one is active."""

from typing import Any

from sqlalchemy import Boolean, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Model, Timestamps, UUIDPrimaryKey
from shared.db.types import Json


class ScoringModelRecord(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "scoring_models"

    model_version: Mapped[str] = mapped_column(String(60), unique=True)
    parameters: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    evaluation: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("uq_scoring_models_active", "active", unique=True, postgresql_where=text("active")),)
