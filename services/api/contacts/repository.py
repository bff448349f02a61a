"""Queries on contacts."""

from sqlalchemy import bindparam, select

from services.api.kit.pagination import Listing, SortKey
from shared.models import Contact

#: GET /v1/contacts: each condition binds the filter of its name (see ContactFilters).
LISTING = Listing(
    select(Contact),
    sort=[SortKey(Contact.name), SortKey(Contact.id)],
    conditions={
        "partner_id": Contact.partner_id == bindparam("partner_id"),
        "business_id": Contact.business_id == bindparam("business_id"),
    },
)
