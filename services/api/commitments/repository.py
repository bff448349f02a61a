"""Queries on commitments."""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, func, select

from shared.models import Commitment


@dataclass(frozen=True)
class CommitmentFilters:
    business_id: uuid.UUID | None = None
    status: str | None = None
    initiative: str | None = None
    focus_area: str | None = None
    country: str | None = None
    need: str | None = None
    announced_from: date | None = None
    announced_to: date | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    q: str | None = None


def listing(filters: CommitmentFilters) -> Select[Commitment]:
    statement = select(Commitment)
    if filters.business_id:
        statement = statement.where(Commitment.business_id == filters.business_id)
    if filters.status:
        statement = statement.where(Commitment.status == filters.status)
    if filters.initiative:
        statement = statement.where(Commitment.initiative == filters.initiative)
    if filters.focus_area:
        statement = statement.where(Commitment.focus_areas.contains([filters.focus_area]))
    if filters.country:
        statement = statement.where(Commitment.countries.contains([filters.country]))
    if filters.need:
        statement = statement.where(Commitment.needs.contains([filters.need]))
    if filters.announced_from is not None:
        statement = statement.where(Commitment.announced_on >= filters.announced_from)
    if filters.announced_to is not None:
        statement = statement.where(Commitment.announced_on <= filters.announced_to)
    if filters.min_amount is not None:
        statement = statement.where(Commitment.amount_usd >= filters.min_amount)
    if filters.max_amount is not None:
        statement = statement.where(Commitment.amount_usd <= filters.max_amount)
    if filters.q:
        statement = statement.where(Commitment.search.op("@@")(func.websearch_to_tsquery("simple", filters.q)))
    return statement
