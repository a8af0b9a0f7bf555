"""A programme with known figures, for `/tourism stats` and `tourism report` (today is Monday
23 Nov 2026, the tests' business clock: Q4 2026 and the year 2026).

Visits (4 weeks: v1, v4, v7; 2 weeks: v2, v5; 3 weeks: v3):
  v1 ANA at Streaming  2 Feb – 27 Feb 2026  completed, buddy 1, rated 5 "right", shared back,
                                            2 items brought home, 1 stuck (followed up)
  v2 BEN at Streaming  5 Oct – 16 Oct 2026  completed, buddy 1, rated 3 "too short", 1 item
  v3 CAL at Payments  19 Oct –  6 Nov 2026  completed, buddy 2, rated 4 "right", shared back
  v4 DAN at Streaming 16 Nov – 11 Dec 2026  active, buddy 1
  v5 ANA at Payments   7 Dec – 18 Dec 2026  scheduled (not started yet)
  v6 BEN at Payments  12 Oct – 23 Oct 2026  cancelled
  v7 CAL at Streaming  3 Nov – 28 Nov 2025  completed (last year: outside every period)
Openings: Kafka (Streaming), Ledger (Payments), Idle (Search, nobody applied), Old (closed).
Decisions: EVE's application to Kafka waits for the host lead since 10 Nov (overdue); FAY's
waits for her home lead since 20 Nov (not yet a week); GUS's was declined long ago.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from storage.models import Application, CheckinAnswer, Opening, Person, Retro, ShareBack, Tour
from storage.unit_of_work import SqlUnitOfWork
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

STREAMING_LEAD = "U0STREAMLEAD"


def seed_programme(uow: SqlUnitOfWork) -> None:
    streaming = seed_team(uow, "Streaming", leads=(STREAMING_LEAD,), visitors_per_quarter=2)
    payments = seed_team(uow, "Payments", leads=("U0PAYLEAD",))
    search = seed_team(uow, "Search")
    people = {name: seed_person(uow, f"U0{name}") for name in ("ANA", "BEN", "CAL", "DAN")}
    window = {"earliest_start": date(2025, 1, 1), "latest_end": date(2027, 12, 31)}
    kafka = seed_opening(uow, streaming, "Kafka", **window)
    ledger = seed_opening(uow, payments, "Ledger", **window)
    seed_opening(uow, search, "Idle", **window)
    seed_opening(uow, search, "Old", status="closed", **window)

    def visit(
        name: str, opening: Opening, first: date, last: date, status: str, buddy: str | None = None
    ) -> Tour:
        return seed_tour(
            uow,
            people[name],
            opening,
            starts_on=first,
            ends_on=last,
            status=status,
            buddy_user_id=buddy,
        )

    v1 = visit("ANA", kafka, date(2026, 2, 2), date(2026, 2, 27), "completed", "U0BUDDY1")
    v2 = visit("BEN", kafka, date(2026, 10, 5), date(2026, 10, 16), "completed", "U0BUDDY1")
    v3 = visit("CAL", ledger, date(2026, 10, 19), date(2026, 11, 6), "completed", "U0BUDDY2")
    v4 = visit("DAN", kafka, date(2026, 11, 16), date(2026, 12, 11), "active", "U0BUDDY1")
    visit("ANA", ledger, date(2026, 12, 7), date(2026, 12, 18), "scheduled")
    visit("BEN", ledger, date(2026, 10, 12), date(2026, 10, 23), "cancelled")
    visit("CAL", kafka, date(2025, 11, 3), date(2025, 11, 28), "completed", "U0BUDDY1")

    _retro(uow, v1, 5, "right", brought=["pairing", "alerts"], stuck=["alerts"])
    _retro(uow, v2, 3, "too_short", brought=["runbooks"])
    _retro(uow, v3, 4, "right")
    for tour in (v1, v3):
        uow.session.add(
            ShareBack(
                workspace_id=WORKSPACE,
                tour_id=tour.id,
                done_at=_at(tour.ends_on),
                recorded_by="U0ANA",
                recorded_at=_at(tour.ends_on),
            )
        )
    for tour, week, answered, mood, meetings, pulled in (
        (v1, 1, date(2026, 2, 6), "going_well", "quarter", "never"),
        (v3, 1, date(2026, 10, 23), "going_well", "under_quarter", "never"),
        (v3, 2, date(2026, 10, 30), "so_so", "half", "once_or_twice"),
        (v4, 1, date(2026, 11, 20), "need_help", "over_half", "often"),
    ):
        uow.session.add(
            CheckinAnswer(
                workspace_id=WORKSPACE,
                tour_id=tour.id,
                week=week,
                mood=mood,
                meetings_share=meetings,
                pulled_back=pulled,
                answered_by="U0X",
                answered_at=_at(answered),
            )
        )
    for name, status, since in (
        ("EVE", "submitted", date(2026, 11, 10)),
        ("FAY", "host_accepted", date(2026, 11, 20)),
        ("GUS", "declined", date(2026, 1, 5)),
    ):
        _application(uow, seed_person(uow, f"U0{name}"), kafka, status, since)
    uow.commit()


def _retro(
    uow: SqlUnitOfWork,
    tour: Tour,
    rating: int,
    verdict: str,
    *,
    brought: list[str] | None = None,
    stuck: list[str] | None = None,
) -> None:
    uow.session.add(
        Retro(
            workspace_id=WORKSPACE,
            tour_id=tour.id,
            rating=rating,
            length_verdict=verdict,
            bring_back=brought or [],
            stuck=stuck or [],
        )
    )


def _application(
    uow: SqlUnitOfWork, person: Person, opening: Opening, status: str, since: date
) -> None:
    uow.session.add(
        Application(
            workspace_id=WORKSPACE,
            opening_id=opening.id,
            person_id=person.id,
            status=status,
            starts_on=date(2027, 1, 4),
            ends_on=date(2027, 1, 29),
            created_at=_at(since),
            updated_at=_at(since),
        )
    )


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
