"""Every console page answers each role with a page (never a 500), in English and Spanish, with safe headers."""

import httpx
import pytest

from services.api.console.web import CONTENT_SECURITY_POLICY
from tests.api.console.conftest import People, sign_in


def _pages(people: People) -> dict[str, list[str]]:
    match = people.matches[0]
    commitment = match.commitment_id
    return {
        "coordinator@example.org": [
            "/console/queue",
            "/console/queue?status=approved&country=GT&focus_area=food_security_agriculture&q=cafe&sort=created_at",
            f"/console/matches/{match.id}",
            "/console/organizations?q=cafetalera",
            f"/console/organizations/business/{people.business.id}",
            f"/console/organizations/partner/{people.partner.id}",
            f"/console/commitments/{commitment}",
            f"/console/commitments/{commitment}/edit",
            f"/console/commitments/{commitment}/report",
            "/console/dashboard",
            "/console/dashboard?group_by=country&metric=committed_usd&country=GT",
            "/console/account",
        ],
        "officer@example.org": ["/console/inbox", f"/console/programs/{people.program.id}/edit", "/console/account"],
        "company@example.org": [
            "/console/company",
            "/console/company/profile",
            f"/console/commitments/{commitment}",
            f"/console/commitments/{commitment}/report",
        ],
        "admin@example.org": [
            "/console/admin/users",
            "/console/admin/keys",
            "/console/admin/webhooks",
            "/console/admin/integrations",
            "/console/queue",
        ],
    }


@pytest.mark.parametrize("language", ["en", "es"])
async def test_every_page_renders_for_its_role(
    browser_client: httpx.AsyncClient, people: People, language: str
) -> None:
    for email, paths in _pages(people).items():
        browser_client.cookies.clear()
        assert (await sign_in(browser_client, email)).status_code == 303
        await browser_client.post(
            "/console/language",
            data={"language": language, "next": "/console/", "csrf_token": await _token(browser_client)},
        )
        for path in paths:
            page = await browser_client.get(path)
            assert page.status_code == 200, (email, path, page.text[:2000])
            assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
            assert page.headers["x-frame-options"] == "DENY"
            assert f'<html lang="{language}">' in page.text
            assert "<script>" not in page.text and " style=" not in page.text, path


async def _token(http: httpx.AsyncClient) -> str:
    from tests.api.console.conftest import csrf_of

    return csrf_of((await http.get("/console/account")).text)


async def test_pages_of_other_roles_and_records_are_refused(browser_client: httpx.AsyncClient, people: People) -> None:
    await sign_in(browser_client, "officer@example.org")
    assert (await browser_client.get("/console/queue")).status_code == 403
    assert (await browser_client.get("/console/admin/users")).status_code == 403
    other = people.matches[3]  # proposed to another partner
    assert (await browser_client.get(f"/console/programs/{other.program_id}/edit")).status_code == 404
    browser_client.cookies.clear()
    await sign_in(browser_client, "company@example.org")
    assert (await browser_client.get("/console/inbox")).status_code == 403
    assert (await browser_client.get(f"/console/commitments/{other.commitment_id}")).status_code == 200  # its own
    assert (await browser_client.get("/console/commitments/00000000-0000-0000-0000-000000000001")).status_code == 404
    assert (await browser_client.get("/console/commitments/not-a-uuid")).status_code == 404
    assert (await browser_client.get("/console/no/such/page")).status_code == 404


async def test_signed_out_pages_send_to_sign_in(browser_client: httpx.AsyncClient, people: People) -> None:
    answer = await browser_client.get("/console/queue")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/sign-in?next=/console/queue"
    assert (await browser_client.get("/console/")).headers["location"] == "/console/sign-in"
