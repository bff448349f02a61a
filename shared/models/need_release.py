"""NeedRelease: one import of need indicator values (a version); values it brought point to it."""

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.clock import utc_now
from shared.db.base import Model


class NeedRelease(Model):
    """A release adds values and supersedes older values of the same unit, indicator and year;
    it never deletes or rewrites them, so every figure ever served can be traced to its release."""

    __tablename__ = "need_releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    label: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0, doc="values for a unit, indicator and year new to Puente")
    revised: Mapped[int] = mapped_column(Integer, default=0, doc="values that superseded an earlier release's")
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
