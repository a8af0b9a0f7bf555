"""What people type, made safe to store and show: cleaned once, on the way in.

Bidi controls could make an announcement render reversed; zero-width characters could make two
names that look identical differ. Both are removed, with every other control character except
newline and tab, and text is stored in Unicode NFC so that "Cafe" + a combining accent and "Café"
are the same text.
"""

from __future__ import annotations

import unicodedata

# Bidi embeddings, overrides and isolates; the implicit direction marks (LRM, RLM, ALM).
BIDI_CONTROLS = frozenset(
    [
        *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A)),
        "\u200e",
        "\u200f",
        "\u061c",
    ]
)
# Zero-width space, non-joiner, joiner, word joiner and the byte-order mark.
ZERO_WIDTH = frozenset(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
KEPT_CONTROLS = frozenset("\n\t")


def _removed(character: str) -> bool:
    if character in KEPT_CONTROLS:
        return False
    return (
        character in BIDI_CONTROLS
        or character in ZERO_WIDTH
        or unicodedata.category(character) == "Cc"
    )


def clean_user_text(text: str) -> str:
    """Text as typed, in NFC, without bidi, zero-width or control characters (newline and tab
    stay; a carriage return goes, so Windows line ends become plain ones)."""
    kept = "".join(character for character in text if not _removed(character))
    return unicodedata.normalize("NFC", kept)


def match_key(text: str) -> str:
    """What two names or titles are compared by: cleaned, spacing folded, case-folded (not only
    ASCII: "Über" and "über" match), then NFC again because folding can decompose letters."""
    folded = " ".join(clean_user_text(text).split()).casefold()
    return unicodedata.normalize("NFC", folded)
