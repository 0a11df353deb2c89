"""Start-up benchmarks (anchors §5, goal P8).

``cold_start``: cold start to the first painted window (anchors P8): wall time from ``Popen``
to the line each child prints on the event-loop turn after its first paint (its first frame
drawn whole), of ``cspo-desktop --smoke FILE --data-dir DIR`` on a 10,000-item product with the
Backlog page shown, against a bare PySide6 QMainWindow (``bare_window.py``) started the same
way: same interpreter, same environment (:func:`child_env`), offscreen. One untimed warm-up of
each, then interleaved rounds; the ratio is of the minima. (What follows the paint, the smoke
run's exit, is not start-up.)
The app's own ``smoke ok`` line must show that neither sqlmodel nor matplotlib was loaded at the
first paint.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import Context, Result, benchmark

DEMO_ITEMS = 10_000
DEMO_SEED = 7
#: Modules that must not be imported before the first paint (DESIGN.md §7).
FORBIDDEN_AT_PAINT = ("sqlmodel", "matplotlib")
CHILD_TIMEOUT_S = 120
MAX_PROBLEMS = 3
BARE_WINDOW = Path(__file__).with_name("bare_window.py")

SMOKE_LINE = re.compile(r"^smoke ok: first paint after (\d+) ms; at first paint: (.*)$", re.M)
MODULE_STATE = re.compile(r"([\w.]+) (loaded|not loaded)")


@dataclass(frozen=True)
class Run:
    """One child process: how long until it painted (its first line), and what it printed."""

    ms: float
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Smoke:
    """The app's ``smoke ok`` line, parsed."""

    first_paint_ms: float
    loaded: dict[str, bool]


def parse_smoke(stdout: str) -> Smoke | None:
    """Parse the ``smoke ok: first paint after N ms; at first paint: ...`` line, if any."""
    match = SMOKE_LINE.search(stdout)
    if match is None:
        return None
    loaded = {name: state == "loaded" for name, state in MODULE_STATE.findall(match.group(2))}
    return Smoke(float(match.group(1)), loaded)


def smoke_problems(run: Run) -> list[str]:
    """What is wrong with one smoke run: exit status, missing line, modules loaded too early."""
    if run.returncode != 0:
        return [f"cspo-desktop --smoke exited {run.returncode}: {_tail(run)}"]
    smoke = parse_smoke(run.stdout)
    if smoke is None:
        return [f"cspo-desktop --smoke printed no 'smoke ok' line: {_tail(run)}"]
    problems = []
    for name in FORBIDDEN_AT_PAINT:
        if name not in smoke.loaded:
            problems.append(f"the smoke line does not say whether {name} was loaded")
        elif smoke.loaded[name]:
            problems.append(f"{name} was loaded at first paint")
    return problems


def _tail(run: Run) -> str:
    text = (run.stderr.strip() or run.stdout.strip()).splitlines()
    return text[-1] if text else "(no output)"


def _time(command: list[str], env: dict[str, str]) -> Run:
    """Start ``command``; time ``Popen`` to its first line on stdout (printed at first paint)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    ms = (time.perf_counter() - started) * 1000
    try:
        rest, stderr = proc.communicate(timeout=CHILD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        rest, stderr = proc.communicate()
    return Run(ms, proc.returncode, first + rest, stderr)


def _make_product(bin_dir: Path, workdir: Path, env: dict[str, str]) -> tuple[Path, list[str]]:
    """Generate the 10k demo product once; check that it is at the current schema."""
    product = workdir / "backlog-10k.cspo"
    cspo = str(bin_dir / "cspo")
    data = ["--data-dir", str(workdir / "cli-data")]
    demo = [cspo, *data, "demo", str(product), "--items", str(DEMO_ITEMS), "--seed", str(DEMO_SEED)]
    made = subprocess.run(demo, capture_output=True, text=True, env=env, check=False)
    if made.returncode != 0:
        return product, [f"cspo demo failed: {made.stderr.strip()}"]
    checked = subprocess.run(
        [cspo, *data, "check", str(product)], capture_output=True, text=True, env=env, check=False
    )
    if checked.returncode != 0 or "(current)" not in checked.stdout:
        return product, [f"demo product is not at the current schema: {checked.stdout.strip()}"]
    return product, []


def child_env(workdir: Path) -> dict[str, str]:
    """The environment of every child, app and bare alike.

    Offscreen Qt; temporary files (the smoke run's settings folder) inside ``workdir``; and a
    bytecode cache in ``workdir`` that the warm-up runs fill, so the timed runs start warm like
    an installed app with its ``.pyc`` files, even where ``PYTHONDONTWRITEBYTECODE`` is set,
    without writing ``__pycache__`` folders into the source tree.
    """
    tmp = workdir / "tmp"
    tmp.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env |= {
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(tmp),
        "PYTHONPYCACHEPREFIX": str(workdir / "pycache"),
    }
    return env


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values):.0f}"


@benchmark("cold_start", limit=1.5, unit="ms", rounds=15, min_rounds=7)
def cold_start(ctx: Context) -> Result:
    """Cold start of the app with a 10k backlog vs a bare PySide6 window, min of N."""
    bin_dir = Path(sys.executable).parent
    app_exe = bin_dir / "cspo-desktop"
    if not app_exe.exists():
        return ctx.result(None, problems=[f"{app_exe} not found: run `make` to install the app"])
    env = child_env(ctx.workdir)
    product, problems = _make_product(bin_dir, ctx.workdir, env)
    if problems:
        return ctx.result(None, problems=problems)

    app_cmd = [str(app_exe), "--smoke", str(product), "--data-dir", str(ctx.workdir / "data")]
    bare_cmd = [sys.executable, str(BARE_WINDOW)]
    variants = {"app": app_cmd, "bare": bare_cmd}
    runs: dict[str, list[Run]] = {"app": [], "bare": []}
    for name, command in variants.items():  # untimed warm-up of each
        warm = _time(command, env)
        if warm.returncode != 0:
            return ctx.result(None, problems=[f"{name} warm-up exited {warm.returncode}"])
    for round_no in range(ctx.rounds):
        # Interleave, alternating which variant goes first, so drift hits both alike.
        order = ("app", "bare") if round_no % 2 == 0 else ("bare", "app")
        for name in order:
            runs[name].append(_time(variants[name], env))

    for run in runs["bare"]:
        if run.returncode != 0 or "bare ok" not in run.stdout:
            problems.append(f"bare window exited {run.returncode}: {_tail(run)}")
            break
    for run in runs["app"]:
        problems.extend(p for p in smoke_problems(run) if p not in problems)
    if len(problems) > MAX_PROBLEMS:
        problems[MAX_PROBLEMS:] = [f"and {len(problems) - MAX_PROBLEMS} more problems"]

    app_ms = [r.ms for r in runs["app"]]
    bare_ms = [r.ms for r in runs["bare"]]
    smokes = [s for s in (parse_smoke(r.stdout) for r in runs["app"]) if s is not None]
    note = (
        f"min of {ctx.rounds} interleaved rounds, Popen to first paint, warm bytecode cache; "
        f"median app {_ms(app_ms)} ms / bare {_ms(bare_ms)} ms "
        f"= {statistics.median(app_ms) / statistics.median(bare_ms):.2f}x"
    )
    if smokes:
        paint = [s.first_paint_ms for s in smokes]
        loaded = ", ".join(
            f"{name} {'loaded' if state else 'not loaded'}"
            for name, state in smokes[-1].loaded.items()
        )
        note += (
            f"; app's own first paint: min {min(paint):.0f} / median {_ms(paint)} ms, "
            f"at first paint: {loaded}"
        )
    return ctx.result(min(app_ms), min(bare_ms), note, problems)
