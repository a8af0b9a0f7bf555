"""The HTTP front door for Slack requests (HTTP mode), guarding Bolt before it parses anything.

Stock Bolt parses a body before verifying its signature, answers 500 to a non-numeric timestamp
and logs failed bodies; here an oversized body gets 413 and any request that is not signed by
Slack gets 401 before a single byte of it is interpreted.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from infra.logs import request_scope
from infra.metrics import SLACK_REQUESTS, UNVERIFIED
from infra.oauth import OAUTH_PATHS

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 256 * 1024

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _plain(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [text.encode()]


class SlackRequestGuard:
    """WSGI middleware: size limit and signature check in front of Bolt's WSGI adapter."""

    def __init__(self, inner: WsgiApp, signing_secret: str) -> None:
        self.inner = inner
        self.verifier = SignatureVerifier(signing_secret)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path in OAUTH_PATHS and environ.get("REQUEST_METHOD") == "GET":
            # A person's browser, not Slack: Bolt's OAuth flow checks its state (404 without one).
            return self.inner(environ, start_response)
        if path != EVENTS_PATH or environ.get("REQUEST_METHOD") != "POST":
            return _plain(start_response, "404 Not Found", "Not Found")
        with request_scope():  # Bolt's dispatch and its listeners keep this id
            body, refusal = self._read_verified_body(environ)
            if refusal is not None:
                SLACK_REQUESTS.labels(UNVERIFIED, "refused").inc()
                return _plain(start_response, *refusal)
            environ["wsgi.input"] = io.BytesIO(body)
            return self.inner(environ, start_response)

    def _read_verified_body(self, environ: dict[str, Any]) -> tuple[bytes, tuple[str, str] | None]:
        """The body, or the status and reason to refuse the request with."""
        length_header = environ.get("CONTENT_LENGTH") or "0"
        if not length_header.isdigit():
            return b"", ("400 Bad Request", "Bad Content-Length")
        if int(length_header) > MAX_BODY_BYTES:
            return b"", ("413 Payload Too Large", "Request body too large")
        body = environ["wsgi.input"].read(int(length_header))
        try:
            body.decode()  # Slack sends UTF-8; the signature check would raise on anything else
        except UnicodeDecodeError:
            return b"", ("400 Bad Request", "Request body is not UTF-8")
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE")
        if not timestamp.isdigit() or not self.verifier.is_valid(body, timestamp, signature):
            log.warning("rejected a request with a missing, stale or forged Slack signature")
            return b"", ("401 Unauthorized", "Invalid request signature")
        if not _parseable(body, environ.get("CONTENT_TYPE", "")):
            return b"", ("400 Bad Request", "Malformed request body")
        return body, None


def _parseable(body: bytes, content_type: str) -> bool:
    """Bolt raises (a 500) on a body it cannot parse, even a signed one: refuse it here."""
    try:
        if content_type.startswith("application/json"):
            return isinstance(json.loads(body), dict)
        form = parse_qs(body.decode())
        return "payload" not in form or isinstance(json.loads(form["payload"][0]), dict)
    except ValueError:
        return False


def slack_wsgi_app(bolt_app: App, signing_secret: str) -> WsgiApp:
    return SlackRequestGuard(SlackRequestHandler(bolt_app, path=EVENTS_PATH), signing_secret)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)


class HttpServer:
    """A threaded WSGI server; port 0 picks a free port (tests)."""

    def __init__(self, app: WsgiApp, host: str, port: int) -> None:
        self._server = make_server(
            host, port, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
        )
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def start_in_background(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
