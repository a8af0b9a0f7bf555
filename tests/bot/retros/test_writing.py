"""Who may write the retro, book and mark the share-back and answer the follow-up: every refusal
of bot/retros/service.py on in-memory fakes, each with the case just inside it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.retros.model import HighlightStep, RetroInput, follow_up_key
from bot.retros.service import (
    Refusal,
    book_share_back,
    mark_item_stuck,
    place_highlight,
    retro_form,
    save_retro,
    share_back_done,
    share_back_form,
)
from tests.bot.applications.fakes import ORGANISER, TODAY, WORKSPACE, context

VISITOR, HOST_LEAD, STRANGER = "U0VISITOR", "U0HOSTLEAD", "U0STRANGER"
TOUR, HOME_CHANNEL, TOURISM_CHANNEL = 7, "C0HOME", "C0TOURISM"
ZONE = ZoneInfo("Europe/Berlin")


@dataclass
class FakeRetros:
    """One tour's retro and share-back, as the service reads and writes them."""

    retro: SimpleNamespace | None = None
    share: SimpleNamespace | None = None
    dropped: list[str] = field(default_factory=list)

    def of_tour(self, tour_id: int) -> SimpleNamespace | None:
        return self.retro if tour_id == TOUR else None

    def save(self, workspace_id: str, tour_id: int, **values: Any) -> tuple[Any, bool]:
        created = self.retro is None
        if self.retro is None:
            self.retro = SimpleNamespace(
                workspace_id=workspace_id, highlight_channel=None, highlight_ts=None, stuck=[]
            )
        for name, value in values.items():
            setattr(self.retro, name, value)
        self.retro.bring_back = list(values["action_items"])
        return self.retro, created

    def drop_pending_message(self, _workspace_id: str, unique_key: str) -> None:
        self.dropped.append(unique_key)

    def place_highlight(self, retro: Any, channel: str | None, ts: str | None) -> None:
        retro.highlight_channel, retro.highlight_ts = channel, ts

    def set_stuck(self, retro: Any, stuck: tuple[str, ...]) -> None:
        retro.stuck = list(stuck)

    def share_back(self, tour_id: int) -> SimpleNamespace | None:
        return self.share if tour_id == TOUR else None

    def _share_row(self) -> SimpleNamespace:
        if self.share is None:
            self.share = SimpleNamespace(done_at=None, session_on=None, session_channel=None)
        return self.share

    def mark_shared(self, _workspace_id: str, _tour_id: int, *, by: str, now: Any) -> bool:
        row = self._share_row()
        if row.done_at is not None:
            return False
        row.done_at = now
        return True

    def book_session(self, _w: str, _tour: int, *, day: date, channel: str, **_: Any) -> Any:
        row = self._share_row()
        row.session_on, row.session_channel = day, channel
        return row


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.tour = SimpleNamespace(
            id=TOUR, status="completed", starts_on=date(2026, 10, 19), ends_on=date(2026, 11, 15)
        )
        self.retros = FakeRetros()
        self.planned: list[Any] = []
        self.actions: list[str] = []
        self.commits = 0
        visitor = SimpleNamespace(user_id=VISITOR, timezone="Europe/Lisbon")
        host = SimpleNamespace(name="Search", leads=[SimpleNamespace(user_id=HOST_LEAD)])
        home = SimpleNamespace(name="Commissions", channel_id=HOME_CHANNEL)
        parts = (self.tour, visitor, SimpleNamespace(title="Tune the ranking"), host, home)
        self.tours = SimpleNamespace(get=self._tour)
        self.outbox = SimpleNamespace(
            tour_parts=lambda tour_id: parts if tour_id == TOUR else None,
            upsert=lambda _w, messages: self.planned.extend(messages),
        )
        self.audit = SimpleNamespace(record=lambda _w, *, action, **_: self.actions.append(action))

    def _tour(self, workspace_id: str, tour_id: int) -> Any:
        return self.tour if workspace_id == WORKSPACE and tour_id == TOUR else None

    def commit(self) -> None:
        self.commits += 1


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def form(bring_back: str = "Outbox pattern\nContract tests", shareable: bool = True) -> RetroInput:
    return RetroInput(
        learned="Event sourcing",
        bring_back=bring_back,
        rating="5",
        length="right",
        shareable=shareable,
    )


def save(uow: FakeUnitOfWork, who: str = VISITOR, **changes: Any) -> Any:
    return save_retro(
        uow,
        context(who),
        TOUR,
        form(**changes),
        tourism_channel=TOURISM_CHANNEL,
        organisation_zone=ZONE,
    )


def nothing_written(uow: FakeUnitOfWork) -> bool:
    retros = uow.retros
    untouched = retros.retro is None and retros.share is None and not retros.dropped
    return untouched and not uow.planned and not uow.actions and uow.commits == 0


# --- only the visitor, and only of a visit that is still there --------------------------------


@pytest.mark.parametrize("who", [HOST_LEAD, STRANGER, ORGANISER])
def test_only_the_visitor_writes_the_retro_or_answers_the_share_back(uow, who):
    ctx = context(who)
    assert "Only the visitor answers their retro" in save(uow, who).refusal
    assert "Only the visitor" in retro_form(uow, ctx, TOUR).reason
    assert "Only the visitor" in share_back_done(uow, ctx, TOUR).refusal
    assert "Only the visitor" in share_back_form(uow, ctx, TOUR).reason
    assert "Only the visitor" in book_share_back(uow, ctx, TOUR, TODAY, HOME_CHANNEL).refusal
    assert "Only the visitor" in mark_item_stuck(uow, ctx, TOUR, 0).refusal
    assert nothing_written(uow)


@pytest.mark.parametrize("gone", ["cancelled", "missing", "other workspace", "no parts"])
def test_a_visit_cancelled_or_gone_is_refused(uow, gone):
    tour_id, ctx = TOUR, context(VISITOR)
    if gone == "cancelled":
        uow.tour.status = "cancelled"
    elif gone == "missing":
        tour_id = 999
    elif gone == "other workspace":
        ctx = replace(ctx, workspace_id="T0OTHER")
    else:
        uow.outbox.tour_parts = lambda _tour_id: None
    assert (
        "cancelled or no longer exists"
        in save_retro(
            uow, ctx, tour_id, form(), tourism_channel=TOURISM_CHANNEL, organisation_zone=ZONE
        ).refusal
    )
    assert isinstance(retro_form(uow, ctx, tour_id), Refusal)
    assert "no longer exists" in share_back_done(uow, ctx, tour_id).refusal
    assert "no longer exists" in book_share_back(uow, ctx, tour_id, TODAY, HOME_CHANNEL).refusal
    assert "no longer exists" in mark_item_stuck(uow, ctx, tour_id, 0).refusal
    assert nothing_written(uow)


# --- the retro --------------------------------------------------------------------------------


def test_an_invalid_retro_saves_nothing(uow):
    outcome = save_retro(
        uow,
        context(VISITOR),
        TOUR,
        RetroInput(learned="", bring_back="", rating="9", length=None, shareable=True),
        tourism_channel=TOURISM_CHANNEL,
        organisation_zone=ZONE,
    )
    assert set(outcome.errors) == {"learned", "rating", "length"} and outcome.refusal is None
    assert nothing_written(uow)


def test_the_visitor_saves_the_retro_and_its_follow_up_is_planned(uow):
    assert retro_form(uow, context(VISITOR), TOUR).saved is None
    outcome = save(uow)
    assert outcome.created and outcome.errors == {} and uow.commits == 1
    assert uow.retros.retro.learned == "Event sourcing" and uow.actions == ["retro_saved"]
    assert [m.unique_key for m in uow.planned] == [follow_up_key(TOUR)]
    highlight = outcome.highlight
    assert highlight.step is HighlightStep.POST and highlight.channel == TOURISM_CHANNEL
    saved = retro_form(uow, context(VISITOR), TOUR).saved
    assert saved.action_items == ("Outbox pattern", "Contract tests") and saved.rating == 5


def test_a_second_retro_replaces_the_first_and_no_items_drop_the_follow_up(uow):
    save(uow)
    place_highlight(uow, context(VISITOR), TOUR, TOURISM_CHANNEL, "1.1")
    outcome = save(uow, bring_back="", shareable=False)
    assert not outcome.created and uow.actions[-1] == "retro_updated"
    assert uow.retros.dropped == [follow_up_key(TOUR)] and len(uow.planned) == 1
    assert outcome.highlight.step is HighlightStep.REMOVE and outcome.highlight.ts == "1.1"


def test_a_posted_highlight_is_updated_where_it_is(uow):
    save(uow)
    place_highlight(uow, context(VISITOR), TOUR, "C0EARLIER", "1.1")
    assert uow.actions[-1] == "retro_highlight_posted"
    highlight = save(uow).highlight
    assert highlight.step is HighlightStep.UPDATE and highlight.channel == "C0EARLIER"
    place_highlight(uow, context(VISITOR), TOUR, None, None)
    assert uow.actions[-1] == "retro_highlight_removed" and uow.retros.retro.highlight_ts is None


def test_no_tourism_channel_means_nothing_to_post(uow):
    outcome = save_retro(
        uow, context(VISITOR), TOUR, form(), tourism_channel=None, organisation_zone=ZONE
    )
    assert outcome.highlight.step is HighlightStep.NOT_CONFIGURED


def test_a_highlight_is_not_placed_on_a_retro_of_another_workspace_or_none(uow):
    place_highlight(uow, context(VISITOR), TOUR, TOURISM_CHANNEL, "1.1")
    assert nothing_written(uow)
    save(uow)
    uow.retros.retro.workspace_id = "T0OTHER"
    place_highlight(uow, context(VISITOR), TOUR, TOURISM_CHANNEL, "1.1")
    assert uow.retros.retro.highlight_ts is None and uow.commits == 1


# --- the share-back ---------------------------------------------------------------------------


def test_the_share_back_is_marked_done_once(uow):
    outcome = share_back_done(uow, context(VISITOR), TOUR)
    assert outcome.state.done and uow.actions == ["share_back_done"] and uow.commits == 1
    again = share_back_done(uow, context(VISITOR), TOUR)
    assert again.state.done and uow.actions == ["share_back_done"] and uow.commits == 1


def test_the_session_is_booked_in_the_home_channel_by_default(uow):
    assert share_back_form(uow, context(VISITOR), TOUR).default_channel == HOME_CHANNEL
    save(uow)
    outcome = book_share_back(uow, context(VISITOR), TOUR, TODAY, "C0DEMO")
    assert outcome.state.session_channel == "C0DEMO" and not outcome.state.done
    assert outcome.session.action_items == ("Outbox pattern", "Contract tests")
    assert uow.actions[-1] == "share_back_booked" and uow.commits == 2
    assert share_back_form(uow, context(VISITOR), TOUR).default_channel == "C0DEMO"


def test_a_session_without_a_retro_has_no_items(uow):
    assert book_share_back(uow, context(VISITOR), TOUR, TODAY, "C0DEMO").session.action_items == ()


@pytest.mark.parametrize(
    "day, channel, wrong",
    [
        (None, HOME_CHANNEL, "day"),
        (TODAY - timedelta(days=1), HOME_CHANNEL, "day"),
        (TODAY, "", "channel"),
    ],
)
def test_a_session_on_a_past_day_or_nowhere_is_refused(uow, day, channel, wrong):
    outcome = book_share_back(uow, context(VISITOR), TOUR, day, channel)
    assert set(outcome.errors) == {wrong} and outcome.session is None
    assert nothing_written(uow)


# --- the 90-day follow-up ---------------------------------------------------------------------


def test_the_visitor_marks_an_item_stuck_once(uow):
    save(uow)
    outcome = mark_item_stuck(uow, context(VISITOR), TOUR, 1)
    assert outcome.state.stuck == ("Contract tests",)
    assert uow.retros.retro.stuck == ["Contract tests"]
    assert uow.actions[-1] == "retro_item_stuck" and uow.commits == 2
    again = mark_item_stuck(uow, context(VISITOR), TOUR, 1)
    assert again.state.stuck == ("Contract tests",) and uow.commits == 2


def test_an_item_out_of_range_changes_nothing(uow):
    save(uow)
    outcome = mark_item_stuck(uow, context(VISITOR), TOUR, 2)
    assert outcome.state.stuck == () and uow.commits == 1 and uow.actions == ["retro_saved"]


def test_the_follow_up_of_a_retro_gone_is_refused(uow):
    outcome = mark_item_stuck(uow, context(VISITOR), TOUR, 0)
    assert "no retro for this visit" in outcome.refusal and nothing_written(uow)
