"""A visit under way through signed HTTP: asking for more time (host lead, then home lead or
organisers, with the home team's cap), and the private "I might like to stay" flag."""

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from bot.applications import extension_views as views
from bot.applications.changes import WORDING
from infra.fake_slack.requests import plain, radio
from storage.models import Application, TeamLead, Tour, TourExtension
from tests.conftest import NOW, ORGANISER, RunningBot
from tests.handlers.test_applications import button_value, dms_to, messages_titled
from tests.support.replies import command_reply
from tests.support.seed import seed_opening, seed_person, seed_team, seed_tour, team_row

VISITOR, HOST_LEAD, HOME_LEAD, BUDDY = "U0VISITOR", "U0HOSTLEAD", "U0HOMELEAD", "U0BUDDY"
STARTS, ENDS = date(2026, 11, 16), date(2026, 12, 11)  # NOW (23 Nov) is in the second week
TITLE = "Streams <!channel> & <@U123>"
ESCAPED_TITLE = "Streams &lt;!channel&gt; &amp; &lt;@U123&gt;"
ASKED, HOST_ASKED, HOME_ASKED = (
    "You asked for more time",
    "A visitor asks to stay longer",
    "Can your teammate be away longer?",
)
AGREED, DECLINED = "The visit is longer", "Your request for more time was declined"


@pytest.fixture
def tour_id(bot: RunningBot) -> int:
    """A four-week visit in its second week."""
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Streaming", leads=(HOST_LEAD,))
        home = seed_team(uow, "Commissions", leads=(HOME_LEAD,), away_cap=1)
        visitor = seed_person(uow, VISITOR, home_team_id=home.id)
        opening = seed_opening(
            uow,
            host,
            TITLE,
            earliest_start=STARTS,
            latest_end=ENDS + timedelta(weeks=4),
            buddy_user_id=BUDDY,
        )
        tour = seed_tour(uow, visitor, opening, starts_on=STARTS, ends_on=ENDS)
        uow.commit()
        return tour.id


def carried_out(bot: RunningBot, step: Callable[[], object], homes: int = 2) -> None:
    """Runs a step and waits for its last act: refreshing the Home of the actor and visitor."""
    before = len(bot.slack.calls("views.publish"))
    step()
    bot.slack.wait_for("views.publish", count=before + homes)


def ask(bot: RunningBot, tour_id: int, weeks: str | None, reason: str):
    return bot.requests.view_submission(
        user_id=VISITOR,
        callback_id=views.EXTEND_MODAL,
        private_metadata=str(tour_id),
        values={"weeks": {"weeks": radio(weeks)}, "reason": {"reason": plain(reason)}},
    )


def asked(bot: RunningBot, tour_id: int, weeks: str = "2", reason: str = "Finish it") -> str:
    """Asks for more time and returns the request's id from the host lead's message."""
    carried_out(bot, lambda: ask(bot, tour_id, weeks, reason), homes=1)
    return button_value(messages_titled(bot, HOST_ASKED, 1)[-1], views.HOST_AGREE)


def click(bot: RunningBot, user_id: str, action_id: str, value: str) -> None:
    bot.requests.block_action(user_id=user_id, action_id=action_id, value=value, channel_id="D0X")


def host_agrees(bot: RunningBot, extension_id: str) -> None:
    carried_out(bot, lambda: click(bot, HOST_LEAD, views.HOST_AGREE, extension_id))


def home_agrees(bot: RunningBot, extension_id: str, override_reason: str | None = None):
    override = {"override_reason": plain(override_reason)}
    return bot.requests.view_submission(
        user_id=HOME_LEAD,
        callback_id=views.HOME_AGREE_MODAL,
        private_metadata=extension_id,
        values={} if override_reason is None else {"override_reason": override},
    )


def answers(bot: RunningBot, count: int) -> list[str]:
    return [call.params["text"] for call in bot.slack.wait_for("response_url", count=count)]


def the_tour(bot: RunningBot, tour_id: int) -> Tour:
    with bot.deps.uow() as uow:
        tour = uow.session.get(Tour, tour_id)
        uow.session.expunge(tour)
        return tour


def test_more_time_agreed_by_both_leads_moves_the_end(bot: RunningBot, tour_id):
    # the status reply is the first answer through response_url
    status = command_reply(bot, "status", VISITOR)
    assert button_value(status, views.EXTEND) == str(tour_id)
    bot.requests.block_action(user_id=VISITOR, action_id=views.EXTEND, value=str(tour_id))
    modal = bot.slack.wait_for("views.open")[-1].params["view"]
    assert modal["callback_id"] == views.EXTEND_MODAL
    assert [o["value"] for o in modal["blocks"][1]["element"]["options"]] == ["1", "2"]
    assert ESCAPED_TITLE in modal["blocks"][0]["text"]["text"]

    missing = ask(bot, tour_id, None, "").json()
    assert missing["response_action"] == "errors"
    assert set(missing["errors"]) == {"weeks", "reason"}
    carried_out(bot, lambda: ask(bot, tour_id, "2", "Finish the <!channel> migration"), homes=1)
    [to_visitor] = messages_titled(bot, ASKED, 1)
    assert to_visitor["channel"] == VISITOR
    [request] = messages_titled(bot, HOST_ASKED, 1)
    assert request["channel"] == HOST_LEAD
    assert "Finish the &lt;!channel&gt; migration" in str(request["blocks"])
    assert "until Fri 25 Dec 2026 instead of Fri 11 Dec 2026" in str(request["blocks"])
    extension_id = button_value(request, views.HOST_AGREE)

    again = ask(bot, tour_id, "1", "Once more").json()
    assert again["response_action"] == "update"
    assert "You have already asked for 2 weeks more" in str(again["view"])

    click(bot, VISITOR, views.HOST_AGREE, extension_id)
    assert answers(bot, 2)[-1].startswith("Nobody decides on their own visit")

    def double_click() -> None:
        click(bot, HOST_LEAD, views.HOST_AGREE, extension_id)
        click(bot, HOST_LEAD, views.HOST_AGREE, extension_id)

    carried_out(bot, double_click)
    # The second click is answered before or after the first one commits: either words are true.
    assert answers(bot, 3)[-1] in (
        "Nothing changed: this request for more time is waiting for the home team lead.",
        WORDING.just_decided,
    )
    [home_request] = messages_titled(bot, HOME_ASKED, 1)
    assert home_request["channel"] == HOME_LEAD
    assert "*0* (the team allows 1 at once)" in str(home_request["blocks"])
    [settled] = bot.slack.wait_for("chat.update")
    assert "this request is now waiting for the home team lead" in str(settled.params["blocks"])

    click(bot, HOME_LEAD, views.HOME_AGREE, extension_id)
    agree_modal = bot.slack.wait_for("views.open", count=2)[-1].params["view"]
    assert agree_modal["callback_id"] == views.HOME_AGREE_MODAL
    assert "override_reason" not in str(agree_modal)
    carried_out(bot, lambda: home_agrees(bot, extension_id))
    told = messages_titled(bot, AGREED, 4)  # the buddy plans the extra weeks too
    assert sorted(m["channel"] for m in told) == sorted([VISITOR, HOST_LEAD, HOME_LEAD, BUDDY])
    assert "now ends on *Fri 25 Dec 2026*" in str(told[0]["blocks"])

    new_end = ENDS + timedelta(weeks=2)
    assert the_tour(bot, tour_id).ends_on == new_end
    with bot.deps.uow() as uow:
        application = uow.session.query(Application).one()
        assert application.ends_on == new_end
        retros = [m for m in uow.outbox.of_tour("T0TEST", tour_id) if m.kind == "retro"]
        assert retros and all(m.due_at.date() > ENDS for m in retros)
        actions = uow.audit.actions("T0TEST")
        assert actions == ["extension_requested", "extension_host_agreed", "extension_agreed"]
    assert "already grown by 2 weeks" in (
        bot.requests.slash_command("extend", user_id=VISITOR).text
    )


def test_the_answered_home_request_keeps_the_absence_cap(bot: RunningBot, tour_id):
    extension_id = asked(bot, tour_id)
    host_agrees(bot, extension_id)
    carried_out(bot, lambda: home_agrees(bot, extension_id))
    home_request = next(
        call.params["blocks"]
        for call in bot.slack.calls("chat.update")
        if "Can they be away longer?" in str(call.params)
    )
    assert views.HOME_AGREE not in str(home_request)  # it is answered
    assert "No home team on record" not in str(home_request)
    assert "*0* (the team allows 1 at once)" in str(home_request)


def test_over_the_home_teams_cap_needs_an_explicit_override(bot: RunningBot, tour_id):
    with bot.deps.uow() as uow:
        home = team_row(uow, "Commissions")
        colleague = seed_person(uow, "U0COLLEAGUE", home_team_id=home.id)
        other = seed_opening(
            uow,
            team_row(uow, "Streaming"),
            "Another",
            earliest_start=ENDS,
            latest_end=ENDS + timedelta(weeks=8),
        )
        seed_tour(
            uow,
            colleague,
            other,
            starts_on=ENDS + timedelta(days=1),
            ends_on=ENDS + timedelta(weeks=4),
        )
        uow.commit()
    extension_id = asked(bot, tour_id, weeks="1")
    host_agrees(bot, extension_id)
    [home_request] = messages_titled(bot, HOME_ASKED, 1)
    assert "Agree anyway (give a reason)…" in str(home_request["blocks"])
    click(bot, HOME_LEAD, views.HOME_AGREE, extension_id)
    agree_modal = bot.slack.wait_for("views.open")[-1].params["view"]
    assert "override_reason" in str(agree_modal)

    refused = home_agrees(bot, extension_id, override_reason="").json()
    assert "1 of the team are already away then" in refused["errors"]["override_reason"]
    assert the_tour(bot, tour_id).ends_on == ENDS
    carried_out(bot, lambda: home_agrees(bot, extension_id, override_reason="Quiet month"))
    messages_titled(bot, AGREED, 4)
    assert the_tour(bot, tour_id).ends_on == ENDS + timedelta(weeks=1)
    with bot.deps.uow() as uow:
        extension = uow.session.query(TourExtension).one()
        assert (extension.status, extension.decision_reason) == ("agreed", "Quiet month")


def test_a_declined_request_tells_the_visitor_why(bot: RunningBot, tour_id):
    extension_id = asked(bot, tour_id)
    click(bot, HOST_LEAD, views.HOST_DECLINE, extension_id)
    modal = bot.slack.wait_for("views.open")[-1].params["view"]
    assert modal["callback_id"] == views.HOST_DECLINE_MODAL
    carried_out(
        bot,
        lambda: bot.requests.view_submission(
            user_id=HOST_LEAD,
            callback_id=views.HOST_DECLINE_MODAL,
            private_metadata=extension_id,
            values={"reason": {"reason": plain("Release <week> & freeze")}},
        ),
    )
    [declined] = messages_titled(bot, DECLINED, 1)
    assert declined["channel"] == VISITOR
    assert "Release &lt;week&gt; &amp; freeze" in str(declined["blocks"])
    assert the_tour(bot, tour_id).ends_on == ENDS
    assert dms_to(bot, HOME_LEAD) == []
    click(bot, HOST_LEAD, views.HOST_AGREE, extension_id)
    assert answers(bot, 1)[-1] == "Nothing changed: this request for more time is declined."
    # Declined, so the visitor may ask again.
    bot.requests.slash_command("extend", user_id=VISITOR)
    assert bot.slack.wait_for("views.open", count=2)[-1].params["view"]["callback_id"] == (
        views.EXTEND_MODAL
    )


def test_organisers_decide_for_a_home_team_without_a_lead(bot: RunningBot, tour_id):
    with bot.deps.uow() as uow:
        home = team_row(uow, "Commissions")
        uow.session.query(TeamLead).filter_by(team_id=home.id).delete()
        uow.commit()
    extension_id = asked(bot, tour_id)
    host_agrees(bot, extension_id)
    [to_organiser] = messages_titled(bot, HOME_ASKED, 1)
    assert to_organiser["channel"] == ORGANISER
    assert "because Commissions has no lead listed in the team directory" in str(
        to_organiser["blocks"]
    )
    click(bot, HOME_LEAD, views.HOME_AGREE, extension_id)
    assert "Only a lead of the visitor's home team (or an organiser)" in answers(bot, 1)[-1]


def test_only_the_visitor_asks_and_only_while_the_visit_runs(bot: RunningBot, tour_id):
    click(bot, BUDDY, views.EXTEND, str(tour_id))
    assert answers(bot, 1)[-1].startswith("Only the visitor can do that for their visit")
    assert "no visit running today" in (bot.requests.slash_command("extend", user_id=BUDDY).text)
    bot.clock.move_to(datetime(2026, 11, 10, 9, tzinfo=NOW.tzinfo))
    assert "no visit running today" in (bot.requests.slash_command("extend", user_id=VISITOR).text)
    click(bot, VISITOR, views.EXTEND, str(tour_id))
    assert "Your visit has not started yet" in answers(bot, 2)[-1]
    status = command_reply(bot, "status", VISITOR)
    assert views.EXTEND not in str(status["blocks"])  # not before the visit starts
    bot.clock.move_to(NOW)
    assert bot.requests.slash_command("extend", user_id=VISITOR).body == b""
    assert bot.slack.wait_for("views.open")[-1].params["view"]["callback_id"] == views.EXTEND_MODAL
    with bot.deps.uow() as uow:
        assert uow.session.query(TourExtension).count() == 0


def test_might_stay_reaches_only_the_two_leads(bot: RunningBot, tour_id):
    answer = bot.requests.slash_command("stay", user_id=VISITOR).text
    assert answer == (
        f"Noted that you might like to stay. I told only <@{HOST_LEAD}>, <@{HOME_LEAD}> in "
        "private. Nothing is posted in any channel."
    )
    told = messages_titled(bot, "About staying on after a visit", 2)
    assert sorted(m["channel"] for m in told) == sorted([HOST_LEAD, HOME_LEAD])
    assert ESCAPED_TITLE in str(told[0]["blocks"])
    assert {c.params["channel"] for c in bot.slack.calls("chat.postMessage")} == {
        HOST_LEAD,
        HOME_LEAD,
    }
    assert the_tour(bot, tour_id).might_stay
    again = bot.requests.slash_command("stay", user_id=VISITOR).text
    assert again == "Nothing changed: the leads already know you might like to stay."

    home = bot.slack.wait_for("views.publish")[-1].params["view"]
    assert button_value(home, views.STAY_OFF) == str(tour_id)
    click(bot, BUDDY, views.STAY_OFF, str(tour_id))
    assert answers(bot, 1)[-1].startswith("Only the visitor can do that")
    click(bot, VISITOR, views.STAY_OFF, str(tour_id))
    assert answers(bot, 2)[-1].startswith("Taken back: you no longer think of staying.")
    messages_titled(bot, "About staying on after a visit", 4)
    assert not the_tour(bot, tour_id).might_stay
    with bot.deps.uow() as uow:
        assert uow.audit.actions("T0TEST") == ["tour_might_stay", "tour_might_stay_withdrawn"]


def test_might_stay_works_on_a_booked_visit_not_yet_started(bot: RunningBot, tour_id):
    bot.clock.move_to(datetime(2026, 11, 10, 9, tzinfo=NOW.tzinfo))
    status = command_reply(bot, "status", VISITOR)
    assert button_value(status, views.STAY) == str(tour_id)
    click(bot, VISITOR, views.STAY, str(tour_id))
    assert answers(bot, 2)[-1].startswith("Noted that you might like to stay.")
    assert the_tour(bot, tour_id).might_stay
    assert "stay off" in bot.requests.slash_command("stay maybe", user_id=VISITOR).text


def test_a_visitor_who_leads_their_home_team_does_not_agree_to_their_own_extension(
    bot: RunningBot, tour_id
):
    with bot.deps.uow() as uow:
        home = team_row(uow, "Commissions")
        uow.session.add(TeamLead(workspace_id="T0TEST", team_id=home.id, user_id=VISITOR))
        uow.commit()
    extension_id = asked(bot, tour_id)
    [requested] = messages_titled(bot, ASKED, 1)
    assert f"then <@{HOME_LEAD}> (you lead Commissions too" in str(requested["blocks"])
    host_agrees(bot, extension_id)
    [to_home] = messages_titled(bot, HOME_ASKED, 1)
    assert to_home["channel"] == HOME_LEAD
    assert f"because <@{VISITOR}> also leads Commissions" in str(to_home["blocks"])
    click(bot, VISITOR, views.HOME_AGREE, extension_id)
    assert "Nobody decides on their own visit" in answers(bot, 1)[-1]
    with bot.deps.uow() as uow:
        assert uow.session.get(TourExtension, int(extension_id)).status == "host_agreed"


def test_requests_slack_would_not_deliver_reach_the_organisers(bot: RunningBot, tour_id):
    """Like an application's: the host lead never saw the request, so an organiser passes it on."""
    bot.slack.inject("chat.postMessage", error="user_not_found", times=2)
    carried_out(bot, lambda: ask(bot, tour_id, "1", "Finish it"), homes=1)
    [report] = [m for m in dms_to(bot, ORGANISER) if "could not deliver" in m["text"]]
    with bot.deps.uow() as uow:
        [extension_id] = [e.id for e in uow.session.query(TourExtension).filter_by(tour_id=tour_id)]
    assert report["text"] == (
        f"I could not deliver some messages about request for more time #{extension_id}: "
        f"ext_requested to <@{VISITOR}> (user_not_found); "
        f"ext_host to <@{HOST_LEAD}> (user_not_found). Please pass them on."
    )
