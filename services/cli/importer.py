"""`puente import`: businesses, partners, programs or commitments from a CSV or JSON file.

Every row is validated by the same input models and written by the same upsert rules as the
API and the inbound webhooks (shared.records), each in its own SAVEPOINT, so one bad row is
reported and skipped without sinking the others. Nothing is dropped silently: every row read
is either accepted (created, or updated / found unchanged by external_id) or rejected with its
line and reason.

CSV: the header row names the fields; list fields are separated by `;` or `|`; booleans are
true/false/yes/no/1/0; targets and baselines are `code=value` pairs (`;`-separated) or a JSON
object; an empty cell leaves the field out. JSON: a list of objects, or {"items": [...]}.
Programs name their partner by `partner_id`, `partner_external_id` or `partner_name`;
commitments their business by `business_id`, `business_external_id` or `business_name`.
"""

import csv
import json
import re
import types
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from arq import ArqRedis
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.actor import Actor
from shared.db.after_commit import AFTER_COMMIT_KEY, take_after_commit_jobs
from shared.db.tenancy import set_actor
from shared.enums import Role
from shared.errors import PuenteError
from shared.models import Business, Partner, Program
from shared.models import Commitment as CommitmentRow
from shared.records.business import BusinessCreate, upsert_business
from shared.records.commitment import CommitmentUpsert, upsert_commitment
from shared.records.partner import PartnerCreate, upsert_partner
from shared.records.program import ProgramUpsert, upsert_program

KINDS = ("businesses", "partners", "programs", "commitments")
FORMATS = (".csv", ".json")

Progress = Callable[[int], None]


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unknown kind or format, unreadable, wrong columns)."""


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not imported: its line in the file (where the row or JSON object starts) and why."""

    line: int
    reason: str
    external_id: str | None = None


@dataclass
class ImportReport:
    """What an import did: `accepted + len(rejected) == rows_read`, always."""

    path: Path
    kind: str
    dry_run: bool
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class SourceRow:
    """One row as read from the file: its values, and the problems found reading it.

    `problems` maps a field to why its cell could not be read (the row is still validated
    without it, so every problem is reported at once); the key "" is a problem with the whole
    row (too many cells, not an object), which is then not validated at all.
    """

    line: int
    values: dict[str, Any]
    problems: dict[str, str] = field(default_factory=dict)


# --- reading ---------------------------------------------------------------------------------------

_LIST_SPLIT = re.compile(r"[;|]")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PAIR = re.compile(r"\s*([^=:\s]+)\s*[=:]\s*(\S.*?)\s*")
_TRUE = frozenset({"true", "yes", "1", "y", "t"})
_FALSE = frozenset({"false", "no", "0", "n", "f"})


class _CellError(ValueError):
    pass


def _shape(annotation: Any) -> str:
    """What kind of CSV cell a field takes: list, dict, bool, int, number, decimal or text."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _shape(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        shapes = {_shape(arg) for arg in get_args(annotation) if arg is not type(None)}
        if shapes <= {"int", "number"}:
            return "number" if "number" in shapes else "int"
        return shapes.pop() if len(shapes) == 1 else "text"
    if origin is list:
        return "list"
    if origin is dict:
        return "dict"
    if annotation is bool:
        return "bool"
    if annotation is int:
        return "int"
    if annotation is float:
        return "number"
    if annotation is Decimal:
        return "decimal"
    return "text"


def _number(raw: str, name: str) -> int | float | Decimal:
    text = raw.strip().lstrip("$").strip()
    if _GROUPED.match(text):
        text = text.replace(",", "")
    text = text.replace("_", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _CellError(f"{name}: {raw!r} is not a number") from None
    if not value.is_finite():
        raise _CellError(f"{name}: {raw!r} is not a number")
    return value


def _cell(name: str, raw: str, shape: str) -> Any:
    if shape == "list":
        return [part.strip() for part in _LIST_SPLIT.split(raw) if part.strip()]
    if shape == "bool":
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise _CellError(f"{name}: {raw!r} is not a boolean (true/false, yes/no, 1/0)")
    if shape == "int":
        value = _number(raw, name)
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
        if not isinstance(value, int):
            raise _CellError(f"{name}: {raw!r} is not a whole number")
        return value
    if shape == "number":
        value = _number(raw, name)
        return float(value) if isinstance(value, Decimal) else value
    if shape == "decimal":
        return _number(raw, name)
    if shape == "dict":
        return _pairs(name, raw)
    return raw


def _pairs(name: str, raw: str) -> dict[str, Any]:
    """`{"jobs_created": 10}` or `jobs_created=10; people_reached=500` (also `code: value`)."""
    text = raw.strip()
    if text.startswith("{"):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _CellError(f"{name}: not a JSON object ({exc.msg})") from None
        if not isinstance(loaded, dict):
            raise _CellError(f"{name}: not a JSON object")
        return loaded
    pairs: dict[str, Any] = {}
    for part in _LIST_SPLIT.split(text):
        if not part.strip():
            continue
        match = _PAIR.fullmatch(part)
        if match is None:
            raise _CellError(f"{name}: {part.strip()!r} is not code=value")
        code, value = match.groups()
        number = _number(value, f"{name}.{code}")
        pairs[code] = float(number) if isinstance(number, Decimal) else number
    return pairs


def _read_csv(path: Path, fields: dict[str, str], extra_columns: frozenset[str]) -> list[SourceRow]:
    rows: list[SourceRow] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise ImportFileError(f"{path.name}: line 1: {exc}") from None
        _check_header(header, fields, extra_columns, path)
        while True:
            before = reader.line_num
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise ImportFileError(f"{path.name}: line {reader.line_num}: {exc}") from None
            if not any(cell.strip() for cell in cells):
                continue
            line = before + 1
            values: dict[str, Any] = {}
            problems: dict[str, str] = {}
            for name, raw in zip(header, cells, strict=False):
                if not raw.strip():
                    continue
                try:
                    values[name] = _cell(name, raw, fields.get(name, "text"))
                except _CellError as exc:
                    problems[name] = str(exc)
            if len(cells) > len(header):
                problems = {"": f"{len(cells)} cells but the header names {len(header)} columns"}
            rows.append(SourceRow(line, values, problems))
    return rows


def _check_header(header: list[str], fields: dict[str, str], extra_columns: frozenset[str], path: Path) -> None:
    if any(not name for name in header):
        raise ImportFileError(f"{path.name}: the header has an empty column name")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise ImportFileError(f"{path.name}: repeated columns: {', '.join(repeated)}")
    unknown = [name for name in header if name not in fields and name not in extra_columns]
    if unknown:
        known = ", ".join([*fields, *sorted(extra_columns)])
        raise ImportFileError(f"{path.name}: unknown columns: {', '.join(unknown)} (known: {known})")


_WHITESPACE = " \t\r\n"


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index


def _json_items(text: str) -> Iterator[tuple[int, Any]]:
    """The items of a valid JSON list (or of {"items": [...]}) with the line each starts on."""
    decoder = json.JSONDecoder()
    index = _skip(text, 0)
    if text[index] == "{":
        index = _skip(text, index + 1)
        while text[index] != "}":
            key, index = decoder.raw_decode(text, index)
            index = _skip(text, _skip(text, index) + 1)  # past the colon
            if key == "items":
                break
            _, index = decoder.raw_decode(text, index)
            index = _skip(text, index)
            if text[index] == ",":
                index = _skip(text, index + 1)
    index = _skip(text, index + 1)  # past "["
    line, counted = 1, 0
    while index < len(text) and text[index] != "]":
        line += text.count("\n", counted, index)
        counted = index
        item, index = decoder.raw_decode(text, index)
        yield line, item
        index = _skip(text, index)
        if text[index] == ",":
            index = _skip(text, index + 1)


def _read_json(path: Path) -> list[SourceRow]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ImportFileError(f"{path.name}: not valid JSON ({where}: {exc.msg})") from None
    if not isinstance(document, list) and not (isinstance(document, dict) and isinstance(document.get("items"), list)):
        raise ImportFileError(f'{path.name}: expected a list of objects or {{"items": [...]}}')
    return [SourceRow(line, item) if isinstance(item, dict) else _not_object(line) for line, item in _json_items(text)]


def _not_object(line: int) -> SourceRow:
    return SourceRow(line, {}, {"": "not a JSON object"})


def read_rows(path: Path, kind: str) -> list[SourceRow]:
    """Every row of the file with its line; raises ImportFileError when the file cannot be used at all."""
    spec = _spec(kind)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ImportFileError(f"{path.name}: use a .csv or .json file")
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file")
    try:
        if suffix == ".csv":
            return _read_csv(path, spec.fields, spec.extra_columns)
        return _read_json(path)
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


# --- writing ---------------------------------------------------------------------------------------


class _RowError(Exception):
    """A row that cannot be written for a reason the input models do not see (a lookup by name)."""


async def _by_name(session: AsyncSession, model: type[Business] | type[Partner], name: str, what: str) -> str:
    ids = list(await session.scalars(select(model.id).where(func.lower(model.name) == name.strip().lower()).limit(2)))
    if not ids:
        raise _RowError(f"no {what} named {name!r}")
    if len(ids) > 1:
        raise _RowError(f"more than one {what} is named {name!r}; give its id or external_id")
    return str(ids[0])


async def _prepare_program(session: AsyncSession, values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    name = values.pop("partner_name", None)
    if name is not None and values.get("partner_id") is None and values.get("partner_external_id") is None:
        values["partner_id"] = await _by_name(session, Partner, str(name), "partner")
    if values.get("partner_id") is None and values.get("partner_external_id") is None:
        raise _RowError("partner_id, partner_external_id or partner_name is required")
    return values


async def _prepare_commitment(session: AsyncSession, values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    name = values.pop("business_name", None)
    if name is not None and values.get("business_id") is None and values.get("business_external_id") is None:
        values["business_id"] = await _by_name(session, Business, str(name), "business")
    if values.get("business_id") is None and values.get("business_external_id") is None:
        raise _RowError("business_id, business_external_id or business_name is required")
    return values


async def _as_is(_session: AsyncSession, values: dict[str, Any]) -> dict[str, Any]:
    return values


@dataclass(frozen=True)
class _Kind:
    model: type[BaseModel]
    table: type[Business] | type[Partner] | type[Program] | type[CommitmentRow]
    upsert: Callable[[AsyncSession, Any], Awaitable[object]]
    prepare: Callable[[AsyncSession, dict[str, Any]], Awaitable[dict[str, Any]]] = _as_is
    extra_columns: frozenset[str] = frozenset()

    @property
    def fields(self) -> dict[str, str]:
        return {name: _shape(info.annotation) for name, info in self.model.model_fields.items()}


_SPECS: dict[str, _Kind] = {
    "businesses": _Kind(BusinessCreate, Business, upsert_business),
    "partners": _Kind(PartnerCreate, Partner, upsert_partner),
    "programs": _Kind(ProgramUpsert, Program, upsert_program, _prepare_program, frozenset({"partner_name"})),
    "commitments": _Kind(
        CommitmentUpsert, CommitmentRow, upsert_commitment, _prepare_commitment, frozenset({"business_name"})
    ),
}


def _spec(kind: str) -> _Kind:
    if kind not in _SPECS:
        raise ImportFileError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    return _SPECS[kind]


def _validation_reasons(exc: ValidationError, unread: dict[str, str]) -> list[str]:
    """Pydantic's errors in plain words, leaving out fields whose cell could not be read at all."""
    parts = []
    for error in exc.errors(include_url=False):
        if error["loc"] and error["loc"][0] in unread:
            continue
        where = ".".join(str(part) for part in error["loc"]) or "row"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] in {"enum", "literal_error"} or error["type"].startswith("string_pattern"):
            message += f" (got {error['input']!r})"
        parts.append(f"{where}: {message}")
    return parts


def _database_reason(exc: DBAPIError) -> str:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
    return f"the database refused the row: {detail}"


async def _import_row(session: AsyncSession, spec: _Kind, row: SourceRow, report: ImportReport) -> None:
    raw_external_id = row.values.get("external_id")
    external_id = str(raw_external_id) if raw_external_id is not None else None
    if "" in row.problems:
        report.rejected.append(RejectedRow(row.line, row.problems[""], external_id))
        return
    jobs_before = len(session.info.setdefault(AFTER_COMMIT_KEY, []))
    reasons = list(row.problems.values())
    version_before: int | None = None  # of the record with this external_id, when one exists
    version_after: int | None = None
    try:
        async with session.begin_nested():
            data = spec.model.model_validate(await spec.prepare(session, row.values))
            if reasons:
                raise _RowError()  # validated for its other problems; not written
            key: str | None = getattr(data, "external_id", None)
            if key is not None:
                version_before = await session.scalar(select(spec.table.version).where(spec.table.external_id == key))
            record = await spec.upsert(session, data)
            version_after = getattr(record, "version", None)
    except ValidationError as exc:
        reasons += _validation_reasons(exc, row.problems)
    except _RowError as exc:
        reasons += [str(exc)] if str(exc) else []
    except PuenteError as exc:
        reasons.append(exc.detail)
    except DBAPIError as exc:
        reasons.append(_database_reason(exc))
    reason = "; ".join(reasons) or None
    if reason is not None:
        del session.info.setdefault(AFTER_COMMIT_KEY, [])[jobs_before:]
        report.rejected.append(RejectedRow(row.line, reason, external_id))
    elif version_before is None:
        report.created += 1
    elif version_after == version_before:
        report.unchanged += 1
    else:
        report.updated += 1


async def import_records(
    sessionmaker: async_sessionmaker[AsyncSession],
    path: Path,
    kind: str,
    *,
    dry_run: bool,
    progress: Progress | None = None,
    redis: ArqRedis | None = None,
) -> ImportReport:
    """Import every row of `path` as `kind`, upserting by external_id; a report of every row's fate.

    One transaction for the file, one SAVEPOINT per row. `dry_run` does all the work (lookups,
    rules, database constraints) and rolls it back, so its report is what a real import would
    say. `progress` is called after each row with the number of rows done so far. After the
    commit, the jobs the writes queued (scoped match runs, webhook nudges) are sent through
    `redis` when given; without it the worker's sweepers pick the queued rows up.
    Raises ImportFileError when the file as a whole cannot be used; nothing is written then.
    """
    spec = _spec(kind)
    rows = read_rows(path, kind)
    report = ImportReport(path=path, kind=kind, dry_run=dry_run, rows_read=len(rows))
    async with sessionmaker() as session:
        set_actor(session.sync_session, Actor(role=Role.ADMIN, label=f"import:{path.name}"[:200]))
        try:
            for done, row in enumerate(rows, start=1):
                await _import_row(session, spec, row, report)
                if progress is not None:
                    progress(done)
        except BaseException:
            await session.rollback()
            take_after_commit_jobs(session)
            raise
        if dry_run:
            await session.rollback()
            take_after_commit_jobs(session)
        else:
            await session.commit()
            jobs = take_after_commit_jobs(session)
            if redis is not None:
                for job in jobs:
                    await job(redis)
    assert report.accepted + len(report.rejected) == report.rows_read
    return report
