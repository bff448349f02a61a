"""Tests of /v1/commitments."""
