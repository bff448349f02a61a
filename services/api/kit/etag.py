"""ETags from record versions, and the If-Match precondition."""

from typing import Annotated

from fastapi import Depends, Header, Response

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
