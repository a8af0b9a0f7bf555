"""transcript.html: every message, modal and Home tab as each person saw it (no JavaScript)."""

from __future__ import annotations

from pathlib import Path

from infra.demo.stage import Stage


def write_page(stage: Stage, path: Path) -> None:
    path.write_text("", encoding="utf-8")
