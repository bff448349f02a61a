"""Tests of /v1/partners/{id}/programs and /v1/programs."""
