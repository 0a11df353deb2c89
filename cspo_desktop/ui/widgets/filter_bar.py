"""The Backlog page's filter bar: Backlog / Inbox / Epics, a text filter and quick views."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from cspo_desktop.domain.filters import QUICK_VIEW_LABELS, BacklogFilter, QuickView, View
from cspo_desktop.domain.vocabulary import ItemType, Segment
from cspo_desktop.persistence.queries import BACKLOG_COLUMNS

_TYPE = BACKLOG_COLUMNS.index("type")
_SEGMENT = BACKLOG_COLUMNS.index("segment")
VIEW_LABELS = {View.BACKLOG: "Backlog", View.INBOX: "Inbox", View.EPICS: "Epics"}
#: Typing pauses this long before the list filters, so fast typists are not held up.
TYPING_PAUSE_MS = 120


def view_counts(rows: list[tuple[object, ...]]) -> Counter[View]:
    """How many items each view holds (epics count in Epics only)."""
    counts: Counter[View] = Counter()
    for row in rows:
        if row[_TYPE] == ItemType.EPIC:
            counts[View.EPICS] += 1
        elif row[_SEGMENT] == Segment.INBOX:
            counts[View.INBOX] += 1
        else:
            counts[View.BACKLOG] += 1
    return counts


class FilterBar(QWidget):
    """Chooses what the Backlog page shows.

    Signals:
        changed(BacklogFilter): the user changed the view, the text or the quick view.
    """

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backlogFilterBar")
        self._views = QButtonGroup(self)
        self._buttons: dict[View, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for view, label in VIEW_LABELS.items():
            button = QPushButton(label)
            button.setObjectName(f"view_{view.value}")
            button.setProperty("role", "segment")
            button.setCheckable(True)
            button.clicked.connect(self._emit)
            self._views.addButton(button)
            self._buttons[view] = button
            layout.addWidget(button)
        self._buttons[View.BACKLOG].setChecked(True)
        self.show_epics = QCheckBox("Show epics")
        self.show_epics.toggled.connect(self._emit)
        layout.addWidget(self.show_epics)
        layout.addStretch(1)
        self.quick = QComboBox()
        self.quick.setObjectName("backlogQuickView")
        for quick, label in QUICK_VIEW_LABELS.items():
            self.quick.addItem(label.format(days=30), quick.value)
        self.quick.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.quick.setMinimumContentsLength(8)
        self.quick.currentIndexChanged.connect(self._emit)
        layout.addWidget(self.quick)
        self.text = QLineEdit()
        self.text.setObjectName("backlogFilter")
        self.text.setPlaceholderText("Filter: words, or label:… type:… epic:… goal:… (Ctrl+F)")
        self.text.setToolTip(
            "Every word must match the key, title, description or labels.\n"
            "Name a field to filter by it: label:payments  type:bug  status:done  "
            'epic:PAY-1  goal:"savings habit"  sprint:7  moscow:must'
        )
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(self.fontMetrics().averageCharWidth() * 14)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self._emit)
        self.text.textChanged.connect(self._pause.start)
        layout.addWidget(self.text)

    def spec(self) -> BacklogFilter:
        """The filter as the bar shows it."""
        view = next((v for v, b in self._buttons.items() if b.isChecked()), View.BACKLOG)
        return BacklogFilter(
            view=view,
            text=self.text.text(),
            quick=QuickView(str(self.quick.currentData())),
            show_epics=self.show_epics.isChecked(),
        )

    def show_spec(self, spec: BacklogFilter) -> None:
        """Show ``spec`` without announcing it."""
        widgets = (self.text, self.quick, self.show_epics, *self._buttons.values())
        blocked = [w.blockSignals(True) for w in widgets]
        self._buttons[spec.view].setChecked(True)
        self.text.setText(spec.text)
        self.quick.setCurrentIndex(max(0, self.quick.findData(spec.quick.value)))
        self.show_epics.setChecked(spec.show_epics)
        for widget, was in zip(widgets, blocked, strict=True):
            widget.blockSignals(was)

    def set_counts(self, counts: Counter[View]) -> None:
        """Show how many items each view holds: "Backlog 146"."""
        for view, button in self._buttons.items():
            button.setText(f"{VIEW_LABELS[view]} {counts[view]:,}")

    @Slot()
    def _emit(self) -> None:
        self._pause.stop()
        self.show_epics.setEnabled(self._buttons[View.BACKLOG].isChecked())
        self.changed.emit(self.spec())
