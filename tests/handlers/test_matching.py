"""The matcher through signed HTTP: suggestions, candidates, the round and its proposals."""

import json
from datetime import date

import pytest

from bot.applications import views as application_views
from bot.home.views import ROUND_FROM_HOME
from bot.matching import RoundMode, views
from bot.matching.model import NewProposal, ProposalStatus
from bot.openings.views import APPLY
from storage.models import Application, Opening, Team
from tests.conftest import ORGANISER, RunningBot
from tests.support.replies import command_reply as reply
from tests.support.seed import seed_opening, seed_person, seed_team, seed_tour

VISITOR, HOST_LEAD, HOME_LEAD = "U0VISITOR", "U0HOSTLEAD", "U0HOMELEAD"


@pytest.fixture
def world(bot: RunningBot) -> dict[str, int]:
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Streaming", leads=(HOST_LEAD,))
        home = seed_team(uow, "Commissions", leads=(HOME_LEAD,))
        seed_person(
            uow,
            VISITOR,
            home_team_id=home.id,
            learn_topics=["kafka", "stream processing"],
            available_from=date(2027, 1, 1),
            available_until=date(2027, 6, 30),
        )
        kafka = seed_opening(
            uow,
            host,
            "Kafka <internals>",
            earliest_start=date(2027, 1, 4),
            latest_end=date(2027, 3, 1),
            topics=["kafka"],
            work_mode="remote",
        )
        seed_opening(
            uow,
            host,
            "Frontend",
            earliest_start=date(2027, 1, 4),
            latest_end=date(2027, 3, 1),
            topics=["react"],
            work_mode="remote",
        )
        uow.commit()
        return {"kafka": kafka.id, "host": host.id}


def test_match_shows_explained_suggestions_with_apply_buttons(bot: RunningBot, world):
    message = reply(bot, "match", VISITOR)
    text = str(message["blocks"])
    assert "Kafka &lt;internals&gt;" in text and "Frontend" not in text
    assert "kafka" in text.lower()
    [apply] = [b["accessory"] for b in message["blocks"] if "accessory" in b]
    assert (apply["action_id"], apply["value"]) == (APPLY, str(world["kafka"]))


def test_match_without_a_profile_points_to_it(bot: RunningBot, world):
    message = reply(bot, "match", "U0STRANGER")
    assert "`/tourism profile`" in str(message["blocks"])


def test_match_says_why_nothing_fits(bot: RunningBot, world):
    with bot.deps.uow() as uow:
        person = uow.people.get_by_user("T0TEST", VISITOR)
        person.available_from, person.available_until = date(2026, 12, 1), date(2026, 12, 20)
        uow.commit()
    message = reply(bot, "match", VISITOR)
    assert "Nothing fits you right now" in str(message["blocks"])
    assert "dates" in str(message["blocks"]).lower()


def test_an_opening_and_a_profile_left_on_their_defaults_match(bot: RunningBot, world):
    with bot.deps.uow() as uow:
        uow.session.get(Team, world["host"]).city = "Lisbon"
        opening = uow.session.get(Opening, world["kafka"])
        opening.work_mode = "hybrid"  # the opening form's default
        person = uow.people.get_by_user("T0TEST", VISITOR)
        assert (person.work_mode, person.city, person.willing_to_travel) == ("either", None, False)
        uow.commit()
    assert "Kafka &lt;internals&gt;" in str(reply(bot, "match", VISITOR)["blocks"])


def test_match_asks_for_the_city_when_that_is_what_blocks(bot: RunningBot, world):
    with bot.deps.uow() as uow:
        uow.session.get(Team, world["host"]).city = "Lisbon"
        uow.session.get(Opening, world["kafka"]).work_mode = "onsite"
        uow.commit()
    text = str(reply(bot, "match", VISITOR)["blocks"])
    assert "1 would fit if you added your city to your profile" in text
    assert "willing to travel" not in text


def test_match_says_which_team_is_left_out_because_it_was_visited(bot: RunningBot, world):
    with bot.deps.uow() as uow:
        host = uow.session.get(Team, world["host"])
        earlier = seed_opening(
            uow, host, "Last year", earliest_start=date(2026, 1, 5), latest_end=date(2026, 3, 1)
        )
        earlier.status = "closed"
        visitor = uow.people.get_by_user("T0TEST", VISITOR)
        seed_tour(
            uow,
            visitor,
            earlier,
            starts_on=date(2026, 1, 5),
            ends_on=date(2026, 2, 1),
            status="completed",
        )
        uow.commit()
    note = "Not suggested: the openings of *Streaming*, a team you have already visited."
    text = str(reply(bot, "match", VISITOR)["blocks"])
    assert "Kafka &lt;internals&gt;" not in text and note in text

    with bot.deps.uow() as uow:  # with something else that fits, the note stays
        payments = seed_team(uow, "Payments")
        window = {"earliest_start": date(2027, 1, 4), "latest_end": date(2027, 3, 1)}
        seed_opening(
            uow, payments, "Ledger streams", topics=["kafka"], work_mode="remote", **window
        )
        uow.commit()
    text = str(reply(bot, "match", VISITOR)["blocks"])
    assert "Ledger streams" in text and note in text


def test_candidates_for_a_lead_and_the_invitation(bot: RunningBot, world):
    message = reply(bot, "candidates", HOST_LEAD)
    [invite] = [
        b["accessory"]
        for b in message["blocks"]
        if b.get("accessory", {}).get("action_id") == views.CANDIDATE_INVITE
    ]
    assert f"<@{VISITOR}>" in str(message["blocks"])
    bot.requests.block_action(
        user_id="U0SOMEONE",
        action_id=views.CANDIDATE_INVITE,
        value=invite["value"],
        channel_id="C0X",
    )
    refusal = bot.slack.wait_for("response_url", count=2)[-1].params
    assert "Only a lead of the host team" in refusal["text"]
    bot.requests.block_action(
        user_id=HOST_LEAD, action_id=views.CANDIDATE_INVITE, value=invite["value"]
    )
    [dm] = bot.slack.wait_for("chat.postMessage")
    assert dm.params["channel"] == VISITOR
    assert f"<@{HOST_LEAD}> invites you" in str(dm.params["blocks"])


def test_candidates_is_for_leads(bot: RunningBot, world):
    message = reply(bot, "candidates", VISITOR)
    assert "for team leads" in message["text"]


def test_round_is_for_organisers(bot: RunningBot, world):
    message = reply(bot, "round", VISITOR)
    assert f"<@{ORGANISER}>" in message["text"]


def test_round_with_an_unknown_mode_shows_the_usage(bot: RunningBot, world):
    message = reply(bot, "round quickest", ORGANISER)
    assert "`/tourism round [best|fair|calendar]`" in message["text"]


def test_round_preview_send_and_accept(bot: RunningBot, world):
    bot.requests.slash_command("round", user_id=ORGANISER)
    preview = bot.slack.wait_for("response_url")[-1].params
    text = str(preview["blocks"])
    assert "Matching round: Best total fit" in text
    assert f"<@{VISITOR}> → *Kafka &lt;internals&gt;*" in text
    buttons = [e for b in preview["blocks"] if b["type"] == "actions" for e in b["elements"]]
    [fair] = [b for b in buttons if b["value"] == "fair"]
    bot.requests.block_action(user_id=ORGANISER, action_id=fair["action_id"], value=fair["value"])
    assert "Fair / stable" in str(bot.slack.wait_for("response_url", count=2)[-1].params["blocks"])

    [send] = [b for b in buttons if b["action_id"] == views.ROUND_SEND]
    bot.requests.block_action(
        user_id=VISITOR, action_id=views.ROUND_SEND, value=send["value"], channel_id="C0X"
    )
    assert "Only organisers" in bot.slack.wait_for("response_url", count=3)[-1].params["text"]
    bot.requests.block_action(user_id=ORGANISER, action_id=views.ROUND_SEND, value=send["value"])
    [proposal] = bot.slack.wait_for("chat.postMessage")
    assert proposal.params["channel"] == VISITOR
    accept = next(
        e
        for b in proposal.params["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == views.PROPOSAL_ACCEPT
    )

    bot.requests.block_action(
        user_id=HOME_LEAD, action_id=views.PROPOSAL_ACCEPT, value=accept["value"], channel_id="C0X"
    )
    assert (
        "Only the person it was made to"
        in bot.slack.wait_for("response_url", count=5)[-1].params["text"]
    )
    bot.requests.block_action(
        user_id=VISITOR, action_id=views.PROPOSAL_ACCEPT, value=accept["value"]
    )
    host_request = bot.slack.wait_for("chat.postMessage", count=3)
    assert any(
        c.params["channel"] == HOST_LEAD
        and application_views.HOST_DECLINE in str(c.params["blocks"])
        for c in host_request
    )
    with bot.deps.uow() as uow:
        assert uow.session.query(Application).one().status == "submitted"

    bot.requests.block_action(
        user_id=VISITOR, action_id=views.PROPOSAL_ACCEPT, value=accept["value"], channel_id="D0V"
    )
    assert "Nothing changed" in bot.slack.wait_for("response_url", count=6)[-1].params["text"]


def test_the_round_preview_is_a_message_slack_accepts(bot: RunningBot, world):
    """Slack refused the preview (`invalid_blocks`): its mode buttons shared one action_id in
    one actions block, so organisers only ever saw "Running a best total fit round…"."""
    bot.requests.slash_command("round", user_id=ORGANISER)
    preview = bot.slack.wait_for("response_url")[-1]
    assert preview.response == {"ok": True}
    modes = next(b for b in preview.params["blocks"] if b["type"] == "actions")["elements"]
    assert {m["value"] for m in modes} == {"fair", "calendar"}

    bot.requests.block_action(
        user_id=ORGANISER, action_id=modes[1]["action_id"], value=modes[1]["value"]
    )
    switched = bot.slack.wait_for("response_url", count=2)[-1]
    assert switched.response == {"ok": True}
    assert "Calendar-aware" in str(switched.params["blocks"])


def test_the_round_preview_from_the_home_tab_is_a_message_slack_accepts(bot: RunningBot, world):
    bot.requests.block_action(
        user_id=ORGANISER, action_id=ROUND_FROM_HOME, view={"id": "V0HOME", "type": "home"}
    )
    [preview] = bot.slack.wait_for("chat.postMessage")
    assert preview.params["channel"] == ORGANISER
    assert preview.response["ok"] is True, preview.response


def preview_of(bot: RunningBot, count: int = 1) -> dict:
    bot.requests.slash_command("round", user_id=ORGANISER)
    return bot.slack.wait_for("response_url", count=count)[-1].params


def element(message: dict, action_id: str) -> dict:
    return next(
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )


def proposals_to(bot: RunningBot, user_id: str) -> list[dict]:
    return [
        c.params
        for c in bot.slack.calls("chat.postMessage")
        if c.params["channel"] == user_id and c.params["text"].startswith("A team tourism visit")
    ]


def test_proposals_are_sent_once_per_visitor_and_opening(bot: RunningBot, world):
    send = element(preview_of(bot), views.ROUND_SEND)
    assert send["text"]["text"] == "Send 1 proposal"
    for _ in range(2):  # a double click
        bot.requests.block_action(
            user_id=ORGANISER, action_id=views.ROUND_SEND, value=send["value"]
        )
    answers = bot.slack.wait_for("response_url", count=3)[1:]
    assert sorted(a.params["text"][:20] for a in answers) == [
        "No new proposals wer",
        "Sent 1 proposal. Eac",
    ]
    assert len(proposals_to(bot, VISITOR)) == 1

    # A second round while the visitor has not answered leaves them out, and says so.
    second = preview_of(bot, count=4)
    text = str(second["blocks"])
    assert f"<@{VISITOR}>: has not answered *Kafka &lt;internals&gt;*" in text
    assert f"<@{VISITOR}> →" not in text
    bot.requests.block_action(user_id=ORGANISER, action_id=views.ROUND_SEND, value=send["value"])
    assert (
        "Left out: 1 person who has not answered"
        in bot.slack.wait_for("response_url", count=5)[-1].params["text"]
    )
    assert len(proposals_to(bot, VISITOR)) == 1
    with bot.deps.uow() as uow:
        assert uow.proposals.waiting("T0TEST") == [(VISITOR, world["kafka"])]


def test_the_database_holds_one_live_proposal_per_visitor_and_opening(bot: RunningBot, world):
    proposal = NewProposal(
        visitor_id=VISITOR,
        opening_id=world["kafka"],
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 1, 31),
        mode=RoundMode.BEST_TOTAL_FIT,
        explanation="",
        sent_by=ORGANISER,
        created_at=bot.clock.now(),
    )
    with bot.deps.uow() as uow:
        first = uow.proposals.create_once("T0TEST", proposal)
        assert first is not None and uow.proposals.create_once("T0TEST", proposal) is None
        assert uow.proposals.answer("T0TEST", first, ProposalStatus.DECLINED)
        assert uow.proposals.create_once("T0TEST", proposal) is not None


def test_an_accepted_proposal_goes_to_the_host_lead_who_may_decline(bot: RunningBot, world):
    send = element(preview_of(bot), views.ROUND_SEND)
    bot.requests.block_action(user_id=ORGANISER, action_id=views.ROUND_SEND, value=send["value"])
    [proposal] = bot.slack.wait_for("chat.postMessage")
    text = str(proposal.params["blocks"])
    assert "has agreed" not in text
    assert "Streaming posted this opening for visitors like you" in text
    accept = element(proposal.params, views.PROPOSAL_ACCEPT)
    bot.requests.block_action(
        user_id=VISITOR, action_id=views.PROPOSAL_ACCEPT, value=accept["value"]
    )
    bot.slack.wait_for("chat.postMessage", count=3)
    [request] = [
        c.params for c in bot.slack.calls("chat.postMessage") if c.params["channel"] == HOST_LEAD
    ]
    assert "matching-round proposal" in str(request["blocks"])
    assert "within 3 working days" in str(request["blocks"])
    assert not [c for c in bot.slack.calls("chat.postMessage") if c.params["channel"] == HOME_LEAD]
    decline = element(request, application_views.HOST_DECLINE)
    bot.requests.block_action(
        user_id=HOST_LEAD, action_id=application_views.HOST_DECLINE, value=decline["value"]
    )
    modal = bot.slack.wait_for("views.open")[-1].params["view"]
    assert modal["callback_id"] == application_views.HOST_DECLINE_MODAL
    with bot.deps.uow() as uow:
        assert uow.session.query(Application).one().status == "submitted"


def test_a_lead_invites_a_candidate_once(bot: RunningBot, world):
    value = json.dumps({"opening": world["kafka"], "visitor": VISITOR})
    for _ in range(2):
        bot.requests.block_action(
            user_id=HOST_LEAD, action_id=views.CANDIDATE_INVITE, value=value, channel_id="C0X"
        )
    answers = sorted(c.params["text"] for c in bot.slack.wait_for("response_url", count=2))
    assert answers[0].startswith(f"<@{VISITOR}> was already invited")
    assert answers[1].startswith(f"Invited <@{VISITOR}>")
    assert len([c for c in bot.slack.calls("chat.postMessage")]) == 1


def test_people_left_out_of_a_round_are_told_why_on_request(bot: RunningBot, world):
    with bot.deps.uow() as uow:
        seed_person(
            uow,
            "U0LATE",
            learn_topics=["kafka"],
            available_from=date(2028, 1, 1),
            available_until=date(2028, 3, 1),
        )
        uow.commit()
    preview = preview_of(bot)
    assert "<@U0LATE>:" in str(preview["blocks"])
    assert bot.slack.calls("chat.postMessage") == []  # nobody is told on their own
    tell = element(preview, views.ROUND_TELL_LEFT_OUT)
    assert tell["text"]["text"] == "Tell the 1 person left out why"
    bot.requests.block_action(
        user_id=ORGANISER, action_id=views.ROUND_TELL_LEFT_OUT, value=tell["value"]
    )
    [told] = bot.slack.wait_for("chat.postMessage")
    assert told.params["channel"] == "U0LATE"
    assert "could not place you this time" in str(told.params["blocks"])
    updated = bot.slack.wait_for("response_url", count=2)[-1].params
    assert "Told 1 person left out why" in str(updated["blocks"])
