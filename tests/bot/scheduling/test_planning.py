from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.scheduling.planning import (
    TOUR_PLAN_CONTENT_KEYS,
    DigestOpening,
    Kind,
    TourFacts,
    last_working_day,
    next_working_day,
    plan_digest,
    plan_tour,
)

WARSAW = ZoneInfo("Europe/Warsaw")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
VISITOR, BUDDY, LEAD, LEAD_2 = "U0VISITOR", "U0BUDDY", "U0LEAD", "U0LEAD2"
HOME_LEAD = "U0HOMELEAD"


def facts(starts_on: date, ends_on: date, **changes) -> TourFacts:
    values = {
        "tour_id": 7,
        "visitor": VISITOR,
        "buddy": BUDDY,
        "host_leads": (LEAD,),
        "host_team": "Payments",
        "host_channel": "C0PAY",
        "home_team": "Search",
        "home_channel": "C0SEARCH",
        "opening_title": "Learn the ledger",
        "first_day_kit": "Read the runbook",
        "work_mode": "hybrid",
        "city": "Warsaw",
        "starts_on": starts_on,
        "ends_on": ends_on,
    } | changes
    return TourFacts(**values)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def due_by_key(messages) -> dict[str, datetime]:
    return {message.unique_key: message.due_at for message in messages}


def test_a_four_week_tour_across_zones_and_the_march_dst_change():
    # Mon 2 March to Sun 29 March 2026. New York moves its clocks on 8 March, Warsaw on the
    # 29th (the visit's last day); Kolkata has no DST.
    plan = plan_tour(
        facts(date(2026, 3, 2), date(2026, 3, 29)),
        {VISITOR: WARSAW, BUDDY: NEW_YORK, LEAD: KOLKATA},
        WARSAW,
    )
    assert due_by_key(plan) == {
        f"tour:7:kickoff:{VISITOR}:1": utc("2026-03-02 09:00"),  # 10:00 CET
        f"tour:7:kickoff:{BUDDY}:1": utc("2026-03-02 15:00"),  # 10:00 EST
        f"tour:7:checkin:{VISITOR}:1": utc("2026-03-09 09:00"),
        f"tour:7:checkin:{VISITOR}:2": utc("2026-03-16 09:00"),
        f"tour:7:checkin:{VISITOR}:3": utc("2026-03-23 09:00"),
        # halfway is Sunday 15 March: Monday, 10:00 IST
        f"tour:7:midpoint:{LEAD}:1": utc("2026-03-16 04:30"),
        # the last day is a Sunday: the retro prompt comes on the Friday before
        f"tour:7:retro:{VISITOR}:1": utc("2026-03-27 09:00"),
        # a week after the return is Sunday 5 April: Monday, 10:00 CEST (summer time now)
        f"tour:7:share_back:{VISITOR}:1": utc("2026-04-06 08:00"),
    }
    checkins = [m for m in plan if m.kind is Kind.CHECKIN]
    assert [m.payload["week"] for m in checkins] == [1, 2, 3]
    assert {m.content_key for m in plan if m.kind is Kind.KICKOFF} == {
        "kickoff_visitor",
        "kickoff_buddy",
    }


def test_new_york_summer_time_moves_the_utc_hour_between_two_check_ins():
    plan = plan_tour(facts(date(2026, 3, 2), date(2026, 3, 20)), {VISITOR: NEW_YORK}, WARSAW)
    due = due_by_key(plan)
    assert due[f"tour:7:kickoff:{VISITOR}:1"] == utc("2026-03-02 15:00")  # EST, UTC-5
    assert due[f"tour:7:checkin:{VISITOR}:1"] == utc("2026-03-09 14:00")  # EDT, UTC-4


def test_warsaw_winter_time_in_october():
    # Warsaw leaves summer time on Sunday 25 October 2026.
    plan = plan_tour(facts(date(2026, 10, 12), date(2026, 10, 30)), {VISITOR: WARSAW}, WARSAW)
    due = due_by_key(plan)
    assert due[f"tour:7:checkin:{VISITOR}:1"] == utc("2026-10-19 08:00")  # CEST
    assert due[f"tour:7:checkin:{VISITOR}:2"] == utc("2026-10-26 09:00")  # CET
    assert due[f"tour:7:retro:{VISITOR}:1"] == utc("2026-10-30 09:00")


def test_a_weekend_start_moves_the_kickoff_to_monday():
    plan = plan_tour(facts(date(2026, 3, 7), date(2026, 3, 27)), {}, KOLKATA)
    due = due_by_key(plan)
    assert due[f"tour:7:kickoff:{VISITOR}:1"] == utc("2026-03-09 04:30")
    # a weekly anniversary on Saturday 14 March moves to Monday 16th
    assert due[f"tour:7:checkin:{VISITOR}:1"] == utc("2026-03-16 04:30")


def test_people_without_a_known_zone_get_the_organisations():
    plan = plan_tour(facts(date(2026, 3, 2), date(2026, 3, 13)), {}, NEW_YORK)
    assert {m.due_at.astimezone(NEW_YORK).hour for m in plan} == {10}


def test_planning_twice_gives_the_same_rows_and_every_key_is_unique():
    tour = facts(date(2026, 3, 2), date(2026, 3, 29), host_leads=(LEAD, LEAD_2))
    first = plan_tour(tour, {VISITOR: WARSAW}, WARSAW)
    assert first == plan_tour(tour, {VISITOR: WARSAW}, WARSAW)
    assert len({m.unique_key for m in first}) == len(first)
    assert {m.recipient for m in first if m.kind is Kind.MIDPOINT} == {LEAD, LEAD_2}


def test_the_plan_says_which_content_keys_it_owns():
    """Re-planning replaces rows with these content keys only: a check-in's renderer key is the
    plan's, the retro's follow-up is not."""
    tour = facts(date(2026, 3, 2), date(2026, 3, 29), home_leads=(HOME_LEAD,))
    plan = plan_tour(tour, {}, WARSAW)
    assert {m.content_key for m in plan} == TOUR_PLAN_CONTENT_KEYS
    assert "retro_follow_up" not in TOUR_PLAN_CONTENT_KEYS


def test_no_buddy_means_no_buddy_kickoff_and_a_buddy_who_is_the_visitor_gets_one():
    for buddy in (None, VISITOR):
        plan = plan_tour(facts(date(2026, 3, 2), date(2026, 3, 13), buddy=buddy), {}, WARSAW)
        assert [m.recipient for m in plan if m.kind is Kind.KICKOFF] == [VISITOR]


def test_the_home_leads_hear_of_the_start_and_the_last_working_day_but_not_of_their_own():
    tour = facts(date(2026, 3, 2), date(2026, 3, 29), home_leads=(HOME_LEAD, VISITOR))
    news = [m for m in plan_tour(tour, {}, WARSAW) if m.kind is Kind.HOME_NEWS]
    assert [(m.content_key, m.recipient, m.due_at) for m in news] == [
        ("home_visit_starts", HOME_LEAD, utc("2026-03-02 09:00")),
        ("home_visit_ends", HOME_LEAD, utc("2026-03-27 09:00")),
    ]


def test_messages_carry_the_tour_facts_for_their_text():
    [kickoff, *_] = plan_tour(facts(date(2026, 3, 2), date(2026, 3, 13)), {}, WARSAW)
    assert kickoff.tour_id == 7
    assert kickoff.payload["first_day_kit"] == "Read the runbook"
    assert kickoff.payload["host_leads"] == [LEAD]
    assert kickoff.payload["starts_on"] == "2026-03-02"


def test_working_days():
    friday, saturday, sunday, monday = (date(2026, 3, d) for d in (6, 7, 8, 9))
    assert [next_working_day(d) for d in (friday, saturday, sunday, monday)] == [
        friday,
        monday,
        monday,
        monday,
    ]
    assert [last_working_day(d) for d in (friday, saturday, sunday, monday)] == [
        friday,
        friday,
        friday,
        monday,
    ]


ZONES = st.sampled_from([WARSAW, NEW_YORK, KOLKATA, ZoneInfo("Australia/Sydney"), UTC])


@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=60),
    visitor_zone=ZONES,
    lead_zone=ZONES,
)
def test_every_message_is_at_ten_on_a_working_day_in_its_recipients_zone(
    start, days, visitor_zone, lead_zone
):
    zones = {VISITOR: visitor_zone, BUDDY: visitor_zone, LEAD: lead_zone}
    plan = plan_tour(facts(start, start + timedelta(days=days)), zones, WARSAW)
    for message in plan:
        local = message.due_at.astimezone(zones[message.recipient])
        assert (local.hour, local.minute, local.weekday() < 5) == (10, 0, True)
    by_kind = {kind: [m.due_at for m in plan if m.kind is kind] for kind in Kind}
    [kickoff, *_] = by_kind[Kind.KICKOFF]
    [retro] = by_kind[Kind.RETRO]
    [share_back] = by_kind[Kind.SHARE_BACK]
    assert all(kickoff < checkin < retro for checkin in by_kind[Kind.CHECKIN])
    assert kickoff <= retro < share_back
    assert len({m.unique_key for m in plan}) == len(plan)


OPENING = DigestOpening(
    "Learn the ledger", "Payments", date(2026, 4, 6), date(2026, 6, 26), 4, 1, opening_id=7
)


def test_the_digest_is_keyed_by_week_and_due_monday_at_ten_organisation_time():
    wednesday = utc("2026-04-01 12:00")
    digest = plan_digest("C0TOURISM", [OPENING], wednesday, WARSAW)
    assert digest is not None
    assert digest.unique_key == "digest:2026-W14"
    assert digest.due_at == utc("2026-03-30 08:00")  # Monday 10:00 CEST
    assert digest.recipient == "C0TOURISM"
    assert digest.payload["openings"][0]["title"] == "Learn the ledger"
    # the same week planned again is the same row; the next week is another
    assert plan_digest("C0TOURISM", [OPENING], utc("2026-04-05 20:00"), WARSAW) == digest
    next_week = plan_digest("C0TOURISM", [OPENING], utc("2026-04-06 08:00"), WARSAW)
    assert next_week is not None and next_week.unique_key == "digest:2026-W15"


def test_no_open_openings_no_digest():
    assert plan_digest("C0TOURISM", [], utc("2026-04-01 12:00"), WARSAW) is None
