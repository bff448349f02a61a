"""Queries on programs."""

import uuid
from dataclasses import dataclass

from sqlalchemy import Select, func, select

from shared.models import Program


@dataclass(frozen=True)
class ProgramFilters:
    partner_id: uuid.UUID | None = None
    focus_area: str | None = None
    country: str | None = None
    instrument: str | None = None
    active: bool | None = None
    q: str | None = None


def listing(filters: ProgramFilters) -> Select[Program]:
    statement = select(Program)
    if filters.partner_id:
        statement = statement.where(Program.partner_id == filters.partner_id)
    if filters.focus_area:
        statement = statement.where(Program.focus_areas.contains([filters.focus_area]))
    if filters.country:
        statement = statement.where(Program.countries.contains([filters.country]))
    if filters.instrument:
        statement = statement.where(Program.instruments.contains([filters.instrument]))
    if filters.active is not None:
        statement = statement.where(Program.active.is_(filters.active))
    if filters.q:
        statement = statement.where(Program.search.op("@@")(func.websearch_to_tsquery("simple", filters.q)))
    return statement
