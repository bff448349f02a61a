"""Program: one offering of a partner (a loan facility, a training scheme, ...)."""

import uuid
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Computed, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Audited, Model, TenantScoped, Timestamps, UUIDPrimaryKey, Versioned
from shared.db.types import CodeList, CountryList, Usd, enum_array_check
from shared.enums import BusinessSize, FocusArea, Instrument, Role


class Program(UUIDPrimaryKey, Timestamps, Versioned, TenantScoped, Audited, Model):
    __tablename__ = "programs"
    __tenant_columns__ = {Role.PARTNER: "partner_id"}

    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    instruments: Mapped[list[str]] = mapped_column(CodeList, default=list)
    focus_areas: Mapped[list[str]] = mapped_column(CodeList, default=list)
    countries: Mapped[list[str]] = mapped_column(CountryList, default=list)
    #: Region ids a programme targets (empty: the whole of its countries).
    regions: Mapped[list[str]] = mapped_column(CodeList, default=list, server_default="{}")
    sectors: Mapped[list[str]] = mapped_column(CodeList, default=list)
    min_ticket_usd: Mapped[Decimal | None] = mapped_column(Usd)
    max_ticket_usd: Mapped[Decimal | None] = mapped_column(Usd)
    eligible_sizes: Mapped[list[str]] = mapped_column(CodeList, default=list)
    capacity_per_month: Mapped[int] = mapped_column(Integer, default=5)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    search: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed("to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(description, ''))", persisted=True),
        deferred=True,
    )

    __table_args__ = (
        enum_array_check("instruments", Instrument),
        enum_array_check("focus_areas", FocusArea),
        enum_array_check("eligible_sizes", BusinessSize),
        CheckConstraint("capacity_per_month >= 0", name="capacity_nonnegative"),
        CheckConstraint(
            "min_ticket_usd IS NULL OR max_ticket_usd IS NULL OR min_ticket_usd <= max_ticket_usd",
            name="ticket_range_ordered",
        ),
        Index("ix_programs_focus_areas", "focus_areas", postgresql_using="gin"),
        Index("ix_programs_countries", "countries", postgresql_using="gin"),
        Index("ix_programs_regions", "regions", postgresql_using="gin"),
        Index("ix_programs_instruments", "instruments", postgresql_using="gin"),
        Index("ix_programs_search", "search", postgresql_using="gin"),
    )
