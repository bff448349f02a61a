"""Matches: proposed introductions, their review and the coordinators' decisions (/v1/matches)."""
