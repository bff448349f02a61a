"""API keys and roles: who the caller is, and what its role may do."""
