"""Slack's Block Kit rules, one case per rule: each surface is valid but for one thing."""

from __future__ import annotations

from typing import Any

import pytest

from infra.fake_slack.block_kit import Refusal, message_refusal, view_refusal

Json = dict[str, Any]


def plain(text: str) -> Json:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> Json:
    return {"type": "mrkdwn", "text": text}


def button(action_id: str = "go", text: str = "Go", **extra: Any) -> Json:
    return {"type": "button", "text": plain(text), "action_id": action_id, **extra}


def option(value: str = "a", text: str = "A") -> Json:
    return {"text": plain(text), "value": value}


def select(**extra: Any) -> Json:
    return {"type": "static_select", "action_id": "pick", "options": [option()], **extra}


def text_input(**extra: Any) -> Json:
    return {"type": "plain_text_input", "action_id": "note", **extra}


def section(text: str = "Hello", **extra: Any) -> Json:
    return {"type": "section", "text": mrkdwn(text), **extra}


def actions(*elements: Json) -> Json:
    return {"type": "actions", "elements": list(elements)}


def input_block(element: Json | None = None, **extra: Any) -> Json:
    block = {"type": "input", "block_id": "note", "label": plain("Note"), **extra}
    if element is not None:
        block["element"] = element
    return block


def message(*blocks: Json, text: str = "fallback") -> Json:
    return {"channel": "C1", "text": text, "blocks": list(blocks)}


def modal(*blocks: Json, **extra: Any) -> Json:
    return {
        "type": "modal",
        "title": plain("Visit"),
        "submit": plain("Save"),
        "blocks": list(blocks),
        **extra,
    }


def without(surface: Json, key: str) -> Json:
    return {name: value for name, value in surface.items() if name != key}


VALID_MESSAGES = [
    message(section()),
    message(actions(button("a"), button("b")), {"type": "divider"}),
    message(section(accessory=select()), {"type": "header", "text": plain("Title")}),
    message({"type": "section", "fields": [mrkdwn("x")] * 10}),
    message({"type": "context", "elements": [mrkdwn("x")] * 10}),
    message(actions(*(button(f"b{n}") for n in range(25)))),
    message(text="x" * 40_000),
]
VALID_VIEWS = [
    modal(input_block(text_input(max_length=3000, initial_value="x" * 3000))),
    modal(section(), title=plain("t" * 24), submit=plain("s" * 24), close=plain("c" * 24)),
    {"type": "home", "blocks": [section()] * 100, "private_metadata": "m" * 3000},
    modal(section(), callback_id="c" * 255, private_metadata="p" * 3000),
]


@pytest.mark.parametrize("params", VALID_MESSAGES)
def test_valid_messages_at_the_limits_are_accepted(params):
    assert message_refusal(params) is None


@pytest.mark.parametrize("view", VALID_VIEWS)
def test_valid_views_at_the_limits_are_accepted(view):
    assert view_refusal(view) is None


MESSAGE_RULES = {
    "action_id unique within a block": (
        message(actions(button("same"), button("same"))),
        "/blocks/0/elements/1/action_id",
    ),
    "block_id unique within a surface": (
        message(section(block_id="b"), section(block_id="b")),
        "/blocks/1/block_id",
    ),
    "at most 50 blocks in a message": (message(*[section()] * 51), "/blocks"),
    "at most 25 elements in an actions block": (
        message(actions(*(button(f"b{n}") for n in range(26)))),
        "/blocks/0/elements",
    ),
    "at most 10 elements in a context block": (
        message({"type": "context", "elements": [mrkdwn("x")] * 11}),
        "/blocks/0/elements",
    ),
    "section text at most 3000": (message(section("x" * 3001)), "/blocks/0/text/text"),
    "section needs text or fields": (message({"type": "section"}), "/blocks/0"),
    "section fields at most 10": (
        message({"type": "section", "fields": [mrkdwn("x")] * 11}),
        "/blocks/0/fields",
    ),
    "section field at most 2000": (
        message({"type": "section", "fields": [mrkdwn("x" * 2001)]}),
        "/blocks/0/fields/0/text",
    ),
    "header at most 150": (
        message({"type": "header", "text": plain("x" * 151)}),
        "/blocks/0/text/text",
    ),
    "header text is plain_text": (
        message({"type": "header", "text": mrkdwn("x")}),
        "/blocks/0/text/type",
    ),
    "text is not empty": (message(section("")), "/blocks/0/text/text"),
    "button text at most 75": (
        message(actions(button(text="x" * 76))),
        "/blocks/0/elements/0/text/text",
    ),
    "button needs text": (
        message(actions({"type": "button", "action_id": "go"})),
        "/blocks/0/elements/0/text",
    ),
    "button value at most 2000": (
        message(actions(button(value="x" * 2001))),
        "/blocks/0/elements/0/value",
    ),
    "button style primary or danger": (
        message(actions(button(style="green"))),
        "/blocks/0/elements/0/style",
    ),
    "action_id at most 255": (
        message(actions(button("x" * 256))),
        "/blocks/0/elements/0/action_id",
    ),
    "block_id at most 255": (message(section(block_id="x" * 256)), "/blocks/0/block_id"),
    "confirm dialog title at most 100": (
        message(
            actions(
                button(
                    confirm={
                        "title": plain("x" * 101),
                        "text": plain("Sure?"),
                        "confirm": plain("Yes"),
                        "deny": plain("No"),
                    }
                )
            )
        ),
        "/blocks/0/elements/0/confirm/title/text",
    ),
    "select needs options or option_groups": (
        message(section(accessory={"type": "static_select", "action_id": "pick"})),
        "/blocks/0/accessory",
    ),
    "at most 100 options": (
        message(section(accessory=select(options=[option(str(n)) for n in range(101)]))),
        "/blocks/0/accessory/options",
    ),
    "option text at most 75": (
        message(section(accessory=select(options=[option(text="x" * 76)]))),
        "/blocks/0/accessory/options/0/text/text",
    ),
    "option value at most 150": (
        message(section(accessory=select(options=[option(value="x" * 151)]))),
        "/blocks/0/accessory/options/0/value",
    ),
    "option group label at most 75": (
        message(
            section(
                accessory={
                    "type": "multi_static_select",
                    "action_id": "pick",
                    "option_groups": [{"label": plain("x" * 76), "options": [option()]}],
                }
            )
        ),
        "/blocks/0/accessory/option_groups/0/label/text",
    ),
    "placeholder at most 150": (
        message(section(accessory=select(placeholder=plain("x" * 151)))),
        "/blocks/0/accessory/placeholder/text",
    ),
    "at most 10 checkboxes": (
        message(
            actions(
                {"type": "checkboxes", "action_id": "c", "options": [option()] * 11},
            )
        ),
        "/blocks/0/elements/0/options",
    ),
    "unknown block type": (message({"type": "carousel"}), "/blocks/0/type"),
}


def assert_refused(refusal: Refusal | None, error: str, pointer: str) -> None:
    assert refusal is not None
    assert refusal.error == error
    assert any(line.endswith(f"[json-pointer:{pointer}]") for line in refusal.messages), (
        refusal.messages
    )
    answer = refusal.as_slack()
    assert answer["ok"] is False and answer["response_metadata"]["messages"]


@pytest.mark.parametrize(("params", "pointer"), MESSAGE_RULES.values(), ids=MESSAGE_RULES.keys())
def test_message_rules(params, pointer):
    assert_refused(message_refusal(params), "invalid_blocks", pointer)


def test_message_text_at_most_40000():
    assert message_refusal(message(text="x" * 40_001)).error == "msg_too_long"


def test_a_message_needs_text_blocks_or_attachments():
    assert message_refusal({"channel": "C1"}).error == "no_text"
    assert message_refusal({"delete_original": True}, deleting=True) is None


VIEW_RULES = {
    "modal needs a title": (without(modal(section()), "title"), "/view/title"),
    "modal title at most 24": (modal(section(), title=plain("x" * 25)), "/view/title/text"),
    "modal submit at most 24": (modal(section(), submit=plain("x" * 25)), "/view/submit/text"),
    "modal close at most 24": (modal(section(), close=plain("x" * 25)), "/view/close/text"),
    "modal with inputs needs submit": (
        without(modal(input_block(text_input())), "submit"),
        "/view/submit",
    ),
    "private_metadata at most 3000": (
        modal(section(), private_metadata="x" * 3001),
        "/view/private_metadata",
    ),
    "callback_id at most 255": (modal(section(), callback_id="x" * 256), "/view/callback_id"),
    "at most 100 blocks in a modal": (modal(*[section()] * 101), "/view/blocks"),
    "at most 100 blocks in the Home tab": (
        {"type": "home", "blocks": [section()] * 101},
        "/view/blocks",
    ),
    "view type modal or home": ({"type": "page", "blocks": []}, "/view/type"),
    "view needs blocks": ({"type": "home"}, "/view/blocks"),
    "input needs a label": (
        modal({"type": "input", "element": text_input()}),
        "/view/blocks/0/label",
    ),
    "input label at most 2000": (
        modal(input_block(text_input(), label=plain("x" * 2001))),
        "/view/blocks/0/label/text",
    ),
    "input hint at most 2000": (
        modal(input_block(text_input(), hint=plain("x" * 2001))),
        "/view/blocks/0/hint/text",
    ),
    "input needs an element": (modal(input_block()), "/view/blocks/0/element"),
    "initial_value within max_length": (
        modal(input_block(text_input(max_length=10, initial_value="x" * 11))),
        "/view/blocks/0/element/initial_value",
    ),
    "initial_value within 3000 without max_length": (
        modal(input_block(text_input(initial_value="x" * 3001))),
        "/view/blocks/0/element/initial_value",
    ),
    "max_length at most 3000": (
        modal(input_block(text_input(max_length=3001))),
        "/view/blocks/0/element/max_length",
    ),
    "number input needs is_decimal_allowed": (
        modal(input_block({"type": "number_input", "action_id": "n"})),
        "/view/blocks/0/element/is_decimal_allowed",
    ),
    "block_id unique within a view": (
        modal(input_block(text_input()), input_block(text_input())),
        "/view/blocks/1/block_id",
    ),
}


@pytest.mark.parametrize(("view", "pointer"), VIEW_RULES.values(), ids=VIEW_RULES.keys())
def test_view_rules(view, pointer):
    assert_refused(view_refusal(view), "invalid_arguments", pointer)
