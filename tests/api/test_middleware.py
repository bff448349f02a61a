"""The ASGI layer around every request: request ids, refusals before the app, Prometheus counts."""

import re

import httpx

from tests.api.conftest import Keys, assert_problem


def _count(exposition: str, method: str, route: str, status: int) -> float:
    pattern = rf'^puente_http_requests_total\{{method="{method}",route="{re.escape(route)}",status="{status}"\}} (\S+)$'
    found = re.search(pattern, exposition, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def _metrics(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200
    return response.text


async def test_every_answer_carries_the_request_id(client: httpx.AsyncClient, keys: Keys) -> None:
    minted = await client.get("/v1/businesses", headers=keys.admin)
    assert re.fullmatch(r"[0-9a-f]{32}", minted.headers["x-request-id"])
    given = await client.get("/v1/businesses/not-a-uuid", headers={**keys.admin, "X-Request-Id": "trace-42"})
    assert given.headers["x-request-id"] == "trace-42"
    assert assert_problem(given, 422)["request_id"] == "trace-42"
    too_long = await client.get("/healthz", headers={"X-Request-Id": "x" * 65})
    assert too_long.headers["x-request-id"] != "x" * 65


async def test_refusals_before_the_app_are_problems_with_an_id_and_are_counted(
    client: httpx.AsyncClient, keys: Keys
) -> None:
    before = await _metrics(client)
    huge = await client.post(
        "/v1/businesses",
        content=b"{}",
        headers={**keys.admin, "Content-Type": "application/json", "Content-Length": "999999999"},
    )
    assert assert_problem(huge, 413)["request_id"] == huge.headers["x-request-id"]
    not_json = await client.post(
        "/v1/businesses", content=b"name=x", headers={**keys.admin, "Content-Type": "text/plain"}
    )
    assert_problem(not_json, 415)
    after = await _metrics(client)
    assert _count(after, "POST", "unmatched", 413) == _count(before, "POST", "unmatched", 413) + 1
    assert _count(after, "POST", "unmatched", 415) == _count(before, "POST", "unmatched", 415) + 1


async def test_requests_are_counted_by_route_template_and_status(client: httpx.AsyncClient, keys: Keys) -> None:
    route = "/v1/businesses/{business_id}"
    before = await _metrics(client)
    assert (await client.get(f"/v1/businesses/{keys.business.id}", headers=keys.admin)).status_code == 200
    assert_problem(await client.get(f"/v1/businesses/{keys.partner.id}", headers=keys.admin), 404)
    # a method no client should send is counted as OTHER, so it cannot mint new label values
    brewed = await client.request("BREW", f"/v1/businesses/{keys.business.id}", headers=keys.admin)
    assert brewed.status_code == 405
    after = await _metrics(client)
    assert _count(after, "GET", route, 200) == _count(before, "GET", route, 200) + 1
    assert _count(after, "GET", route, 404) == _count(before, "GET", route, 404) + 1
    assert 'method="BREW"' not in after
    assert _count(after, "OTHER", route, 405) == _count(before, "OTHER", route, 405) + 1
