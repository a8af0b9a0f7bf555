"""How fast the shipped deliverer empties a full outbox against a Slack that limits like Slack.

N due direct messages to N people, a Slack stand-in (in its own process, so its memory is not
ours) that answers 429 beyond Slack's published limits (chat.postMessage several hundred a
minute in a workspace, taken as 300, and one a second per conversation, with short bursts;
conversations.* 50 a minute), and the deliverer exactly as `tourism serve` builds it from its
settings (build_deliverer), in one process or in K replica processes sharing one database.
Prints the elapsed time against the floor the stand-in's limits set (N posts at its workspace
rate), peak memory, 429s, and how many messages were lost or duplicated. `--posts-per-minute P`
models a workspace allowing more: the stand-in allows P and the bot is configured as an
operator would, with SLACK_RATE_LIMITS=chat.postMessage=P. `--stale S` adds S check-ins three
days late, as after downtime: they expire without a Slack call, so the floor stays the same.

    .venv/bin/python -m benchmarks.delivery --n 1000
    .venv/bin/python -m benchmarks.delivery --n 1000 --replicas 2
    .venv/bin/python -m benchmarks.delivery --n 5000 --posts-per-minute 1200
    .venv/bin/python -m benchmarks.delivery --n 1000 --database-url postgresql://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path

from sqlalchemy import delete

from bot.core.clock import SystemClock
from bot.scheduling.planning import Kind, PlannedMessage
from infra.delivery import build_deliverer
from infra.fake_slack import FakeSlack
from infra.pace import configured_rates
from infra.settings import Settings, load_database_url, load_settings
from storage import migrate
from storage.db import create_db_engine, session_factory
from storage.models import OutboxMessage, SlackPace, Workspace
from storage.unit_of_work import SqlReader, SqlUnitOfWork

WORKSPACE = "T0TEST"
SLACK_POSTS_PER_MINUTE = 300  # Slack: "several hundred messages per minute" in a workspace
SEED_CHUNK = 500
PAYLOAD = {
    "tour_id": 1,
    "host_team": "Payments",
    "opening_title": "Learn the ledger",
    "starts_on": "2026-03-02",
    "ends_on": "2026-03-27",
}
SPAWN = multiprocessing.get_context("spawn")


def serve_fake_slack(posts_per_minute: float, pipe: Connection) -> None:
    """Child process: a Slack stand-in limiting like Slack; answers "report" with what it got."""
    with FakeSlack() as slack:
        slack.limit_like_slack(posts_per_minute)
        pipe.send(slack.base_url)
        pipe.recv()
        channels = {call.params["channel"] for call in slack.calls("chat.postMessage")}
        posted = Counter(
            message["metadata"]["event_payload"]["outbox_id"]
            for channel in channels
            for message in slack.messages(channel)
            if message.get("metadata")
        )
        by_method = Counter(call.method for call in slack.calls())
        rate_limited = sum(call.status == 429 for call in slack.calls())
        # When the first and last posts arrived (time.monotonic() is shared by the processes).
        arrivals = [call.at for call in slack.calls("chat.postMessage")] or [0.0]
        pipe.send((posted, dict(by_method), rate_limited, (min(arrivals), max(arrivals))))


def prepare_database(database_url: str, n: int, stale: int) -> None:
    migrate.upgrade(database_url)
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    due = datetime.now(UTC) - timedelta(minutes=1)
    with SqlUnitOfWork(sessions) as uow:
        uow.session.execute(delete(OutboxMessage))
        uow.session.execute(delete(SlackPace))
        if uow.session.get(Workspace, WORKSPACE) is None:
            uow.session.add(Workspace(id=WORKSPACE, name="Benchmark"))
        uow.commit()
    late = due - timedelta(days=3)
    messages = [
        *(
            PlannedMessage(f"stale:{i}", Kind.CHECKIN, f"W{i:07d}", late, "retro", PAYLOAD)
            for i in range(stale)
        ),
        *(
            PlannedMessage(f"bench:{i}", Kind.CHECKIN, f"U{i:07d}", due, "retro", PAYLOAD)
            for i in range(n)
        ),
    ]
    for start in range(0, len(messages), SEED_CHUNK):
        with SqlUnitOfWork(sessions) as uow:
            uow.outbox.upsert(WORKSPACE, messages[start : start + SEED_CHUNK])
            uow.commit()
    engine.dispose()


def outbox_statuses(database_url: str) -> Counter[str]:
    engine = create_db_engine(database_url)
    with SqlUnitOfWork(session_factory(engine)) as uow:
        statuses = Counter(uow.outbox.count_by_status(WORKSPACE))
    engine.dispose()
    return statuses


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def replica(env: dict[str, str], start: Event, pipe: Connection) -> None:
    """Child process: one deliverer as the bot builds it, delivering everything due once."""
    settings = load_settings(env)
    engine = create_db_engine(settings.database_url)
    sessions = session_factory(engine)
    deliverer = build_deliverer(
        settings,
        uow=lambda: SqlUnitOfWork(sessions),
        reader=lambda: SqlReader(sessions),
        clock=SystemClock(),
        workspace_id=WORKSPACE,
    )
    rss_before = peak_rss_mib()
    pipe.send("ready")
    start.wait()
    report = deliverer.deliver_due()
    finished = time.time()
    deliverer.close()
    engine.dispose()
    pipe.send((finished, report, rss_before, peak_rss_mib()))


def bot_environment(base_url: str, database_url: str, posts_per_minute: float) -> dict[str, str]:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-benchmark",
        "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
        "SLACK_API_URL": base_url,
        "DATABASE_URL": database_url,
    }
    if posts_per_minute != SLACK_POSTS_PER_MINUTE:  # the operator tells the bot what Slack allows
        env["SLACK_RATE_LIMITS"] = f"chat.postMessage={posts_per_minute:g}"
    return env


def run(n: int, posts_per_minute: float, database_url: str, replicas: int, stale: int = 0) -> None:
    parent_end, child_end = multiprocessing.Pipe()
    fake = SPAWN.Process(target=serve_fake_slack, args=(posts_per_minute, child_end), daemon=True)
    fake.start()
    base_url = parent_end.recv()
    prepare_database(database_url, n, stale)
    env = bot_environment(base_url, database_url, posts_per_minute)
    settings: Settings = load_settings(env)
    start = SPAWN.Event()
    pipes, processes = [], []
    for _ in range(replicas):
        ours, theirs = multiprocessing.Pipe()
        process = SPAWN.Process(target=replica, args=(env, start, theirs), daemon=True)
        process.start()
        pipes.append(ours)
        processes.append(process)
    for pipe in pipes:  # every replica imported and built before the clock starts
        pipe.recv()
    started, started_monotonic = time.time(), time.monotonic()
    start.set()
    results = [pipe.recv() for pipe in pipes]
    for process in processes:
        process.join()
    elapsed = max(finished for finished, *_ in results) - started

    parent_end.send("report")
    posted, by_method, rate_limited, (first, last) = parent_end.recv()
    fake.terminate()
    statuses = outbox_statuses(settings.database_url)
    floor = n / (posts_per_minute / 60)
    lost = n - len(posted)
    duplicated = sum(count - 1 for count in posted.values())
    report = sum((result[1] for result in results), Counter())
    growth = max(after - before for _, _, before, after in results)
    rates = {m: round(r * 60) for m, r in configured_rates(settings.slack_rates).items()}
    backend = settings.database_url.split(":", 1)[0]
    print(
        f"{backend}: N={n} Slack allows {posts_per_minute:g} posts/min, replicas={replicas}, "
        f"stale={stale}, load {os.getloadavg()[0]:.2f}\n"
        f"  bot's pace (calls/min): {rates}\n"
        f"  elapsed {elapsed:.1f}s, floor {floor:.1f}s, ratio {elapsed / floor:.3f} "
        f"(first post after {first - started_monotonic:.2f}s, "
        f"last {last - started_monotonic:.1f}s)\n"
        f"  peak RSS {max(after for *_, after in results):.0f} MiB a replica "
        f"(grew {growth:.1f} MiB while delivering)\n"
        f"  lost {lost}, duplicated {duplicated}, 429 answers {rate_limited}, calls {by_method}\n"
        f"  outcomes {dict(report)}, outbox {dict(statuses)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="due messages (default 1000)")
    parser.add_argument(
        "--posts-per-minute",
        type=float,
        default=SLACK_POSTS_PER_MINUTE,
        help=f"the workspace's chat.postMessage limit (default {SLACK_POSTS_PER_MINUTE})",
    )
    parser.add_argument("--replicas", type=int, default=1, help="deliverer processes (default 1)")
    parser.add_argument("--stale", type=int, default=0, help="check-ins 3 days late (default 0)")
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()
    database_url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    database_url = load_database_url({"DATABASE_URL": database_url})
    run(args.n, args.posts_per_minute, database_url, args.replicas, args.stale)


if __name__ == "__main__":
    main()
