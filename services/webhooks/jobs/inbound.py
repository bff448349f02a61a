"""The inbound job: apply an integration's waiting events (services.webhooks.inbound does the work)."""

from arq.worker import Function, func

from services.webhooks.inbound import process_inbound_events
from shared.jobs import PROCESS_INBOUND_EVENT


def functions() -> list[Function]:
    """keep_result=0: a finished drain keeps no result, so the integration's job id can be queued again."""
    return [func(process_inbound_events, name=PROCESS_INBOUND_EVENT, keep_result=0, max_tries=5, timeout=60)]
