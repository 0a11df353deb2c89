"""Refinement sessions: *Start refinement* (undoable) and "What changed since…".

Pressing *Start refinement* remembers the moment in the product file; "What changed since…"
then lists, from the event log, what was added, removed, moved and re-estimated since that
moment (or since yesterday, a week ago, any date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument


class StartRefinement(QUndoCommand):
    """Remember now as the start of refinement; undo remembers the previous start again."""

    def __init__(self, document: ProductDocument, errors: CommandErrors) -> None:
        super().__init__("Start refinement")
        self._document = document
        self._errors = errors
        self._at = dt.datetime.now(dt.UTC)
        from cspo_desktop.persistence.since_queries import refinement_started_at

        old = document.read(refinement_started_at)
        self._old = None if old is None else dt.datetime.fromisoformat(old)
        self.failed = False

    def _set(self, at: dt.datetime | None) -> None:
        from cspo_desktop.services import refinement

        try:
            self._document.apply(refinement.set_refinement_started, at)
        except CspoError as exc:
            self.failed = True
            self.setObsolete(True)
            self._errors.failed.emit(str(exc))

    def redo(self) -> None:
        """Remember now (QUndoCommand.redo)."""
        self._set(self._at)

    def undo(self) -> None:
        """Remember the previous start again (QUndoCommand.undo)."""
        self._set(self._old)


def show_changes_since(
    document: ProductDocument,
    push: Callable[[QUndoCommand], None],
    errors: CommandErrors,
    parent: QWidget,
) -> None:
    """Open "What changed since…" for ``document`` (its button starts a refinement)."""
    from cspo_desktop.persistence import since_queries
    from cspo_desktop.ui.widgets.since_dialog import SinceDialog

    dialog = SinceDialog(
        lambda at: document.read(lambda conn: since_queries.changes_since(conn, at)),
        document.read(since_queries.refinement_started_at),
        parent,
    )

    def start() -> None:
        push(StartRefinement(document, errors))
        dialog.set_refinement_at(document.read(since_queries.refinement_started_at))

    dialog.start_refinement_requested.connect(start)
    dialog.exec()
    dialog.deleteLater()
