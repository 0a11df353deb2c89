"""The benchmark harness itself: registry, verdicts, results.json, exit status, the table.

Fake benchmarks in a private registry; nothing here times anything.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import harness, startup
from benchmarks.harness import Context, Registry, Result

JSON_KEYS = {"name", "value", "baseline", "ratio", "limit", "pass", "unit", "note"}


def make_registry(**values: tuple[float, float | None]) -> tuple[Registry, list[Context]]:
    """A registry of fake benchmarks ``name=(value, baseline)``, limit 1.5, and their contexts."""
    registry = Registry()
    seen: list[Context] = []
    for name, (value, baseline) in values.items():

        def fake(ctx: Context, value: float = value, baseline: float | None = baseline) -> Result:
            seen.append(ctx)
            return ctx.result(value, baseline, note=f"fake {ctx.name}")

        registry.benchmark(name, limit=1.5, unit="ms", rounds=3, min_rounds=2)(fake)
    return registry, seen


def read_entries(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"benchmarks"}
    entries: list[dict[str, Any]] = data["benchmarks"]
    return entries


def registry_entry(results: Path, name: str) -> dict[str, Any]:
    return next(e for e in read_entries(results) if e["name"] == name)


@pytest.fixture
def results(tmp_path: Path) -> Path:
    return tmp_path / "results.json"


# ---------------------------------------------------------------- registry and verdicts


def test_decorator_registers_in_order_and_returns_the_function() -> None:
    registry = Registry()

    def first(ctx: Context) -> Result:
        return ctx.result(1.0, 1.0)

    def second(ctx: Context) -> Result:
        return ctx.result(1.0, 1.0)

    assert registry.benchmark("first", limit=2, unit="ms")(first) is first
    registry.benchmark("second", limit=3, unit="x", rounds=5, min_rounds=4)(second)

    assert [b.name for b in registry] == ["first", "second"]
    assert "second" in registry
    assert registry["second"].func is second
    assert (registry["second"].limit, registry["second"].unit) == (3, "x")
    assert (registry["second"].rounds, registry["second"].min_rounds) == (5, 4)


def test_a_name_registers_once() -> None:
    registry, _ = make_registry(dup=(1.0, 1.0))
    with pytest.raises(ValueError, match="twice"):
        registry.benchmark("dup", limit=1, unit="ms")(lambda ctx: ctx.result(1.0))


def test_min_rounds_must_not_exceed_rounds() -> None:
    with pytest.raises(ValueError, match="min_rounds"):
        Registry().benchmark("x", limit=1, unit="ms", rounds=3, min_rounds=4)


def context(tmp_path: Path, limit: float = 1.5) -> Context:
    return Context("probe", limit, "ms", 3, tmp_path)


def test_ratio_within_limit_passes(tmp_path: Path) -> None:
    result = context(tmp_path).result(150.0, 100.0, note="median 160 / 110")
    assert result.ratio == pytest.approx(1.5)
    assert result.passed
    assert (result.name, result.value, result.baseline, result.limit, result.unit) == (
        "probe",
        150.0,
        100.0,
        1.5,
        "ms",
    )
    assert result.note == "median 160 / 110"


def test_ratio_over_limit_fails(tmp_path: Path) -> None:
    result = context(tmp_path).result(151.0, 100.0)
    assert result.ratio == pytest.approx(1.51)
    assert not result.passed


def test_without_baseline_the_value_meets_the_limit(tmp_path: Path) -> None:
    ctx = context(tmp_path, limit=3)
    assert ctx.result(3.0).passed
    assert ctx.result(3.0).ratio is None
    assert not ctx.result(4.0).passed


def test_a_problem_fails_whatever_the_numbers(tmp_path: Path) -> None:
    result = context(tmp_path).result(1.0, 100.0, note="details", problems=["child crashed"])
    assert not result.passed
    assert result.note == "FAIL: child crashed; details"


def test_nothing_measured_fails(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    assert not ctx.result(None, 100.0).passed
    assert not ctx.result(math.nan, 100.0).passed
    assert not ctx.result(10.0, 0.0).passed


# ---------------------------------------------------------------- results.json


def test_results_json_has_the_documented_schema(results: Path) -> None:
    registry, _ = make_registry(quick=(120.0, 100.0))
    assert harness.main(["--results", str(results)], registry) == 0

    [entry] = read_entries(results)
    assert set(entry) == JSON_KEYS
    assert entry == {
        "name": "quick",
        "value": 120.0,
        "baseline": 100.0,
        "ratio": 1.2,
        "limit": 1.5,
        "pass": True,
        "unit": "ms",
        "note": "fake quick",
    }


def test_unmeasurable_numbers_are_null_in_json() -> None:
    result = Result("n", math.nan, math.inf, None, 1.5, False, "ms")
    entry = result.to_json()
    assert (entry["value"], entry["baseline"], entry["ratio"]) == (None, None, None)
    json.dumps(entry, allow_nan=False)


def test_running_some_keeps_the_other_entries(results: Path) -> None:
    registry, _ = make_registry(alpha=(1.0, 1.0), beta=(1.0, 1.0), gamma=(1.0, 1.0))
    assert harness.main(["--results", str(results)], registry) == 0
    before = read_entries(results)

    faster, _ = make_registry(beta=(0.5, 1.0))
    assert harness.main(["beta", "--results", str(results)], faster) == 0

    after = read_entries(results)
    assert [e["name"] for e in after] == ["alpha", "beta", "gamma"]
    assert after[0] == before[0]
    assert after[2] == before[2]
    assert after[1]["ratio"] == 0.5


def test_new_benchmarks_are_appended_and_foreign_entries_kept(results: Path) -> None:
    old = {"name": "import_jira_100k", "value": 9.0, "pass": True, "extra": "kept as is"}
    results.write_text(json.dumps({"benchmarks": [old]}), encoding="utf-8")
    registry, _ = make_registry(fresh=(1.0, 1.0))

    assert harness.main(["--results", str(results)], registry) == 0

    entries = read_entries(results)
    assert [e["name"] for e in entries] == ["import_jira_100k", "fresh"]
    assert entries[0] == old


@pytest.mark.parametrize("content", ["not json {", '["a list"]', '{"benchmarks": 3}'])
def test_an_unreadable_results_file_is_replaced(
    results: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    results.write_text(content, encoding="utf-8")
    registry, _ = make_registry(only=(1.0, 1.0))

    assert harness.main(["--results", str(results)], registry) == 0

    assert [e["name"] for e in read_entries(results)] == ["only"]
    assert "ignoring" in capsys.readouterr().err


def test_merge_replaces_in_place() -> None:
    existing = [{"name": "a", "value": 1}, {"name": "b", "value": 2}]
    new = Result("a", 5.0, 1.0, 5.0, 1.5, False, "ms", "slow")
    merged = harness.merge_results(existing, [new])
    assert merged == [new.to_json(), {"name": "b", "value": 2}]
    assert existing == [{"name": "a", "value": 1}, {"name": "b", "value": 2}]


# ---------------------------------------------------------------- exit status and selection


def test_exit_status_is_non_zero_when_one_fails(results: Path) -> None:
    registry, _ = make_registry(good=(1.0, 1.0), bad=(3.0, 1.0))
    assert harness.main(["--results", str(results)], registry) == harness.EXIT_FAILED
    assert {e["name"]: e["pass"] for e in read_entries(results)} == {"good": True, "bad": False}


def test_running_only_passing_ones_exits_zero(results: Path) -> None:
    registry, _ = make_registry(good=(1.0, 1.0), bad=(3.0, 1.0))
    assert harness.main(["good", "--results", str(results)], registry) == 0
    assert [e["name"] for e in read_entries(results)] == ["good"]


def test_a_benchmark_that_raises_is_a_failure(
    results: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry, _ = make_registry(fine=(1.0, 1.0))

    def broken(ctx: Context) -> Result:
        raise RuntimeError("no product file")

    registry.benchmark("broken", limit=1.5, unit="ms")(broken)

    assert harness.main(["--results", str(results)], registry) == harness.EXIT_FAILED

    entry = registry_entry(results, "broken")
    assert entry["pass"] is False
    assert entry["value"] is None
    assert "RuntimeError: no product file" in entry["note"]
    assert registry_entry(results, "fine")["pass"] is True
    assert "no product file" in capsys.readouterr().err


def test_unknown_name_is_a_usage_error_and_writes_nothing(
    results: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry, seen = make_registry(known=(1.0, 1.0))
    assert harness.main(["known", "nope", "--results", str(results)], registry) == 2
    assert not results.exists()
    assert seen == []
    assert "unknown benchmark nope" in capsys.readouterr().err


def test_rounds_reach_the_benchmark(results: Path) -> None:
    registry, seen = make_registry(a=(1.0, 1.0), b=(1.0, 1.0))
    harness.main(["--results", str(results)], registry)
    harness.main(["a", "--rounds", "7", "--results", str(results)], registry)
    assert [(c.name, c.rounds) for c in seen] == [("a", 3), ("b", 3), ("a", 7)]


def test_too_few_rounds_are_refused(results: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry, seen = make_registry(a=(1.0, 1.0))
    assert harness.main(["--rounds", "1", "--results", str(results)], registry) == 2
    assert seen == []
    assert "at least 2" in capsys.readouterr().err


def test_each_benchmark_gets_a_private_folder_that_is_removed(results: Path) -> None:
    registry, seen = make_registry(a=(1.0, 1.0), b=(1.0, 1.0))
    harness.main(["--results", str(results)], registry)
    assert seen[0].workdir != seen[1].workdir
    assert not any(c.workdir.exists() for c in seen)


# ---------------------------------------------------------------- the table


def test_table_lists_every_result_with_its_verdict(
    results: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry, _ = make_registry(cold_fake=(820.0, 250.0), warm_fake=(120.0, 100.0))
    harness.main(["--results", str(results)], registry)
    out = capsys.readouterr().out.splitlines()

    assert out[0].split() == ["name", "measured", "baseline", "ratio", "limit", "verdict"]
    assert set(out[1].replace(" ", "")) == {"-"}
    cold = out[2].split()
    assert cold[0] == "cold_fake"
    assert cold[1:3] == ["820", "ms"]
    assert cold[3:5] == ["250", "ms"]
    assert cold[5] == "3.28x"
    assert cold[-1] == "FAIL"
    warm = out[3].split()
    assert (warm[0], warm[5], warm[-1]) == ("warm_fake", "1.20x", "PASS")
    assert "cold_fake: fake cold_fake" in out
    assert any(line.startswith("wrote ") and str(results) in line for line in out)


def test_table_columns_line_up() -> None:
    rows = [
        Result("a", 1.0, 2.0, 0.5, 1.5, True, "ms"),
        Result("a_much_longer_name", 12345.0, None, None, 20000, False, "rows", "n"),
    ]
    lines = harness.format_table(rows).splitlines()
    verdict_at = lines[0].index("verdict")
    assert lines[2][verdict_at:] == "PASS"
    assert lines[3][verdict_at:] == "FAIL"
    # Without a baseline the limit is on the value itself.
    assert "<= 20000 rows" in lines[3]
    assert lines[-1] == "a_much_longer_name: n"


def test_list_names_the_benchmarks(capsys: pytest.CaptureFixture[str]) -> None:
    registry, seen = make_registry(a=(1.0, 1.0))
    assert harness.main(["--list"], registry) == 0
    assert capsys.readouterr().out.startswith("a  (limit 1.5, 3 rounds)")
    assert seen == []


# ---------------------------------------------------------------- discovery and cold_start


def test_discovery_registers_cold_start_and_skips_scripts() -> None:
    harness.discover()
    assert "cold_start" in harness.REGISTRY
    assert harness.REGISTRY["cold_start"].limit == 1.5
    assert harness.REGISTRY["cold_start"].min_rounds >= 7
    assert harness.REGISTRY["cold_start"].rounds >= harness.REGISTRY["cold_start"].min_rounds
    assert "benchmarks.bare_window" not in sys.modules
    harness.discover()  # importing twice registers nothing twice


SMOKE = (
    "smoke ok: first paint after 684 ms; at first paint: sqlmodel not loaded, "
    "sqlalchemy not loaded, alembic not loaded, matplotlib {mpl}\n"
)


def test_smoke_line_is_parsed() -> None:
    smoke = startup.parse_smoke("noise\n" + SMOKE.format(mpl="not loaded"))
    assert smoke is not None
    assert smoke.first_paint_ms == 684
    assert smoke.loaded == {
        "sqlmodel": False,
        "sqlalchemy": False,
        "alembic": False,
        "matplotlib": False,
    }


def test_clean_smoke_run_has_no_problems() -> None:
    assert startup.smoke_problems(startup.Run(1.0, 0, SMOKE.format(mpl="not loaded"), "")) == []


def test_matplotlib_at_first_paint_fails_cold_start() -> None:
    problems = startup.smoke_problems(startup.Run(1.0, 0, SMOKE.format(mpl="loaded"), ""))
    assert problems == ["matplotlib was loaded at first paint"]


def test_sqlmodel_at_first_paint_fails_cold_start() -> None:
    line = SMOKE.format(mpl="not loaded").replace("sqlmodel not loaded", "sqlmodel loaded")
    assert startup.smoke_problems(startup.Run(1.0, 0, line, "")) == [
        "sqlmodel was loaded at first paint"
    ]


def test_failed_or_silent_smoke_run_fails_cold_start() -> None:
    [crashed] = startup.smoke_problems(startup.Run(1.0, 1, "", "cspo-desktop: no display\n"))
    assert "exited 1" in crashed
    assert "no display" in crashed
    [silent] = startup.smoke_problems(startup.Run(1.0, 0, "", ""))
    assert "no 'smoke ok' line" in silent
    partial = "smoke ok: first paint after 5 ms; at first paint: sqlmodel not loaded"
    assert startup.smoke_problems(startup.Run(1.0, 0, partial, "")) == [
        "the smoke line does not say whether matplotlib was loaded"
    ]


def test_children_share_one_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    env = startup.child_env(tmp_path)
    assert env["QT_QPA_PLATFORM"] == "offscreen"
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert Path(env["PYTHONPYCACHEPREFIX"]).parent == tmp_path
    assert Path(env["TMPDIR"]).is_dir()
