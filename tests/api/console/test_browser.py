"""The console in a real browser (headless Chromium): the journeys of each role, a race between two
coordinators, the language switch, and an axe-core WCAG 2.1 AA check on every page."""

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from playwright.async_api import expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.models import AuditEntry, ImpactReport, Match, MatchDecision
from tests.api.console.conftest import People, Tab, screenshot_path

OpenTab = Callable[..., Awaitable[Tab]]


async def test_coordinator_reviews_and_decides(
    tabs: OpenTab, people: People, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    tab = await tabs()
    await tab.sign_in("coordinator@example.org")
    page = tab.page
    await expect(page).to_have_url(re.compile(r"/console/queue$"))
    await expect(page.locator("[data-match]")).to_have_count(4)
    await page.screenshot(path=screenshot_path(tmp_path, "review-queue"), full_page=True)

    first, second = people.matches[0], people.matches[1]
    await page.locator(f"#match-{first.id} [data-approve]").click()
    await expect(page.locator(".notice")).to_have_text("Approved.")

    # keyboard: j moves to the first open card, d writes a reason to decline it
    await page.keyboard.press("j")
    await page.keyboard.press("j")
    await page.keyboard.press("d")
    await page.keyboard.type("Ticket too small for this programme")
    await page.keyboard.press("Enter")
    await expect(page.locator(".notice")).to_have_text("Declined.")

    # filters: accent- and case-insensitive search narrows the queue without a reload
    await page.fill("#q", "CAFE CLIMATICO 2")
    await page.keyboard.press("Enter")
    await expect(page.locator("[data-match]")).to_have_count(1)

    # introduce the approved one, choosing contacts; the draft speaks the contacts' language
    await tab.go(f"/console/matches/{first.id}")
    await expect(page.locator("#draft-subject")).to_have_value(re.compile("Presentación"))
    await page.screenshot(path=screenshot_path(tmp_path, "match-introduce"), full_page=True)
    await page.click("button[value=introduce]")
    await expect(page.locator(".notice")).to_have_text("Introduction recorded.")

    async with sessionmaker() as session:
        decided = {m.id: m.status for m in (await session.scalars(select(Match))).all()}
        decisions = (await session.scalars(select(MatchDecision).order_by(MatchDecision.created_at))).all()
        audit = (await session.scalars(select(AuditEntry).where(AuditEntry.entity_id == first.id))).all()
    assert decided[first.id] == "introduced" and decided[second.id] == "declined"
    assert {d.actor_user_id for d in decisions} == {people.coordinator.id}
    assert all(d.actor_label == "Carla Coordinadora <coordinator@example.org>" for d in decisions)
    assert len(decisions[-1].contact_ids) == 2
    assert {a.actor_user_id for a in audit if a.action == "update"} == {people.coordinator.id}
    assert not tab.violations


async def test_two_coordinators_race_and_the_loser_keeps_their_input(tabs: OpenTab, people: People) -> None:
    match = people.matches[0]
    carla, segundo = await tabs(), await tabs()
    await carla.sign_in("coordinator@example.org")
    await segundo.sign_in("second@example.org")
    await carla.go(f"/console/matches/{match.id}")
    await segundo.go(f"/console/matches/{match.id}")

    await carla.page.click("button[value=approve]")
    await expect(carla.page.locator(".notice")).to_have_text("Approved.")

    await segundo.page.fill("#decline-reason", "The partner closed this window")
    await segundo.page.click("button[value=decline]")
    await expect(segundo.page.locator("[role=alert] h2")).to_have_text(
        "Someone else changed this match while you were looking"
    )
    await expect(segundo.page.locator("#decline-reason")).to_have_value("The partner closed this window")
    await expect(segundo.page.locator("dd .tag")).to_have_text("Approved")
    await segundo.page.click("button[value=decline]")  # the refreshed version: declining an approved match
    await expect(segundo.page.locator(".notice")).to_have_text("Declined.")


async def test_partner_answers_and_the_coordinator_sees_it(tabs: OpenTab, people: People) -> None:
    officer = await tabs()
    await officer.sign_in("officer@example.org")
    page = officer.page
    await expect(page).to_have_url(re.compile(r"/console/inbox$"))
    card = page.locator(f"#match-{people.matches[0].id}")
    await card.locator("input[value=not_interested]").check()
    await card.locator("button[type=submit]").click()
    await expect(page.locator("[role=alert]")).to_contain_text("reason")
    card = page.locator(f"#match-{people.matches[0].id}")
    await card.locator("textarea").fill("Outside our lending window this year")
    await card.locator("button[type=submit]").click()
    await expect(page.locator(".notice")).to_have_text("Your answer was sent to the coordinators.")
    await expect(page.locator(f"#match-{people.matches[3].id}")).to_have_count(0)  # another partner's

    coordinator = await tabs()
    await coordinator.sign_in("coordinator@example.org")
    await expect(coordinator.page.locator(f"#match-{people.matches[0].id} .warning")).to_contain_text(
        "Outside our lending window this year"
    )


async def test_company_reports_progress(
    tabs: OpenTab, people: People, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    company = await tabs()
    await company.sign_in("company@example.org")
    page = company.page
    await expect(page).to_have_url(re.compile(r"/console/company$"))
    await page.get_by_role("link", name="Report progress on Café climático 0").click()
    await page.fill("#metric-jobs_created", "40")
    await page.fill("#female-jobs_created", "22")
    await page.fill("#male-jobs_created", "18")
    await page.click("text=Other indicators")
    await page.fill("#metric-people_reached", "1200")
    await page.click("button:has-text('Save the report')")
    await expect(page.locator(".notice")).to_have_text("Progress report saved.")
    await expect(page.locator("svg.chart")).to_be_visible()
    await expect(page.locator("table").first).to_contain_text("1,200")
    await page.screenshot(path=screenshot_path(tmp_path, "commitment-results"), full_page=True)
    async with sessionmaker() as session:
        report = (await session.scalars(select(ImpactReport))).one()
    assert report.metrics == {"jobs_created": 40, "people_reached": 1200}
    assert report.breakdowns == {"jobs_created": {"sex": {"female": 22, "male": 18}}}
    assert report.reported_by is not None and "Camilo Empresa" in report.reported_by


async def test_switch_language_and_sign_out(tabs: OpenTab, people: People) -> None:
    tab = await tabs(locale="en-US")
    await tab.go("/console/sign-in")
    await expect(tab.page.locator("h1")).to_have_text("Sign in to Puente")
    await tab.page.click("button[lang=es]")
    await expect(tab.page.locator("h1")).to_have_text("Iniciar sesión en Puente")
    await tab.sign_in("coordinator@example.org")
    await tab.page.click("button[lang=es]")
    await expect(tab.page.locator("h1")).to_have_text("Cola de revisión")
    await expect(tab.page.locator("html")).to_have_attribute("lang", "es")
    await tab.page.click("header button:has-text('Cerrar sesión')")
    await expect(tab.page).to_have_url(re.compile(r"/console/sign-in$"))
    await tab.go("/console/queue")
    await expect(tab.page).to_have_url(re.compile(r"/console/sign-in\?next=/console/queue$"))
    spanish = await tabs(locale="es-GT")
    await spanish.go("/console/sign-in")
    await expect(spanish.page.locator("h1")).to_have_text("Iniciar sesión en Puente")


def _every_page(people: People) -> dict[str, list[str]]:
    match = people.matches[0]
    return {
        "": ["/console/sign-in", "/console/no-such-page"],
        "coordinator@example.org": [
            "/console/queue",
            f"/console/matches/{match.id}",
            "/console/organizations?q=cafe",
            f"/console/organizations/business/{people.business.id}",
            f"/console/organizations/partner/{people.partner.id}",
            f"/console/commitments/{match.commitment_id}",
            f"/console/commitments/{match.commitment_id}/edit",
            f"/console/commitments/{match.commitment_id}/report",
            "/console/dashboard",
            "/console/account",
        ],
        "officer@example.org": ["/console/inbox", f"/console/programs/{people.program.id}/edit"],
        "company@example.org": ["/console/company", "/console/company/profile"],
        "admin@example.org": [
            "/console/admin/users",
            "/console/admin/keys",
            "/console/admin/webhooks",
            "/console/admin/integrations",
        ],
    }


async def test_every_page_passes_axe(tabs: OpenTab, people: People) -> None:
    found: dict[str, object] = {}
    for locale in ("en-US", "es-ES"):
        for email, paths in _every_page(people).items():
            tab = await tabs(locale=locale)
            if email:
                await tab.sign_in(email)
            for path in paths:
                await tab.go(path)
                violations = await tab.axe()
                if violations:
                    found[f"{locale} {path}"] = violations
            assert not tab.violations, tab.violations
    assert not found, found
