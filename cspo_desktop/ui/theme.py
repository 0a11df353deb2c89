"""Visual tokens and the look they produce: palette, stylesheet and presentation scale.

One small table of colours and spacing for light and dark, read by the stylesheet here (and by
the chart style later). Fusion style everywhere, so the app looks the same on every desktop:
the app asks for it when it creates the QApplication (:data:`STYLE_ARGUMENTS`).
"""

from __future__ import annotations

import enum
from string import Template
from typing import NamedTuple

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from cspo_desktop.resources import resource_text

MIN_SCALE, MAX_SCALE, SCALE_STEP = 0.8, 2.5, 0.1
SPACING = (4, 8, 12, 16, 24)
#: Qt's command-line option for the Fusion style, for the QApplication's arguments. Setting or
#: even asking for the style from Python makes PySide6 build QStyle's enums, some 600 names
#: (milliseconds the first paint would wait for).
STYLE_ARGUMENTS = ("-style", "fusion")


class ThemeMode(enum.StrEnum):
    """The user's choice of look."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


class Tokens(NamedTuple):
    """The colours of one look.

    A named tuple: its class is made before the first paint, where a dataclass costs ~1 ms.
    """

    accent: str
    success: str
    warning: str
    danger: str
    text: str
    muted: str
    surface: str
    raised: str
    separator: str
    selection_text: str


LIGHT = Tokens(
    accent="#2f5fb3",
    success="#2e7d32",
    warning="#9a6700",
    danger="#c62828",
    text="#1d232b",
    muted="#5b6470",
    surface="#f6f7f9",
    raised="#ffffff",
    separator="#dde1e6",
    selection_text="#ffffff",
)

DARK = Tokens(
    accent="#7aa7ff",
    success="#7bc67e",
    warning="#e3b341",
    danger="#ff7b72",
    text="#e6e9ee",
    muted="#9aa4b1",
    surface="#1c1f24",
    raised="#25292f",
    separator="#363b43",
    selection_text="#0d1117",
)


def system_is_dark() -> bool:
    """Whether the operating system currently asks for a dark look.

    Asking costs the creation of PySide6's whole ``Qt`` enum namespace (tens of milliseconds),
    so the main window asks once the first paint is on screen and remembers the answer for
    the next start.
    """
    return QGuiApplication.styleHints().colorScheme().name == "Dark"


def is_dark(mode: ThemeMode, system_dark: bool) -> bool:
    """Resolve ``mode``; ``system_dark`` is what the operating system asks for."""
    if mode is ThemeMode.SYSTEM:
        return system_dark
    return mode is ThemeMode.DARK


def palette(t: Tokens) -> QPalette:
    """A Fusion palette built from the tokens."""
    pal = QPalette()
    role = QPalette.ColorRole
    for r, value in (
        (role.Window, t.surface),
        (role.WindowText, t.text),
        (role.Base, t.raised),
        (role.AlternateBase, t.surface),
        (role.Text, t.text),
        (role.Button, t.raised),
        (role.ButtonText, t.text),
        (role.ToolTipBase, t.raised),
        (role.ToolTipText, t.text),
        (role.PlaceholderText, t.muted),
        (role.Highlight, t.accent),
        (role.HighlightedText, t.selection_text),
        (role.Link, t.accent),
        (role.Mid, t.separator),
    ):
        pal.setColor(r, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(disabled, r, QColor(t.muted))
    return pal


def stylesheet(t: Tokens, scale: float) -> str:
    """The app's stylesheet (``resources/style.qss``) filled in with tokens and scaled sizes."""
    values = t._asdict()
    values |= {f"space{i}": str(round(px * scale)) for i, px in enumerate(SPACING)}
    values |= {"title_pt": str(round(20 * scale)), "big_pt": str(round(12 * scale))}
    values |= {"item_title_pt": str(round(14 * scale))}
    return Template(resource_text("style.qss")).substitute(values)


def apply_theme(
    app: QApplication, dark: bool, scale: float, base_point_size: float | None
) -> Tokens:
    """Apply the palette, the presentation scale and the stylesheet to the app (on Fusion).

    ``base_point_size`` is the text size at scale 1; ``None`` leaves the application's own font
    as it is (then the scale must be 1), which spares the start-up PySide6's QFont class.
    """
    t = DARK if dark else LIGHT
    app.setPalette(palette(t))
    if base_point_size is not None:
        from PySide6.QtGui import QFont

        font = QFont(app.font())
        font.setPointSizeF(base_point_size * scale)
        app.setFont(font)
    app.setStyleSheet(stylesheet(t, scale))
    return t


def clamp_scale(scale: float) -> float:
    """Keep the presentation scale within sensible bounds, rounded to one step."""
    return round(min(MAX_SCALE, max(MIN_SCALE, scale)), 2)
