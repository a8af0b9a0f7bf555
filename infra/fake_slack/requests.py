"""Sends correctly signed Slack requests (commands, interactions, events) to the app over HTTP:
the tests and `tourism demo` drive the real app with it.

Payload shapes follow what Slack sends: slash commands and interactions as form bodies
(interactions as `payload=<json>`), Events API callbacks as JSON. Block-action payloads carry
a `response_url` only when they come from a message, as on Slack (modal and Home tab actions
have none).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import json
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPSConnection
from typing import Any
from urllib.parse import urlencode, urlsplit

from infra.fake_slack import FakeSlack, message_refusal, view_refusal

Json = dict[str, Any]
FORM = "application/x-www-form-urlencoded"
JSON_CONTENT = "application/json"
SLACK_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


def sign(signing_secret: str, timestamp: int | str, body: bytes) -> str:
    """Slack's request signature: "v0=" + hex HMAC-SHA256 of "v0:{timestamp}:{body}"."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


def _check_ack(answer: Response) -> None:
    """Slack shows an ack's message or view only if its Block Kit rules allow it: a test fails
    on an ack Slack would refuse, as the fake Web API refuses such calls."""
    if not answer.headers.get("content-type", "").startswith(JSON_CONTENT):
        return
    payload = answer.json()
    if not isinstance(payload, dict):
        return
    if payload.get("response_action") in ("update", "push"):
        refusal = view_refusal(payload.get("view"))
    elif "blocks" in payload or "text" in payload:
        refusal = message_refusal(payload)
    else:
        refusal = None
    if refusal is not None:
        raise AssertionError(f"Slack would refuse this ack: {refusal}")


# --- state.values shapes for view_submission, one per input element type ----------------------


def option(value: str, text: str | None = None) -> Json:
    return {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}


def plain(value: str | None) -> Json:
    """plain_text_input; None is what Slack sends for an empty optional input."""
    return {"type": "plain_text_input", "value": value}


def number(value: str | None) -> Json:
    return {"type": "number_input", "value": value}


def date(day: dt.date | str | None) -> Json:
    selected = day.isoformat() if isinstance(day, dt.date) else day
    return {"type": "datepicker", "selected_date": selected}


def static(value: str | None, text: str | None = None) -> Json:
    selected = option(value, text) if value is not None else None
    return {"type": "static_select", "selected_option": selected}


def radio(value: str | None, text: str | None = None) -> Json:
    selected = option(value, text) if value is not None else None
    return {"type": "radio_buttons", "selected_option": selected}


def multi_static(values: Iterable[str]) -> Json:
    return {"type": "multi_static_select", "selected_options": [option(v) for v in values]}


def checkboxes(values: Iterable[str]) -> Json:
    return {"type": "checkboxes", "selected_options": [option(v) for v in values]}


def users(user_ids: Iterable[str]) -> Json:
    return {"type": "multi_users_select", "selected_users": list(user_ids)}


def user(user_id: str | None) -> Json:
    return {"type": "users_select", "selected_user": user_id}


def conversation(channel_id: str | None) -> Json:
    return {"type": "conversations_select", "selected_conversation": channel_id}


class SlackRequests:
    """Signed requests to the app at `app_url` (scheme://host:port; requests go to `path`)."""

    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        team_id: str = "T0TEST",
        fake_slack: FakeSlack | None = None,
        *,
        path: str = "/slack/events",
        team_domain: str = "tourism-test",
        verification_token: str = "verification-token",
        timeout: float = 10.0,
        installed_team_id: str | None = None,
        enterprise_id: str | None = None,
        enterprise_install: bool = False,
    ) -> None:
        """`installed_team_id` is the workspace that installed the app, which views name as
        `app_installed_team_id`; another than `team_id` is a Slack Connect user's request.
        `enterprise_id`: a workspace of an Enterprise Grid organisation; `enterprise_install`:
        the app is installed org-wide there."""
        self.enterprise_id, self.enterprise_install = enterprise_id, enterprise_install
        self.app_url, self.path, self.timeout = app_url.rstrip("/"), path, timeout
        self.signing_secret = signing_secret
        self.team_id, self.team_domain = team_id, team_domain
        self.installed_team_id = installed_team_id or team_id
        self.verification_token = verification_token
        self.fake_slack = fake_slack
        self.api_app_id = fake_slack.app_id if fake_slack else "A0TEST"
        self.bot_user_id = fake_slack.bot_user_id if fake_slack else "U0BOT"
        self.bot_id = fake_slack.bot_id if fake_slack else "B0BOT"
        self._serial = itertools.count(1)

    # --- slash commands and interactions -----------------------------------------------------

    def slash_command(
        self,
        text: str,
        *,
        user_id: str,
        command: str = "/tourism",
        channel_id: str = "C0CHANNEL",
        trigger_id: str | None = None,
        timestamp: int | None = None,
    ) -> Response:
        fields = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel_id,
            "channel_name": "directmessage" if channel_id.startswith("D") else channel_id.lower(),
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            **({"enterprise_id": self.enterprise_id} if self.enterprise_id else {}),
            "is_enterprise_install": "true" if self.enterprise_install else "false",
            "response_url": self.response_url(),
            "trigger_id": trigger_id or self.new_trigger_id(),
        }
        return self.post(urlencode(fields).encode(), FORM, timestamp=timestamp)

    def block_action(
        self,
        *,
        user_id: str,
        action_id: str,
        value: str | None = None,
        block_id: str = "b",
        view: Json | None = None,
        message: Json | None = None,
        channel_id: str | None = None,
        container: Json | None = None,
        selected_option: Json | str | None = None,
        timestamp: int | None = None,
    ) -> Response:
        """A click in a message (default), or in a modal/Home tab when `view` is given.
        `selected_option` (an option dict, or a value) makes it a static_select action."""
        payload = self._interaction("block_actions", user_id)
        payload["actions"] = [self._action(action_id, block_id, value, selected_option)]
        if view is not None:
            payload["view"] = view
            payload["state"] = view.get("state", {"values": {}})
            payload["container"] = container or {"type": "view", "view_id": view.get("id", "V1")}
        else:
            channel = channel_id or "C0CHANNEL"
            message = message or {
                "type": "message",
                "user": self.bot_user_id,
                "text": "",
                "blocks": [],
                "ts": f"{time.time():.6f}",
            }
            payload["state"] = {"values": {}}
            payload["container"] = container or {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel,
                "is_ephemeral": False,
            }
            payload["channel"] = {"id": channel, "name": channel.lower()}
            payload["message"] = message
            payload["response_url"] = self.response_url()
        return self._post_payload(payload, timestamp)

    def view_submission(
        self,
        *,
        user_id: str,
        callback_id: str,
        values: Json,
        private_metadata: str = "",
        view_id: str = "V1",
        timestamp: int | None = None,
    ) -> Response:
        """`values` is state.values: {block_id: {action_id: plain(...) | date(...) | ...}}."""
        payload = self._interaction("view_submission", user_id)
        payload["view"] = self._view(view_id, callback_id, private_metadata, values)
        payload["response_urls"] = []
        return self._post_payload(payload, timestamp)

    def view_closed(
        self,
        *,
        user_id: str,
        callback_id: str,
        private_metadata: str = "",
        view_id: str = "V1",
        is_cleared: bool = False,
        timestamp: int | None = None,
    ) -> Response:
        payload = self._interaction("view_closed", user_id)
        payload["view"] = self._view(view_id, callback_id, private_metadata, {})
        payload["is_cleared"] = is_cleared
        return self._post_payload(payload, timestamp)

    def block_suggestion(
        self,
        *,
        user_id: str,
        action_id: str,
        value: str,
        block_id: str | None = None,
        callback_id: str = "",
        timestamp: int | None = None,
    ) -> Response:
        """What Slack sends while someone types into an external_select inside a modal."""
        payload = self._interaction("block_suggestion", user_id)
        payload |= {
            "action_id": action_id,
            "block_id": block_id or action_id,
            "value": value,
            "view": self._view("V1", callback_id, "", {}),
        }
        return self._post_payload(payload, timestamp)

    def shortcut(self, callback_id: str, *, user_id: str, timestamp: int | None = None) -> Response:
        """A global shortcut."""
        payload = self._interaction("shortcut", user_id)
        payload["callback_id"] = callback_id
        payload["action_ts"] = f"{time.time():.6f}"
        return self._post_payload(payload, timestamp)

    # --- Events API ---------------------------------------------------------------------------

    def event(
        self,
        event: Json,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        timestamp: int | None = None,
    ) -> Response:
        """An event_callback envelope around `event` (event_ts added when missing).
        With retry_num, sent as Slack's redelivery (X-Slack-Retry-Num/-Reason headers)."""
        envelope = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": event_id or self.new_event_id(),
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": self.enterprise_id,
                    "team_id": None if self.enterprise_install else self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": self.enterprise_install,
                }
            ],
            "is_ext_shared_channel": False,
        }
        retry_headers = {}
        if retry_num is not None:
            retry_headers = {
                "X-Slack-Retry-Num": str(retry_num),
                "X-Slack-Retry-Reason": retry_reason,
            }
        body = json.dumps(envelope).encode()
        return self.post(body, JSON_CONTENT, timestamp=timestamp, extra_headers=retry_headers)

    def url_verification(self, challenge: str, *, timestamp: int | None = None) -> Response:
        body = {
            "token": self.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }
        return self.post(json.dumps(body).encode(), JSON_CONTENT, timestamp=timestamp)

    # --- low level ----------------------------------------------------------------------------

    def signed_headers(
        self, body: bytes, content_type: str = FORM, *, timestamp: int | None = None
    ) -> dict[str, str]:
        """The headers Slack sends with `body`; a starting point for malformed-request tests."""
        stamp = int(time.time()) if timestamp is None else timestamp
        return {
            "Content-Type": content_type,
            "User-Agent": SLACK_USER_AGENT,
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": sign(self.signing_secret, stamp, body),
        }

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> Response:
        """Signs `body` and POSTs it to the app's Slack endpoint."""
        headers = self.signed_headers(body, content_type, timestamp=timestamp)
        answer = self.raw(body, headers | (extra_headers or {}), self.path)
        _check_ack(answer)
        return answer

    def raw(self, body: bytes, headers: dict[str, str], path: str = "/slack/events") -> Response:
        """POSTs exactly `body` and `headers` (no signing)."""
        url = urlsplit(self.app_url)
        connection_class = HTTPSConnection if url.scheme == "https" else HTTPConnection
        connection = connection_class(url.netloc, timeout=self.timeout)
        try:
            connection.request("POST", url.path + path, body=body, headers=headers)
            answer = connection.getresponse()
            return Response(
                answer.status,
                {name.lower(): value for name, value in answer.getheaders()},
                answer.read(),
            )
        finally:
            connection.close()

    def response_url(self) -> str:
        """A response_url on the fake (so the app's replies are recorded), or a dead one."""
        if self.fake_slack is not None:
            return self.fake_slack.new_response_url()
        return f"https://hooks.slack.com/commands/{self.team_id}/{next(self._serial)}/fake"

    def new_trigger_id(self) -> str:
        return f"{next(self._serial)}.{int(time.time())}.{secrets.token_hex(16)}"

    @staticmethod
    def new_event_id() -> str:
        return "Ev" + secrets.token_hex(5).upper()

    def _user(self, user_id: str) -> Json:
        name = user_id.lower()
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def _interaction(self, kind: str, user_id: str) -> Json:
        return {
            "type": kind,
            "token": self.verification_token,
            "api_app_id": self.api_app_id,
            "team": {"id": self.team_id, "domain": self.team_domain},
            "user": self._user(user_id),
            "enterprise": {"id": self.enterprise_id} if self.enterprise_id else None,
            "is_enterprise_install": self.enterprise_install,
            "trigger_id": self.new_trigger_id(),
        }

    @staticmethod
    def _action(
        action_id: str, block_id: str, value: str | None, selected_option: Json | str | None
    ) -> Json:
        action: Json = {
            "action_id": action_id,
            "block_id": block_id,
            "action_ts": f"{time.time():.6f}",
        }
        if selected_option is not None:
            chosen = (
                option(selected_option) if isinstance(selected_option, str) else selected_option
            )
            return action | {"type": "static_select", "selected_option": chosen}
        action |= {
            "type": "button",
            "text": {"type": "plain_text", "text": action_id, "emoji": True},
        }
        return action if value is None else action | {"value": value}

    def _view(self, view_id: str, callback_id: str, private_metadata: str, values: Json) -> Json:
        return {
            "id": view_id,
            "team_id": self.team_id,
            "app_installed_team_id": self.installed_team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "title": {"type": "plain_text", "text": "Team Tourism"},
            "blocks": [],
            "state": {"values": values},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "root_view_id": view_id,
            "previous_view_id": None,
            "external_id": "",
            "clear_on_close": False,
            "notify_on_close": False,
            "app_id": self.api_app_id,
            "bot_id": self.bot_id,
        }

    def _post_payload(self, payload: Json, timestamp: int | None) -> Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, FORM, timestamp=timestamp)


# --- a modal filled in as a person would -----------------------------------------------------

_SINGLE_CHOICE = ("static_select", "external_select", "radio_buttons")
_MULTI_CHOICE = ("multi_static_select", "checkboxes")


def filled_state(view: Json, answers: Json) -> Json:
    """The state.values Slack sends when `view` is submitted: each input keeps what the modal
    offered (its initial value) unless `answers` (by block_id) says otherwise. Choices are
    answered by option value or by the option's text. A field the modal lacks: ValueError."""
    blocks = view.get("blocks", [])
    inputs = {block["block_id"]: block for block in blocks if block["type"] == "input"}
    unknown = set(answers) - set(inputs)
    if unknown:
        raise ValueError(f"the modal has no field {sorted(unknown)}; it has {sorted(inputs)}")
    return {
        block_id: {
            block["element"]["action_id"]: _element_state(
                block["element"], answers.get(block_id, _UNANSWERED)
            )
        }
        for block_id, block in inputs.items()
    }


_UNANSWERED = object()


# Inputs answered with one value: the key of their initial value and the state they send.
_SIMPLE_INPUTS: dict[str, tuple[str, Callable[[Any], Json]]] = {
    "plain_text_input": ("initial_value", lambda v: plain(v or None)),
    "number_input": ("initial_value", number),
    "datepicker": ("initial_date", date),
    "users_select": ("initial_user", user),
    "multi_users_select": ("initial_users", users),
    "conversations_select": ("initial_conversation", conversation),
}


def _element_state(element: Json, answer: Any) -> Json:
    kind = element["type"]
    kept = answer is _UNANSWERED
    if kind in _SIMPLE_INPUTS:
        initial, state = _SIMPLE_INPUTS[kind]
        return state(element.get(initial) if kept else answer)
    if kind in _SINGLE_CHOICE:
        chosen = element.get("initial_option") if kept else _offered(element, [answer])[0]
        return {"type": kind, "selected_option": chosen}
    if kind in _MULTI_CHOICE:
        chosen = element.get("initial_options", []) if kept else _offered(element, answer)
        return {"type": kind, "selected_options": chosen}
    raise ValueError(f"no way yet to fill in a {kind}")


def _offered(element: Json, values: Iterable[str | None]) -> list[Json]:
    """The options the element offers with these values (as Slack sends them back)."""
    options = [
        *element.get("options", []),
        *(o for group in element.get("option_groups", []) for o in group["options"]),
    ]
    by_value = {o["text"]["text"]: o for o in options} | {o["value"]: o for o in options}
    found = []
    for value in values:
        if value is None:
            return [None]  # type: ignore[list-item]
        if value not in by_value and element["type"] != "external_select":
            raise ValueError(
                f"{element['action_id']} offers no {value!r}; it has {sorted(by_value)}"
            )
        found.append(by_value.get(value) or option(value))
    return found
