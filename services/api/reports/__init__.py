"""Impact reports: what commitments achieved per period (/v1/commitments/{id}/reports, /v1/reports/{id})."""
