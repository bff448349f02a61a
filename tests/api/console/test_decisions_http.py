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
