"""Queries on businesses."""

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

from shared.models import Business


@dataclass(frozen=True)
class BusinessFilters:
    country: str | None = None
    hq_country: str | None = None
    size: str | None = None
    sector: str | None = None
    women_led: bool | None = None
    indigenous_led: bool | None = None
    q: str | None = None


def listing(filters: BusinessFilters) -> Select[Business]:
    statement = select(Business)
    if filters.country:
        statement = statement.where(Business.countries.contains([filters.country]))
    if filters.hq_country:
        statement = statement.where(Business.hq_country == filters.hq_country)
    if filters.size:
        statement = statement.where(Business.size == filters.size)
    if filters.sector:
        statement = statement.where(Business.sectors.contains([filters.sector]))
    if filters.women_led is not None:
        statement = statement.where(Business.women_led.is_(filters.women_led))
    if filters.indigenous_led is not None:
        statement = statement.where(Business.indigenous_led.is_(filters.indigenous_led))
    if filters.q:
        statement = statement.where(
            or_(
                Business.search.op("@@")(func.websearch_to_tsquery("simple", filters.q)),
                Business.aliases.any_() == filters.q,
            )
        )
    return statement
