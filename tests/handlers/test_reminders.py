"""Decisions left waiting: the approver is reminded once, the organisers told after a week."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.applications.service import plan_decision_nudges
from bot.scheduling.views import render
from storage.models import OutboxMessage, TeamLead
from tests.conftest import NOW
from tests.support.seed import seed_opening, seed_person, seed_team, team_row

ORGANISERS = frozenset({"U0ORG"})
WARSAW = ZoneInfo("Europe/Warsaw")


def seed_waiting_application(uow, submitted_at):
    host = seed_team(uow, "Streaming", leads=("U0HOSTLEAD",))
    person = seed_person(uow, "U0VISITOR")
    opening = seed_opening(
        uow, host, "Kafka <internals>", earliest_start=date(2027, 1, 4), latest_end=date(2027, 3, 1)
    )
    uow.applications.create(
        workspace_id="T0TEST",
        opening_id=opening.id,
        person_id=person.id,
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 1, 31),
        created_at=submitted_at,
        updated_at=submitted_at,
    )
    uow.commit()


def nudge(uow_factory, now):
    """Plans the nudges due at `now`; returns every outbox row as (recipient, content key, key)."""
    with uow_factory() as uow:
        plan_decision_nudges(uow, "T0TEST", now, WARSAW, ORGANISERS)
        uow.commit()
    with uow_factory() as uow:
        return sorted((r.recipient, r.content_key, r.unique_key) for r in outbox_rows(uow))


def outbox_rows(uow):
    return uow.session.query(OutboxMessage).all()


def test_nobody_is_nudged_before_three_working_days(uow_factory):
    with uow_factory() as uow:
        seed_waiting_application(uow, NOW)  # Monday
    assert nudge(uow_factory, NOW + timedelta(days=2)) == []


def test_the_host_lead_is_reminded_once_then_organisers_after_seven_working_days(uow_factory):
    with uow_factory() as uow:
        seed_waiting_application(uow, NOW)
    after_three = nudge(uow_factory, NOW + timedelta(days=3))
    assert [(r, c) for r, c, _ in after_three] == [("U0HOSTLEAD", "decision_reminder")]
    assert nudge(uow_factory, NOW + timedelta(days=4)) == after_three  # planned once
    after_nine = nudge(uow_factory, NOW + timedelta(days=9))
    assert [(r, c) for r, c, _ in after_nine] == [
        ("U0HOSTLEAD", "decision_reminder"),
        ("U0ORG", "decision_escalation"),
    ]


def test_the_nudges_render_with_escaped_titles(uow_factory):
    with uow_factory() as uow:
        seed_waiting_application(uow, NOW)
    nudge(uow_factory, NOW + timedelta(days=9))
    with uow_factory() as uow:
        for row in outbox_rows(uow):
            message = render(row.content_key, row.payload)
            text = str(message.blocks)
            assert "Kafka &lt;internals&gt;" in text
            assert "<@U0VISITOR>" in text


def test_a_visitor_who_leads_the_host_team_is_not_reminded_to_decide(uow_factory):
    with uow_factory() as uow:
        seed_waiting_application(uow, NOW)
        host = team_row(uow, "Streaming")
        host.leads.append(TeamLead(workspace_id="T0TEST", user_id="U0VISITOR"))
        uow.commit()
    after_three = nudge(uow_factory, NOW + timedelta(days=3))
    assert [r for r, _, _ in after_three] == ["U0HOSTLEAD"]
