"""Businesses: companies that made commitments (/v1/businesses)."""
