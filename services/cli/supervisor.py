"""`puente run`'s children: each one restarted when it exits, after a growing pause, until Ctrl-C.

A child that dies (a crash, the kernel's OOM killer, a lost dependency it could not ride out) is
started again after BACKOFF_FIRST seconds, doubling up to BACKOFF_LAST while it keeps dying; one
that stayed up for HEALTHY_AFTER seconds starts from the first pause again. The others keep
running meanwhile: the api stays up while a worker restarts, and the other way round.
"""

import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

BACKOFF_FIRST = 0.5
BACKOFF_LAST = 30.0
HEALTHY_AFTER = 30.0


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    wait: float = BACKOFF_FIRST
    restart_at: float | None = None
    log: Callable[[str], None] = field(default=print, repr=False)

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env)  # noqa: S603 - our own interpreter and modules
        self.started_at = time.monotonic()
        self.restart_at = None

    def check(self, now: float) -> None:
        """Start again a child that exited once its pause is over; note when it exited."""
        if self.process is None:
            return
        code = self.process.poll()
        if code is None:
            if now - self.started_at > HEALTHY_AFTER:
                self.wait = BACKOFF_FIRST
            return
        if self.restart_at is None:
            self.restart_at = now + self.wait
            self.log(f"{self.name} exited with {code}; starting it again in {self.wait:g} s")
            self.wait = min(BACKOFF_LAST, self.wait * 2)
        elif now >= self.restart_at:
            self.restarts += 1
            self.start()


def stop(children: list[Child], timeout: float = 15.0) -> None:
    """SIGTERM every running child, then SIGKILL whatever has not exited by `timeout`."""
    running = [c.process for c in children if c.process is not None and c.process.poll() is None]
    for process in running:
        process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in running:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
