"""Requests per API key per minute, counted in Redis across every api process.

Each process counts its own requests and adds them to the key's Redis counter in batches (every
`sync_seconds` or `batch` requests, and whenever the limit comes near), instead of one Redis
round trip per request: at hundreds of requests per second that round trip was a tenth of the
request's cost. Near the limit every request syncs, so a lone process is exact and N processes
together admit at most about (N - 1) * `batch` requests more than the limit in a minute.
"""

import time
import uuid
from dataclasses import dataclass

from arq import ArqRedis

from shared.errors import RateLimited

WINDOW_SECONDS = 60


@dataclass
class _Count:
    window: int
    shared: int = 0  # the counter in Redis as last seen, this process's synced requests included
    pending: int = 0  # this process's requests not yet added to Redis
    synced_at: float = 0.0


class RateLimiter:
    def __init__(self, redis: ArqRedis, per_minute: int, *, sync_seconds: float = 0.25, batch: int = 50) -> None:
        self.redis = redis
        self.per_minute = per_minute
        self.sync_seconds = sync_seconds
        self.batch = batch
        self._counts: dict[uuid.UUID, _Count] = {}

    async def hit(self, key_id: uuid.UUID) -> None:
        """Count one request of `key_id`; RateLimited when the minute's allowance is spent."""
        if self.per_minute <= 0:
            return
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        count = self._counts.get(key_id)
        if count is None or count.window != window:
            if len(self._counts) > 10_000:
                self._counts = {k: c for k, c in self._counts.items() if c.window == window}
            count = self._counts[key_id] = _Count(window)
        count.pending += 1
        monotonic = time.monotonic()
        near_limit = count.shared + count.pending > self.per_minute - self.batch
        if near_limit or count.pending >= self.batch or monotonic - count.synced_at >= self.sync_seconds:
            await self._sync(key_id, count, monotonic)
        if count.shared + count.pending > self.per_minute:
            raise RateLimited(
                f"more than {self.per_minute} requests this minute for this key",
                extra={"retry_after": WINDOW_SECONDS - int(now) % WINDOW_SECONDS},
            )

    async def _sync(self, key_id: uuid.UUID, count: _Count, monotonic: float) -> None:
        bucket = f"puente:ratelimit:{key_id}:{count.window}"
        pending, count.pending = count.pending, 0
        pipe = self.redis.pipeline(transaction=False)
        pipe.incrby(bucket, pending)
        pipe.expire(bucket, 2 * WINDOW_SECONDS)
        try:
            total, _ = await pipe.execute()
        except BaseException:
            count.pending += pending
            raise
        count.shared = int(total)
        count.synced_at = monotonic
