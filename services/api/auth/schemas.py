"""Request and response shapes of /v1/api-keys."""

import uuid

from pydantic import Field

from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import Role
from shared.validation import InputModel, ShortText


class ApiKeyCreate(InputModel):
    name: ShortText = Field(examples=["CRM sync"])
    role: Role
    organization_id: uuid.UUID | None = Field(
        None, description="The partner or business this key speaks for; required for those roles only."
    )


class ApiKeyRead(ApiModel):
    id: uuid.UUID
    name: str
    prefix: str = Field(description="The key's first characters, to recognise it.")
    role: Role
    organization_id: uuid.UUID | None
    created_at: UtcDateTime
    last_used_at: UtcDateTime | None
    revoked_at: UtcDateTime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The API key itself. Shown in this response only: store it now.")
