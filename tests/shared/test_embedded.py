"""Embedded servers belong to the process that started them; production never starts them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from shared.config import Settings
from shared.embedded import MissingService, ensure_services, running_redis_socket

# A command that starts (or attaches to) the embedded Redis under argv[1], prints its URL and what it
# did, then waits for a line on stdin before closing its handles as every `puente` command does.
COMMAND = """
import sys
from shared.config import Settings
from shared.embedded import ensure_services
from shared.logging import configure_logging
configure_logging("test", level="WARNING")
settings, handles = ensure_services(
    Settings(_env_file=None, data_dir=sys.argv[1], database_url="postgresql://unused/unused")
)
print(settings.redis_url, ",".join(handles.started) or "-", ",".join(handles.attached) or "-", flush=True)
sys.stdin.readline()
handles.close()
"""


def _command(data_dir: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "PUENTE_REDIS_URL"}}
    return subprocess.Popen(
        [sys.executable, "-c", COMMAND, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def _ping(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def test_a_second_command_attaches_to_the_running_redis_and_leaves_it_running(tmp_path: Path) -> None:
    owner = _command(tmp_path)
    try:
        assert owner.stdout is not None
        url, started, attached = owner.stdout.readline().split()
        assert (started, attached) == ("redis", "-")
        assert _ping(url)

        second = _command(tmp_path)  # e.g. `puente import` while `make run` is up
        out, _ = second.communicate("\n", timeout=60)
        assert out.split() == [url, "-", "redis"]
        assert second.returncode == 0
        assert _ping(url), "the second command stopped the first one's Redis"
    finally:
        owner.communicate("\n", timeout=60)
    assert not _ping(url)  # the owner's end stops it
    assert running_redis_socket(tmp_path) is None


def test_production_refuses_to_start_without_configured_servers(tmp_path: Path) -> None:
    base = Settings(_env_file=None, data_dir=tmp_path, environment="production")  # type: ignore[call-arg]
    for missing in (
        {"database_url": None, "redis_url": "redis://x"},
        {"database_url": "postgresql://x/y", "redis_url": None},
    ):
        with pytest.raises(MissingService, match="refusing to start embedded servers"):
            ensure_services(base.model_copy(update=missing))
    assert list(tmp_path.iterdir()) == []  # nothing was started or written
    configured = base.model_copy(update={"database_url": "postgresql://x/y", "redis_url": "redis://x"})
    settings, handles = ensure_services(configured)
    assert (settings.database_url, settings.redis_url, handles.started) == ("postgresql://x/y", "redis://x", [])
