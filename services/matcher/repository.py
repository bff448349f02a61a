"""Every query of the matcher: chunked streaming reads into the engine's rows, bulk writes of proposals.

Reads stream in partitions (`matcher_chunk_size` rows at a time) so the driver never buffers a
whole table. Writes are set-based (one `INSERT … SELECT FROM unnest(…)` per batch) and only ever
touch matches still `proposed`: anything a person decided is left as it is.
"""

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.matcher.pipeline.frames import CommitmentRow, ProgramRow
from shared.enums import CommitmentStatus, MatchStatus, RunStatus

#: Commitments still worth an introduction; the others only lose their open proposals.
MATCHABLE = (
    CommitmentStatus.ANNOUNCED.value,
    CommitmentStatus.IN_PROGRESS.value,
    CommitmentStatus.STALLED.value,
)
OPEN = (MatchStatus.PROPOSED.value, MatchStatus.APPROVED.value, MatchStatus.INTRODUCED.value)
ACCEPTED = (
    MatchStatus.APPROVED.value,
    MatchStatus.INTRODUCED.value,
    MatchStatus.PARTNERSHIP_FORMED.value,
    MatchStatus.NO_PARTNERSHIP.value,
)
#: Pairs a run must know about: open ones (never duplicated) and decided ones (never re-proposed unchanged).
KNOWN = (
    *OPEN,
    MatchStatus.DECLINED.value,
    MatchStatus.PARTNERSHIP_FORMED.value,
    MatchStatus.NO_PARTNERSHIP.value,
)
INSERT_BATCH = 5000
#: Joins a proposal's reasons into one bound string (split again by the INSERT): the ASCII unit
#: separator, which plain-language sentences do not contain (a stray one in free text becomes a space).
REASON_SEPARATOR = "\x1f"


def _joined(reasons: Sequence[str]) -> str:
    return REASON_SEPARATOR.join(r.replace(REASON_SEPARATOR, " ") for r in reasons)


# The data each score comes from; a declined pair is proposed again only when one side's digest changes.
_COMMITMENT_DIGEST = """md5(concat_ws('|', c.title, c.description, array_to_string(c.focus_areas, ','),
    array_to_string(c.countries, ','), array_to_string(c.needs, ','), c.amount_usd::text, b.size,
    b.hq_country, array_to_string(b.sectors, ','), b.women_led::text, b.indigenous_led::text))"""
_PROGRAM_DIGEST = """md5(concat_ws('|', p.name, p.description, array_to_string(p.instruments, ','),
    array_to_string(p.focus_areas, ','), array_to_string(p.countries, ','),
    array_to_string(p.sectors, ','), p.min_ticket_usd::text, p.max_ticket_usd::text,
    array_to_string(p.eligible_sizes, ','), p.active::text))"""


def pair_fingerprint(commitment_digest: str, program_digest: str) -> str:
    """64 characters: the commitment's digest then the program's (so one can tell which side changed)."""
    return commitment_digest[:32] + program_digest[:32]


def month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _text(title: str, description: str | None) -> str:
    return f"{title}. {description}" if description else title


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


# --- runs -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimedRun:
    id: uuid.UUID
    scope: dict[str, Any]
    trigger: str
    attempts: int


async def claim_run(session: AsyncSession, run_id: uuid.UUID, now: datetime) -> ClaimedRun | None:
    """queued → running (or a `running` run whose worker died: the caller holds its lock, so nobody
    else is on it). None when the run is absent or already finished."""
    row = (
        await session.execute(
            text(
                """UPDATE match_runs SET status = 'running', started_at = :now, updated_at = :now,
                       attempts = attempts + 1, version = version + 1, error = NULL
                   WHERE id = :id AND status IN ('queued', 'running')
                   RETURNING id, scope, trigger, attempts"""
            ),
            {"id": run_id, "now": now},
        )
    ).first()
    return None if row is None else ClaimedRun(row.id, row.scope or {}, row.trigger, row.attempts)


async def finish_run(
    session: AsyncSession,
    run_id: uuid.UUID,
    *,
    status: RunStatus,
    now: datetime,
    counts: dict[str, Any],
    model_version: str | None,
    error: str | None = None,
) -> dict[str, Any] | None:
    """running → succeeded | failed with what the run did; None if the run was not running."""
    row = (
        await session.execute(
            text(
                """UPDATE match_runs SET status = :status, finished_at = :now, updated_at = :now,
                       counts = CAST(:counts AS jsonb), model_version = :model_version, error = :error,
                       duration_ms = GREATEST(0, (EXTRACT(EPOCH FROM (:now - started_at)) * 1000)::int),
                       version = version + 1
                   WHERE id = :id AND status = 'running'
                   RETURNING id, status, scope, trigger, counts, duration_ms, model_version, error"""
            ),
            {
                "id": run_id,
                "status": status.value,
                "now": now,
                "counts": json.dumps(counts),
                "model_version": model_version,
                "error": error,
            },
        )
    ).first()
    return None if row is None else dict(row._mapping)


async def runs_to_sweep(session: AsyncSession, now: datetime, queued_for: timedelta) -> list[uuid.UUID]:
    """Runs queued for longer than `queued_for` (a lost nudge) and runs `running` that no live worker
    holds (its worker died: Postgres released the session's advisory lock with the connection)."""
    rows = await session.execute(
        text(
            """SELECT id FROM match_runs
               WHERE (status = 'queued' AND created_at < :before)
                  OR (status = 'running' AND pg_try_advisory_xact_lock(:ns, hashtext(id::text)))
               ORDER BY created_at"""
        ),
        {"before": now - queued_for, "ns": RUN_LOCK_NAMESPACE},
    )
    return [r.id for r in rows]


#: advisory-lock namespaces (two-int form): one lock per run held by its worker, one for writing matches.
RUN_LOCK_NAMESPACE = 0x5075_656E  # "Puen"
WRITE_LOCK_NAMESPACE = 0x7465_2121  # "te!!"


async def try_lock_run(session: AsyncSession, run_id: uuid.UUID) -> bool:
    """Session-level: held across this connection's transactions until released or disconnected."""
    got = await session.scalar(
        text("SELECT pg_try_advisory_lock(:ns, hashtext(:id))"), {"ns": RUN_LOCK_NAMESPACE, "id": str(run_id)}
    )
    return bool(got)


async def unlock_run(session: AsyncSession, run_id: uuid.UUID) -> None:
    await session.execute(
        text("SELECT pg_advisory_unlock(:ns, hashtext(:id))"), {"ns": RUN_LOCK_NAMESPACE, "id": str(run_id)}
    )


async def lock_match_writes(session: AsyncSession) -> None:
    """Runs write one at a time (until this transaction ends): each sees the last one's matches and
    capacity, so two workers never propose the same pair or overfill a program."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:ns, 0)"), {"ns": WRITE_LOCK_NAMESPACE})


# --- reads ------------------------------------------------------------------------------------------


async def load_commitments(
    session: AsyncSession, *, ids: Sequence[uuid.UUID] | None, chunk_size: int
) -> list[CommitmentRow]:
    """Matchable commitments (all, or the listed ones) with their business's facts, streamed in chunks."""
    where = "AND c.id = ANY(CAST(:ids AS uuid[]))" if ids is not None else ""
    statement = text(
        f"""SELECT c.id, c.business_id, c.title, c.description, c.focus_areas, c.countries, c.needs,
                   c.amount_usd, b.size, b.hq_country, b.sectors, b.women_led, b.indigenous_led,
                   {_COMMITMENT_DIGEST} AS digest
            FROM commitments c JOIN businesses b ON b.id = c.business_id
            WHERE c.status = ANY(CAST(:statuses AS text[])) {where}
            ORDER BY c.id"""  # noqa: S608 - fixed fragments only, values are bound
    )
    params: dict[str, Any] = {"statuses": list(MATCHABLE)}
    if ids is not None:
        params["ids"] = [str(i) for i in ids]
    rows: list[CommitmentRow] = []
    result = await session.stream(statement.execution_options(yield_per=chunk_size), params)
    async for partition in result.partitions(chunk_size):
        rows.extend(
            CommitmentRow(
                id=str(r.id),
                business_id=str(r.business_id),
                text=_text(r.title, r.description),
                focus_areas=list(r.focus_areas or ()),
                countries=list(r.countries or ()),
                needs=list(r.needs or ()),
                amount_usd=_float(r.amount_usd),
                business_size=r.size,
                business_hq_country=r.hq_country,
                business_sectors=list(r.sectors or ()),
                women_led=bool(r.women_led),
                indigenous_led=bool(r.indigenous_led),
                fingerprint=r.digest,
            )
            for r in partition
        )
    return rows


@dataclass(frozen=True)
class ProgramRows:
    rows: list[ProgramRow]
    digests: dict[str, str]


async def programs_version(session: AsyncSession) -> str:
    """A digest of which programs are active and of their and their partners' row versions.

    PostgreSQL gives every written row version a new `xmin`, whatever wrote it (ORM, raw SQL, a
    migration), so the digest changes whenever a program's or partner's data could have changed; it
    reads no text, so it is cheap enough to ask before every run (a few ms at 2,000 programs).
    """
    digest = await session.scalar(
        text(
            """SELECT md5(coalesce(string_agg(p.id::text || ':' || p.xmin::text || ':' || pa.xmin::text,
                                              ',' ORDER BY p.id), ''))
               FROM programs p JOIN partners pa ON pa.id = p.partner_id
               WHERE p.active"""
        )
    )
    return str(digest)


async def load_program_catalogue(
    session: AsyncSession, *, ids: Sequence[uuid.UUID] | None, chunk_size: int
) -> ProgramRows:
    """Active programs (all, or the listed ones) with their partner's facts, streamed in chunks; the
    run-dependent facts are left out: `capacity_remaining` holds `capacity_per_month` and
    `partner_acceptance` is None (see `program_usage` and `partner_acceptance`)."""
    program_filter = "AND p.id = ANY(CAST(:ids AS uuid[]))" if ids is not None else ""
    statement = text(
        f"""SELECT p.id, p.partner_id, pa.name AS partner_name, pa.agency_code, p.name, p.description,
                   p.instruments, p.focus_areas, p.countries, p.sectors, p.min_ticket_usd, p.max_ticket_usd,
                   p.eligible_sizes, p.capacity_per_month, p.active, {_PROGRAM_DIGEST} AS digest
            FROM programs p
            JOIN partners pa ON pa.id = p.partner_id
            WHERE p.active {program_filter}
            ORDER BY p.id"""  # noqa: S608 - fixed fragments only, values are bound
    )
    params: dict[str, Any] = {}
    if ids is not None:
        params["ids"] = [str(i) for i in ids]
    rows: list[ProgramRow] = []
    digests: dict[str, str] = {}
    result = await session.stream(statement.execution_options(yield_per=chunk_size), params)
    async for partition in result.partitions(chunk_size):
        for r in partition:
            program_id = str(r.id)
            digests[program_id] = r.digest
            rows.append(
                ProgramRow(
                    id=program_id,
                    partner_id=str(r.partner_id),
                    partner_name=r.partner_name,
                    partner_agency_code=r.agency_code,
                    text=_text(r.name, r.description),
                    instruments=list(r.instruments or ()),
                    focus_areas=list(r.focus_areas or ()),
                    countries=list(r.countries or ()),
                    sectors=list(r.sectors or ()),
                    min_ticket_usd=_float(r.min_ticket_usd),
                    max_ticket_usd=_float(r.max_ticket_usd),
                    eligible_sizes=list(r.eligible_sizes or ()),
                    capacity_remaining=max(0, int(r.capacity_per_month)),
                    active=bool(r.active),
                    partner_acceptance=None,
                )
            )
    return ProgramRows(rows=rows, digests=digests)


async def program_usage(
    session: AsyncSession,
    *,
    program_ids: Sequence[str] | None,
    recomputed: Sequence[uuid.UUID] | None,
    now: datetime,
) -> dict[str, int]:
    """Per program (all, or the listed ones): its open matches created this month, not counting the
    proposals of the commitments a run recomputes (`recomputed`; None = every commitment), since the
    run either keeps those or replaces them. Programs without any are absent."""
    clauses = ["m.status = ANY(CAST(:open AS text[]))", "m.created_at >= :month_start"]
    params: dict[str, Any] = {"open": list(OPEN), "month_start": month_start(now)}
    source = "matches"
    if program_ids is not None:
        if not program_ids:
            return {}
        # A few programs' matches, found by program first whatever the planner's statistics say
        # (right after a full run they still describe an empty table).
        source = "(SELECT * FROM matches WHERE program_id = ANY(CAST(:programs AS uuid[])) OFFSET 0)"
        params["programs"] = list(program_ids)
    if recomputed is None:
        clauses.append("m.status <> 'proposed'")
    else:
        clauses.append("NOT (m.status = 'proposed' AND m.commitment_id = ANY(CAST(:recomputed AS uuid[])))")
        params["recomputed"] = [str(i) for i in recomputed]
    rows = await session.execute(
        text(
            f"SELECT m.program_id, count(*) AS n FROM {source} m"  # noqa: S608 - fixed fragments only
            f" WHERE {' AND '.join(clauses)} GROUP BY m.program_id"
        ),
        params,
    )
    return {str(r.program_id): int(r.n) for r in rows}


async def partner_acceptance(session: AsyncSession) -> dict[str, float]:
    """Per partner with decided matches: the share of them that were accepted."""
    rows = await session.execute(
        text(
            """SELECT partner_id,
                      count(*) FILTER (WHERE status = ANY(CAST(:accepted AS text[])))::float
                          / count(*) AS acceptance
               FROM matches
               WHERE status = ANY(CAST(:accepted AS text[])) OR status = 'declined'
               GROUP BY partner_id"""
        ),
        {"accepted": list(ACCEPTED)},
    )
    return {str(r.partner_id): float(r.acceptance) for r in rows}


async def load_programs(
    session: AsyncSession,
    *,
    ids: Sequence[uuid.UUID] | None,
    recomputed: Sequence[uuid.UUID] | None,
    now: datetime,
    chunk_size: int,
) -> ProgramRows:
    """Active programs (all, or the listed ones) with their partner's facts and the run's facts:
    `capacity_remaining` = capacity_per_month - `program_usage`, and `partner_acceptance` = the share
    of the partner's decided matches that were accepted (None before any decision)."""
    catalogue = await load_program_catalogue(session, ids=ids, chunk_size=chunk_size)
    used = await program_usage(
        session, program_ids=None if ids is None else [str(i) for i in ids], recomputed=recomputed, now=now
    )
    acceptance = await partner_acceptance(session)
    rows = [
        replace(
            r,
            capacity_remaining=max(0, r.capacity_remaining - used.get(r.id, 0)),
            partner_acceptance=acceptance.get(r.partner_id),
        )
        for r in catalogue.rows
    ]
    return ProgramRows(rows=rows, digests=catalogue.digests)


@dataclass(frozen=True)
class KnownMatch:
    id: uuid.UUID
    commitment_id: str
    program_id: str
    status: str
    fingerprint: str
    model_version: str
    score: float


async def known_matches(
    session: AsyncSession,
    *,
    commitment_ids: Sequence[uuid.UUID] | None,
    program_ids: Sequence[uuid.UUID] | None = None,
) -> list[KnownMatch]:
    """Open and decided matches of the given commitments (None: all) or, when given, of those programs."""
    clauses = ["status = ANY(CAST(:known AS text[]))"]
    params: dict[str, Any] = {"known": list(KNOWN)}
    by_id: list[str] = []
    if commitment_ids is not None:
        by_id.append("commitment_id = ANY(CAST(:commitments AS uuid[]))")
        params["commitments"] = [str(i) for i in commitment_ids]
    if program_ids is not None:
        by_id.append("program_id = ANY(CAST(:programs AS uuid[]))")
        params["programs"] = [str(i) for i in program_ids]
    columns = "id, commitment_id, program_id, status, fingerprint, model_version, score"
    source = "matches"
    if by_id:  # found by id first, whatever the planner's statistics say (see program_usage)
        source = f"(SELECT {columns} FROM matches WHERE {' AND '.join(by_id)} OFFSET 0) AS m"  # noqa: S608
    query = f"SELECT {columns} FROM {source} WHERE {' AND '.join(clauses)}"  # noqa: S608 - values are bound
    rows = await session.execute(text(query), params)
    return [
        KnownMatch(r.id, str(r.commitment_id), str(r.program_id), r.status, r.fingerprint, r.model_version, r.score)
        for r in rows
    ]


async def commitment_ids_with_open_matches(session: AsyncSession, program_ids: Sequence[uuid.UUID]) -> set[str]:
    rows = await session.scalars(
        text(
            """SELECT DISTINCT commitment_id FROM matches
               WHERE program_id = ANY(CAST(:programs AS uuid[])) AND status = ANY(CAST(:open AS text[]))"""
        ),
        {"programs": [str(i) for i in program_ids], "open": list(OPEN)},
    )
    return {str(r) for r in rows}


# --- writes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewProposal:
    commitment_id: str
    program_id: str
    partner_id: str
    business_id: str
    score: float
    components: dict[str, float]
    reasons: list[str]
    fingerprint: str


async def supersede(session: AsyncSession, match_ids: Iterable[uuid.UUID], now: datetime) -> list[uuid.UUID]:
    """proposed → superseded; a match someone decided meanwhile is left alone (the WHERE re-checks it
    under the row lock, and the version bump makes a coordinator's stale ETag fail)."""
    ids = [str(i) for i in match_ids]
    if not ids:
        return []
    rows = await session.scalars(
        text(
            """UPDATE matches SET status = 'superseded', version = version + 1, updated_at = :now
               WHERE id = ANY(CAST(:ids AS uuid[])) AND status = 'proposed'
               RETURNING id"""
        ),
        {"ids": ids, "now": now},
    )
    return list(rows)


async def insert_proposals(
    session: AsyncSession,
    proposals: Sequence[NewProposal],
    *,
    run_id: uuid.UUID,
    model_version: str,
    now: datetime,
) -> list[tuple[uuid.UUID, NewProposal]]:
    """Insert new proposals; a pair already open (the partial unique index) is skipped, never duplicated."""
    inserted: list[tuple[uuid.UUID, NewProposal]] = []
    for start in range(0, len(proposals), INSERT_BATCH):
        batch = proposals[start : start + INSERT_BATCH]
        ids = [uuid.uuid4() for _ in batch]
        by_id = dict(zip(ids, batch, strict=True))
        rows = await session.scalars(
            text(
                """INSERT INTO matches (id, commitment_id, program_id, partner_id, business_id, score,
                                       components, reasons, status, run_id, model_version, fingerprint,
                                       version, created_at, updated_at)
                   SELECT u.id, u.commitment_id, u.program_id, u.partner_id, u.business_id, u.score,
                          CAST(u.components AS jsonb),
                          string_to_array(u.reasons, :separator),
                          'proposed', :run_id, :model_version, u.fingerprint, 1, :now, :now
                   FROM unnest(CAST(:ids AS uuid[]), CAST(:commitments AS uuid[]),
                               CAST(:programs AS uuid[]), CAST(:partners AS uuid[]),
                               CAST(:businesses AS uuid[]), CAST(:scores AS float8[]),
                               CAST(:components AS text[]), CAST(:reasons AS text[]),
                               CAST(:fingerprints AS text[]))
                        AS u(id, commitment_id, program_id, partner_id, business_id, score, components,
                             reasons, fingerprint)
                   ON CONFLICT (commitment_id, program_id)
                       WHERE status IN ('proposed', 'approved', 'introduced') DO NOTHING
                   RETURNING id"""
            ),
            {
                "ids": [str(i) for i in ids],
                "commitments": [p.commitment_id for p in batch],
                "programs": [p.program_id for p in batch],
                "partners": [p.partner_id for p in batch],
                "businesses": [p.business_id for p in batch],
                "scores": [float(p.score) for p in batch],
                "components": [json.dumps(p.components) for p in batch],
                "reasons": [_joined(p.reasons) for p in batch],
                "separator": REASON_SEPARATOR,
                "fingerprints": [p.fingerprint for p in batch],
                "run_id": run_id,
                "model_version": model_version,
                "now": now,
            },
        )
        inserted.extend((i, by_id[i]) for i in rows)
    return inserted


# --- scoring models ---------------------------------------------------------------------------------

DECIDED_POSITIVE = (
    MatchStatus.APPROVED.value,
    MatchStatus.INTRODUCED.value,
    MatchStatus.PARTNERSHIP_FORMED.value,
)
DECIDED_NEGATIVE = (MatchStatus.DECLINED.value, MatchStatus.NO_PARTNERSHIP.value)
LEARN_LOCK_KEY = 1


@dataclass(frozen=True)
class StoredModel:
    model_version: str
    parameters: dict[str, Any]
    evaluation: dict[str, Any]


async def active_model(session: AsyncSession) -> StoredModel | None:
    row = (
        await session.execute(
            text("SELECT model_version, parameters, evaluation FROM scoring_models WHERE active LIMIT 1")
        )
    ).first()
    return None if row is None else StoredModel(row.model_version, row.parameters or {}, row.evaluation or {})


async def decided_components(session: AsyncSession) -> list[tuple[dict[str, float], bool]]:
    """Every decided match's components and whether the coordinators took it (True) or not (False),
    in a stable order so that a fit is reproducible."""
    rows = await session.execute(
        text(
            """SELECT components, status = ANY(CAST(:positive AS text[])) AS taken FROM matches
               WHERE status = ANY(CAST(:decided AS text[]))
               ORDER BY created_at, id"""
        ),
        {"positive": list(DECIDED_POSITIVE), "decided": [*DECIDED_POSITIVE, *DECIDED_NEGATIVE]},
    )
    return [(dict(r.components or {}), bool(r.taken)) for r in rows]


async def lock_learning(session: AsyncSession) -> bool:
    """One fit at a time across workers (until this transaction ends); False if another is fitting."""
    got = await session.scalar(
        text("SELECT pg_try_advisory_xact_lock(:ns, :key)"),
        {"ns": WRITE_LOCK_NAMESPACE, "key": LEARN_LOCK_KEY},
    )
    return bool(got)


async def activate_model(
    session: AsyncSession,
    *,
    model_version: str,
    parameters: dict[str, Any],
    evaluation: dict[str, Any],
    now: datetime,
) -> None:
    """Store a new model version and make it the only active one."""
    await session.execute(
        text("UPDATE scoring_models SET active = false, updated_at = :now WHERE active"), {"now": now}
    )
    await session.execute(
        text(
            """INSERT INTO scoring_models
                   (id, model_version, parameters, evaluation, active, created_at, updated_at)
               VALUES (:id, :version, CAST(:parameters AS jsonb), CAST(:evaluation AS jsonb), true,
                       :now, :now)"""
        ),
        {
            "id": uuid.uuid4(),
            "version": model_version,
            "parameters": json.dumps(parameters),
            "evaluation": json.dumps(evaluation),
            "now": now,
        },
    )
