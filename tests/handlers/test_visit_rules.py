"""One rule per constraint, through signed HTTP: the apply form suggests only dates that keep
every rule (the matcher's "Fits"), dates that break a soft rule reach the decider with a warning
and need a reason, and a round never gives a host more visitors than it takes."""

from datetime import date, timedelta

import pytest

from bot.applications import extension_views, views
from bot.matching import views as matching_views
from bot.openings.views import APPLY
from infra.fake_slack.requests import date as date_value
from infra.fake_slack.requests import plain
from storage.models import Application, Blackout
from tests.conftest import ORGANISER, RunningBot
from tests.handlers.test_applications import apply, button_value, dms_to, messages_titled
from tests.handlers.test_date_change import (
    REOPENED,
    START,
    application_id,  # noqa: F401 (a fixture)
    carried_out,
    open_date_change,
)
from tests.handlers.test_extensions import ENDS, HOST_ASKED, ask, tour_id  # noqa: F401
from tests.handlers.test_extensions import carried_out as extension_carried_out
from tests.support.seed import seed_opening, seed_person, seed_team, seed_tour, team_row

VISITOR, HOST_LEAD, HOME_LEAD = "U0VISITOR", "U0HOSTLEAD", "U0HOMELEAD"
MONDAY_14_DEC = date(2026, 12, 14)
FREEZE = (date(2026, 12, 21), date(2027, 1, 1))


def seed_pair(
    bot: RunningBot,
    *,
    home_blackouts=(),
    weeks: int = 4,
    earliest_start: date = MONDAY_14_DEC,
    **host_limits,
) -> int:
    """A visitor of a home team (with `home_blackouts`) and a host's opening from 14 Dec."""
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Listings", leads=(HOST_LEAD,), **host_limits)
        home = seed_team(uow, "Payments", leads=(HOME_LEAD,), blackouts=home_blackouts)
        seed_person(
            uow,
            VISITOR,
            home_team_id=home.id,
            learn_topics=["search"],
            available_from=date(2026, 12, 1),
            available_until=date(2027, 6, 30),
        )
        opening = seed_opening(
            uow,
            host,
            "Search ranking",
            earliest_start=earliest_start,
            latest_end=date(2027, 2, 26),
            weeks=weeks,
            seats=2,
            buddy_user_id="U0BUDDY",
            topics=["search"],
            work_mode="remote",
        )
        uow.commit()
        return opening.id


def host_visited_in_october(bot: RunningBot) -> None:
    """Someone already visits the host this quarter (October)."""
    with bot.deps.uow() as uow:
        host = team_row(uow, "Listings")
        someone = seed_person(uow, "U0EARLIER", home_team_id=seed_team(uow, "Elsewhere").id)
        opening = seed_opening(
            uow, host, "Earlier", earliest_start=date(2026, 10, 5), latest_end=date(2026, 10, 30)
        )
        seed_tour(
            uow,
            someone,
            opening,
            starts_on=date(2026, 10, 5),
            ends_on=date(2026, 10, 16),
            status="completed",
        )
        uow.commit()


def reason_given(bot: RunningBot, callback_id: str, target: str, reason: str, values=None):
    """The host lead submits a modal with `reason` as why the dates are fine anyway."""
    return bot.requests.view_submission(
        user_id=HOST_LEAD,
        callback_id=callback_id,
        private_metadata=target,
        values={**(values or {}), "override_reason": {"override_reason": plain(reason)}},
    )


def apply_modal(bot: RunningBot, opening_id: int) -> dict:
    before = len(bot.slack.calls("views.open"))
    bot.requests.block_action(user_id=VISITOR, action_id=APPLY, value=str(opening_id))
    return bot.slack.wait_for("views.open", count=before + 1)[-1].params["view"]


def suggested_start(modal: dict) -> str:
    [start] = [b for b in modal["blocks"] if b.get("block_id") == "starts_on"]
    return start["element"]["initial_date"]


def what_the_matcher_says(bot: RunningBot) -> str:
    bot.requests.slash_command("match", user_id=VISITOR)
    return str(bot.slack.wait_for("response_url")[-1].params["blocks"])


def test_the_apply_form_suggests_no_day_over_the_home_blackout(bot: RunningBot):
    opening_id = seed_pair(bot, home_blackouts=(FREEZE,))
    # A 4-week visit from 14 Dec runs over the freeze though it starts and ends outside it.
    assert suggested_start(apply_modal(bot, opening_id)) == "2027-01-04"
    assert "Fits 4 Jan" in what_the_matcher_says(bot)

    # Applying over it anyway: the home lead hears of the blackout and must give a reason.
    apply(bot, opening_id, start=MONDAY_14_DEC)
    [request] = bot.slack.wait_for("chat.postMessage", count=2) and dms_to(bot, HOST_LEAD)
    applied = button_value(request, views.HOST_ACCEPT)
    bot.requests.block_action(user_id=HOST_LEAD, action_id=views.HOST_ACCEPT, value=applied)
    [home_request] = messages_titled(bot, "Can your teammate be away for a visit?", 1)
    assert "Blackout: 21 Dec–1 Jan" in str(home_request["blocks"])
    assert "Agree anyway (give a reason)…" in str(home_request["blocks"])
    response = bot.requests.view_submission(
        user_id=HOME_LEAD,
        callback_id=views.HOME_AGREE_MODAL,
        private_metadata=applied,
        values={"covering": {"covering": plain("Ola")}},
    )
    assert "home team's blackout 21 Dec–1 Jan" in response.json()["errors"]["override_reason"]


def test_a_busy_host_is_suggested_the_next_quarter_and_its_lead_is_warned(bot: RunningBot):
    opening_id = seed_pair(bot, weeks=2, visitors_per_quarter=1)
    host_visited_in_october(bot)
    assert suggested_start(apply_modal(bot, opening_id)) == "2027-01-04"
    assert "Fits 4 Jan" in what_the_matcher_says(bot)

    apply(bot, opening_id, start=MONDAY_14_DEC)
    [request] = bot.slack.wait_for("chat.postMessage", count=2) and dms_to(bot, HOST_LEAD)
    [applied] = dms_to(bot, VISITOR)
    assert "that quarter is full" in str(applied["blocks"])
    assert "at most 1 visitor a quarter and that quarter is full" in str(request["blocks"])
    assert "Accept anyway (give a reason)…" in str(request["blocks"])
    applied = button_value(request, views.HOST_ACCEPT)

    opened = len(bot.slack.calls("views.open"))
    bot.requests.block_action(user_id=HOST_LEAD, action_id=views.HOST_ACCEPT, value=applied)
    modal = bot.slack.wait_for("views.open", count=opened + 1)[-1].params["view"]
    assert modal["callback_id"] == views.HOST_ACCEPT_MODAL

    def accept(reason: str):
        return reason_given(bot, views.HOST_ACCEPT_MODAL, applied, reason)

    assert "that quarter is full" in accept("").json()["errors"]["override_reason"]
    with bot.deps.uow() as uow:
        assert uow.session.query(Application).filter_by(status="submitted").count() == 1
    assert accept("A quiet December").body == b""
    with bot.deps.uow() as uow:
        assert uow.session.query(Application).filter_by(status="host_accepted").count() == 1
        assert "host_override" in uow.audit.actions("T0TEST")


def test_a_host_within_its_limits_accepts_with_one_click(bot: RunningBot):
    opening_id = seed_pair(bot, weeks=2, visitors_per_quarter=1)
    apply(bot, opening_id, start=MONDAY_14_DEC)
    [request] = bot.slack.wait_for("chat.postMessage", count=2) and dms_to(bot, HOST_LEAD)
    assert "break a rule" not in str(request["blocks"])
    assert "break a rule" not in str(dms_to(bot, VISITOR))
    applied = button_value(request, views.HOST_ACCEPT)
    bot.requests.block_action(user_id=HOST_LEAD, action_id=views.HOST_ACCEPT, value=applied)
    messages_titled(bot, "Can your teammate be away for a visit?", 1)


def test_moving_a_visit_into_the_home_freeze_needs_a_reason_the_leads_see(
    bot: RunningBot,
    application_id,  # noqa: F811 (the fixture imported above)
):
    with bot.deps.uow() as uow:
        home = team_row(uow, "Commissions")
        freeze = (START + timedelta(weeks=3), START + timedelta(weeks=3, days=4))
        uow.session.add(
            Blackout(workspace_id="T0TEST", team_id=home.id, starts_on=freeze[0], ends_on=freeze[1])
        )
        uow.commit()
    assert "override_reason" in str(open_date_change(bot, HOST_LEAD, application_id))

    def change(reason: str):
        new_start = {"starts_on": {"starts_on": date_value(START + timedelta(weeks=2))}}
        return reason_given(bot, views.DATE_CHANGE_MODAL, application_id, reason, new_start)

    error = change("").json()["errors"]["override_reason"]
    assert "home team's blackout 25 Jan–29 Jan" in error
    with bot.deps.uow() as uow:
        assert uow.session.get(Application, int(application_id)).starts_on == START

    carried_out(bot, lambda: change("The freeze moved").body == b"")
    reopened = messages_titled(bot, REOPENED, 3)
    text = str(reopened[0]["blocks"])
    assert "home team's blackout 25 Jan–29 Jan" in text
    assert "*Why that is fine:* The freeze moved" in text


@pytest.mark.parametrize("mode", ["best", "fair", "calendar"])
def test_a_round_gives_a_host_taking_one_visitor_a_quarter_one(bot: RunningBot, mode):
    # Two seats in January and February, two visitors, a host taking one visitor a quarter.
    seed_pair(bot, weeks=2, earliest_start=date(2027, 1, 4), visitors_per_quarter=1)
    with bot.deps.uow() as uow:
        home = team_row(uow, "Payments")
        home.away_cap = 2
        seed_person(
            uow,
            "U0SECOND",
            home_team_id=home.id,
            learn_topics=["search"],
            available_from=date(2026, 12, 1),
            available_until=date(2027, 6, 30),
        )
        uow.commit()
    bot.requests.slash_command(f"round {mode}", user_id=ORGANISER)
    preview = bot.slack.wait_for("response_url")[-1].params
    text = str(preview["blocks"])
    assert text.count("→ *Search ranking*") == 1
    assert "*Not placed*" in text
    assert matching_views.ROUND_SEND in text


def test_more_time_into_the_next_visitors_rest_days_needs_the_host_leads_reason(
    bot: RunningBot,
    tour_id,  # noqa: F811 (the fixture imported above)
):
    with bot.deps.uow() as uow:
        host = team_row(uow, "Streaming")
        host.rest_days_between_visitors = 3
        someone = seed_person(uow, "U0NEXT", home_team_id=seed_team(uow, "Elsewhere").id)
        opening = seed_opening(
            uow, host, "Next", earliest_start=ENDS, latest_end=ENDS + timedelta(weeks=6)
        )
        next_monday = ENDS + timedelta(days=3)
        seed_tour(uow, someone, opening, starts_on=next_monday, ends_on=ENDS + timedelta(weeks=2))
        uow.commit()
    extension_carried_out(bot, lambda: ask(bot, tour_id, "1", "Finish it"), homes=1)
    [request] = messages_titled(bot, HOST_ASKED, 1)
    assert "3 days of rest between visitors" in str(request["blocks"])
    extension_id = button_value(request, extension_views.HOST_AGREE)

    opened = len(bot.slack.calls("views.open"))
    bot.requests.block_action(
        user_id=HOST_LEAD, action_id=extension_views.HOST_AGREE, value=extension_id
    )
    modal = bot.slack.wait_for("views.open", count=opened + 1)[-1].params["view"]
    assert modal["callback_id"] == extension_views.HOST_AGREE_MODAL

    def agree(reason: str):
        return reason_given(bot, extension_views.HOST_AGREE_MODAL, extension_id, reason)

    assert "3 days of rest" in agree("").json()["errors"]["override_reason"]
    assert agree("They pair on the handover").body == b""
    messages_titled(bot, "Can your teammate be away longer?", 1)
