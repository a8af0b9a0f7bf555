"""How fast the deliverer empties a full outbox against a rate-limited Slack, and whether exactly.

N due direct messages, a fake Slack (in its own process, so its memory is not ours) that answers
429 beyond R calls a second to each of chat.postMessage and conversations.open (every DM needs
both). Prints the elapsed time against the N/R floor, the deliverer's peak memory, and how many
messages were lost or duplicated. `--stale S` adds S check-ins three days late, as after
downtime: they expire without a Slack call, so the floor stays N/R.

    .venv/bin/python -m benchmarks.delivery --n 5000 --rate 100
    .venv/bin/python -m benchmarks.delivery --n 50 --stale 150 --rate 1
    .venv/bin/python -m benchmarks.delivery --n 5000 --database-url postgresql://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

from sqlalchemy import delete

from bot.core.clock import SystemClock
from bot.scheduling.planning import Kind, PlannedMessage
from infra.delivery import Deliverer, build_delivery_client
from infra.fake_slack import FakeSlack
from infra.settings import load_database_url, load_settings
from storage import migrate
from storage.db import create_db_engine, session_factory
from storage.models import OutboxMessage, Workspace
from storage.unit_of_work import SqlUnitOfWork

WORKSPACE = "T0TEST"
RATE_LIMITED_METHODS = ("chat.postMessage", "conversations.open")
HEADROOM = 0.97  # pace just under the limit: arrival jitter must not push a second over it
SEED_CHUNK = 500
PAYLOAD = {
    "tour_id": 1,
    "host_team": "Payments",
    "opening_title": "Learn the ledger",
    "starts_on": "2026-03-02",
    "ends_on": "2026-03-27",
}


def serve_fake_slack(rate: int, pipe: Connection) -> None:
    """Child process: a rate-limited fake Slack; answers "report" with what it received."""
    with FakeSlack() as slack:
        for method in RATE_LIMITED_METHODS:
            slack.rate_limit(method, rate)
        pipe.send(slack.base_url)
        pipe.recv()
        channels = {call.params["channel"] for call in slack.calls("chat.postMessage")}
        posted = Counter(
            message["metadata"]["event_payload"]["outbox_id"]
            for channel in channels
            for message in slack.messages(channel)
            if message.get("metadata")
        )
        rate_limited = sum(call.status == 429 for call in slack.calls())
        pipe.send((posted, rate_limited))


def prepare_database(database_url: str, n: int, stale: int) -> None:
    migrate.upgrade(database_url)
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    due = datetime.now(UTC) - timedelta(minutes=1)
    with SqlUnitOfWork(sessions) as uow:
        uow.session.execute(delete(OutboxMessage))
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
            PlannedMessage(f"bench:{i}", Kind.RETRO, f"U{i:07d}", due, "retro", PAYLOAD)
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


def run(n: int, rate: int, database_url: str, threads: int, stale: int = 0) -> None:
    parent_end, child_end = multiprocessing.Pipe()
    fake = multiprocessing.get_context("spawn").Process(
        target=serve_fake_slack, args=(rate, child_end), daemon=True
    )
    fake.start()
    base_url = parent_end.recv()
    prepare_database(database_url, n, stale)
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-benchmark",
            "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
            "SLACK_API_URL": base_url,
            "DATABASE_URL": database_url,
        }
    )
    engine = create_db_engine(settings.database_url)
    sessions = session_factory(engine)
    deliverer = Deliverer(
        uow=lambda: SqlUnitOfWork(sessions),
        client=build_delivery_client(settings),
        clock=SystemClock(),
        workspace_id=WORKSPACE,
        organisers=(),
        rates=dict.fromkeys(RATE_LIMITED_METHODS, rate * HEADROOM),
        threads=threads,
    )
    rss_before = peak_rss_mib()
    started = time.perf_counter()
    report = deliverer.deliver_due()
    elapsed = time.perf_counter() - started
    rss_after = peak_rss_mib()
    deliverer.close()
    engine.dispose()

    parent_end.send("report")
    posted, rate_limited = parent_end.recv()
    fake.terminate()
    statuses = outbox_statuses(settings.database_url)
    floor = n / rate
    lost = n - len(posted)
    duplicated = sum(count - 1 for count in posted.values())
    backend = settings.database_url.split(":", 1)[0]
    print(
        f"{backend}: N={n} R={rate}/s threads={threads} stale={stale}\n"
        f"  elapsed {elapsed:.1f}s, floor N/R {floor:.1f}s, ratio {elapsed / floor:.3f}\n"
        f"  peak RSS {rss_after:.0f} MiB (grew {rss_after - rss_before:.1f} MiB while delivering)\n"
        f"  lost {lost}, duplicated {duplicated}, 429 answers {rate_limited}\n"
        f"  outcomes {dict(report)}, outbox {dict(statuses)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="due messages (default 5000)")
    parser.add_argument("--rate", type=int, default=100, help="Slack's limit, calls a second")
    parser.add_argument("--threads", type=int, default=4, help="sending threads (default 4)")
    parser.add_argument("--stale", type=int, default=0, help="check-ins 3 days late (default 0)")
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()
    database_url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    database_url = load_database_url({"DATABASE_URL": database_url})
    run(args.n, args.rate, database_url, args.threads, args.stale)


if __name__ == "__main__":
    main()
