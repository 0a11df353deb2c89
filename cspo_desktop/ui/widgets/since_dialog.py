"""Backlog ▸ What changed since…: items added, removed, moved and re-estimated since a moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.domain.since import Since
from cspo_desktop.domain.vocabulary import Segment

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
REFINEMENT, YESTERDAY, WEEK, CUSTOM = range(4)
NOTHING = "Nothing"


def local_text(at: str | dt.datetime) -> str:
    """A UTC moment as the user's local date and time: ``Mon 3 Mar 2025, 09:30``."""
    moment = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


class Muted(str):
    """A cell text shown in the muted colour."""

    __slots__ = ()


PUSHED = Muted("pushed by others")


def _arrow(places: int) -> str:
    return f"↑{places}" if places > 0 else f"↓{-places}"


def _place(position: int | None, segment: str) -> str:
    if position is not None:
        return str(position)
    return Muted("Inbox" if segment == Segment.INBOX else "—")


def _points(text: str) -> str:
    return text or "—"


class Section(QWidget):
    """A heading with a count over a small aligned list; "Nothing" when it is empty."""

    def __init__(self, title: str, headers: Sequence[str]) -> None:
        super().__init__()
        self.title = title
        self.heading = QLabel(title)
        self.heading.setProperty("role", "section")
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels(list(headers))
        self.tree.setObjectName(f"since{title.replace('-', '').title().replace(' ', '')}")
        self.tree.headerItem().setTextAlignment(0, RIGHT)  # the numbers' column
        self.stretch = list(headers).index("Title")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(self.stretch, header.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)

    def fill(self, rows: Sequence[Sequence[str]]) -> None:
        """Show ``rows``, one text per column; :class:`Muted` texts are grey."""
        self.tree.clear()
        self.heading.setText(f"{self.title} ({len(rows)})" if rows else self.title)
        grey = self.palette().color(QPalette.ColorRole.PlaceholderText)
        if not rows:
            empty = QTreeWidgetItem([NOTHING])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            empty.setForeground(0, grey)
            self.tree.addTopLevelItem(empty)
            empty.setFirstColumnSpanned(True)
            return
        for texts in rows:
            row = QTreeWidgetItem(list(texts))
            row.setTextAlignment(0, RIGHT)
            for column, text in enumerate(texts):
                row.setToolTip(column, text)
                if isinstance(text, Muted):
                    row.setForeground(column, grey)
            self.tree.addTopLevelItem(row)
        for column in range(self.tree.columnCount()):
            if column == self.stretch:
                continue
            self.tree.resizeColumnToContents(column)
            self.tree.setColumnWidth(column, self.tree.columnWidth(column) + 12)

    def texts(self) -> list[list[str]]:
        """Every row's cell texts, top to bottom (what tests and screen readers see)."""
        columns = self.tree.columnCount()
        rows = (self.tree.topLevelItem(r) for r in range(self.tree.topLevelItemCount()))
        return [[row.text(c) for c in range(columns)] for row in rows if row is not None]


class SinceDialog(QDialog):
    """Pick a start point; see what was added, removed, moved and re-estimated since then.

    The dialog reads through ``read(at_iso) -> Since`` and writes nothing: *Start refinement
    now* only emits :attr:`start_refinement_requested`, and the window does the rest.
    """

    start_refinement_requested = Signal()

    def __init__(
        self,
        read: Callable[[str], Since],
        refinement_at: str | None,
        parent: QWidget | None = None,
        *,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("What changed since…")
        self.setObjectName("sinceDialog")
        self._read = read
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self.refinement_at = refinement_at
        self.since: Since | None = None

        choices = self._choices()
        self.summary = QLabel()
        self.summary.setProperty("role", "subtitle")
        self.added = Section("Added", ["#", "Key", "Title"])
        self.removed = Section("Removed", ["Was #", "Key", "Title"])
        self.moved = Section("Moved", ["Places", "Key", "Title", "How"])
        self.reestimated = Section("Re-estimated", ["Points", "Key", "Title"])
        top, bottom = QHBoxLayout(), QHBoxLayout()
        top.addWidget(self.added, 1)
        top.addWidget(self.removed, 1)
        bottom.addWidget(self.moved, 3)  # usually the longest list
        bottom.addWidget(self.reestimated, 2)
        for row in (top, bottom):
            row.setSpacing(16)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addWidget(self.summary)
        layout.addLayout(top, 1)
        layout.addSpacing(8)
        layout.addLayout(bottom, 1)
        layout.addWidget(buttons)
        self.resize(960, 640)

        self.set_refinement_at(refinement_at)
        self.custom.setDateTime(QDateTime.fromSecsSinceEpoch(int(self._seconds(YESTERDAY))))
        self.choices.button(REFINEMENT if refinement_at else YESTERDAY).setChecked(True)
        self.choices.idToggled.connect(self._toggled)
        self.custom.dateTimeChanged.connect(lambda _moment: self.refresh())
        self.refresh()

    def _choices(self) -> QVBoxLayout:
        """The start points, one radio button each, and *Start refinement now*."""
        self.choices = QButtonGroup(self)
        self.refinement = QRadioButton()
        self.refinement_hint = QLabel()
        self.refinement_hint.setProperty("role", "hint")
        self.custom = QDateTimeEdit()
        self.custom.setCalendarPopup(True)
        self.custom.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.custom.setEnabled(False)
        start = QPushButton("Start refinement now")
        start.setObjectName("startRefinement")
        start.setToolTip("From now on, “Since I last pressed Start refinement” starts here.")
        start.clicked.connect(self.start_refinement_requested)
        rows = [QHBoxLayout() for _choice in range(4)]
        labels = ("", "Since yesterday", "Since a week ago", "Since")
        for number, text in enumerate(labels):
            button = self.refinement if number == REFINEMENT else QRadioButton(text)
            self.choices.addButton(button, number)
            rows[number].addWidget(button)
        rows[REFINEMENT].addWidget(self.refinement_hint)
        rows[CUSTOM].addWidget(self.custom)
        choices = QVBoxLayout()
        choices.setSpacing(4)
        for row in rows:
            row.addStretch(1)
            choices.addLayout(row)
        rows[REFINEMENT].addWidget(start)
        return choices

    def sections(self) -> tuple[Section, Section, Section, Section]:
        """Added, Removed, Moved and Re-estimated, in that order."""
        return self.added, self.removed, self.moved, self.reestimated

    def set_refinement_at(self, at: str | None) -> None:
        """Show when refinement last started (after *Start refinement now*, for instance)."""
        self.refinement_at = at
        self.refinement.setEnabled(at is not None)
        if at is None:
            self.refinement.setText("Since I last pressed Start refinement")
            self.refinement_hint.setText("— not pressed yet in this product")
            self.refinement.setToolTip("Press “Start refinement now” to start counting from then.")
            if self.refinement.isChecked():
                self.choose(YESTERDAY)
                return
        else:
            self.refinement.setText(f"Since I last pressed Start refinement ({local_text(at)})")
            self.refinement_hint.setText("")
            self.refinement.setToolTip("")
        if self.refinement.isChecked():
            self.refresh()

    def choose(self, choice: int) -> None:
        """Pick a start point: ``REFINEMENT``, ``YESTERDAY``, ``WEEK`` or ``CUSTOM``."""
        self.choices.button(choice).setChecked(True)

    def _seconds(self, choice: int) -> float:
        """A start point other than the refinement's, as seconds since the epoch."""
        if choice == CUSTOM:
            return float(self.custom.dateTime().toSecsSinceEpoch())
        today = self._now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
        return (today - dt.timedelta(days=7 if choice == WEEK else 1)).timestamp()

    def at_iso(self) -> str:
        """The chosen start point as ISO 8601 UTC text."""
        choice = self.choices.checkedId()
        if choice == REFINEMENT and self.refinement_at is not None:
            return self.refinement_at  # exactly as stored, microseconds and all
        moment = dt.datetime.fromtimestamp(self._seconds(choice), dt.UTC)
        return moment.isoformat(timespec="microseconds")

    def _toggled(self, choice: int, checked: bool) -> None:
        self.custom.setEnabled(self.choices.checkedId() == CUSTOM)
        if checked:
            self.refresh()

    def refresh(self) -> None:
        """Read the changes since the chosen start point again and show them."""
        since = self.since = self._read(self.at_iso())
        self.added.fill([[_place(a.position, a.segment), a.key, a.title] for a in since.added])
        self.removed.fill(
            [[_place(r.position, ""), r.key or Muted("—"), r.title] for r in since.removed]
        )
        self.moved.fill(
            [
                [_arrow(m.places), m.key, m.title, "moved" if m.moved_itself else PUSHED]
                for m in since.moved
            ]
        )
        self.reestimated.fill(
            [[f"{_points(r.old)} → {_points(r.new)}", r.key, r.title] for r in since.reestimated]
        )
        counts = (
            f"{len(since.added)} added, {len(since.removed)} removed, "
            f"{len(since.moved)} moved, {len(since.reestimated)} re-estimated"
        )
        self.summary.setText(
            f"Since {local_text(since.at)}: " + ("nothing changed." if since.nothing else counts)
        )
