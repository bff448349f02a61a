"""Feedback on a draft commitment: need where it lands, overlaps, a quality checklist, suggestions."""
