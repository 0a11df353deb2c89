"""Show and hide a table's columns from a right-click menu on its header.

:func:`install_column_chooser` hangs a small helper object on the table that remembers what to
call when the hidden columns change (the page stores them in the settings);
:func:`column_menu` builds the menu the header opens, which tests can drive directly. Loading
the module leaves PySide6's ``Qt`` namespace alone: :func:`apply_hidden` serves the first paint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QPoint, Slot
from PySide6.QtWidgets import QMenu, QTableView

from cspo_desktop.ui.models.backlog_columns import LOCKED_COLUMNS, PLAIN_HEADER_ROLE

CHOOSER_NAME = "columnChooser"


class ColumnChooser(QObject):
    """The header menu's helper, a child of the table it serves."""

    def __init__(
        self,
        table: QTableView,
        on_change: Callable[[list[int]], None],
        locked: Iterable[int],
    ) -> None:
        from PySide6.QtCore import Qt

        super().__init__(table)
        self.setObjectName(CHOOSER_NAME)
        self.table = table
        self.on_change = on_change
        self.locked = frozenset(locked)
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_menu_requested)

    @Slot(QPoint)
    def _on_menu_requested(self, position: QPoint) -> None:
        menu = column_menu(self.table)
        header = self.table.horizontalHeader()
        menu.exec(header.mapToGlobal(position))
        menu.deleteLater()

    def set_shown(self, column: int, shown: bool) -> None:
        """Show or hide ``column`` (a locked column stays) and report the hidden columns."""
        if column in self.locked and not shown:
            return
        self.table.setColumnHidden(column, not shown)
        self.on_change(hidden_columns(self.table))


def install_column_chooser(
    table: QTableView,
    hidden_default: Iterable[int],
    on_change: Callable[[list[int]], None],
    *,
    locked: Iterable[int] = LOCKED_COLUMNS,
) -> None:
    """Hide ``hidden_default`` now and let a right-click on the header show or hide columns.

    Args:
        table: the table; its model must already be set.
        hidden_default: the columns to hide now (e.g. the ones stored in the settings).
        on_change: called with every hidden column, in order, after each change in the menu.
        locked: columns that cannot be hidden (by default the backlog's Key and Title).
    """
    chooser = chooser_of(table)
    if chooser is None:
        chooser = ColumnChooser(table, on_change, locked)
    else:  # installed again: the new callback and locks replace the old ones
        chooser.on_change, chooser.locked = on_change, frozenset(locked)
    apply_hidden(table, hidden_default, locked=chooser.locked)


def chooser_of(table: QTableView) -> ColumnChooser | None:
    """The helper :func:`install_column_chooser` hung on ``table``, if any."""
    from PySide6.QtCore import Qt

    found = table.findChild(QObject, CHOOSER_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    return found if isinstance(found, ColumnChooser) else None


def apply_hidden(
    table: QTableView, hidden: Iterable[int], *, locked: Iterable[int] = LOCKED_COLUMNS
) -> None:
    """Hide exactly the columns in ``hidden`` (unknown and locked ones are ignored)."""
    count = table.model().columnCount()
    hide = set(hidden) - set(locked)
    for column in range(count):
        table.setColumnHidden(column, column in hide)


def hidden_columns(table: QTableView) -> list[int]:
    """The table's hidden columns, in order."""
    count = table.model().columnCount()
    return [column for column in range(count) if table.isColumnHidden(column)]


def column_menu(table: QTableView) -> QMenu:
    """The header's menu: one checkable entry per column (checked: shown).

    Locked columns are listed checked and disabled. Toggling an entry shows or hides its column
    and reports the hidden columns to the ``on_change`` given to :func:`install_column_chooser`
    (without one, the menu only shows and hides).
    """
    from PySide6.QtCore import Qt

    chooser = chooser_of(table)
    locked = chooser.locked if chooser is not None else LOCKED_COLUMNS
    menu = QMenu(table)
    menu.setObjectName("columnMenu")
    menu.setToolTipsVisible(True)
    model = table.model()
    orientation = Qt.Orientation.Horizontal
    for column in range(model.columnCount()):
        title = model.headerData(column, orientation, PLAIN_HEADER_ROLE)
        if title is None:
            title = model.headerData(column, orientation, Qt.ItemDataRole.DisplayRole)
        action = menu.addAction(str(title))
        action.setCheckable(True)
        action.setChecked(not table.isColumnHidden(column))
        action.setData(column)
        if column in locked:
            action.setEnabled(False)
            action.setToolTip("This column is always shown")
            continue
        action.toggled.connect(_toggler(table, column))
    return menu


def _toggler(table: QTableView, column: int) -> Callable[[bool], None]:
    def toggled(shown: bool) -> None:
        chooser = chooser_of(table)
        if chooser is not None:
            chooser.set_shown(column, shown)
        else:
            table.setColumnHidden(column, not shown)

    return toggled
