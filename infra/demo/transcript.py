"""The demo's printed transcript: each act, then what each person saw, as readable text."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

from infra.demo.stage import Scene, Stage, Surface

Json = dict[str, Any]
WIDTH = 100
PLACES = {
    "message": "message to",
    "ephemeral": "only visible to",
    "modal": "modal for",
    "home": "Home tab of",
    "edit": "message updated for",
    "errors": "form errors for",
    "filled": "form as filled in by",
    "terminal": "terminal of",
}
_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


def mrkdwn_to_text(text: str, names: Callable[[str], str]) -> str:
    """Slack's mrkdwn as plain text: mentions by name, links by their label, entities decoded."""

    def link(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith(("@U", "@W")):
            return "@" + names(target[1:]).split()[0]
        if target.startswith("#C"):
            return names(target[1:].split("|")[0])
        if target.startswith("!date"):
            return label or target
        if target.startswith("!"):
            return "@" + target[1:]
        return label or target

    return html.unescape(_LINK.sub(link, text))


def describe(stage: Stage) -> Iterator[str]:
    """The whole transcript, line by line."""
    chapters = dict(stage.chapter)
    for index, scene in enumerate(stage.scenes):
        if index in chapters:
            yield ""
            yield f"=== {chapters[index]} ".ljust(WIDTH, "=")
        yield from describe_scene(stage, scene)


def describe_scene(stage: Stage, scene: Scene) -> Iterator[str]:
    if scene.actor is None:
        yield f"\n--- {scene.action} ---"
    else:
        yield f"\n> {scene.actor.name} ({scene.actor.role}) {scene.action}"
    for surface in scene.surfaces:
        yield f"  [{PLACES[surface.kind]} {stage.name_of(surface.viewer)}]"
        if surface.kind == "home" and "Home tab" not in scene.action:
            yield "    (refreshed: transcript.html shows it)"
            continue
        for line in surface_lines(stage, surface):
            yield "    " + line


def surface_lines(stage: Stage, surface: Surface) -> Iterator[str]:
    def names(user_or_channel: str) -> str:
        return stage.name_of(user_or_channel)

    def text(raw: str) -> str:
        return mrkdwn_to_text(raw, names)

    content = surface.content
    if surface.kind == "terminal":
        yield f"$ {content['command']}"
        yield f"tourism: {content['text']}"
        return
    if surface.kind == "filled":
        for label, value in content["fields"]:
            yield f"  {label}: {value or '(left empty)'}"
        return
    if surface.kind == "errors":
        for field_id, error in content["errors"].items():
            yield f"! {field_id}: {error}"
        return
    if surface.kind == "modal":
        yield f"┌ {content.get('title', {}).get('text', '')}"
    blocks = surface.blocks
    if not blocks and content.get("text"):
        yield from text(str(content["text"])).splitlines()
    for block in blocks:
        yield from block_lines(block, text)
    if surface.kind == "modal" and content.get("submit"):
        yield f"└ [{content['submit']['text']}]"


def block_lines(block: Json, text: Callable[[str], str]) -> Iterator[str]:
    kind = block["type"]
    if kind == "header":
        yield text(block["text"]["text"]).upper()
    elif kind == "section":
        if block.get("text"):
            yield from text(block["text"]["text"]).splitlines()
        for field in block.get("fields", []):
            yield "  " + text(field["text"]).replace("\n", " ")
        if block.get("accessory"):
            yield from element_lines(block["accessory"], text)
    elif kind == "context":
        yield "  " + "  ".join(text(e.get("text", "")) for e in block["elements"] if "text" in e)
    elif kind == "actions":
        yield "  " + " ".join(
            line for element in block["elements"] for line in element_lines(element, text)
        )
    elif kind == "divider":
        yield "  ---"
    elif kind == "input":
        optional = " (optional)" if block.get("optional") else ""
        yield f"  {block['label']['text']}{optional}: {input_shown(block['element'])}"
    elif kind == "rich_text":
        yield text(rich_text_plain(block))


def element_lines(element: Json, text: Callable[[str], str]) -> Iterator[str]:
    if element["type"] == "button":
        yield f"[{element['text']['text']}]"
    elif "placeholder" in element or "options" in element:
        yield f"[{element.get('placeholder', {}).get('text', 'choose')} ▾]"


def input_shown(element: Json) -> str:
    """What an input shows before the person types: its initial value, or its placeholder."""
    for key in ("initial_value", "initial_date", "initial_user", "initial_conversation"):
        if element.get(key):
            return str(element[key])
    if element.get("initial_option"):
        return str(element["initial_option"]["text"]["text"])
    if element.get("initial_options"):
        return ", ".join(o["text"]["text"] for o in element["initial_options"])
    if element.get("initial_users"):
        return ", ".join(element["initial_users"])
    if element["type"] in ("radio_buttons", "checkboxes"):
        return "  ".join(f"○ {o['text']['text']}" for o in element.get("options", []))
    return f"…{element.get('placeholder', {}).get('text', '')}".rstrip("…") or "…"


def rich_text_plain(block: Json) -> str:
    parts: list[str] = []
    for section in block.get("elements", []):
        for piece in section.get("elements", []):
            parts.append(piece.get("text", "") or piece.get("url", ""))
    return "".join(parts)
