"""Migrations: the shipped revision list, schema drift, and that upgrading never loses rows."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from cspo_desktop.domain.errors import CspoError
from cspo_desktop.persistence import backups, migrate, revisions, tables
from cspo_desktop.persistence.database import make_engine
from cspo_desktop.persistence.lock import ProductLock
from cspo_desktop.persistence.paths import AppDirs
from cspo_desktop.persistence.product_file import open_product

NOW = "2024-05-06T07:08:09.000000+00:00"
#: (id, key, parent id, sprint id) of the items a revision-0001 file is given.
ITEMS = ((1, "PB-1", None, 1), (2, "PB-2", 1, 1), (3, "PB-3", 1, None), (4, "PB-4", 2, None))
CRITERIA_PER_ITEM = 3


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def revision_of(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def make_v1_product(path: Path) -> list[tuple[object, ...]]:
    """A product file at revision 0001_initial with items, links and criteria; return criteria."""
    migrate.upgrade(path, "0001_initial", create=True)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO product (id, name, key_prefix, vision_target_group, vision_needs, "
            "vision_product, vision_business_goals, estimation_scale, scale_values, "
            "next_item_number, created_at, updated_at, version) "
            "VALUES (1, 'Pocket Bank', 'PB', '', '', '', '', 'fibonacci', '', 5, ?, ?, 1)",
            (NOW, NOW),
        )
        conn.execute(
            "INSERT INTO sprint (id, name, goal, state, created_at) "
            "VALUES (1, 'Sprint 1', 'Pay by QR', 'active', ?)",
            (NOW,),
        )
        for item_id, key, parent, sprint in ITEMS:
            conn.execute(
                "INSERT INTO item (id, key, type, title, description, status, rank, segment, "
                "sprint_id, parent_id, labels, blocked, blocked_note, created_at, updated_at, "
                "version) VALUES (?, ?, 'story', ?, '', 'todo', ?, 'backlog', ?, ?, '[]', 0, '', "
                "?, ?, 1)",
                (item_id, key, f"Story {key}", f"a{item_id}", sprint, parent, NOW, NOW),
            )
            for position in range(CRITERIA_PER_ITEM):
                conn.execute(
                    "INSERT INTO acceptance_criterion (item_id, position, text, review_state) "
                    "VALUES (?, ?, ?, 'unchecked')",
                    (item_id, position, f"{key} criterion {position} ✓"),
                )
        conn.execute("COMMIT")
    assert revision_of(path) == "0001_initial"
    return criteria(path)


def criteria(path: Path) -> list[tuple[object, ...]]:
    return rows(path, "SELECT id, item_id, position, text FROM acceptance_criterion ORDER BY id")


def links(path: Path) -> list[tuple[object, ...]]:
    return rows(path, "SELECT id, key, parent_id, sprint_id FROM item ORDER BY id")


def upgrade_with_foreign_keys_on(path: Path) -> None:
    """The same Alembic upgrade as ``migrate.upgrade``, but on a connection with foreign keys on."""
    engine = make_engine(path, foreign_keys=True)
    try:
        with engine.begin() as conn:
            cfg = migrate.alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()


@pytest.fixture
def v1_path(tmp_path: Path) -> Path:
    folder = tmp_path / "old"
    folder.mkdir()
    return folder / "old.cspo"


# ---------------------------------------------------------------- revision list


def test_shipped_revisions_equal_alembic_history() -> None:
    history = migrate.history()
    assert list(revisions.REVISIONS) == history
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_current_head() == revisions.HEAD == history[-1]
    assert len(set(history)) == len(history)


def test_revision_classification() -> None:
    assert revisions.is_current(revisions.HEAD)
    assert all(revisions.is_known(r) for r in revisions.REVISIONS)
    assert not revisions.is_current("0001_initial")
    assert not revisions.is_known("9999_future")


# ---------------------------------------------------------------- schema


@pytest.fixture
def migrated_from_base(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.cspo"
    migrate.upgrade(path, create=True)
    return path


def test_migrated_file_has_no_drift_against_the_tables(migrated_from_base: Path) -> None:
    engine = make_engine(migrated_from_base)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert tables.Item.metadata is SQLModel.metadata
    assert diff == []
    assert revision_of(migrated_from_base) == revisions.HEAD


def test_rank_columns_use_binary_collation(migrated_from_base: Path) -> None:
    with closing(sqlite3.connect(migrated_from_base)) as conn:
        schema = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
            "tbl_name IN ('item', 'product_goal')"
        ).fetchall()
        assert {name for name, _ in schema} >= {"item", "product_goal", "ix_item_rank"}
        for name, sql in schema:
            assert "NOCASE" not in sql.upper(), name
            assert "COLLATE" not in sql.upper(), name
        for index in ("ix_item_rank", "ix_product_goal_rank"):
            keyed = [row for row in conn.execute(f"PRAGMA index_xinfo({index})") if row[5]]
            assert [(row[2], row[4]) for row in keyed] == [("rank", "BINARY")]
        # Byte order: upper case before lower case, as fractional-indexing keys need.
        conn.executemany(
            "INSERT INTO product_goal (title, description, status, rank, created_at) "
            "VALUES ('g', '', 'proposed', ?, ?)",
            [(rank, NOW) for rank in ("a0", "Zz", "b", "A1", "a0V")],
        )
        ranked = [r[0] for r in conn.execute("SELECT rank FROM product_goal ORDER BY rank, id")]
        assert ranked == sorted(["a0", "Zz", "b", "A1", "a0V"])
        assert ranked == ["A1", "Zz", "a0", "a0V", "b"]


# ---------------------------------------------------------------- upgrading old files


def test_opening_an_old_file_backs_up_migrates_and_keeps_every_row(
    v1_path: Path, dirs: AppDirs
) -> None:
    before_criteria = make_v1_product(v1_path)
    before_links = links(v1_path)
    assert len(before_criteria) == len(ITEMS) * CRITERIA_PER_ITEM

    opened = open_product(v1_path, backups_root=dirs.backups)
    try:
        assert opened.migrated_from == "0001_initial"
        assert opened.reader.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert opened.reader.execute("PRAGMA foreign_key_check").fetchall() == []
        backup = opened.migration_backup
    finally:
        opened.close()

    assert revision_of(v1_path) == revisions.HEAD
    assert criteria(v1_path) == before_criteria
    assert links(v1_path) == before_links
    item_sql = rows(v1_path, "SELECT sql FROM sqlite_master WHERE name = 'item'")[0][0]
    assert "ck_item_status" in str(item_sql)

    # The pre-migration backup: named after the target revision, intact, still the old schema.
    assert backup is not None
    assert backup.is_file()
    assert backup.parent == backups.folder_for(v1_path, dirs.backups)
    assert backup.name.startswith(f"{backups.BackupKind.MIGRATION.value}-")
    assert backup.name.endswith(f"-{revisions.HEAD}.cspo")
    assert backup.stat().st_mode & 0o777 == 0o600
    assert rows(backup, "PRAGMA quick_check") == [("ok",)]
    assert revision_of(backup) == "0001_initial"
    assert criteria(backup) == before_criteria
    [info] = backups.list_backups(v1_path, dirs.backups)
    assert (info.path, info.kind, info.label, info.item_count) == (
        backup,
        backups.BackupKind.MIGRATION,
        revisions.HEAD,
        len(ITEMS),
    )


def test_the_same_rebuild_with_foreign_keys_on_would_lose_rows(v1_path: Path) -> None:
    # Proof that the test above can fail: batch mode drops and recreates ``item``; with
    # foreign keys on, the DROP cascades into the criteria and nulls every parent link.
    before_criteria = make_v1_product(v1_path)
    assert before_criteria
    upgrade_with_foreign_keys_on(v1_path)
    assert revision_of(v1_path) == revisions.HEAD
    assert criteria(v1_path) == []
    assert [row[2] for row in links(v1_path)] == [None] * len(ITEMS)


def test_migrate_upgrade_runs_with_foreign_keys_off(v1_path: Path) -> None:
    before = make_v1_product(v1_path)
    migrate.upgrade(v1_path)
    assert revision_of(v1_path) == revisions.HEAD
    assert criteria(v1_path) == before


def orphan_criterion(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (0,)
        conn.execute(
            "INSERT INTO acceptance_criterion (item_id, position, text, review_state) "
            "VALUES (999, 0, 'points at no item', 'unchecked')"
        )


def test_a_migration_that_breaks_a_foreign_key_rolls_back(v1_path: Path) -> None:
    make_v1_product(v1_path)
    orphan_criterion(v1_path)
    digest = sha256(v1_path)
    with pytest.raises(CspoError, match=r"break links in table acceptance_criterion") as caught:
        migrate.upgrade(v1_path)
    assert v1_path.name in str(caught.value)
    assert sha256(v1_path) == digest
    assert revision_of(v1_path) == "0001_initial"
    item_sql = rows(v1_path, "SELECT sql FROM sqlite_master WHERE name = 'item'")[0][0]
    assert "ck_item_status" not in str(item_sql)
    assert not [t for t in rows(v1_path, "SELECT name FROM sqlite_master") if "tmp" in str(t[0])]


def test_open_product_leaves_a_file_whose_migration_fails_unchanged(
    v1_path: Path, dirs: AppDirs
) -> None:
    make_v1_product(v1_path)
    orphan_criterion(v1_path)
    digest = sha256(v1_path)
    with pytest.raises(CspoError, match="left unchanged"):
        open_product(v1_path, backups_root=dirs.backups)
    assert sha256(v1_path) == digest
    assert revision_of(v1_path) == "0001_initial"
    # The backup made before trying is there, and the lock was given back.
    [info] = backups.list_backups(v1_path, dirs.backups)
    assert info.kind is backups.BackupKind.MIGRATION
    with ProductLock(v1_path) as lock:
        assert lock.held


def test_new_files_are_migrated_from_base_to_head(product_path: Path) -> None:
    assert revision_of(product_path) == revisions.HEAD
    names = {str(r[0]) for r in rows(product_path, "SELECT name FROM sqlite_master")}
    assert set(SQLModel.metadata.tables) <= names
