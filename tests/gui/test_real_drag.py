"""Real mouse drags in the Backlog table, on a real X server (Xvfb)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cspo_desktop.demo import generate_demo
from tests.conftest import skip_or_fail

HERE = Path(__file__).parent


def drag(tmp_path: Path, rows: str, target: int) -> dict[str, list[int] | int]:
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        skip_or_fail("xvfb-run is not installed (apt install xvfb)")
        raise AssertionError  # unreachable: skip_or_fail raised
    product = tmp_path / "drag.cspo"
    generate_demo(product, items=40)
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    done = subprocess.run(  # our own script, on a virtual screen
        [
            xvfb_run,
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            sys.executable,
            str(HERE / "drag_session.py"),
            str(product),
            str(tmp_path / "data"),
            rows,
            str(target),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, list[int] | int] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


@pytest.mark.xvfb
def test_dragging_one_row_moves_it_in_one_undo_step(tmp_path: Path) -> None:
    report = drag(tmp_path, "12", 3)
    before = report["before"]
    assert isinstance(before, list)
    assert report["shown"] == [*before[:3], before[12], *before[3:12], *before[13:]]
    assert report["stored"] == report["shown"]
    assert report["undo_steps"] == 1
    assert report["rows"] == len(before)


@pytest.mark.xvfb
def test_dragging_two_rows_moves_both_in_one_undo_step_and_deletes_nothing(tmp_path: Path) -> None:
    report = drag(tmp_path, "12,13", 3)
    before = report["before"]
    assert isinstance(before, list)
    assert report["shown"] == [*before[:3], before[12], before[13], *before[3:12], *before[14:]]
    assert report["stored"] == report["shown"]
    assert report["undo_steps"] == 1
    assert report["rows"] == len(before)
