"""`/tourism stats`: the programme's figures and charts for organisers, one's own for others."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.core.blocks import user_mention
from bot.stats.charts import charts
from bot.stats.model import ProgrammeReport
from bot.stats.service import organiser_report, own_report
from bot.stats.views import charts_comment, personal_message, stats_message
from handlers.command_request import CommandRequest, SubcommandHandler
from infra.deps import Deps

TO_CHANNEL = "channel"
USAGE = (
    "Usage: `/tourism stats` (organisers: the charts come to your direct message) or "
    "`/tourism stats channel` (organisers: the charts go to the announcement channel)."
)


def show_stats(request: CommandRequest, deps: Deps) -> None:
    to_channel = tuple(arg.lower() for arg in request.args) == (TO_CHANNEL,)
    if request.args and not to_channel:
        request.ack(text=USAGE)
        return
    organiser = deps.settings.is_admin(request.user_id)
    channel = deps.settings.announcement_channel if to_channel else None
    if to_channel and not (organiser and channel):
        request.ack(text=_no_sharing(deps, organiser=organiser))
        return
    if not organiser:
        with deps.reader() as uow:
            mine = own_report(
                uow, request.workspace_id, request.user_id, deps.today(), deps.settings.timezone
            )
        request.ack(**personal_message(mine))  # answered once the reading is over
        return
    with deps.reader() as uow:
        report = organiser_report(uow, request.workspace_id, deps.today(), deps.settings.timezone)
    request.ack(**stats_message(report, deps.today()))
    send_charts(request.client, channel or direct_message(request.client, request.user_id), report)


def direct_message(client: WebClient, user_id: str) -> str:
    """The app's DM with the person: files are shared to a conversation id, not a user id."""
    return str(client.conversations_open(users=user_id)["channel"]["id"])


def send_charts(client: WebClient, channel_id: str, report: ProgrammeReport) -> None:
    """After the ack: drawing takes a second, then one upload of every chart."""
    client.files_upload_v2(
        file_uploads=[
            {
                "content": chart.png,
                "filename": chart.filename,
                "title": chart.title,
                "alt_txt": chart.description,
            }
            for chart in charts(report)
        ],
        channel=channel_id,
        initial_comment=charts_comment(report),
    )


def _no_sharing(deps: Deps, *, organiser: bool) -> str:
    if organiser:
        return (
            "No announcement channel is set (TOURISM_CHANNEL): `/tourism stats` sends the "
            "charts to your direct message."
        )
    organisers = ", ".join(map(user_mention, sorted(deps.settings.admin_user_ids)))
    return f"Sharing the programme's charts is for organisers ({organisers or 'none set'})."


SUBCOMMANDS: dict[str, SubcommandHandler] = {"stats": show_stats}
