"""Done-when of issue 12: importing any module of domain/, cards/ or questions/ loads none of the
database, Teams or web libraries (domain/ not even pandas). Each import runs in a fresh interpreter,
so a module another test imported earlier cannot hide a heavy import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "botbuilder", "botframework", "aiohttp", "msrest", "microsoft_agents")


def _modules(package: str) -> list[str]:
    names = []
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = _modules("domain") + _modules("cards") + _modules("questions")

# One interpreter, and a fork of it for each module: each child starts from the parent's bare state
# (the standard library's json, os, importlib; the parent checks it holds none of HEAVY), imports one
# module and reports every top-level package then loaded. A new interpreter per module cost a second
# or more of the run for the same answer.
PROBE = """
import importlib, json, os, sys, traceback
heavy = set(sys.argv[1].split(","))
assert not heavy & {name.split('.')[0] for name in sys.modules}, "the probe itself loaded a heavy library"
results = {}
for module in sys.argv[2:]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            importlib.import_module(module)
            said = {"loaded": sorted({name.split('.')[0] for name in sys.modules})}
        except BaseException:
            said = {"error": traceback.format_exc()}
        with os.fdopen(write, "w") as out:
            json.dump(said, out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        results[module] = json.loads(answer.read() or '{"error": "the child said nothing"}')
    os.waitpid(pid, 0)
print(json.dumps(results))
"""


def _probe(*modules: str) -> dict[str, dict[str, list[str] | str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY + ("pandas", "numpy")), *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def probed() -> dict[str, dict[str, list[str] | str]]:
    return _probe(*MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_importing_loads_no_database_teams_or_web_library(module: str, probed: dict) -> None:
    said = probed[module]
    assert "error" not in said, said.get("error")
    loaded = set(said["loaded"])
    forbidden = HEAVY + (("pandas", "numpy") if module.startswith("domain") else ())
    assert not loaded & set(forbidden), f"{module} loads {sorted(loaded & set(forbidden))}"


def test_the_probe_can_fail() -> None:
    """The same probe on a store module does see SQLAlchemy (so the test above can fail), and a module
    that cannot be imported is reported, not skipped."""
    said = _probe("store.db.models", "domain.no_such_module")
    assert "sqlalchemy" in said["store.db.models"]["loaded"]
    assert "No module named" in said["domain.no_such_module"]["error"]
