"""Signing in and out, invitations, single sign-on, the language switch and the person's own account."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import RedirectResponse

from services.api.auth import oidc, sessions, users
from services.api.auth.throttle import SignInThrottle
from services.api.console.web import (
    ANONYMOUS_CSRF_COOKIE,
    LANGUAGE_COOKIE,
    PREFIX,
    ConsoleRoute,
    DbSession,
    SignedIn,
    current_person,
    form_of,
    gettext,
    redirect,
    render,
    safe_next,
    set_cookie,
    settings_of,
)
from shared.enums import Language, Role
from shared.errors import NotFound, RateLimited, Unauthorized, ValidationFailed

router = APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False)

OIDC_COOKIE = "puente_oidc"

#: Where each role starts.
HOME = {
    Role.ADMIN: "/queue",
    Role.COORDINATOR: "/queue",
    Role.PARTNER: "/inbox",
    Role.BUSINESS: "/company",
    Role.VIEWER: "/dashboard",
    Role.INTEGRATOR: "/account",
}


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _signed_in_response(request: Request, raw_token: str, target: str) -> Response:
    response = RedirectResponse(safe_next(target), status_code=303)
    max_age = settings_of(request).console_session_max_hours * 3600
    set_cookie(request, response, sessions.SESSION_COOKIE, raw_token, max_age=max_age)
    response.delete_cookie(ANONYMOUS_CSRF_COOKIE, path=PREFIX)
    return response


@router.get("/")
async def home(request: Request) -> Response:
    person = await current_person(request)
    if person is None:
        return redirect("/sign-in")
    return redirect(HOME[person.role])


@router.get("/sign-in")
async def sign_in_form(request: Request, next: str | None = None) -> Response:
    if await current_person(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "sign_in.html", {"next": safe_next(next), "sso": oidc.enabled(settings_of(request))})


@router.post("/sign-in")
async def sign_in(request: Request, session: DbSession) -> Response:
    form = await form_of(request, None)
    email, password = str(form.get("email", ""))[:320], str(form.get("password", ""))
    target = safe_next(str(form.get("next", "")))
    settings = settings_of(request)
    throttle = SignInThrottle(request.app.state.arq, settings.console_signin_attempts)
    address = _client_address(request)
    wait = await throttle.retry_after(address, email)
    if wait is not None:
        error = RateLimited("too many failed sign-ins", extra={"retry_after": wait})
        context = {
            "next": target,
            "email": email,
            "error": gettext(
                request, "Too many failed attempts. Wait %(minutes)s minutes and try again.", minutes=max(1, wait // 60)
            ),
        }
        response = render(request, "sign_in.html", {**context, "sso": oidc.enabled(settings)}, status=error.status)
        response.headers["Retry-After"] = str(wait)
        return response
    user = await users.authenticate(session, email, password)
    if user is None:
        await throttle.failed(address, email)
        context = {
            "next": target,
            "email": email,
            "error": gettext(request, "That email and password do not match an active account."),
        }
        return render(request, "sign_in.html", {**context, "sso": oidc.enabled(settings)}, status=401)
    await throttle.succeeded(email)
    raw, _ = await sessions.start(session, user, settings, request.headers.get("user-agent"))
    return _signed_in_response(request, raw, target if target != PREFIX + "/" else PREFIX + HOME[Role(user.role)])


@router.post("/sign-out")
async def sign_out(request: Request, session: DbSession, person: SignedIn) -> Response:
    await form_of(request, person)
    await sessions.end(session, person.session_token)
    response = redirect("/sign-in")
    response.delete_cookie(sessions.SESSION_COOKIE, path=PREFIX)
    return response


@router.post("/language")
async def switch_language(request: Request, session: DbSession) -> Response:
    person = await current_person(request)
    form = await form_of(request, person)
    chosen = str(form.get("language", ""))
    if chosen not in Language.__members__.values():
        raise ValidationFailed("choose es or en")
    response = RedirectResponse(safe_next(str(form.get("next", ""))), status_code=303)
    if person is not None:
        await users.set_language(session, person.user.id, Language(chosen))
    set_cookie(request, response, LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600)
    return response


@router.get("/account")
async def account(request: Request, person: SignedIn) -> Response:
    return render(request, "account.html")


@router.post("/account/sign-out-everywhere")
async def sign_out_everywhere(request: Request, session: DbSession, person: SignedIn) -> Response:
    await form_of(request, person)
    await sessions.end_everywhere(session, person.user.id)
    response = redirect("/sign-in", notice="signed_out_everywhere")
    response.delete_cookie(sessions.SESSION_COOKIE, path=PREFIX)
    return response


InvitationToken = Annotated[str, Path(max_length=100)]


@router.get("/invitation/{token}")
async def invitation_form(request: Request, token: InvitationToken, session: DbSession) -> Response:
    user = await users.invitation(session, token)
    return render(request, "invitation.html", {"invited": user, "token": token})


@router.post("/invitation/{token}")
async def accept_invitation(request: Request, token: InvitationToken, session: DbSession) -> Response:
    form = await form_of(request, None)
    user = await users.invitation(session, token)
    password, again = str(form.get("password", "")), str(form.get("password_again", ""))
    error = None
    if password != again:
        error = gettext(request, "The two passwords differ.")
    elif len(password) < 12:
        error = gettext(request, "A password needs at least 12 characters.")
    if error:
        return render(request, "invitation.html", {"invited": user, "token": token, "error": error}, status=422)
    await users.accept_invitation(session, token, password)
    return redirect("/sign-in", notice="password_set")


def _redirect_uri(request: Request) -> str:
    base = settings_of(request).public_url or str(request.base_url)
    return base.rstrip("/") + PREFIX + "/sso/callback"


@router.get("/sso")
async def single_sign_on(request: Request) -> Response:
    settings = settings_of(request)
    if not oidc.enabled(settings):
        raise NotFound("single sign-on is not configured")
    attempt = oidc.new_attempt()
    target = await oidc.authorization_url(
        request.app.state.http, settings, _redirect_uri(request), attempt, request.cookies.get(LANGUAGE_COOKIE, "es")
    )
    response = RedirectResponse(target, status_code=303)
    set_cookie(request, response, OIDC_COOKIE, attempt.encode(), max_age=600)
    return response


@router.get("/sso/callback")
async def single_sign_on_callback(request: Request, session: DbSession, code: str = "", state: str = "") -> Response:
    settings = settings_of(request)
    attempt = oidc.Attempt.decode(request.cookies.get(OIDC_COOKIE, ""))
    if not oidc.enabled(settings) or attempt is None or not code:
        raise Unauthorized("this sign-on answer does not belong to a sign-in started here")
    identity = await oidc.finish(
        request.app.state.http, settings, _redirect_uri(request), attempt, state[:200], code[:2000]
    )
    user = await users.link_oidc_subject(session, identity.subject, identity.email)
    if user is None:
        raise Unauthorized("no active account for this identity; ask an administrator for an invitation")
    raw, _ = await sessions.start(session, user, settings, request.headers.get("user-agent"))
    response = _signed_in_response(request, raw, PREFIX + HOME[Role(user.role)])
    response.delete_cookie(OIDC_COOKIE, path=PREFIX)
    return response
