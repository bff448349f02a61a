"""Single sign-on against a local OpenID Connect issuer, and invitations mailed to a local SMTP receiver."""

import base64
import hashlib
import json
import secrets
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.harness import free_port
from shared.config import Settings
from shared.models import User
from tests.api.console.conftest import People, invitation_link, invite, serving

CLIENT_ID, CLIENT_SECRET = "puente-console", "s3cret-for-tests"


@dataclass
class FakeIssuer:
    """An OpenID Connect issuer that signs anyone in as `subject` / `email`, checking what a real one would."""

    url: str
    subject: str = "idp|ana"
    email: str = "coordinator@example.org"
    pending: dict[str, dict[str, str]] = field(default_factory=dict)

    def app(self) -> FastAPI:
        issuer = FastAPI()

        @issuer.get("/.well-known/openid-configuration")
        async def metadata() -> dict[str, str]:
            return {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
            }

        @issuer.get("/authorize")
        async def authorize(request: Request) -> RedirectResponse:
            query = request.query_params
            assert query["client_id"] == CLIENT_ID and query["code_challenge_method"] == "S256"
            code = secrets.token_urlsafe(16)
            self.pending[code] = dict(query)
            return RedirectResponse(f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}")

        @issuer.post("/token")
        async def token(
            request: Request, code: str = Form(), code_verifier: str = Form(), redirect_uri: str = Form()
        ) -> JSONResponse:
            expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            asked = self.pending.pop(code, None)
            challenge = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).decode().rstrip("=")
            if request.headers.get("authorization") != expected or asked is None:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            if challenge != asked["code_challenge"] or redirect_uri != asked["redirect_uri"]:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            claims = {
                "iss": self.url,
                "aud": CLIENT_ID,
                "sub": self.subject,
                "email": self.email,
                "email_verified": True,
                "exp": int(time.time()) + 300,
                "nonce": asked["nonce"],
            }
            parts = [{"alg": "RS256"}, claims]
            encoded = [base64.urlsafe_b64encode(json.dumps(p).encode()).decode().rstrip("=") for p in parts]
            return JSONResponse({"id_token": ".".join([*encoded, "signature"]), "token_type": "Bearer"})

        return issuer


@pytest.fixture
async def issuer() -> AsyncIterator[FakeIssuer]:
    fake = FakeIssuer("")
    async with serving(fake.app()) as base:
        fake.url = base
        yield fake


@contextmanager
def configured(app: FastAPI, **changes: Any) -> Iterator[Settings]:
    original: Settings = app.state.settings
    app.state.settings = original.model_copy(update=changes)
    try:
        yield app.state.settings
    finally:
        app.state.settings = original


async def _sign_on(browser_client: httpx.AsyncClient) -> httpx.Response:
    leave = await browser_client.get("/console/sso")
    assert leave.status_code == 303, leave.text
    async with httpx.AsyncClient() as outside:
        back = await outside.get(leave.headers["location"])
    assert back.status_code == 307
    callback = urlsplit(back.headers["location"])
    return await browser_client.get(f"{callback.path}?{callback.query}")


async def test_single_sign_on_opens_an_invited_account(
    app: FastAPI,
    browser_client: httpx.AsyncClient,
    people: People,
    issuer: FakeIssuer,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    from pydantic import SecretStr

    assert (await browser_client.get("/console/sso")).status_code == 404  # not configured
    with configured(app, oidc_issuer=issuer.url, oidc_client_id=CLIENT_ID, oidc_client_secret=SecretStr(CLIENT_SECRET)):
        assert "/console/sso" in (await browser_client.get("/console/sign-in")).text
        arrived = await _sign_on(browser_client)
        assert arrived.status_code == 303, arrived.text
        assert arrived.headers["location"] == "/console/queue"
        assert (await browser_client.get("/console/queue")).status_code == 200
        async with sessionmaker() as session:
            linked = await session.scalar(select(User).where(User.oidc_subject == issuer.subject))
        assert linked is not None and linked.id == people.coordinator.id

        browser_client.cookies.clear()
        issuer.subject, issuer.email = "idp|stranger", "stranger@example.org"
        refused = await _sign_on(browser_client)
        assert refused.status_code == 401
        assert (await browser_client.get("/console/queue")).status_code == 303

        browser_client.cookies.clear()
        replay = await browser_client.get("/console/sso/callback?code=made-up&state=made-up")
        assert replay.status_code == 401


async def test_an_invitation_is_mailed_in_the_invitees_language(
    app: FastAPI, browser_client: httpx.AsyncClient, people: People
) -> None:
    received: list[Message] = []

    class Inbox:
        async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
            received.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    port = free_port()
    receiver = Controller(Inbox(), hostname="127.0.0.1", port=port)
    receiver.start()
    try:
        with configured(
            app, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False, smtp_from="puente@example.org"
        ):
            answer = await invite(
                browser_client,
                name="Rosa Ruiz",
                email=f"rosa-{uuid.uuid4().hex[:6]}@example.org",
                role="coordinator",
                language="es",
            )
    finally:
        receiver.stop()
    assert answer.status_code == 200, answer.text
    assert "It was also sent by email." in answer.text
    link = invitation_link(answer)
    assert len(received) == 1
    mail = received[0]
    assert mail["Subject"] == "Su invitación a Puente" and mail["From"] == "puente@example.org"
    body = mail.get_payload(decode=True)
    assert isinstance(body, bytes) and link in body.decode()
