"""Undoable user actions. Each command's ``redo``/``undo`` calls a service through the document.

A command whose service fails inside ``redo`` makes itself obsolete, so it never stays on the
stack: a failed action is never offered for undo.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.domain.vocabulary import VISION_LABELS
from cspo_desktop.ui.document import ProductDocument

_edit_sessions = itertools.count(1)


class CommandErrors(QObject):
    """Where commands report the errors of the services they call.

    Signals:
        failed(str): a service refused an action; the text is meant for the user.
    """

    failed = Signal(str)


def new_edit_session() -> int:
    """A token shared by the commits of one uninterrupted edit of one field (they merge)."""
    return next(_edit_sessions)


class SetProductText(QUndoCommand):
    """Set the product's name or one pane of its vision board."""

    MERGE_ID = 1001

    def __init__(
        self,
        document: ProductDocument,
        errors: CommandErrors,
        field: str,
        old: str,
        new: str,
        *,
        session: int = 0,
    ) -> None:
        super().__init__("Rename product" if field == "name" else "Edit vision")
        self._document = document
        self._errors = errors
        self.field = field
        self._old = old
        self._new = new
        self._session = session
        #: Set when the service refused; readable even after Qt deleted the command.
        self.failed = False
        if field in VISION_LABELS:
            self.setText(f"Edit vision: {VISION_LABELS[field]}")

    def _set(self, value: str) -> None:
        try:
            self._document.set_product_text(self.field, value)
        except CspoError as exc:
            self.failed = True
            self.setObsolete(True)
            self._errors.failed.emit(str(exc))

    def redo(self) -> None:
        """Write the new text (QUndoCommand.redo)."""
        self._set(self._new)

    def undo(self) -> None:
        """Write the old text back (QUndoCommand.undo)."""
        self._set(self._old)

    def id(self) -> int:
        """Edits of one field in one editing session merge (QUndoCommand.id)."""
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Fold a later commit of the same edit into this one (QUndoCommand.mergeWith)."""
        if (
            not isinstance(other, SetProductText)
            or other.field != self.field
            or not self._session
            or other._session != self._session
        ):
            return False
        self._new = other._new
        if self._new == self._old:
            self.setObsolete(True)  # the edits cancelled out: no step to undo
        return True
