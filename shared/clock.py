"""The one clock: everything that needs 'now' asks here, so tests can move time."""

from datetime import UTC, datetime

_frozen: datetime | None = None


def utc_now() -> datetime:
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Pin utc_now() to `at` (None releases it); for tests only."""
    global _frozen
    _frozen = at
