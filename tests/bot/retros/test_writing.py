"""Who may write the retro, book and mark the share-back and answer the follow-up: every refusal
of bot/retros/service.py on in-memory fakes, each with the case just inside it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.visits import TourStatus, TourVisit
from bot.retros.model import (
    FollowUp,
    HighlightStep,
    RetroAnswers,
    RetroInput,
    SavedRetro,
    ShareBackRecord,
    bring_back_key,
    follow_up_key,
    plan_bring_back,
    plan_follow_up,
)
from bot.retros.service import (
    FollowUpState,
    Refusal,
    Session,
    book_share_back,
    mark_item_stuck,
    place_highlight,
    retro_form,
    save_retro,
    share_back_done,
    share_back_form,
)
from tests.bot.applications.fakes import ORGANISER, TODAY, WORKSPACE, context
from tests.bot.core.fakes import FakeAudit, FakeOutbox

VISITOR, HOST_LEAD, HOME_LEAD, STRANGER = "U0VISITOR", "U0HOSTLEAD", "U0HOMELEAD", "U0STRANGER"
TOUR, HOME_CHANNEL, TOURISM_CHANNEL = 7, "C0HOME", "C0TOURISM"
ZONE, VISITOR_ZONE = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
STARTS_ON, ENDS_ON = date(2026, 10, 19), date(2026, 11, 15)
VISIT = TourVisit(
    tour_id=TOUR,
    status=TourStatus.COMPLETED,
    starts_on=STARTS_ON,
    ends_on=ENDS_ON,
    buddy=None,
    visitor=VISITOR,
    visitor_timezone=VISITOR_ZONE.key,
    opening_title="Tune the ranking",
    host_team="Search",
    host_leads=(HOST_LEAD,),
    home_team="Commissions",
    home_channel=HOME_CHANNEL,
    home_leads=(HOME_LEAD,),
)
ITEMS = ("Outbox pattern", "Contract tests")


@dataclass
class FakeRetros:
    """One tour's visit, retro and share-back, as the service reads and writes them."""

    tour: TourVisit | None = VISIT
    retro: SavedRetro | None = None
    saved_at: list[datetime] = field(default_factory=list)
    share: ShareBackRecord | None = None
    recorded: list[tuple[str, datetime]] = field(default_factory=list)  # who, when
    dropped: list[str] = field(default_factory=list)

    def visit(self, workspace_id: str, tour_id: int) -> TourVisit | None:
        return self.tour if (workspace_id, tour_id) == (WORKSPACE, TOUR) else None

    def of_tour(self, tour_id: int) -> SavedRetro | None:
        return self.retro if tour_id == TOUR else None

    def save(
        self, workspace_id: str, tour_id: int, answers: RetroAnswers, *, now: datetime
    ) -> tuple[SavedRetro, bool]:
        assert (workspace_id, tour_id) == (WORKSPACE, TOUR)
        created = self.retro is None
        earlier = self.retro or SavedRetro(workspace_id, answers)
        self.retro = replace(earlier, answers=answers)
        self.saved_at.append(now)
        return self.retro, created

    def drop_pending_message(self, workspace_id: str, unique_key: str) -> None:
        if workspace_id == WORKSPACE:
            self.dropped.append(unique_key)

    def place_highlight(self, tour_id: int, channel: str | None, ts: str | None) -> None:
        assert tour_id == TOUR and self.retro is not None
        self.retro = replace(self.retro, highlight_channel=channel, highlight_ts=ts)

    def set_stuck(self, tour_id: int, stuck: tuple[str, ...]) -> None:
        assert tour_id == TOUR and self.retro is not None
        self.retro = replace(self.retro, stuck=stuck)

    def share_back(self, tour_id: int) -> ShareBackRecord | None:
        return self.share if tour_id == TOUR else None

    def _share(self, workspace_id: str, tour_id: int, by: str, now: datetime) -> ShareBackRecord:
        assert (workspace_id, tour_id) == (WORKSPACE, TOUR)
        self.recorded.append((by, now))
        return self.share or ShareBackRecord()

    def mark_shared(self, workspace_id: str, tour_id: int, *, by: str, now: datetime) -> bool:
        share = self._share(workspace_id, tour_id, by, now)
        if share.done:
            del self.recorded[-1]
            return False
        self.share = replace(share, done=True)
        return True

    def book_session(
        self, workspace_id: str, tour_id: int, *, day: date, channel: str, by: str, now: datetime
    ) -> ShareBackRecord:
        share = self._share(workspace_id, tour_id, by, now)
        self.share = replace(share, session_on=day, session_channel=channel)
        return self.share


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.retros = FakeRetros()
        self.outbox = FakeOutbox()
        self.audit = FakeAudit(VISITOR)
        self.planned = self.outbox.planned
        self.audited = self.audit.entries
        self.commits = 0

    @property
    def actions(self) -> list[str]:
        return [action for action, _subject, _detail in self.audited]

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
    ctx, retro, share_back = context(who), "their retro", "the share-back reminder"
    assert f"Only the visitor answers {retro}." in save(uow, who).refusal
    assert f"Only the visitor answers {retro}." in retro_form(uow, ctx, TOUR).reason
    assert f"answers {share_back}." in share_back_done(uow, ctx, TOUR).refusal
    assert f"answers {share_back}." in share_back_form(uow, ctx, TOUR).reason
    booked = book_share_back(uow, ctx, TOUR, TODAY, HOME_CHANNEL)
    assert f"answers {share_back}." in booked.refusal
    stuck = mark_item_stuck(uow, ctx, TOUR, 0)
    assert "Only the visitor answers the follow-up of their retro." in stuck.refusal
    assert nothing_written(uow)


@pytest.mark.parametrize("gone", ["cancelled", "missing", "other workspace", "no parts"])
def test_a_visit_cancelled_or_gone_is_refused(uow, gone):
    tour_id, ctx = TOUR, context(VISITOR)
    if gone == "cancelled":
        uow.retros.tour = replace(VISIT, status=TourStatus.CANCELLED)
    elif gone == "missing":
        tour_id = 999
    elif gone == "other workspace":
        ctx = replace(ctx, workspace_id="T0OTHER")
    else:
        uow.retros.tour = None
    assert (
        "This visit was cancelled or no longer exists."
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
    retro = uow.retros.retro
    assert (retro.answers.learned, retro.answers.shareable) == ("Event sourcing", True)
    assert uow.retros.saved_at == [context("").now]
    assert uow.audited == [
        ("retro_saved", f"tour:{TOUR}", {"rating": 5, "action_items": 2, "shareable": True})
    ]
    follow_up = FollowUp(TOUR, VISITOR, "Search", "Tune the ranking", STARTS_ON, ENDS_ON, ITEMS)
    assert uow.planned == [
        plan_follow_up(follow_up, VISITOR_ZONE),  # where the visitor is
        *plan_bring_back(follow_up, (HOME_LEAD,), context("").now),  # the home lead hears now
    ]
    highlight = outcome.highlight
    assert highlight.step is HighlightStep.POST and highlight.channel == TOURISM_CHANNEL
    assert (highlight.visit, highlight.answers.action_items) == (VISIT, ITEMS)
    shown = retro_form(uow, context(VISITOR), TOUR)
    assert shown.visit == VISIT and shown.saved == highlight.answers


def test_the_follow_up_of_a_visitor_without_a_time_zone_is_in_the_organisations(uow):
    uow.retros.tour = replace(VISIT, visitor_timezone=None)
    save(uow)
    follow_up = FollowUp(TOUR, VISITOR, "Search", "Tune the ranking", STARTS_ON, ENDS_ON, ITEMS)
    assert uow.planned[0] == plan_follow_up(follow_up, ZONE)


def test_a_visitor_without_a_home_team_books_the_session_anywhere(uow):
    uow.retros.tour = replace(VISIT, home_team=None, home_channel=None, home_leads=())
    shown = share_back_form(uow, context(VISITOR), TOUR)
    assert shown.visit == replace(VISIT, home_team=None, home_channel=None, home_leads=())
    assert shown.default_channel is None


def test_a_second_retro_replaces_the_first_and_no_items_drop_the_follow_up(uow):
    save(uow)
    place_highlight(uow, context(VISITOR), TOUR, TOURISM_CHANNEL, "1.1")
    outcome = save(uow, bring_back="", shareable=False)
    assert not outcome.created and uow.actions[-1] == "retro_updated"
    dropped = [follow_up_key(TOUR), bring_back_key(TOUR, HOME_LEAD)]
    assert uow.retros.dropped == dropped and len(uow.planned) == 2
    assert outcome.highlight.step is HighlightStep.REMOVE and outcome.highlight.ts == "1.1"


def test_a_posted_highlight_is_updated_where_it_is(uow):
    save(uow)
    place_highlight(uow, context(VISITOR), TOUR, "C0EARLIER", "1.1")
    assert uow.audited[-1] == ("retro_highlight_posted", f"tour:{TOUR}", {})
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
    uow.retros.retro = replace(uow.retros.retro, workspace_id="T0OTHER")
    place_highlight(uow, context(VISITOR), TOUR, TOURISM_CHANNEL, "1.1")
    assert uow.retros.retro.highlight_ts is None and uow.commits == 1


# --- the share-back ---------------------------------------------------------------------------


def test_the_share_back_is_marked_done_once(uow):
    outcome = share_back_done(uow, context(VISITOR), TOUR)
    assert outcome.state.done and outcome.state.visit == VISIT and uow.commits == 1
    assert uow.audited == [("share_back_done", f"tour:{TOUR}", {})]
    assert uow.retros.recorded == [(VISITOR, context("").now)]
    again = share_back_done(uow, context(VISITOR), TOUR)
    assert again.state.done and uow.actions == ["share_back_done"] and uow.commits == 1


def test_the_session_is_booked_in_the_home_channel_by_default(uow):
    shown = share_back_form(uow, context(VISITOR), TOUR)
    assert shown.default_channel == HOME_CHANNEL and shown.visit == VISIT
    save(uow)
    outcome = book_share_back(uow, context(VISITOR), TOUR, TODAY, "C0DEMO")
    assert outcome.state.session_channel == "C0DEMO" and not outcome.state.done
    assert outcome.state.visit == VISIT
    assert outcome.session == Session(VISIT, TODAY, "C0DEMO", ITEMS)
    booked = ("share_back_booked", f"tour:{TOUR}", {"day": TODAY.isoformat(), "channel": "C0DEMO"})
    assert uow.audited[-1] == booked and uow.commits == 2
    assert uow.retros.share.session_on == TODAY
    assert uow.retros.recorded == [(VISITOR, context("").now)]
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
    assert outcome.state == FollowUpState(VISIT, ITEMS, ("Contract tests",))
    assert uow.retros.retro.stuck == ("Contract tests",)
    assert uow.audited[-1] == ("retro_item_stuck", f"tour:{TOUR}", {"item": 1})
    assert uow.commits == 2
    again = mark_item_stuck(uow, context(VISITOR), TOUR, 1)
    assert again.state.stuck == ("Contract tests",) and uow.commits == 2


def test_an_item_out_of_range_changes_nothing(uow):
    save(uow)
    outcome = mark_item_stuck(uow, context(VISITOR), TOUR, 2)
    assert outcome.state.stuck == () and uow.commits == 1 and uow.actions == ["retro_saved"]


def test_the_follow_up_of_a_retro_gone_is_refused(uow):
    outcome = mark_item_stuck(uow, context(VISITOR), TOUR, 0)
    assert "There is no retro for this visit any more." in outcome.refusal
    assert nothing_written(uow)
