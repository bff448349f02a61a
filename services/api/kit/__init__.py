"""HTTP mechanics with no domain knowledge: routing, schemas, pagination, ETags, idempotency."""
