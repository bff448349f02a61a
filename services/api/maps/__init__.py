"""Maps: choropleths of need, commitments, dollars committed and results by place (/v1/maps)."""
