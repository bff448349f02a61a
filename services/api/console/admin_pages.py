"""Administration: people (invite, disable, invite again), API keys, webhook endpoints with their
delivery log, and integrations. Secrets and invitation links are shown once, on the page that made them."""

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from services.api.auth import service as keys_service
from services.api.auth import users
from services.api.auth.mail import mail_configured, send_mail
from services.api.console import repository
from services.api.console.web import (
    PREFIX,
    Admin,
    ConsoleRoute,
    DbSession,
    Person,
    environment,
    form_of,
    redirect,
    render,
    settings_of,
    text_of,
    uuid_or_none,
    version_of,
)
from services.api.webhooks import service as webhooks_service
from shared.enums import Language, Role
from shared.errors import ValidationFailed

router = APIRouter(prefix=PREFIX + "/admin", route_class=ConsoleRoute, include_in_schema=False)


async def _organisations(request: Request, person: Person) -> dict[str, Any]:
    reads = person.reads(request)
    return {
        "partners": await reads.shaped(("console-partners",), repository.partner_options, {}),
        "businesses": await reads.shaped(("console-businesses",), repository.business_options, {}),
        "roles": [r.value for r in Role],
    }


async def _users_page(request: Request, session: DbSession, person: Person, **extra: Any) -> Response:
    context = {
        "users": (await session.scalars(repository.users())).all(),
        "mail": mail_configured(settings_of(request)),
        **await _organisations(request, person),
        **extra,
    }
    return render(request, "admin_users.html", context)


@router.get("/users")
async def users_page(request: Request, session: DbSession, person: Admin) -> Response:
    return await _users_page(request, session, person)


def _role_and_organisation(form: Any) -> tuple[Role, uuid.UUID | None]:
    role_code = text_of(form, "role") or ""
    if role_code not in Role.__members__.values():
        raise ValidationFailed("choose a role", extra={"field": "role"})
    role = Role(role_code)
    organisation = None
    if role is Role.PARTNER:
        organisation = uuid_or_none(form.get("partner_id"))
    elif role is Role.BUSINESS:
        organisation = uuid_or_none(form.get("business_id"))
    return role, organisation


def _link(request: Request, raw: str) -> str:
    base = settings_of(request).public_url or str(request.base_url)
    return f"{base.rstrip('/')}{PREFIX}/invitation/{raw}"


async def _mail_invitation(request: Request, user: Any, link: str) -> bool:
    text = environment(Language(user.language)).get_template("invitation_mail.txt").render(name=user.name, link=link)
    subject, _, body = text.partition("\n")
    return await send_mail(settings_of(request), to=user.email, subject=subject.strip(), body=body.strip())


@router.post("/users")
async def invite(request: Request, session: DbSession, person: Admin) -> Response:
    form = await form_of(request, person)
    role, organisation = _role_and_organisation(form)
    language = text_of(form, "language") or "es"
    if language not in Language.__members__.values():
        raise ValidationFailed("choose es or en", extra={"field": "language"})
    user, raw = await users.invite_user(
        session,
        email=text_of(form, "email") or "",
        name=text_of(form, "name") or "",
        role=role,
        organization_id=organisation,
        language=Language(language),
        invited_by=person.actor,
        valid_hours=settings_of(request).console_invitation_hours,
    )
    link = _link(request, raw)
    mailed = await _mail_invitation(request, user, link)
    return await _users_page(request, session, person, invited=user, link=link, mailed=mailed)


@router.post("/users/{user_id}/reinvite")
async def reinvite(user_id: uuid.UUID, request: Request, session: DbSession, person: Admin) -> Response:
    await form_of(request, person)
    user, raw = await users.reinvite(session, user_id, settings_of(request).console_invitation_hours)
    link = _link(request, raw)
    mailed = await _mail_invitation(request, user, link)
    return await _users_page(request, session, person, invited=user, link=link, mailed=mailed)


@router.post("/users/{user_id}/disable")
async def disable(user_id: uuid.UUID, request: Request, session: DbSession, person: Admin) -> Response:
    form = await form_of(request, person)
    await users.set_disabled(session, user_id, disabled=True, expected_version=version_of(form), by=person.actor)
    return redirect("/admin/users", notice="disabled")


@router.post("/users/{user_id}/enable")
async def enable(user_id: uuid.UUID, request: Request, session: DbSession, person: Admin) -> Response:
    form = await form_of(request, person)
    await users.set_disabled(session, user_id, disabled=False, expected_version=version_of(form), by=person.actor)
    return redirect("/admin/users", notice="enabled")


async def _keys_page(request: Request, session: DbSession, person: Person, **extra: Any) -> Response:
    context = {"keys": (await session.scalars(repository.api_keys())).all(), **await _organisations(request, person)}
    return render(request, "admin_keys.html", {**context, **extra})


@router.get("/keys")
async def keys_page(request: Request, session: DbSession, person: Admin) -> Response:
    return await _keys_page(request, session, person)


@router.post("/keys")
async def issue_key(request: Request, session: DbSession, person: Admin) -> Response:
    form = await form_of(request, person)
    role, organisation = _role_and_organisation(form)
    name = text_of(form, "name")
    if not name or len(name) > 300:
        raise ValidationFailed("a key needs a name of 1 to 300 characters", extra={"field": "name"})
    key, raw = await keys_service.issue_key(
        session, name=name, role=role, organization_id=organisation, created_by=person.actor
    )
    return await _keys_page(request, session, person, issued=key, raw_key=raw)


@router.post("/keys/{key_id}/revoke")
async def revoke_key(key_id: uuid.UUID, request: Request, session: DbSession, person: Admin) -> Response:
    await form_of(request, person)
    await keys_service.revoke_key(session, key_id, request.app.state.key_cache)
    return redirect("/admin/keys", notice="revoked")


@router.get("/webhooks")
async def webhooks_page(request: Request, session: DbSession, person: Admin) -> Response:
    endpoints = (await session.scalars(repository.webhook_endpoints())).all()
    return render(request, "admin_webhooks.html", {"endpoints": endpoints})


@router.get("/webhooks/{endpoint_id}")
async def webhook_page(endpoint_id: uuid.UUID, request: Request, session: DbSession, person: Admin) -> Response:
    endpoint = await webhooks_service.get_endpoint(session, endpoint_id, person.actor)
    deliveries = (await session.scalars(repository.deliveries_of(endpoint.id))).all()
    views = await webhooks_service.delivery_views(session, list(deliveries))
    return render(request, "admin_webhook.html", {"endpoint": endpoint, "deliveries": views})


@router.get("/integrations")
async def integrations_page(request: Request, session: DbSession, person: Admin) -> Response:
    integrations = (await session.scalars(repository.integrations())).all()
    return render(request, "admin_integrations.html", {"integrations": integrations})
