"""The approval engine's rule of who takes which decision, the same for a visit and for more time
on it: the host team decides first, then the home team (or any organiser); never the visitor."""

from dataclasses import replace
from datetime import date

import pytest

from bot.applications import changes, model
from bot.applications.changes import ExtensionSnapshot, ExtensionStatus
from bot.applications.model import Status
from bot.applications.visit import VisitSnapshot
from bot.core.approval.deciders import OWN_VISIT
from bot.core.approval.steps import Stage, reason_needed, why_not_decide
from bot.core.calendar import Period
from bot.core.visit_rules import check_absence

VISITOR, HOST, HOME, ORG, STRANGER = "U0VISITOR", "U0HOST", "U0HOME", "U0ORG", "U0STRANGER"
TEAMS = dict(
    visitor_id=VISITOR,
    host_team_name="Streaming",
    host_lead_ids=(HOST,),
    home_team_name="Commissions",
    home_lead_ids=(HOME,),
    organiser_ids=(ORG,),
    opening_title="Streams",
    starts_on=date(2027, 1, 4),
    decision_reason="",
)


def visit(waiting: Stage):
    status = {Stage.HOST: Status.SUBMITTED, Stage.HOME: Status.HOST_ACCEPTED}[waiting]
    request = VisitSnapshot(
        application_id=1,
        status=status,
        motivation="",
        learning_goal="",
        opening_id=1,
        buddy_id=None,
        ends_on=date(2027, 1, 29),
        weeks=4,
        deliverable_expected=False,
        covering_home_duties="",
        **TEAMS,
    )
    return request, model.WORDING


def more_time(waiting: Stage):
    status = {Stage.HOST: ExtensionStatus.SUBMITTED, Stage.HOME: ExtensionStatus.HOST_AGREED}
    request = ExtensionSnapshot(
        extension_id=1,
        tour_id=1,
        application_id=1,
        status=status[waiting],
        weeks=1,
        reason="",
        ends_before=date(2027, 1, 29),
        **TEAMS,
    )
    return request, changes.WORDING


KINDS = pytest.mark.parametrize("kind", [visit, more_time])


@KINDS
@pytest.mark.parametrize(
    ("stage", "who"), [(Stage.HOST, HOST), (Stage.HOME, HOME), (Stage.HOME, ORG)]
)
def test_the_deciders_of_the_waiting_step_decide(kind, stage, who):
    request, wording = kind(stage)
    assert why_not_decide(request, who, stage, wording) is None


@KINDS
@pytest.mark.parametrize("stage", [Stage.HOST, Stage.HOME])
def test_nobody_decides_on_their_own_visit(kind, stage):
    request, wording = kind(stage)
    assert why_not_decide(request, VISITOR, stage, wording) == OWN_VISIT


@KINDS
@pytest.mark.parametrize(
    ("stage", "who"),
    [(Stage.HOST, HOME), (Stage.HOST, ORG), (Stage.HOME, HOST), (Stage.HOME, STRANGER)],
)
def test_a_step_is_not_someone_elses(kind, stage, who):
    request, wording = kind(stage)
    expected = wording.not_host if stage is Stage.HOST else wording.not_home
    assert why_not_decide(request, who, stage, wording) == expected


@KINDS
def test_a_decision_already_taken_is_refused_with_where_the_request_stands(kind):
    request, wording = kind(Stage.HOME)
    why = why_not_decide(request, HOST, Stage.HOST, wording)
    assert why == wording.already.format(state=request.state)
    assert "waiting for" in why and "home team lead" in why


def test_organisers_stand_in_for_the_host_only_when_it_has_no_other_lead():
    request, wording = visit(Stage.HOST)
    alone = VisitSnapshot(**{**request.__dict__, "host_lead_ids": (VISITOR,)})
    assert why_not_decide(alone, ORG, Stage.HOST, wording) is None


OVER_THE_CAP = check_absence(
    Period(date(2027, 1, 4), date(2027, 1, 29)),
    absences=[Period(date(2027, 1, 4), date(2027, 1, 8))],
    cap=1,
    blackouts=[],
)


@KINDS
def test_agreeing_past_the_hosts_rules_takes_a_reason(kind):
    request, _ = kind(Stage.HOST)
    broken = replace(request, host_warnings=("it falls in a blackout",))
    assert reason_needed(request, Stage.HOST, "") == {}
    assert reason_needed(broken, Stage.HOST, "") == {
        "override_reason": "Say why it is fine anyway: it falls in a blackout."
    }
    assert reason_needed(broken, Stage.HOST, "We moved the release") == {}


@KINDS
def test_agreeing_past_the_home_teams_cap_takes_a_reason(kind):
    request, _ = kind(Stage.HOME)
    over = replace(request, absence=OVER_THE_CAP)
    assert reason_needed(request, Stage.HOME, "") == {}
    assert "already away" in reason_needed(over, Stage.HOME, "")["override_reason"]
    assert reason_needed(over, Stage.HOME, "Quiet month") == {}
    assert reason_needed(over, Stage.HOST, "") == {}  # the host does not decide on the absence
