"""POST /v1/commitments/feedback: need, overlaps (scoped), checklist and suggestions, in Spanish and English;
the draft is never stored."""

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.models import AuditEntry, Business, Commitment, MatchRun, WebhookEvent
from tests import factories
from tests.api.conftest import Keys, assert_problem

pytestmark = pytest.mark.usefixtures("reference_data")

DRAFT: dict[str, Any] = {
    "title": "Climate-smart coffee with 2,000 smallholders",
    "description": "Financiamiento y asistencia técnica para caficultores.",
    "focus_areas": ["food_security_agriculture"],
    "regions": ["GT-1302"],  # Chiantla, Huehuetenango
    "amount_usd": 2_500_000,
    "announced_on": "2025-03-01",
    "targets": {"people_trained": 2000, "jobs_created": 150},
    "baselines": {"jobs_created": 0},
}


async def _stored(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[int, int, int, int]:
    async with sessionmaker() as session:
        counts = []
        for model in (Commitment, WebhookEvent, MatchRun, AuditEntry):
            counts.append(int(await session.scalar(select(func.count()).select_from(model)) or 0))
        return counts[0], counts[1], counts[2], counts[3]


async def _commitment(
    sessionmaker: async_sessionmaker[AsyncSession],
    business_id: uuid.UUID,
    title: str,
    regions: list[str],
    **fields: Any,
) -> Commitment:
    async with sessionmaker() as session:
        business = await session.get_one(Business, business_id)
        commitment = await factories.create_commitment(session, business, title=title, regions=regions, **fields)
        await session.commit()
    return commitment


async def _feedback(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any], language: str = "en"
) -> dict[str, Any]:
    response = await client.post(
        "/v1/commitments/feedback", json=body, headers={**headers, "Accept-Language": language}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-language"] == language[:2]
    answer: dict[str, Any] = response.json()
    return answer


async def test_feedback_in_english_names_need_checklist_and_nearby_places(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    before = await _stored(sessionmaker)
    answer = await _feedback(client, keys.coordinator, {**DRAFT, "business_id": str(keys.business.id)})
    assert answer["language"] == "en" and "programs" not in answer
    [place] = answer["need"]["places"]
    assert place["region_id"] == "GT-1302" and place["need"]["status"] == "known"
    assert place["sentence"].startswith("Chiantla, Huehuetenango: need index ")
    assert "of 340 municipalities of Guatemala" in place["sentence"]
    poverty = next(f for f in place["figures"] if f["indicator"] == "poverty_headcount")
    assert poverty["year"] == 2023 and poverty["source_id"] == "segeplan_sae2023"
    assert "segeplan_sae2023" in answer["need"]["sources"]

    checks = {check["code"]: check for check in answer["checklist"]}
    assert [checks[code]["passed"] for code in ("places_named", "focused", "measurable_targets", "funding_stated")] == [
        True,
        True,
        True,
        True,
    ]
    assert checks["baselines"]["passed"] is False and "people_trained" in checks["baselines"]["detail"]
    assert checks["reporting_plan"]["passed"] is False  # the business has no reports yet
    assert checks["timeline"]["passed"] is True and "2025-03-01" in checks["timeline"]["detail"]

    suggestions = {s["code"]: s for s in answer["suggestions"]}
    nearby = suggestions["nearby_higher_need"]
    assert 1 <= len(nearby["regions"]) <= 3 and "GT-1302" not in nearby["regions"]
    own_index = place["need"]["index"]
    for region in nearby["regions"]:
        other = (await client.get(f"/v1/regions/{region}", headers=keys.admin)).json()
        assert other["need"]["index"] > own_index
    assert "people_trained" in suggestions["target_scale"]["text"]
    assert await _stored(sessionmaker) == before  # nothing stored: no commitment, event, run or audit entry


async def test_feedback_in_spanish(client: httpx.AsyncClient, keys: Keys) -> None:
    answer = await _feedback(client, keys.business.headers, DRAFT, language="es-GT,es;q=0.9,en;q=0.5")
    assert answer["language"] == "es"
    assert "índice de necesidad" in answer["need"]["places"][0]["sentence"]
    assert "de 340 municipios de Guatemala" in answer["need"]["places"][0]["sentence"]
    titles = {check["code"]: check["title"] for check in answer["checklist"]}
    assert titles["places_named"] == "Lugares nombrados"
    assert any("Municipios cercanos" in s["text"] for s in answer["suggestions"])


async def test_overlaps_in_full_for_coordinators_and_as_counts_for_a_business(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    theirs = await _commitment(sessionmaker, keys.other_business.id, "Their coffee", ["GT-1302"], amount_usd=7_000_000)
    mine = await _commitment(sessionmaker, keys.business.id, "My Huehuetenango work", ["GT-13"])
    await _commitment(
        sessionmaker, keys.other_business.id, "Their payments", ["GT-1302"], focus_areas=["digital_financial_inclusion"]
    )
    await _commitment(sessionmaker, keys.other_business.id, "Withdrawn", ["GT-1302"], status="withdrawn")
    await _commitment(sessionmaker, keys.other_business.id, "Elsewhere", ["GT-0101"])

    full = (await _feedback(client, keys.coordinator, DRAFT))["overlaps"]
    assert full["visibility"] == "full" and full["count"] == 2
    assert {item["title"] for item in full["items"]} == {"Their coffee", "My Huehuetenango work"}
    assert {item["commitment_id"] for item in full["items"]} == {str(theirs.id), str(mine.id)}

    counted = (await _feedback(client, keys.business.headers, DRAFT))["overlaps"]
    assert counted["visibility"] == "counts" and counted["count"] == 2
    assert [item["title"] for item in counted["items"]] == ["My Huehuetenango work"] and counted["items"][0]["yours"]
    assert counted["by_place"] == [
        {"region_id": "GT-1302", "name": "Chiantla", "focus_area": "food_security_agriculture", "commitments": 2}
    ]
    text = str(counted)
    assert "Their coffee" not in text and str(theirs.id) not in text and "7000000" not in text
    assert "DFC" not in text and "Istmo" not in text  # no other organisation named


async def test_salvador_district_need_is_unknown_and_the_draft_is_not_judged_on_it(
    client: httpx.AsyncClient, keys: Keys
) -> None:
    answer = await _feedback(client, keys.admin, {**DRAFT, "regions": ["SV-0614"], "countries": []})
    [place] = answer["need"]["places"]
    assert place["need"]["status"] == "unknown" and place["need"]["index"] is None
    assert "unknown, not low" in place["sentence"] and "district of" in place["sentence"]
    checks = {check["code"]: check["passed"] for check in answer["checklist"]}
    assert checks["high_need"] is None and checks["places_named"] is True and checks["reporting_plan"] is None
    assert {s["code"] for s in answer["suggestions"]} >= {"unknown_need"}


async def test_a_draft_without_places_is_told_where_need_is_highest(client: httpx.AsyncClient, keys: Keys) -> None:
    answer = await _feedback(client, keys.admin, {**DRAFT, "regions": [], "countries": ["GT"], "focus_areas": []})
    checks = {check["code"]: check["passed"] for check in answer["checklist"]}
    assert checks["places_named"] is False and checks["focused"] is False and checks["high_need"] is None
    [suggestion] = [s for s in answer["suggestions"] if s["code"] == "name_places"]
    assert len(suggestion["regions"]) == 3
    assert answer["need"]["places"] == [] and "names no place" in answer["need"]["summary"]


async def test_feedback_is_deterministic(client: httpx.AsyncClient, keys: Keys) -> None:
    first = await _feedback(client, keys.coordinator, DRAFT)
    assert await _feedback(client, keys.coordinator, DRAFT) == first


async def test_bad_drafts_and_callers(client: httpx.AsyncClient, keys: Keys, sessionmaker) -> None:
    before = await _stored(sessionmaker)
    url = "/v1/commitments/feedback"
    assert_problem(await client.post(url, json={**DRAFT, "regions": ["GT-9999"]}, headers=keys.admin), 422)
    assert_problem(await client.post(url, json={**DRAFT, "countries": ["HN"]}, headers=keys.admin), 422)
    assert_problem(await client.post(url, json={**DRAFT, "title": ""}, headers=keys.admin), 422)
    assert_problem(await client.post(url, json={**DRAFT, "targets": {"smiles": 3}}, headers=keys.admin), 422)
    assert_problem(await client.post(url, json={**DRAFT, "surprise": 1}, headers=keys.admin), 422)
    assert_problem(await client.post(url, json=[], headers=keys.admin), 422)
    other = {**DRAFT, "business_id": str(keys.other_business.id)}
    assert_problem(await client.post(url, json=other, headers=keys.business.headers), 404)
    assert_problem(await client.post(url, json=DRAFT, headers=keys.partner.headers), 403)
    assert_problem(await client.post(url, json=DRAFT, headers=keys.viewer), 403)
    assert_problem(await client.post(url, json=DRAFT), 401)
    assert await _stored(sessionmaker) == before
