"""The display check that runs before Qt could abort."""

from __future__ import annotations

import pytest

from cspo_desktop.display import display_problem
from tests.conftest import skip_or_fail


def test_no_display_on_linux_is_explained_with_the_fix() -> None:
    problem = display_problem({}, "linux")
    assert problem is not None
    assert "no display found" in problem
    assert "xvfb-run" in problem
    assert "QT_QPA_PLATFORM=offscreen" in problem


def test_offscreen_wayland_and_other_systems_need_no_x11() -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({}, "win32") is None
    assert display_problem({}, "darwin") is None


def test_missing_xcb_libraries_are_named_with_their_packages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "cspo_desktop.display.missing_xcb_libraries", lambda: ["libxcb-cursor.so.0"]
    )
    problem = display_problem({"DISPLAY": ":0"}, "linux")
    assert problem is not None
    assert "libxcb-cursor.so.0" in problem
    assert "apt install libxcb-cursor0" in problem


def test_a_display_without_a_server_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cspo_desktop.display.missing_xcb_libraries", list)
    problem = display_problem({"DISPLAY": ":97"}, "linux")
    assert problem is not None
    assert "':97' does not answer" in problem


@pytest.mark.xvfb
def test_a_live_x_server_answers() -> None:
    import os
    import shutil
    import subprocess
    import sys

    if shutil.which("xvfb-run") is None:
        skip_or_fail("xvfb-run is not installed (apt install xvfb)")
    probe = "from cspo_desktop.display import display_problem; print(display_problem())"
    done = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"},
        check=False,
    )
    assert done.stdout.strip() == "None", done.stderr
