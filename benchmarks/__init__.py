"""CSPO Desktop's benchmarks: ``make bench`` or ``python -m benchmarks [NAME ...]``.

Each goal is a ratio against a baseline measured in the same run (DESIGN.md §7). To add a
benchmark, write a module here with one function decorated by
:func:`benchmarks.harness.benchmark`; the runner imports every module of this package except
those named below (and those starting with ``_``).
"""

#: Modules of this package that hold no benchmarks (tools and child-process scripts).
NOT_BENCHMARKS = frozenset({"harness", "bare_window"})
