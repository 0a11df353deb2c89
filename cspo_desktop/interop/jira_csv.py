"""Reading a Jira CSV export ("Export CSV (all fields)" or "(current fields)").

The file is opened by :func:`~cspo_desktop.interop.reading.open_table` (encoding, delimiter,
the header as a list with its repeated ``Labels`` and ``Sprint``), its columns are recognised
in any of the languages Jira exports in (:mod:`~cspo_desktop.interop.jira_headers`) or as the
user mapped them, and its rows are streamed through :class:`~cspo_desktop.interop.jira_rows.
JiraRows`, so a 100,000-row export is read once, row by row. Sub-tasks fold into their parent,
parents resolve to keys and items take Jira's rank order afterwards
(:mod:`~cspo_desktop.interop.jira_links`).

A file needs a title column (``Summary``) and a key column (``Issue key``, or ``Issue id``);
"current fields" exports without sprints or points are fine.
"""

from __future__ import annotations

from pathlib import Path

from cspo_desktop.interop.jira_headers import MULTI_VALUED, RECOGNISED, JiraColumns
from cspo_desktop.interop.jira_rows import JiraRows, gc_paused
from cspo_desktop.interop.reading import is_blank, map_columns, open_table, recognised_for
from cspo_desktop.interop.records import ParsedImport, Progress, ReadOptions

#: How many data rows the preview shows as read.
SAMPLE_ROWS = 5


def read_jira_csv(
    path: Path, options: ReadOptions | None = None, progress: Progress | None = None
) -> ParsedImport:
    """Read a Jira CSV export into items, sprints, skipped rows and warnings.

    Args:
        path: the exported file.
        options: the user's column mapping, points column and sub-task choice.
        progress: called now and then with the fraction read; may raise
            :class:`~cspo_desktop.interop.records.ImportCancelled`.

    Raises:
        InvalidInput: the file is not a readable CSV file, lacks a title or key column, or the
            user mapped a column it does not have.
    """
    options = options or ReadOptions()
    table = open_table(path)
    uses = map_columns(table.header, recognised_for(RECOGNISED, options, MULTI_VALUED), options)
    columns = JiraColumns.of(uses)
    columns.require(path.name, table.header)
    rows = JiraRows(columns, options)
    sample: list[tuple[str, ...]] = []
    with gc_paused():
        for row, cells in table.rows(progress):
            if len(sample) < SAMPLE_ROWS and not is_blank(cells):
                sample.append(tuple(cells))
            rows.add(row, cells)
        return rows.parsed("csv", table.encoding, table.delimiter, uses, sample)
