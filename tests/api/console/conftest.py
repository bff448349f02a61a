"""People to sign in as, a browser-like HTTP client for the console, and a small world of matches."""

import asyncio
import functools
import os
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, async_playwright
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.harness import free_port
from services.api.auth.passwords import hash_password
from shared.enums import Role
from shared.models import Business, Contact, Match, Partner, Program, User
from tests import factories

PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class People:
    admin: User
    coordinator: User
    other_coordinator: User
    partner_officer: User
    company_user: User
    partner: Partner
    other_partner: Partner
    business: Business
    program: Program
    matches: list[Match]


@functools.cache
def password_hash() -> str:
    """One Argon2 hash for every test person: hashing is slow on purpose."""
    return hash_password(PASSWORD)


async def add_user(
    session: AsyncSession, email: str, name: str, role: Role, organization_id: uuid.UUID | None = None, **extra: object
) -> User:
    user = User(
        id=uuid.uuid4(),
        email=email,
        name=name,
        role=role.value,
        organization_id=organization_id,
        language="en",
        password_hash=password_hash(),
        **extra,
    )
    session.add(user)
    await session.flush()
    return user


@pytest.fixture
async def people(sessionmaker: async_sessionmaker[AsyncSession], clean_db: None) -> People:
    async with sessionmaker() as session:
        partner = await factories.create_partner(session, name="Agencia de Desarrollo Económico")
        other_partner = await factories.create_partner(session, name="DFC", agency_code="DFC")
        business = await factories.create_business(session, name="Cafetalera Los Altos")
        program = await factories.create_program(session, partner, name="Crédito cafetalero")
        other_program = await factories.create_program(session, other_partner, name="Agribusiness loans")
        matches = []
        for index in range(3):
            commitment = await factories.create_commitment(session, business, title=f"Café climático {index}")
            matches.append(await factories.create_match(session, commitment, program, score=0.9 - index / 10))
        commitment = await factories.create_commitment(session, business, title="Other partner's match")
        matches.append(await factories.create_match(session, commitment, other_program, score=0.5))
        session.add_all(
            [
                Contact(
                    id=uuid.uuid4(),
                    business_id=business.id,
                    name="María Pérez",
                    role="CEO",
                    email="maria@example.org",
                    languages=["es"],
                ),
                Contact(
                    id=uuid.uuid4(),
                    partner_id=partner.id,
                    name="John Smith",
                    role="Officer",
                    email="john@example.org",
                    languages=["en", "es"],
                ),
            ]
        )
        result = People(
            admin=await add_user(session, "admin@example.org", "Ada Admin", Role.ADMIN),
            coordinator=await add_user(session, "coordinator@example.org", "Carla Coordinadora", Role.COORDINATOR),
            other_coordinator=await add_user(session, "second@example.org", "Segundo Coordinador", Role.COORDINATOR),
            partner_officer=await add_user(session, "officer@example.org", "Olga Oficial", Role.PARTNER, partner.id),
            company_user=await add_user(session, "company@example.org", "Camilo Empresa", Role.BUSINESS, business.id),
            partner=partner,
            other_partner=other_partner,
            business=business,
            program=program,
            matches=matches,
        )
        await session.commit()
    return result


@pytest.fixture
async def browser_client(app: FastAPI, clean_db: None, redis: object) -> AsyncIterator[httpx.AsyncClient]:
    """A plain HTTP client that keeps cookies, as a browser would (no JavaScript), reading English.

    Redis is emptied first, so sign-in throttling starts from zero."""
    transport = httpx.ASGITransport(app=app)
    headers = {"Accept-Language": "en"}
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=headers) as http:
        yield http


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def sign_in(http: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    page = await http.get("/console/sign-in")
    return await http.post(
        "/console/sign-in", data={"email": email, "password": password, "csrf_token": csrf_of(page.text)}
    )


async def invite(http: httpx.AsyncClient, **fields: str) -> httpx.Response:
    """An admin invites someone through the console's form (signing the client in as the admin)."""
    await sign_in(http, "admin@example.org")
    token = csrf_of((await http.get("/console/admin/users")).text)
    return await http.post("/console/admin/users", data={"csrf_token": token, **fields})


def invitation_link(page: httpx.Response) -> str:
    """The one-time link an invitation page shows."""
    return page.text.split("data-invitation-link>")[1].split("<")[0]


# --- a real browser -------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"


@asynccontextmanager
async def serving(app: FastAPI, **config: Any) -> AsyncIterator[str]:
    """`app` served over real HTTP on 127.0.0.1, in the tests' own event loop; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture(scope="session")
async def live_server(app: FastAPI) -> AsyncIterator[str]:
    """The app under test over real HTTP (its lifespan already runs in the `app` fixture)."""
    async with serving(app, lifespan="off") as base:
        yield base


def _chromium_installed() -> bool:
    return CHROMIUM.exists()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, headless. Missing, the browser tests skip on a developer's machine and fail in CI."""
    if not _chromium_installed():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: the browser tests must run in CI (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


class Tab:
    """A browser page on the console that fails the test on any Content Security Policy violation."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.violations: list[str] = []
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.violations.append(message.text)

    async def go(self, path: str) -> None:
        await self.page.goto(self.base + path)

    async def sign_in(self, email: str, password: str = PASSWORD) -> None:
        await self.go("/console/sign-in")
        await self.page.fill("#email", email)
        await self.page.fill("#password", password)
        await self.page.click("main form button[type=submit]")
        await self.page.wait_for_load_state()

    async def axe(self) -> list[dict[str, object]]:
        """WCAG 2.1 A and AA violations axe-core finds on the page (injected through the debugger, past the CSP)."""
        if not await self.page.evaluate("typeof window.axe !== 'undefined'"):
            await self.page.evaluate(AXE.read_text())
        result: dict[str, list[dict[str, object]]] = await self.page.evaluate(
            "axe.run(document, {resultTypes: ['violations'],"
            " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}  # type: ignore[index]
            for v in result["violations"]
        ]


@pytest.fixture
async def tabs(
    browser: Browser, live_server: str, clean_db: None, redis: object
) -> AsyncIterator[Callable[..., Awaitable[Tab]]]:
    """Opens tabs, each in its own browser context (its own cookies): two people at once."""
    contexts: list[BrowserContext] = []

    async def open_tab(locale: str = "en-US") -> Tab:
        context = await browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return Tab(await context.new_page(), live_server)

    yield open_tab
    for context in contexts:
        await context.close()


def screenshot_path(tmp_path: Path, name: str) -> Path:
    """Where a screenshot goes: PUENTE_SCREENSHOTS (the README's docs folder) when set, else the test's tmp dir."""
    folder = os.environ.get("PUENTE_SCREENSHOTS")
    target = Path(folder) if folder else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    return target / f"{name}.png"
