"""``cspo``: exit status 0 or 1, one line on stderr for every mistake, and no file ever harmed."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cspo_desktop.cli import main
from cspo_desktop.persistence.paths import AppDirs

BACKLOG_FIELDS = {
    "position",
    "key",
    "external_key",
    "type",
    "title",
    "points",
    "status",
    "sprint",
    "parent",
    "goal",
}


class Cli:
    """Runs ``cspo`` in-process with a private data folder and captures what it says."""

    def __init__(self, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.data = data
        self.capsys = capsys
        self.out = ""
        self.err = ""

    def __call__(self, *args: str | Path) -> int:
        self.capsys.readouterr()
        code = main(["--data-dir", str(self.data), *map(str, args)])
        self.out, self.err = self.capsys.readouterr()
        return code

    def refused(self, *args: str | Path) -> str:
        """Run a command that must fail; return its one-line message."""
        assert self(*args) == 1
        assert self.out == ""
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("cspo: ")
        assert "Traceback" not in self.err
        return lines[0]


@pytest.fixture
def cli(dirs: AppDirs, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(dirs.data, capsys)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo made by ``cspo demo`` itself (read-only tests copy it)."""
    folder = tmp_path_factory.mktemp("cli")
    out = folder / "demo.cspo"
    assert main(["--data-dir", str(folder / "data"), "demo", str(out), "--items", "50"]) == 0
    return out


@pytest.fixture
def product(tmp_path: Path, demo_file: Path) -> Path:
    target = tmp_path / "work" / "pocket.cspo"
    target.parent.mkdir()
    shutil.copyfile(demo_file, target)
    return target


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------- demo and backlog


def test_demo_then_backlog_json_lists_every_item(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "demo.cspo"
    assert cli("demo", out, "--items", "50", "--seed", "3") == 0
    assert cli.out == f"Created {out}: 45 stories, 5 epics, 3 product goals, 7 sprints\n"
    assert cli.err == ""

    assert cli("backlog", out, "--json") == 0
    items = json.loads(cli.out)
    assert len(items) == 50
    assert [item["position"] for item in items] == list(range(1, 51))
    keys = [item["key"] for item in items]
    assert len(set(keys)) == len(keys)
    assert all(item.keys() >= BACKLOG_FIELDS for item in items)
    assert [item["type"] for item in items[:5]] == ["epic"] * 5
    below = items[5:]
    assert {item["parent"] for item in below} <= set(keys[:8])
    assert all(item["parent"] is None for item in items[:5])
    assert {item["sprint"] for item in below} >= {"Sprint 1", "Sprint 7", None}
    assert all(item["external_key"] is None for item in items)
    assert "Sprint 7" in {item["sprint"] for item in below if item["status"] == "in_progress"}


def test_backlog_prints_one_line_per_item(cli: Cli, product: Path) -> None:
    assert cli("backlog", product) == 0
    lines = cli.out.splitlines()
    assert len(lines) == 50
    assert lines[0].split()[:3] == ["1", "PAY-1", "epic"]
    assert cli.err == ""


def test_demo_refuses_an_existing_file_without_force(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "mine.cspo"
    out.write_bytes(b"precious notes")
    before = sha256(out)
    assert "--force" in cli.refused("demo", out, "--items", "5")
    assert sha256(out) == before

    assert cli("demo", out, "--items", "5", "--force") == 0
    assert cli("check", out) == 0


def test_demo_without_the_suffix_still_protects_the_file_it_would_replace(
    tmp_path: Path, cli: Cli
) -> None:
    existing = tmp_path / "mine.cspo"
    existing.write_bytes(b"precious notes")
    assert "--force" in cli.refused("demo", tmp_path / "mine", "--items", "5")
    assert existing.read_bytes() == b"precious notes"


def test_demo_fills_an_empty_file(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "empty.cspo"
    out.touch()
    assert cli("demo", out, "--items", "5") == 0
    assert cli("check", out) == 0


# ---------------------------------------------------------------- check


def test_check_accepts_a_good_file_and_changes_nothing(cli: Cli, product: Path) -> None:
    before = sha256(product)
    assert cli("check", product) == 0
    assert cli.out.startswith(f"ok: {product}")
    assert "50 items" in cli.out
    assert cli.err == ""
    assert sha256(product) == before


@pytest.mark.parametrize(
    "content",
    [random.Random(5).randbytes(4096), b"", b"SQLite format 3\x00" + bytes(range(256)) * 8],
    ids=["random-bytes", "zero-bytes", "damaged-sqlite"],
)
def test_check_refuses_a_bad_file_and_leaves_it_alone(
    tmp_path: Path, cli: Cli, content: bytes
) -> None:
    bad = tmp_path / "bad.cspo"
    bad.write_bytes(content)
    before = sha256(bad)
    cli.refused("check", bad)
    assert sha256(bad) == before
    assert folder_listing(tmp_path) == ["bad.cspo"]


def test_check_refuses_a_missing_file(tmp_path: Path, cli: Cli) -> None:
    missing = tmp_path / "nowhere.cspo"
    assert "does not exist" in cli.refused("check", missing)
    assert not missing.exists()
    assert folder_listing(tmp_path) == []


def test_check_refuses_a_truncated_product(tmp_path: Path, cli: Cli, product: Path) -> None:
    cut = tmp_path / "cut.cspo"
    cut.write_bytes(product.read_bytes()[:8192])
    before = sha256(cut)
    cli.refused("check", cut)
    assert sha256(cut) == before


# ---------------------------------------------------------------- backup


def test_backup_writes_a_copy_that_check_accepts(tmp_path: Path, cli: Cli, product: Path) -> None:
    copy = tmp_path / "copies" / "copy.cspo"
    before = sha256(product)
    assert cli("backup", product, "-o", copy) == 0
    assert cli.err == ""
    assert cli("check", copy) == 0
    assert "50 items" in cli.out
    assert sha256(product) == before

    copied = sha256(copy)
    assert "already exists" in cli.refused("backup", product, "-o", copy)
    assert sha256(copy) == copied


def test_backup_of_a_bad_file_writes_nothing(tmp_path: Path, cli: Cli) -> None:
    bad = tmp_path / "bad.cspo"
    bad.write_bytes(b"not a database at all")
    cli.refused("backup", bad, "-o", tmp_path / "copy.cspo")
    assert folder_listing(tmp_path) == ["bad.cspo"]


# ---------------------------------------------------------------- the command line itself


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "x.cspo", "--items", "abc"],
        ["demo", "x.cspo", "--seed", "-1"],
        ["frobnicate"],
        [],
        ["demo"],
        ["check"],
        ["backup", "x.cspo"],
        ["backlog", "x.cspo", "--bogus"],
    ],
    ids=lambda args: " ".join(args) or "nothing",
)
def test_a_bad_command_line_exits_1_with_one_line(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    cli.refused(*args)
    assert not (tmp_path / "x.cspo").exists()


def test_version_prints_and_exits_0(cli: Cli) -> None:
    with pytest.raises(SystemExit) as exited:
        cli("--version")
    assert exited.value.code == 0


def test_the_console_script_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("cspo")
    if not script.exists():
        pytest.fail(f"the cspo console script is not installed next to {sys.executable}")
    data, out = tmp_path / "data", tmp_path / "demo.cspo"
    made = subprocess.run(
        [script, "--data-dir", data, "demo", out, "--items", "5"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Created {out}: 4 stories, 1 epic")
    checked = subprocess.run(
        [script, "--data-dir", data, "check", tmp_path / "missing.cspo"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert checked.returncode == 1
    assert checked.stdout == ""
    assert len(checked.stderr.splitlines()) == 1
    assert "Traceback" not in checked.stderr


def test_backlog_json_says_whether_each_item_is_ready(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "ready.cspo"
    assert cli("demo", out, "--items", "60") == 0
    assert cli("backlog", out, "--json") == 0
    items = json.loads(cli.out)
    stories = [i for i in items if i["type"] != "epic" and i["status"] != "done"]
    assert any(i["ready"] for i in stories)
    unready = [i for i in stories if not i["ready"]]
    assert unready
    assert all(i["not_ready_because"] for i in unready)
    assert all(
        i["ready"] is False and i["not_ready_because"] == [] for i in items if i["type"] == "epic"
    )
    for item in stories:
        if item["points"] is None:
            assert "Not estimated" in item["not_ready_because"]
