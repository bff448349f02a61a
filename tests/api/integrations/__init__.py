"""Tests of integrations and the inbound receiver."""
