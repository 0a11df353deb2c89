"""Tab-separated text for spreadsheets: what "Copy" puts on the clipboard.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula ("CSV injection"); such cells get a leading apostrophe, which
spreadsheets show as plain text. Tabs and line breaks inside a cell would break the rows,
so they become spaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

#: First characters that make a spreadsheet cell a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """One cell, flattened to one line, with formulas neutralised."""
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return " ".join(text.replace("\t", " ").splitlines()) if text else ""


def to_tsv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A header line and one line per row, tab-separated, ready to paste into a sheet."""
    lines = ["\t".join(safe_cell(cell) for cell in header)]
    lines.extend("\t".join(safe_cell(cell) for cell in row) for row in rows)
    return "\n".join(lines) + "\n"
