"""Queries on regions and their indicator values (reference data: the same for every caller).

The statements for one region bind its id as `region_id`, so the Reader builds each once.
"""

from typing import Any

from sqlalchemy import Text, bindparam, select

from services.api.kit.pagination import Listing, SortKey
from shared.models import NeedRelease, NeedValue, Region

#: GET /v1/regions: each condition binds the filter of its name (see RegionFilters); `q` arrives
#: folded, its own LIKE wildcards escaped, as a `%…%` pattern.
LISTING = Listing(
    select(Region),
    sort=[SortKey(Region.id)],
    conditions={
        "country": Region.country == bindparam("country"),
        "level": Region.level == bindparam("level"),
        "parent": Region.parent_id == bindparam("parent"),
        "q": Region.name_folded.like(bindparam("q", type_=Text), escape="\\"),
    },
)


def boundary() -> Any:
    return select(Region.boundary).where(Region.id == bindparam("region_id"))


def children() -> Any:
    return (
        select(Region.id, Region.name, Region.level)
        .where(Region.parent_id == bindparam("region_id"))
        .order_by(Region.id)
    )


def latest_values() -> Any:
    """The region's current value of each indicator, of the latest year, with its release."""
    return (
        select(
            NeedValue.indicator,
            NeedValue.year,
            NeedValue.value,
            NeedValue.source_id,
            NeedValue.release_id,
            NeedRelease.label.label("release_label"),
        )
        .join(NeedRelease, NeedRelease.id == NeedValue.release_id)
        .where(NeedValue.region_id == bindparam("region_id"), NeedValue.superseded_by.is_(None))
        .order_by(NeedValue.indicator, NeedValue.year.desc())
        .distinct(NeedValue.indicator)
    )


def region() -> Any:
    return select(Region).where(Region.id == bindparam("region_id"))


def reference() -> Any:
    return select(Region.id, Region.name, Region.level).where(Region.id == bindparam("region_id"))
