"""Queries on impact reports."""

import uuid

from sqlalchemy import Select, select

from shared.models import ImpactReport


def listing(commitment_id: uuid.UUID, *, include_replaced: bool) -> Select[ImpactReport]:
    statement = select(ImpactReport).where(ImpactReport.commitment_id == commitment_id)
    if not include_replaced:
        statement = statement.where(ImpactReport.replaced_at.is_(None))
    return statement
