"""Layering: no Qt below ui, no SQLAlchemy on the start-up path, import-linter contracts hold."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import cspo_desktop
import cspo_desktop.persistence
from tests.conftest import skip_or_fail

PACKAGE_DIR = Path(cspo_desktop.__file__).parent
VENV_BIN = Path(sys.executable).parent
FAST_PATH = (
    "cspo_desktop.persistence.preflight",
    "cspo_desktop.persistence.product_file",
    "cspo_desktop.persistence.queries",
    "cspo_desktop.persistence.lock",
    "cspo_desktop.persistence.backups",
)
HEAVY = ("sqlalchemy", "sqlmodel", "alembic")


def loaded_after_importing(modules: list[str] | tuple[str, ...]) -> list[str]:
    """Import ``modules`` in a fresh interpreter and return every module it then holds."""
    script = (
        "import importlib, json, sys\n"
        f"for name in {list(modules)!r}:\n"
        "    importlib.import_module(name)\n"
        "json.dump(sorted(sys.modules), sys.stdout)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert isinstance(found, list)
    return [str(name) for name in found]


def persistence_modules() -> list[str]:
    names = [
        info.name
        for info in pkgutil.walk_packages(
            cspo_desktop.persistence.__path__, prefix="cspo_desktop.persistence."
        )
        # Migration scripts and env.py run inside Alembic, not on import.
        if ".migrations." not in info.name
    ]
    assert "cspo_desktop.persistence.database" in names
    return ["cspo_desktop.persistence", *names]


def below_ui_modules() -> list[str]:
    modules = [
        "cspo_desktop.domain",
        *(
            info.name
            for info in pkgutil.walk_packages(
                [str(PACKAGE_DIR / "domain")], prefix="cspo_desktop.domain."
            )
        ),
        *persistence_modules(),
        "cspo_desktop.services",
        *(
            info.name
            for info in pkgutil.walk_packages(
                [str(PACKAGE_DIR / "services")], prefix="cspo_desktop.services."
            )
        ),
        "cspo_desktop.cli",
    ]
    if (PACKAGE_DIR / "demo.py").exists():
        modules.append("cspo_desktop.demo")
    return modules


def test_nothing_below_ui_imports_qt() -> None:
    modules = below_ui_modules()
    assert "cspo_desktop.services.items" in modules
    loaded = loaded_after_importing(modules)
    assert set(modules) <= set(loaded)
    assert [m for m in loaded if m == "PySide6" or m.startswith("PySide6.")] == []


def test_the_fast_start_up_path_loads_no_sqlalchemy() -> None:
    loaded = loaded_after_importing(FAST_PATH)
    assert set(FAST_PATH) <= set(loaded)
    heavy = [m for m in loaded if m.split(".")[0] in HEAVY]
    assert heavy == []
    assert "PySide6" not in loaded


def test_the_write_path_does_load_sqlalchemy() -> None:
    # The counter-check: the probe above would see SQLAlchemy if it were imported.
    loaded = loaded_after_importing(["cspo_desktop.persistence.database"])
    assert "sqlalchemy" in loaded
    assert "alembic" not in loaded


def test_import_contracts_hold() -> None:
    lint_imports = VENV_BIN / "lint-imports"
    if not lint_imports.exists():
        skip_or_fail(f"{lint_imports} is not installed")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=PACKAGE_DIR.parent,
    )
    assert done.returncode == 0, done.stdout + done.stderr
