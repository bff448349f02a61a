"""NeedIndicator: the catalogue of need indicators (code, labels in Spanish and English, unit, direction)."""

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Model
from shared.db.types import enum_check
from shared.enums import NeedDirection


class NeedIndicator(Model):
    """`direction` says what a higher value means: more need, less need, or neither (`context`:
    counts and precision figures, shown but never part of the need index). `stands_in_for` names
    the indicator this one replaces where a unit lacks it (a department's survey estimate of
    poverty for the municipal model's)."""

    __tablename__ = "need_indicators"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    label_en: Mapped[str] = mapped_column(String(200))
    label_es: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(20))
    stands_in_for: Mapped[str | None] = mapped_column(ForeignKey("need_indicators.code"))
    description: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (enum_check("direction", NeedDirection),)
