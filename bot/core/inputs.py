"""Block Kit input blocks for modals. Each input's block_id and action_id are the field name,
so a submission's values and its validation errors are keyed by the same names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from bot.core.blocks import plain
from bot.core.forms import NEW_TOPICS, NEW_TOPICS_LABEL, NEW_TOPICS_YES
from bot.core.topics import TopicVocabulary

OPTION_TEXT_LIMIT = 75
OPTIONS_PER_SELECT = 100
LABEL_LIMIT = 2000


def option(value: str, text: str | None = None) -> dict[str, Any]:
    return {"text": plain(text or value, OPTION_TEXT_LIMIT), "value": value}


def _input(
    name: str, label: str, element: dict[str, Any], *, optional: bool, hint: str | None
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": name,
        "label": plain(label, LABEL_LIMIT),
        "element": {**element, "action_id": name},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, LABEL_LIMIT)
    return block


def text_input(
    name: str,
    label: str,
    *,
    initial: str = "",
    multiline: bool = False,
    max_length: int = 3000,
    placeholder: str | None = None,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    return _input(name, label, element, optional=optional, hint=hint)


def number_input(
    name: str,
    label: str,
    *,
    initial: int | None = None,
    minimum: int,
    maximum: int,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": str(minimum),
        "max_value": str(maximum),
    }
    if initial is not None:
        element["initial_value"] = str(initial)
    return _input(name, label, element, optional=optional, hint=hint)


def date_input(
    name: str,
    label: str,
    *,
    initial: date | None = None,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datepicker"}
    if initial is not None:
        element["initial_date"] = initial.isoformat()
    return _input(name, label, element, optional=optional, hint=hint)


def _single_choice(
    element_type: str,
    name: str,
    label: str,
    options: Sequence[dict[str, Any]],
    *,
    initial: str | None,
    optional: bool,
    hint: str | None,
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": element_type, "options": list(options[:OPTIONS_PER_SELECT])}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return _input(name, label, element, optional=optional, hint=hint)


def static_select(
    name: str,
    label: str,
    options: Sequence[dict[str, Any]],
    *,
    initial: str | None = None,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    return _single_choice(
        "static_select", name, label, options, initial=initial, optional=optional, hint=hint
    )


def multi_select_groups(
    name: str,
    label: str,
    groups: Iterable[tuple[str, Sequence[str]]],
    *,
    initial: Iterable[str] = (),
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    """A multi-select of values in labelled groups (e.g. topics by category)."""
    option_groups: list[dict[str, Any]] = [
        {"label": plain(title, OPTION_TEXT_LIMIT), "options": [option(v) for v in values]}
        for title, values in groups
        if values
    ]
    element: dict[str, Any] = {"type": "multi_static_select", "option_groups": option_groups}
    known = {o["value"] for group in option_groups for o in group["options"]}
    chosen = [option(value) for value in initial if value in known]
    if chosen:
        element["initial_options"] = chosen
    return _input(name, label, element, optional=optional, hint=hint)


def team_select(
    name: str,
    label: str,
    teams: Sequence[tuple[int, str]],
    *,
    initial: tuple[int, str] | None = None,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    """Pick a team by id. Past Slack's 100 options it becomes a type-to-search select whose
    options come from handlers/actions/team_options.py; name such fields with `team` or `_team`."""
    initial_option = option(str(initial[0]), initial[1]) if initial else None
    if len(teams) <= OPTIONS_PER_SELECT:
        options = [option(str(team_id), team_name) for team_id, team_name in teams]
        return static_select(
            name,
            label,
            options,
            initial=initial_option["value"] if initial_option else None,
            optional=optional,
            hint=hint,
        )
    element: dict[str, Any] = {"type": "external_select", "min_query_length": 1}
    if initial_option is not None:
        element["initial_option"] = initial_option
    return _input(name, label, element, optional=optional, hint=hint or "Type a few letters.")


TOPICS_TYPED_HINT = "Anything the menu lacks, separated by commas, e.g. kafka streams, pricing."


def topic_inputs(
    name: str,
    label: str,
    saved: Sequence[str],
    vocabulary: TopicVocabulary,
    *,
    required: bool,
) -> list[dict[str, Any]]:
    """A menu of the vocabulary's topics, plus a box (`<name>_other`) for topics it lacks,
    prefilled with the saved ones it lacks so that nothing is lost on a round trip."""
    known = set(vocabulary.known_topics())
    return [
        multi_select_groups(
            name,
            label,
            vocabulary.categories.items(),
            initial=saved,
            # The box below may hold the topics, so the menu itself may stay empty.
            optional=True,
            hint="Pick at least one here or type one below." if required else None,
        ),
        text_input(
            f"{name}_other",
            "Other topics, comma separated",
            initial=", ".join(topic for topic in saved if topic not in known),
            # Room for twenty saved topics the menu lacks: the box must not cut any off.
            max_length=3000,
            optional=True,
            hint=TOPICS_TYPED_HINT,
        ),
    ]


def new_topics_checkbox() -> dict[str, Any]:
    """Ticked, the topics typed in the forms' "Other topics" boxes are kept though the
    vocabulary lacks them (see bot.core.forms.check_new_topics)."""
    return checkboxes(
        NEW_TOPICS,
        "New topics",
        [option(NEW_TOPICS_YES, NEW_TOPICS_LABEL)],
        hint="Tick only if the topics you typed are not in the menus under another spelling.",
    )


def users_select(
    name: str,
    label: str,
    *,
    initial: Sequence[str] = (),
    multiple: bool = False,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    if multiple:
        element: dict[str, Any] = {"type": "multi_users_select"}
        if initial:
            element["initial_users"] = list(initial)
    else:
        element = {"type": "users_select"}
        if initial:
            element["initial_user"] = initial[0]
    return _input(name, label, element, optional=optional, hint=hint)


def channel_select(
    name: str,
    label: str,
    *,
    initial: str | None = None,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if initial:
        element["initial_conversation"] = initial
    return _input(name, label, element, optional=optional, hint=hint)


def checkboxes(
    name: str,
    label: str,
    options: Sequence[dict[str, Any]],
    *,
    checked: Iterable[str] = (),
    optional: bool = True,
    hint: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "checkboxes", "options": list(options)}
    chosen = [o for o in options if o["value"] in set(checked)]
    if chosen:
        element["initial_options"] = chosen
    return _input(name, label, element, optional=optional, hint=hint)


def radio_buttons(
    name: str,
    label: str,
    options: Sequence[dict[str, Any]],
    *,
    initial: str | None = None,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    return _single_choice(
        "radio_buttons", name, label, options, initial=initial, optional=optional, hint=hint
    )


def modal(
    callback_id: str,
    title: str,
    blocks: list[dict[str, Any]],
    *,
    submit: str = "Save",
    private_metadata: str = "",
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "submit": plain(submit, 24),
        "close": plain("Cancel", 24),
        "private_metadata": private_metadata[:3000],
        "blocks": blocks[:100],
    }


def done_modal(title: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """What a submitted form turns into (`response_action: update`): its result, in place of a
    direct message, with nothing left to submit."""
    return {
        "type": "modal",
        "title": plain(title, 24),
        "close": plain("Done", 24),
        "blocks": blocks[:100],
    }
