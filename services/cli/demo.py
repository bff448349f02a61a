"""The demo data set (demo/demo_data.json) loaded into an empty database through the shared write rules."""

import json
import uuid
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import event, exists, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from services.cli.demo_people import add_demo_people
from shared.actor import Actor
from shared.db.after_commit import take_after_commit_jobs
from shared.db.tenancy import set_actor
from shared.enums import Role, RunStatus
from shared.models import Business, Commitment, MatchRun
from shared.records.business import BusinessCreate, create_business
from shared.records.commitment import CommitmentCreate, create_commitment
from shared.records.impact_report import ReportCreate, ReportSource, record_report
from shared.records.partner import PartnerCreate, create_partner
from shared.records.program import ProgramCreate, create_program

M = TypeVar("M", bound=BaseModel)

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "demo_data.json"
KINDS = ("businesses", "partners", "programs", "commitments", "reports")
DEMO_ACTOR = "demo"
#: Serialises concurrent loaders (two `puente run` starting at once): the second sees the first's rows.
_ADVISORY_LOCK = 0x50_55_45_4E_54_45  # "PUENTE"


class DemoDataError(ValueError):
    """The demo file breaks a rule the API enforces, or refers to a key it does not define."""


def read_demo_data(path: Path = DEMO_FILE) -> dict[str, list[dict[str, Any]]]:
    """The demo file's record lists; the reports list may be called `reports` or `impact_reports`."""
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    reports = raw.get("reports", raw.get("impact_reports", []))
    return {
        "businesses": list(raw.get("businesses", [])),
        "partners": list(raw.get("partners", [])),
        "programs": list(raw.get("programs", [])),
        "commitments": list(raw.get("commitments", [])),
        "reports": list(reports),
    }


def _fields(record: dict[str, Any], *drop: str) -> dict[str, Any]:
    return {name: value for name, value in record.items() if name != "key" and name not in drop}


def _resolve(index: dict[str, uuid.UUID], key: object, where: str) -> uuid.UUID:
    if not isinstance(key, str) or key not in index:
        raise DemoDataError(f"{where}: unknown key {key!r}")
    return index[key]


def _unique(index: dict[str, Any], key: object, where: str) -> str:
    if not isinstance(key, str) or not key:
        raise DemoDataError(f"{where}: every record needs a string `key`")
    if key in index:
        raise DemoDataError(f"{where}: key {key!r} is used twice")
    return key


def _validate(model: type[M], fields: dict[str, Any], where: str) -> M:
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise DemoDataError(f"{where}: {exc}") from exc


async def _database_has_businesses(session: AsyncSession) -> bool:
    return bool(await session.scalar(select(exists().where(Business.id.is_not(None)))))


async def _load(session: AsyncSession, data: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    businesses: dict[str, uuid.UUID] = {}
    for record in data["businesses"]:
        key = _unique(businesses, record.get("key"), "business")
        business = await create_business(session, _validate(BusinessCreate, _fields(record), f"business {key}"))
        businesses[key] = business.id

    partners: dict[str, uuid.UUID] = {}
    for record in data["partners"]:
        key = _unique(partners, record.get("key"), "partner")
        partner = await create_partner(session, _validate(PartnerCreate, _fields(record), f"partner {key}"))
        partners[key] = partner.id

    programs: dict[str, uuid.UUID] = {}
    for record in data["programs"]:
        key = _unique(programs, record.get("key"), "program")
        partner_id = _resolve(partners, record.get("partner_key"), f"program {key}")
        program_data = _validate(ProgramCreate, _fields(record, "partner_key"), f"program {key}")
        programs[key] = (await create_program(session, partner_id, program_data)).id

    commitments: dict[str, Commitment] = {}
    for record in data["commitments"]:
        key = _unique(commitments, record.get("key"), "commitment")
        business_id = _resolve(businesses, record.get("business_key"), f"commitment {key}")
        commitment_data = _validate(
            CommitmentCreate,
            {**_fields(record, "business_key"), "business_id": business_id},
            f"commitment {key}",
        )
        commitments[key] = await create_commitment(session, commitment_data)

    reports: dict[str, uuid.UUID] = {}
    for record in data["reports"]:
        key = _unique(reports, record.get("key"), "report")
        commitment_key = record.get("commitment_key")
        if not isinstance(commitment_key, str) or commitment_key not in commitments:
            raise DemoDataError(f"report {key}: unknown commitment key {commitment_key!r}")
        report = await record_report(
            session,
            commitments[commitment_key],
            _validate(ReportCreate, _fields(record, "commitment_key"), f"report {key}"),
            source=ReportSource.IMPORT,
            reported_by=DEMO_ACTOR,
        )
        reports[key] = report.id

    session.add(
        MatchRun(
            id=uuid.uuid4(),
            scope={"all": True},
            trigger="demo",
            status=RunStatus.QUEUED.value,
            requested_by=DEMO_ACTOR,
        )
    )
    await session.flush()
    return {
        "businesses": len(businesses),
        "partners": len(partners),
        "programs": len(programs),
        "commitments": len(commitments),
        "reports": len(reports),
    }


async def load_demo(sessionmaker: async_sessionmaker[AsyncSession], path: Path = DEMO_FILE) -> dict[str, int]:
    """Load the demo data set into an empty database, in one transaction; counts per kind.

    Does nothing (all counts zero) when any business exists, so it is safe at every start.
    Every record goes through the same input models and write rules as the API, so the demo
    obeys the API's rules (a record that breaks one raises and nothing is loaded). Queues one
    full match run (trigger `demo`) for the worker to pick up, in place of the scoped runs the
    records would each have asked for; the worker's sweeper nudges it if nobody enqueues it.
    """
    data = read_demo_data(path)
    async with sessionmaker() as session:
        set_actor(session.sync_session, Actor(role=Role.ADMIN, label=DEMO_ACTOR))
        async with session.begin():
            await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
            if await _database_has_businesses(session):
                return dict.fromkeys(KINDS, 0)
            created_runs: list[MatchRun] = []

            def track_new_runs(sync_session: Session, *_: object) -> None:
                created_runs.extend(obj for obj in sync_session.new if isinstance(obj, MatchRun))

            event.listen(session.sync_session, "before_flush", track_new_runs)
            try:
                counts = await _load(session, data)
                await add_demo_people(session)
            finally:
                event.remove(session.sync_session, "before_flush", track_new_runs)
            # The scoped runs the records asked for (a new database has no other) are replaced
            # by the demo's one full run.
            for run in created_runs:
                if run.trigger == "change":
                    await session.delete(run)
            await session.flush()
        # The runs these jobs would nudge were replaced above, and a new database has no
        # webhook endpoints to nudge; the queued demo run is picked up by the worker.
        take_after_commit_jobs(session)
    return counts
