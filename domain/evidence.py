"""Evidence an owner gives: a note, one or more web links, or both (issue 13 point 5).

Several links travel in the one ``evidence_link`` field and are stored there one per line: the
card's box is multi-line, and a typed message may separate them with spaces or commas. Only
https links are taken: a plain-http, javascript: or file: URL shown on a governance card would be
a hazard (and an intranet page that only answers http can go in the note instead).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from domain.text import safe_link
from domain.update_problems import NOT_HTTPS, TOO_MANY_LINKS, UpdateProblem

__all__ = ["MAX_LINKS", "split_links", "join_links", "link_problem", "normalise_links"]

MAX_LINKS = 10
# Commas, semicolons and full stops people type between or after links are not part of them.
_TRAILING = ",;."


def split_links(text: str | None) -> list[str]:
    """The links in the box, in order, each once."""
    links: list[str] = []
    for piece in (text or "").split():
        link = piece.strip(_TRAILING)
        if link and link not in links:
            links.append(link)
    return links


def join_links(links: list[str]) -> str | None:
    return "\n".join(links) or None


def normalise_links(text: str | None) -> str | None:
    """How the links are stored (and compared with what is on file): one per line."""
    return join_links(split_links(text))


def _is_https(link: str) -> bool:
    # domain.text's rule for a link on a card (https, no control or bidi characters), with a host.
    return safe_link(link) is not None and bool(urlsplit(link).netloc)


def link_problem(text: str | None) -> UpdateProblem | None:
    """What to fix in the links box (worded by cards/update_wording.py), or None when every link is
    an https link."""
    links = split_links(text)
    if len(links) > MAX_LINKS:
        return UpdateProblem(TOO_MANY_LINKS, count=len(links), limit=MAX_LINKS)
    bad = [link for link in links if not _is_https(link)]
    if not bad:
        return None
    return UpdateProblem(NOT_HTTPS, link=bad[0], count=len(bad) - 1)
