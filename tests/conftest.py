"""Fixtures shared by every test: private data folders and fresh product files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cspo_desktop.persistence.paths import AppDirs, app_dirs
from cspo_desktop.persistence.product_file import create_product

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip for a missing system dependency, but fail under CI=true, where it must be present."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _product_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Migrating from base takes a few hundred milliseconds; build once, copy per test.
    return create_product(tmp_path_factory.mktemp("template") / "template.cspo", "Pocket Bank")


@pytest.fixture
def dirs(tmp_path: Path) -> AppDirs:
    """The app's folders, all inside this test's temporary folder."""
    return app_dirs(tmp_path / "data")


@pytest.fixture
def product_path(tmp_path: Path, _product_template: Path) -> Path:
    """A new, empty product file named Pocket Bank (key prefix PB), closed."""
    target = tmp_path / "products" / "pocket.cspo"
    target.parent.mkdir()
    shutil.copyfile(_product_template, target)
    return target
