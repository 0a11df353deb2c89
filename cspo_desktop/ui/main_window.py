"""The main window: menus, the welcome page or the open product's workspace, the status bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QStackedWidget

from cspo_desktop import __version__
from cspo_desktop.console import warn
from cspo_desktop.persistence.paths import AppDirs
from cspo_desktop.persistence.preflight import Inspection
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.files import FileFlows, show_message
from cspo_desktop.ui.settings import Settings
from cspo_desktop.ui.theme import (
    SCALE_STEP,
    ThemeMode,
    apply_theme,
    clamp_scale,
    is_dark,
    system_is_dark,
)
from cspo_desktop.ui.workspace import Workspace

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QUndoCommand

    from cspo_desktop.services.changes import Changes
    from cspo_desktop.ui.actions import ActionRegistry
    from cspo_desktop.ui.detail_dock import DetailDock
    from cspo_desktop.ui.interop import TrackerFiles
    from cspo_desktop.ui.pages.backlog import BacklogPage
    from cspo_desktop.ui.pages.welcome import WelcomePage

APP_TITLE = "CSPO Desktop"
MENU_TITLES = ("&File", "&Edit", "&Backlog", "&View", "&Help")
STATUS_TIMEOUT_MS = 8000
#: The window's size at its very first start, on a screen with room for it.
FIRST_SIZE = (1280, 800)
#: The share of a smaller screen's free area the first window takes.
SCREEN_SHARE = 0.9


def first_size(available_width: int, available_height: int) -> tuple[int, int]:
    """The first window's size on a screen whose free area (without panels) is given.

    :data:`FIRST_SIZE`, or :data:`SCREEN_SHARE` of the screen in a direction that has less
    room: a 1366x768 laptop gets 1229x691, never a window taller than its screen.
    """
    width, height = FIRST_SIZE
    if available_width < width / SCREEN_SHARE:
        width = round(available_width * SCREEN_SHARE)
    if available_height < height / SCREEN_SHARE:
        height = round(available_height * SCREEN_SHARE)
    return width, height


class MainWindow(QMainWindow):
    """Lays out the window and routes menu actions; the work happens in documents and services."""

    def __init__(
        self,
        dirs: AppDirs,
        settings: Settings,
        base_point_size: float | None,
        *,
        interactive: bool = True,
        product: Path | None = None,
        inspection: Inspection | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.dirs = dirs
        self.settings = settings
        self.document: ProductDocument | None = None
        self.workspace: Workspace | None = None
        #: The item detail panel's dock, made after the first paint.
        self.detail_dock: DetailDock | None = None
        #: The text size at presentation scale 1 (``None``: the application font's own size,
        #: read when a scale other than 1 first changes it).
        self._base_point_size = base_point_size
        #: False in smoke runs and tests: messages go to stderr instead of a modal dialog.
        self.interactive = interactive
        self._painted = False  # after the first paint, opening a product backs it up at once
        #: Whether the menus are filled and the actions connected. A start-up that opens a
        #: product paints the frame and the product's page first: the rest follows the paint.
        self._finished = False
        self.errors = CommandErrors(self)
        self._tracker_files: TrackerFiles | None = None
        self._registry: ActionRegistry | None = None
        self.files = FileFlows(dirs, settings, self)
        # The look comes first: widgets created after it are polished once, not twice.
        self._apply_look()

        self._welcome: WelcomePage | None = None  # built when first shown
        self.central = QStackedWidget()
        self.setCentralWidget(self.central)
        self.saved_label = QLabel("")
        self.statusBar().addPermanentWidget(self.saved_label)
        # The menus' titles paint with the window; their entries follow (_finish).
        self._menus = [self.menuBar().addMenu(title) for title in MENU_TITLES]
        self.files.message.connect(self.show_message)
        self.files.status.connect(self.say)
        self.errors.failed.connect(lambda text: self.show_message("error", "Not saved", text))
        # The welcome page is built only when shown: opening a product straight away skips it.
        if product is None or not self.open_path(product, inspection):
            self._finish()
            self._show_welcome()
        geometry = settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self._size_for_screen()
        state = settings.window_state()
        if state is not None:
            self.restoreState(state)

    # ---- Building
    def _size_for_screen(self) -> None:
        """The size of a first start: roomy, and never larger than the screen it opens on."""
        from PySide6.QtGui import QGuiApplication

        area = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(*first_size(area.width(), area.height()))

    @property
    def registry(self) -> ActionRegistry:
        """The window's actions by id (made on first use, after the first paint)."""
        if self._registry is None:
            from cspo_desktop.ui.actions import ActionRegistry

            self._registry = ActionRegistry(self)
        return self._registry

    def _finish(self) -> None:
        """Fill the menus, connect and enable the actions (once; at start-up after the paint)."""
        if self._finished:
            return
        # Imported here, after the first paint: PySide6 builds these classes' enums on first use.
        from PySide6.QtGui import QKeySequence, QShortcut

        from cspo_desktop.ui.window_menus import fill_menus

        self._finished = True
        self.recent_menu = fill_menus(self, self._menus)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.addActions(self.registry.all())
        for number in range(1, 10):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda n=number: self._go_to_page(n))
        self._connect_signals()
        self._check_theme_action()
        self._update_actions()

    def _connect_signals(self) -> None:
        from cspo_desktop.ui.actions import ActionId
        from cspo_desktop.ui.window_menus import SPOTS

        a = self.registry
        a[ActionId.NEW_PRODUCT].triggered.connect(self.new_product)
        a[ActionId.OPEN_PRODUCT].triggered.connect(self.open_product_dialog)
        a[ActionId.OPEN_DEMO].triggered.connect(self.open_demo)
        a[ActionId.SAVE_COPY].triggered.connect(self._on_save_copy)
        a[ActionId.EXPORT_ARCHIVE].triggered.connect(self._on_export_archive)
        a[ActionId.IMPORT_ARCHIVE].triggered.connect(self._on_import_archive)
        a[ActionId.IMPORT_TRACKER].triggered.connect(self._on_import_tracker)
        a[ActionId.EXPORT_JIRA].triggered.connect(lambda: self._on_export_tracker("jira"))
        a[ActionId.EXPORT_ADO].triggered.connect(lambda: self._on_export_tracker("ado"))
        a[ActionId.RESTORE_BACKUP].triggered.connect(self.restore_from_backup)
        a[ActionId.CLOSE_PRODUCT].triggered.connect(self.close_product)
        a[ActionId.QUIT].triggered.connect(self.close)
        for action_id, move in (
            (ActionId.NEW_ITEM, lambda page: page.focus_quick_add()),
            (ActionId.DELETE_ITEMS, lambda page: page.delete_selection()),
            (ActionId.MOVE_UP, lambda page: page.move_selection_by(-1)),
            (ActionId.MOVE_DOWN, lambda page: page.move_selection_by(1)),
            (ActionId.MOVE_TOP, lambda page: page.move_selection_to_top()),
            (ActionId.MOVE_BOTTOM, lambda page: page.move_selection_to_bottom()),
            (ActionId.MOVE_TO, lambda page: page.ask_move_to_position()),
            (ActionId.BULK_EDIT, lambda page: page.tools.bulk_edit()),
            (ActionId.SPLIT, lambda page: page.tools.split()),
            (ActionId.DUPLICATE, lambda page: page.tools.duplicate()),
            (ActionId.COPY_ITEMS, lambda page: page.tools.copy()),
            (ActionId.PASTE_ITEMS, lambda page: page.tools.paste()),
            (ActionId.ACCEPT_INBOX, lambda page: page.tools.accept_into_backlog()),
        ):
            a[action_id].triggered.connect(lambda _=False, m=move: self._on_backlog_move(m))
        for action_id, spot in SPOTS.items():
            a[action_id].setChecked(spot == self.settings.new_item_spot())
            a[action_id].triggered.connect(lambda _=False, s=spot: self._set_new_item_spot(s))
        a[ActionId.START_REFINEMENT].triggered.connect(self._on_start_refinement)
        a[ActionId.CHANGES_SINCE].triggered.connect(self._on_changes_since)
        a[ActionId.UNDO].triggered.connect(self.undo)
        a[ActionId.REDO].triggered.connect(self.redo)
        a[ActionId.ZOOM_IN].triggered.connect(
            lambda: self.set_scale(self.settings.scale() + SCALE_STEP)
        )
        a[ActionId.ZOOM_OUT].triggered.connect(
            lambda: self.set_scale(self.settings.scale() - SCALE_STEP)
        )
        a[ActionId.ZOOM_RESET].triggered.connect(lambda: self.set_scale(1.0))
        a[ActionId.FULL_SCREEN].toggled.connect(self._on_full_screen)
        a[ActionId.DETAIL_PANEL].triggered.connect(self._on_detail_panel)
        a[ActionId.THEME_SYSTEM].triggered.connect(lambda: self.set_theme(ThemeMode.SYSTEM))
        a[ActionId.THEME_LIGHT].triggered.connect(lambda: self.set_theme(ThemeMode.LIGHT))
        a[ActionId.THEME_DARK].triggered.connect(lambda: self.set_theme(ThemeMode.DARK))
        a[ActionId.ABOUT].triggered.connect(self._on_about)

    # ---- Documents
    def open_path(self, path: Path, inspection: Inspection | None = None) -> bool:
        """Open a product file in this window, closing the current one first."""
        if self.document is not None and Path(path).resolve() == self.document.path.resolve():
            return True
        self.close_product()
        document = self.files.open_document(Path(path), inspection)
        if document is None:
            self._show_welcome()
            return False
        self.set_document(document)
        return True

    def set_document(self, document: ProductDocument) -> None:
        """Show ``document`` in the workspace."""
        self.document = document
        self.workspace = Workspace(
            document,
            self._push,
            self.errors,
            self.central,
            during_startup=not self._painted,
            first_screen=not self._finished,
        )
        self.central.addWidget(self.workspace)
        self.central.setCurrentWidget(self.workspace)
        self.workspace.show_page(self.settings.page())
        self.workspace.page_changed.connect(self.settings.set_page)
        self.workspace.page_changed.connect(self._update_actions)
        self.workspace.said.connect(self.say)
        self.workspace.item_selected.connect(self._on_item_selected)
        self.workspace.set_new_item_spot(self.settings.new_item_spot())
        self.workspace.set_hidden_columns(self._hidden_column_prefs())
        self.workspace.hidden_columns_changed.connect(self.settings.set_hidden_columns)
        if self.detail_dock is not None:
            self.detail_dock.attach(document, self._push, self.errors)
        stack = document.undo_stack
        stack.canUndoChanged.connect(self._update_actions)
        stack.canRedoChanged.connect(self._update_actions)
        stack.undoTextChanged.connect(self._update_actions)
        stack.redoTextChanged.connect(self._update_actions)
        document.changed.connect(self._on_document_changed)
        self.settings.set_last_product(document.path)
        self._update_title()
        self._update_actions()
        self.saved_label.setText("All changes saved")
        if self._painted:  # at start-up the backup waits for the first paint
            QTimer.singleShot(0, self, self._daily_backup)

    def close_product(self, *, show_welcome: bool = True) -> None:
        """Save pending typing, close the product and show the welcome page."""
        if self.document is None:
            return
        self.commit_pending()
        if self.detail_dock is not None:
            self.detail_dock.attach(None, self._push, self.errors)
        if self.workspace is not None:
            self.workspace.close_down()
            self.central.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None
        document, self.document = self.document, None
        try:
            document.close()
        except Exception as exc:  # noqa: BLE001 - closing must finish; the backup is a bonus
            self.say(f"Closed, but the closing backup failed: {exc}")
        self.settings.set_last_product(None)
        if show_welcome:
            self._show_welcome()

    @property
    def welcome(self) -> WelcomePage:
        """The welcome page (built on first use)."""
        if self._welcome is None:
            from cspo_desktop.ui.actions import ActionId
            from cspo_desktop.ui.pages.welcome import WelcomePage

            self._welcome = WelcomePage(
                self.registry[ActionId.NEW_PRODUCT],
                self.registry[ActionId.OPEN_PRODUCT],
                self.registry[ActionId.OPEN_DEMO],
                self.dirs.data,
            )
            self._welcome.open_requested.connect(self.open_path)
            self.central.addWidget(self._welcome)
        return self._welcome

    def _show_welcome(self) -> None:
        self.welcome.set_recent(self.settings.recent())
        self.central.setCurrentWidget(self.welcome)
        self._update_title()
        self._update_actions()
        self.saved_label.setText("")

    # ---- File actions
    @Slot()
    def new_product(self) -> None:
        """Ask for a name and a file, create the product and open it."""
        answer = self.files.ask_new_product()
        if answer is not None and (path := self.files.create(*answer)) is not None:
            self.open_path(path)

    @Slot()
    def open_product_dialog(self) -> None:
        """Ask for a product file and open it."""
        path = self.files.ask_open_path()
        if path is not None:
            self.open_path(path)

    @Slot()
    def open_demo(self) -> None:
        """Open the demo product, generating it the first time."""
        path = self.files.ensure_demo()
        if path is not None:
            self.open_path(path)

    @Slot()
    def _on_save_copy(self) -> None:
        if self.document is not None:
            self.commit_pending()
            self.files.save_copy(self.document)

    @Slot()
    def _on_export_archive(self) -> None:
        if self.document is not None:
            self.commit_pending()
            target = self.files.ask_archive_target(self.document)
            if target is not None:
                self.files.export_archive(self.document, target)

    @Slot()
    def _on_import_archive(self) -> None:
        chosen = self.files.ask_archive_source()
        if chosen is not None:
            created = self.files.import_archive(*chosen)
            if created is not None:
                self.open_path(created)

    @property
    def tracker_files(self) -> TrackerFiles:
        """Import from and export to trackers (made on first use: not on the start-up path)."""
        if self._tracker_files is None:
            from cspo_desktop.ui.interop import TrackerFiles

            self._tracker_files = TrackerFiles(self, self._push, self.errors, self.settings)
            self._tracker_files.message.connect(self.show_message)
            self._tracker_files.said.connect(self.say)
            self._tracker_files.imported.connect(self._show_imported)
        return self._tracker_files

    def _show_imported(self, segment: str) -> None:
        """Show the list an import's new items landed in, unfiltered, at its bottom."""
        from cspo_desktop.domain.filters import BacklogFilter, View

        if self.workspace is None:
            return
        self.workspace.show_page("backlog")
        page = self.workspace.backlog_page
        page.set_filter(BacklogFilter(view=View.INBOX if segment == "inbox" else View.BACKLOG))
        page.table.scrollToBottom()

    @Slot()
    def _on_import_tracker(self) -> None:
        if self.document is not None:
            self.commit_pending()
            self.tracker_files.import_from_tracker(self.document)

    def _on_export_tracker(self, tool: str) -> None:
        if self.document is not None:
            self.commit_pending()
            self.tracker_files.export_to_tracker(self.document, tool)

    @Slot()
    def restore_from_backup(self) -> None:
        """Replace the open (or last refused) product with one of its backups."""
        product = self.document.path if self.document is not None else self.files.last_damaged
        if product is None:
            return
        backup = self.files.ask_backup(product)
        if backup is None:
            return
        self.close_product()
        from cspo_desktop.persistence.restore import restore_backup

        try:
            restore_backup(backup, product, self.dirs.backups)
        except Exception as exc:  # noqa: BLE001 - any failure is reported; the file is unchanged
            self.show_message("error", "Restore from backup", str(exc))
        if self.open_path(product):
            self.say(f"Restored “{product.name}” from the backup of {backup.name}.")

    # ---- Edit
    def commit_pending(self) -> None:
        """Save text still being typed anywhere (before undo, closing, saving a copy)."""
        if self.detail_dock is not None:
            self.detail_dock.commit_pending()
        if self.workspace is not None:
            self.workspace.commit_pending()

    @Slot()
    def undo(self) -> None:
        """Save pending typing, then undo the last change."""
        if self.document is not None:
            self.commit_pending()
            text = self.document.undo_stack.undoText()
            self.document.undo_stack.undo()
            self.say(f"Undone: {text}")

    @Slot()
    def redo(self) -> None:
        """Redo the last undone change."""
        if self.document is not None:
            text = self.document.undo_stack.redoText()
            self.document.undo_stack.redo()
            self.say(f"Redone: {text}")

    def _hidden_column_prefs(self) -> dict[str, list[int]]:
        views = ("backlog", "inbox", "epics")
        found = {view: self.settings.hidden_columns(view) for view in views}
        return {view: hidden for view, hidden in found.items() if hidden is not None}

    def _set_new_item_spot(self, spot: str) -> None:
        self.settings.set_new_item_spot(spot)
        if self.workspace is not None:
            self.workspace.set_new_item_spot(spot)

    @Slot()
    def _on_start_refinement(self) -> None:
        if self.document is not None:
            from cspo_desktop.ui.refinement import StartRefinement

            self._push(StartRefinement(self.document, self.errors))
            self.say("Refinement started: “What changed since…” now starts from here")

    @Slot()
    def _on_changes_since(self) -> None:
        if self.document is not None:
            from cspo_desktop.ui.refinement import show_changes_since

            self.commit_pending()
            show_changes_since(self.document, self._push, self.errors, self)

    def _on_backlog_move(self, move: Callable[[BacklogPage], None]) -> None:
        page = self.workspace.backlog_if_shown() if self.workspace is not None else None
        if page is not None:
            move(page)

    def _push(self, command: QUndoCommand) -> None:
        if self.document is not None:
            # Qt deletes a command that merged or failed, so read what is needed first.
            text = command.text()
            self.document.undo_stack.push(command)
            if not getattr(command, "failed", False):
                self.say(f"Saved · {text} — Ctrl+Z to undo")

    # ---- View
    def set_theme(self, mode: ThemeMode) -> None:
        """Switch between the system's, light and dark looks."""
        self.settings.set_theme(mode)
        self._apply_look()

    def set_scale(self, scale: float) -> None:
        """Change the presentation scale (everything grows for screen sharing)."""
        scale = clamp_scale(scale)
        if scale != self.settings.scale():
            self.settings.set_scale(scale)
            self._apply_look()
        self.say(f"Text size {round(self.settings.scale() * 100)} %")

    def _apply_look(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            dark = is_dark(self.settings.theme(), self.settings.system_dark())
            scale = self.settings.scale()
            if self._base_point_size is None and scale != 1:
                self._base_point_size = app.font().pointSizeF()
            apply_theme(app, dark, scale, self._base_point_size)
        if self._finished:
            self._check_theme_action()

    def _check_theme_action(self) -> None:
        from cspo_desktop.ui.actions import ActionId

        checked = {
            ThemeMode.SYSTEM: ActionId.THEME_SYSTEM,
            ThemeMode.LIGHT: ActionId.THEME_LIGHT,
            ThemeMode.DARK: ActionId.THEME_DARK,
        }[self.settings.theme()]
        self.registry[checked].setChecked(True)

    @Slot()
    def follow_system_scheme(self) -> None:
        """Check the operating system's light/dark choice and follow it in System mode."""
        dark = system_is_dark()
        if dark != self.settings.system_dark():
            self.settings.set_system_dark(dark)
            if self.settings.theme() is ThemeMode.SYSTEM:
                self._apply_look()

    @Slot(bool)
    def _on_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def _go_to_page(self, number: int) -> None:
        if self.workspace is not None:
            self.workspace.show_page_number(number)

    # ---- Feedback
    def say(self, text: str) -> None:
        """Show one line in the status bar."""
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    def show_message(self, kind: str, title: str, text: str) -> None:
        """Show a message the user must read (errors, warnings)."""
        if self.interactive:
            show_message(self, kind, title, text)
        else:
            warn(f"cspo-desktop: {title}: {text}")

    # ---- Start-up and shut-down
    @Slot()
    def after_first_paint(self) -> None:
        """Finish the window, follow the system's look, load the write path, back up."""
        from PySide6.QtGui import QGuiApplication

        self._finish()
        self._painted = True
        if self.workspace is not None:
            self.workspace.startup_finished()
        self._make_detail_dock()
        self.follow_system_scheme()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.follow_system_scheme)
        self._daily_backup()

    def _make_detail_dock(self) -> None:
        from PySide6.QtCore import Qt

        from cspo_desktop.ui.detail_dock import DetailDock

        dock = DetailDock(self)
        self.detail_dock = dock
        dock.setMinimumWidth(round(self.fontMetrics().averageCharWidth() * 44))
        if not self.restoreDockWidget(dock):
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            needed = self.central.minimumSizeHint().width() + dock.minimumWidth()
            if needed > self.screen().availableGeometry().width():
                dock.hide()  # a small screen keeps the list whole; F9 shows the details
        dock.visibilityChanged.connect(self._update_detail_action)
        dock.open_requested.connect(self._on_open_requested)
        dock.folded = set(self.settings.folded_sections())
        dock.section_toggled.connect(self.settings.set_section_open)
        dock.attach(self.document, self._push, self.errors)
        if self.workspace is not None:
            self._on_item_selected(self.workspace.selected_item())
        self._update_detail_action()

    @Slot()
    def _update_detail_action(self) -> None:
        from cspo_desktop.ui.actions import ActionId

        dock = self.detail_dock
        self.registry[ActionId.DETAIL_PANEL].setChecked(dock is not None and not dock.isHidden())

    @Slot(bool)
    def _on_detail_panel(self, on: bool) -> None:
        if self.detail_dock is not None:
            self.detail_dock.setVisible(on)

    @Slot(object)
    def _on_item_selected(self, item_id: int | None) -> None:
        if self.detail_dock is not None:
            self.detail_dock.show_item(item_id)

    @Slot(int)
    def _on_open_requested(self, item_id: int) -> None:
        if self.workspace is not None:
            self.workspace.select_item(item_id)
        if self.detail_dock is not None:
            self.detail_dock.show_item(item_id)

    def _daily_backup(self) -> None:
        """Load the write path and make the daily backup of the open product, if due."""
        if self.document is None:
            return
        try:
            self.document.warm_up()
            backup = self.document.backup_if_due()
        except Exception as exc:  # noqa: BLE001 - a failed backup must not stop the work
            self.say(f"The daily backup failed: {exc}")
            return
        if backup is not None:
            self.say(f"Daily backup made: {backup.name}")

    def release_quietly(self) -> None:
        """Close the product without touching settings (smoke runs)."""
        if self.document is not None:
            self.document.close()
            self.document = None

    @Slot(object)
    def _on_document_changed(self, changes: Changes) -> None:
        from cspo_desktop.services.changes import Entity  # not needed for the first paint

        if changes.touches(Entity.PRODUCT):  # the title shows the product's name
            self._update_title()

    def _update_title(self) -> None:
        if self.document is None:
            self.setWindowTitle(APP_TITLE)
            return
        self.setWindowTitle(f"{self.document.summary().name} — {APP_TITLE}")

    @Slot()
    def _update_actions(self) -> None:
        if self._finished:  # the actions are made after the first paint; _finish updates them
            from cspo_desktop.ui.window_menus import update_actions

            update_actions(self)

    def _fill_recent_menu(self) -> None:
        from PySide6.QtGui import QAction

        self.recent_menu.clear()
        recent = self.settings.recent()
        for entry in recent:
            action = QAction(f"{entry.path.name}   ({entry.path.parent})", self.recent_menu)
            action.setEnabled(entry.path.exists())
            action.triggered.connect(lambda _=False, p=entry.path: self.open_path(p))
            self.recent_menu.addAction(action)
        if not recent:
            empty = self.recent_menu.addAction("No recent products")
            empty.setEnabled(False)

    @Slot()
    def _on_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            f"About {APP_TITLE}",
            f"<b>{APP_TITLE}</b> {__version__}<br>An offline workbench for Scrum Product Owners."
            f"<br><br>Data folder: {self.dirs.data}",
        )

    # ---- Qt overrides
    def closeEvent(self, event: QCloseEvent) -> None:
        """Save typing and the window's geometry, then close the product (QWidget.closeEvent)."""
        self.settings.save_window(self.saveGeometry(), self.saveState())
        last = self.document.path if self.document is not None else None
        self.close_product(show_welcome=False)
        self.settings.set_last_product(last)
        self.settings.sync()
        event.accept()
