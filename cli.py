"""The `tourism` command line: parses the arguments, then imports the bot only for the command.

Kept free of heavy imports so that `tourism --help` and a mistyped command answer at once.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="tourism", description="The team tourism Slack bot.")
    commands = root.add_subparsers(dest="command")
    for name, text in (
        ("serve", "migrate, then answer Slack and run the scheduler in one process (the default)"),
        ("web", "migrate, then only answer Slack (HTTP on PORT, or Socket Mode); run replicas"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument(
            "--socket-mode",
            action="store_true",
            help="connect to Slack over Socket Mode (SLACK_APP_TOKEN) instead of serving HTTP; "
            "same as SOCKET_MODE=true",
        )
    commands.add_parser(
        "worker", help="migrate, then only run the scheduler that sends due messages"
    )
    commands.add_parser("migrate", help="bring the database schema up to date and exit")
    commands.add_parser(
        "doctor", help="check settings, Slack token, scopes, channel and database, one line each"
    )
    demo = commands.add_parser(
        "demo", help="play a whole programme against a local Slack stand-in, no Slack app needed"
    )
    demo.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep the database and write transcript.html"
    )
    teams_import = commands.add_parser(
        "import-teams", help="add or update teams of the directory from a CSV or YAML file"
    )
    teams_import.add_argument("file", type=Path, help="a .csv, .yml or .yaml file (see README)")
    teams_import.add_argument(
        "--workspace",
        metavar="T0123ABCD",
        help="the Slack workspace ID; without it the bot's settings are used to ask Slack",
    )
    teams_import.add_argument(
        "--dry-run", action="store_true", help="print what would change and save nothing"
    )
    report = commands.add_parser(
        "report", help="print the programme's figures as tables (organisers; needs DATABASE_URL)"
    )
    report.add_argument(
        "--since",
        type=_day,
        metavar="YYYY-MM-DD",
        help="first day (default: this quarter and year)",
    )
    report.add_argument(
        "--until", type=_day, metavar="YYYY-MM-DD", help="last day (default: today with --since)"
    )
    report.add_argument(
        "--workspace",
        action="append",
        metavar="T0123ABCD",
        help="a Slack workspace ID, repeatable (default: every workspace the bot is installed in)",
    )
    export = commands.add_parser(
        "export", help="write one data set as CSV or JSON (see README: Privacy and data)"
    )
    export.add_argument(
        "--what",
        required=True,
        choices=("visits", "retros", "openings", "people", "checkins", "audit"),
        help="the data set",
    )
    export.add_argument("--format", required=True, choices=("csv", "json"))
    export.add_argument("--out", type=Path, metavar="FILE", help="write here, not to stdout")
    export.add_argument(
        "--workspace", metavar="T0123ABCD", help="only this Slack workspace (default: all)"
    )
    forget = commands.add_parser(
        "forget",
        help="forget a person (who left the company) as /tourism forget-me does; asks first",
    )
    forget.add_argument("--user", required=True, metavar="U0123ABCD", help="their member ID")
    forget.add_argument("--workspace", required=True, metavar="T0123ABCD", help="workspace ID")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    purge = commands.add_parser(
        "purge", help="delete everything of one workspace (after an uninstall); asks first"
    )
    purge.add_argument("--workspace", required=True, metavar="T0123ABCD", help="workspace ID")
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    return root


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-10-01") from None


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from app import run  # noqa: PLC0415 - the bot's imports take a second; --help needs none

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
