"""Each hard filter rejects what it should and lets the rest through."""

import numpy as np

from services.matcher.pipeline.engine import prepare
from services.matcher.pipeline.filters import NEED_INSTRUMENT_MATRIX, NEED_INSTRUMENTS, passing
from services.matcher.pipeline.frames import INSTRUMENTS, NEEDS

from .helpers import commitment, program


def _passes(c, p) -> bool:
    pr = prepare([c], [p])
    return bool(passing(pr.commitments.block(slice(0, 1)), pr.programs)[0, 0])


def test_a_matching_pair_passes() -> None:
    assert _passes(commitment(), program())


def test_inactive_program_is_rejected() -> None:
    assert not _passes(commitment(), program(active=False))


def test_no_shared_country_is_rejected() -> None:
    assert not _passes(commitment(countries=["GT"]), program(countries=["HN", "SV"]))
    assert _passes(commitment(countries=["GT", "SV"]), program(countries=["HN", "SV"]))


def test_no_shared_focus_and_no_answered_need_is_rejected() -> None:
    c = commitment(focus_areas=["public_health"], needs=["training_partner"])
    assert not _passes(c, program(focus_areas=["food_security_agriculture"], instruments=["loan"]))
    # an instrument answering the need lets it through without a shared focus area
    assert _passes(c, program(focus_areas=["food_security_agriculture"], instruments=["training"]))
    # a shared focus area lets it through without an answered need
    assert _passes(c, program(focus_areas=["public_health"], instruments=["loan"]))


def test_business_size_must_be_eligible_and_empty_means_all() -> None:
    assert not _passes(commitment(business_size="large"), program(eligible_sizes=["micro", "small"]))
    assert _passes(commitment(business_size="small"), program(eligible_sizes=["micro", "small"]))
    assert _passes(commitment(business_size="multinational"), program(eligible_sizes=[]))
    assert _passes(commitment(business_size=None), program(eligible_sizes=["micro"]))


def test_ticket_tolerance_is_half_the_minimum_to_twice_the_maximum() -> None:
    p = program(min_ticket_usd=1_000_000.0, max_ticket_usd=10_000_000.0)
    assert _passes(commitment(amount_usd=500_000.0), p)
    assert not _passes(commitment(amount_usd=499_999.0), p)
    assert _passes(commitment(amount_usd=20_000_000.0), p)
    assert not _passes(commitment(amount_usd=20_000_001.0), p)
    assert _passes(commitment(amount_usd=None), p)
    assert _passes(commitment(amount_usd=1e12), program(min_ticket_usd=1.0, max_ticket_usd=None))
    assert not _passes(commitment(amount_usd=1.0), program(min_ticket_usd=10.0, max_ticket_usd=None))


def test_filters_are_vectorised_over_a_block() -> None:
    cs = [commitment("a", countries=["GT"]), commitment("b", countries=["HN"])]
    ps = [program("x", countries=["GT"]), program("y", countries=["HN"]), program("z", active=False)]
    pr = prepare(cs, ps)
    got = passing(pr.commitments.block(slice(0, 2)), pr.programs)
    assert got.tolist() == [[True, False, False], [False, True, False]]


def test_need_instrument_map_matches_the_matrix() -> None:
    assert set(NEED_INSTRUMENTS) == set(NEEDS)
    for i, need in enumerate(NEEDS):
        assert {INSTRUMENTS[j] for j in np.flatnonzero(NEED_INSTRUMENT_MATRIX[i])} == set(NEED_INSTRUMENTS[need])
    assert "loan" in NEED_INSTRUMENTS["financing"]
    assert NEED_INSTRUMENTS["training_partner"][0] == "training"
