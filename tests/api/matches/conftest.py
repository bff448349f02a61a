"""The matches tests' shared world (defined beside the router tests)."""

from tests.api.matches.test_router import world

__all__ = ["world"]
