"""The item detail panel: every field of the selected item, edited in place.

It follows the selection of whichever page shows items. Each edit is one undoable command
(:class:`~cspo_desktop.ui.item_commands.EditItems`) saved at once: text fields when editing
finishes (Enter or leaving the field), choices when picked. After any change of the item the
panel re-reads it, so what it shows is always what the file holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cspo_desktop.domain.errors import NotFound
from cspo_desktop.domain.estimation import EstimationScale, format_points
from cspo_desktop.domain.readiness import ItemFacts, reasons_not_ready
from cspo_desktop.domain.vocabulary import (
    MOSCOW_LABELS,
    STATUS_LABELS,
    ItemType,
    Priority,
    Segment,
    Status,
)
from cspo_desktop.domain.wording import short
from cspo_desktop.persistence import details, queries
from cspo_desktop.persistence.details import ItemDetail
from cspo_desktop.services.changes import Changes, Entity
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.item_commands import EditItems
from cspo_desktop.ui.widgets.item_detail import NOTHING_SELECTED
from cspo_desktop.ui.widgets.item_detail.lists import (
    CriteriaSection,
    HistorySection,
    LinksSection,
    QuestionsSection,
)
from cspo_desktop.ui.widgets.item_detail.parts import DescriptionEdit, Section, TitleEdit

NONE = "—"
#: The narrowest a choice box gets, in characters: the panel keeps to its dock's width.
MIN_COMBO_CHARS = 8


def _combo(name: str, choices: Sequence[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    # As wide as the panel, not as its longest choice (an epic's or a goal's whole title).
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(MIN_COMBO_CHARS)
    for label, value in choices:
        combo.addItem(label, value)
    return combo


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.blockSignals(True)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def local_time(stamp: str) -> str:
    """An ISO UTC stamp as local date and time, minutes only."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class ItemDetailPanel(QScrollArea):
    """Every field of one item, each edit one undoable command.

    Signals:
        open_requested(int): the user asked to show another item (a linked one).
        section_toggled(str, bool): a section was folded or opened (for the settings).
    """

    open_requested = Signal(int)
    section_toggled = Signal(str, bool)

    def __init__(
        self,
        document: ProductDocument,
        push: Callable[[QUndoCommand], None],
        errors: CommandErrors,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("itemDetail")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._document = document
        self._push = push
        self._errors = errors
        self.item: ItemDetail | None = None
        self._scale = EstimationScale.fibonacci()
        body = QWidget()
        body.setObjectName("itemDetailBody")
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(16, 12, 16, 16)
        self._layout.setSpacing(6)
        self.setWidget(body)
        self.empty = QLabel(NOTHING_SELECTED)
        self.empty.setProperty("role", "hint")
        self.empty.setWordWrap(True)
        self._layout.addWidget(self.empty)
        self.content = QWidget()
        self._layout.addWidget(self.content)
        self._layout.addStretch(1)
        self._build(self.content)
        self.content.hide()
        document.changed.connect(self._on_changed)

    # ---- Building
    def _build(self, host: QWidget) -> None:
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.heading = QLabel()
        self.heading.setObjectName("itemHeading")
        self.heading.setProperty("role", "subtitle")
        self.readiness = QLabel()
        self.readiness.setObjectName("itemReadiness")
        self.readiness.setWordWrap(True)
        self.title = TitleEdit()
        self.title.setObjectName("itemTitle")
        self.title.setProperty("role", "item-title")
        self.title.committed.connect(self._on_title)
        layout.addWidget(self.heading)
        layout.addWidget(self.title)
        layout.addWidget(self.readiness)
        self.sections: dict[str, Section] = {}
        self._add_section(layout, "fields", "Details", self._build_fields())
        self._add_section(layout, "description", "Description", self._build_description())
        self.criteria = CriteriaSection(self._edit)
        self._add_section(layout, "criteria", "Acceptance criteria", self.criteria)
        self.questions = QuestionsSection(self._edit)
        self._add_section(layout, "questions", "Team questions", self.questions)
        self.links = LinksSection(self._edit, self._search)
        self.links.open_requested.connect(self.open_requested)
        self._add_section(layout, "links", "Dependencies", self.links)
        self.history = HistorySection()
        self._add_section(layout, "history", "History", self.history)

    def _add_section(self, layout: QVBoxLayout, key: str, title: str, body: QWidget) -> None:
        section = Section(key, title, body)
        section.toggled.connect(self.section_toggled)
        self.sections[key] = section
        layout.addWidget(section)

    def _build_fields(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.type = _combo("itemType", [(t.value.capitalize(), t.value) for t in ItemType])
        self.status = _combo("itemStatus", [(STATUS_LABELS[s], s.value) for s in Status])
        self.points = _combo("itemPoints", [])
        self.value = QLineEdit()
        self.value.setObjectName("itemValue")
        self.value.setPlaceholderText("Business value (a whole number)")
        self.moscow = _combo(
            "itemMoscow", [(NONE, None), *[(v, k) for k, v in MOSCOW_LABELS.items()]]
        )
        self.priority = _combo(
            "itemPriority", [(NONE, None), *[(p.value.capitalize(), p.value) for p in Priority]]
        )
        self.segment = _combo(
            "itemSegment", [("Backlog", Segment.BACKLOG.value), ("Inbox", Segment.INBOX.value)]
        )
        self.epic = _combo("itemEpic", [(NONE, None)])
        self.goal = _combo("itemGoal", [(NONE, None)])
        self.labels = QLineEdit()
        self.labels.setObjectName("itemLabels")
        self.labels.setPlaceholderText("Comma-separated labels")
        self.blocked = QCheckBox("Blocked")
        self.blocked.setObjectName("itemBlocked")
        self.blocked_note = QLineEdit()
        self.blocked_note.setObjectName("itemBlockedNote")
        self.blocked_note.setPlaceholderText("What blocks it?")
        blocked_row = QHBoxLayout()
        blocked_row.addWidget(self.blocked)
        blocked_row.addWidget(self.blocked_note, 1)
        self.external = QLabel()
        self.external.setProperty("role", "hint")
        for label, widget in (
            ("Type", self.type),
            ("Status", self.status),
            ("Points", self.points),
            ("Business value", self.value),
            ("MoSCoW", self.moscow),
            ("Priority", self.priority),
            ("Epic", self.epic),
            ("Product goal", self.goal),
            ("Labels", self.labels),
            ("List", self.segment),
        ):
            form.addRow(label, widget)
        form.addRow("", blocked_row)
        form.addRow("", self.external)
        for field, combo in (
            ("type", self.type),
            ("status", self.status),
            ("points", self.points),
            ("moscow", self.moscow),
            ("priority", self.priority),
            ("segment", self.segment),
            ("parent_id", self.epic),
            ("goal_id", self.goal),
        ):
            combo.activated.connect(lambda _i, f=field, c=combo: self._set(f, c.currentData()))
        self.value.editingFinished.connect(self._on_value)
        self.labels.editingFinished.connect(self._on_labels)
        self.blocked.clicked.connect(lambda on: self._set("blocked", bool(on)))
        self.blocked_note.editingFinished.connect(self._on_blocked_note)
        return box

    def _build_description(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.description = DescriptionEdit()
        self.description.setObjectName("itemDescription")
        self.description.setPlaceholderText("As a … I want … so that …  (Markdown)")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().height() * 7)
        self.description.focus_lost.connect(self._commit_description)
        self.rendered = QTextBrowser()
        self.rendered.setObjectName("itemDescriptionPreview")
        self.rendered.setOpenLinks(False)
        self.rendered.setFixedHeight(self.fontMetrics().height() * 7)
        self.rendered.hide()
        self.preview = QPushButton("Preview")
        self.preview.setObjectName("descriptionPreview")
        self.preview.setProperty("role", "tool")
        self.preview.setCheckable(True)
        self.preview.setToolTip("Show the description rendered as Markdown")
        self.preview.toggled.connect(self._on_preview)
        layout.addWidget(self.description)
        layout.addWidget(self.rendered)
        layout.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignRight)
        return box

    # ---- Showing
    def show_item(self, item_id: int | None) -> None:
        """Show item ``item_id`` (``None``: nothing selected).

        Switching to another item first saves what is typed for the one shown, so no text
        ever lands on the wrong item; re-reading the same item keeps the user's typing.
        """
        switching = self.item is None or item_id != self.item.id
        if switching:
            self.commit_pending()
        if item_id is None:
            self.item = None
        else:
            try:
                self.item = self._document.read(lambda c: details.item_detail(c, item_id))
            except NotFound:
                self.item = None
        self._fill(force=switching)

    def _fill(self, *, force: bool = False) -> None:
        item = self.item
        self.content.setVisible(item is not None)
        self.empty.setVisible(item is None)
        if item is None:
            return
        conn_read = self._document.read
        kind, stored = conn_read(queries.estimation_scale_row)
        self._scale = EstimationScale.from_stored(kind, stored)
        self.heading.setText(f"{item.key}  ·  {item.type.capitalize()}")
        self.title.set_title(item.title, force=force)
        self._show_readiness(item)
        self._fill_choices(item)
        self._set_line(
            self.value, "" if item.business_value is None else str(item.business_value), force
        )
        self._set_line(self.labels, ", ".join(item.labels), force)
        self.blocked.setChecked(bool(item.blocked))
        self._set_line(self.blocked_note, item.blocked_note, force)
        source = f"From {item.external_source}: {item.external_key}" if item.external_key else ""
        self.external.setText(source)
        self.external.setVisible(bool(source))
        if force or not self.description.hasFocus():
            self.description.setPlainText(item.description)
        if self.preview.isChecked():
            self.rendered.setMarkdown(item.description)
        self.criteria.show_rows(item.id, item.criteria)
        done = sum(1 for c in item.criteria if c.review_state == "pass")
        self.sections["criteria"].set_title(
            f"Acceptance criteria ({done}/{len(item.criteria)})"
            if item.criteria
            else "Acceptance criteria"
        )
        self.questions.show_rows(item.id, item.questions)
        open_count = self.questions.open_count()
        self.sections["questions"].set_title(
            f"Team questions ({open_count} open)" if item.questions else "Team questions"
        )
        self.links.show_rows(item.id, item.links)
        self.history.show_rows(
            self._document.read(lambda c: details.item_history(c, item.id)), local_time
        )

    def _fill_choices(self, item: ItemDetail) -> None:
        _select(self.type, item.type)
        _select(self.status, item.status)
        self.points.clear()
        self.points.addItem(NONE, None)
        for label, value in self._scale.choices():
            self.points.addItem(label, value)
        if item.points is not None and self.points.findData(item.points) < 0:
            self.points.addItem(f"{format_points(item.points)} (not on the scale)", item.points)
        _select(self.points, item.points)
        _select(self.moscow, item.moscow)
        _select(self.priority, item.priority)
        _select(self.segment, item.segment)
        self.epic.clear()
        self.epic.addItem(NONE, None)
        for epic_id, key, title in self._document.read(details.epic_choices):
            if epic_id != item.id:
                self.epic.addItem(f"{key}  {title}", epic_id)
        _select(self.epic, item.parent_id)
        self.epic.setEnabled(item.type != ItemType.EPIC)
        self.goal.clear()
        self.goal.addItem(NONE, None)
        for goal_id, title in self._document.read(details.goal_choices):
            self.goal.addItem(title, goal_id)
        _select(self.goal, item.goal_id)

    def _show_readiness(self, item: ItemDetail) -> None:
        if item.type == ItemType.EPIC or item.status == Status.DONE:
            self.readiness.setText("")
            self.readiness.hide()
            return
        rules = self._document.ready_rules()
        facts = ItemFacts(
            criteria=len(item.criteria),
            points=item.points,
            open_questions=sum(1 for q in item.questions if q.is_open),
            unfinished_dependencies=sum(
                1
                for link in item.links
                if link.kind == "depends_on" and link.outgoing and link.other_status != Status.DONE
            ),
            blocked=bool(item.blocked),
        )
        reasons = reasons_not_ready(rules, facts)
        self.readiness.show()
        self.readiness.setProperty("state", "ready" if not reasons else "not-ready")
        self.readiness.setText(
            "✓ Ready for a sprint" if not reasons else "! Not ready: " + "; ".join(reasons)
        )
        self.readiness.style().unpolish(self.readiness)
        self.readiness.style().polish(self.readiness)

    @staticmethod
    def _set_line(line: QLineEdit, text: str, force: bool = False) -> None:
        if not force and line.hasFocus() and line.isModified():
            return  # the user is typing: their text wins until they finish
        line.setText(text)
        line.setCursorPosition(0)  # show the start of a long value, not its end
        line.setModified(False)

    # ---- Editing
    def _edit(self, text: str, service: tuple[str, str], *args: object) -> EditItems | None:
        if self.item is None:
            return None
        returns = service[1].startswith("add_")
        command = EditItems(
            self._document, self._errors, text, [self.item.id], service, *args, returns=returns
        )
        self._push(command)
        return command

    def _set(self, field: str, value: object) -> None:
        item = self.item
        if item is None or getattr(item, field) == value:
            return
        self._edit(
            f"Set {_FIELD_WORDS[field]} of '{short(item.title)}'",
            ("details", "set_field"),
            item.id,
            field,
            value,
        )

    @Slot()
    def _on_title(self) -> None:
        if self.item is not None and self.title.title() != self.item.title:
            self._edit(
                f"Rename '{short(self.item.title)}'",
                ("details", "set_field"),
                self.item.id,
                "title",
                self.title.title(),
            )

    @Slot()
    def _on_value(self) -> None:
        text = self.value.text().strip()
        if self.item is None:
            return
        if not text:
            self._set("business_value", None)
            return
        try:
            number = int(text)
        except ValueError:
            self._errors.failed.emit(f"Business value is a whole number; “{text}” is not one.")
            self._set_line(
                self.value,
                "" if self.item.business_value is None else str(self.item.business_value),
            )
            return
        self._set("business_value", number)

    @Slot()
    def _on_blocked_note(self) -> None:
        self._set("blocked_note", self.blocked_note.text())

    @Slot()
    def _on_labels(self) -> None:
        labels = [part.strip() for part in self.labels.text().split(",") if part.strip()]
        self._set("labels", tuple(labels))

    def commit_pending(self) -> None:
        """Save whatever is being typed (before switching items, undo, closing)."""
        if self.item is None:
            return
        if self.title.typed:
            self.title.mark_saved()
            self._on_title()
        for line, save in (
            (self.value, self._on_value),
            (self.labels, self._on_labels),
            (self.blocked_note, self._on_blocked_note),
        ):
            if line.isModified():
                line.setModified(False)
                save()
        self._commit_description()

    def _commit_description(self) -> None:
        item, text = self.item, self.description.toPlainText()
        if item is None or text == item.description:
            return
        # Noted first: the command's change notice re-reads the item while it is pushed.
        self.item = replace(item, description=text)
        self._edit(
            f"Edit description of '{short(item.title)}'",
            ("details", "set_field"),
            item.id,
            "description",
            text,
        )

    @Slot(bool)
    def _on_preview(self, on: bool) -> None:
        if on:
            self._commit_description()
            self.rendered.setMarkdown(self.description.toPlainText())
        self.rendered.setVisible(on)
        self.description.setVisible(not on)
        self.preview.setText("Edit" if on else "Preview")

    def _search(self, text: str, exclude: int) -> list[tuple[int, str, str, str]]:
        return self._document.read(lambda c: details.search_items(c, text, exclude=exclude))

    @Slot(object)
    def _on_changed(self, changes: Changes) -> None:
        if self.item is None:
            return
        touched = changes.entities.get(Entity.ITEM)
        other_kinds = any(
            changes.touches(k) for k in (Entity.GOAL, Entity.PRODUCT, Entity.CRITERION)
        )
        if changes.only_reordered:
            return
        if (touched is not None and (not touched or self.item.id in touched)) or other_kinds:
            self.show_item(self.item.id)


#: Field names as an undo entry says them.
_FIELD_WORDS = {
    "type": "type",
    "status": "status",
    "points": "points",
    "business_value": "business value",
    "moscow": "MoSCoW",
    "priority": "priority",
    "segment": "list",
    "parent_id": "epic",
    "goal_id": "product goal",
    "labels": "labels",
    "blocked": "blocked",
    "blocked_note": "blocked note",
    "description": "description",
    "title": "title",
}
