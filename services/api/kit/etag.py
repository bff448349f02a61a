"""ETags from record versions, and the If-Match precondition."""

from typing import Annotated

from fastapi import Depends, Header, Request, Response

from shared.errors import ValidationFailed


def etag_for(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


async def _if_match(
    if_match: Annotated[
        str | None,
        Header(description='The ETag you read (e.g. `"3"`); a stale one answers 412.', max_length=200),
    ] = None,
) -> int | None:
    if if_match is None:
        return None
    candidate = if_match.strip()
    if candidate == "*":
        return None
    candidate = candidate.removeprefix("W/").strip('"')
    if not candidate.isdigit():
        raise ValidationFailed('If-Match must be an ETag this server issued, like "3"')
    return int(candidate)


IfMatch = Annotated[int | None, Depends(_if_match)]


def _listed(header: str, etag: str) -> bool:
    """Whether an If-None-Match header names `etag` (weak or strong, as RFC 9110 compares for GET) or is `*`."""
    if header.strip() == "*":
        return True
    plain = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == plain for candidate in header.split(","))


def not_modified(request: Request, response: Response) -> Response | None:
    """For a GET answered with an ETag the client already holds (If-None-Match): a bodiless 304 instead."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return None
    etag = response.headers.get("etag")
    header = request.headers.get("if-none-match")
    if etag is None or header is None or not _listed(header, etag):
        return None
    kept = {name: value for name, value in response.headers.items() if name in ("etag", "cache-control", "vary")}
    return Response(status_code=304, headers=kept)
