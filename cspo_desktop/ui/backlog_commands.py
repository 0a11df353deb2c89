"""Undoable changes to the backlog: moving, adding and deleting items."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.domain.ordering import Anchor
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument

if TYPE_CHECKING:
    from cspo_desktop.domain.drafts import NewItem
    from cspo_desktop.services.ranking import Move
    from cspo_desktop.services.removal import Removed


class MoveItems(QUndoCommand):
    """Move items as one block; drag and drop, keyboard and menu all push this command.

    The first ``redo`` asks the service where the items land and which keys that takes; undo
    and later redos write those exact keys back. Repeated moves of the same items merge into
    one undo step (nudging an item down five places is one "Undo Move").
    """

    MERGE_ID = 2001

    def __init__(
        self,
        document: ProductDocument,
        errors: CommandErrors,
        ids: list[int],
        anchor: Anchor,
        title: str,
    ) -> None:
        name = f"'{title}'" if len(ids) == 1 else f"{len(ids)} items"
        super().__init__(f"Move {name}")
        self._document = document
        self._errors = errors
        self.ids = tuple(ids)
        self._anchor = anchor
        self._move: Move | None = None
        #: Set when the service refused or nothing moved; readable after Qt deleted the command.
        self.failed = False

    def redo(self) -> None:
        """Move the items (QUndoCommand.redo)."""
        try:
            if self._move is None:
                self._move = self._document.move_items(list(self.ids), self._anchor)
                if not self._move.changed_anything:
                    self.failed = True
                    self.setObsolete(True)  # already there: nothing to undo
            else:
                self._document.write_keys(self._move.after, self._move.moved)
        except CspoError as exc:
            self._fail(exc)

    def undo(self) -> None:
        """Write every key back as it was (QUndoCommand.undo)."""
        if self._move is None:
            return
        try:
            self._document.write_keys(self._move.before, self._move.moved)
        except CspoError as exc:
            self._fail(exc)

    def _fail(self, exc: CspoError) -> None:
        self.failed = True
        self.setObsolete(True)
        self._document.reload()
        self._errors.failed.emit(str(exc))

    def id(self) -> int:
        """Moves of the same items merge (QUndoCommand.id)."""
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Fold a later move of the same items into this one (QUndoCommand.mergeWith)."""
        if not isinstance(other, MoveItems) or other.ids != self.ids:
            return False
        if self._move is None or other._move is None:
            return False
        if not other._move.changed_anything:
            return True  # a move that found the items already there adds nothing
        from cspo_desktop.services.ranking import Move

        first, second = self._move, other._move
        self._move = Move(
            moved=second.moved,
            before={**second.before, **first.before},
            after={**first.after, **second.after},
            rekeyed=first.rekeyed or second.rekeyed,
        )
        return True


class AddItem(QUndoCommand):
    """Add an item (quick-add line, Ctrl+N); undo deletes it, redo brings it back as it was."""

    def __init__(self, document: ProductDocument, errors: CommandErrors, new: NewItem) -> None:
        super().__init__(f"Add '{new.title.strip()}'")
        self._document = document
        self._errors = errors
        self._new = new
        self.item_id: int | None = None
        self._removed: Removed | None = None
        self.failed = False

    def redo(self) -> None:
        """Add the item, or put it back after an undo (QUndoCommand.redo)."""
        try:
            if self._removed is not None:
                self._document.restore_items(self._removed)
            else:
                self.item_id = self._document.add_item(self._new)
        except CspoError as exc:
            self.failed = True
            self.setObsolete(True)
            self._errors.failed.emit(str(exc))

    def undo(self) -> None:
        """Take the item away again (QUndoCommand.undo)."""
        if self.item_id is None:
            return
        try:
            self._removed = self._document.delete_items([self.item_id])
        except CspoError as exc:
            self.setObsolete(True)
            self._errors.failed.emit(str(exc))


class DeleteItems(QUndoCommand):
    """Delete items with their criteria and links; undo brings every piece back."""

    def __init__(
        self, document: ProductDocument, errors: CommandErrors, ids: list[int], title: str
    ) -> None:
        super().__init__(f"Delete '{title}'" if len(ids) == 1 else f"Delete {len(ids)} items")
        self._document = document
        self._errors = errors
        self.ids = list(ids)
        self._removed: Removed | None = None
        self.failed = False

    def redo(self) -> None:
        """Delete (QUndoCommand.redo)."""
        try:
            self._removed = self._document.delete_items(self.ids)
        except CspoError as exc:
            self.failed = True
            self.setObsolete(True)
            self._document.reload()
            self._errors.failed.emit(str(exc))

    def undo(self) -> None:
        """Put everything back (QUndoCommand.undo)."""
        if self._removed is None:
            return
        try:
            self._document.restore_items(self._removed)
        except CspoError as exc:
            self.setObsolete(True)
            self._errors.failed.emit(str(exc))
