"""NeedValue: one indicator's value for one unit and year, from one source, as one release gave it."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, Index, Integer, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Model


class NeedValue(Model):
    """Current while `superseded_by` is null; a later release's value for the same unit, indicator
    and year supersedes it (at most one current value per key: a partial unique index)."""

    __tablename__ = "need_values"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(ForeignKey("need_indicators.code"))
    year: Mapped[int] = mapped_column(SmallInteger)
    value: Mapped[float] = mapped_column(Float)
    source_id: Mapped[str] = mapped_column(String(120))
    release_id: Mapped[int] = mapped_column(ForeignKey("need_releases.id"), index=True)
    superseded_by: Mapped[int | None] = mapped_column(Integer, ForeignKey("need_releases.id"))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index(
            "ux_need_values_current",
            "region_id",
            "indicator",
            "year",
            unique=True,
            postgresql_where=text("superseded_by IS NULL"),
        ),
        Index("ix_need_values_indicator_region", "indicator", "region_id"),
    )
