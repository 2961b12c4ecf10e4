"""`t`: the owner-update tracker (tests/store/owner_tracker.py), built in the test's session.

A module that needs another tracker defines its own `t` (tests/store/updates/test_decisions.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.store.owner_tracker import OwnerTracker, build


@pytest.fixture
def t(session: Session, today: date) -> OwnerTracker:
    return build(session, today)
