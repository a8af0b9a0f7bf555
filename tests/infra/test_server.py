"""The HTTP server under slow, silent and concurrent clients, and while it stops."""

import socket
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from infra.fake_slack.requests import SlackRequests
from infra.http import HttpServer, PortInUseError
from infra.settings import WebServerSettings
from tests.conftest import SIGNING_SECRET, RunningBot

SLACK_DEADLINE_SECONDS = 3  # Slack gives up on an answer after 3 s


def half_sent_request(url: str) -> socket.socket:
    """A client that sent its headers and a few bytes of a 1000-byte body, then went quiet."""
    address = urlsplit(url)
    client = socket.create_connection((address.hostname, address.port), timeout=5)
    client.sendall(
        b"POST /slack/events HTTP/1.1\r\nHost: bot\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
        b"command=%2Ftour"
    )
    return client


def test_slow_clients_do_not_stop_the_server_answering_others_in_time(bot: RunningBot):
    stalled = [half_sent_request(bot.url) for _ in range(100)]
    patient = SlackRequests(
        bot.url,
        SIGNING_SECRET,
        team_id=bot.slack.team_id,
        fake_slack=bot.slack,
        timeout=SLACK_DEADLINE_SECONDS,
    )
    try:
        with ThreadPoolExecutor(max_workers=10) as pool:
            answers = list(
                pool.map(lambda n: patient.slash_command("help", user_id=f"U0USER{n}"), range(10))
            )
    finally:
        for client in stalled:
            client.close()
    assert [answer.status for answer in answers] == [200] * 10
    assert all("/tourism help" in answer.text for answer in answers)


def app_answering(text: bytes, started: threading.Event | None = None, seconds: float = 0):
    def app(_environ, start_response):
        if started is not None:
            started.set()
        time.sleep(seconds)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [text]

    return app


def test_a_silent_client_is_disconnected_after_the_request_timeout():
    limits = WebServerSettings(threads=2, max_connections=50, request_timeout=1)
    server = HttpServer(app_answering(b"ok"), "127.0.0.1", 0, limits)
    server.start_in_background()
    try:
        client = half_sent_request(server.url)
        client.settimeout(15)
        try:
            assert client.recv(1024) == b""  # closed by the server, not by our timeout
        except ConnectionResetError:
            pass
        finally:
            client.close()
    finally:
        server.stop()


def test_stopping_answers_the_request_in_progress_then_refuses_new_ones():
    started = threading.Event()
    server = HttpServer(app_answering(b"done", started, seconds=1), "127.0.0.1", 0)
    stopping = threading.Event()
    serving = threading.Thread(target=server.serve_until, args=(stopping, 10))
    serving.start()
    with ThreadPoolExecutor(max_workers=1) as pool:
        answer = pool.submit(lambda: urllib.request.urlopen(server.url, timeout=10).read())
        assert started.wait(10)
        stopping.set()
        assert answer.result() == b"done"
    serving.join(timeout=15)
    assert not serving.is_alive()
    with pytest.raises(OSError):
        urllib.request.urlopen(server.url, timeout=5)


def test_a_busy_port_is_reported_as_such():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortInUseError) as busy:
            HttpServer(app_answering(b"ok"), "127.0.0.1", port)
    assert busy.value.port == port
