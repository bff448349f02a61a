"""Queries on commitments."""

from sqlalchemy import Text, bindparam, func, select

from services.api.kit.pagination import Listing, SortKey, holds
from shared.models import Commitment
from shared.regions.lookup import within

#: GET /v1/commitments: each condition binds the filter of its name (see CommitmentFilters).
LISTING = Listing(
    select(Commitment),
    sort=[SortKey(Commitment.created_at), SortKey(Commitment.id)],
    conditions={
        "business_id": Commitment.business_id == bindparam("business_id"),
        "status": Commitment.status == bindparam("status"),
        "initiative": Commitment.initiative == bindparam("initiative"),
        "focus_area": holds(Commitment.focus_areas, "focus_area"),
        "country": holds(Commitment.countries, "country"),
        "region": within(Commitment.regions),
        "need": holds(Commitment.needs, "need"),
        "announced_from": Commitment.announced_on >= bindparam("announced_from"),
        "announced_to": Commitment.announced_on <= bindparam("announced_to"),
        "min_amount": Commitment.amount_usd >= bindparam("min_amount"),
        "max_amount": Commitment.amount_usd <= bindparam("max_amount"),
        "q": Commitment.search.op("@@")(func.websearch_to_tsquery("simple", bindparam("q", type_=Text))),
    },
)
