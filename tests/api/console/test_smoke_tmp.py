from tests.api.console.conftest import People, sign_in


async def test_smoke(browser_client, people: People) -> None:
    r = await sign_in(browser_client, "coordinator@example.org")
    assert r.status_code == 303, r.text
    r = await browser_client.get("/console/queue")
    assert r.status_code == 200, r.text
    print(r.text[:3000])
    assert "Café climático 0" in r.text
    r = await browser_client.get(f"/console/matches/{people.matches[0].id}")
    assert r.status_code == 200, r.text
