"""The answers filed in advance for PySide6's feature hook (ui.feature_scan), without Qt."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from cspo_desktop.ui import feature_scan
from cspo_desktop.ui.feature_scan import IGNORED, USES_PYSIDE, app_module_names, settle_feature_scan


def test_every_app_module_is_named_from_the_files() -> None:
    names = app_module_names()
    package = Path(feature_scan.__file__).resolve().parents[1]
    expected = {
        ".".join(("cspo_desktop", *path.relative_to(package).with_suffix("").parts))
        for path in package.rglob("*.py")
        if path.name != "__init__.py" and "__pycache__" not in path.parts
    }
    assert expected <= set(names)
    assert "cspo_desktop" in names
    assert "cspo_desktop.ui" in names  # packages too
    assert not [name for name in names if "__init__" in name or "__pycache__" in name]


def test_a_missing_folder_names_only_the_package(tmp_path: Path) -> None:
    assert app_module_names(tmp_path / "gone") == ["cspo_desktop"]


def _fake_feature(monkeypatch: pytest.MonkeyPatch, table: object) -> None:
    module = types.ModuleType("__feature__")
    module.pyside_feature_dict = table  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "__feature__", module)


def test_answers_are_filed_without_overwriting_pysides_own(monkeypatch: pytest.MonkeyPatch) -> None:
    table: dict[str, int] = {"PySide6": 0, "json": 5}
    _fake_feature(monkeypatch, table)
    added = settle_feature_scan()
    assert added == len(table) - 2
    assert table["PySide6"] == 0
    assert table["json"] == 5  # an answer already there stays
    assert table["cspo_desktop.ui.main_window"] == USES_PYSIDE
    assert table["cspo_desktop.ui.feature_scan"] == USES_PYSIDE
    assert table["pytest"] == IGNORED  # loaded and not PySide's
    assert not [name for name in table if name.startswith("PySide6.")]


def test_a_pyside_without_the_table_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "__feature__", raising=False)
    assert settle_feature_scan() == 0
    _fake_feature(monkeypatch, None)
    assert settle_feature_scan() == 0
