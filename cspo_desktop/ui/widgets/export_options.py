"""Choices before an export to Jira or Azure DevOps: the points column, sprints, spreadsheets.

Jira Cloud calls its story-point field "Story point estimate", Jira Server "Story Points";
Azure DevOps uses "Story Points" (Agile), "Effort" (Scrum) or "Size" (CMMI). Azure DevOps
needs a sprint's whole iteration path, so it asks for the part above the sprints.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

POINTS_COLUMNS = {
    "jira": ("Story Points", "Story point estimate"),
    "ado": ("Story Points", "Effort", "Size"),
}


class ExportOptionsDialog(QDialog):
    """Ask how to write the export; starts from the last export's choices."""

    def __init__(
        self, tool: str, tool_name: str, last: Mapping[str, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportOptions")
        self.setWindowTitle(f"Export to {tool_name}")
        self.setMinimumWidth(520)
        self.points = QComboBox()
        self.points.setObjectName("exportPointsColumn")
        self.points.setEditable(True)
        self.points.addItems(list(POINTS_COLUMNS[tool]))
        self.points.setCurrentText(last.get("points_column") or POINTS_COLUMNS[tool][0])
        self.iteration = QLineEdit(last.get("iteration_root", ""))
        self.iteration.setObjectName("exportIterationRoot")
        self.iteration.setPlaceholderText("e.g. Fabrikam\\Release 1")
        self.iteration.setToolTip(
            "Each item's sprint is written below this path. Left empty, the file has no "
            "Iteration Path column."
        )
        self.safe = QCheckBox("Make the file safe to open in a spreadsheet")
        self.safe.setObjectName("exportSafe")
        self.safe.setChecked(last.get("safe") == "1")
        self.safe.setToolTip(
            "Cells that start with = + - @ get an apostrophe in front. The tracker would "
            "import the apostrophe too: leave this off for a file meant for the tracker."
        )
        form = QFormLayout()
        form.addRow("Story-point &column:", self.points)
        if tool == "ado":
            form.addRow("&Iteration path above the sprints:", self.iteration)
            blank = QLabel("Leave it empty to write no iteration paths.")
            blank.setProperty("role", "hint")
            form.addRow("", blank)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        hint = QLabel(f"Use the name of the story-point field in your {tool_name}.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.safe)
        layout.addWidget(buttons)

    def choices(self) -> dict[str, str]:
        """What the user chose, as remembered for the next export."""
        return {
            "points_column": self.points.currentText().strip(),
            "iteration_root": self.iteration.text().strip(),
            "safe": "1" if self.safe.isChecked() else "",
        }
