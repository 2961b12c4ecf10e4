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

PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))
"""


@pytest.mark.parametrize("module", MODULES)
def test_importing_loads_no_database_teams_or_web_library(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, module],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    forbidden = HEAVY + (("pandas", "numpy") if module.startswith("domain") else ())
    assert not loaded & set(forbidden), f"{module} loads {sorted(loaded & set(forbidden))}"


def test_the_probe_can_fail() -> None:
    """The same probe on a store module does see SQLAlchemy (so the test above can fail)."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "store.db.models"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert "sqlalchemy" in json.loads(result.stdout.splitlines()[-1])
