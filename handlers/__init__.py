"""Thin Bolt listeners: translate Slack payloads into domain calls and domain results into views.

One package per feature (`commands.py` for its `/tourism` subcommands, `actions.py` for buttons
and menus, `forms.py` for modal submissions). Nothing is listed by hand: a module registers
itself by defining `register(app, deps)` (its listeners) and/or `SUBCOMMANDS` (name → handler of
a `/tourism` subcommand), and `register_all` finds it by walking this package.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import TYPE_CHECKING

from slack_bolt import App

from infra.deps import Deps

if TYPE_CHECKING:
    from handlers.command_request import SubcommandHandler

# Registered first, in this order: Bolt runs them before every listener (global middleware).
MIDDLEWARE = ("handlers.guards", "handlers.failures")


def handler_modules() -> list[ModuleType]:
    """Every module of this package, in a stable order (by dotted name)."""
    names = sorted(
        info.name
        for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}.")
        if not info.ispkg
    )
    return [importlib.import_module(name) for name in names]


def listener_modules() -> list[ModuleType]:
    """The modules with listeners: the middleware first, then the features'."""
    modules = {module.__name__: module for module in handler_modules()}
    middleware = [modules[name] for name in MIDDLEWARE]
    features = [m for n, m in modules.items() if n not in MIDDLEWARE and hasattr(m, "register")]
    return middleware + features


def subcommands() -> dict[str, SubcommandHandler]:
    """Every `/tourism` subcommand, gathered from the modules' `SUBCOMMANDS`; a name claimed
    twice is a mistake caught at start-up, not a silent override."""
    table: dict[str, SubcommandHandler] = {}
    for module in handler_modules():
        for name, handler in getattr(module, "SUBCOMMANDS", {}).items():
            if name in table:
                raise RuntimeError(f"/tourism {name} is registered twice (in {module.__name__})")
            table[name] = handler
    return table


def register_all(app: App, deps: Deps) -> None:
    for module in listener_modules():
        module.register(app, deps)
