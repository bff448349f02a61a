"""/v1/exports: commitments, matches and reports as streamed CSV; commitments as IATI 2.03 activity XML."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from services.api.auth.dependencies import RecordReader
from services.api.deps import DbSession
from services.api.exports import repository, service
from services.api.exports.schemas import CommitmentFilters, MatchFilters, ReportFilters
from services.api.kit.problems import COMMON_PROBLEMS
from services.api.kit.query import query
from services.api.kit.routing import TransactionalRoute

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


CommitmentQuery = Annotated[CommitmentFilters, Depends(query(CommitmentFilters))]


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
    filters: Annotated[MatchFilters, Depends(query(MatchFilters))],
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
    request: Request, caller: RecordReader, filters: Annotated[ReportFilters, Depends(query(ReportFilters))]
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
