"""Request and response shapes of /v1/matches and its decisions."""

import uuid
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from services.api.kit.query import QueryModel
from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import FocusArea, MatchAction, MatchOutcome, MatchStatus, PartnerAnswer
from shared.validation import CountryCode, InputModel

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
    country: CountryCode | None = Field(None, description="Matches of commitments in this country.")
    focus_area: FocusArea | None = Field(None, description="Matches of commitments in this focus area.")
    q: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="Words in the commitment's title or the company's, partner's or programme's name; "
        "case and accents ignored.",
    )
    sort: MatchSort = Field(MatchSort.SCORE, description="score (default) or created_at.")
    order: SortOrder = Field(SortOrder.DESC, description="desc (default) or asc.")


class MatchDecisionCreate(InputModel):
    action: MatchAction = Field(description="approve, decline, introduce or record_outcome.")
    reason: Reason | None = Field(None, description="Why; required to decline.", examples=["Ticket size too small"])
    outcome: MatchOutcome | None = Field(
        None, description="With record_outcome only: partnership_formed or no_partnership."
    )
    contact_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=20,
        description="With introduce only: the contacts of the company and of the partner who were put in touch.",
    )


class PartnerAnswerCreate(InputModel):
    answer: PartnerAnswer = Field(description="interested or not_interested.")
    reason: Reason | None = Field(None, description="Why; required when not interested.")


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
    actor_user_id: uuid.UUID | None = Field(description="The person who decided, when decided in the console.")
    actor_label: str | None = Field(description="Who decided, by name (a person, or an API key's name).")
    contact_ids: list[uuid.UUID] = Field(description="With introduce: the contacts who were put in touch.")
    created_at: UtcDateTime


class CommitmentRef(ApiModel):
    id: uuid.UUID
    title: str


class NamedRef(ApiModel):
    id: uuid.UUID
    name: str


class MatchRead(ApiModel):
    id: uuid.UUID
    commitment_id: uuid.UUID
    program_id: uuid.UUID
    partner_id: uuid.UUID
    business_id: uuid.UUID
    commitment: CommitmentRef
    business: NamedRef
    partner: NamedRef
    program: NamedRef
    score: float = Field(description="In [0, 1]; higher is a better introduction.")
    components: dict[str, float] = Field(description="Each scoring component by name, in [0, 1].")
    reasons: list[str] = Field(description="Why this introduction, in plain words.")
    status: MatchStatus
    run_id: uuid.UUID | None
    model_version: str
    decided_at: UtcDateTime | None
    partner_answer: PartnerAnswer | None = Field(description="The partner's answer to the proposal, if it gave one.")
    partner_answer_reason: str | None
    partner_answered_at: UtcDateTime | None
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime


class MatchDetail(MatchRead):
    decisions: list[MatchDecisionRead] = Field(description="Every decision taken on this match, oldest first.")


def match_read(row: Mapping[str, Any]) -> MatchRead:
    """A match read with its names (`repository.NAME_COLUMNS`) into the public shape."""
    return MatchRead.model_validate(
        {
            **row,
            "commitment": {"id": row["commitment_id"], "title": row["commitment_title"]},
            "business": {"id": row["business_id"], "name": row["business_name"]},
            "partner": {"id": row["partner_id"], "name": row["partner_name"]},
            "program": {"id": row["program_id"], "name": row["program_name"]},
        }
    )
