"""The column names Jira gives its fields, in the languages it exports in.

Jira writes a CSV header in the exporting user's language ("Resumen", "Zusammenfassung",
"Тема"…), prefixes custom fields with a translated "Custom field (…)", and since 2025 says
"Work item" where it said "Issue". :data:`RECOGNISED` lists, per field of
:data:`~cspo_desktop.interop.records.FIELDS`, every name known to mean it; headers are compared
case-folded (:func:`~cspo_desktop.interop.reading.normalise`). The same names serve the XML
export, whose element and custom-field names (``summary``, ``Story Points``) are among them.
One more field is Jira's own: ``status_category`` (to do, in progress, done), which decides an
item's status before the status's name does.

:class:`JiraColumns` is what a reader keeps of a file's header once the columns are mapped:
the indexes feeding each field, and the refusal of a file without titles or keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.interop.links import listing
from cspo_desktop.interop.reading import columns_of, one_line
from cspo_desktop.interop.records import ColumnUse

#: "Custom field (…)" in the languages Jira exports in.
CUSTOM_FIELD_PREFIXES = (
    "Custom field",
    "Campo personalizado",
    "Benutzerdefiniertes Feld",
    "Champ personnalisé",
    "Campo personalizzato",
    "Пользовательское поле",
    "Aangepast veld",
    "Pole niestandardowe",
    "Anpassat fält",
    "カスタムフィールド",
)


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split("|"))


def _custom(text: str) -> tuple[str, ...]:
    """Custom-field names with every language's prefix, and bare (as the XML names them)."""
    names = _names(text)
    return names + tuple(f"{prefix} ({name})" for prefix in CUSTOM_FIELD_PREFIXES for name in names)


#: Field → the header names that mean it. Order does not matter: the file's column order
#: decides which of several columns feeding a single-valued field wins.
RECOGNISED: Mapping[str, tuple[str, ...]] = {
    "title": _names(
        "Summary|Resumen|Zusammenfassung|Résumé|Resumo|Riepilogo|Sommario|Тема|Samenvatting|"
        "Podsumowanie|Sammanfattning|Özet|要約|概要|摘要"
    ),
    "key": _names(
        "Issue key|Work item key|Key|Clave de incidencia|Clave de la incidencia|Clave|"
        "Vorgangsschlüssel|Schlüssel|Clé de ticket|Clé du ticket|Clé de la demande|Clé|"
        "Chave da item|Chave do item|Chave do ticket|Chave|Chiave ticket|Chiave|"
        "Ключ проблемы|Ключ задачи|Ключ|Sleutel|Klucz|キー"
    ),
    "id": _names(
        "Issue id|Work item id|Id|Id. de incidencia|Id de incidencia|ID de la incidencia|"
        "Vorgangs-ID|ID du ticket|Id du ticket|ID do item|Id do item|ID ticket|Id ticket|"
        "ID проблемы|ID задачи"
    ),
    "type": _names(
        "Issue Type|Work item type|Work type|Type|Tipo de Incidencia|Tipo de incidencia|Tipo|"
        "Vorgangstyp|Typ|Type de ticket|Type de demande|Tipo de item|Tipo de ticket|"
        "Tipo ticket|Тип задачи|Тип проблемы|Тип|Issuetype"
    ),
    "status": _names("Status|Estado|Statut|État|Etat|Stato|Situação|Статус|Состояние"),
    "status_category": _names(
        "Status Category|statusCategory|Categoría de estado|Categoría del estado|"
        "Statuskategorie|Catégorie d'état|Catégorie de statut|Categoria de status|"
        "Categoria do status|Categoria di stato|Категория статуса"
    ),
    "priority": _names(
        "Priority|Prioridad|Priorität|Priorité|Prioridade|Priorità|Приоритет|Prioriteit|Priorytet"
    ),
    "description": _names(
        "Description|Descripción|Beschreibung|Descrição|Descrizione|Описание|Beschrijving|Opis"
    ),
    "labels": _names(
        "Labels|Label|Etiquetas|Stichwörter|Étiquettes|Etiquettes|Rótulos|Etichette|Метки|Etykiety"
    ),
    "sprint": _names("Sprint|Спринт|Sprints"),
    "points": _custom("Story Points|Story point estimate"),
    "rank": _custom("Rank"),
    "epic_link": _custom("Epic Link"),
    "parent": _names(
        "Parent|Parent id|Parent key|Padre|Id. del padre|Clave del padre|Übergeordnet|"
        "Übergeordneter Vorgang|Ticket parent|Pai|Item pai|Genitore|"
        "Ticket padre|Родитель|Родительская задача"
    ),
    "parent_summary": _names(
        "Parent summary|Resumen del padre|Zusammenfassung (übergeordnet)|Résumé du parent|"
        "Resumo do pai|Riepilogo genitore"
    ),
    "criteria": _names(
        "Acceptance Criteria|Criterios de aceptación|Akzeptanzkriterien|Critères d'acceptation|"
        "Critérios de aceitação|Criteri di accettazione|Критерии приемки|Критерии приёмки"
    )
    + _custom("Acceptance Criteria|Acceptance criterion"),
}

#: Fields several columns add up to (Jira repeats ``Labels`` and ``Sprint`` once per value).
#: Any other field takes the first non-empty of its columns.
MULTI_VALUED = frozenset({"labels", "sprint", "criteria"})

#: The header each required field is known by, for messages.
DISPLAY_NAMES: Mapping[str, str] = {"title": "Summary", "key": "Issue key"}

_ROLES = {"title": "the item titles", "key": "the Jira keys, or Issue id"}


@dataclass(frozen=True, slots=True)
class JiraColumns:
    """The indexes of the columns feeding each field, found once for the whole file.

    ``width`` is the number of columns of the header.
    """

    title: tuple[int, ...]
    key: tuple[int, ...]
    id: tuple[int, ...]
    type: tuple[int, ...]
    status: tuple[int, ...]
    status_category: tuple[int, ...]
    description: tuple[int, ...]
    points: tuple[int, ...]
    priority: tuple[int, ...]
    labels: tuple[int, ...]
    sprint: tuple[int, ...]
    parent: tuple[int, ...]
    epic_link: tuple[int, ...]
    parent_summary: tuple[int, ...]
    criteria: tuple[int, ...]
    rank: tuple[int, ...]
    width: int

    @classmethod
    def of(cls, uses: Sequence[ColumnUse]) -> JiraColumns:
        """The columns of a mapping; a file without ``Issue key`` keys its items by id."""
        found = {name: tuple(columns_of(uses, name)) for name in _COLUMN_FIELDS}
        if not found["key"]:
            found["key"] = found["id"]
        return cls(**found, width=len(uses))

    def require(self, file_name: str, header: Sequence[str]) -> None:
        """Refuse a file without a title column or a key column, saying which it has.

        Raises:
            InvalidInput: naming the missing column and the file's first columns.
        """
        missing = [name for name in DISPLAY_NAMES if not getattr(self, name)]
        if not missing:
            return
        what = " nor ".join(f"{DISPLAY_NAMES[name]} column ({_ROLES[name]})" for name in missing)
        fields = " and ".join(f"'{name}'" for name in missing)
        columns = listing(map(one_line, header))
        raise InvalidInput(
            f"{file_name} has no {what}. Its columns are: {columns}. If another column "
            f'holds them, map it to {fields} (for example --map "Title=title").'
        )


#: The fields :class:`JiraColumns` finds columns for (all of its fields but ``width``).
_COLUMN_FIELDS = tuple(f.name for f in fields(JiraColumns) if f.name != "width")
