"""Components are in [0, 1] and exact on tiny cases."""

import numpy as np
import pytest

from services.matcher.pipeline import components as comp
from services.matcher.pipeline.engine import prepare
from services.matcher.pipeline.filters import overlaps

from .helpers import commitment, program


def _components(cs, ps) -> dict[str, np.ndarray]:
    pr = prepare(cs, ps)
    block = pr.commitments.block(slice(0, len(cs)))
    return comp.compute(block, pr.programs, pr.space, overlaps(block, pr.programs))


def test_focus_is_jaccard() -> None:
    c = commitment(focus_areas=["public_health", "education_workforce"])
    got = _components([c], [program(focus_areas=["public_health"]), program("p2", focus_areas=["reform_agenda"])])
    assert got["focus"].tolist() == [[0.5, 0.0]]


def test_geography_coverage_plus_home_country_bonus() -> None:
    c = commitment(countries=["GT", "HN", "MX"])
    got = _components(
        [c], [program(countries=["GT"]), program("p2", countries=["MX"]), program("p3", countries=["US"])]
    )
    assert got["geography"][0] == pytest.approx([0.8 / 3 + 0.2, 0.8 / 3, 0.0])


def test_need_instrument_is_the_share_of_needs_answered() -> None:
    c = commitment(needs=["financing", "training_partner", "market_access", "research_data"])
    got = _components([c, commitment("c2", needs=[])], [program(instruments=["loan", "training"])])
    assert got["need_instrument"][:, 0].tolist() == [0.5, 0.5]  # 2 of 4 answered; no needs stated → neutral


def test_ticket_fit_is_one_inside_and_decays_outside() -> None:
    cs = [
        commitment("a", amount_usd=2e6),
        commitment("b", amount_usd=5e5),
        commitment("c", amount_usd=4e7),
        commitment("d", amount_usd=None),
    ]
    got = _components(
        cs,
        [
            program(min_ticket_usd=1e6, max_ticket_usd=2e7),
            program("q", min_ticket_usd=None, max_ticket_usd=None),
        ],
    )
    assert got["ticket_fit"][:, 0] == pytest.approx([1.0, 0.5, 0.5, 0.5])
    assert got["ticket_fit"][:3, 1].tolist() == [1.0, 1.0, 1.0]


def test_sector_overlap_and_neutral_when_unknown() -> None:
    c = commitment(business_sectors=["Agriculture", "export"])
    got = _components(
        [c], [program(sectors=["agriculture"]), program("q", sectors=["health"]), program("r", sectors=[])]
    )
    assert got["sector"].tolist() == [[1.0, 0.0, 0.5]]


def test_inclusion_and_partner_history() -> None:
    cs = [
        commitment("a", women_led=True, indigenous_led=True, business_hq_country="HN"),
        commitment("b", business_hq_country="US"),
        commitment("c", women_led=True, business_hq_country="US"),
    ]
    got = _components(cs, [program(partner_acceptance=0.8), program("q", partner_acceptance=None)])
    assert got["inclusion"][:, 0] == pytest.approx([1.0, 0.0, 0.4])
    assert got["partner_history"][0] == pytest.approx([0.8, 0.5])


def test_every_component_is_in_unit_interval_and_the_right_shape() -> None:
    rng = np.random.default_rng(3)
    areas = ["public_health", "reform_agenda", "climate_clean_energy"]
    cs = [
        commitment(
            f"c{i}",
            countries=list(rng.choice(["GT", "HN", "SV"], 2)),
            focus_areas=[str(rng.choice(areas))],
            amount_usd=float(10 ** rng.uniform(3, 9)),
            text="agua potable y saneamiento",
        )
        for i in range(7)
    ]
    ps = [
        program(
            f"p{i}",
            countries=list(rng.choice(["GT", "HN", "SV"], 2)),
            focus_areas=[str(rng.choice(areas))],
            text="clean water and sanitation",
            partner_acceptance=float(rng.random()),
        )
        for i in range(5)
    ]
    got = _components(cs, ps)
    assert set(got) == set(comp.COMPONENTS)
    for name, values in got.items():
        assert values.shape == (7, 5), name
        assert values.min() >= 0.0 and values.max() <= 1.0, name
