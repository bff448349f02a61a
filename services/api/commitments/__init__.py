"""Commitments: businesses' investment pledges (/v1/commitments; changes emit events and ask for a run)."""
