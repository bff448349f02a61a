"""Regions tests run on the vendored reference data."""

from tests.reference_data import reference_data, reference_snapshot

__all__ = ["reference_data", "reference_snapshot"]
