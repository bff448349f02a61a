"""Regions as both services read them: ids checked against the reference data, "within a region", need figures."""
