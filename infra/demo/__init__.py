"""`tourism demo`: a whole programme played by the real app against the Slack stand-in."""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from infra.demo.page import write_page
from infra.demo.script import START, play
from infra.demo.stage import DemoStepError, Stage, staged
from infra.demo.transcript import describe


def run_demo(
    keep: Path | None = None,
    out: TextIO = sys.stdout,
    programme: Callable[[Stage, Path], None] = play,
) -> int:
    """0 when every step was answered as expected; 1 when one was not (printed, with why)."""
    logging.basicConfig(level=logging.ERROR)  # the transcript is the output; errors still show
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="tourism-demo-"))
    failure = None
    try:
        with staged(workdir / "tourism.db", START) as demo:
            try:
                programme(demo, workdir)
            except (DemoStepError, ValueError) as error:
                failure = error
            for line in describe(demo):
                print(line, file=out)
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                write_page(demo, keep / "transcript.html")
    finally:
        if keep is not None and (workdir / "tourism.db").exists():
            shutil.copyfile(workdir / "tourism.db", keep / "tourism.db")
        shutil.rmtree(workdir, ignore_errors=True)
    seconds = time.monotonic() - started
    if failure is not None:
        print(f"\ntourism demo: FAILED at the last step above: {failure}", file=out)
        return 1
    print(f"\ntourism demo: the whole programme ran in {seconds:.0f} s.", file=out)
    if keep is not None:
        print(f"tourism demo: kept {keep / 'tourism.db'} and {keep / 'transcript.html'}.", file=out)
    return 0
