"""`puente`: run everything, run the worker, migrate, issue keys, load and import data."""

import asyncio
import contextlib
import os
import signal
import sys
import time
import uuid
from enum import StrEnum
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from services.cli.commands_data import register as register_data_commands
from services.cli.supervisor import Child, stop
from services.matcher.cli import app as matcher_app
from shared.config import Settings, get_settings
from shared.embedded import EmbeddedServices, ensure_services
from shared.enums import Role
from shared.logging import configure_logging

if TYPE_CHECKING:
    from shared.worker import WorkerSpec

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


class WorkerKind(StrEnum):
    matcher = "matcher"
    webhooks = "webhooks"


def _worker_specs(kinds: list[WorkerKind]) -> list["WorkerSpec"]:
    from services.matcher.worker import spec as matcher_spec
    from services.webhooks.worker import spec as webhooks_spec

    build = {WorkerKind.matcher: matcher_spec, WorkerKind.webhooks: webhooks_spec}
    return [build[kind]() for kind in dict.fromkeys(kinds)]


@app.command()
def worker(
    kinds: Annotated[
        list[WorkerKind] | None,
        typer.Argument(
            help="What to run: matcher (match runs, learning), webhooks (deliveries, inbound); both by default."
        ),
    ] = None,
    metrics_port: Annotated[
        int | None,
        typer.Option(help="Port of /metrics, /healthz, /readyz (default PUENTE_WORKER_METRICS_PORT; 0 = none)."),
    ] = None,
) -> None:
    """Run workers until stopped: `puente worker matcher`, `puente worker webhooks`, or both in one process."""
    from shared.worker import serve

    settings, embedded = _configured()
    specs = _worker_specs(kinds or [WorkerKind.matcher, WorkerKind.webhooks])

    async def main() -> None:
        task = asyncio.ensure_future(serve(settings, specs, metrics_port=metrics_port))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await task

    try:
        asyncio.run(main())
    finally:
        embedded.close()


@app.command()
def api() -> None:
    """Serve the api on PUENTE_HOST:PUENTE_PORT until stopped (what the containers run)."""
    import uvicorn

    settings, embedded = _configured()
    try:
        uvicorn.run(
            "services.api.main:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            access_log=False,
            log_level=settings.log_level.lower(),
        )
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


@app.command()
def run(
    demo: Annotated[
        bool | None, typer.Option(help="Load demo data into an empty database (default PUENTE_DEMO_DATA).")
    ] = None,
) -> None:
    """Run Puente: migrate, load demo data if empty, then serve the api and both workers until Ctrl-C.

    A child that exits is started again after a pause (services.cli.supervisor); Ctrl-C stops all."""
    from services.cli.regions.command import load_reference_at_start
    from shared.db.migrate import upgrade

    settings, embedded = _configured()
    children: list[Child] = []
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
        uvicorn = ["-m", "uvicorn", "--factory", "services.api.main:create_app"]
        api_argv = [python, *uvicorn, "--host", settings.host, "--port", str(settings.port), "--no-access-log"]
        children.append(Child("api", api_argv, env, log=console.print))
        # one BLAS thread per worker: scoring blocks are small, and two threads fight the api for the cores
        worker_env = {"OPENBLAS_NUM_THREADS": "1", **env}
        port = settings.worker_metrics_port
        for offset, kind in enumerate(("matcher", "webhooks")):
            metrics_port = str(port + offset if port else 0)
            argv = [python, "-m", "services.cli.main", "worker", kind, "--metrics-port", metrics_port]
            children.append(Child(f"{kind} worker", argv, worker_env, log=console.print))
        for child in children:
            child.start()
        console.print(
            f"[bold green]Puente[/] api on http://{settings.host}:{settings.port} (docs at /docs), matcher and"
            " webhooks workers running. Ctrl-C stops everything."
        )
        while not stopping:
            now = time.monotonic()
            for child in children:
                child.check(now)
            time.sleep(0.2)
    finally:
        stop(children)
        embedded.close()
        console.print("stopped")


register_data_commands(app)
app.add_typer(matcher_app, name="matcher", help="Matcher runs and model evaluation.")


if __name__ == "__main__":
    app()
