"""Work after the acknowledgement, done in processes of its own.

A process's threads take turns on one interpreter lock: however few listeners work after their
ack at once, each holds the lock in slices that the threads acknowledging new requests queue
behind, and the whole process uses one core. Listeners that acknowledge first declare the rest of
their work as Bolt lazy listeners; here Bolt starts each of them by handing the signed request to
a pool of worker processes, each running the same Bolt app, which dispatches it again with
`lazy_only` set and the lazy function's name (what bolt-python's AWS Lambda adapter does by
invoking the function anew). The web process only acknowledges.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.lazy_listener import LazyListenerRunner

log = logging.getLogger(__name__)

LAZY_ONLY = "x-slack-bolt-lazy-only"
LAZY_FUNCTION = "x-slack-bolt-lazy-function-name"
ORPHAN_CHECK_SECONDS = 1.0
WORKER_NICENESS = 10

# The worker process's own Bolt app, built once when the process starts.
_worker_app: App | None = None


def _start_worker(web_process: int, build: Callable[..., App], build_args: tuple[Any, ...]) -> None:
    global _worker_app  # noqa: PLW0603 - one app per worker process, made as it starts
    # The web process decides when to stop: a terminal's Ctrl-C reaches the whole group.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # On a busy machine the operating system then runs the web process first: an ack waits for
    # no worker, and workers have the cores the acks leave.
    os.nice(WORKER_NICENESS)
    threading.Thread(target=_exit_with, args=(web_process,), daemon=True).start()
    _worker_app = build(*build_args)


def _exit_with(web_process: int) -> None:
    """Ends this worker once the web process is gone (killed, it could not stop its pool)."""
    while os.getppid() == web_process:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(0)


def _ready() -> None:
    """Nothing: submitted once per process so that the processes start (and build their apps)
    with the web process."""


def _dispatch(mode: str, body: str | dict[str, Any], headers: dict[str, Sequence[str]]) -> int:
    assert _worker_app is not None, "started without its app"
    return _worker_app.dispatch(BoltRequest(body=body, headers=headers, mode=mode)).status


class ProcessLazyRunner(LazyListenerRunner):
    """Bolt's lazy listener runner, running each lazy listener in one of `processes` worker
    processes whose app `build(*build_args)` makes (a module-level function: it and its
    arguments are pickled)."""

    def __init__(self, processes: int, build: Callable[..., App], *build_args: Any) -> None:
        self.logger = log
        self._pool = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=get_context("spawn"),  # no copy of the web process's threads and locks
            initializer=_start_worker,
            initargs=(os.getpid(), build, build_args),
        )
        # Started now, not at the first request; ready (or failed, said here) before serving.
        for started in [self._pool.submit(_ready) for _ in range(processes)]:
            started.result()

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        headers: dict[str, Sequence[str]] = dict(request.headers)
        headers[LAZY_ONLY] = ["1"]
        headers[LAZY_FUNCTION] = [request.lazy_function_name or ""]
        body = request.raw_body if request.mode == "http" else request.body
        self._pool.submit(_dispatch, request.mode, body, headers).add_done_callback(_reported)

    def shutdown(self) -> None:
        """Waits for the work already handed over, then stops the processes."""
        self._pool.shutdown(wait=True)


def _reported(done: Future[int]) -> None:
    """A worker that failed or refused the request: Bolt's error handler in the worker has
    already dealt with what a listener raised, so what is left is the pool's own failures."""
    error = done.exception()
    if error is not None:
        log.error("a worker process could not answer a request: %r", error)
    elif done.result() != 200:
        log.error("a worker process answered a request with HTTP %s", done.result())
