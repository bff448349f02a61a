"""Match runs: jobs of the matcher, requested and watched by coordinators (/v1/match-runs)."""
