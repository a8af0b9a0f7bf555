"""Many workspaces: installed through Slack's OAuth flow (the fake Slack's oauth.v2.access) over
real HTTP, each served with its own token, settings and data, an org-wide Enterprise Grid
install serving its workspaces, and an uninstall stopping that workspace's deliveries."""

from __future__ import annotations

import http.client
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from app import TourismApp, create_app
from bot.core.clock import FixedClock
from bot.home.views import PROFILE_EDIT
from bot.scheduling.planning import Kind, PlannedMessage
from infra.fake_slack import FakeSlack
from infra.fake_slack.requests import SlackRequests
from infra.http import HttpServer, slack_wsgi_app
from infra.oauth import REDIRECT_URI_PATH
from infra.scheduler import Ticker, start_ticker
from infra.settings import SettingsError, load_settings
from tests.conftest import SIGNING_SECRET, make_settings, settings_env
from tests.support.seed import seed_team

NOW = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
STATE_SECRET = "a-long-random-state-secret"


@dataclass
class ManyBot:
    url: str
    slack: FakeSlack
    tourism: TourismApp

    def requests(self, team_id: str, **grid: object) -> SlackRequests:
        return SlackRequests(self.url, SIGNING_SECRET, team_id=team_id, **grid)  # type: ignore[arg-type]

    def get(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        url = urlsplit(self.url)
        connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response

    def install(self, team_id: str | None, *, installer: str, enterprise_id: str | None = None):
        """A person's browser through /slack/install, Slack's consent and the redirect."""
        page = self.get("/slack/install")
        assert page.status == 200
        cookie = page.getheader("Set-Cookie", "").split(";", 1)[0]
        state = cookie.split("=", 1)[1]
        code = self.slack.grant(team_id=team_id, enterprise_id=enterprise_id, installer=installer)
        query = urlencode({"code": code, "state": state})
        return self.get(f"{REDIRECT_URI_PATH}?{query}", {"Cookie": cookie})

    def token_of(self, team_id: str | None, enterprise_id: str | None = None) -> str:
        bot = self.tourism.workspaces.installations.find_bot(  # type: ignore[union-attr]
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=team_id is None
        )
        assert bot is not None and bot.bot_token
        return bot.bot_token


@pytest.fixture
def many(database_url: str, fake_slack: FakeSlack) -> Iterator[ManyBot]:
    env = settings_env(
        DATABASE_URL=database_url,
        SLACK_API_URL=fake_slack.base_url,
        SLACK_CLIENT_ID=fake_slack.client_id,
        SLACK_CLIENT_SECRET=fake_slack.client_secret,
        SLACK_STATE_SECRET=STATE_SECRET,
        TOURISM_ADMINS="",
    )
    del env["SLACK_BOT_TOKEN"]
    tourism = create_app(make_settings(env), FixedClock(NOW))
    server = HttpServer(slack_wsgi_app(tourism.bolt, SIGNING_SECRET), "127.0.0.1", 0)
    server.start_in_background()
    try:
        yield ManyBot(server.url, fake_slack, tourism)
    finally:
        server.stop()
        tourism.close()


def answer_text(response) -> str:
    return response.text if not response.text.startswith("{") else str(response.json())


def deliver(many: ManyBot) -> Ticker:
    settings = many.tourism.deps.settings
    workspaces = many.tourism.workspaces
    assert workspaces is not None
    return start_ticker(settings, many.tourism.deps, "", workspaces=workspaces.active)


def plan_message(many: ManyBot, workspace_id: str, recipient: str, key: str) -> None:
    with many.tourism.deps.uow() as uow:
        uow.outbox.upsert(
            workspace_id,
            [PlannedMessage(key, Kind.DIGEST, recipient, NOW, "digest", DIGEST)],
        )
        uow.commit()


DIGEST = {"week_of": "2026-03-02", "openings": []}


# --- the install ----------------------------------------------------------------------------


def test_install_goes_through_slacks_oauth_flow_and_stores_the_installation(many: ManyBot):
    page = many.get("/slack/install")
    assert page.status == 200
    assert page.getheader("Set-Cookie", "").startswith("slack-app-oauth-state=")

    answer = many.install("T1", installer="U1INSTALLER")

    assert answer.status == 200
    [exchange] = many.slack.calls("oauth.v2.access")
    assert exchange.response and exchange.response["ok"]
    assert many.token_of("T1").startswith("xoxb-T1-")
    with many.tourism.deps.reader() as reader:
        workspace = reader.workspaces.installed("T1")
    assert workspace.organiser_ids == {"U1INSTALLER"}  # the installer organises it


def test_a_redirect_with_a_state_the_bot_did_not_sign_is_refused(many: ManyBot):
    page = many.get("/slack/install")
    cookie = page.getheader("Set-Cookie", "").split(";", 1)[0]
    issued = cookie.split("=", 1)[1]
    unsigned = issued.rsplit(".", 1)[0]  # the database's state, without its signature
    forged = f"slack-app-oauth-state={unsigned}"
    code = many.slack.grant(team_id="T1")
    query = urlencode({"code": code, "state": unsigned})
    assert many.get(f"{REDIRECT_URI_PATH}?{query}", {"Cookie": forged}).status == 401
    assert many.slack.calls("oauth.v2.access") == []
    # The real one still works, once.
    query = urlencode({"code": code, "state": issued})
    assert many.get(f"{REDIRECT_URI_PATH}?{query}", {"Cookie": cookie}).status == 200
    assert many.get(f"{REDIRECT_URI_PATH}?{query}", {"Cookie": cookie}).status == 401


def test_a_workspace_that_never_installed_is_not_served(many: ManyBot):
    many.install("T1", installer="U1INSTALLER")
    answer = many.requests("T9").slash_command("help", user_id="U9PERSON")
    assert "U1INSTALLER" not in answer.text
    with many.tourism.deps.reader() as reader:
        assert reader.workspaces.installed("T9") is None
    assert {call.token for call in many.slack.calls("auth.test")} == {many.token_of("T1")}


# --- two workspaces side by side ------------------------------------------------------------


def test_two_workspaces_keep_their_own_organisers_data_and_tokens(many: ManyBot):
    many.install("T1", installer="U1ORG")
    many.install("T2", installer="U2ORG")
    with many.tourism.deps.uow() as uow:
        seed_team(uow, "Search", workspace_id="T1")
        uow.commit()
    one, two = many.requests("T1"), many.requests("T2")

    assert "Search" in answer_text(one.slash_command("team list", user_id="U1ORG"))
    assert "Search" not in answer_text(two.slash_command("team list", user_id="U2ORG"))
    # T1's organiser is nobody in T2, whose own organiser is named instead.
    refused = answer_text(two.slash_command("team list", user_id="U1ORG"))
    assert "Only organisers can" in refused and "<@U2ORG>" in refused

    for requests, user_id in ((one, "U1PERSON"), (two, "U2PERSON")):
        requests.event({"type": "app_home_opened", "user": user_id, "channel": "D0", "tab": "home"})
        requests.block_action(user_id=user_id, action_id=PROFILE_EDIT)
    publishes = many.slack.wait_for("views.publish", count=2)
    opened = many.slack.wait_for("views.open", count=2)
    by_user = {call.params["user_id"]: call.token for call in publishes}
    assert by_user == {"U1PERSON": many.token_of("T1"), "U2PERSON": many.token_of("T2")}
    tokens = {call.token for call in opened}
    assert tokens == {many.token_of("T1"), many.token_of("T2")}
    # Help names each workspace's own organiser.
    assert "U2ORG" not in answer_text(one.slash_command("help", user_id="U1PERSON"))
    assert "U2ORG" in answer_text(two.slash_command("help", user_id="U2PERSON"))


def test_each_workspace_scheduled_messages_go_out_with_its_own_token(many: ManyBot):
    many.install("T1", installer="U1ORG")
    many.install("T2", installer="U2ORG")
    many.slack.add_channel("C1DIGEST", "tourism-one", is_member=True)
    many.slack.add_channel("C2DIGEST", "tourism-two", is_member=True)
    plan_message(many, "T1", "C1DIGEST", "test:T1")
    plan_message(many, "T2", "C2DIGEST", "test:T2")
    ticker = deliver(many)
    try:
        posts = many.slack.wait_for("chat.postMessage", count=2, timeout=10)
    finally:
        ticker.stop()
    sent = {call.params["channel"]: call.token for call in posts}
    assert sent == {"C1DIGEST": many.token_of("T1"), "C2DIGEST": many.token_of("T2")}


# --- Enterprise Grid ------------------------------------------------------------------------


def test_an_org_wide_install_serves_each_workspace_of_the_organisation_apart(many: ManyBot):
    assert many.install(None, enterprise_id="E1", installer="W1ADMIN").status == 200
    org_token = many.token_of(None, "E1")
    a = many.requests("T1A", enterprise_id="E1", enterprise_install=True)
    b = many.requests("T1B", enterprise_id="E1", enterprise_install=True)
    # Each workspace is registered as its people first use the bot.
    assert "W1ADMIN" in answer_text(a.slash_command("help", user_id="W1PERSON"))
    with many.tourism.deps.uow() as uow:
        seed_team(uow, "Search", workspace_id="T1A")
        uow.commit()

    # The installer organises each workspace; each sees its own directory only.
    assert "Search" in answer_text(a.slash_command("team list", user_id="W1ADMIN"))
    assert "Search" not in answer_text(b.slash_command("team list", user_id="W1ADMIN"))
    b.event({"type": "app_home_opened", "user": "W2PERSON", "channel": "D0", "tab": "home"})
    [publish] = many.slack.wait_for("views.publish")
    assert publish.token == org_token
    with many.tourism.deps.reader() as reader:
        assert {workspace.id for workspace in reader.workspaces.active()} == {"T1A", "T1B"}
    assert {scope.workspace_id for scope in many.tourism.workspaces.active()} == {"T1A", "T1B"}


def test_a_payload_naming_another_organisation_on_an_org_wide_install_is_refused(many: ManyBot):
    many.install(None, enterprise_id="E1", installer="W1ADMIN")
    forged = many.requests("T1A", enterprise_id="E1", enterprise_install=True)
    payload_user = forged._user  # the person is said to belong to another organisation

    def elsewhere(user_id: str) -> dict[str, str]:
        return {**payload_user(user_id), "enterprise_id": "E2"}

    forged._user = elsewhere  # type: ignore[method-assign]
    forged.block_action(user_id="W1ADMIN", action_id=PROFILE_EDIT)
    sibling = many.requests("T1B", enterprise_id="E1", enterprise_install=True)
    sibling.block_action(user_id="W1ADMIN", action_id=PROFILE_EDIT)
    [opened] = many.slack.wait_for("views.open")
    time.sleep(0.3)
    assert len(many.slack.calls("views.open")) == 1  # the sibling's, not the forged one
    assert opened.token == many.token_of(None, "E1")


# --- uninstall ------------------------------------------------------------------------------


@pytest.mark.parametrize("event", ["app_uninstalled", "tokens_revoked"])
def test_uninstalling_stops_that_workspaces_deliveries_and_no_other(many: ManyBot, event: str):
    many.install("T1", installer="U1ORG")
    many.install("T2", installer="U2ORG")
    many.slack.add_channel("C1DIGEST", "tourism-one", is_member=True)
    many.slack.add_channel("C2DIGEST", "tourism-two", is_member=True)
    bot_user = many.tourism.workspaces.installations.find_bot(  # type: ignore[union-attr]
        enterprise_id=None, team_id="T1"
    )
    assert bot_user is not None
    body = {"type": event}
    if event == "tokens_revoked":
        body["tokens"] = {"oauth": [], "bot": [bot_user.bot_user_id]}
    many.requests("T1").event(body)
    deadline = time.monotonic() + 5
    while "T1" in active_ids(many) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert active_ids(many) == {"T2"}

    plan_message(many, "T1", "C1DIGEST", "test:T1")
    plan_message(many, "T2", "C2DIGEST", "test:T2")
    ticker = deliver(many)
    try:
        many.slack.wait_for("chat.postMessage", timeout=10)
        time.sleep(1.5)  # another tick or so
    finally:
        ticker.stop()
    assert [call.params["channel"] for call in many.slack.calls("chat.postMessage")] == ["C2DIGEST"]

    # Installing again brings it back.
    many.install("T1", installer="U1OTHER")
    assert active_ids(many) == {"T1", "T2"}


def test_removing_an_org_wide_install_stops_every_workspace_it_served(many: ManyBot):
    many.install("T2", installer="U2ORG")  # installed on its own: not the organisation's
    many.install(None, enterprise_id="E1", installer="W1ADMIN")
    a = many.requests("T1A", enterprise_id="E1", enterprise_install=True)
    b = many.requests("T1B", enterprise_id="E1", enterprise_install=True)
    for requests in (a, b):
        requests.slash_command("help", user_id="W1PERSON")
    assert active_ids(many) == {"T1A", "T1B", "T2"}

    a.event({"type": "app_uninstalled"})
    deadline = time.monotonic() + 5
    while active_ids(many) != {"T2"} and time.monotonic() < deadline:
        time.sleep(0.05)
    assert active_ids(many) == {"T2"}


def active_ids(many: ManyBot) -> set[str]:
    return {scope.workspace_id for scope in many.tourism.workspaces.active()}  # type: ignore[union-attr]


# --- settings -------------------------------------------------------------------------------


def test_oauth_settings_come_as_three_or_not_at_all():
    with pytest.raises(SettingsError) as refused:
        load_settings({**settings_env(), "SLACK_CLIENT_ID": "123.456"})
    problems = " ".join(refused.value.problems)
    assert "SLACK_CLIENT_SECRET is missing" in problems
    assert "SLACK_STATE_SECRET is missing" in problems
    env = settings_env(
        SLACK_CLIENT_ID="123.456", SLACK_CLIENT_SECRET="s", SLACK_STATE_SECRET=STATE_SECRET
    )
    del env["SLACK_BOT_TOKEN"]
    assert load_settings(env).oauth


def test_the_ids_in_the_authorize_url_are_the_apps(many: ManyBot):
    url = urlsplit(
        re.search(r'href="(https://slack\.com/oauth/v2/authorize[^"]+)"', get_page(many))
        .group(1)
        .replace("&amp;", "&")
    )
    query = parse_qs(url.query)
    assert query["client_id"] == [many.slack.client_id]
    assert "commands" in query["scope"][0]


def get_page(many: ManyBot) -> str:
    connection = http.client.HTTPConnection(urlsplit(many.url).hostname, urlsplit(many.url).port)
    connection.request("GET", "/slack/install")
    return connection.getresponse().read().decode()
