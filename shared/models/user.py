"""User: a person who signs in to the console, with a role and organisation exactly as an API key has."""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Audited, Model, Timestamps, UUIDPrimaryKey, Versioned
from shared.db.types import enum_check
from shared.enums import Language, Role


class User(UUIDPrimaryKey, Timestamps, Versioned, Audited, Model):
    """`email` is stored folded to lower case; a user without a password has an open invitation or
    signs in through OpenID Connect (`oidc_subject`). Secrets never reach the audit log."""

    __tablename__ = "users"
    __audit_exclude__ = ("password_hash", "invitation_hash")

    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default=Language.ES.value)
    role: Mapped[str] = mapped_column(String(20))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    invitation_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invitation_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    invited_by: Mapped[uuid.UUID | None] = mapped_column()
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (enum_check("role", Role), enum_check("language", Language))
