"""Every metric the tracker exposes, defined once (Prometheus text format at GET /metrics).

The counters live in prometheus_client's default registry, one per process. Hooks elsewhere stay
one line: `TURNS.labels(...).inc()`, `with report_build("teams"):`, `instrument_sql(engine)`.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Any, Iterator, Mapping

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import Engine, event

__all__ = [
    "TURNS",
    "TURN_SECONDS",
    "SQL_SECONDS",
    "OUTBOX_MESSAGES",
    "SENDS",
    "SCHEDULED_JOBS",
    "REPORT_BUILDS",
    "REPORT_SECONDS",
    "CONTENT_TYPE",
    "render",
    "set_outbox_depth",
    "send_outcome",
    "report_build",
    "scheduled_job",
    "instrument_sql",
]

CONTENT_TYPE = CONTENT_TYPE_LATEST

TURNS = Counter("tracker_turns", "Activities the bot handled", ["kind", "outcome"])
TURN_SECONDS = Histogram(
    "tracker_turn_duration_seconds",
    "Time to handle one activity",
    ["kind"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
)
SQL_SECONDS = Histogram(
    "tracker_sql_duration_seconds",
    "Time in the database per statement",
    ["statement"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5),
)
OUTBOX_MESSAGES = Gauge("tracker_outbox_messages", "Outbox rows by status (read at each scrape)", ["status"])
SENDS = Counter("tracker_sends", "Proactive sends by outcome (throttled = HTTP 429 from Teams)", ["outcome"])
SCHEDULED_JOBS = Counter("tracker_scheduled_jobs", "Background jobs run on a timer", ["job", "outcome"])
REPORT_BUILDS = Counter("tracker_report_builds", "Audit Panel packs built", ["channel", "outcome"])
REPORT_SECONDS = Histogram(
    "tracker_report_build_duration_seconds",
    "Time to build one pack",
    ["channel"],
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 120),
)

SEND_OUTCOMES = ("sent", "retry", "throttled", "failed", "not_installed")
for _outcome in SEND_OUTCOMES:  # every series visible from the start, at 0
    SENDS.labels(outcome=_outcome)


def render() -> bytes:
    return generate_latest(REGISTRY)


def set_outbox_depth(counts: Mapping[str, int]) -> None:
    for status, n in counts.items():
        OUTBOX_MESSAGES.labels(status=status).set(n)


def send_outcome(outcome: str, http_status: int | None) -> str:
    """The sender's verdict as a metric label: a retry after 429 is `throttled`."""
    return "throttled" if outcome == "retry" and http_status == 429 else outcome


@contextmanager
def report_build(channel: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        REPORT_BUILDS.labels(channel=channel, outcome="error").inc()
        raise
    REPORT_SECONDS.labels(channel=channel).observe(time.perf_counter() - started)
    REPORT_BUILDS.labels(channel=channel, outcome="ok").inc()


@contextmanager
def scheduled_job(job: str) -> Iterator[None]:
    """Count one run of a timed background job (housekeeping today; the cycle scheduler later)."""
    try:
        yield
    except BaseException:
        SCHEDULED_JOBS.labels(job=job, outcome="error").inc()
        raise
    SCHEDULED_JOBS.labels(job=job, outcome="ok").inc()


_STATEMENTS = ("select", "insert", "update", "delete")


def _statement_kind(statement: str) -> str:
    head = statement.lstrip()[:6].lower()
    return head if head in _STATEMENTS else "other"


def _before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
    conn.info.setdefault("tracker_query_started", []).append(time.perf_counter())


def _after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
    started = conn.info.get("tracker_query_started")
    if started:
        SQL_SECONDS.labels(statement=_statement_kind(statement)).observe(time.perf_counter() - started.pop())


def _failed(context: Any) -> None:
    started = context.connection.info.get("tracker_query_started") if context.connection is not None else None
    if started:
        started.pop()


def instrument_sql(engine: Engine) -> None:
    """Time every statement of this (sync, or an async engine's sync_engine) engine; idempotent."""
    if event.contains(engine, "before_cursor_execute", _before):
        return
    event.listen(engine, "before_cursor_execute", _before)
    event.listen(engine, "after_cursor_execute", _after)
    event.listen(engine, "handle_error", _failed)
