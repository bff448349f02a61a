"""The webhooks worker's Prometheus metrics: tries and their outcomes, the backlog, inbound events.

Counters count what this process did; the backlog gauges are what the database holds, refreshed by
the sweeper every few seconds (any webhooks process reports the same figures).
"""

from prometheus_client import Counter, Gauge, Histogram

from services.webhooks.delivery import Outcome
from services.webhooks.repository import Backlog

TRIES = Counter(
    "puente_webhook_tries_total",
    "Outbound webhook requests, by result: ok, http_error (a non-2xx answer), timeout, refused, network.",
    ["result"],
)
TRY_SECONDS = Histogram(
    "puente_webhook_try_duration_seconds",
    "Time of one outbound webhook request, connection to answer.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
DELIVERIES = Counter(
    "puente_webhook_deliveries_total",
    "Deliveries by the status a try left them in: succeeded, retrying (pending, backing off), failed (gave up).",
    ["status"],
)
ENDPOINTS_DISABLED = Counter(
    "puente_webhook_endpoints_disabled_total", "Endpoints disabled after failing for too long."
)
PENDING = Gauge("puente_webhook_deliveries_pending", "Deliveries waiting to be sent (due or backing off).")
RETRY_BACKLOG = Gauge("puente_webhook_retry_backlog", "Pending deliveries that failed at least once.")
OLDEST_PENDING = Gauge("puente_webhook_oldest_pending_age_seconds", "Age of the oldest pending delivery (0 when none).")
INBOUND = Counter("puente_inbound_events_total", "Inbound events applied, by outcome: processed or failed.", ["status"])
INBOUND_WAITING = Gauge("puente_inbound_events_waiting", "Inbound events received and not yet applied.")


def tried(outcome: Outcome) -> None:
    if outcome.ok:
        result = "ok"
    elif outcome.status_code is not None:
        result = "http_error"
    elif outcome.error and outcome.error.startswith("no complete answer"):
        result = "timeout"
    elif outcome.error and outcome.error.startswith("refused"):
        result = "refused"
    else:
        result = "network"
    TRIES.labels(result).inc()
    if outcome.latency_ms is not None:
        TRY_SECONDS.observe(outcome.latency_ms / 1000)


def recorded(status: str) -> None:
    DELIVERIES.labels("retrying" if status == "pending" else status).inc()


def backlog(figures: Backlog) -> None:
    PENDING.set(figures.pending)
    RETRY_BACKLOG.set(figures.retrying)
    OLDEST_PENDING.set(figures.oldest_pending_seconds)
    INBOUND_WAITING.set(figures.inbound_waiting)
