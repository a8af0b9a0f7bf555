"""The Home's read models on both databases: what waits for a lead, the person, opening names."""

from datetime import UTC, date, datetime, timedelta

from bot.checkins.model import Mood
from storage.models import Application, CheckinAnswer
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

LEAD = "U0LEAD"
START = date(2027, 1, 4)


def opening(uow, team, title: str):
    end = START + timedelta(weeks=8)
    return seed_opening(uow, team, title, earliest_start=START, latest_end=end)


def apply(uow, person, opening, status: str, minute: int) -> int:
    application = Application(
        workspace_id=WORKSPACE,
        opening_id=opening.id,
        person_id=person.id,
        status=status,
        starts_on=START,
        ends_on=START + timedelta(days=11),
        updated_at=datetime(2026, 12, 1, 9, minute, tzinfo=UTC),
    )
    uow.session.add(application)
    uow.session.flush()
    return application.id


def test_a_lead_is_waited_for_as_host_and_as_home_lead_only(uow_factory):
    with uow_factory() as uow:
        hosting, home = seed_team(uow, "Streaming", leads=(LEAD,)), seed_team(uow, "Search")
        led_home, other = seed_team(uow, "Payments", leads=(LEAD,)), seed_team(uow, "Ads")
        ours, theirs = opening(uow, hosting, "Kafka"), opening(uow, other, "Ads")
        visitor = seed_person(uow, "U0VISITOR", home_team_id=home.id)
        member = seed_person(uow, "U0MEMBER", home_team_id=led_home.id)
        to_host = apply(uow, visitor, ours, "submitted", minute=2)
        to_agree = apply(uow, member, theirs, "host_accepted", minute=1)
        apply(uow, visitor, ours, "host_accepted", minute=3)  # the visitor's home lead agrees
        apply(uow, member, theirs, "submitted", minute=4)  # the other host decides
        apply(uow, member, ours, "approved", minute=5)  # decided
        uow.commit()
    with uow_factory() as uow:
        pending = uow.overview.pending_for(WORKSPACE, LEAD)
        nobody = uow.overview.pending_for(WORKSPACE, "U0VISITOR")
    assert [(p.application_id, p.as_host) for p in pending.rows] == [
        (to_agree, False),
        (to_host, True),
    ]
    assert pending.total == 2 and pending.rows[1].visitor_id == "U0VISITOR"
    assert (pending.rows[1].opening_title, pending.rows[1].host_team_name) == ("Kafka", "Streaming")
    assert (nobody.rows, nobody.total) == ([], 0)


def test_a_long_list_shows_its_first_rows_and_counts_them_all(uow_factory):
    with uow_factory() as uow:
        kafka = opening(uow, seed_team(uow, "Streaming", leads=(LEAD,)), "Kafka")
        for number in range(13):
            apply(uow, seed_person(uow, f"U0{number:04d}"), kafka, "submitted", minute=number)
        uow.commit()
    with uow_factory() as uow:
        pending = uow.overview.pending_for(WORKSPACE, LEAD)
    assert (len(pending.rows), pending.total, pending.more) == (10, 13, 3)
    assert [p.visitor_id for p in pending.rows] == [f"U0{number:04d}" for number in range(10)]


def test_the_viewer_comes_with_their_home_team_name_and_whether_they_lead(uow_factory):
    with uow_factory() as uow:
        team = seed_team(uow, "Payments", leads=(LEAD,))
        seed_person(uow, "U0VISITOR", home_team_id=team.id, learn_topics=["kafka"], looking=False)
        seed_person(uow, "U0LOOSE")
        uow.commit()
    with uow_factory() as uow:
        visitor = uow.overview.viewer(WORKSPACE, "U0VISITOR")
        loose = uow.overview.viewer(WORKSPACE, "U0LOOSE")
        lead = uow.overview.viewer(WORKSPACE, LEAD)
        elsewhere = uow.overview.viewer("T0OTHER", LEAD)
    assert visitor.person is not None and visitor.person.home_team_name == "Payments"
    assert (visitor.person.profile.learn_topics, visitor.person.profile.looking) == (
        ("kafka",),
        False,
    )
    assert not visitor.leads_teams
    assert loose.person is not None and loose.person.home_team_name is None
    assert (lead.person, lead.leads_teams) == (None, True)
    assert (elsewhere.person, elsewhere.leads_teams) == (None, False)


def test_opening_names_are_the_workspaces_only(uow_factory):
    with uow_factory() as uow:
        kafka = opening(uow, seed_team(uow, "Streaming"), "Kafka")
        foreign = opening(uow, seed_team(uow, "Other", workspace_id="T0OTHER"), "Foreign")
        uow.commit()
        ids = [kafka.id, foreign.id]
    with uow_factory() as uow:
        names = uow.overview.opening_names(WORKSPACE, ids)
    assert {id_: (n.title, n.team_name) for id_, n in names.items()} == {
        ids[0]: ("Kafka", "Streaming")
    }


def test_each_led_team_lists_its_people_away_with_their_latest_check_in_and_its_hosting(
    uow_factory,
):
    today = date(2026, 12, 1)
    with uow_factory() as uow:
        streaming = seed_team(uow, "Streaming", leads=(LEAD,), away_cap=2)
        ads = seed_team(uow, "Ads", leads=(LEAD,), visitors_per_quarter=2)  # nobody away
        kafka = opening(uow, seed_team(uow, "Search"), "Kafka")
        hosted = opening(uow, ads, "Ads")
        for user, starts, status in [
            ("U0OCTOBER", date(2026, 10, 5), "completed"),
            ("U0MARCH", date(2026, 3, 2), "completed"),
            ("U0LASTYEAR", date(2025, 12, 1), "completed"),
            ("U0NEXTYEAR", date(2027, 1, 4), "scheduled"),
            ("U0DROPPED", date(2026, 11, 2), "cancelled"),
        ]:
            guest = seed_person(uow, user)
            ends = starts + timedelta(days=4)
            seed_tour(uow, guest, hosted, starts_on=starts, ends_on=ends, status=status)
        visits = [
            ("U0LATER", date(2027, 1, 4), "scheduled"),
            ("U0NOW", date(2026, 11, 30), "active"),
            ("U0BACK", date(2026, 10, 5), "completed"),
            ("U0CANCELLED", date(2027, 1, 4), "cancelled"),
        ]
        tours = {
            user: seed_tour(
                uow,
                seed_person(uow, user, home_team_id=streaming.id),
                kafka,
                starts_on=starts,
                ends_on=starts + timedelta(days=11),
                status=status,
            )
            for user, starts, status in visits
        }
        for week, mood in [(2, "so_so"), (1, "going_well")]:
            uow.session.add(
                CheckinAnswer(
                    workspace_id=WORKSPACE,
                    tour_id=tours["U0NOW"].id,
                    week=week,
                    mood=mood,
                    answered_by="U0NOW",
                    answered_at=datetime(2026, 12, 1, tzinfo=UTC),
                )
            )
        uow.commit()
    with uow_factory() as uow:
        led = uow.overview.led_teams(WORKSPACE, LEAD, today)
    ads_away, away = led.away
    assert (ads_away.team_name, ads_away.absences) == ("Ads", [])
    assert [(h.team_name, h.this_quarter, h.this_year, h.per_quarter) for h in led.hosting] == [
        ("Ads", 1, 2, 2),
        ("Streaming", 0, 0, None),
    ]
    assert (away.team_name, away.away_cap) == ("Streaming", 2)
    assert [(a.visitor_id, a.host_team_name) for a in away.absences] == [
        ("U0NOW", "Search"),
        ("U0LATER", "Search"),
    ]
    now, later = away.absences
    assert now.latest is not None and (now.latest.week, now.latest.mood) == (2, Mood.SO_SO)
    assert later.latest is None
