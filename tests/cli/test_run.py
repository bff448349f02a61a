"""`puente run` as a person runs it: migrate, demo data, api and worker up, clean stop on SIGTERM."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psutil
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.config import Settings
from shared.db.engine import async_database_url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
async def empty_database(settings: Settings) -> AsyncIterator[str]:
    assert settings.database_url
    name = f"puente_run_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(async_database_url(settings.database_url), isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield urlunsplit(urlsplit(settings.database_url)._replace(path=f"/{name}"))
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


def test_run_serves_ready_api_with_worker_and_demo_data_then_stops(empty_database: str, settings: Settings) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": empty_database,
        "REDIS_URL": settings.redis_url or "",
        "PUENTE_PORT": str(port),
        "PUENTE_DEMO_DATA": "true",
        "PUENTE_BOOTSTRAP_ADMIN_KEY": "run-test-admin",
        "PUENTE_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen([sys.executable, "-m", "services.cli.main", "run"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        ready: dict[str, object] = {}
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert process.poll() is None, "puente run exited early"
            try:
                response = httpx.get(f"{base}/readyz", timeout=2)
                ready = response.json()
                if response.status_code == 200 and ready["checks"]["worker"] == "up":  # type: ignore[index]
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        assert ready.get("status") == "ready", ready
        assert ready["checks"] == {"database": "ok", "redis": "ok", "worker": "up"}

        # a worker that dies is started again; the api keeps serving meanwhile
        (webhooks,) = [c for c in psutil.Process(process.pid).children() if c.cmdline()[-3:-2] == ["webhooks"]]
        webhooks.kill()
        restarted: list[psutil.Process] = []
        deadline = time.monotonic() + 60
        while not restarted and time.monotonic() < deadline:
            assert process.poll() is None, "puente run stopped with its worker"
            assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
            children = psutil.Process(process.pid).children()
            restarted = [c for c in children if c.cmdline()[-3:-2] == ["webhooks"] and c.pid != webhooks.pid]
            time.sleep(0.3)
        assert restarted, "the webhooks worker was not started again"

        auth = {"Authorization": "Bearer run-test-admin"}
        businesses = httpx.get(f"{base}/v1/businesses", params={"limit": 200}, headers=auth, timeout=10).json()
        assert len(businesses["items"]) >= 20
        commitments = httpx.get(f"{base}/v1/commitments", params={"limit": 200}, headers=auth, timeout=10).json()
        assert len(commitments["items"]) >= 50
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert code == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base}/healthz", timeout=2)


def test_api_listens_where_puente_host_and_port_say(settings: Settings) -> None:
    port = _free_port()
    env = {**os.environ, "PUENTE_HOST": "127.0.0.1", "PUENTE_PORT": str(port), "PUENTE_LOG_LEVEL": "WARNING"}
    env.update({"DATABASE_URL": settings.database_url or "", "REDIS_URL": settings.redis_url or ""})
    process = subprocess.Popen([sys.executable, "-m", "services.cli.main", "api"], env=env)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, "puente api exited"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "puente api did not listen on PUENTE_PORT"
                time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) in {0, -signal.SIGTERM}  # uvicorn ends by re-raising the signal it handled


def test_production_without_servers_refuses_to_start(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"PUENTE_ENVIRONMENT": "production", "PUENTE_DATA_DIR": str(tmp_path / "data")})
    done = subprocess.run(
        [sys.executable, "-m", "services.cli.main", "api"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "refusing to start embedded servers" in done.stderr
    assert not (tmp_path / "data").exists()  # no throwaway database was started
