"""/v1/exports: commitments, matches and reports as streamed CSV; commitments as IATI 2.03 activity XML."""

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from services.api.auth.dependencies import RecordReader
from services.api.deps import DbSession
from services.api.exports import repository, service
from services.api.exports.repository import CommitmentFilters, MatchFilters, ReportFilters
from services.api.kit.problems import COMMON_PROBLEMS
from services.api.kit.routing import TransactionalRoute
from shared.enums import CommitmentStatus, FocusArea, Initiative, MatchStatus
from shared.errors import ValidationFailed
from shared.validation import CountryCode

router = APIRouter(prefix="/v1/exports", tags=["exports"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS)

CSV_NOTE = (
    " Streamed as `text/csv` (UTF-8, a header row, RFC 4180 quoting); lists are joined with `;`, objects"
    " are JSON. A text cell that a spreadsheet would read as a formula (starting with = + - @, tab or"
    " carriage return) is prefixed with a single quote. A scoped key exports its own organisation's"
    " records only."
)


def _csv(content: Any, filename: str) -> StreamingResponse:
    return StreamingResponse(
        content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


async def _commitment_filters(
    focus_area: Annotated[FocusArea | None, Query()] = None,
    country: Annotated[CountryCode | None, Query()] = None,
    initiative: Annotated[Initiative | None, Query()] = None,
    status: Annotated[CommitmentStatus | None, Query()] = None,
    business_id: Annotated[uuid.UUID | None, Query()] = None,
) -> CommitmentFilters:
    return CommitmentFilters(
        focus_area=focus_area.value if focus_area else None,
        country=country,
        initiative=initiative.value if initiative else None,
        status=status.value if status else None,
        business_id=business_id,
    )


async def _match_filters(
    status: Annotated[MatchStatus | None, Query()] = None,
    partner_id: Annotated[uuid.UUID | None, Query()] = None,
    business_id: Annotated[uuid.UUID | None, Query()] = None,
    commitment_id: Annotated[uuid.UUID | None, Query()] = None,
    program_id: Annotated[uuid.UUID | None, Query()] = None,
    min_score: Annotated[float | None, Query(ge=0, le=1)] = None,
) -> MatchFilters:
    return MatchFilters(
        status=status.value if status else None,
        partner_id=partner_id,
        business_id=business_id,
        commitment_id=commitment_id,
        program_id=program_id,
        min_score=min_score,
    )


async def _report_filters(
    commitment_id: Annotated[uuid.UUID | None, Query()] = None,
    business_id: Annotated[uuid.UUID | None, Query()] = None,
    date_from: Annotated[date | None, Query(alias="from", description="Periods ending on or after.")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Periods ending on or before.")] = None,
    include_replaced: Annotated[bool, Query(description="Also the reports later ones replaced.")] = False,
) -> ReportFilters:
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed("`from` must be on or before `to`", extra={"field": "query.from"})
    return ReportFilters(commitment_id, business_id, date_from, date_to, include_replaced)


CommitmentQuery = Annotated[CommitmentFilters, Depends(_commitment_filters)]


def _sessionmaker(request: Request) -> Any:
    return request.app.state.sessionmaker


@router.get(
    "/commitments.csv",
    summary="Commitments as CSV",
    description="One row per commitment, with its business's name." + CSV_NOTE,
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
async def commitments_csv(request: Request, caller: RecordReader, filters: CommitmentQuery) -> StreamingResponse:
    content = service.stream(
        _sessionmaker(request),
        caller,
        repository.commitments(filters),
        service.commitment_rows,
        head=service.header(service.COMMITMENT_COLUMNS),
    )
    return _csv(content, "commitments.csv")


@router.get(
    "/matches.csv",
    summary="Matches as CSV, one column per score component",
    description="One row per match; each score component is a `component_<name>` column." + CSV_NOTE,
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
async def matches_csv(
    request: Request,
    session: DbSession,
    caller: RecordReader,
    filters: Annotated[MatchFilters, Depends(_match_filters)],
) -> StreamingResponse:
    components = await repository.component_names(session, filters)
    content = service.stream(
        _sessionmaker(request),
        caller,
        repository.matches(filters),
        service.match_renderer(components),
        head=service.header(service.match_header(components)),
    )
    return _csv(content, "matches.csv")


@router.get(
    "/reports.csv",
    summary="Impact reports as CSV, one column per indicator",
    description="One row per current report (with `include_replaced`, the history too); one column per"
    " catalogue indicator, empty where the report did not include it." + CSV_NOTE,
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
async def reports_csv(
    request: Request, caller: RecordReader, filters: Annotated[ReportFilters, Depends(_report_filters)]
) -> StreamingResponse:
    content = service.stream(
        _sessionmaker(request),
        caller,
        repository.reports(filters),
        service.report_rows,
        head=service.header(service.REPORT_COLUMNS),
    )
    return _csv(content, "reports.csv")


@router.get(
    "/commitments.iati.xml",
    summary="Commitments as IATI 2.03 activities",
    description=(
        "An `iati-activities` document (IATI Activity Standard 2.03) with one `iati-activity` per"
        " commitment: the business as funding and implementing organisation (private sector), status"
        " mapped to the IATI ActivityStatus codelist, recipient countries and focus areas (sector"
        " vocabulary 99) with equal percentages, the pledge as an outgoing-commitment transaction and"
        " each current report's dollars deployed as a disbursement. Valid against the 2.03 schema"
        " whenever at least one commitment is exported (the schema requires one activity or more)."
    ),
    response_class=StreamingResponse,
    responses={200: {"content": {"application/xml": {}}}},
)
async def commitments_iati(request: Request, caller: RecordReader, filters: CommitmentQuery) -> StreamingResponse:
    content = service.stream(
        _sessionmaker(request),
        caller,
        repository.with_disbursements(repository.commitments(filters)),
        service.iati_rows,
        head=service.iati_head(),
        tail=service.IATI_TAIL,
    )
    return StreamingResponse(
        content,
        media_type="application/xml",
        headers={
            "Content-Disposition": 'attachment; filename="commitments.iati.xml"',
            "Cache-Control": "no-store",
        },
    )
