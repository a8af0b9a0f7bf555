"""manifest.yml against Slack's official JSON Schema, and in step with what the app handles."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from handlers.events import HANDLED_EVENTS

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT.parent / "shared" / "slack" / "manifest.schema.1.0.0.json"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


@pytest.mark.skipif(not SCHEMA.exists(), reason="Slack's manifest schema lives in ../shared/slack")
def test_manifest_is_valid_against_slacks_schema(manifest: dict):
    jsonschema.validate(manifest, json.loads(SCHEMA.read_text()))


def test_manifest_subscribes_exactly_to_the_handled_events(manifest: dict):
    assert sorted(manifest["settings"]["event_subscriptions"]["bot_events"]) == sorted(
        HANDLED_EVENTS
    )


def test_manifest_declares_the_command_socket_mode_and_app_home(manifest: dict):
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/tourism"
    assert command["usage_hint"]
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert "commands" in manifest["oauth_config"]["scopes"]["bot"]
