"""What a person sees after typing a command: the acknowledgement's message, or (for commands that
acknowledge first and answer once the work is done) the reply posted to the response_url."""

from __future__ import annotations

from typing import Any

from tests.conftest import RunningBot


def command_reply(bot: RunningBot, text: str, user_id: str) -> dict[str, Any]:
    before = len(bot.slack.calls("response_url"))
    answer = bot.requests.slash_command(text, user_id=user_id)
    assert answer.status == 200
    if answer.body:  # Bolt answers a text-only ack as plain text
        return answer.json() if answer.body.startswith(b"{") else {"text": answer.text}
    return bot.slack.wait_for("response_url", count=before + 1)[-1].params
