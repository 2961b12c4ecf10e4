"""`make playground`: the bot on the demo tracker, and one Agents Playground per demo person.

    .venv/bin/python tools/playground.py            # what `make playground` runs; Ctrl-C stops everything
    .venv/bin/python tools/playground.py --help

1. migrates the database (DATABASE_URL, default var/tracker.db) and loads the demo tracker if it is empty;
2. serves the bot in anonymous local mode (no MicrosoftAppId) on 127.0.0.1:3978;
3. starts one Microsoft 365 Agents Playground per demo person, each bound to 127.0.0.1 on its own port
   with its own copy of .m365agentsplayground.yml whose currentUser is that person (the Playground has
   no user switcher: switching user = opening another tab), through tests/browser/playground.js;
4. prints the URL to open for each role and waits; Ctrl-C (or SIGTERM) stops every process it started.

Logs (the bot's, and each Playground's console, log file and devTools/) go to build/playground/.
The browser tests (tests/browser/test_journeys.py) start the same stack with `Stack`, on free ports.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

__all__ = ["ROLES", "DEFAULT_PORTS", "StackError", "Stack", "free_port", "main"]

ROOT = Path(__file__).resolve().parent.parent
HELPER = ROOT / "tests" / "browser" / "playground.js"
PLAYGROUND_CLI = ROOT / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
DEFAULT_LOG_DIR = ROOT / "build" / "playground"
HOST = "127.0.0.1"
DEFAULT_BOT_PORT = 3978

# The demo people (.m365agentsplayground.yml, store/demo_data.PLAYGROUND_PEOPLE), in the order shown.
ROLES: tuple[tuple[str, str, str], ...] = (
    ("olivia", "Olivia Owen", "action owner, Met Operations"),
    ("sam", "Sam Spencer", "SPOC (and owner), Met Operations"),
    ("colin", "Colin Chambers", "chief officer, Met Operations"),
    ("grace", "Grace Gordon", "governance (Strategy & Governance)"),
)
DEFAULT_PORTS = {"olivia": 56150, "sam": 56151, "colin": 56152, "grace": 56153}
# Bot Framework authentication variables: the Playground sends no tokens, so the bot must run without them.
AUTH_VARIABLES = ("MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId", "MicrosoftAppType")

log = logging.getLogger("playground")


class StackError(Exception):
    """Something stopped the stack from starting; the message says what to do."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])  # (host, port) for IPv4, typed Any by the socket module


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
        return True


def _die_with_parent() -> None:
    """In the child, before exec: its own process group, and SIGTERM if we die (Linux), so nothing is orphaned."""
    os.setsid()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class Stack:
    """The bot plus one Playground per person, every process in its own group, all stopped by stop()."""

    ports: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    bot_port: int = DEFAULT_BOT_PORT
    database_url: str | None = None
    log_dir: Path = DEFAULT_LOG_DIR
    python: str = sys.executable
    node: str = "node"
    start_timeout: float = 60.0
    children: list[Child] = field(default_factory=list)

    # ------------------------------------------------------------------ what it serves

    @property
    def bot_url(self) -> str:
        return f"http://{HOST}:{self.bot_port}"

    @property
    def bot_endpoint(self) -> str:
        return f"{self.bot_url}/api/messages"

    def url(self, person: str) -> str:
        return f"http://{HOST}:{self.ports[person]}/"

    @property
    def urls(self) -> dict[str, str]:
        return {person: self.url(person) for person in self.ports}

    # ------------------------------------------------------------------ starting

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in AUTH_VARIABLES}
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(HOST=HOST, PORT=str(self.bot_port), PYTHONUNBUFFERED="1")
        return env

    def _app(self, *args: str, timeout: float = 300) -> None:
        """Run `python app.py ARGS` to completion (migrate, demo); raise with its output on failure."""
        done = subprocess.run(
            [self.python, str(ROOT / "app.py"), *args],
            cwd=ROOT,
            env=self._env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise StackError(f"`python app.py {' '.join(args)}` failed:\n{done.stdout}{done.stderr}")
        if done.stdout.strip():
            log.info("%s", done.stdout.strip())

    def prepare_database(self, demo: bool = True) -> None:
        """Like `make run`: migrate, and load the demo tracker when the database is empty."""
        self._app("migrate")
        if demo:
            self._app("demo", "--if-empty")

    def _spawn(self, name: str, argv: Sequence[str], env: Mapping[str, str], log_path: Path, cwd: Path) -> Child:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "wb") as out:
            process = subprocess.Popen(
                list(argv),
                cwd=cwd,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        child = Child(name, process, log_path)
        self.children.append(child)
        return child

    def _check_ports(self) -> None:
        busy = [
            f"{name} {port}" for name, port in [("bot", self.bot_port), *self.ports.items()] if not port_is_free(port)
        ]
        if busy:
            raise StackError(
                f"port(s) already in use on {HOST}: {', '.join(busy)}. Stop whatever uses them "
                "(another `make playground` or `make run`?), or pick others: "
                "tools/playground.py --bot-port N --first-port N"
            )

    def _wait(self, child: Child, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if child.process.poll() is not None:
                raise StackError(
                    f"{what} exited with code {child.process.returncode}; "
                    f"its log ({child.log_path}) ends:\n{child.tail()}"
                )
            if ready():
                return
            time.sleep(0.1)
        raise StackError(
            f"{what} was not ready after {self.start_timeout:.0f} s; its log ({child.log_path}) ends:\n{child.tail()}"
        )

    def start_bot(self) -> None:
        child = self._spawn(
            "bot", [self.python, str(ROOT / "app.py"), "serve"], self._env(), self.log_dir / "bot.log", ROOT
        )

        def healthy() -> bool:
            try:
                with urllib.request.urlopen(f"{self.bot_url}/healthz", timeout=2) as response:
                    return bool(response.status == 200)  # urlopen's response is typed Any
            except (urllib.error.URLError, OSError):
                return False

        self._wait(child, healthy, f"the bot on {self.bot_url}")

    def start_playground(self, person: str) -> None:
        if not PLAYGROUND_CLI.is_file():
            raise StackError(f"{PLAYGROUND_CLI.relative_to(ROOT)} is missing: run `make node`")
        port = self.ports[person]
        work = self.log_dir / person  # its config copy, and devTools/ if it records events
        work.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in AUTH_VARIABLES}
        env["M365_AGENTS_PLAYGROUND_LOGFILE"] = str(work / "m365agentsplayground.log")
        child = self._spawn(
            f"playground-{person}",
            [
                self.node,
                str(HELPER),
                "serve",
                "--user",
                person,
                "--port",
                str(port),
                "--bot-endpoint",
                self.bot_endpoint,
                "--work-dir",
                str(work),
            ],
            env,
            work / "console.log",
            ROOT,
        )

        def listening() -> bool:
            text = child.log_path.read_text(errors="replace")
            if "Listening on" not in text:
                return False
            if f"Listening on {port}" not in text:
                raise StackError(f"the Playground for {person} did not get port {port}:\n{child.tail()}")
            return True

        self._wait(child, listening, f"the Playground for {person} on port {port}")

    def start(self, prepare: bool = True) -> "Stack":
        """Everything, in order; on any failure whatever was started is stopped again."""
        self._check_ports()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        try:
            if prepare:
                self.prepare_database()
            self.start_bot()
            for person in self.ports:
                self.start_playground(person)
        except BaseException:
            self.stop()
            raise
        return self

    # ------------------------------------------------------------------ stopping

    def failed(self) -> Child | None:
        """The first child that has exited by itself, if any."""
        return next((c for c in self.children if c.process.poll() is not None), None)

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM to every process group, SIGKILL to what is still there after `grace` seconds."""
        for child in reversed(self.children):
            _signal_group(child.process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for child in self.children:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _signal_group(child.process, signal.SIGKILL)  # anything left in its group
            try:
                child.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                log.warning("%s (pid %s) did not stop", child.name, child.process.pid)
        self.children.clear()

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    try:
        os.killpg(process.pid, sig)  # the child leads its own group (setsid)
    except (ProcessLookupError, PermissionError):
        pass


def banner(stack: Stack) -> str:
    width = max(len(name) for _, name, _ in ROLES)
    lines = [
        "",
        "Audit Tracker in the Microsoft 365 Agents Playground: open one tab per person",
        '(each tab IS that person; pick "Personal Chat" and say hello):',
        "",
    ]
    for key, name, role in ROLES:
        if key in stack.ports:
            lines.append(f"  {name:<{width}}  {stack.url(key):<24}  {role}")
    lines += [
        "",
        f"Bot: {stack.bot_endpoint} (anonymous local mode), database: "
        f"{stack.database_url or os.environ.get('DATABASE_URL') or 'var/tracker.db'}",
        f"Logs: {stack.log_dir}",
        "Press Ctrl-C to stop everything.",
        "",
    ]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="tools/playground.py", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--bot-port",
        type=int,
        default=int(os.environ.get("PORT") or DEFAULT_BOT_PORT),
        help="the bot's port (default $PORT or 3978)",
    )
    p.add_argument(
        "--first-port",
        type=int,
        default=DEFAULT_PORTS["olivia"],
        help="Olivia's Playground port; Sam, Colin and Grace get the next three (default 56150)",
    )
    p.add_argument(
        "--only",
        nargs="+",
        choices=[k for k, _, _ in ROLES],
        metavar="PERSON",
        help="start only these people's Playgrounds (olivia sam colin grace)",
    )
    p.add_argument("--log-dir", type=Path, default=DEFAULT_LOG_DIR, help="where logs go (default build/playground)")
    p.add_argument("--json", action="store_true", help="print the URLs as one JSON line once ready (for scripts)")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if os.environ.get("MicrosoftAppId"):
        log.info("note: MicrosoftAppId is set; the Playground sends no tokens, so the bot runs anonymous here")
    people = args.only or [k for k, _, _ in ROLES]
    ports = {k: args.first_port + i for i, (k, _, _) in enumerate(ROLES) if k in people}
    stack = Stack(
        ports=ports,
        bot_port=args.bot_port,
        log_dir=args.log_dir.resolve(),
        database_url=os.environ.get("DATABASE_URL") or None,
    )

    def stop_on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    # SIGINT too: a shell that starts us in the background (`make playground &`) hands SIGINT down ignored.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop_on_signal)
    try:
        log.info("starting the bot and %d Playground(s); logs in %s", len(ports), stack.log_dir)
        stack.start()
        sys.stdout.write(banner(stack) + "\n")
        if args.json:
            pids = {c.name: c.process.pid for c in stack.children}
            sys.stdout.write(json.dumps({"bot": stack.bot_endpoint, "urls": stack.urls, "pids": pids}) + "\n")
        sys.stdout.flush()
        while (gone := stack.failed()) is None:
            time.sleep(0.5)
        log.error("%s stopped (exit code %s); its log ends:\n%s", gone.name, gone.process.returncode, gone.tail())
        return 1
    except StackError as exc:
        log.error("error: %s", exc)
        return 1
    except KeyboardInterrupt:
        log.info("stopping...")
        return 0
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
