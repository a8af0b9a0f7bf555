"""A lead invites a candidate to apply: only a lead of the host team (or an organiser), only
someone with a profile who has not paused visits, once."""

from datetime import timedelta

import pytest

from bot.matching.service import forget_invitation, invite
from bot.profiles.model import Profile
from tests.bot.applications.fakes import TODAY, context
from tests.bot.matching.fakes import InvitingUnitOfWork

HOST_LEAD, VISITOR, SOMEONE = "U0HOSTLEAD", "U0VISITOR", "U0SOMEONE"


@pytest.fixture
def uow() -> InvitingUnitOfWork:
    uow = InvitingUnitOfWork()
    uow.people.profiles[VISITOR] = Profile()
    return uow


def test_a_host_lead_invites_once_and_the_invitation_is_recorded(uow):
    opening = uow.add_opening(HOST_LEAD)
    outcome = invite(uow, context(HOST_LEAD), opening.id, VISITOR, is_organiser=False)
    assert outcome.opening == opening and not outcome.already and outcome.refusal is None
    assert uow.proposals.sent == {(opening.id, VISITOR)}
    assert uow.audit.actions == ["candidate_invited"] and uow.commits == 1
    again = invite(uow, context(HOST_LEAD), opening.id, VISITOR, is_organiser=False)
    assert again.already and again.opening == opening and uow.commits == 1


def test_an_organiser_invites_to_any_opening(uow):
    opening = uow.add_opening(HOST_LEAD)
    assert invite(uow, context(SOMEONE), opening.id, VISITOR, is_organiser=True).refusal is None


@pytest.mark.parametrize("known", [True, False])
def test_only_a_lead_of_the_host_team_invites(uow, known):
    opening_id = uow.add_opening(HOST_LEAD).id if known else 999_999
    outcome = invite(uow, context(SOMEONE), opening_id, VISITOR, is_organiser=False)
    assert outcome.refusal == "Only a lead of the host team (or an organiser) can invite to it."
    assert outcome.opening is None and uow.proposals.sent == set() and uow.commits == 0


def test_someone_without_a_profile_cannot_be_invited(uow):
    opening = uow.add_opening(HOST_LEAD)
    outcome = invite(uow, context(HOST_LEAD), opening.id, SOMEONE, is_organiser=False)
    assert outcome.refusal == "That person has no profile: they cannot be invited."
    assert uow.proposals.sent == set() and uow.commits == 0


@pytest.mark.parametrize(
    "paused", [Profile(looking=False), Profile(snoozed_until=TODAY + timedelta(days=1))]
)
def test_someone_who_paused_visits_cannot_be_invited(uow, paused):
    uow.people.profiles[VISITOR] = paused
    opening = uow.add_opening(HOST_LEAD)
    outcome = invite(uow, context(HOST_LEAD), opening.id, VISITOR, is_organiser=False)
    assert outcome.refusal == f"<@{VISITOR}> has paused visits: they cannot be invited now."
    assert uow.proposals.sent == set() and uow.commits == 0


def test_an_undelivered_invitation_is_forgotten_so_the_lead_may_try_again(uow):
    opening = uow.add_opening(HOST_LEAD)
    invite(uow, context(HOST_LEAD), opening.id, VISITOR, is_organiser=False)
    forget_invitation(uow, context(HOST_LEAD), opening.id, VISITOR)
    assert uow.proposals.sent == set() and uow.commits == 2
    again = invite(uow, context(HOST_LEAD), opening.id, VISITOR, is_organiser=False)
    assert not again.already and again.refusal is None
