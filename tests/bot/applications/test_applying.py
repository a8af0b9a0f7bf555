"""Who may apply to an opening, and when: every refusal rule, each with the case just inside it."""

from datetime import date, timedelta

import pytest

from bot.applications.service import (
    ApplicationInput,
    ApplyForm,
    Notice,
    Status,
    apply_form,
    submit_application,
)
from tests.bot.applications.fakes import TODAY, FakeUnitOfWork, context

VISITOR, HOST_LEAD, HOME_LEAD = "U0VISITOR", "U0HOSTLEAD", "U0HOMELEAD"
FORM = ApplicationInput(motivation="I want to learn it.", learning_goal="", starts_on=None)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    home = uow.add_team("Commissions", HOME_LEAD)
    uow.add_person(VISITOR, home)
    return uow


def host_opening(uow: FakeUnitOfWork, **fields):
    return uow.add_opening(uow.add_team("Search", HOST_LEAD), **fields)


def refusal(uow: FakeUnitOfWork, opening_id: int, today: date = TODAY) -> str | None:
    """Why the visitor may not apply, asked both when opening the form and when submitting it;
    None when both let them through."""
    ctx = context(VISITOR, today)
    form = apply_form(uow, ctx, opening_id)
    start = replace_start(uow, opening_id)
    submitted = submit_application(uow, ctx, opening_id, start)
    if isinstance(form, ApplyForm):
        assert submitted.ok, submitted
        return None
    assert submitted.refusal == form.refusal
    assert uow.applications.rows == [] and uow.commits == 0
    return form.refusal


def replace_start(uow: FakeUnitOfWork, opening_id: int) -> ApplicationInput:
    opening = uow.applications.opening("T0TEST", opening_id)
    starts_on = opening.window.start if opening is not None else date(2026, 12, 7)
    return ApplicationInput(FORM.motivation, FORM.learning_goal, starts_on)


def test_an_open_opening_of_another_team_takes_the_application(uow):
    opening = host_opening(uow)
    assert refusal(uow, opening.id) is None
    [application] = uow.applications.rows
    assert application.opening_id == opening.id and application.status == Status.SUBMITTED
    assert uow.audit.actions == ["application_submitted"]


def test_the_host_lead_is_asked_and_the_visitor_told(uow):
    opening = host_opening(uow)
    ctx = context(VISITOR)
    outcome = submit_application(uow, ctx, opening.id, replace_start(uow, opening.id))
    assert outcome.notices == ((Notice.APPLIED, VISITOR), (Notice.HOST_REQUEST, HOST_LEAD))


def test_someone_without_a_profile_is_asked_for_one_first(uow):
    opening = host_opening(uow)
    outcome = apply_form(uow, context("U0STRANGER"), opening.id)
    assert "First tell us about yourself" in outcome.refusal


def test_an_opening_that_does_not_exist_is_refused(uow):
    assert "no longer taking visitors" in refusal(uow, 999_999)


def test_a_closed_opening_is_refused(uow):
    opening = host_opening(uow, status="closed")
    assert "no longer taking visitors" in refusal(uow, opening.id)


def test_a_full_opening_is_refused_one_with_a_seat_left_is_not(uow):
    full = host_opening(uow, open_seats=0)
    assert "no longer taking visitors" in refusal(uow, full.id)
    one_left = host_opening(uow, open_seats=1)
    assert refusal(uow, one_left.id) is None


def test_applications_close_after_the_apply_by_day_not_on_it(uow):
    closed = host_opening(uow, apply_by=TODAY - timedelta(days=1))
    assert refusal(uow, closed.id) == "Applications for this opening closed on 22 Nov 2026."
    last_day = host_opening(uow, apply_by=TODAY)
    assert refusal(uow, last_day.id) is None


def test_an_opening_of_ones_own_team_is_refused(uow):
    [visitor] = uow.people.rows
    own = uow.add_opening(visitor.home_team)
    assert "in your own team" in refusal(uow, own.id)


def test_someone_without_a_home_team_may_apply(uow):
    uow.add_person("U0NOHOME", None)
    opening = host_opening(uow)
    assert isinstance(apply_form(uow, context("U0NOHOME"), opening.id), ApplyForm)


def test_applying_twice_to_one_opening_is_refused(uow):
    opening = host_opening(uow, open_seats=2)
    assert refusal(uow, opening.id) is None
    again = submit_application(uow, context(VISITOR), opening.id, replace_start(uow, opening.id))
    assert "already applied to this opening" in again.refusal
    assert "already applied" in apply_form(uow, context(VISITOR), opening.id).refusal
    assert len(uow.applications.rows) == 1


def test_a_form_with_mistakes_is_answered_field_by_field_and_nothing_is_stored(uow):
    opening = host_opening(uow)
    blank = ApplicationInput(motivation="", learning_goal="", starts_on=TODAY)
    outcome = submit_application(uow, context(VISITOR), opening.id, blank)
    assert set(outcome.errors) == {"motivation", "starts_on"} and not outcome.ok
    assert uow.applications.rows == [] and uow.commits == 0
