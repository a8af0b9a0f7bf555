"""The approval workflow through signed HTTP: apply → accept → agree → visit card → tour."""

import time
from datetime import date, timedelta

import pytest

from bot.applications import views
from bot.applications.model import Status
from bot.openings.views import APPLY
from infra.fake_slack.requests import date as date_value
from infra.fake_slack.requests import plain
from storage.models import Application, Blackout, Opening, Team, TeamLead, Tour
from tests.conftest import ORGANISER, RunningBot
from tests.support.seed import seed_opening, seed_person, seed_team

VISITOR, HOST_LEAD, HOME_LEAD, BUDDY = "U0VISITOR", "U0HOSTLEAD", "U0HOMELEAD", "U0BUDDY"
WINDOW_START = date(2027, 1, 4)  # a Monday


@pytest.fixture
def world(bot: RunningBot) -> dict[str, int]:
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Streaming", leads=(HOST_LEAD,))
        home = seed_team(uow, "Commissions", leads=(HOME_LEAD,), away_cap=1)
        person = seed_person(
            uow,
            VISITOR,
            home_team_id=home.id,
            learning_goal="Learn stream processing",
            learn_topics=["stream processing", "<b>"],
            teach_topics=["pricing"],
            available_from=date(2026, 12, 1),
            available_until=date(2027, 6, 30),
        )
        opening = seed_opening(
            uow,
            host,
            "Real-time click-through rates",
            earliest_start=WINDOW_START,
            latest_end=WINDOW_START + timedelta(weeks=12),
            weeks=4,
            seats=1,
            buddy_user_id=BUDDY,
            topics=["stream processing"],
            work_mode="remote",
            announcement_channel="C0TOURISM",
            announcement_ts="1700000000.000100",
        )
        uow.commit()
        return {"host": host.id, "home": home.id, "person": person.id, "opening": opening.id}


def messages_titled(bot: RunningBot, text: str, count: int) -> list[dict]:
    """Waits for `count` messages whose notification text is `text`."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [
            c.params for c in bot.slack.calls("chat.postMessage") if c.params.get("text") == text
        ]
        if len(found) >= count:
            return found
        time.sleep(0.02)
    raise AssertionError(f"expected {count} messages {text!r}, got {len(found)}")


def calls_until(bot: RunningBot, method: str, wanted) -> list[dict]:
    """Waits until some calls of `method` satisfy `wanted`; returns their params."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [c.params for c in bot.slack.calls(method) if wanted(c)]
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"no {method} call as wanted")


def dms_to(bot: RunningBot, user_id: str) -> list[dict]:
    return [c.params for c in bot.slack.calls("chat.postMessage") if c.params["channel"] == user_id]


def button_value(message: dict, action_id: str) -> str:
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return element["value"]
    raise AssertionError(f"no {action_id} button in {message['text']!r}")


def apply(
    bot: RunningBot,
    opening_id: int,
    start: date = WINDOW_START,
    motivation: str = "I want to learn Beam",
):
    bot.requests.block_action(user_id=VISITOR, action_id=APPLY, value=str(opening_id))
    modal = bot.slack.wait_for("views.open")[-1].params["view"]
    assert modal["callback_id"] == views.APPLY_MODAL
    before = len(bot.slack.calls("views.publish"))
    response = bot.requests.view_submission(
        user_id=VISITOR,
        callback_id=views.APPLY_MODAL,
        private_metadata=modal["private_metadata"],
        values={
            "motivation": {"motivation": plain(motivation)},
            "learning_goal": {"learning_goal": plain("Bring streaming home")},
            "starts_on": {"starts_on": date_value(start)},
        },
    )
    if response.body == b"":
        settled(bot, before)
    return response


def settled(bot: RunningBot, publishes_before: int) -> None:
    """A step is fully carried out once the four people's Home tabs are refreshed (its last act)."""
    bot.slack.wait_for("views.publish", count=publishes_before + 4)


def click(bot: RunningBot, user_id: str, action_id: str, value: str) -> None:
    before = len(bot.slack.calls("views.publish"))
    bot.requests.block_action(user_id=user_id, action_id=action_id, value=value)
    settled(bot, before)


def application_of(bot: RunningBot) -> Application:
    """The visitor's application, detached with its columns loaded."""
    with bot.deps.uow() as uow:
        application = (
            uow.session.query(Application).join(Application.person).filter_by(user_id=VISITOR).one()
        )
        uow.session.expunge(application)
        return application


def test_the_whole_happy_path(bot: RunningBot, world):
    response = apply(bot, world["opening"])
    assert response.status == 200 and response.body == b""
    bot.slack.wait_for("chat.postMessage", count=2)
    [applied] = dms_to(bot, VISITOR)
    assert "You applied to *Real-time click-through rates*" in applied["blocks"][0]["text"]["text"]
    [request] = dms_to(bot, HOST_LEAD)
    application_id = button_value(request, views.HOST_ACCEPT)
    assert "*Wants to learn:* stream processing, &lt;b&gt;" in str(request["blocks"])
    assert "Why they fit:" in str(request["blocks"])
    assert "stream processing" in str(request["blocks"]).split("Why they fit:")[1]

    click(bot, HOST_LEAD, views.HOST_ACCEPT, application_id)
    bot.slack.wait_for("chat.update")
    [home_request] = bot.slack.wait_for("chat.postMessage", count=4) and dms_to(bot, HOME_LEAD)
    assert "Already away from Commissions in that period: *0* (the team allows 1 at once)" in str(
        home_request
    )

    bot.requests.block_action(user_id=HOME_LEAD, action_id=views.HOME_AGREE, value=application_id)
    agree_modal = bot.slack.wait_for("views.open", count=2)[-1].params["view"]
    assert "override_reason" not in str(agree_modal)
    bot.requests.view_submission(
        user_id=HOME_LEAD,
        callback_id=views.HOME_AGREE_MODAL,
        private_metadata=agree_modal["private_metadata"],
        values={"covering": {"covering": plain("Ola takes the on-call week")}},
    )
    cards = messages_titled(bot, "Please confirm the visit card", 4)
    assert sorted(card["channel"] for card in cards) == sorted(
        [VISITOR, HOST_LEAD, HOME_LEAD, BUDDY]
    )
    assert "no velocity expected from the visitor" in str(cards[0])
    assert "Ola takes the on-call week" in str(cards[0])

    for confirmer in (VISITOR, BUDDY, HOST_LEAD, HOME_LEAD):
        bot.requests.block_action(
            user_id=confirmer, action_id=views.CARD_CONFIRM, value=application_id
        )
    booked = messages_titled(bot, "The visit is booked", 4)
    [announcement] = calls_until(bot, "chat.update", lambda c: c.params["channel"] == "C0TOURISM")
    assert "Tourism opening – Full" in str(announcement["blocks"])
    assert "*Seats left:* 0 of 1" in str(announcement["blocks"])
    assert sorted(m["channel"] for m in booked) == sorted([VISITOR, HOST_LEAD, HOME_LEAD, BUDDY])
    thanks = [c for c in bot.slack.calls("response_url") if "you confirmed" in c.params["text"]]
    assert len(thanks) == 3
    with bot.deps.uow() as uow:
        tour = uow.session.query(Tour).one()
        opening = uow.session.get(Opening, world["opening"])
        assert (tour.starts_on, tour.ends_on) == (WINDOW_START, WINDOW_START + timedelta(days=25))
        assert (opening.seats_taken, opening.status) == (1, "filled")
        planned = {message.kind for message in uow.outbox.of_tour("T0TEST", tour.id)}
        assert {"kickoff", "checkin", "midpoint", "retro", "share_back"} <= planned
        assert uow.audit.actions("T0TEST") == [
            "application_submitted",
            "application_host_accepted",
            "application_home_agreed",
            "tour_created",
        ]


def test_the_answered_home_request_keeps_the_absence_cap(bot: RunningBot, world):
    apply(bot, world["opening"])
    bot.slack.wait_for("chat.postMessage", count=2)
    application_id = button_value(dms_to(bot, HOST_LEAD)[0], views.HOST_ACCEPT)
    click(bot, HOST_LEAD, views.HOST_ACCEPT, application_id)
    bot.requests.block_action(user_id=HOME_LEAD, action_id=views.HOME_AGREE, value=application_id)
    agree_modal = bot.slack.wait_for("views.open", count=2)[-1].params["view"]
    bot.requests.view_submission(
        user_id=HOME_LEAD,
        callback_id=views.HOME_AGREE_MODAL,
        private_metadata=agree_modal["private_metadata"],
        values={"covering": {"covering": plain("Ola takes the on-call week")}},
    )
    [answered] = calls_until(bot, "chat.update", lambda c: "Can they be away?" in str(c.params))
    assert views.HOME_AGREE not in str(answered["blocks"])  # it is answered
    assert "No home team on record" not in str(answered["blocks"])
    assert "Already away from Commissions in that period: *0* (the team allows 1 at once)" in str(
        answered["blocks"]
    )


def host_request_fit(bot: RunningBot) -> str:
    bot.slack.wait_for("chat.postMessage", count=2)
    [request] = dms_to(bot, HOST_LEAD)
    return str(request["blocks"]).split("Why they fit:")[1]


def test_the_host_lead_sees_that_the_requested_dates_fit(bot: RunningBot, world):
    apply(bot, world["opening"])
    assert "Requested 4–29 Jan 2027, which fits." in host_request_fit(bot)


def test_requested_dates_that_do_not_fit_are_shown_with_the_reason(bot: RunningBot, world):
    with bot.deps.uow() as uow:
        home = uow.session.get(Team, world["home"])
        home.blackouts.append(
            Blackout(workspace_id="T0TEST", starts_on=date(2027, 1, 11), ends_on=date(2027, 1, 15))
        )
        uow.commit()
    apply(bot, world["opening"], start=date(2027, 1, 11))
    fit = host_request_fit(bot)
    assert (
        "Requested 11 Jan 2027 – 5 Feb 2027, but a blackout of the home or host team covers them; "
        "fits 18 Jan 2027 – 26 Mar 2027" in fit
    )


def test_validation_errors_keep_the_modal_open(bot: RunningBot, world):
    response = apply(bot, world["opening"], start=WINDOW_START + timedelta(weeks=10), motivation="")
    errors = response.json()["errors"]
    assert response.json()["response_action"] == "errors"
    assert "Tell the host team" in errors["motivation"]
    assert "must fit between" in errors["starts_on"]
    with bot.deps.uow() as uow:
        assert uow.session.query(Application).count() == 0


def test_someone_not_entitled_is_refused_and_nothing_changes(bot: RunningBot, world):
    apply(bot, world["opening"])
    [request] = bot.slack.wait_for("chat.postMessage", count=2) and dms_to(bot, HOST_LEAD)
    application_id = button_value(request, views.HOST_ACCEPT)
    bot.requests.block_action(
        user_id=VISITOR, action_id=views.HOST_ACCEPT, value=application_id, channel_id="D0VISITOR"
    )
    [ephemeral] = bot.slack.wait_for("response_url")
    assert ephemeral.params["text"].startswith("Nobody decides on their own visit")
    assert application_of(bot).status == "submitted"


def test_a_double_click_is_recorded_once(bot: RunningBot, world):
    apply(bot, world["opening"])
    [request] = bot.slack.wait_for("chat.postMessage", count=2) and dms_to(bot, HOST_LEAD)
    application_id = button_value(request, views.HOST_ACCEPT)
    for _ in range(2):
        bot.requests.block_action(
            user_id=HOST_LEAD,
            action_id=views.HOST_ACCEPT,
            value=application_id,
            channel_id="D0HOST",
        )
    [ephemeral] = bot.slack.wait_for("response_url")
    assert "Nothing changed" in ephemeral.params["text"]
    with bot.deps.uow() as uow:
        assert uow.audit.actions("T0TEST").count("application_host_accepted") == 1


def test_over_the_cap_needs_an_explicit_override(bot: RunningBot, world):
    with bot.deps.uow() as uow:
        colleague = seed_person(uow, "U0COLLEAGUE", home_team_id=world["home"])
        other = seed_opening(
            uow,
            uow.session.get(Team, world["host"]),
            "Another",
            earliest_start=WINDOW_START,
            latest_end=WINDOW_START + timedelta(weeks=8),
        )
        earlier = uow.applications.create(
            workspace_id="T0TEST",
            opening_id=other.id,
            person_id=colleague.id,
            status="confirmed",
            starts_on=WINDOW_START,
            ends_on=WINDOW_START + timedelta(days=13),
        )
        uow.tours.create(
            workspace_id="T0TEST",
            application_id=earlier.id,
            person_id=colleague.id,
            opening_id=other.id,
            host_team_id=world["host"],
            home_team_id=world["home"],
            starts_on=WINDOW_START,
            ends_on=WINDOW_START + timedelta(days=13),
        )
        uow.commit()
    apply(bot, world["opening"])
    [request] = bot.slack.wait_for("chat.postMessage", count=2) and dms_to(bot, HOST_LEAD)
    application_id = button_value(request, views.HOST_ACCEPT)
    bot.requests.block_action(user_id=HOST_LEAD, action_id=views.HOST_ACCEPT, value=application_id)
    bot.slack.wait_for("chat.postMessage", count=4)
    [home_request] = dms_to(bot, HOME_LEAD)
    assert "Agree anyway (give a reason)…" in str(home_request)
    bot.requests.block_action(user_id=HOME_LEAD, action_id=views.HOME_AGREE, value=application_id)
    agree_modal = bot.slack.wait_for("views.open", count=2)[-1].params["view"]
    assert "override_reason" in str(agree_modal)
    response = bot.requests.view_submission(
        user_id=HOME_LEAD,
        callback_id=views.HOME_AGREE_MODAL,
        private_metadata=application_id,
        values={
            "covering": {"covering": plain("Piotr")},
            "override_reason": {"override_reason": plain("")},
        },
    )
    assert "1 of the team are already away then" in response.json()["errors"]["override_reason"]
    response = bot.requests.view_submission(
        user_id=HOME_LEAD,
        callback_id=views.HOME_AGREE_MODAL,
        private_metadata=application_id,
        values={
            "covering": {"covering": plain("Piotr")},
            "override_reason": {"override_reason": plain("Quiet month")},
        },
    )
    assert response.body == b""
    assert application_of(bot).override_reason == "Quiet month"


def test_organisers_decide_when_the_home_team_has_no_lead(bot: RunningBot, world):
    with bot.deps.uow() as uow:
        uow.session.query(TeamLead).filter_by(team_id=world["home"]).delete()
        uow.commit()
    apply(bot, world["opening"])
    [request] = bot.slack.wait_for("chat.postMessage", count=2) and dms_to(bot, HOST_LEAD)
    bot.requests.block_action(
        user_id=HOST_LEAD,
        action_id=views.HOST_ACCEPT,
        value=button_value(request, views.HOST_ACCEPT),
    )
    bot.slack.wait_for("chat.postMessage", count=4)
    [to_organiser] = dms_to(bot, ORGANISER)
    assert "because Commissions has no lead listed in the team directory" in str(to_organiser)


def test_requests_slack_would_not_deliver_reach_the_organisers(bot: RunningBot, world):
    """The host lead never saw the request, so an organiser passes it on."""
    bot.slack.inject("chat.postMessage", error="user_not_found", times=2)
    apply(bot, world["opening"])
    [report] = [m for m in dms_to(bot, ORGANISER) if "could not deliver" in m["text"]]
    assert report["text"] == (
        f"I could not deliver some messages about application #{application_of(bot).id}: "
        f"applied to <@{VISITOR}> (user_not_found); "
        f"host_request to <@{HOST_LEAD}> (user_not_found). Please pass them on."
    )


def test_applying_without_a_profile_says_what_to_do(bot: RunningBot, world):
    bot.requests.block_action(
        user_id="U0NOBODY",
        action_id=APPLY,
        value=str(world["opening"]),
        channel_id="C0TOURISM",
    )
    [ephemeral] = bot.slack.wait_for("response_url")
    assert "/tourism profile" in ephemeral.params["text"]
    assert ephemeral.params["response_type"] == "ephemeral"
    assert bot.slack.calls("views.open") == []


def test_withdrawing_a_booked_visit_frees_the_seat(bot: RunningBot, world):
    apply(bot, world["opening"])
    [request] = bot.slack.wait_for("chat.postMessage", count=2) and dms_to(bot, HOST_LEAD)
    application_id = button_value(request, views.HOST_ACCEPT)
    with bot.deps.uow() as uow:
        uow.applications.move(
            int(application_id), Status.SUBMITTED, Status.HOME_AGREED, bot.clock.now()
        )
        uow.commit()
    for confirmer in (VISITOR, BUDDY, HOST_LEAD, HOME_LEAD):
        bot.requests.block_action(
            user_id=confirmer, action_id=views.CARD_CONFIRM, value=application_id
        )
    bot.slack.wait_for("chat.postMessage", count=6)
    bot.requests.block_action(user_id=VISITOR, action_id=views.WITHDRAW, value=application_id)
    modal = bot.slack.wait_for("views.open", count=2)[-1].params["view"]
    assert modal["callback_id"] == views.WITHDRAW_MODAL
    empty = bot.requests.view_submission(
        user_id=VISITOR,
        callback_id=views.WITHDRAW_MODAL,
        private_metadata=application_id,
        values={"reason": {"reason": plain("")}},
    )
    assert "Say why" in empty.json()["errors"]["reason"]
    bot.requests.view_submission(
        user_id=VISITOR,
        callback_id=views.WITHDRAW_MODAL,
        private_metadata=application_id,
        values={"reason": {"reason": plain("Family <!channel> matters")}},
    )
    ended = messages_titled(bot, "A visit was called off", 3)
    assert sorted(m["channel"] for m in ended) == sorted([BUDDY, HOST_LEAD, HOME_LEAD])
    assert "Family &lt;!channel&gt; matters" in str(ended[0])
    with bot.deps.uow() as uow:
        tour = uow.session.query(Tour).one()
        assert tour.status == "cancelled"
        assert uow.outbox.of_tour("T0TEST", tour.id) == []  # nothing had been sent yet
        opening = uow.session.get(Opening, world["opening"])
        assert (opening.seats_taken, opening.status) == (0, "open")


def lead_too(bot: RunningBot, team_id: int, user_id: str = VISITOR) -> None:
    with bot.deps.uow() as uow:
        uow.session.add(TeamLead(workspace_id="T0TEST", team_id=team_id, user_id=user_id))
        uow.commit()


def test_nobody_approves_their_own_visit(bot: RunningBot, world):
    """The visitor leads the host team (with another lead) and is the only lead of their home
    team: the other host lead accepts, the organisers agree to the absence, each told why."""
    lead_too(bot, world["host"])
    with bot.deps.uow() as uow:
        uow.session.query(TeamLead).filter_by(team_id=world["home"], user_id=HOME_LEAD).delete()
        uow.commit()
    lead_too(bot, world["home"])
    apply(bot, world["opening"])
    [applied] = dms_to(bot, VISITOR)
    assert f"<@{HOST_LEAD}> (you lead Streaming too" in str(applied["blocks"])
    [request] = dms_to(bot, HOST_LEAD)
    assert f"because <@{VISITOR}> also leads Streaming" in str(request["blocks"])
    application_id = button_value(request, views.HOST_ACCEPT)

    bot.requests.block_action(user_id=VISITOR, action_id=views.HOST_ACCEPT, value=application_id)
    assert (
        "Nobody decides on their own visit" in bot.slack.wait_for("response_url")[-1].params["text"]
    )
    assert application_of(bot).status == "submitted"

    click(bot, HOST_LEAD, views.HOST_ACCEPT, application_id)
    [to_organiser] = dms_to(bot, ORGANISER)
    assert f"because <@{VISITOR}> is Commissions's only lead" in str(to_organiser["blocks"])
    assert [m for m in dms_to(bot, VISITOR) if views.HOME_AGREE in str(m)] == []
    bot.requests.block_action(user_id=VISITOR, action_id=views.HOME_AGREE, value=application_id)
    assert (
        "Nobody decides on their own visit"
        in bot.slack.wait_for("response_url", count=2)[-1].params["text"]
    )
    assert application_of(bot).status == "host_accepted"


def test_an_organiser_visitor_cannot_agree_to_their_own_absence(bot: RunningBot, world):
    """An organiser who applies is still only the visitor: their home lead decides."""
    with bot.deps.uow() as uow:
        person = uow.people.get_by_user("T0TEST", VISITOR)
        person.user_id = ORGANISER
        uow.commit()
    bot.requests.block_action(user_id=ORGANISER, action_id=APPLY, value=str(world["opening"]))
    modal = bot.slack.wait_for("views.open")[-1].params["view"]
    before = len(bot.slack.calls("views.publish"))
    bot.requests.view_submission(
        user_id=ORGANISER,
        callback_id=views.APPLY_MODAL,
        private_metadata=modal["private_metadata"],
        values={
            "motivation": {"motivation": plain("Why not")},
            "learning_goal": {"learning_goal": plain("")},
            "starts_on": {"starts_on": date_value(WINDOW_START)},
        },
    )
    settled(bot, before)
    [request] = dms_to(bot, HOST_LEAD)
    application_id = button_value(request, views.HOST_ACCEPT)
    click(bot, HOST_LEAD, views.HOST_ACCEPT, application_id)
    bot.requests.block_action(user_id=ORGANISER, action_id=views.HOME_AGREE, value=application_id)
    assert (
        "Nobody decides on their own visit" in bot.slack.wait_for("response_url")[-1].params["text"]
    )


def test_a_confirmed_card_is_updated_in_place_with_one_booked_message(bot: RunningBot, world):
    apply(bot, world["opening"])
    [request] = dms_to(bot, HOST_LEAD)
    application_id = button_value(request, views.HOST_ACCEPT)
    click(bot, HOST_LEAD, views.HOST_ACCEPT, application_id)
    bot.requests.view_submission(
        user_id=HOME_LEAD,
        callback_id=views.HOME_AGREE_MODAL,
        private_metadata=application_id,
        values={"covering": {"covering": plain("Ola")}},
    )
    cards = messages_titled(bot, "Please confirm the visit card", 4)
    for confirmer in (VISITOR, BUDDY, HOST_LEAD, HOME_LEAD):
        bot.requests.block_action(
            user_id=confirmer, action_id=views.CARD_CONFIRM, value=application_id
        )
    booked = messages_titled(bot, "The visit is booked", 4)
    assert sorted(m["channel"] for m in booked) == sorted([VISITOR, HOST_LEAD, HOME_LEAD, BUDDY])
    assert not any("*Goal:*" in str(m["blocks"]) for m in booked)  # the card is not repeated
    # Four cards updated in place, then the announcement's seat count.
    updates = [
        c.params
        for c in bot.slack.wait_for("chat.update", count=5)
        if c.params["text"] == "The visit is booked"
    ]
    assert sorted(u["channel"] for u in updates) == sorted(f"D{card['channel']}" for card in cards)
    for update in updates:
        assert "*Goal:*" in str(update["blocks"])
        assert button_value(update, views.CHANGE_DATES) == application_id
    assert not [
        c for c in bot.slack.calls("chat.update") if "is now confirmed" in str(c.params["blocks"])
    ]
