"""``cspo import {jira,ado,taiga}`` and ``cspo export {jira,ado}`` on real exports."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from cspo_desktop.persistence.paths import AppDirs
from cspo_desktop.services import importing
from cspo_desktop.services.import_writer import ImportWriter
from tests.unit.test_cli import Cli
from tests.unit.test_importing import every_table_hash

EXPORTS = Path(__file__).parents[1] / "data" / "real-exports"
REAL = {
    "jira": [
        EXPORTS / "jira" / "agile_delivery_sim_cloud_all_fields.csv",
        EXPORTS / "jira" / "herokudeploy_jwprogram_server_storypoints.csv",
        EXPORTS / "jira" / "insurance_company_searchrequest.xml",
    ],
    "ado": [EXPORTS / "ado" / "assigned_to_me_iteration_path.csv"],
    "taiga": [EXPORTS / "taiga" / "ta_scheduling_userstories.csv"],
}
CASES = [(tool, path) for tool, paths in REAL.items() for path in paths]


@pytest.fixture
def cli(dirs: AppDirs, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(dirs.data, capsys)


def backlog(cli: Cli, product: Path) -> list[dict[str, object]]:
    assert cli("backlog", product, "--json") == 0, cli.err
    items: list[dict[str, object]] = json.loads(cli.out)
    return items


@pytest.mark.parametrize(("tool", "source"), CASES, ids=[p.name for _t, p in CASES])
def test_every_real_export_imports_and_lists_its_external_keys(
    cli: Cli, tmp_path: Path, tool: str, source: Path
) -> None:
    product = tmp_path / "imported.cspo"
    assert cli("import", tool, source, "--into", product, "--create") == 0, cli.err
    assert cli.out.startswith(f"Imported {source}")
    parsed = importing.read_source(tool, source)
    items = backlog(cli, product)
    assert [i["external_key"] for i in items] == [s.external_key for s in parsed.items]
    assert [i["title"] for i in items] == [s.title for s in parsed.items]
    assert {i["segment"] for i in items} == {"inbox"}
    # The same file again: nothing new, nothing changed.
    before = every_table_hash(product)
    assert cli("import", tool, source, "--into", product) == 0, cli.err
    quiet = "Created 0 items, 0 sprints and 0 epics; updated 0 already-imported items"
    assert f"{quiet}; {len(parsed.items)} unchanged" in cli.out
    assert every_table_hash(product) == before
    assert backlog(cli, product) == items


def test_options_segment_map_and_points_column(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "sheet.csv"
    source.write_text(
        "Clave de incidencia;Resumen;Tipo de Incidencia;Estado;Estimate\r\n"
        "PAY-1;Pagar con QR;Historia;Por hacer;3\r\n"
        "PAY-2;Ver saldo;Historia;Hecho;5\r\n",
        encoding="cp1252",
    )
    product = tmp_path / "p.cspo"
    code = cli(
        "import", "jira", source, "--into", product, "--create", "--segment", "backlog",
        "--points-column", "Estimate",
    )  # fmt: skip
    assert code == 0, cli.err
    items = backlog(cli, product)
    fields = ("external_key", "title", "points", "status", "segment")
    assert [tuple(i[f] for f in fields) for i in items] == [
        ("PAY-1", "Pagar con QR", 3.0, "todo", "backlog"),
        ("PAY-2", "Ver saldo", 5.0, "done", "backlog"),
    ]  # fmt: skip


def test_user_errors_are_one_line_and_change_nothing(cli: Cli, tmp_path: Path) -> None:
    product = tmp_path / "p.cspo"
    source = REAL["jira"][0]
    assert cli("import", "jira", source, "--into", product, "--create") == 0, cli.err
    before = every_table_hash(product)
    no_title = tmp_path / "no-title.csv"
    no_title.write_text("Issue key,Status\nP-1,Done\n", encoding="utf-8")
    png = tmp_path / "picture.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    for args in (
        ("import", "jira", tmp_path / "missing.csv", "--into", product),
        ("import", "jira", no_title, "--into", product),
        ("import", "ado", png, "--into", product),
        ("import", "jira", source, "--into", product, "--map", "Nope=title"),
        ("import", "jira", source, "--into", product, "--map", "Summary=height"),
        ("import", "jira", source, "--into", product, "--map", "Summary"),
        ("import", "jira", source, "--into", tmp_path / "other.cspo"),
        ("import", "jira", source, "--into", product, "--create"),
    ):
        assert "cspo: " in cli.refused(*args)
    assert every_table_hash(product) == before
    assert not (tmp_path / "other.cspo").exists()


def test_an_interrupted_import_leaves_the_product_as_it_was(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    product = tmp_path / "p.cspo"
    assert cli("import", "taiga", REAL["taiga"][0], "--into", product, "--create") == 0
    before = every_table_hash(product)

    def interrupted(*_args: object, **_kwargs: object) -> list[int]:
        raise KeyboardInterrupt

    monkeypatch.setattr(ImportWriter, "create", interrupted)
    assert cli("import", "jira", REAL["jira"][0], "--into", product) == 130
    assert every_table_hash(product) == before
    fresh = tmp_path / "fresh.cspo"
    assert cli("import", "jira", REAL["jira"][0], "--into", fresh, "--create") == 130
    assert not fresh.exists()


def test_export_to_jira_and_ado_after_an_import(cli: Cli, tmp_path: Path) -> None:
    product = tmp_path / "p.cspo"
    assert cli("import", "jira", REAL["jira"][1], "--into", product, "--create") == 0
    out = tmp_path / "back.csv"
    assert cli("export", "jira", product, "-o", out, "--points-column", "Story point estimate") == 0
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    assert header[:4] == ["Issue ID", "Issue key", "Summary", "Issue Type"]
    assert "Story point estimate" in header
    imported = importing.read_source("jira", REAL["jira"][1])
    assert sorted(r[1] for r in rows[1:]) == sorted(i.external_key for i in imported.items)
    ado = tmp_path / "ado.csv"
    assert cli("export", "ado", product, "-o", ado) == 0, cli.err
    assert ado.exists()


def test_formula_cells_are_listed_and_prefixed_only_when_asked(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "risky.csv"
    source.write_text('Issue key,Summary\nP-1,=HYPERLINK("x")\nP-2,Plain\n', encoding="utf-8")
    product = tmp_path / "p.cspo"
    assert cli("import", "jira", source, "--into", product, "--create") == 0
    assert backlog(cli, product)[0]["title"] == '=HYPERLINK("x")'  # nothing interpreted
    raw, safe = tmp_path / "raw.csv", tmp_path / "safe.csv"
    assert cli("export", "jira", product, "-o", raw) == 0
    assert "1 cells start like a spreadsheet formula" in cli.out
    assert cli("export", "jira", product, "-o", safe, "--safe-for-spreadsheets") == 0
    assert '=HYPERLINK(""x"")' in raw.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in safe.read_text(encoding="utf-8")
    shutil.rmtree(tmp_path / "data", ignore_errors=True)
