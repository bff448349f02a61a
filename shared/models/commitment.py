"""Commitment: a business's investment pledge, with its targets."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Computed, Date, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Audited, Model, TenantScoped, Timestamps, UUIDPrimaryKey, Versioned
from shared.db.types import CodeList, CountryList, Json, Usd, enum_array_check, enum_check
from shared.enums import CommitmentStatus, FocusArea, Initiative, Need, Role


class Commitment(UUIDPrimaryKey, Timestamps, Versioned, TenantScoped, Audited, Model):
    __tablename__ = "commitments"
    __tenant_columns__ = {Role.BUSINESS: "business_id"}

    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    focus_areas: Mapped[list[str]] = mapped_column(CodeList, default=list)
    countries: Mapped[list[str]] = mapped_column(CountryList, default=list)
    #: Region ids (`GT-1301`) where it lands; checked against the regions by shared.regions.lookup.
    regions: Mapped[list[str]] = mapped_column(CodeList, default=list, server_default="{}")
    amount_usd: Mapped[Decimal | None] = mapped_column(Usd)
    needs: Mapped[list[str]] = mapped_column(CodeList, default=list)
    status: Mapped[str] = mapped_column(String(20), default=CommitmentStatus.ANNOUNCED.value, index=True)
    initiative: Mapped[str | None] = mapped_column(String(40), index=True)
    announced_on: Mapped[date | None] = mapped_column(Date, index=True)
    targets: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    baselines: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    search: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed("to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(description, ''))", persisted=True),
        deferred=True,
    )

    __table_args__ = (
        enum_check("status", CommitmentStatus),
        enum_check("initiative", Initiative),
        enum_array_check("focus_areas", FocusArea),
        enum_array_check("needs", Need),
        Index("ix_commitments_focus_areas", "focus_areas", postgresql_using="gin"),
        Index("ix_commitments_countries", "countries", postgresql_using="gin"),
        Index("ix_commitments_regions", "regions", postgresql_using="gin"),
        Index("ix_commitments_search", "search", postgresql_using="gin"),
    )
