"""Everyday tools of the Backlog page: bulk edit, split, duplicate, copy, paste, accept.

Each tool works on the page's selection and pushes one undoable step: a single command, or
a macro when it is two steps under the hood (accept into the backlog = change list + move;
a new item at the top = add + move).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication, QUndoCommand
from PySide6.QtWidgets import QDialog, QInputDialog

from cspo_desktop.domain.drafts import NewItem
from cspo_desktop.domain.errors import CspoError
from cspo_desktop.domain.estimation import EstimationScale
from cspo_desktop.domain.filters import View
from cspo_desktop.domain.ordering import Anchor
from cspo_desktop.domain.tsv import to_tsv
from cspo_desktop.domain.vocabulary import Segment
from cspo_desktop.domain.wording import plural, short
from cspo_desktop.persistence import details, queries
from cspo_desktop.persistence.queries import BACKLOG_COLUMNS
from cspo_desktop.ui.backlog_commands import AddItem, MoveItems
from cspo_desktop.ui.item_commands import EditItems
from cspo_desktop.ui.models.backlog_columns import COLUMNS, READY_COLUMN
from cspo_desktop.ui.widgets.item_dialogs import BulkEditDialog, SplitDialog

if TYPE_CHECKING:
    from cspo_desktop.ui.document import ProductDocument
    from cspo_desktop.ui.pages.backlog import BacklogPage


_TITLE = BACKLOG_COLUMNS.index("title")


class NewItemSpot(enum.StrEnum):
    """Where Ctrl+N / the quick-add line puts a new item."""

    TOP = "top"
    BOTTOM = "bottom"
    AFTER = "after"


SPOT_LABELS = {
    NewItemSpot.TOP: "At the &top",
    NewItemSpot.BOTTOM: "At the &bottom",
    NewItemSpot.AFTER: "&After the selected item",
}


def _accepted(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class BacklogTools:
    """The page's tools; dialogs go through :attr:`run_dialog` so tests can answer them."""

    def __init__(self, page: BacklogPage) -> None:
        self._page = page
        #: Show a dialog and tell whether the user accepted it.
        self.run_dialog: Callable[[QDialog], bool] = _accepted
        #: Ask for a whole number (title, label, value, low, high) → number or None.
        self.ask_number: Callable[[str, str, int, int, int], int | None] = self._ask_number
        self.new_item_spot = NewItemSpot.BOTTOM

    # ---- Helpers
    @property
    def _document(self) -> ProductDocument:
        return self._page.document

    def _push(self, command: QUndoCommand) -> None:
        self._page.push(command)

    def _title_of(self, item_id: int) -> str:
        row = self._page.model.row_of(item_id)
        return str(self._page.model.rows()[row][_TITLE]) if row >= 0 else ""

    def _ask_number(self, title: str, label: str, value: int, low: int, high: int) -> int | None:
        number, ok = QInputDialog.getInt(self._page, title, label, value, low, high)
        return number if ok else None

    # ---- Adding
    def add_item(self, title: str, segment: Segment) -> int | None:
        """Add an item where new items go (:attr:`new_item_spot`); return its id."""
        page = self._page
        current = page.current_item()
        add = AddItem(self._document, page.errors, NewItem(title, segment=segment))
        stack = self._document.undo_stack
        stack.beginMacro(add.text())
        stack.push(add)
        if not add.failed and add.item_id is not None:
            anchor = self._spot_anchor(add.item_id, current)
            if anchor is not None:
                stack.push(MoveItems(self._document, page.errors, [add.item_id], anchor, title))
        stack.endMacro()
        return None if add.failed else add.item_id

    def _spot_anchor(self, item_id: int, current: int | None) -> Anchor | None:
        # In rank order whatever the view shows (a sorted view is not the rank).
        page = self._page
        page.ensure_complete()
        shown = set(page.model.ids())
        ids = [int(r[0]) for r in page.model.all_rows() if int(r[0]) in shown and r[0] != item_id]
        if not ids:
            return None
        if self.new_item_spot == NewItemSpot.TOP:
            return Anchor(before=ids[0])
        if self.new_item_spot == NewItemSpot.AFTER and current is not None and current in ids:
            return Anchor(after=current) if current != ids[-1] else None
        return None

    # ---- Editing a selection
    def bulk_edit(self) -> None:
        """Ask which fields to set on every selected item; set them as one step."""
        page = self._page
        ids = page.selected_ids()
        if not ids:
            return
        kind, stored = self._document.read(queries.estimation_scale_row)
        dialog = BulkEditDialog(
            len(ids),
            EstimationScale.from_stored(kind, stored).choices(),
            self._document.read(details.epic_choices),
            self._document.read(details.goal_choices),
            page,
        )
        if not self.run_dialog(dialog) or not dialog.values():
            return
        values = dialog.values()
        names = ", ".join(sorted(values))
        command = EditItems(
            self._document,
            page.errors,
            f"Edit {plural(len(ids), 'item')} ({names})",
            ids,
            ("details", "set_fields"),
            ids,
            values,
        )
        self._push(command)
        if not command.failed:
            page.said.emit(f"Changed {names} of {plural(len(ids), 'item')} — Ctrl+Z to undo")

    def split(self) -> None:
        """Split the current item: chosen criteria move to a new item right below."""
        page = self._page
        item_id = page.current_item()
        if item_id is None:
            return
        item = self._document.read(lambda c: details.item_detail(c, item_id))
        dialog = SplitDialog(item.key, item.title, item.criteria, page)
        if not self.run_dialog(dialog):
            return
        command = EditItems(
            self._document,
            page.errors,
            f"Split '{short(item.title)}'",
            [item_id],
            ("splitting", "split_item"),
            item_id,
            dialog.chosen(),
            dialog.title.text(),
            makes_items=True,
        )
        self._push(command)
        if not command.failed and isinstance(command.result, int):
            page.select_item(command.result)
            page.said.emit(f"Split '{short(item.title)}' — the new story is right below it")

    def duplicate(self) -> None:
        """Copy the current item (fields and criteria) right below it."""
        page = self._page
        item_id = page.current_item()
        if item_id is None:
            return
        title = self._title_of(item_id)
        command = EditItems(
            self._document,
            page.errors,
            f"Duplicate '{short(title)}'",
            [item_id],
            ("splitting", "duplicate_item"),
            item_id,
            makes_items=True,
        )
        self._push(command)
        if not command.failed and isinstance(command.result, int):
            page.select_item(command.result)
            page.said.emit(f"Duplicated '{short(title)}' — Ctrl+Z to undo")

    def accept_into_backlog(self) -> None:
        """Move the selected Inbox items into the backlog at a position the user picks."""
        page = self._page
        ids = page.selected_ids()
        if not ids or page.spec.view is not View.INBOX:
            return
        backlog = page.backlog_ids()
        position = self.ask_number(
            "Accept into backlog",
            f"Position in the backlog (1 = top, {len(backlog) + 1} = bottom):",
            len(backlog) + 1,
            1,
            len(backlog) + 1,
        )
        if position is None:
            return
        anchor = (
            Anchor(before=backlog[position - 1])
            if position <= len(backlog)
            else Anchor(after=backlog[-1])
            if backlog
            else None
        )
        what = f"'{short(self._title_of(ids[0]))}'" if len(ids) == 1 else f"{len(ids)} items"
        command = EditItems(
            self._document,
            page.errors,
            f"Accept {what} into the backlog",
            ids,
            ("inbox", "accept_into_backlog"),
            ids,
            anchor,
        )
        self._push(command)
        if not command.failed:
            page.said.emit(f"Accepted {what} into the backlog at position {position}")

    # ---- Clipboard
    def copy(self) -> None:
        """Put the selected rows on the clipboard as tab-separated text (for spreadsheets)."""
        page = self._page
        rows = [page.model.rows()[page.model.row_of(i)] for i in page.selected_ids()]
        if not rows:
            return
        # The columns rows carry themselves (the model fills Ready and Progress on screen).
        stored = COLUMNS[:READY_COLUMN]
        header = [title for title, _show, _align, _width in stored]
        shown = [[show(row) for _title, show, _a, _w in stored] for row in rows]
        QGuiApplication.clipboard().setText(to_tsv(header, shown))
        page.said.emit(f"Copied {plural(len(rows), 'item')} — paste them into a spreadsheet")

    def paste(self, text: str | None = None) -> None:
        """Make items from pasted lines or spreadsheet rows, after the current item."""
        from cspo_desktop.domain.paste import parse_paste

        page = self._page
        text = QGuiApplication.clipboard().text() if text is None else text
        try:
            drafts = parse_paste(text)
        except CspoError as exc:
            page.errors.failed.emit(str(exc))
            return
        if not drafts:
            page.said.emit("Nothing to paste: the clipboard holds no text")
            return
        segment = Segment.INBOX if page.spec.view is View.INBOX else Segment.BACKLOG
        command = EditItems(
            self._document,
            page.errors,
            f"Paste {plural(len(drafts), 'item')}",
            [],
            ("pasting", "add_items"),
            drafts,
            makes_items=True,
            after=page.current_item(),
            segment=segment,
        )
        self._push(command)
        if not command.failed and isinstance(command.result, list):
            page._reselect(command.result)
            page.said.emit(f"Pasted {plural(len(drafts), 'item')} — Ctrl+Z takes them away")
