"""Metrics: what commitments achieve and how introductions convert (/v1/metrics/...)."""
