"""`tourism doctor` against the fake Slack and a real database: one line per check."""

import io
from pathlib import Path

from infra.doctor import run_doctor
from infra.fake_slack import FakeSlack
from tests.conftest import BOT_TOKEN, make_settings, settings_env
from tests.test_cli import run_tourism

CHANNEL = "C0TOURISM"


def doctor(env: dict[str, str]) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = run_doctor(env, out)
    return status, out.getvalue().splitlines()


def good_env(database_url: str, fake_slack: FakeSlack) -> dict[str, str]:
    fake_slack.add_channel(CHANNEL, "team-tourism", is_member=True)
    make_settings(settings_env(DATABASE_URL=database_url))  # valid on their own
    return settings_env(
        DATABASE_URL=database_url, SLACK_API_URL=fake_slack.base_url, TOURISM_CHANNEL=CHANNEL
    )


def test_a_good_setup_is_all_ok(database_url, fake_slack):
    status, lines = doctor(good_env(database_url, fake_slack))
    assert status == 0, lines
    assert [line.split(":")[0] for line in lines] == [
        "ok   settings",
        "ok   database",
        "ok   time zones",
        "ok   token",
        "ok   scopes",
        "ok   channel",
    ]
    assert "bot user U0BOT in workspace Tourism Test (T0TEST)" in lines[3]
    assert lines[5] == "ok   channel: #team-tourism exists and the bot is a member"


def test_missing_scopes_an_archived_channel_and_an_old_schema_fail(fake_slack, tmp_path: Path):
    fake_slack.granted_scopes = ["commands", "chat:write"]
    env = settings_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'never-migrated.db'}",
        SLACK_API_URL=fake_slack.base_url,
        TOURISM_CHANNEL=CHANNEL,
    )
    fake_slack.add_channel(CHANNEL, "old-tourism", is_archived=True)
    status, lines = doctor(env)
    assert status == 1
    failed = {line.split(":")[0].split()[-1]: line for line in lines if line.startswith("FAIL")}
    assert set(failed) == {"database", "scopes", "channel"}
    assert "run `tourism migrate`" in failed["database"]
    assert "lacks channels:history, channels:join, channels:read" in failed["scopes"]
    assert "#old-tourism is archived" in failed["channel"]


def test_a_refused_token_and_an_unknown_channel_fail(database_url, fake_slack):
    env = good_env(database_url, fake_slack) | {"TOURISM_CHANNEL": "C0GONE"}
    fake_slack.inject("auth.test", error="invalid_auth")
    status, lines = doctor(env)
    assert status == 1
    assert "FAIL token: Slack refused SLACK_BOT_TOKEN (invalid_auth)" in lines[3]
    assert lines[4:] == [
        "skip scopes: needs a working token",
        "skip channel: needs a working token",
    ]

    status, lines = doctor(env)
    assert status == 1
    assert lines[5].startswith("FAIL channel: TOURISM_CHANNEL C0GONE: Slack says channel_not_found")


def test_a_public_channel_the_bot_has_not_joined_is_a_warning(database_url, fake_slack):
    env = good_env(database_url, fake_slack)
    fake_slack.add_channel(CHANNEL, "team-tourism", is_member=False)
    status, lines = doctor(env)
    assert status == 0
    assert lines[5].startswith("warn channel: #team-tourism: the bot is not a member yet")


def test_bad_settings_fail_and_the_slack_checks_wait_for_them(tmp_path: Path):
    env = {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "SLACK_BOT_TOKEN": "oops"}
    status, lines = doctor(env)
    assert status == 1
    assert lines[0].startswith("FAIL settings: SLACK_BOT_TOKEN does not look right")
    assert any(line.startswith("FAIL database: cannot reach") for line in lines)
    assert lines[-3:] == [
        "skip token: fix the settings above first",
        "skip scopes: fix the settings above first",
        "skip channel: fix the settings above first",
    ]


def test_tourism_doctor_exits_non_zero_and_prints_no_secret(tmp_path: Path, fake_slack):
    env = settings_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 't.db'}", SLACK_API_URL=fake_slack.base_url
    )
    result = run_tourism(["doctor"], env, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr  # never migrated
    assert "FAIL database:" in result.stdout and "ok   token:" in result.stdout
    assert BOT_TOKEN not in result.stdout + result.stderr


def test_with_many_workspaces_the_token_checks_are_skipped_not_failed(database_url, fake_slack):
    env = good_env(database_url, fake_slack) | {
        "SLACK_BOT_TOKEN": "",
        "SLACK_CLIENT_ID": "1234.5678",
        "SLACK_CLIENT_SECRET": "client-secret-for-tests",
        "SLACK_STATE_SECRET": "a-state-secret-long-enough",
    }
    status, lines = doctor(env)
    assert status == 0, lines
    assert [line.split(":")[0] for line in lines[3:]] == [
        "skip token",
        "skip scopes",
        "skip channel",
    ]
    assert "each installation has its own token" in lines[3]
