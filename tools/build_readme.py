"""Stitch README.md from docs/readme/_intro.md, the journey sections and docs/readme/_reference.md.

Each journey keeps its section in docs/readme/<name>.md (written next to its code); this puts
them in reading order, one heading level down, so the README is one document for a newcomer.
    python tools/build_readme.py          # rewrite README.md
    python tools/build_readme.py --check  # exit 1 when README.md is out of date (a test runs this)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("_intro", "playground", "owner", "questions", "cycles", "report", "_reference")


def _section(name: str) -> str:
    text = (ROOT / "docs" / "readme" / f"{name}.md").read_text(encoding="utf-8").strip()
    if name.startswith("_"):
        return text
    if re.match(r"^# ", text):  # a journey's top heading becomes a README section
        text = re.sub(r"^(#+) ", lambda m: "#" + m.group(1) + " ", text, flags=re.M)
    return text


def build() -> str:
    return "\n\n".join(_section(name) for name in PARTS) + "\n"


def main(argv: list[str]) -> int:
    readme = ROOT / "README.md"
    text = build()
    if "--check" in argv:
        if readme.read_text(encoding="utf-8") != text:
            sys.stderr.write("README.md is out of date: run python tools/build_readme.py\n")
            return 1
        return 0
    readme.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
