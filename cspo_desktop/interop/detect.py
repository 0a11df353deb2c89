"""Which tracker wrote a file, told by its content (the name says nothing reliable)."""

from __future__ import annotations

from pathlib import Path

from cspo_desktop.interop.reading import is_xml, normalise, open_table


def detect_tool(path: Path) -> str:
    """``"jira"``, ``"ado"`` or ``"taiga"``: XML and anything unknown is Jira's.

    Azure DevOps writes ``Work Item Type`` (or ``ID`` with ``Title`` / ``Title 1``); Taiga
    writes ``ref`` and ``subject``. Jira's headers come in many languages, so Jira is what
    remains.

    Raises:
        InvalidInput: the file cannot be read as text (the reader would refuse it too).
    """
    if is_xml(path):
        return "jira"
    header = {normalise(name) for name in open_table(path).header}
    if "work item type" in header or ("id" in header and header & {"title", "title 1"}):
        return "ado"
    if {"ref", "subject"} <= header:
        return "taiga"
    return "jira"
