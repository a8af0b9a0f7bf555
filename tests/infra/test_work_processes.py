"""Work after the acknowledgement in worker processes (WEB_WORK_PROCESSES): the web process only
acknowledges, and a worker answers through Slack once it gets to the request."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator

import pytest

from infra.fake_slack import FakeSlack
from tests.conftest import RunningBot, make_settings, serving, settings_env
from tests.support.seed import seed_person

VISITOR = "U0VISITOR"
STALL_SECONDS = 6.0


@pytest.fixture
def served(database_url: str, fake_slack: FakeSlack) -> Iterator[RunningBot]:
    """The app with one worker process, served over HTTP."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the worker processes are the same on both databases")
    settings = make_settings(
        settings_env(
            DATABASE_URL=database_url, SLACK_API_URL=fake_slack.base_url, WEB_WORK_PROCESSES="1"
        )
    )
    with serving(settings, fake_slack) as running:
        yield running
    assert multiprocessing.active_children() == [], "closing the app stops its workers"


def test_requests_are_acknowledged_while_the_worker_is_held_up(served: RunningBot):
    with served.deps.uow() as uow:
        seed_person(uow, VISITOR, learning_goal="Learn Kafka")
        uow.commit()
    served.slack.inject("views.publish", delay=STALL_SECONDS)
    home = {"type": "app_home_opened", "user": VISITOR, "channel": "D0X", "tab": "home"}
    assert served.requests.event(home).status == 200
    [publish] = served.slack.wait_for("views.publish")  # the one worker now waits on Slack

    status = served.requests.slash_command("status", user_id=VISITOR)
    # Acknowledged with nothing said while its answer still waits for the worker.
    assert (status.status, status.body) == (200, b"")
    assert served.slack.calls("response_url") == []
    # What needs no worker is answered in the acknowledgement, as ever.
    assert "/tourism" in served.requests.slash_command("help", user_id=VISITOR).text

    [reply] = served.slack.wait_for("response_url", timeout=3 * STALL_SECONDS)
    assert "Learn Kafka" in str(reply.params["blocks"])
    # Worked out by the worker, in its turn: once Slack had answered the held publish.
    assert reply.at >= publish.at + STALL_SECONDS
