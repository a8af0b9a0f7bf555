"""The event inbox forgets events older than the retention period: the ticker prunes it."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import create_app
from bot.core.clock import FixedClock
from infra.scheduler import start_ticker
from infra.settings import SettingsError, load_settings
from storage.models import InboxEvent
from tests.conftest import NOW, make_settings, settings_env
from tests.support.seed import WORKSPACE, seed_workspace

OTHER_WORKSPACE = "T0OTHER"


def kept_events(uow_factory) -> set[str]:
    with uow_factory() as uow:
        return set(uow.session.scalars(select(InboxEvent.event_id)))


def test_the_ticker_prunes_events_older_than_the_retention(database_url, fake_slack, uow_factory):
    with uow_factory() as uow:
        seed_workspace(uow)
        for event_id, age, workspace in (
            ("Ev-old", timedelta(days=10, minutes=1), WORKSPACE),
            ("Ev-recent", timedelta(days=9, hours=23), WORKSPACE),
            ("Ev-other-workspace", timedelta(days=40), OTHER_WORKSPACE),
        ):
            uow.inbox.claim(event_id, workspace_id=workspace, event_type="x", now=NOW - age)
        uow.commit()
    settings = make_settings(
        settings_env(
            DATABASE_URL=database_url,
            SLACK_API_URL=fake_slack.base_url,
            TOURISM_INBOX_RETENTION_DAYS="10",
        )
    )
    tourism = create_app(settings, FixedClock(NOW))
    ticker = start_ticker(settings, tourism.deps, WORKSPACE)  # maintenance runs at once
    try:
        deadline = time.monotonic() + 10
        while "Ev-old" in kept_events(uow_factory) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        ticker.stop()
        tourism.close()
    # Another workspace's events are its own ticker's to prune.
    assert kept_events(uow_factory) == {"Ev-recent", "Ev-other-workspace"}


def test_the_retention_defaults_to_thirty_days_and_is_validated():
    assert make_settings(settings_env()).inbox_retention_days == 30
    with pytest.raises(SettingsError) as refused:
        load_settings(settings_env(TOURISM_INBOX_RETENTION_DAYS="0"))
    assert refused.value.problems == [
        "TOURISM_INBOX_RETENTION_DAYS must be a whole number from 1 to 3650, not '0'."
    ]
