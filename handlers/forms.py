"""Reading a modal submission's `view.state.values`, keyed by field name (see bot/views/inputs)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.user_text import clean_user_text


class FormValues:
    def __init__(self, view: dict[str, Any]) -> None:
        self._values: dict[str, dict[str, dict[str, Any]]] = view.get("state", {}).get("values", {})

    def _element(self, name: str) -> dict[str, Any]:
        return self._values.get(name, {}).get(name, {})

    def text(self, name: str) -> str:
        return clean_user_text(self._element(name).get("value") or "").strip()

    def number(self, name: str) -> int | None:
        raw = self.text(name)
        try:
            return int(raw)
        except ValueError:
            return None

    def date(self, name: str) -> date | None:
        raw = self._element(name).get("selected_date")
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError:
            return None

    def selected(self, name: str) -> str | None:
        chosen = self._element(name).get("selected_option")
        return chosen["value"] if chosen else None

    def selected_many(self, name: str) -> list[str]:
        element = self._element(name)
        return [o["value"] for o in element.get("selected_options") or []]

    def user(self, name: str) -> str | None:
        return self._element(name).get("selected_user")

    def users(self, name: str) -> list[str]:
        return list(self._element(name).get("selected_users") or [])

    def conversation(self, name: str) -> str | None:
        return self._element(name).get("selected_conversation")

    def checked(self, name: str, value: str) -> bool:
        return value in self.selected_many(name)
