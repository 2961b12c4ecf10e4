"""store/queries/grid.py: every sort, both directions, paged through the whole demo tracker, gives each
action and item once, in the order the sort names (key, missing keys last, then ref, then kind); and a
chief officer's pages hold only their groups. The page is chosen on the sort keys alone and its rows
read afterwards (bench/bench_tab_api.py), so the order and the rows must still agree."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from store.db.models import Person
from store.demo.builder import load_demo
from store.people.viewers import viewer_for
from store.queries.grid import MAX_PAGE_SIZE, SORT_KEYS, GridQuery, GridRow, grid_page

RISK_RANK = {"high": 0, "medium": 1, "low": 2}


def _key(row: GridRow, sort: str) -> Any:
    if sort == "risk":
        return RISK_RANK.get(row.risk or "", 3)
    return {
        "due": row.due,
        "ref": row.ref,
        "title": row.title or None,
        "group": row.group,
        "owner": row.owner,
        "status": row.status,
        "source": row.source,
    }[sort]


def _all_pages(session, viewer, query: GridQuery, today: date) -> tuple[list[GridRow], int]:
    rows: list[GridRow] = []
    page = 0
    while True:
        found = grid_page(session, viewer, GridQuery(**{**query.__dict__, "page": page}), today=today)
        rows += found.rows
        if len(found.rows) < found.page_size:
            return rows, found.total
        page += 1


def _in_order(rows: list[GridRow], sort: str, descending: bool) -> None:
    for a, b in zip(rows, rows[1:]):
        ka, kb = _key(a, sort), _key(b, sort)
        if ka is None or kb is None:
            assert kb is None, f"a row without a {sort} comes before one with it: {a.ref}, {b.ref}"
            if ka is not None:
                continue
        elif ka != kb:
            assert (ka > kb) if descending else (ka < kb), f"{sort}: {a.ref} ({ka!r}) before {b.ref} ({kb!r})"
            continue
        assert (a.ref, a.kind) < (b.ref, b.kind), f"ties by ref then kind: {a.ref}, {b.ref}"


@pytest.fixture
def demo(session, today, now):
    load_demo(session, today, now)
    session.commit()


def _viewer(session, role: str, today: date):
    people = session.scalars(select(Person).order_by(Person.id)).all()
    for person in people:
        viewer = viewer_for(session, person, today)
        if (role == "governance" and viewer.is_governance) or (
            role == "chief" and viewer.led_groups and not viewer.is_governance
        ):
            return viewer
    raise AssertionError(f"no {role} in the demo tracker")


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", SORT_KEYS)
def test_every_sort_pages_through_the_whole_tracker_in_order(session, demo, today, sort, descending) -> None:
    viewer = _viewer(session, "governance", today)
    query = GridQuery(sort=sort, descending=descending, page_size=MAX_PAGE_SIZE)
    rows, total = _all_pages(session, viewer, query, today)
    assert len(rows) == total > MAX_PAGE_SIZE
    assert len({(r.kind, r.ref) for r in rows}) == total
    assert {r.kind for r in rows} == {"action", "inspection"}
    _in_order(rows, sort, descending)


@pytest.mark.parametrize("sort", ["owner", "group", "title"])
def test_a_chief_officers_filtered_pages_are_their_groups_only(session, demo, today, sort) -> None:
    viewer = _viewer(session, "chief", today)
    query = GridQuery(sort=sort, statuses=("open", "in progress"), text="a", page_size=7)
    rows, total = _all_pages(session, viewer, query, today)
    assert rows and len(rows) == total
    assert {r.group for r in rows} <= set(viewer.led_groups)
    assert {r.status for r in rows} <= {"open", "in progress"}
    _in_order(rows, sort, False)
