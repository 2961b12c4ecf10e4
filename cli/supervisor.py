"""`serve --workers N`: N server processes on one port, started and watched by this one.

Each child is `python app.py serve --worker-of N`, listening with SO_REUSEPORT on the same HOST and
PORT (the kernel spreads connections over them). Every piece of state between turns is in the
database (dialog state, idempotency keys, conversations, the outbox, the send rate), so any child
may serve any turn, and instances on other machines may share the same PostgreSQL database.

The parent restarts a child that dies while serving; a child that dies within START_GRACE of its
start failed to start (port taken, bad settings), so the parent stops them all and exits with its
code. SIGTERM or SIGINT: the children are asked to stop (SIGTERM: they finish the requests in
hand and their senders give back unsent claims), and killed if still running after STOP_GRACE.
On Linux a child also receives SIGTERM if the parent itself dies.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from typing import Callable, Mapping, Sequence

from config import PROJECT_ROOT

__all__ = ["Supervisor", "child_command", "START_GRACE", "STOP_GRACE"]

log = logging.getLogger(__name__)

START_GRACE = 10.0
STOP_GRACE = 30.0
RESTART_DELAY = 1.0


def child_command(workers: int) -> list[str]:
    return [sys.executable, str(PROJECT_ROOT / "app.py"), "serve", "--worker-of", str(workers)]


def _die_with_parent() -> None:  # pragma: no cover (runs in the child, between fork and exec)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # not Linux: the parent's own shutdown still stops the children
        pass


class Supervisor:
    def __init__(
        self,
        command: Sequence[str],
        workers: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        start_grace: float = START_GRACE,
        stop_grace: float = STOP_GRACE,
        tick: float = 0.2,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.command, self.workers, self.clock = list(command), workers, clock
        self.env = dict(env) if env is not None else None
        self.start_grace, self.stop_grace, self.tick = start_grace, stop_grace, tick
        self.children: list[subprocess.Popen[bytes] | None] = [None] * workers
        self._started: list[float] = [0.0] * workers
        self._stopping = False

    def _spawn(self, index: int) -> None:
        child = subprocess.Popen(
            self.command, env=self.env, preexec_fn=_die_with_parent if sys.platform == "linux" else None
        )
        self.children[index], self._started[index] = child, self.clock()
        log.info("server process %d of %d started (pid %d)", index + 1, self.workers, child.pid)

    def stop(self, *_: object) -> None:
        self._stopping = True

    def run(self) -> int:
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for index in range(self.workers):
                self._spawn(index)
            while not self._stopping:
                for index, child in enumerate(self.children):
                    if child is None or child.poll() is None:
                        continue
                    if self.clock() - self._started[index] < self.start_grace:
                        log.error("server process %d exited at start (code %s): stopping", index + 1, child.returncode)
                        self._stop_all()
                        return child.returncode or 1
                    log.warning(
                        "server process %d (pid %d) exited with code %s: restarting",
                        index + 1,
                        child.pid,
                        child.returncode,
                    )
                    time.sleep(RESTART_DELAY)
                    self._spawn(index)
                time.sleep(self.tick)
            self._stop_all()
            return 0
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop_all(self) -> None:
        alive = [c for c in self.children if c is not None and c.poll() is None]
        for child in alive:
            try:
                os.kill(child.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = self.clock() + self.stop_grace
        for child in alive:
            try:
                child.wait(max(0.0, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                log.warning("server process %d did not stop in %g s: killing it", child.pid, self.stop_grace)
                child.kill()
                child.wait()
        log.info("all %d server processes stopped", self.workers)
