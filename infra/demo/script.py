"""The programme the demo plays: one season of team tourism at a marketplace, persona by persona.

The teams and visits come from the stories the product was born from (a message broker, web
performance, content automation on streams, machine learning research, SEO, commissions,
listings); the people are invented.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.applications import extension_views as extensions
from bot.applications import views as applications
from bot.checkins import views as checkins
from bot.directory.team_file import read_team_file
from bot.directory.team_import import import_teams
from bot.matching import views as matching
from bot.openings.views import APPLY
from bot.retros import views as retros
from infra.demo.stage import Json, Person, Stage, any_of

PULLED_BACK = "Often"  # Piotr's home team keeps calling him back
Cast = dict[str, Person]  # the people of the story by first name
WARSAW = ZoneInfo("Europe/Warsaw")
START = datetime(2026, 11, 23, 9, 0, tzinfo=WARSAW)  # a Monday in late November
VISITS_START = date(2027, 1, 11)  # a Monday

TEAMS_FILE = """\
# The team directory, as an organiser keeps it (tourism import-teams teams.yaml)
- name: Hermes
  leads: [U0KONRAD]
  channel: C0HERMES
  city: Warsaw
- name: Web Performance
  leads: [U0MARTA]
  city: Poznań
- name: Content Automation
  leads: [U0PAWEL]
  city: Warsaw
- name: Machine Learning Research
  leads: [U0EWA]
  city: Warsaw
- name: SEO
  leads: [U0JAN]
  city: Toruń
- name: Commissions
  leads: [U0TERESA]
  channel: C0COMMISSIONS
  away_cap: 1
- name: Listings
  leads: [U0AGNIESZKA]
  city: Poznań
- name: Delivery Time Estimates
  leads: [U0ROBERT]
  channel: C0DELIVERY
  blackouts: 2026-12-21..2027-01-01 end-of-year freeze
"""


def play(stage: Stage, workdir: Path) -> None:
    people = cast(stage)
    stage.open_channel("C0TOURISM", "team-tourism")
    stage.open_channel("C0HERMES", "hermes")
    stage.open_channel("C0COMMISSIONS", "commissions")
    stage.open_channel("C0DELIVERY", "delivery-time")
    organiser_sets_up(stage, people, workdir)
    leads_post_openings(stage, people)
    engineers_fill_profiles(stage, people)
    kuba_matches_and_applies(stage, people)
    organiser_runs_a_round(stage, people)
    approvals(stage, people)
    the_visits(stage, people)
    after_the_visits(stage, people)


def cast(stage: Stage) -> Cast:
    c = stage.cast
    return {
        "irena": c("U0ORGANISER", "Irena Wójcik", "organiser of the programme"),
        "konrad": c("U0KONRAD", "Konrad Zieliński", "lead of Hermes, the message broker"),
        "lukasz": c("U0LUKASZ", "Łukasz Ryba", "engineer in Hermes, a buddy"),
        "marta": c("U0MARTA", "Marta Krawczyk", "lead of Web Performance"),
        "pawel": c("U0PAWEL", "Paweł Maj", "lead of Content Automation (streaming)"),
        "ewa": c("U0EWA", "Ewa Sikora", "lead of Machine Learning Research"),
        "jan": c("U0JAN", "Jan Dudek", "lead of SEO"),
        "teresa": c("U0TERESA", "Teresa Kur", "lead of Commissions"),
        "agnieszka": c("U0AGNIESZKA", "Agnieszka Pawlak", "lead of Listings"),
        "robert": c("U0ROBERT", "Robert Wrona", "lead of Delivery Time Estimates"),
        "kuba": c("U0KUBA", "Kuba Mazur", "engineer in Delivery Time Estimates"),
        "natalia": c("U0NATALIA", "Natalia Sowa", "engineer in Listings"),
        "piotr": c("U0PIOTR", "Piotr Lis", "engineer in Commissions"),
        "olga": c("U0OLGA", "Olga Kruk", "engineer in Commissions"),
    }


def organiser_sets_up(stage: Stage, p: Cast, workdir: Path) -> None:
    stage.begin_chapter("The organiser sets up the directory")
    teams_file = workdir / "teams.yaml"
    teams_file.write_text(TEAMS_FILE, encoding="utf-8")
    report = import_teams(
        stage.tourism.deps.uow,
        workspace_id=stage.workspace_id,
        rows=read_team_file(teams_file),
        source=teams_file.name,
        now=stage.clock.now(),
    )
    if report.rejected:
        raise AssertionError(f"the demo's team file was rejected: {report.rejected}")
    stage.terminal(
        p["irena"], "tourism import-teams teams.yaml", f"teams.yaml: {report.summary()}."
    )
    stage.command(p["irena"], "team list", any_of("ephemeral", p["irena"], "Hermes"))


def leads_post_openings(stage: Stage, p: Cast) -> None:
    stage.begin_chapter("Leads post openings")
    openings: list[tuple[Person, Json]] = [
        (
            p["konrad"],
            {
                "team": "Hermes",
                "title": "Hermes internals: on duty with the broker team",
                "description": "Join our everyday work on the Kafka-based broker that 400 "
                "services rely on: fix a bug, build a diagnostic tool, share our on-call.",
                "topics": ["kafka", "messaging", "on call"],
                "hopes_to_learn": ["machine learning"],
                "expected_output": "deliverable",
                "earliest_start": VISITS_START,
                "latest_end": date(2027, 3, 26),
                "weeks": "4",
                "seats": "1",
                "buddy": "U0LUKASZ",
                "work_mode": "hybrid",
                "first_day_kit": "https://wiki.example.com/hermes/first-day",
            },
        ),
        (
            p["marta"],
            {
                "team": "Web Performance",
                "title": "Make the mobile-web SPA faster, together",
                "description": "Two-way learning: you learn how we measure and fix web "
                "performance; we learn how your team's pages and APIs work.",
                "topics": ["web performance", "core web vitals", "single page applications"],
                "hopes_to_learn": ["search"],
                "expected_output": "learning",
                "earliest_start": VISITS_START,
                "latest_end": date(2027, 3, 26),
                "weeks": "2",
                "seats": "1",
                "buddy": "U0MARTA",
                "work_mode": "remote",
                "first_day_kit": "https://wiki.example.com/webperf/welcome",
            },
        ),
        (
            p["pawel"],
            {
                "team": "Content Automation",
                "title": "Streaming pipelines on Dataflow",
                "description": "Build a real-time pipeline with us: windows, triggers, "
                "late data, and the batch jobs it replaces.",
                "topics": ["streaming", "google cloud", "data engineering"],
                "hopes_to_learn": ["commissions"],
                "expected_output": "deliverable",
                "earliest_start": VISITS_START,
                "latest_end": date(2027, 3, 26),
                "weeks": "4",
                "seats": "1",
                "buddy": "U0PAWEL",
                "work_mode": "onsite",
                "first_day_kit": "https://wiki.example.com/content-automation/kit",
            },
        ),
        (
            p["ewa"],
            {
                "team": "Machine Learning Research",
                "title": "From notebook to microservice: how our models ship",
                "description": "See how we prepare models and serve them in the microservice "
                "ecosystem; pair with a data scientist for a week or two.",
                "topics": ["machine learning", "model serving", "python"],
                "hopes_to_learn": [],
                "expected_output": "learning",
                "earliest_start": VISITS_START,
                "latest_end": date(2027, 3, 26),
                "weeks": "2",
                "seats": "1",
                "buddy": "U0EWA",
                "work_mode": "hybrid",
                "first_day_kit": "https://wiki.example.com/mlr/start-here",
            },
        ),
    ]
    for lead, form in openings:
        stage.command(lead, "host", any_of("modal", lead))
        stage.submit(lead, form, any_of("message", "C0TOURISM", form["title"]))


def engineers_fill_profiles(stage: Stage, p: Cast) -> None:
    stage.begin_chapter("Engineers fill in their profiles")
    profiles = [
        (
            p["kuba"],
            "Delivery Time Estimates",
            ["kafka", "messaging"],
            ["machine learning"],
            "Understand the broker we depend on, to react faster to its failures",
            "4",
        ),
        (
            p["natalia"],
            "Listings",
            ["web performance", "single page applications"],
            ["search"],
            "Learn what makes listings faster and more robust",
            "2",
        ),
        (
            p["piotr"],
            "Commissions",
            ["streaming", "data engineering"],
            ["commissions"],
            "Learn streaming architectures on a real pipeline",
            "4",
        ),
        (
            p["olga"],
            "Commissions",
            ["machine learning", "model serving"],
            ["python"],
            "See how models are prepared and served",
            "2",
        ),
    ]
    for person, team, learn, teach, goal, weeks in profiles:
        stage.command(person, "profile", any_of("modal", person))
        stage.submit(
            person,
            {
                "home_team": team,
                "learn_topics": learn,
                "teach_topics": teach,
                "learning_goal": goal,
                "available_from": date(2027, 1, 4),
                "available_until": date(2027, 3, 31),
                "preferred_weeks": weeks,
                "work_mode": "either",
                "city": "Warsaw",
                "willing_to_travel": ["yes"],
                "looking": ["yes"],
            },
        )


def kuba_matches_and_applies(stage: Stage, p: Cast) -> None:
    stage.begin_chapter("An engineer finds an opening with /tourism match")
    kuba = p["kuba"]
    stage.command(kuba, "match", any_of("ephemeral", kuba, "Hermes"))
    stage.click(kuba, APPLY, where=kuba.user_id, expect=any_of("modal", kuba))
    stage.submit(
        kuba,
        {
            "motivation": "We rely on Hermes every day; I want to know how it works inside.",
            "learning_goal": "A diagnostic tool and on-call know-how for my team",
            "starts_on": VISITS_START,
        },
        any_of("message", "U0KONRAD"),
    )


def organiser_runs_a_round(stage: Stage, p: Cast) -> None:
    stage.begin_chapter("An organisation-wide matching round")
    irena = p["irena"]
    stage.command(irena, "round", any_of(None, irena, matching.ROUND_SEND))
    stage.click(irena, matching.ROUND_TELL_LEFT_OUT, expect=any_of("message", "U0PIOTR"))
    stage.click(irena, matching.ROUND_SEND, expect=any_of("message", "U0NATALIA"))
    for name in ("natalia", "olga"):
        stage.click(p[name], matching.PROPOSAL_ACCEPT, expect=any_of("home", p[name]))
    stage.click(p["kuba"], matching.PROPOSAL_DECLINE, expect=any_of(None, p["kuba"]))
    piotr = p["piotr"]
    stage.command(piotr, "openings streaming", any_of("ephemeral", piotr, APPLY))
    stage.click(piotr, APPLY, about="Streaming pipelines", expect=any_of("modal", piotr))
    stage.submit(
        piotr,
        {
            "motivation": "Commissions are computed in batches; I want to learn streaming.",
            "starts_on": VISITS_START,
        },
        any_of("message", "U0PAWEL"),
    )


# Olga is already away from Commissions then: agreeing to Piotr's visit too goes over its cap.
OVER_THE_CAP = {
    "piotr": {
        "override_reason": "Olga is back on 22 January; the month-end reports wait till Piotr is.",
    }
}


def approvals(stage: Stage, p: Cast) -> None:
    stage.begin_chapter("Leads decide: the host team first, then the home team")
    for host in ("konrad", "marta", "ewa", "pawel"):
        stage.click(p[host], applications.HOST_ACCEPT, expect=any_of("home", p[host]))
    for home, visitor, host, buddy in (
        ("robert", "kuba", "konrad", "lukasz"),
        ("agnieszka", "natalia", "marta", "marta"),
        ("teresa", "olga", "ewa", "ewa"),
        ("teresa", "piotr", "pawel", "pawel"),
    ):
        stage.click(
            p[home],
            applications.HOME_AGREE,
            about=p[visitor].user_id,
            expect=any_of("modal", p[home]),
        )
        stage.submit(p[home], OVER_THE_CAP.get(visitor, {}), any_of("home", p[home]))
        for name in dict.fromkeys((visitor, host, home, buddy)):
            stage.click(p[name], applications.CARD_CONFIRM, expect=any_of(None, p[name]))


def the_visits(stage: Stage, p: Cast) -> None:
    stage.begin_chapter("Kickoff and weekly check-ins")
    stage.travel_to(datetime(2027, 1, 11, 10, 0, tzinfo=WARSAW), any_of("message", "U0KUBA"))
    stage.travel_to(datetime(2027, 1, 18, 10, 0, tzinfo=WARSAW), any_of("message", "U0KUBA"))
    stage.click(p["kuba"], checkins.NEED_HELP, expect=any_of("modal"))
    stage.submit(
        p["kuba"],
        {"details": "The consumer-group rebalancing code is hard to follow; could we pair on it?"},
        any_of("message", "U0LUKASZ"),
    )
    stage.click(p["piotr"], checkins.GOING_WELL, expect=any_of("edit", p["piotr"]))
    stage.click(
        p["piotr"], checkins.PULLED_BACK, choose=PULLED_BACK, expect=any_of("edit", p["piotr"])
    )
    stage.begin_chapter("An extension")
    stage.command(p["piotr"], "extend", any_of("modal"))
    stage.submit(
        p["piotr"],
        {"reason": "The pipeline goes live next week; I want to see it through its first run."},
        any_of("message", "U0PAWEL"),
    )
    stage.click(p["pawel"], extensions.HOST_AGREE, expect=any_of("message"))
    stage.click(p["teresa"], extensions.HOME_AGREE, expect=any_of("modal"))
    stage.submit(p["teresa"], {}, any_of("message", "U0PIOTR"))


def after_the_visits(stage: Stage, p: Cast) -> None:
    stage.begin_chapter("Retro, share-back and the organiser's numbers")
    kuba = p["kuba"]
    stage.travel_to(
        datetime(2027, 1, 22, 10, 0, tzinfo=WARSAW), any_of("message", p["natalia"], "retro")
    )
    stage.travel_to(datetime(2027, 2, 5, 10, 0, tzinfo=WARSAW), any_of("message", kuba, "retro"))
    stage.click(kuba, retros.RETRO_OPEN, expect=any_of("modal", kuba))
    stage.submit(
        kuba,
        {
            "learned": "How Hermes keeps 400 services talking, and how the team runs on-call.",
            "bring_back": "A broker diagnostics dashboard\nOn-call runbook for our consumers",
            "rating": "5",
            "length": "right",
            "share": [retros.SHARE],
        },
        any_of("message", "C0TOURISM"),
    )
    stage.travel_to(datetime(2027, 2, 22, 10, 0, tzinfo=WARSAW), any_of("message", kuba, "share"))
    stage.click(kuba, retros.SHARE_BACK_NOT_YET, expect=any_of("modal", kuba))
    stage.submit(kuba, {"day": date(2027, 2, 26), "channel": "C0DELIVERY"}, any_of("message"))
    stage.command(p["irena"], "stats", any_of(None, p["irena"]))
    stage.open_home(p["irena"])
