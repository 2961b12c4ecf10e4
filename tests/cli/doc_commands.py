"""The `python app.py ...` examples of a Markdown page, in the page's order (tests/cli/test_doc_commands.py).

Examples come from fenced blocks (one command a line, `\\` continues it) and from inline code. What
a shell adds is dropped: a leading ``$``, environment assignments (the test gives its own tracker),
output redirection and `&`; `a && b` is two examples. An example whose next line in the block starts
with ``error:`` shows a refusal: it is expected to be refused with the lines shown.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Example", "examples", "runs_forever", "PLACEHOLDERS"]

FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n(.*?)^[ \t]*\1", re.S | re.M)
INLINE = re.compile(r"`([^`\n]+)`")
COMMAND = re.compile(r"(?:^|\s)(?:\S*/)?python3? app\.py(\s.*)?$")
PLACEHOLDERS = ("...", "…", "<", "N", "ID", "IMAGE", "COMMAND", "FILE", "EMAIL", "REF")


@dataclass(frozen=True)
class Example:
    line: int  # 1-based line in the page
    args: tuple[str, ...]
    shown: tuple[str, ...] = ()  # the refusal the page shows after it ("error: ..." and what follows)

    @property
    def refused(self) -> bool:
        return bool(self.shown)

    def __str__(self) -> str:
        return f"line {self.line}: python app.py {shlex.join(self.args)}"


def _commands(text: str) -> list[tuple[str, ...]]:
    """The app.py argument lists in one shell line (comments, env and redirections dropped)."""
    found = []
    for part in text.split("&&"):
        m = COMMAND.search(part.strip().removeprefix("$ "))
        if not m:
            continue
        words = shlex.split(m.group(1) or "", comments=True)
        cut = next((i for i, w in enumerate(words) if w in (">", ">>", "|", "&", "2>") or w.startswith(">")), None)
        found.append(tuple(words[:cut]))
    return found


def examples(page: Path) -> list[Example]:
    text = page.read_text(encoding="utf-8")
    found: list[Example] = []
    blocks = []
    for block in FENCE.finditer(text):
        blocks.append(block.span())
        start = text.count("\n", 0, block.start(2)) + 1
        lines = block.group(2).split("\n")
        i = 0
        while i < len(lines):
            first, shell = i, lines[i]
            while shell.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                shell = shell.rstrip()[:-1] + " " + lines[i].strip()
            shown: list[str] = []
            if i + 1 < len(lines) and lines[i + 1].lstrip().startswith("error:"):
                while i + 1 < len(lines) and lines[i + 1].strip() and not lines[i + 1].lstrip().startswith("$"):
                    i += 1
                    shown.append(lines[i].strip())
            found += [Example(start + first, args, tuple(shown)) for args in _commands(shell)]
            i += 1
    for m in INLINE.finditer(text):
        if any(a <= m.start() < b for a, b in blocks):
            continue
        line = text.count("\n", 0, m.start()) + 1
        found += [Example(line, args) for args in _commands(m.group(1))]
    return sorted(found, key=lambda e: e.line)


def runs_forever(example: Example) -> bool:
    """A server or a sender that runs until stopped, or a pattern with a placeholder, not a command."""
    args = example.args
    if not args or args[0] == "serve" or (args[0] == "worker" and "--until-idle" not in args):
        return True
    return any(w in PLACEHOLDERS or "..." in w or "<" in w for w in args)
