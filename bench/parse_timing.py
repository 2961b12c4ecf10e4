"""Parsing alone (issue 22: pure, under 1 ms p95 per question), over every phrasing the tests hold.

The vocabulary is force-sized: the five groups, 2,000 people (some sharing first names), 600 audit
titles and 40 key themes, since fuzzy name matching grows with it. Each phrasing is parsed
``repeat`` times with a fresh parse (the bot's per-vocabulary cache of parsed questions is not used).
"""

from __future__ import annotations

import os
import platform
import random
import time
from datetime import date

from domain.words import DEFAULT_BUSINESS_GROUPS
from questions import Vocabulary, parse

__all__ = ["phrasings", "time_parsing", "vocabulary"]

_FIRST = (
    "Olivia Colin Priya Grace Sam Laura Oscar Amelia Jack Hannah Mohammed Aisha Tom Ruth Dev Ewan Fatima Kai".split()
)
_LAST = (
    "Owen Chambers Patel Gordon Turner Lee Ode Ash Khan Evans Hughes Price Reid Shah Walsh Young Murphy Clarke".split()
)
_SUBJECTS = (
    "Custody Vetting Payroll Expenses Fleet Estates Firearms Training Procurement Cyber Records Property".split()
)


def vocabulary(seed: int = 22) -> Vocabulary:
    rng = random.Random(seed)
    people = sorted({f"{rng.choice(_FIRST)} {rng.choice(_LAST)}-{i}" for i in range(2000)})
    audits = sorted({f"{rng.choice(_SUBJECTS)} {rng.choice(('Review', 'Audit', 'Follow-up'))} {i}" for i in range(600)})
    themes = tuple(f"Theme {i} {rng.choice(_SUBJECTS)}" for i in range(40))
    return Vocabulary(groups=DEFAULT_BUSINESS_GROUPS, people=tuple(people), audits=tuple(audits), key_themes=themes)


def phrasings() -> list[str]:
    """Every phrasing of the question tests (the 300 of earlier issues and issue 22's)."""
    from tests.questions import question_examples, question_examples_more, test_issue22

    texts = [text for text, _, _ in question_examples.EXAMPLES + question_examples_more.EXAMPLES]
    for name in dir(test_issue22):
        rows = getattr(test_issue22, name)
        if name.isupper() and isinstance(rows, list) and rows and isinstance(rows[0], tuple):
            texts += [text for text, _ in rows]
    return list(dict.fromkeys(texts))


def _percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


def time_parsing(repeat: int = 20, today: date = date(2026, 11, 26)) -> str:
    """The section of bench/RESULTS.md: p50/p95/p99/max per parse over every phrasing."""
    words = vocabulary()
    texts = phrasings()
    for text in texts:  # warm up: compiled patterns, rapidfuzz
        parse(text, words, today)
    samples: list[float] = []
    per_text: dict[str, list[float]] = {}
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            parse(text, words, today)
            elapsed = (time.perf_counter() - start) * 1000
            samples.append(elapsed)
            per_text.setdefault(text, []).append(elapsed)
    slowest = sorted(per_text.items(), key=lambda kv: -min(kv[1]))[:3]
    best = [min(times) for times in per_text.values()]  # the parse's own cost, without the busy machine's stalls
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"#### Parsing alone: {len(texts)} phrasings x {repeat} runs, force-sized vocabulary "
        f"({len(words.people)} people, {len(words.audits)} audits, {len(words.key_themes)} key themes)",
        "",
        f"Python {platform.python_version()} on {platform.machine()} ({os.cpu_count()} CPUs), "
        f"{time.strftime('%Y-%m-%d %H:%M')}, load average {load:.1f} while measuring.",
        "",
        "| per parse, ms | p50 | p95 | p99 | max |",
        "|---|---|---|---|---|",
        f"| every run | {_percentile(samples, 50):.3f} | {_percentile(samples, 95):.3f} | "
        f"{_percentile(samples, 99):.3f} | {max(samples):.3f} |",
        f"| best of the {repeat} runs of each phrasing | {_percentile(best, 50):.3f} | {_percentile(best, 95):.3f} | "
        f"{_percentile(best, 99):.3f} | {max(best):.3f} |",
        "",
        "Slowest phrasings (best run, ms): " + "; ".join(f"“{text}” {min(times):.3f}" for text, times in slowest),
    ]
    return "\n".join(lines)
