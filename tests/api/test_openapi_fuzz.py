"""Fuzz the whole API from its own OpenAPI: no 5xx, responses match their declared schemas.

A real uvicorn process serves the test database on 127.0.0.1; schemathesis generates valid
and invalid requests for every operation, authenticated as admin so nothing stops at 401.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.config import Settings

ADMIN_KEY = "fuzz-admin-key-for-tests-only"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def live_api(settings: Settings) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url or "",
        "REDIS_URL": settings.redis_url or "",
        "PUENTE_BOOTSTRAP_ADMIN_KEY": ADMIN_KEY,
        "PUENTE_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
        "PUENTE_RATE_LIMIT_PER_MINUTE": "0",
        "PUENTE_LOG_LEVEL": "ERROR",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "services.api.main:create_app",
            "--port",
            str(port),
            "--log-level",
            "error",
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def test_no_server_errors_and_schema_conformance(live_api: str) -> None:
    """Run the schemathesis engine over every operation; it exits non-zero on any failed check."""
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{live_api}/openapi.json",
            "--header",
            f"Authorization: Bearer {ADMIN_KEY}",
            "--checks",
            "not_a_server_error,response_schema_conformance,content_type_conformance",
            "--max-examples",
            os.environ.get("PUENTE_FUZZ_EXAMPLES", "15"),
            "--seed",
            "20261123",
            "--request-timeout",
            "30",
            "--continue-on-failure",
            "--suppress-health-check",
            "all",
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    summary = result.stdout[-8000:]
    assert result.returncode == 0, summary
    assert "passed" in summary
    print(summary[-1500:])
