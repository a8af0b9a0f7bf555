"""Changing a visit's dates through signed HTTP: the card re-opens for the visitor and both leads,
the buddy's confirmation stands, and a booked visit keeps its one tour, which moves."""

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from bot.applications import views
from infra.fake_slack.requests import date as date_value
from infra.fake_slack.requests import plain
from storage.models import Application, CardConfirmation, Opening, Tour
from tests.conftest import NOW, RunningBot
from tests.handlers.test_applications import button_value, dms_to, messages_titled
from tests.support.seed import seed_opening, seed_person, seed_team

VISITOR, HOST_LEAD, HOME_LEAD, BUDDY = "U0VISITOR", "U0HOSTLEAD", "U0HOMELEAD", "U0BUDDY"
START = date(2027, 1, 4)  # a Monday
NEW_START = START + timedelta(weeks=2)
CARD = "Please confirm the visit card"
REOPENED = "The visit's dates changed: please confirm again"
BOOKED = "The visit is booked"
TITLE = "Streams <!channel> & <@U123>"


@pytest.fixture
def application_id(bot: RunningBot) -> str:
    """A visit both teams agreed to (the home lead through the real modal), its card out to the
    four people."""
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Streaming", leads=(HOST_LEAD,))
        home = seed_team(uow, "Commissions", leads=(HOME_LEAD,))
        person = seed_person(uow, VISITOR, home_team_id=home.id)
        opening = seed_opening(
            uow,
            host,
            TITLE,
            earliest_start=START,
            latest_end=START + timedelta(weeks=12),
            weeks=4,
            buddy_user_id=BUDDY,
        )
        application = uow.applications.create(
            workspace_id="T0TEST",
            opening_id=opening.id,
            person_id=person.id,
            status="host_accepted",
            starts_on=START,
            ends_on=START + timedelta(days=25),
        )
        uow.commit()
    carried_out(
        bot,
        lambda: bot.requests.view_submission(
            user_id=HOME_LEAD,
            callback_id=views.HOME_AGREE_MODAL,
            private_metadata=str(application.id),
            values={"covering": {"covering": plain("Ola")}},
        ),
    )
    messages_titled(bot, CARD, 4)
    return str(application.id)


def carried_out(bot: RunningBot, step: Callable[[], object]) -> None:
    """Runs a step that tells the four people, and waits for its last act: their Homes."""
    before = len(bot.slack.calls("views.publish"))
    step()
    bot.slack.wait_for("views.publish", count=before + 4)


def confirm(bot: RunningBot, user_id: str, application_id: str) -> None:
    bot.requests.block_action(
        user_id=user_id, action_id=views.CARD_CONFIRM, value=application_id, channel_id="D0X"
    )


def book(bot: RunningBot, application_id: str) -> None:
    def everyone_confirms() -> None:
        for person in (VISITOR, BUDDY, HOST_LEAD, HOME_LEAD):
            confirm(bot, person, application_id)

    carried_out(bot, everyone_confirms)
    messages_titled(bot, BOOKED, 4)


def open_date_change(bot: RunningBot, user_id: str, application_id: str) -> dict:
    before = len(bot.slack.calls("views.open"))
    bot.requests.block_action(user_id=user_id, action_id=views.CHANGE_DATES, value=application_id)
    return bot.slack.wait_for("views.open", count=before + 1)[-1].params["view"]


def submit_start(bot: RunningBot, user_id: str, application_id: str, start: date):
    return bot.requests.view_submission(
        user_id=user_id,
        callback_id=views.DATE_CHANGE_MODAL,
        private_metadata=application_id,
        values={"starts_on": {"starts_on": date_value(start)}},
    )


def ephemeral_answers(bot: RunningBot) -> list[str]:
    return [call.params["text"] for call in bot.slack.calls("response_url")]


def confirmed_roles(bot: RunningBot, application_id: str) -> set[str]:
    with bot.deps.uow() as uow:
        query = uow.session.query(CardConfirmation.role).filter_by(
            application_id=int(application_id)
        )
        return {role for (role,) in query}


def test_changing_a_booked_visit_reopens_the_card_and_keeps_one_tour(
    bot: RunningBot, application_id
):
    book(bot, application_id)
    summary = dms_to(bot, VISITOR)[-1]
    assert button_value(summary, views.CHANGE_DATES) == application_id

    modal = open_date_change(bot, HOST_LEAD, application_id)
    assert modal["callback_id"] == views.DATE_CHANGE_MODAL
    assert modal["blocks"][1]["element"]["initial_date"] == START.isoformat()
    assert "Streams &lt;!channel&gt; &amp; &lt;@U123&gt;" in modal["blocks"][0]["text"]["text"]
    carried_out(bot, lambda: submit_start(bot, HOST_LEAD, application_id, NEW_START).body == b"")

    reopened = messages_titled(bot, REOPENED, 3)
    assert sorted(m["channel"] for m in reopened) == sorted([VISITOR, HOST_LEAD, HOME_LEAD])
    text = str(reopened[0]["blocks"])
    assert "The dates changed from Mon 4 Jan – Fri 29 Jan 2027 to Mon 18 Jan" in text
    assert "Streams &lt;!channel&gt; &amp; &lt;@U123&gt;" in text
    assert confirmed_roles(bot, application_id) == {"buddy"}
    with bot.deps.uow() as uow:
        tour = uow.session.query(Tour).one()
        assert (tour.starts_on, tour.ends_on) == (NEW_START, NEW_START + timedelta(days=25))
        application = uow.session.get(Application, int(application_id))
        assert (application.starts_on, application.status) == (NEW_START, "confirmed")
        kickoffs = [m for m in uow.outbox.of_tour("T0TEST", tour.id) if m.kind == "kickoff"]
        assert kickoffs and {m.due_at.date() for m in kickoffs} == {NEW_START}
        assert "application_dates_changed" in uow.audit.actions("T0TEST")

    # The old cards (settled once when the visit was booked) now say the dates changed.
    updates = bot.slack.calls("chat.update")
    assert len(updates) == 8
    assert all(
        "changed the dates from Mon 4 Jan – Fri 29 Jan 2027" in str(u.params["blocks"])
        for u in updates[4:]
    )

    def the_three_confirm() -> None:
        for person in (VISITOR, HOST_LEAD, HOME_LEAD):
            confirm(bot, person, application_id)

    carried_out(bot, the_three_confirm)
    booked_again = messages_titled(bot, BOOKED, 8)[4:]
    assert sorted(m["channel"] for m in booked_again) == sorted(
        [VISITOR, HOST_LEAD, HOME_LEAD, BUDDY]
    )
    assert "Mon 18 Jan – Fri 12 Feb 2027" in str(booked_again[0]["blocks"])
    with bot.deps.uow() as uow:
        assert uow.session.query(Tour).count() == 1
        opening = uow.session.query(Opening).one()
        assert opening.seats_taken == 1
        assert uow.audit.actions("T0TEST").count("visit_card_reconfirmed") == 1
        assert uow.audit.actions("T0TEST").count("tour_created") == 1
    # Every card, the original four and the three re-opened, is settled without its buttons.
    assert len(bot.slack.calls("chat.update")) == 8 + 7


def test_new_dates_before_booking_book_the_visit_on_them(bot: RunningBot, application_id):
    confirm(bot, BUDDY, application_id)
    confirm(bot, HOST_LEAD, application_id)
    bot.slack.wait_for("response_url", count=2)
    open_date_change(bot, VISITOR, application_id)
    assert submit_start(bot, VISITOR, application_id, NEW_START).body == b""
    messages_titled(bot, REOPENED, 3)
    assert confirmed_roles(bot, application_id) == {"buddy"}
    for person in (VISITOR, HOST_LEAD, HOME_LEAD):
        confirm(bot, person, application_id)
    messages_titled(bot, BOOKED, 4)
    with bot.deps.uow() as uow:
        tour = uow.session.query(Tour).one()
        assert tour.starts_on == NEW_START


def test_each_wrong_first_day_keeps_the_modal_open(bot: RunningBot, application_id):
    today = NOW.date()
    cases = {
        START + timedelta(weeks=10): "must fit between",
        today: "Pick a day after today.",
        START: "That is the first day already: pick another.",
    }
    for start, message in cases.items():
        response = submit_start(bot, VISITOR, application_id, start)
        assert response.json()["response_action"] == "errors"
        assert message in response.json()["errors"]["starts_on"]
    with bot.deps.uow() as uow:
        assert uow.session.get(Application, int(application_id)).starts_on == START


def test_the_buddy_may_not_change_the_dates(bot: RunningBot, application_id):
    bot.requests.block_action(
        user_id=BUDDY, action_id=views.CHANGE_DATES, value=application_id, channel_id="D0X"
    )
    [answer] = bot.slack.wait_for("response_url")
    assert answer.params["text"] == (
        "Only the visitor, the two team leads or an organiser can change the dates."
    )
    assert bot.slack.calls("views.open") == []
    response = submit_start(bot, BUDDY, application_id, NEW_START)
    assert "Only the visitor" in str(response.json()["view"])
    with bot.deps.uow() as uow:
        assert uow.session.get(Application, int(application_id)).starts_on == START


def test_a_visit_under_way_keeps_its_dates(bot: RunningBot, application_id):
    book(bot, application_id)
    bot.clock.move_to(datetime(2027, 1, 5, 9, tzinfo=NOW.tzinfo))
    bot.requests.block_action(
        user_id=VISITOR, action_id=views.CHANGE_DATES, value=application_id, channel_id="D0X"
    )
    answers = bot.slack.wait_for("response_url", count=4)
    assert "ask for more time with `/tourism extend`" in answers[-1].params["text"]


def test_confirming_the_same_card_twice_is_recorded_once(bot: RunningBot, application_id):
    book(bot, application_id)
    submit_start(bot, VISITOR, application_id, NEW_START)
    messages_titled(bot, REOPENED, 3)
    confirm(bot, VISITOR, application_id)
    confirm(bot, VISITOR, application_id)
    answers = bot.slack.wait_for("response_url", count=5)
    assert "You have already confirmed this visit card." in [a.params["text"] for a in answers]
    assert confirmed_roles(bot, application_id) == {"buddy", "visitor"}


def test_opening_the_date_change_modal_reads_beside_a_writer(bot: RunningBot, application_id):
    """Looking before a modal opens only reads: on SQLite, while another request holds the write
    lock, the modal still opens (a writing transaction would wait for the lock's 30 s)."""
    with bot.deps.uow() as writer:
        seed_team(writer, "Holds the write lock until the modal is open", leads=("U0OTHER",))
        modal = open_date_change(bot, HOST_LEAD, application_id)
        writer.commit()
    assert modal["callback_id"] == views.DATE_CHANGE_MODAL
