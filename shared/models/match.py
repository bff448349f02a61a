"""Match: a proposed introduction of a commitment to a partner's program."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Audited, Model, TenantScoped, Timestamps, UUIDPrimaryKey, Versioned
from shared.db.types import CodeList, Json, enum_check
from shared.enums import MatchStatus, PartnerAnswer, Role

OPEN_STATUSES = (MatchStatus.PROPOSED, MatchStatus.APPROVED, MatchStatus.INTRODUCED)
_OPEN_SQL = "status IN ('proposed', 'approved', 'introduced')"


class Match(UUIDPrimaryKey, Timestamps, Versioned, TenantScoped, Audited, Model):
    """`partner_id` and `business_id` are copied from the program and commitment so that
    scoping and filtering need no join; `fingerprint` records the data the score was
    computed from, so a declined pair is proposed again only when that data changed."""

    __tablename__ = "matches"
    __tenant_columns__ = {Role.PARTNER: "partner_id", Role.BUSINESS: "business_id"}

    commitment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float, index=True)
    components: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    reasons: Mapped[list[str]] = mapped_column(CodeList, default=list)
    status: Mapped[str] = mapped_column(String(30), default=MatchStatus.PROPOSED.value)
    run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("match_runs.id", ondelete="SET NULL"), index=True)
    model_version: Mapped[str] = mapped_column(String(60))
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # when the match first reached each stage of the introduction funnel (kept after later moves)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    introduced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    partnership_formed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the partner's answer to the proposal, which the coordinator reads before introducing
    partner_answer: Mapped[str | None] = mapped_column(String(20))
    partner_answer_reason: Mapped[str | None] = mapped_column(Text)
    partner_answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    partner_answered_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        enum_check("status", MatchStatus),
        enum_check("partner_answer", PartnerAnswer),
        Index(
            "uq_matches_open_pair",
            "commitment_id",
            "program_id",
            unique=True,
            postgresql_where=text(_OPEN_SQL),
        ),
        Index("ix_matches_status_score", "status", "score"),
        # the metrics funnel: every match's stage times read from the index alone
        Index(
            "ix_matches_funnel",
            "status",
            postgresql_include=["created_at", "approved_at", "introduced_at", "partnership_formed_at", "commitment_id"],
        ),
    )
