"""Partners: agencies, development banks, NGOs and UN bodies that can help (/v1/partners)."""
