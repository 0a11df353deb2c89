"""The backlog's row test for a filter: which rows a text, a view and a quick view keep.

The rules live in :mod:`domain.filters`; this module knows where they find their values in a
backlog row (:data:`backlog_columns.Row`). :class:`BacklogModel` keeps each row's search text
and asks :meth:`RowPredicate.select` for the rows to show, so a keystroke filters without
rebuilding the text of every row.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from cspo_desktop.domain.filters import (
    BacklogFilter,
    QuickView,
    fields_match,
    in_view,
    quick_matches,
    split_query,
    stale_cutoff,
    text_matches,
)
from cspo_desktop.domain.readiness import ReadyRules
from cspo_desktop.domain.vocabulary import MOSCOW_LABELS, STATUS_LABELS
from cspo_desktop.persistence.queries import readiness_of
from cspo_desktop.ui.models.backlog_columns import _C, Row

_ID = _C["id"]

#: The columns a text filter searches.
SEARCHED = tuple(_C[name] for name in ("key", "title", "description", "labels", "external_key"))


def field_values(row: Row) -> dict[str, list[str]]:
    """What ``field:value`` filter terms look at in ``row``."""
    c = _C
    status = str(row[c["status"]] or "")
    return {
        "type": [str(row[c["type"]] or "")],
        "status": [status, STATUS_LABELS.get(status, status)],
        "label": labels_of(row[c["labels"]]),
        "epic": [str(row[c["epic"]] or ""), str(row[c["parent"]] or "")],
        "goal": [str(row[c["goal"]] or "")],
        "sprint": [str(row[c["sprint"]] or "")],
        "moscow": [str(row[c["moscow"]] or ""), MOSCOW_LABELS.get(row[c["moscow"]], "")],
    }


def labels_of(raw: object) -> list[str]:
    """An item's labels from their stored JSON text (anything else: the text as one label)."""
    if not raw:
        return []
    try:
        value = json.loads(str(raw))
    except ValueError:
        return [str(raw)]
    return [str(v) for v in value] if isinstance(value, list) else [str(raw)]


def search_text(row: Row) -> str:
    """The case-folded text a text filter searches in ``row``."""
    return " ".join(str(row[i] or "") for i in SEARCHED).casefold()


class RowPredicate:
    """The row test for a filter: the rules live in :mod:`domain.filters`, the columns here.

    Called with a row it builds the row's search text itself; :meth:`keep` takes one built
    earlier, which is how :class:`BacklogModel` filters without rebuilding the text of every row
    on every keystroke.
    """

    def __init__(
        self, spec: BacklogFilter, now: dt.datetime, rules: ReadyRules | None = None
    ) -> None:
        self._rules = rules
        self.words, self.fields = split_query(spec.text)
        self._cutoff = stale_cutoff(now, spec.stale_days)
        self._view, self._quick, self._show_epics = spec.view, spec.quick, spec.show_epics

    def __call__(self, row: Row) -> bool:
        """Whether the filter keeps ``row``."""
        return self.keep(row, None)

    def select(self, rows: list[Row], texts: dict[Any, str]) -> list[Row]:
        """The ``rows`` the filter keeps, in order; ``texts`` holds each row's search text by id.

        Same answer as calling :meth:`keep` on each row, in one tight loop: the view test is
        looked up per (type, segment) pair, and the text is tested first.
        """
        if self._quick is not QuickView.ALL or self.fields:
            return [r for r in rows if self.keep(r, texts[r[_ID]])]
        show_epics, view = self._show_epics, self._view

        class Views(dict[tuple[Any, Any], bool]):
            def __missing__(self, key: tuple[Any, Any]) -> bool:
                self[key] = found = in_view(view, key[0], key[1], show_epics=show_epics)
                return found

        views, kind, segment, words = Views(), _C["type"], _C["segment"], self.words
        if len(words) == 1:
            word = words[0]
            return [r for r in rows if word in texts[r[_ID]] and views[r[kind], r[segment]]]
        return [
            r for r in rows if views[r[kind], r[segment]] and all(w in texts[r[_ID]] for w in words)
        ]

    def _not_ready(self, row: Row) -> bool:
        return self._rules is not None and bool(readiness_of(self._rules, row))

    def keep(self, row: Row, text: str | None) -> bool:
        """Whether the filter keeps ``row``, whose search text is ``text`` (``None``: build it)."""
        c = _C
        if not in_view(self._view, row[c["type"]], row[c["segment"]], show_epics=self._show_epics):
            return False
        if self._quick is not QuickView.ALL and not quick_matches(
            self._quick,
            points=row[c["points"]],
            blocked=bool(row[c["blocked"]]),
            goal=row[c["goal"]],
            updated_at=str(row[c["updated_at"]]),
            stale_before=self._cutoff,
            not_ready=self._quick is QuickView.NOT_READY and self._not_ready(row),
            open_questions=row[c["open_questions"]] or 0,
        ):
            return False
        if self.fields and not fields_match(self.fields, field_values(row)):
            return False
        if not self.words:
            return True
        return text_matches(self.words, search_text(row) if text is None else text)


def make_predicate(
    spec: BacklogFilter, now: dt.datetime, rules: ReadyRules | None = None
) -> RowPredicate:
    """The row test for a filter (see :class:`RowPredicate`); ``rules`` serve "Not ready"."""
    return RowPredicate(spec, now, rules)
