"""Acknowledge first: heavy work after `ack()` never delays another request's acknowledgement.

Bolt (HTTP mode) runs each listener in its listener executor while the thread that read the
request waits, polling, for the listener's `ack()`. With one bounded pool, listeners busy with
the work after their ack (the matching index, a Home render, Slack calls) hold every thread, and
a new request's listener waits in the queue before it can even acknowledge: Slack gives up after
3 s. Here each listener gets a thread at once, and what a listener does once its request is
acknowledged waits for one of a few work slots. Threads waiting for a slot use no CPU, so
acknowledging never competes with more than the work slots' share of it.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from slack_bolt import Ack, BoltRequest, BoltResponse
from slack_bolt.lazy_listener import LazyListenerRunner
from slack_bolt.lazy_listener.internals import build_runnable_function

from infra.logs import ContextThreadPool

# The acknowledgement of the request being dispatched, seen by its listener's thread.
_request_ack: contextvars.ContextVar[Ack | None] = contextvars.ContextVar(
    "request_ack", default=None
)


class _WorkSlot:
    """A listener thread's claim on a work slot, taken at most once and given back at the end."""

    def __init__(self, slots: threading.BoundedSemaphore) -> None:
        self._slots = slots
        self._held = False

    def take(self) -> None:
        if not self._held:
            self._slots.acquire()
            self._held = True

    def give_back(self) -> None:
        if self._held:
            self._held = False
            self._slots.release()


_work_slot: contextvars.ContextVar[_WorkSlot | None] = contextvars.ContextVar(
    "work_slot", default=None
)


class SlotAck(Ack):
    """Bolt's ack(): once the answer is set, the listener's thread waits for a work slot."""

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = super().__call__(*args, **kwargs)
        slot = _work_slot.get()
        if slot is not None:  # a listener's thread; Bolt acks events in the request's own
            slot.take()
        return response


class AckFirstPool(ContextThreadPool):
    """Bolt's listener executor: a thread per listener (up to `max_threads`; beyond, listeners
    queue), at most `work_slots` of them working after their acknowledgement at a time."""

    def __init__(self, max_threads: int, work_slots: int) -> None:
        super().__init__(max_workers=max_threads, thread_name_prefix="listener")
        self._slots = threading.BoundedSemaphore(work_slots)

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        return super().submit(self._in_turn, False, fn, *args, **kwargs)

    def submit_work(self, fn: Callable[[], Any]) -> Future[Any]:
        """Runs `fn`, all of it work done after an acknowledgement, in a work slot."""
        return super().submit(self._in_turn, True, fn)

    def _in_turn(self, all_work: bool, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        slot = _WorkSlot(self._slots)
        _work_slot.set(slot)  # this task runs in a copy of the submitter's context
        ack = _request_ack.get()
        if all_work or ack is None or ack.response is not None:
            slot.take()  # acknowledged before it ran (events, lazy listeners): all of it is work
        try:
            return fn(*args, **kwargs)
        finally:
            slot.give_back()


class SlotLazyRunner(LazyListenerRunner):
    """Bolt's lazy listener runner: each lazy listener, started once its request is
    acknowledged, runs in a work slot of the listeners' pool."""

    def __init__(self, pool: AckFirstPool) -> None:
        self.logger = logging.getLogger(__name__)
        self._pool = pool

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        self._pool.submit_work(
            build_runnable_function(func=function, logger=self.logger, request=request)
        )


def dispatch_acking_first(
    dispatch: Callable[[BoltRequest], BoltResponse], req: BoltRequest
) -> BoltResponse:
    """Bolt's dispatch with an ack that lets the listener's thread go on only in turn. Run it in
    a context of the request's own, which the listener's thread inherits."""
    ack = SlotAck()  # type: ignore[no-untyped-call]  # Bolt leaves Ack() unannotated
    req.context["ack"] = ack
    _request_ack.set(ack)
    return dispatch(req)
