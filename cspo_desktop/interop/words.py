"""Trackers' words for types, statuses and priorities, folded into the product's words.

Jira, Azure DevOps and Taiga each let teams name statuses freely, and Jira exports them in
the exporting user's language. Known names map exactly (case-folded); an unknown status falls
into a category by the words it contains ("done", "closed", "progress"…), and what still
cannot be told is "to do" — the reader says so in its warnings. Jira also writes each
status's category (to do, in progress, done), which :func:`status_category` reads.

Numbers come as trackers and spreadsheets write them (``2,5``, ``?``, ``n/a``):
:func:`parse_number` reads points, :func:`parse_rank` an ordering number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from cspo_desktop.domain.vocabulary import ItemType, Priority, Status
from cspo_desktop.interop.links import listing


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())


def _names(text: str) -> list[str]:
    """Names separated by ``|``, folded as lookups fold them."""
    return [_fold(name) for name in text.split("|")]


_TYPES: dict[str, ItemType] = {
    **dict.fromkeys(
        _names(
            "epic|epos|épica|epica|épico|épique|эпик|feature|capability|initiative|theme|"
            "funktion|fonctionnalité|característica"
        ),
        ItemType.EPIC,
    ),
    **dict.fromkeys(
        _names(
            "story|user story|product backlog item|pbi|requirement|historia|"
            "historia de usuario|história|história de usuário|storia|récit|user-story|"
            "anforderung|exigence|история|userstory|new feature|improvement|mejora|"
            "verbesserung|amélioration|task|tarea|aufgabe|tâche|tarefa|attività|задача|"
            "sub-task|subtask|sub task|subtarea|unteraufgabe|sous-tâche|subtarefa|"
            "sotto-task|подзадача|issue|us"
        ),
        ItemType.STORY,
    ),
    **dict.fromkeys(
        _names("bug|defect|error|fehler|bogue|erro|errore|ошибка|incident|impediment"),
        ItemType.BUG,
    ),
    **dict.fromkeys(_names("spike|research|investigation|recherche"), ItemType.SPIKE),
    **dict.fromkeys(_names("chore|technical debt|tech debt|maintenance"), ItemType.CHORE),
}

#: Names Jira gives sub-tasks in the languages it exports in.
SUBTASK_TYPES = frozenset(
    _fold(name)
    for name in _names(
        "sub-task|subtask|sub task|subtarea|unteraufgabe|sous-tâche|subtarefa|"
        "sotto-task|подзадача|sub-tarefa|sottotask"
    )
)

_STATUSES: dict[str, Status] = {
    **dict.fromkeys(
        _names(
            "to do|todo|open|new|backlog|selected for development|ready|proposed|"
            "approved|reopened|planned|pending|por hacer|tareas por hacer|abierto|"
            "abierta|nuevo|zu erledigen|offen|neu|à faire|a faire|ouvert|nouveau|a fazer|"
            "aberto|novo|da fare|aperto|к выполнению|открыт|открытый|сделать|new item"
        ),
        Status.TODO,
    ),
    **dict.fromkeys(
        _names(
            "in progress|in review|review|in test|testing|active|committed|doing|"
            "ready for test|code review|qa|en curso|en progreso|en revisión|"
            "in arbeit|in bearbeitung|en cours|em andamento|em progresso|in corso|"
            "в работе|в процессе"
        ),
        Status.IN_PROGRESS,
    ),
    **dict.fromkeys(
        _names(
            "done|closed|complete|completed|finished|archived|removed|won't do|wont do|"
            "cancelled|canceled|hecho|listo|cerrado|cerrada|finalizado|finalizada|"
            "terminado|erledigt|fertig|geschlossen|abgeschlossen|terminé|fait|fermé|"
            "fermée|concluído|feito|fechado|completato|chiuso|fatto|готово|закрыт|"
            "закрыто|выполнено|решен|решено"
        ),
        Status.DONE,
    ),
}

_STATUS_HINTS: tuple[tuple[tuple[str, ...], Status], ...] = (
    (
        (
            "done",
            "closed",
            "complete",
            "finish",
            "resolved",
            "archiv",
            "erledigt",
            "cerrad",
            "termin",
            "fermé",
            "conclu",
            "chiuso",
            "закры",
            "готов",
        ),
        Status.DONE,
    ),
    (
        (
            "progress",
            "review",
            "test",
            "doing",
            "active",
            "develop",
            "curso",
            "arbeit",
            "cours",
            "andamento",
            "corso",
            "работ",
        ),
        Status.IN_PROGRESS,
    ),
)

#: Jira's status category keys (``undefined`` is none).
_CATEGORY_KEYS = {"new": Status.TODO, "indeterminate": Status.IN_PROGRESS, "done": Status.DONE}

_PRIORITIES: dict[str, Priority] = {
    **dict.fromkeys(
        _names(
            "highest|blocker|critical|1|urgent|más alta|höchste|la plus haute|altíssima|"
            "massima|наивысший"
        ),
        Priority.HIGHEST,
    ),
    **dict.fromkeys(_names("high|major|2|alta|hoch|haute|высокий"), Priority.HIGH),
    **dict.fromkeys(_names("medium|normal|3|media|mittel|moyenne|média|средний"), Priority.MEDIUM),
    **dict.fromkeys(_names("low|minor|4|baja|niedrig|basse|baixa|bassa|низкий"), Priority.LOW),
    **dict.fromkeys(
        _names("lowest|trivial|5|más baja|niedrigste|la plus basse|baixíssima|minima|самый низкий"),
        Priority.LOWEST,
    ),
}


def item_type(name: str) -> ItemType | None:
    """The product's type for a tracker's type name, or None when it is not known."""
    return _TYPES.get(_fold(name))


def is_subtask(name: str) -> bool:
    """Whether a Jira issue type names a sub-task (team work folded into its parent)."""
    return _fold(name) in SUBTASK_TYPES


def status(name: str) -> Status | None:
    """The status category of a tracker's status name; None when nothing hints at one."""
    folded = _fold(name)
    if not folded:
        return None
    if folded in _STATUSES:
        return _STATUSES[folded]
    for hints, category in _STATUS_HINTS:
        if any(hint in folded for hint in hints):
            return category
    return None


def status_category(name: str) -> Status | None:
    """The status of a Jira status category, by key or name in any language; None for none.

    The XML export keys the categories ``new``, ``indeterminate`` and ``done``; the CSV export
    names them as a status would be named ("To Do", "En curso", "Fertig").
    """
    return _CATEGORY_KEYS.get(_fold(name)) or status(name)


def priority(name: str) -> Priority | None:
    """The product's priority for a tracker's priority name or number, or None."""
    return _PRIORITIES.get(_fold(name))


def priority_name(value: str | None, *, tool: str) -> str:
    """A priority as the tracker writes it on export (Jira's names, Azure DevOps' 1 to 4)."""
    if value is None:
        return ""
    if tool == "ado":
        return {"highest": "1", "high": "1", "medium": "2", "low": "3", "lowest": "4"}[value]
    return value.capitalize()


def parse_number(text: str) -> float | None:
    """A points value: ``5``, ``5.0``, ``2,5``; ``None`` for empty, ``?``, ``n/a`` or text."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if not text or text.casefold() in {"?", "n/a", "na", "-", "none", "null"}:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def parse_rank(text: str) -> float | None:
    """An ordering number (``Backlog Priority``, ``backlog_order``): ``12``, ``1999.5``, ``1,5``.

    Unlike points it may be negative or huge; ``None`` when the cell holds no number.
    """
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def unknown_word_warnings(
    blank: int,
    statuses: Iterable[str],
    kinds: Iterable[str],
    priorities: Iterable[str],
    *,
    kinds_name: str,
) -> list[str]:
    """The warnings every reader gives about empty rows and words it could not place."""
    warnings = []
    if blank:
        warnings.append(f"{blank} empty row{'s' * (blank > 1)} ignored.")
    if statuses := list(statuses):
        warnings.append(
            f"Statuses this app does not know came in as To do: {listing(statuses)}. "
            "Change those items' status after the import."
        )
    if kinds := list(kinds):
        warnings.append(
            f"{kinds_name} this app does not know came in as stories: {listing(kinds)}."
        )
    if priorities := list(priorities):
        warnings.append(
            f"Priorities this app does not know were left empty: {listing(priorities)}."
        )
    return warnings
