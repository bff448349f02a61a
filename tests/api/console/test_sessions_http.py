"""Sessions and CSRF over plain HTTP: cookies, throttling, expiry, sign-out everywhere, invitations."""

from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.auth.sessions import SESSION_COOKIE
from shared.clock import utc_now
from shared.models import User, WebSession
from tests.api.console.conftest import PASSWORD, People, csrf_of, invitation_link, invite, sign_in


async def test_sign_in_sets_a_safe_cookie_and_a_new_session(browser_client: httpx.AsyncClient, people: People) -> None:
    answer = await sign_in(browser_client, "coordinator@example.org")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/queue"
    cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/console" in cookie
    assert "Secure" not in cookie  # plain http in development
    assert (await browser_client.get("/console/queue")).status_code == 200


async def test_cookies_are_secure_over_https(app: FastAPI, people: People) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as https:
        answer = await sign_in(https, "coordinator@example.org")
    cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith(SESSION_COOKIE))
    assert "Secure" in cookie


async def test_forms_without_the_csrf_token_are_refused(browser_client: httpx.AsyncClient, people: People) -> None:
    page = await browser_client.get("/console/sign-in")
    refused = await browser_client.post(
        "/console/sign-in", data={"email": "coordinator@example.org", "password": PASSWORD}
    )
    assert refused.status_code == 403
    assert "form expired" in refused.text.lower()
    forged = await browser_client.post(
        "/console/sign-in", data={"email": "coordinator@example.org", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert forged.status_code == 403
    assert csrf_of(page.text)

    await sign_in(browser_client, "coordinator@example.org")
    match = people.matches[0]
    for data in ({"action": "approve"}, {"action": "approve", "csrf_token": csrf_of(page.text)}):
        answer = await browser_client.post(f"/console/matches/{match.id}/decide", data=data)
        assert answer.status_code == 403, data
    other = httpx.AsyncClient(transport=browser_client._transport, base_url="http://testserver")
    async with other:
        await sign_in(other, "second@example.org")
        their_token = csrf_of((await other.get("/console/account")).text)
    answer = await browser_client.post(
        f"/console/matches/{match.id}/decide", data={"action": "approve", "csrf_token": their_token}
    )
    assert answer.status_code == 403, "another session's token"


async def test_wrong_passwords_are_throttled(browser_client: httpx.AsyncClient, people: People, redis) -> None:
    statuses = []
    for _ in range(6):
        answer = await sign_in(browser_client, "coordinator@example.org", "wrong password!")
        statuses.append(answer.status_code)
    assert statuses == [401, 401, 401, 401, 401, 429]
    refused = await sign_in(browser_client, "coordinator@example.org")  # even the right one, for now
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    unknown = await sign_in(browser_client, "nobody@example.org", "whatever it is")
    assert unknown.status_code == 429  # the address is paused too


async def test_open_redirects_are_refused(browser_client: httpx.AsyncClient, people: People) -> None:
    page = await browser_client.get("/console/sign-in?next=//evil.example/x")
    answer = await browser_client.post(
        "/console/sign-in",
        data={
            "email": "coordinator@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": "https://evil.example/",
        },
    )
    assert answer.headers["location"] == "/console/queue"


async def test_sign_out_ends_the_session_for_good(browser_client: httpx.AsyncClient, people: People) -> None:
    await sign_in(browser_client, "coordinator@example.org")
    stolen = browser_client.cookies.get(SESSION_COOKIE)
    token = csrf_of((await browser_client.get("/console/account")).text)
    out = await browser_client.post("/console/sign-out", data={"csrf_token": token})
    assert out.status_code == 303 and out.headers["location"] == "/console/sign-in"
    browser_client.cookies.set(SESSION_COOKIE, stolen or "", path="/console")
    assert (await browser_client.get("/console/queue")).status_code == 303


async def test_sign_out_everywhere_ends_every_session(
    app: FastAPI, browser_client: httpx.AsyncClient, people: People
) -> None:
    await sign_in(browser_client, "coordinator@example.org")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as laptop:
        await sign_in(laptop, "coordinator@example.org")
        assert (await laptop.get("/console/queue")).status_code == 200
        token = csrf_of((await browser_client.get("/console/account")).text)
        done = await browser_client.post("/console/account/sign-out-everywhere", data={"csrf_token": token})
        assert done.status_code == 303
        assert (await laptop.get("/console/queue")).status_code == 303
    assert (await browser_client.get("/console/queue")).status_code == 303


async def test_sessions_expire_when_idle_and_at_their_end(
    browser_client: httpx.AsyncClient, people: People, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await sign_in(browser_client, "coordinator@example.org")
    async with sessionmaker() as session:
        await session.execute(update(WebSession).values(last_seen_at=utc_now() - timedelta(hours=3)))
        await session.commit()
    assert (await browser_client.get("/console/queue")).status_code == 303
    async with sessionmaker() as session:
        assert (await session.scalars(select(WebSession))).all() == []

    await sign_in(browser_client, "coordinator@example.org")
    async with sessionmaker() as session:
        await session.execute(update(WebSession).values(expires_at=utc_now() - timedelta(seconds=1)))
        await session.commit()
    assert (await browser_client.get("/console/queue")).status_code == 303


async def test_a_disabled_account_is_signed_out_and_cannot_sign_in(
    app: FastAPI, browser_client: httpx.AsyncClient, people: People
) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as victim:
        await sign_in(victim, "second@example.org")
        await sign_in(browser_client, "admin@example.org")
        token = csrf_of((await browser_client.get("/console/admin/users")).text)
        user = people.other_coordinator
        done = await browser_client.post(
            f"/console/admin/users/{user.id}/disable", data={"csrf_token": token, "version": str(user.version)}
        )
        assert done.status_code == 303, done.text
        assert (await victim.get("/console/queue")).status_code == 303
        assert (await sign_in(victim, "second@example.org")).status_code == 401
    own = await browser_client.post(
        f"/console/admin/users/{people.admin.id}/disable", data={"csrf_token": token, "version": "1"}
    )
    assert own.status_code == 422


async def test_an_invitation_sets_a_password_once(
    browser_client: httpx.AsyncClient, people: People, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    invited = await invite(
        browser_client,
        name="Nina Nueva",
        email="Nina@Example.org",
        role="partner",
        partner_id=str(people.partner.id),
        language="es",
    )
    assert invited.status_code == 200, invited.text
    path = invitation_link(invited).removeprefix("http://testserver")
    token = csrf_of(invited.text)
    assert "No email was sent" in invited.text
    duplicate = await browser_client.post(
        "/console/admin/users",
        data={"csrf_token": token, "name": "Nina", "email": "nina@example.org", "role": "coordinator"},
    )
    assert duplicate.status_code == 409
    no_org = await browser_client.post(
        "/console/admin/users",
        data={"csrf_token": token, "name": "Paz", "email": "paz@example.org", "role": "partner"},
    )
    assert no_org.status_code == 422

    browser_client.cookies.clear()
    form = await browser_client.get(path)
    assert form.status_code == 200 and "nina@example.org" in form.text
    short = await browser_client.post(
        path, data={"csrf_token": csrf_of(form.text), "password": "short", "password_again": "short"}
    )
    assert short.status_code == 422
    chosen = "una frase corta y fácil"
    done = await browser_client.post(
        path, data={"csrf_token": csrf_of(form.text), "password": chosen, "password_again": chosen}
    )
    assert done.status_code == 303
    assert (await browser_client.get(path)).status_code == 404  # used
    signed_in = await sign_in(browser_client, "nina@example.org", chosen)
    assert signed_in.headers["location"] == "/console/inbox"
    async with sessionmaker() as session:
        nina = await session.scalar(select(User).where(User.email == "nina@example.org"))
    assert nina is not None and nina.password_hash and nina.password_hash.startswith("$argon2id$")
    assert nina.invitation_hash is None and nina.organization_id == people.partner.id


async def test_an_expired_invitation_is_refused(
    browser_client: httpx.AsyncClient, people: People, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    invited = await invite(browser_client, name="Old", email="old@example.org", role="viewer", language="en")
    path = invitation_link(invited).removeprefix("http://testserver")
    async with sessionmaker() as session:
        await session.execute(update(User).values(invitation_expires_at=utc_now() - timedelta(minutes=1)))
        await session.commit()
    assert (await browser_client.get(path)).status_code == 404
    assert (await browser_client.get("/console/invitation/inv_made-up")).status_code == 404
