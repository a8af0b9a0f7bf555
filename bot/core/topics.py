"""The topic vocabulary: one spelling per topic, aliases, and which topics are related.

Engineers type topics freely ("K8s", "Machine-Learning", "NodeJS"); matching and listing need one
canonical spelling per topic. A topic is first folded (case, spacing and punctuation; see
`fold_topic`), then looked up in the aliases of a vocabulary file the organisers can edit
(`bot/core/data/topics.yml` documents the format). A topic nobody listed is kept, folded, once
the person confirms it is new (forms offer the closest entries first, see `closest`): the
vocabulary suggests, it never forbids.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import cast

import yaml

DEFAULT_TOPICS_FILE = Path(__file__).parent / "data" / "topics.yml"
SECTIONS = ("topics", "aliases", "related")

# Apostrophes join rather than split, so "don't" and "dont" are the same word.
_APOSTROPHES = re.compile(r"['`´‘’ʼ]")
# Letters and digits make words; '#', '+' and '.' may belong to one (c#, c++, node.js, .net).
_MARKS_IN_WORDS = "#+."
# '#' and '+' count only straight after a letter or digit ("c#", "c++"), not in "#kafka" or "a + b".
_STRAY_MARKS = re.compile(r"(?<![\w#+])[#+]+")
# A dot counts only in front of a letter or digit ("node.js", ".net"), not at the end of a sentence.
_STRAY_DOTS = re.compile(r"\.{2,}|\.(?!\w)")
_FREE_TEXT_SEPARATORS = re.compile(r"[,;\n\r]")

_YAML_STR = "tag:yaml.org,2002:str"
_YAML_KINDS = {
    "tag:yaml.org,2002:bool": "a yes/no value",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "an empty value",
    "tag:yaml.org,2002:timestamp": "a date",
}


class VocabularyError(ValueError):
    """A topics file that cannot be used; the message names the file, the line and the problem."""

    def __init__(self, source: str, problem: str, line: int | None = None) -> None:
        where = source if line is None else f"{source}, line {line}"
        super().__init__(f"{where}: {problem}")
        self.source = source
        self.line = line
        self.problem = problem


def fold_topic(text: str) -> str:
    """Case, width, spacing and punctuation folded; no aliases applied.

    "  Machine-Learning " -> "machine learning", "C#" -> "c#", "C++" -> "c++", ".NET" -> ".net".
    """
    # Case folding can undo the normal form, hence NFKC on both sides (Unicode's NFKC_Casefold).
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    text = _APOSTROPHES.sub("", text)
    text = "".join(char if _in_word(char) else " " for char in text)
    text = _STRAY_MARKS.sub(" ", text)
    text = _STRAY_DOTS.sub(" ", text)
    return " ".join(text.split())


def _in_word(char: str) -> bool:
    # Everything else, underscore and hyphen included, separates words. Combining marks stay with
    # their letter: casefolding "İ" gives "i" plus a combining dot.
    return char.isalnum() or char in _MARKS_IN_WORDS or unicodedata.category(char).startswith("M")


@dataclass(frozen=True)
class TopicVocabulary:
    """Canonical topics by category, aliases and related groups, all already folded.

    Build one with `load_vocabulary` or `vocabulary_from_yaml`, which check that the parts agree.
    """

    categories: Mapping[str, tuple[str, ...]]
    aliases: Mapping[str, str]
    related_groups: tuple[frozenset[str], ...]
    _related: Mapping[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        related: dict[str, set[str]] = {}
        for group in self.related_groups:
            for topic in group:
                related.setdefault(topic, set()).update(group - {topic})
        frozen = {topic: frozenset(others) for topic, others in related.items()}
        object.__setattr__(self, "_related", MappingProxyType(frozen))

    def normalise(self, text: str) -> str:
        """The canonical spelling of a topic; "" when nothing is left after folding."""
        folded = fold_topic(text)
        return self.aliases.get(folded, folded)

    def normalise_all(self, texts: Iterable[str]) -> tuple[str, ...]:
        """Each topic normalised once, in first-seen order, empty ones dropped."""
        canonical = dict.fromkeys(self.normalise(text) for text in texts)
        canonical.pop("", None)
        return tuple(canonical)

    def parse_free_text(self, text: str) -> tuple[str, ...]:
        """Topics typed in one box, separated by commas, semicolons or new lines."""
        return self.normalise_all(_FREE_TEXT_SEPARATORS.split(text))

    def related(self, topic: str) -> frozenset[str]:
        """Topics sharing a related group with this one, not the topic itself."""
        return self._related.get(self.normalise(topic), frozenset())

    def related_map(self) -> Mapping[str, frozenset[str]]:
        """Canonical topic -> its related topics, for every topic in at least one group."""
        return self._related

    def known_topics(self) -> tuple[str, ...]:
        """Every canonical topic of the file, sorted (what select menus offer)."""
        return tuple(sorted(topic for topics in self.categories.values() for topic in topics))

    def closest(self, text: str, limit: int = 2) -> tuple[str, ...]:
        """The canonical topics spelled most like `text` ("kafak" → kafka), aliases included
        ("kubernets" → kubernetes via k8s's neighbours), best first; none when nothing is close."""
        spellings = {topic: topic for topic in self.known_topics()} | dict(self.aliases)
        close = difflib.get_close_matches(fold_topic(text), spellings, n=limit * 2, cutoff=0.75)
        return tuple(dict.fromkeys(spellings[spelling] for spelling in close))[:limit]


def load_vocabulary(path: Path | str | None = None) -> TopicVocabulary:
    """The vocabulary in `path`, or the one shipped with the bot when no path is given."""
    path = DEFAULT_TOPICS_FILE if path is None else Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise VocabularyError(
            str(path), f"is not UTF-8 text (byte {error.object[error.start]:#04x})"
        ) from None
    except OSError as error:
        raise VocabularyError(str(path), f"cannot be read: {error.strerror or error}") from None
    return vocabulary_from_yaml(text, source=str(path))


@functools.cache
def default_vocabulary() -> TopicVocabulary:
    """The shipped vocabulary, loaded once."""
    return load_vocabulary()


def normalise_topic(text: str, vocabulary: TopicVocabulary | None = None) -> str:
    """`text` folded and de-aliased with `vocabulary` (the shipped one when not given)."""
    if vocabulary is None:
        vocabulary = default_vocabulary()
    return vocabulary.normalise(text)


def vocabulary_from_yaml(text: str, source: str = "<topics>") -> TopicVocabulary:
    """Parse and check a vocabulary; `source` names it in error messages."""
    reader = _Reader(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        problem = "; ".join(part for part in (error.context, error.problem) if part)
        raise VocabularyError(source, f"is not valid YAML: {problem}", line) from None
    except yaml.YAMLError as error:
        raise VocabularyError(source, f"is not valid YAML: {error}") from None
    if root is None:
        raise VocabularyError(source, "is empty; it needs at least a 'topics' section")
    sections = reader.sections(root)
    if "topics" not in sections:
        raise reader.error(root, "has no 'topics' section")
    categories, topic_lines = _read_topics(reader, sections["topics"])
    aliases = _read_aliases(reader, sections.get("aliases"), topic_lines)
    groups = _read_related(reader, sections.get("related"), topic_lines, aliases)
    return TopicVocabulary(
        categories=MappingProxyType(categories),
        aliases=MappingProxyType(aliases),
        related_groups=groups,
    )


class _Reader:
    """Walks the YAML node tree (not plain Python values) so every error can name its line."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, node: yaml.Node, problem: str) -> VocabularyError:
        return VocabularyError(self.source, problem, node.start_mark.line + 1)

    def sections(self, root: yaml.Node) -> dict[str, yaml.Node]:
        sections: dict[str, yaml.Node] = {}
        for key_node, value_node in self.pairs(root, "the file", "sections such as 'topics:'"):
            name = self.text(key_node, "a section name")
            if name not in SECTIONS:
                raise self.error(
                    key_node, f"unknown section {name!r}; the sections are {', '.join(SECTIONS)}"
                )
            if name in sections:
                raise self.error(key_node, f"the section {name!r} appears twice")
            sections[name] = value_node
        return sections

    def pairs(self, node: yaml.Node, what: str, expected: str) -> list[tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{what} should hold {expected}, not {_describe(node)}")
        return cast(list[tuple[yaml.Node, yaml.Node]], node.value)

    def items(self, node: yaml.Node, what: str, expected: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, f"{what} should be a list of {expected}, not {_describe(node)}")
        return cast(list[yaml.Node], node.value)

    def text(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _YAML_STR:
            raise self.error(
                node, f"expected {what} as text, got {_describe(node)}; put it in quotes"
            )
        return cast(str, node.value)

    def topic(self, node: yaml.Node, what: str) -> str:
        written = self.text(node, what)
        folded = fold_topic(written)
        if not folded:
            raise self.error(node, f"{written!r} is not a usable topic: no letters or digits")
        return folded


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"{_YAML_KINDS.get(node.tag, 'a value')} {node.value!r}"


def _read_topics(
    reader: _Reader, node: yaml.Node
) -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """Category -> its topics, and each topic's line so later errors can point back at it."""
    categories: dict[str, tuple[str, ...]] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in reader.pairs(node, "'topics'", "categories, each a list"):
        category = reader.text(key_node, "a category name").strip()
        if category in categories:
            raise reader.error(key_node, f"the category {category!r} appears twice")
        topics = []
        for item in reader.items(value_node, f"the category {category!r}", "topics"):
            topic = reader.topic(item, "a topic")
            if topic in lines:
                raise reader.error(item, f"topic {topic!r} is already on line {lines[topic]}")
            lines[topic] = item.start_mark.line + 1
            topics.append(topic)
        if not topics:
            raise reader.error(value_node, f"the category {category!r} lists no topics")
        categories[category] = tuple(topics)
    if not categories:
        raise reader.error(node, "'topics' lists no categories")
    return categories, lines


def _read_aliases(
    reader: _Reader, node: yaml.Node | None, topic_lines: Mapping[str, int]
) -> dict[str, str]:
    """Alias -> canonical topic, with chains (a -> b -> topic) followed to their end."""
    if node is None or node.tag == "tag:yaml.org,2002:null":
        return {}
    targets: dict[str, tuple[str, yaml.Node]] = {}
    for key_node, value_node in reader.pairs(node, "'aliases'", "'alias: topic' lines"):
        alias = reader.topic(key_node, "an alias")
        target = reader.topic(value_node, "a topic")
        if alias == target:
            raise reader.error(key_node, f"alias {alias!r} points at itself")
        if alias in topic_lines:
            raise reader.error(
                key_node,
                f"{alias!r} is listed as a topic on line {topic_lines[alias]}, "
                "so it cannot also be an alias; remove one of the two",
            )
        if alias in targets:
            first = targets[alias][1].start_mark.line + 1
            raise reader.error(
                key_node,
                f"alias {alias!r} is already defined on line {first} "
                "(aliases are compared ignoring case and punctuation)",
            )
        targets[alias] = (target, key_node)
    return {alias: _follow(reader, alias, targets, topic_lines) for alias in targets}


def _follow(
    reader: _Reader,
    alias: str,
    targets: Mapping[str, tuple[str, yaml.Node]],
    topic_lines: Mapping[str, int],
) -> str:
    chain = [alias]
    current = targets[alias][0]
    while current in targets:
        if current in chain:
            cycle = " -> ".join([*chain[chain.index(current) :], current])
            raise reader.error(targets[alias][1], f"aliases go round in a cycle: {cycle}")
        chain.append(current)
        current = targets[current][0]
    if current not in topic_lines:
        via = f" (via {' -> '.join(chain[1:])})" if len(chain) > 1 else ""
        raise reader.error(
            targets[alias][1],
            f"alias {alias!r} points at {current!r}{via}, which is not listed under 'topics'",
        )
    return current


def _read_related(
    reader: _Reader,
    node: yaml.Node | None,
    topic_lines: Mapping[str, int],
    aliases: Mapping[str, str],
) -> tuple[frozenset[str], ...]:
    if node is None or node.tag == "tag:yaml.org,2002:null":
        return ()
    groups = []
    for group_node in reader.items(node, "'related'", "groups, each a list of topics"):
        group = set()
        for item in reader.items(group_node, "a related group", "topics"):
            folded = reader.topic(item, "a topic")
            topic = aliases.get(folded, folded)
            if topic not in topic_lines:
                raise reader.error(item, f"{folded!r} is not listed under 'topics' nor an alias")
            group.add(topic)
        if len(group) < 2:
            raise reader.error(group_node, "a related group needs at least two different topics")
        groups.append(frozenset(group))
    return tuple(groups)
