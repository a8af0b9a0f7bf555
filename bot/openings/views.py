"""Host openings in Slack: the opening modal, the lists, the channel announcement, and what the
bot tells posters and organisers. Every piece of user text goes through `escape`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from bot.core.blocks import (
    button,
    context,
    day,
    escape,
    header,
    plain,
    section,
    truncate,
    user_mention,
)
from bot.core.ids import parse_id
from bot.core.inputs import (
    checkboxes,
    date_input,
    done_modal,
    modal,
    new_topics_checkbox,
    number_input,
    option,
    radio_buttons,
    static_select,
    team_select,
    text_input,
    topic_inputs,
    users_select,
)
from bot.core.topics import TopicVocabulary
from bot.core.words import counted
from bot.openings.model import (
    DESCRIPTION_LIMIT,
    FIRST_DAY_KIT_LIMIT,
    MAX_SEATS,
    MAX_WEEKS,
    MIN_SEATS,
    MIN_WEEKS,
    TITLE_LIMIT,
    ExpectedOutput,
    PostedOpening,
    Status,
    WorkMode,
    last_day_to_apply,
)
from bot.openings.service import (
    AnnouncementOutcome,
    AnnouncementProblem,
    HostForm,
    ListKind,
    ListQuery,
    OpeningPage,
    Refusal,
)

HOST_CALLBACK = "opening"
SHORTCUT = "post_opening"
APPLY = "opening_apply"
EDIT = "opening_edit"
CLOSE = "opening_close"
NEXT_PAGE = "openings_next"
PREVIOUS_PAGE = "openings_previous"
YES = "yes"
TOPIC_IN_BUTTON_LIMIT = 100  # the topic filter rides in the Next button's value
DESCRIPTION_IN_MESSAGE = 1200  # a section holds 3000 characters, escaped text grows

WORK_MODE_TEXT = {
    WorkMode.ONSITE: "On-site",
    WorkMode.REMOTE: "Remote",
    WorkMode.HYBRID: "Hybrid",
}
EXPECTED_OUTPUT_TEXT = {
    ExpectedOutput.LEARNING: "Learning only",
    ExpectedOutput.DELIVERABLE: "A small deliverable",
}


# --- the modal ---------------------------------------------------------------------------------


def opening_modal(form: HostForm, vocabulary: TopicVocabulary) -> dict[str, Any]:
    draft = form.draft
    is_new = form.opening_id is None
    blocks = [
        context(
            "Describe what a visitor would do with your team for a few weeks; "
            "engineers see it in `/tourism openings` and their matches."
        ),
        team_select("team", "Host team", form.teams, initial=form.team),
        text_input(
            "title",
            "Title",
            initial=draft.title,
            max_length=TITLE_LIMIT,
            placeholder="e.g. Tune the search ranking",
        ),
        text_input(
            "description",
            "What the visitor will work on",
            initial=draft.description,
            multiline=True,
            max_length=DESCRIPTION_LIMIT,
        ),
        *topic_inputs("topics", "Topics", draft.topics, vocabulary, required=True),
        *topic_inputs(
            "hopes_to_learn",
            "What your team hopes to learn from the visitor",
            draft.hopes_to_learn,
            vocabulary,
            required=False,
        ),
        new_topics_checkbox(),
        radio_buttons(
            "expected_output",
            "Expected output",
            [option(value.value, text) for value, text in EXPECTED_OUTPUT_TEXT.items()],
            initial=draft.expected_output,
        ),
        date_input("earliest_start", "Earliest start", initial=draft.earliest_start),
        date_input("latest_end", "Latest end", initial=draft.latest_end),
        static_select(
            "weeks",
            "Length",
            [option(str(weeks), _weeks(weeks)) for weeks in range(MIN_WEEKS, MAX_WEEKS + 1)],
            initial=str(draft.weeks),
            hint="Past visits found two weeks too short to get into real work: four is usual.",
        ),
        number_input("seats", "Seats", initial=draft.seats, minimum=MIN_SEATS, maximum=MAX_SEATS),
        users_select(
            "buddy",
            "Buddy",
            initial=[draft.buddy_user_id] if draft.buddy_user_id else [],
            optional=True,
            hint="Who the visitor pairs with day to day.",
        ),
        radio_buttons(
            "work_mode",
            "Where the visitor works",
            [option(mode.value, text) for mode, text in WORK_MODE_TEXT.items()],
            initial=draft.work_mode,
        ),
        text_input(
            "first_day_kit",
            "First-day kit",
            initial=draft.first_day_kit,
            multiline=True,
            max_length=FIRST_DAY_KIT_LIMIT,
            optional=True,
            hint="A link or a few lines: setup, access to ask for, first tasks.",
        ),
        date_input(
            "apply_by",
            "Apply by",
            initial=draft.apply_by,
            optional=True,
            hint="Empty: applications stay open until the latest start that still fits.",
        ),
        checkboxes(
            "announce",
            "Announcement",
            [option(YES, "Announce it in the tourism channel")],
            checked=[YES] if draft.announce else [],
        ),
    ]
    return modal(
        HOST_CALLBACK,
        "Post an opening" if is_new else "Edit the opening",
        blocks,
        submit="Post" if is_new else "Save",
        private_metadata="" if is_new else str(form.opening_id),
    )


def notice_modal(title: str, text: str) -> dict[str, Any]:
    """A modal that only says something (no inputs, so no submit button)."""
    return {
        "type": "modal",
        "title": plain(title, 24),
        "close": plain("OK", 24),
        "blocks": [section(text)],
    }


def refusal_message(refusal: Refusal, organiser_ids: Iterable[str]) -> dict[str, Any]:
    """The refusal as an ephemeral command answer."""
    text = refusal_text(refusal, organiser_ids)
    return {"text": text, "blocks": [section(text)]}


def refusal_text(refusal: Refusal, organiser_ids: Iterable[str]) -> str:
    organisers = _organisers(organiser_ids)
    return {
        Refusal.NOT_A_LEAD: (
            "Only team leads post openings, and the team directory does not list you as a lead. "
            f"An organiser ({organisers}) can list you as your team's lead."
        ),
        Refusal.NO_TEAMS: (
            "The team directory is empty, so there is no team to post for yet: "
            "add teams with `/tourism team add` first."
        ),
        Refusal.NOT_FOUND: "That opening no longer exists.",
        Refusal.NOT_YOURS: (
            f"Only the host team's leads or an organiser ({organisers}) can change that opening."
        ),
        Refusal.CLOSED: "That opening is closed already: post a new one with `/tourism host`.",
    }[refusal]


# --- details shared by lists and announcements -------------------------------------------------


def _weeks(weeks: int) -> str:
    return counted(weeks, "week")


def _topics(topics: Iterable[str]) -> str:
    return ", ".join(map(escape, topics)) or "none given"


def _organisers(organiser_ids: Iterable[str]) -> str:
    mentions = ", ".join(map(user_mention, sorted(organiser_ids)))
    return mentions or "no one is set up yet: whoever runs the bot adds them to TOURISM_ADMINS"


def _details(opening: PostedOpening) -> str:
    draft = opening.draft
    lines = [
        f"*{escape(opening.title)}* · {escape(opening.team_name)}",
        f"*When:* a {draft.weeks}-week visit between "
        f"{day(draft.earliest_start or date.min)} and {day(draft.latest_end or date.min)}",
        f"*Seats left:* {opening.seats_left} of {draft.seats} · "
        f"*Mode:* {WORK_MODE_TEXT.get(WorkMode(draft.work_mode), draft.work_mode)} · "
        f"*Buddy:* {user_mention(draft.buddy_user_id) if draft.buddy_user_id else 'not named yet'}",
        f"*Topics:* {_topics(draft.topics)}",
    ]
    last_day = last_day_to_apply(draft)
    if last_day is not None:
        lines.append(f"*Apply by:* {day(last_day)}")
    return "\n".join(lines)


def _apply_button(opening: PostedOpening) -> dict[str, Any]:
    return button("Apply", APPLY, str(opening.id), style="primary")


# --- lists -------------------------------------------------------------------------------------


def page_value(query: ListQuery) -> str:
    return json.dumps(
        {"kind": query.kind.value, "topic": query.topic[:TOPIC_IN_BUTTON_LIMIT], "page": query.page}
    )


def query_of(value: str) -> ListQuery:
    """The list a Next/Previous button asks for; anything unreadable is the first open page."""
    try:
        raw = json.loads(value)
        page = parse_id(raw["page"])
        if page is None:
            return ListQuery()
        return ListQuery(ListKind(raw["kind"]), str(raw["topic"]), page)
    except (ValueError, KeyError, TypeError):
        return ListQuery()


def openings_list(page: OpeningPage, *, notice: str = "") -> dict[str, Any]:
    """`text` and `blocks` of one page: at most 10 openings, 2 blocks each, under 50 blocks.
    `notice` (mrkdwn, already escaped) tops the list, e.g. what a click just did."""
    query = page.query
    mine = query.kind is ListKind.MINE
    about = f" about {escape(query.topic)}" if query.topic else ""
    title = "Your open openings" if mine else f"Open tourism openings{about}"
    if not page.openings:
        empty = _empty_list(mine, about)
        return {"text": empty, "blocks": [*_notice(notice), section(empty)]}
    blocks: list[dict[str, Any]] = [
        *_notice(notice),
        section(f"*{title}* ({page.total}, page {query.page + 1} of {page.pages})"),
    ]
    for opening in page.openings:
        buttons = (
            [
                button("Edit", EDIT, str(opening.id)),
                button("Close", CLOSE, str(opening.id), style="danger", confirm=_close_confirm()),
            ]
            if mine
            else [_apply_button(opening)]
        )
        blocks += [section(_details(opening)), {"type": "actions", "elements": buttons}]
    navigation = []
    if page.has_previous:
        earlier = ListQuery(query.kind, query.topic, query.page - 1)
        navigation.append(button("Previous", PREVIOUS_PAGE, page_value(earlier)))
    if page.has_next:
        later = ListQuery(query.kind, query.topic, query.page + 1)
        navigation.append(button("Next", NEXT_PAGE, page_value(later)))
    if navigation:
        blocks.append({"type": "actions", "elements": navigation})
    if not mine:
        blocks.append(context("Hosting a visitor? Post an opening with `/tourism host`."))
    return {"text": title, "blocks": blocks}


def _empty_list(mine: bool, about: str) -> str:
    """Every empty list names a next step that is not the same list again."""
    if mine:
        return "You have no open openings: post one with `/tourism host`."
    if about:
        return f"No open openings{about} right now. Try `/tourism openings` for all of them."
    return (
        "No openings are open right now. Tell me what you want to learn with `/tourism profile`: "
        "team leads see who fits their team and can invite you, and leads post openings with "
        "`/tourism host`."
    )


def _notice(notice: str) -> list[dict[str, Any]]:
    return [context(notice)] if notice else []


def _close_confirm() -> dict[str, Any]:
    return {
        "title": plain("Close this opening?", 100),
        "text": plain("Nobody can apply to it any more; the announcement says it is closed."),
        "confirm": plain("Close it", 30),
        "deny": plain("Keep it open", 30),
        "style": "danger",
    }


# --- the announcement --------------------------------------------------------------------------


def announcement_message(opening: PostedOpening) -> dict[str, Any]:
    """The channel post for an opening; closed, it says so and offers no Apply button."""
    draft = opening.draft
    title, team = escape(opening.title), escape(opening.team_name)
    description = escape(truncate(draft.description, DESCRIPTION_IN_MESSAGE))
    output = EXPECTED_OUTPUT_TEXT.get(ExpectedOutput(draft.expected_output), "")
    more = f"*Expected output:* {output}"
    if draft.hopes_to_learn:
        more += f"\n*The team hopes to learn:* {_topics(draft.hopes_to_learn)}"
    if opening.is_open:
        text = f"New tourism opening: {title} with {team}"
        blocks = [
            header("New tourism opening"),
            section(_details(opening)),
            section(description),
            section(more),
            {"type": "actions", "elements": [_apply_button(opening)]},
        ]
    elif opening.status == Status.FILLED:
        text = f"Full: {title} with {team}"
        blocks = [
            header("Tourism opening – Full"),
            section(_details(opening)),
            context("Every seat is taken. See the open ones with `/tourism openings`."),
        ]
    else:
        text = f"Closed: {title} with {team}"
        blocks = [
            header("Tourism opening – Closed"),
            section(f"*Closed:* ~{title}~ · {team}"),
            context("This opening is closed. See the open ones with `/tourism openings`."),
        ]
    return {"text": text, "blocks": blocks}


# --- what the poster and organisers are told ---------------------------------------------------


def saved_modal(text: str, *, created: bool) -> dict[str, Any]:
    """The opening form once saved, in place of the form, showing `text` (from `saved_text`)."""
    return done_modal("Opening posted" if created else "Opening saved", [section(text)])


def saved_text(
    opening: PostedOpening,
    outcome: AnnouncementOutcome,
    *,
    created: bool,
    organiser_ids: Iterable[str],
) -> str:
    """What whoever saved an opening is told: saved, and whether the channel knows."""
    done = "is posted" if created else "is saved"
    parts = [f"Your opening *{escape(opening.title)}* for {escape(opening.team_name)} {done}."]
    if outcome.posted_in is not None:
        parts.append(f"It is announced in <#{outcome.posted_in}>.")
    if outcome.problem is not None:
        parts.append(problem_text(opening, outcome, organiser_ids=organiser_ids))
    parts.append("See and change your openings with `/tourism openings mine`.")
    return " ".join(parts)


def problem_text(
    opening: PostedOpening, outcome: AnnouncementOutcome, *, organiser_ids: Iterable[str]
) -> str:
    """Why the channel does not show the opening as it is, and who can fix it."""
    channel = f"<#{outcome.channel_id}>" if outcome.channel_id else "the tourism channel"
    updating = opening.announcement is not None
    lead = (
        f"The announcement in {channel} could not be updated" if updating else "It is not announced"
    )
    organisers = _organisers(organiser_ids)
    return {
        AnnouncementProblem.NOT_CONFIGURED: (
            f"{lead}: no announcement channel is configured. An organiser ({organisers}) can "
            "have TOURISM_CHANNEL set to the channel's ID; then save the opening again."
        ),
        AnnouncementProblem.PRIVATE_CHANNEL: (
            f"{lead}: {channel} is private and I am not in it. Someone in the channel can invite "
            "me by typing `/invite @Team Tourism` there; then save the opening again."
        ),
        AnnouncementProblem.CHANNEL_NOT_FOUND: (
            f"{lead}: I cannot find {channel}. It was deleted, or it is private and I am not in "
            "it (then `/invite @Team Tourism` there). The organisers are told too."
        ),
        AnnouncementProblem.ARCHIVED: (
            f"{lead}: {channel} is archived. The organisers are told so they can pick another "
            "channel."
        ),
        AnnouncementProblem.FAILED: (
            f"{lead}: Slack answered `{escape(outcome.slack_error)}`. Save the opening again "
            f"later, or ask an organiser ({organisers})."
        ),
    }[outcome.problem or AnnouncementProblem.FAILED]


def organiser_alert_text(
    opening: PostedOpening, problem: AnnouncementProblem, channel_id: str | None
) -> str:
    channel = f"<#{channel_id}>" if channel_id else "the tourism channel"
    why = {
        AnnouncementProblem.CHANNEL_NOT_FOUND: (
            f"I cannot find {channel}: it was deleted, or it is private and I am not in it. "
            "Invite me there (`/invite @Team Tourism`) or set TOURISM_CHANNEL to another channel."
        ),
        AnnouncementProblem.ARCHIVED: (
            f"{channel} is archived: set TOURISM_CHANNEL to a channel in use."
        ),
    }.get(problem, f"announcing in {channel} failed.")
    return (
        f"I could not announce or update the opening *{escape(opening.title)}* of "
        f"{escape(opening.team_name)}. {why}"
    )


def closed_text(opening: PostedOpening) -> str:
    return f"Closed *{escape(opening.title)}* of {escape(opening.team_name)}."
