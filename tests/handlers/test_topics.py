"""`/tourism topics merge`: organisers fold a stray topic into a vocabulary entry (signed HTTP)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import AuditEntry, Opening, Person
from tests.conftest import ORGANISER, RunningBot
from tests.support.seed import seed_opening, seed_person, seed_team

ENGINEER = "U0ENGINEER"


def seed_strays(bot: RunningBot) -> None:
    with bot.deps.uow() as uow:
        seed_person(uow, ENGINEER, learn_topics=["hermes", "kafak", "kafka"], teach_topics=["go"])
        seed_person(uow, "U0OTHER", learn_topics=["python"], teach_topics=["kafak"])
        seed_person(uow, "U0THIRD", learn_topics=["python"])
        team = seed_team(uow, "Search")
        window = {"earliest_start": date(2027, 1, 4), "latest_end": date(2027, 3, 26)}
        seed_opening(uow, team, "Typos", topics=["kafak", "hermes"], **window)
        seed_opening(uow, team, "Clean", topics=["kafka"], **window)
        uow.commit()


def answer(bot: RunningBot, text: str, user_id: str = ORGANISER) -> str:
    """The ack's bare text, which Slack shows only to the person who typed the command."""
    response = bot.requests.slash_command(text, user_id=user_id)
    assert response.status == 200
    return response.text


def topics_held(bot: RunningBot) -> tuple[list[tuple[str, list[str], list[str]]], list[list[str]]]:
    with bot.deps.uow() as uow:
        people = uow.session.scalars(select(Person).order_by(Person.id))
        openings = uow.session.scalars(select(Opening).order_by(Opening.id))
        return (
            [(p.user_id, p.learn_topics, p.teach_topics) for p in people],
            [o.topics for o in openings],
        )


def test_an_organiser_merges_a_stray_topic_everywhere_and_hears_the_counts(bot: RunningBot):
    seed_strays(bot)
    assert answer(bot, "topics merge Kafak into kafka") == (
        "Merged *kafak* into *kafka*: 2 profiles and 1 opening changed."
    )
    people, openings = topics_held(bot)
    assert people == [
        (ENGINEER, ["hermes", "kafka"], ["go"]),  # kafka once, where kafak stood
        ("U0OTHER", ["python"], ["kafka"]),
        ("U0THIRD", ["python"], []),
    ]
    assert openings == [["kafka", "hermes"], ["kafka"]]
    with bot.deps.uow() as uow:
        [detail] = uow.session.execute(
            select(AuditEntry.detail).where(AuditEntry.action == "topic_merged")
        ).scalars()
    assert detail == {"into": "kafka", "profiles": 2, "openings": 1}
    # Done once, there is nothing left to merge.
    assert answer(bot, "topics merge kafak kafka") == (
        "No profile or opening holds *kafak*: nothing to merge."
    )


def test_only_organisers_may_merge(bot: RunningBot):
    seed_strays(bot)
    text = answer(bot, "topics merge kafak into kafka", user_id=ENGINEER)
    assert text == f"Only organisers can merge topics: ask <@{ORGANISER}>."
    assert topics_held(bot)[1] == [["kafak", "hermes"], ["kafka"]]


def test_a_merge_that_cannot_be_done_is_explained_with_the_usage(bot: RunningBot):
    seed_strays(bot)
    usage = "`/tourism topics merge STRAY into TOPIC` (for organisers)"
    assert usage in answer(bot, "topics")
    assert answer(bot, "topics merge kafak").startswith("Say which topic to merge into which.\n")
    refused = answer(bot, "topics merge kafak into kafkaa")
    assert refused.startswith(
        "kafkaa is not in the topic list: merge into one of its entries. Did you mean kafka?\n"
    )
    assert usage in refused
    assert answer(bot, "topics merge kafka into python").startswith(
        "kafka is in the topic list already: only other topics merge."
    )
    assert topics_held(bot)[1] == [["kafak", "hermes"], ["kafka"]]
