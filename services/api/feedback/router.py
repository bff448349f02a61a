"""POST /v1/commitments/feedback: what Puente can say about a draft commitment, without storing it."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from services.api.auth.dependencies import require
from services.api.deps import AppSettings, DbSession
from services.api.feedback import service
from services.api.feedback.schemas import Feedback
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.routing import TransactionalRoute
from services.api.regions.language import Language
from shared.actor import Actor
from shared.enums import Role
from shared.records.commitment import CommitmentCreate

router = APIRouter(
    prefix="/v1/commitments", tags=["commitments"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS
)

#: Those who draft commitments: the programme's staff, integrators, and a business for its own.
Drafter = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.INTEGRATOR, Role.BUSINESS))]


@router.post(
    "/feedback",
    summary="Feedback on a draft commitment (nothing is stored)",
    description=(
        "Takes the body of a commitment create, `regions` included, checks it by the same rules (422 for"
        " unknown regions or regions outside `countries`), stores nothing and answers with: `need` where it"
        " lands (each place's need index, the figures and sources it rests on, or that its need is unknown);"
        " `overlaps` (other working commitments on the same focus areas in the same places or places inside or"
        " around them: in full for admin, coordinator and integrator keys; for a business key its own in full"
        " and everyone else's as counts per place and focus area only); `checklist` (places named, a specific"
        " focus, measurable targets with catalogue codes, baselines, funding, timeline, a reporting plan, high"
        " need: passed, failed with what to do, or not applicable); `suggestions` (nearby municipalities with"
        " higher need and no commitment on the focus, targets set against the population, where data is"
        " missing). Deterministic: the same draft and data give the same answer. Sentences follow"
        " Accept-Language (es or en)."
    ),
    responses=problem_responses(404),
)
async def commitment_feedback(
    body: CommitmentCreate,
    request: Request,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    caller: Drafter,
    language: Language,
) -> Feedback:
    response.headers["Content-Language"] = language
    return await service.feedback(session, request.app.state.reader, caller, settings, body, language)
