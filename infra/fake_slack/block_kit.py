"""Slack's Block Kit rules: what Slack's Web API refuses in a message or a view.

Pure functions. `message_refusal` (chat.postMessage, chat.update, chat.postEphemeral,
response_url posts) and `view_refusal` (views.open, .update, .push, .publish) return Slack's
answer to a surface it would refuse, or None. Block problems in a message are `invalid_blocks`,
anything wrong in a view is `invalid_arguments`; each problem is one
"[ERROR] ... [json-pointer:/…]" line in `response_metadata.messages`, as Slack reports them.

Figures from Slack's reference (docs.slack.dev/reference/block-kit/…, checked Dec 2026):
blocks/ (actions, context, header, input, section), block-elements/ (button, select menus,
plain-text input, number input, checkboxes, radio buttons), composition-objects/ (text, option,
option group, confirmation dialog), views/modal-views and home-tab-views, and
reference/methods/chat.postMessage (text beyond 40,000 characters: `msg_too_long`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]
Problems = Iterator[tuple[str, str]]  # (json-pointer, what is wrong)

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100  # a modal or the Home tab
MESSAGE_TEXT = 40_000
ID_LENGTH = 255  # action_id, block_id, callback_id, external_id
SECTION_TEXT = 3000
SECTION_FIELDS = 10
SECTION_FIELD_TEXT = 2000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
INPUT_LABEL = 2000
INPUT_HINT = 2000
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
BUTTON_URL = 3000
BUTTON_STYLES = frozenset({"primary", "danger"})
PLACEHOLDER = 150
OPTION_TEXT = 75
OPTION_VALUE = 150
OPTION_DESCRIPTION = 75
OPTIONS = 100  # per select menu, per option group
OPTION_GROUPS = 100
CHOICE_OPTIONS = 10  # checkboxes and radio buttons
TEXT_INPUT_LENGTH = 3000  # plain_text_input min_length/max_length
CONFIRM_TITLE = 100
CONFIRM_TEXT = 300
CONFIRM_BUTTON = 30
MODAL_TITLE = 24  # also submit and close
PRIVATE_METADATA = 3000

TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})
SELECTS_WITH_OPTIONS = frozenset({"static_select", "multi_static_select"})
SELECTS = SELECTS_WITH_OPTIONS | frozenset(
    {
        "external_select",
        "multi_external_select",
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
    }
)
CHOICES = frozenset({"checkboxes", "radio_buttons"})
OTHER_ELEMENTS = frozenset(
    {"plain_text_input", "number_input", "datepicker", "timepicker", "overflow", "image"}
)


@dataclass(frozen=True)
class Refusal:
    """Slack's answer to a refused surface (HTTP 200, `ok: false`)."""

    error: str
    messages: tuple[str, ...] = ()

    def as_slack(self) -> Json:
        answer: Json = {"ok": False, "error": self.error}
        if self.messages:
            answer["response_metadata"] = {"messages": list(self.messages)}
        return answer


def message_refusal(params: Json, *, deleting: bool = False) -> Refusal | None:
    """A message (chat.postMessage, chat.update, chat.postEphemeral, a response_url post).
    `deleting`: a response_url post that deletes the original needs no content."""
    text, blocks = params.get("text"), params.get("blocks")
    if not (text or blocks or params.get("attachments")) and not deleting:
        return Refusal("no_text")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT:
        return Refusal("msg_too_long")
    if blocks is None:
        return None
    return _refusal("invalid_blocks", _blocks_problems(blocks, "/blocks", MESSAGE_BLOCKS))


def view_refusal(view: Any) -> Refusal | None:
    """A modal or Home tab view (views.open, views.update, views.push, views.publish)."""
    return _refusal("invalid_arguments", _view_problems(view, "/view"))


def _refusal(error: str, problems: Problems) -> Refusal | None:
    lines = tuple(f"[ERROR] {what} [json-pointer:{pointer}]" for pointer, what in problems)
    return Refusal(error, lines) if lines else None


# --- views -------------------------------------------------------------------------------------


def _view_problems(view: Any, at: str) -> Problems:
    if not isinstance(view, dict):
        yield at, "must be an object"
        return
    kind = view.get("type")
    if kind not in ("modal", "home"):
        yield f"{at}/type", "must be one of modal, home"
        return
    blocks = view.get("blocks")
    if blocks is None:
        yield f"{at}/blocks", "is required"
    else:
        yield from _blocks_problems(blocks, f"{at}/blocks", VIEW_BLOCKS)
    yield from _string_problems(view, "private_metadata", PRIVATE_METADATA, at)
    yield from _string_problems(view, "callback_id", ID_LENGTH, at)
    yield from _string_problems(view, "external_id", ID_LENGTH, at)
    if kind == "modal":
        yield from _text_problems(view.get("title"), f"{at}/title", MODAL_TITLE, plain=True)
        for button in ("submit", "close"):
            if button in view:
                yield from _text_problems(view[button], f"{at}/{button}", MODAL_TITLE, plain=True)
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks or [])
        if has_input and "submit" not in view:
            yield f"{at}/submit", "is required when the view has input blocks"


# --- blocks ------------------------------------------------------------------------------------


def _blocks_problems(blocks: Any, at: str, most: int) -> Problems:
    if not isinstance(blocks, list):
        yield at, "must be an array"
        return
    if len(blocks) > most:
        yield at, f"must have no more than {most} items"
    block_ids = Counter(
        block.get("block_id") for block in blocks if isinstance(block, dict) and "block_id" in block
    )
    for index, block in enumerate(blocks):
        where = f"{at}/{index}"
        if not isinstance(block, dict):
            yield where, "must be an object"
            continue
        if block_ids[block.get("block_id")] > 1:
            yield f"{where}/block_id", "block_id must be unique within a surface"
        yield from _block_problems(block, where)


def _block_problems(block: Json, at: str) -> Problems:
    yield from _string_problems(block, "block_id", ID_LENGTH, at)
    kind = block.get("type")
    if kind == "section":
        yield from _section_problems(block, at)
    elif kind == "header":
        yield from _text_problems(block.get("text"), f"{at}/text", HEADER_TEXT, plain=True)
    elif kind == "context":
        yield from _context_problems(block, at)
    elif kind == "actions":
        yield from _actions_problems(block, at)
    elif kind == "input":
        yield from _input_problems(block, at)
    elif kind not in ("divider", "image", "rich_text", "video", "file"):
        yield f"{at}/type", f"unknown block type {kind!r}"


def _section_problems(block: Json, at: str) -> Problems:
    if "text" not in block and "fields" not in block:
        yield at, "must define either `text` or `fields`"
    if "text" in block:
        yield from _text_problems(block["text"], f"{at}/text", SECTION_TEXT)
    fields = block.get("fields")
    if fields is not None:
        yield from _array_problems(fields, f"{at}/fields", SECTION_FIELDS)
        for index, field in enumerate(fields if isinstance(fields, list) else []):
            yield from _text_problems(field, f"{at}/fields/{index}", SECTION_FIELD_TEXT)
    if "accessory" in block:
        yield from _element_problems(block["accessory"], f"{at}/accessory")


def _context_problems(block: Json, at: str) -> Problems:
    elements = block.get("elements")
    yield from _array_problems(elements, f"{at}/elements", CONTEXT_ELEMENTS)
    for index, element in enumerate(elements if isinstance(elements, list) else []):
        if isinstance(element, dict) and element.get("type") == "image":
            yield from _element_problems(element, f"{at}/elements/{index}")
        else:
            yield from _text_problems(element, f"{at}/elements/{index}", SECTION_TEXT)


def _actions_problems(block: Json, at: str) -> Problems:
    elements = block.get("elements")
    yield from _array_problems(elements, f"{at}/elements", ACTIONS_ELEMENTS)
    if not isinstance(elements, list):
        return
    action_ids = Counter(
        element.get("action_id")
        for element in elements
        if isinstance(element, dict) and "action_id" in element
    )
    for index, element in enumerate(elements):
        where = f"{at}/elements/{index}"
        if isinstance(element, dict) and action_ids[element.get("action_id")] > 1:
            yield f"{where}/action_id", "action_ids must be unique within a block"
        yield from _element_problems(element, where)


def _input_problems(block: Json, at: str) -> Problems:
    yield from _text_problems(block.get("label"), f"{at}/label", INPUT_LABEL, plain=True)
    if "hint" in block:
        yield from _text_problems(block["hint"], f"{at}/hint", INPUT_HINT, plain=True)
    if "element" not in block:
        yield f"{at}/element", "is required"
    else:
        yield from _element_problems(block["element"], f"{at}/element")


# --- elements ----------------------------------------------------------------------------------


def _element_problems(element: Any, at: str) -> Problems:
    if not isinstance(element, dict):
        yield at, "must be an object"
        return
    kind = element.get("type")
    yield from _string_problems(element, "action_id", ID_LENGTH, at)
    if "placeholder" in element:
        yield from _text_problems(element["placeholder"], f"{at}/placeholder", PLACEHOLDER, True)
    if "confirm" in element:
        yield from _confirm_problems(element["confirm"], f"{at}/confirm")
    if kind == "button":
        yield from _button_problems(element, at)
    elif kind in SELECTS_WITH_OPTIONS:
        yield from _static_select_problems(element, at)
    elif kind in CHOICES:
        yield from _options_problems(element.get("options"), f"{at}/options", CHOICE_OPTIONS)
    elif kind == "plain_text_input":
        yield from _text_input_problems(element, at)
    elif kind == "number_input" and "is_decimal_allowed" not in element:
        yield f"{at}/is_decimal_allowed", "is required"
    elif kind == "image" and not ("image_url" in element and "alt_text" in element):
        yield at, "image_url and alt_text are required"
    elif kind not in SELECTS | OTHER_ELEMENTS:
        yield f"{at}/type", f"unknown element type {kind!r}"


def _button_problems(button: Json, at: str) -> Problems:
    yield from _text_problems(button.get("text"), f"{at}/text", BUTTON_TEXT, plain=True)
    yield from _string_problems(button, "value", BUTTON_VALUE, at)
    yield from _string_problems(button, "url", BUTTON_URL, at)
    if "style" in button and button["style"] not in BUTTON_STYLES:
        yield f"{at}/style", "must be one of primary, danger"


def _static_select_problems(select: Json, at: str) -> Problems:
    options, groups = select.get("options"), select.get("option_groups")
    if (options is None) == (groups is None):
        yield at, "must define either `options` or `option_groups`, not both"
        return
    if options is not None:
        yield from _options_problems(options, f"{at}/options", OPTIONS)
        return
    yield from _array_problems(groups, f"{at}/option_groups", OPTION_GROUPS)
    for index, group in enumerate(groups if isinstance(groups, list) else []):
        where = f"{at}/option_groups/{index}"
        if not isinstance(group, dict):
            yield where, "must be an object"
            continue
        yield from _text_problems(group.get("label"), f"{where}/label", OPTION_TEXT, plain=True)
        yield from _options_problems(group.get("options"), f"{where}/options", OPTIONS)


def _options_problems(options: Any, at: str, most: int) -> Problems:
    yield from _array_problems(options, at, most)
    for index, option in enumerate(options if isinstance(options, list) else []):
        where = f"{at}/{index}"
        if not isinstance(option, dict):
            yield where, "must be an object"
            continue
        yield from _text_problems(option.get("text"), f"{where}/text", OPTION_TEXT)
        if "description" in option:
            yield from _text_problems(option["description"], f"{where}/description", OPTION_TEXT)
        if "value" not in option:
            yield f"{where}/value", "is required"
        yield from _string_problems(option, "value", OPTION_VALUE, where)


def _text_input_problems(element: Json, at: str) -> Problems:
    most = element.get("max_length", TEXT_INPUT_LENGTH)
    for name, lowest in (("min_length", 0), ("max_length", 1)):
        value = element.get(name)
        if value is not None and not (
            isinstance(value, int) and lowest <= value <= TEXT_INPUT_LENGTH
        ):
            yield f"{at}/{name}", f"must be an integer from {lowest} to {TEXT_INPUT_LENGTH}"
    initial = element.get("initial_value")
    if isinstance(initial, str) and isinstance(most, int) and len(initial) > most:
        yield f"{at}/initial_value", f"must be no longer than max_length ({most})"


def _confirm_problems(confirm: Any, at: str) -> Problems:
    if not isinstance(confirm, dict):
        yield at, "must be an object"
        return
    limits = (
        ("title", CONFIRM_TITLE),
        ("text", CONFIRM_TEXT),
        ("confirm", CONFIRM_BUTTON),
        ("deny", CONFIRM_BUTTON),
    )
    for name, most in limits:
        yield from _text_problems(confirm.get(name), f"{at}/{name}", most, plain=name != "text")


# --- text and arrays -------------------------------------------------------------------------


def _text_problems(text: Any, at: str, most: int, plain: bool = False) -> Problems:
    """A text object: plain_text (or mrkdwn where allowed), 1 to `most` characters."""
    if text is None:
        yield at, "is required"
        return
    if not isinstance(text, dict) or text.get("type") not in TEXT_TYPES:
        yield at, "must be a text object (plain_text or mrkdwn)"
        return
    if plain and text["type"] != "plain_text":
        yield f"{at}/type", "must be plain_text"
    content = text.get("text")
    if not isinstance(content, str) or not content:
        yield f"{at}/text", "must be more than 0 characters"
    elif len(content) > most:
        yield f"{at}/text", f"must be no longer than {most} characters"


def _array_problems(items: Any, at: str, most: int) -> Problems:
    if not isinstance(items, list) or not items:
        yield at, "is required and must be a non-empty array"
    elif len(items) > most:
        yield at, f"must have no more than {most} items"


def _string_problems(owner: Json, name: str, most: int, at: str) -> Problems:
    value = owner.get(name)
    if value is None:
        return
    if not isinstance(value, str):
        yield f"{at}/{name}", "must be a string"
    elif len(value) > most:
        yield f"{at}/{name}", f"must be no longer than {most} characters"
