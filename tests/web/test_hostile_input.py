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
