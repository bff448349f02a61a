"""People who sign in to the console: invitations, passwords, disabling, and the Actor a person acts as.

A person carries a role and, for partner and business roles, an organisation, exactly as an API
key does; `actor_for` turns them into the same `Actor`, so scoping, role checks and the audit
log treat a person and a key alike (the audit log also names the person).
"""

import hashlib
import secrets
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.auth import passwords, user_repository
from services.api.auth.service import check_organization
from shared.actor import Actor
from shared.clock import utc_now
from shared.db.repository import check_version, get_visible
from shared.enums import Language, Role
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.models import User

INVITATION_PREFIX = "inv_"


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain) or len(email) > 320 or any(ch.isspace() for ch in email):
        raise ValidationFailed("an email address looks like name@example.org", extra={"field": "email"})
    return email


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def actor_for(user: User, request_id: str | None = None) -> Actor:
    """The Actor a signed-in person acts as: their role and organisation, and themselves by name."""
    return Actor(
        role=Role(user.role),
        organization_id=user.organization_id,
        user_id=user.id,
        label=f"{user.name} <{user.email}>"[:200],
        request_id=request_id,
    )


def _new_invitation(user: User, hours: int) -> str:
    raw = INVITATION_PREFIX + secrets.token_urlsafe(32)
    user.invitation_hash = token_hash(raw)
    user.invitation_expires_at = utc_now() + timedelta(hours=hours)
    return raw


async def invite_user(
    session: AsyncSession,
    *,
    email: str,
    name: str,
    role: Role,
    organization_id: uuid.UUID | None,
    language: Language,
    invited_by: Actor,
    valid_hours: int,
) -> tuple[User, str]:
    """A new account with a one-time invitation; the raw invitation token is returned here only."""
    email = normalise_email(email)
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationFailed("a name of 1 to 200 characters is needed", extra={"field": "name"})
    await check_organization(session, role, organization_id)
    if await user_repository.by_email(session, email) is not None:
        raise Conflict(f"{email} already has an account")
    user = User(
        id=uuid.uuid4(),
        email=email,
        name=name,
        role=role.value,
        organization_id=organization_id,
        language=language.value,
        invited_by=invited_by.user_id,
    )
    raw = _new_invitation(user, valid_hours)
    session.add(user)
    await session.flush()
    return user, raw


async def reinvite(session: AsyncSession, user_id: uuid.UUID, valid_hours: int) -> tuple[User, str]:
    """A fresh invitation link (the old one stops working), e.g. for a forgotten password."""
    user = await get_user(session, user_id)
    raw = _new_invitation(user, valid_hours)
    await session.flush()
    return user, raw


async def invitation(session: AsyncSession, raw_token: str) -> User:
    """The account an unexpired invitation is for; NotFound for anything else (used, expired, unknown)."""
    user = await user_repository.by_invitation(session, token_hash(raw_token)) if raw_token else None
    expires = user.invitation_expires_at if user else None
    if user is None or expires is None or expires < utc_now() or user.disabled_at is not None:
        raise NotFound("this invitation link is unknown, used or expired; ask for a new one")
    return user


async def accept_invitation(session: AsyncSession, raw_token: str, password: str) -> User:
    """Set the password chosen through an invitation; the link works once."""
    user = await invitation(session, raw_token)
    user.password_hash = passwords.hash_password(password)
    user.invitation_hash = None
    user.invitation_expires_at = None
    await session.flush()
    return user


async def authenticate(session: AsyncSession, email: str, password: str) -> User | None:
    """The active account these credentials open, or None (one answer for every failure)."""
    try:
        email = normalise_email(email)
    except ValidationFailed:
        passwords.verify(None, password)
        return None
    user = await user_repository.by_email(session, email)
    if not passwords.verify(user.password_hash if user else None, password) or user is None:
        return None
    if user.disabled_at is not None:
        return None
    if user.password_hash and passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        await session.flush()
    return user


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    return await get_visible(session, User, user_id, label="user")


async def set_disabled(
    session: AsyncSession, user_id: uuid.UUID, *, disabled: bool, expected_version: int | None, by: Actor
) -> User:
    """Disable (every session ends at once) or enable an account; nobody disables themselves."""
    user = await get_user(session, user_id)
    check_version(expected_version, user.version)
    if disabled and by.user_id == user.id:
        raise ValidationFailed("you cannot disable your own account")
    user.disabled_at = utc_now() if disabled else None
    await session.flush()
    if disabled:
        await user_repository.delete_sessions_of(session, user.id)
    return user


async def set_language(session: AsyncSession, user_id: uuid.UUID, language: Language) -> None:
    user = await get_user(session, user_id)
    if user.language != language.value:
        user.language = language.value
        await session.flush()


async def link_oidc_subject(session: AsyncSession, subject: str, email: str | None) -> User | None:
    """The account a verified single-sign-on identity opens: by its subject, else by a matching email the
    admin invited (which the subject then stays linked to). Nobody gets an account by signing on alone."""
    user = await user_repository.by_oidc_subject(session, subject)
    if user is None and email:
        user = await user_repository.by_email(session, email.strip().lower())
        if user is not None and user.oidc_subject is None:
            user.oidc_subject = subject
            user.invitation_hash = None
            user.invitation_expires_at = None
            await session.flush()
        elif user is not None:
            return None
    if user is None or user.disabled_at is not None:
        return None
    return user
