"""What the app remembers between sessions: window, recent products, theme, scale, last page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QByteArray, QSettings

from cspo_desktop.persistence.paths import make_private, private_dir
from cspo_desktop.ui.theme import ThemeMode, clamp_scale

MAX_RECENT = 10


class RecentFile(NamedTuple):
    """A product file opened before, and when.

    A named tuple: its class is made before the first paint, where a dataclass costs ~1 ms.
    """

    path: Path
    opened: dt.datetime


class Settings:
    """Typed access to the settings file (INI, user-only)."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        """Open the settings file; ``read_only`` keeps changes in memory (smoke runs)."""
        if not read_only:
            private_dir(path.parent)
        self._path = path
        self._read_only = read_only
        self._overlay: dict[str, object] = {}
        self._q = QSettings(str(path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        """Write pending changes to disk and keep the file private."""
        if self._read_only:
            return
        self._q.sync()
        make_private(self._path)

    def _get(self, key: str, default: object = None) -> object:
        if key in self._overlay:
            return self._overlay[key]
        return self._q.value(key, default)

    def _set(self, key: str, value: object) -> None:
        if self._read_only:
            self._overlay[key] = value
        else:
            self._q.setValue(key, value)

    # ---- Window
    def geometry(self) -> QByteArray | None:
        """The main window's saved geometry, if any."""
        value = self._get("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        """The main window's saved toolbar/dock state, if any."""
        value = self._get("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the main window's geometry and state."""
        self._set("window/geometry", geometry)
        self._set("window/state", state)

    # ---- Look
    def theme(self) -> ThemeMode:
        """Light, dark, or following the system (the default)."""
        try:
            return ThemeMode(str(self._get("view/theme", ThemeMode.SYSTEM.value)))
        except ValueError:
            return ThemeMode.SYSTEM

    def set_theme(self, mode: ThemeMode) -> None:
        """Remember the look."""
        self._set("view/theme", mode.value)

    def system_dark(self) -> bool:
        """What the operating system asked for when last checked (dark or not)."""
        return str(self._get("view/system_dark", "false")).lower() == "true"

    def set_system_dark(self, dark: bool) -> None:
        """Remember what the operating system asks for, for the next start."""
        self._set("view/system_dark", "true" if dark else "false")

    def scale(self) -> float:
        """The presentation scale (1.0 = the system font)."""
        try:
            return clamp_scale(float(str(self._get("view/scale", 1.0))))
        except ValueError:
            return 1.0

    def set_scale(self, scale: float) -> None:
        """Remember the presentation scale."""
        self._set("view/scale", clamp_scale(scale))

    def page(self) -> str:
        """The page shown last (the Backlog, where a Product Owner spends the week, at first)."""
        return str(self._get("view/page", "backlog"))

    def set_page(self, page: str) -> None:
        """Remember the page shown."""
        self._set("view/page", page)

    # ---- Products
    def folded_sections(self) -> list[str]:
        """The detail panel's sections the user folded away."""
        value = self._get("detail/folded", "")
        parts = value if isinstance(value, list) else str(value).split(",")
        return [str(p) for p in parts if str(p).strip()]

    def set_section_open(self, key: str, on: bool) -> None:
        """Remember whether the detail panel's section ``key`` is open."""
        folded = [k for k in self.folded_sections() if k != key]
        if not on:
            folded.append(key)
        self._set("detail/folded", ",".join(folded))

    def new_item_spot(self) -> str:
        """Where new items go: ``top``, ``bottom`` (the default) or ``after`` the selection."""
        value = str(self._get("backlog/new_item_spot", "bottom"))
        return value if value in {"top", "bottom", "after"} else "bottom"

    def set_new_item_spot(self, spot: str) -> None:
        """Remember where new items go."""
        self._set("backlog/new_item_spot", spot)

    def hidden_columns(self, view: str) -> list[int] | None:
        """The backlog columns the user hid in ``view`` (``None``: never chosen)."""
        value = self._get(f"backlog/hidden_columns_{view}")
        if value is None:
            return None
        parts = value if isinstance(value, list) else str(value).split(",")
        return [int(p) for p in parts if str(p).strip().isdigit()]

    def set_hidden_columns(self, view: str, columns: list[int]) -> None:
        """Remember the backlog columns the user hid in ``view``."""
        self._set(f"backlog/hidden_columns_{view}", ",".join(str(c) for c in columns))

    def recent(self) -> list[RecentFile]:
        """Recently opened products, most recent first."""
        raw = self._get("products/recent", [])
        entries = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        recent = []
        for entry in entries:
            # Each entry is "<ISO time>|<path>"; a damaged entry is skipped, not fatal.
            opened, sep, path = str(entry).partition("|")
            try:
                if sep and path:
                    recent.append(RecentFile(Path(path), dt.datetime.fromisoformat(opened)))
            except ValueError:
                continue
        return recent

    def add_recent(self, path: Path, *, now: dt.datetime | None = None) -> None:
        """Put ``path`` first in the recent list."""
        opened = now or dt.datetime.now(dt.UTC)
        entries = [RecentFile(path, opened)] + [r for r in self.recent() if r.path != path]
        self._set_recent(entries[:MAX_RECENT])

    def remove_recent(self, path: Path) -> None:
        """Forget ``path`` (e.g. it was deleted)."""
        self._set_recent([r for r in self.recent() if r.path != path])

    def _set_recent(self, entries: list[RecentFile]) -> None:
        self._set("products/recent", [f"{r.opened.isoformat()}|{r.path}" for r in entries])

    def last_product(self) -> Path | None:
        """The product that was open when the app last closed, if one was."""
        value = str(self._get("products/last", ""))
        return Path(value) if value else None

    def set_last_product(self, path: Path | None) -> None:
        """Remember which product to reopen at the next start."""
        self._set("products/last", str(path) if path else "")

    # ---- Exports to trackers
    def export_choices(self, tool: str) -> dict[str, str]:
        """The choices of the last export to ``tool`` (points column, iteration root, safe)."""
        value = self._get(f"export/{tool}", "")
        if not isinstance(value, str) or not value:
            return {}
        import json

        try:
            choices = json.loads(value)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in choices.items()} if isinstance(choices, dict) else {}

    def set_export_choices(self, tool: str, choices: dict[str, str]) -> None:
        """Remember the choices of an export to ``tool`` for the next one."""
        import json

        self._set(f"export/{tool}", json.dumps(choices))
