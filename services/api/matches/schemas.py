"""Request and response shapes of /v1/matches and its decisions."""

import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from services.api.kit.query import QueryModel
from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import MatchAction, MatchOutcome, MatchStatus
from shared.validation import InputModel

Reason = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class MatchSort(StrEnum):
    SCORE = "score"
    CREATED_AT = "created_at"


class SortOrder(StrEnum):
    DESC = "desc"
    ASC = "asc"


class MatchQuery(QueryModel):
    status: list[MatchStatus] | None = Field(None, description="Repeat to select several statuses.")
    partner_id: uuid.UUID | None = None
    business_id: uuid.UUID | None = None
    commitment_id: uuid.UUID | None = None
    program_id: uuid.UUID | None = None
    run_id: uuid.UUID | None = Field(None, description="Matches written by this run.")
    min_score: float | None = Field(None, ge=0.0, le=1.0, description="Score at least this.")
    sort: MatchSort = Field(MatchSort.SCORE, description="score (default) or created_at.")
    order: SortOrder = Field(SortOrder.DESC, description="desc (default) or asc.")


class MatchDecisionCreate(InputModel):
    action: MatchAction = Field(description="approve, decline, introduce or record_outcome.")
    reason: Reason | None = Field(None, description="Why; required to decline.", examples=["Ticket size too small"])
    outcome: MatchOutcome | None = Field(
        None, description="With record_outcome only: partnership_formed or no_partnership."
    )


class MatchDecisionRead(ApiModel):
    id: uuid.UUID
    match_id: uuid.UUID
    action: MatchAction
    from_status: MatchStatus
    to_status: MatchStatus
    reason: str | None
    outcome: MatchOutcome | None
    actor_role: str
    actor_key_id: uuid.UUID | None
    created_at: UtcDateTime


class MatchRead(ApiModel):
    id: uuid.UUID
    commitment_id: uuid.UUID
    program_id: uuid.UUID
    partner_id: uuid.UUID
    business_id: uuid.UUID
    score: float = Field(description="In [0, 1]; higher is a better introduction.")
    components: dict[str, float] = Field(description="Each scoring component by name, in [0, 1].")
    reasons: list[str] = Field(description="Why this introduction, in plain words.")
    status: MatchStatus
    run_id: uuid.UUID | None
    model_version: str
    decided_at: UtcDateTime | None
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime


class MatchDetail(MatchRead):
    decisions: list[MatchDecisionRead] = Field(description="Every decision taken on this match, oldest first.")
