"""Sign-in throttling: failures counted per client address and per account in Redis, over 15 minutes.

Past the limit either counter pauses sign-in for the rest of the window, so guessing one
account's password from many addresses, or many accounts' from one, is slowed alike. Redis
being down does not lock everybody out: the check then lets the attempt through (and logs it).
"""

import hashlib

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = structlog.get_logger(__name__)

WINDOW_SECONDS = 15 * 60


def _keys(address: str, email: str) -> tuple[str, str]:
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"puente:signin:addr:{address}", f"puente:signin:acct:{account}"


class SignInThrottle:
    def __init__(self, redis: "Redis[bytes]", limit: int) -> None:
        self.redis = redis
        self.limit = limit

    async def retry_after(self, address: str, email: str) -> int | None:
        """Seconds until sign-in is allowed again for this address or account, or None when it is now."""
        try:
            waits: list[int] = []
            for key in _keys(address, email):
                count = await self.redis.get(key)
                if count is not None and int(count) >= self.limit:
                    waits.append(max(1, int(await self.redis.ttl(key))))
            return max(waits) if waits else None
        except RedisError:
            log.warning("sign-in throttle unavailable; letting the attempt through")
            return None

    async def failed(self, address: str, email: str) -> None:
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for key in _keys(address, email):
                    pipe.incr(key)
                    pipe.expire(key, WINDOW_SECONDS, nx=True)
                await pipe.execute()
        except RedisError:
            log.warning("sign-in throttle unavailable; failure not counted")

    async def succeeded(self, email: str) -> None:
        """A right password clears the account's count (the address keeps its own)."""
        try:
            await self.redis.delete(_keys("", email)[1])
        except RedisError:
            log.warning("sign-in throttle unavailable; success not recorded")
