"""A small benchmark harness: a registry, a runner, a table and ``results.json``.

A benchmark is one decorated function in a module of this package::

    from benchmarks.harness import Context, Result, benchmark


    @benchmark("reorder_rows", limit=3.0, unit="ms")
    def reorder_rows(ctx: Context) -> Result:
        ...  # measure ``ctx.rounds`` interleaved rounds in ``ctx.workdir``
        return ctx.result(value=measured, baseline=raw, note="median 1.2 / 0.5 ms")

Every goal is a ratio against a baseline measured in the same run: ``ratio = value / baseline``
and the benchmark passes when ``ratio <= limit``. A benchmark without a baseline (a counter, say)
passes when ``value <= limit``. Problems found while measuring (a child that crashed, a module
loaded too early) make it fail whatever the numbers say.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import pkgutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Where the runner writes its results unless told otherwise.
RESULTS_PATH = Path(__file__).with_name("results.json")

#: Exit statuses of :func:`main`.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

JSON_KEYS = ("name", "value", "baseline", "ratio", "limit", "pass", "unit", "note")


@dataclass(frozen=True)
class Result:
    """What one benchmark measured, and whether that meets its limit.

    Attributes:
        name: the benchmark's name.
        value: the measured value (``None`` when the benchmark could not measure).
        baseline: the baseline measured in the same run, if the goal is a ratio.
        ratio: ``value / baseline``, or ``None`` without a baseline.
        limit: the largest acceptable ratio (or value, without a baseline).
        passed: whether the limit is met and nothing went wrong (``"pass"`` in JSON).
        unit: the unit of ``value`` and ``baseline``.
        note: details for a human: medians, counters, what failed.
    """

    name: str
    value: float | None
    baseline: float | None
    ratio: float | None
    limit: float
    passed: bool
    unit: str
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """This result as one entry of ``results.json``."""
        return {
            "name": self.name,
            "value": _finite(self.value),
            "baseline": _finite(self.baseline),
            "ratio": _finite(self.ratio),
            "limit": self.limit,
            "pass": self.passed,
            "unit": self.unit,
            "note": self.note,
        }


def _finite(number: float | None) -> float | None:
    # JSON has no NaN or infinity: an unmeasurable number is null. Four decimals are plenty.
    if number is None or not math.isfinite(number):
        return None
    return round(number, 4)


@dataclass(frozen=True)
class Context:
    """What the runner gives a benchmark.

    Attributes:
        name: the benchmark's registered name.
        limit: its limit.
        unit: its unit.
        rounds: how many rounds to measure (``--rounds``, or the benchmark's default).
        workdir: a private temporary folder, deleted after the benchmark returns.
    """

    name: str
    limit: float
    unit: str
    rounds: int
    workdir: Path

    def result(
        self,
        value: float | None,
        baseline: float | None = None,
        note: str = "",
        problems: Sequence[str] = (),
    ) -> Result:
        """Build this benchmark's result; any of ``problems`` makes it fail.

        Args:
            value: the measured value, in ``unit``.
            baseline: the baseline from the same run, in ``unit``; ``None`` compares ``value``
                itself with the limit.
            note: details for a human.
            problems: what went wrong while measuring; each is added to the note.
        """
        ratio = None
        if value is not None and baseline is not None and baseline > 0:
            ratio = value / baseline
        judged = ratio if baseline is not None else value
        passed = judged is not None and math.isfinite(judged) and judged <= self.limit
        notes = [*(f"FAIL: {problem}" for problem in problems), *([note] if note else [])]
        return Result(
            name=self.name,
            value=value,
            baseline=baseline,
            ratio=ratio,
            limit=self.limit,
            passed=passed and not problems,
            unit=self.unit,
            note="; ".join(notes),
        )


BenchmarkFunction = Callable[[Context], Result]


@dataclass(frozen=True)
class Benchmark:
    """A registered benchmark.

    Attributes:
        name: its name on the command line and in ``results.json``.
        func: the function that measures it.
        limit: the largest acceptable ratio (or value, without a baseline).
        unit: the unit of the measured values.
        rounds: the default number of rounds.
        min_rounds: ``--rounds`` below this is refused (too few to trust).
    """

    name: str
    func: BenchmarkFunction
    limit: float
    unit: str
    rounds: int
    min_rounds: int


@dataclass
class Registry:
    """Benchmarks by name, in the order they were registered."""

    benchmarks: dict[str, Benchmark] = field(default_factory=dict)

    def benchmark(
        self, name: str, *, limit: float, unit: str, rounds: int = 9, min_rounds: int = 1
    ) -> Callable[[BenchmarkFunction], BenchmarkFunction]:
        """Register the decorated function as the benchmark ``name``.

        Args:
            name: the benchmark's name (unique).
            limit: the largest acceptable ratio (or value, without a baseline).
            unit: the unit of the measured values, e.g. ``"ms"``.
            rounds: the default number of rounds.
            min_rounds: the fewest rounds ``--rounds`` may ask for.
        """
        if not 1 <= min_rounds <= rounds:
            raise ValueError(f"{name}: need 1 <= min_rounds <= rounds")

        def register(func: BenchmarkFunction) -> BenchmarkFunction:
            if name in self.benchmarks:
                raise ValueError(f"benchmark {name!r} is registered twice")
            self.benchmarks[name] = Benchmark(name, func, limit, unit, rounds, min_rounds)
            return func

        return register

    def __iter__(self) -> Iterator[Benchmark]:
        return iter(self.benchmarks.values())

    def __contains__(self, name: object) -> bool:
        return name in self.benchmarks

    def __getitem__(self, name: str) -> Benchmark:
        return self.benchmarks[name]


#: The registry the benchmark modules of this package register into.
REGISTRY = Registry()
benchmark = REGISTRY.benchmark


def discover(package: str = "benchmarks") -> None:
    """Import every benchmark module of ``package``, which registers its benchmarks.

    Modules whose names start with ``_`` and those listed in the package's ``NOT_BENCHMARKS``
    are skipped.
    """
    pkg = importlib.import_module(package)
    skipped: Iterable[str] = getattr(pkg, "NOT_BENCHMARKS", ())
    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("_") and info.name not in skipped:
            importlib.import_module(f"{package}.{info.name}")


def run_one(bench: Benchmark, rounds: int | None = None) -> Result:
    """Run one benchmark in a fresh temporary folder; an exception is a failed result."""
    with tempfile.TemporaryDirectory(prefix=f"cspo-bench-{bench.name}-") as workdir:
        ctx = Context(bench.name, bench.limit, bench.unit, rounds or bench.rounds, Path(workdir))
        try:
            result = bench.func(ctx)
        except Exception as exc:  # noqa: BLE001 - a crashing benchmark is a failed benchmark
            traceback.print_exc(file=sys.stderr)
            return ctx.result(None, problems=[f"raised {type(exc).__name__}: {exc}"])
    if result.name != bench.name:
        raise ValueError(f"benchmark {bench.name!r} returned a result named {result.name!r}")
    return result


# ---------------------------------------------------------------- output


def _number(number: float | None, unit: str = "") -> str:
    if number is None or not math.isfinite(number):
        return "-"
    text = f"{number:,.0f}" if abs(number) >= 100 else f"{number:.3g}"
    return f"{text} {unit}".rstrip()


def verdict(result: Result) -> str:
    """``PASS`` or ``FAIL``."""
    return "PASS" if result.passed else "FAIL"


def format_table(results: Sequence[Result]) -> str:
    """The results as a plain-text table, followed by each benchmark's note."""
    header = ("name", "measured", "baseline", "ratio", "limit", "verdict")
    rows = [
        (
            r.name,
            _number(r.value, r.unit),
            _number(r.baseline, r.unit),
            f"{r.ratio:.2f}x" if r.ratio is not None else "-",
            f"<= {r.limit:g}x" if r.baseline is not None else f"<= {r.limit:g} {r.unit}",
            verdict(r),
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    # Names left, numbers right, verdict left.
    align = ("<", ">", ">", ">", ">", "<")

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            f"{cell:{a}{w}}" for cell, a, w in zip(cells, align, widths, strict=True)
        ).rstrip()

    lines = [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]
    notes = [f"{r.name}: {r.note}" for r in results if r.note]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def load_results(path: Path) -> list[dict[str, Any]]:
    """The entries of an existing ``results.json``; none if it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"benchmarks: ignoring unreadable {path}: {exc}\n")
        return []
    entries = data.get("benchmarks") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        sys.stderr.write(f"benchmarks: ignoring {path}: no 'benchmarks' list\n")
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("name"), str)]


def merge_results(
    existing: Sequence[Mapping[str, Any]], results: Sequence[Result]
) -> list[dict[str, Any]]:
    """Replace the entries of the benchmarks just run, keep the others, append new ones."""
    fresh = {r.name: r.to_json() for r in results}
    merged = [fresh.pop(e["name"], dict(e)) for e in existing]
    return merged + list(fresh.values())


def write_results(path: Path, results: Sequence[Result]) -> None:
    """Merge ``results`` into the file at ``path``, atomically."""
    entries = merge_results(load_results(path), results)
    text = json.dumps({"benchmarks": entries}, indent=2, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


# ---------------------------------------------------------------- command line


def build_parser(registry: Registry) -> argparse.ArgumentParser:
    """The ``python -m benchmarks`` command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run CSPO Desktop's benchmarks, print a table and update results.json. "
        "Exit status 1 when a benchmark fails its limit.",
    )
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"benchmarks to run (default: all): {', '.join(b.name for b in registry) or '-'}",
    )
    parser.add_argument(
        "--rounds", type=int, metavar="N", help="rounds per benchmark (default: its own)"
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS_PATH,
        metavar="PATH",
        help="JSON file to merge the results into (default: benchmarks/results.json)",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    return parser


def main(argv: Sequence[str] | None = None, registry: Registry | None = None) -> int:
    """Run the selected benchmarks; return the exit status.

    Args:
        argv: the command line without the program name (default: ``sys.argv[1:]``).
        registry: the benchmarks to choose from (default: this package's, discovered).
    """
    if registry is None:
        discover()
        registry = REGISTRY
    parser = build_parser(registry)
    args = parser.parse_args(argv)
    if args.list:
        for bench in registry:
            print(f"{bench.name}  (limit {bench.limit:g}, {bench.rounds} rounds)")
        return EXIT_OK
    unknown = [name for name in args.names if name not in registry]
    if unknown:
        known = ", ".join(b.name for b in registry) or "none"
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"benchmarks: unknown benchmark {', '.join(unknown)} (known: {known})\n")
        return EXIT_USAGE
    selected = [registry[n] for n in dict.fromkeys(args.names)] or list(registry)
    if args.rounds is not None:
        too_few = [b for b in selected if args.rounds < b.min_rounds]
        if too_few:
            parser.print_usage(sys.stderr)
            sys.stderr.write(
                "benchmarks: --rounds "
                f"{args.rounds} is too few for "
                + ", ".join(f"{b.name} (at least {b.min_rounds})" for b in too_few)
                + "\n"
            )
            return EXIT_USAGE

    results = []
    for bench in selected:
        rounds = args.rounds or bench.rounds
        print(f"running {bench.name} ({rounds} rounds) ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        results.append(run_one(bench, args.rounds))
        print(
            f"  {bench.name} took {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
            flush=True,
        )
    print(format_table(results))
    write_results(args.results, results)
    print(f"\nwrote {args.results}")
    return EXIT_OK if all(r.passed for r in results) else EXIT_FAILED
