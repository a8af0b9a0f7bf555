"""A stand-in for Slack's Web API over real HTTP, as strict as Slack about what it accepts."""

from infra.fake_slack.block_kit import Refusal, message_refusal, view_refusal
from infra.fake_slack.server import FakeSlack, RecordedCall

__all__ = ["FakeSlack", "RecordedCall", "Refusal", "message_refusal", "view_refusal"]
