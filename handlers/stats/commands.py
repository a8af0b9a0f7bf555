"""`/tourism stats`: the programme's figures and charts for organisers, one's own for others."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.stats.charts import charts
from bot.stats.model import ProgrammeReport
from bot.stats.service import organiser_report, own_report
from bot.stats.views import charts_comment, personal_message, stats_message
from handlers.command_request import CommandRequest, SubcommandHandler
from infra.deps import Deps


def show_stats(request: CommandRequest, deps: Deps) -> None:
    with deps.reader() as uow:
        if not deps.settings.is_admin(request.user_id):
            mine = own_report(uow, request.workspace_id, request.user_id, deps.today())
            request.ack(**personal_message(mine))
            return
        report = organiser_report(uow, request.workspace_id, deps.today())
    request.ack(**stats_message(report, deps.today()))
    send_charts(request.client, request.user_id, report)


def send_charts(client: WebClient, user_id: str, report: ProgrammeReport) -> None:
    """After the ack: drawing takes a second, then one upload of every chart to the DM."""
    rendered = charts(report)
    dm = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(
        file_uploads=[
            {
                "content": chart.png,
                "filename": chart.filename,
                "title": chart.title,
                "alt_txt": chart.description,
            }
            for chart in rendered
        ],
        channel=dm,
        initial_comment=charts_comment(report),
    )


SUBCOMMANDS: dict[str, SubcommandHandler] = {"stats": show_stats}
