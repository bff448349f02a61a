"""Input field types and the base input model shared by the API and the inbound-webhook worker."""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from shared.countries import ISO_COUNTRIES
from shared.errors import ValidationFailed

T = TypeVar("T")


class InputModel(BaseModel):
    """Request shapes: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def unique_list(values: list[T]) -> list[T]:
    """Keep the first of each repeated value, in order."""
    return list(dict.fromkeys(values))


def _known_country(code: str) -> str:
    if code not in ISO_COUNTRIES:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


CountryCode = Annotated[
    str,
    StringConstraints(to_upper=True, min_length=2, max_length=2),
    AfterValidator(_known_country),
    Field(examples=["GT"]),
]


def no_nul(value: str) -> str:
    """PostgreSQL text cannot hold NUL: refuse it as bad input instead of failing in the database."""
    if "\x00" in value:
        raise ValueError("must not contain NUL (\\u0000) characters")
    return value


ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(no_nul)]
LongText = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(no_nul)]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(no_nul)]
Url = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https?://[^\s]+$"), AfterValidator(no_nul)]
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(no_nul)]
#: A free-text query parameter (`q`, a sector): no NUL, which PostgreSQL cannot compare.
NO_NUL_PATTERN = r"^[^\x00]*$"
Countries = Annotated[list[CountryCode], Field(max_length=60), AfterValidator(unique_list)]
Tags = Annotated[list[Tag], Field(max_length=50), AfterValidator(unique_list)]


def _json_number(value: object) -> object:
    """Numbers only: a string or a boolean is a wrong type, not something to coerce."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a JSON number")
    return value


def _to_cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


#: Largest amount of money any field accepts (ten trillion dollars): beyond is a typo.
MAX_USD = Decimal(10) ** 13

#: US dollars: a JSON number in (rounded to cents), an exact Decimal in the database, a JSON number out.
UsdAmount = Annotated[
    Decimal,
    BeforeValidator(_json_number),
    Field(ge=0, le=MAX_USD, allow_inf_nan=False),
    AfterValidator(_to_cents),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(MAX_USD)}),
]
#: A non-negative JSON number (a target, a baseline); strings and booleans are refused.
NonNegativeNumber = Annotated[
    int | float,
    BeforeValidator(_json_number),
    Field(ge=0, le=1e12, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1e12}),
]


def refuse_nulls(changes: Mapping[str, object], nullable: frozenset[str]) -> None:
    """A partial update may clear only the fields that can be empty; the rest must keep a value."""
    for field, value in changes.items():
        if value is None and field not in nullable:
            raise ValidationFailed(f"{field} cannot be null", extra={"field": f"body.{field}"})
