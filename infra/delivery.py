"""The delivery worker: claims due outbox rows, posts them to Slack, records what happened.

Exactly once, through crashes, timeouts and several replicas:
- a claim (with a lease) is committed before anything is sent, so two deliverers never hold the
  same row; each outcome is recorded by the claim's owner alone, right after its Slack call;
- every message carries its outbox id in Slack message metadata. When Slack may have posted
  without our knowing (a timeout, a 5xx, or a row taken over from a deliverer that died), that
  doubt is stored on the row, and from then on the conversation's recent history is searched for
  that id before anything is sent again (after a release or a restart too);
- a row too late to be worth sending, that cannot be in Slack, expires without a Slack call and
  before anything is claimed, so today's messages never wait behind it;
- the Web API client retries nothing by itself (slack-sdk's ServerErrorRetryHandler would resend
  blindly): 429 is waited out here and does not count as an attempt.
Calls are paced per method and per conversation at Slack's published limits (settings can change
them), through the database so that replicas share one pace (infra/pace.py), from a small pool
of threads; claims come in small batches, so memory does not grow with the size of the queue.
A direct message is posted to the person's user id, which Slack turns into the app's DM with
them: no conversations.open per message. A refused DM asks conversations.open, which tells a
deactivated person (user_disabled) from other refusals.
"""

from __future__ import annotations

import http.client
import logging
import os
import socket
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.core.clock import Clock
from bot.core.ports import ReaderFactory, UnitOfWorkFactory
from bot.scheduling.delivery import (
    TOO_LATE,
    Expired,
    Failed,
    Outcome,
    Paused,
    Problem,
    Released,
    Sent,
    after_unsuccessful_try,
    classify,
    is_stale,
    stale_cutoffs,
)
from bot.scheduling.model import ClaimedMessage
from bot.scheduling.service import (
    deliveries_paused,
    pause_deliveries,
    payload_to_send,
    record_outcome,
    resume_deliveries,
)
from bot.scheduling.views import ScheduledMessage, render
from infra.metrics import SlackCallMetrics
from infra.pace import POST, DatabasePace, Pacer, PaceStore, configured_rates
from infra.settings import Settings

log = logging.getLogger(__name__)

REQUEST_TIMEOUT_SECONDS = 10
LEASE = timedelta(minutes=5)
METADATA_EVENT_TYPE = "tourism_outbox"
HISTORY_PAGE_SIZE = 200
HISTORY_PAGES = 5
# How far before a row's creation history is searched: allows for clocks that disagree.
HISTORY_SLACK = timedelta(hours=1)
LONGEST_RATE_LIMIT_WAIT = 60.0
MAX_BATCH = 200
THREADS = 4
# Calls a second: Slack's published limits, which the deliverer keeps to instead of hitting 429s.
DEFAULT_RATES: Mapping[str, float] = configured_rates({})
# A failure that happens before Slack could have acted is just transient; these may hide a post.
UNCERTAIN_EXCEPTIONS: tuple[type[BaseException], ...] = (OSError, http.client.HTTPException)
# While deliveries are paused, auth.test failing either way keeps them paused.
PAUSE_CHECK_FAILURES: tuple[type[BaseException], ...] = (SlackApiError, *UNCERTAIN_EXCEPTIONS)


def build_delivery_client(
    settings: Settings, timeout: float = REQUEST_TIMEOUT_SECONDS, *, token: str | None = None
) -> WebClient:
    """A client that retries nothing on its own: every resend is decided by the deliverer.
    (SlackCallMetrics only counts errors and rate limits.) `token`: a workspace's own, with many."""
    options: dict[str, Any] = {"base_url": settings.slack_api_url} if settings.slack_api_url else {}
    return WebClient(
        token=token or settings.slack_bot_token,
        timeout=int(timeout),
        retry_handlers=[SlackCallMetrics()],
        **options,
    )


def build_deliverer(
    settings: Settings,
    *,
    uow: UnitOfWorkFactory,
    reader: ReaderFactory,
    clock: Clock,
    workspace_id: str,
    token: str | None = None,
) -> Deliverer:
    """The deliverer as the bot runs it: its own client (with the workspace's own token when
    there are many), the configured pace, shared."""
    return Deliverer(
        uow=uow,
        reader=reader,
        client=build_delivery_client(settings, token=token),
        clock=clock,
        workspace_id=workspace_id,
        organisers=settings.admin_user_ids,
        rates=configured_rates(settings.slack_rates),
    )


class SlackTimeZones:
    """People's time zones from users.info, remembered for the life of the process.

    `zone_of` answers from memory only: planning runs inside transactions, where no Slack call
    belongs. `learn` asks Slack, outside them."""

    def __init__(self, client: WebClient) -> None:
        self._client = client
        self._known: dict[str, str | None] = {}

    def is_known(self, user_id: str) -> bool:
        return user_id in self._known

    def zone_of(self, user_id: str) -> str | None:
        return self._known.get(user_id)

    def learn(self, user_ids: Iterable[str]) -> None:
        for user_id in user_ids:
            if user_id in self._known:
                continue
            try:
                self._known[user_id] = self._client.users_info(user=user_id)["user"].get("tz")
            except SlackApiError as error:  # Slack answered: it has no zone for them
                log.info("no time zone for %s: %s", user_id, error.response.get("error"))
                self._known[user_id] = None
            except UNCERTAIN_EXCEPTIONS as error:  # asked again when a tour needs it next
                log.info("no time zone for %s yet: %s", user_id, error)


class _RateLimitTooLongError(Exception):
    def __init__(self, method: str, seconds: float) -> None:
        super().__init__(f"{method} rate limited for {seconds:.0f}s")
        self.seconds = seconds


class _LeaseRunningOutError(Exception):
    """The claim could run out before Slack answers: another deliverer may soon send the row."""


def _error_code(error: SlackApiError) -> str:
    return str(error.response.get("error") or "unknown_error")


def _retry_after(response: SlackResponse) -> float:
    headers = {name.lower(): value for name, value in (response.headers or {}).items()}
    value = headers.get("retry-after")
    if isinstance(value, list):
        value = value[0]
    try:
        return max(float(value), 0.0) if value is not None else 1.0
    except ValueError:
        return 1.0


def _is_direct(recipient: str) -> bool:
    return recipient.startswith(("U", "W"))


class Deliverer:
    """Delivers one workspace's due outbox rows; safe to run in several processes at once."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        client: WebClient,
        clock: Clock,
        workspace_id: str,
        organisers: Iterable[str],
        rates: Mapping[str, float] = DEFAULT_RATES,
        threads: int = THREADS,
        lease: timedelta = LEASE,
        batch_size: int | None = None,
        request_timeout: float = REQUEST_TIMEOUT_SECONDS,
        pace: PaceStore | None = None,
        reader: ReaderFactory | None = None,
    ) -> None:
        """`rates`: calls a second by method; `pace`: where slots are kept (default: the
        database, shared by every replica); `reader`: for what is only read."""
        self._uow = uow
        self._reader = reader or uow
        self._client = client
        self._clock = clock
        self.workspace_id = workspace_id
        self._organisers = frozenset(organisers)
        self._pace = pace or DatabasePace(uow, workspace_id, self._reader)
        self._pacer = Pacer(rates, self._pace)
        self._lease = lease
        # A claimed row must be sent well within its lease, so a batch is what the posting pace
        # gets through in a quarter of the lease.
        paced = int(rates[POST] * lease.total_seconds() / 4) if POST in rates else MAX_BATCH
        self._batch_size = batch_size or max(1, min(MAX_BATCH, paced))
        self._margin = timedelta(seconds=2 * request_timeout)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._threads = threads
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="delivery")
        self._paused = threading.Event()
        self._stopping = threading.Event()

    # --- the tick ---------------------------------------------------------------------------

    @property
    def client(self) -> WebClient:
        """The workspace's own client (its token), for the ticker's other Slack calls."""
        return self._client

    def deliver_due(self) -> Counter[str]:
        """Sends everything due now, batch by batch; returns how many rows ended how."""
        report: Counter[str] = Counter()
        if self._stopping.is_set():
            return report
        if not self._ready():
            report["paused"] += 1
            return report
        in_flight: deque[Future[str]] = deque()
        while not self._stopping.is_set() and not self._paused.is_set():
            if expired := self._expire_stale():
                report["expired"] += expired
            rows = self._claim()
            if not rows:
                if not in_flight:
                    break
                # A row still being sent may be given back (its lease running out): due again.
                report[in_flight.popleft().result()] += 1
                continue
            in_flight.extend(self._pool.submit(self._deliver, row) for row in rows)
            # The next batch is claimed while the last rows of this one are being sent, so
            # no paced slot goes by unused while claiming.
            while len(in_flight) > self._threads:
                report[in_flight.popleft().result()] += 1
        report.update(future.result() for future in in_flight)
        self._pace.prune(time.time())
        return report

    def stop(self) -> None:
        """Asks a running tick to give back what it has not sent yet, and runs no more."""
        self._stopping.set()

    def close(self) -> None:
        self._stopping.set()
        self._pool.shutdown(wait=True)

    def _ready(self) -> bool:
        """False while the workspace is paused and auth.test still fails."""
        with self._uow() as uow:
            if not deliveries_paused(uow, self.workspace_id):
                self._paused.clear()
                return True
        try:
            self._client.auth_test()
        except PAUSE_CHECK_FAILURES as error:
            log.warning("deliveries stay paused: auth.test still fails (%s)", error)
            return False
        with self._uow() as uow:
            resume_deliveries(uow, self.workspace_id, self._clock.now())
            uow.commit()
        log.info("deliveries resumed: the token works again")
        self._paused.clear()
        return True

    def _expire_stale(self) -> int:
        with self._uow() as uow:
            expired = uow.outbox.expire_stale(
                self.workspace_id, stale_cutoffs(self._clock.now()), TOO_LATE
            )
            uow.commit()
        return int(expired)

    def _claim(self) -> list[ClaimedMessage]:
        now = self._clock.now()
        with self._uow() as uow:
            rows = uow.outbox.claim_due(
                self.workspace_id,
                now=now,
                owner=self.owner,
                lease_until=now + self._lease,
                limit=self._batch_size,
            )
            uow.commit()
        return rows

    # --- one row ----------------------------------------------------------------------------

    def _deliver(self, row: ClaimedMessage) -> str:
        try:
            outcome = self._attempt(row)
        except Exception as error:  # one bad row never stalls the queue
            log.exception("delivering outbox row %s failed unexpectedly", row.id)
            self._note_doubt(row)  # it may have failed after posting
            outcome = after_unsuccessful_try(row.attempts, repr(error), self._clock.now())
        if isinstance(outcome, Paused):
            self._pause(outcome.reason)
        with self._uow() as uow:
            recorded = record_outcome(
                uow, row, self.owner, outcome, now=self._clock.now(), organisers=self._organisers
            )
            uow.commit()
        if not recorded:
            log.warning("outbox row %s: lease lost before recording %s", row.id, outcome)
        return type(outcome).__name__.lower()

    def _attempt(self, row: ClaimedMessage) -> Outcome:
        try:
            return self._try(row)
        except _RateLimitTooLongError as error:
            return Released(str(error), at=self._clock.now() + timedelta(seconds=error.seconds))
        except _LeaseRunningOutError:
            return Released("the lease is running out")
        except SlackApiError as error:
            return self._outcome_of(row, error)
        except UNCERTAIN_EXCEPTIONS as error:
            # Only chat.postMessage can have an effect, and _post settles its own doubts.
            reason = f"Slack unreachable: {error}"
            return after_unsuccessful_try(row.attempts, reason, self._clock.now())

    def _try(self, row: ClaimedMessage) -> Outcome:
        if self._paused.is_set() or self._stopping.is_set():
            return Released("stopping or paused")
        # An earlier try may have posted: look first. Otherwise, a stale row needs no Slack call.
        channel = self._conversation(row.recipient) if row.maybe_sent_at is not None else None
        if channel is not None and (ts := self._find_posted(channel, row)) is not None:
            return Sent(channel, ts)
        if is_stale(row.kind, row.due_at, self._clock.now()):
            return Expired(f"{TOO_LATE} (due {row.due_at:%Y-%m-%d %H:%M} UTC)")
        return self._post(row, channel or row.recipient, may_join=True)

    def _message(self, row: ClaimedMessage) -> ScheduledMessage:
        with self._reader() as reader:
            payload = payload_to_send(reader, row)
        return render(row.content_key, payload)

    def _post(self, row: ClaimedMessage, channel: str, *, may_join: bool) -> Outcome:
        message = self._message(row)

        def post_while_claimed(**params: Any) -> SlackResponse:
            # Checked after the pacer's wait, which a Retry-After can make long.
            if self._clock.now() >= row.lease_until - self._margin:
                raise _LeaseRunningOutError
            return self._client.chat_postMessage(**params)

        try:
            response = self._call(
                POST,
                post_while_claimed,
                conversation=row.recipient,
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                metadata={
                    "event_type": METADATA_EVENT_TYPE,
                    "event_payload": {"outbox_id": row.id},
                },
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as error:
            problem = classify(_error_code(error), error.response.status_code)
            if problem is Problem.UNCERTAIN:
                return self._settle_doubt(row, channel, _error_code(error))
            if problem is Problem.NOT_IN_CHANNEL and may_join:
                self._call("conversations.join", self._client.conversations_join, channel=channel)
                return self._post(row, channel, may_join=False)
            if problem is Problem.PERMANENT and _is_direct(row.recipient):
                return self._refused_dm(row, error)
            return self._outcome_of(row, error)
        except UNCERTAIN_EXCEPTIONS as error:
            return self._settle_doubt(row, channel, f"no answer from Slack: {error}")
        return Sent(str(response["channel"]), str(response["ts"]))

    def _refused_dm(self, row: ClaimedMessage, error: SlackApiError) -> Outcome:
        """Slack names no error of its own for a DM to a deactivated person: conversations.open
        does (user_disabled), so it is asked before the refusal is taken as it came."""
        try:
            self._conversation(row.recipient)
        except SlackApiError as opening:
            if classify(_error_code(opening), opening.response.status_code) in (
                Problem.RECIPIENT_GONE,
                Problem.TOKEN_DEAD,
            ):
                return self._outcome_of(row, opening)
        return self._outcome_of(row, error)

    def _settle_doubt(self, row: ClaimedMessage, channel: str, reason: str) -> Outcome:
        """Slack may have posted: if the message is there, it was sent; if not, retry later.
        The doubt is stored first, so a look-up that cannot be made now is made by the next try."""
        self._note_doubt(row)
        ts = self._find_posted(channel, row)
        if ts is not None:
            return Sent(channel, ts)
        return after_unsuccessful_try(row.attempts, reason, self._clock.now())

    def _note_doubt(self, row: ClaimedMessage) -> None:
        with self._uow() as uow:
            uow.outbox.note_doubt(row.id, self.owner, self._clock.now())
            uow.commit()

    def _outcome_of(self, row: ClaimedMessage, error: SlackApiError) -> Outcome:
        code = _error_code(error)
        match classify(code, error.response.status_code):
            case Problem.TOKEN_DEAD:
                return Paused(code)
            case Problem.RECIPIENT_GONE:
                return Failed(code, recipient_gone=True)
            case Problem.PERMANENT | Problem.NOT_IN_CHANNEL:
                return Failed(code)
            case _:
                return after_unsuccessful_try(row.attempts, code, self._clock.now())

    # --- Slack calls ------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        function: Callable[..., SlackResponse],
        conversation: str | None = None,
        **params: Any,
    ) -> Any:
        """Paced (per `conversation` too, if given); a 429 waits for Retry-After and tries the
        same call again (no attempt used).

        Every thread and replica honours a Retry-After; one too long to wait out gives the row
        back."""
        while True:
            if (blocked := self._pacer.blocked_for(method)) > LONGEST_RATE_LIMIT_WAIT:
                raise _RateLimitTooLongError(method, blocked)
            self._pacer.wait(method, conversation)
            try:
                return function(**params)
            except SlackApiError as error:
                if classify(_error_code(error), error.response.status_code) is not (
                    Problem.RATE_LIMITED
                ):
                    raise
                wait = _retry_after(error.response)
                self._pacer.hold(method, wait)
                if wait > LONGEST_RATE_LIMIT_WAIT:
                    raise _RateLimitTooLongError(method, wait) from error
                log.info("%s rate limited: waiting %.1fs", method, wait)

    def _conversation(self, recipient: str) -> str:
        """The channel whose history to read: a user's DM is opened (which also tells a
        deactivated user)."""
        if not _is_direct(recipient):
            return recipient
        opened = self._call("conversations.open", self._client.conversations_open, users=recipient)
        return str(opened["channel"]["id"])

    def _find_posted(self, channel: str, row: ClaimedMessage) -> str | None:
        """The ts of this row's message if it is in the conversation, by its metadata."""
        oldest = (row.created_at - HISTORY_SLACK).timestamp()
        cursor = None
        for _ in range(HISTORY_PAGES):
            page = self._call(
                "conversations.history",
                self._client.conversations_history,
                channel=channel,
                oldest=f"{oldest:.6f}",
                limit=HISTORY_PAGE_SIZE,
                include_all_metadata=True,
                **({"cursor": cursor} if cursor else {}),
            )
            for message in page.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_EVENT_TYPE and str(
                    payload.get("outbox_id")
                ) == str(row.id):
                    return str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return None
        return None

    def _pause(self, reason: str) -> None:
        if self._paused.is_set():
            return
        self._paused.set()
        log.error("Slack refuses the bot token (%s): deliveries paused, rows stay pending", reason)
        with self._uow() as uow:
            pause_deliveries(uow, self.workspace_id, reason, self._clock.now())
            uow.commit()
