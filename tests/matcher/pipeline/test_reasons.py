"""Reasons name the right country, focus area, money and partner."""

import pytest

from services.matcher.pipeline.engine import score
from services.matcher.pipeline.model import DEFAULT_MODEL
from services.matcher.pipeline.reasons import join, money

from .helpers import commitment, program


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (950, "$950"),
        (250_000, "$250K"),
        (20_000_000, "$20M"),
        (1_200_000_000, "$1.2B"),
        (1_500_000, "$1.5M"),
        (999_999, "$1000K"),
        (1_000_000, "$1M"),
    ],
)
def test_money(value: float, text: str) -> None:
    assert money(value) == text


def test_join() -> None:
    assert join(["a"]) == "a" and join(["a", "b"]) == "a and b" and join(["a", "b", "c"]) == "a, b and c"


def test_reasons_mention_focus_country_money_and_partner() -> None:
    c = commitment(
        text="Crédito para caficultores y agricultores de café en Honduras",
        amount_usd=20_000_000.0,
        countries=["HN", "GT"],
        women_led=True,
        business_hq_country="HN",
        needs=["financing"],
    )
    p = program(
        partner_agency_code="DFC",
        partner_name="U.S. International Development Finance Corporation",
        text="DFC loans for coffee farmers",
        countries=["HN"],
        instruments=["loan", "guarantee"],
        min_ticket_usd=1_000_000.0,
        max_ticket_usd=50_000_000.0,
    )
    got = score([c], [p], DEFAULT_MODEL)
    reasons = got.reasons[0]
    assert 2 <= len(reasons) <= 3
    assert reasons[0] == "Both work on food security and climate-smart agriculture in Honduras"
    everything = " | ".join(score([c], [p], DEFAULT_MODEL).reasons[0] + _all_reasons(c, p))
    assert "DFC loans of $1M\u2013$50M fit the $20M commitment" in everything
    assert "The descriptions share: coffee, credit, farmers" in everything
    assert "Inclusion priority: a women-led business based in Honduras" in everything
    assert "DFC offers loans and guarantees for the stated need for financing" in everything


def _all_reasons(c, p) -> list[str]:
    from services.matcher.pipeline.engine import prepare
    from services.matcher.pipeline.reasons import build_reasons

    pr = prepare([c], [p])
    got = score(pr, None, DEFAULT_MODEL)
    return build_reasons(
        pr.commitments,
        pr.programs,
        pr.space,
        got.commitment_index,
        got.program_index,
        got.component_matrix,
        DEFAULT_MODEL,
        limit=10,
    )[0]


def test_no_shared_focus_falls_back_to_geography() -> None:
    c = commitment(focus_areas=["public_health"], needs=["financing"], countries=["SV"])
    p = program(focus_areas=["food_security_agriculture"], countries=["SV", "GT"], partner_name="CABEI")
    got = score([c], [p], DEFAULT_MODEL)
    assert got.reasons[0][0] == "Both are active in El Salvador"
    assert any(r == "CABEI offers loans for the stated need for financing" for r in _all_reasons(c, p))
