"""One undoable command for every edit of items: detail panel, bulk edit, split, paste.

The first ``redo`` captures the items it is about to touch, runs the service, and captures
them again (with any item the service made); undo and later redos put one of those two
states back through :func:`services.snapshots.put_back`. So every edit is undone exactly,
however many rows it wrote, without an inverse service for each kind of edit.

Services are named as ``(module, function)`` of :mod:`cspo_desktop.services` and imported
when the command first runs, which keeps the write path off the start-up path.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument

if TYPE_CHECKING:
    from cspo_desktop.services.snapshots import ItemsState


def _service(name: tuple[str, str]) -> Any:
    module, function = name
    return getattr(importlib.import_module(f"cspo_desktop.services.{module}"), function)


def _new_ids(value: object) -> list[int]:
    """The ids of the items a service made, from what it returned (an id or a list of ids)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(v, int) for v in value):
        return list(value)
    return []


class EditItems(QUndoCommand):
    """Run ``service(db, *args, **options)`` on items ``ids``; undo puts them back as they were.

    A service returns ``Changes``, or with ``returns`` ``(value, Changes)``; ``result`` keeps
    that value for the caller (e.g. the new criterion's id). With ``makes_items`` the value
    is the id or ids of items the service made: they are part of the edit, so undo takes
    them away again (a split-off story, pasted items).
    """

    def __init__(
        self,
        document: ProductDocument,
        errors: CommandErrors,
        text: str,
        ids: Sequence[int],
        service: tuple[str, str],
        *args: object,
        returns: bool = False,
        makes_items: bool = False,
        **options: object,
    ) -> None:
        super().__init__(text)
        self._document = document
        self._errors = errors
        self.ids = tuple(dict.fromkeys(ids))
        self._service = service
        self._args = args
        self._options = options
        self._returns = returns or makes_items
        self._makes_items = makes_items
        self._before: ItemsState | None = None
        self._after: ItemsState | None = None
        #: What the service returned (with ``returns``), e.g. the new item's id.
        self.result: object = None
        #: Set when a service refused; readable even after Qt deleted the command.
        self.failed = False

    def redo(self) -> None:
        """Run the service the first time; put the edited state back afterwards."""
        try:
            if self._after is not None:
                self._document.put_back(self._after)
                return
            self._before = self._document.capture(self.ids)
            run = _service(self._service)
            if self._options:
                run = partial(run, **self._options)
            if self._returns:
                self.result = self._document.apply_returning(run, *self._args)
            else:
                self._document.apply(run, *self._args)
            made = _new_ids(self.result) if self._makes_items else []
            self._after = self._document.capture([*self.ids, *made])
        except CspoError as exc:
            self._fail(exc)

    def undo(self) -> None:
        """Put the items back as they were before the edit (QUndoCommand.undo)."""
        if self._before is None:
            return
        try:
            # The state before lists the new items too (absent then), so they go again.
            before = self._before
            if self._after is not None and self._after.ids != before.ids:
                before = replace(before, ids=self._after.ids)
            self._document.put_back(before)
        except CspoError as exc:
            self._fail(exc)

    def _fail(self, exc: CspoError) -> None:
        self.failed = True
        self.setObsolete(True)
        self._document.reload()
        self._errors.failed.emit(str(exc))
