"""What the benchmarks share: a throwaway database, servers on loopback, a keep-alive load client."""

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import text

from shared.config import Settings, get_settings
from shared.db.migrate import upgrade
from shared.embedded import EmbeddedServices, ensure_services


@contextmanager
def services() -> Iterator[tuple[Settings, EmbeddedServices]]:
    """The configured PostgreSQL/Redis, or embedded ones under .puente/bench."""
    base = get_settings()
    if not base.database_url or not base.redis_url:
        base = base.model_copy(update={"data_dir": base.data_dir / "bench"})
    settings, handles = ensure_services(base)
    try:
        yield settings, handles
    finally:
        handles.close()


@contextmanager
def fresh_database(settings: Settings, label: str) -> Iterator[str]:
    """A new database migrated to head, dropped afterwards; yields its URL."""
    assert settings.database_url
    name = f"puente_bench_{label}_{uuid.uuid4().hex[:6]}"
    asyncio.run(_admin(settings.database_url, f'CREATE DATABASE "{name}"'))
    url = urlunsplit(urlsplit(settings.database_url)._replace(path=f"/{name}"))
    try:
        upgrade(url)
        yield url
    finally:
        asyncio.run(_admin(settings.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(url: str, statement: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    from shared.db.engine import async_database_url

    engine = create_async_engine(async_database_url(url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(args: list[str], env: dict[str, str], port: int, timeout: float = 30.0) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server process on 127.0.0.1:port and wait until it accepts connections."""
    process = subprocess.Popen([sys.executable, *args], env={**os.environ, **env})
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server {args} exited with {process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"server {args} did not start")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @classmethod
    def empty(cls) -> "LoadResult":
        return cls(0, 0, 0.0, [])

    def add(self, other: "LoadResult") -> None:
        """Fold another run of the same load into this one (requests/s over both runs' time)."""
        self.requests += other.requests
        self.errors += other.errors
        self.seconds += other.seconds
        self.latencies_ms += other.latencies_ms

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(99)


async def _connection_loop(port: int, request: bytes, stop_at: float, result: LoadResult, max_requests: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at and result.requests + result.errors < max_requests:
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            chunked = False
            for line in head.split(b"\r\n"):
                lower = line.lower()
                if lower.startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
                elif lower.startswith(b"transfer-encoding:") and b"chunked" in lower:
                    chunked = True
            if chunked:
                while True:
                    size = int((await reader.readline()).strip(), 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            else:
                await reader.readexactly(length)
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            if status == 200:
                result.requests += 1
            else:
                result.errors += 1
    finally:
        writer.close()


def load(
    port: int,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    connections: int = 16,
    seconds: float = 5.0,
    warmup: float = 1.0,
    max_requests: int = 200_000,
) -> LoadResult:
    """Keep-alive GET load on 127.0.0.1:port for a bounded time and count; returns rps and latencies."""
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()

    async def run(duration: float) -> LoadResult:
        result = LoadResult(0, 0, 0.0, [])
        started = time.perf_counter()
        stop_at = started + duration
        await asyncio.gather(
            *(_connection_loop(port, request, stop_at, result, max_requests) for _ in range(connections))
        )
        result.seconds = time.perf_counter() - started
        return result

    asyncio.run(run(warmup))
    return asyncio.run(run(seconds))


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out = [f"\n{title}", line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(out)
