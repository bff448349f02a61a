"""Idempotency-Key on POST: a repeat of the same request replays the first answer."""

from typing import Annotated

from fastapi import Depends, Header, Request

from services.api.auth.dependencies import Caller
from services.api.deps import DbSession
from services.api.kit.routing import Replay, find_replay, request_fingerprint


async def _idempotency(
    request: Request,
    session: DbSession,
    caller: Caller,
    idempotency_key: Annotated[
        str | None,
        Header(
            min_length=1,
            max_length=255,
            description="Any unique string; a repeat with the same key returns the first answer and creates nothing.",
        ),
    ] = None,
) -> str | None:
    if idempotency_key is None:
        return None
    owner = str(caller.key_id)
    fingerprint = await request_fingerprint(request)
    replayed = await find_replay(session, owner, idempotency_key, fingerprint)
    if replayed is not None:
        raise Replay(replayed)
    request.state.idempotency = (owner, idempotency_key, fingerprint)
    return idempotency_key


IdempotentPost = Annotated[str | None, Depends(_idempotency)]
