"""The end of a visit through signed HTTP: the retro and its highlight, the share-back reminder
and its session, the 90-day follow-up. The real deliverer sends the scheduled messages."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

import tests.conftest
from bot.retros import views
from bot.scheduling.service import schedule_tour
from infra.delivery import Deliverer, SlackTimeZones, build_delivery_client
from infra.fake_slack.requests import checkboxes, conversation, plain, radio
from infra.fake_slack.requests import date as date_value
from infra.settings import load_settings
from storage.models import OutboxMessage, Retro, ShareBack
from tests.conftest import RunningBot
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

VISITOR, LEAD, STRANGER = "U0VISITOR", "U0LEAD", "U0STRANGER"
DM = f"D{VISITOR}"
CHANNEL, HOME_CHANNEL = "C0TOURISM", "C0HOME"
TYPED = "<!channel> & <@U123>"
ESCAPED = "&lt;!channel&gt; &amp; &lt;@U123&gt;"
STARTS_ON, ENDS_ON = date(2026, 10, 26), date(2026, 11, 20)  # Monday to Friday, four weeks


@pytest.fixture
def tourism_channel(monkeypatch: pytest.MonkeyPatch) -> str:
    """Asked for before `bot`: the bot starts with TOURISM_CHANNEL set."""
    monkeypatch.setattr(
        tests.conftest,
        "make_settings",
        lambda env: load_settings({**env, "TOURISM_CHANNEL": CHANNEL}),
    )
    return CHANNEL


@pytest.fixture
def tour_id(bot: RunningBot) -> int:
    settings = bot.deps.settings
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Payments <Core>", leads=(LEAD,))
        home = seed_team(uow, "Search & Ranking", channel_id=HOME_CHANNEL)
        opening = seed_opening(
            uow, host, "Ledger internals", earliest_start=STARTS_ON, latest_end=date(2027, 1, 29)
        )
        visitor = seed_person(uow, VISITOR, home_team_id=home.id)
        tour = seed_tour(
            uow, visitor, opening, starts_on=STARTS_ON, ends_on=ENDS_ON, status="active"
        )
        schedule_tour(uow, tour, SlackTimeZones(build_delivery_client(settings)), settings.timezone)
        uow.commit()
        return tour.id


def deliver(bot: RunningBot, content_key: str) -> dict[str, Any]:
    """The real deliverer sends the row when due; the message as it is in the visitor's DM."""
    with bot.deps.uow() as uow:
        [row] = uow.session.query(OutboxMessage).filter_by(content_key=content_key).all()
        due_at, outbox_id = row.due_at, row.id
    bot.clock.move_to(due_at)  # type: ignore[attr-defined]
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
    [message] = [
        m
        for m in bot.slack.messages(VISITOR)
        if m.get("metadata", {}).get("event_payload", {}).get("outbox_id") == outbox_id
    ]
    return message


def elements(message: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in message["blocks"]:
        found += [
            *block.get("elements", []),
            *([block["accessory"]] if "accessory" in block else []),
        ]
    return [element for element in found if element.get("type") == "button"]


def button(message: dict[str, Any], action_id: str, index: int = 0) -> dict[str, Any]:
    return [e for e in elements(message) if e["action_id"] == action_id][index]


def click(
    bot: RunningBot, message: dict[str, Any], action_id: str, *, user: str = VISITOR, index: int = 0
) -> None:
    bot.requests.block_action(
        user_id=user,
        action_id=action_id,
        value=button(message, action_id, index)["value"],
        channel_id=DM,
        message=message,
    )


def current(bot: RunningBot, message: dict[str, Any]) -> dict[str, Any]:
    [now] = [m for m in bot.slack.messages(VISITOR) if m["ts"] == message["ts"]]
    return now


def text_of(message: dict[str, Any]) -> str:
    return json.dumps(message["blocks"], ensure_ascii=False)


def dm_texts(bot: RunningBot) -> list[str]:
    return [m["text"] for m in bot.slack.messages(VISITOR) if not m.get("metadata")]


def wait_for_dm(bot: RunningBot, count: int) -> str:
    seen = len(bot.slack.calls("chat.postMessage"))
    while len(dm_texts(bot)) < count:
        seen += 1
        bot.slack.wait_for("chat.postMessage", count=seen)
    return dm_texts(bot)[count - 1]


def retro_values(
    *,
    learned: str = "How a double-entry ledger settles",
    bring_back: str = "Idempotency keys on payouts\nA weekly reconciliation report",
    rating: str | None = "4",
    length: str | None = "right",
    share: bool = False,
) -> dict[str, Any]:
    return {
        "learned": {"learned": plain(learned)},
        "bring_back": {"bring_back": plain(bring_back)},
        "rating": {"rating": radio(rating)},
        "length": {"length": radio(length)},
        views.SHARE: {views.SHARE: checkboxes([views.SHARE] if share else [])},
    }


def open_retro(bot: RunningBot, prompt: dict[str, Any]) -> dict[str, Any]:
    opened = len(bot.slack.calls("views.open"))
    click(bot, prompt, views.RETRO_OPEN)
    return bot.slack.wait_for("views.open", count=opened + 1)[-1].params["view"]


def submit_retro(bot: RunningBot, tour: int, *, user: str = VISITOR, **values: Any):
    return bot.requests.view_submission(
        user_id=user,
        callback_id=views.RETRO_MODAL,
        private_metadata=str(tour),
        values=retro_values(**values),
    )


def saved_retro(bot: RunningBot) -> Retro | None:
    with bot.deps.uow() as uow:
        retro = uow.session.query(Retro).one_or_none()
        if retro is not None:
            uow.session.expunge(retro)
        return retro


# --- the retro --------------------------------------------------------------------------------


def test_the_retro_prompt_opens_the_modal_and_the_retro_is_kept(bot: RunningBot, tour_id: int):
    prompt = deliver(bot, "retro")
    assert button(prompt, views.RETRO_OPEN)["value"] == str(tour_id)

    modal = open_retro(bot, prompt)
    assert modal["callback_id"] == views.RETRO_MODAL
    assert modal["private_metadata"] == str(tour_id)
    assert [block.get("block_id") for block in modal["blocks"][1:]] == [
        "learned",
        "bring_back",
        "rating",
        "length",
        views.SHARE,
    ]
    response = submit_retro(bot, tour_id)
    assert response.status == 200 and response.body == b""

    retro = saved_retro(bot)
    assert retro is not None
    assert retro.learned == "How a double-entry ledger settles"
    assert retro.bring_back == ["Idempotency keys on payouts", "A weekly reconciliation report"]
    assert (retro.rating, retro.length_verdict, retro.shareable) == (4, "right", False)
    assert wait_for_dm(bot, 1).startswith("Thank you, your retro is saved. In 90 days")

    with bot.deps.uow() as uow:
        follow_up = uow.outbox.by_key(WORKSPACE, f"tour:{tour_id}:retro_follow_up")
        assert follow_up is not None and follow_up.recipient == VISITOR
        # 90 days after Fri 20 Nov is Thu 18 Feb, 10:00 in Warsaw.
        assert follow_up.due_at == datetime(2027, 2, 18, 9, 0, tzinfo=UTC)
        assert follow_up.payload["action_items"] == retro.bring_back


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"learned": ""}, "learned", "what you learned"),
        ({"learned": "x" * 3001}, "learned", "3000 characters"),
        ({"bring_back": "\n".join(f"item {n}" for n in range(21))}, "bring_back", "At most 20"),
        ({"bring_back": "fine\n" + "y" * 301}, "bring_back", "(item 2)"),
        ({"rating": None}, "rating", "from 1"),
        ({"rating": "6"}, "rating", "from 1"),
        ({"length": None}, "length", "too short"),
        ({"length": "forever"}, "length", "too short"),
    ],
)
def test_an_invalid_retro_is_refused_field_by_field_and_nothing_is_kept(
    bot: RunningBot, tour_id: int, values: dict[str, Any], field: str, message: str
):
    response = submit_retro(bot, tour_id, **values)
    body = response.json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == [field]
    assert message in body["errors"][field]
    assert saved_retro(bot) is None
    with bot.deps.uow() as uow:
        assert uow.outbox.by_key(WORKSPACE, f"tour:{tour_id}:retro_follow_up") is None


def test_only_the_visitor_writes_the_retro(bot: RunningBot, tour_id: int):
    prompt = deliver(bot, "retro")
    click(bot, prompt, views.RETRO_OPEN, user=STRANGER)
    refusal = bot.slack.wait_for("response_url")[-1].params["text"]
    assert refusal.startswith("Only the visitor answers their retro")
    assert bot.slack.calls("views.open") == []

    response = submit_retro(bot, tour_id, user=STRANGER)
    body = response.json()
    assert body["response_action"] == "update"
    assert "Only the visitor" in text_of(body["view"])
    assert saved_retro(bot) is None


def test_the_highlight_follows_the_visitors_consent_and_is_escaped(
    tourism_channel: str, bot: RunningBot, tour_id: int
):
    bot.slack.add_channel(CHANNEL, "tourism")
    submit_retro(bot, tour_id, share=False)
    wait_for_dm(bot, 1)
    assert bot.slack.messages(CHANNEL) == []

    prompt = deliver(bot, "retro")
    modal = open_retro(bot, prompt)
    assert modal["title"]["text"] == "Edit your retro"
    assert modal["blocks"][1]["element"]["initial_value"] == "How a double-entry ledger settles"

    submit_retro(bot, tour_id, share=True, learned=TYPED, bring_back=f"Try {TYPED}")
    assert wait_for_dm(bot, 2).startswith("Your retro is updated.")
    [highlight] = bot.slack.messages(CHANNEL)
    shown = text_of(highlight)
    assert f"What I learned*\\n{ESCAPED}" in shown and f"• Try {ESCAPED}" in shown
    assert TYPED not in shown
    assert "Payments &lt;Core&gt;" in shown and "Search &amp; Ranking" in shown
    assert f"<#{CHANNEL}>" in dm_texts(bot)[1]
    retro = saved_retro(bot)
    assert retro is not None and (retro.highlight_channel, retro.highlight_ts) == (
        CHANNEL,
        highlight["ts"],
    )

    submit_retro(bot, tour_id, share=False)
    assert wait_for_dm(bot, 3).endswith("As you asked, your highlight is no longer shared.")
    assert bot.slack.messages(CHANNEL) == []
    retro = saved_retro(bot)
    assert retro is not None and retro.highlight_ts is None
    with bot.deps.uow() as uow:
        assert uow.session.query(Retro).count() == 1


def test_a_shared_retro_without_a_channel_tells_the_visitor(bot: RunningBot, tour_id: int):
    submit_retro(bot, tour_id, share=True)
    assert "No team tourism channel is configured" in wait_for_dm(bot, 1)
    assert [c for c in bot.slack.calls("chat.postMessage") if c.params["channel"] == CHANNEL] == []


def test_a_private_channel_the_bot_is_not_in_is_explained(
    tourism_channel: str, bot: RunningBot, tour_id: int
):
    bot.slack.add_channel(CHANNEL, "tourism", is_private=True, is_member=False)
    submit_retro(bot, tour_id, share=True)
    assert "`/invite @Team Tourism`" in wait_for_dm(bot, 1)
    retro = saved_retro(bot)
    assert retro is not None and retro.shareable and retro.highlight_ts is None


# --- the share-back ---------------------------------------------------------------------------


def share_back(bot: RunningBot) -> ShareBack | None:
    with bot.deps.uow() as uow:
        row = uow.session.query(ShareBack).one_or_none()
        if row is not None:
            uow.session.expunge(row)
        return row


def test_done_records_the_share_back_and_replaces_the_buttons(bot: RunningBot, tour_id: int):
    reminder = deliver(bot, "share_back")
    click(bot, reminder, views.SHARE_BACK_DONE, user=STRANGER)
    assert "Only the visitor" in bot.slack.wait_for("response_url")[-1].params["text"]
    assert share_back(bot) is None

    click(bot, reminder, views.SHARE_BACK_DONE)
    bot.slack.wait_for("chat.update")
    updated = current(bot, reminder)
    assert elements(updated) == []
    assert "You shared what you learned" in text_of(updated)
    row = share_back(bot)
    assert row is not None and row.done_at == bot.clock.now() and row.recorded_by == VISITOR


def test_not_yet_books_the_session_and_announces_it(bot: RunningBot, tour_id: int):
    bot.slack.add_channel(HOME_CHANNEL, "search")
    submit_retro(bot, tour_id, bring_back=f"Pairing on {TYPED}")
    wait_for_dm(bot, 1)
    reminder = deliver(bot, "share_back")  # Fri 27 Nov

    click(bot, reminder, views.SHARE_BACK_NOT_YET)
    modal = bot.slack.wait_for("views.open")[-1].params["view"]
    assert modal["callback_id"] == views.SHARE_BACK_MODAL
    [channel_block] = [b for b in modal["blocks"] if b.get("block_id") == "channel"]
    assert channel_block["element"]["initial_conversation"] == HOME_CHANNEL

    def book(day: date | None, channel: str | None):
        return bot.requests.view_submission(
            user_id=VISITOR,
            callback_id=views.SHARE_BACK_MODAL,
            private_metadata=modal["private_metadata"],
            values={
                "day": {"day": date_value(day)},
                "channel": {"channel": conversation(channel)},
            },
        )

    past = book(date(2026, 11, 2), HOME_CHANNEL).json()
    assert past["response_action"] == "errors" and list(past["errors"]) == ["day"]
    missing = book(None, None).json()
    assert set(missing["errors"]) == {"day", "channel"}
    assert share_back(bot) is None

    session_day = date(2026, 12, 3)
    assert book(session_day, HOME_CHANNEL).body == b""
    assert wait_for_dm(bot, 2) == (
        f"Your share-back session on Thu 3 Dec 2026 is booked. I announced it in <#{HOME_CHANNEL}>."
    )
    [announcement] = bot.slack.messages(HOME_CHANNEL)
    shown = text_of(announcement)
    assert f"<@{VISITOR}>" in shown and "Thu 3 Dec 2026" in shown
    assert f"• Pairing on {ESCAPED}" in shown and TYPED not in shown
    updated = current(bot, reminder)
    assert "Share-back session booked for Thu 3 Dec 2026" in text_of(updated)
    assert [e["action_id"] for e in elements(updated)] == [
        views.SHARE_BACK_DONE,
        views.SHARE_BACK_NOT_YET,
    ]
    row = share_back(bot)
    assert row is not None
    assert (row.session_on, row.session_channel, row.session_ts, row.done_at) == (
        session_day,
        HOME_CHANNEL,
        announcement["ts"],
        None,
    )


# --- the 90-day follow-up ---------------------------------------------------------------------


def test_the_follow_up_asks_which_action_items_stuck(bot: RunningBot, tour_id: int):
    submit_retro(bot, tour_id, bring_back=f"Idempotency keys\n{TYPED}\nReconciliation")
    wait_for_dm(bot, 1)
    follow_up = deliver(bot, "retro_follow_up")
    assert ESCAPED in text_of(follow_up) and TYPED not in text_of(follow_up)
    assert [e["value"] for e in elements(follow_up)] == [f"{tour_id}:{n}" for n in range(3)]

    click(bot, follow_up, views.RETRO_STUCK, user=STRANGER, index=1)
    assert "Only the visitor" in bot.slack.wait_for("response_url")[-1].params["text"]

    click(bot, follow_up, views.RETRO_STUCK, index=1)
    bot.slack.wait_for("chat.update")
    updated = current(bot, follow_up)
    assert f":white_check_mark: {ESCAPED}" in text_of(updated)
    assert [e["value"] for e in elements(updated)] == [f"{tour_id}:0", f"{tour_id}:2"]
    retro = saved_retro(bot)
    assert retro is not None and retro.stuck == [TYPED]


def test_removing_every_action_item_drops_the_follow_up(bot: RunningBot, tour_id: int):
    submit_retro(bot, tour_id)
    wait_for_dm(bot, 1)
    submit_retro(bot, tour_id, bring_back="")
    assert "90 days" not in wait_for_dm(bot, 2)
    with bot.deps.uow() as uow:
        assert uow.outbox.by_key(WORKSPACE, f"tour:{tour_id}:retro_follow_up") is None


def test_planning_the_visit_again_keeps_the_follow_up(bot: RunningBot, tour_id: int):
    """A tour that moves has its messages re-planned (on_tour): the follow-up is the retro's."""
    submit_retro(bot, tour_id)
    wait_for_dm(bot, 1)
    with bot.deps.uow() as uow:
        bot.deps.on_tour(uow, uow.tours.get(WORKSPACE, tour_id))
        uow.commit()
    follow_up = deliver(bot, "retro_follow_up")
    assert "Idempotency keys on payouts" in text_of(follow_up)
