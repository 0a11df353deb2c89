"""``cspo``: the headless commands, for scripts and for working without a screen.

Exit status 0 on success and 1 on any user error, with a one-line message on stderr; bad input
never produces a traceback. ``check``, ``backup`` and ``backlog`` only read: they take no product
lock, so they work while the app has the product open (only ``backlog`` on a file from an older
version opens it like the app, which upgrades it under the lock); so does ``export archive``.
``demo`` writes under the lock of the file it replaces; ``import archive`` creates a new file
under its lock.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from cspo_desktop import __version__
from cspo_desktop.cli.interop import add_commands
from cspo_desktop.domain.errors import CspoError
from cspo_desktop.domain.estimation import format_points
from cspo_desktop.persistence import queries, revisions
from cspo_desktop.persistence.backups import vacuum_into
from cspo_desktop.persistence.paths import PRODUCT_SUFFIX, app_dirs, private_dir
from cspo_desktop.persistence.preflight import inspect_product
from cspo_desktop.persistence.product_file import open_product
from cspo_desktop.persistence.sqlite import connect_readonly


class UserError(CspoError):
    """A mistake in the command line itself."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UserError(f"{message} (see '{self.prog} --help')")


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"'{value}' must not be negative")
    return number


def cmd_demo(args: argparse.Namespace) -> int:
    """Generate the demo product into a new file."""
    from cspo_desktop.demo import generate_demo

    out = Path(args.out)
    if out.suffix != PRODUCT_SUFFIX:  # the file is created with the suffix; check that one
        out = out.with_name(out.name + PRODUCT_SUFFIX)
    if out.exists() and out.stat().st_size > 0 and not args.force:
        raise UserError(f"{out} already exists; pass --force to replace it")
    summary = generate_demo(out, items=args.items, seed=args.seed)
    _say(f"Created {out}: {summary}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Inspect a product file without changing it."""
    path = Path(args.file)
    state = inspect_product(path)
    conn = connect_readonly(path)
    try:
        count = queries.item_count(conn)
    finally:
        conn.close()
    schema = (
        "current"
        if not state.needs_migration
        else f"older; opening upgrades it to {revisions.HEAD}"
    )
    _say(f"ok: {path} — schema {state.revision} ({schema}), {count} items, quick check ok")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a consistent copy of a product file."""
    source, target = Path(args.file), Path(args.output)
    inspect_product(source)
    if target.exists():
        raise UserError(f"{target} already exists; choose a new name for the backup")
    private_dir(target.parent)
    vacuum_into(source, target)
    _say(f"Backed up {source} to {target}")
    return 0


def cmd_backlog(args: argparse.Namespace) -> int:
    """Print every item of a product in rank order.

    A file at the current schema is read on a read-only connection, without the product lock,
    so this works while the app has the product open and never writes. Only a file from an
    older version is opened the way the app opens it (lock, backup, upgrade).
    """
    path = Path(args.file)
    if inspect_product(path).needs_migration:
        opened = open_product(path, backups_root=app_dirs(args.data_dir).backups)
        try:
            items = queries.backlog_json(opened.reader)
        finally:
            opened.close()
    else:
        conn = connect_readonly(path)
        try:
            items = queries.backlog_json(conn)
        finally:
            conn.close()
    if args.json:
        json.dump(items, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    for item in items:
        _say(
            f"{item['position']:>6}  {item['key']:<12} {item['type']:<6} "
            f"{format_points(item['points']):>4}  {item['status']:<11} {item['title']}"
        )
    return 0


DATA_DIR_HELP = "folder for backups and app data (default: the user data folder)"


def build_parser() -> argparse.ArgumentParser:
    """The ``cspo`` command line."""
    parser = _Parser(prog="cspo", description="CSPO Desktop's headless commands.")
    parser.add_argument("--version", action="version", version=f"cspo {__version__}")
    parser.add_argument("--data-dir", help=DATA_DIR_HELP)
    # Also accepted after the command; SUPPRESS keeps a value given before it.
    common = _Parser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help=DATA_DIR_HELP)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="create the demo product (a mobile banking app)",
        description="Create the demo product; OUT is replaced in one step, under its lock.",
    )
    demo.add_argument("out", metavar="OUT.cspo")
    demo.add_argument(
        "--items", type=_positive, default=150, help="number of items, epics included (150)"
    )
    demo.add_argument("--seed", type=_positive, default=7, help="random seed (7)")
    demo.add_argument("--force", action="store_true", help="replace OUT if it exists")
    demo.set_defaults(func=cmd_demo)

    check = sub.add_parser(
        "check",
        parents=[common],
        help="check that a product file is intact (changes nothing)",
        description="Inspect a product file read-only (header, schema, quick check); "
        "it takes no lock and changes nothing.",
    )
    check.add_argument("file", metavar="FILE")
    check.set_defaults(func=cmd_check)

    backup = sub.add_parser(
        "backup",
        parents=[common],
        help="write a consistent copy of a product file",
        description="Write a consistent copy made by SQLite itself; it takes no lock.",
    )
    backup.add_argument("file", metavar="FILE")
    backup.add_argument("-o", "--output", required=True, metavar="OUT")
    backup.set_defaults(func=cmd_backup)

    backlog = sub.add_parser(
        "backlog",
        parents=[common],
        help="list every item in rank order",
        description="List every item in rank order. A file at the current schema is read "
        "without locking and nothing is written; a file from an older version is first "
        "backed up and upgraded like the app does, which needs the product lock (refused "
        "while the app has it open).",
    )
    backlog.add_argument("file", metavar="FILE")
    backlog.add_argument("--json", action="store_true", help="print a JSON array")
    backlog.set_defaults(func=cmd_backlog)

    add_commands(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``cspo`` command and return its exit status."""
    try:
        args = build_parser().parse_args(argv)
        func: Callable[[argparse.Namespace], int] = args.func
        status = func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except BrokenPipeError:
        return _reader_went_away()
    except CspoError as exc:
        sys.stderr.write(f"cspo: {exc}\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"cspo: {exc.strerror or exc}: {exc.filename or ''}\n".rstrip() + "\n")
        return 1
    except sqlite3.Error as exc:
        sys.stderr.write(f"cspo: the product file could not be read ({exc})\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("cspo: interrupted\n")
        return 130
    return status


def _reader_went_away() -> int:
    """Stop quietly when the reader of stdout is gone (``cspo backlog FILE | head -1``).

    As the Python documentation recommends for SIGPIPE: point stdout at the null device, so
    that flushing it again at exit raises nothing, and leave without a message.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError):  # stdout has no file descriptor (captured in-process)
        pass
    return 0
