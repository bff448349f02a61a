"""Liveness, readiness and Prometheus metrics: public on purpose, for probes and scrapers."""
