"""transcript.html: every message, modal and Home tab as each person saw it (no JavaScript)."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any

from infra.demo.stage import Scene, Stage, Surface
from infra.demo.transcript import PLACES, input_shown, mrkdwn_to_text

Json = dict[str, Any]
STYLE = """
body{font:15px/1.45 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:980px;margin:auto;
padding:1em;color:#1d1c1d;background:#f8f8f8}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:2px solid #4a154b;color:#4a154b}
.act{margin:1.4em 0 .4em;font-weight:600}.time{color:#616061;font-style:italic}
.surface{background:#fff;border:1px solid #ddd;border-radius:8px;margin:.5em 0 .5em 1.5em;
padding:.6em .9em}.where{font-size:.8em;color:#616061;text-transform:uppercase;
letter-spacing:.04em}.modal{border:2px solid #1264a3}.home{border-left:5px solid #2eb67d}
.ephemeral{border-style:dashed}.errors{border-color:#e01e5a;color:#e01e5a}
.header{font-weight:700;font-size:1.15em;margin:.3em 0}.context{color:#616061;font-size:.85em}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:.2em 1em}
.button{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:.1em .6em;
margin:.15em .3em .15em 0;font-size:.9em;font-weight:600}.primary{background:#007a5a;color:#fff}
.danger{color:#e01e5a}.input{margin:.3em 0}.input label{font-weight:600;display:block}
.input span{display:block;border:1px solid #ccc;border-radius:4px;padding:.2em .5em;color:#616061}
hr{border:0;border-top:1px solid #ddd}
blockquote{border-left:4px solid #ddd;margin:0;padding-left:.6em}
.input span.value{color:#1d1c1d;white-space:pre-wrap}.filled{background:#f4f8fc}
pre{background:#1d1c1d;color:#fff;padding:.5em;border-radius:4px}
"""
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")


def write_page(stage: Stage, path: Path) -> None:
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Team tourism demo</title><style>",
        STYLE,
        "</style></head><body><h1>Team tourism: a whole programme, as each person saw it</h1>",
        "<p>People: "
        + ", ".join(f"<b>{escape(p.name)}</b> ({escape(p.role)})" for p in stage.people.values())
        + "</p>",
    ]
    chapters = dict(stage.chapter)
    for index, scene in enumerate(stage.scenes):
        if index in chapters:
            parts.append(f"<h2 id='chapter-{index}'>{escape(chapters[index])}</h2>")
        parts.append(_scene(stage, scene))
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


def _scene(stage: Stage, scene: Scene) -> str:
    if scene.actor is None:
        head = f"<div class='act time'>{escape(scene.action)}</div>"
    else:
        action = _mrkdwn(stage, scene.action)
        head = f"<div class='act'>{escape(scene.actor.name)} {action}</div>"
    return head + "".join(_surface(stage, surface) for surface in scene.surfaces)


def _surface(stage: Stage, surface: Surface) -> str:
    where = f"{PLACES[surface.kind]} {stage.name_of(surface.viewer)}"
    body: list[str] = []
    content = surface.content
    if surface.kind == "terminal":
        body.append(
            f"<pre>$ {escape(content['command'])}\ntourism: {escape(content['text'])}</pre>"
        )
    elif surface.kind == "filled":
        body += [
            f"<div class='input'><label>{escape(label)}</label>"
            f"<span class='value'>{escape(value) or '&nbsp;'}</span></div>"
            for label, value in content["fields"]
        ]
    elif surface.kind == "errors":
        body += [f"<p>{escape(k)}: {escape(v)}</p>" for k, v in content["errors"].items()]
    else:
        if surface.kind == "modal":
            body.append(
                f"<div class='header'>{escape(content.get('title', {}).get('text', ''))}</div>"
            )
        if not surface.blocks and content.get("text"):
            body.append(f"<p>{_mrkdwn(stage, str(content['text']))}</p>")
        body += [_block(stage, block) for block in surface.blocks]
        if surface.kind == "modal" and content.get("submit"):
            body.append(_button({"text": content["submit"], "style": "primary"}))
    return (
        f"<div class='surface {surface.kind}'><div class='where'>{escape(where)}</div>"
        + "".join(body)
        + "</div>"
    )


def _block(stage: Stage, block: Json) -> str:  # noqa: PLR0911 - one shape per block type
    kind = block["type"]
    if kind == "header":
        return f"<div class='header'>{escape(block['text']['text'])}</div>"
    if kind == "section":
        html = f"<div>{_text(stage, block['text'])}</div>" if block.get("text") else ""
        if block.get("fields"):
            cells = "".join(f"<div>{_text(stage, f)}</div>" for f in block["fields"])
            html += f"<div class='fields'>{cells}</div>"
        if block.get("accessory"):
            html += _element(block["accessory"])
        return f"<div>{html}</div>"
    if kind == "context":
        texts = " · ".join(_text(stage, e) for e in block["elements"] if "text" in e)
        return f"<div class='context'>{texts}</div>"
    if kind == "actions":
        return "<div>" + "".join(_element(e) for e in block["elements"]) + "</div>"
    if kind == "divider":
        return "<hr>"
    if kind == "input":
        optional = " (optional)" if block.get("optional") else ""
        label = escape(block["label"]["text"] + optional)
        shown = escape(input_shown(block["element"]))
        return f"<div class='input'><label>{label}</label><span>{shown}</span></div>"
    return f"<div class='context'>[{escape(kind)}]</div>"


def _element(element: Json) -> str:
    if element["type"] == "button":
        return _button(element)
    placeholder = element.get("placeholder", {}).get("text", "Choose…")
    return f"<span class='button'>{escape(placeholder)} ▾</span>"


def _button(element: Json) -> str:
    style = element.get("style", "")
    return f"<span class='button {style}'>{escape(element['text']['text'])}</span>"


def _text(stage: Stage, text: Json) -> str:
    if text.get("type") == "mrkdwn":
        return _mrkdwn(stage, text["text"])
    return escape(text["text"]).replace("\n", "<br>")


def _mrkdwn(stage: Stage, raw: str) -> str:
    """Slack's mrkdwn, simply: bold, italics, code, quotes, mentions and links by name."""
    html = escape(mrkdwn_to_text(raw, stage.name_of))
    html = _BOLD.sub(r"<b>\1</b>", html)
    html = _ITALIC.sub(r"<i>\1</i>", html)
    html = _CODE.sub(r"<code>\1</code>", html)
    lines = [
        f"<blockquote>{line[4:]}</blockquote>" if line.startswith("&gt;") else line
        for line in html.split("\n")
    ]
    return "<br>".join(lines)
