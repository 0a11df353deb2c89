"""Reading a tracker's CSV file whatever shape it arrives in.

Trackers write UTF-8 with or without a byte-order mark; a file re-saved by a spreadsheet may
be in a legacy encoding (Windows-1252) and use ``;`` between fields. :func:`open_table` finds
the encoding and the delimiter, keeps the header as a *list* (Jira repeats ``Labels``,
``Sprint``… once per value), and streams the rows so a 100,000-row file never sits in memory
as text twice. Fields of megabytes are fine: :mod:`csv` stops at 131,072 characters unless
told otherwise, and :data:`FIELD_LIMIT` tells it otherwise. A file that is not text (a NUL,
or control characters beyond a stray Word line break), does not decode, or whose header row
never closes its quotes is refused with :class:`InvalidInput`, never another error.

Nothing read here is ever interpreted: a cell is a string.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.interop.links import listing
from cspo_desktop.interop.records import FIELDS, ColumnUse, Progress, ReadOptions

#: Largest field :mod:`csv` accepts here (its default stops at 131,072 characters).
FIELD_LIMIT = 1 << 30
#: Bytes read at a time while checking the encoding.
CHUNK = 1 << 20
#: How often (in rows) a reader reports progress.
PROGRESS_EVERY = 2_000
DELIMITERS = (",", ";", "\t", "|")
#: Longest header record read while looking for its closing quote.
HEADER_LIMIT = 1 << 20
#: Control characters that hardly appear in a text export (tab, CR and LF do; Word's line
#: and page breaks, 0x0B and 0x0C, now and then).
_CONTROLS = bytes(byte for byte in range(32) if byte not in (9, 10, 13, 27))
_WIDE_CONTROLS = dict.fromkeys(_CONTROLS)
#: The fields a re-import takes from a tracker (what ``ParsedImport.provided`` lists).
TRACKER_FIELDS = frozenset(
    {"title", "description", "type", "status", "points", "priority", "labels", "sprint", "parent"}
)
#: Fields that name a parent, one way or another.
PARENT_FIELDS = frozenset({"parent", "epic_link", "parent_summary"})


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV file, opened: how it is encoded and delimited, its header, and its rows.

    ``rows()`` yields ``(row, cells)`` where ``row`` is the row number a spreadsheet shows
    (the header is row 1, so the first data row is 2), counting records, not lines.
    """

    path: Path
    encoding: str
    delimiter: str
    header: tuple[str, ...]
    size: int

    def rows(self, progress: Progress | None = None) -> Iterator[tuple[int, list[str]]]:
        """Stream the data rows; call ``progress`` with the fraction read now and then."""
        csv.field_size_limit(FIELD_LIMIT)
        with _open_raw(self.path) as raw:
            text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
            reader = csv.reader(text, delimiter=self.delimiter)
            try:
                next(reader, None)
                for count, cells in enumerate(reader, start=2):
                    if progress is not None and count % PROGRESS_EVERY == 0:
                        progress(min(raw.tell() / max(self.size, 1), 1.0))
                    yield count, cells
            except csv.Error as error:
                raise InvalidInput(
                    f"{self.path.name} is not a well-formed CSV file after row "
                    f"{reader.line_num}: {error}."
                ) from None
            except UnicodeDecodeError as error:
                raise _undecodable(self.path, self.encoding, error) from None
            except OSError as error:
                raise InvalidInput(f"{self.path.name} cannot be read: {error.strerror}.") from None
        if progress is not None:
            progress(1.0)


def is_xml(path: Path) -> bool:
    """Whether the file starts like XML (``<``, after a byte-order mark and blanks)."""
    with _open_raw(path) as raw:
        head = raw.read(4096)
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            head = head[len(bom) :].replace(b"\x00", b"")
            break
    return head.lstrip().startswith(b"<")


def open_table(path: Path) -> Table:
    """Open a CSV export: find its encoding and delimiter and read its header.

    Raises:
        InvalidInput: the file is missing, empty, binary, in an encoding that cannot be told,
            or has no header row that looks like a CSV header.
    """
    encoding = detect_encoding(path)
    csv.field_size_limit(FIELD_LIMIT)
    with _open_raw(path) as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
        try:
            first = _first_record_text(text, path.name)
            if not first.strip():
                raise InvalidInput(f"{path.name} is empty: there is no header row to read.")
            delimiter = sniff_delimiter(first)
            text.seek(0)
            header = next(csv.reader(text, delimiter=delimiter), [])
        except UnicodeDecodeError as error:
            raise _undecodable(path, encoding, error) from None
        except csv.Error as error:
            raise InvalidInput(f"{path.name} has a header row that is not CSV: {error}.") from None
    header = [cell.strip().lstrip("\ufeff").strip() for cell in header]
    if len(header) < 2 or not any(header):
        raise InvalidInput(
            f"{path.name} does not look like a CSV export: its first row has no "
            "comma-, semicolon- or tab-separated column names."
        )
    return Table(path, encoding, delimiter, tuple(header), path.stat().st_size)


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252; else refuse.

    A file that does not decode, or holds a NUL or more control characters than a text has
    (over one in a hundred), is refused as not text.
    """
    with _open_raw(path) as raw:
        head = raw.read(4)
        if not head:
            raise InvalidInput(f"{path.name} is empty.")
        wide = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        for encoding in ("utf-16",) if wide else ("utf-8", "cp1252"):
            raw.seek(0)
            if _decodes(raw, encoding):
                bom = encoding == "utf-8" and head.startswith(codecs.BOM_UTF8)
                return "utf-8-sig" if bom else encoding
    raise InvalidInput(
        f"{path.name} is not a text file in an encoding this app can tell (UTF-8, UTF-16 "
        "or Windows-1252). Save it from the tracker or the spreadsheet as CSV UTF-8."
    )


def _decodes(raw: BinaryIO, encoding: str) -> bool:
    """Whether the whole stream decodes and looks like text: no NUL, few control characters.

    UTF-16 is checked once decoded (its bytes are full of NULs), anything else as bytes.
    """
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    wide = encoding == "utf-16"
    size = controls = 0
    try:
        while chunk := raw.read(CHUNK):
            text = decoder.decode(chunk)
            found = _controls(text if wide else chunk)
            if found < 0:
                return False
            size += len(chunk)
            controls += found
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return controls <= max(size // 100, 16)


def _controls(data: bytes | str) -> int:
    """How many control characters ``data`` holds; -1 if it holds a NUL (a binary file)."""
    if isinstance(data, str):
        return -1 if "\x00" in data else len(data) - len(data.translate(_WIDE_CONTROLS))
    return -1 if 0 in data else len(data) - len(data.translate(None, _CONTROLS))


def _undecodable(path: Path, encoding: str, error: UnicodeDecodeError) -> InvalidInput:
    return InvalidInput(
        f"{path.name} cannot be read as {encoding} ({error.reason}). Save it from the tracker "
        "or the spreadsheet as CSV UTF-8."
    )


def sniff_delimiter(first_record: str) -> str:
    """The delimiter used most outside quotes in the header record (``,`` when tied)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first_record:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _first_record_text(text: io.TextIOBase, name: str) -> str:
    """The text of the first record: lines up to where the quotes balance.

    Raises:
        InvalidInput: the quotes do not balance within :data:`HEADER_LIMIT` characters or
            before the end of the file (all of it would be read as the header).
    """
    lines: list[str] = []
    quotes = size = 0
    for line in text:
        lines.append(line)
        quotes += line.count('"')
        size += len(line)
        if quotes % 2 == 0:
            return "".join(lines)
        if size > HEADER_LIMIT:
            break
    if not lines:
        return ""
    raise InvalidInput(
        f'{name} cannot be read: the header row has an unclosed quote ("), so the whole file '
        "would be one header. Check the first line of the file and save it as CSV again."
    )


def _open_raw(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InvalidInput(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not an export file.") from None
    except OSError as error:
        raise InvalidInput(f"{path} cannot be read: {error.strerror}.") from None


def one_line(name: str) -> str:
    """A header as quoted in a message (or any text on one line): line breaks as blanks."""
    return " ".join(name.splitlines())


def provided(uses: Sequence[ColumnUse], reads: Iterable[str] = TRACKER_FIELDS) -> frozenset[str]:
    """The tracker fields some column feeds, among those the reader ``reads``.

    Any column naming a parent (``parent``, ``epic_link``, ``parent_summary``) provides it, and
    Jira's status category the status.
    """
    fields = {use.field for use in uses if use.field}
    if fields & PARENT_FIELDS:
        fields.add("parent")
    if "status_category" in fields:
        fields.add("status")
    return frozenset(fields & TRACKER_FIELDS & set(reads))


def normalise(header: str) -> str:
    """A header as compared: case-folded, inner blanks collapsed."""
    return " ".join(header.casefold().split())


def recognised_for(
    recognised: Mapping[str, Sequence[str]],
    options: ReadOptions,
    multi_valued: frozenset[str] = frozenset(),
) -> dict[str, tuple[str, ...]]:
    """The known header names, less those of the fields the user maps by hand.

    A field the user maps (or ``points`` when they name a points column) is then fed only by
    the columns they chose, whatever the file's column order; a ``multi_valued`` field (Jira's
    repeated ``Labels``) keeps its known columns too.
    """
    chosen = set(options.mapping.values())
    if options.points_column:
        chosen.add("points")
    return {
        name: tuple(names)
        for name, names in recognised.items()
        if name in multi_valued or name not in chosen
    }


def map_columns(
    header: Sequence[str],
    recognised: Mapping[str, Sequence[str]],
    options: ReadOptions,
) -> tuple[ColumnUse, ...]:
    """Which field each column feeds: the user's mapping first, then the known names.

    ``recognised`` maps a field to the header names (any language) that mean it. A header the
    user maps wins; ``options.points_column`` maps that column to ``points``. Several columns
    may feed one field (Jira's repeated ``Labels``).

    Raises:
        InvalidInput: the user mapped a column the file does not have, or to an unknown field.
    """
    known = {
        normalise(name): name_field for name_field, names in recognised.items() for name in names
    }
    chosen = dict(options.mapping)
    if options.points_column:
        chosen[options.points_column] = "points"
    exact = dict(chosen)
    folded = {normalise(name): value for name, value in chosen.items()}
    headers = set(header)
    folded_headers = {normalise(name) for name in header}
    for name, value in chosen.items():
        if value not in FIELDS:
            raise InvalidInput(
                f"'{value}' is not a field a column can be mapped to; use one of: "
                + ", ".join(FIELDS)
                + "."
            )
        if name not in headers and normalise(name) not in folded_headers:
            raise InvalidInput(f"The file has no column named '{one_line(name)}'.")
    uses = []
    for index, name in enumerate(header):
        use = exact.get(name) or folded.get(normalise(name)) or known.get(normalise(name))
        uses.append(ColumnUse(index, name, None if use in (None, "ignore") else use))
    return tuple(uses)


def columns_of(uses: Sequence[ColumnUse], field_name: str) -> list[int]:
    """The indexes of the columns that feed ``field_name``, in file order."""
    return [use.index for use in uses if use.field == field_name]


def refuse_missing(table: Table, missing: Sequence[str], export: str, advice: str) -> None:
    """Refuse a file without the columns named in ``missing``, listing the ones it has.

    Raises:
        InvalidInput: "``file`` has no ID and no Title column, which ``export`` needs. Its
            columns are: …. ``advice``" (when ``missing`` names any).
    """
    if missing:
        columns = listing(map(one_line, table.header), 8)
        raise InvalidInput(
            f"{table.path.name} has no {' and no '.join(missing)} column, which {export} "
            f"needs. Its columns are: {columns}. {advice}"
        )


def cell(cells: Sequence[str], index: int) -> str:
    """The stripped value at ``index``, or ``""`` when the row is shorter."""
    return cells[index].strip() if index < len(cells) else ""


def first_value(cells: Sequence[str], indexes: Sequence[int]) -> str:
    """The first non-empty value among the columns (``""`` when all are empty)."""
    for index in indexes:
        if value := cell(cells, index):
            return value
    return ""


def is_blank(cells: Sequence[str]) -> bool:
    """Whether a row has nothing in it (a blank line, or only empty fields)."""
    return not any(value.strip() for value in cells)
