"""Test harness: a fake Slack Web API and a client sending signed Slack requests to the app."""
