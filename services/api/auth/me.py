"""GET /v1/me: who is calling — how they authenticated, their role, organisation and language."""

import uuid
from enum import StrEnum
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from services.api.auth.dependencies import Caller
from services.api.auth.service import BOOTSTRAP_KEY_ID
from services.api.deps import CallerReads
from services.api.kit.language import negotiate
from services.api.kit.problems import COMMON_PROBLEMS
from services.api.kit.routing import TransactionalRoute
from shared.enums import Language, Role
from shared.models import Business, Partner

router = APIRouter(prefix="/v1/me", tags=["api keys"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS)


class CallerKind(StrEnum):
    API_KEY = "api_key"
    BOOTSTRAP_KEY = "bootstrap_key"


class OrganizationRef(BaseModel):
    id: uuid.UUID
    kind: Literal["partner", "business"]
    name: str


class MeRead(BaseModel):
    kind: CallerKind = Field(description="How the caller authenticated.")
    key_id: uuid.UUID | None = Field(description="The API key's id.")
    name: str = Field(description="The key's name.")
    role: Role
    organization: OrganizationRef | None = Field(description="The partner or business a scoped key speaks for.")
    language: Language = Field(description="The language answers are written in, from Accept-Language.")


@router.get("", summary="Who is calling: kind, role, organisation, language")
async def read_me(request: Request, caller: Caller) -> MeRead:
    organization = None
    if caller.organization_id is not None and caller.role in (Role.PARTNER, Role.BUSINESS):
        model = Partner if caller.role is Role.PARTNER else Business
        row = await CallerReads(request.app.state.reader, caller).visible(model, caller.organization_id)
        kind: Literal["partner", "business"] = "partner" if caller.role is Role.PARTNER else "business"
        organization = OrganizationRef(id=caller.organization_id, kind=kind, name=row["name"])
    bootstrap = caller.key_id == BOOTSTRAP_KEY_ID
    return MeRead(
        kind=CallerKind.BOOTSTRAP_KEY if bootstrap else CallerKind.API_KEY,
        key_id=None if bootstrap else caller.key_id,
        name=caller.label,
        role=caller.role,
        organization=organization,
        language=negotiate(request.headers.get("accept-language")),
    )
