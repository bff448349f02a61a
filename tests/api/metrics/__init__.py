"""Tests of /v1/metrics."""
