"""Webhook endpoint: an integrator's URL subscribed to outbound events, with its signing secret."""

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Audited, Model, Timestamps, UUIDPrimaryKey, Versioned
from shared.db.types import CodeList


class WebhookEndpoint(UUIDPrimaryKey, Timestamps, Versioned, Audited, Model):
    """Secrets must be readable to sign, so they are stored as given and never returned
    after creation; `previous_secret` keeps signing until `previous_secret_expires_at`."""

    __tablename__ = "webhook_endpoints"
    __audit_exclude__ = ("secret", "previous_secret")

    owner_key_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str | None] = mapped_column(Text)
    event_types: Mapped[list[str]] = mapped_column(CodeList, default=list)
    secret: Mapped[str] = mapped_column(String(200))
    previous_secret: Mapped[str | None] = mapped_column(String(200))
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
