"""Fixtures for webhook tests: arq pool, a real receiver, a movable clock."""

from tests.webhook_worker import arq_pool, clock, receiver

__all__ = ["arq_pool", "clock", "receiver"]
