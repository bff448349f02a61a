"""/v1/maps/{subject}.svg: a choropleth of a country's departments or municipalities."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.api.auth.dependencies import Caller
from services.api.deps import AppSettings, DbSession
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.query import query
from services.api.kit.routing import TransactionalRoute
from services.api.maps.service import MapSubject, map_svg
from services.api.regions import service as regions
from services.api.regions.language import Language
from services.api.regions.schemas import FiguresQuery

router = APIRouter(prefix="/v1/maps", tags=["maps"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS)

#: An SVG holds text from the database: a browser opening it directly runs nothing and loads nothing.
SVG_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


@router.get(
    "/{subject}.svg",
    summary="A choropleth map as SVG",
    description=(
        "`need`: the need index (0 to 100); `committed_usd`, `commitments`: what commitments pledge where they"
        " land; `results`: the results reported (`metric`) where they landed, the highest-need fifth outlined and"
        " the share of results there in the subtitle. Units without data are hatched and counted as **no data**"
        " (a gap is never drawn as zero need); the notes say what is missing and what could not be placed, the"
        " last line gives the sources. Titles and legend follow Accept-Language (es or en). A scoped key's"
        " figures are its own commitments'. 404 where no boundaries are known (Honduras today; El Salvador's"
        " municipalities and districts)."
    ),
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, **problem_responses(404)},
)
async def get_map(
    subject: MapSubject,
    _caller: Caller,
    session: DbSession,
    settings: AppSettings,
    language: Language,
    query_: Annotated[FiguresQuery, Depends(query(FiguresQuery))],
) -> Response:
    found, need, note = await regions.figures(session, settings, query_, language, with_boundaries=True)
    focus = query_.focus_area.value if query_.focus_area else None
    svg = map_svg(subject, found, need, language=language, coverage_note=note, focus_area=focus)
    return Response(svg, media_type="image/svg+xml", headers={**SVG_HEADERS, "Content-Language": language})
