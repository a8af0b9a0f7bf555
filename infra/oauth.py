"""Many workspaces: Slack's OAuth install flow through Bolt, installations kept in our database.

With SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET set, `/slack/install` starts
Slack's install flow and `/slack/oauth_redirect` finishes it (Bolt's OAuthFlow); slack-sdk's
SQLAlchemy stores keep installations and one-time OAuth states in the bot's own database (their
tables are created by migration 0011_w2a), so every replica sees every install. Each request is
authorised with its workspace's bot token and runs in that workspace's scope (its organisers,
channel and time zone: infra/workspace_scope.py); the ticker works through every installed,
active workspace with its own token.

Enterprise Grid: an org-wide install has one token for all of the organisation's workspaces.
Each workspace keeps its own data, registered the first time one of its people uses the bot,
with the installer as its first organiser.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from contextlib import suppress
from logging import Logger
from pathlib import Path
from typing import Any

import yaml
from slack_bolt import BoltContext, BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from bot.workspaces.service import InstalledWorkspace, register_installation
from infra.deps import Deps
from infra.settings import Settings, settings_for
from infra.workspace_scope import WorkspaceScope, enter_workspace

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_URI_PATH = "/slack/oauth_redirect"
OAUTH_PATHS = (INSTALL_PATH, REDIRECT_URI_PATH)
STATE_EXPIRATION_SECONDS = 600
MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yml"


def manifest_bot_scopes(manifest: Path = MANIFEST) -> list[str]:
    """The bot scopes the install asks for: the manifest's, so the two never disagree."""
    return list(yaml.safe_load(manifest.read_text())["oauth_config"]["scopes"]["bot"])


class SignedStateStore(OAuthStateStore):
    """The database's one-time OAuth states, each signed with SLACK_STATE_SECRET: a state the bot
    did not issue is refused before the database is asked, and states read from a copy of the
    database are worthless without the secret."""

    def __init__(self, inner: OAuthStateStore, secret: str) -> None:
        self._inner = inner
        self._key = secret.encode()

    @property
    def logger(self) -> Logger:
        return self._inner.logger

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = self._inner.issue(*args, **kwargs)
        return f"{state}.{self._sign(state)}"

    def consume(self, state: str) -> bool:
        value, _, signature = (state or "").rpartition(".")
        if not value or not hmac.compare_digest(signature, self._sign(value)):
            log.warning("refused an OAuth redirect with a state the bot did not sign")
            return False
        return self._inner.consume(value)

    def _sign(self, state: str) -> str:
        return hmac.new(self._key, state.encode(), hashlib.sha256).hexdigest()


def acting_workspace(body: dict[str, Any], context: BoltContext) -> str | None:
    """The workspace whose rows a request reads and writes: the one the listeners key by (the
    payload's team_id, team.id or user.team_id), which on an org-wide install is the person's
    own workspace."""
    team = body.get("team")
    user: dict[str, Any] = body["user"] if isinstance(body.get("user"), dict) else {}
    for team_id in (
        body.get("team_id"),
        team.get("id") if isinstance(team, dict) else team,
        user.get("team_id"),
        context.team_id,
    ):
        if team_id:
            return str(team_id)
    return None


class MultiWorkspace:
    """The OAuth pieces the composition root plugs into Bolt and the ticker."""

    def __init__(self, settings: Settings, engine: Engine, deps: Deps) -> None:
        assert settings.slack_client_id and settings.slack_state_secret  # settings.oauth
        self._defaults = settings
        self._deps = deps
        self.installations = SQLAlchemyInstallationStore(
            client_id=settings.slack_client_id, engine=engine
        )
        self.states = SignedStateStore(
            SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine),
            settings.slack_state_secret,
        )

    def bolt_options(self) -> dict[str, Any]:
        """What Bolt's App takes to run the OAuth flow and authorise each request."""
        return {
            "oauth_settings": OAuthSettings(
                client_id=self._defaults.slack_client_id,
                client_secret=self._defaults.slack_client_secret,
                scopes=manifest_bot_scopes(),
                install_path=INSTALL_PATH,
                redirect_uri_path=REDIRECT_URI_PATH,
                installation_store=self.installations,
                state_store=self.states,
                state_expiration_seconds=STATE_EXPIRATION_SECONDS,
                callback_options=CallbackOptions(success=self._installed, failure=self._failed),
            )
        }

    def register(self, app: Any) -> None:
        """After the listeners' own middleware (the workspace guard runs first)."""
        app.middleware(self.scope_to_workspace)

    # --- install -----------------------------------------------------------------------------

    def _installed(self, args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        log.info(
            "installed in %s (enterprise %s, org-wide: %s)",
            installation.team_id,
            installation.enterprise_id,
            installation.is_enterprise_install,
        )
        if installation.team_id and not installation.is_enterprise_install:
            register_installation(
                self._deps.uow,
                InstalledWorkspace(installation.team_id, installation.enterprise_id),
                name=installation.team_name or "",
                bot_user_id=installation.bot_user_id,
                installer_id=installation.user_id,
                now=self._deps.clock.now(),
            )
        # An org-wide install covers workspaces that are named later, as their people use it.
        return args.default.success(args)

    def _failed(self, args: FailureArgs) -> BoltResponse:
        log.warning("an installation failed: %s", args.reason)
        return args.default.failure(args)

    # --- every request -----------------------------------------------------------------------

    def scope_to_workspace(
        self, context: BoltContext, body: dict[str, Any], next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        workspace_id = acting_workspace(body, context)
        if workspace_id is None or context.authorize_result is None:
            return next()
        workspace = self._workspace(workspace_id, context)
        scope = WorkspaceScope(
            workspace_id, settings_for(self._defaults, workspace), context.bot_token
        )
        # Bolt runs the listeners after the whole middleware chain has returned, so the scope
        # stays set for the rest of this request: ObservedApp dispatches each in its own context.
        enter_workspace(scope)
        return next()

    def _workspace(self, workspace_id: str, context: BoltContext) -> InstalledWorkspace:
        with self._deps.reader() as reader:
            workspace: InstalledWorkspace | None = reader.workspaces.installed(workspace_id)
        if workspace is not None:
            return workspace
        # A workspace of an org-wide install, seen for the first time (or one installed before
        # the bot kept installations): registered now, so its rows have their workspace.
        workspace = InstalledWorkspace(
            workspace_id, context.enterprise_id, bool(context.is_enterprise_install)
        )
        installation = self.installations.find_installation(
            enterprise_id=context.enterprise_id,
            team_id=workspace_id,
            is_enterprise_install=context.is_enterprise_install,
        )
        # Two first requests from one workspace at once: the second finds it registered.
        with suppress(IntegrityError):
            register_installation(
                self._deps.uow,
                workspace,
                name="",
                bot_user_id=context.bot_user_id,
                installer_id=installation.user_id if installation else None,
                now=self._deps.clock.now(),
            )
        with self._deps.reader() as reader:
            registered = reader.workspaces.installed(workspace_id)
        assert registered is not None  # registered just now, by this request or the other
        return registered

    # --- the ticker --------------------------------------------------------------------------

    def active(self) -> list[WorkspaceScope]:
        """Every installed, active workspace with its settings and its bot token."""
        with self._deps.reader() as reader:
            workspaces: list[InstalledWorkspace] = reader.workspaces.active()
        scopes = []
        for workspace in workspaces:
            bot = self.installations.find_bot(
                enterprise_id=workspace.enterprise_id,
                team_id=workspace.id,
                is_enterprise_install=workspace.is_enterprise_install,
            )
            if bot is None or not bot.bot_token:
                continue  # registered with one token before, or its installation was removed
            scopes.append(
                WorkspaceScope(workspace.id, settings_for(self._defaults, workspace), bot.bot_token)
            )
        return scopes
