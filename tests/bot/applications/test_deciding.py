"""The steps after applying: the host and home decisions, the visit card, withdrawing and new
dates. Every refusal, each with the case just inside it, on in-memory fakes."""

from datetime import date

import pytest

from bot.applications.service import (
    Notice,
    Outcome,
    Status,
    change_dates,
    confirm_card,
    date_change_form,
    home_decides,
    host_decides,
    prepare_decision,
    prepare_withdrawal,
    withdraw,
)
from bot.core.approval.steps import Stage
from bot.scheduling.model import TourRef
from tests.bot.applications.fakes import ORGANISER, WORKSPACE, FakeUnitOfWork, context

VISITOR, HOST_LEAD, HOME_LEAD, BUDDY, STRANGER = (
    "U0VISITOR",
    "U0HOSTLEAD",
    "U0HOMELEAD",
    "U0BUDDY",
    "U0STRANGER",
)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def application(uow: FakeUnitOfWork, status: str = "submitted", seats: int = 1):
    home = uow.add_team("Commissions", HOME_LEAD)
    visitor = uow.add_person(VISITOR, home)
    opening = uow.add_opening(
        uow.add_team("Search", HOST_LEAD), buddy_user_id=BUDDY, open_seats=seats
    )
    return uow.add_application(visitor, opening, status=status)


class TourHooks(list[tuple[object, object]]):
    """The calls of the hook a step runs on the tour it booked, moved or cancelled."""

    def __call__(self, uow: object, tour: object) -> None:
        self.append((uow, tour))


def booked(tour) -> TourRef:
    """How the hook names a tour."""
    return TourRef(tour.workspace_id, tour.id)


def refusal(outcome) -> str:
    assert not outcome.ok, outcome
    return outcome.refusal


# --- the host decision -------------------------------------------------------------------------


def test_the_host_lead_accepts_and_the_home_lead_is_asked(uow):
    app = application(uow)
    outcome = host_decides(uow, context(HOST_LEAD), app.id, accept=True)
    assert outcome.ok and app.status == Status.HOST_ACCEPTED and uow.commits == 1
    assert outcome.notices == ((Notice.HOST_ACCEPTED, VISITOR), (Notice.HOME_REQUEST, HOME_LEAD))


def test_the_host_lead_declines_with_a_reason(uow):
    app = application(uow)
    outcome = host_decides(uow, context(HOST_LEAD), app.id, accept=False, reason="Full")
    assert outcome.ok and app.status == Status.DECLINED and app.decision_reason == "Full"


@pytest.mark.parametrize("who", [VISITOR, HOME_LEAD, BUDDY, STRANGER])
@pytest.mark.parametrize("accept", [True, False])
def test_nobody_but_the_host_lead_decides_for_the_host(uow, who, accept):
    app = application(uow)
    refusal(host_decides(uow, context(who), app.id, accept=accept))
    assert app.status == Status.SUBMITTED and uow.commits == 0


def test_a_host_decision_is_taken_once(uow):
    app = application(uow, status="host_accepted")
    assert "already" in refusal(host_decides(uow, context(HOST_LEAD), app.id, accept=False))
    assert app.status == Status.HOST_ACCEPTED and uow.commits == 0


def test_a_missing_application_or_a_race_is_refused(uow):
    assert "no longer exists" in refusal(host_decides(uow, context(HOST_LEAD), 999, accept=True))
    app = application(uow)
    uow.applications.someone_else_moves = True
    assert "Nothing changed" in refusal(host_decides(uow, context(HOST_LEAD), app.id, accept=True))
    assert uow.commits == 0


# --- the home decision -------------------------------------------------------------------------


def test_the_home_lead_agrees_and_everyone_gets_the_card(uow):
    app = application(uow, status="host_accepted")
    outcome = home_decides(uow, context(HOME_LEAD), app.id, agree=True, covering="Ana")
    assert outcome.ok and app.status == Status.HOME_AGREED and uow.commits == 1
    assert app.covering_home_duties == "Ana"
    assert {person for _, person in outcome.notices} == {VISITOR, HOST_LEAD, HOME_LEAD, BUDDY}
    assert {notice for notice, _ in outcome.notices} == {Notice.VISIT_CARD}


def test_the_home_lead_declines(uow):
    app = application(uow, status="host_accepted")
    outcome = home_decides(uow, context(HOME_LEAD), app.id, agree=False, reason="Release week")
    assert outcome.ok and app.status == Status.DECLINED and app.decision_reason == "Release week"
    assert outcome.notices == ((Notice.DECLINED, VISITOR),)


@pytest.mark.parametrize("who", [VISITOR, HOST_LEAD, BUDDY, STRANGER])
@pytest.mark.parametrize("agree", [True, False])
def test_nobody_but_the_home_lead_decides_for_home(uow, who, agree):
    app = application(uow, status="host_accepted")
    refusal(home_decides(uow, context(who), app.id, agree=agree))
    assert app.status == Status.HOST_ACCEPTED and uow.commits == 0


@pytest.mark.parametrize("status", ["submitted", "home_agreed", "declined"])
def test_home_decides_only_after_the_host_accepted(uow, status):
    app = application(uow, status=status)
    assert refusal(home_decides(uow, context(HOME_LEAD), app.id, agree=True))
    assert app.status == status and uow.commits == 0


def test_a_home_team_at_its_cap_needs_a_reason_to_agree(uow):
    app = application(uow, status="host_accepted")
    uow.tours.absences_from_team = lambda *_a, **_k: [(app.starts_on, app.ends_on)]
    outcome = home_decides(uow, context(HOME_LEAD), app.id, agree=True)
    assert "override_reason" in outcome.errors and app.status == Status.HOST_ACCEPTED
    agreed = home_decides(uow, context(HOME_LEAD), app.id, agree=True, override_reason="Quiet")
    assert agreed.ok and app.status == Status.HOME_AGREED and app.override_reason == "Quiet"


# --- the visit card ----------------------------------------------------------------------------


def confirm_all(uow: FakeUnitOfWork, app, people=(VISITOR, HOST_LEAD, HOME_LEAD, BUDDY)):
    return [confirm_card(uow, context(person), app.id) for person in people]


def test_the_card_books_the_visit_once_all_four_confirm(uow):
    app = application(uow, status="home_agreed")
    waiting = confirm_all(uow, app, (VISITOR, HOST_LEAD, HOME_LEAD))
    assert all(o.ok and o.notices == () for o in waiting) and app.status == Status.HOME_AGREED
    last = confirm_card(uow, context(BUDDY), app.id)
    assert last.ok and app.status == Status.CONFIRMED
    assert {notice for notice, _ in last.notices} == {Notice.CONFIRMED}
    [tour] = uow.tours.rows
    assert tour.application_id == app.id and uow.applications.openings[0].open_seats == 0


def test_a_card_not_yet_confirmed_by_everyone_books_nothing(uow):
    app = application(uow, status="home_agreed")
    confirm_all(uow, app, (VISITOR, HOST_LEAD, HOME_LEAD))
    assert app.status == Status.HOME_AGREED and uow.tours.rows == []


def test_the_last_confirmation_when_the_seats_are_gone_cancels(uow):
    app = application(uow, status="home_agreed", seats=0)
    last = confirm_all(uow, app)[-1]
    assert app.status == Status.CANCELLED and uow.tours.rows == []
    assert app.decision_reason == "the opening filled up before everyone confirmed"
    assert {notice for notice, _ in last.notices} == {Notice.SEAT_GONE}


def test_a_card_is_confirmed_once_per_person_and_only_by_its_people(uow):
    app = application(uow, status="home_agreed")
    assert confirm_card(uow, context(VISITOR), app.id).ok
    assert "already confirmed" in refusal(confirm_card(uow, context(VISITOR), app.id))
    assert "Only the visitor" in refusal(confirm_card(uow, context(STRANGER), app.id))
    assert "Only the visitor" in refusal(confirm_card(uow, context(ORGANISER), app.id))


@pytest.mark.parametrize("status", ["submitted", "host_accepted", "declined", "withdrawn"])
def test_there_is_no_card_to_confirm_before_both_teams_agreed(uow, status):
    app = application(uow, status=status)
    assert "Nothing to confirm" in refusal(confirm_card(uow, context(VISITOR), app.id))
    assert uow.applications.confirmations == {}


# --- withdrawing and cancelling ----------------------------------------------------------------


def test_the_visitor_withdraws_with_a_reason_and_the_others_are_told(uow):
    app = application(uow)
    assert "Say why" in withdraw(uow, context(VISITOR), app.id, reason="  ").errors["reason"]
    assert app.status == Status.SUBMITTED
    outcome = withdraw(uow, context(VISITOR), app.id, reason="Plans changed")
    assert outcome.ok and app.status == Status.WITHDRAWN
    assert VISITOR not in {person for _, person in outcome.notices}
    assert {person for _, person in outcome.notices} == {HOST_LEAD, HOME_LEAD, BUDDY}


def test_cancelling_a_booked_visit_frees_its_seat(uow):
    app = application(uow, status="home_agreed")
    confirm_all(uow, app)
    hooked = TourHooks()
    outcome = withdraw(uow, context(HOST_LEAD), app.id, reason="Reorg", on_tour=hooked)
    assert (
        outcome.ok
        and app.status == Status.CANCELLED
        and hooked == [(uow, booked(uow.tours.rows[0]))]
    )
    assert uow.tours.rows[0].status == "cancelled" and uow.applications.openings[0].open_seats == 1


def test_a_stranger_may_not_withdraw(uow):
    app = application(uow)
    assert refusal(withdraw(uow, context(STRANGER), app.id, reason="No"))
    assert app.status == Status.SUBMITTED and uow.commits == 0


# --- new dates ---------------------------------------------------------------------------------


def test_the_visitor_moves_agreed_dates_and_everyone_reconfirms(uow):
    app = application(uow, status="home_agreed")
    form = date_change_form(uow, context(VISITOR), app.id)
    assert form.application_id == app.id and form.current.start == date(2026, 12, 7)
    new_start = date(2026, 12, 14)
    outcome = change_dates(uow, context(VISITOR), app.id, new_start)
    assert outcome.ok and app.starts_on == new_start and uow.commits == 1
    assert {person for _, person in outcome.notices} == {VISITOR, HOST_LEAD, HOME_LEAD}


def test_new_dates_must_differ_and_fit(uow):
    app = application(uow, status="home_agreed")
    same = change_dates(uow, context(VISITOR), app.id, app.starts_on)
    assert "first day already" in same.errors["starts_on"]
    assert "starts_on" in change_dates(uow, context(VISITOR), app.id, date(2027, 3, 1)).errors
    assert app.starts_on == date(2026, 12, 7) and uow.commits == 0


@pytest.mark.parametrize("who, status", [(STRANGER, "home_agreed"), (VISITOR, "submitted")])
def test_dates_change_only_by_the_people_of_an_agreed_visit(uow, who, status):
    app = application(uow, status=status)
    assert refusal(date_change_form(uow, context(who), app.id))
    assert refusal(change_dates(uow, context(who), app.id, date(2026, 12, 14)))
    assert app.starts_on == date(2026, 12, 7) and uow.commits == 0


def test_dates_changed_by_someone_else_meanwhile_are_refused(uow):
    app = application(uow, status="home_agreed")
    uow.applications.someone_else_moves = True
    outcome = change_dates(uow, context(VISITOR), app.id, date(2026, 12, 14))
    assert "Nothing changed" in refusal(outcome) and uow.commits == 0


def test_the_last_confirmation_racing_another_is_refused(uow):
    app = application(uow, status="home_agreed")
    confirm_all(uow, app, (VISITOR, HOST_LEAD, HOME_LEAD))
    uow.applications.someone_else_moves = True
    last = confirm_card(uow, context(BUDDY), app.id)
    assert "just been confirmed" in refusal(last) and uow.tours.rows == []


def test_a_booked_visit_with_new_dates_is_reconfirmed_without_a_second_tour(uow):
    app = application(uow, status="home_agreed")
    hooked = TourHooks()
    for person in (VISITOR, HOST_LEAD, HOME_LEAD, BUDDY):
        confirm_card(uow, context(person), app.id, on_tour=hooked)
    [tour] = uow.tours.rows
    assert hooked == [(uow, booked(tour))]
    assert (tour.person_id, tour.opening_id, tour.buddy_user_id) == (
        app.person_id,
        app.opening_id,
        BUDDY,
    )
    # The teams it counts against: the home team's away cap reads the tour's home team.
    teams = (tour.workspace_id, tour.host_team_id, tour.home_team_id)
    assert teams == (WORKSPACE, app.opening.host_team_id, app.person.home_team_id)
    assert (tour.starts_on, tour.ends_on) == (app.starts_on, app.ends_on)
    assert change_dates(uow, context(VISITOR), app.id, date(2026, 12, 14), on_tour=hooked).ok
    # Four weeks from Monday 14 December end on the Friday of the last week.
    assert hooked == [(uow, booked(tour))] * 2 and app.ends_on == date(2027, 1, 8)
    waiting = confirm_card(uow, context(VISITOR), app.id)
    assert waiting.ok and waiting.visit is not None and waiting.notices == ()
    confirm_card(uow, context(HOST_LEAD), app.id)
    last = confirm_card(uow, context(HOME_LEAD), app.id)
    assert last.ok and {notice for notice, _ in last.notices} == {Notice.CONFIRMED}
    assert app.status == Status.CONFIRMED and len(uow.tours.rows) == 1
    assert (tour.starts_on, tour.ends_on) == (date(2026, 12, 14), date(2027, 1, 8))


def test_a_withdrawal_keeps_its_reason(uow):
    app = application(uow)
    withdraw(uow, context(VISITOR), app.id, reason="Plans changed")
    assert app.decision_reason == "Plans changed"


# --- the look before a step's modal opens ------------------------------------------------------


def prepared_refusal(prepared) -> str:
    assert isinstance(prepared, Outcome), prepared
    return refusal(prepared)


WITHDRAW = "withdraw"


def prepare(uow, who: str, application_id: int, step: Stage | str):
    """Before a step's modal: a decision (by stage) or withdrawing."""
    if step == WITHDRAW:
        return prepare_withdrawal(uow, context(who), application_id)
    return prepare_decision(uow, context(who), application_id, step)


@pytest.mark.parametrize(
    "status, step, who",
    [
        ("submitted", Stage.HOST, HOST_LEAD),
        ("host_accepted", Stage.HOME, HOME_LEAD),
        ("host_accepted", Stage.HOME, ORGANISER),
        ("submitted", WITHDRAW, VISITOR),
        ("home_agreed", WITHDRAW, HOST_LEAD),
        ("confirmed", WITHDRAW, VISITOR),  # a booked visit is cancelled instead
    ],
)
def test_the_people_of_a_step_get_its_visit_and_nothing_is_written(uow, status, step, who):
    app = application(uow, status=status)
    prepared = prepare(uow, who, app.id, step)
    assert not isinstance(prepared, Outcome), prepared
    assert prepared.application_id == app.id and prepared.status == status
    assert app.status == status and uow.commits == 0 and uow.audit.actions == []


@pytest.mark.parametrize(
    "status, step, who, why",
    [
        ("submitted", Stage.HOST, HOME_LEAD, "Only a lead of the host"),
        ("submitted", Stage.HOST, VISITOR, "on their own visit"),
        ("host_accepted", Stage.HOME, STRANGER, "home team"),
        ("submitted", WITHDRAW, BUDDY, "Only the visitor, the two team leads"),
        ("declined", WITHDRAW, VISITOR, "already declined"),
        ("cancelled", WITHDRAW, HOST_LEAD, "already cancelled"),
    ],
)
def test_a_step_not_theirs_or_not_open_is_refused_before_its_modal(uow, status, step, who, why):
    app = application(uow, status=status)
    assert why in prepared_refusal(prepare(uow, who, app.id, step))


def test_a_step_already_taken_is_refused_even_to_a_lead_of_both_teams(uow):
    """The host decline button of an application the host already accepted: a lead of both
    teams may take the home step, but not through the host's modal."""
    app = application(uow, status="host_accepted")
    app.opening.host_team.leads.append(app.person.home_team.leads[0])
    why = prepared_refusal(prepare(uow, HOME_LEAD, app.id, Stage.HOST))
    assert "already waiting for your home team lead" in why
    assert not isinstance(prepare(uow, HOME_LEAD, app.id, Stage.HOME), Outcome)


def test_a_step_of_a_missing_application_is_refused(uow):
    why = prepared_refusal(prepare(uow, HOST_LEAD, 999, Stage.HOME))
    assert "no longer exists" in why


def test_steps_lock_the_application_and_looks_before_a_modal_only_read(uow):
    """Locked, steps on one application take turns; a look runs in a read-only unit of work."""
    app = application(uow, status="home_agreed")
    prepare(uow, VISITOR, app.id, WITHDRAW)
    date_change_form(uow, context(VISITOR), app.id)
    assert uow.applications.locks == [False, False]
    confirm_card(uow, context(VISITOR), app.id)
    change_dates(uow, context(VISITOR), app.id, date(2026, 12, 14))
    # Each step reads locked first; new dates then read what they wrote, after the commit.
    assert uow.applications.locks[2:] == [True, True, False]
