"""Pytest fixtures for conftest.py: `from tests.support.fixtures import fake_slack`."""

from collections.abc import Iterator

import pytest

from infra.fake_slack import FakeSlack


@pytest.fixture
def fake_slack(request: pytest.FixtureRequest) -> Iterator[FakeSlack]:
    """A started FakeSlack, stopped after the test. A surface Slack would refuse fails the test
    (at teardown) unless it is marked `slack_refuses`: tests mostly look at what was sent, so a
    refusal the bot then ignores would otherwise pass unnoticed."""
    with FakeSlack() as fake:
        yield fake
    refused = fake.refusals()
    if refused and request.node.get_closest_marker("slack_refuses") is None:
        lines = [f"{method}: {r.error} {list(r.messages)}" for method, r in refused]
        pytest.fail("Slack would refuse:\n" + "\n".join(lines), pytrace=False)
