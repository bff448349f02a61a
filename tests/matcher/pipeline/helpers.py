"""Row builders for the engine's tests: sensible defaults, override what the test is about."""

from typing import Any

from services.matcher.pipeline.frames import CommitmentRow, ProgramRow


def commitment(id: str = "c1", **over: Any) -> CommitmentRow:
    base: dict[str, Any] = {
        "id": id,
        "business_id": f"b-{id}",
        "text": "Coffee farmers credit",
        "focus_areas": ["food_security_agriculture"],
        "countries": ["HN"],
        "needs": ["financing"],
        "amount_usd": 1_000_000.0,
        "business_size": "medium",
        "business_hq_country": "HN",
        "business_sectors": ["agriculture"],
        "women_led": False,
        "indigenous_led": False,
        "fingerprint": f"fp-{id}",
    }
    base.update(over)
    return CommitmentRow(**base)


def program(id: str = "p1", **over: Any) -> ProgramRow:
    base: dict[str, Any] = {
        "id": id,
        "partner_id": f"partner-{id}",
        "partner_name": f"Partner {id}",
        "partner_agency_code": None,
        "text": "Credit for coffee farmers",
        "instruments": ["loan"],
        "focus_areas": ["food_security_agriculture"],
        "countries": ["HN"],
        "sectors": ["agriculture"],
        "min_ticket_usd": 500_000.0,
        "max_ticket_usd": 5_000_000.0,
        "eligible_sizes": [],
        "capacity_remaining": 10,
        "active": True,
        "partner_acceptance": None,
    }
    base.update(over)
    return ProgramRow(**base)
