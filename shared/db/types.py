"""Column types and constraint helpers used across the models."""

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import CheckConstraint, Numeric, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

CountryCode = String(2)
CountryList = ARRAY(String(2))
CodeList = ARRAY(Text)
Json = JSONB(none_as_null=True)


#: US dollars with cents, as an exact decimal.
Usd = Numeric(18, 2)


def enum_check(column: str, enum: type[StrEnum], name: str | None = None) -> CheckConstraint:
    """CHECK that a text column holds one of the enum's codes."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{column} IN ({values})", name=name or f"{column}_valid")


def enum_array_check(column: str, enum: type[StrEnum], name: str | None = None) -> CheckConstraint:
    """CHECK that every element of a text[] column is one of the enum's codes."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{column} <@ ARRAY[{values}]::text[]", name=name or f"{column}_valid")


def codes(values: Iterable[StrEnum]) -> list[str]:
    return [value.value for value in values]
