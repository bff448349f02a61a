"""Business: a company or organisation that made investment commitments."""

from sqlalchemy import Boolean, Computed, Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Audited, Model, TenantScoped, Timestamps, UUIDPrimaryKey, Versioned
from shared.db.types import CodeList, CountryCode, CountryList, enum_check
from shared.enums import BusinessSize, Role


class Business(UUIDPrimaryKey, Timestamps, Versioned, TenantScoped, Audited, Model):
    __tablename__ = "businesses"
    __tenant_columns__ = {Role.BUSINESS: "id"}

    name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[list[str]] = mapped_column(CodeList, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(2048))
    hq_country: Mapped[str | None] = mapped_column(CountryCode, index=True)
    countries: Mapped[list[str]] = mapped_column(CountryList, default=list)
    sectors: Mapped[list[str]] = mapped_column(CodeList, default=list)
    size: Mapped[str | None] = mapped_column(String(20), index=True)
    women_led: Mapped[bool] = mapped_column(Boolean, default=False)
    indigenous_led: Mapped[bool] = mapped_column(Boolean, default=False)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    search: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed(
            "to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(description, ''))",
            persisted=True,
        ),
        deferred=True,
    )

    __table_args__ = (
        enum_check("size", BusinessSize),
        Index("ix_businesses_countries", "countries", postgresql_using="gin"),
        Index("ix_businesses_sectors", "sectors", postgresql_using="gin"),
        Index("ix_businesses_search", "search", postgresql_using="gin"),
    )
