"""Inbound webhooks: apply a stored integrator event with the shared write rules, or keep it failed.

`process_inbound_events(integration_id)` takes the integration's events in the order they
arrived (one at a time, under a per-integration lock), reads each body (`{"type", "timestamp",
"data"}`) and applies it in a savepoint with the same functions the API uses (shared.records):
`commitment.progress_reported` records an impact report (a later one for the same period
replaces the earlier), `*.upserted` creates or updates by the integrator's `external_id`.
Anything malformed or invalid rolls the savepoint back, so nothing is half-applied, and the
event is kept as `failed` with its error for GET /v1/integrations/{id}/events.
"""

import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import orjson
import structlog
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from services.webhooks import metrics, repository
from shared.actor import Actor
from shared.clock import utc_now
from shared.db.after_commit import AFTER_COMMIT_KEY, AfterCommitJob, take_after_commit_jobs
from shared.db.tenancy import set_actor
from shared.domain.inbound import InboundEventType, InboundStatus
from shared.enums import Role
from shared.errors import NotFound, PuenteError, ValidationFailed
from shared.models import Commitment, Integration
from shared.records.business import BusinessCreate, upsert_business
from shared.records.commitment import CommitmentUpsert, upsert_commitment
from shared.records.impact_report import ReportCreate, ReportSource, record_report_for
from shared.records.partner import PartnerCreate, upsert_partner
from shared.records.program import ProgramUpsert, upsert_program
from shared.worker import WorkerContext, context

log = structlog.get_logger(__name__)

#: One job applies events for at most this long (its timeout is 60 s); the sweeper resumes the rest.
DRAIN_SECONDS = 40.0

Handler = Callable[[AsyncSession, dict[str, Any], str], Awaitable[uuid.UUID]]


class Envelope(BaseModel):
    """The Standard Webhooks payload shape; unknown top-level members are ignored."""

    model_config = ConfigDict(extra="ignore")

    type: str = Field(min_length=1, max_length=60)
    timestamp: datetime | None = None
    data: dict[str, Any]


def _describe(exc: Exception) -> str:
    """A plain-words error for the integrator: field paths and messages, never a stack trace."""
    if isinstance(exc, ValidationError):
        parts = [f"{'.'.join(str(p) for p in error['loc']) or 'data'}: {error['msg']}" for error in exc.errors()[:10]]
        return "; ".join(parts)
    if isinstance(exc, PuenteError):
        return exc.detail
    if isinstance(exc, IntegrityError):
        return "the data conflicts with existing records"
    if isinstance(exc, DataError | DBAPIError):
        return "the data breaks a database rule (a value out of range or not storable)"
    if isinstance(exc, StaleDataError):
        return "the record changed while the event was applied; retry the event"
    return f"{type(exc).__name__}: {exc}"[:500]


def _external_id(data: dict[str, Any], record: str) -> None:
    if not isinstance(data.get("external_id"), str) or not data["external_id"]:
        raise ValidationFailed(f"{record} upserts need data.external_id (the record's id in your system)")


async def _progress_reported(session: AsyncSession, data: dict[str, Any], reporter: str) -> uuid.UUID:
    fields = dict(data)
    commitment_id = fields.pop("commitment_id", None)
    external_id = fields.pop("commitment_external_id", None)
    report = ReportCreate.model_validate(fields)
    if commitment_id is not None:
        try:
            resolved = uuid.UUID(str(commitment_id))
        except ValueError as exc:
            raise ValidationFailed(f"data.commitment_id {commitment_id!r} is not a UUID") from exc
    elif isinstance(external_id, str) and external_id:
        found = await session.scalar(select(Commitment.id).where(Commitment.external_id == external_id))
        if found is None:
            raise NotFound(f"no commitment with external_id {external_id!r}")
        resolved = found
    else:
        raise ValidationFailed("data.commitment_id or data.commitment_external_id is required")
    stored = await record_report_for(session, resolved, report, source=ReportSource.WEBHOOK, reported_by=reporter)
    return stored.id


async def _business_upserted(session: AsyncSession, data: dict[str, Any], _reporter: str) -> uuid.UUID:
    _external_id(data, "business")
    return (await upsert_business(session, BusinessCreate.model_validate(data))).id


async def _partner_upserted(session: AsyncSession, data: dict[str, Any], _reporter: str) -> uuid.UUID:
    _external_id(data, "partner")
    return (await upsert_partner(session, PartnerCreate.model_validate(data))).id


async def _program_upserted(session: AsyncSession, data: dict[str, Any], _reporter: str) -> uuid.UUID:
    _external_id(data, "program")
    return (await upsert_program(session, ProgramUpsert.model_validate(data))).id


async def _commitment_upserted(session: AsyncSession, data: dict[str, Any], _reporter: str) -> uuid.UUID:
    _external_id(data, "commitment")
    return (await upsert_commitment(session, CommitmentUpsert.model_validate(data))).id


HANDLERS: dict[str, Handler] = {
    InboundEventType.PROGRESS_REPORTED.value: _progress_reported,
    InboundEventType.BUSINESS_UPSERTED.value: _business_upserted,
    InboundEventType.PARTNER_UPSERTED.value: _partner_upserted,
    InboundEventType.PROGRAM_UPSERTED.value: _program_upserted,
    InboundEventType.COMMITMENT_UPSERTED.value: _commitment_upserted,
}


def _parse(body: str) -> tuple[dict[str, Any] | None, Envelope | None, str | None]:
    """(payload to keep, envelope, error): the body as JSON, then as a Standard Webhooks envelope."""
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return None, None, f"the body is not valid JSON: {exc}"
    if not isinstance(parsed, dict):
        return None, None, "the body must be a JSON object with type, timestamp and data"
    if "\\u0000" in body:  # PostgreSQL text and jsonb cannot hold NUL; the raw body is kept either way
        return None, None, "the body contains NUL characters (\\u0000), which cannot be stored"
    payload = parsed
    try:
        envelope = Envelope.model_validate(parsed)
    except ValidationError as exc:
        return payload, None, f"not a webhook envelope: {_describe(exc)}"
    if envelope.type not in HANDLERS:
        known = ", ".join(t.value for t in InboundEventType)
        return payload, envelope, f"unknown event type {envelope.type!r}; accepted: {known}"
    return payload, envelope, None


async def _apply_next(c: WorkerContext, integration_id: uuid.UUID) -> tuple[str | None, list[AfterCommitJob]]:
    """Apply the integration's oldest waiting event in one transaction; (its final status, jobs to send)."""
    async with c["sessionmaker"]() as session:
        async with session.begin():
            if not await repository.try_lock_integration(session, integration_id):
                return None, []  # another worker is applying this integration's events
            event = await repository.next_waiting_event(session, integration_id)
            if event is None:
                return None, []
            integration = await session.get(Integration, integration_id)
            label = f"integration:{integration.name if integration else integration_id}"
            set_actor(session.sync_session, Actor(role=Role.INTEGRATOR, label=label))
            attempts = event.attempts  # read before the savepoint: a rollback there expires what it touched
            payload, envelope, error = _parse(event.body)
            if envelope is not None and error is None:
                queued = list(session.info.get(AFTER_COMMIT_KEY, []))
                try:
                    async with session.begin_nested():
                        await HANDLERS[envelope.type](session, envelope.data, label)
                except (OperationalError, InterfaceError):
                    raise  # the database went away: transient, the job is tried again
                except (ValidationError, PuenteError, ValueError, DBAPIError, StaleDataError) as exc:
                    error = _describe(exc)
                    session.info[AFTER_COMMIT_KEY] = queued  # jobs of the rolled-back change must not run
            event.attempts = attempts + 1
            event.payload = payload
            event.event_type = envelope.type if envelope else None
            event.status = (InboundStatus.FAILED if error else InboundStatus.PROCESSED).value
            event.error = error
            event.processed_at = utc_now()
            status = event.status
            metrics.INBOUND.labels(status).inc()
            if error:
                log.info("inbound event failed", event_id=str(event.id), error=error)
        return status, take_after_commit_jobs(session)


async def process_inbound_events(ctx: dict[str, Any], integration_id: str) -> int:
    """Apply an integration's waiting events oldest first (see module docstring); returns how many.

    One transaction per event, under the integration's advisory lock, so events of one
    integration are applied one at a time and in the order they arrived.
    """
    c = context(ctx)
    try:
        integration_uuid = uuid.UUID(integration_id)
    except ValueError:
        return 0
    started = time.monotonic()
    applied = 0
    while time.monotonic() - started < DRAIN_SECONDS:
        status, jobs = await _apply_next(c, integration_uuid)
        if status is None:
            break
        applied += 1
        for job in jobs:  # e.g. nudges for the outbound events the change emitted
            try:
                await job(ctx["redis"])
            except Exception:  # the committed rows are the truth; the sweeper re-sends
                log.warning("after-commit job failed; the sweeper will retry", exc_info=True)
    return applied
