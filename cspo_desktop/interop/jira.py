"""Reading any Jira export: CSV or XML, told apart by what the file holds, not its name."""

from __future__ import annotations

from pathlib import Path

from cspo_desktop.interop.jira_csv import read_jira_csv
from cspo_desktop.interop.jira_xml import read_jira_xml
from cspo_desktop.interop.reading import is_xml
from cspo_desktop.interop.records import ParsedImport, Progress, ReadOptions


def read_jira(
    path: Path, options: ReadOptions | None = None, progress: Progress | None = None
) -> ParsedImport:
    """Read a Jira CSV or XML export (a file starting with ``<`` is read as XML).

    Raises:
        InvalidInput: the file cannot be read as either; the message says why.
    """
    reader = read_jira_xml if is_xml(path) else read_jira_csv
    return reader(path, options, progress)
