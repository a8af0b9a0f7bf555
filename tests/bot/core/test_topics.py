from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.topics import (
    DEFAULT_TOPICS_FILE,
    TopicVocabulary,
    VocabularyError,
    default_vocabulary,
    fold_topic,
    load_vocabulary,
    normalise_topic,
    vocabulary_from_yaml,
)

SMALL = """\
topics:
  Data:
    - kafka
    - messaging
    - streaming
    - Machine Learning
  Infra:
    - kubernetes
    - docker
aliases:
  k8s: kubernetes
  kube: k8s
  ML: machine-learning
related:
  - [kafka, messaging, streaming]
  - [kafka, k8s]
  - [kubernetes, docker]
"""


@pytest.fixture
def small() -> TopicVocabulary:
    return vocabulary_from_yaml(SMALL, source="small.yml")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topics.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("  Machine-Learning ", "machine learning"),
        ("machine_learning", "machine learning"),
        ("MACHINE   learning", "machine learning"),
        ("C#", "c#"),
        ("C++", "c++"),
        ("c", "c"),
        ("F#", "f#"),
        ("c++17", "c++17"),
        ("Node.JS", "node.js"),
        (".NET", ".net"),
        ("ASP.NET Core", "asp.net core"),
        ("#kafka", "kafka"),
        ("kafka...", "kafka"),
        ("*kafka*", "kafka"),
        ("• kafka", "kafka"),
        ("a + b", "a b"),
        ("CI/CD", "ci cd"),
        ("don't", "dont"),
        ("Ｃ＃", "c#"),
        ("Café", "café"),
        ("İstanbul", "i̇stanbul"),
        ("  ", ""),
        ("---", ""),
    ],
)
def test_fold_topic(typed, folded):
    assert fold_topic(typed) == folded


def test_c_family_stays_distinct():
    spellings = {normalise_topic(t) for t in ("C", "C#", "C++", "c sharp", "cpp", "F#")}
    assert spellings == {"c", "c#", "c++", "f#"}


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("k8s", "kubernetes"),
        ("K8S", "kubernetes"),
        ("ML", "machine learning"),
        ("  Machine-Learning ", "machine learning"),
        ("js", "javascript"),
        ("TS", "typescript"),
        ("golang", "go"),
        ("postgres", "postgresql"),
        ("node.js", "node.js"),
        ("NodeJS", "node.js"),
        ("Node JS", "node.js"),
        ("node-js", "node.js"),
        ("dotnet", ".net"),
        ("CI/CD", "continuous delivery"),
        ("ci-cd", "continuous delivery"),
        ("A/B testing", "experimentation"),
        ("authorization", "authorisation"),
    ],
)
def test_shipped_aliases(typed, canonical):
    assert normalise_topic(typed) == canonical


def test_unknown_topic_is_kept_folded():
    assert normalise_topic("  Quantum-Basket Weaving ") == "quantum basket weaving"


def test_normalise_topic_uses_the_given_vocabulary(small):
    assert normalise_topic("ML", small) == "machine learning"
    assert normalise_topic("js", small) == "js"


def test_file_entries_are_folded_and_alias_chains_followed(small):
    assert "machine learning" in small.known_topics()
    assert small.normalise("kube") == "kubernetes"
    assert small.aliases == {
        "k8s": "kubernetes",
        "kube": "kubernetes",
        "ml": "machine learning",
    }


def test_normalise_all_deduplicates_keeps_order_and_drops_empties(small):
    typed = ["Kafka", "", "k8s", "  ", "kafka", "kubernetes", "ML", "---", "new thing"]
    assert small.normalise_all(typed) == ("kafka", "kubernetes", "machine learning", "new thing")


def test_parse_free_text(small):
    assert small.parse_free_text("kafka, K8s; ML") == ("kafka", "kubernetes", "machine learning")
    assert small.parse_free_text("kafka\r\n\n kube ,, ;docker\nKAFKA") == (
        "kafka",
        "kubernetes",
        "docker",
    )
    assert small.parse_free_text("") == ()


def test_related_is_the_union_of_groups_without_itself(small):
    assert small.related("kafka") == {"messaging", "streaming", "kubernetes"}
    assert small.related("k8s") == {"kafka", "docker"}
    assert small.related("messaging") == {"kafka", "streaming"}
    assert small.related("machine learning") == frozenset()
    assert small.related("never heard of it") == frozenset()


def test_related_map_matches_related(small):
    related_map = small.related_map()
    assert set(related_map) == {"kafka", "messaging", "streaming", "kubernetes", "docker"}
    for topic, others in related_map.items():
        assert others == small.related(topic)


def test_known_topics_sorted(small):
    assert small.known_topics() == (
        "docker",
        "kafka",
        "kubernetes",
        "machine learning",
        "messaging",
        "streaming",
    )


def test_vocabulary_is_immutable(small):
    with pytest.raises(TypeError):
        small.aliases["js"] = "javascript"
    with pytest.raises(TypeError):
        small.related_map()["kafka"] = frozenset()


# The shipped vocabulary


def test_shipped_file_loads_with_a_sensible_size():
    vocabulary = load_vocabulary()
    assert vocabulary == load_vocabulary(DEFAULT_TOPICS_FILE)
    assert 150 <= len(vocabulary.known_topics()) <= 250
    assert len(vocabulary.aliases) >= 100
    assert len(vocabulary.known_topics()) == len(set(vocabulary.known_topics()))
    # Slack shows at most 100 options under one heading.
    assert all(0 < len(topics) <= 100 for topics in vocabulary.categories.values())


def test_shipped_alias_targets_and_group_members_are_known_topics():
    vocabulary = default_vocabulary()
    known = set(vocabulary.known_topics())
    assert set(vocabulary.aliases.values()) <= known
    assert not set(vocabulary.aliases) & known
    for group in vocabulary.related_groups:
        assert group <= known


def test_shipped_topics_are_their_own_normal_form():
    vocabulary = default_vocabulary()
    for topic in vocabulary.known_topics():
        assert vocabulary.normalise(topic) == topic


def test_shipped_related_is_symmetric_and_excludes_itself():
    vocabulary = default_vocabulary()
    for topic, others in vocabulary.related_map().items():
        assert topic not in others
        for other in others:
            assert topic in vocabulary.related(other)


def test_shipped_relations_from_the_issue():
    vocabulary = default_vocabulary()
    assert {"messaging", "streaming"} <= vocabulary.related("kafka")
    assert "streaming" in vocabulary.related("messaging")
    assert "docker" in vocabulary.related("k8s")


@given(st.text())
def test_normalising_twice_changes_nothing(text):
    once = normalise_topic(text)
    assert normalise_topic(once) == once
    assert fold_topic(fold_topic(text)) == fold_topic(text)


@given(st.text())
def test_free_text_yields_only_normal_unique_topics(text):
    topics = default_vocabulary().parse_free_text(text)
    assert len(topics) == len(set(topics))
    assert all(topic and normalise_topic(topic) == topic for topic in topics)


# Malformed files


def test_custom_file_is_loaded(tmp_path):
    vocabulary = load_vocabulary(write(tmp_path, SMALL))
    assert vocabulary.normalise("kube") == "kubernetes"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (
            "topics:\n  Data: [kafka]\naliases:\n  kafka: Kafka\n",
            4,
            "alias 'kafka' points at itself",
        ),
        (
            "topics:\n  Data: [kafka]\naliases:\n  a: b\n  b: c\n  c: a\n",
            4,
            "aliases go round in a cycle: a -> b -> c -> a",
        ),
        (
            "topics:\n  Data: [kafka]\naliases:\n  kfk: kafak\n",
            4,
            "alias 'kfk' points at 'kafak', which is not listed under 'topics'",
        ),
        (
            "topics:\n  Data: [kafka]\naliases:\n  a: b\n  b: kafak\n",
            4,
            "alias 'a' points at 'kafak' (via b), which is not listed",
        ),
        (
            "topics:\n  Data:\n    - kafka\n    - 42\n",
            4,
            "expected a topic as text, got a number '42'; put it in quotes",
        ),
        (
            "topics:\n  Data:\n    - kafka\n    - yes\n",
            4,
            "got a yes/no value 'yes'",
        ),
        (
            "topics:\n  Data:\n    - kafka\n    - [nested]\n",
            4,
            "expected a topic as text, got a list",
        ),
        (
            "topics:\n  Data:\n    - kafka\n  Streams:\n    - Kafka\n",
            5,
            "topic 'kafka' is already on line 3",
        ),
        (
            "topics:\n  Data: [kafka, k8s]\naliases:\n  k8s: kafka\n",
            4,
            "'k8s' is listed as a topic on line 2, so it cannot also be an alias",
        ),
        (
            "topics:\n  Data: [kafka]\naliases:\n  ci/cd: kafka\n  CI-CD: kafka\n",
            5,
            "alias 'ci cd' is already defined on line 4",
        ),
        (
            "topics:\n  Data: [kafka]\nalias:\n  k: kafka\n",
            3,
            "unknown section 'alias'; the sections are topics, aliases, related",
        ),
        (
            "topics:\n  Data: [kafka, messaging]\nrelated:\n  - [kafka, Kafka]\n",
            4,
            "a related group needs at least two different topics",
        ),
        (
            "topics:\n  Data: [kafka, messaging]\nrelated:\n  - [kafka,\n     mesaging]\n",
            5,
            "'mesaging' is not listed under 'topics' nor an alias",
        ),
        (
            "topics:\n  Data: [kafka, messaging]\nrelated:\n  kafka: messaging\n",
            4,
            "'related' should be a list of groups, each a list of topics, not a mapping",
        ),
        (
            "topics:\n  Data: [kafka]\n  Data: [messaging]\n",
            3,
            "the category 'Data' appears twice",
        ),
        ("topics:\n  Data: []\n", 2, "the category 'Data' lists no topics"),
        ("topics:\n  Data: ['---']\n", 2, "'---' is not a usable topic: no letters or digits"),
        ("aliases:\n  k: kafka\n", 1, "has no 'topics' section"),
        ("- kafka\n", 1, "the file should hold sections such as 'topics:', not a list"),
        ("topics:\n  Data: [kafka\naliases: {}\n", 3, "is not valid YAML"),
    ],
)
def test_malformed_file_names_file_line_and_problem(tmp_path, text, line, problem):
    path = write(tmp_path, text)
    with pytest.raises(VocabularyError) as raised:
        load_vocabulary(path)
    message = str(raised.value)
    assert message.startswith(f"{path}, line {line}: ")
    assert problem in message
    assert raised.value.line == line


def test_empty_file(tmp_path):
    path = write(tmp_path, "# nothing yet\n")
    with pytest.raises(VocabularyError, match="is empty; it needs at least a 'topics' section"):
        load_vocabulary(path)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.yml"
    with pytest.raises(VocabularyError) as raised:
        load_vocabulary(path)
    assert str(raised.value) == f"{path}: cannot be read: No such file or directory"


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "topics.yml"
    path.write_bytes("topics:\n  Data: [caf\u00e9]\n".encode("latin-1"))
    with pytest.raises(VocabularyError, match=r"topics\.yml: is not UTF-8 text \(byte 0xe9\)"):
        load_vocabulary(path)


def test_optional_sections_may_be_left_empty():
    vocabulary = vocabulary_from_yaml("topics:\n  Data: [kafka]\naliases:\nrelated:\n")
    assert vocabulary.known_topics() == ("kafka",)
    assert vocabulary.related_map() == {}
