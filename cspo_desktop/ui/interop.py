"""Import from and export to Jira, Azure DevOps and Taiga, from the File menu.

Import: pick a file → the tracker is told by content → the file is read (progress, Cancel)
→ the preview shows the mapping and the plan, and re-reads when the user changes a column's
field, the tracker or the sub-task choice → *Import* runs one undoable command (progress,
Cancel rolls everything back). Export: pick where → the CSV is written → a message names the
files and the cells that start like a spreadsheet formula.

Dialogs go through :attr:`TrackerFiles.run_dialog` and the file pickers through
:attr:`TrackerFiles.ask_source` / :attr:`TrackerFiles.ask_target`, so tests can answer them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QProgressDialog, QWidget

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.interop.records import TOOLS, ImportCancelled, ParsedImport, ReadOptions
from cspo_desktop.services.import_plan import ImportPlan, plan_import
from cspo_desktop.ui.commands import CommandErrors
from cspo_desktop.ui.document import ProductDocument
from cspo_desktop.ui.item_commands import EditItems
from cspo_desktop.ui.settings import Settings
from cspo_desktop.ui.widgets.import_preview import ImportPreview

SOURCE_FILTER = "Tracker exports (*.csv *.xml *.txt);;All files (*)"
CSV_FILTER = "CSV files (*.csv);;All files (*)"
#: Progress dialogs appear only for work that lasts longer than this (ms).
PROGRESS_AFTER_MS = 400


def _exec(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class TrackerFiles(QObject):
    """The import and export commands of the File menu.

    Signals:
        message(str, str, str): kind, title, text — something the user must read.
        said(str): a short status-bar note.
        imported(str): an import landed, its new items in ``inbox`` or ``backlog``.
    """

    message = Signal(str, str, str)
    said = Signal(str)
    #: An import landed; the argument is where its new items went (``inbox`` or ``backlog``).
    imported = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        push: Callable[[EditItems], None],
        errors: CommandErrors,
        settings: Settings,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._settings = settings
        self._push = push
        self._errors = errors
        #: Show a dialog and tell whether the user accepted it.
        self.run_dialog: Callable[[QDialog], bool] = _exec
        #: Ask which file to import (None: the user cancelled).
        self.ask_source: Callable[[], Path | None] = self._ask_source
        #: Ask where to write an export of ``tool`` (None: the user cancelled).
        self.ask_target: Callable[[ProductDocument, str], Path | None] = self._ask_target

    # ---- Import
    def import_from_tracker(self, document: ProductDocument) -> bool:
        """Ask for a file, preview it, import it; tell whether anything was imported."""
        source = self.ask_source()
        return source is not None and self.import_file(document, source)

    def import_file(self, document: ProductDocument, source: Path) -> bool:
        """Preview ``source`` and, if the user agrees, import it as one undoable step."""
        from cspo_desktop.interop.detect import detect_tool

        try:
            tool = detect_tool(source)
        except CspoError as exc:
            self.message.emit("error", "Import", str(exc))
            return False
        plan = self._read(document, source, tool, ReadOptions())
        if plan is None:
            return False
        preview = ImportPreview(source.name, self._parent)
        preview.show_plan(plan)

        def reread(tool: str, mapping: dict[str, str], keep_subtasks: bool) -> None:
            options = ReadOptions(mapping=mapping, keep_subtasks=keep_subtasks)
            again = self._read(document, source, tool, options)
            if again is None:
                preview.restore()  # the message said why; the last good choices come back
            else:
                preview.show_plan(again)

        preview.reread.connect(reread)
        if not self.run_dialog(preview) or preview.plan is None:
            return False
        return self._run(document, preview.plan, preview.segment(), preview.take_source())

    def _read(
        self, document: ProductDocument, source: Path, tool: str, options: ReadOptions
    ) -> ImportPlan | None:
        from cspo_desktop.services.importing import read_source

        progress = self._progress(f"Reading {source.name}…")
        try:
            parsed: ParsedImport = read_source(tool, source, options, progress)
            return document.read(lambda conn: plan_import(conn, parsed))
        except ImportCancelled:
            return None
        except CspoError as exc:
            self.message.emit("error", f"Import from {TOOLS.get(tool, tool)}", str(exc))
            return None
        finally:
            progress.dialog.close()

    def _run(
        self, document: ProductDocument, plan: ImportPlan, segment: str, take: list[str]
    ) -> bool:
        count = len(plan.creates) + len(plan.updates)
        tool = TOOLS.get(plan.parsed.tool, plan.parsed.tool)
        progress = self._progress(f"Importing {count:,} items from {tool}…")
        command = ImportItems(
            document,
            self._errors,
            f"Import {count:,} items from {tool}",
            plan,
            segment=segment,
            take_source=take,
            progress=progress,
        )
        try:
            self._push(command)
        finally:
            progress.dialog.close()
        if command.failed:
            return False
        where = "the Inbox" if segment == "inbox" else "the bottom of the backlog"
        self.imported.emit(segment)
        self.said.emit(
            f"{plan.summary().replace('Will create', 'Created')} New items are in {where}."
        )
        return True

    def _progress(self, label: str) -> _Progress:
        return _Progress(self._parent, label)

    # ---- Export
    def export_to_tracker(self, document: ProductDocument, tool: str) -> list[Path]:
        """Ask where, write the tracker's CSV, and say what was written."""
        target = self.ask_target(document, tool)
        if target is None:
            return []
        from cspo_desktop.services.exporting import export_tracker
        from cspo_desktop.ui.widgets.export_options import ExportOptionsDialog

        dialog = ExportOptionsDialog(
            tool, TOOLS[tool], self._settings.export_choices(tool), self._parent
        )
        if not self.run_dialog(dialog):
            return []
        choices = dialog.choices()
        self._settings.set_export_choices(tool, choices)
        try:
            report = export_tracker(
                document.path,
                target,
                tool,
                points_column=choices["points_column"] or None,
                safe_for_spreadsheets=bool(choices["safe"]),
                iteration_root=choices["iteration_root"] or None,
            )
        except CspoError as exc:
            self.message.emit("error", f"Export to {TOOLS[tool]}", str(exc))
            return []
        lines = [f"Wrote {path.name}: {rows:,} items." for path, rows in report.files]
        lines += report.warnings
        if report.risky_cells and choices["safe"]:
            lines.append(
                f"{len(report.risky_cells)} cells start like a spreadsheet formula (=, +, -, @): "
                "each has an apostrophe in front."
            )
        elif report.risky_cells:
            lines.append(
                f"{len(report.risky_cells)} cells start like a spreadsheet formula (=, +, -, @) "
                f"and were kept as typed, as {TOOLS[tool]} reads them; open the file in a "
                "spreadsheet with care."
            )
        self.message.emit("info", f"Export to {TOOLS[tool]}", "\n".join(lines))
        return [path for path, _rows in report.files]

    # ---- File pickers
    def _ask_source(self) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(
            self._parent, "Import from Jira, Azure DevOps or Taiga", str(Path.home()), SOURCE_FILTER
        )
        return Path(chosen) if chosen else None

    def _ask_target(self, document: ProductDocument, tool: str) -> Path | None:
        suggested = document.path.with_name(f"{document.path.stem}-{tool}.csv")
        chosen, _ = QFileDialog.getSaveFileName(
            self._parent, f"Export to {TOOLS[tool]}", str(suggested), CSV_FILTER
        )
        return Path(chosen) if chosen else None


class ImportItems(EditItems):
    """Import a plan as one undoable step: the items (as any item edit) and the new sprints.

    Undo puts the items back as they were, then takes away the sprints the import made;
    redo brings the sprints back first, then the items that refer to them.
    """

    def __init__(
        self,
        document: ProductDocument,
        errors: CommandErrors,
        text: str,
        plan: ImportPlan,
        *,
        segment: str,
        take_source: list[str],
        progress: Callable[[float], None],
    ) -> None:
        ids = [update.item_id for update in plan.updates]
        super().__init__(
            document, errors, text, ids, ("importing", "import_items"), plan, makes_items=True,
            segment=segment, take_source=take_source, progress=progress,
        )  # fmt: skip
        self._document = document
        self._sprints_above: int | None = None
        self._sprints: list[dict[str, object]] = []

    def redo(self) -> None:
        """Import (first time), or bring the sprints and then the items back."""
        from cspo_desktop.services import importing

        try:
            if self._sprints_above is None:
                self._sprints_above = self._document.read_db(importing.last_sprint_id)
            elif self._sprints:
                self._document.apply(importing.put_back_sprints, self._sprints)
        except CspoError as exc:
            self._fail(exc)
            return
        super().redo()

    def undo(self) -> None:
        """Put the items back as they were, then take the import's sprints away."""
        from cspo_desktop.services import importing

        super().undo()
        if self.failed or self._sprints_above is None:
            return
        try:
            self._sprints = self._document.apply_returning(
                importing.take_back_sprints, self._sprints_above
            )
        except CspoError as exc:
            self._fail(exc)


class _Progress:
    """A progress callback for readers and the import: a dialog with Cancel.

    Calling it moves the bar and lets the window repaint; after Cancel it raises
    :class:`ImportCancelled`, which rolls the work back.
    """

    def __init__(self, parent: QWidget, label: str) -> None:
        self.dialog = QProgressDialog(label, "Cancel", 0, 1000, parent)
        self.dialog.setObjectName("importProgress")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(PROGRESS_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)

    def __call__(self, fraction: float) -> None:
        self.dialog.setValue(int(fraction * 1000))
        QCoreApplication.processEvents()
        if self.dialog.wasCanceled():
            msg = "The import was cancelled; nothing was imported."
            raise ImportCancelled(msg)
