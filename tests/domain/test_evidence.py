"""Evidence links: several in the one box, stored one per line, https only (what is wrong is a problem
code and its facts; cards/update_wording.py words it, tests/cards/test_update_problem_words.py)."""

from __future__ import annotations

from domain.evidence import MAX_LINKS, join_links, link_problem, normalise_links, split_links
from domain.update_problems import NOT_HTTPS, TOO_MANY_LINKS, UpdateProblem


def test_links_are_split_on_any_spacing_without_trailing_punctuation_or_repeats() -> None:
    typed = "https://a.test/1, https://b.test/2;\nhttps://a.test/1.\thttps://c.test/3"
    assert split_links(typed) == ["https://a.test/1", "https://b.test/2", "https://c.test/3"]
    assert split_links(None) == [] and split_links("  ") == []


def test_links_are_stored_one_per_line_and_nothing_is_none() -> None:
    assert normalise_links("  https://a.test   https://b.test ") == "https://a.test\nhttps://b.test"
    assert normalise_links("") is None and join_links([]) is None


def test_only_https_links_with_a_host_pass() -> None:
    assert link_problem(None) is None and link_problem("https://a.test/x https://b.test") is None
    assert link_problem("https://a.test http://plain.test") == UpdateProblem(
        NOT_HTTPS, link="http://plain.test", count=0
    )
    assert link_problem("http://a.test ftp://b") == UpdateProblem(NOT_HTTPS, link="http://a.test", count=1)
    assert link_problem("https:///no-host") is not None
    assert link_problem("javascript:alert(1)") is not None


def test_a_long_bad_link_is_given_whole_for_the_card_to_shorten() -> None:
    assert link_problem("http://" + "x" * 80) == UpdateProblem(NOT_HTTPS, link="http://" + "x" * 80, count=0)


def test_at_most_ten_links() -> None:
    links = " ".join(f"https://a.test/{i}" for i in range(MAX_LINKS + 1))
    assert link_problem(links) == UpdateProblem(TOO_MANY_LINKS, count=11, limit=10)
    assert link_problem(" ".join(f"https://a.test/{i}" for i in range(MAX_LINKS))) is None
