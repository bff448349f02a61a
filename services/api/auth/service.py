"""Issue, verify and revoke API keys; keys are stored as SHA-256 hashes and shown once."""

import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.auth import repository
from shared.actor import SCOPED_ROLES, Actor
from shared.clock import utc_now
from shared.config import Settings
from shared.enums import Role
from shared.errors import NotFound, Unauthorized, ValidationFailed
from shared.models import ApiKey, Business, Partner

KEY_PREFIX = "pk_"
BOOTSTRAP_KEY_ID = uuid.UUID(int=0)


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


async def _check_organization(session: AsyncSession, role: Role, organization_id: uuid.UUID | None) -> None:
    if role not in SCOPED_ROLES:
        if organization_id is not None:
            raise ValidationFailed(f"a {role.value} key speaks for no organisation; omit organization_id")
        return
    if organization_id is None:
        raise ValidationFailed(f"a {role.value} key needs the organization_id it speaks for")
    model = Partner if role is Role.PARTNER else Business
    if await session.get(model, organization_id) is None:
        raise NotFound(f"no {model.__tablename__[:-1]} {organization_id} for this {role.value} key")


#: People (services.api.auth.users) are scoped exactly as keys are, so they are checked the same way.
check_organization = _check_organization


async def issue_key(
    session: AsyncSession, *, name: str, role: Role, organization_id: uuid.UUID | None, created_by: Actor
) -> tuple[ApiKey, str]:
    """Create a key; the raw key is returned here and never again."""
    await _check_organization(session, role, organization_id)
    raw = generate_key()
    key = ApiKey(
        id=uuid.uuid4(),
        name=name,
        prefix=raw[: len(KEY_PREFIX) + 6],
        key_hash=hash_key(raw),
        role=role.value,
        organization_id=organization_id,
        created_by=created_by.key_id,
    )
    session.add(key)
    await session.flush()
    return key, raw


class KeyCache:
    """Verified keys, trusted for a few seconds so that most requests skip the key lookup.

    Revoking a key clears it here at once; other processes stop accepting it within the TTL.
    """

    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = ttl_seconds
        self._entries: dict[str, tuple[float, Actor]] = {}

    def get(self, key_hash: str) -> Actor | None:
        entry = self._entries.get(key_hash)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key_hash: str, actor: Actor) -> None:
        if self.ttl > 0:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[key_hash] = (time.monotonic() + self.ttl, actor)

    def forget(self, key_id: uuid.UUID) -> None:
        for key_hash in [h for h, (_, actor) in self._entries.items() if actor.key_id == key_id]:
            del self._entries[key_hash]


async def authenticate(
    open_session: Callable[[], Awaitable[AsyncSession]],
    settings: Settings,
    raw_key: str,
    request_id: str | None,
    cache: KeyCache | None = None,
) -> Actor:
    """The actor behind `raw_key`. The bootstrap key and keys verified within the cache's TTL need no
    database, so `open_session` is called only when the key must be looked up."""
    bootstrap = settings.bootstrap_admin_key
    if bootstrap is not None and hmac.compare_digest(raw_key.encode(), bootstrap.get_secret_value().encode()):
        return Actor(role=Role.ADMIN, key_id=BOOTSTRAP_KEY_ID, label="bootstrap-admin", request_id=request_id)
    key_hash = hash_key(raw_key)
    cached = cache.get(key_hash) if cache else None
    if cached is not None:
        return replace(cached, request_id=request_id)
    session = await open_session()
    key = await repository.find_active_by_hash(session, key_hash)
    # the lookup is by hash, so the comparison below guards only against a hash collision in the index
    if key is None or not hmac.compare_digest(key.key_hash, key_hash):
        raise Unauthorized("the API key is unknown or revoked")
    now = utc_now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        await repository.touch(session, key.id, now)
    actor = Actor(
        role=Role(key.role),
        organization_id=key.organization_id,
        key_id=key.id,
        label=key.name,
        request_id=request_id,
    )
    if cache:
        cache.put(key_hash, actor)
    return actor


async def revoke_key(session: AsyncSession, key_id: uuid.UUID, cache: KeyCache | None = None) -> ApiKey:
    if cache:
        cache.forget(key_id)
    key = await session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"API key {key_id} does not exist")
    if key.revoked_at is None:
        key.revoked_at = utc_now()
        await session.flush()
    return key
