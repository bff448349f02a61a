"""Queries on partners."""

from sqlalchemy import Text, bindparam, func, or_, select

from services.api.kit.pagination import Listing, SortKey, holds
from shared.models import Partner

_q = bindparam("q", type_=Text)

#: GET /v1/partners: each condition binds the filter of its name (see PartnerFilters).
LISTING = Listing(
    select(Partner),
    sort=[SortKey(Partner.created_at), SortKey(Partner.id)],
    conditions={
        "partner_type": Partner.partner_type == bindparam("partner_type"),
        "country": holds(Partner.countries, "country"),
        "agency_code": func.lower(Partner.agency_code) == func.lower(bindparam("agency_code", type_=Text)),
        "q": or_(
            Partner.search.op("@@")(func.websearch_to_tsquery("simple", _q)),
            func.lower(Partner.agency_code) == func.lower(_q),
        ),
    },
)
