"""The app as a process: smoke start, first paint before heavy imports, version, no network."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cspo_desktop import __version__
from tests.conftest import skip_or_fail

BIN = Path(sys.executable).parent
HERE = Path(__file__).parent


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run(
        args, capture_output=True, text=True, timeout=120, env=environment, check=False
    )


def test_version_answers_without_starting_qt() -> None:
    done = run([str(BIN / "cspo-desktop"), "--version"], QT_QPA_PLATFORM="")
    assert done.returncode == 0
    assert done.stdout.strip() == f"cspo-desktop {__version__}"


def test_smoke_paints_before_sqlmodel_and_matplotlib_are_imported(
    product_path: Path, tmp_path: Path
) -> None:
    done = run(
        [str(BIN / "cspo-desktop"), "--smoke", str(product_path), "--data-dir", str(tmp_path)]
    )
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip().splitlines()[-1]
    assert line.startswith("smoke ok: first paint after")
    loaded = dict(re.findall(r"([\w.]+) (not loaded|loaded)", line))
    assert loaded == {
        "sqlmodel": "not loaded",
        "sqlalchemy": "not loaded",
        "alembic": "not loaded",
        "matplotlib": "not loaded",
        "cspo_desktop.ui.actions": "not loaded",  # the menus are filled after the paint
        # The backlog is the first page, and it paints without PySide6's Qt enum namespace
        # (built whole on first touch, tens of milliseconds): see ui/models/first_rows.py.
        "QtCore.Qt": "not loaded",
    }


def test_smoke_demo_generates_the_demo_once(tmp_path: Path) -> None:
    args = [str(BIN / "cspo-desktop"), "--smoke", "--demo", "--data-dir", str(tmp_path)]
    first = run(args)
    assert first.returncode == 0, first.stderr
    demo = tmp_path / "demo.cspo"
    stamp = demo.stat().st_mtime_ns
    second = run(args)
    assert second.returncode == 0, second.stderr
    assert demo.stat().st_mtime_ns == stamp
    reset = run([*args, "--reset-demo"])
    assert reset.returncode == 0, reset.stderr
    assert demo.stat().st_mtime_ns != stamp


def test_smoke_on_a_bad_file_fails_with_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cspo"
    bad.write_bytes(os.urandom(4096))
    before = bad.read_bytes()
    done = run([str(BIN / "cspo-desktop"), "--smoke", str(bad), "--data-dir", str(tmp_path)])
    assert done.returncode == 1
    assert "bad.cspo" in done.stderr
    assert "Traceback" not in done.stderr
    assert bad.read_bytes() == before


def test_without_a_display_it_says_so_in_one_line() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    done = subprocess.run(
        [str(BIN / "cspo-desktop"), "--smoke"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert "no display found" in done.stderr
    assert "xvfb-run" in done.stderr


def test_a_solo_session_opens_no_network_socket(tmp_path: Path) -> None:
    done = run([sys.executable, str(HERE / "no_network_session.py"), str(tmp_path)])
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"network": []}


@pytest.mark.xvfb
def test_a_real_window_starts_under_xvfb(tmp_path: Path) -> None:
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        skip_or_fail("xvfb-run is not installed (apt install xvfb)")
        return
    done = run(
        [
            xvfb_run,
            "-a",
            str(BIN / "cspo-desktop"),
            "--smoke",
            "--demo",
            "--data-dir",
            str(tmp_path),
        ],
        QT_QPA_PLATFORM="xcb",
    )
    assert done.returncode == 0, done.stderr
    assert "smoke ok" in done.stdout
