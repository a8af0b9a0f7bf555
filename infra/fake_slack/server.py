"""A fake Slack Web API served over real HTTP on 127.0.0.1, for tests (and a local demo).

slack_sdk's WebClient sends every method as a POST: JSON bodies for the methods it declares with
`json=` (chat.postMessage, chat.update, chat.postEphemeral, views.*), form bodies for the rest
(users.info, conversations.*, chat.delete, auth.test...), the token in `Authorization: Bearer`.
The fake also takes GET query strings. Form values arrive as strings ("1"/"0" for booleans);
`blocks`, `view`, `metadata` and `attachments` sent as JSON strings are decoded.
Every message and view is checked by Slack's Block Kit rules (block_kit.py) and refused as Slack
refuses it. Files go up as with Slack's external upload (what files_upload_v2 does):
files.getUploadURLExternal hands out an upload URL on this server (`/upload/F…`, recorded as
"upload_url"), the bytes are POSTed there, files.completeUploadExternal shares them
(`shared_files()`).
"""

from __future__ import annotations

import base64
import copy
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import yaml

from infra.fake_slack.block_kit import Refusal, message_refusal, view_refusal

RESPONSE_URL_METHOD = "response_url"
UPLOAD_URL_METHOD = "upload_url"  # the URL files.getUploadURLExternal hands out (files.slack.com)
ALT_TEXT_LIMIT = 1000  # files.getUploadURLExternal: alt_txt_too_large beyond
FILES_SCOPE = "files:write"
JSON_ENCODED_FIELDS = frozenset({"blocks", "view", "metadata", "attachments"})
TS_STEP = Decimal("0.000001")
DEFAULT_FAULT_ERRORS = {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}
DIRECT_MESSAGE_PREFIXES = ("D", "U", "W")
MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
# Slack's published limits (docs.slack.dev/apis/web-api/rate-limits, each method's page), in
# calls a minute: tier 3 is "50+", tier 4 "100+"; chat.postMessage is limited apart.
TIER_LIMITS_PER_MINUTE = {
    "conversations.open": 50,
    "conversations.history": 50,
    "conversations.join": 50,
    "conversations.info": 50,
    "users.info": 100,
}
TIER_BURST = 2

Json = dict[str, Any]


@dataclass(frozen=True)
class RecordedCall:
    """One request the fake received. `at` is time.monotonic() on arrival."""

    method: str
    params: Json
    token: str | None
    at: float
    status: int = 200
    response: Json | None = None  # the JSON answered (None when the answer was not JSON)
    path: str = ""  # e.g. "/api/chat.postMessage", "/response/3"


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of_json(
        cls, payload: Json, status: int = 200, headers: dict[str, str] | None = None
    ) -> Self:
        return cls(
            status,
            json.dumps(payload).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )

    def parsed(self) -> Json | None:
        try:
            document: Json = json.loads(self.body)
        except ValueError:
            return None
        return document


@dataclass(frozen=True)
class _Fault:
    status: int
    error: str | None
    retry_after: int | None
    delay: float
    body: Json | bytes | None
    effect_then_error: bool

    @property
    def fails(self) -> bool:
        return self.status != 200 or self.error is not None or self.body is not None

    def answer(self) -> _Answer:
        headers = {"Retry-After": str(self.retry_after or 1)} if self.status == 429 else {}
        if isinstance(self.body, bytes):
            return _Answer(self.status, self.body, headers)
        if self.body is not None:
            return _Answer.of_json(self.body, self.status, headers)
        error = self.error or DEFAULT_FAULT_ERRORS.get(self.status, "fatal_error")
        return _Answer.of_json({"ok": False, "error": error}, self.status, headers)


@dataclass
class _RateLimit:
    """Slack's limits as a token bucket: `per_second` sustained, `per_second + burst` at once
    (Slack allows short bursts), counted per method or per method and conversation."""

    per_second: float
    per_channel: bool
    burst: int = 0
    # The time each bucket is empty again, in the "theoretical arrival time" form of GCRA.
    full_at: dict[str, float] = field(default_factory=dict)

    def exceeded(self, params: Json, now: float) -> bool:
        """Counts the call against its bucket; True (and not counted) when over the limit."""
        key = _conversation_id(str(params.get("channel", ""))) if self.per_channel else ""
        spacing = 1.0 / self.per_second
        capacity = max(self.per_second, 1.0) + self.burst
        full_at = max(self.full_at.get(key, now), now)
        if full_at + spacing - now > capacity * spacing + 1e-9:
            return True
        self.full_at[key] = full_at + spacing
        return False


@dataclass
class _File:
    """A file from files.getUploadURLExternal: uploaded to its URL, then shared (or kept private)
    by files.completeUploadExternal."""

    id: str
    filename: str
    length: int
    alt_txt: str
    content: bytes | None = None
    title: str = ""
    channel: str | None = None
    initial_comment: str = ""
    completed: bool = False

    def as_slack(self) -> Json:
        return {
            "id": self.id,
            "name": self.filename,
            "title": self.title or self.filename,
            "size": len(self.content or b""),
            "alt_txt": self.alt_txt,
            "channels": [self.channel] if self.channel else [],
        }


@dataclass
class _Channel:
    id: str
    name: str
    is_private: bool
    is_member: bool
    is_archived: bool
    members: list[str]

    def as_slack(self) -> Json:
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": not self.is_private,
            "is_group": self.is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": self.is_private,
            "is_archived": self.is_archived,
            "is_member": self.is_member,
            "created": 1600000000,
        }


def _manifest_bot_scopes() -> list[str]:
    return list(yaml.safe_load(MANIFEST.read_text())["oauth_config"]["scopes"]["bot"])


def _error(code: str) -> Json:
    return {"ok": False, "error": code}


def _flag(params: Json, name: str) -> bool:
    return str(params.get(name, "")).lower() in ("1", "true")


def _decode_json_fields(params: Json) -> Json:
    return {
        name: json.loads(value)
        if name in JSON_ENCODED_FIELDS and isinstance(value, str) and value
        else value
        for name, value in params.items()
    }


def _parse_params(query: str, content_type: str, body: bytes) -> Json:
    """Raises ValueError on a malformed JSON body."""
    params: Json = dict(parse_qsl(query, keep_blank_values=True))
    if body and content_type.startswith("application/json"):
        params.update(json.loads(body))
    elif body:
        params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return _decode_json_fields(params)


def _bearer_token(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    """HTTP Basic credentials, as slack_sdk sends the app's client id and secret."""
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return client_id, secret


@dataclass(frozen=True)
class Installation:
    """A grant the fake hands out at oauth.v2.access: one workspace, or an org-wide install
    (team_id None) that serves every workspace of its Enterprise Grid organisation."""

    bot_token: str
    team_id: str | None
    team_name: str | None
    enterprise_id: str | None
    is_enterprise_install: bool
    installer: str
    bot_user_id: str
    bot_id: str


def _conversation_id(channel: str) -> str:
    """Posting to a user id lands in the DM with that user, as on Slack."""
    return f"D{channel}" if channel.startswith(("U", "W")) else channel


def _ts_in_range(ts: str, params: Json) -> bool:
    value, inclusive = Decimal(ts), _flag(params, "inclusive")
    oldest, latest = params.get("oldest"), params.get("cursor") or params.get("latest")
    if oldest and not (value >= Decimal(oldest) if inclusive else value > Decimal(oldest)):
        return False
    return not latest or (value <= Decimal(latest) if inclusive else value < Decimal(latest))


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a request stuck in an injected delay must not block stop()

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        answer = self.server.fake._answer_request(self.path, self.headers, body)
        try:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped waiting (an injected delay); Slack would not notice either

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: one line per request would drown test output."""


class FakeSlack:
    """Fake Slack Web API: records every call, answers like Slack, injects faults."""

    def __init__(
        self,
        *,
        team_id: str = "T0TEST",
        team_name: str = "Tourism Test",
        team_domain: str = "tourism-test",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        app_id: str = "A0TEST",
    ) -> None:
        self.team_id, self.team_name, self.team_domain = team_id, team_name, team_domain
        self.bot_user_id, self.bot_id, self.app_id = bot_user_id, bot_id, app_id
        self._lock = threading.Condition()
        self._calls: list[RecordedCall] = []
        self._refusals: list[tuple[str, Refusal]] = []
        self._faults: dict[str, deque[_Fault]] = {}
        self._rate_limits: dict[tuple[str, bool], _RateLimit] = {}
        self._users: dict[str, Json] = {}
        self._channels: dict[str, _Channel] = {}
        self._messages: dict[str, list[Json]] = {}
        self._views: dict[str, Json] = {}
        self._files: dict[str, _File] = {}
        self._file_numbers = itertools.count(1)
        self._home_view_ids: dict[str, str] = {}
        self._last_ts = Decimal(0)
        self._view_numbers = itertools.count(1)
        self._response_url_numbers = itertools.count(1)
        # Slack names the token's scopes in an X-OAuth-Scopes header on every Web API answer.
        self.granted_scopes: list[str] = _manifest_bot_scopes()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        # OAuth: the app's credentials, codes not yet exchanged, tokens issued by oauth.v2.access
        self.client_id, self.client_secret = "0000000001.0000000001", "fake-client-secret"
        self._codes: dict[str, Installation] = {}
        self._installations: dict[str, Installation] = {}
        self._revoked: set[str] = set()
        self._grant_numbers = itertools.count(1)
        self._token: str | None = None  # the token of the request being answered
        self._methods: dict[str, Callable[[Json], Json]] = {
            "auth.test": self._auth_test,
            "oauth.v2.access": self._oauth_v2_access,
            RESPONSE_URL_METHOD: self._response_url,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.getPermalink": self._chat_get_permalink,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "conversations.join": self._conversations_join,
            "conversations.info": self._conversations_info,
            "conversations.history": self._conversations_history,
            "conversations.members": self._conversations_members,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
        }

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT (no trailing slash)."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        """For WebClient(base_url=...): it appends the method name, hence the trailing slash."""
        return f"{self.url}/api/"

    def new_response_url(self) -> str:
        return f"{self.url}/response/{next(self._response_url_numbers)}"

    # --- OAuth installs --------------------------------------------------------------------

    def grant(
        self,
        *,
        team_id: str | None,
        team_name: str | None = None,
        enterprise_id: str | None = None,
        installer: str = "U0INSTALLER",
        bot_user_id: str | None = None,
    ) -> str:
        """What Slack does when a person approves the install: a one-time code for the redirect.
        `team_id=None` with an `enterprise_id` is an org-wide install."""
        number = next(self._grant_numbers)
        installation = Installation(
            bot_token=f"xoxb-{team_id or enterprise_id}-{number}-fake",
            team_id=team_id,
            team_name=team_name or team_id,
            enterprise_id=enterprise_id,
            is_enterprise_install=team_id is None,
            installer=installer,
            bot_user_id=bot_user_id or f"U0BOT{number}",
            bot_id=f"B0BOT{number}",
        )
        code = f"code-{number}"
        with self._lock:
            self._codes[code] = installation
        return code

    def revoke(self, token: str) -> None:
        """Slack revoked the token (uninstall, tokens_revoked): every call with it fails."""
        with self._lock:
            self._revoked.add(token)

    def _oauth_v2_access(self, params: Json) -> Json:
        if params.get("client_id") != self.client_id:
            return _error("invalid_client_id")
        if params.get("client_secret") != self.client_secret:
            return _error("bad_client_secret")
        installed = self._codes.pop(str(params.get("code", "")), None)
        if installed is None:  # unknown, or used already: codes are single-use
            return _error("invalid_code")
        self._installations[installed.bot_token] = installed
        return {
            "ok": True,
            "access_token": installed.bot_token,
            "token_type": "bot",
            "scope": ",".join(self.granted_scopes),
            "bot_user_id": installed.bot_user_id,
            "app_id": self.app_id,
            "team": (
                {"id": installed.team_id, "name": installed.team_name}
                if installed.team_id
                else None
            ),
            "enterprise": (
                {"id": installed.enterprise_id, "name": installed.enterprise_id}
                if installed.enterprise_id
                else None
            ),
            "is_enterprise_install": installed.is_enterprise_install,
            "authed_user": {"id": installed.installer},
        }

    # --- workspace -------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        tz: str = "Europe/Warsaw",
        deleted: bool = False,
    ) -> None:
        """Registers (or replaces) a user for users.info and conversations.open."""
        name = name or user_id.lower()
        real_name = real_name or name
        now = datetime.now(ZoneInfo(tz))
        offset = now.utcoffset()
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": real_name,
            "deleted": deleted,
            "is_bot": False,
            "tz": tz,
            "tz_label": now.tzname(),
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "profile": {
                "real_name": real_name,
                "real_name_normalized": real_name,
                "display_name": name,
                "display_name_normalized": name,
            },
        }
        with self._lock:
            self._users[user_id] = user

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_private: bool = False,
        is_member: bool = True,
        is_archived: bool = False,
        members: Iterable[str] = (),
    ) -> None:
        """Registers (or replaces) a channel; unregistered C…/G… ids are "channel_not_found"."""
        with self._lock:
            self._channels[channel_id] = _Channel(
                channel_id, name, is_private, is_member, is_archived, list(members)
            )

    def messages(self, channel: str) -> list[Json]:
        """Messages currently in a conversation (after updates and deletes), oldest first.
        A user id (U…) means the DM with that user."""
        with self._lock:
            return copy.deepcopy(self._messages.get(_conversation_id(channel), []))

    def shared_files(self) -> list[Json]:
        """Files shared by files.completeUploadExternal, oldest first, with their bytes."""
        with self._lock:
            return [
                {**file.as_slack(), "content": file.content, "comment": file.initial_comment}
                for file in self._files.values()
                if file.completed
            ]

    # --- faults ----------------------------------------------------------------------------

    def inject(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        delay: float = 0.0,
        times: int = 1,
        body: Json | bytes | None = None,
        effect_then_error: bool = False,
    ) -> None:
        """Queues a fault for the next `times` calls of `method` ("response_url" included).

        - status=429 (or just retry_after=N): HTTP 429 with Retry-After (default 1 second).
        - status=500/503: that status with {"ok": false, "error": "internal_error"/...}.
        - error="x" alone: HTTP 200 {"ok": false, "error": "x"}.
        - body: answered verbatim (bytes) or as JSON (dict) instead of the real answer.
        - delay alone: the call succeeds, after `delay` seconds (a client timeout test).
        Failing faults have no effect unless effect_then_error=True (the message is posted,
        then the failure answered; with nothing else given the failure is a 500).
        """
        if retry_after is not None and status == 200:
            status = 429
        if effect_then_error and status == 200 and error is None and body is None:
            status = 500
        fault = _Fault(status, error, retry_after, delay, body, effect_then_error)
        with self._lock:
            self._faults.setdefault(method, deque()).extend([fault] * times)

    def rate_limit(
        self, method: str, per_second: float, *, per_channel: bool = False, burst: int = 0
    ) -> None:
        """Answers 429 (Retry-After: 1) to calls beyond `per_second` sustained, with bursts of up
        to `per_second + burst` at once. Counted per method (a workspace-wide limit) or, with
        per_channel, per method and conversation; a method can have both, as chat.postMessage
        has on Slack (a user id and the DM with that user are one conversation)."""
        with self._lock:
            self._rate_limits[method, per_channel] = _RateLimit(per_second, per_channel, burst)

    def limit_like_slack(self, posts_per_minute: float = 300) -> None:
        """Slack's published limits: chat.postMessage one a second per conversation and
        `posts_per_minute` in the workspace ("several hundred messages per minute"), with short
        bursts; the tier 3 and 4 methods the bot uses at their tier's rate."""
        posts_per_second = posts_per_minute / 60
        self.rate_limit("chat.postMessage", posts_per_second, burst=int(posts_per_second))
        self.rate_limit("chat.postMessage", 1, per_channel=True, burst=1)
        for method, per_minute in TIER_LIMITS_PER_MINUTE.items():
            self.rate_limit(method, per_minute / 60, burst=TIER_BURST)

    # --- recorded calls ----------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        with self._lock:
            return [call for call in self._calls if method is None or call.method == method]

    def last(self, method: str) -> RecordedCall:
        calls = self.calls(method)
        if not calls:
            raise AssertionError(f"no call to {method}; calls seen: {self._summary()}")
        return calls[-1]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        """Blocks until `count` calls of `method` were recorded; returns them all."""

        def enough() -> bool:
            return sum(call.method == method for call in self._calls) >= count

        with self._lock:
            if not self._lock.wait_for(enough, timeout):
                raise AssertionError(
                    f"expected {count} call(s) to {method} within {timeout}s; "
                    f"calls seen: {self._summary()}"
                )
        return self.calls(method)

    def refusals(self) -> list[tuple[str, Refusal]]:
        """Surfaces refused by the Block Kit rules (not injected faults): (method, refusal)."""
        with self._lock:
            return list(self._refusals)

    def reset(self) -> None:
        """Forgets recorded calls, pending faults and rate limits. Users, channels, messages
        and views stay, so a test can reset after its app has started."""
        with self._lock:
            self._calls.clear()
            self._faults.clear()
            self._rate_limits.clear()

    def _summary(self) -> str:
        with self._lock:
            return ", ".join(f"{call.method}({call.status})" for call in self._calls) or "none"

    # --- request handling --------------------------------------------------------------------

    def _answer_request(self, raw_path: str, headers: Any, body: bytes) -> _Answer:
        arrived = time.monotonic()
        url = urlsplit(raw_path)
        if url.path.startswith("/api/"):
            method = url.path.removeprefix("/api/")
        elif url.path.startswith("/response/"):
            method = RESPONSE_URL_METHOD
        elif url.path.startswith("/upload/"):
            return self._receive_upload(url.path, body, arrived)
        else:
            return _Answer(404, b"not found")
        try:
            params = _parse_params(url.query, headers.get("Content-Type", ""), body)
            malformed = False
        except ValueError:
            params, malformed = {}, True
        token = None
        if method == "oauth.v2.access":
            credentials = _basic_credentials(headers.get("Authorization"))
            if credentials is not None:
                params["client_id"], params["client_secret"] = credentials
        elif method != RESPONSE_URL_METHOD:
            token = _bearer_token(headers.get("Authorization")) or params.pop("token", None)
        with self._lock:
            if malformed:
                answer, delay = _Answer.of_json(_error("invalid_json")), 0.0
            else:
                answer, delay = self._decide(method, params, token, arrived)
            self._calls.append(
                RecordedCall(
                    method, params, token, arrived, answer.status, answer.parsed(), url.path
                )
            )
            self._lock.notify_all()
            if token is not None and answer.status == 200:
                scopes = {"X-OAuth-Scopes": ",".join(self.granted_scopes)}
                answer = replace(answer, headers={**answer.headers, **scopes})
        time.sleep(delay)
        return answer

    def _receive_upload(self, path: str, body: bytes, arrived: float) -> _Answer:
        """The upload URL takes the file's raw bytes (or a multipart form; slack_sdk sends raw
        bytes) and answers 200 with a short text; an unknown or used URL is not found."""
        file_id = path.removeprefix("/upload/")
        with self._lock:
            file = self._files.get(file_id)
            if file is None or file.completed:
                answer = _Answer(404, b"not found")
            elif not body:
                answer = _Answer(400, b"no file data")
            else:
                file.content = body
                answer = _Answer(200, f"OK - {len(body)}".encode())
            params = {"file_id": file_id, "length": len(body)}
            self._calls.append(
                RecordedCall(UPLOAD_URL_METHOD, params, None, arrived, answer.status, None, path)
            )
            self._lock.notify_all()
        return answer

    def _decide(
        self, method: str, params: Json, token: str | None, now: float
    ) -> tuple[_Answer, float]:
        queued = self._faults.get(method)
        fault = queued.popleft() if queued else None
        if fault is None:
            limits = [self._rate_limits.get((method, by_channel)) for by_channel in (True, False)]
            if any(limit and limit.exceeded(params, now) for limit in limits):
                return _Answer.of_json(_error("ratelimited"), 429, {"Retry-After": "1"}), 0.0
            return _Answer.of_json(self._perform(method, params, token)), 0.0
        if not fault.fails:
            return _Answer.of_json(self._perform(method, params, token)), fault.delay
        if fault.effect_then_error:
            self._perform(method, params, token)
        return fault.answer(), fault.delay

    def _perform(self, method: str, params: Json, token: str | None) -> Json:
        if method not in (RESPONSE_URL_METHOD, "oauth.v2.access") and token is None:
            return _error("not_authed")
        if token in self._revoked:
            return _error("token_revoked")
        if (method == "apps.connections.open") != (token or "").startswith("xapp-"):
            return _error("not_allowed_token_type")  # Socket Mode takes only app-level tokens
        perform = self._methods.get(method)
        self._token = token
        return perform(params) if perform else {"ok": True}

    # --- Web API methods (called with the lock held) ---------------------------------------------

    def _refuse(self, method: str, refusal: Refusal) -> Json:
        self._refusals.append((method, refusal))
        return refusal.as_slack()

    def _next_ts(self) -> str:
        now = Decimal(time.time()).quantize(TS_STEP)
        self._last_ts = max(now, self._last_ts + TS_STEP)
        return f"{self._last_ts:.6f}"

    def _auth_test(self, _params: Json) -> Json:
        installed = self._installations.get(self._token or "")
        if installed is not None:
            return {
                "ok": True,
                "url": f"https://{installed.team_id or installed.enterprise_id}.slack.com/",
                "team": installed.team_name or "",
                "user": "tourism",
                # An org-wide token names its organisation, not one of its workspaces.
                "team_id": installed.team_id or installed.enterprise_id,
                "enterprise_id": installed.enterprise_id,
                "user_id": installed.bot_user_id,
                "bot_id": installed.bot_id,
                "is_enterprise_install": installed.is_enterprise_install,
            }
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": "tourism",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _post_problem(self, channel_id: str) -> str | None:
        channel = self._channels.get(channel_id)
        if channel is None:
            if not channel_id.startswith(DIRECT_MESSAGE_PREFIXES):
                return "channel_not_found"
            # Slack documents no error of its own for a DM with a deactivated person:
            # channel_not_found is what it answers when the app may not enter a DM.
            user = _conversation_id(channel_id)[1:]
            return "channel_not_found" if self._users.get(user, {}).get("deleted") else None
        if channel.is_archived:
            return "is_archived"
        if not channel.is_member:
            return "channel_not_found" if channel.is_private else "not_in_channel"
        return None

    def _read_problem(self, channel_id: str) -> str | None:
        problem = self._post_problem(channel_id)
        return None if problem == "is_archived" else problem

    def _find_message(self, channel_id: str, ts: str) -> Json | None:
        messages = self._messages.get(_conversation_id(channel_id), [])
        return next((message for message in messages if message["ts"] == ts), None)

    def _chat_post_message(self, params: Json) -> Json:
        channel_id = str(params.get("channel", ""))
        problem = self._post_problem(channel_id)
        if problem:
            return _error(problem)
        refusal = message_refusal(params)
        if refusal:
            return self._refuse("chat.postMessage", refusal)
        message = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": params.get("text", ""),
            "ts": self._next_ts(),
        }
        message |= {
            key: params[key] for key in ("blocks", "metadata", "thread_ts") if key in params
        }
        conversation = _conversation_id(channel_id)
        self._messages.setdefault(conversation, []).append(message)
        return {"ok": True, "channel": conversation, "ts": message["ts"], "message": message}

    def _chat_update(self, params: Json) -> Json:
        channel_id = str(params.get("channel", ""))
        problem = self._post_problem(channel_id)
        if problem:
            return _error(problem)
        message = self._find_message(channel_id, str(params.get("ts", "")))
        if message is None:
            return _error("message_not_found")
        refusal = message_refusal(params)
        if refusal:
            return self._refuse("chat.update", refusal)
        message |= {key: params[key] for key in ("text", "blocks", "metadata") if key in params}
        conversation = _conversation_id(channel_id)
        return {
            "ok": True,
            "channel": conversation,
            "ts": message["ts"],
            "text": message["text"],
            "message": message,
        }

    def _chat_delete(self, params: Json) -> Json:
        channel_id = str(params.get("channel", ""))
        message = self._find_message(channel_id, str(params.get("ts", "")))
        if message is None:
            return _error("message_not_found")
        conversation = _conversation_id(channel_id)
        self._messages[conversation].remove(message)
        return {"ok": True, "channel": conversation, "ts": message["ts"]}

    def _chat_post_ephemeral(self, params: Json) -> Json:
        problem = self._post_problem(str(params.get("channel", "")))
        if problem:
            return _error(problem)
        refusal = message_refusal(params)
        if refusal:
            return self._refuse("chat.postEphemeral", refusal)
        return {"ok": True, "message_ts": self._next_ts()}

    def _response_url(self, params: Json) -> Json:
        """Slack answers a response_url post like a Web API call (HTTP 200, `ok`)."""
        refusal = message_refusal(params, deleting=_flag(params, "delete_original"))
        return self._refuse(RESPONSE_URL_METHOD, refusal) if refusal else {"ok": True}

    def _chat_get_permalink(self, params: Json) -> Json:
        channel = _conversation_id(str(params.get("channel", "")))
        ts = str(params.get("message_ts", ""))
        permalink = (
            f"https://{self.team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        )
        return {"ok": True, "channel": channel, "permalink": permalink}

    def _store_view(self, method: str, sent: Any, view_id: str | None = None) -> Json:
        refusal = view_refusal(sent)
        if refusal:
            return self._refuse(method, refusal)
        number = next(self._view_numbers)
        view_id = view_id or f"V{number:010d}"
        view = {
            "id": view_id,
            "team_id": self.team_id,
            "type": "modal",
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "clear_on_close": False,
            "notify_on_close": False,
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            **sent,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{number:08x}",
        }
        self._views[view_id] = view
        return {"ok": True, "view": view}

    def _views_open(self, params: Json) -> Json:
        return self._store_view("views.open or views.push", params.get("view"))

    def _views_update(self, params: Json) -> Json:
        """Unknown view ids are accepted: tests submit views they never opened."""
        view_id = params.get("view_id") or next(
            (
                v["id"]
                for v in self._views.values()
                if v["external_id"] == params.get("external_id")
            ),
            None,
        )
        known = self._views.get(view_id or "")
        if known and params.get("hash") and params["hash"] != known["hash"]:
            return _error("hash_conflict")
        return self._store_view("views.update", params.get("view"), view_id)

    def _views_publish(self, params: Json) -> Json:
        user_id = str(params.get("user_id", ""))
        if not user_id:
            return _error("invalid_arguments")
        answer = self._store_view(
            "views.publish", params.get("view"), self._home_view_ids.get(user_id)
        )
        if answer["ok"]:
            self._home_view_ids[user_id] = answer["view"]["id"]
        return answer

    def _users_info(self, params: Json) -> Json:
        user = self._users.get(str(params.get("user", "")))
        return {"ok": True, "user": user} if user else _error("user_not_found")

    def _conversations_open(self, params: Json) -> Json:
        """Unregistered users are treated as active; registered deleted ones are disabled."""
        if params.get("channel"):
            return {"ok": True, "channel": {"id": params["channel"]}}
        user_ids = [user for user in str(params.get("users", "")).split(",") if user]
        if not user_ids:
            return _error("users_list_not_supplied")
        if any(self._users.get(user, {}).get("deleted") for user in user_ids):
            return _error("user_disabled")
        channel_id = f"D{user_ids[0]}" if len(user_ids) == 1 else "G" + "".join(sorted(user_ids))
        return {"ok": True, "channel": {"id": channel_id}}

    def _conversations_join(self, params: Json) -> Json:
        channel = self._channels.get(str(params.get("channel", "")))
        if channel is None:
            return _error("channel_not_found")
        if channel.is_archived:
            return _error("is_archived")
        if channel.is_private:
            return _error("method_not_supported_for_channel_type")
        channel.is_member = True
        if self.bot_user_id not in channel.members:
            channel.members.append(self.bot_user_id)
        return {"ok": True, "channel": channel.as_slack()}

    def _conversations_info(self, params: Json) -> Json:
        channel_id = str(params.get("channel", ""))
        channel = self._channels.get(channel_id)
        if channel is None or (channel.is_private and not channel.is_member):
            if channel is None and channel_id.startswith("D"):
                return {
                    "ok": True,
                    "channel": {"id": channel_id, "is_im": True, "user": channel_id[1:]},
                }
            return _error("channel_not_found")
        return {"ok": True, "channel": channel.as_slack()}

    def _conversations_history(self, params: Json) -> Json:
        """Top-level messages newest first (thread replies are not in history on Slack)."""
        channel_id = str(params.get("channel", ""))
        problem = self._read_problem(channel_id)
        if problem:
            return _error(problem)
        limit = int(params.get("limit") or 100)
        with_metadata = _flag(params, "include_all_metadata")
        found = [
            {key: value for key, value in message.items() if with_metadata or key != "metadata"}
            for message in reversed(self._messages.get(_conversation_id(channel_id), []))
            if message.get("thread_ts", message["ts"]) == message["ts"]
            and _ts_in_range(message["ts"], params)
        ]
        page, has_more = found[:limit], len(found) > limit
        return {
            "ok": True,
            "messages": page,
            "has_more": has_more,
            "pin_count": 0,
            "response_metadata": {"next_cursor": page[-1]["ts"] if has_more else ""},
        }

    def _files_get_upload_url_external(self, params: Json) -> Json:
        if FILES_SCOPE not in self.granted_scopes:
            return {**_error("missing_scope"), "needed": FILES_SCOPE}
        filename, length = str(params.get("filename") or ""), str(params.get("length") or "")
        if not filename or not length.isdigit():
            return _error("invalid_arguments")
        if int(length) == 0:
            return _error("missing_argument")
        alt_txt = str(params.get("alt_txt") or "")
        if len(alt_txt) > ALT_TEXT_LIMIT:
            return _error("alt_txt_too_large")
        file_id = f"F{next(self._file_numbers):08d}"
        self._files[file_id] = _File(file_id, filename, int(length), alt_txt)
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload_external(self, params: Json) -> Json:
        """Every file must have been uploaded to its URL; a channel must take
        a post from the bot (channel_id or `channels`; neither: the files stay private)."""
        if FILES_SCOPE not in self.granted_scopes:
            return {**_error("missing_scope"), "needed": FILES_SCOPE}
        try:
            listed = json.loads(str(params.get("files") or ""))
        except ValueError:
            return _error("invalid_arguments")
        if (
            not isinstance(listed, list)
            or not listed
            or not all(isinstance(item, dict) and item.get("id") for item in listed)
        ):
            return _error("invalid_arguments")
        files = [self._files.get(str(item["id"])) for item in listed]
        uploaded = [file for file in files if file and file.content and not file.completed]
        if len(uploaded) != len(files):
            return _error("file_not_found")
        channels = [
            channel
            for channel in [params.get("channel_id"), *str(params.get("channels") or "").split(",")]
            if channel
        ]
        for channel in channels:
            problem = self._post_problem(str(channel))
            if problem:
                return _error(problem)
        shared = []
        for item, file in zip(listed, uploaded, strict=True):
            file.title = str(item.get("title") or file.filename)
            file.channel = str(channels[0]) if channels else None
            file.initial_comment = str(params.get("initial_comment") or "")
            file.completed = True
            shared.append(file.as_slack())
        return {"ok": True, "files": shared}

    def _conversations_members(self, params: Json) -> Json:
        channel_id = str(params.get("channel", ""))
        channel = self._channels.get(channel_id)
        if channel is None and not channel_id.startswith("D"):
            return _error("channel_not_found")
        members = channel.members if channel else [self.bot_user_id, channel_id[1:]]
        return {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}
