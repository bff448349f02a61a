"""Partner: an agency, bank, NGO or UN body that can help businesses deliver."""

from sqlalchemy import Computed, Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Audited, Model, TenantScoped, Timestamps, UUIDPrimaryKey, Versioned
from shared.db.types import CountryList, enum_check
from shared.enums import PartnerType, Role


class Partner(UUIDPrimaryKey, Timestamps, Versioned, TenantScoped, Audited, Model):
    __tablename__ = "partners"
    __tenant_columns__ = {Role.PARTNER: "id"}

    name: Mapped[str] = mapped_column(String(300))
    partner_type: Mapped[str] = mapped_column(String(30), index=True)
    agency_code: Mapped[str | None] = mapped_column(String(30), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(2048))
    countries: Mapped[list[str]] = mapped_column(CountryList, default=list)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    search: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed("to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(description, ''))", persisted=True),
        deferred=True,
    )

    __table_args__ = (
        enum_check("partner_type", PartnerType),
        Index("ix_partners_countries", "countries", postgresql_using="gin"),
        Index("ix_partners_search", "search", postgresql_using="gin"),
    )
