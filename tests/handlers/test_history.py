"""A visit's history through signed HTTP: every state change is recorded once, with who and when
and before → after; `/tourism history` and the History button show it to the people involved."""

from datetime import timedelta
from typing import Any

from bot.applications import views as application_views
from bot.history.service import REFUSAL
from bot.history.views import HISTORY, HISTORY_PAGE
from infra.fake_slack.requests import plain
from storage.history import CHANGED
from storage.models import AuditEntry
from tests.conftest import NOW, ORGANISER, RunningBot
from tests.handlers.test_applications import (
    HOST_LEAD,
    VISITOR,
    WINDOW_START,
    apply,
    button_value,
    click,
    dms_to,
    world,  # noqa: F401 (a fixture)
)
from tests.handlers.test_date_change import (
    BUDDY,
    HOME_LEAD,
    NEW_START,
    application_id,  # noqa: F401 (a fixture)
    book,
    carried_out,
    messages_titled,
    submit_start,
)
from tests.handlers.test_extensions import asked, home_agrees, host_agrees
from tests.handlers.test_extensions import carried_out as extension_carried_out
from tests.handlers.test_extensions import tour_id as extension_tour_id  # noqa: F401
from tests.handlers.test_openings import LEAD, list_command, press, teams  # noqa: F401
from tests.support.openings import buttons, seed_openings

STRANGER = "U0STRANGER"
Change = tuple[str | None, str, bool, dict[str, list[Any]]]


def history(bot: RunningBot, *subjects: str) -> list[Change]:
    """(who, which record, created, {field: [before, after]}) of each state change, in order."""
    with bot.deps.reader() as uow:
        entries = uow.history.of_subjects("T0TEST", subjects)
    return [
        (
            e.actor_id,
            e.record.value,
            e.created,
            {c.field: [c.before, c.after] for c in e.changes},
        )
        for e in entries
    ]


def tour_of(bot: RunningBot, application: str) -> int:
    with bot.deps.reader() as uow:
        return int(uow.tours.of_application(int(application)).id)


def status(before: str | None, after: str) -> dict[str, list[Any]]:
    return {"status": [before, after]}


def test_applying_deciding_confirming_and_withdrawing_are_history(bot: RunningBot, world):  # noqa: F811
    apply(bot, world["opening"])
    [request] = dms_to(bot, HOST_LEAD)
    application = button_value(request, application_views.HOST_ACCEPT)
    assert button_value(request, HISTORY) == application
    click(bot, HOST_LEAD, application_views.HOST_ACCEPT, application)
    carried_out(
        bot,
        lambda: bot.requests.view_submission(
            user_id=HOME_LEAD,
            callback_id=application_views.HOME_AGREE_MODAL,
            private_metadata=application,
            values={"covering": {"covering": plain("Ola")}},
        ),
    )
    messages_titled(bot, "Please confirm the visit card", 4)
    book(bot, application)
    carried_out(
        bot,
        lambda: bot.requests.view_submission(
            user_id=VISITOR,
            callback_id=application_views.WITHDRAW_MODAL,
            private_metadata=application,
            values={"reason": {"reason": plain("Family matters")}},
        ),
    )
    messages_titled(bot, "A visit was called off", 3)

    tour = tour_of(bot, application)
    first, last = (
        WINDOW_START.isoformat(),
        (WINDOW_START + timedelta(days=25)).isoformat(),
    )  # a Friday
    dates = {"starts_on": [None, first], "ends_on": [None, last]}
    changes = history(bot, f"application:{application}", f"tour:{tour}")
    confirmations = [c for c in changes if c[1] == "card_confirmation"]
    # The four click at once: each confirmation is theirs, in whatever order they landed.
    confirmers = ((VISITOR, "visitor"), (BUDDY, "buddy"), (HOST_LEAD, "host_lead"))
    assert sorted(confirmations, key=str) == sorted(
        [
            (who, "card_confirmation", True, {"role": [None, role]})
            for who, role in (*confirmers, (HOME_LEAD, "home_lead"))
        ],
        key=str,
    )
    booker = confirmations[-1][0]  # the last confirmation books the visit
    assert [c for c in changes if c[1] != "card_confirmation"] == [
        (VISITOR, "application", True, {**status(None, "submitted"), **dates}),
        (HOST_LEAD, "application", False, status("submitted", "host_accepted")),
        (HOME_LEAD, "application", False, status("host_accepted", "home_agreed")),
        (booker, "application", False, status("home_agreed", "confirmed")),
        (booker, "tour", True, {**status(None, "scheduled"), **dates}),
        (VISITOR, "application", False, status("confirmed", "cancelled")),
        (VISITOR, "tour", False, status("scheduled", "cancelled")),
    ]
    # The seat the booking took is the opening's own history.
    assert history(bot, f"opening:{world['opening']}") == [
        (None, "opening", True, status(None, "open")),
        (booker, "opening", False, status("open", "filled")),
        (VISITOR, "opening", False, status("filled", "open")),
    ]


def test_a_declined_application_is_history(bot: RunningBot, world):  # noqa: F811
    apply(bot, world["opening"])
    [request] = dms_to(bot, HOST_LEAD)
    application = button_value(request, application_views.HOST_ACCEPT)
    bot.requests.view_submission(
        user_id=HOST_LEAD,
        callback_id=application_views.HOST_DECLINE_MODAL,
        private_metadata=application,
        values={"reason": {"reason": plain("Full this quarter")}},
    )
    messages_titled(bot, "Your visit was declined", 1)
    assert history(bot, f"application:{application}")[1:] == [
        (HOST_LEAD, "application", False, status("submitted", "declined"))
    ]


def test_changed_dates_are_history(bot: RunningBot, application_id: str):  # noqa: F811
    book(bot, application_id)
    carried_out(bot, lambda: submit_start(bot, HOST_LEAD, application_id, NEW_START))
    messages_titled(bot, "The visit's dates changed: please confirm again", 3)
    tour = tour_of(bot, application_id)
    moved = {
        "starts_on": ["2027-01-04", NEW_START.isoformat()],
        "ends_on": ["2027-01-29", (NEW_START + timedelta(days=25)).isoformat()],
    }
    changes = history(bot, f"application:{application_id}", f"tour:{tour}")
    assert (HOST_LEAD, "application", False, moved) in changes
    assert changes[-1] == (HOST_LEAD, "tour", False, moved)


def test_an_extension_asked_and_agreed_is_history(bot: RunningBot, extension_tour_id: int):  # noqa: F811
    extension = asked(bot, extension_tour_id)
    host_agrees(bot, extension)
    extension_carried_out(bot, lambda: home_agrees(bot, extension))
    messages_titled(bot, "The visit is longer", 3)
    assert history(bot, f"tour:{extension_tour_id}")[1:] == [
        (VISITOR, "extension", True, status(None, "submitted")),
        (HOST_LEAD, "extension", False, status("submitted", "host_agreed")),
        (HOME_LEAD, "extension", False, status("host_agreed", "agreed")),
        (HOME_LEAD, "tour", False, {"ends_on": ["2026-12-11", "2026-12-25"]}),
    ]


def test_closing_an_opening_is_history(bot: RunningBot, teams: dict[str, int]):  # noqa: F811
    [opening_id] = seed_openings(bot, "Search", ["Ours"])
    listing = list_command(bot, "openings mine", LEAD)
    press(bot, next(b for b in buttons(listing["blocks"]) if b["text"]["text"] == "Close"), LEAD)
    assert history(bot, f"opening:{opening_id}")[-1] == (
        LEAD,
        "opening",
        False,
        status("open", "closed"),
    )


# --- reading it -------------------------------------------------------------------------------


def command(bot: RunningBot, text: str, user_id: str) -> dict[str, Any]:
    """The answer; Bolt sends an answer of text alone as plain text."""
    response = bot.requests.slash_command(text, user_id=user_id)
    assert response.status == 200
    return response.json() if response.body.startswith(b"{") else {"text": response.text}


def test_the_people_of_the_visit_read_its_history_and_others_are_refused(
    bot: RunningBot,
    application_id: str,  # noqa: F811
):
    book(bot, application_id)
    for reader in (VISITOR, HOST_LEAD, HOME_LEAD, ORGANISER):
        shown = command(bot, f"history {application_id}", reader)
        text = str(shown["blocks"])
        assert "Visit history" in text, reader
        # The opening's title is user text: escaped.
        assert "Streams &lt;!channel&gt; &amp; &lt;@U123&gt;" in text
        assert "Application: status host accepted → home agreed" in text
        assert f"<@{HOME_LEAD}> · Visit card: confirmed by the home lead" in text
    for outsider in (BUDDY, STRANGER):
        assert command(bot, f"history {application_id}", outsider)["text"] == REFUSAL
    tour = tour_of(bot, application_id)
    by_visit = command(bot, f"history visit {tour}", HOST_LEAD)
    assert "Visit: created: status scheduled" in str(by_visit["blocks"])


def test_history_without_a_known_id_explains_the_usage(bot: RunningBot):
    for text in ("history", "history soon", "history 12 13", "history 99999999999"):
        assert "Usage: `/tourism history" in command(bot, text, VISITOR)["text"], text
    assert "There is no application 4" in command(bot, "history 4", VISITOR)["text"]
    assert "There is no visit 4" in command(bot, "history visit 4", VISITOR)["text"]


def test_the_history_button_checks_who_pressed_it(
    bot: RunningBot,
    application_id: str,  # noqa: F811
):
    book(bot, application_id)
    summary = dms_to(bot, HOME_LEAD)[-1]
    assert button_value(summary, HISTORY) == application_id
    before = len(bot.slack.calls("response_url"))
    for user_id in (HOME_LEAD, BUDDY):
        bot.requests.block_action(user_id=user_id, action_id=HISTORY, value=application_id)
    answers = [c.params for c in bot.slack.wait_for("response_url", count=before + 2)[before:]]
    # The two clicks are answered in either order.
    [refused] = [answer for answer in answers if answer["text"] == REFUSAL]
    [shown] = [answer for answer in answers if answer is not refused]
    assert "Visit history" in str(shown["blocks"])
    bot.requests.block_action(user_id=HOME_LEAD, action_id=HISTORY, value="twelve")
    stale = bot.slack.wait_for("response_url", count=before + 3)[-1].params["text"]
    assert "no longer valid" in stale


def test_a_long_history_is_paged_within_slacks_limits(
    bot: RunningBot,
    application_id: str,  # noqa: F811
):
    with bot.deps.uow() as uow:
        for week in range(60):
            uow.session.add(
                AuditEntry(
                    workspace_id="T0TEST",
                    actor_user_id=HOST_LEAD,
                    action=CHANGED,
                    subject=f"application:{application_id}",
                    detail={"record": "application", "id": 0, "changes": {"ends_on": [week, week]}},
                    at=NOW + timedelta(weeks=week),
                )
            )
        uow.commit()
    latest = command(bot, f"history {application_id}", HOST_LEAD)
    assert len(latest["blocks"]) <= 50
    [earlier] = buttons(latest["blocks"])
    assert (earlier["action_id"], earlier["text"]["text"]) == (HISTORY_PAGE, "Earlier changes")
    bot.requests.block_action(user_id=HOST_LEAD, action_id=HISTORY_PAGE, value=earlier["value"])
    page = bot.slack.wait_for("response_url")[-1].params
    assert page["replace_original"] is True  # the page turned, not a second message
    assert "Application: status none → submitted" not in str(page["blocks"])
    assert "status host accepted → home agreed" in str(page["blocks"])
    assert [b["text"]["text"] for b in buttons(page["blocks"])] == ["Later changes"]
