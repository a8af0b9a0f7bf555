import time
from http.client import RemoteDisconnected

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.state import RetryState

from infra.fake_slack import FakeSlack
from infra.settings import load_settings
from infra.slack_client import IdempotentConnectionErrorRetryHandler, build_web_client
from tests.conftest import settings_env


@pytest.fixture
def client(fake_slack: FakeSlack):
    return build_web_client(load_settings(settings_env(SLACK_API_URL=fake_slack.base_url)))


def test_client_waits_for_retry_after_then_retries(client, fake_slack: FakeSlack):
    fake_slack.inject("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    response = client.chat_postMessage(channel="D0ALICE", text="hello")
    assert response["ok"]
    first, second = fake_slack.calls("chat.postMessage")
    assert second.at - first.at >= 1.0
    assert time.monotonic() - started >= 1.0


def test_client_retries_server_errors(client, fake_slack: FakeSlack):
    fake_slack.inject("users.info", status=503)
    fake_slack.add_user("U0ALICE", tz="Europe/Warsaw")
    assert client.users_info(user="U0ALICE")["user"]["tz"] == "Europe/Warsaw"
    assert len(fake_slack.calls("users.info")) == 2


def test_client_gives_up_on_slack_errors_without_retrying(client, fake_slack: FakeSlack):
    fake_slack.inject("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0GONE", text="hello")
    assert raised.value.response["error"] == "channel_not_found"
    assert len(fake_slack.calls("chat.postMessage")) == 1


def test_client_uses_the_bot_token(client, fake_slack: FakeSlack):
    client.auth_test()
    assert fake_slack.last("auth.test").token == "xoxb-1234-5678-testtoken"


@pytest.mark.parametrize("status", [500, 503])
def test_client_never_resends_a_message_slack_may_have_posted(client, fake_slack, status):
    fake_slack.inject("chat.postMessage", status=status, effect_then_error=True)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="D0ALICE", text="hello")
    assert len(fake_slack.calls("chat.postMessage")) == 1
    assert [m["text"] for m in fake_slack.messages("D0ALICE")] == ["hello"]


def test_client_never_resends_an_ephemeral_message(client, fake_slack: FakeSlack):
    fake_slack.inject("chat.postEphemeral", status=500, effect_then_error=True)
    with pytest.raises(SlackApiError):
        client.chat_postEphemeral(channel="C0CHANNEL", user="U0ALICE", text="hello")
    assert len(fake_slack.calls("chat.postEphemeral")) == 1


def test_client_resends_idempotent_calls_after_a_server_error(client, fake_slack: FakeSlack):
    fake_slack.inject("views.publish", status=500, effect_then_error=True)
    client.views_publish(user_id="U0ALICE", view={"type": "home", "blocks": []})
    assert len(fake_slack.calls("views.publish")) == 2


def test_client_does_not_resend_a_message_after_a_dropped_connection():
    handler = IdempotentConnectionErrorRetryHandler(max_retry_count=2)

    def can_retry(method: str) -> bool:
        request = HttpRequest(method="POST", url=f"https://slack.com/api/{method}", headers={})
        return handler.can_retry(state=RetryState(), request=request, error=RemoteDisconnected())

    assert not can_retry("chat.postMessage")
    assert can_retry("views.publish")
