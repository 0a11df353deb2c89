"""The JSON archive: export → import → export gives the same bytes; a bad archive leaves nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cspo_desktop.cli import main
from cspo_desktop.demo import generate_demo
from cspo_desktop.domain.drafts import NewItem
from cspo_desktop.domain.errors import CspoError, FileRefused, InvalidInput
from cspo_desktop.domain.vocabulary import ItemType, Segment
from cspo_desktop.persistence import archive, migrate, revisions
from cspo_desktop.persistence.archive import export_archive, import_archive
from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.preflight import inspect_product
from cspo_desktop.persistence.product_file import _seed_product
from cspo_desktop.services.items import MAX_TITLE, add_item
from tests.content import content_hash

OLD = "0003_ready_rules"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A rich product: items, criteria, questions, links, sprints, goals, events."""
    path = tmp_path_factory.mktemp("archive") / "demo.cspo"
    generate_demo(path, items=60)
    return path


@pytest.fixture(scope="session")
def template(_product_template: Path) -> Path:
    """An empty product (session-scoped, so Hypothesis can share it between examples)."""
    return _product_template


@pytest.fixture(scope="module")
def demo_archive(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("archive-json") / "demo.json"
    export_archive(demo, out)
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return document


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def round_trip(product: Path, folder: Path) -> tuple[bytes, bytes, Path]:
    """Export ``product``, import the archive into a new file, export that; return both."""
    first, second = folder / "first.json", folder / "second.json"
    export_archive(product, first)
    copy, _ = import_archive(first, folder / "copy.cspo")
    export_archive(copy, second)
    return first.read_bytes(), second.read_bytes(), copy


# ---------------------------------------------------------------- round trips


def test_demo_round_trips_exactly(demo: Path, tmp_path: Path) -> None:
    before = sha256(demo)
    first, second, copy = round_trip(demo, tmp_path)
    assert first == second
    assert content_hash(copy) == content_hash(demo)
    assert sha256(demo) == before  # export only reads
    assert inspect_product(copy).revision == revisions.HEAD
    assert copy.stat().st_mode & 0o777 == 0o600
    document = json.loads(first)
    assert document["format"] == "cspo-archive"
    assert document["format_version"] == 1
    assert document["schema_revision"] == revisions.HEAD
    tables = document["tables"]
    assert list(tables) == sorted(tables)
    assert "alembic_version" not in tables
    assert {"item", "product", "question", "item_link", "item_event", "sprint"} <= set(tables)
    assert len(tables["item"]["rows"]) == 60
    # Every row of every table, the history included, arrives.
    with closing(sqlite3.connect(demo)) as a, closing(sqlite3.connect(copy)) as b:
        for table in tables:
            query = f'SELECT * FROM "{table}" ORDER BY rowid'
            assert a.execute(query).fetchall() == b.execute(query).fetchall(), table


def test_tables_added_later_are_archived_without_new_code(demo: Path, tmp_path: Path) -> None:
    product = tmp_path / "extended.cspo"
    shutil.copyfile(demo, product)
    with closing(sqlite3.connect(product)) as conn:
        conn.execute(
            "CREATE TABLE vote (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES item(id), "
            "who TEXT, weight REAL)"
        )
        conn.execute("INSERT INTO vote VALUES (1, 3, 'Ana 👩‍💻', 0.25), (2, 4, NULL, 1e300)")
        conn.commit()
    out = tmp_path / "extended.json"
    export_archive(product, out)
    rows = json.loads(out.read_text(encoding="utf-8"))["tables"]["vote"]
    assert rows == {
        "columns": ["id", "item_id", "who", "weight"],
        "rows": [[1, 3, "Ana 👩‍💻", 0.25], [2, 4, None, 1e300]],
    }


def test_blobs_and_infinite_floats_round_trip(product_path: Path, tmp_path: Path) -> None:
    with closing(Database(product_path)) as db:
        add_item(db, NewItem(title="Bytes"))
    with closing(sqlite3.connect(product_path)) as conn:
        conn.execute("UPDATE item SET description = X'00FF10', points = 1e999")
        conn.commit()
    first, second, copy = round_trip(product_path, tmp_path)
    assert first == second
    assert b'"$base64": "AP8Q"' in first
    assert b'"$float": "inf"' in first
    with closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("SELECT description, points FROM item").fetchone() == (
            b"\x00\xff\x10",
            float("inf"),
        )


TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]),
    max_size=40,
) | st.sampled_from(
    [
        "",
        "שלום עולם — مرحبا بالعالم",  # right to left
        "👩‍👩‍👧‍👦 🇩🇪 e\u0301",  # joined emoji, flags, combining marks
        "a\x00b\r\n\t\"'\\",
        "x" * 5000,
    ]
)
TITLE = TEXT.filter(lambda t: bool(t.strip()) and len(t) <= MAX_TITLE)
POINTS = (
    st.none()
    | st.sampled_from([0.0, 0.5, 1.0, 3.0, 13.0, 0.1, 1e-300, 2.5e15])
    | (st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False))
)
ITEMS = st.lists(
    st.builds(
        NewItem,
        title=TITLE,
        type=st.sampled_from(list(ItemType)),
        description=TEXT,
        points=POINTS,
        segment=st.sampled_from(list(Segment)),
        labels=st.lists(TEXT, max_size=3).map(tuple),
        criteria=st.lists(TITLE, max_size=3).map(tuple),
    ),
    max_size=6,
)


@settings(max_examples=15, deadline=None, database=None)
@given(items=ITEMS)
def test_export_import_export_is_byte_identical(template: Path, items: list[NewItem]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        product = Path(folder) / "varied.cspo"
        shutil.copyfile(template, product)
        with closing(Database(product)) as db:
            for new in items:
                add_item(db, new)
        first, second, copy = round_trip(product, Path(folder))
        assert first == second
        assert content_hash(copy) == content_hash(product)
        stored = json.loads(first)["tables"]["item"]
        titles = [row[stored["columns"].index("title")] for row in stored["rows"]]
        assert titles == [new.title for new in items]


# ---------------------------------------------------------------- older and newer archives


def edited_down(document: dict[str, Any]) -> dict[str, Any]:
    """The demo archive as the version that wrote schema 0003 would have written it."""
    old: dict[str, Any] = json.loads(json.dumps(document))
    old["schema_revision"] = OLD
    tables = old["tables"]
    del tables["question"], tables["item_link"], tables["import_record"]
    for table, column in (
        ("item", "moscow"),
        ("item", "priority"),
        ("product", "refinement_started_at"),
    ):
        at = tables[table]["columns"].index(column)
        del tables[table]["columns"][at]
        for row in tables[table]["rows"]:
            del row[at]
    return old


def test_an_older_archive_is_migrated_to_the_head(
    demo_archive: dict[str, Any], tmp_path: Path
) -> None:
    source = tmp_path / "old.json"
    source.write_text(json.dumps(edited_down(demo_archive)), encoding="utf-8")
    copy, summary = import_archive(source, tmp_path / "new")
    assert copy == tmp_path / "new.cspo"
    assert summary.items == 60
    assert inspect_product(copy).revision == revisions.HEAD
    again = tmp_path / "again.json"
    export_archive(copy, again)
    tables = json.loads(again.read_text(encoding="utf-8"))["tables"]
    assert tables["question"]["rows"] == tables["item_link"]["rows"] == []
    for name, body in edited_down(demo_archive)["tables"].items():
        columns = tables[name]["columns"]
        kept = [columns.index(c) for c in body["columns"]]
        assert [[row[i] for i in kept] for row in tables[name]["rows"]] == body["rows"], name


def test_a_file_at_an_older_revision_exports_its_own_revision(tmp_path: Path) -> None:
    product = tmp_path / "old.cspo"
    migrate.upgrade(product, OLD, create=True)
    _seed_product(product, "Ünïcode ☕", "UC")
    before = sha256(product)
    out = tmp_path / "old.json"
    export_archive(product, out)
    assert sha256(product) == before
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["schema_revision"] == OLD
    assert "question" not in document["tables"]
    copy, _ = import_archive(out, tmp_path / "copy.cspo")
    assert inspect_product(copy).revision == revisions.HEAD
    migrated = tmp_path / "migrated.cspo"  # the same file, upgraded the way the app does
    shutil.copyfile(product, migrated)
    migrate.upgrade(migrated)
    assert content_hash(copy) == content_hash(migrated)


# ---------------------------------------------------------------- refusals


def _set(key: str, value: object) -> Callable[[dict[str, Any]], object]:
    def edit(doc: dict[str, Any]) -> object:
        doc[key] = value
        return doc

    return edit


def _unknown_table(doc: dict[str, Any]) -> object:
    doc["tables"]["stakeholder_vote"] = {"columns": ["id"], "rows": [[1]]}
    return doc


def _unknown_column(doc: dict[str, Any]) -> object:
    body = doc["tables"]["item"]
    body["columns"].append("mood")
    for row in body["rows"]:
        row.append("happy")
    return doc


def _broken_link(doc: dict[str, Any]) -> object:
    body = doc["tables"]["acceptance_criterion"]
    body["rows"][0][body["columns"].index("item_id")] = 99999
    return doc


def _short_row(doc: dict[str, Any]) -> object:
    doc["tables"]["item"]["rows"][0].pop()
    return doc


def _no_product(doc: dict[str, Any]) -> object:
    doc["tables"]["product"]["rows"] = []
    return doc


def _broken_check(doc: dict[str, Any]) -> object:
    body = doc["tables"]["item"]
    body["rows"][0][body["columns"].index("moscow")] = "maybe"
    return doc


def _text_key(doc: dict[str, Any]) -> object:
    doc["tables"]["sprint"]["rows"][0][0] = "one"
    return doc


def _odd_value(doc: dict[str, Any]) -> object:
    doc["tables"]["item"]["rows"][0][3] = {"title": "nested"}
    return doc


REFUSALS: dict[str, tuple[Callable[[dict[str, Any]], object] | bytes, str]] = {
    "not-json": (b"PK\x03\x04 this is a zip", "is not a CSPO archive (it is not valid JSON"),
    "truncated": (b'{"format": "cspo-archive", "tables": {"item": ', "not valid JSON"),
    "not-utf8": (b'{"format": "\xff"}', "not UTF-8"),
    "not-an-object": (lambda doc: [doc], "is not a CSPO archive"),
    "wrong-format": (_set("format", "jira-export"), "is not a CSPO archive"),
    "newer-format": (_set("format_version", 2), "made by a newer version of CSPO Desktop"),
    "odd-format-version": (_set("format_version", "1"), "“format_version”"),
    "newer-schema": (
        _set("schema_revision", "0099_future"),
        "made by a newer version of CSPO Desktop (schema 0099_future)",
    ),
    "no-tables": (_set("tables", []), "“tables” is not an object"),
    "unknown-table": (_unknown_table, "stakeholder_vote"),
    "unknown-column": (_unknown_column, "table item has column mood that the schema lacks"),
    "broken-link": (_broken_link, "points at a missing item"),
    "short-row": (_short_row, "row 1 of table item does not have"),
    "no-product": (_no_product, "it holds no product"),
    "broken-check": (_broken_check, "row 1 of table item breaks a rule"),
    "odd-value": (_odd_value, "not text or a number"),
    "text-key": (_text_key, "row 1 of table sprint breaks a rule (datatype mismatch)"),
    "empty": (b"", "not valid JSON"),
}


def _write(doc: dict[str, Any], edit: Callable[[dict[str, Any]], object] | bytes, to: Path) -> None:
    if isinstance(edit, bytes):
        to.write_bytes(edit)
    else:
        copy = json.loads(json.dumps(doc))
        to.write_text(json.dumps(edit(copy), ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_bad_archive_is_refused_and_leaves_nothing(
    case: str,
    demo_archive: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    edit, expected = REFUSALS[case]
    folder = tmp_path / "in"
    folder.mkdir()
    source = folder / "bad.json"
    _write(demo_archive, edit, source)
    with pytest.raises(CspoError) as caught:
        import_archive(source, folder / "new.cspo")
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)
    # The command line says it in one line, with status 1 and no traceback.
    capsys.readouterr()
    code = main(["--data-dir", str(tmp_path / "data"), "import", "archive", str(source),
                 "--into", str(folder / "new.cspo"), "--create"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("cspo: ")
    assert expected in err
    assert "Traceback" not in err
    assert sorted(p.name for p in folder.iterdir()) == ["bad.json"]


def test_an_existing_target_is_never_replaced(
    demo: Path, demo_archive: dict[str, Any], tmp_path: Path
) -> None:
    source = tmp_path / "a.json"
    source.write_text(json.dumps(demo_archive), encoding="utf-8")
    target = tmp_path / "there.cspo"
    shutil.copyfile(demo, target)
    before = sha256(target)
    with pytest.raises(InvalidInput, match="already exists"):
        import_archive(source, target)
    with pytest.raises(InvalidInput, match="already exists"):
        import_archive(source, tmp_path / "there")  # the suffix is added, then checked
    assert sha256(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "there.cspo"]


def test_an_interrupted_import_leaves_no_file(
    demo_archive: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "a.json"
    source.write_text(json.dumps(demo_archive), encoding="utf-8")

    def interrupted(path: Path, name: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(archive, "_check_integrity", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_archive(source, tmp_path / "new.cspo")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_export_refuses_a_foreign_file_and_an_existing_output(demo: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "notes.cspo"
    foreign.write_text("not a database", encoding="utf-8")
    with pytest.raises(FileRefused, match="not an SQLite database"):
        export_archive(foreign, tmp_path / "out.json")
    taken = tmp_path / "taken.json"
    taken.write_text("mine", encoding="utf-8")
    with pytest.raises(InvalidInput, match="already exists"):
        export_archive(demo, taken)
    assert taken.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.cspo", "taken.json"]


# ---------------------------------------------------------------- command line


def test_cli_export_and_import(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    out, new = tmp_path / "demo.json", tmp_path / "new.cspo"
    assert main(["--data-dir", data, "export", "archive", str(demo), "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote {out}: 60 items, 10 tables\n"
    assert main(["import", "archive", str(out), "--into", str(new), "--data-dir", data]) == 0
    assert capsys.readouterr().out == f"Created {new} from {out}: 60 items\n"
    assert content_hash(new) == content_hash(demo)
    # A second export over the first is refused; an archive is no tracker's export.
    for argv in (
        ["export", "archive", str(demo), "-o", str(out)],
        ["export", "taiga", str(demo), "-o", str(tmp_path / "x.json")],
        ["import", "taiga", str(out), "--into", str(tmp_path / "x.cspo")],
        ["import", "archive", str(out)],
        ["import", "archive", str(tmp_path / "nope.json"), "--into", str(tmp_path / "x.cspo")],
        ["export", "archive", str(tmp_path / "missing.cspo"), "-o", str(tmp_path / "m.json")],
    ):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert err.startswith("cspo: "), err
    assert not (tmp_path / "x.json").exists()
    assert not (tmp_path / "m.json").exists()
    assert not (tmp_path / "x.cspo").exists()


def test_json_nested_far_too_deep_is_refused_with_a_message(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(InvalidInput, match="nested far too deeply"):
        import_archive(deep, tmp_path / "new.cspo")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep.json"]
