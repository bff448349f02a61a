"""The only place errors become HTTP: everything answers application/problem+json."""

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.api.kit.problems import PROBLEM_MEDIA_TYPE
from shared.db.reader import ReadFailed
from shared.errors import Conflict, PreconditionFailed, PuenteError, ValidationFailed

log = structlog.get_logger(__name__)


def problem(request: Request, status: int, title: str, detail: str, code: str, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:puente:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
    }
    headers: dict[str, str] = {}
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra["retry_after"])
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    body.update({k: v for k, v in extra.items() if k not in body})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _field_path(location: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in location)


def _validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "field": _field_path(e.get("loc", ())),
            "message": str(e.get("msg", "invalid")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]


_PROBLEM_MEMBERS = frozenset({"type", "title", "status", "detail", "code", "instance", "request", "request_id"})


async def _puente_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PuenteError)
    # an error's extras never override the problem's own members (InvalidTransition carries a `status`)
    extra = {k: v for k, v in exc.extra.items() if k not in _PROBLEM_MEMBERS}
    if isinstance(exc, ValidationFailed) and "errors" not in extra:
        extra["errors"] = [{"field": extra.pop("field", "body"), "message": exc.detail, "type": exc.code}]
    return problem(request, exc.status, exc.title, exc.detail, exc.code, **extra)


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(list(exc.errors()))
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return problem(request, 422, "Validation failed", summary or "invalid input", "validation-failed", errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    titles = {404: "Not found", 405: "Method not allowed", 401: "Unauthorized", 400: "Bad request"}
    title = titles.get(exc.status_code, "HTTP error")
    detail = exc.detail if isinstance(exc.detail, str) else title
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no such path: {request.url.path}"
    response = problem(request, exc.status_code, title, detail, title.lower().replace(" ", "-"))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _stale(request: Request, exc: Exception) -> JSONResponse:
    error = PreconditionFailed("the record changed while this request was being handled; read it again")
    return await _puente_error(request, error)


async def _integrity(request: Request, exc: Exception) -> JSONResponse:
    log.info("integrity error answered as conflict", error=str(getattr(exc, "orig", exc))[:300])
    return await _puente_error(request, Conflict("the change conflicts with existing data"))


async def _database(request: Request, exc: Exception) -> JSONResponse:
    log.error("database error", exc_info=exc)
    return problem(request, 503, "Service unavailable", "the database could not complete the request", "unavailable")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error", exc_info=exc)
    return problem(request, 500, "Internal error", "something went wrong on our side", "internal")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PuenteError, _puente_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(DBAPIError, _database)
    app.add_exception_handler(ReadFailed, _database)
    app.add_exception_handler(Exception, _unexpected)
