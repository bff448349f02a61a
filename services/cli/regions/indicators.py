"""`puente import --kind indicators FILE`: need indicator values from a long CSV, as a new release.

The format is the shared data's `indicators.csv`, one value per row:
`country, unit_code, level, indicator, value, unit, year, source_id` (other columns are ignored).
Whatever a ministry or agency publishes next can be brought to that shape and imported.

The file is streamed: rows are read and checked one by one and copied in batches into a
temporary table, so memory stays flat whatever the file's size; the checks that need the whole
file (the same unit, indicator and year given twice) and the comparison with the values already
held run there, in SQL. Every row read is accepted or rejected with its line and reason:

- rejected on its own: an unknown unit or indicator code, a level or unit that disagrees with the
  reference, a value that is not a number (or a percentage outside 0 to 100, a negative value), a
  year that is not a whole number, before 1900 or in the future, an empty source;
- rejected with its twins: every row of a unit, indicator and year the file gives more than once
  (the file cannot say which is right, so none is taken);
- accepted: *added* (new to Puente), *revised* (differs from the value held, which the new one
  supersedes: it is kept, never overwritten), or *unchanged*.

A file with anything added or revised becomes one release (`need_releases`); one that brings
nothing new writes nothing. One transaction for the whole file: a failure leaves no trace.
"""

import csv
import hashlib
import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.clock import utc_now
from shared.models import NeedIndicator, NeedRelease, Region

COLUMNS = ("country", "unit_code", "level", "indicator", "value", "unit", "year", "source_id")
#: Rows copied to the staging table at once.
BATCH_ROWS = 5_000
#: Rejected rows kept in the report (all of them go to `on_reject`).
KEPT_REJECTS = 1_000
FIRST_YEAR = 1900
MAX_SOURCE_LENGTH = 120

Progress = Callable[[int], None]


class IndicatorFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, not UTF-8, a malformed line, missing columns)."""


@dataclass(frozen=True, slots=True)
class RejectedValue:
    line: int
    reason: str
    key: str = ""


@dataclass
class IndicatorImportReport:
    """What an import did: `added + revised + unchanged + rejected == rows_read`, always."""

    path: Path
    dry_run: bool
    rows_read: int = 0
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejected_rows: list[RejectedValue] = field(default_factory=list)
    release_id: int | None = None
    sha256: str = ""

    @property
    def accepted(self) -> int:
        return self.added + self.revised + self.unchanged


class _Reading(io.RawIOBase):
    """A binary file read through once: bytes counted (for the progress bar) and hashed (the release's id)."""

    def __init__(self, raw: io.BufferedReader) -> None:
        self._raw = raw
        self.bytes_read = 0
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)
        if count:
            self.bytes_read += count
            self.digest.update(memoryview(buffer)[:count])
        return count or 0


@dataclass(frozen=True, slots=True)
class _Reference:
    levels: dict[str, str]
    units: dict[str, str]


def _check(cells: dict[str, str], reference: _Reference, this_year: int) -> tuple[tuple[Any, ...] | None, list[str]]:
    """The row's staged values, or the reasons it is refused (all of them at once)."""
    reasons: list[str] = []
    country = cells["country"].strip().upper()
    unit_code = cells["unit_code"].strip()
    region_id = f"{country}-{unit_code}"
    level = reference.levels.get(region_id)
    if not country or not unit_code:
        reasons.append("country and unit_code are required")
    elif level is None:
        reasons.append(f"unknown unit {region_id} (not among the regions)")
    elif cells["level"].strip() != level:
        reasons.append(f"level {cells['level'].strip()!r} but {region_id} is a {level}")
    indicator = cells["indicator"].strip()
    unit = reference.units.get(indicator)
    if unit is None:
        reasons.append(f"unknown indicator code {indicator!r} (not in the need catalogue)")
    elif cells["unit"].strip() != unit:
        reasons.append(f"unit {cells['unit'].strip()!r} but {indicator} is measured in {unit!r}")
    value = _number(cells["value"], unit, reasons)
    year = _year(cells["year"], this_year, reasons)
    source = cells["source_id"].strip()
    if not source:
        reasons.append("source_id is empty: every value needs its source")
    elif len(source) > MAX_SOURCE_LENGTH or "\x00" in source:
        reasons.append(f"source_id is longer than {MAX_SOURCE_LENGTH} characters or holds NUL")
    if reasons:
        return None, reasons
    return (region_id, indicator, year, value, source), []


def _number(raw: str, unit: str | None, reasons: list[str]) -> float | None:
    text_value = raw.strip()
    if not text_value:
        reasons.append("value is empty (leave out a unit without a value)")
        return None
    try:
        value = float(text_value)
    except ValueError:
        reasons.append(f"value {text_value[:40]!r} is not a number")
        return None
    if not math.isfinite(value):
        reasons.append(f"value {text_value[:40]!r} is not a finite number")
        return None
    if value < 0:
        reasons.append(f"value {text_value} is negative")
    elif unit == "%" and value > 100:
        reasons.append(f"value {text_value} is a percentage above 100")
    return value


def _year(raw: str, this_year: int, reasons: list[str]) -> int | None:
    text_value = raw.strip()
    if not text_value.isdigit():
        reasons.append(f"year {text_value[:20]!r} is not a whole number")
        return None
    year = int(text_value)
    if year < FIRST_YEAR:
        reasons.append(f"year {year} is before {FIRST_YEAR}")
    elif year > this_year:
        reasons.append(f"year {year} is in the future")
    return year


def _rows(handle: io.TextIOBase, name: str) -> Iterator[tuple[int, dict[str, str] | None, str]]:
    """(line, cells by column, problem) for each non-empty row after the header."""
    reader = csv.reader(handle)
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        return
    except (csv.Error, UnicodeDecodeError) as exc:
        raise IndicatorFileError(f"{name}: line 1: {exc}") from None
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise IndicatorFileError(f"{name}: the header lacks {', '.join(missing)} (columns: {', '.join(COLUMNS)})")
    if len(set(header)) != len(header):
        raise IndicatorFileError(f"{name}: a column is named twice in the header")
    positions = {column: header.index(column) for column in COLUMNS}
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            raise IndicatorFileError(f"{name}: line {line}: {exc}") from None
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            yield line, None, f"{len(cells)} cells but the header names {len(header)} columns"
            continue
        yield line, {column: cells[position] for column, position in positions.items()}, ""


async def _reference(session: AsyncSession) -> _Reference:
    levels = dict((await session.execute(select(Region.id, Region.level))).tuples().all())
    units = dict((await session.execute(select(NeedIndicator.code, NeedIndicator.unit))).tuples().all())
    return _Reference(levels, units)


_STAGING = "need_values_staging"
_STAGED_COLUMNS = ("line", "region_id", "indicator", "year", "value", "source_id")


async def _create_staging(session: AsyncSession) -> Any:
    """A temporary table for this transaction, and the raw asyncpg connection that copies into it."""
    await session.execute(
        text(
            "CREATE TEMPORARY TABLE need_values_staging (line integer, region_id text, indicator text, year smallint,"
            " value double precision, source_id text) ON COMMIT DROP"
        )
    )
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def _stage(driver: Any, batch: list[tuple[Any, ...]]) -> None:
    if batch:
        await driver.copy_records_to_table(_STAGING, records=batch, columns=_STAGED_COLUMNS)
        batch.clear()


async def _reject_twins(
    session: AsyncSession, report: IndicatorImportReport, reject: Callable[[RejectedValue], None]
) -> None:
    """Every row of a unit, indicator and year given more than once is rejected, and taken out."""
    twins = await session.execute(
        text(
            """
            WITH counted AS (
                SELECT line, region_id, indicator, year,
                       array_agg(line) OVER (PARTITION BY region_id, indicator, year ORDER BY line
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS lines
                FROM need_values_staging
            )
            DELETE FROM need_values_staging s USING counted c
            WHERE s.line = c.line AND cardinality(c.lines) > 1
            RETURNING c.line, c.region_id, c.indicator, c.year, c.lines
            """
        )
    )
    for row in sorted(twins.all()):
        key = f"{row.region_id} {row.indicator} {row.year}"
        lines = ", ".join(str(line) for line in row.lines)
        reject(RejectedValue(row.line, f"{key} is given {len(row.lines)} times (lines {lines}); none is taken", key))


_COMPARE = text(
    """
    SELECT count(*) FILTER (WHERE v.id IS NULL) AS added,
           count(*) FILTER (WHERE v.id IS NOT NULL AND (v.value <> s.value OR v.source_id <> s.source_id)) AS revised,
           count(*) FILTER (WHERE v.value = s.value AND v.source_id = s.source_id) AS unchanged
    FROM need_values_staging s
    LEFT JOIN need_values v
      ON v.region_id = s.region_id AND v.indicator = s.indicator AND v.year = s.year AND v.superseded_by IS NULL
    """
)
_SUPERSEDE = text(
    """
    UPDATE need_values v SET superseded_by = :release, superseded_at = :now
    FROM need_values_staging s
    WHERE v.region_id = s.region_id AND v.indicator = s.indicator AND v.year = s.year
      AND v.superseded_by IS NULL AND (v.value <> s.value OR v.source_id <> s.source_id)
    """
)
_INSERT = text(
    """
    INSERT INTO need_values (region_id, indicator, year, value, source_id, release_id)
    SELECT s.region_id, s.indicator, s.year, s.value, s.source_id, :release
    FROM need_values_staging s
    WHERE NOT EXISTS (
        SELECT 1 FROM need_values v
        WHERE v.region_id = s.region_id AND v.indicator = s.indicator AND v.year = s.year AND v.superseded_by IS NULL
    )
    """
)


async def _import(
    session: AsyncSession,
    handle: io.TextIOBase,
    reading: _Reading,
    report: IndicatorImportReport,
    reject: Callable[[RejectedValue], None],
    this_year: int,
    label: str | None,
    imported_by: str,
    progress: Progress | None,
) -> None:
    """Stream the rows into the staging table, reject twins, then write the release (see import_indicators)."""
    reference = await _reference(session)
    driver = await _create_staging(session)
    batch: list[tuple[Any, ...]] = []
    for line, cells, problem in _rows(handle, report.path.name):
        report.rows_read += 1
        if cells is None:
            reject(RejectedValue(line, problem))
            continue
        staged, reasons = _check(cells, reference, this_year)
        if staged is None:
            key = f"{cells['country'].strip()}-{cells['unit_code'].strip()} {cells['indicator'].strip()}"
            reject(RejectedValue(line, "; ".join(reasons), key))
            continue
        batch.append((line, *staged))
        if len(batch) >= BATCH_ROWS:
            await _stage(driver, batch)
            if progress is not None:
                progress(reading.bytes_read)
    await _stage(driver, batch)
    if progress is not None:
        progress(reading.bytes_read)
    report.sha256 = reading.digest.hexdigest()
    await _reject_twins(session, report, reject)
    counts = (await session.execute(_COMPARE)).one()
    report.added, report.revised, report.unchanged = counts.added, counts.revised, counts.unchanged
    if report.added or report.revised:
        release = NeedRelease(
            label=(label or f"{report.path.name} ({utc_now().date().isoformat()})")[:200],
            file_name=report.path.name[:300],
            sha256=report.sha256,
            imported_by=imported_by[:200],
            rows_read=report.rows_read,
            added=report.added,
            revised=report.revised,
            unchanged=report.unchanged,
            rejected=report.rejected,
        )
        session.add(release)
        await session.flush()
        await session.execute(_SUPERSEDE, {"release": release.id, "now": utc_now()})
        await session.execute(_INSERT, {"release": release.id})
        report.release_id = release.id


async def import_indicators(
    sessionmaker: async_sessionmaker[AsyncSession],
    path: Path,
    *,
    dry_run: bool = False,
    label: str | None = None,
    imported_by: str = "cli",
    progress: Progress | None = None,
    on_reject: Callable[[RejectedValue], None] | None = None,
    today: date | None = None,
) -> IndicatorImportReport:
    """Import `path` as one release; see the module's docstring for what is accepted.

    `progress` gets the bytes read so far after each batch; `on_reject` every rejected row as
    it is found (the report keeps the first `KEPT_REJECTS`). `dry_run` does everything and rolls
    it back, so its report is what a real import would say. Raises IndicatorFileError when the
    file as a whole cannot be used; nothing is written then.
    """
    report = IndicatorImportReport(path=path, dry_run=dry_run)
    this_year = (today or utc_now().date()).year

    def reject(rejected: RejectedValue) -> None:
        report.rejected += 1
        if len(report.rejected_rows) < KEPT_REJECTS:
            report.rejected_rows.append(rejected)
        if on_reject is not None:
            on_reject(rejected)

    try:
        raw = path.open("rb")
    except OSError as exc:
        raise IndicatorFileError(f"{path}: {exc.strerror or exc}") from None
    with raw:
        reading = _Reading(raw)
        handle = io.TextIOWrapper(io.BufferedReader(reading), encoding="utf-8-sig", newline="")
        async with sessionmaker() as session:
            try:
                await _import(session, handle, reading, report, reject, this_year, label, imported_by, progress)
            except BaseException:
                await session.rollback()
                raise
            if dry_run:
                await session.rollback()
            else:
                await session.commit()
    assert report.accepted + report.rejected == report.rows_read
    return report


def file_size(path: Path) -> int:
    """The file's size in bytes, for the progress bar (0 when unknown)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0
