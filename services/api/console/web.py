"""How console pages are served: who is signed in, CSRF, templates in the reader's language, safe headers.

Every console route uses `ConsoleRoute`: the request's transaction is committed as for the JSON API
(it extends `TransactionalRoute`), every answer carries a strict Content Security Policy (no inline
script or style anywhere, so no nonce is needed) and refuses framing, and errors become a page in
the reader's language rather than problem+json. Pages call the same services the JSON routers call.
"""

import secrets
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError
from starlette.datastructures import FormData

from services.api.auth import sessions as web_sessions
from services.api.auth.users import actor_for
from services.api.console import charts
from services.api.console.i18n import N_, label, translations
from services.api.deps import CallerReads, request_session, scope_to_caller
from services.api.kit.language import negotiate
from services.api.kit.routing import TransactionalRoute
from shared.actor import Actor
from shared.config import Settings
from shared.enums import Language, Role
from shared.errors import Conflict, Forbidden, NotFound, PreconditionFailed, PuenteError, ValidationFailed
from shared.models import User

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
PREFIX = "/console"
LANGUAGE_COOKIE = "puente_lang"
ANONYMOUS_CSRF_COOKIE = "puente_csrf"
CSRF_FIELD = "csrf_token"
HTMX_VERSION = "2.0.11"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SignInRequired(Exception):
    """No live session: the page sends the browser to sign in, and back afterwards."""


class CsrfFailed(Forbidden):
    title = "Form expired"
    code = "csrf-failed"


@dataclass(frozen=True, slots=True)
class Profile:
    """What pages show of the signed-in person: plain values, so a rolled-back transaction cannot expire them."""

    id: uuid.UUID
    name: str
    email: str
    language: str
    role: str

    @classmethod
    def of(cls, user: User) -> "Profile":
        return cls(user.id, user.name, user.email, user.language, user.role)


@dataclass(frozen=True, slots=True)
class Person:
    """The signed-in person, and the Actor they act as (the same role and organisation scoping as a key)."""

    user: Profile
    actor: Actor
    csrf_token: str
    session_token: str

    @property
    def language(self) -> Language:
        return Language(self.user.language)

    @property
    def role(self) -> Role:
        return self.actor.role

    def reads(self, request: Request) -> CallerReads:
        return CallerReads(request.app.state.reader, self.actor)


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def secure_cookies(request: Request) -> bool:
    configured = settings_of(request).console_secure_cookies
    return configured if configured is not None else request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PREFIX,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
    )


async def current_person(request: Request) -> Person | None:
    """The person whose live session the cookie names; the request's session is then scoped to them."""
    known: Person | None = getattr(request.state, "person", None)
    if known is not None:
        return known
    raw = request.cookies.get(web_sessions.SESSION_COOKIE, "")
    if not raw:
        return None
    session = await request_session(request)
    signed_in = await web_sessions.resolve(session, raw, settings_of(request))
    if signed_in is None:
        return None
    actor = actor_for(signed_in.user, getattr(request.state, "request_id", None))
    person = Person(Profile.of(signed_in.user), actor, signed_in.web_session.csrf_token, raw)
    request.state.actor = actor
    request.state.person = person
    scope_to_caller(request, session)
    return person


async def _signed_in(request: Request) -> Person:
    person = await current_person(request)
    if person is None:
        raise SignInRequired
    return person


SignedIn = Annotated[Person, Depends(_signed_in)]


def allowed(*roles: Role) -> Callable[[Request], Coroutine[Any, Any, Person]]:
    """A dependency: the signed-in person, if their role is one of `roles` (a clear page otherwise)."""

    async def check(request: Request) -> Person:
        person = await _signed_in(request)
        if person.role not in roles:
            raise Forbidden("this page is for other roles")
        return person

    return check


Coordinator = Annotated[Person, Depends(allowed(Role.ADMIN, Role.COORDINATOR))]
Admin = Annotated[Person, Depends(allowed(Role.ADMIN))]
PartnerOfficer = Annotated[Person, Depends(allowed(Role.PARTNER))]
CompanyUser = Annotated[Person, Depends(allowed(Role.BUSINESS))]


async def session_of(request: Request) -> AsyncSession:
    return await request_session(request)


DbSession = Annotated[AsyncSession, Depends(session_of)]


def language_of(request: Request) -> Language:
    person: Person | None = getattr(request.state, "person", None)
    if person is not None:
        return person.language
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in Language.__members__.values():
        return Language(chosen)
    return negotiate(request.headers.get("accept-language"))


async def form_of(request: Request, person: Person | None) -> FormData:
    """The posted form, once its CSRF token is checked: the session's, or (signed out) the double-submit cookie's."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = person.csrf_token if person else request.cookies.get(ANONYMOUS_CSRF_COOKIE, "")
    if not isinstance(sent, str) or not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        raise CsrfFailed("the form's security token is missing or stale; reload the page and send it again")
    return form


def anonymous_csrf(request: Request) -> str:
    """The double-submit token of a signed-out browser (set on the response by `render`)."""
    token: str = getattr(request.state, "anonymous_csrf", "") or request.cookies.get(ANONYMOUS_CSRF_COOKIE, "")
    if not token:
        token = secrets.token_urlsafe(32)
    request.state.anonymous_csrf = token
    return token


# --- templates ------------------------------------------------------------------------------------


def _number(value: float | int | Decimal | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{float(value):,.{digits}f}"


def _money(value: float | int | Decimal | None) -> str:
    if value is None:
        return "—"
    amount = float(value)
    for size, suffix in ((1e9, " B"), (1e6, " M"), (1e3, " k")):
        if abs(amount) >= size:
            return f"US$ {amount / size:,.1f}{suffix}".replace(".0 ", " ")
    return f"US$ {amount:,.0f}"


def _when(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


def url(path: str, **query: Any) -> str:
    """A console URL with the query values that are set (lists repeat their name)."""
    pairs: list[tuple[str, str]] = []
    for name, value in query.items():
        for one in value if isinstance(value, list | tuple) else [value]:
            if one is not None and one != "":
                pairs.append((name, str(one)))
    return PREFIX + path + (f"?{urlencode(pairs)}" if pairs else "")


def _environment(language: Language) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # the templates ship with the code: no need to look at their files on every page
        auto_reload=False,
    )
    environment.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    environment.filters.update(number=_number, money=_money, when=_when, percent=_percent)
    environment.globals.update(
        url=url,
        static=lambda name: f"{PREFIX}/static/{name}",
        label=lambda vocabulary, code: label(language, vocabulary, code),
        lang=language.value,
        htmx_version=HTMX_VERSION,
        bar=charts.bar,
    )
    return environment


_ENVIRONMENTS = {language: _environment(language) for language in Language}


def environment(language: Language) -> Environment:
    """The templates as written in `language` (an e-mail draft may be in the recipients' language)."""
    return _ENVIRONMENTS[language]


def gettext(request: Request, message: str, **values: Any) -> str:
    text = translations(language_of(request)).gettext(message)
    return text % values if values else text


#: What a page says after a change, by the `notice` code its redirect carries.
NOTICES: dict[str, str] = {
    "approve": N_("Approved."),
    "decline": N_("Declined."),
    "introduce": N_("Introduction recorded."),
    "record_outcome": N_("Outcome recorded."),
    "answered": N_("Your answer was sent to the coordinators."),
    "saved": N_("Saved."),
    "reported": N_("Progress report saved."),
    "invited": N_("Invitation created."),
    "disabled": N_("Account disabled; its sessions have ended."),
    "enabled": N_("Account enabled."),
    "signed_out_everywhere": N_("You were signed out on every device."),
    "password_set": N_("Your password is set. Sign in with it now."),
    "deleted": N_("Deleted."),
    "revoked": N_("Key revoked."),
    "bulk_done": N_("The selected matches were decided."),
}


def notice_text(request: Request) -> str | None:
    code = request.query_params.get("notice")
    message = NOTICES.get(code or "")
    return gettext(request, message) if message else None


def render(request: Request, template: str, context: Mapping[str, Any] | None = None, *, status: int = 200) -> Response:
    language = language_of(request)
    person: Person | None = getattr(request.state, "person", None)
    page_context = {
        "request": request,
        "person": person,
        "csrf_token": person.csrf_token if person else anonymous_csrf(request),
        "path": request.url.path,
        "notice": notice_text(request),
        **(context or {}),
    }
    html = _ENVIRONMENTS[language].get_template(template).render(page_context)
    response = HTMLResponse(html, status_code=status)
    if person is None:
        set_cookie(request, response, ANONYMOUS_CSRF_COOKIE, page_context["csrf_token"])
    return response


def redirect(path: str, **query: Any) -> RedirectResponse:
    """Post/redirect/get: after a change the browser reloads a page, so a refresh never repeats it.

    `path` may carry a query of its own (the queue's filters); `query` adds to it, replacing a notice.
    """
    path, _, kept = path.partition("?")
    pairs = [(name, value) for name, value in parse_qsl(kept) if name not in query and name != "notice"]
    merged = url(path, **query)
    if pairs:
        merged += ("&" if "?" in merged else "?") + urlencode(pairs)
    return RedirectResponse(merged, status_code=303)


def here(request: Request) -> str:
    """This page's path and query, without a notice, to come back to after a form."""
    pairs = [(name, value) for name, value in request.query_params.multi_items() if name != "notice"]
    return request.url.path + (f"?{urlencode(pairs)}" if pairs else "")


def safe_next(target: str | None) -> str:
    """Only console paths are followed after sign-in (no open redirect)."""
    if target and target.startswith(PREFIX + "/") and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX + "/"


# --- errors ---------------------------------------------------------------------------------------

#: Each problem's heading and what to do about it, in the reader's language.
_ERROR_TEXT: dict[str, tuple[str, str]] = {
    "not-found": (N_("Not found"), N_("This page or record does not exist, or it is not yours to see.")),
    "forbidden": (N_("Not allowed"), N_("Your role does not allow this. Ask an administrator if you need it.")),
    "csrf-failed": (N_("The form expired"), N_("Reload the page and send the form again.")),
    "validation-failed": (N_("Please check what you entered"), N_("Some of what was sent cannot be accepted.")),
    "conflict": (N_("This clashes with what is already there"), N_("Reload the page to see the current state.")),
    "invalid-transition": (N_("This step is not possible now"), N_("The record is in another state; reload it.")),
    "precondition-failed": (N_("Someone changed this meanwhile"), N_("Reload the page to see the current version.")),
    "unauthorized": (N_("Sign-in needed"), N_("Sign in again to continue.")),
    "rate-limited": (N_("Too many attempts"), N_("Wait a few minutes and try again.")),
}


def error_page(request: Request, error: PuenteError) -> Response:
    heading, advice = _ERROR_TEXT.get(error.code, (N_("Something went wrong"), N_("Try again in a moment.")))
    return render(
        request,
        "error.html",
        {"heading": gettext(request, heading), "advice": gettext(request, advice), "detail": error.detail},
        status=error.status,
    )


def field_errors(error: ValidationError | RequestValidationError) -> list[str]:
    """Pydantic's complaints as 'field: message' lines (the field names are the form's)."""
    return [
        f"{'.'.join(str(part) for part in item.get('loc', ()) if part not in ('body', 'query'))}: {item.get('msg', '')}"
        for item in error.errors()
    ]


class ConsoleRoute(TransactionalRoute):
    """A console page: committed like an API route, answered with safe headers, errors as pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                response = await handler(request)
            except SignInRequired:
                response = RedirectResponse(f"{PREFIX}/sign-in?next={quote(request.url.path)}", status_code=303)
            except StaleDataError:
                response = error_page(request, PreconditionFailed("the record changed meanwhile"))
            except PuenteError as error:
                response = error_page(request, error)
            except RequestValidationError as error:
                path_problem = any(item.get("loc", ("",))[0] == "path" for item in error.errors())
                response = error_page(
                    request,
                    NotFound("no such page") if path_problem else ValidationFailed("; ".join(field_errors(error))),
                )
            response.headers.update(SECURITY_HEADERS)
            if response.headers.get("content-type", "").startswith("text/html"):
                response.headers["Cache-Control"] = "no-store"
            return response

        return page


def uuid_or_none(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


# --- reading forms ----------------------------------------------------------------------------------


def text_of(form: FormData, name: str) -> str | None:
    """A text field, stripped; None when left empty."""
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def codes_of(form: FormData, name: str) -> list[str]:
    """Every ticked box or selected option of a field (e.g. countries, focus areas)."""
    return [value.strip() for value in form.getlist(name) if isinstance(value, str) and value.strip()]


def number_of(form: FormData, name: str) -> float | int | str | None:
    """A number field as a number; text that is not one is passed on for validation to name it."""
    raw = text_of(form, name)
    if raw is None:
        return None
    try:
        number = float(raw.replace(",", ""))
    except ValueError:
        return raw
    return int(number) if number.is_integer() else number


def flag_of(form: FormData, name: str) -> bool:
    return form.get(name) in ("on", "true", "1")


def version_of(form: FormData) -> int | None:
    raw = form.get("version")
    return int(raw) if isinstance(raw, str) and raw.isdigit() else None


def given(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values that were filled in (an update changes only those)."""
    return {name: value for name, value in values.items() if value is not None}


async def attempt(session: AsyncSession, change: Callable[[], Awaitable[object]]) -> tuple[str | None, int]:
    """Make a change the person asked for: (None, 200) when made; otherwise what to tell them and the status,
    with the transaction rolled back, so the page can show their input again over the record as it is now.
    "stale" means someone changed the record meanwhile (412)."""
    try:
        await change()
    except ValidationError as error:
        return "; ".join(field_errors(error)), 422
    except (PreconditionFailed, StaleDataError):
        await session.rollback()
        return "stale", 412
    except (ValidationFailed, Conflict) as error:
        await session.rollback()
        return error.detail, error.status
    return None, 200
