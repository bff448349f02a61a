"""Contacts: the people at a partner or a business whom introductions put in touch (/v1/contacts)."""
