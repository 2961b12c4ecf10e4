"""The one cleaning rule for free text, the Markdown escape for cards, links and the date window."""

from __future__ import annotations

from datetime import date

import pytest

from domain.text import LIMITS, TextTooLong, checked, clean, date_window, escape_markdown, outside_window, safe_link


def test_clean_removes_controls_and_bidi_but_keeps_newline_and_tab() -> None:
    assert clean("a\x00b\x0bc\x0cd\x1be\x7ff\x85g") == "abcdefg"
    assert clean("left\u202eright\u2066x\u2069\u200f") == "leftrightx"
    assert clean("line\r\nnext\rthird\tcol") == "line\nnext\nthird\tcol"
    assert clean(None) == "" and clean("café 🚓") == "café 🚓"


def test_checked_refuses_over_the_cap_with_what_to_fix() -> None:
    assert checked("  ok\x0b ", "progress_note") == "ok"
    with pytest.raises(TextTooLong, match="Too long: 2,001 characters. Please keep it to 2,000."):
        checked("x" * 2001, "progress_note")
    assert LIMITS["question"] == 500


def test_markdown_is_escaped_so_user_text_never_becomes_a_link_or_emphasis() -> None:
    assert escape_markdown("[Approve here](https://phish.example)") == r"\[Approve here\](https://phish.example)"
    assert escape_markdown("<https://x.example> **bold** _it_ `code`") == (
        r"\<https://x.example\> \*\*bold\*\* \_it\_ \`code\`"
    )
    assert escape_markdown("- item\n# head\n12. first") == "\\- item\n\\# head\n12\\. first"
    assert escape_markdown("Policy (v2) agreed - done.") == "Policy (v2) agreed - done."


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://intranet.example/doc", True),
        ("http://intranet.example/doc", False),
        ("javascript:alert(1)", False),
        ("https://evil\u202eexample", False),
        ("https://a b", False),
        ("https://", False),
        (None, False),
    ],
)
def test_only_clean_https_urls_are_links(url, ok) -> None:
    assert (safe_link(url) is not None) is ok


def test_date_window_is_ten_years() -> None:
    today = date(2026, 11, 26)
    assert date_window(today) == date(2036, 11, 26)
    assert date_window(date(2028, 2, 29)) == date(2038, 2, 28)
    assert outside_window(date(9999, 12, 31), earliest=date(2000, 1, 1), today=today)
    assert outside_window(date(1999, 12, 31), earliest=date(2000, 1, 1), today=today)
    assert not outside_window(date(2036, 11, 26), earliest=date(2000, 1, 1), today=today)
