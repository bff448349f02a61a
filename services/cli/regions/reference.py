"""The reference regions and the need catalogue, loaded from a folder (the vendored `data/` by default).

A folder holds `admin_units.csv` (one row per unit; the shared data's columns), `boundaries/*.geojson`
(features with `country`, `level`, `code` properties) and `need_indicators.csv` (the catalogue).
Loading upserts by id and code: names, populations, centroids and boundaries are brought up to
date, a unit no longer in the file is kept (commitments may name it) and reported. Each unit's
`lineage` (itself and its ancestors) is recomputed from the parents in the database.

`puente run` loads the vendored folder and its `indicators.csv` (as the first release) into a
database without regions; `puente import --kind regions FOLDER` loads a folder again.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.clock import utc_now
from shared.domain.identity import fold
from shared.enums import NeedDirection, RegionLevel
from shared.models import NeedIndicator, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
UNITS_FILE = "admin_units.csv"
CATALOGUE_FILE = "need_indicators.csv"
BUNDLED_INDICATORS = "indicators.csv"
BOUNDARIES_DIR = "boundaries"
#: Parents before children, so every parent exists when its children are written.
LEVEL_ORDER = {RegionLevel.DEPARTMENT.value: 0, RegionLevel.MUNICIPALITY.value: 1, RegionLevel.DISTRICT.value: 2}
#: Serialises concurrent first starts: the second sees the first's regions.
_ADVISORY_LOCK = 0x52_45_47_49_4F_4E  # "REGION"


class ReferenceDataError(ValueError):
    """The folder cannot be loaded: a file missing or unreadable, a unit or indicator that breaks a rule."""


@dataclass
class ReferenceReport:
    units_added: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    boundaries: int = 0
    indicators_catalogued: int = 0
    units_not_in_file: list[str] = field(default_factory=list)


def _text(row: dict[str, str], name: str) -> str | None:
    value = (row.get(name) or "").strip()
    return value or None


def _number(row: dict[str, str], name: str, kind: type[int] | type[float], where: str) -> Any:
    value = _text(row, name)
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        raise ReferenceDataError(f"{where}: {name} {value!r} is not a number") from None


def _csv_rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in required if column not in (reader.fieldnames or [])]
            if missing:
                raise ReferenceDataError(f"{path.name}: the header lacks {', '.join(missing)}")
            return [(reader.line_num, row) for row in reader]
    except OSError as exc:
        raise ReferenceDataError(f"{path}: {exc.strerror or exc}") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"{path.name}: {exc}") from None


def read_units(folder: Path) -> list[dict[str, Any]]:
    """The units of `admin_units.csv` as region rows (lineage not yet known), parents first."""
    units: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line, row in _csv_rows(folder / UNITS_FILE, ("country", "level", "code", "name", "parent_code")):
        where = f"{UNITS_FILE} line {line}"
        country, level, code, name = (_text(row, c) or "" for c in ("country", "level", "code", "name"))
        if len(country) != 2 or not code.isdigit() or not name or level not in LEVEL_ORDER:
            raise ReferenceDataError(f"{where}: needs a two-letter country, a numeric code, a name and a known level")
        region_id = f"{country.upper()}-{code}"
        if region_id in seen:
            raise ReferenceDataError(f"{where}: {region_id} appears twice")
        seen.add(region_id)
        parent = _text(row, "parent_code")
        units.append(
            {
                "id": region_id,
                "country": country.upper(),
                "level": level,
                "code": code,
                "name": name,
                "name_folded": fold(name),
                "parent_id": f"{country.upper()}-{parent}" if parent else None,
                "lineage": [region_id],
                "iso_3166_2": _text(row, "iso_3166_2"),
                "population": _number(row, "population", int, where),
                "population_year": _number(row, "population_year", int, where),
                "population_source": _text(row, "population_source"),
                "lat": _number(row, "lat", float, where),
                "lon": _number(row, "lon", float, where),
                "centroid_source": _text(row, "centroid_source"),
                "source_id": _text(row, "source_id"),
                "notes": _text(row, "notes"),
            }
        )
    known = {unit["id"] for unit in units}
    for unit in units:
        if unit["parent_id"] is not None and unit["parent_id"] not in known:
            raise ReferenceDataError(f"{UNITS_FILE}: {unit['id']} names an unknown parent {unit['parent_id']}")
    return sorted(units, key=lambda unit: (LEVEL_ORDER[unit["level"]], unit["id"]))


def read_boundaries(folder: Path) -> dict[str, dict[str, Any]]:
    """Region id → GeoJSON geometry, from every `boundaries/*.geojson` of the folder."""
    geometries: dict[str, dict[str, Any]] = {}
    for path in sorted((folder / BOUNDARIES_DIR).glob("*.geojson")):
        try:
            collection = orjson.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise ReferenceDataError(f"{path.name}: {exc}") from None
        for number, feature in enumerate(collection.get("features", []), start=1):
            properties = feature.get("properties") or {}
            geometry = feature.get("geometry") or {}
            if geometry.get("type") not in ("Polygon", "MultiPolygon") or not properties.get("code"):
                raise ReferenceDataError(f"{path.name}: feature {number} is not a coded (multi)polygon")
            geometries[f"{str(properties.get('country', '')).upper()}-{properties['code']}"] = geometry
    return geometries


def read_catalogue(folder: Path) -> list[dict[str, Any]]:
    """The need catalogue's rows; a direction or stand-in the catalogue cannot honour is an error."""
    required = ("code", "label_en", "label_es", "unit", "direction", "stands_in_for", "description")
    rows: list[dict[str, Any]] = [
        {name: (row.get(name) or "").strip() for name in required}
        for _, row in _csv_rows(folder / CATALOGUE_FILE, required)
    ]
    codes = {row["code"] for row in rows}
    for row in rows:
        if not row["code"] or not row["label_en"] or not row["label_es"] or not row["unit"]:
            raise ReferenceDataError(f"{CATALOGUE_FILE}: {row['code'] or 'a row'} lacks a code, label or unit")
        if row["direction"] not in {d.value for d in NeedDirection}:
            raise ReferenceDataError(f"{CATALOGUE_FILE}: {row['code']} has an unknown direction {row['direction']!r}")
        if row["stands_in_for"] and row["stands_in_for"] not in codes:
            raise ReferenceDataError(f"{CATALOGUE_FILE}: {row['code']} stands in for an unknown indicator")
        row["stands_in_for"] = row["stands_in_for"] or None
    return rows


_LINEAGE = text(
    """
    WITH RECURSIVE chain(id, lineage) AS (
        SELECT id, ARRAY[id]::text[] FROM regions WHERE parent_id IS NULL
        UNION ALL
        SELECT r.id, (ARRAY[r.id] || chain.lineage)::text[] FROM regions r JOIN chain ON r.parent_id = chain.id
    )
    UPDATE regions SET lineage = chain.lineage FROM chain
    WHERE regions.id = chain.id AND regions.lineage IS DISTINCT FROM chain.lineage
    """
)


async def _upsert_catalogue(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    plain = [{**row, "stands_in_for": None} for row in rows]
    statement = insert(NeedIndicator).values(plain)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[NeedIndicator.code],
            set_={
                name: statement.excluded[name] for name in ("label_en", "label_es", "unit", "direction", "description")
            },
        )
    )
    for row in rows:  # stand-ins once every code exists
        await session.execute(
            update(NeedIndicator).where(NeedIndicator.code == row["code"]).values(stands_in_for=row["stands_in_for"])
        )


#: Region columns in the order the staging table holds them (the boundary as JSON text).
_UNIT_COLUMNS = (
    "id", "country", "level", "code", "name", "name_folded", "parent_id", "iso_3166_2", "population",
    "population_year", "population_source", "lat", "lon", "centroid_source", "source_id", "notes", "boundary",
)  # fmt: skip
_STAGE_UNITS = text(
    """
    CREATE TEMPORARY TABLE regions_staging (
        id text, country text, level text, code text, name text, name_folded text, parent_id text,
        iso_3166_2 text, population bigint, population_year integer, population_source text,
        lat double precision, lon double precision, centroid_source text, source_id text, notes text,
        boundary text
    ) ON COMMIT DROP
    """
)
_UPDATED = ", ".join(f"{name} = EXCLUDED.{name}" for name in _UNIT_COLUMNS[1:])
_CHANGED = " OR ".join(f"regions.{name} IS DISTINCT FROM EXCLUDED.{name}" for name in _UNIT_COLUMNS[1:])
_MERGE_UNITS = text(
    "INSERT INTO regions (" + ", ".join(_UNIT_COLUMNS) + ", lineage, loaded_at) "
    "SELECT " + ", ".join(_UNIT_COLUMNS[:-1]) + ", boundary::jsonb, ARRAY[id]::text[], :now "
    "FROM regions_staging ORDER BY array_position(ARRAY['department', 'municipality', 'district'], level), id "
    f"ON CONFLICT (id) DO UPDATE SET {_UPDATED}, loaded_at = :now WHERE {_CHANGED} "
    "RETURNING (xmax = 0) AS inserted"
)


async def _upsert_units(session: AsyncSession, units: list[dict[str, Any]], report: ReferenceReport) -> None:
    """Copied into a temporary table, then merged in one statement (parents first, so keys hold)."""
    await session.execute(_STAGE_UNITS)
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    assert driver is not None
    records = [
        tuple(
            orjson.dumps(unit[name]).decode() if name == "boundary" and unit[name] else unit[name]
            for name in _UNIT_COLUMNS
        )
        for unit in units
    ]
    await driver.copy_records_to_table("regions_staging", records=records, columns=_UNIT_COLUMNS)
    for inserted in (await session.execute(_MERGE_UNITS, {"now": utc_now()})).scalars():
        if inserted:
            report.units_added += 1
        else:
            report.units_updated += 1
    report.units_unchanged = len(units) - report.units_added - report.units_updated


def read_folder(folder: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], ReferenceReport]:
    """The folder's units (each with its boundary, or None) and catalogue, checked before anything is written."""
    units = read_units(folder)
    boundaries = read_boundaries(folder)
    catalogue = read_catalogue(folder)
    strays = sorted(set(boundaries) - {unit["id"] for unit in units})
    if strays:
        raise ReferenceDataError(f"boundaries for units not in {UNITS_FILE}: {', '.join(strays[:10])}")
    for unit in units:
        unit["boundary"] = boundaries.get(unit["id"])
    return units, catalogue, ReferenceReport(boundaries=len(boundaries), indicators_catalogued=len(catalogue))


async def load_reference(sessionmaker: async_sessionmaker[AsyncSession], folder: Path = DATA_DIR) -> ReferenceReport:
    """Upsert the folder's units (with their boundaries) and catalogue, in one transaction."""
    units, catalogue, report = read_folder(folder)
    async with sessionmaker() as session, session.begin():
        await _load(session, units, catalogue, report)
    return report


async def _load(
    session: AsyncSession, units: list[dict[str, Any]], catalogue: list[dict[str, Any]], report: ReferenceReport
) -> None:
    await _upsert_catalogue(session, catalogue)
    await _upsert_units(session, units, report)
    await session.execute(_LINEAGE)
    known = {unit["id"] for unit in units}
    held = (await session.scalars(select(Region.id))).all()
    report.units_not_in_file = sorted(region for region in held if region not in known)


async def load_reference_if_empty(
    sessionmaker: async_sessionmaker[AsyncSession], folder: Path = DATA_DIR
) -> ReferenceReport | None:
    """On a database without regions: the folder's units and catalogue, then its indicators as release 1.

    None when regions are already there (the usual start), so it is safe at every start.
    """
    from services.cli.regions.indicators import import_indicators

    async with sessionmaker() as session, session.begin():
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
        if await session.scalar(select(func.count()).select_from(Region)):
            return None
        units, catalogue, report = read_folder(folder)
        await _load(session, units, catalogue, report)
    bundled = folder / BUNDLED_INDICATORS
    if bundled.exists():
        await import_indicators(sessionmaker, bundled, label=f"bundled {BUNDLED_INDICATORS}", imported_by="first start")
    return report
