"""The demo data set is internally consistent: keys resolve, codes are the brief's, figures are plausible."""

import importlib.util
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shared.countries import ISO_COUNTRIES
from shared.enums import (
    PROGRAMME_COUNTRIES,
    BusinessSize,
    CommitmentStatus,
    FocusArea,
    Initiative,
    Instrument,
    Need,
    PartnerType,
)
from shared.indicators import BREAKDOWN_DIMENSIONS, INDICATORS, Aggregation

DEMO_DIR = Path(__file__).resolve().parents[2] / "services" / "cli" / "demo"
DATA_FILE = DEMO_DIR / "demo_data.json"
GENERATOR = DEMO_DIR / "build_demo_data.py"

SPANISH_MARKERS = (" para ", " con ", " de la ", " y ", "ción", " en el ", " las ", " los ")


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return loaded


def _codes(enum: Any) -> set[str]:
    return {member.value for member in enum}


def _by_key(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    keys = [r["key"] for r in records]
    duplicates = [k for k, n in Counter(keys).items() if n > 1]
    assert not duplicates, f"duplicate keys: {duplicates}"
    return {r["key"]: r for r in records}


def _assert_countries(where: str, countries: list[str]) -> None:
    assert countries, f"{where}: no countries"
    for code in countries:
        assert len(code) == 2 and code.isupper() and code in ISO_COUNTRIES, f"{where}: bad country {code!r}"
    assert len(set(countries)) == len(countries), f"{where}: repeated country"


def _is_spanish(text: str) -> bool:
    lowered = f" {text.lower()} "
    return sum(marker in lowered for marker in SPANISH_MARKERS) >= 2 or any(c in text for c in "ñ¿¡")


def test_top_level_shape_and_counts(data):
    assert set(data) >= {"businesses", "partners", "programs", "commitments", "impact_reports"}
    assert 25 <= len(data["businesses"]) <= 40
    assert 12 <= len(data["partners"]) <= 25
    assert 35 <= len(data["programs"]) <= 50
    assert 60 <= len(data["commitments"]) <= 85
    assert 100 <= len(data["impact_reports"]) <= 160


def test_businesses(data):
    sizes = _codes(BusinessSize)
    fields = {
        "key", "name", "aliases", "description", "website", "hq_country", "countries", "sectors", "size",
        "women_led", "indigenous_led",
    }  # fmt: skip
    for b in data["businesses"]:
        where = f"business {b['key']}"
        assert set(b) == fields, where
        assert b["name"] and b["description"], where
        assert b["size"] in sizes, where
        assert isinstance(b["women_led"], bool) and isinstance(b["indigenous_led"], bool), where
        assert b["website"].startswith("https://"), where
        assert all(isinstance(a, str) and a for a in b["aliases"]), where
        assert b["sectors"] and all(s == s.lower() and " " not in s for s in b["sectors"]), where
        _assert_countries(where, [b["hq_country"]])
        _assert_countries(where, b["countries"])
        assert set(b["countries"]) & set(PROGRAMME_COUNTRIES), f"{where}: not in the programme's countries"
    businesses = data["businesses"]
    _by_key(businesses)
    assert sum(b["women_led"] for b in businesses) >= 4
    assert sum(b["indigenous_led"] for b in businesses) >= 3
    assert {b["size"] for b in businesses} == sizes
    spanish = sum(_is_spanish(b["description"]) for b in businesses)
    assert len(businesses) / 5 <= spanish <= len(businesses) / 2, spanish


def test_partners(data):
    types = _codes(PartnerType)
    partners = _by_key(data["partners"])
    for p in partners.values():
        where = f"partner {p['key']}"
        assert p["partner_type"] in types, where
        assert p["name"] and p["description"], where
        assert p["agency_code"] is None or (isinstance(p["agency_code"], str) and p["agency_code"]), where
        _assert_countries(where, p["countries"])
    codes = {p["agency_code"] for p in partners.values()}
    assert {"USAID", "DFC", "DOC", "DOL", "MCC", "IAF", "IFC", "CABEI", "WFP", "UNDP", "ILO"} <= codes
    assert {"us_agency", "mdb", "un_agency", "ngo", "foundation", "government"} <= {
        p["partner_type"] for p in partners.values()
    }


def test_programs(data):
    partners = _by_key(data["partners"])
    programs = _by_key(data["programs"])
    instruments, focus, sizes = _codes(Instrument), _codes(FocusArea), _codes(BusinessSize)
    for g in programs.values():
        where = f"program {g['key']}"
        assert g["partner_key"] in partners, f"{where}: unknown partner {g['partner_key']}"
        assert g["name"] and g["description"], where
        assert g["instruments"] and set(g["instruments"]) <= instruments, where
        assert g["focus_areas"] and set(g["focus_areas"]) <= focus, where
        assert g["eligible_sizes"] and set(g["eligible_sizes"]) <= sizes, where
        _assert_countries(where, g["countries"])
        assert set(g["countries"]) <= set(partners[g["partner_key"]]["countries"]), where
        assert isinstance(g["capacity_per_month"], int) and 1 <= g["capacity_per_month"] <= 10, where
        assert isinstance(g["active"], bool), where
        low, high = g["min_ticket_usd"], g["max_ticket_usd"]
        assert (low is None) == (high is None), where
        if low is not None:
            assert 0 <= low <= high, f"{where}: min_ticket_usd > max_ticket_usd"
    assert 1 <= sum(not g["active"] for g in programs.values()) <= 4
    assert set().union(*(g["instruments"] for g in programs.values())) == instruments
    assert set().union(*(g["focus_areas"] for g in programs.values())) == focus
    assert {g["partner_key"] for g in programs.values()} == set(partners), "a partner without programmes"


def test_commitments(data):
    businesses = _by_key(data["businesses"])
    commitments = _by_key(data["commitments"])
    focus, needs = _codes(FocusArea), _codes(Need)
    statuses, initiatives = _codes(CommitmentStatus), _codes(Initiative)
    for c in commitments.values():
        where = f"commitment {c['key']}"
        assert c["business_key"] in businesses, f"{where}: unknown business {c['business_key']}"
        assert c["title"] and c["description"], where
        assert c["focus_areas"] and set(c["focus_areas"]) <= focus, where
        assert c["needs"] and set(c["needs"]) <= needs, where
        assert c["status"] in statuses and c["initiative"] in initiatives, where
        _assert_countries(where, c["countries"])
        assert set(c["countries"]) <= set(PROGRAMME_COUNTRIES), where
        assert 50_000 <= c["amount_usd"] <= 300_000_000, where
        announced = date.fromisoformat(c["announced_on"])
        if c["initiative"] == "call_to_action":
            assert date(2021, 5, 1) <= announced <= date(2022, 12, 31), where
        else:
            assert date(2023, 2, 1) <= announced <= date(2026, 3, 31), where
        assert c["targets"], where
        assert set(c["targets"]) <= set(INDICATORS), f"{where}: unknown indicator"
        assert all(isinstance(v, int | float) and v > 0 for v in c["targets"].values()), where
        assert c["targets"].get("investment_deployed_usd", 0) <= c["amount_usd"], where
    values = list(commitments.values())
    assert set().union(*(c["focus_areas"] for c in values)) == focus
    assert set().union(*(c["countries"] for c in values)) == set(PROGRAMME_COUNTRIES)
    assert {c["initiative"] for c in values} == initiatives
    status_counts = Counter(c["status"] for c in values)
    assert set(status_counts) == statuses
    assert status_counts["in_progress"] > len(values) / 2
    assert 1 <= status_counts["withdrawn"] <= 2
    total = sum(c["amount_usd"] for c in values)
    assert 500_000_000 <= total <= 5_000_000_000, total
    spanish = sum(_is_spanish(c["description"]) for c in values)
    assert len(values) / 5 <= spanish <= len(values) / 2, spanish


def test_impact_reports(data):
    commitments = _by_key(data["commitments"])
    reports = data["impact_reports"]
    periods = Counter((r["commitment_key"], r["period_start"], r["period_end"]) for r in reports)
    assert max(periods.values()) == 1, "two reports for one commitment and period"
    by_commitment: dict[str, list[dict[str, Any]]] = {}
    for r in reports:
        where = f"report {r['commitment_key']} {r['period_start']}"
        c = commitments.get(r["commitment_key"])
        assert c is not None, f"{where}: unknown commitment"
        assert c["status"] in {"in_progress", "completed", "stalled"}, where
        start, end = date.fromisoformat(r["period_start"]), date.fromisoformat(r["period_end"])
        assert start < end, where
        assert start.day == 1 and start.month in (1, 4, 7, 10), f"{where}: not a calendar quarter"
        assert 85 <= (end - start).days <= 92, f"{where}: not a quarter"
        assert date(2021, 1, 1) <= start and end <= date(2026, 12, 31), where
        assert start > date.fromisoformat(c["announced_on"]), f"{where}: before the announcement"
        assert r["metrics"] and set(r["metrics"]) <= set(c["targets"]), f"{where}: metric without a target"
        assert all(isinstance(v, int | float) and v >= 0 for v in r["metrics"].values()), where
        by_commitment.setdefault(c["key"], []).append(r)
        for code, dims in r.get("breakdowns", {}).items():
            assert code in r["metrics"], f"{where}: breakdown of an unreported metric"
            assert dims and set(dims) <= set(BREAKDOWN_DIMENSIONS), where
            for dim, parts in dims.items():
                assert sum(parts.values()) == r["metrics"][code], f"{where}: {code} by {dim} does not add up"
                if dim == "country":
                    _assert_countries(where, list(parts))
    for key, history in by_commitment.items():
        history.sort(key=lambda r: r["period_start"])
        targets = commitments[key]["targets"]
        for code in set().union(*(r["metrics"] for r in history)):
            values = [r["metrics"][code] for r in history if code in r["metrics"]]
            if INDICATORS[code].aggregation is Aggregation.MAX:
                # A running total: restated each period, never shrinking, at most the target.
                assert values == sorted(values), f"{key}: running total {code} decreases"
                achieved = max(values)
            else:
                achieved = sum(values)
            assert achieved <= targets[code] * 1.05, f"{key}: {code} overshoots its target"
    years = {r["period_start"][:4] for r in reports}
    assert {"2021", "2022", "2023", "2024", "2025", "2026"} <= years
    assert sum("breakdowns" in r for r in reports) >= 5
    assert sum(c["status"] == "in_progress" for c in commitments.values() if c["key"] in by_commitment) >= 30


def test_generator_reproduces_the_file(data):
    spec = importlib.util.spec_from_file_location("build_demo_data", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rebuilt = json.loads(json.dumps(module.build(), ensure_ascii=False))
    assert rebuilt == data, "demo_data.json is out of date: run services/cli/demo/build_demo_data.py"
