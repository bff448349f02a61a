"""Tests of /v1/reports."""
