"""`/tourism forget-me` through signed HTTP, a user deactivated in Slack forgotten after the grace
period by the ticker's upkeep, and the tombstone left in the audit log."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.forgetting.model import TOMBSTONE_PREFIX, tombstone_hash, tombstone_id
from bot.forgetting.views import FORGET_ME_CANCEL, FORGET_ME_CONFIRM, NOTHING_STORED
from bot.scheduling.service import schedule_tour
from infra.delivery import SlackTimeZones, build_delivery_client
from storage.history import HISTORY_ACTIONS
from storage.models import (
    Application,
    AuditEntry,
    CheckinAnswer,
    Invitation,
    Opening,
    OutboxMessage,
    Person,
    Proposal,
    Retro,
    ShippedItem,
    Tour,
)
from tests.conftest import RunningBot
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour
from tests.support.ticking import deliver_now, upkeep_at

VISITOR, OTHER, LEAD, STRANGER = "U0VISITOR", "U0OTHER", "U0LEAD", "U0STRANGER"
STARTS_ON, ENDS_ON = date(2026, 10, 26), date(2026, 11, 20)
SENT_AT = datetime(2026, 10, 27, 9, tzinfo=UTC)
TABLES = (Person, Application, Proposal, Invitation, CheckinAnswer, Retro, ShippedItem, Tour)


def _personal_rows(uow: Any, person: Any, tour: Any, opening: Any, second: Any) -> None:
    """Everything a visitor leaves behind, besides the visit and its application."""
    session = uow.session
    session.add(
        Application(
            workspace_id=WORKSPACE,
            opening_id=second.id,
            person_id=person.id,
            status="submitted",
            motivation="I want to learn ledgers",
            starts_on=date(2027, 1, 4),
            ends_on=date(2027, 1, 29),
        )
    )
    session.add(
        Proposal(
            workspace_id=WORKSPACE,
            person_id=person.id,
            opening_id=second.id,
            starts_on=date(2027, 1, 4),
            ends_on=date(2027, 1, 29),
            mode="best",
            explanation="Shares kafka",
            sent_by="U0ORG",
            created_at=SENT_AT,
        )
    )
    session.add(
        Invitation(
            workspace_id=WORKSPACE,
            opening_id=second.id,
            visitor_user_id=person.user_id,
            invited_by=LEAD,
            created_at=SENT_AT,
        )
    )
    for week in (1, 2):
        session.add(
            CheckinAnswer(
                workspace_id=WORKSPACE,
                tour_id=tour.id,
                week=week,
                mood="need_help",
                details="My lead keeps pulling me back",
                answered_by=person.user_id,
                answered_at=SENT_AT,
            )
        )
    session.add(
        Retro(
            workspace_id=WORKSPACE,
            tour_id=tour.id,
            learned="How the ledger settles",
            bring_back=["idempotency keys"],
            rating=4,
            length_verdict="right",
        )
    )
    session.add(
        ShippedItem(
            workspace_id=WORKSPACE,
            tour_id=tour.id,
            text="https://example.com/pr/1",
            logged_by=person.user_id,
            logged_at=SENT_AT,
        )
    )


@pytest.fixture
def world(bot: RunningBot) -> dict[str, int]:
    """The visitor mid-visit with data of every kind; another person with some of their own."""
    settings = bot.deps.settings
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Payments", leads=(LEAD,))
        home = seed_team(uow, "Search")
        opening = seed_opening(
            uow,
            host,
            "Ledger",
            earliest_start=STARTS_ON,
            latest_end=ENDS_ON,
            seats=2,
            seats_taken=2,
            status="filled",
        )
        second = seed_opening(
            uow, host, "Ledger again", earliest_start=STARTS_ON, latest_end=date(2027, 3, 26)
        )
        tours = {}
        for user_id in (VISITOR, OTHER):
            person = seed_person(
                uow, user_id, home_team_id=home.id, learn_topics=["kafka"], note="call me Al"
            )
            tour = seed_tour(
                uow, person, opening, starts_on=STARTS_ON, ends_on=ENDS_ON, status="active"
            )
            _personal_rows(uow, person, tour, opening, second)
            zones = SlackTimeZones(build_delivery_client(settings))
            schedule_tour(uow, tour, zones, settings.timezone)
            tours[user_id] = tour.id
        uow.commit()
    return tours


def rows(bot: RunningBot) -> dict[str, int]:
    with bot.deps.uow() as uow:
        return {
            model.__tablename__: uow.session.scalar(select(func.count()).select_from(model))
            for model in (*TABLES, OutboxMessage, AuditEntry)
        }


def history_entries(bot: RunningBot) -> int:
    with bot.deps.uow() as uow:
        history = select(func.count()).where(AuditEntry.action.in_(HISTORY_ACTIONS))
        return uow.session.scalar(history)


def pending_about(bot: RunningBot, user_id: str, tour_id: int) -> int:
    with bot.deps.uow() as uow:
        return len(
            [
                row
                for row in uow.session.scalars(select(OutboxMessage))
                if row.status == "pending" and (row.recipient == user_id or row.tour_id == tour_id)
            ]
        )


def answer(bot: RunningBot, user_id: str, text: str = "forget-me") -> dict[str, Any]:
    response = bot.requests.slash_command(text, user_id=user_id)
    assert response.status == 200
    return response.json() if response.body.startswith(b"{") else {"text": response.text}


def press(bot: RunningBot, user_id: str, action_id: str = FORGET_ME_CONFIRM) -> str:
    before = len(bot.slack.calls("response_url"))
    assert bot.requests.block_action(user_id=user_id, action_id=action_id).status == 200
    [*_, reply] = bot.slack.wait_for("response_url", count=before + 1)
    assert reply.params["replace_original"] is True
    return str(reply.params["text"])


def test_forget_me_says_exactly_what_goes_then_removes_that_and_nothing_else(bot, world):
    pending = pending_about(bot, VISITOR, world[VISITOR])
    assert pending > 0
    confirmation = answer(bot, VISITOR)
    shown = str(confirmation["blocks"])
    for words in (
        "your profile",
        "2 applications",
        "1 matching proposal",
        "1 invitation to apply",
        "2 check-in answers",
        "the text of 1 retro",
        "1 shipped item",
        f"{pending} scheduled messages not sent yet",
        "Your 1 visit stays in the programme's numbers",
    ):
        assert words in shown, words
    before = rows(bot)
    history_before = history_entries(bot)

    done = press(bot, VISITOR)

    assert done.startswith("Done: I removed your profile; 2 applications")
    after = rows(bot)
    assert {table: before[table] - after[table] for table in before} == {
        "people": 0,  # the tombstone stays, anonymous
        "applications": 1,  # the one behind the visit stays, without its text
        "proposals": 1,
        "invitations": 1,
        "checkin_answers": 2,
        "retros": 0,  # its rating stays, its text goes
        "shipped_items": 1,
        "tours": 0,
        "outbox": pending,
        # the tombstone, and the history of the live visit it cancelled: the visit, its
        # application and its opening (whose seat is free again)
        "audit_log": -1 - (history_entries(bot) - history_before),
    }
    assert history_entries(bot) - history_before == 3
    salt = bot.deps.settings.tombstone_salt
    gone = tombstone_id(WORKSPACE, VISITOR, salt)
    with bot.deps.uow() as uow:
        people = {person.user_id: person for person in uow.session.scalars(select(Person))}
        assert VISITOR not in people and OTHER in people
        tombstone = people[gone]
        assert (tombstone.learn_topics, tombstone.note, tombstone.looking) == ([], "", False)
        tour = uow.session.get(Tour, world[VISITOR])
        assert (tour.person_id, tour.status) == (tombstone.id, "cancelled")
        [kept] = uow.session.scalars(select(Application).filter_by(person_id=tombstone.id))
        assert (kept.motivation, kept.status) == ("", "cancelled")
        opening = uow.session.get(Opening, tour.opening_id)
        assert (opening.seats_taken, opening.status) == (1, "open")  # the seat is free again
        retro = uow.session.scalars(select(Retro).filter_by(tour_id=tour.id)).one()
        assert (retro.learned, retro.bring_back, retro.rating) == ("", [], 4)
        [entry] = uow.session.scalars(select(AuditEntry).filter_by(action="person_forgotten"))
        assert entry.subject == gone and entry.actor_user_id is None
        assert entry.detail["tombstone"] == tombstone_hash(WORKSPACE, VISITOR, salt)
        assert VISITOR not in str(entry.detail)
    assert pending_about(bot, OTHER, world[OTHER]) > 0


def test_forgetting_again_is_harmless(bot, world):
    answer(bot, VISITOR)
    press(bot, VISITOR)
    before = rows(bot)
    assert answer(bot, VISITOR)["text"] == NOTHING_STORED
    assert press(bot, VISITOR) == NOTHING_STORED  # an old confirmation pressed again
    assert rows(bot) == before


def test_someone_forgotten_who_came_back_joins_their_earlier_tombstone(bot, world):
    answer(bot, VISITOR)
    press(bot, VISITOR)
    with bot.deps.uow() as uow:
        seed_person(uow, VISITOR, learn_topics=["rust"])  # back, with a new profile
        uow.commit()
    answer(bot, VISITOR)
    assert press(bot, VISITOR).startswith("Done: I removed your profile.")
    gone = tombstone_id(WORKSPACE, VISITOR, bot.deps.settings.tombstone_salt)
    with bot.deps.uow() as uow:
        [tombstone] = uow.session.scalars(select(Person).filter_by(user_id=gone))
        assert VISITOR not in set(uow.session.scalars(select(Person.user_id)))
        tour = uow.session.get(Tour, world[VISITOR])
        assert tour.person_id == tombstone.id
        entries = uow.session.scalars(
            select(AuditEntry.subject).filter_by(action="person_forgotten")
        )
        assert list(entries) == [gone, gone]


def test_a_lead_without_a_profile_can_stop_the_messages_planned_for_them(bot, world):
    to_lead = pending_about(bot, LEAD, tour_id=0)
    assert to_lead > 0  # the mid-visit check-ins of both visits
    shown = str(answer(bot, LEAD)["blocks"])
    assert f"{to_lead} scheduled messages not sent yet" in shown and "profile" not in shown
    press(bot, LEAD)
    assert pending_about(bot, LEAD, tour_id=0) == 0
    assert pending_about(bot, VISITOR, world[VISITOR]) > 0


def test_the_button_forgets_whoever_presses_it_never_someone_else(bot, world):
    before = rows(bot)
    assert press(bot, STRANGER) == NOTHING_STORED
    assert rows(bot) == before


def test_keeping_the_data_changes_nothing(bot, world):
    before = rows(bot)
    assert "Nothing was removed" in press(bot, VISITOR, FORGET_ME_CANCEL)
    assert rows(bot) == before


def test_forget_me_takes_no_arguments_and_knows_people_it_never_saw(bot):
    assert answer(bot, VISITOR, "forget-me now")["text"].startswith("Usage: `/tourism forget-me`")
    assert answer(bot, STRANGER)["text"] == NOTHING_STORED


def test_a_message_being_sent_may_complete_and_nothing_is_sent_after(bot, world):
    """The kickoff is claimed and on its way when the visitor is forgotten: that send lands,
    every row goes (the one being sent too, so a failed send could not be retried), and no later
    tick sends them anything."""
    with bot.deps.uow() as uow:
        due = uow.session.scalar(
            select(func.min(OutboxMessage.due_at)).where(OutboxMessage.recipient == VISITOR)
        )
    bot.clock.move_to(due)  # type: ignore[attr-defined]
    bot.slack.inject("chat.postMessage", delay=1.5)
    sending = threading.Thread(target=deliver_now, args=(bot, 1))
    sending.start()
    bot.slack.wait_for("chat.postMessage")
    with bot.deps.uow() as uow:
        claimed = uow.session.scalars(select(OutboxMessage.status).filter_by(due_at=due)).all()
    assert "sending" in claimed
    answer(bot, VISITOR)
    press(bot, VISITOR)
    sending.join(timeout=20)
    with bot.deps.uow() as uow:
        to_visitor = uow.session.scalars(
            select(OutboxMessage.status).filter_by(recipient=VISITOR)
        ).all()
    assert to_visitor == []
    delivered = len(bot.slack.messages(VISITOR))
    assert delivered == 1
    bot.clock.move_to(datetime(2027, 3, 1, 9, tzinfo=UTC))  # type: ignore[attr-defined]
    deliver_now(bot)
    assert len(bot.slack.messages(VISITOR)) == delivered


# --- deactivated in Slack --------------------------------------------------------------------


def deactivated(user_id: str, deleted: bool = True) -> dict[str, Any]:
    return {
        "type": "user_change",
        "user": {"id": user_id, "team_id": WORKSPACE, "deleted": deleted},
    }


def user_ids(bot: RunningBot) -> set[str]:
    with bot.deps.uow() as uow:
        return set(uow.session.scalars(select(Person.user_id)))


def test_a_person_deactivated_in_slack_is_forgotten_after_the_grace_period(bot, world):
    grace = timedelta(days=bot.deps.settings.forget_grace_days)
    started = bot.clock.now()
    for retry in (None, 1):  # a redelivery moves nothing
        bot.requests.event(deactivated(VISITOR), event_id="EvGone", retry_num=retry)
    _wait_until(lambda: _deactivated_at(bot, VISITOR) is not None)
    assert _deactivated_at(bot, VISITOR) == started

    upkeep_at(bot, started + grace - timedelta(hours=1))
    assert VISITOR in user_ids(bot)
    upkeep_at(bot, started + grace)
    assert VISITOR not in user_ids(bot) and OTHER in user_ids(bot)
    assert any(user.startswith(TOMBSTONE_PREFIX) for user in user_ids(bot))
    with bot.deps.uow() as uow:
        [entry] = uow.session.scalars(select(AuditEntry).filter_by(action="person_forgotten"))
        assert entry.detail["by"] == "deactivated_in_slack"


def test_a_person_reactivated_within_the_grace_period_is_kept(bot, world):
    bot.requests.event(deactivated(VISITOR))
    _wait_until(lambda: _deactivated_at(bot, VISITOR) is not None)
    bot.requests.event(deactivated(VISITOR, deleted=False))
    _wait_until(lambda: _deactivated_at(bot, VISITOR) is None)
    upkeep_at(bot, bot.clock.now() + timedelta(days=400))
    assert VISITOR in user_ids(bot)


def _deactivated_at(bot: RunningBot, user_id: str) -> datetime | None:
    with bot.deps.uow() as uow:
        return uow.session.scalars(select(Person.deactivated_at).filter_by(user_id=user_id)).one()


def _wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = datetime.now(UTC) + timedelta(seconds=timeout)
    while not condition():
        assert datetime.now(UTC) < deadline, "timed out"
        threading.Event().wait(0.05)
