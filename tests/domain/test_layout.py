"""Tests mirror domain/: each module with logic has its tests/domain/test_<module>.py, and those tests
need nothing but domain/ (a rule is tested without a database, Teams, or the layers above)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
OURS = ("store", "cards", "questions", "reports", "bot", "dialogs", "cli", "config", "observability", "app")


def _has_logic(module: Path) -> bool:
    """A function or method anywhere in the module (plain constants and data types need no test)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) for node in ast.walk(tree))


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_every_domain_module_with_logic_has_its_test_module() -> None:
    modules = [p for p in sorted((ROOT / "domain").glob("*.py")) if p.stem != "__init__" and _has_logic(p)]
    missing = [f"tests/domain/test_{p.stem}.py" for p in modules if not (HERE / f"test_{p.stem}.py").exists()]
    assert len(modules) >= 10, modules  # the walk found domain/
    assert missing == []


def test_domain_tests_import_no_other_layer() -> None:
    found = {p.name: sorted(_imported(p) & set(OURS)) for p in sorted(HERE.glob("test_*.py"))}
    assert {name: layers for name, layers in found.items() if layers} == {}
