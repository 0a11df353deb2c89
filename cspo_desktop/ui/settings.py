"""What the app remembers between sessions: window, recent products, theme, scale, last page."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from cspo_desktop.persistence.paths import make_private, private_dir
from cspo_desktop.ui.theme import ThemeMode, clamp_scale

MAX_RECENT = 10


@dataclass(frozen=True, slots=True)
class RecentFile:
    """A product file opened before, and when."""

    path: Path
    opened: dt.datetime


class Settings:
    """Typed access to the settings file (INI, user-only)."""

    def __init__(self, path: Path) -> None:
        private_dir(path.parent)
        self._path = path
        self._q = QSettings(str(path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        """Write pending changes to disk and keep the file private."""
        self._q.sync()
        make_private(self._path)

    # ---- Window
    def geometry(self) -> QByteArray | None:
        """The main window's saved geometry, if any."""
        value = self._q.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        """The main window's saved toolbar/dock state, if any."""
        value = self._q.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the main window's geometry and state."""
        self._q.setValue("window/geometry", geometry)
        self._q.setValue("window/state", state)

    # ---- Look
    def theme(self) -> ThemeMode:
        """Light, dark, or following the system (the default)."""
        try:
            return ThemeMode(str(self._q.value("view/theme", ThemeMode.SYSTEM.value)))
        except ValueError:
            return ThemeMode.SYSTEM

    def set_theme(self, mode: ThemeMode) -> None:
        """Remember the look."""
        self._q.setValue("view/theme", mode.value)

    def scale(self) -> float:
        """The presentation scale (1.0 = the system font)."""
        try:
            return clamp_scale(float(str(self._q.value("view/scale", 1.0))))
        except ValueError:
            return 1.0

    def set_scale(self, scale: float) -> None:
        """Remember the presentation scale."""
        self._q.setValue("view/scale", clamp_scale(scale))

    def page(self) -> str:
        """The page shown last."""
        return str(self._q.value("view/page", "product"))

    def set_page(self, page: str) -> None:
        """Remember the page shown."""
        self._q.setValue("view/page", page)

    # ---- Products
    def recent(self) -> list[RecentFile]:
        """Recently opened products, most recent first."""
        try:
            raw = json.loads(str(self._q.value("products/recent", "[]")))
            return [
                RecentFile(Path(entry["path"]), dt.datetime.fromisoformat(entry["opened"]))
                for entry in raw
            ]
        except (ValueError, KeyError, TypeError):
            return []

    def add_recent(self, path: Path, *, now: dt.datetime | None = None) -> None:
        """Put ``path`` first in the recent list."""
        opened = now or dt.datetime.now(dt.UTC)
        entries = [RecentFile(path, opened)] + [r for r in self.recent() if r.path != path]
        self._set_recent(entries[:MAX_RECENT])

    def remove_recent(self, path: Path) -> None:
        """Forget ``path`` (e.g. it was deleted)."""
        self._set_recent([r for r in self.recent() if r.path != path])

    def _set_recent(self, entries: list[RecentFile]) -> None:
        data = [{"path": str(r.path), "opened": r.opened.isoformat()} for r in entries]
        self._q.setValue("products/recent", json.dumps(data, ensure_ascii=False))

    def last_product(self) -> Path | None:
        """The product that was open when the app last closed, if one was."""
        value = str(self._q.value("products/last", ""))
        return Path(value) if value else None

    def set_last_product(self, path: Path | None) -> None:
        """Remember which product to reopen at the next start."""
        self._q.setValue("products/last", str(path) if path else "")
