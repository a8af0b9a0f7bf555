"""FakeSlack driven by the real slack_sdk clients, over HTTP."""

import json
import re
import urllib.request
from decimal import Decimal

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from infra.fake_slack import FakeSlack
from tests.support import fixtures

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "Visit *Payments*"}}]
VISIT_METADATA = {"event_type": "visit_offered", "event_payload": {"visit_id": 7}}

fake_slack = fixtures.fake_slack  # the fixture the lead's conftest exposes, tested here too


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(base_url=fake_slack.base_url, token="xoxb-test")


def test_records_post_message_with_blocks_metadata_and_token(fake_slack, client):
    answer = client.chat_postMessage(
        channel="U0ALICE", text="Visit Payments", blocks=BLOCKS, metadata=VISIT_METADATA
    )

    call = fake_slack.last("chat.postMessage")
    assert call.params == {
        "channel": "U0ALICE",
        "text": "Visit Payments",
        "blocks": BLOCKS,
        "metadata": VISIT_METADATA,
    }
    assert call.token == "xoxb-test"
    assert answer["channel"] == "DU0ALICE"
    assert re.fullmatch(r"\d{10}\.\d{6}", answer["ts"])
    assert answer["message"]["blocks"] == BLOCKS
    assert answer["message"]["metadata"] == VISIT_METADATA


def test_message_timestamps_strictly_increase(client):
    stamps = [client.chat_postMessage(channel="U0ALICE", text=str(n))["ts"] for n in range(20)]

    assert stamps == sorted(set(stamps), key=Decimal)


def test_json_strings_in_form_bodies_are_decoded(fake_slack, client):
    client.api_call(
        "chat.postMessage",
        params={
            "channel": "U0ALICE",
            "blocks": json.dumps(BLOCKS),
            "metadata": json.dumps(VISIT_METADATA),
        },
    )

    params = fake_slack.last("chat.postMessage").params
    assert params["blocks"] == BLOCKS
    assert params["metadata"] == VISIT_METADATA


def test_get_with_query_string_and_bearer_token_is_recorded(fake_slack):
    fake_slack.add_user("U0ALICE", real_name="Alice Nowak")
    request = urllib.request.Request(
        fake_slack.base_url + "users.info?user=U0ALICE",
        headers={"Authorization": "Bearer xoxb-test"},
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        body = json.load(answer)

    assert body["user"]["real_name"] == "Alice Nowak"
    assert fake_slack.last("users.info").params == {"user": "U0ALICE"}
    assert fake_slack.last("users.info").token == "xoxb-test"


def test_calls_without_token_are_not_authed(fake_slack):
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=fake_slack.base_url).auth_test()

    assert raised.value.response["error"] == "not_authed"


def test_auth_test_describes_the_bot(fake_slack, client):
    answer = client.auth_test()

    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == ("T0TEST", "U0BOT", "B0BOT")


def test_views_open_and_update_answer_with_the_stored_view(fake_slack, client):
    view = {
        "type": "modal",
        "callback_id": "signup",
        "title": {"type": "plain_text", "text": "Visit"},
        "blocks": BLOCKS,
    }

    opened = client.views_open(trigger_id="1.2.abc", view=view)["view"]
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=view)["view"]

    assert fake_slack.last("views.open").params == {"trigger_id": "1.2.abc", "view": view}
    assert opened["id"].startswith("V")
    assert opened["callback_id"] == "signup"
    assert updated["id"] == opened["id"]
    assert updated["hash"] != opened["hash"]
    with pytest.raises(SlackApiError, match="hash_conflict"):
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=view)


def test_users_info_and_conversations_open_follow_the_user_registry(fake_slack, client):
    fake_slack.add_user("U0ALICE", name="alice", tz="America/New_York")
    fake_slack.add_user("U0GONE", deleted=True)

    alice = client.users_info(user="U0ALICE")["user"]

    assert (alice["name"], alice["tz"], alice["deleted"]) == ("alice", "America/New_York", False)
    assert fake_slack.last("users.info").params == {"user": "U0ALICE"}
    assert client.conversations_open(users=["U0ALICE"])["channel"]["id"] == "DU0ALICE"
    with pytest.raises(SlackApiError, match="user_not_found"):
        client.users_info(user="U0NOBODY")
    with pytest.raises(SlackApiError, match="user_disabled"):
        client.conversations_open(users=["U0GONE"])


@pytest.mark.parametrize(
    ("registration", "error"),
    [
        ({"is_member": False}, "not_in_channel"),
        ({"is_archived": True}, "is_archived"),
        (None, "channel_not_found"),
    ],
)
def test_post_message_to_an_unusable_channel_fails_like_slack(
    fake_slack, client, registration, error
):
    if registration is not None:
        fake_slack.add_channel("C0VISITS", "visits", **registration)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0VISITS", text="hello")

    assert raised.value.response["error"] == error
    assert fake_slack.messages("C0VISITS") == []


def test_rate_limited_call_is_retried_after_retry_after(fake_slack):
    fake_slack.inject("chat.postMessage", status=429, retry_after=1)
    client = WebClient(
        base_url=fake_slack.base_url,
        token="xoxb-test",
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )

    client.chat_postMessage(channel="U0ALICE", text="hello")

    first, second = fake_slack.calls("chat.postMessage")
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 1.0
    assert len(fake_slack.messages("U0ALICE")) == 1


def test_injected_429_carries_retry_after(fake_slack, client):
    fake_slack.inject("views.open", retry_after=3)

    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id="1.2.abc", view={"type": "modal", "blocks": []})

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "3"
    assert raised.value.response["error"] == "ratelimited"


def test_rate_limit_answers_429_beyond_the_allowed_rate(fake_slack, client):
    fake_slack.rate_limit("chat.postMessage", per_second=2)
    client.chat_postMessage(channel="U0ALICE", text="1")
    client.chat_postMessage(channel="U0ALICE", text="2")

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U0ALICE", text="3")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "1"
    assert len(fake_slack.messages("U0ALICE")) == 2


def test_limited_like_slack_posts_once_a_second_per_conversation_with_a_short_burst(
    fake_slack, client
):
    fake_slack.limit_like_slack()  # the workspace allows 300 a minute, bursts of 10
    client.chat_postMessage(channel="U0ALICE", text="1")
    client.chat_postMessage(channel="DU0ALICE", text="a burst of 2 in one conversation")
    with pytest.raises(SlackApiError) as same_conversation:
        client.chat_postMessage(channel="U0ALICE", text="3")  # the same DM, within the second
    for n in range(5):
        client.chat_postMessage(channel=f"U0PERSON{n}", text="others are not held up")

    assert same_conversation.value.response.status_code == 429
    assert len(fake_slack.messages("U0ALICE")) == 2
    assert [call.status for call in fake_slack.calls()].count(429) == 1


def test_a_dm_with_a_deactivated_person_is_refused_but_conversations_open_says_why(
    fake_slack, client
):
    fake_slack.add_user("U0GONE", deleted=True)
    with pytest.raises(SlackApiError) as posting:
        client.chat_postMessage(channel="U0GONE", text="hello")
    with pytest.raises(SlackApiError) as opening:
        client.conversations_open(users="U0GONE")

    assert posting.value.response["error"] == "channel_not_found"
    assert opening.value.response["error"] == "user_disabled"


def test_injected_error_surfaces_as_slack_api_error_once(fake_slack, client):
    fake_slack.inject("chat.postMessage", error="account_inactive")

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U0ALICE", text="hello")
    client.chat_postMessage(channel="U0ALICE", text="again")

    assert raised.value.response["error"] == "account_inactive"
    assert [m["text"] for m in fake_slack.messages("U0ALICE")] == ["again"]


def test_server_error_without_effect_posts_nothing(fake_slack, client):
    fake_slack.inject("chat.postMessage", status=503)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U0ALICE", text="hello")

    assert raised.value.response.status_code == 503
    assert fake_slack.messages("U0ALICE") == []


def test_effect_then_error_posts_the_message_and_answers_500(fake_slack, client):
    fake_slack.inject("chat.postMessage", effect_then_error=True)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U0ALICE", text="hello", metadata=VISIT_METADATA)

    assert raised.value.response.status_code == 500
    assert [m["metadata"] for m in fake_slack.messages("U0ALICE")] == [VISIT_METADATA]


def test_delay_makes_the_client_time_out_while_the_message_is_posted(fake_slack):
    fake_slack.inject("chat.postMessage", delay=0.5)
    impatient = WebClient(base_url=fake_slack.base_url, token="xoxb-test", timeout=0.1)

    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="U0ALICE", text="hello")

    assert len(fake_slack.messages("U0ALICE")) == 1


def test_history_finds_a_posted_message_by_its_metadata(fake_slack, client):
    fake_slack.add_channel("C0VISITS", "visits")
    client.chat_postMessage(channel="C0VISITS", text="other")
    posted = client.chat_postMessage(channel="C0VISITS", text="offer", metadata=VISIT_METADATA)
    client.chat_postMessage(channel="C0VISITS", text="later")

    history = client.conversations_history(channel="C0VISITS", include_all_metadata=True)
    plain_history = client.conversations_history(channel="C0VISITS")

    found = [m for m in history["messages"] if m.get("metadata") == VISIT_METADATA]
    assert [m["ts"] for m in found] == [posted["ts"]]
    assert [m["text"] for m in history["messages"]] == ["later", "offer", "other"]
    assert all("metadata" not in m for m in plain_history["messages"])


def test_history_honours_oldest_and_limit(client):
    stamps = [client.chat_postMessage(channel="U0ALICE", text=str(n))["ts"] for n in range(4)]

    page = client.conversations_history(channel="DU0ALICE", oldest=stamps[0], limit=2)

    assert [m["ts"] for m in page["messages"]] == [stamps[3], stamps[2]]
    assert page["has_more"] is True


def test_update_and_delete_change_the_stored_message(fake_slack, client):
    posted = client.chat_postMessage(channel="U0ALICE", text="draft")

    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="final")
    assert [m["text"] for m in fake_slack.messages("U0ALICE")] == ["final"]
    client.chat_delete(channel=posted["channel"], ts=posted["ts"])
    assert fake_slack.messages("U0ALICE") == []


def test_response_url_posts_are_recorded(fake_slack):
    url = fake_slack.new_response_url()

    WebhookClient(url).send(text="Your visit is booked", replace_original=True)

    call = fake_slack.last("response_url")
    assert url == fake_slack.url + call.path
    assert call.path.startswith("/response/")
    assert call.params == {"text": "Your visit is booked", "replace_original": True}


def test_unmodelled_method_answers_ok_and_is_recorded(fake_slack, client):
    answer = client.reactions_add(channel="C0VISITS", name="tada", timestamp="1.2")

    assert answer.data == {"ok": True}
    assert fake_slack.last("reactions.add").params["name"] == "tada"


def test_wait_for_lists_the_calls_seen_when_it_gives_up(fake_slack, client):
    client.auth_test()

    with pytest.raises(AssertionError, match=r"chat\.postMessage.*auth\.test\(200\)"):
        fake_slack.wait_for("chat.postMessage", timeout=0.05)


def test_reset_forgets_calls(fake_slack, client):
    client.auth_test()

    fake_slack.reset()

    assert fake_slack.calls() == []


DUPLICATE_ACTIONS = [
    {
        "type": "actions",
        "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": t}, "action_id": "same"}
            for t in ("One", "Two")
        ],
    }
]
LONG_TITLE_MODAL = {
    "type": "modal",
    "title": {"type": "plain_text", "text": "A title longer than Slack allows"},
    "blocks": BLOCKS,
}


@pytest.mark.slack_refuses
def test_every_message_method_refuses_invalid_blocks_like_slack(fake_slack, client):
    posted = client.chat_postMessage(channel="U0ALICE", text="draft")
    attempts = {
        "chat.postMessage": lambda: client.chat_postMessage(
            channel="U0ALICE", text="x", blocks=DUPLICATE_ACTIONS
        ),
        "chat.update": lambda: client.chat_update(
            channel=posted["channel"], ts=posted["ts"], text="x", blocks=DUPLICATE_ACTIONS
        ),
        "chat.postEphemeral": lambda: client.chat_postEphemeral(
            channel="U0ALICE", user="U0ALICE", text="x", blocks=DUPLICATE_ACTIONS
        ),
    }
    for method, attempt in attempts.items():
        with pytest.raises(SlackApiError) as raised:
            attempt()
        answer = raised.value.response
        assert (answer.status_code, answer["error"]) == (200, "invalid_blocks"), method
        assert "action_ids must be unique within a block" in str(
            answer["response_metadata"]["messages"]
        )
    assert [m["text"] for m in fake_slack.messages("U0ALICE")] == ["draft"]
    assert [method for method, _ in fake_slack.refusals()] == list(attempts)


@pytest.mark.slack_refuses
def test_a_response_url_post_with_invalid_blocks_is_refused_with_http_200(fake_slack):
    answer = WebhookClient(fake_slack.new_response_url()).send(text="x", blocks=DUPLICATE_ACTIONS)

    assert answer.status_code == 200
    assert json.loads(answer.body)["error"] == "invalid_blocks"


@pytest.mark.slack_refuses
def test_every_view_method_refuses_an_invalid_view_like_slack(fake_slack, client):
    attempts = [
        lambda: client.views_open(trigger_id="1.2.abc", view=LONG_TITLE_MODAL),
        lambda: client.views_push(trigger_id="1.2.abc", view=LONG_TITLE_MODAL),
        lambda: client.views_update(view_id="V1", view=LONG_TITLE_MODAL),
        lambda: client.views_publish(user_id="U0ALICE", view={"type": "home"}),
    ]
    for attempt in attempts:
        with pytest.raises(SlackApiError) as raised:
            attempt()
        assert raised.value.response.status_code == 200
        assert raised.value.response["error"] == "invalid_arguments"
        assert raised.value.response["response_metadata"]["messages"]


def test_socket_mode_connections_take_only_app_level_tokens(fake_slack, client):
    with pytest.raises(SlackApiError) as refused:
        client.apps_connections_open(app_token="xoxb-test")
    assert refused.value.response["error"] == "not_allowed_token_type"
    app_level = WebClient(base_url=fake_slack.base_url, token="xapp-1-A1-test")
    with pytest.raises(SlackApiError) as refused:
        app_level.chat_postMessage(channel="U0ALICE", text="hi")
    assert refused.value.response["error"] == "not_allowed_token_type"
    assert app_level.apps_connections_open(app_token="xapp-1-A1-test")["ok"]


PNG = b"\x89PNG\r\n\x1a\n" + b"chart" * 10


def test_files_upload_v2_shares_the_bytes_in_the_channel(fake_slack, client):
    answer = client.files_upload_v2(
        content=PNG, filename="chart.png", title="Visits", channel="DU0ALICE", alt_txt="bars"
    )

    [shared] = fake_slack.shared_files()
    assert shared["content"] == PNG and shared["title"] == "Visits"
    assert shared["channels"] == ["DU0ALICE"] and shared["alt_txt"] == "bars"
    assert answer["file"]["id"] == shared["id"]
    assert [call.method for call in fake_slack.calls()] == [
        "files.getUploadURLExternal",
        "upload_url",
        "files.completeUploadExternal",
    ]


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"filename": "a.png"}, "invalid_arguments"),
        ({"length": 3}, "invalid_arguments"),
        ({"filename": "a.png", "length": 0}, "missing_argument"),
        ({"filename": "a.png", "length": 3, "alt_txt": "x" * 1001}, "alt_txt_too_large"),
    ],
)
def test_get_upload_url_refuses_what_slack_refuses(client, params, error):
    with pytest.raises(SlackApiError) as refused:
        client.api_call("files.getUploadURLExternal", params=params)
    assert refused.value.response["error"] == error


def test_complete_upload_needs_uploaded_files_and_a_channel_the_bot_may_post_in(fake_slack, client):
    fake_slack.add_channel("C0OLD", name="old", is_archived=True)
    started = client.files_getUploadURLExternal(filename="a.png", length=len(PNG))
    file = json.dumps([{"id": started["file_id"]}])
    for params, error in (
        ({}, "invalid_arguments"),
        ({"files": "[]"}, "invalid_arguments"),
        ({"files": json.dumps([{"id": "F0NOPE"}])}, "file_not_found"),
        ({"files": file}, "file_not_found"),  # nothing uploaded to its URL yet
    ):
        with pytest.raises(SlackApiError) as refused:
            client.api_call("files.completeUploadExternal", params=params)
        assert refused.value.response["error"] == error
    request = urllib.request.Request(started["upload_url"], data=PNG, method="POST")
    assert urllib.request.urlopen(request).status == 200
    with pytest.raises(SlackApiError) as refused:
        client.files_completeUploadExternal(files=[{"id": started["file_id"]}], channel_id="C0OLD")
    assert refused.value.response["error"] == "is_archived"
    client.files_completeUploadExternal(files=[{"id": started["file_id"]}], channel_id="DU0ALICE")
    with pytest.raises(urllib.error.HTTPError):  # an upload URL serves one file, once
        urllib.request.urlopen(urllib.request.Request(started["upload_url"], data=PNG))


def test_files_need_the_files_write_scope(fake_slack, client):
    fake_slack.granted_scopes.remove("files:write")
    with pytest.raises(SlackApiError) as refused:
        client.files_getUploadURLExternal(filename="a.png", length=3)
    assert refused.value.response["error"] == "missing_scope"
