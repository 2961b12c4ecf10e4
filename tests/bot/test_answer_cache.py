"""AnswerCache: a card per key for the newest tracker version seen, bounded, never moving backwards."""

from __future__ import annotations

import pytest

from bot.answer_cache import AnswerCache
from cli import main
from config import Settings


class Builder:
    def __init__(self) -> None:
        self.built: list[str] = []

    def __call__(self, name: str):
        async def build() -> dict:
            self.built.append(name)
            return {"card": name, "n": len(self.built)}

        return build


async def test_a_card_is_built_once_per_key_and_version() -> None:
    cache, build = AnswerCache(4), Builder()
    first = await cache.card(7, "q", build("q"))
    assert await cache.card(7, "q", build("q")) is first
    assert build.built == ["q"] and (cache.hits, cache.misses) == (1, 1)
    newer = await cache.card(8, "q", build("q"))  # the tracker changed: built again
    assert newer != first and build.built == ["q", "q"]


async def test_a_turn_that_read_an_older_version_neither_gets_nor_evicts_newer_cards() -> None:
    cache, build = AnswerCache(4), Builder()
    current = await cache.card(8, "q", build("q"))
    late = await cache.card(7, "q", build("q"))  # read the version before a change another turn saw
    assert late is not current and late["n"] == 2
    assert await cache.card(8, "q", build("q")) is current  # still there


async def test_the_least_recently_used_card_goes_first_and_size_0_keeps_none() -> None:
    cache, build = AnswerCache(2), Builder()
    a = await cache.card(1, "a", build("a"))
    await cache.card(1, "b", build("b"))
    assert await cache.card(1, "a", build("a")) is a  # a is now the most recent
    await cache.card(1, "c", build("c"))  # b goes
    await cache.card(1, "b", build("b"))
    assert build.built == ["a", "b", "c", "b"]

    off, build = AnswerCache(0), Builder()
    await off.card(1, "a", build("a"))
    await off.card(1, "a", build("a"))
    assert build.built == ["a", "a"] and off.hits == 0


def test_answer_cache_size_is_read_from_the_environment_and_a_wrong_value_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert Settings.from_env({}).answer_cache_size == 512
    assert Settings.from_env({"ANSWER_CACHE_SIZE": " 0 "}).answer_cache_size == 0
    assert Settings.from_env({"ANSWER_CACHE_SIZE": "2000"}).answer_cache_size == 2000
    for wrong in ("lots", "-1", "1.5"):
        with pytest.raises(ValueError, match="ANSWER_CACHE_SIZE must be a whole number"):
            Settings.from_env({"ANSWER_CACHE_SIZE": wrong})
    monkeypatch.setenv("ANSWER_CACHE_SIZE", "lots")  # the command line says so and stops, no traceback
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ANSWER_CACHE_SIZE must be a whole number") and "Traceback" not in err
