"""Queries on partners."""

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

from shared.models import Partner


@dataclass(frozen=True)
class PartnerFilters:
    partner_type: str | None = None
    country: str | None = None
    agency_code: str | None = None
    q: str | None = None


def listing(filters: PartnerFilters) -> Select[Partner]:
    statement = select(Partner)
    if filters.partner_type:
        statement = statement.where(Partner.partner_type == filters.partner_type)
    if filters.country:
        statement = statement.where(Partner.countries.contains([filters.country]))
    if filters.agency_code:
        statement = statement.where(func.lower(Partner.agency_code) == filters.agency_code.lower())
    if filters.q:
        statement = statement.where(
            or_(
                Partner.search.op("@@")(func.websearch_to_tsquery("simple", filters.q)),
                func.lower(Partner.agency_code) == filters.q.lower(),
            )
        )
    return statement
