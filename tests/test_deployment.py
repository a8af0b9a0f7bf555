"""The Dockerfile and compose.yaml cannot be built here: check that what they run exists."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from cli import parser
from infra.health import HEALTH_PATH
from infra.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def instructions(name: str) -> list[str]:
    joined = DOCKERFILE.replace("\\\n", " ")
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(name + " ")]


def runs_tourism(command: list[str]) -> None:
    assert command[0] in PYPROJECT["project"]["scripts"]
    parser().parse_args(command[1:])  # exits (SystemExit) on an unknown command or option


def test_the_image_runs_tourism_serve_as_a_non_root_user_with_a_health_check():
    cmd = instructions("CMD")[-1]
    runs_tourism(yaml.safe_load(cmd))  # exec form (JSON), so tourism gets SIGTERM itself
    assert instructions("USER")[-1] not in ("root", "0")
    assert HEALTH_PATH in instructions("HEALTHCHECK")[-1]
    assert all(image.split()[0].endswith("-slim") for image in instructions("FROM"))


def test_the_image_copies_every_module_pyproject_installs():
    copied = " ".join(instructions("COPY"))
    packages = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    for name in [pattern.rstrip("*") for pattern in packages]:
        assert re.search(rf"\b{name} {name}\b", copied), name
    for module in PYPROJECT["tool"]["setuptools"]["py-modules"]:
        assert f"{module}.py" in copied


def test_compose_runs_postgresql_two_web_replicas_and_one_worker():
    services = COMPOSE["services"]
    assert services["db"]["image"].startswith("postgres")
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["web"]["command"] == ["tourism", "web"]
    assert services["worker"]["command"] == ["tourism", "worker"]
    assert services["worker"].get("deploy", {}).get("replicas", 1) == 1
    for name in ("web", "worker"):
        runs_tourism(services[name]["command"])
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"


@pytest.mark.parametrize("service", ["web", "worker"])
def test_compose_gives_more_time_to_stop_than_the_bot_takes(service: str):
    grace = int(COMPOSE["services"][service]["stop_grace_period"].rstrip("s"))
    defaults = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "a" * 32})
    assert grace > defaults.shutdown_seconds


def test_every_variable_compose_reads_is_documented_in_env_example():
    text = (ROOT / "compose.yaml").read_text()
    example = (ROOT / ".env.example").read_text()
    for name in set(re.findall(r"\$\{(\w+)", text)):
        assert re.search(rf"^#? ?{name}=", example, re.MULTILINE), name


def test_the_license_file_matches_pyproject():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
