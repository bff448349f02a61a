"""`puente seed-demo` and `puente import` as a person runs them: exit codes, summary, rejects file."""

import asyncio
import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import select
from typer.testing import CliRunner, Result

from services.cli.commands_data import register
from shared.config import Settings, get_settings
from shared.models import Business

pytestmark = pytest.mark.usefixtures("clean_db")

CSV = """\
name,countries,size,external_id
Cafetalera Los Altos,GT;HN,medium,crm-1
Gigante SA,GT,gigantic,crm-2
"""


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    """The commands on a bare app, pointed at the test database and Redis through the environment."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url or "")
    monkeypatch.setenv("REDIS_URL", settings.redis_url or "")
    monkeypatch.setenv("PUENTE_LOG_LEVEL", "WARNING")
    get_settings.cache_clear()
    app = typer.Typer()
    register(app)
    yield app
    get_settings.cache_clear()


async def _invoke(cli: typer.Typer, *args: str) -> Result:
    """The command runs its own event loop (asyncio.run), so it runs in a thread beside the test's."""
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args))


def _text(result: Result) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(result.output.split())


async def _businesses(sessionmaker) -> list[str]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Business.name).order_by(Business.name)))


async def test_import_reports_rejects_and_exits_1(cli, sessionmaker, tmp_path: Path):
    source = tmp_path / "businesses.csv"
    source.write_text(CSV, encoding="utf-8")
    rejects = tmp_path / "rejects.csv"

    result = await _invoke(cli, "import", str(source), "--kind", "businesses", "--rejects", str(rejects))

    assert result.exit_code == 1
    assert "2 rows read: 1 were created, 0 were updated, 0 unchanged, 1 rejected" in _text(result)
    with rejects.open(encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [
            ["line", "external_id", "reason"],
            [
                "3",
                "crm-2",
                "size: Input should be 'micro', 'small', 'medium', 'large' or 'multinational' (got 'gigantic')",
            ],
        ]
    assert await _businesses(sessionmaker) == ["Cafetalera Los Altos"]


async def test_import_dry_run_writes_nothing(cli, sessionmaker, tmp_path: Path):
    source = tmp_path / "businesses.csv"
    source.write_text(CSV.splitlines()[0] + "\n" + CSV.splitlines()[1] + "\n", encoding="utf-8")

    result = await _invoke(cli, "import", str(source), "--kind", "businesses", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "1 rows read: 1 would be created, 0 would be updated, 0 unchanged, 0 rejected" in _text(result)
    assert await _businesses(sessionmaker) == []


async def test_import_of_an_unusable_file_exits_2(cli, tmp_path: Path):
    source = tmp_path / "businesses.csv"
    source.write_text("name,colour\nAcme,red\n", encoding="utf-8")
    result = await _invoke(cli, "import", str(source), "--kind", "businesses")
    assert result.exit_code == 2
    assert "cannot import: businesses.csv: unknown columns: colour" in _text(result)

    result = await _invoke(cli, "import", str(source), "--kind", "matches")
    assert result.exit_code == 2
    assert "Invalid value for '--kind'" in _text(result)


async def test_seed_demo_reports_a_file_that_breaks_a_rule(cli, sessionmaker, tmp_path: Path):
    bad = tmp_path / "demo.json"
    bad.write_text('{"businesses": [{"key": "a", "name": "A", "hq_country": "XX"}]}', encoding="utf-8")

    result = await _invoke(cli, "seed-demo", "--file", str(bad))

    assert result.exit_code == 1
    assert "demo data not loaded: business a:" in _text(result)
    assert await _businesses(sessionmaker) == []


async def test_seed_demo_loads_once(cli, sessionmaker, tmp_path: Path):
    small = tmp_path / "demo.json"
    small.write_text('{"businesses": [{"key": "a", "name": "Alpha", "hq_country": "GT"}]}', encoding="utf-8")

    first = await _invoke(cli, "seed-demo", "--file", str(small))
    second = await _invoke(cli, "seed-demo", "--file", str(small))

    assert first.exit_code == 0, first.output
    assert "demo data loaded: 1 businesses, 0 partners, 0 programs, 0 commitments, 0 reports" in _text(first)
    assert second.exit_code == 0
    assert "the database already has businesses: nothing loaded" in _text(second)
    assert await _businesses(sessionmaker) == ["Alpha"]
