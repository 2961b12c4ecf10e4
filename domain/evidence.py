"""Evidence an owner gives: a note, one or more web links, or both (issue 13 point 5).

Several links travel in the one ``evidence_link`` field and are stored there one per line: the
card's box is multi-line, and a typed message may separate them with spaces or commas. Only
https links are taken: a plain-http, javascript: or file: URL shown on a governance card would be
a hazard (and an intranet page that only answers http can go in the note instead).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from domain.text import safe_link

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


def _quoted(link: str, limit: int = 60) -> str:
    return f"‘{link if len(link) <= limit else link[: limit - 1] + '…'}’"


def link_problem(text: str | None) -> str | None:
    """What to fix in the links box, or None when every link is an https link."""
    links = split_links(text)
    if len(links) > MAX_LINKS:
        return f"Up to {MAX_LINKS} links, please ({len(links)} given): put the rest in one shared folder or page."
    bad = [link for link in links if not _is_https(link)]
    if not bad:
        return None
    what = "is not an https link" if len(bad) == 1 else f"and {len(bad) - 1} more are not https links"
    return (
        f"Evidence links must start with https:// — {_quoted(bad[0])} {what}. "
        "Put one link per line, or describe the evidence in the note."
    )
