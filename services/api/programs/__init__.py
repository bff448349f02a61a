"""Programs: a partner's offerings (/v1/partners/{id}/programs, /v1/programs)."""
