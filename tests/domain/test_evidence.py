"""Evidence links: several in the one box, stored one per line, https only."""

from __future__ import annotations

from domain.evidence import MAX_LINKS, join_links, link_problem, normalise_links, split_links


def test_links_are_split_on_any_spacing_without_trailing_punctuation_or_repeats() -> None:
    typed = "https://a.test/1, https://b.test/2;\nhttps://a.test/1.\thttps://c.test/3"
    assert split_links(typed) == ["https://a.test/1", "https://b.test/2", "https://c.test/3"]
    assert split_links(None) == [] and split_links("  ") == []


def test_links_are_stored_one_per_line_and_nothing_is_none() -> None:
    assert normalise_links("  https://a.test   https://b.test ") == "https://a.test\nhttps://b.test"
    assert normalise_links("") is None and join_links([]) is None


def test_only_https_links_with_a_host_pass() -> None:
    assert link_problem(None) is None and link_problem("https://a.test/x https://b.test") is None
    one = link_problem("https://a.test http://plain.test")
    assert one == (
        "Evidence links must start with https:// — ‘http://plain.test’ is not an https link. "
        "Put one link per line, or describe the evidence in the note."
    )
    assert "‘http://a.test’ and 1 more are not https links" in (link_problem("http://a.test ftp://b") or "")
    assert link_problem("https:///no-host") is not None
    assert link_problem("javascript:alert(1)") is not None


def test_a_long_bad_link_is_quoted_short() -> None:
    problem = link_problem("http://" + "x" * 80) or ""
    assert "‘http://" + "x" * 52 + "…’" in problem


def test_at_most_ten_links() -> None:
    links = " ".join(f"https://a.test/{i}" for i in range(MAX_LINKS + 1))
    assert link_problem(links) == ("Up to 10 links, please (11 given): put the rest in one shared folder or page.")
    assert link_problem(" ".join(f"https://a.test/{i}" for i in range(MAX_LINKS))) is None
