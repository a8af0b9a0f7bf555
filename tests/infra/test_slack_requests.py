"""SlackRequests against a real Bolt app: signatures verify and payloads reach the listeners."""

import logging
import queue
import threading
import time
from collections.abc import Iterator
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from infra.fake_slack import FakeSlack
from infra.fake_slack.requests import (
    SlackRequests,
    checkboxes,
    date,
    filled_state,
    multi_static,
    plain,
    sign,
    static,
    user,
    users,
)

SIGNING_SECRET = "test-signing-secret"
SLACK_EXAMPLE_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    b"&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
    b"&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
    b"%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)


def test_sign_reproduces_slacks_published_example():
    signature = sign("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, SLACK_EXAMPLE_BODY)

    assert signature == "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        """One line per request would drown test output."""


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def seen() -> dict[str, queue.Queue]:
    """What each listener of the app received, by listener name."""
    return {
        name: queue.Queue()
        for name in ("command", "action", "submission", "closed", "shortcut", "home")
    }


@pytest.fixture(scope="module")
def app_url(fake, seen) -> Iterator[str]:
    logging.getLogger("slack_bolt").setLevel(logging.WARNING)
    app = App(
        signing_secret=SIGNING_SECRET,
        client=WebClient(token="xoxb-test", base_url=fake.base_url),
    )

    @app.command("/tourism")
    def command(ack, command, respond):
        seen["command"].put(command)
        ack(f"got {command['text']}")
        respond(f"later: {command['text']}")

    @app.action("approve")
    def action(ack, body, action):
        seen["action"].put((body, action))
        ack()

    @app.view("signup")
    def submission(ack, body, view):
        seen["submission"].put((body, view))
        ack(response_action="errors", errors={"when": "Pick a later date"})

    @app.view_closed("signup")
    def closed(ack, body):
        seen["closed"].put(body)
        ack()

    @app.shortcut("start_visit")
    def shortcut(ack, shortcut):
        seen["shortcut"].put(shortcut)
        ack()

    @app.event("app_home_opened")
    def home(event, request):
        seen["home"].put((event, request.headers.get("x-slack-retry-num")))

    server = make_server("127.0.0.1", 0, SlackRequestHandler(app), WSGIServer, QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def slack(app_url, fake) -> SlackRequests:
    fake.reset()
    return SlackRequests(app_url, SIGNING_SECRET, fake_slack=fake)


def test_slash_command_reaches_the_app_with_a_working_response_url(slack, seen, fake):
    answer = slack.slash_command("visit payments", user_id="U0ALICE")

    command = seen["command"].get(timeout=5)
    assert answer.status == 200
    assert answer.text == "got visit payments"
    assert (command["user_id"], command["command"], command["team_id"]) == (
        "U0ALICE",
        "/tourism",
        "T0TEST",
    )
    assert command["trigger_id"]
    assert fake.wait_for("response_url")[0].params["text"] == "later: visit payments"


def test_block_action_from_a_message_carries_user_value_and_response_url(slack, seen, fake):
    answer = slack.block_action(
        user_id="U0ALICE", action_id="approve", value="visit-7", channel_id="C0VISITS"
    )

    body, action = seen["action"].get(timeout=5)
    assert answer.status == 200
    assert action["value"] == "visit-7"
    assert body["user"] == {
        "id": "U0ALICE",
        "username": "u0alice",
        "name": "u0alice",
        "team_id": "T0TEST",
    }
    assert body["container"]["channel_id"] == "C0VISITS"
    assert body["response_url"].startswith(fake.url)
    assert body["trigger_id"]


def test_block_action_in_a_modal_has_no_response_url(slack, seen):
    slack.block_action(
        user_id="U0ALICE",
        action_id="approve",
        view={"id": "V9", "type": "modal"},
        selected_option="a",
    )

    body, action = seen["action"].get(timeout=5)
    assert body["container"] == {"type": "view", "view_id": "V9"}
    assert action["selected_option"]["value"] == "a"
    assert "response_url" not in body


def test_view_submission_delivers_state_values_and_returns_the_ack(slack, seen):
    values = {
        "topic": {"text": plain("Payments")},
        "when": {"day": date("2025-03-03")},
        "team": {"pick": static("payments")},
        "skills": {"pick": multi_static(["go", "sql"])},
        "hosts": {"pick": users(["U0BOB"])},
        "mentor": {"pick": user("U0CAROL")},
        "remote": {"pick": checkboxes(["yes"])},
    }

    answer = slack.view_submission(
        user_id="U0ALICE", callback_id="signup", values=values, private_metadata="visit-7"
    )

    body, view = seen["submission"].get(timeout=5)
    assert answer.json() == {"response_action": "errors", "errors": {"when": "Pick a later date"}}
    assert body["user"]["id"] == "U0ALICE"
    assert view["private_metadata"] == "visit-7"
    state = view["state"]["values"]
    assert state["topic"]["text"]["value"] == "Payments"
    assert state["when"]["day"]["selected_date"] == "2025-03-03"
    assert state["team"]["pick"]["selected_option"]["value"] == "payments"
    assert [o["value"] for o in state["skills"]["pick"]["selected_options"]] == ["go", "sql"]
    assert state["hosts"]["pick"]["selected_users"] == ["U0BOB"]
    assert state["mentor"]["pick"]["selected_user"] == "U0CAROL"


def test_view_closed_and_shortcut_reach_their_listeners(slack, seen):
    slack.view_closed(user_id="U0ALICE", callback_id="signup")
    slack.shortcut("start_visit", user_id="U0ALICE")

    assert seen["closed"].get(timeout=5)["user"]["id"] == "U0ALICE"
    assert seen["shortcut"].get(timeout=5)["trigger_id"]


def test_event_and_its_redelivery_reach_the_listener(slack, seen):
    event = {"type": "app_home_opened", "user": "U0ALICE", "channel": "DU0ALICE", "tab": "home"}

    first = slack.event(event, event_id="Ev0001")
    again = slack.event(event, event_id="Ev0001", retry_num=1)

    assert (first.status, again.status) == (200, 200)
    deliveries = [seen["home"].get(timeout=5) for _ in range(2)]
    assert [(event["user"], retry) for event, retry in deliveries] == [
        ("U0ALICE", None),
        ("U0ALICE", ["1"]),
    ]


def test_url_verification_is_answered_with_the_challenge(slack):
    assert slack.url_verification("3eZbrw1aBm").json() == {"challenge": "3eZbrw1aBm"}


def test_stale_signature_is_rejected(slack, seen):
    answer = slack.slash_command("visit", user_id="U0ALICE", timestamp=int(time.time()) - 600)

    assert answer.status == 401
    assert seen["command"].empty()


def test_raw_sends_unsigned_bodies_as_given(slack):
    body = b"command=%2Ftourism&text=visit"

    unsigned = slack.raw(body, {"Content-Type": "application/x-www-form-urlencoded"})
    tampered = slack.raw(body + b"x", slack.signed_headers(body))

    assert (unsigned.status, tampered.status) == (401, 401)


# --- filled_state: a modal filled in as a person would ------------------------------------------

FORM_VIEW = {
    "type": "modal",
    "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Tell us more"}},
        {
            "type": "input",
            "block_id": "title",
            "label": {"type": "plain_text", "text": "Title"},
            "element": {"type": "plain_text_input", "action_id": "title", "initial_value": "Old"},
        },
        {
            "type": "input",
            "block_id": "team",
            "label": {"type": "plain_text", "text": "Team"},
            "element": {
                "type": "static_select",
                "action_id": "team",
                "options": [
                    {"text": {"type": "plain_text", "text": "Hermes"}, "value": "7"},
                    {"text": {"type": "plain_text", "text": "SEO"}, "value": "9"},
                ],
            },
        },
        {
            "type": "input",
            "block_id": "start",
            "label": {"type": "plain_text", "text": "Start"},
            "element": {"type": "datepicker", "action_id": "start", "initial_date": "2027-01-11"},
        },
    ],
}


def test_a_filled_form_keeps_what_the_modal_offered_unless_answered():
    values = filled_state(FORM_VIEW, {"team": "SEO"})
    assert values["title"]["title"] == plain("Old")
    assert values["start"]["start"] == date("2027-01-11")
    assert values["team"]["team"]["selected_option"]["value"] == "9"
    assert filled_state(FORM_VIEW, {"team": "7"})["team"]["team"]["selected_option"]["value"] == "7"


def test_a_field_or_a_choice_the_modal_lacks_is_refused():
    with pytest.raises(ValueError, match="no field"):
        filled_state(FORM_VIEW, {"colour": "red"})
    with pytest.raises(ValueError, match="offers no"):
        filled_state(FORM_VIEW, {"team": "Payments"})
