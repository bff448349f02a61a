"""Regions: reference admin units with their latest need indicators and need index (/v1/regions)."""
