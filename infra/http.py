"""The HTTP front door for Slack requests (HTTP mode), guarding Bolt before it parses anything.

Stock Bolt parses a body before verifying its signature, answers 500 to a non-numeric timestamp
and logs failed bodies; here an oversized body gets 413 and any request that is not signed by
Slack gets 401 before a single byte of it is interpreted.
"""

from __future__ import annotations

import errno
import io
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, Protocol, cast
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ThreadedTaskDispatcher
from waitress.wasyncore import close_all

from infra.logs import request_scope
from infra.metrics import SLACK_REQUESTS, UNVERIFIED
from infra.oauth import OAUTH_PATHS
from infra.settings import WebServerSettings

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 256 * 1024
POLL_SECONDS = 0.2  # how soon the server notices stop_soon()

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


class PortInUseError(Exception):
    """The port is taken by another program: said in one line by the entry point."""

    def __init__(self, port: int) -> None:
        super().__init__(f"port {port} is already in use")
        self.port = port


class _ListeningServer(Protocol):
    """What is used of the server waitress makes for one host and port (a TcpWSGIServer): its
    stubs type create_server's result as a union that names none of these."""

    effective_host: str
    effective_port: int
    accepting: bool
    socket: socket.socket
    task_dispatcher: ThreadedTaskDispatcher
    asyncore: ModuleType
    _map: dict[int, Any]
    active_channels: dict[int, HTTPChannel]


class HttpServer:
    """Waitress serving a WSGI app; port 0 picks a free port (tests).

    Waitress reads every request completely in its I/O loop before a worker thread sees it, so
    slow or stalled clients hold a connection (up to `max_connections`, each dropped after
    `request_timeout` seconds of silence) but never one of the `threads` that answer Slack.
    The socket is bound in the constructor: a busy port fails before anything else starts.
    """

    def __init__(
        self, app: WsgiApp, host: str, port: int, limits: WebServerSettings | None = None
    ) -> None:
        limits = limits or WebServerSettings()
        try:
            self._server = cast(
                _ListeningServer,
                create_server(
                    app,
                    host=host,
                    port=port,
                    threads=limits.threads,
                    connection_limit=limits.max_connections,
                    channel_timeout=limits.request_timeout,
                    cleanup_interval=max(1, min(30, limits.request_timeout // 2)),
                    # The guard answers 413 above MAX_BODY_BYTES; this only bounds buffering.
                    max_request_body_size=4 * MAX_BODY_BYTES,
                    asyncore_use_poll=True,  # select() cannot watch more than 1024 sockets
                    expose_tracebacks=False,
                    ident="team-tourism",
                ),
            )
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUseError(port) from error
            raise
        self._background: tuple[threading.Thread, threading.Event] | None = None

    @property
    def url(self) -> str:
        return f"http://{self._server.effective_host}:{self._server.effective_port}"

    def serve_until(self, stopping: threading.Event, drain_seconds: float) -> None:
        """Serves until `stopping` is set (a signal handler may set it), then finishes the
        requests in progress (for up to `drain_seconds`) and closes every connection."""
        while not stopping.is_set():
            self._poll_once()
        self._server.accepting = False
        self._server.socket.close()  # new connections are refused from here on
        deadline = time.monotonic() + drain_seconds
        while self._busy() and time.monotonic() < deadline:
            self._poll_once()
        if self._busy():
            log.warning("stopped with requests still in progress after %ss", drain_seconds)
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
        close_all(self._server._map)

    def start_in_background(self) -> None:
        stopping = threading.Event()
        thread = threading.Thread(target=self.serve_until, args=(stopping, 5), daemon=True)
        self._background = (thread, stopping)
        thread.start()

    def stop(self) -> None:
        """Stops what start_in_background() started."""
        if self._background is not None:
            thread, stopping = self._background
            stopping.set()
            thread.join(timeout=10)

    def _poll_once(self) -> None:
        self._server.asyncore.loop(
            timeout=POLL_SECONDS, map=self._server._map, use_poll=True, count=1
        )

    def _busy(self) -> bool:
        """A request is queued, running, or its answer is not yet sent."""
        dispatcher = self._server.task_dispatcher
        return bool(
            dispatcher.queue
            or dispatcher.active_count
            or any(
                channel.requests or channel.total_outbufs_len
                for channel in list(self._server.active_channels.values())
            )
        )
