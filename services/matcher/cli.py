"""`puente matcher …`: evaluate the scoring model, or run matches now (mounted by services/cli)."""

import asyncio
import uuid
from typing import Annotated

import typer

from shared.config import Settings, get_settings
from shared.embedded import ensure_services

app = typer.Typer(help="The matcher: run matches now, evaluate the scoring model.", no_args_is_help=True)


async def _evaluate(settings: Settings, apply: bool) -> str:
    from services.matcher.learning import learn
    from shared.db.engine import create_engine, create_sessionmaker

    engine = create_engine(settings, "puente-cli")
    try:
        async with create_sessionmaker(engine)() as session:
            outcome = await learn(session, settings, apply=apply)
            await session.commit()
            return str(outcome)
    finally:
        await engine.dispose()


@app.command()
def evaluate(
    apply: Annotated[bool, typer.Option(help="Store an accepted fit as the active model.")] = False,
) -> None:
    """Fit the weights to coordinators' decisions; compare with the active model on held-out ones."""
    settings, embedded = ensure_services(get_settings())
    try:
        typer.echo(asyncio.run(_evaluate(settings, apply)))
    finally:
        embedded.close()


async def _run(settings: Settings, commitment_ids: list[uuid.UUID], program_ids: list[uuid.UUID]) -> str:
    from services.matcher.runs import execute_run
    from shared.db.engine import create_engine, create_sessionmaker
    from shared.models import MatchRun
    from shared.redis import create_arq_pool

    engine = create_engine(settings, "puente-cli")
    try:
        sessionmaker = create_sessionmaker(engine)
        scoped = bool(commitment_ids or program_ids)
        scope = (
            {"commitment_ids": [str(i) for i in commitment_ids], "program_ids": [str(i) for i in program_ids]}
            if scoped
            else {"all": True}
        )
        async with sessionmaker() as session:
            run = MatchRun(id=uuid.uuid4(), scope=scope, trigger="cli", status="queued", requested_by="cli")
            session.add(run)
            await session.commit()
        redis = await create_arq_pool(settings)
        try:
            outcome = await execute_run(engine, settings, run.id, redis)
        finally:
            await redis.aclose()  # type: ignore[attr-defined]  # types-redis lags redis 5
        return f"run {run.id}: {outcome}"
    finally:
        await engine.dispose()


@app.command()
def run(
    commitment: Annotated[list[uuid.UUID] | None, typer.Option(help="Only this commitment (repeatable).")] = None,
    program: Annotated[list[uuid.UUID] | None, typer.Option(help="Only this program (repeatable).")] = None,
) -> None:
    """Run matches now, in this process (a full run unless commitments or programs are named)."""
    settings, embedded = ensure_services(get_settings())
    try:
        typer.echo(asyncio.run(_run(settings, commitment or [], program or [])))
    finally:
        embedded.close()
