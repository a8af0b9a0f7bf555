"""The programme in numbers: plain facts read from storage, and the pure rules that turn them
into the figures organisers see (`/tourism stats`, `tourism report`) and everyone's own view.

Periods are calendar dates in the organisation's time zone (the business clock's today).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.applications.model import Status
from bot.checkins.model import LOW_MOODS, MeetingsShare, PulledBack
from bot.core.visits import TourStatus
from bot.retros.model import LengthVerdict

WAITING_TOO_LONG = timedelta(days=7)  # a decision older than this is overdue
WHAT_STUCK_AFTER = timedelta(days=90)  # the follow-up asks what stuck 90 days after the return
WAITING_STATUSES = frozenset({Status.SUBMITTED, Status.HOST_ACCEPTED})  # a lead's decision
HEAVY_MEETINGS = frozenset({MeetingsShare.HALF, MeetingsShare.OVER_HALF})
PULLED_HOME = frozenset({PulledBack.ONCE_OR_TWICE, PulledBack.OFTEN})


class LengthBucket(StrEnum):
    """Visit lengths as the practice compares them: does four weeks beat two?"""

    TWO = "2 weeks"
    THREE = "3 weeks"
    FOUR_PLUS = "4+ weeks"


# --- facts, as the repository reads them ----------------------------------------------------


@dataclass(frozen=True)
class HostTeam:
    id: int
    name: str
    visitors_per_quarter: int | None
    lead_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Visit:
    visitor_id: str
    host_team_id: int
    buddy_id: str | None
    starts_on: date
    ends_on: date
    status: TourStatus
    rating: int | None = None
    length_verdict: LengthVerdict | None = None
    shared_back: bool = False
    brought_back: int = 0  # items the retro said to bring home
    stuck: int = 0  # of them, those the 90-day follow-up says stuck

    @property
    def weeks(self) -> int:
        return round(((self.ends_on - self.starts_on).days + 1) / 7)

    @property
    def length(self) -> LengthBucket:
        if self.weeks <= 2:
            return LengthBucket.TWO
        return LengthBucket.THREE if self.weeks == 3 else LengthBucket.FOUR_PLUS

    @property
    def held(self) -> bool:
        return self.status != TourStatus.CANCELLED


@dataclass(frozen=True)
class CheckinAnswer:
    answered_on: date
    mood: str | None
    meetings_share: str | None
    pulled_back: str | None


@dataclass(frozen=True)
class OpenOpening:
    title: str
    host_team_id: int
    applicants: int


@dataclass(frozen=True)
class PendingDecision:
    visitor_id: str
    opening_title: str
    status: Status
    waiting_since: date


@dataclass(frozen=True)
class ProgrammeFacts:
    teams: Sequence[HostTeam]
    visits: Sequence[Visit]
    checkins: Sequence[CheckinAnswer]
    open_openings: Sequence[OpenOpening]
    pending_decisions: Sequence[PendingDecision]


# --- figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    label: str
    first: date
    last: date

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


def quarter_and_year(today: date) -> tuple[Period, Period]:
    quarter = (today.month - 1) // 3
    first = date(today.year, quarter * 3 + 1, 1)
    after = date(today.year + 1, 1, 1) if quarter == 3 else date(today.year, first.month + 3, 1)
    return (
        Period(f"Q{quarter + 1} {today.year}", first, after - timedelta(days=1)),
        Period(str(today.year), date(today.year, 1, 1), date(today.year, 12, 31)),
    )


def report_periods(today: date, since: date | None, until: date | None) -> list[Period] | None:
    """This quarter and year, or the days chosen (from the start of the year, up to today);
    None when they are the wrong way round."""
    if since is None and until is None:
        return list(quarter_and_year(today))
    last = until or today
    first = since or date(last.year, 1, 1)
    if first > last:
        return None
    return [Period(f"{first.isoformat()} – {last.isoformat()}", first, last)]


@dataclass(frozen=True)
class Rate:
    count: int
    out_of: int

    @property
    def share(self) -> float | None:
        return self.count / self.out_of if self.out_of else None


@dataclass(frozen=True)
class VisitCounts:
    started: int  # held visits whose first day is in the period and not after today
    completed: int  # completed visits whose last day is in the period
    cancelled: int  # cancelled visits that were to start in the period
    visitors: int  # distinct visitors of the visits started
    host_teams: int  # distinct host teams of the visits started


@dataclass(frozen=True)
class HostLoad:
    team: str
    visitors_per_quarter: int | None
    hosted: tuple[int, ...]  # held visits starting in each period (planned ones count too)
    average_rating: float | None
    busiest_buddy: int  # the most visits one buddy of the team looks after in the last period


@dataclass(frozen=True)
class LengthFigures:
    length: LengthBucket
    retros: int
    average_rating: float | None
    verdicts: dict[LengthVerdict, int]  # retros saying so


@dataclass(frozen=True)
class CheckinMonth:
    month: date  # its first day
    answers: int
    low_mood: int
    heavy_meetings: int
    pulled_home: int


@dataclass(frozen=True)
class ProgrammeReport:
    periods: tuple[Period, ...]
    visits: tuple[VisitCounts, ...]  # one per period
    host_load: tuple[HostLoad, ...]  # busiest first
    by_length: tuple[LengthFigures, ...]
    visits_by_month: tuple[tuple[date, int], ...]  # held visits starting each month
    checkins_by_month: tuple[CheckinMonth, ...]
    share_back: Rate  # completed visits shared back at home
    what_stuck: Rate  # items brought home that stuck, 90 days or more after the return
    idle_openings: tuple[str, ...]  # open openings nobody applied to
    overdue_decisions: tuple[PendingDecision, ...]  # waiting over a week, longest first


def programme_report(
    facts: ProgrammeFacts, periods: Sequence[Period], today: date
) -> ProgrammeReport:
    """Every figure over `periods` (the last is the widest: the table and the charts use it)."""
    span = periods[-1]
    in_span = [visit for visit in facts.visits if visit.starts_on in span]
    return ProgrammeReport(
        periods=tuple(periods),
        visits=tuple(visit_counts(facts.visits, period, today) for period in periods),
        host_load=host_load(facts.teams, facts.visits, periods),
        by_length=by_length(in_span),
        visits_by_month=visits_by_month(in_span, span),
        checkins_by_month=checkins_by_month(
            [answer for answer in facts.checkins if answer.answered_on in span]
        ),
        share_back=share_back_rate([v for v in facts.visits if v.ends_on in span]),
        what_stuck=what_stuck_rate([v for v in facts.visits if v.ends_on in span], today),
        idle_openings=tuple(
            sorted(opening.title for opening in facts.open_openings if not opening.applicants)
        ),
        overdue_decisions=overdue_decisions(facts.pending_decisions, today),
    )


def visit_counts(visits: Iterable[Visit], period: Period, today: date) -> VisitCounts:
    starting = [visit for visit in visits if visit.starts_on in period]
    started = [visit for visit in starting if visit.held and visit.starts_on <= today]
    completed = [v for v in visits if v.status == TourStatus.COMPLETED and v.ends_on in period]
    return VisitCounts(
        started=len(started),
        completed=len(completed),
        cancelled=sum(1 for visit in starting if not visit.held),
        visitors=len({visit.visitor_id for visit in started}),
        host_teams=len({visit.host_team_id for visit in started}),
    )


def host_load(
    teams: Iterable[HostTeam], visits: Sequence[Visit], periods: Sequence[Period]
) -> tuple[HostLoad, ...]:
    rows = []
    for team in teams:
        hosted = [visit for visit in visits if visit.host_team_id == team.id and visit.held]
        in_span = [visit for visit in hosted if visit.starts_on in periods[-1]]
        if not in_span:
            continue
        buddies = Counter(visit.buddy_id for visit in in_span if visit.buddy_id)
        rows.append(
            HostLoad(
                team=team.name,
                visitors_per_quarter=team.visitors_per_quarter,
                hosted=tuple(
                    sum(1 for visit in hosted if visit.starts_on in period) for period in periods
                ),
                average_rating=_average(visit.rating for visit in in_span),
                busiest_buddy=max(buddies.values(), default=0),
            )
        )
    return tuple(sorted(rows, key=lambda row: (-row.hosted[-1], row.team.casefold())))


def by_length(visits: Iterable[Visit]) -> tuple[LengthFigures, ...]:
    rated = [visit for visit in visits if visit.rating is not None]
    rows = []
    for length in LengthBucket:
        of_length = [visit for visit in rated if visit.length is length]
        verdicts = Counter(visit.length_verdict for visit in of_length)
        rows.append(
            LengthFigures(
                length=length,
                retros=len(of_length),
                average_rating=_average(visit.rating for visit in of_length),
                verdicts={verdict: verdicts[verdict] for verdict in LengthVerdict},
            )
        )
    return tuple(rows)


def visits_by_month(visits: Iterable[Visit], span: Period) -> tuple[tuple[date, int], ...]:
    counts = Counter(_month(visit.starts_on) for visit in visits if visit.held)
    return tuple((month, counts[month]) for month in _months(span))


def checkins_by_month(answers: Iterable[CheckinAnswer]) -> tuple[CheckinMonth, ...]:
    months: dict[date, list[CheckinAnswer]] = {}
    for answer in answers:
        months.setdefault(_month(answer.answered_on), []).append(answer)
    return tuple(
        CheckinMonth(
            month=month,
            answers=len(of_month),
            low_mood=sum(1 for a in of_month if a.mood in LOW_MOODS),
            heavy_meetings=sum(1 for a in of_month if a.meetings_share in HEAVY_MEETINGS),
            pulled_home=sum(1 for a in of_month if a.pulled_back in PULLED_HOME),
        )
        for month, of_month in sorted(months.items())
    )


def share_back_rate(visits: Iterable[Visit]) -> Rate:
    completed = [visit for visit in visits if visit.status == TourStatus.COMPLETED]
    return Rate(sum(1 for visit in completed if visit.shared_back), len(completed))


def what_stuck_rate(visits: Iterable[Visit], today: date) -> Rate:
    """Only visits back for 90 days or more: before that the follow-up has not been asked."""
    followed = [
        visit
        for visit in visits
        if visit.status == TourStatus.COMPLETED and visit.ends_on + WHAT_STUCK_AFTER <= today
    ]
    return Rate(sum(visit.stuck for visit in followed), sum(v.brought_back for v in followed))


def overdue_decisions(
    pending: Iterable[PendingDecision], today: date
) -> tuple[PendingDecision, ...]:
    overdue = [
        decision
        for decision in pending
        if decision.status in WAITING_STATUSES and decision.waiting_since + WAITING_TOO_LONG < today
    ]
    return tuple(sorted(overdue, key=lambda decision: decision.waiting_since))


# --- everyone's own view -------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalVisit:
    visit: Visit
    host_team: str


@dataclass(frozen=True)
class PersonalReport:
    own: tuple[PersonalVisit, ...]  # the person's visits, newest first
    hosted: tuple[PersonalVisit, ...]  # visitors of the teams they lead in the period
    leads: bool


def personal_report(facts: ProgrammeFacts, user_id: str, period: Period) -> PersonalReport:
    names = {team.id: team.name for team in facts.teams}
    led = {team.id for team in facts.teams if user_id in team.lead_ids}

    def shown(visits: Iterable[Visit]) -> tuple[PersonalVisit, ...]:
        newest_first = sorted(visits, key=lambda visit: visit.starts_on, reverse=True)
        return tuple(
            PersonalVisit(visit, names.get(visit.host_team_id, "?")) for visit in newest_first
        )

    return PersonalReport(
        own=shown(visit for visit in facts.visits if visit.visitor_id == user_id),
        hosted=shown(
            visit
            for visit in facts.visits
            if visit.host_team_id in led and visit.held and visit.starts_on in period
        ),
        leads=bool(led),
    )


def _average(values: Iterable[int | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) / len(known) if known else None


def _month(day: date) -> date:
    return day.replace(day=1)


def _months(span: Period) -> list[date]:
    months, month = [], _month(span.first)
    while month <= span.last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months
