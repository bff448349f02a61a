"""`puente`: run everything, run the worker, migrate, issue keys, load and import data."""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console

from services.cli.commands_data import register as register_data_commands
from services.matcher.cli import app as matcher_app
from shared.config import Settings, get_settings
from shared.embedded import EmbeddedServices, ensure_services
from shared.enums import Role
from shared.logging import configure_logging

app = typer.Typer(help="Puente: commitments, partners and the introductions between them.", no_args_is_help=True)
console = Console(stderr=True)


def _configured(*, redis: bool = True) -> tuple[Settings, EmbeddedServices]:
    settings = get_settings()
    configure_logging("cli", level=settings.log_level, json=settings.log_json)
    return ensure_services(settings, redis=redis)


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (alembic upgrade head)."""
    from shared.db.migrate import upgrade

    settings, embedded = _configured(redis=False)
    try:
        assert settings.database_url
        upgrade(settings.database_url)
        console.print("[green]database is up to date[/]")
    finally:
        embedded.close()


@app.command("create-key")
def create_key(
    role: Annotated[Role, typer.Option(help="admin, coordinator, partner, business, integrator or viewer")],
    name: Annotated[str, typer.Option(help="A label to recognise the key by.")] = "cli",
    org: Annotated[uuid.UUID | None, typer.Option(help="Partner or business id, for those roles.")] = None,
) -> None:
    """Issue an API key and print it once."""
    from services.api.auth.service import issue_key
    from shared.actor import SYSTEM
    from shared.db.engine import create_engine, create_sessionmaker

    settings, embedded = _configured(redis=False)

    async def issue() -> str:
        engine = create_engine(settings, "puente-cli")
        try:
            async with create_sessionmaker(engine)() as session:
                _, raw = await issue_key(session, name=name, role=role, organization_id=org, created_by=SYSTEM)
                await session.commit()
                return raw
        finally:
            await engine.dispose()

    try:
        raw = asyncio.run(issue())
    finally:
        embedded.close()
    console.print(f"[bold]{role.value}[/] key (shown once):")
    print(raw)


@app.command()
def worker(
    queues: Annotated[
        str, typer.Option(help="Comma-separated queues to serve: matcher, webhooks.")
    ] = "matcher,webhooks",
    burst: Annotated[bool, typer.Option(help="Drain the queues and exit.")] = False,
) -> None:
    """Run the matcher worker (arq) until stopped."""
    from services.matcher.worker import build_workers, run_workers

    settings, embedded = _configured()
    chosen = tuple(q.strip() for q in queues.split(",") if q.strip())

    async def serve() -> None:
        workers = build_workers(settings, burst=burst, queues=chosen)
        task = asyncio.ensure_future(run_workers(workers))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await task

    try:
        asyncio.run(serve())
    finally:
        embedded.close()


def _load_demo_if_empty(settings: Settings) -> None:
    from services.cli.demo import load_demo
    from shared.db.engine import create_engine, create_sessionmaker

    async def load() -> dict[str, int]:
        engine = create_engine(settings, "puente-cli")
        try:
            return await load_demo(create_sessionmaker(engine))
        finally:
            await engine.dispose()

    counts = asyncio.run(load())
    if any(counts.values()):
        console.print("demo data loaded: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


def _stop(children: list[subprocess.Popen[bytes]], timeout: float = 15.0) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


@app.command()
def run(
    demo: Annotated[
        bool | None, typer.Option(help="Load demo data into an empty database (default PUENTE_DEMO_DATA).")
    ] = None,
) -> None:
    """Run Puente: migrate, load demo data if empty, then serve the api and the worker until Ctrl-C."""
    from services.cli.regions.command import load_reference_at_start
    from shared.db.migrate import upgrade

    settings, embedded = _configured()
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        assert settings.database_url
        upgrade(settings.database_url)
        load_reference_at_start(settings)
        if settings.demo_data if demo is None else demo:
            _load_demo_if_empty(settings)
        env = {**os.environ, "DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url or ""}
        python = sys.executable
        children.append(
            subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [
                    python,
                    "-m",
                    "uvicorn",
                    "--factory",
                    "services.api.main:create_app",
                    "--host",
                    settings.host,
                    "--port",
                    str(settings.port),
                    "--no-access-log",
                ],
                env=env,
            )
        )
        # one BLAS thread per worker: scoring blocks are small, and two threads fight the api for the cores
        worker_env = {"OPENBLAS_NUM_THREADS": "1", **env}
        children.append(subprocess.Popen([python, "-m", "services.cli.main", "worker"], env=worker_env))  # noqa: S603
        console.print(
            f"[bold green]Puente[/] api on http://{settings.host}:{settings.port} (docs at /docs), worker running."
            " Ctrl-C stops everything."
        )
        while not stopping:
            if any(child.poll() is not None for child in children):
                console.print("[red]a Puente process exited; stopping the rest[/]")
                break
            time.sleep(0.3)
    finally:
        _stop(children)
        embedded.close()
        console.print("stopped")
    if not stopping:
        raise typer.Exit(1)


register_data_commands(app)
app.add_typer(matcher_app, name="matcher", help="Matcher runs and model evaluation.")


if __name__ == "__main__":
    app()
