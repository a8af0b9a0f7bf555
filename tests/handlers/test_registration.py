"""Listeners and subcommands register themselves: nothing is listed by hand."""

from __future__ import annotations

import sys
from types import ModuleType

import pytest

import handlers
from handlers import MIDDLEWARE, listener_modules, subcommands


def test_the_middleware_comes_first_and_every_listener_module_is_found():
    names = [module.__name__ for module in listener_modules()]
    assert names[: len(MIDDLEWARE)] == list(MIDDLEWARE)
    assert {"handlers.tourism_command", "handlers.history.actions", "handlers.events"} <= set(names)
    assert len(names) == len(set(names))


def test_a_subcommand_claimed_twice_stops_the_start(monkeypatch: pytest.MonkeyPatch):
    twin = ModuleType("handlers.zz_twin")
    twin.SUBCOMMANDS = {"match": lambda request, deps: None}  # type: ignore[attr-defined]
    real = handlers.handler_modules
    monkeypatch.setattr(handlers, "handler_modules", lambda: [*real(), twin])
    monkeypatch.setitem(sys.modules, twin.__name__, twin)
    with pytest.raises(RuntimeError, match="/tourism match is registered twice"):
        subcommands()
