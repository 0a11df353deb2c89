"""Can Qt open a window here? Checked first, because Qt aborts the process when it cannot."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

#: Libraries Qt's xcb platform plugin loads, and the Debian/Ubuntu packages that provide them.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def missing_xcb_libraries() -> list[str]:
    """The xcb libraries that cannot be loaded on this machine."""
    import ctypes

    missing = []
    for library in XCB_LIBRARIES:
        try:
            ctypes.CDLL(library)
        except OSError:
            missing.append(library)
    return missing


def display_problem(
    env: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """Return a one-line explanation with the fix when no window can be opened, else ``None``."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa and not qpa.startswith("xcb"):
        return None
    if not qpa and env.get("WAYLAND_DISPLAY"):
        return None
    if not env.get("DISPLAY"):
        return (
            "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set): start it from a "
            "desktop session, under `xvfb-run`, or with QT_QPA_PLATFORM=offscreen to check "
            "without a screen"
        )
    return _x11_problem(env["DISPLAY"])


def _x11_problem(display: str) -> str | None:
    missing = missing_xcb_libraries()
    if missing:
        packages = " ".join(XCB_LIBRARIES[name] for name in missing)
        return (
            f"Qt's X11 support needs {', '.join(missing)}, which this system lacks: "
            f"install them (Debian/Ubuntu: sudo apt install {packages})"
        )
    if not x_server_answers(display):
        return (
            f"the X display {display!r} does not answer: start the X server (or `xvfb-run`), "
            "or fix DISPLAY"
        )
    return None


def x_server_answers(display: str) -> bool:
    """Whether an X server accepts a connection on ``display`` (asked through libxcb)."""
    import ctypes

    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # cannot ask; let Qt try
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return int(xcb.xcb_connection_has_error(connection)) == 0
    finally:
        xcb.xcb_disconnect(connection)
