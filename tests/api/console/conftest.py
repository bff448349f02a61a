"""People to sign in as, a browser-like HTTP client for the console, and a small world of matches."""

import functools
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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
async def browser_client(app: FastAPI, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    """A plain HTTP client that keeps cookies, as a browser would (no JavaScript)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
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
