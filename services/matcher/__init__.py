"""The matcher worker: arq jobs (thin) over a pure scoring engine (pipeline/)."""
