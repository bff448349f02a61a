"""Base response schema and the UTC datetime type; input field types live in shared.validation."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict


class ApiModel(BaseModel):
    """Response shapes: built from ORM objects or from `shared.db.reader` rows."""

    model_config = ConfigDict(from_attributes=True)


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: Always UTC once validated, which pydantic writes with a `Z` suffix.
UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]
