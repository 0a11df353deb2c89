"""Jira CSV columns, hand-written: repeated headers, points, hand mapping, other languages.

The files are written by the helpers of :mod:`tests.unit.test_import_jira_quirks`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.interop.jira_csv import read_jira_csv
from cspo_desktop.interop.records import ReadOptions
from tests.unit.test_import_jira_quirks import by_key, keys, write_csv

# ------------------------------------------------------------------ columns


def test_repeated_labels_and_sprints_last_sprint_wins(tmp_path: Path) -> None:
    rows = [
        ["Summary", "Issue key", "Labels", "Labels", "Labels", "Sprint", "Sprint", "Sprint"],
        ["A", "P-1", "web", "", "mobile", "Sprint 1", "Sprint 2", "Sprint 3"],
        ["B", "P-2", "", "", "", "Sprint 2", "", ""],
        ["C", "P-3", "one two", "two", "", "", "", "Sprint 0"],
        ["D", "P-4", "", "", "", "", "", ""],
    ]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    items = by_key(parsed)
    assert items["P-1"].labels == ("web", "mobile")
    assert items["P-1"].sprint == "Sprint 3"
    assert items["P-2"].sprint == "Sprint 2"
    assert items["P-3"].labels == ("one", "two")
    assert items["P-4"].sprint is None
    assert parsed.sprints == ("Sprint 1", "Sprint 2", "Sprint 3", "Sprint 0")
    assert [use.field for use in parsed.columns].count("labels") == 3


def test_old_server_sprint_objects_give_their_names(tmp_path: Path) -> None:
    value = (
        "com.atlassian.greenhopper.service.sprint.Sprint@1f2c[id=7,rapidViewId=1,"
        "state=CLOSED,name=Team Sprint 7,startDate=2017-01-02T10:00:00.000Z,sequence=7]"
    )
    rows = [["Summary", "Issue key", "Sprint"], ["A", "P-1", value]]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    assert parsed.items[0].sprint == "Team Sprint 7"
    assert parsed.sprints == ("Team Sprint 7",)


def test_story_points_from_either_column_and_missing_points(tmp_path: Path) -> None:
    rows = [
        [
            "Summary",
            "Issue key",
            "Custom field (Story Points)",
            "Custom field (Story point estimate)",
        ],
        ["A", "P-1", "5.0", ""],
        ["B", "P-2", "", "3"],
        ["C", "P-3", "", ""],
        ["D", "P-4", "lots", ""],
        ["E", "P-5", "0.5", "8"],
    ]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    assert [item.points for item in parsed.items] == [5.0, 3.0, None, None, 0.5]
    assert any("'lots'" in warning for warning in parsed.warnings)


def test_a_chosen_points_column_wins_over_the_usual_ones(tmp_path: Path) -> None:
    rows = [
        ["Summary", "Issue key", "Custom field (Story Points)", "Custom field (Effort)"],
        ["A", "P-1", "5", "13"],
        ["B", "P-2", "8", ""],
    ]
    path = write_csv(tmp_path, rows)
    parsed = read_jira_csv(path, ReadOptions(points_column="custom field (effort)"))
    assert [item.points for item in parsed.items] == [13.0, None]
    assert [use.field for use in parsed.columns] == ["title", "key", None, "points"]


def test_map_overrides_the_recognised_columns(tmp_path: Path) -> None:
    rows = [
        ["Summary", "Issue key", "Title for the PO", "Done when", "Status"],
        ["PROJ-1 raw", "PROJ-1", "Pay by card", "- it works\n* it is fast\n\n1. it is safe", "x"],
    ]
    mapping = {"Title for the PO": "title", "Done when": "criteria", "Status": "ignore"}
    parsed = read_jira_csv(write_csv(tmp_path, rows), ReadOptions(mapping=mapping))
    item = parsed.items[0]
    assert item.title == "Pay by card"
    assert item.criteria == ("it works", "it is fast", "it is safe")
    assert item.status == "todo"
    assert parsed.warnings == ()
    assert [use.field for use in parsed.columns] == [None, "key", "title", "criteria", None]


def test_an_acceptance_criteria_column_is_recognised_and_split(tmp_path: Path) -> None:
    text = "• Given a card\n[ ] When I pay\n- [x] Then I get a receipt\n\n   \n2) Refunds work"
    rows = [["Summary", "Issue key", "Custom field (Acceptance Criteria)"], ["A", "P-1", text]]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    assert parsed.items[0].criteria == (
        "Given a card",
        "When I pay",
        "Then I get a receipt",
        "Refunds work",
    )


def test_mapping_a_column_the_file_lacks_or_to_an_unknown_field_is_refused(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path, [["Summary", "Issue key"], ["A", "P-1"]])
    with pytest.raises(InvalidInput, match="no column named 'Estimate'"):
        read_jira_csv(path, ReadOptions(mapping={"Estimate": "points"}))
    with pytest.raises(InvalidInput, match="'size' is not a field"):
        read_jira_csv(path, ReadOptions(mapping={"Summary": "size"}))
    with pytest.raises(InvalidInput, match="no column named 'Effort'"):
        read_jira_csv(path, ReadOptions(points_column="Effort"))


def test_a_file_without_summary_is_refused_naming_its_columns(tmp_path: Path) -> None:
    header = ["Issue key", "Issue id", "Status"] + [f"Custom field ({n})" for n in range(12)]
    path = write_csv(tmp_path, [header, ["P-1", "1", "Done"] + [""] * 12])
    with pytest.raises(InvalidInput) as refused:
        read_jira_csv(path)
    message = str(refused.value)
    assert "export.csv has no Summary column" in message
    assert "Issue key, Issue id, Status, Custom field (0)" in message
    assert "and 5 more" in message
    assert "map it to 'title'" in message


def test_without_issue_key_the_issue_id_is_the_key_and_without_both_it_is_refused(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path, [["Summary", "Issue id"], ["A", "10001"], ["B", "10002"]])
    assert keys(read_jira_csv(path)) == ["10001", "10002"]
    bare = write_csv(tmp_path, [["Summary", "Status"], ["A", "Done"]], name="bare.csv")
    with pytest.raises(InvalidInput, match="has no Issue key column"):
        read_jira_csv(bare)


@pytest.mark.parametrize(
    ("header", "values"),
    [
        (
            [
                "Resumen",
                "Clave de incidencia",
                "Id. de incidencia",
                "Tipo de Incidencia",
                "Estado",
                "Prioridad",
                "Descripción",
                "Etiquetas",
                "Sprint",
                "Campo personalizado (Story Points)",
                "Campo personalizado (Rank)",
            ],
            ["Pagar con tarjeta", "PAG-1", "1", "Historia", "En curso", "Alta", "Texto", "web"],
        ),
        (
            [
                "Zusammenfassung",
                "Vorgangsschlüssel",
                "Vorgangs-ID",
                "Vorgangstyp",
                "Status",
                "Priorität",
                "Beschreibung",
                "Stichwörter",
                "Sprint",
                "Benutzerdefiniertes Feld (Story Points)",
                "Benutzerdefiniertes Feld (Rank)",
            ],
            ["Mit Karte zahlen", "PAG-1", "1", "Story", "In Arbeit", "Hoch", "Text", "web"],
        ),
        (
            [
                "Résumé",
                "Clé de ticket",
                "ID du ticket",
                "Type de ticket",
                "État",
                "Priorité",
                "Description",
                "Étiquettes",
                "Sprint",
                "Champ personnalisé (Story Points)",
                "Champ personnalisé (Rank)",
            ],
            ["Payer par carte", "PAG-1", "1", "Story", "En cours", "Haute", "Texte", "web"],
        ),
        (
            [
                "Тема",
                "Ключ проблемы",
                "ID проблемы",
                "Тип задачи",
                "Статус",
                "Приоритет",
                "Описание",
                "Метки",
                "Спринт",
                "Пользовательское поле (Story Points)",
                "Пользовательское поле (Rank)",
            ],
            ["Оплата картой", "PAG-1", "1", "История", "в работе", "Высокий", "Текст", "web"],
        ),
    ],
    ids=["spanish", "german", "french", "russian"],
)
def test_localised_headers_are_recognised(
    tmp_path: Path, header: list[str], values: list[str]
) -> None:
    rows = [header, [*values, "Sprint 1", "3", "0|a:"], ["B", "PAG-2", "2", "Bug", "", "", "", ""]]
    parsed = read_jira_csv(write_csv(tmp_path, [*rows[:2], [*rows[2], "", "", "0|b:"]]))
    item = by_key(parsed)["PAG-1"]
    assert item.title == values[0]
    assert (item.status, item.priority, item.description) == ("in_progress", "high", values[6])
    assert (item.labels, item.sprint, item.points) == (("web",), "Sprint 1", 3.0)
    assert by_key(parsed)["PAG-2"].type == "bug"
    assert [use.field for use in parsed.columns] == [
        "title",
        "key",
        "id",
        "type",
        "status",
        "priority",
        "description",
        "labels",
        "sprint",
        "points",
        "rank",
    ]


def test_portuguese_and_italian_headers_and_case_are_recognised(tmp_path: Path) -> None:
    for header in (
        ["Resumo", "Chave da item", "Tipo de item", "Campo personalizado (Story Points)"],
        ["Riepilogo", "Chiave ticket", "Tipo ticket", "Campo personalizzato (Story Points)"],
        ["SUMMARY", "issue KEY", "Issue  Type", "custom field (story points)"],
    ):
        parsed = read_jira_csv(write_csv(tmp_path, [header, ["A", "P-1", "Epic", "2"]]))
        assert (parsed.items[0].title, parsed.items[0].type, parsed.items[0].points) == (
            "A",
            "epic",
            2.0,
        )


def test_a_current_fields_export_without_sprints_or_points(tmp_path: Path) -> None:
    header = ["Issue Type", "Key", "Summary", "Assignee", "Reporter", "Priority", "Status"]
    rows = [header, ["Story", "P-1", "A", "ann", "bob", "Medium", "Selected for Development"]]
    parsed = read_jira_csv(write_csv(tmp_path, rows))
    item = parsed.items[0]
    assert (item.external_key, item.title, item.status, item.priority) == (
        "P-1",
        "A",
        "todo",
        "medium",
    )
    assert (item.sprint, item.points, parsed.sprints) == (None, None, ())
