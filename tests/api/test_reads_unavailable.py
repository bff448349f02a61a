"""When the read pool cannot reach the database, reads answer 503 problem+json, not a 500."""

import uuid

import httpx
from fastapi import FastAPI

from shared.db.reader import Reader
from tests.api.conftest import Keys, assert_problem


async def test_reads_answer_503_while_the_database_is_unreachable(
    client: httpx.AsyncClient, keys: Keys, app: FastAPI, closed_reader: Reader
) -> None:
    working = app.state.reader
    app.state.reader = closed_reader
    try:
        for path in (f"/v1/businesses/{uuid.uuid4()}", "/v1/businesses?country=GT", "/v1/programs"):
            body = assert_problem(await client.get(path, headers=keys.admin), 503)
            assert body["type"] == "urn:puente:problem:unavailable"
    finally:
        app.state.reader = working
    assert (await client.get("/v1/businesses", headers=keys.admin)).status_code == 200
