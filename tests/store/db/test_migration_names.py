"""Migration files are named in chain order, so a reader finds them in the order they run.

The revision ids inside are never changed (databases store them): a file's number may differ from
its id's (0004_send_rate.py holds revision '0005_send_rate').
"""

from __future__ import annotations

import re
from pathlib import Path

from alembic.script import ScriptDirectory

from store.db.migrate import alembic_config

VERSIONS = Path(__file__).resolve().parents[3] / "store" / "migrations" / "versions"


def _chain() -> list[str]:
    """The revisions' file names, from the first to the head, following down_revision."""
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, script.get_heads()
    return [Path(r.path).name for r in reversed(list(script.walk_revisions()))]


def test_file_names_follow_the_chain() -> None:
    chain = _chain()
    assert chain == sorted(p.name for p in VERSIONS.glob("*.py")), chain
    numbers = [int(re.match(r"(\d{4})_", name).group(1)) for name in chain]  # type: ignore[union-attr]
    assert numbers == list(range(1, len(chain) + 1)), chain
