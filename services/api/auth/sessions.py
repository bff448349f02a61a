"""Console sessions: a random token in an HttpOnly cookie, its hash in `web_sessions`, idle and absolute expiry."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.auth import user_repository
from services.api.auth.users import token_hash
from shared.clock import utc_now
from shared.config import Settings
from shared.models import User, WebSession

SESSION_COOKIE = "puente_session"
#: Activity is written at most this often per session, so most pages cost no write.
_TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: User
    web_session: WebSession


async def start(session: AsyncSession, user: User, settings: Settings, user_agent: str | None) -> tuple[str, str]:
    """A new session for `user`: (the cookie's raw token, the session's CSRF token)."""
    raw = secrets.token_urlsafe(32)
    now = utc_now()
    web_session = WebSession(
        token_hash=token_hash(raw),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.console_session_max_hours),
        user_agent=(user_agent or "")[:300] or None,
    )
    session.add(web_session)
    await user_repository.touch_sign_in(session, user.id, now)
    await user_repository.delete_expired_sessions(session, now)
    await session.flush()
    return raw, web_session.csrf_token


async def resolve(session: AsyncSession, raw_token: str, settings: Settings) -> SignedIn | None:
    """The live session behind a cookie, or None: unknown, past its idle or absolute expiry, or its
    account disabled (an ended session's row is deleted)."""
    if not raw_token or len(raw_token) > 100:
        return None
    hashed = token_hash(raw_token)
    found = await user_repository.session_with_user(session, hashed)
    if found is None:
        return None
    web_session, user = found
    now = utc_now()
    idle_limit = timedelta(minutes=settings.console_session_idle_minutes)
    if web_session.expires_at <= now or now - web_session.last_seen_at > idle_limit or user.disabled_at is not None:
        await user_repository.delete_session(session, hashed)
        return None
    if now - web_session.last_seen_at > _TOUCH_EVERY:
        await user_repository.touch_session(session, hashed, now)
    return SignedIn(user, web_session)


async def end(session: AsyncSession, raw_token: str) -> None:
    await user_repository.delete_session(session, token_hash(raw_token))


async def end_everywhere(session: AsyncSession, user_id: uuid.UUID) -> int:
    """Sign the person out of every browser; the count of sessions ended."""
    return await user_repository.delete_sessions_of(session, user_id)
