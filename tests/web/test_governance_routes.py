"""Issue 21 point 6 for the upload, export and pack routes: each checks the role on the server. For
every route and every role but governance, Hypothesis sends any date, any preview token and any body,
and the answer is 403 (401 with no one signed in), with nothing stored and no file served."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, HistoryEntry
from tests.web.tab_server import TabServer

EXAMPLES = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
ROUTES = (
    ("POST", "/api/tab/import/preview"),
    ("POST", "/api/tab/import/apply"),
    ("GET", "/api/tab/export"),
    ("GET", "/api/tab/pack"),
    ("GET", "/api/tab/pack.xlsx"),
    ("GET", "/api/tab/pack.html"),
)


def _stored(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        counts = (s.scalar(select(func.count(HistoryEntry.id))) or 0, s.scalar(select(func.count(Action.id))) or 0)
    engine.dispose()
    return counts


def test_only_governance_reaches_the_upload_export_and_pack_routes(sqlite_url: str) -> None:
    with TabServer(sqlite_url) as tab:
        before = _stored(sqlite_url)
        people = [None, tab.ids["colin"], tab.ids["sam"], tab.ids["olivia"]]

        @EXAMPLES
        @given(
            route=st.sampled_from(ROUTES),
            person=st.sampled_from(people),
            as_at=st.one_of(st.dates().map(str), st.text(max_size=12)),
            token=st.text(alphabet="0123456789abcdef.", max_size=140),
            body=st.binary(max_size=2048),
        )
        def refused(route: tuple[str, str], person: int | None, as_at: str, token: str, body: bytes) -> None:
            method, path = route
            headers = {} if person is None else {"X-Tab-Person": str(person)}
            if method == "GET":
                response = tab.http.get(tab.base + path, headers=headers, params={"as_at": as_at}, timeout=30)
            else:
                files = {"file": ("w.xlsx", body)}
                response = tab.http.post(
                    tab.base + path, headers=headers, files=files, data={"preview": token}, timeout=30
                )
            assert response.status_code == (401 if person is None else 403), (route, person, response.text)
            assert response.headers["Content-Type"].startswith("application/json")

        refused()
        assert _stored(sqlite_url) == before
