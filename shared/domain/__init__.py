"""Pure domain rules: no I/O, no session, no web framework; both services obey them."""
