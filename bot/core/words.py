"""Counted nouns in user-facing text: "1 opening", "2 openings", never "opening(s)"."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` followed by the noun in the form its number needs (`plural` when not just +s)."""
    return f"{count} {plural_of(count, singular, plural)}"


def plural_of(count: int, singular: str, plural: str | None = None) -> str:
    """The noun alone, for sentences where the number is written elsewhere or in bold."""
    if count == 1:
        return singular
    return plural if plural is not None else singular + "s"
