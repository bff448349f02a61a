"""Decisions over plain HTTP (no JavaScript): stale versions, bad input, bulk decisions, who decided."""

import httpx

from tests.api.console.conftest import People, csrf_of, sign_in


async def test_stale_decision_answers_412_with_the_input_kept(
    browser_client: httpx.AsyncClient, people: People
) -> None:
    await sign_in(browser_client, "coordinator@example.org")
    match = people.matches[0]
    page = await browser_client.get(f"/console/matches/{match.id}")
    token = csrf_of(page.text)
    first = await browser_client.post(
        f"/console/matches/{match.id}/decide",
        data={"csrf_token": token, "version": "1", "action": "approve", "next": "/console/queue"},
    )
    assert first.status_code == 303, first.text
    stale = await browser_client.post(
        f"/console/matches/{match.id}/decide",
        data={
            "csrf_token": token,
            "version": "1",
            "action": "decline",
            "reason": "Kept reason",
            "next": "/console/queue",
        },
    )
    assert stale.status_code == 412, stale.text
    assert "Kept reason" in stale.text
    assert 'name="version" value="2"' in stale.text


async def test_bulk_decisions_skip_the_stale_and_name_them(browser_client: httpx.AsyncClient, people: People) -> None:
    await sign_in(browser_client, "coordinator@example.org")
    token = csrf_of((await browser_client.get("/console/queue")).text)
    first, second, third = people.matches[:3]
    decided = await browser_client.post(
        f"/console/matches/{third.id}/decide", data={"csrf_token": token, "version": "1", "action": "approve"}
    )
    assert decided.status_code == 303
    bulk = await browser_client.post(
        "/console/queue/bulk",
        data={
            "csrf_token": token,
            "action": "approve",
            "pick": [f"{first.id}:1", f"{second.id}:1", f"{third.id}:1", "junk", f"{first.id}:x"],
            "next": "/console/queue?country=GT",
        },
    )
    assert bulk.status_code == 200, bulk.text
    assert "2 matches decided." in bulk.text and str(third.id) in bulk.text and str(first.id) not in bulk.text
    queue = await browser_client.get("/console/queue?status=approved")
    assert queue.text.count("data-match id=") == 3

    no_reason = await browser_client.post(
        "/console/queue/bulk", data={"csrf_token": token, "action": "decline", "pick": [f"{people.matches[3].id}:1"]}
    )
    assert no_reason.status_code == 422
    unsafe = await browser_client.post(
        "/console/queue/bulk", data={"csrf_token": token, "action": "introduce", "pick": [f"{first.id}:2"]}
    )
    assert unsafe.status_code == 422
    nothing = await browser_client.post("/console/queue/bulk", data={"csrf_token": token, "action": "approve"})
    assert nothing.status_code == 422
    all_done = await browser_client.post(
        "/console/queue/bulk",
        data={
            "csrf_token": token,
            "action": "decline",
            "reason": "Out of scope",
            "pick": [f"{people.matches[3].id}:1"],
            "next": "/console/queue?country=GT",
        },
    )
    assert all_done.status_code == 303
    assert all_done.headers["location"] == "/console/queue?notice=bulk_done&country=GT"


async def test_bad_decisions_keep_the_page(browser_client: httpx.AsyncClient, people: People) -> None:
    await sign_in(browser_client, "coordinator@example.org")
    match = people.matches[0]
    token = csrf_of((await browser_client.get(f"/console/matches/{match.id}")).text)
    for data, status in (
        ({"action": "decline", "version": "1"}, 422),  # no reason
        ({"action": "fly", "version": "1"}, 422),
        ({"action": "introduce", "version": "1"}, 409),  # not approved yet
        ({"action": "approve", "version": "1", "contact_ids": ["not-a-uuid"]}, 303),
    ):
        answer = await browser_client.post(f"/console/matches/{match.id}/decide", data={"csrf_token": token, **data})
        assert answer.status_code == status, (data, answer.text[:500])
    assert (await browser_client.get("/console/matches/00000000-0000-0000-0000-000000000000")).status_code == 404
