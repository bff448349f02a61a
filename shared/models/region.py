"""Region: an administrative unit (department, municipality, El Salvador's district) as reference data."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from shared.clock import utc_now
from shared.db.base import Model
from shared.db.types import Json, enum_check
from shared.enums import RegionLevel


class Region(Model):
    """One unit of the reference data; its id is its country and code (`GT-1301`).

    `lineage` holds the unit's own id and every ancestor's (`["GT-1301", "GT-13"]`), so "in
    Huehuetenango" is one array test over commitments' regions (`shared.regions.lookup`). An
    El Salvador district (a municipality before the 2024 reform) has the 2024 municipality as
    parent: that is the crosswalk. Not organisation-owned: every key reads the same regions.
    """

    __tablename__ = "regions"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    level: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    #: `shared.domain.identity.fold(name)`: what `q` is compared with (accents and case ignored).
    name_folded: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("regions.id"), index=True)
    lineage: Mapped[list[str]] = mapped_column(ARRAY(Text))
    iso_3166_2: Mapped[str | None] = mapped_column(String(6))
    population: Mapped[int | None] = mapped_column(BigInteger)
    population_year: Mapped[int | None] = mapped_column(Integer)
    population_source: Mapped[str | None] = mapped_column(String(120))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    centroid_source: Mapped[str | None] = mapped_column(String(120))
    #: A simplified GeoJSON geometry (WGS84) where a source gave one; for display, not for areas.
    boundary: Mapped[dict[str, Any] | None] = mapped_column(Json, deferred=True)
    source_id: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    __table_args__ = (
        enum_check("level", RegionLevel),
        CheckConstraint("id = country || '-' || code", name="id_is_country_code"),
        Index("ix_regions_country_level", "country", "level"),
        Index("ix_regions_lineage", "lineage", postgresql_using="gin"),
    )
