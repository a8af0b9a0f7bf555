"""Which workspace the current request or scheduler step works for, when the bot serves many.

Listeners read their settings as `deps.settings` and call Slack through clients built once. With
many workspaces the organisers, announcement channel, time zone and bot token differ per
workspace, so the request's middleware (infra/oauth.py) and the ticker (infra/scheduler.py) set
a scope around the work they do; `ScopedSettings` and `ScopedWebClient` answer from it. The scope
is a context variable: ObservedApp dispatches each request in a context of its own, and its
listener pool copies that context into the threads that run the listeners.
Outside any scope they answer with the environment's values, as with one SLACK_BOT_TOKEN.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Any

from slack_sdk import WebClient

from infra.settings import Settings


@dataclass(frozen=True)
class WorkspaceScope:
    workspace_id: str
    settings: Settings  # the environment's defaults with this workspace's own settings over them
    bot_token: str | None


_current: ContextVar[WorkspaceScope | None] = ContextVar("workspace_scope", default=None)

# What differs from workspace to workspace; everything else is the deployment's.
PER_WORKSPACE_SETTINGS = frozenset({"admin_user_ids", "announcement_channel", "timezone"})


def current_scope() -> WorkspaceScope | None:
    return _current.get()


def enter_workspace(scope: WorkspaceScope) -> None:
    """Sets the scope for the rest of the current context: for Bolt middleware, whose request
    runs in a context of its own (ObservedApp.dispatch)."""
    _current.set(scope)


@contextmanager
def workspace_scope(scope: WorkspaceScope) -> Iterator[WorkspaceScope]:
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)


class ScopedSettings(Settings):
    """The environment's settings, except those of PER_WORKSPACE_SETTINGS, which come from the
    current workspace scope when there is one."""

    def __getattribute__(self, name: str) -> Any:
        if name in PER_WORKSPACE_SETTINGS:
            scope = _current.get()
            if scope is not None:
                return getattr(scope.settings, name)
        return super().__getattribute__(name)

    @classmethod
    def over(cls, defaults: Settings) -> ScopedSettings:
        return cls(**{field.name: getattr(defaults, field.name) for field in fields(defaults)})


class ScopedWebClient(WebClient):
    """A Web API client that calls with the current workspace's bot token (its own outside any
    scope), for the few parts built once for the whole process (learning people's time zones)."""

    @property
    def token(self) -> str | None:
        scope = _current.get()
        if scope is not None and scope.bot_token:
            return scope.bot_token
        return self._own_token

    @token.setter
    def token(self, value: str | None) -> None:
        self._own_token = value
