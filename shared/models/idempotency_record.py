"""Idempotency record: the first answer to a POST with an Idempotency-Key, replayed on repeats."""

from typing import Any

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Model, Timestamps, UUIDPrimaryKey
from shared.db.types import Json


class IdempotencyRecord(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "idempotency_records"

    caller: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(2048))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[Any] = mapped_column(Json)
    response_headers: Mapped[dict[str, str]] = mapped_column(Json, default=dict)

    __table_args__ = (UniqueConstraint("caller", "idempotency_key"),)
