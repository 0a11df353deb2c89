"""The wheel carries what the installed app needs: resources inside the package, entry points."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("cspo_desktop-*.whl")
    return zipfile.ZipFile(built)


def test_resources_sit_inside_the_package(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "cspo_desktop/resources/style.qss" in names
    assert "cspo_desktop/py.typed" in names
    migrations = [n for n in names if n.startswith("cspo_desktop/persistence/migrations/")]
    assert "cspo_desktop/persistence/migrations/env.py" in migrations
    assert any(n.endswith("r0001_initial.py") for n in migrations)
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)


def test_both_entry_points_are_declared(wheel: zipfile.ZipFile) -> None:
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "[gui_scripts]\ncspo-desktop = cspo_desktop.app:main" in text
    assert "[console_scripts]\ncspo = cspo_desktop.cli:main" in text
