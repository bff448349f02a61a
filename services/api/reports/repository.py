"""Queries on impact reports."""

import uuid
from typing import Any

from sqlalchemy import bindparam, select

from services.api.kit.pagination import Listing, SortKey
from shared.models import ImpactReport

#: A commitment's reports; `current` (no value) leaves out the ones a later report replaced.
LISTING = Listing(
    select(ImpactReport),
    sort=[SortKey(ImpactReport.created_at), SortKey(ImpactReport.id)],
    conditions={
        "commitment_id": ImpactReport.commitment_id == bindparam("commitment_id"),
        "current": ImpactReport.replaced_at.is_(None),
    },
)


def listing_filters(commitment_id: uuid.UUID, *, include_replaced: bool) -> dict[str, Any]:
    return {"commitment_id": commitment_id} | ({} if include_replaced else {"current": True})
