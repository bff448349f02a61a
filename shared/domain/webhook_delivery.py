"""Outbound webhook delivery rules: its statuses, and when a failed one is tried again (backoff with jitter).

Pure arithmetic: no clock, no randomness of its own (the caller passes a number in [0, 1)).
"""

from datetime import timedelta
from enum import StrEnum


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its next try
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # tries exhausted (a manual retry may send it again)


#: Waits after the 1st, 2nd, … failed attempt: about 28 hours from first try to giving up.
RETRY_SCHEDULE: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
#: The first try plus one per scheduled retry.
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1
#: Each wait is stretched or shrunk by up to this fraction, so endpoints that failed together
#: (a receiver outage) are not all retried in the same second.
JITTER = 0.2


def next_retry_delay(failed_attempts: int, unit_random: float) -> timedelta | None:
    """The wait before the next try after `failed_attempts` tries, or None when tries are exhausted.

    `unit_random` in [0, 1) picks the jitter: 0 → 20 % sooner, 0.5 → on schedule, →1 → 20 % later.
    """
    if failed_attempts < 1:
        raise ValueError("failed_attempts counts tries already made; it starts at 1")
    if not 0.0 <= unit_random < 1.0:
        raise ValueError("unit_random must be in [0, 1)")
    if failed_attempts >= MAX_ATTEMPTS:
        return None
    base = RETRY_SCHEDULE[failed_attempts - 1]
    return base * (1.0 + JITTER * (2.0 * unit_random - 1.0))
