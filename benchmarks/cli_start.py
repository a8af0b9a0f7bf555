"""How long `tourism --help` takes, against the floor of starting Python itself.

The command line imports the bot only once it knows the command (cli.py), so asking for help
costs little more than the interpreter's own start; importing the whole app is shown for scale.

    .venv/bin/python -m benchmarks.cli_start --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "python -c pass (floor)": [sys.executable, "-c", "pass"],
    "tourism --help": [sys.executable, "-m", "cli", "--help"],
    "import app (every module)": [sys.executable, "-c", "import app"],
}


def median_seconds(command: list[str], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    results = {name: median_seconds(command, runs) for name, command in CASES.items()}
    floor = results["python -c pass (floor)"]
    for name, seconds in results.items():
        print(f"{name:28} {seconds * 1000:8.0f} ms   {seconds / floor:5.1f}× the floor")


if __name__ == "__main__":
    main()
