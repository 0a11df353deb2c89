"""Reading a Jira XML export (the RSS "search request" file: one ``<item>`` per issue).

Each ``<item>`` becomes a row of named cells: its ``key`` (and the key's ``id``), ``summary``,
``type``, ``status`` (and the ``key`` of its ``statusCategory``: new, indeterminate or done),
``priority``, ``description`` (HTML made plain text), ``parent`` (a key), one ``labels`` cell
per ``<label>`` (an empty one for an empty ``<labels>``), and one cell per value of each
``<customfield>``, named by its ``<customfieldname>`` (``Sprint``, ``Rank``, ``Story Points``,
``Epic Link``…). The elements found make the fields the file provides: an element no item has
(a custom field without values) is a field a re-import leaves as it is. From there
the rows go the way a CSV export's rows go (:mod:`~cspo_desktop.interop.jira_rows`), with the
same recognised names and the same hand mapping; a row's number is the item's (from 1).

The file is parsed with :mod:`defusedxml`: a file that declares entities or a document type
(the "billion laughs" and external-entity attacks) is refused before anything is expanded.
The file may begin with a comment and lack an XML declaration, as Jira writes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.interop.html_text import html_to_text
from cspo_desktop.interop.jira_headers import MULTI_VALUED, RECOGNISED, JiraColumns
from cspo_desktop.interop.jira_rows import JiraRows, gc_paused
from cspo_desktop.interop.reading import map_columns, recognised_for
from cspo_desktop.interop.records import ParsedImport, Progress, ReadOptions

#: The elements read from every ``<item>``, as the cells are named; custom fields follow.
ELEMENTS = ("key", "id", "summary", "type", "status", "priority", "description", "parent")
#: How often (in items) the reader reports progress.
PROGRESS_EVERY = 200
SAMPLE_ROWS = 5

Record = list[tuple[str, str]]


def read_jira_xml(
    path: Path, options: ReadOptions | None = None, progress: Progress | None = None
) -> ParsedImport:
    """Read a Jira XML export into items, sprints, skipped rows and warnings.

    Raises:
        InvalidInput: the file is not well-formed XML, declares entities or a document type,
            holds no ``<item>``, or the user mapped a name no item has.
    """
    options = options or ReadOptions()
    with gc_paused():
        records = list(_records(path, progress))
    if not records:
        raise InvalidInput(
            f"{path.name} holds no <item> elements, so it is not a Jira XML export of issues. "
            "In Jira, search for the issues and choose Export > XML, or export them as CSV."
        )
    header = _header(records)
    uses = map_columns(header, recognised_for(RECOGNISED, options, MULTI_VALUED), options)
    columns = JiraColumns.of(uses)
    columns.require(path.name, header)
    rows = JiraRows(columns, options)
    places: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        places.setdefault(name, []).append(index)
    sample: list[tuple[str, ...]] = []
    with gc_paused():
        for number, record in enumerate(records, start=1):
            cells = _cells(record, places, len(header))
            if len(sample) < SAMPLE_ROWS:
                sample.append(tuple(cells))
            rows.add(number, cells)
        return rows.parsed("xml", "utf-8", None, uses, sample)


def _records(path: Path, progress: Progress | None) -> Iterator[Record]:
    """Each ``<item>`` as (name, value) pairs, streamed and cleared as it is read."""
    with _open(path) as raw:
        size = max(path.stat().st_size, 1)
        try:
            count = 0
            for _event, element in SafeTree.iterparse(raw, events=("end",), forbid_dtd=True):
                if element.tag == "item":
                    count += 1
                    yield _record(element)
                    element.clear()
                    if progress is not None and count % PROGRESS_EVERY == 0:
                        progress(min(raw.tell() / size, 1.0))
        except DefusedXmlException:
            raise InvalidInput(
                f"{path.name} declares a document type or entities, which a Jira export never "
                "does; it was not read, as such files can exhaust memory or read other files. "
                "Export the issues from Jira again."
            ) from None
        except ParseError as error:
            raise InvalidInput(
                f"{path.name} is not well-formed XML ({error}). Export it from Jira again, or "
                "export the issues as CSV."
            ) from None
        except (LookupError, ValueError) as error:  # an encoding Python lacks or cannot parse
            raise InvalidInput(
                f"{path.name} cannot be read: its XML declaration names an encoding this app "
                f"cannot read ({error}). Export it from Jira again, in UTF-8."
            ) from None
    if progress is not None:
        progress(1.0)


def _record(item: Element) -> Record:
    """An item's cells; an element the item lacks gives no cell (and maybe no column)."""
    record: Record = []
    for name in ELEMENTS:
        found = item.find("key" if name == "id" else name)
        if found is None or (name == "id" and "id" not in found.attrib):
            continue
        text = found.get("id", "") if name == "id" else found.text or ""
        record.append((name, html_to_text(text) if name == "description" else text))
    labels = [label.text or "" for label in item.iterfind("labels/label")]
    if not labels and item.find("labels") is not None:
        labels = [""]  # no label, but the field is there: a re-import empties the labels
    record.extend(("labels", label) for label in labels)
    if (category := item.find("statusCategory")) is not None:
        record.append(("statusCategory", category.get("key", "")))
    for custom in item.iterfind("customfields/customfield"):
        name = (custom.findtext("customfieldname") or "").strip()
        if name:
            values = custom.iterfind("customfieldvalues/customfieldvalue")
            record.extend((name, html_to_text(value.text or "")) for value in values)
    return record


def _header(records: list[Record]) -> list[str]:
    """Every cell name, each as many times as the item with most values of it has it."""
    most: dict[str, int] = {}
    for record in records:
        counts: dict[str, int] = {}
        for name, _value in record:
            counts[name] = counts.get(name, 0) + 1
        for name, count in counts.items():
            most[name] = max(most.get(name, 0), count)
    return [name for name, count in most.items() for _ in range(count)]


def _cells(record: Record, places: dict[str, list[int]], width: int) -> list[str]:
    cells = [""] * width
    used: dict[str, int] = {}
    for name, value in record:
        index = used.get(name, 0)
        used[name] = index + 1
        cells[places[name][index]] = value
    return cells


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InvalidInput(f"{path} does not exist.") from None
    except OSError as error:
        raise InvalidInput(f"{path} cannot be read: {error.strerror}.") from None
