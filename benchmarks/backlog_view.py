"""Backlog view benchmarks (issue 4 "Performance"; anchors §2 and §7.1, goals P4-P7, P10).

All of them run in this process, on one offscreen ``QApplication``, against demo products made
once per run by :func:`cspo_desktop.demo.generate_demo` (10,000 and 100,000 items, seed 7) in a
folder shared by the benchmarks of this module and removed at exit. Every goal is a ratio
against a baseline measured in the same run: the two are measured in interleaved rounds (the
order inside a round alternates) and compared by their medians.

The views are the real ones: the product is opened through
:class:`cspo_desktop.ui.main_window.MainWindow` as the GUI tests do, and the Backlog page's own
``BacklogModel``, ``QTableView`` and undo stack are measured. ``first_paint`` builds a fresh
view per round, configured by :func:`cspo_desktop.ui.pages.backlog.configure_table` (what
``BacklogPage`` itself calls), around a ``BacklogModel`` already holding the rows.

* ``load_backlog``: the product's rows through ``ProductDocument.backlog_rows``
  (``queries.backlog_rows`` on the app's reader connection) into a ``BacklogModel``
  (``set_rows``) vs a raw ``sqlite3`` ``fetchall`` of the same SQL text on the same file.
* ``backlog_memory``: ``tracemalloc`` of a loaded ``BacklogModel`` (everything it keeps) vs the
  same rows as plain tuples from ``fetchall``.
* ``first_paint``: first ``show()`` and a synchronous ``repaint()`` of a 1200x800 view on 10k
  rows vs the same view on 50 rows; the ``data()`` calls of each are counted in an untimed
  round.
* ``filter_keystroke``: one keystroke of text filter (``model.set_filter(make_predicate(...))``
  and a synchronous repaint of the viewport) vs one repaint of the same view.
* ``dnd_move`` / ``dnd_move_filtered``: one drop end to end — ``mimeData`` of a row,
  ``dropMimeData`` at another row, the page's ``MoveItems`` command on the undo stack, the
  service's write, ``beginMoveRows``, a synchronous repaint — vs one repaint of the same view;
  the second with a text filter active.
* ``first_paint_100k`` / ``filter_keystroke_100k``: the same on a 100,000-item product.
"""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from benchmarks.harness import Context, Result, benchmark

DEMO_SEED = 7
ITEMS = 10_000
ITEMS_100K = 100_000
SMALL_ROWS = 50
VIEW_SIZE = (1200, 800)
#: Keystrokes typed into the text filter, in turn (prefixes of common title words).
KEYSTROKES = ("pa", "pay", "paym", "payme", "paymen", "payment", "ca", "car", "card", "c")
#: The text filter active during ``dnd_move_filtered``.
MOVE_FILTER = "card"
MOVES_SEED = 2026
WARMUP = 3

_cache: dict[int, Path] = {}
_cache_dir: list[Path] = []


# ---------------------------------------------------------------- setup


def _qt_app() -> Any:
    """The process's QApplication, offscreen, created on first use."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    return app if app is not None else QApplication(["cspo-bench"])


def _demo(items: int) -> Path:
    """A demo product of ``items`` items, generated once per process; do not write to it."""
    if items not in _cache:
        if not _cache_dir:
            folder = Path(tempfile.mkdtemp(prefix="cspo-bench-backlog-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            _cache_dir.append(folder)
        from cspo_desktop.demo import generate_demo

        path = _cache_dir[0] / f"demo-{items}.cspo"
        generate_demo(path, items=items, seed=DEMO_SEED)
        _cache[items] = path
    return _cache[items]


def _private_copy(items: int, workdir: Path) -> Path:
    """A copy of the demo product in ``workdir`` that a benchmark may change."""
    source = _demo(items)
    target = workdir / source.name
    shutil.copyfile(source, target)
    return target


def _settle() -> None:
    app = _qt_app()
    for _ in range(3):
        app.processEvents()


@contextmanager
def _opened(path: Path, workdir: Path) -> Iterator[Any]:
    """The real main window with ``path`` open and its Backlog page shown, 1200x800."""
    _qt_app()
    from cspo_desktop.persistence.paths import app_dirs
    from cspo_desktop.ui.main_window import MainWindow
    from cspo_desktop.ui.settings import Settings

    dirs = app_dirs(workdir / "data")
    window = MainWindow(dirs, Settings(dirs.settings_file), base_point_size=10.0)
    window.interactive = False
    try:
        if not window.open_path(path):
            raise RuntimeError(f"could not open {path}")
        assert window.workspace is not None
        window.resize(*VIEW_SIZE)
        window.show()
        window.workspace.show_page("backlog")
        window.after_first_paint()  # as the app does: the rest of the backlog is read now
        _settle()
        yield window
    finally:
        window.release_quietly()
        window.close()
        window.deleteLater()
        _settle()
        gc.collect()


def _ms(seconds: float) -> float:
    return seconds * 1000


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return _ms(time.perf_counter() - started)


def _interleave(
    rounds: int, value: Callable[[int], float], baseline: Callable[[int], float]
) -> tuple[list[float], list[float]]:
    """Measure ``value`` and ``baseline`` ``rounds`` times each, alternating which goes first."""
    values: list[float] = []
    baselines: list[float] = []
    for round_no in range(rounds):
        if round_no % 2 == 0:
            values.append(value(round_no))
            baselines.append(baseline(round_no))
        else:
            baselines.append(baseline(round_no))
            values.append(value(round_no))
    return values, baselines


def _medians(
    ctx: Context, values: list[float], baselines: list[float], note: str, problems: list[str]
) -> Result:
    value, base = statistics.median(values), statistics.median(baselines)
    head = (
        f"median of {len(values)} interleaved rounds: {value:.1f} ms vs {base:.1f} ms "
        f"(min {min(values):.1f} / {min(baselines):.1f})"
    )
    return ctx.result(value, base, f"{head}; {note}" if note else head, problems)


# ---------------------------------------------------------------- loading


@benchmark("load_backlog", limit=2.0, unit="ms", rounds=15, min_rounds=5)
def load_backlog(ctx: Context) -> Result:
    """10k rows through the app's query into a BacklogModel vs raw sqlite3 fetchall."""
    from cspo_desktop.persistence.queries import BACKLOG_COLUMNS, BACKLOG_SQL
    from cspo_desktop.ui.models.backlog import BacklogModel

    path = _demo(ITEMS)
    with _opened(path, ctx.workdir) as window, closing(sqlite3.connect(path)) as raw:
        document = window.document
        model = BacklogModel()
        query_ms: list[float] = []

        def app_load(_round: int) -> float:
            started = time.perf_counter()
            rows = document.backlog_rows()
            query_ms.append(_ms(time.perf_counter() - started))
            model.set_rows(rows)
            return _ms(time.perf_counter() - started)

        def raw_load(_round: int) -> float:
            return _timed(lambda: raw.execute(BACKLOG_SQL).fetchall())

        for _ in range(WARMUP):
            app_load(0), raw_load(0)
        query_ms.clear()
        values, baselines = _interleave(ctx.rounds, app_load, raw_load)
        rows = model.all_rows()
        problems = []
        if len(rows) != ITEMS or len(rows[0]) != len(BACKLOG_COLUMNS):
            problems.append(f"loaded {len(rows)} rows of {len(rows[0])} columns")
        note = (
            f"{len(rows):,} rows x {len(BACKLOG_COLUMNS)} columns; of which the query alone "
            f"{statistics.median(query_ms):.1f} ms"
        )
        return _medians(ctx, values, baselines, note, problems)


def _retained(build: Callable[[], object]) -> tuple[int, object]:
    """Bytes still allocated after ``build()``, with what it built kept alive."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = build()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return after - before, kept


@benchmark("backlog_memory", limit=1.5, unit="MB", rounds=3, min_rounds=1)
def backlog_memory(ctx: Context) -> Result:
    """Memory (tracemalloc) of the loaded BacklogModel vs the same rows as plain tuples."""
    from cspo_desktop.domain.filters import BacklogFilter
    from cspo_desktop.persistence.queries import BACKLOG_SQL
    from cspo_desktop.ui.models.backlog import BacklogModel
    from cspo_desktop.ui.models.backlog_filter import make_predicate

    path = _demo(ITEMS)
    with _opened(path, ctx.workdir) as window, closing(sqlite3.connect(path)) as raw:
        document = window.document

        def loaded() -> object:
            model = BacklogModel()
            model.set_rows(document.backlog_rows())
            return model

        def tuples() -> object:
            return raw.execute(BACKLOG_SQL).fetchall()

        def searched() -> object:
            model = BacklogModel()
            model.set_rows(document.backlog_rows())
            model.set_filter(make_predicate(BacklogFilter(text="card"), dt.datetime.now(dt.UTC)))
            return model

        values: list[float] = []
        baselines: list[float] = []
        filtered: list[float] = []
        for _ in range(ctx.rounds):
            for build, sizes in ((loaded, values), (tuples, baselines), (searched, filtered)):
                size, kept = _retained(build)
                sizes.append(size / 1e6)
                del kept
        value, base = statistics.median(values), statistics.median(baselines)
        note = (
            f"median of {ctx.rounds}: model {value:.2f} MB vs tuples {base:.2f} MB "
            f"({ITEMS:,} rows); after a first text filter (search texts built) "
            f"{statistics.median(filtered):.2f} MB = {statistics.median(filtered) / base:.2f}x"
        )
        return ctx.result(value, base, note)


# ---------------------------------------------------------------- painting


@contextmanager
def _counting_data() -> Iterator[list[int]]:
    """Count ``BacklogModel.data`` calls (the method is wrapped on the class for the while)."""
    from cspo_desktop.ui.models.backlog import BacklogModel

    calls = [0]
    original = BacklogModel.data

    def data(self: BacklogModel, index: Any, role: int = 0) -> Any:
        calls[0] += 1
        return original(self, index, role)

    BacklogModel.data = data  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        BacklogModel.data = original  # type: ignore[method-assign]


def _first_paint(rows: list[Any]) -> float:
    """First show of a fresh backlog view on ``rows``, painted, in ms.

    ``show()``, then the events that expose (and paint) the new window, then a synchronous
    repaint of the viewport.
    """
    from PySide6.QtWidgets import QTableView

    from cspo_desktop.domain.filters import BacklogFilter
    from cspo_desktop.ui.models.backlog import BacklogModel
    from cspo_desktop.ui.models.backlog_filter import make_predicate
    from cspo_desktop.ui.widgets.backlog_table import configure_table

    app = _qt_app()
    model = BacklogModel()
    model.set_filter(make_predicate(BacklogFilter(), dt.datetime.now(dt.UTC)))
    model.set_rows(rows)
    table = QTableView()
    table.setModel(model)
    configure_table(table)
    table.resize(*VIEW_SIZE)
    started = time.perf_counter()
    table.show()
    app.processEvents()
    table.viewport().repaint()
    elapsed = _ms(time.perf_counter() - started)
    table.hide()
    table.deleteLater()
    _settle()
    return elapsed


def _first_paint_benchmark(ctx: Context, items: int) -> Result:
    from cspo_desktop.domain.filters import BacklogFilter
    from cspo_desktop.persistence.queries import BACKLOG_SQL
    from cspo_desktop.ui.models.backlog import BacklogModel
    from cspo_desktop.ui.models.backlog_filter import make_predicate

    _qt_app()
    with closing(sqlite3.connect(_demo(items))) as raw:
        big = raw.execute(BACKLOG_SQL).fetchall()
    # The 50 rows the big view shows first (the page's default filter), so both views paint
    # the same cells.
    shown = BacklogModel()
    shown.set_filter(make_predicate(BacklogFilter(), dt.datetime.now(dt.UTC)))
    shown.set_rows(big)
    small = shown.rows()[:SMALL_ROWS]
    for _ in range(WARMUP):
        _first_paint(big), _first_paint(small)
    values, baselines = _interleave(
        ctx.rounds, lambda _r: _first_paint(big), lambda _r: _first_paint(small)
    )
    with _counting_data() as calls:
        _first_paint(big)
        big_calls = calls[0]
        _first_paint(small)
        small_calls = calls[0] - big_calls
    problems = []
    if big_calls == 0 or small_calls == 0:
        problems.append("a first paint made no data() calls: nothing was painted")
    note = (
        f"{len(shown.rows()):,} of {len(big):,} rows shown vs {len(small)}, "
        f"{VIEW_SIZE[0]}x{VIEW_SIZE[1]}; data() calls {big_calls:,} vs {small_calls:,}"
    )
    return _medians(ctx, values, baselines, note, problems)


@benchmark("first_paint", limit=1.5, unit="ms", rounds=15, min_rounds=5)
def first_paint(ctx: Context) -> Result:
    """First show + repaint of the 10k-row backlog view vs the same view with 50 rows."""
    return _first_paint_benchmark(ctx, ITEMS)


@benchmark("first_paint_100k", limit=2.0, unit="ms", rounds=9, min_rounds=3)
def first_paint_100k(ctx: Context) -> Result:
    """First show + repaint of the 100k-row backlog view vs the same view with 50 rows."""
    return _first_paint_benchmark(ctx, ITEMS_100K)


# ---------------------------------------------------------------- filtering


def _filter_benchmark(ctx: Context, items: int) -> Result:
    from cspo_desktop.domain.filters import BacklogFilter
    from cspo_desktop.ui.models.backlog_filter import make_predicate

    with _opened(_demo(items), ctx.workdir) as window:
        page = window.workspace.backlog_page
        model, viewport = page.model, page.table.viewport()
        app = _qt_app()
        shown: list[int] = []
        flushed: list[float] = []

        def keystroke(round_no: int) -> float:
            spec = BacklogFilter(text=KEYSTROKES[round_no % len(KEYSTROKES)])
            started = time.perf_counter()
            model.set_filter(make_predicate(spec, dt.datetime.now(dt.UTC)))
            viewport.repaint()
            elapsed = _ms(time.perf_counter() - started)
            shown.append(model.rowCount())
            flushed.append(_timed(app.processEvents))
            return elapsed

        def repaint(_round: int) -> float:
            elapsed = _timed(viewport.repaint)
            app.processEvents()
            return elapsed

        for round_no in range(WARMUP):
            keystroke(round_no), repaint(round_no)
        shown.clear()
        flushed.clear()
        values, baselines = _interleave(ctx.rounds, keystroke, repaint)
        with _counting_data() as calls:
            keystroke(0)
            keystroke_calls = calls[0]
            repaint(0)
            repaint_calls = calls[0] - keystroke_calls
        problems = []
        if len(model.all_rows()) != items:
            problems.append(f"the page holds {len(model.all_rows()):,} rows, not {items:,}")
        if min(shown) == 0 or max(shown) >= len(model.all_rows()):
            problems.append(f"the keystrokes showed {min(shown)}-{max(shown)} rows")
        note = (
            f"{items:,} items, keystrokes {'/'.join(KEYSTROKES)} showing {min(shown):,}-"
            f"{max(shown):,} rows; events flushed after a keystroke (untimed) "
            f"{statistics.median(flushed[:-1]):.1f} ms; data() calls incl. the flush "
            f"{keystroke_calls:,} vs {repaint_calls:,}"
        )
        return _medians(ctx, values, baselines, note, problems)


@benchmark("filter_keystroke", limit=6.0, unit="ms", rounds=20, min_rounds=5)
def filter_keystroke(ctx: Context) -> Result:
    """One text-filter keystroke on 10k items, repainted, vs one repaint."""
    return _filter_benchmark(ctx, ITEMS)


@benchmark("filter_keystroke_100k", limit=10.0, unit="ms", rounds=10, min_rounds=3)
def filter_keystroke_100k(ctx: Context) -> Result:
    """One text-filter keystroke on 100k items, repainted, vs one repaint."""
    return _filter_benchmark(ctx, ITEMS_100K)


# ---------------------------------------------------------------- drag and drop


def _dnd_benchmark(ctx: Context, text: str) -> Result:
    from PySide6.QtCore import QModelIndex, Qt

    from cspo_desktop.domain.filters import BacklogFilter

    path = _private_copy(ITEMS, ctx.workdir)
    with _opened(path, ctx.workdir) as window:
        page = window.workspace.backlog_page
        if text:
            page.set_filter(BacklogFilter(text=text))
            _settle()
        model, viewport = page.model, page.table.viewport()
        stack = window.document.undo_stack
        app = _qt_app()
        rng = random.Random(MOVES_SEED)
        shown = model.rowCount()
        problems: list[str] = []
        done = [0]

        def move(_round: int) -> float:
            while True:
                source, target = rng.randrange(shown), rng.randrange(shown + 1)
                if target not in (source, source + 1):
                    break
            item = model.id_at(source)
            data = model.mimeData([model.index(source, 0)])
            started = time.perf_counter()
            model.dropMimeData(data, Qt.DropAction.MoveAction, target, 0, QModelIndex())
            viewport.repaint()
            elapsed = _ms(time.perf_counter() - started)
            app.processEvents()
            where = model.row_of(item)
            expected = target if target < source else target - 1
            if where != expected and len(problems) < 3:
                problems.append(f"item {item} dropped at row {target} is on row {where}")
            done[0] += 1
            return elapsed

        def repaint(_round: int) -> float:
            elapsed = _timed(viewport.repaint)
            app.processEvents()
            return elapsed

        for round_no in range(WARMUP):
            move(round_no), repaint(round_no)
        values, baselines = _interleave(ctx.rounds, move, repaint)
        document = window.document
        assert document is not None
        ids = [int(row[0]) for row in document.backlog_rows()]
        order = {item: n for n, item in enumerate(ids)}
        shown_ids = model.ids()
        if [i for i in ids if i in set(shown_ids)] != sorted(shown_ids, key=order.__getitem__):
            problems.append("after the moves the view's order is not the file's order")
        if model.rowCount() != shown:
            problems.append(f"{shown} rows shown before the moves, {model.rowCount()} after")
        note = (
            f"{done[0]} drops among {shown:,} shown rows of {ITEMS:,}, "
            f"{stack.count()} commands on the undo stack"
        )
        if text:
            note += f", text filter {text!r}"
        return _medians(ctx, values, baselines, note, problems)


@benchmark("dnd_move", limit=3.0, unit="ms", rounds=30, min_rounds=5)
def dnd_move(ctx: Context) -> Result:
    """One drop end to end (command, write, beginMoveRows, repaint) vs one repaint, 10k rows."""
    return _dnd_benchmark(ctx, "")


@benchmark("dnd_move_filtered", limit=3.0, unit="ms", rounds=30, min_rounds=5)
def dnd_move_filtered(ctx: Context) -> Result:
    """The same drop with a text filter active."""
    return _dnd_benchmark(ctx, MOVE_FILTER)
