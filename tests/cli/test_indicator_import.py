"""`puente import --kind indicators`: releases add versions and keep history; every bad row is named."""

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from services.cli.commands_data import register
from services.cli.regions.indicators import BATCH_ROWS, IndicatorFileError, import_indicators
from services.cli.regions.reference import DATA_DIR
from shared.config import Settings, get_settings
from shared.models import NeedRelease, NeedValue, Region
from tests.reference_data import reference_data, reference_snapshot

__all__ = ["reference_data", "reference_snapshot"]

pytestmark = pytest.mark.usefixtures("reference_data")

HEADER = "country,unit_code,level,indicator,value,unit,year,source_id\n"
TODAY = date(2026, 6, 1)


def _write(tmp_path: Path, body: str, name: str = "release.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


async def _current(sessionmaker, region: str, indicator: str) -> list[tuple[int, float, int]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(NeedValue.year, NeedValue.value, NeedValue.release_id)
            .where(NeedValue.region_id == region, NeedValue.indicator == indicator, NeedValue.superseded_by.is_(None))
            .order_by(NeedValue.year)
        )
        return [tuple(row) for row in rows.all()]


async def test_bundled_file_is_release_one_and_again_brings_nothing_new(sessionmaker) -> None:
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(NeedRelease)) == 1
        assert await session.scalar(select(func.count()).select_from(NeedValue)) == 4735
    report = await import_indicators(sessionmaker, DATA_DIR / "indicators.csv", today=TODAY)
    assert (report.rows_read, report.unchanged, report.added, report.revised, report.rejected) == (4735, 4735, 0, 0, 0)
    assert report.release_id is None
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(NeedRelease)) == 1


async def test_a_new_release_revises_adds_and_keeps_history(sessionmaker, tmp_path: Path) -> None:
    [(year, before, first_release)] = await _current(sessionmaker, "GT-1319", "poverty_headcount")
    path = _write(
        tmp_path,
        f"GT,1319,municipality,poverty_headcount,90.5,%,{year},segeplan_sae2025\n"
        "GT,1319,municipality,poverty_headcount,89.0,%,2025,segeplan_sae2025\n"
        "GT,1301,municipality,unemployment_rate,2.11,%,2018,ine_gt_censo2018\n",
    )
    report = await import_indicators(sessionmaker, path, label="SAE 2025 revision", today=TODAY)
    assert (report.revised, report.added, report.unchanged, report.rejected) == (1, 1, 1, 0)
    assert report.release_id == first_release + 1

    assert await _current(sessionmaker, "GT-1319", "poverty_headcount") == [
        (year, 90.5, report.release_id),
        (2025, 89.0, report.release_id),
    ]
    async with sessionmaker() as session:
        old = (
            await session.execute(
                select(NeedValue.value, NeedValue.superseded_by).where(
                    NeedValue.region_id == "GT-1319",
                    NeedValue.indicator == "poverty_headcount",
                    NeedValue.superseded_by.is_not(None),
                )
            )
        ).one()
        release = await session.get(NeedRelease, report.release_id)
    assert tuple(old) == (before, report.release_id)  # never overwritten
    assert release is not None and release.label == "SAE 2025 revision" and release.revised == 1


async def test_every_bad_row_is_named_and_the_good_ones_imported(sessionmaker, tmp_path: Path) -> None:
    twins_before = await _current(sessionmaker, "GT-1302", "unemployment_rate")
    path = _write(
        tmp_path,
        "GT,9999,municipality,poverty_headcount,50,%,2023,src\n"  # 2 unknown unit
        "GT,1301,municipality,happiness,50,%,2023,src\n"  # 3 unknown indicator
        "GT,13,municipality,unemployment_rate,5,%,2024,src\n"  # 4 level disagrees
        "GT,1301,municipality,unemployment_rate,5,persons,2024,src\n"  # 5 unit disagrees
        "GT,1301,municipality,unemployment_rate,n/a,%,2024,src\n"  # 6 not a number
        "GT,1301,municipality,unemployment_rate,NaN,%,2024,src\n"  # 7 not finite
        "GT,1301,municipality,homicides,-3,persons,2024,src\n"  # 8 negative
        "GT,1301,municipality,unemployment_rate,130,%,2024,src\n"  # 9 above 100 %
        "GT,1301,municipality,unemployment_rate,5,%,2031,src\n"  # 10 future
        "GT,1301,municipality,unemployment_rate,5,%,20x3,src\n"  # 11 not a whole number
        "GT,1301,municipality,unemployment_rate,5,%,1850,src\n"  # 12 too early
        "GT,1301,municipality,unemployment_rate,5,%,2024,\n"  # 13 no source
        "GT,1301,municipality,unemployment_rate,5,%\n"  # 14 short row
        "GT,1302,municipality,unemployment_rate,4.1,%,2024,ine_ene_2024\n"  # 15 twin
        "GT,1302,municipality,unemployment_rate,4.3,%,2024,ine_ene_2024\n"  # 16 twin
        "GT,1303,municipality,unemployment_rate,3.9,%,2024,ine_ene_2024\n",  # 17 good
    )
    report = await import_indicators(sessionmaker, path, today=TODAY)
    reasons = {row.line: row.reason for row in report.rejected_rows}
    assert report.added == 1 and report.rejected == 15 and report.rows_read == 16
    assert "unknown unit GT-9999" in reasons[2]
    assert "unknown indicator code 'happiness'" in reasons[3]
    assert "GT-13 is a department" in reasons[4]
    assert "measured in '%'" in reasons[5]
    assert "is not a number" in reasons[6] and "not a finite number" in reasons[7]
    assert "negative" in reasons[8] and "above 100" in reasons[9]
    assert "in the future" in reasons[10] and "not a whole number" in reasons[11] and "before 1900" in reasons[12]
    assert "source_id is empty" in reasons[13]
    assert "6 cells but the header names 8 columns" in reasons[14]
    assert "given 2 times (lines 15, 16)" in reasons[15] and "given 2 times (lines 15, 16)" in reasons[16]
    assert await _current(sessionmaker, "GT-1302", "unemployment_rate") == twins_before
    assert (await _current(sessionmaker, "GT-1303", "unemployment_rate"))[-1][:2] == (2024, 3.9)


async def test_dry_run_reports_the_same_and_writes_nothing(sessionmaker, tmp_path: Path) -> None:
    before = await _current(sessionmaker, "GT-1303", "unemployment_rate")
    path = _write(tmp_path, "GT,1303,municipality,unemployment_rate,3.9,%,2024,ine_ene_2024\n")
    report = await import_indicators(sessionmaker, path, dry_run=True, today=TODAY)
    assert report.added == 1 and report.release_id is not None
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(NeedRelease)) == 1
    assert await _current(sessionmaker, "GT-1303", "unemployment_rate") == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"country,unit_code,level,value,unit,year\nGT,01,department,1,%,2020\n", "the header lacks indicator"),
        (HEADER.encode() + b"GT,0101,municipality,unemployment_rate,\xff\xfe,%,2020,src\n", "codec can't decode"),
        (b"country,country,unit_code,level,indicator,value,unit,year,source_id\n", "named twice"),
    ],
)
async def test_a_file_that_cannot_be_read_writes_nothing(
    sessionmaker, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(IndicatorFileError, match=message):
        await import_indicators(sessionmaker, path, today=TODAY)
    with pytest.raises(IndicatorFileError, match="No such file"):
        await import_indicators(sessionmaker, tmp_path / "absent.csv", today=TODAY)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(NeedRelease)) == 1


async def test_a_huge_file_is_streamed_in_batches(sessionmaker, tmp_path: Path) -> None:
    """Forty thousand rows (thirty years of four percentages for every Guatemalan municipality, and a
    bad row each year): read in batches with progress after each, every row accounted for."""
    codes = [f"{department:02d}{municipality:02d}" for department in range(1, 23) for municipality in range(1, 40)]
    async with sessionmaker() as session:
        known = set(await session.scalars(select(Region.code).where(Region.country == "GT")))
    units = [code for code in codes if code in known]
    indicators = ["unemployment_rate", "illiteracy_pop7plus", "no_schooling_pop4plus", "poverty_gap"]
    path = tmp_path / "huge.csv"
    rows = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for year in range(1990, 1990 + 30):
            for indicator in indicators:
                for unit in units:
                    handle.write(f"GT,{unit},municipality,{indicator},{(rows % 997) / 10},%,{year},bulk\n")
                    rows += 1
            handle.write(f"GT,{units[0]},municipality,unemployment_rate,oops,%,{year},bulk\n")
            rows += 1
    seen: list[int] = []
    report = await import_indicators(sessionmaker, path, today=TODAY, progress=seen.append)
    assert rows > 40_000 and report.rows_read == rows
    assert report.rejected == 30 and report.added + report.revised == rows - 30 and report.revised > 0
    assert len(seen) >= rows // BATCH_ROWS and seen == sorted(seen) and seen[-1] == path.stat().st_size
    assert len(report.rejected_rows) == 30


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("DATABASE_URL", settings.database_url or "")
    monkeypatch.setenv("REDIS_URL", settings.redis_url or "")
    monkeypatch.setenv("PUENTE_LOG_LEVEL", "WARNING")
    get_settings.cache_clear()
    app = typer.Typer()
    register(app)
    yield app
    get_settings.cache_clear()


async def _invoke(cli: typer.Typer, *args: str) -> Result:
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args))


async def test_command_lists_rejected_rows_writes_them_all_and_exits_1(cli, sessionmaker, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "GT,1303,municipality,unemployment_rate,3.9,%,2024,ine_ene_2024\nGT,1303,municipality,joy,1,%,2024,x\n",
    )
    rejects = tmp_path / "rejects.csv"
    result = await _invoke(cli, "import", str(path), "--kind", "indicators", "--rejects", str(rejects))
    text = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    async with sessionmaker() as session:
        release = await session.scalar(select(func.max(NeedRelease.id)))
    assert "2 rows read: 1 were added" in text and f"1 rejected; release {release}" in text
    assert "unknown indicator code 'joy'" in text
    assert "unknown indicator code 'joy'" in rejects.read_text(encoding="utf-8")

    missing = await _invoke(cli, "import", str(tmp_path / "absent.csv"), "--kind", "indicators")
    assert missing.exit_code == 2 and "cannot import" in missing.output


async def test_command_reloads_the_reference_folder(cli) -> None:
    result = await _invoke(cli, "import", str(DATA_DIR), "--kind", "regions")
    assert result.exit_code == 0, result.output
    assert "0 added, 0 updated, 998 unchanged" in " ".join(result.output.split())
