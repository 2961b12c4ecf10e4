"""The update conversation knows no Teams SDK: it runs on any host behind bot/turn.py's Turn."""

from __future__ import annotations

import ast
from pathlib import Path

import dialogs

SDKS = ("botbuilder", "botframework", "msrest", "microsoft_agents", "aiohttp")


def test_dialogs_import_no_sdk() -> None:
    found = []
    for path in Path(dialogs.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in SDKS]
    assert found == []
