"""App Home and every list issue as many SQL statements for a few rows as for many: what they show
is loaded in bulk, never one query per row shown."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from bot.directory.service import directory_page
from bot.directory.views import directory_message
from bot.home.service import load_home
from bot.home.views import home_view
from bot.matching.service import lead_candidates, my_matches
from bot.matching.views import candidates_message, matches_message
from bot.openings.service import Actor, ListQuery, list_openings
from bot.openings.views import openings_list
from storage.models import Application
from tests.conftest import RunningBot
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_tour

LEAD, VISITOR = "U0LEAD", "U0VISITOR"
Payload = dict[str, Any]
WINDOW = {"earliest_start": date(2027, 1, 4), "latest_end": date(2027, 3, 1)}


def grow(bot: RunningBot, first: int, count: int) -> None:
    """`count` more of everything shown: teams the lead leads, openings that suit the visitor,
    applications waiting for the lead, the visitor's applications and visits."""
    with bot.deps.uow() as uow:
        visitor = uow.people.get_by_user(WORKSPACE, VISITOR) or seed_person(
            uow,
            VISITOR,
            home_team_id=seed_team(uow, "Home").id,
            learn_topics=["kafka"],
            available_from=date(2027, 1, 1),
            available_until=date(2027, 6, 30),
        )
        for number in range(first, first + count):
            host = seed_team(uow, f"Host {number}", leads=(LEAD,))
            kafka = seed_opening(
                uow, host, f"Kafka {number}", topics=["kafka"], work_mode="remote", **WINDOW
            )
            applied = seed_opening(uow, host, f"Go {number}", topics=["go"], **WINDOW)
            past_host = seed_team(uow, f"Past host {number}")  # never suggested again
            visited = seed_opening(uow, past_host, f"Past {number}", topics=["go"], **WINDOW)
            applicant = seed_person(uow, f"U0APPLICANT{number}")
            for person, opening in ((applicant, kafka), (visitor, applied)):
                uow.session.add(
                    Application(
                        workspace_id=WORKSPACE,
                        opening_id=opening.id,
                        person_id=person.id,
                        starts_on=date(2027, 1, 4),
                        ends_on=date(2027, 1, 29),
                    )
                )
            seed_tour(uow, visitor, visited, starts_on=date(2026, 9, 7), ends_on=date(2026, 10, 2))
        uow.commit()


def home(bot: RunningBot, user_id: str, *, is_organiser: bool) -> Payload:
    with bot.deps.reader() as uow:
        data = load_home(uow, WORKSPACE, user_id, today=bot.deps.today(), is_organiser=is_organiser)
    return home_view(data)


def match(bot: RunningBot) -> Payload:
    with bot.deps.reader() as uow:
        mine = my_matches(uow, WORKSPACE, VISITOR, today=bot.deps.today(), related={})
    return matches_message(mine)


def candidates(bot: RunningBot) -> Payload:
    with bot.deps.reader() as uow:
        found = lead_candidates(
            uow, WORKSPACE, LEAD, is_organiser=False, today=bot.deps.today(), related={}
        )
    return candidates_message(found)


def openings(bot: RunningBot) -> Payload:
    page = list_openings(
        bot.deps.reader,
        bot.deps.uow,
        Actor(WORKSPACE, LEAD, is_organiser=False),
        ListQuery(),
        vocabulary=bot.deps.vocabulary,
        today=bot.deps.today(),
    )
    return openings_list(page)


def teams(bot: RunningBot) -> Payload:
    return directory_message(directory_page(bot.deps.reader, WORKSPACE, 0), bot.deps.today())


SHOWN: dict[str, Callable[[RunningBot], Payload]] = {
    "home of a visitor": lambda bot: home(bot, VISITOR, is_organiser=False),
    "home of a lead and organiser": lambda bot: home(bot, LEAD, is_organiser=True),
    "match": match,
    "candidates": candidates,
    "openings list": openings,
    "teams list": teams,
}


def statements_of(bot: RunningBot, show: Callable[[RunningBot], Payload]) -> tuple[int, int]:
    """(SQL statements run to show it, blocks shown)"""
    show(bot)  # once first: the matching index is built and kept, as between requests
    with bot.deps.reader() as uow:
        engine = uow.session.get_bind()
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        payload = show(bot)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements), len(payload["blocks"])


@pytest.mark.parametrize("shown", SHOWN)
def test_statements_do_not_grow_with_the_rows_shown(bot: RunningBot, shown: str):
    grow(bot, 0, 1)
    statements, blocks = statements_of(bot, SHOWN[shown])
    grow(bot, 1, 6)
    more_statements, more_blocks = statements_of(bot, SHOWN[shown])
    assert more_blocks > blocks  # more rows are shown
    assert more_statements == statements
