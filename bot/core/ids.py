"""Reading the numbers the bot put into button values, menus and `private_metadata`.

Slack sends them back as they were, but anyone who can see a message can send any value instead
(a 30-digit id overflows the databases' integers), so they are read here and only here: plain
ASCII digits within a database INTEGER, anything else is None and the caller answers that the
button is no longer valid.
"""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1  # the largest INTEGER on PostgreSQL, the smaller of the two databases
NO_ROW = 0  # ids start at 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(raw: object) -> int | None:
    """A non-negative whole number from a payload (text, or a number from JSON), or None."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        return None
    number = int(raw)
    return number if number <= MAX_ID else None


def row_id(raw: object) -> int:
    """The id of a row a payload names, or 0 (which no row has) when it names none: the look-up
    then finds nothing and the person hears that the button is no longer valid, as for a row
    deleted meanwhile."""
    return parse_id(raw) or NO_ROW
