"""Region ids on records: their input type, the check against the reference regions, "within a region".

A record (commitment, programme) names the places it lands in by region id, department or
municipality; an El Salvador district id (a municipality before the 2024 reform) is accepted
too and kept as given, since its lineage reaches its 2024 municipality and department, so it
counts there in every filter, figure and map (that is the crosswalk).
"""

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from sqlalchemy import ColumnElement, Text, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.ext.asyncio import AsyncSession

from shared.errors import ValidationFailed
from shared.models import Region
from shared.validation import unique_list

#: `GT-13`, `GT-1301`, `SV-0614`: a country code, a hyphen, the unit's code.
REGION_ID_PATTERN = r"^[A-Z]{2}-[0-9]{2,6}$"


def _upper(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


RegionId = Annotated[
    str,
    BeforeValidator(_upper),
    StringConstraints(pattern=REGION_ID_PATTERN),
    Field(examples=["GT-1301"], description="A region id: country and code, e.g. `GT-13` or `GT-1301`."),
]
RegionIds = Annotated[list[RegionId], Field(max_length=100), AfterValidator(unique_list)]

_REGIONS_DOC = (
    "Region ids (`GT-13` a department, `GT-1301` a municipality; GET /v1/regions) where it lands, each in one"
    " of `countries` (left empty, `countries` is taken from them). El Salvador's pre-2024 municipalities"
    " (districts, e.g. `SV-0614`) are accepted and count in their 2024 municipality."
)


#: How every `region` filter reads, said once.
REGION_FILTER_DOC = (
    "Names this region or a place inside it: `GT-13` finds records in Huehuetenango or any of its"
    " municipalities; an El Salvador municipality finds its districts too."
)


def regions_field(**options: Any) -> Any:
    """The `regions` field of an input model, documented once."""
    return Field(description=_REGIONS_DOC, examples=[["GT-1301", "GT-1302"]], **options)


async def settle_regions(session: AsyncSession, regions: Sequence[str], countries: Sequence[str]) -> list[str]:
    """The countries to store with these regions: `countries` itself, or the regions' own when it is empty.

    Raises ValidationFailed naming every unknown id, or every region outside `countries`.
    """
    if not regions:
        return list(countries)
    rows = (await session.execute(select(Region.id, Region.country).where(Region.id.in_(list(regions))))).all()
    found = {row.id: row.country for row in rows}
    unknown = [region for region in regions if region not in found]
    if unknown:
        raise ValidationFailed(
            f"unknown region ids: {', '.join(unknown)} (see GET /v1/regions)", extra={"field": "body.regions"}
        )
    if not countries:
        return list(dict.fromkeys(found[region] for region in regions))
    outside = [f"{region} ({found[region]})" for region in regions if found[region] not in countries]
    if outside:
        raise ValidationFailed(
            f"regions outside the countries {', '.join(countries)}: {', '.join(outside)}",
            extra={"field": "body.regions"},
        )
    return list(countries)


def within(column: Any, name: str = "region", value: str | None = None) -> ColumnElement[bool]:
    """The array `column` names the region bound as `name` (or given as `value`), or a place inside it.

    The region's descendants (itself included) come from one uncorrelated subquery over the
    regions' lineage, so `&&` can use the column's GIN index; an unknown region selects nothing.
    """
    bound = bindparam(name, type_=Text) if value is None else bindparam(name, value, type_=Text)
    inside = (
        select(func.array_agg(cast(Region.id, Text)))
        .where(Region.lineage.contains(cast(array([bound]), ARRAY(Text))))
        .scalar_subquery()
    )
    condition: ColumnElement[bool] = column.overlap(inside)
    return condition


async def settle_changes(
    session: AsyncSession, values: dict[str, Any], regions: Sequence[str], countries: Sequence[str]
) -> None:
    """A change to a record's regions or countries, checked against the other as stored (see settle_regions).

    `values` are the column values about to be applied; countries filled from the regions are added there.
    """
    if "regions" not in values and "countries" not in values:
        return
    new_countries = values.get("countries", countries) or []
    settled = await settle_regions(session, values.get("regions", regions) or [], new_countries)
    if settled != list(new_countries):
        values["countries"] = settled
