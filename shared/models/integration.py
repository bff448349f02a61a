"""Integration: an inbound integrator (a CRM, a grants system) with its signing secret."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Audited, Model, Timestamps, UUIDPrimaryKey, Versioned


class Integration(UUIDPrimaryKey, Timestamps, Versioned, Audited, Model):
    __tablename__ = "integrations"
    __audit_exclude__ = ("secret", "previous_secret")

    name: Mapped[str] = mapped_column(String(200))
    secret: Mapped[str] = mapped_column(String(200))
    previous_secret: Mapped[str | None] = mapped_column(String(200))
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
