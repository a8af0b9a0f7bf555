"""The profile modal (`/tourism profile`) and the summary the bot sends once it is saved."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from bot.core.blocks import (
    SECTION_TEXT_LIMIT,
    context,
    day,
    divider,
    escape,
    header,
    section,
    user_mention,
)
from bot.core.inputs import (
    checkboxes,
    date_input,
    done_modal,
    modal,
    new_topics_checkbox,
    option,
    radio_buttons,
    static_select,
    team_select,
    text_input,
    topic_inputs,
)
from bot.core.pause import PauseProblem, UnreadablePause
from bot.core.topics import TopicVocabulary
from bot.core.words import counted
from bot.profiles.model import (
    CITY_LIMIT,
    GOAL_LIMIT,
    MAX_WEEKS,
    MIN_WEEKS,
    NOTE_LIMIT,
    Profile,
    WorkMode,
)
from bot.profiles.service import PauseOutcome, ProfileEditor

PROFILE_CALLBACK = "profile"
YES = "yes"
WORK_MODE_TEXT = {
    WorkMode.ONSITE: "On-site",
    WorkMode.REMOTE: "Remote",
    WorkMode.EITHER: "Either",
}


def profile_modal(
    editor: ProfileEditor, vocabulary: TopicVocabulary, organiser_ids: Iterable[str]
) -> dict[str, Any]:
    profile = editor.profile
    blocks = [
        context(
            "Say what you would like to learn and when you are free; "
            "the bot suggests openings that fit."
        ),
        *_home_team_blocks(editor, sorted(organiser_ids)),
        *topic_inputs(
            "learn_topics", "What I want to learn", profile.learn_topics, vocabulary, required=True
        ),
        *topic_inputs(
            "teach_topics", "What I can teach", profile.teach_topics, vocabulary, required=False
        ),
        new_topics_checkbox(),
        text_input(
            "learning_goal",
            "My learning goal, in one sentence",
            initial=profile.learning_goal,
            max_length=GOAL_LIMIT,
            placeholder="e.g. Ship a small change to the search ranking on my own.",
        ),
        date_input(
            "available_from", "Available from", initial=profile.available_from, optional=True
        ),
        date_input(
            "available_until", "Available until", initial=profile.available_until, optional=True
        ),
        static_select(
            "preferred_weeks",
            "Preferred length",
            [option(str(weeks), _weeks(weeks)) for weeks in range(MIN_WEEKS, MAX_WEEKS + 1)],
            initial=str(profile.preferred_weeks),
            hint="Past visits found two weeks too short to get into real work: four is usual.",
        ),
        radio_buttons(
            "work_mode",
            "Where I can work",
            [option(mode.value, text) for mode, text in WORK_MODE_TEXT.items()],
            initial=profile.work_mode,
        ),
        text_input(
            "city",
            "My city",
            initial=profile.city,
            max_length=CITY_LIMIT,
            optional=True,
            hint="Needed for on-site visits.",
        ),
        checkboxes(
            "willing_to_travel",
            "Travel",
            [option(YES, "I am willing to travel to another city")],
            checked=[YES] if profile.willing_to_travel else [],
        ),
        checkboxes(
            "looking",
            "Visits",
            [option(YES, "I am open to a visit")],
            checked=[YES] if profile.looking else [],
        ),
        date_input(
            "snoozed_until",
            "Pause until",
            initial=profile.snoozed_until,
            optional=True,
            hint="Not suggested for visits until this date, then open again (as /tourism "
            "pause until DATE). Unticking the box above pauses you until /tourism resume.",
        ),
        text_input(
            "note",
            "Note",
            initial=profile.note,
            multiline=True,
            max_length=NOTE_LIMIT,
            optional=True,
            hint="Anything a host team should know: constraints, time zone, what you are proud of.",
        ),
    ]
    return modal(PROFILE_CALLBACK, "Your tourism profile", blocks)


def _home_team_blocks(editor: ProfileEditor, organiser_ids: list[str]) -> list[dict[str, Any]]:
    if not editor.teams:
        who = ", ".join(map(user_mention, organiser_ids)) or "whoever runs this bot"
        return [
            section(
                "*Home team*\nThe team directory is empty, so there is no team to pick yet. "
                f"Ask an organiser ({who}) to add your team, then come back to set it."
            )
        ]
    return [
        team_select(
            "home_team",
            "Home team",
            editor.teams,
            initial=editor.home_team,
            optional=True,
            hint="Not listed? Ask an organiser to add your team.",
        )
    ]


def profile_saved_modal(profile: Profile, home_team_name: str | None) -> dict[str, Any]:
    """The form once saved: the profile, then where to go next."""
    return done_modal(
        "Profile saved",
        [
            header("Your tourism profile is saved"),
            *profile_detail_blocks(profile, home_team_name),
            divider(),
            context(
                "See openings that fit you with `/tourism match`, or every open one with "
                "`/tourism openings`. Change your profile any time with `/tourism profile`."
            ),
        ],
    )


def profile_detail_blocks(profile: Profile, home_team_name: str | None) -> list[dict[str, Any]]:
    """The profile itself, user text escaped: for the summary message and the App Home."""
    team = escape(home_team_name) if home_team_name else "not set"
    blocks = [
        section(f"*Home team:* {team}\n*Goal:* {escape(profile.learning_goal)}"),
        # Topics get a section each: twenty long ones would not fit one section together.
        section(f"*Wants to learn:* {_topics(profile.learn_topics)}"),
        section(f"*Can teach:* {_topics(profile.teach_topics)}"),
        section(
            f"*Available:* {_window(profile.available_from, profile.available_until)}\n"
            f"*Preferred length:* {_weeks(profile.preferred_weeks)}\n"
            f"*Where:* {_where(profile)}\n"
            f"*Open to a visit:* {_looking(profile)}"
        ),
    ]
    if profile.note:
        blocks.append(section("*Note:*\n" + _escaped_within(profile.note, SECTION_TEXT_LIMIT - 10)))
    return blocks


def _topics(topics: tuple[str, ...]) -> str:
    return ", ".join(map(escape, topics)) or "nothing yet"


def _weeks(weeks: int) -> str:
    return counted(weeks, "week")


def _window(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{day(start)} to {day(end)}"
    if start:
        return f"from {day(start)}"
    if end:
        return f"until {day(end)}"
    return "any time"


def _where(profile: Profile) -> str:
    where = WORK_MODE_TEXT[WorkMode(profile.work_mode)]
    if profile.city:
        where += f", from {escape(profile.city)}"
    if profile.willing_to_travel:
        where += ", willing to travel"
    return where


def _looking(profile: Profile) -> str:
    if not profile.looking:
        return "no, paused until you run `/tourism resume`"
    if profile.snoozed_until:
        return f"yes, paused until {day(profile.snoozed_until)}"
    return "yes"


PAUSE_USAGE = (
    "Use `/tourism pause` to pause until you run `/tourism resume`, or `/tourism pause until "
    "DATE` with a date such as 2027-01-15 or 15 Jan."
)
NO_PROFILE_TO_PAUSE = (
    "You have no profile yet, so nobody suggests you for a visit: `/tourism profile` creates one."
)
_WHILE_PAUSED = (
    "you are not suggested for visits, not offered to host teams and left out of matching "
    "rounds. A visit of yours that is booked or under way goes on as planned."
)


def unreadable_pause_answer(unreadable: UnreadablePause) -> str:
    typed = escape(unreadable.typed)
    problem = {
        PauseProblem.NO_DATE: "Until when?",
        PauseProblem.NOT_A_DATE: f"I could not read “{typed}” as a date.",
        PauseProblem.NOT_AHEAD: f"“{typed}” is not after today.",
    }[unreadable.problem]
    return f"{problem} {PAUSE_USAGE}"


def pause_answer(outcome: PauseOutcome) -> str:
    if not outcome.has_profile:
        return NO_PROFILE_TO_PAUSE
    until = outcome.now.paused_until
    if until is None:
        return f"Paused until you run `/tourism resume`: {_WHILE_PAUSED}"
    return (
        f"Paused until {day(until)}, when you are suggested again on your own "
        f"(or run `/tourism resume` sooner). Until then {_WHILE_PAUSED}"
    )


def resume_answer(outcome: PauseOutcome) -> str:
    if not outcome.has_profile:
        return NO_PROFILE_TO_PAUSE
    if not outcome.was_paused:
        return "You were not paused: you are already suggested for visits that fit you."
    return "Welcome back: you are suggested again for visits that fit you (`/tourism match`)."


def _escaped_within(text: str, limit: int) -> str:
    """User text escaped, then cut to `limit` characters without splitting an entity."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: limit - 1]
    # Every '&' in escaped text opens an entity; one opened after the last ';' was cut short.
    if cut.rfind("&") > cut.rfind(";"):
        cut = cut[: cut.rfind("&")]
    return cut + "…"
