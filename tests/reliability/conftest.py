"""Fixtures of the reliability tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def product_template(_product_template: Path) -> Path:
    """The closed, empty Pocket Bank product the shared ``product_path`` fixture copies."""
    return _product_template
