"""Match decision: who moved a match, from which status to which, and why (append-only)."""

import uuid

from sqlalchemy import ForeignKey, String, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Model, Timestamps, UUIDPrimaryKey


class MatchDecision(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "match_decisions"

    match_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(30))
    actor_key_id: Mapped[uuid.UUID | None] = mapped_column()
    actor_role: Mapped[str] = mapped_column(String(20))
    # the person who decided, when a person did (in the console), and how they were named then
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column()
    actor_label: Mapped[str | None] = mapped_column(String(200))
    # with `introduce`: the contacts on each side who were put in touch
    contact_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()), default=list)
