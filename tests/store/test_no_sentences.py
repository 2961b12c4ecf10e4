"""store/ returns data and outcome codes, never a sentence for the user (docs/architecture.md): the
cards and the command line word them. This scan finds prose in store/'s string literals and
f-strings (not docstrings, log calls or SQL) and fails on any that is not listed below, so a
sentence built in the store again is caught here, not in review.

What is still listed is known and said why; each entry must still match something, so the list
only shrinks. The store's refusals themselves are checked to carry codes in the tests of each
store package (e.g. tests/store/cycles/test_cycles.py) and here for the cycle errors.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from domain.cycles import NO_CYCLE_YET, CycleError, CycleProblem, ScopeError

STORE = Path(__file__).resolve().parents[2] / "store"
# three or more words in a row: "is not open", "Outstanding by business group"
PROSE = re.compile(r"[A-Za-z]+(?:'[a-z]+)?(?:[ ,;:]+[A-Za-z]+(?:'[a-z]+)?){2,}")
NOT_WORDING = {"debug", "info", "warning", "error", "exception", "text"}  # log calls; sqlalchemy.text (SQL)
SKIPPED = ("migrations", "demo")  # Alembic revisions; the demo tracker's sample content

# path (under store/) -> fragments still allowed there, or None for the whole module
ALLOWED: dict[str, tuple[str, ...] | None] = {
    # Errors for developers and operators, never shown to a user of the bot or the command line's
    # success paths: a programming error, a misconfiguration at start-up, a malformed button (logged).
    "conversations/dialog_state.py": ("Etag conflict",),
    "outbox/outcomes.py": ("not a final status",),
    "db/engine.py": ("DATABASE_URL must be",),
    "queries/codec.py": (
        "must be a short text",
        "the question is missing",
        "must be a list of names",
        "must be a date",
        "revised must be true or false",
        "unknown question kind",
        "is not a question about figures",
    ),
    "queries/answers.py": ("every question the codec pages has a handler", "is not a question about figures"),
    "queries/scope.py": ("no scope rule for",),
    "outbox/pacing.py": ("extract(epoch from",),  # SQL
    # Recorded with the tracker's data when the decision was made (the history): data, not words
    # chosen for a reader now.
    "updates/decisions.py": ("revised due date {} {}",),
    # An HMICFRS item's title in the request payload (kept in the outbox as queued).
    "cycles/scope.py": ("Area for improvement",),
    # The streaming export's own XML (number formats, inline-string cells): file format, not words.
    "workbook/xlsx_stream.py": None,
    # Where each unique column is kept unique: documentation a test reads, never shown to anyone.
    "workbook/constraints.py": (
        "reader: a repeated email is DUPLICATE_KEY",
        "here: _list_repeats",
        "primary key of a set",
    ),
}


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):  # a formatted value counts as a word break, not a word
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _ignored(tree: ast.AST) -> set[int]:
    """Docstrings, the arguments of log calls and SQL, and the parts inside f-strings."""
    ignored: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            ignored.add(id(body[0].value))
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in NOT_WORDING:
                ignored.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.JoinedStr):
            ignored.update(id(v) for v in node.values)
    return ignored


def prose_in_store() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(STORE.rglob("*.py")):
        relative = path.relative_to(STORE).as_posix()
        if relative.split("/")[0] in SKIPPED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        ignored = _ignored(tree)
        for node in ast.walk(tree):
            text = None if id(node) in ignored else _text(node)
            if text and PROSE.search(text):
                found.append((relative, getattr(node, "lineno", 0), text))
    return found


def _allowed(relative: str, text: str) -> bool:
    fragments = ALLOWED.get(relative, ())
    return fragments is None or any(f in text for f in fragments)


def test_the_store_builds_no_sentence_for_the_user() -> None:
    new = [f"store/{path}:{line}: {text!r}" for path, line, text in prose_in_store() if not _allowed(path, text)]
    assert not new, "store/ returns data and outcome codes; word these in cards/ (or cli/) instead:\n" + "\n".join(new)


def test_every_allowance_is_still_needed() -> None:
    found = prose_in_store()
    for relative, fragments in ALLOWED.items():
        texts = [text for path, _line, text in found if path == relative]
        assert texts, f"store/{relative} has no prose left: drop it from ALLOWED"
        for fragment in fragments or ():
            assert any(fragment in t for t in texts), f"{fragment!r} is gone from store/{relative}: drop it"


def test_the_scan_would_see_a_sentence() -> None:
    tree = ast.parse('raise CycleError(f"update cycle {n} is not open")\nlog.info("a logged line of words")')
    texts = [t for node in ast.walk(tree) if id(node) not in _ignored(tree) and (t := _text(node))]
    assert texts == ["update cycle {} is not open"] and PROSE.search(texts[0])


@pytest.mark.parametrize("error", [CycleError, ScopeError])
def test_cycle_errors_carry_a_code_not_text(error: type[CycleError]) -> None:
    raised = error(CycleProblem(NO_CYCLE_YET))
    assert str(raised) == NO_CYCLE_YET and raised.problem.code == NO_CYCLE_YET
    with pytest.raises(AttributeError):
        error("no update cycle has been opened yet")  # a sentence is refused: it has no .code
