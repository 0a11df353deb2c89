"""The "What changed since…" dialog: start points, the four sections, Start refinement."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from cspo_desktop.domain.since import Added, Moved, Reestimated, Removed, Since
from cspo_desktop.ui.widgets.since_dialog import (
    CUSTOM,
    NOTHING,
    REFINEMENT,
    WEEK,
    YESTERDAY,
    SinceDialog,
)

NOW = dt.datetime(2024, 5, 8, 15, 0, tzinfo=dt.UTC)
REFINED = "2024-05-06T07:30:00.123456+00:00"

FULL = Since(
    REFINED,
    added=(
        Added(10, "PB-10", "Pay by QR code", 4, "backlog"),
        Added(11, "PB-11", "Idea", None, "inbox"),
    ),
    removed=(Removed(3, None, "Old login page", "2024-05-07T10:00:00+00:00", 2),),
    moved=(
        Moved(5, "PB-5", "Export statements", 9, 1, moved_itself=True),
        Moved(1, "PB-1", "Sign up", 1, 3, moved_itself=False),
    ),
    reestimated=(
        Reestimated(2, "PB-2", "Card limits", "3", "5"),
        Reestimated(7, "PB-7", "Dark mode", "", "8"),
    ),
)


class Reader:
    """Stands in for the query: records each start point, answers FULL only for REFINED."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, at: str) -> Since:
        self.asked.append(at)
        return FULL if at == REFINED else Since(at)


def make(qtbot: QtBot, refinement_at: str | None = REFINED) -> tuple[SinceDialog, Reader]:
    reader = Reader()
    dialog = SinceDialog(reader, refinement_at, now=lambda: NOW)
    qtbot.addWidget(dialog)
    return dialog, reader


def test_the_sections_show_the_changes_since_refinement(qtbot: QtBot) -> None:
    dialog, reader = make(qtbot)
    assert dialog.objectName() == "sinceDialog"
    assert reader.asked == [REFINED]
    assert dialog.added.texts() == [["4", "PB-10", "Pay by QR code"], ["Inbox", "PB-11", "Idea"]]
    assert dialog.removed.texts() == [["2", "—", "Old login page"]]
    assert dialog.moved.texts() == [
        ["↑8", "PB-5", "Export statements", "moved"],
        ["↓2", "PB-1", "Sign up", "pushed by others"],
    ]
    assert dialog.reestimated.texts() == [
        ["3 → 5", "PB-2", "Card limits"],
        ["— → 8", "PB-7", "Dark mode"],
    ]
    assert dialog.added.heading.text() == "Added (2)"
    assert "2 added, 1 removed, 2 moved, 2 re-estimated" in dialog.summary.text()
    # Numbers are right-aligned; "pushed by others" is muted, "moved" is not.
    row = dialog.moved.tree.topLevelItem(1)
    assert row is not None
    assert row.textAlignment(0) & Qt.AlignmentFlag.AlignRight
    moved_row = dialog.moved.tree.topLevelItem(0)
    assert moved_row is not None
    assert row.foreground(3).color() != moved_row.foreground(3).color()


def test_switching_the_start_point_reads_again(qtbot: QtBot) -> None:
    dialog, reader = make(qtbot)
    dialog.choose(YESTERDAY)
    midnight = NOW.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    yesterday = (midnight - dt.timedelta(days=1)).astimezone(dt.UTC)
    assert reader.asked[-1] == yesterday.isoformat(timespec="microseconds")
    for section in dialog.sections():
        assert section.texts() == [[NOTHING] + [""] * (section.tree.columnCount() - 1)]
    assert "nothing changed" in dialog.summary.text()
    assert not dialog.custom.isEnabled()

    dialog.choose(WEEK)
    week = (midnight - dt.timedelta(days=7)).astimezone(dt.UTC)
    assert reader.asked[-1] == week.isoformat(timespec="microseconds")

    dialog.choose(CUSTOM)
    assert dialog.custom.isEnabled()
    local = QDateTime.fromSecsSinceEpoch(
        int(dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC).timestamp())
    )
    dialog.custom.setDateTime(local)  # shown in local time, read in UTC
    assert reader.asked[-1] == "2024-03-01T12:00:00.000000+00:00"

    dialog.choose(REFINEMENT)
    assert reader.asked[-1] == REFINED
    assert dialog.moved.texts()[0][0] == "↑8"


def test_refinement_never_started_is_disabled_and_explained(qtbot: QtBot) -> None:
    dialog, reader = make(qtbot, refinement_at=None)
    assert not dialog.refinement.isEnabled()
    assert "not pressed yet" in dialog.refinement_hint.text()
    assert dialog.choices.checkedId() == YESTERDAY
    assert len(reader.asked) == 1

    dialog.set_refinement_at(REFINED)  # the window pressed it for us
    assert dialog.refinement.isEnabled()
    assert not dialog.refinement_hint.text()
    dialog.choose(REFINEMENT)
    assert reader.asked[-1] == REFINED


def test_start_refinement_now_only_asks_the_window(qtbot: QtBot) -> None:
    dialog, reader = make(qtbot)
    button = dialog.findChild(QPushButton, "startRefinement")
    assert isinstance(button, QPushButton)
    with qtbot.waitSignal(dialog.start_refinement_requested, timeout=1000):
        button.click()
    assert reader.asked == [REFINED]  # nothing read (or written) by the press itself
