"""Who decides on a visit: never the visitor, another lead of the team, else the organisers."""

from datetime import date

import pytest

from bot.applications.changes import WORDING, ExtensionSnapshot, ExtensionStatus
from bot.applications.model import Role, Status
from bot.applications.visit import VisitSnapshot, roles_of
from bot.core.approval.deciders import OWN_VISIT, StandIn, deciders
from bot.core.approval.steps import Stage, why_not_decide

SAM, ALEX, ORG = "U0SAM", "U0ALEX", "U0ORG"


def test_the_teams_leads_decide():
    chosen = deciders(visitor=SAM, leads=[ALEX], organisers=[ORG])
    assert (chosen.people, chosen.stand_in) == ((ALEX,), StandIn.NONE)


def test_another_lead_decides_when_the_visitor_leads_the_team_too():
    chosen = deciders(visitor=SAM, leads=[SAM, ALEX], organisers=[ORG])
    assert (chosen.people, chosen.stand_in) == ((ALEX,), StandIn.OTHER_LEADS)
    assert not chosen.organisers


def test_organisers_decide_when_the_visitor_is_the_only_lead():
    chosen = deciders(visitor=SAM, leads=[SAM], organisers=[ORG])
    assert (chosen.people, chosen.stand_in) == ((ORG,), StandIn.VISITOR_ONLY_LEAD)
    assert chosen.organisers


@pytest.mark.parametrize(("has_team", "why"), [(True, StandIn.NO_LEAD), (False, StandIn.NO_TEAM)])
def test_organisers_decide_for_a_team_without_leads(has_team, why):
    chosen = deciders(visitor=SAM, leads=[], organisers=[ORG], has_team=has_team)
    assert (chosen.people, chosen.stand_in) == ((ORG,), why)


def test_an_organiser_never_decides_on_their_own_visit():
    chosen = deciders(visitor=SAM, leads=[SAM], organisers=[SAM, ORG])
    assert chosen.people == (ORG,)


def _visit(**changes) -> VisitSnapshot:
    values = dict(
        application_id=1,
        status=Status.SUBMITTED,
        visitor_id=SAM,
        motivation="",
        learning_goal="",
        opening_id=1,
        opening_title="Content",
        host_team_name="Content Automation",
        host_lead_ids=(SAM,),
        home_team_name="Pricing",
        home_lead_ids=(SAM,),
        organiser_ids=(ORG,),
        buddy_id=None,
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 1, 31),
        weeks=4,
        deliverable_expected=False,
        covering_home_duties="",
        decision_reason="",
    )
    return VisitSnapshot(**{**values, **changes})


def test_a_visitor_who_leads_both_teams_is_only_the_visitor():
    visit = _visit(organiser_ids=(ORG, SAM))
    assert roles_of(SAM, visit) == frozenset({Role.VISITOR})
    assert visit.host_deciders == visit.home_deciders == (ORG,)
    assert visit.card_roles()[Role.HOST_LEAD] == (ORG,)


def test_the_other_lead_confirms_the_card_for_the_host_team():
    visit = _visit(host_lead_ids=(SAM, ALEX))
    assert visit.card_roles()[Role.HOST_LEAD] == (ALEX,)
    assert roles_of(ALEX, visit) >= {Role.HOST_LEAD}


def test_the_visitor_never_decides_on_their_own_extension():
    extension = ExtensionSnapshot(
        extension_id=1,
        tour_id=1,
        application_id=1,
        status=ExtensionStatus.HOST_AGREED,
        weeks=1,
        reason="",
        decision_reason="",
        visitor_id=SAM,
        opening_title="Content",
        host_team_name="Content Automation",
        host_lead_ids=(ALEX,),
        home_team_name="Pricing",
        home_lead_ids=(SAM,),
        organiser_ids=(ORG, SAM),
        starts_on=date(2027, 1, 4),
        ends_before=date(2027, 1, 31),
    )
    assert why_not_decide(extension, SAM, Stage.HOME, WORDING) == OWN_VISIT
    assert why_not_decide(extension, ORG, Stage.HOME, WORDING) is None
    assert extension.home_deciders == (ORG,)
