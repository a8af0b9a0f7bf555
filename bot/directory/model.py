"""The team directory: what organisers say about each team, read from a form or an import file.

Both sources hand over a `TeamDraft` of the text the person typed (a form's number inputs arrive
as text too), and `read_team` turns it into a `TeamEntry` or explains, field by field, what is
wrong. Field names are the modal's block ids and the import file's columns, so a problem shows next
to the input it is about, or names the column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date

from bot.core.user_text import match_key

NAME_LIMIT = 150
CITY_LIMIT = 100
REASON_LIMIT = 200  # storage's column
MIN_AWAY_CAP, MAX_AWAY_CAP, DEFAULT_AWAY_CAP = 0, 50, 1
MIN_SPRINT_WEEKS, MAX_SPRINT_WEEKS = 1, 6
MAX_VISITORS_PER_QUARTER = 50
MAX_REST_DAYS = 365
MAX_BLACKOUTS = 50
MAX_LEADS = 20

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
PERIOD_SYNTAX = "2026-12-14..2026-12-18 release freeze"
# "2026-12-14..2026-12-18 reason" or one day "2026-12-14 reason"; spaces around ".." are fine.
_PERIOD = re.compile(r"^(?P<start>\S+?)(?:\s*\.\.\s*(?P<end>\S+))?(?:\s+(?P<reason>.*))?$")
_LEAD_SEPARATORS = re.compile(r"[\s,;]+")


class DuplicateTeamNameError(Exception):
    """Another team took the name between the check and the write (two organisers at once)."""


@dataclass(frozen=True)
class BlackoutPeriod:
    """Days from `start` to `end`, both included, when nobody leaves or joins the team."""

    start: date
    end: date
    reason: str = ""

    def __str__(self) -> str:
        dates = f"{self.start.isoformat()}..{self.end.isoformat()}"
        return f"{dates} {self.reason}" if self.reason else dates


@dataclass(frozen=True)
class Team:
    """A stored team as pickers and permission checks read it: who it is and who leads it."""

    id: int
    name: str
    leads: tuple[str, ...] = ()
    channel_id: str | None = None


@dataclass(frozen=True)
class TeamEntry:
    """One team as the directory lists it."""

    name: str
    leads: tuple[str, ...]
    channel_id: str | None = None
    city: str = ""
    away_cap: int = DEFAULT_AWAY_CAP
    blackouts: tuple[BlackoutPeriod, ...] = ()
    sprint_weeks: int | None = None
    sprint_start: date | None = None
    visitors_per_quarter: int | None = None
    rest_days: int = 0

    def upcoming_blackouts(self, today: date) -> tuple[BlackoutPeriod, ...]:
        return tuple(period for period in self.blackouts if period.end >= today)


@dataclass(frozen=True)
class TeamDraft:
    """What was typed for a team, before it is read: every value as text, blank when left empty.

    `blackouts` holds one period per line (the import file separates them with `;`).
    """

    name: str = ""
    leads: tuple[str, ...] = ()
    channel: str = ""
    city: str = ""
    away_cap: str = ""
    blackouts: str = ""
    sprint_weeks: str = ""
    sprint_start: str = ""
    visitors_per_quarter: str = ""
    rest_days: str = ""


DRAFT_FIELDS = tuple(field.name for field in fields(TeamDraft))


def draft_of(entry: TeamEntry) -> TeamDraft:
    """The draft a form starts from to edit `entry`."""

    def text(value: object) -> str:
        return "" if value is None else str(value)

    return TeamDraft(
        name=entry.name,
        leads=entry.leads,
        channel=text(entry.channel_id),
        city=entry.city,
        away_cap=str(entry.away_cap),
        blackouts="\n".join(map(str, entry.blackouts)),
        sprint_weeks=text(entry.sprint_weeks),
        sprint_start=text(entry.sprint_start and entry.sprint_start.isoformat()),
        visitors_per_quarter=text(entry.visitors_per_quarter),
        rest_days=str(entry.rest_days),
    )


def split_leads(text: str) -> tuple[str, ...]:
    """ "U01, U02;U03 U04" → ("U01", "U02", "U03", "U04")."""
    return tuple(part for part in _LEAD_SEPARATORS.split(text) if part)


def read_team(
    draft: TeamDraft, *, name_taken: bool, separator: str = "\n"
) -> tuple[TeamEntry | None, dict[str, str]]:
    """The entry the draft describes, or None and every problem keyed by field name.

    `name_taken`: another team of the workspace already has this name (whatever its case).
    `separator` splits the blackout periods: lines in the form, `;` in an import file.
    """
    reader = _DraftReader()
    name = " ".join(draft.name.split())
    if not name:
        reader.fail("name", "Give the team a name.")
    elif len(name) > NAME_LIMIT:
        reader.fail("name", f"Keep the name to {NAME_LIMIT} characters (it has {len(name)}).")
    elif name_taken:
        reader.fail("name", f"There is already a team called {name}: pick another name.")
    leads = _read_leads(reader, draft.leads)
    channel_id = draft.channel.strip() or None
    if channel_id is not None and not CHANNEL_ID.fullmatch(channel_id):
        reader.fail("channel", f"{channel_id} is not a channel ID (they look like C0123ABCD).")
    city = draft.city.strip()
    if len(city) > CITY_LIMIT:
        reader.fail("city", f"Keep the city to {CITY_LIMIT} characters.")
    away_cap = reader.whole_number(
        "away_cap", draft.away_cap, MIN_AWAY_CAP, MAX_AWAY_CAP, DEFAULT_AWAY_CAP
    )
    blackouts = _read_blackouts(reader, draft.blackouts, separator)
    sprint_weeks = reader.whole_number(
        "sprint_weeks", draft.sprint_weeks, MIN_SPRINT_WEEKS, MAX_SPRINT_WEEKS, None
    )
    sprint_start = reader.day("sprint_start", draft.sprint_start)
    if (draft.sprint_weeks.strip() == "") != (draft.sprint_start.strip() == ""):
        missing = "sprint_start" if draft.sprint_start.strip() == "" else "sprint_weeks"
        reader.fail(
            missing,
            "Give both the sprint length and the date a sprint started, or neither: "
            "visits start with a sprint only when both are known.",
        )
    visitors = reader.whole_number(
        "visitors_per_quarter", draft.visitors_per_quarter, 0, MAX_VISITORS_PER_QUARTER, None
    )
    rest_days = reader.whole_number("rest_days", draft.rest_days, 0, MAX_REST_DAYS, 0)
    if reader.errors:
        return None, reader.errors
    return (
        TeamEntry(
            name=name,
            leads=leads,
            channel_id=channel_id,
            city=city,
            away_cap=away_cap or 0,
            blackouts=blackouts,
            sprint_weeks=sprint_weeks,
            sprint_start=sprint_start,
            visitors_per_quarter=visitors,
            rest_days=rest_days or 0,
        ),
        {},
    )


def changed_fields(before: TeamEntry | None, after: TeamEntry) -> list[str]:
    """Names of the fields that differ (all of them for a new team), for the audit log."""
    return [
        field.name
        for field in fields(TeamEntry)
        if before is None or getattr(before, field.name) != getattr(after, field.name)
    ]


def similar_names(typed: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """Team names close to what was typed, whatever the case, best first."""
    by_folded = {match_key(name): name for name in names}
    folded = match_key(typed)
    matches = [name for key, name in by_folded.items() if folded and folded in key]
    matches += [
        by_folded[key]
        for key in difflib.get_close_matches(folded, list(by_folded), n=limit, cutoff=0.6)
        if by_folded[key] not in matches
    ]
    return matches[:limit]


class _DraftReader:
    """Collects every problem instead of stopping at the first, so one answer shows them all."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def whole_number(
        self, name: str, raw: str, low: int, high: int, default: int | None
    ) -> int | None:
        text = raw.strip()
        if not text:
            return default
        if not re.fullmatch(r"[+-]?\d+", text) or not low <= int(text) <= high:
            self.fail(name, f"Use a whole number from {low} to {high}, not {text[:20]}.")
            return default
        return int(text)

    def day(self, name: str, raw: str) -> date | None:
        text = raw.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(name, f"{text[:20]} is not a date: write it as 2026-01-05.")
            return None


def _read_leads(reader: _DraftReader, typed: Sequence[str]) -> tuple[str, ...]:
    leads = tuple(sorted({lead.strip() for lead in typed if lead.strip()}))
    bad = [lead for lead in leads if not USER_ID.fullmatch(lead)]
    if not leads:
        reader.fail("leads", "Name at least one lead: they post openings and approve visits.")
    elif bad:
        reader.fail(
            "leads",
            f"{', '.join(bad[:3])[:100]} is not a Slack user ID (they look like U0123ABCD).",
        )
    elif len(leads) > MAX_LEADS:
        reader.fail("leads", f"Keep it to {MAX_LEADS} leads.")
    return leads


def _read_blackouts(reader: _DraftReader, text: str, separator: str) -> tuple[BlackoutPeriod, ...]:
    what = "Line" if separator == "\n" else "Period"
    periods: list[BlackoutPeriod] = []
    for number, raw in enumerate(text.split(separator), start=1):
        line = raw.strip()
        if not line:
            continue
        period, problem = parse_period(line)
        if problem:
            reader.fail("blackouts", f"{what} {number} ({line[:60]}): {problem}")
            return ()
        assert period is not None
        periods.append(period)
    if len(periods) > MAX_BLACKOUTS:
        reader.fail("blackouts", f"Keep it to {MAX_BLACKOUTS} periods; drop those long past.")
        return ()
    return sort_periods(periods)


def sort_periods(periods: Iterable[BlackoutPeriod]) -> tuple[BlackoutPeriod, ...]:
    """Earliest first: the order the directory keeps, so equal sets of periods compare equal."""
    return tuple(sorted(periods, key=lambda period: (period.start, period.end, period.reason)))


def parse_period(text: str) -> tuple[BlackoutPeriod | None, str]:
    """ "2026-12-14..2026-12-18 release freeze" → the period, or None and what is wrong."""
    match = _PERIOD.fullmatch(text.strip())
    syntax = f"write a period as {PERIOD_SYNTAX} (the reason is optional)."
    if match is None:
        return None, syntax
    try:
        start = date.fromisoformat(match["start"])
        end = date.fromisoformat(match["end"]) if match["end"] else start
    except ValueError:
        return None, syntax
    if end < start:
        return None, "it ends before it starts."
    reason = " ".join((match["reason"] or "").split())
    if len(reason) > REASON_LIMIT:
        return None, f"keep the reason to {REASON_LIMIT} characters."
    return BlackoutPeriod(start, end, reason), ""
