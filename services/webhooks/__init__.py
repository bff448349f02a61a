"""Webhooks both ways: outbound delivery to integrators' endpoints, inbound events applied to the records."""
