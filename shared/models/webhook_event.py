"""Webhook event: the transactional outbox; written in the same transaction as its cause."""

from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Model, Timestamps, UUIDPrimaryKey
from shared.db.types import Json


class WebhookEvent(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "webhook_events"

    event_type: Mapped[str] = mapped_column(String(60), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(Json)
    fanned_out: Mapped[bool] = mapped_column(default=False, index=True)
