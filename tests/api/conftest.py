"""The app under test, an HTTP client on it, and a key for every role."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.main import create_app
from shared.config import Settings
from shared.enums import Role
from tests import factories


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@dataclass
class Tenant:
    id: uuid.UUID
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.key)


@dataclass
class Keys:
    admin: dict[str, str]
    coordinator: dict[str, str]
    integrator: dict[str, str]
    viewer: dict[str, str]
    partner: Tenant
    other_partner: Tenant
    business: Tenant
    other_business: Tenant


@pytest.fixture
async def keys(client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]) -> Keys:
    """One key per role; the partner and business keys each speak for their own organisation,
    and `other_*` are a second tenant of the same kind, to prove isolation."""
    async with sessionmaker() as session:
        partner = await factories.create_partner(session, name="USAID")
        other_partner = await factories.create_partner(session, name="DFC", agency_code="DFC")
        business = await factories.create_business(session, name="Cafetalera Los Altos")
        other_business = await factories.create_business(session, name="Istmo Digital Payments", sectors=["fintech"])
        result = Keys(
            admin=bearer(await factories.create_key(session, Role.ADMIN)),
            coordinator=bearer(await factories.create_key(session, Role.COORDINATOR)),
            integrator=bearer(await factories.create_key(session, Role.INTEGRATOR)),
            viewer=bearer(await factories.create_key(session, Role.VIEWER)),
            partner=Tenant(partner.id, await factories.create_key(session, Role.PARTNER, partner.id)),
            other_partner=Tenant(other_partner.id, await factories.create_key(session, Role.PARTNER, other_partner.id)),
            business=Tenant(business.id, await factories.create_key(session, Role.BUSINESS, business.id)),
            other_business=Tenant(
                other_business.id, await factories.create_key(session, Role.BUSINESS, other_business.id)
            ),
        )
        await session.commit()
    return result


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert str(body["type"]).startswith("urn:puente:problem:")
    return body
