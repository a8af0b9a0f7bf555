"""Asking for more time: only the visitor, only while the visit runs, one request at a time, at
most two extra weeks in all; deciding: the host lead first, then the home lead or organisers."""

from datetime import date, timedelta

import pytest

from bot.applications.extensions import (
    ExtensionForm,
    ExtensionInput,
    ExtensionStatus,
    extension_form,
    host_decides,
    request_extension,
)
from tests.bot.applications.fakes import FakeUnitOfWork, context

VISITOR, HOST_LEAD, HOME_LEAD = "U0VISITOR", "U0HOSTLEAD", "U0HOMELEAD"
STARTS, ENDS = date(2026, 11, 16), date(2026, 12, 13)
DURING = date(2026, 11, 23)
ASK = ExtensionInput(weeks=2, reason="Finish the migration")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    visitor = uow.add_person(VISITOR, uow.add_team("Commissions", HOME_LEAD))
    opening = uow.add_opening(uow.add_team("Search", HOST_LEAD))
    uow.add_tour(visitor, opening, starts_on=STARTS, ends_on=ENDS)
    return uow


def tour_id(uow: FakeUnitOfWork) -> int:
    return uow.tours.rows[0].id


def refusal(uow: FakeUnitOfWork, today: date, actor: str = VISITOR) -> str | None:
    """Why `actor` may not ask on `today`, asked by the form and by the submission alike."""
    ctx = context(actor, today)
    form = extension_form(uow, ctx, tour_id(uow))
    outcome = request_extension(uow, ctx, tour_id(uow), ASK)
    if isinstance(form, ExtensionForm):
        assert outcome.ok, outcome
        return None
    assert outcome.refusal == form.refusal
    assert uow.extensions.rows == [] and uow.commits == 0
    return form.refusal


@pytest.mark.parametrize("today", [STARTS, DURING, ENDS])
def test_the_visitor_asks_on_any_day_of_the_visit(uow, today):
    assert refusal(uow, today) is None
    [extension] = uow.extensions.rows
    assert extension.weeks == 2 and extension.status == ExtensionStatus.SUBMITTED


def test_the_host_lead_is_asked_first(uow):
    outcome = request_extension(uow, context(VISITOR, DURING), tour_id(uow), ASK)
    assert [who for _, who in outcome.notices] == [VISITOR, HOST_LEAD]


def test_before_the_visit_starts_the_dates_are_changed_instead(uow):
    assert "has not started yet" in refusal(uow, STARTS - timedelta(days=1))


def test_after_the_visit_ended_it_can_no_longer_be_extended(uow):
    assert refusal(uow, ENDS + timedelta(days=1)) == (
        "Your visit has ended, so it can no longer be extended."
    )


def test_only_the_visitor_asks(uow):
    assert "Only the visitor" in refusal(uow, DURING, actor=HOST_LEAD)


@pytest.mark.parametrize("status", ["cancelled", "completed"])
def test_a_visit_no_longer_on_is_not_extended(uow, status):
    uow.tours.rows[0].status = status
    assert refusal(uow, DURING) == "That visit is no longer on."


def test_without_a_tour_id_the_visit_running_today_is_found(uow):
    assert isinstance(extension_form(uow, context(VISITOR, DURING), None), ExtensionForm)
    after = extension_form(uow, context(VISITOR, ENDS + timedelta(days=1)), None)
    assert "no visit running today" in after.refusal
    stranger = extension_form(uow, context("U0STRANGER", DURING), None)
    assert "no visit running today" in stranger.refusal


@pytest.mark.parametrize("status", [ExtensionStatus.SUBMITTED, ExtensionStatus.HOST_AGREED])
def test_one_request_at_a_time(uow, status):
    uow.extensions.add(tour_id=tour_id(uow), weeks=1, reason="x", status=status)
    form = extension_form(uow, context(VISITOR, DURING), tour_id(uow))
    assert form.refusal.startswith("You have already asked for 1 week more")


def test_two_extra_weeks_in_all(uow):
    agreed = uow.extensions.add(
        tour_id=tour_id(uow), weeks=1, reason="x", status=ExtensionStatus.AGREED
    )
    form = extension_form(uow, context(VISITOR, DURING), tour_id(uow))
    assert form.on_offer == (1,)
    too_much = request_extension(uow, context(VISITOR, DURING), tour_id(uow), ASK)
    assert "weeks" in too_much.errors
    agreed.weeks = 2
    form = extension_form(uow, context(VISITOR, DURING), tour_id(uow))
    assert form.refusal == "Your visit has already grown by 2 weeks, the most it can."


def test_a_declined_request_does_not_stop_another(uow):
    uow.extensions.add(tour_id=tour_id(uow), weeks=2, reason="x", status="declined")
    form = extension_form(uow, context(VISITOR, DURING), tour_id(uow))
    assert form.on_offer == (1, 2)


def test_the_host_lead_decides_once_and_nobody_else(uow):
    asked = request_extension(uow, context(VISITOR, DURING), tour_id(uow), ASK)
    extension_id = asked.extension.extension_id
    refused = host_decides(uow, context(HOME_LEAD, DURING), extension_id, agree=True)
    assert "Only a lead of the host team" in refused.refusal
    own = host_decides(uow, context(VISITOR, DURING), extension_id, agree=True)
    assert own.refusal.startswith("Nobody decides on their own visit")
    assert host_decides(uow, context(HOST_LEAD, DURING), extension_id, agree=True).ok
    again = host_decides(uow, context(HOST_LEAD, DURING), extension_id, agree=True)
    assert again.refusal.startswith("Nothing changed: this request for more time is")
    assert uow.extensions.rows[0].status == ExtensionStatus.HOST_AGREED
