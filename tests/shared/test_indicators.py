"""The indicator catalogue: codes, units, aggregation, IRIS+ codes, helpers."""

import re

from shared.indicators import (
    BREAKDOWN_DIMENSIONS,
    INDICATORS,
    MAX_CODES,
    PART_OF,
    SEX_LABELS,
    SUM_CODES,
    Aggregation,
    unknown_codes,
)


def test_codes_are_snake_case_and_keys_match() -> None:
    for code, indicator in INDICATORS.items():
        assert code == indicator.code
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code), code
        assert indicator.name and indicator.unit and indicator.description


def test_brief_codes_present() -> None:
    brief = {"investment_deployed_usd", "jobs_created", "people_trained", "people_reached", "women_reached"}
    assert brief <= set(INDICATORS)
    assert {"people_connected_internet", "hectares_climate_smart"} <= set(INDICATORS)


def test_money_indicators_are_usd() -> None:
    in_dollars = {c for c, i in INDICATORS.items() if i.unit == "USD"}
    assert {c for c in INDICATORS if c.endswith("_usd")} == in_dollars


def test_aggregation_partitions_the_catalogue() -> None:
    assert set(SUM_CODES) | set(MAX_CODES) == set(INDICATORS)
    assert not set(SUM_CODES) & set(MAX_CODES)
    assert set(MAX_CODES) == {"jobs_sustained", "hectares_climate_smart", "clean_energy_mw"}
    assert all(INDICATORS[c].aggregation is Aggregation.MAX for c in MAX_CODES)


def test_iris_codes() -> None:
    assert {c: i.iris_code for c, i in INDICATORS.items() if i.iris_code} == {
        "jobs_created": "PI3687",
        "people_reached": "PI4060",
        "smes_supported": "PI9652",
    }


def test_part_of_pairs_and_breakdowns() -> None:
    assert all(part in INDICATORS and whole in INDICATORS for part, whole in PART_OF)
    assert BREAKDOWN_DIMENSIONS == ("sex", "age_band", "country")
    assert "female" in SEX_LABELS


def test_unknown_codes_sorted() -> None:
    assert unknown_codes({"jobs_created", "zebras", "apples"}) == ["apples", "zebras"]
    assert unknown_codes([]) == []
