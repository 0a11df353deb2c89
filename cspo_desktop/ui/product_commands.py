"""Undoable edits of the Product page: goals, Definition of Done and Ready, estimation scale.

Each command's ``redo``/``undo`` calls a service through ``document.apply`` (one transaction
each) and keeps what the service returned, so undo writes the old state back exactly: a
deleted goal comes back with its id and its items re-linked, a reorder writes the old keys or
positions back. A command whose service fails makes itself obsolete (it leaves the stack, so a
failed action is never offered for undo) and reports why on ``errors.failed``.

Services are imported when a command first runs: this module is loaded with the Product page's
editors, and the write path (SQLModel) stays off the start-up path.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.domain.estimation import EstimationScale
from cspo_desktop.domain.readiness import ReadyRules, describe_change
from cspo_desktop.domain.wording import short
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument

if TYPE_CHECKING:
    from cspo_desktop.services.definitions import DoneLine
    from cspo_desktop.services.goals import GoalSnapshot

#: Names in undo entries are cut to this many characters.
NAME_LENGTH = 40

GOAL_STATUS_WORDS = {
    "proposed": "proposed",
    "active": "active",
    "achieved": "achieved",
    "abandoned": "abandoned",
}


def quoted(name: str) -> str:
    """A name as an undo entry shows it: ``'Grow P2P'``, cut with … when long, on one line."""
    return f"'{short(name, NAME_LENGTH)}'"


class ServiceCommand(QUndoCommand):
    """A command that runs services through the document and reports their refusals."""

    def __init__(self, document: ProductDocument, errors: CommandErrors, text: str) -> None:
        super().__init__(text)
        self._document = document
        self._errors = errors
        #: Set when a service refused; readable even after Qt deleted the command.
        self.failed = False

    def _guard(self, action: Callable[[], object]) -> None:
        try:
            action()
        except CspoError as exc:
            self.failed = True
            self.setObsolete(True)
            self._errors.failed.emit(str(exc))


class SetField(ServiceCommand):
    """Set one value of one row with ``service(db, row_id, value)``; undo sets the old value.

    ``service`` names a function of :mod:`cspo_desktop.services` as ``(module, function)``;
    it is imported when the command first runs, which keeps SQLModel off the start-up path.
    """

    def __init__(
        self,
        document: ProductDocument,
        errors: CommandErrors,
        text: str,
        service: tuple[str, str],
        *,
        row_id: int,
        old: object,
        new: object,
    ) -> None:
        super().__init__(document, errors, text)
        self._service = service
        self._row_id = row_id
        self._old = old
        self._new = new

    def _set(self, value: object) -> None:
        module, function = self._service
        run = getattr(importlib.import_module(f"cspo_desktop.services.{module}"), function)
        self._guard(lambda: self._document.apply(run, self._row_id, value))

    def redo(self) -> None:
        """Write the new value (QUndoCommand.redo)."""
        self._set(self._new)

    def undo(self) -> None:
        """Write the old value back (QUndoCommand.undo)."""
        self._set(self._old)


# ---------------------------------------------------------------- product goals


class AddGoal(ServiceCommand):
    """Add a product goal at the bottom of the list."""

    def __init__(self, document: ProductDocument, errors: CommandErrors, title: str) -> None:
        super().__init__(document, errors, f"Add goal {quoted(title)}")
        self._title = title
        self.goal_id: int | None = None
        self._snapshot: GoalSnapshot | None = None

    def redo(self) -> None:
        """Add the goal, or put the same goal back after an undo (QUndoCommand.redo)."""
        from cspo_desktop.services import goals

        def run() -> None:
            if self._snapshot is None:
                self.goal_id = self._document.apply_returning(goals.add_goal, self._title)
            else:
                self._document.apply(goals.restore_goal, self._snapshot)

        self._guard(run)

    def undo(self) -> None:
        """Delete the goal again (QUndoCommand.undo)."""
        from cspo_desktop.services import goals

        def run() -> None:
            self._snapshot = self._document.apply_returning(goals.delete_goal, self.goal_id)

        self._guard(run)


class RenameGoal(SetField):
    """Give a product goal a new title."""

    def __init__(
        self, document: ProductDocument, errors: CommandErrors, goal_id: int, old: str, new: str
    ) -> None:
        text = f"Rename goal {quoted(old)}"
        super().__init__(
            document, errors, text, ("goals", "rename_goal"), row_id=goal_id, old=old, new=new
        )


class SetGoalStatus(SetField):
    """Mark a product goal as proposed, active, achieved or abandoned."""

    def __init__(
        self,
        document: ProductDocument,
        errors: CommandErrors,
        goal_id: int,
        title: str,
        *,
        old: str,
        new: str,
    ) -> None:
        text = f"Mark goal {quoted(title)} as {GOAL_STATUS_WORDS.get(new, new)}"
        service = ("goals", "set_goal_status")
        super().__init__(document, errors, text, service, row_id=goal_id, old=old, new=new)


class MoveGoal(ServiceCommand):
    """Move a product goal one or more places up (negative offset) or down."""

    def __init__(
        self,
        document: ProductDocument,
        errors: CommandErrors,
        goal_id: int,
        title: str,
        offset: int,
    ) -> None:
        direction = "up" if offset < 0 else "down"
        super().__init__(document, errors, f"Move goal {quoted(title)} {direction}")
        self.goal_id = goal_id
        self._offset = offset
        self._old: dict[int, str] | None = None

    def redo(self) -> None:
        """Move the goal: one new rank key, or a re-key (QUndoCommand.redo)."""
        from cspo_desktop.services import goals

        def run() -> None:
            self._old = self._document.apply_returning(goals.move_goal, self.goal_id, self._offset)

        self._guard(run)

    def undo(self) -> None:
        """Write every key the move changed back (QUndoCommand.undo)."""
        from cspo_desktop.services import goals

        old = self._old or {}
        self._guard(lambda: self._document.apply(goals.set_goal_ranks, old))


class DeleteGoal(ServiceCommand):
    """Delete a product goal; its items stay, and undo links them to it again."""

    def __init__(
        self, document: ProductDocument, errors: CommandErrors, goal_id: int, title: str
    ) -> None:
        super().__init__(document, errors, f"Delete goal {quoted(title)}")
        self.goal_id = goal_id
        self._snapshot: GoalSnapshot | None = None

    def redo(self) -> None:
        """Delete the goal, remembering it and its items (QUndoCommand.redo)."""
        from cspo_desktop.services import goals

        def run() -> None:
            self._snapshot = self._document.apply_returning(goals.delete_goal, self.goal_id)

        self._guard(run)

    def undo(self) -> None:
        """Put the goal back with its id and re-link its items (QUndoCommand.undo)."""
        from cspo_desktop.services import goals

        snapshot = self._snapshot
        if snapshot is not None:
            self._guard(lambda: self._document.apply(goals.restore_goal, snapshot))


# ---------------------------------------------------------------- Definition of Done


class AddDoneCriterion(ServiceCommand):
    """Add a line at the end of the Definition of Done."""

    def __init__(self, document: ProductDocument, errors: CommandErrors, text: str) -> None:
        super().__init__(document, errors, f"Add to Definition of Done {quoted(text)}")
        self._text = text
        self.line_id: int | None = None
        self._line: DoneLine | None = None

    def redo(self) -> None:
        """Add the line, or put the same line back after an undo (QUndoCommand.redo)."""
        from cspo_desktop.services import definitions

        def run() -> None:
            if self._line is None:
                self.line_id = self._document.apply_returning(
                    definitions.add_done_criterion, self._text
                )
            else:
                self._document.apply(definitions.restore_done_criterion, self._line)

        self._guard(run)

    def undo(self) -> None:
        """Delete the line again (QUndoCommand.undo)."""
        from cspo_desktop.services import definitions

        def run() -> None:
            self._line = self._document.apply_returning(
                definitions.delete_done_criterion, self.line_id
            )

        self._guard(run)


class EditDoneCriterion(SetField):
    """Change the text of one line of the Definition of Done."""

    def __init__(
        self, document: ProductDocument, errors: CommandErrors, line_id: int, old: str, new: str
    ) -> None:
        text = f"Edit Definition of Done {quoted(old)}"
        service = ("definitions", "edit_done_criterion")
        super().__init__(document, errors, text, service, row_id=line_id, old=old, new=new)


class ReorderDone(ServiceCommand):
    """Put the lines of the Definition of Done in a new order."""

    def __init__(
        self, document: ProductDocument, errors: CommandErrors, ordered_ids: Sequence[int]
    ) -> None:
        super().__init__(document, errors, "Reorder Definition of Done")
        self._order = list(ordered_ids)
        self._old: dict[int, int] | None = None

    def redo(self) -> None:
        """Write the new positions (QUndoCommand.redo)."""
        from cspo_desktop.services import definitions

        def run() -> None:
            self._old = self._document.apply_returning(
                definitions.reorder_done_criteria, self._order
            )

        self._guard(run)

    def undo(self) -> None:
        """Write the old positions back (QUndoCommand.undo)."""
        from cspo_desktop.services import definitions

        old = self._old or {}
        self._guard(lambda: self._document.apply(definitions.set_done_positions, old))


class DeleteDoneCriterion(ServiceCommand):
    """Delete one line of the Definition of Done."""

    def __init__(
        self, document: ProductDocument, errors: CommandErrors, line_id: int, text: str
    ) -> None:
        super().__init__(document, errors, f"Delete from Definition of Done {quoted(text)}")
        self.line_id = line_id
        self._line: DoneLine | None = None

    def redo(self) -> None:
        """Delete the line, remembering it (QUndoCommand.redo)."""
        from cspo_desktop.services import definitions

        def run() -> None:
            self._line = self._document.apply_returning(
                definitions.delete_done_criterion, self.line_id
            )

        self._guard(run)

    def undo(self) -> None:
        """Put the line back with its id and position (QUndoCommand.undo)."""
        from cspo_desktop.services import definitions

        line = self._line
        if line is not None:
            self._guard(lambda: self._document.apply(definitions.restore_done_criterion, line))


# ---------------------------------------------------------------- Definition of Ready, scale


class SetReadyRules(ServiceCommand):
    """Switch Definition of Ready rules (or change the size limit)."""

    def __init__(
        self, document: ProductDocument, errors: CommandErrors, old: ReadyRules, new: ReadyRules
    ) -> None:
        super().__init__(document, errors, describe_change(old, new))
        self._old = old
        self._new = new

    def _set(self, rules: ReadyRules, *, remember: bool) -> None:
        from cspo_desktop.services import definitions

        def run() -> None:
            before = self._document.apply_returning(definitions.set_ready_rules, rules)
            if remember:
                self._old = before

        self._guard(run)

    def redo(self) -> None:
        """Write the new rules (QUndoCommand.redo)."""
        self._set(self._new, remember=True)

    def undo(self) -> None:
        """Write the rules as they were stored back (QUndoCommand.undo)."""
        self._set(self._old, remember=False)


SCALE_WORDS = {
    "fibonacci": "Fibonacci points",
    "tshirt": "T-shirt sizes",
    "custom": "custom numbers",
}


class SetEstimationScale(ServiceCommand):
    """Switch the estimation scale, or change its values."""

    def __init__(
        self,
        document: ProductDocument,
        errors: CommandErrors,
        scale: EstimationScale,
        text: str | None = None,
    ) -> None:
        super().__init__(document, errors, text or f"Estimate in {SCALE_WORDS[scale.kind]}")
        self._scale = scale
        self._old: tuple[str, str] | None = None

    def redo(self) -> None:
        """Write the new scale (QUndoCommand.redo)."""
        from cspo_desktop.services import definitions

        def run() -> None:
            self._old = self._document.apply_returning(
                definitions.set_estimation_scale, self._scale
            )

        self._guard(run)

    def undo(self) -> None:
        """Write the scale back exactly as it was stored (QUndoCommand.undo)."""
        from cspo_desktop.services import definitions

        old = self._old
        if old is not None:
            self._guard(lambda: self._document.apply(definitions.restore_estimation_scale, *old))
