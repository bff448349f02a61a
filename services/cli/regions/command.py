"""`puente import --kind regions FOLDER` and `--kind indicators FILE`: progress, results and rejected rows."""

import asyncio
import csv
from pathlib import Path
from typing import IO

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from services.cli.regions.indicators import (
    IndicatorFileError,
    IndicatorImportReport,
    RejectedValue,
    file_size,
    import_indicators,
)
from services.cli.regions.reference import ReferenceDataError, ReferenceReport, load_reference
from shared.config import Settings, get_settings
from shared.db.engine import create_engine, create_sessionmaker
from shared.embedded import ensure_services
from shared.logging import configure_logging

console = Console(stderr=True)
#: Rejected rows shown on the terminal; --rejects FILE gets them all.
SHOWN_REJECTS = 50


def import_regions(folder: Path) -> None:
    """Upsert the reference units, boundaries and need catalogue of `folder`."""
    settings, embedded = ensure_services(get_settings(), redis=False)
    configure_logging("cli", level=settings.log_level, json=False)

    async def run() -> ReferenceReport:
        engine = create_engine(settings, "puente-cli")
        try:
            return await load_reference(create_sessionmaker(engine), folder)
        finally:
            await engine.dispose()

    try:
        report = asyncio.run(run())
    except ReferenceDataError as exc:
        console.print(f"[red]cannot import:[/] {exc}")
        raise typer.Exit(2) from None
    finally:
        embedded.close()
    console.print(
        f"regions: {report.units_added} added, {report.units_updated} updated, {report.units_unchanged} unchanged;"
        f" {report.boundaries} boundaries; {report.indicators_catalogued} indicators in the need catalogue"
    )
    if report.units_not_in_file:
        console.print(
            f"[yellow]{len(report.units_not_in_file)} regions held are not in the file (kept):[/] "
            + ", ".join(report.units_not_in_file[:20])
        )


def import_indicator_file(path: Path, *, dry_run: bool, rejects: Path | None, label: str | None = None) -> None:
    """Import a long CSV of need indicator values as a new release; exit 1 when any row was rejected."""
    settings, embedded = ensure_services(get_settings(), redis=False)
    configure_logging("cli", level=settings.log_level, json=False)
    rejects_file: IO[str] | None = rejects.open("w", encoding="utf-8", newline="") if rejects else None
    writer = csv.writer(rejects_file) if rejects_file else None
    if writer is not None:
        writer.writerow(["line", "key", "reason"])

    def write_reject(row: RejectedValue) -> None:
        if writer is not None:
            writer.writerow([row.line, row.key, row.reason])

    async def run(progress: Progress) -> IndicatorImportReport:
        task = progress.add_task(f"indicators from {path.name}", total=file_size(path) or None)
        engine = create_engine(settings, "puente-cli")
        try:
            return await import_indicators(
                create_sessionmaker(engine),
                path,
                dry_run=dry_run,
                label=label,
                imported_by="puente import",
                progress=lambda done: progress.update(task, completed=done),
                on_reject=write_reject,
            )
        finally:
            await engine.dispose()

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console, transient=True) as progress:
            report = asyncio.run(run(progress))
    except IndicatorFileError as exc:
        console.print(f"[red]cannot import:[/] {exc}")
        raise typer.Exit(2) from None
    finally:
        embedded.close()
        if rejects_file is not None:
            rejects_file.close()
    _print(report)
    if report.rejected:
        raise typer.Exit(1)


def _print(report: IndicatorImportReport) -> None:
    verb = "would be" if report.dry_run else "were"
    release = (f"; release {report.release_id}" if report.release_id and not report.dry_run else "") or (
        "; nothing new: no release written" if not (report.added or report.revised) else ""
    )
    console.print(
        f"{report.rows_read} rows read: {report.added} {verb} added, {report.revised} {verb} revised (earlier"
        f" values kept as history), {report.unchanged} unchanged, {report.rejected} rejected{release}"
        + (" [dim](dry run: nothing written)[/]" if report.dry_run else "")
    )
    if report.rejected_rows:
        table = Table("line", "value", "reason", title="rejected rows")
        for row in report.rejected_rows[:SHOWN_REJECTS]:
            table.add_row(str(row.line), row.key, row.reason)
        console.print(table)
        if report.rejected > SHOWN_REJECTS:
            console.print(f"… and {report.rejected - SHOWN_REJECTS} more; use --rejects FILE to get them all")


def load_reference_at_start(settings: Settings) -> None:
    """`puente run`: the vendored regions, catalogue and indicators into a database that has no regions."""
    from services.cli.regions.reference import load_reference_if_empty

    async def load() -> ReferenceReport | None:
        engine = create_engine(settings, "puente-cli")
        try:
            return await load_reference_if_empty(create_sessionmaker(engine))
        finally:
            await engine.dispose()

    report = asyncio.run(load())
    if report is not None:
        console.print(
            f"reference data loaded: {report.units_added} regions, {report.boundaries} boundaries,"
            f" {report.indicators_catalogued} need indicators and their values"
        )
