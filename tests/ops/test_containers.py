"""Dockerfile and compose.yaml, checked as far as a machine without Docker allows: parsed, never run."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import yaml

from cli import build_parser
from config import Settings
from tests.ops.settings_env import settings_env_vars

ROOT = Path(__file__).resolve().parents[2]


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, rest = line.partition(" ")
            out.append((instruction.upper(), rest.strip()))
    return out


def _exec_form(args: str) -> list[str]:
    return json.loads(args) if args.startswith("[") else shlex.split(args)


def _instruction(name: str) -> str:
    found = [rest for instruction, rest in _dockerfile() if instruction == name]
    assert found, f"the Dockerfile has no {name}"
    return found[-1]


def _makefile_app_commands() -> set[str]:
    """`app.py ...` command lines the Makefile runs, e.g. 'migrate', 'serve'."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {m.group(1).strip() for m in re.finditer(r"\$\(VPY\) app\.py ([^\n#]+)", makefile)}


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def _image_command(service: dict) -> list[str]:
    entrypoint = _exec_form(_instruction("ENTRYPOINT"))
    command = service.get("command") or _exec_form(_instruction("CMD"))
    return entrypoint + (shlex.split(command) if isinstance(command, str) else list(command))


def test_settings_env_list_comes_from_config() -> None:
    names = settings_env_vars()
    assert {"DATABASE_URL", "MicrosoftAppId", "LINK_SECRET", "METRICS_TOKEN", "LOG_FORMAT"} <= names
    # Every variable the scan finds really changes a setting (the scan reads what from_env reads).
    assert Settings.from_env({"METRICS_TOKEN": "x"}).metrics_token == "x"


def test_dockerfile_is_slim_non_root_with_a_health_check() -> None:
    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", _instruction("FROM").split()[0])
    user = _instruction("USER")
    assert user not in ("root", "0") and not user.startswith("0:")
    assert "/healthz" in _instruction("HEALTHCHECK")
    assert _instruction("EXPOSE") == str(Settings().port)
    envs = " ".join(rest for instruction, rest in _dockerfile() if instruction == "ENV")
    assert "HOST=0.0.0.0" in envs, "inside a container the bot must listen beyond loopback"


def test_dockerfile_runs_the_makefiles_serve_and_migrate_commands() -> None:
    make = _makefile_app_commands()
    assert {"migrate", "serve"} <= make
    entrypoint = _exec_form(_instruction("ENTRYPOINT"))
    assert entrypoint == ["python", "app.py"]
    default = " ".join(_exec_form(_instruction("CMD")))
    assert default == "serve" and default in make
    # Migrations are a separate command, never part of serving.
    assert "migrate" not in _instruction("CMD") and "migrate" not in _instruction("ENTRYPOINT")
    migrate = _compose()["services"]["migrate"]
    assert " ".join(_image_command(migrate)[2:]) in make and _image_command(migrate)[2:] == ["migrate"]


def test_compose_runs_postgres_two_bots_behind_one_port_and_a_worker() -> None:
    services = _compose()["services"]
    assert services["db"]["image"].startswith("postgres:")
    commands = {name: _image_command(s)[2:] for name, s in services.items() if s.get("build")}
    assert commands == {"migrate": ["migrate"], "bot1": ["serve"], "bot2": ["serve"], "worker": ["worker"]}
    known = set(build_parser()._subparsers._group_actions[0].choices)
    assert {c[0] for c in commands.values()} <= known
    for bot in ("bot1", "bot2", "worker"):
        assert services[bot]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    proxy = services["proxy"]
    assert proxy["ports"] == ["3978:3978"] and "ports" not in services["bot1"] and "ports" not in services["bot2"]
    [mount] = proxy["volumes"]
    config = ROOT / mount.split(":")[0]
    assert config.is_file()
    upstreams = re.findall(r"server\s+(\w+):(\d+)", config.read_text(encoding="utf-8"))
    assert upstreams == [("bot1", "3978"), ("bot2", "3978")]


def test_compose_names_every_variable_the_app_reads() -> None:
    services = _compose()["services"]
    wanted = settings_env_vars()
    for name in ("migrate", "bot1", "bot2", "worker"):
        missing = wanted - set(services[name]["environment"])
        assert not missing, f"compose.yaml service {name} does not set {sorted(missing)}"
    assert services["bot1"]["environment"]["HOST"] == "0.0.0.0"
    assert services["bot1"]["environment"]["DATABASE_URL"].startswith("postgresql://")
