"""Tests of /v1/partners."""
