"""The backlog as a flat table model over lightweight rows (tuples), in rank order.

Moves arrive as new rank keys (``apply_ranks``) and are shown with ``beginMoveRows`` /
``endMoveRows``, never a reset, so selection and scroll position survive. Drag and drop follows
DESIGN.md §5: the model has no ``moveRows`` (Qt would call it once per selected row), only the
root accepts drops (so rows land between rows), ``mimeData`` carries item ids under an app MIME
type, and ``dropMimeData`` asks for one move of the whole selection and returns ``False`` so Qt
never removes the dragged rows itself.

A sorted view (:meth:`BacklogModel.set_sort`) orders the shown rows by a column instead, for
reading only: the rank stays the order of record, rows do not drag, the root takes no drops and
moves made elsewhere (an undo) just keep the rows sorted. The model also rolls every epic's
items up (:mod:`domain.rollup`) when it reads the rows, for the Progress column.

Loading this module leaves PySide6's ``Qt`` namespace alone (see :mod:`backlog_columns`):
the methods that need its enums, all called only once the table shows this model, fetch it
through :func:`_qt`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Signal,
)

from cspo_desktop.domain.readiness import ReadyRules
from cspo_desktop.domain.rollup import Rollup, rollups
from cspo_desktop.persistence.queries import readiness_of
from cspo_desktop.ui.models.backlog_columns import (
    _C,
    ALIGNMENT_ROLE,
    CELL_ROLES,
    COLUMNS,
    DISPLAY_ROLE,
    LEFT,
    PLAIN_HEADER_ROLE,
    PROGRESS_COLUMN,
    READY_COLUMN,
    RIGHT,
    SORT_KEYS,
    TITLE_COLUMN,
    TOOLTIP_ROLE,
    Row,
    SortKey,
    sort_rows,
)
from cspo_desktop.ui.models.backlog_filter import RowPredicate, search_text

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    from cspo_desktop.domain.anchor import Anchor

Index = QModelIndex | QPersistentModelIndex
MIME_TYPE = "application/x-cspo-item-ids"
_ID, _RANK = _C["id"], _C["rank"]
#: A move of more rows than this is shown as one re-sort (a re-key touches every row).
INCREMENTAL_LIMIT = 32
#: What the roll-up reads of a row: (id, type, parent id, status, points).
_ROLLUP_FIELDS = itemgetter(*(_C[n] for n in ("id", "type", "parent_id", "status", "points")))
#: The mark a sorted column's header carries, by direction (descending?).
SORT_MARKS = {False: " ▲", True: " ▼"}
#: Roles as plain ints (PySide6 passes ``role`` as an int; comparing ints is cheapest).
_DISPLAY, _TOOLTIP, _ALIGN = DISPLAY_ROLE, TOOLTIP_ROLE, ALIGNMENT_ROLE


@cache
def _qt() -> type[Qt]:
    """PySide6's ``Qt`` namespace, built on this first call (after the first paint)."""
    from PySide6.QtCore import Qt

    return Qt


@cache
def _row_flags(*, drag: bool) -> Qt.ItemFlag:
    """A row's flags: selectable and enabled, and draggable in rank order."""
    flag = _qt().ItemFlag
    found = flag.ItemIsSelectable | flag.ItemIsEnabled
    return found | flag.ItemIsDragEnabled if drag else found


def _rank_key(row: Row) -> tuple[str, int]:
    """How rows are ordered: by rank key, then id (``ORDER BY rank, id``)."""
    return (str(row[_RANK]), int(row[_ID]))


def encode_ids(ids: Iterable[int]) -> QByteArray:
    """Item ids as the payload of :data:`MIME_TYPE`."""
    return QByteArray(",".join(str(i) for i in ids).encode("ascii"))


def decode_ids(payload: bytes) -> list[int]:
    """Item ids from a :data:`MIME_TYPE` payload; anything malformed gives an empty list."""
    try:
        return [int(part) for part in payload.decode("ascii").split(",") if part]
    except (UnicodeDecodeError, ValueError):
        return []


class BacklogModel(QAbstractTableModel):
    """Every item of the product, one row each, in rank order; the first header is the position.

    Signals:
        move_requested(list, object): a drop asks to move these item ids to an :class:`Anchor`.
    """

    move_requested = Signal(list, object)

    def __init__(self, rows: list[Row] | None = None) -> None:
        super().__init__()
        self._all: list[Row] = rows or []
        self._rules: ReadyRules | None = None
        self._predicate: Callable[[Row], bool] | None = None
        self._rows: list[Row] = []
        self._key_cache: list[tuple[str, int]] | None = []
        #: Every item's rank key: a shown item's row is found by bisection, not a scan.
        self._rank_of: dict[int, str] = {}
        #: Each item's search text, built on the first text filter after ``set_rows``.
        self._texts: dict[int, str] | None = None
        #: The sorted column (``None``: rank order) and its direction.
        self._sort: int | None = None
        self._descending = False
        self._rollups: dict[int, Rollup] = {}
        #: Each epic's Progress cell: (text, tooltip).
        self._progress: dict[int, tuple[str, str]] = {}
        self._roll_up()
        self._rank_of = {int(r[_ID]): str(r[_RANK]) for r in self._all}
        self._reset_rows(self._visible())

    # ---- Rows
    def _visible(self) -> list[Row]:
        rows = self._filtered()
        return rows if self._sort is None else self._sorted(rows)

    def _filtered(self) -> list[Row]:
        keep = self._predicate
        if keep is None:
            return list(self._all)
        if isinstance(keep, RowPredicate) and keep.words:
            return keep.select(self._all, self._search_texts())
        return [r for r in self._all if keep(r)]

    def _search_texts(self) -> dict[int, str]:
        if self._texts is None:
            self._texts = {r[_ID]: search_text(r) for r in self._all}
        return self._texts

    def _reset_rows(self, rows: list[Row]) -> None:
        self._rows = rows
        self._key_cache = None  # built when first needed: a keystroke of filter skips it

    def _roll_up(self) -> None:
        try:
            self._rollups = rollups(map(_ROLLUP_FIELDS, self._all))
        except IndexError:  # short rows, without parent ids (hand-made ones): no roll-up
            self._rollups = {}
        self._progress = {item: (r.summary(), r.details()) for item, r in self._rollups.items()}

    def set_rows(self, rows: list[Row]) -> None:
        """Replace every row (a new product, or a refresh after an external change)."""
        self.beginResetModel()
        self._all = rows
        self._rank_of = {int(r[_ID]): str(r[_RANK]) for r in rows}
        self._texts = None
        self._roll_up()
        self._reset_rows(self._visible())
        self.endResetModel()

    def set_rules(self, rules: ReadyRules) -> None:
        """Judge readiness by the product's Definition of Ready from now on."""
        self._rules = rules
        if self._sort == READY_COLUMN:
            self._relayout(self._sorted(self._rank_order(self._rows)))
        if self._rows:
            top, bottom = self.index(0, READY_COLUMN), self.index(len(self._rows) - 1, READY_COLUMN)
            self.dataChanged.emit(top, bottom)

    def set_filter(self, predicate: Callable[[Row], bool] | None) -> None:
        """Show only the rows ``predicate`` keeps (``None``: every row)."""
        self.beginResetModel()
        self._predicate = predicate
        self._reset_rows(self._visible())
        self.endResetModel()

    def all_rows(self) -> list[Row]:
        """Every row, shown or filtered out, in rank order."""
        return self._all

    def rows(self) -> list[Row]:
        """The rows as shown, in order."""
        return self._rows

    def ids(self) -> list[int]:
        """The item ids as shown, in order."""
        return [key[1] for key in self._keys]

    def row_of(self, item: int) -> int:
        """The row showing ``item``, or -1."""
        keys = self._keys
        rank = self._rank_of.get(item)
        if self._sort is None and rank is not None:  # rows in rank order: bisect
            row = bisect_left(keys, (rank, item))
            if row < len(keys) and keys[row][1] == item:
                return row
        for row, (_rank, shown) in enumerate(keys):
            if shown == item:
                return row
        return -1

    def already_at(self, ids: Sequence[int], anchor: Anchor) -> bool:
        """Whether ``ids`` already sit together, in order, where ``anchor`` would put them.

        Judged on the whole list (hidden rows too), as the move service judges it; the page
        then pushes nothing, so a key press that moves nothing leaves undo and redo alone.
        """
        rows = self._all
        where: list[int] = []
        for item in ids:
            rank = self._rank_of.get(item)
            at = -1 if rank is None else bisect_left(rows, (rank, item), key=_rank_key)
            if not (0 <= at < len(rows) and int(rows[at][_ID]) == item):
                return False
            where.append(at)
        where.sort()
        if not where or where != list(range(where[0], where[0] + len(where))):
            return False
        if anchor.before is not None:
            after_block = where[-1] + 1
            return after_block < len(rows) and int(rows[after_block][_ID]) == anchor.before
        if anchor.after is not None:
            return where[0] > 0 and int(rows[where[0] - 1][_ID]) == anchor.after
        return where[-1] == len(rows) - 1

    def id_at(self, row: int) -> int:
        """The id of the item on ``row``."""
        return self._keys[row][1]

    def rollup_of(self, item: int) -> Rollup | None:
        """How far epic ``item`` is (``None`` when ``item`` is not an epic)."""
        return self._rollups.get(item)

    # ---- Sorted view
    @property
    def is_sorted(self) -> bool:
        """Whether the rows are shown sorted by a column rather than in rank order."""
        return self._sort is not None

    @property
    def is_descending(self) -> bool:
        """Whether the sorted view runs from the largest value down."""
        return self._descending

    def sorted_column(self) -> int | None:
        """The column the rows are sorted by (``None``: rank order)."""
        return self._sort

    def set_sort(self, column: int | None, descending: bool = False) -> None:
        """Show the rows sorted by ``column`` (``None``: in rank order, where they can move).

        Empty cells go last in both directions; ties keep their rank order. The selection
        survives (a layout change, not a reset).

        Raises:
            ValueError: ``column`` is not a column of the model.
        """
        if column is not None and not 0 <= column < len(COLUMNS):
            msg = f"No column {column} to sort by."
            raise ValueError(msg)
        descending = descending and column is not None
        if (column, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = column, descending
        rows = self._rank_order(self._rows)
        self._relayout(rows if column is None else self._sorted(rows))
        self.headerDataChanged.emit(_qt().Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def toggle_sort(self, column: int) -> None:
        """One header click: sort by ``column`` ascending, then descending, then rank order."""
        if self._sort != column:
            self.set_sort(column)
        elif not self._descending:
            self.set_sort(column, descending=True)
        else:
            self.set_sort(None)

    def sort(self, column: int, order: Qt.SortOrder | None = None) -> None:
        """Sort by ``column``, or rank order for ``-1`` (QAbstractItemModel.sort).

        ``order`` defaults to ``None``, not Qt's ascending order: a default is built with the class,
        and the ``Qt`` namespace waits for the first paint (see the module's docstring).
        """
        self.set_sort(column if column >= 0 else None, order == _qt().SortOrder.DescendingOrder)

    def _rank_order(self, rows: list[Row]) -> list[Row]:
        """``rows`` (some shown rows) in rank order, as the full list has them."""
        shown = {r[_ID] for r in rows}
        return [r for r in self._all if r[_ID] in shown]

    def _sorted(self, rows: list[Row]) -> list[Row]:
        """``rows``, given in rank order, sorted by the sorted column."""
        assert self._sort is not None
        key = SORT_KEYS[self._sort] or self._filled_key(self._sort)
        return sort_rows(rows, key, descending=self._descending)

    def _filled_key(self, column: int) -> SortKey:
        if column == PROGRESS_COLUMN:
            rolled = self._rollups

            def progress(row: Row) -> Any:
                found = rolled.get(row[_ID])
                return found.percent if found is not None and found.items else None

            return progress
        rules = self._rules

        def ready(row: Row) -> Any:
            reasons = readiness_of(rules, row) if rules is not None else None
            return None if reasons is None else bool(reasons)

        return ready

    # ---- Moves
    def apply_ranks(self, ranks: dict[int, str]) -> None:
        """Show items with new rank keys at their new places (items not shown are ignored).

        A sorted view keeps its order (the rank only breaks ties there).
        """
        self._move_in_all(ranks)
        try:
            if self._sort is not None:
                self._relayout(self._sorted(self._rank_order(self._rows)))
                return
            shown = {item: key for item, key in ranks.items() if self.row_of(item) >= 0}
            if len(shown) > INCREMENTAL_LIMIT:
                self._resort(shown)
                return
            for item, key in sorted(shown.items(), key=lambda pair: (pair[1], pair[0])):
                self._move_one(item, key)
        finally:
            self._rank_of.update(ranks)

    def _move_in_all(self, ranks: dict[int, str]) -> None:
        """Put the moved rows at their new places in the list of every row (rank order)."""
        if len(ranks) > INCREMENTAL_LIMIT:
            self._all = sorted(
                (
                    (*r[:_RANK], ranks[int(r[_ID])], *r[_RANK + 1 :]) if int(r[_ID]) in ranks else r
                    for r in self._all
                ),
                key=_rank_key,
            )
            return
        rows = self._all
        for item, key in ranks.items():
            old = self._rank_of.get(item)
            at = -1 if old is None else bisect_left(rows, (old, item), key=_rank_key)
            if not (0 <= at < len(rows) and int(rows[at][_ID]) == item):
                at = next((i for i, r in enumerate(rows) if int(r[_ID]) == item), -1)
            if at < 0:
                continue  # not a row of this list
            row = rows.pop(at)
            updated = (*row[:_RANK], key, *row[_RANK + 1 :])
            rows.insert(bisect_left(rows, (key, item), key=_rank_key), updated)

    def _move_one(self, item: int, key: str) -> None:
        source = self.row_of(item)
        row = self._rows[source]
        del self._keys[source]
        target = bisect_left(self._keys, (key, item))
        self._keys.insert(source, (str(row[_RANK]), item))  # back until Qt is told
        updated = (*row[:_RANK], key, *row[_RANK + 1 :])
        if target == source:
            self._keys[source] = (key, item)
            self._rows[source] = updated
            self._rank_of[item] = key
            return
        destination = target if target < source else target + 1
        self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), destination)
        del self._rows[source]
        del self._keys[source]
        self._rows.insert(target, updated)
        self._keys.insert(target, (key, item))
        self._rank_of[item] = key
        self.endMoveRows()

    def _resort(self, ranks: dict[int, str]) -> None:
        rows = [
            (*r[:_RANK], ranks[int(r[_ID])], *r[_RANK + 1 :]) if int(r[_ID]) in ranks else r
            for r in self._rows
        ]
        rows.sort(key=lambda r: (str(r[_RANK]), int(r[_ID])))
        self._relayout(rows)

    def _relayout(self, rows: list[Row]) -> None:
        """Show the same rows as now in a new order; persistent indexes follow their items."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids_before = [self._keys[i.row()][1] for i in before]
        self._reset_rows(rows)
        where = {item: row for row, (_rank, item) in enumerate(self._keys)}
        after = [
            self.index(where[item], i.column()) for item, i in zip(ids_before, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    @property
    def _keys(self) -> list[tuple[str, int]]:
        """(rank, id) of the shown rows, in order: what moves and drops look up."""
        if self._key_cache is None:
            self._key_cache = [(str(r[_RANK]), int(r[_ID])) for r in self._rows]
        return self._key_cache

    # ---- Qt API: data
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Number of items (QAbstractItemModel.rowCount)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Number of columns (QAbstractItemModel.columnCount)."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        """Cell text, alignment and tooltips (QAbstractItemModel.data)."""
        if role not in CELL_ROLES or not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row_number: int, column: int, role: int) -> Any:
        """What :meth:`data` answers for the cell at ``row_number``, ``column`` in ``role``."""
        row = self._rows[row_number]
        if column >= READY_COLUMN:  # the columns the model fills
            ready = column == READY_COLUMN
            return self._ready_data(row, role) if ready else self._progress_data(row, role)
        # Plain ints: a view asks each visible cell for several roles on every paint.
        if role == _DISPLAY:
            return COLUMNS[column][1](row)
        if role == _ALIGN:
            return COLUMNS[column][2]
        if role == _TOOLTIP and column == TITLE_COLUMN:
            return COLUMNS[column][1](row)
        return None

    def _ready_data(self, row: Row, role: int) -> Any:
        if role != _DISPLAY and role != _TOOLTIP:  # noqa: PLR1714 - ints, on the paint path
            return LEFT if role == _ALIGN else None
        reasons = readiness_of(self._rules, row) if self._rules is not None else None
        if reasons is None:
            return ""
        if role == _TOOLTIP:
            return "Ready for a sprint" if not reasons else "Not ready: " + "; ".join(reasons)
        return "✓ Ready" if not reasons else "! Not ready"

    def _progress_data(self, row: Row, role: int) -> Any:
        if role in (_DISPLAY, _TOOLTIP):
            texts = self._progress.get(row[_ID])
            if texts is None:
                return "" if role == _DISPLAY else None
            return texts[0] if role == _DISPLAY else texts[1]
        return LEFT if role == _ALIGN else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        """Column names, and the position as the row header (QAbstractItemModel.headerData).

        The sorted column's name carries ▲ (ascending) or ▼; :data:`PLAIN_HEADER_ROLE` gives
        the name alone.
        """
        horizontal = orientation == _qt().Orientation.Horizontal
        if role == _DISPLAY:
            if horizontal:
                return self.column_title(section)
            return str(section + 1)
        if role == PLAIN_HEADER_ROLE and horizontal:
            return COLUMNS[section][0]
        if role == _ALIGN:
            return LEFT if horizontal else RIGHT
        return None

    def column_title(self, column: int) -> str:
        """The header of ``column``, with the sort mark when the rows are sorted by it."""
        title = COLUMNS[column][0]
        return title + SORT_MARKS[self._descending] if column == self._sort else title

    # ---- Qt API: drag and drop
    def flags(self, index: Index) -> Qt.ItemFlag:
        """Rows drag; only the root takes drops; neither when sorted (QAbstractItemModel.flags)."""
        if not index.isValid():
            flag = _qt().ItemFlag
            return flag.ItemIsDropEnabled if self._sort is None else flag.NoItemFlags
        return _row_flags(drag=self._sort is None)

    def supportedDropActions(self) -> Qt.DropAction:
        """Moves only (QAbstractItemModel.supportedDropActions)."""
        return _qt().DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        """Moves only (QAbstractItemModel.supportedDragActions)."""
        return _qt().DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        """The app's item-id type and plain text (QAbstractItemModel.mimeTypes)."""
        return [MIME_TYPE, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """Dragged rows as item ids, in list order, plus their keys and titles as text."""
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data = QMimeData()
        data.setData(MIME_TYPE, encode_ids(self._keys[r][1] for r in rows))
        data.setText(
            "\n".join(f"{self._rows[r][_C['key']]}\t{self._rows[r][_C['title']]}" for r in rows)
        )
        return data

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Ask for one move of all dropped items (QAbstractItemModel.dropMimeData).

        Returning ``False`` keeps Qt from removing the dragged rows after the drop: the move
        command moves them, as one undoable step. A sorted view asks for nothing.
        """
        if self._sort is not None:
            return False
        if action != _qt().DropAction.MoveAction or not data.hasFormat(MIME_TYPE):
            return False
        ids = decode_ids(bytes(data.data(MIME_TYPE).data()))
        if not ids:
            return False
        if parent.isValid():
            row = parent.row()
        anchor = self.anchor_for_drop(len(self._rows) if row < 0 else row, set(ids))
        if anchor is not None:
            self.move_requested.emit(ids, anchor)
        return False

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """No drops on a sorted view (QAbstractItemModel.canDropMimeData)."""
        if self._sort is not None:
            return False
        return super().canDropMimeData(data, action, row, column, parent)

    def anchor_for_drop(self, row: int, moving: set[int]) -> Anchor | None:
        """Where items dropped above ``row`` land: after the shown row above, else before the first.

        In a filtered list that is right after the visible row above the drop line; hidden items
        keep their places. ``None`` when every shown row is being moved, or the view is sorted
        (the rows above and below are not the rank neighbours there).
        """
        if self._sort is not None:
            return None
        from cspo_desktop.domain.anchor import Anchor  # not needed for the first paint

        for above in range(min(row, len(self._keys)) - 1, -1, -1):
            if self._keys[above][1] not in moving:
                return Anchor(after=self._keys[above][1])
        for below in range(max(row, 0), len(self._keys)):
            if self._keys[below][1] not in moving:
                return Anchor(before=self._keys[below][1])
        return None
