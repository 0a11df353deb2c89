"""A Hypothesis state machine over the backlog's user actions, through the real undo commands.

The reliability requirement: "over add / move (single, multi, filtered) / delete / split / bulk
edit / undo / redo: after every step DB order == model order, no duplicate rank, and undo of
everything restores a hash over every table but the event log (ignoring updated/version)."

Each example opens a fresh copy of a small demo product in a real :class:`ProductDocument`, shows
the real :class:`Workspace` on its Backlog page (so ``document.changed`` reaches the page the way
it does in the app: ``apply_ranks`` for pure reorders, ``refresh`` otherwise) and drives the page
and the undo stack as the user would: quick add (at the bottom, the top or after the selected
item), moves (Ctrl+↑/↓ repeated, Ctrl+Home/End, Move to position…, drops), delete (of the
selection, or of any item, epics included), split, duplicate, bulk edit, accept from the Inbox,
undo, redo, in the Backlog, Inbox and Epics lists with and without a text filter. Beyond the
requirement's invariants, every step checks where moved or added items land, that the rows
shown say what the file says, that undo and redo land exactly on the content the stack index
stood for before, and that a refused command changes nothing. A second run starts from rank
keys of the longest length allowed, so moves and splits re-key the whole list.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication

from cspo_desktop.demo import generate_demo
from cspo_desktop.domain.filters import BacklogFilter, View
from cspo_desktop.domain.ordering import Anchor, reorder
from cspo_desktop.domain.ranking import MAX_KEY_LENGTH
from cspo_desktop.domain.vocabulary import MoSCoW, Status
from cspo_desktop.persistence.product_file import open_product
from cspo_desktop.persistence.queries import BACKLOG_COLUMNS
from cspo_desktop.ui.backlog_commands import DeleteItems
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.item_commands import EditItems
from cspo_desktop.ui.models.backlog_filter import make_predicate
from cspo_desktop.ui.pages.backlog_tools import NewItemSpot
from cspo_desktop.ui.workspace import Workspace
from tests.content import content_hash

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = dt.date(2026, 3, 2)
DEMO_ITEMS = 40
#: The Backlog view: backlog segment, epics hidden (``domain.filters.in_view``).
VIEW_SQL = "SELECT id FROM item WHERE segment = 'backlog' AND type <> 'epic' ORDER BY rank, id"
#: Words of demo titles (and of added titles) for the text filter; "zzz" matches nothing.
FILTER_WORDS = ("card", "money", "pot", "payment", "transfer", "friend", "lost", "new", "zzz")
ADD_TITLES = ("New card limit", "Money tips", "Lost card help", "Plain item")
FIBONACCI = (None, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0)
#: Examples and steps per example: about 20 s in all on a slow two-core machine.
EXAMPLES, EXAMPLES_LONG_KEYS, STEPS = 25, 15, 30
_UPDATED_AT = BACKLOG_COLUMNS.index("updated_at")

BULK_VALUES = st.fixed_dictionaries(
    {},
    optional={
        "points": st.sampled_from(FIBONACCI),
        "moscow": st.sampled_from([None, *(m.value for m in MoSCoW)]),
        "status": st.sampled_from([s.value for s in Status]),
        "labels": st.lists(st.sampled_from(["a", "b", "ux"]), max_size=3).map(tuple),
        "segment": st.sampled_from(["backlog", "inbox"]),
        "blocked": st.booleans(),
    },
).filter(bool)


def read(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def ids_of(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[int]:
    return [int(row[0]) for row in read(path, sql, params)]


class BacklogMachine(RuleBasedStateMachine):
    """The user adds, moves, deletes, splits, bulk-edits, filters, undoes and redoes."""

    template: Path

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="backlog-machine-"))
        self.path = self.folder / "demo.cspo"
        shutil.copyfile(self.template, self.path)
        backups = self.folder / "backups"
        self.document = ProductDocument(open_product(self.path, backups_root=backups), backups)
        self.stack = self.document.undo_stack
        self.errors = CommandErrors()
        self.failures: list[str] = []
        self.errors.failed.connect(self.failures.append)
        self.workspace = Workspace(self.document, self.push, self.errors)
        self.workspace.resize(1200, 800)
        self.workspace.show()
        self.workspace.show_page("backlog")
        self.page = self.workspace.backlog_page
        assert self.page.isVisible()
        # Delete asks first; the user says yes.
        self.page.confirm_delete = say_yes  # type: ignore[method-assign]
        self.spec = BacklogFilter()
        self.spot = NewItemSpot.BOTTOM
        self.added = 0
        #: ``hashes[i]``: the content when the undo stack's index is ``i`` (0: the start).
        self.hashes = [content_hash(self.path)]
        #: False from the start of a step until the invariants passed after it.
        self.consistent = True

    # ---------------------------------------------------------------- plumbing

    def push(self, command: QUndoCommand) -> None:
        """What MainWindow._push does, without the status bar."""
        self.stack.push(command)

    def _begin(self) -> tuple[int, int, str]:
        self.consistent = False
        self.failures.clear()
        return self.stack.index(), self.stack.count(), self.hashes[self.stack.index()]

    def _after_push(
        self, start: tuple[int, int, str], *, may_fail: bool = False, step: bool = False
    ) -> bool:
        """Book-keep one user action; return whether it went through (no refusal).

        ``step``: the action must add one undo step (anything but a move, which merges with
        the previous move of the same items or, already in place, offers nothing to undo).
        """
        index, _count, before = start
        now = content_hash(self.path)
        if self.failures:
            event("refused")
            assert may_fail, f"unexpected refusal: {self.failures}"
            assert now == before, "a refused command changed the file"
            assert self.stack.index() == index, "a refused command is on the undo stack"
            return False
        new, count = self.stack.index(), self.stack.count()
        assert new == index + 1 or not step, "no undo step for an action that went through"
        if new == index + 1:
            self.hashes = [*self.hashes[: index + 1], now]
        elif new == index and now == before:
            # Nothing to undo: no command, or one that left itself off the stack (a move to
            # where the items already are). Pushing one drops what could be redone.
            event("nothing to undo")
            self.hashes = self.hashes[: count + 1]
        elif new == index and count == index:
            # Merged into the previous step (moves of the same items merge).
            event("merged")
            self.hashes = [*self.hashes[:index], now]
        else:
            raise AssertionError(f"the stack went from {start[:2]} to {(new, count)}")
        assert len(self.hashes) == self.stack.count() + 1
        return True

    def _select(self, picks: list[int]) -> list[int]:
        """Select rows of the page by position (modulo the rows shown); the ids, in list order."""
        count = self.page.model.rowCount()
        rows = sorted({p % count for p in picks})
        ids = [self.page.model.id_at(r) for r in rows]
        self.page._reselect(ids)
        assert self.page.selected_ids() == ids
        return ids

    def _visible(self) -> bool:
        return self.page.model.rowCount() > 0

    # ---------------------------------------------------------------- rules: views and filters

    @rule(view=st.sampled_from(View), word=st.sampled_from(("", "", *FILTER_WORDS)))
    def filter_on(self, view: View, word: str) -> None:
        """Show the Backlog, Inbox or Epics list, optionally narrowed by a word."""
        self.consistent = False
        self.spec = BacklogFilter(view=view, text=word)
        self.page.set_filter(self.spec)

    @precondition(lambda self: self.spec != BacklogFilter())
    @rule()
    def filter_off(self) -> None:
        self.consistent = False
        self.spec = BacklogFilter()
        self.page.set_filter(self.spec)

    @rule(spot=st.sampled_from(NewItemSpot))
    def new_item_spot(self, spot: NewItemSpot) -> None:
        """Where the quick-add line puts new items (the View menu's setting)."""
        self.page.set_new_item_spot(spot.value)
        self.spot = spot

    # ---------------------------------------------------------------- rules: add

    @rule(title=st.sampled_from(ADD_TITLES), picks=st.lists(st.integers(0, 10_000), max_size=1))
    def quick_add(self, title: str, picks: list[int]) -> None:
        """Type a title in the quick-add line and press Enter (with a row selected or not)."""
        if picks and self._visible():
            self._select(picks)
        else:
            self.page._reselect([])
        start = self._begin()
        shown, current = self.page.model.ids(), self.page.current_item()
        self.added += 1
        text = f"{title} {self.added}"
        self.page.quick_add.setText(text)
        self.page.quick_add.returnPressed.emit()
        assert self._after_push(start, step=True)
        assert self.page.quick_add.text() == ""
        [new] = ids_of(self.path, "SELECT id FROM item WHERE title = ?", (text,))
        segment = "inbox" if self.spec.view is View.INBOX else "backlog"
        assert read(self.path, "SELECT segment FROM item WHERE id = ?", (new,)) == [(segment,)]
        everything = ids_of(self.path, "SELECT id FROM item ORDER BY rank, id")
        at = everything.index(new)
        if self.spot is NewItemSpot.TOP and shown:
            assert everything[at + 1] == shown[0], "not at the top"
        elif self.spot is NewItemSpot.AFTER and current is not None and current != shown[-1]:
            assert everything[at - 1] == current, "not after the selected item"
        else:
            assert at == len(everything) - 1, "not at the bottom"
        if self.page.model.row_of(new) >= 0:
            assert self.page.selected_ids() == [new]

    @precondition(lambda self: self._visible())
    @rule(pick=st.integers(0, 10_000))
    def duplicate(self, pick: int) -> None:
        """Duplicate the current item: a copy right below it."""
        [item] = self._select([pick])
        start = self._begin()
        before = set(ids_of(self.path, "SELECT id FROM item"))
        self.page.tools.duplicate()
        assert self._after_push(start, step=True)
        everything = ids_of(self.path, "SELECT id FROM item ORDER BY rank, id")
        [copy] = set(everything) - before
        assert everything[everything.index(item) + 1] == copy, "the copy is not right below"

    @precondition(lambda self: self.spec.view is View.INBOX and self._visible())
    @rule(picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=3), at=st.integers(0, 10_000))
    def accept_into_backlog(self, picks: list[int], at: int) -> None:
        """Accept selected Inbox items into the backlog at a position the user types."""
        ids = self._select(picks)
        backlog = ids_of(self.path, VIEW_SQL)
        position = at % (len(backlog) + 1) + 1
        self.page.tools.ask_number = lambda *_question: position
        start = self._begin()
        self.page.tools.accept_into_backlog()
        assert self._after_push(start, step=True)
        anchor = Anchor(before=backlog[position - 1]) if position <= len(backlog) else Anchor()
        assert ids_of(self.path, VIEW_SQL) == reorder(backlog, ids, anchor), "wrong place"

    # ---------------------------------------------------------------- rules: moves

    PICKS = st.lists(st.integers(0, 10_000), min_size=1, max_size=4)

    def _move(self, ids: list[int], how: str, at: int = 0) -> None:
        """One move of the selected ``ids`` the way the page offers it; check where they land."""
        start = self._begin()
        model = self.page.model
        shown = model.ids()
        everything = [int(r[0]) for r in model.all_rows()]
        if how == "up":
            self.page.move_selection_by(-1)
        elif how == "down":
            self.page.move_selection_by(1)
        elif how == "top":
            self.page.move_selection_to_top()
        elif how == "bottom":
            self.page.move_selection_to_bottom()
        elif how == "position":
            self.page.move_selection_to_position(at)
        else:
            data = model.mimeData([model.index(model.row_of(i), 0) for i in ids])
            # Qt calls dropMimeData with the row the drop line is above.
            dropped = model.dropMimeData(data, Qt.DropAction.MoveAction, at, -1, QModelIndex())
            assert dropped is False  # Qt must never remove the dragged rows itself
        assert self._after_push(start)
        assert model.ids() == expected_order(shown, ids, how, at), f"{how} {at}: wrong place"
        assert self.page.selected_ids() == ids, "the moved rows are no longer selected"
        # Only the selection moves: every other item keeps its place relative to the others,
        # shown or hidden by the filter.
        now = [int(r[0]) for r in model.all_rows()]
        assert [i for i in now if i not in set(ids)] == [i for i in everything if i not in set(ids)]

    @precondition(lambda self: self._visible())
    @rule(picks=PICKS, down=st.booleans(), times=st.integers(1, 4))
    def nudge(self, picks: list[int], down: bool, times: int) -> None:
        """Ctrl+↑/↓, pressed ``times`` times: the moves of the same items merge into one step."""
        ids = self._select(picks)
        for _ in range(times):
            self._move(ids, "down" if down else "up")

    @precondition(lambda self: self._visible())
    @rule(picks=PICKS, top=st.booleans())
    def move_to_end(self, picks: list[int], top: bool) -> None:
        """Ctrl+Home / Ctrl+End."""
        self._move(self._select(picks), "top" if top else "bottom")

    @precondition(lambda self: self._visible())
    @rule(picks=PICKS, at=st.integers(0, 10_000))
    def move_to_position(self, picks: list[int], at: int) -> None:
        """Move to position… (1 = top; the dialog allows 1 to the number of rows)."""
        ids = self._select(picks)
        self._move(ids, "position", at % self.page.model.rowCount() + 1)

    @precondition(lambda self: self._visible())
    @rule(picks=PICKS, at=st.integers(0, 10_000))
    def drop(self, picks: list[int], at: int) -> None:
        """Drag the selected rows and drop them above row ``at`` (or below the last row)."""
        ids = self._select(picks)
        self._move(ids, "drop", at % (self.page.model.rowCount() + 1))

    # ---------------------------------------------------------------- rules: delete

    @precondition(lambda self: self._visible())
    @rule(picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=3))
    def delete_selection(self, picks: list[int]) -> None:
        start = self._begin()
        ids = self._select(picks)
        self.page.delete_selection()
        assert self._after_push(start, step=True)
        marks = ",".join("?" * len(ids))
        assert not read(self.path, f"SELECT id FROM item WHERE id IN ({marks})", tuple(ids))

    @precondition(lambda self: bool(read(self.path, "SELECT 1 FROM item LIMIT 1")))
    @rule(picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=3))
    def delete_any(self, picks: list[int]) -> None:
        """Delete items of any kind, epics and Inbox items too (their children lose the epic)."""
        start = self._begin()
        every = ids_of(self.path, "SELECT id FROM item ORDER BY rank, id")
        ids = sorted({every[p % len(every)] for p in picks})
        self.push(DeleteItems(self.document, self.errors, ids, "some items"))
        assert self._after_push(start, step=True)

    # ---------------------------------------------------------------- rules: split

    @precondition(lambda self: bool(read(self.path, "SELECT 1 FROM item WHERE type <> 'epic'")))
    @rule(pick=st.integers(0, 10_000), mask=st.integers(0, 63))
    def split(self, pick: int, mask: int) -> None:
        start = self._begin()
        items = ids_of(self.path, "SELECT id FROM item WHERE type <> 'epic' ORDER BY rank, id")
        item = items[pick % len(items)]
        criteria = ids_of(
            self.path,
            "SELECT id FROM acceptance_criterion WHERE item_id = ? ORDER BY position, id",
            (item,),
        )
        chosen = [c for k, c in enumerate(criteria) if mask >> k & 1]
        refused = bool(criteria) and len(chosen) in (0, len(criteria))
        command = EditItems(
            self.document,
            self.errors,
            "Split",
            [item],
            ("splitting", "split_item"),
            item,
            chosen,
            "New title",
            makes_items=True,
        )
        self.push(command)
        went_through = self._after_push(start, may_fail=refused, step=True)
        assert went_through == (not refused)
        if went_through:
            new = command.result
            assert isinstance(new, int)
            everything = ids_of(self.path, "SELECT id FROM item ORDER BY rank, id")
            assert everything[everything.index(item) + 1] == new, "not right below the original"
            moved = ids_of(
                self.path, "SELECT id FROM acceptance_criterion WHERE item_id = ?", (new,)
            )
            assert sorted(moved) == sorted(chosen)

    # ---------------------------------------------------------------- rules: bulk edit

    @precondition(lambda self: self._visible())
    @rule(picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=5), values=BULK_VALUES)
    def bulk_edit(self, picks: list[int], values: dict[str, object]) -> None:
        start = self._begin()
        ids = self._select(picks)
        self.push(
            EditItems(
                self.document, self.errors, "Bulk edit", ids, ("details", "set_fields"), ids, values
            )
        )
        assert self._after_push(start, step=True)

    # ---------------------------------------------------------------- rules: undo / redo

    @precondition(lambda self: self.stack.canUndo())
    @rule()
    def undo(self) -> None:
        self._begin()
        self.stack.undo()
        assert not self.failures, f"undo failed: {self.failures}"
        assert content_hash(self.path) == self.hashes[self.stack.index()], "undo is not exact"

    @precondition(lambda self: self.stack.canRedo())
    @rule()
    def redo(self) -> None:
        self._begin()
        self.stack.redo()
        assert not self.failures, f"redo failed: {self.failures}"
        assert content_hash(self.path) == self.hashes[self.stack.index()], "redo is not exact"

    @precondition(lambda self: self.stack.canUndo())
    @rule(redo=st.booleans())
    def undo_everything(self, redo: bool) -> None:
        self._begin()
        top = self.stack.index()
        while self.stack.canUndo():
            self.stack.undo()
        assert not self.failures, f"undo failed: {self.failures}"
        assert content_hash(self.path) == self.hashes[0], "undo of everything is not exact"
        if redo:
            while self.stack.index() < top:
                self.stack.redo()
            assert not self.failures, f"redo failed: {self.failures}"
            assert content_hash(self.path) == self.hashes[top], "redo of everything is not exact"

    # ---------------------------------------------------------------- invariants

    @invariant()
    def the_page_shows_the_file(self) -> None:
        path, model = self.path, self.page.model
        assert self.page.isVisible()
        everything = ids_of(path, "SELECT id FROM item ORDER BY rank, id")
        assert [int(r[0]) for r in model.all_rows()] == everything, "all rows: DB order != model"
        if self.spec == BacklogFilter():
            assert model.ids() == ids_of(path, VIEW_SQL), "DB order != model order"
        rows = self.document.backlog_rows()
        keep = make_predicate(self.spec, dt.datetime.now(dt.UTC))
        assert model.ids() == [int(r[0]) for r in rows if keep(r)], "filtered view != DB"
        # What the rows say (title, points, status, …), not only where they are; the edit
        # stamp is left out (a pure reorder moves rows without re-reading them).
        assert [strip(r) for r in model.all_rows()] == [strip(r) for r in rows], "stale rows"
        assert not read(path, "SELECT rank, count(*) FROM item GROUP BY rank HAVING count(*) > 1")
        assert not read(path, "PRAGMA foreign_key_check")
        self.consistent = True

    def teardown(self) -> None:
        try:
            if self.consistent:
                self.failures.clear()
                while self.stack.canUndo():
                    self.stack.undo()
                assert not self.failures, f"undo failed: {self.failures}"
                assert content_hash(self.path) == self.hashes[0], "undo of everything not exact"
        finally:
            self.workspace.close()
            self.workspace.deleteLater()
            self.document.close()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            self.document.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            shutil.rmtree(self.folder, ignore_errors=True)


def say_yes(question: str) -> bool:
    """The user's answer to "Delete …?"."""
    return bool(question)


def expected_order(shown: list[int], ids: list[int], how: str, at: int) -> list[int]:
    """The rows shown after a move of ``ids`` (in list order), worked out independently."""
    moving = set(ids)
    others = [i for i in shown if i not in moving]
    anchor: Anchor | None = None
    if how == "up":
        above = [i for i in shown[: shown.index(ids[0])] if i not in moving]
        anchor = Anchor(before=above[-1]) if above else None
    elif how == "down":
        below = [i for i in shown[shown.index(ids[-1]) + 1 :] if i not in moving]
        anchor = Anchor(after=below[0]) if below else None
    elif how == "top":
        anchor = Anchor(before=others[0]) if others else None
    elif how == "bottom":
        anchor = Anchor(after=others[-1]) if others else None
    elif how == "position":
        place = min(at - 1, len(others))
        if others:
            anchor = (
                Anchor(before=others[place]) if place < len(others) else Anchor(after=others[-1])
            )
    else:  # a drop above row ``at``: after the nearest row above that is not dragged
        above = [i for i in shown[:at] if i not in moving]
        anchor = Anchor(after=above[-1]) if above else Anchor(before=others[0]) if others else None
    return shown if anchor is None else reorder(shown, ids, anchor)


def strip(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return (*row[:_UPDATED_AT], *row[_UPDATED_AT + 1 :])


#: Base-62 digits in byte order (the rank keys' alphabet).
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def long_keys(count: int, length: int) -> list[str]:
    """``count`` ascending keys of ``length`` characters; most neighbours leave no room."""
    head = "a0" + "1" * (length - 4)
    keys = [head + high + low for high in DIGITS[1:] for low in DIGITS[1:]][:count]
    assert len(keys) == count
    return keys


@pytest.fixture(scope="module")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo product of 40 items (4 epics, 3 in the Inbox), most with acceptance criteria."""
    path = tmp_path_factory.mktemp("backlog-machine") / "small.cspo"
    generate_demo(path, items=DEMO_ITEMS, today=TODAY)
    return path


@pytest.fixture(scope="module")
def long_key_template(tmp_path_factory: pytest.TempPathFactory, small_template: Path) -> Path:
    """The same product with rank keys of the longest length allowed.

    Nothing fits between two neighbours any more: the first move or split into a gap re-keys
    the whole list (and undo must write every old key back).
    """
    path = tmp_path_factory.mktemp("backlog-machine-long") / "long.cspo"
    shutil.copyfile(small_template, path)
    order = ids_of(path, "SELECT id FROM item ORDER BY rank, id")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executemany(
            "UPDATE item SET rank = ? WHERE id = ?",
            zip(long_keys(len(order), MAX_KEY_LENGTH), order, strict=True),
        )
    assert ids_of(path, "SELECT id FROM item ORDER BY rank, id") == order
    return path


def run_machine(template: Path, examples: int) -> None:
    class Machine(BacklogMachine):
        pass

    Machine.template = template
    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    gc.collect()


# A failure shrinks for up to five minutes (Hypothesis' cap): leave it time to report.
@pytest.mark.timeout(900)
def test_backlog_state_machine(qapp: QApplication, small_template: Path) -> None:
    run_machine(small_template, EXAMPLES)


@pytest.mark.timeout(900)
def test_backlog_state_machine_keys_near_the_limit(
    qapp: QApplication, long_key_template: Path
) -> None:
    run_machine(long_key_template, EXAMPLES_LONG_KEYS)
