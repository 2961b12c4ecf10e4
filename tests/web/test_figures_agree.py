"""The tab's figures equal the bot's (issue 21 "Done when"): for every role and every group they
may see, the grid's overdue count is the bot's overdue figure for that group, on the same tracker
and the same day, both backends."""

from __future__ import annotations

from sqlalchemy import select

from domain.answers import Answer
from domain.question import Intent, Question
from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, Person
from store.people.viewers import viewer_for
from store.queries import answer_question
from tests.conftest import TODAY
from tests.web.tab_server import TabServer


def test_the_grids_overdue_count_is_the_bots_overdue_figure(database_url: str) -> None:
    with TabServer(database_url) as tab:
        engine = make_engine(database_url)
        with make_sessionmaker(engine).begin() as session:  # late actions the figures leave out: low risk
            late = session.scalars(
                select(Action).where(Action.status == "open", Action.due_date < TODAY).order_by(Action.ref).limit(6)
            ).all()
            assert len(late) == 6
            for action in late:
                action.risk = "low"
        compared = 0
        with make_sessionmaker(engine)() as session:
            for key in ("grace", "colin", "sam"):
                viewer = viewer_for(session, session.scalar(select(Person).where(Person.id == tab.ids[key])), TODAY)
                for group in tab.get("/api/tab/choices", person=key).json()["groups"]:
                    answer = answer_question(
                        session, viewer, Question(intent=Intent.OVERDUE, text="overdue", groups=(group,)), TODAY
                    )
                    assert isinstance(answer, Answer)
                    grid = tab.get("/api/tab/grid", person=key, params={"group": group, "overdue": "1"}).json()
                    assert grid["total"] == answer.figures.overdue, f"{key}, {group}"
                    compared += answer.figures.overdue
        engine.dispose()
    assert compared > 20, "the demo tracker has overdue actions to compare"
