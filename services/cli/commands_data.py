"""`puente seed-demo` and `puente import`: the data commands, mounted on the main app by `register(app)`."""

import asyncio
import csv
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from arq import ArqRedis
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shared.config import Settings, get_settings
from shared.embedded import EmbeddedServices, ensure_services
from shared.logging import configure_logging

console = Console(stderr=True)
#: Rejected rows shown on the terminal; the rest go to --rejects.
SHOWN_REJECTS = 50


class ImportKind(StrEnum):
    BUSINESSES = "businesses"
    PARTNERS = "partners"
    PROGRAMS = "programs"
    COMMITMENTS = "commitments"
    REGIONS = "regions"
    INDICATORS = "indicators"


def _configured(*, redis: bool) -> tuple[Settings, EmbeddedServices]:
    settings = get_settings()
    configure_logging("cli", level=settings.log_level, json=False)
    return ensure_services(settings, redis=redis)


def seed_demo(
    file: Annotated[
        Path | None, typer.Option(help="Demo data file (default: the one shipped in services/cli/demo/).")
    ] = None,
) -> None:
    """Load the demo data set into an empty database (does nothing when any business exists)."""
    from services.cli.demo import DEMO_FILE, DemoDataError, load_demo
    from shared.db.engine import create_engine, create_sessionmaker

    settings, embedded = _configured(redis=False)

    async def load() -> dict[str, int]:
        engine = create_engine(settings, "puente-cli")
        try:
            return await load_demo(create_sessionmaker(engine), file or DEMO_FILE)
        finally:
            await engine.dispose()

    try:
        counts = asyncio.run(load())
    except DemoDataError as exc:
        console.print(f"[red]demo data not loaded:[/] {exc}")
        raise typer.Exit(1) from None
    finally:
        embedded.close()
    if not any(counts.values()):
        console.print("the database already has businesses: nothing loaded")
        return
    console.print(
        "[green]demo data loaded:[/] "
        + ", ".join(f"{n} {kind}" for kind, n in counts.items())
        + "; a full match run is queued for the worker"
    )


def import_file(
    path: Annotated[Path, typer.Argument(help="A .csv (header row = field names) or .json file.")],
    kind: Annotated[ImportKind, typer.Option(help="What the rows are.")],
    dry_run: Annotated[bool, typer.Option(help="Check every row against the rules, then write nothing.")] = False,
    rejects: Annotated[
        Path | None, typer.Option(help="Write every rejected row (line, external_id, reason) to this CSV.")
    ] = None,
) -> None:
    """Import businesses, partners, programs or commitments (upserts by external_id); reference regions
    (a folder: units, boundaries, need catalogue) or need indicator values (a long CSV, as a new release).

    Every row is checked by the same rules as the API; bad rows are listed with their line and
    reason and the others are imported. Exits 1 when any row was rejected.
    """
    if kind is ImportKind.REGIONS:
        from services.cli.regions.command import import_regions

        return import_regions(path)
    if kind is ImportKind.INDICATORS:
        from services.cli.regions.command import import_indicator_file

        return import_indicator_file(path, dry_run=dry_run, rejects=rejects)
    from services.cli.importer import ImportFileError, ImportReport, import_records, read_rows
    from shared.db.engine import create_engine, create_sessionmaker
    from shared.redis import create_arq_pool

    try:
        total = len(read_rows(path, kind.value))
    except ImportFileError as exc:
        console.print(f"[red]cannot import:[/] {exc}")
        raise typer.Exit(2) from None
    settings, embedded = _configured(redis=not dry_run)

    async def run(progress: Progress) -> ImportReport:
        task = progress.add_task(f"{kind.value} from {path.name}", total=total)
        engine = create_engine(settings, "puente-cli")
        redis: ArqRedis | None = None
        if not dry_run:
            try:
                redis = await create_arq_pool(settings)
            except Exception as exc:  # the worker's sweepers pick queued runs up without the nudge
                console.print(f"[yellow]Redis unreachable ({type(exc).__name__}); the worker will catch up[/]")
        try:
            return await import_records(
                create_sessionmaker(engine),
                path,
                kind.value,
                dry_run=dry_run,
                progress=lambda done: progress.update(task, completed=done),
                redis=redis,
            )
        finally:
            if redis is not None:
                await redis.aclose()  # type: ignore[attr-defined]  # types-redis predates aclose()
            await engine.dispose()

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console, transient=True) as progress:
            report = asyncio.run(run(progress))
    except ImportFileError as exc:
        console.print(f"[red]cannot import:[/] {exc}")
        raise typer.Exit(2) from None
    finally:
        embedded.close()

    verb = "would be" if dry_run else "were"
    console.print(
        f"{report.rows_read} rows read: {report.created} {verb} created, {report.updated} {verb} updated,"
        f" {report.unchanged} unchanged, {len(report.rejected)} rejected"
        + (" [dim](dry run: nothing written)[/]" if dry_run else "")
    )
    if report.rejected:
        table = Table("line", "external_id", "reason", title="rejected rows", show_lines=False)
        for row in report.rejected[:SHOWN_REJECTS]:
            table.add_row(str(row.line), row.external_id or "", row.reason)
        console.print(table)
        if len(report.rejected) > SHOWN_REJECTS and rejects is None:
            console.print(f"… and {len(report.rejected) - SHOWN_REJECTS} more; use --rejects FILE to get them all")
    if rejects is not None:
        with rejects.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "external_id", "reason"])
            writer.writerows([row.line, row.external_id or "", row.reason] for row in report.rejected)
    if report.rejected:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Mount the data commands on the main `puente` app."""
    app.command("seed-demo")(seed_demo)
    app.command("import")(import_file)
