"""The matcher's Prometheus metrics: runs by trigger and outcome, their duration, proposals written."""

from prometheus_client import Counter, Histogram

from shared.enums import RunStatus

RUNS = Counter("puente_match_runs_total", "Match runs finished, by trigger and status.", ["trigger", "status"])
RUN_FAILURES = Counter("puente_match_run_failures_total", "Match runs that failed, by trigger.", ["trigger"])
RUN_SECONDS = Histogram(
    "puente_match_run_duration_seconds",
    "Time from a run's claim to its commit, by trigger.",
    ["trigger"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900),
)
PROPOSALS = Counter("puente_match_proposals_total", "Proposals written by match runs.")


def run_finished(trigger: str, status: RunStatus, seconds: float, proposed: int) -> None:
    RUNS.labels(trigger, status.value).inc()
    RUN_SECONDS.labels(trigger).observe(seconds)
    PROPOSALS.inc(proposed)
    if status is RunStatus.FAILED:
        RUN_FAILURES.labels(trigger).inc()
