"""Merging a stray topic: reading what the organiser typed, and the rename itself."""

from __future__ import annotations

import pytest

from bot.core.topics import default_vocabulary
from bot.topics.model import Merge, MergeProblem, merged, read_merge

VOCABULARY = default_vocabulary()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("kafak into kafka", Merge("kafak", "kafka")),
        ("Kafak  INTO Kafka", Merge("kafak", "kafka")),
        ("kafak kafka", Merge("kafak", "kafka")),
        ("ml stuff into machine learning", Merge("ml stuff", "machine learning")),
        ("kubernetis into k8s", Merge("kubernetis", "kubernetes")),  # an alias names its entry
    ],
)
def test_a_merge_is_read_from_what_was_typed(typed: str, expected: Merge):
    assert read_merge(typed, VOCABULARY) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "Say which topic to merge into which."),
        ("kafak", "Say which topic to merge into which."),
        ("ml stuff machine learning", "Say which topic to merge into which."),
        ("kafak into", "Say which topic to merge into which."),
        ("!!! into kafka", "A topic needs letters or digits."),
        ("kafka into python", "kafka is in the topic list already: only other topics merge."),
        ("kafak into hermes", "hermes is not in the topic list: merge into one of its entries."),
    ],
)
def test_a_merge_that_makes_no_sense_is_refused(typed: str, reason: str):
    problem = read_merge(typed, VOCABULARY)
    assert isinstance(problem, MergeProblem) and problem.reason == reason


def test_a_refused_entry_comes_with_the_closest_ones():
    assert read_merge("kafak into kafkaa", VOCABULARY) == MergeProblem(
        "kafkaa is not in the topic list: merge into one of its entries.", ("kafka",)
    )


def test_the_entry_takes_the_strays_place_once():
    merge = Merge("kafak", "kafka")
    assert merged(["go", "kafak", "rust"], merge) == ["go", "kafka", "rust"]
    assert merged(["kafka", "go", "kafak"], merge) == ["kafka", "go"]
    assert merged(["go"], merge) == ["go"]
