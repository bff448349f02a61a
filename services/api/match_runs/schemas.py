"""Request and response shapes of /v1/match-runs."""

import uuid
from typing import Any, Literal

from pydantic import Field, model_validator

from services.api.kit.query import QueryModel
from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import RunStatus
from shared.validation import InputModel, unique_list

MAX_SCOPED_IDS = 1000


class MatchRunFilters(QueryModel):
    status: RunStatus | None = None
    trigger: str | None = Field(None, max_length=20, description="api, change or schedule.")


class MatchRunCreate(InputModel):
    """Either `{"scope": "all"}` or `{"commitment_ids": [...], "program_ids": [...]}` (at least one id)."""

    scope: Literal["all"] | None = Field(None, description="`all`: score every commitment against every program.")
    commitment_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_SCOPED_IDS)
    program_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_SCOPED_IDS)

    @model_validator(mode="after")
    def _one_scope(self) -> "MatchRunCreate":
        has_ids = bool(self.commitment_ids or self.program_ids)
        if self.scope == "all" and has_ids:
            raise ValueError('send either "scope": "all" or commitment_ids/program_ids, not both')
        if self.scope is None and not has_ids:
            raise ValueError('send "scope": "all" or at least one of commitment_ids, program_ids')
        self.commitment_ids = unique_list(self.commitment_ids)
        self.program_ids = unique_list(self.program_ids)
        return self

    def scope_document(self) -> dict[str, Any]:
        """The run's stored scope."""
        if self.scope == "all":
            return {"all": True}
        return {
            "commitment_ids": [str(i) for i in self.commitment_ids],
            "program_ids": [str(i) for i in self.program_ids],
        }


class MatchRunRead(ApiModel):
    id: uuid.UUID
    scope: dict[str, Any] = Field(description='{"all": true} or {"commitment_ids": [...], "program_ids": [...]}')
    trigger: str = Field(description="api, change or schedule.")
    status: RunStatus
    requested_by: str | None
    counts: dict[str, Any] = Field(description="What the run did: proposed, superseded, kept, scored, …")
    error: str | None
    model_version: str | None
    attempts: int
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    duration_ms: int | None
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
