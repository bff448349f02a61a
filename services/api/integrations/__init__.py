"""Inbound webhooks: integrations (admin) and the signed receiver POST /v1/inbound/{integration_id}."""
