"""The README is a short front page, and every link in it and in docs/ leads somewhere in the repository."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
# [text](target) and ![alt](target); the target ends at whitespace or ')' (titles are not used here).
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.*)$", text, re.M)}


def _links(path: Path) -> list[str]:
    return LINK.findall(FENCE.sub("", path.read_text(encoding="utf-8")))


def broken_links(path: Path) -> list[str]:
    problems = []
    for target in _links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / unquote(file_part)).resolve() if file_part else path
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{target}: points outside the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            problems.append(f"{target}: no heading #{anchor} in {resolved.relative_to(ROOT)}")
    return problems


def test_readme_is_a_short_front_page_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in text[:600] and "make test" in text[:600]
    assert len(text.splitlines()) < 150
    assert "](docs/img/" in text, "the front page shows a screenshot"
    for page in ("docs/domain.md", "docs/operations.md", "docs/architecture.md", "docs/journeys/"):
        assert f"]({page}" in text, f"the front page leads to {page}"


def test_every_link_in_readme_and_docs_resolves_inside_the_repository() -> None:
    problems = {str(p.relative_to(ROOT)): broken_links(p) for p in _documents()}
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_link_check_can_fail(tmp_path: Path) -> None:
    page = ROOT / "docs" / "_probe_for_test.md"
    page.write_text(
        "[out](../../shared/spec/TRACKER.md) [gone](nowhere.md) [anchor](domain.md#no-such-heading) "
        "[ok](domain.md#statuses) [web](https://example.org)\n```\n[in a fence](ignored.md)\n```\n",
        encoding="utf-8",
    )
    try:
        problems = broken_links(page)
    finally:
        page.unlink()
    assert [p.split(":")[0] for p in problems] == [
        "../../shared/spec/TRACKER.md",
        "nowhere.md",
        "domain.md#no-such-heading",
    ]


def test_nothing_in_the_docs_sends_readers_outside_the_repository() -> None:
    for path in _documents():
        assert "../shared" not in path.read_text(encoding="utf-8"), f"{path.relative_to(ROOT)} mentions ../shared"


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
