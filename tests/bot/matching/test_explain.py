from datetime import date, timedelta

from bot.matching import (
    MatchIndex,
    Obstacle,
    Organisation,
    Visitor,
    diagnose,
    suggest_openings,
    suggest_visitors,
)
from bot.matching.model import Tour
from bot.matching.service import explanation_of
from tests.bot.matching.builders import monday, opening, org, team, visitor


def test_explanation_names_shared_related_and_taught_topics_dates_and_bonuses():
    people = [visitor("ana", learn=("rust", "kafka", "k8s"), teach=("sql",), preferred=2)]
    offers = [opening("o1", topics=("rust", "kafka", "helm"), hopes=("sql",), last_week=3)]
    organisation = org(people, offers, related={"k8s": frozenset({"helm"})})
    (suggestion,) = suggest_openings(MatchIndex(organisation), "ana")
    explanation = suggestion.explanation
    assert set(explanation.shared_topics) == {"rust", "kafka"}
    assert explanation.related_topics == (("k8s", "helm"),)
    assert explanation.taught_topics == ("sql",)
    text = explanation.text
    assert "Shared topics: " in text and "rust" in text and "kafka" in text
    assert "you want k8s, they work on helm" in text
    assert "They hope to learn sql, which you can teach" in text
    assert "Fits 6–31 Jan." in text
    assert "2 weeks, as you prefer" in text
    assert "Nobody from your team has visited them yet" in text
    assert round(sum(part.points for part in explanation.parts), 3) == suggestion.score


def test_suggestions_come_best_first_and_respect_the_limit():
    people = [visitor("ana", learn=("rust", "go"))]
    offers = [opening("both", topics=("rust", "go")), opening("one", topics=("go",))]
    offers += [opening(f"x{i}", topics=("rust",)) for i in range(6)]
    index = MatchIndex(org(people, offers))
    suggestions = suggest_openings(index, "ana", limit=5)
    assert len(suggestions) == 5
    assert suggestions[0].opening_id == "both"
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)


def test_leads_see_the_best_visitors_for_their_opening():
    people = [visitor("ana", learn=("rust",)), visitor("ben", learn=("rust",), teach=("go",))]
    index = MatchIndex(org(people, [opening("o1", hopes=("go",))]))
    assert [s.visitor_id for s in suggest_visitors(index, "o1")] == ["ben", "ana"]


def test_when_nothing_fits_the_diagnosis_says_why_and_what_would_change_it():
    people = [visitor("ana", first_week=0, last_week=2)]
    offers = [opening(f"o{i}", first_week=5, last_week=9) for i in range(3)]
    diagnosis = diagnose(MatchIndex(org(people, offers)), "ana")
    assert diagnosis.blocked_by == {Obstacle.DATES: 3}
    (miss,) = diagnosis.near_misses
    assert miss.obstacle is Obstacle.DATES and len(miss.opening_ids) == 3
    assert diagnosis.sentence == (
        "No open opening fits your dates (6–24 Jan); 3 would fit from February."
    )


def test_diagnosis_suggests_travel_for_onsite_openings_elsewhere():
    teams = [team("home"), team("host", city="lisbon")]
    organisation = org([visitor("ana")], [opening("o1", mode="onsite")], teams)
    diagnosis = diagnose(MatchIndex(organisation), "ana")
    assert diagnosis.sentence == (
        "No open opening fits how you work; 1 would fit if you were willing to travel."
    )


def test_diagnosis_asks_for_the_city_when_only_the_missing_city_blocks():
    teams = [team("home"), team("host", city="lisbon")]
    organisation = org([visitor("ana", city=None)], [opening("o1", mode="onsite")], teams)
    diagnosis = diagnose(MatchIndex(organisation), "ana")
    assert diagnosis.sentence == (
        "No open opening fits how you work; 1 would fit if you added your city to your profile."
    )


def test_diagnosis_suggests_another_way_of_working_when_the_mode_blocks():
    organisation = org([visitor("ana", mode="onsite", travels=True)], [opening("o1")])
    diagnosis = diagnose(MatchIndex(organisation), "ana")
    assert diagnosis.sentence == (
        "No open opening fits how you work; 1 would fit if you could work remotely."
    )


def requested(organisation: Organisation, start: date) -> str:
    return explanation_of(MatchIndex(organisation), "ana", "o1", start)


def test_requested_dates_are_shown_and_why_they_do_not_fit():
    offer = opening("o1", last_week=9, weeks=2)
    free_early = org([visitor("ana", last_week=5)], [offer])
    assert "Requested 13–24 Jan, which fits." in requested(free_early, monday(1))
    assert (
        "Requested 17–28 Feb, but they are outside the visitor's availability or the "
        "opening's window; fits 6 Jan – 14 Feb." in requested(free_early, monday(6))
    )
    busy_host = Tour("old", "elsewhere", "host", monday(1), monday(1) + timedelta(days=11))
    teams = [team("home"), team("elsewhere"), team("host", rest_days=7)]
    resting = org([visitor("ana")], [offer], teams, tours=[busy_host])
    assert "but the host team is at its visitor limit then" in requested(resting, monday(3))


def test_diagnosis_of_someone_not_looking():
    diagnosis = diagnose(MatchIndex(org([visitor("ana", looking=False)], [opening("o1")])), "ana")
    assert diagnosis.sentence == "You have paused visits (`/tourism resume` to be suggested again)."


def test_diagnosis_with_no_openings_at_all():
    lone = Visitor(
        "U1",
        None,
        frozenset({"kafka"}),
        frozenset(),
        date(2027, 1, 1),
        date(2027, 6, 1),
        4,
        "either",
        None,
        False,
    )
    index = MatchIndex(Organisation((lone,), (), (), today=date(2026, 11, 23)))
    assert diagnose(index, "U1").sentence == ("There is no open opening you could join right now.")
