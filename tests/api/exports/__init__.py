"""Tests of /v1/exports."""
