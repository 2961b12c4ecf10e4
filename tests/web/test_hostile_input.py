"""No request a client can send gets a 500 from the tab's API: any query string, any reference, any
body. Hypothesis sends them; each answer is 200 or a 4xx with a JSON message saying what to fix."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.tab_server import TabServer

NAMES = (
    "group",
    "status",
    "risk",
    "source",
    "overdue",
    "due_from",
    "due_to",
    "audit",
    "owner",
    "q",
    "sort",
    "dir",
    "page",
    "page_size",
    "x",
)
ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def test_no_query_reference_or_body_gets_a_500(sqlite_url: str) -> None:
    with TabServer(sqlite_url) as tab:

        @FUZZ
        @given(st.lists(st.tuples(st.sampled_from(NAMES), ANY_TEXT), max_size=6))
        def grid(params: list[tuple[str, str]]) -> None:
            response = tab.get("/api/tab/grid", person="grace", params=params)
            assert response.status_code in (200, 400), response.text
            assert "error" in response.json() or "rows" in response.json()

        @FUZZ
        @given(ANY_TEXT.filter(lambda t: t not in ("", ".", "..")))
        def detail(ref: str) -> None:
            for route in ("actions", "items"):
                response = tab.http.get(
                    f"{tab.base}/api/tab/{route}/{ref.replace('/', '%2F').replace('?', '%3F').replace('#', '%23')}",
                    headers={"X-Tab-Person": str(tab.ids["colin"])},
                    timeout=30,
                )
                assert response.status_code in (200, 404), response.text

        @FUZZ
        @given(
            st.one_of(
                st.binary(max_size=200),
                st.recursive(
                    st.none() | st.booleans() | st.integers() | ANY_TEXT,
                    lambda c: (
                        st.lists(c, max_size=3)
                        | st.dictionaries(
                            st.sampled_from(
                                [
                                    "version",
                                    "title",
                                    "risk",
                                    "audit",
                                    "due_date",
                                    "revised_due_date",
                                    "owner_email",
                                    "x",
                                ]
                            ),
                            c,
                            max_size=4,
                        )
                    ),
                    max_leaves=8,
                ).map(lambda v: __import__("json").dumps(v).encode()),
            )
        )
        def edit(body: bytes) -> None:
            response = tab.http.patch(
                f"{tab.base}/api/tab/actions/DARA-2019-105",
                data=body,
                headers={"X-Tab-Person": str(tab.ids["grace"]), "Content-Type": "application/json"},
                timeout=30,
            )
            assert response.status_code < 500, response.text

        grid()
        detail()
        edit()
        for header in ("abc", "-1", "99999999", "1 OR 1=1", "٣"):  # an Arabic-Indic 3 is no person's id
            sent = header.encode("utf-8")
            assert tab.http.get(f"{tab.base}/api/tab/grid", headers={"X-Tab-Person": sent}).status_code == 401


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8,
)
FIELDS = ("accept", "reason", "items", "scope", "group", "days", "deadline", "message", "reminders", "include_hmicfrs")


def test_no_body_or_query_to_decisions_cycles_or_figures_gets_a_500(sqlite_url: str) -> None:
    """web/decisions.py, web/cycle.py, web/figures.py: any JSON (or none) posted, any query string."""
    with TabServer(sqlite_url) as tab:

        @FUZZ
        @given(
            person=st.sampled_from(("grace", "colin")),
            body=JSON | st.fixed_dictionaries({}, optional={name: JSON for name in FIELDS}),
            params=st.lists(st.tuples(st.sampled_from((*FIELDS, "cycle")), ANY_TEXT), max_size=5),
        )
        def routes(person: str, body: object, params: list[tuple[str, str]]) -> None:
            headers = {"X-Tab-Person": str(tab.ids[person])}
            for path in ("/api/tab/decisions", "/api/tab/nudge", "/api/tab/cycle/remind"):
                response = tab.http.post(tab.base + path, json=body, headers=headers, timeout=30)
                assert response.status_code < 500 and response.json(), (path, response.text)
            for path in ("/api/tab/cycle/preview", "/api/tab/figures", "/api/tab/cycle/progress"):
                response = tab.get(path, person=person, params=params)
                assert response.status_code < 500 and response.json(), (path, response.text)

        routes()
