"""Tests of the webhook endpoints API."""
