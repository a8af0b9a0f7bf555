"""Pytest fixtures for conftest.py: `from tests.support.fixtures import fake_slack`."""

from collections.abc import Iterator

import pytest

from tests.support.fake_slack import FakeSlack


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A started FakeSlack, stopped after the test."""
    with FakeSlack() as fake:
        yield fake
