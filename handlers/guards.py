"""Checks every request passes before any listener sees it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltContext, BoltResponse

from handlers.deps import Deps

log = logging.getLogger(__name__)

OTHER_WORKSPACE = "Team tourism is set up for another Slack workspace, so it cannot help here."


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def one_workspace(
        context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        """Bolt does not compare the payload's workspace with the token's; every row the bot
        writes is keyed by workspace, so a request from elsewhere is answered, not processed."""
        installed = context.authorize_result.team_id if context.authorize_result else None
        if installed and context.team_id and context.team_id != installed:
            log.warning("refused a request from workspace %s", context.team_id)
            return BoltResponse(status=200, body=OTHER_WORKSPACE)
        return next()
