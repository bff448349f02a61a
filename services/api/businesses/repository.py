"""Queries on businesses."""

from sqlalchemy import Text, bindparam, func, or_, select

from services.api.kit.pagination import Listing, SortKey, holds
from shared.models import Business

_q = bindparam("q", type_=Text)

#: GET /v1/businesses: each condition binds the filter of its name (see BusinessFilters).
LISTING = Listing(
    select(Business),
    sort=[SortKey(Business.created_at), SortKey(Business.id)],
    conditions={
        "country": holds(Business.countries, "country"),
        "hq_country": Business.hq_country == bindparam("hq_country"),
        "size": Business.size == bindparam("size"),
        "sector": holds(Business.sectors, "sector"),
        "women_led": Business.women_led == bindparam("women_led"),
        "indigenous_led": Business.indigenous_led == bindparam("indigenous_led"),
        "q": or_(Business.search.op("@@")(func.websearch_to_tsquery("simple", _q)), Business.aliases.any_() == _q),
    },
)
