"""Outbound webhooks: endpoints integrators subscribe, and every delivery's log (/v1/webhook-endpoints)."""
