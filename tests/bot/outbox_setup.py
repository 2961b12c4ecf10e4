"""Recipients with stored conversation references and one queued request each, inserted in bulk
(for the sender tests, the kill test and bench/bench_broadcast.py)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from store.db.engine import make_engine, make_sessionmaker
from store.db.migrate import upgrade
from store.db.models import ConversationRef, OutboxMessage, Person
from store.db.setup import ensure_default_lists

__all__ = ["seed_outbox", "conversation_id", "outbox_statuses", "utc_now", "request_payload", "migrated_template"]


def migrated_template(folder: Path) -> Path:
    """A migrated SQLite database with the default lists, to copy for each test."""
    path = folder / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
        with make_sessionmaker(engine).begin() as session:
            ensure_default_lists(session)
    finally:
        engine.dispose()
    return path


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def conversation_id(prefix: str, i: int) -> str:
    return f"a:{prefix}-{i}"


def request_payload(name: str, deadline: date, refs: int = 1) -> dict[str, Any]:
    return {
        "cycle_id": None,
        "deadline": deadline.isoformat(),
        "message": None,
        "owner": name,
        "items": [
            {
                "kind": "action",
                "ref": f"ACT-{n}",
                "title": "Deliver the improvement plan",
                "source": "Key Financial Systems – Expenses",
                "group": "Met Operations",
                "due": deadline.isoformat(),
                "effective_due": deadline.isoformat(),
                "status": "in progress",
                "overdue_days": 0,
            }
            for n in range(refs)
        ],
    }


def seed_outbox(
    session: Session, n: int, service_url: str, now: datetime, *, prefix: str = "p", installed: bool = True
) -> list[str]:
    """n people, each with a personal conversation at `service_url` (unless not installed) and one
    queued request. Returns the conversation ids, in order. The caller commits."""
    people = [{"email": f"{prefix}{i}@example.test", "name": f"Owner {prefix}{i}"} for i in range(n)]
    ids: list[int] = []
    for chunk in range(0, n, 1000):
        ids += session.scalars(
            insert(Person).returning(Person.id, sort_by_parameter_order=True), people[chunk : chunk + 1000]
        ).all()
    cids = [conversation_id(prefix, i) for i in range(n)]
    if installed:
        refs = [
            {
                "person_id": ids[i],
                "user_id": f"29:{prefix}{i}",
                "conversation_id": cids[i],
                "conversation_type": "personal",
                "service_url": service_url,
                "tenant_id": "tenant-1",
                "updated_at": now,
                "reference": {
                    "serviceUrl": service_url,
                    "channelId": "msteams",
                    "user": {"id": f"29:{prefix}{i}"},
                    "bot": {"id": "28:bot", "name": "Tracker"},
                    "conversation": {"id": cids[i], "conversationType": "personal", "tenantId": "tenant-1"},
                },
            }
            for i in range(n)
        ]
        for chunk in range(0, n, 1000):
            session.execute(insert(ConversationRef), refs[chunk : chunk + 1000])
    deadline = (now + timedelta(days=14)).date()
    rows = [
        {
            "kind": "request",
            "person_id": ids[i],
            "dedupe_key": f"test:{prefix}:{i}",
            "status": "queued",
            "payload": request_payload(f"Owner {prefix}{i}", deadline),
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for i in range(n)
    ]
    for chunk in range(0, n, 1000):
        session.execute(insert(OutboxMessage), rows[chunk : chunk + 1000])
    return cids


def outbox_statuses(session: Session) -> Counter[str]:
    return Counter(
        dict(session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    )
