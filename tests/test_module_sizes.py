"""Issue 12 point 7: every module is under 400 lines (most near 300), so each can be read whole.

Counts every .py file git tracks, tests and benchmarks included; Alembic revisions are left out (a
landed revision is never edited, and each is one migration however long)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 400
EXEMPT = ("store/migrations/versions/",)


def _tracked_python_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return [path for path in listed if not path.startswith(EXEMPT) and (ROOT / path).is_file()]


def oversized(paths: list[str], limit: int = LIMIT, root: Path = ROOT) -> list[str]:
    """'path: N lines' for each file of at least `limit` lines, longest first."""
    counts = {path: len((root / path).read_text(encoding="utf-8").splitlines()) for path in paths}
    return [f"{path}: {n} lines" for path, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n >= limit]


def test_every_tracked_module_is_under_400_lines() -> None:
    paths = _tracked_python_files()
    assert len(paths) > 100, "git ls-files found the tree"
    offenders = oversized(paths)
    assert not offenders, f"split these along a seam (limit {LIMIT} lines):\n" + "\n".join(offenders)


def test_the_size_check_names_each_offender_longest_first(tmp_path: Path) -> None:
    for name, lines in (("short.py", 399), ("long.py", 401), ("limit.py", 400)):
        (tmp_path / name).write_text("x = 1\n" * lines, encoding="utf-8")
    assert oversized(["short.py", "long.py", "limit.py"], root=tmp_path) == [
        "long.py: 401 lines",
        "limit.py: 400 lines",
    ]
