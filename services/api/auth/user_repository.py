"""Queries on users and their web sessions."""

import uuid
from datetime import datetime

from sqlalchemy import Select, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import User, WebSession


async def by_email(session: AsyncSession, email: str) -> User | None:
    user: User | None = await session.scalar(select(User).where(User.email == email))
    return user


async def by_invitation(session: AsyncSession, invitation_hash: str) -> User | None:
    user: User | None = await session.scalar(select(User).where(User.invitation_hash == invitation_hash))
    return user


async def by_oidc_subject(session: AsyncSession, subject: str) -> User | None:
    user: User | None = await session.scalar(select(User).where(User.oidc_subject == subject))
    return user


def listing() -> Select[User]:
    return select(User).order_by(User.name, User.id)


async def session_with_user(session: AsyncSession, token_hash: str) -> tuple[WebSession, User] | None:
    row = (
        await session.execute(
            select(WebSession, User)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_hash == token_hash)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def touch_session(session: AsyncSession, token_hash: str, at: datetime) -> None:
    """Record activity without the ORM: not audited, and cheap enough for every few requests."""
    await session.execute(update(WebSession).where(WebSession.token_hash == token_hash).values(last_seen_at=at))


async def touch_sign_in(session: AsyncSession, user_id: uuid.UUID, at: datetime) -> None:
    await session.execute(update(User).where(User.id == user_id).values(last_signed_in_at=at))


async def delete_session(session: AsyncSession, token_hash: str) -> None:
    await session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))


async def delete_sessions_of(session: AsyncSession, user_id: uuid.UUID) -> int:
    result = await session.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


async def delete_expired_sessions(session: AsyncSession, now: datetime) -> None:
    await session.execute(delete(WebSession).where(WebSession.expires_at < now))
