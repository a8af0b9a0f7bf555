"""Planning a tour asks Slack nothing inside the step's transaction; missing zones come later."""

from datetime import UTC, datetime

from bot.scheduling.service import TourPlanner
from infra.delivery import SlackTimeZones, build_delivery_client
from tests.conftest import make_settings, settings_env
from tests.storage.test_outbox import WARSAW, seed_visit
from tests.support.seed import WORKSPACE


def due_of(uow, tour_id):
    return {row.unique_key: row.due_at for row in uow.outbox.of_tour(WORKSPACE, tour_id)}


def test_zones_are_learnt_after_the_transaction_and_the_tour_planned_again(uow_factory, fake_slack):
    fake_slack.add_user("U0BUDDY", tz="America/New_York")
    settings = make_settings(settings_env(SLACK_API_URL=fake_slack.base_url))
    planner = TourPlanner(SlackTimeZones(build_delivery_client(settings)), WARSAW)
    with uow_factory() as uow:
        tour = seed_visit(uow)
        planner(uow, tour)
        assert fake_slack.calls("users.info") == []  # not while the transaction is open
        uow.commit()
        tour_id, kickoff = tour.id, f"tour:{tour.id}:kickoff:U0BUDDY:1"
        assert due_of(uow, tour.id)[kickoff] == datetime(2026, 3, 2, 9, tzinfo=UTC)  # a guess

    assert planner.catch_up(uow_factory) == 1
    asked = {call.params["user"] for call in fake_slack.calls("users.info")}
    assert asked == {"U0BUDDY", "U0LEAD"}  # the visitor's zone is in their profile
    with uow_factory() as uow:
        assert due_of(uow, tour_id)[kickoff] == datetime(2026, 3, 2, 15, tzinfo=UTC)

    with uow_factory() as uow:  # zones once learnt are known: nothing more to catch up
        planner(uow, uow.tours.get(WORKSPACE, tour_id))
        uow.commit()
    assert planner.catch_up(uow_factory) == 0
    assert len(fake_slack.calls("users.info")) == 2
