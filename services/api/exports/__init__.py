"""Exports: commitments, matches and reports as streamed CSV; commitments as IATI 2.03 activity XML."""
