"""Request and response shapes of /v1/contacts."""

import uuid
from typing import Annotated, Self

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from services.api.kit.query import QueryModel
from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import Language
from shared.validation import InputModel, no_nul, unique_list

Name = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(no_nul)]
JobTitle = Annotated[str, StringConstraints(max_length=200), AfterValidator(no_nul)]
Email = Annotated[
    str, StringConstraints(max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", to_lower=True), AfterValidator(no_nul)
]
Phone = Annotated[str, StringConstraints(max_length=50, pattern=r"^[0-9+()./ -]*$")]
Languages = Annotated[list[Language], Field(max_length=2), AfterValidator(unique_list)]


class ContactCreate(InputModel):
    partner_id: uuid.UUID | None = Field(None, description="The partner this person works at (or business_id).")
    business_id: uuid.UUID | None = Field(None, description="The business this person works at (or partner_id).")
    name: Name = Field(examples=["Ana Lucía Pérez"])
    role: JobTitle | None = Field(None, description="Their job at the organisation.", examples=["Investment officer"])
    email: Email | None = None
    phone: Phone | None = None
    languages: Languages = Field(default_factory=list, description="Languages they read: es, en.")

    @model_validator(mode="after")
    def _one_organisation(self) -> Self:
        if self.partner_id is not None and self.business_id is not None:
            raise ValueError("name either partner_id or business_id, not both")
        return self


class ContactUpdate(InputModel):
    name: Name | None = None
    role: JobTitle | None = None
    email: Email | None = None
    phone: Phone | None = None
    languages: Languages | None = None


class ContactFilters(QueryModel):
    partner_id: uuid.UUID | None = None
    business_id: uuid.UUID | None = None


class ContactRead(ApiModel):
    id: uuid.UUID
    partner_id: uuid.UUID | None
    business_id: uuid.UUID | None
    name: str
    role: str | None
    email: str | None
    phone: str | None
    languages: list[Language]
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
