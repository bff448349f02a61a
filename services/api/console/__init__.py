"""The console: Puente's web workspace for coordinators, partner officers, companies and admins (/console/)."""
