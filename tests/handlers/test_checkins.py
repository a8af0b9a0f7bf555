"""The weekly check-in through signed HTTP: the deliverer sends it, the visitor clicks on it, and
the alerts it calls for are outbox rows the deliverer sends too."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.checkins import views
from bot.checkins.service import shipped_during
from bot.scheduling.service import schedule_tour
from infra.delivery import Deliverer, SlackTimeZones, build_delivery_client
from infra.fake_slack.requests import plain
from storage.models import CheckinAnswer, OutboxMessage, TeamLead
from tests.conftest import ORGANISER, RunningBot
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

VISITOR, BUDDY, LEAD, STRANGER = "U0VISITOR", "U0BUDDY", "U0LEAD", "U0STRANGER"
HOME_LEAD = "U0HOMELEAD"
DM = f"D{VISITOR}"
TITLE = "<!channel> & <@U123>"
ESCAPED_TITLE = "&lt;!channel&gt; &amp; &lt;@U123&gt;"
STARTS_ON, ENDS_ON = date(2026, 11, 2), date(2026, 11, 27)  # four weeks: check-ins 1 to 3
HELP_ALERT = "Your visitor asked for help"


@pytest.fixture
def tour_id(bot: RunningBot) -> int:
    return seed_visit(bot)


def seed_visit(bot: RunningBot) -> int:
    """A four-week visit, planned: its visitor has a buddy, a host lead and a home lead."""
    for user in (VISITOR, BUDDY, LEAD, HOME_LEAD):
        bot.slack.add_user(user, tz="Europe/Warsaw")
    settings = bot.deps.settings
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Payments <Core>", leads=(LEAD,), channel_id="C0PAY")
        home = seed_team(uow, "Listings", leads=(HOME_LEAD,))
        opening = seed_opening(
            uow,
            host,
            TITLE,
            earliest_start=STARTS_ON,
            latest_end=date(2027, 1, 29),
            buddy_user_id=BUDDY,
        )
        tour = seed_tour(
            uow,
            seed_person(uow, VISITOR, home_team_id=home.id),
            opening,
            starts_on=STARTS_ON,
            ends_on=ENDS_ON,
        )
        zones = SlackTimeZones(build_delivery_client(settings))
        schedule_tour(uow, tour, zones, settings.timezone)
        uow.commit()
        return tour.id


def deliver_due(bot: RunningBot) -> None:
    """One tick of the real deliverer at the business clock's now."""
    deliverer = Deliverer(
        uow=bot.deps.uow,
        client=build_delivery_client(bot.deps.settings),
        clock=bot.clock,
        workspace_id=WORKSPACE,
        organisers=bot.deps.settings.admin_user_ids,
        rates={},
    )
    try:
        deliverer.deliver_due()
    finally:
        deliverer.close()


def checkin(bot: RunningBot, week: int) -> dict:
    """Week `week`'s check-in, sent by the real deliverer when due, as it is in the DM now."""
    with bot.deps.uow() as uow:
        [due_at] = [
            row.due_at
            for row in uow.session.query(OutboxMessage).filter_by(content_key="checkin")
            if row.payload["week"] == week
        ]
    bot.clock.move_to(due_at)  # type: ignore[attr-defined]
    deliver_due(bot)
    return message_titled(bot, f"How did week {week} of your visit go?")


def message_titled(bot: RunningBot, text: str) -> dict:
    [message] = [m for m in bot.slack.messages(VISITOR) if m["text"] == text]
    return message


def current(bot: RunningBot, message: dict) -> dict:
    [now] = [m for m in bot.slack.messages(VISITOR) if m["ts"] == message["ts"]]
    return now


def block_of(message: dict, action_id: str) -> str:
    for block in message["blocks"]:
        elements = [*block.get("elements", []), block.get("accessory") or {}]
        if any(element.get("action_id") == action_id for element in elements):
            return block["block_id"]
    raise AssertionError(f"no {action_id} in the message")


def click(
    bot: RunningBot,
    message: dict,
    action_id: str,
    *,
    user: str = VISITOR,
    option: str | None = None,
) -> None:
    bot.requests.block_action(
        user_id=user,
        action_id=action_id,
        block_id=block_of(message, action_id),
        channel_id=DM,
        message=message,
        selected_option=option,
    )


def answer(bot: RunningBot, message: dict, action_id: str, option: str | None = None) -> dict:
    """Clicks as the visitor and waits for the message to be updated: the updated message."""
    updates = len(bot.slack.calls("chat.update"))
    click(bot, message, action_id, option=option)
    bot.slack.wait_for("chat.update", count=updates + 1)
    return current(bot, message)


def dms_to(bot: RunningBot, user: str, text: str) -> list[dict]:
    return [message for message in bot.slack.messages(user) if message["text"] == text]


def alert_rows(bot: RunningBot) -> dict[str, str]:
    """The alerts planned so far: unique key → status."""
    with bot.deps.uow() as uow:
        rows = uow.session.query(OutboxMessage).filter_by(content_key="checkin_alert")
        return {row.unique_key: row.status for row in rows}


def answers(bot: RunningBot) -> list[tuple[int, str | None, str | None, str | None]]:
    with bot.deps.uow() as uow:
        rows = uow.session.query(CheckinAnswer).order_by(CheckinAnswer.week)
        return [(r.week, r.mood, r.meetings_share, r.pulled_back) for r in rows]


def ephemeral(bot: RunningBot, count: int = 1) -> str:
    return bot.slack.wait_for("response_url", count=count)[-1].params["text"]


# --- answering --------------------------------------------------------------------------------


def test_each_answer_is_recorded_and_replaces_its_buttons(bot: RunningBot, tour_id: int):
    message = checkin(bot, 1)
    assert message["metadata"]["event_type"] == "tourism_outbox"
    assert ESCAPED_TITLE in str(message["blocks"]) and TITLE not in str(message["blocks"])

    after_mood = answer(bot, message, views.GOING_WELL)
    assert "You said the week was *Going well*" in str(after_mood["blocks"])
    assert views.SO_SO not in str(after_mood["blocks"])
    assert views.MEETINGS in str(after_mood["blocks"])  # the other questions wait

    after_meetings = answer(bot, message, views.MEETINGS, option="half")
    assert "went to meetings? *About half*" in str(after_meetings["blocks"])
    after_all = answer(bot, message, views.PULLED_BACK, option="once_or_twice")
    blocks = str(after_all["blocks"])
    assert "pull you back this week? *Once or twice*" in blocks
    assert "static_select" not in blocks and views.GOING_WELL not in blocks
    assert views.LOG_SHIPPED in blocks  # logging what was shipped stays possible

    assert answers(bot) == [(1, "going_well", "half", "once_or_twice")]
    with bot.deps.uow() as uow:
        row = uow.session.query(CheckinAnswer).one()
        assert (row.answered_by, row.tour_id) == (VISITOR, tour_id)
        assert uow.audit.actions(WORKSPACE).count("checkin_answered") == 3
    assert bot.slack.calls("response_url") == []


def test_a_double_click_is_recorded_once(bot: RunningBot, tour_id: int):
    message = checkin(bot, 1)
    click(bot, message, views.SO_SO)
    click(bot, message, views.GOING_WELL)  # the second click of a hesitant double click
    assert "already answered that for week 1" in ephemeral(bot)
    bot.slack.wait_for("chat.update")
    assert len(bot.slack.calls("chat.update")) == 1
    [(_week, mood, _, _)] = answers(bot)
    assert mood in ("so_so", "going_well")
    assert f"*{views.MOOD_LABELS[mood]}*" in str(current(bot, message)["blocks"])
    with bot.deps.uow() as uow:
        assert uow.audit.actions(WORKSPACE).count("checkin_answered") == 1


def test_only_the_visitor_may_answer(bot: RunningBot, tour_id: int):
    message = checkin(bot, 1)
    click(bot, message, views.GOING_WELL, user=BUDDY)
    assert ephemeral(bot).startswith("Only the visitor answers their check-in")
    click(bot, message, views.NEED_HELP, user=STRANGER)
    assert "tell the visitor's buddy, the host team's lead or the organisers" in ephemeral(bot, 2)
    click(bot, message, views.LOG_SHIPPED, user=LEAD)
    ephemeral(bot, 3)
    assert answers(bot) == []
    assert bot.slack.calls("chat.update") == [] and bot.slack.calls("views.open") == []
    assert current(bot, message)["blocks"] == message["blocks"]


def test_an_answer_the_question_does_not_offer_is_refused(bot: RunningBot, tour_id: int):
    message = checkin(bot, 1)
    click(bot, message, views.MEETINGS, option="need_help")
    assert "not one of the answers" in ephemeral(bot)
    assert answers(bot) == []


# --- "Need help" ------------------------------------------------------------------------------


def test_need_help_opens_a_modal_and_alerts_the_buddy_and_host_lead(bot: RunningBot, tour_id):
    message = checkin(bot, 1)
    click(bot, message, views.NEED_HELP)
    modal = bot.slack.wait_for("views.open")[-1].params["view"]
    assert modal["callback_id"] == views.HELP_MODAL
    assert "pass it on to your buddy and the lead of" in str(modal["blocks"])
    empty = bot.requests.view_submission(
        user_id=VISITOR,
        callback_id=views.HELP_MODAL,
        private_metadata=modal["private_metadata"],
        values={"details": {"details": plain("")}},
    )
    assert empty.json()["response_action"] == "errors"
    assert "Say in a few words" in empty.json()["errors"]["details"]

    response = bot.requests.view_submission(
        user_id=VISITOR,
        callback_id=views.HELP_MODAL,
        private_metadata=modal["private_metadata"],
        values={"details": {"details": plain("Meetings all day <!channel> & <@U123>\nhelp")}},
    )
    assert response.status == 200 and response.body == b""
    bot.slack.wait_for("chat.update")
    told = "You said the week was *Need help*. Your buddy and host lead are being told."
    assert told in str(current(bot, message)["blocks"])
    # The alerts were planned with the answer; the deliverer's next tick sends them.
    help_keys = {f"tour:{tour_id}:checkin_help:1:{helper}" for helper in (BUDDY, LEAD)}
    assert alert_rows(bot) == dict.fromkeys(help_keys, "pending")
    assert dms_to(bot, BUDDY, HELP_ALERT) == []
    deliver_due(bot)
    for helper in (BUDDY, LEAD):
        [alert] = dms_to(bot, helper, HELP_ALERT)
        text = str(alert["blocks"])
        assert ">Meetings all day &lt;!channel&gt; &amp; &lt;@U123&gt;" in text and ">help" in text
        assert f"<@{VISITOR}> asked for help in week 1" in text and ESCAPED_TITLE in text
        assert alert["metadata"]["event_type"] == "tourism_outbox"
    assert dms_to(bot, ORGANISER, HELP_ALERT) == []
    assert alert_rows(bot) == dict.fromkeys(help_keys, "sent")
    with bot.deps.uow() as uow:
        row = uow.session.query(CheckinAnswer).one()
        assert (row.mood, row.details) == (
            "need_help",
            "Meetings all day <!channel> & <@U123>\nhelp",
        )

    # Once answered, neither the button nor a second submission records anything again.
    click(bot, message, views.NEED_HELP)
    assert "already answered" in ephemeral(bot)
    again = bot.requests.view_submission(
        user_id=VISITOR,
        callback_id=views.HELP_MODAL,
        private_metadata=modal["private_metadata"],
        values={"details": {"details": plain("still stuck")}},
    )
    assert again.json()["response_action"] == "update"
    assert "already answered" in str(again.json()["view"])
    deliver_due(bot)
    assert len(dms_to(bot, BUDDY, HELP_ALERT)) == 1
    assert set(alert_rows(bot)) == help_keys


def test_a_help_alert_whose_dm_fails_is_sent_again_later(bot: RunningBot, tour_id: int):
    message = checkin(bot, 1)
    click(bot, message, views.NEED_HELP)
    modal = bot.slack.wait_for("views.open")[-1].params["view"]
    bot.slack.inject("chat.postMessage", status=503)  # the first alert's DM does not go through
    bot.requests.view_submission(
        user_id=VISITOR,
        callback_id=views.HELP_MODAL,
        private_metadata=modal["private_metadata"],
        values={"details": {"details": plain("Nobody pairs with me")}},
    )
    bot.slack.wait_for("chat.update")
    deliver_due(bot)
    told = [helper for helper in (BUDDY, LEAD) if dms_to(bot, helper, HELP_ALERT)]
    assert len(told) == 1 and sorted(alert_rows(bot).values()) == ["pending", "sent"]

    bot.clock.move_to(bot.clock.now() + timedelta(minutes=2))  # type: ignore[attr-defined]
    deliver_due(bot)
    for helper in (BUDDY, LEAD):
        assert len(dms_to(bot, helper, HELP_ALERT)) == 1
    assert set(alert_rows(bot).values()) == {"sent"}


def test_someone_else_cannot_submit_the_help_modal(bot: RunningBot, tour_id: int):
    message = checkin(bot, 1)
    click(bot, message, views.NEED_HELP)
    modal = bot.slack.wait_for("views.open")[-1].params["view"]
    response = bot.requests.view_submission(
        user_id=STRANGER,
        callback_id=views.HELP_MODAL,
        private_metadata=modal["private_metadata"],
        values={"details": {"details": plain("pretending")}},
    )
    assert "Only the visitor" in str(response.json()["view"])
    assert answers(bot) == []


# --- the organisers -----------------------------------------------------------------------------

LOW_ALERT = "A visitor's check-ins have been low twice in a row"
MEETINGS_ALERT = "A visitor is stuck in meetings"


def test_two_low_answers_in_a_row_alert_the_organisers_once(bot: RunningBot, tour_id: int):
    answer(bot, checkin(bot, 1), views.SO_SO)
    assert dms_to(bot, ORGANISER, LOW_ALERT) == []
    answer(bot, checkin(bot, 2), views.SO_SO)
    organisers_key = f"tour:{tour_id}:checkin_alert:low_mood:2:{ORGANISER}"
    assert alert_rows(bot)[organisers_key] == "pending"
    deliver_due(bot)
    [alert] = dms_to(bot, ORGANISER, LOW_ALERT)
    text = str(alert["blocks"])
    assert f"<@{VISITOR}> answered So-so or Need help 2 check-ins in a row (weeks 1 and 2)" in text
    assert "Payments &lt;Core&gt;" in text
    assert dms_to(bot, HOME_LEAD, LOW_ALERT) == []

    third = checkin(bot, 3)
    answer(bot, third, views.SO_SO)  # the same run of low weeks: told already
    answer(bot, third, views.MEETINGS, option="over_half")
    with bot.deps.uow() as uow:
        assert uow.audit.actions(WORKSPACE).count("checkin_alert") == 1
    deliver_due(bot)
    assert len(dms_to(bot, ORGANISER, LOW_ALERT)) == 1
    assert [key for key in alert_rows(bot) if ":checkin_alert:" in key] == [organisers_key]
    assert answers(bot) == [
        (1, "so_so", None, None),
        (2, "so_so", None, None),
        (3, "so_so", "over_half", None),
    ]


def test_meetings_over_half_twice_alert_the_organisers(bot: RunningBot, tour_id: int):
    answer(bot, checkin(bot, 1), views.MEETINGS, option="over_half")
    answer(bot, checkin(bot, 2), views.MEETINGS, option="half")
    assert dms_to(bot, ORGANISER, MEETINGS_ALERT) == []
    answer(bot, checkin(bot, 3), views.MEETINGS, option="over_half")
    deliver_due(bot)
    [alert] = dms_to(bot, ORGANISER, MEETINGS_ALERT)
    organiser_keys = {key for key in alert_rows(bot) if ":checkin_alert:" in key}
    assert organiser_keys == {f"tour:{tour_id}:checkin_alert:meetings:3:{ORGANISER}"}
    assert "more than half the week in meetings in weeks 1 and 3" in str(alert["blocks"])
    assert dms_to(bot, ORGANISER, LOW_ALERT) == []


# --- each signal to whoever can act on it -------------------------------------------------------

SO_SO_ALERT = "Your visitor's week was so-so"
BUSY_ALERT = "Your visitor spent most of the week in meetings"
PULLED_ALERT = "Your team keeps pulling your visitor back"
PULLS_ALERT = "A visitor is often pulled back by their home team"
EVERYONE = (VISITOR, BUDDY, LEAD, HOME_LEAD, ORGANISER)


def told(bot: RunningBot, text: str) -> list[str]:
    """Who received a DM with this notification text, in the order of EVERYONE."""
    return [user for user in EVERYONE if dms_to(bot, user, text)]


def test_the_check_in_says_who_sees_the_answers(bot: RunningBot, tour_id: int):
    blocks = str(checkin(bot, 1)["blocks"])
    assert "*Who sees your answers:*" in blocks
    assert "being pulled back often to your home team's lead" in blocks
    assert "a call for help goes to your buddy and the host team's lead" in blocks
    assert "the organisers are told too" in blocks


def test_pulled_back_often_goes_to_the_home_lead_and_then_the_organisers(bot, tour_id: int):
    answer(bot, checkin(bot, 1), views.PULLED_BACK, option="often")
    deliver_due(bot)
    assert told(bot, PULLED_ALERT) == [HOME_LEAD]
    [alert] = dms_to(bot, HOME_LEAD, PULLED_ALERT)
    assert f"<@{VISITOR}> says their home team pulled them back often in week 1" in str(alert)
    assert "You lead their home team: keep their time free" in str(alert["blocks"])
    assert told(bot, PULLS_ALERT) == []

    answer(bot, checkin(bot, 2), views.PULLED_BACK, option="once_or_twice")  # not a signal
    deliver_due(bot)
    assert len(dms_to(bot, HOME_LEAD, PULLED_ALERT)) == 1

    answer(bot, checkin(bot, 3), views.PULLED_BACK, option="often")
    deliver_due(bot)
    assert len(dms_to(bot, HOME_LEAD, PULLED_ALERT)) == 2
    assert told(bot, PULLS_ALERT) == [ORGANISER]  # copied once it repeats
    assert "in weeks 1 and 3" in str(dms_to(bot, ORGANISER, PULLS_ALERT)[0]["blocks"])
    with bot.deps.uow() as uow:
        assert uow.audit.actions(WORKSPACE).count("checkin_alert") == 1


def test_meetings_go_to_the_host_lead_each_week(bot: RunningBot, tour_id: int):
    answer(bot, checkin(bot, 1), views.MEETINGS, option="over_half")
    deliver_due(bot)
    assert told(bot, BUSY_ALERT) == [LEAD]
    assert told(bot, MEETINGS_ALERT) == []
    answer(bot, checkin(bot, 2), views.MEETINGS, option="half")
    deliver_due(bot)
    assert len(dms_to(bot, LEAD, BUSY_ALERT)) == 1


def test_a_so_so_week_goes_to_the_buddy_and_host_lead(bot: RunningBot, tour_id: int):
    answer(bot, checkin(bot, 1), views.SO_SO)
    deliver_due(bot)
    assert told(bot, SO_SO_ALERT) == [BUDDY, LEAD]
    answer(bot, checkin(bot, 2), views.GOING_WELL)
    deliver_due(bot)
    assert told(bot, SO_SO_ALERT) == [BUDDY, LEAD] and told(bot, LOW_ALERT) == []


def test_without_a_home_lead_the_organisers_hear_of_home_pulls(bot: RunningBot, tour_id: int):
    with bot.deps.uow() as uow:
        uow.session.query(TeamLead).filter_by(user_id=HOME_LEAD).delete()
        uow.commit()
    answer(bot, checkin(bot, 1), views.PULLED_BACK, option="often")
    deliver_due(bot)
    assert told(bot, PULLED_ALERT) == [ORGANISER]
    text = str(dms_to(bot, ORGANISER, PULLED_ALERT)[0]["blocks"])
    assert "You hear this as an organiser" in text and "You lead their home team" not in text


# --- what was shipped ---------------------------------------------------------------------------


def submit_shipped(bot: RunningBot, modal: dict, text: str):
    return bot.requests.view_submission(
        user_id=VISITOR,
        callback_id=views.SHIPPED_MODAL,
        private_metadata=modal["private_metadata"],
        values={"items": {"items": plain(text)}},
    )


def test_logging_what_was_shipped(bot: RunningBot, tour_id: int):
    message = checkin(bot, 1)
    click(bot, message, views.LOG_SHIPPED)
    modal = bot.slack.wait_for("views.open")[-1].params["view"]
    assert modal["callback_id"] == views.SHIPPED_MODAL

    for text, error in [
        ("", "Add at least one item"),
        ("\n".join(f"https://x/pull/{n}" for n in range(21)), "At most 20 items"),
        ("https://x/pull/1\n" + "y" * 300, "under 300 characters (item 2)"),
    ]:
        response = submit_shipped(bot, modal, text).json()
        assert response["response_action"] == "errors" and error in response["errors"]["items"]
    assert shipped_during_tour(bot, tour_id) == []

    logged = "https://github.com/acme/ledger/pull/42\n\n<!here> deploy & <https://evil|click>"
    assert submit_shipped(bot, modal, logged).body == b""
    expected = ["https://github.com/acme/ledger/pull/42", "<!here> deploy & <https://evil|click>"]
    assert shipped_during_tour(bot, tour_id) == expected
    bot.slack.wait_for("chat.update")
    shown = str(current(bot, message)["blocks"])
    assert "• https://github.com/acme/ledger/pull/42" in shown
    assert "• &lt;!here&gt; deploy &amp; &lt;https://evil|click&gt;" in shown
    assert "<!here>" not in shown

    # The next check-in lists them too, and so does the modal opened from it.
    second = checkin(bot, 2)
    assert "&lt;!here&gt; deploy &amp;" in str(second["blocks"])
    click(bot, second, views.LOG_SHIPPED)
    reopened = bot.slack.wait_for("views.open", count=2)[-1].params["view"]
    assert "Logged so far" in str(reopened["blocks"])
    assert submit_shipped(bot, reopened, "deploy of the ledger").body == b""
    assert shipped_during_tour(bot, tour_id) == [*expected, "deploy of the ledger"]
    with bot.deps.uow() as uow:
        assert uow.audit.actions(WORKSPACE).count("shipped_logged") == 2


def test_check_ins_planned_again_still_list_what_was_shipped(bot: RunningBot, tour_id: int):
    """Extending the visit re-plans its messages (on_tour): the check-ins already planned and
    the new ones both show the log, read when they are sent."""
    message = checkin(bot, 1)
    click(bot, message, views.LOG_SHIPPED)
    modal = bot.slack.wait_for("views.open")[-1].params["view"]
    assert submit_shipped(bot, modal, "<!here> deploy & more").body == b""
    with bot.deps.uow() as uow:
        tour = uow.tours.get(WORKSPACE, tour_id)
        tour.ends_on = ENDS_ON + timedelta(weeks=2)
        bot.deps.on_tour(uow, tour)
        uow.commit()
    for week in (2, 4):  # week 4 comes with the extension
        assert "• &lt;!here&gt; deploy &amp; more" in str(checkin(bot, week)["blocks"])


def shipped_during_tour(bot: RunningBot, tour_id: int) -> list[str]:
    with bot.deps.uow() as uow:
        return shipped_during(uow, WORKSPACE, tour_id)


def test_without_buddy_or_host_lead_the_organisers_hear_the_call_for_help(bot: RunningBot, tour_id):
    with bot.deps.uow() as uow:
        uow.session.query(TeamLead).delete()
        uow.tours.get(WORKSPACE, tour_id).buddy_user_id = None
        uow.commit()
    message = checkin(bot, 1)
    click(bot, message, views.NEED_HELP)
    modal = bot.slack.wait_for("views.open")[-1].params["view"]
    bot.requests.view_submission(
        user_id=VISITOR,
        callback_id=views.HELP_MODAL,
        private_metadata=modal["private_metadata"],
        values={"details": {"details": plain("Nobody is here")}},
    )
    bot.slack.wait_for("chat.update")
    deliver_due(bot)
    [alert] = dms_to(bot, ORGANISER, HELP_ALERT)
    assert "You hear this as an organiser" in str(alert["blocks"])
    assert dms_to(bot, BUDDY, HELP_ALERT) == []
