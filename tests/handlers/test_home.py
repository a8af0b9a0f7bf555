"""The App Home and `/tourism status`: what each person sees, within Block Kit's limits."""

from datetime import date, timedelta

from sqlalchemy import event

from bot.applications import views as application_views
from bot.home.service import load_home
from bot.home.views import PROFILE_EDIT, home_view
from storage.models import Application, Opening, Person
from tests.conftest import NOW, ORGANISER, RunningBot
from tests.support.replies import command_reply
from tests.support.seed import seed_opening, seed_person, seed_team, seed_tour

LEAD, VISITOR = "U0LEAD", "U0VISITOR"
START = date(2027, 1, 4)


def open_home(bot: RunningBot, user_id: str) -> dict:
    bot.requests.event(
        {"type": "app_home_opened", "user": user_id, "channel": "D0X", "tab": "home"}
    )
    return bot.slack.wait_for("views.publish")[-1].params["view"]


def text_of(view: dict) -> str:
    return str(view["blocks"])


def seed_programme(uow, openings: int, applications: int) -> None:
    """A lead whose team has `openings` openings and `applications` waiting for them."""
    host = seed_team(uow, "Streaming", leads=(LEAD,))
    home = seed_team(uow, "Commissions")
    for number in range(openings):
        uow.session.add(
            Opening(
                workspace_id="T0TEST",
                host_team_id=host.id,
                title=f"Opening {number}",
                earliest_start=START,
                latest_end=START + timedelta(weeks=8),
                weeks=4,
                created_by=LEAD,
            )
        )
    people = [
        Person(workspace_id="T0TEST", user_id=f"U{number:06d}", home_team_id=home.id)
        for number in range(applications)
    ]
    uow.session.add_all(people)
    uow.session.flush()
    first_opening = uow.session.query(Opening).first()
    uow.session.add_all(
        Application(
            workspace_id="T0TEST",
            opening_id=first_opening.id,
            person_id=person.id,
            starts_on=START,
            ends_on=START + timedelta(days=27),
        )
        for person in people
    )
    uow.session.flush()


def test_a_newcomer_is_invited_to_set_up_a_profile(bot: RunningBot):
    view = open_home(bot, VISITOR)
    assert PROFILE_EDIT in text_of(view)
    assert "Set up my profile" in text_of(view)
    assert "Your teams" not in text_of(view)


def test_the_visitor_sees_profile_and_applications(bot: RunningBot):
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Web <Performance>", leads=(LEAD,))
        person = seed_person(
            uow,
            VISITOR,
            learning_goal="Make <!channel> listings fast",
            learn_topics=["web performance"],
        )
        opening = seed_opening(
            uow,
            host,
            "Mobile SPA",
            earliest_start=START,
            latest_end=START + timedelta(weeks=6),
            weeks=2,
        )
        uow.applications.create(
            workspace_id="T0TEST",
            opening_id=opening.id,
            person_id=person.id,
            starts_on=START,
            ends_on=START + timedelta(days=13),
        )
        uow.commit()
    view = open_home(bot, VISITOR)
    text = text_of(view)
    assert "Make &lt;!channel&gt; listings fast" in text
    assert (
        "Mobile SPA with Web &lt;Performance&gt;, Mon 4 Jan – Sun 17 Jan 2027: waiting for the "
        "host team lead" in text
    )
    assert "Edit my profile" in text


def test_a_lead_decides_in_place(bot: RunningBot):
    with bot.deps.uow() as uow:
        seed_programme(uow, openings=2, applications=1)
        uow.commit()
    view = open_home(bot, LEAD)
    text = text_of(view)
    assert "Opening 0 (Streaming): 1 of 1 seat left" in text
    assert "Waiting for your decision* (1)" in text
    assert application_views.HOST_ACCEPT in text and application_views.HOST_DECLINE in text


def test_organisers_see_the_programme_counted(bot: RunningBot):
    with bot.deps.uow() as uow:
        seed_programme(uow, openings=3, applications=2)
        uow.commit()
    text = text_of(open_home(bot, ORGANISER))
    assert "*3* open openings · *2* applications waiting for a decision · *0* visits booked" in text


def test_organisers_read_one_of_each_in_the_singular(bot: RunningBot):
    with bot.deps.uow() as uow:
        seed_programme(uow, openings=1, applications=1)
        uow.commit()
    text = text_of(open_home(bot, ORGANISER))
    assert "*1* open opening · *1* application waiting for a decision · *0* visits booked" in text


def test_a_visit_with_one_day_left_says_day(bot: RunningBot):
    today = NOW.date()
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Streaming", leads=(LEAD,))
        visitor = seed_person(uow, VISITOR)
        opening = seed_opening(
            uow, host, "Streams", earliest_start=today, latest_end=today + timedelta(weeks=4)
        )
        seed_tour(
            uow,
            visitor,
            opening,
            starts_on=today - timedelta(days=6),
            ends_on=today + timedelta(days=1),
            status="active",
        )
        uow.commit()
    assert "(1 day left)" in text_of(open_home(bot, VISITOR))


def test_home_stays_within_block_kit_limits_with_a_thousand_openings(bot: RunningBot):
    with bot.deps.uow() as uow:
        seed_programme(uow, openings=1000, applications=200)
        uow.commit()
    view = open_home(bot, LEAD)
    assert len(view["blocks"]) <= 100
    assert all(len(block.get("text", {}).get("text", "")) <= 3000 for block in view["blocks"])
    assert "…and 990 more" in text_of(view)
    assert "…and 190 more in your direct messages" in text_of(view)


def count_queries(uow_factory, user_id: str, is_organiser: bool) -> int:
    with uow_factory() as uow:
        statements = []
        event.listen(
            uow.session.get_bind(),
            "before_cursor_execute",
            lambda *args: statements.append(args[2]),
        )
        home_view(
            load_home(uow, "T0TEST", user_id, today=date(2026, 12, 1), is_organiser=is_organiser)
        )
        return len(statements)


def test_queries_per_render_do_not_grow_with_rows(uow_factory):
    with uow_factory() as uow:
        seed_programme(uow, openings=5, applications=3)
        uow.commit()
    few = count_queries(uow_factory, LEAD, True)
    with uow_factory() as uow:
        seed_programme_more = seed_team(uow, "Search", leads=(LEAD,))
        for number in range(300):
            seed_opening(
                uow,
                seed_programme_more,
                f"More {number}",
                earliest_start=START,
                latest_end=START + timedelta(weeks=8),
            )
        uow.commit()
    assert count_queries(uow_factory, LEAD, True) == few


def test_status_shows_my_part_ephemerally(bot: RunningBot):
    with bot.deps.uow() as uow:
        seed_person(uow, VISITOR, learning_goal="Learn Kafka")
        uow.commit()
    answer = command_reply(bot, "status", VISITOR)
    assert answer.get("response_type", "ephemeral") == "ephemeral"
    assert "Learn Kafka" in str(answer["blocks"])
    assert len(answer["blocks"]) <= 50


def test_a_visitor_sees_their_top_suggestions(bot: RunningBot):
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Streaming", leads=(LEAD,))
        seed_person(
            uow,
            VISITOR,
            learn_topics=["kafka"],
            available_from=date(2027, 1, 1),
            available_until=date(2027, 6, 30),
        )
        for title in ("Kafka <one>", "Kafka two", "Kafka three", "Kafka four"):
            seed_opening(
                uow,
                host,
                title,
                earliest_start=START,
                latest_end=START + timedelta(weeks=8),
                topics=["kafka"],
                work_mode="remote",
            )
        uow.commit()
    text = text_of(open_home(bot, VISITOR))
    assert "Suggested for you" in text
    assert text.count("'action_id': 'opening_apply'") == 3
    assert "Kafka &lt;one&gt;" in text or "Kafka two" in text
