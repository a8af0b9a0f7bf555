"""The demo's stage: the real app over signed HTTP, the Slack stand-in, a real SQLite database,
the scheduler ticking on a business clock the script moves, and a record of what each person saw.

People act as they would in Slack: they type commands, click buttons they were shown, and fill
in the modals the bot opened. Each act waits until the bot has answered; an act the bot leaves
unanswered, or a surface Slack would refuse, stops the demo with what went wrong.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app import TourismApp, create_app
from bot.core.clock import FixedClock
from bot.workspaces.service import register_workspace
from infra.delivery import Deliverer, build_delivery_client
from infra.fake_slack import FakeSlack, RecordedCall
from infra.fake_slack.requests import Response, SlackRequests, filled_state
from infra.http import HttpServer, slack_wsgi_app
from infra.scheduler import MAINTENANCE_HOOKS, Ticker, Workspaces
from infra.settings import load_settings
from infra.workspace_scope import WorkspaceScope
from storage import migrate

Json = dict[str, Any]
ANSWER_TIMEOUT = 10.0
QUIET_SECONDS = 0.2  # no new Slack call for this long: the bot has finished answering


class DemoStepError(Exception):
    """A step the bot did not answer as a person would expect; the message says how."""


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    role: str


@dataclass(frozen=True)
class Surface:
    """Something a person saw: a message (in a DM, a channel, or only to them), a modal, a Home
    tab, an edited message, or a form's field errors."""

    kind: str  # message | ephemeral | modal | home | edit | errors | filled | terminal
    viewer: str  # a user id, or a channel id for channel messages
    content: Json  # a message's text/blocks, a view, or {"errors": {...}} / {"text": ...}

    @property
    def blocks(self) -> list[Json]:
        if self.kind in ("modal", "home"):
            return list(self.content.get("blocks", []))
        return list(self.content.get("blocks") or [])


# What a step waits for: true once the surfaces seen so far include the answer it expects.
Expectation = Callable[[list[Surface]], bool]


@dataclass
class Scene:
    """One act of one person and everything the bot showed because of it."""

    when: datetime
    actor: Person | None
    action: str
    surfaces: list[Surface] = field(default_factory=list)


@dataclass
class Stage:
    fake: FakeSlack
    tourism: TourismApp
    server: HttpServer
    ticker: Ticker
    clock: FixedClock
    requests: SlackRequests
    workspace_id: str
    people: dict[str, Person] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)  # id → name
    scenes: list[Scene] = field(default_factory=list)
    chapter: list[tuple[int, str]] = field(default_factory=list)  # (scene index, title)
    replaced: set[int] = field(default_factory=set)  # ids of messages replaced since shown
    _calls_seen: int = 0  # Slack calls already put in a scene

    # --- the cast --------------------------------------------------------------------------

    def cast(self, user_id: str, name: str, role: str) -> Person:
        person = Person(user_id, name, role)
        self.people[user_id] = person
        self.fake.add_user(user_id, name=name.split(maxsplit=1)[0].lower(), real_name=name)
        return person

    def open_channel(self, channel_id: str, name: str) -> None:
        self.channels[channel_id] = name
        self.fake.add_channel(channel_id, name, members=[self.fake.bot_user_id])

    def begin_chapter(self, title: str) -> None:
        self.chapter.append((len(self.scenes), title))

    def name_of(self, viewer: str) -> str:
        if viewer in self.people:
            return self.people[viewer].name
        return f"#{self.channels.get(viewer, viewer)}"

    # --- time ------------------------------------------------------------------------------

    def travel_to(self, instant: datetime, expect: Expectation) -> Scene:
        """Moves the business clock; the scheduler's upkeep and deliveries run at the new time."""
        self.clock.move_to(instant)
        label = instant.astimezone(self.tourism.deps.settings.timezone)
        return self._act(
            None,
            f"Time passes: {label:%A %d %B %Y, %H:%M}",
            self.ticker.maintain,
            expect,
            "the scheduler's messages",
        )

    # --- acts ------------------------------------------------------------------------------

    def command(self, person: Person, text: str, expect: Expectation = bool) -> Scene:
        return self._act(
            person,
            f"types `/tourism {text}`".rstrip(),
            lambda: self.requests.slash_command(text, user_id=person.user_id, channel_id="C0DEMO"),
            expect,
            f"an answer to /tourism {text}",
        )

    def open_home(self, person: Person) -> Scene:
        event = {"type": "app_home_opened", "user": person.user_id, "tab": "home"}
        return self._act(
            person,
            "opens the bot's Home tab",
            lambda: self.requests.event(event | {"channel": f"D{person.user_id}"}),
            lambda seen: any(s.kind == "home" for s in seen),
            "their Home tab",
        )

    def click(
        self,
        person: Person,
        action_id: str,
        *,
        where: str | None = None,
        about: str | None = None,
        choose: str | None = None,
        expect: Expectation = bool,
    ) -> Scene:
        """Clicks the newest button `action_id` shown to the person (under a text mentioning
        `about`): in a message they were sent, in a channel `where`, in a message only they
        saw, or on their Home tab."""
        surface, element = self._find_button(person, action_id, where or person.user_id, about)
        kwargs: Json = {"user_id": person.user_id, "action_id": action_id}
        kwargs["block_id"] = element.pop("_block_id")
        kwargs["value"] = element.get("value")
        if choose is not None:  # a select menu: the option picked, by its text
            picked = next(o for o in element["options"] if o["text"]["text"] == choose)
            kwargs["selected_option"] = picked
            element["text"] = picked["text"]
        if surface.kind in ("home", "modal"):
            kwargs["view"] = surface.content
        else:
            channel = surface.viewer if surface.kind != "ephemeral" else f"D{person.user_id}"
            kwargs["channel_id"] = channel
            kwargs["message"] = {"type": "message", "ts": "0.0", "text": "", **surface.content}
        shown = element.get("text", {}).get("text", action_id)
        verb = f"picks “{shown}” in a menu" if choose is not None else f"clicks *{shown}*"
        scene = self._act(
            person,
            verb,
            lambda: self.requests.block_action(**kwargs),
            expect,
            f"an answer to the {shown!r} button",
        )
        if surface.kind in ("ephemeral", "edit") and any(
            s.kind == "edit" and s.viewer == person.user_id for s in scene.surfaces
        ):
            self.replaced.add(id(surface))  # a reply through response_url replaced it
        return scene

    def submit(
        self,
        person: Person,
        answers: Json,
        expect: Expectation = bool,
    ) -> Scene:
        """Fills in the modal open in front of the person (`answers` by block id; the rest as
        the modal offered it) and submits it. Field errors stop the demo."""
        view = self._open_modal(person)
        title = view.get("title", {}).get("text", "the form")
        values = filled_state(view, answers)
        filled = Surface("filled", person.user_id, {"fields": self._filled_in(view, values)})
        scene = self._act(
            person,
            f"fills in and submits “{title}”",
            lambda: self.requests.view_submission(
                user_id=person.user_id,
                callback_id=view.get("callback_id", ""),
                values=values,
                private_metadata=view.get("private_metadata", ""),
                view_id=view["id"],
            ),
            expect,
            f"the {title!r} form to be accepted",
            shown_first=[filled],
        )
        errors = [s for s in scene.surfaces if s.kind == "errors"]
        if errors:
            raise DemoStepError(f"the form {title!r} was refused: {errors[0].content['errors']}")
        return scene

    def terminal(self, person: Person, command: str, output: str) -> None:
        scene = Scene(self.clock.now(), person, f"runs `{command}`")
        shown = {"command": command, "text": output}
        scene.surfaces.append(Surface("terminal", person.user_id, shown))
        self.scenes.append(scene)

    # --- what people see -------------------------------------------------------------------

    def seen_by(self, person: Person) -> Iterator[Surface]:
        """Everything the person has seen, newest first."""
        for scene in reversed(self.scenes):
            for surface in reversed(scene.surfaces):
                if surface.viewer == person.user_id:
                    yield surface

    def _filled_in(self, view: Json, values: Json) -> list[list[str]]:
        """Each field of the form as the person left it: [label, what it shows]."""
        fields = []
        for block in view.get("blocks", []):
            if block["type"] != "input":
                continue
            [state] = values[block["block_id"]].values()
            fields.append([block["label"]["text"], self._shown_value(state)])
        return fields

    def _shown_value(self, state: Json) -> str:
        if state.get("selected_option"):
            return str(state["selected_option"]["text"]["text"])
        if "selected_options" in state:
            return ", ".join(o["text"]["text"] for o in state["selected_options"])
        if "selected_users" in state:
            return ", ".join(map(self.name_of, state["selected_users"]))
        for key in ("selected_user", "selected_conversation"):
            if state.get(key):
                return self.name_of(state[key])
        return str(state.get("value") or state.get("selected_date") or "")

    def _open_modal(self, person: Person) -> Json:
        modal = next((s for s in self.seen_by(person) if s.kind == "modal"), None)
        if modal is None:
            raise DemoStepError(f"{person.name} has no modal open to fill in")
        return modal.content

    def _find_button(
        self, person: Person, action_id: str, where: str, about: str | None
    ) -> tuple[Surface, Json]:
        places = [s for scene in reversed(self.scenes) for s in reversed(scene.surfaces)]
        for shown in places:
            visible = shown.viewer == where or (
                shown.viewer == person.user_id and shown.kind in ("ephemeral", "home")
            )
            if not visible or id(shown) in self.replaced:
                continue
            surface = self._current(shown)
            heading = ""
            for block in surface.blocks:
                if block.get("text"):
                    heading = json.dumps(block["text"], ensure_ascii=False)
                for element in [*block.get("elements", []), block.get("accessory") or {}]:
                    wanted = element.get("action_id") == action_id and (
                        about is None or about in heading
                    )
                    if wanted:
                        return surface, {**element, "_block_id": block.get("block_id", "b")}
        about_text = f" about {about!r}" if about else ""
        raise DemoStepError(f"{person.name} was never shown a {action_id!r} button{about_text}")

    def _current(self, surface: Surface) -> Surface:
        """A message as it is now (the bot may have edited it since)."""
        ts = surface.content.get("ts")
        if surface.kind != "message" or ts is None:
            return surface
        for message in self.fake.messages(surface.viewer):
            if message["ts"] == ts:
                return Surface("message", surface.viewer, message)
        return surface

    # --- one act ---------------------------------------------------------------------------

    def _act(
        self,
        person: Person | None,
        action: str,
        send: Callable[[], Response | None],
        expect: Expectation,
        awaited: str,
        *,
        shown_first: list[Surface] | None = None,
    ) -> Scene:
        self._settle_previous()
        scene = Scene(self.clock.now(), person, action, list(shown_first or []))
        self.scenes.append(scene)
        first_call, refused = len(self.fake.calls()), len(self.fake.refusals())
        try:
            answer = send()
        except AssertionError as error:  # the request builder found an ack Slack would refuse
            raise DemoStepError(f"{awaited}: {error}") from None
        if answer is not None:
            if answer.status != 200:
                raise DemoStepError(f"{awaited}: the app answered HTTP {answer.status}")
            scene.surfaces.extend(self._from_ack(person, answer))
        deadline = time.monotonic() + ANSWER_TIMEOUT
        while True:
            calls = self.fake.calls()[first_call:]
            seen = scene.surfaces + [s for c in calls if (s := self._surface(person, c))]
            quiet = not calls or time.monotonic() - calls[-1].at > QUIET_SECONDS
            if (expect(seen) and quiet) or any(s.kind == "errors" for s in seen):
                break
            if time.monotonic() > deadline:
                scene.surfaces = seen
                summary = ", ".join(f"{c.method}({c.status})" for c in calls) or "nothing"
                raise DemoStepError(f"waited {ANSWER_TIMEOUT:.0f}s for {awaited}; got {summary}")
            time.sleep(0.02)
        if len(self.fake.refusals()) > refused:
            method, refusal = self.fake.refusals()[-1]
            raise DemoStepError(f"Slack refused {method}: {refusal.error} {refusal.messages}")
        failed = [c for c in calls if c.response and not c.response.get("ok")]
        if failed:
            reason = failed[0].response.get("error") if failed[0].response else failed[0].status
            raise DemoStepError(f"{awaited}: Slack answered {failed[0].method} with {reason}")
        scene.surfaces = seen
        self._calls_seen = first_call + len(calls)
        return scene

    def _settle_previous(self) -> None:
        """What the bot still sent after the previous act looked answered belongs to that act."""
        while (calls := self.fake.calls()) and time.monotonic() - calls[-1].at < QUIET_SECONDS:
            time.sleep(0.02)
        if not self.scenes:
            return
        previous = self.scenes[-1]
        late = calls[self._calls_seen :]
        previous.surfaces += [s for c in late if (s := self._surface(previous.actor, c))]
        self._calls_seen = len(calls)

    def _from_ack(self, person: Person | None, answer: Response) -> list[Surface]:
        if (
            person is None
            or not answer.body
            or "json" not in answer.headers.get("content-type", "")
        ):
            if person is not None and answer.body:
                return [Surface("ephemeral", person.user_id, {"text": answer.text})]
            return []
        payload = answer.json()
        if payload.get("response_action") == "errors":
            return [Surface("errors", person.user_id, {"errors": payload.get("errors", {})})]
        if payload.get("response_action") in ("update", "push"):
            view = {"id": f"V{secrets.token_hex(4)}", **payload["view"]}
            return [Surface("modal", person.user_id, view)]
        if "text" in payload or "blocks" in payload:
            return [Surface("ephemeral", person.user_id, payload)]
        return []

    def _surface(  # noqa: PLR0911 - one answer per Slack method
        self, actor: Person | None, call: RecordedCall
    ) -> Surface | None:
        params, response = call.params, call.response or {}
        if call.method == "chat.postMessage" and response.get("ok"):
            viewer = str(params["channel"]).removeprefix("D")
            return Surface("message", viewer, response["message"])
        if call.method == "chat.update" and response.get("ok"):
            viewer = str(params["channel"]).removeprefix("D")
            return Surface("edit", viewer, response["message"])
        if call.method == "chat.postEphemeral":
            return Surface("ephemeral", str(params["user"]), params)
        if call.method == "response_url" and actor is not None:
            kind = "edit" if params.get("replace_original") else "ephemeral"
            return Surface(kind, actor.user_id, params)
        if call.method in ("views.open", "views.push", "views.update") and response.get("ok"):
            if actor is None:
                return None
            return Surface("modal", actor.user_id, response["view"])
        if call.method == "views.publish" and response.get("ok"):
            return Surface("home", str(params["user_id"]), response["view"])
        return None


def any_of(kind: str | None, viewer: Person | str | None = None, text: str = "") -> Expectation:
    """An expectation: a surface of `kind` (any if None) seen by `viewer` (anyone if None),
    mentioning `text` (a word, or a button's action_id) was shown."""
    who = viewer.user_id if isinstance(viewer, Person) else viewer

    def met(seen: list[Surface]) -> bool:
        return any(
            kind in (None, s.kind)
            and (who is None or s.viewer == who)
            and text in json.dumps(s.content, ensure_ascii=False)
            for s in seen
        )

    return met


def all_of(*expectations: Expectation) -> Expectation:
    def met(seen: list[Surface]) -> bool:
        return all(expect(seen) for expect in expectations)

    return met


@contextmanager
def staged(database: Path, start: datetime, workspace_id: str = "T0DEMO") -> Iterator[Stage]:
    """Everything running, torn down afterwards whatever happened."""
    signing_secret = secrets.token_hex(16)
    with FakeSlack(team_id=workspace_id, team_name="Demo Marketplace") as fake:
        url = f"sqlite:///{database}"
        migrate.upgrade(url)
        settings = load_settings(
            {
                "SLACK_BOT_TOKEN": "xoxb-demo-token",
                "SLACK_SIGNING_SECRET": signing_secret,
                "SLACK_API_URL": fake.base_url,
                "DATABASE_URL": url,
                "TOURISM_ADMINS": "U0ORGANISER",
                "TOURISM_TIMEZONE": "Europe/Warsaw",
                "TOURISM_CHANNEL": "C0TOURISM",
                "TOURISM_TICK_SECONDS": "1",
            }
        )
        clock = FixedClock(start)
        tourism = create_app(settings, clock)
        register_workspace(
            tourism.deps.uow,
            workspace_id,
            name=fake.team_name,
            bot_user_id=fake.bot_user_id,
            now=start,
        )
        server = HttpServer(slack_wsgi_app(tourism.bolt, signing_secret), "127.0.0.1", 0)
        server.start_in_background()
        # The stand-in has no rate limits, so the deliverer need not pace itself for Slack's.
        deliverer = Deliverer(
            uow=tourism.deps.uow,
            client=build_delivery_client(settings),
            clock=clock,
            workspace_id=workspace_id,
            organisers=settings.admin_user_ids,
            rates={},
        )
        ticker = Ticker(
            deps=tourism.deps,
            workspaces=Workspaces.one(
                WorkspaceScope(workspace_id, settings, settings.slack_bot_token), deliverer
            ),
            tick_seconds=settings.tick_seconds,
            maintenance=MAINTENANCE_HOOKS,
            tours=tourism.tours,
            announce_closed=tourism.announce_closed,
        )
        ticker.start()
        requests = SlackRequests(server.url, signing_secret, team_id=workspace_id, fake_slack=fake)
        try:
            yield Stage(fake, tourism, server, ticker, clock, requests, workspace_id)
        finally:
            ticker.stop()
            server.stop()
            tourism.close()
