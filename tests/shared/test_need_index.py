"""The need index, pure: percentiles among peers, weights, stand-ins, coverage, and unknown staying unknown."""

import pytest

from shared.config import parse_weights
from shared.domain.need_index import IndicatorRule, NeedStatus, Observation, method, need_index, percentiles
from shared.enums import NeedDirection

RULES = {
    "poverty": IndicatorRule("poverty", NeedDirection.MORE_NEED),
    "poverty_survey": IndicatorRule("poverty_survey", NeedDirection.MORE_NEED, stands_in_for="poverty"),
    "schooling": IndicatorRule("schooling", NeedDirection.LESS_NEED),
    "population": IndicatorRule("population", NeedDirection.CONTEXT),
}
WEIGHTS = {"poverty": 3.0, "schooling": 1.0}
GROUPS = {
    "A-1": ("A", "municipality"),
    "A-2": ("A", "municipality"),
    "A-3": ("A", "municipality"),
    "A-4": ("A", "municipality"),
    "B-1": ("B", "municipality"),
    "B-2": ("B", "municipality"),
}


def _obs(region: str, indicator: str, value: float, year: int = 2023) -> Observation:
    return Observation(region, indicator, year, value, "src")


def test_percentiles_share_middle_ranks_and_need_two_values() -> None:
    assert percentiles({"a": 1.0, "b": 2.0, "c": 3.0}) == {"a": 0.0, "b": 0.5, "c": 1.0}
    assert percentiles({"a": 1.0, "b": 1.0, "c": 3.0}) == {"a": 0.25, "b": 0.25, "c": 1.0}
    assert percentiles({"a": 7.0}) == {}


def test_index_is_the_weighted_mean_of_oriented_percentiles() -> None:
    observations = [
        _obs("A-1", "poverty", 10), _obs("A-2", "poverty", 20), _obs("A-3", "poverty", 30),
        _obs("A-1", "schooling", 90), _obs("A-2", "schooling", 80), _obs("A-3", "schooling", 70),
        _obs("A-1", "population", 5_000_000),
    ]  # fmt: skip
    figures = need_index(GROUPS, observations, RULES, WEIGHTS, min_coverage=0.5)
    # more schooling is less need: A-3 (least schooled, poorest) is the most in need
    assert figures["A-3"].index == pytest.approx(100.0) and figures["A-3"].rank == 1
    assert figures["A-1"].index == pytest.approx(0.0) and figures["A-1"].rank == 3
    assert figures["A-2"].index == pytest.approx(50.0) and figures["A-2"].peers == 3
    assert figures["A-2"].coverage == 1.0 and figures["A-2"].status is NeedStatus.KNOWN
    assert [c.used for c in figures["A-2"].components] == ["poverty", "schooling"]


def test_unknown_stays_unknown_and_is_never_zero() -> None:
    observations = [_obs("A-1", "poverty", 10), _obs("A-2", "poverty", 20), _obs("A-1", "population", 1)]
    figures = need_index(GROUPS, observations, RULES, WEIGHTS, min_coverage=0.5)
    assert figures["A-4"].status is NeedStatus.UNKNOWN and figures["A-4"].index is None
    assert figures["A-4"].coverage == 0.0 and figures["A-4"].rank is None
    assert figures["B-1"].status is NeedStatus.UNKNOWN  # another country's data never fills the gap
    assert figures["A-1"].missing == ("schooling",) and figures["A-1"].coverage == 0.75


def test_too_little_coverage_is_partial_without_an_index() -> None:
    observations = [_obs("A-1", "schooling", 10), _obs("A-2", "schooling", 20)]
    figures = need_index(GROUPS, observations, RULES, WEIGHTS, min_coverage=0.5)
    assert figures["A-1"].status is NeedStatus.PARTIAL and figures["A-1"].index is None
    assert figures["A-1"].coverage == 0.25 and [c.used for c in figures["A-1"].components] == ["schooling"]


def test_one_unit_cannot_be_ranked_alone() -> None:
    figures = need_index(GROUPS, [_obs("B-1", "poverty", 50)], RULES, WEIGHTS, min_coverage=0.5)
    assert figures["B-1"].status is NeedStatus.UNKNOWN and figures["B-1"].missing == ("poverty", "schooling")


def test_a_stand_in_fills_a_missing_indicator_and_says_so() -> None:
    observations = [_obs("B-1", "poverty_survey", 40), _obs("B-2", "poverty_survey", 60)]
    figures = need_index(GROUPS, observations, RULES, {"poverty": 1.0}, min_coverage=0.5)
    [component] = figures["B-2"].components
    assert (component.indicator, component.used, component.percentile) == ("poverty", "poverty_survey", 1.0)


def test_latest_year_counts() -> None:
    observations = [
        _obs("A-1", "poverty", 90, 2011), _obs("A-1", "poverty", 10, 2023), _obs("A-2", "poverty", 20, 2023),
    ]  # fmt: skip
    figures = need_index(GROUPS, observations, RULES, {"poverty": 1.0}, min_coverage=0.5)
    assert figures["A-1"].components[0].value == 10 and figures["A-1"].components[0].year == 2023


def test_weights_on_unknown_or_context_indicators_are_ignored_and_named() -> None:
    used = method({"poverty": 1, "population": 1, "nonsense": 2, "schooling": 0}, RULES, 0.5)
    assert used.weights == {"poverty": 1} and used.ignored == ("nonsense", "population", "schooling")


@pytest.mark.parametrize("text", ["poverty", "poverty=-1", "poverty=abc", "=1", "poverty=inf"])
def test_bad_weight_settings_are_errors(text: str) -> None:
    with pytest.raises(ValueError):
        parse_weights(text)


def test_weight_settings_parse() -> None:
    assert parse_weights(" poverty_headcount=0.5, homicide_rate = 0.25 ,") == {
        "poverty_headcount": 0.5,
        "homicide_rate": 0.25,
    }


def test_highest_need_fifth_is_a_known_rank_within_a_fifth_of_the_peers() -> None:
    from shared.domain.need_index import NeedFigure, in_highest_need_fifth

    def ranked(rank: int | None, peers: int) -> NeedFigure:
        return NeedFigure("X", NeedStatus.KNOWN, 50.0, 1.0, (), (), rank=rank, peers=peers)

    assert in_highest_need_fifth(ranked(68, 340)) and not in_highest_need_fifth(ranked(69, 340))
    assert in_highest_need_fifth(ranked(1, 3)) and not in_highest_need_fifth(ranked(2, 3))
    assert not in_highest_need_fifth(None) and not in_highest_need_fifth(ranked(None, 0))
