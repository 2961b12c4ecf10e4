"""What the browser tests need around the browser: the `make playground` stack on free ports, a
fresh demo database, the node journeys (tests/browser/journeys.js) run with a hard timeout, and
clear reasons when chromium, node or node_modules are missing.

    with PlaygroundStack.started(database_url, log_dir) as stack:
        result = run_journey("greeting", stack.urls)

Everything started here runs in its own process group and is stopped (SIGINT like Ctrl-C, then
SIGKILL) by the context manager; `stop()` raises if something outlived it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR") or ROOT / "test-artifacts" / "browser")
JOURNEYS = ROOT / "tests" / "browser" / "journeys.js"
PLAYGROUND_SCRIPT = ROOT / "tools" / "playground.py"
NODE_MODULES = ROOT / "node_modules"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PEOPLE = ("olivia", "sam", "colin", "grace")

__all__ = [
    "ROOT",
    "ARTIFACTS",
    "PEOPLE",
    "browser_problem",
    "PlaygroundStack",
    "run_journey",
    "run_node",
    "JourneyFailed",
    "listening_hosts",
    "free_port_block",
    "run_log_dir",
    "bot_errors",
]


def browser_problem() -> tuple[str, str] | None:
    """('skip', why) only where chromium truly cannot be installed here; ('fail', what to run) otherwise."""
    if not shutil.which("node"):
        return "fail", "node is not on PATH: install Node.js 20 (the README's prerequisites)"
    for package in ("playwright-core", "@microsoft/m365agentsplayground"):
        if not (NODE_MODULES / package / "package.json").is_file():
            return "fail", f"node_modules/{package} is missing: run `make node`"
    if os.access(CHROMIUM, os.X_OK):
        return None
    if os.environ.get("CHROMIUM_PATH"):
        return "fail", f"CHROMIUM_PATH={CHROMIUM} is not an executable"
    if not shutil.which("apt-get"):
        return "skip", (
            f"{CHROMIUM} is missing and this machine has no apt-get, so Debian chromium cannot be "
            "installed; set CHROMIUM_PATH to a Chromium binary to run the browser tests"
        )
    if os.geteuid() != 0:
        return "skip", (
            f"{CHROMIUM} is missing and this user is not root, so `make node` could not install it: "
            "run `sudo apt-get install -y chromium` to run the browser tests"
        )
    return "fail", f"{CHROMIUM} is missing although we are root: run `make node` (it runs apt-get install chromium)"


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def run_log_dir(keep_days: float = 2) -> Path:
    """A log folder for this run (test-artifacts/browser/logs/<time>-<pid>), so runs of the suite at the
    same time in one working tree (several people) never share or overwrite a bot log; old ones pruned."""
    base = ARTIFACTS / "logs"
    base.mkdir(parents=True, exist_ok=True)
    for old in base.iterdir():
        if old.is_dir() and time.time() - old.stat().st_mtime > keep_days * 86400:
            shutil.rmtree(old, ignore_errors=True)
    here = base / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    here.mkdir()
    return here


def free_port_block(size: int, tries: int = 200) -> int:
    """The first of `size` consecutive free ports on 127.0.0.1 (tools/playground.py --first-port)."""
    rng = random.Random()
    for _ in range(tries):
        first = rng.randrange(20000, 60000 - size)
        if all(_port_free(first + i) for i in range(size)):
            return first
    raise RuntimeError(f"no {size} consecutive free ports found")


def listening_hosts(port: int) -> set[str]:
    """Local addresses of the TCP sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    hosts: set[str] = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state != "0A" or int(port_hex, 16) != port:  # 0A = LISTEN
                continue
            if width == 8:
                hosts.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
            else:
                raw = b"".join(bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, 32, 8))
                hosts.add(socket.inet_ntop(socket.AF_INET6, raw))
    return hosts


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


@dataclass
class PlaygroundStack:
    """`tools/playground.py` (what `make playground` runs) as a subprocess on free ports."""

    process: subprocess.Popen
    output: Path
    log_dir: Path
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def urls(self) -> dict[str, str]:
        return self.info["urls"]

    @property
    def pids(self) -> dict[str, int]:
        return self.info["pids"]

    def log(self) -> str:
        return self.output.read_text(errors="replace") if self.output.exists() else ""

    @classmethod
    @contextmanager
    def started(
        cls, database_url: str, log_dir: Path, people: tuple[str, ...] = PEOPLE, timeout: float = 180
    ) -> Iterator["PlaygroundStack"]:
        log_dir.mkdir(parents=True, exist_ok=True)
        output = log_dir / "playground-command.log"
        first = free_port_block(4)
        bot_port = free_port_block(1)
        env = dict(os.environ, DATABASE_URL=database_url, PYTHONUNBUFFERED="1")
        with open(output, "wb") as out:
            process = subprocess.Popen(
                [
                    sys.executable,
                    str(PLAYGROUND_SCRIPT),
                    "--bot-port",
                    str(bot_port),
                    "--first-port",
                    str(first),
                    "--log-dir",
                    str(log_dir),
                    "--json",
                    "--only",
                    *people,
                ],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        stack = cls(process, output, log_dir)
        try:
            deadline = time.monotonic() + timeout
            while not stack.info:
                for line in stack.log().splitlines():
                    if line.startswith("{") and '"urls"' in line:
                        stack.info = json.loads(line)
                if stack.info:
                    break
                if process.poll() is not None:
                    raise RuntimeError(f"tools/playground.py exited with {process.returncode}:\n{stack.log()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"tools/playground.py was not ready after {timeout:.0f} s:\n{stack.log()}")
                time.sleep(0.2)
            yield stack
        finally:
            stack.stop()

    def interrupt(self, timeout: float = 30) -> int | None:
        """Ctrl-C, as a terminal would send it to the foreground process group; returns the exit code."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def leftovers(self) -> list[str]:
        return [f"{name} (pid {pid})" for name, pid in self.pids.items() if _alive(pid)] if self.info else []

    def stop(self) -> None:
        """Interrupt; kill whatever is still there; raise if anything had to be killed."""
        code = self.interrupt()
        left = self.leftovers()
        if code is None:
            left.insert(0, f"tools/playground.py (pid {self.process.pid})")
        for pid in [self.process.pid, *(self.pids.values() if self.info else [])]:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self.process.poll() is None:
            self.process.wait(timeout=10)
        if left:
            raise RuntimeError(f"still running after Ctrl-C, killed: {', '.join(left)}\n{self.log()}")


class JourneyFailed(AssertionError):
    pass


def run_node(
    argv: list[str], *, timeout: float, env: dict[str, str] | None = None
) -> tuple[int, str, str, dict[str, Any] | None]:
    """Run `node argv` in its own process group: (exit code, stdout, stderr, its RESULT line as a dict or None).

    TimeoutError carries what it printed; it is stopped first (SIGTERM: playwright's handler closes
    chromium, its own process group, and its profile), then SIGKILL."""
    process = subprocess.Popen(
        ["node", *argv],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            stdout, stderr = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
        raise TimeoutError(f"did not finish in {timeout:.0f} s\n{stdout}\n{stderr}") from None
    result = next(
        (json.loads(line[len("RESULT ") :]) for line in stdout.splitlines() if line.startswith("RESULT ")), None
    )
    return process.returncode, stdout, stderr, result


def run_journey(
    name: str, stack: PlaygroundStack, params: dict[str, Any] | None = None, timeout: float = 150
) -> dict[str, Any]:
    """Run one scenario of journeys.js; its RESULT as a dict, or JourneyFailed with what it printed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PLAYGROUND_URLS=json.dumps(stack.urls), TEST_ARTIFACTS_DIR=str(ARTIFACTS))
    try:
        code, stdout, stderr, result = run_node(
            [str(JOURNEYS), name, json.dumps(params or {})], timeout=timeout, env=env
        )
    except TimeoutError as e:
        raise JourneyFailed(f"journey {name} {e}") from None
    if code != 0 or result is None:
        raise JourneyFailed(
            f"journey {name} failed (exit {code}); screenshots in {ARTIFACTS}\n"
            f"{stderr.strip()}\n{stdout.strip()}{bot_errors(stack.log_dir / 'bot.log')}"
        )
    return result


def bot_errors(log: Path, limit: int = 12) -> str:
    """The ERROR lines and exception messages of the bot's log, for failure messages."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    picked = [x for x in lines if " ERROR " in x or x.split(":", 1)[0].endswith(("Error", "Exception"))]
    if not picked:
        return ""
    return f"\n\nthe bot's log ({log}) has:\n" + "\n".join(x[:400] for x in picked[-limit:])
