"""Typed factories: create records straight through the ORM, with explicit overrides."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.auth.service import issue_key
from shared.actor import SYSTEM
from shared.enums import Role
from shared.models import Business, Commitment, Match, MatchRun, Partner, Program


async def create_business(session: AsyncSession, *, name: str = "Cafetalera Los Altos", **overrides: Any) -> Business:
    fields: dict[str, Any] = {
        "aliases": [],
        "description": "Specialty coffee exporter working with smallholder farmers.",
        "hq_country": "GT",
        "countries": ["GT"],
        "sectors": ["coffee"],
        "size": "medium",
        "women_led": False,
        "indigenous_led": False,
    }
    fields.update(overrides)
    business = Business(id=uuid.uuid4(), name=name, **fields)
    session.add(business)
    await session.flush()
    return business


async def create_partner(session: AsyncSession, *, name: str = "USAID", **overrides: Any) -> Partner:
    fields: dict[str, Any] = {
        "partner_type": "us_agency",
        "agency_code": "USAID",
        "description": "U.S. Agency for International Development",
        "countries": ["GT", "SV", "HN"],
    }
    fields.update(overrides)
    partner = Partner(id=uuid.uuid4(), name=name, **fields)
    session.add(partner)
    await session.flush()
    return partner


async def create_program(
    session: AsyncSession, partner: Partner, *, name: str = "Coffee credit", **overrides: Any
) -> Program:
    fields: dict[str, Any] = {
        "description": "Credit and technical assistance for coffee cooperatives.",
        "instruments": ["loan", "technical_assistance"],
        "focus_areas": ["food_security_agriculture"],
        "countries": ["GT", "HN"],
        "sectors": ["coffee"],
        "min_ticket_usd": Decimal("100000"),
        "max_ticket_usd": Decimal("5000000"),
        "eligible_sizes": [],
        "capacity_per_month": 5,
        "active": True,
    }
    fields.update(overrides)
    program = Program(id=uuid.uuid4(), partner_id=partner.id, name=name, **fields)
    session.add(program)
    await session.flush()
    return program


async def create_commitment(
    session: AsyncSession, business: Business, *, title: str = "Coffee resilience", **overrides: Any
) -> Commitment:
    fields: dict[str, Any] = {
        "description": "Working capital and training for 2,000 coffee farmers.",
        "focus_areas": ["food_security_agriculture"],
        "countries": ["GT"],
        "amount_usd": Decimal("1000000"),
        "needs": ["financing"],
        "status": "in_progress",
        "initiative": "call_to_action",
        "announced_on": date(2021, 12, 13),
        "targets": {"jobs_created": 200},
    }
    fields.update(overrides)
    commitment = Commitment(id=uuid.uuid4(), business_id=business.id, title=title, **fields)
    session.add(commitment)
    await session.flush()
    return commitment


async def create_key(
    session: AsyncSession, role: Role, organization_id: uuid.UUID | None = None, name: str | None = None
) -> str:
    _, raw = await issue_key(
        session,
        name=name or f"{role.value} key",
        role=role,
        organization_id=organization_id,
        created_by=SYSTEM,
    )
    return raw


async def create_match(
    session: AsyncSession, commitment: Commitment, program: Program, *, score: float = 0.8, **overrides: Any
) -> Match:
    """A match as a run would write it; partner and business are copied from the pair."""
    fields: dict[str, Any] = {
        "components": {"focus": 1.0, "geography": 0.5, "text": 0.4},
        "reasons": ["Shares the focus area food_security_agriculture", "Both work in GT"],
        "status": "proposed",
        "model_version": "test-1",
        "fingerprint": "f" * 16,
    }
    fields.update(overrides)
    match = Match(
        id=uuid.uuid4(),
        commitment_id=commitment.id,
        program_id=program.id,
        partner_id=program.partner_id,
        business_id=commitment.business_id,
        score=score,
        **fields,
    )
    session.add(match)
    await session.flush()
    return match


async def create_match_run(session: AsyncSession, **overrides: Any) -> MatchRun:
    fields: dict[str, Any] = {"scope": {"all": True}, "trigger": "api", "status": "queued"}
    fields.update(overrides)
    run = MatchRun(id=uuid.uuid4(), **fields)
    session.add(run)
    await session.flush()
    return run
