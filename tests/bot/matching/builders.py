"""Small organisations for the matcher's tests: hand-made helpers and a hypothesis strategy."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from bot.matching import Application, Opening, Organisation, Team, Tour, Visitor

TODAY = date(2025, 1, 6)  # a Monday
TOPICS = ("rust", "kafka", "go", "python", "k8s", "sql")


def monday(weeks: int) -> date:
    return TODAY + timedelta(weeks=weeks)


def friday(weeks: int) -> date:
    return TODAY + timedelta(weeks=weeks, days=4)


def visitor(
    id: str,
    home: str | None = "home",
    learn: tuple[str, ...] = ("rust",),
    *,
    teach: tuple[str, ...] = (),
    first_week: int = 0,
    last_week: int = 7,
    preferred: int = 2,
    mode: str = "either",
    city: str | None = "berlin",
    travels: bool = False,
    looking: bool = True,
    snoozed_until: date | None = None,
) -> Visitor:
    return Visitor(
        id=id,
        home_team_id=home,
        learn=frozenset(learn),
        teach=frozenset(teach),
        available_from=monday(first_week),
        available_until=friday(last_week),
        preferred_weeks=preferred,
        work_mode=mode,
        city=city,
        willing_to_travel=travels,
        looking=looking,
        snoozed_until=snoozed_until,
    )


def opening(
    id: str,
    host: str = "host",
    topics: tuple[str, ...] = ("rust",),
    *,
    hopes: tuple[str, ...] = (),
    first_week: int = 0,
    last_week: int = 7,
    weeks: int = 2,
    seats: int = 1,
    mode: str = "remote",
    status: str = "open",
) -> Opening:
    return Opening(
        id=id,
        host_team_id=host,
        topics=frozenset(topics),
        hopes_to_learn=frozenset(hopes),
        earliest_start=monday(first_week),
        latest_end=friday(last_week),
        weeks=weeks,
        seats_left=seats,
        mode=mode,
        status=status,
    )


def team(id: str, away_cap: int = 5, city: str | None = "berlin", **limits: object) -> Team:
    return Team(id=id, city=city, away_cap=away_cap, **limits)


def org(visitors, openings, teams=None, tours=(), applications=(), related=None) -> Organisation:
    names = {v.home_team_id for v in visitors if v.home_team_id} | {
        o.host_team_id for o in openings
    }
    teams = teams or tuple(team(name) for name in sorted(names))
    return Organisation(
        visitors=tuple(visitors),
        openings=tuple(openings),
        teams=tuple(teams),
        today=TODAY,
        tours=tuple(tours),
        applications=tuple(applications),
        related_topics=related or {},
    )


@st.composite
def organisations(draw: st.DrawFn, max_visitors: int = 8, max_openings: int = 6) -> Organisation:
    """Random small organisations exercising every rule: modes, cities, blackouts, host limits,
    history, applications and related topics."""
    team_ids = [f"t{k}" for k in range(draw(st.integers(2, 4)))]
    topics = st.frozensets(st.sampled_from(TOPICS), min_size=1, max_size=3)
    week = st.integers(-2, 12)
    teams = []
    for team_id in team_ids:
        blackouts = []
        for _ in range(draw(st.integers(0, 2))):
            first = TODAY + timedelta(days=draw(st.integers(0, 80)))
            blackouts.append((first, first + timedelta(days=draw(st.integers(0, 12)))))
        teams.append(
            Team(
                id=team_id,
                city=draw(st.sampled_from(["berlin", "lisbon", None])),
                away_cap=draw(st.integers(1, 3)),
                round_cap=draw(st.none() | st.integers(0, 4)),
                blackouts=tuple(blackouts),
                visitors_per_quarter=draw(st.none() | st.integers(0, 2)),
                rest_days=draw(st.sampled_from([0, 0, 5])),
                visitors_hosted=draw(st.integers(0, 4)),
            )
        )
    people = []
    for i in range(draw(st.integers(1, max_visitors))):
        first = draw(week)
        people.append(
            Visitor(
                id=f"v{i}",
                home_team_id=draw(st.sampled_from([*team_ids, None])),
                learn=draw(topics),
                teach=draw(topics),
                available_from=TODAY + timedelta(days=7 * first + draw(st.integers(0, 6))),
                available_until=TODAY + timedelta(weeks=first + draw(st.integers(0, 8))),
                preferred_weeks=draw(st.integers(1, 8)),
                work_mode=draw(st.sampled_from(["onsite", "remote", "either"])),
                city=draw(st.sampled_from(["berlin", "lisbon", None])),
                willing_to_travel=draw(st.booleans()),
                looking=draw(st.booleans() | st.just(True)),
                snoozed_until=draw(st.none() | st.just(TODAY + timedelta(days=3))),
            )
        )
    offers = []
    for j in range(draw(st.integers(1, max_openings))):
        first, weeks = draw(week), draw(st.integers(1, 4))
        offers.append(
            Opening(
                id=f"o{j}",
                host_team_id=draw(st.sampled_from(team_ids)),
                topics=draw(topics),
                hopes_to_learn=draw(topics),
                earliest_start=TODAY + timedelta(days=7 * first + draw(st.integers(-3, 3))),
                latest_end=TODAY + timedelta(weeks=first + weeks + draw(st.integers(-1, 6))),
                weeks=weeks,
                seats_left=draw(st.integers(0, 3)),
                mode=draw(st.sampled_from(["onsite", "remote", "hybrid"])),
                status=draw(st.sampled_from(["open", "open", "closed"])),
            )
        )
    tours = []
    for _ in range(draw(st.integers(0, 3))):
        someone = draw(st.sampled_from(people))
        start = TODAY + timedelta(days=draw(st.integers(-60, 60)))
        tours.append(
            Tour(
                someone.id,
                someone.home_team_id,
                draw(st.sampled_from(team_ids)),
                start,
                start + timedelta(days=draw(st.integers(4, 25))),
            )
        )
    applications = [
        Application(draw(st.sampled_from(people)).id, draw(st.sampled_from(offers)).id)
        for _ in range(draw(st.integers(0, 2)))
    ]
    related = {
        t: frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=2)) - {t}) for t in TOPICS
    }
    return Organisation(
        visitors=tuple(people),
        openings=tuple(offers),
        teams=tuple(teams),
        today=TODAY,
        tours=tuple(tours),
        applications=tuple(applications),
        related_topics=related,
    )
