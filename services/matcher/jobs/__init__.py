"""arq entry points: load by id, claim the row, call the engine or the sender, record the outcome."""
