"""Unexpected errors are logged privately instead of killing the app silently."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cspo_desktop.ui.crash import LOG_NAME, install_excepthook


def test_an_uncaught_error_is_logged_to_a_private_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    logs = tmp_path / "state" / "logs"
    install_excepthook(logs, interactive=False)
    try:
        raise RuntimeError("the projector caught fire")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    log = logs / LOG_NAME
    text = log.read_text(encoding="utf-8")
    assert "the projector caught fire" in text
    assert "Traceback" in text
    assert log.stat().st_mode & 0o777 == 0o600
    assert logs.stat().st_mode & 0o777 == 0o700
    assert "the projector caught fire" in capsys.readouterr().err
