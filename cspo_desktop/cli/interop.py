"""``cspo import`` and ``cspo export``: trackers' files and the JSON archive, without a screen.

An import into an existing product takes the product lock (refused while the app has the
file open), makes a backup first, and writes in one transaction: a refused or interrupted
import changes nothing. Exports read without a lock and write each file aside first.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.interop.records import FIELDS, TOOLS, ParsedImport, ReadOptions
from cspo_desktop.persistence.paths import app_dirs
from cspo_desktop.services.import_plan import ImportPlan, tool_name

#: Skipped rows listed one by one before the rest are only counted.
SHOWN_ROWS = 20


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _mapping(pairs: Sequence[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        column, sep, field = pair.rpartition("=")
        if not sep or not column.strip() or not field.strip():
            msg = f"--map needs COLUMN=field, not '{pair}' (fields: {', '.join(FIELDS)})."
            raise InvalidInput(msg)
        mapping[column.strip()] = field.strip()
    return mapping


def cmd_import(args: argparse.Namespace) -> int:
    """Import a tracker's export into a product, or an archive into a new product."""
    if args.kind == "archive":
        return _import_archive(args)
    from cspo_desktop.persistence.product_file import create_product, product_target
    from cspo_desktop.services.importing import read_source

    source, target = Path(args.source), Path(args.into)
    options = ReadOptions(
        mapping=_mapping(args.map or ()),
        points_column=args.points_column,
        keep_subtasks=args.keep_subtasks,
    )
    parsed = read_source(args.kind, source, options)
    if args.create:
        target = product_target(target)
        if target.exists():
            msg = f"{target} already exists; leave out --create to import into it."
            raise InvalidInput(msg)
        create_product(target, target.stem)
    elif not target.exists():
        msg = f"{target} does not exist; add --create to make a new product from the file."
        raise InvalidInput(msg)
    try:
        plan = _import_into(args, target, parsed)
    except BaseException:
        if args.create:  # nothing of a failed import stays behind, not even the new file
            from cspo_desktop.persistence.atomic import remove_with_sidecars

            remove_with_sidecars(target)
        raise
    _report(plan, target, args)
    return 0


def _import_into(args: argparse.Namespace, target: Path, parsed: ParsedImport) -> ImportPlan:
    """Preview and write the import under the product lock, after a backup."""
    from cspo_desktop.persistence.backups import BackupKind, make_backup
    from cspo_desktop.persistence.database import Database
    from cspo_desktop.persistence.product_file import open_product
    from cspo_desktop.services.importing import apply_import, preview

    backups = app_dirs(args.data_dir).backups
    opened = open_product(target, backups_root=backups)
    db = Database(opened.path)
    try:
        plan = preview(db, parsed)
        if not args.create and (plan.creates or plan.updates):
            make_backup(opened.path, backups, BackupKind.IMPORT, label=args.kind)
        take = [u.external_key for u in plan.conflicts] if args.take_source else []
        apply_import(db, plan, segment=args.segment, take_source=take)
    finally:
        db.close()
        opened.close()
    return plan


def _report(plan: ImportPlan, target: Path, args: argparse.Namespace) -> None:
    parsed = plan.parsed
    tool = tool_name(parsed.tool)
    summary = plan.summary().replace("Will create", "Created").replace("; update", "; updated")
    _say(f"Imported {args.source} ({tool} {parsed.file_format.upper()}) into {target}.")
    _say(summary)
    for update in plan.conflicts:
        kept = "took the file's values" if args.take_source else "kept the local values"
        _say(
            f"conflict: {update.key} ({parsed.tool} {update.external_key}) changed here and in "
            f"{tool}: {', '.join(update.conflicts)}; {kept}"
        )
    folded = [row for row in parsed.skipped if row.folded]
    skipped = [row for row in parsed.skipped if not row.folded]
    if folded and not args.keep_subtasks:
        _say("note: --keep-subtasks imports the folded tasks as items of their own")
    for row in skipped[:SHOWN_ROWS]:
        _say(f"skipped row {row.row}: {row.reason}")
    if len(skipped) > SHOWN_ROWS:
        _say(f"… and {len(skipped) - SHOWN_ROWS} more skipped rows")
    for warning in plan.warnings:
        _say(f"note: {warning}")


def _import_archive(args: argparse.Namespace) -> int:
    from cspo_desktop.persistence.archive import import_archive

    source = Path(args.source)
    written, summary = import_archive(source, Path(args.into))
    _say(f"Created {written} from {source}: {_items(summary.items)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export a product to a tracker's CSV, or as a JSON archive."""
    source, target = Path(args.file), Path(args.output)
    if args.kind == "archive":
        from cspo_desktop.persistence.archive import export_archive

        summary = export_archive(source, target)
        _say(f"Wrote {target}: {_items(summary.items)}, {summary.tables} tables")
        return 0
    from cspo_desktop.services.exporting import export_tracker

    report = export_tracker(
        source,
        target,
        args.kind,
        points_column=args.points_column,
        safe_for_spreadsheets=args.safe_for_spreadsheets,
        iteration_root=args.iteration_root,
    )
    for path, rows in report.files:
        _say(f"Wrote {path}: {_items(rows)}")
    for warning in report.warnings:
        _say(f"note: {warning}")
    if report.risky_cells:
        done = "prefixed with '" if args.safe_for_spreadsheets else "kept as typed"
        _say(
            f"note: {len(report.risky_cells)} cells start like a spreadsheet formula "
            f"(=, +, -, @); {done}:"
        )
        for key, column in report.risky_cells[:SHOWN_ROWS]:
            _say(f"  {key}: {column}")
    return 0


def _items(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


def add_commands(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """Add ``import`` and ``export`` to the ``cspo`` command line."""
    export = sub.add_parser(
        "export",
        parents=[common],
        help="export a product: Jira or Azure DevOps CSV, or a JSON archive",
        description="Export a product. 'jira' and 'ado' write a CSV their importers accept "
        "(Azure DevOps: at most 1,000 rows per file, so bigger products become several "
        "files); 'archive' writes every table as one JSON archive that 'cspo import archive' "
        "turns back into the same product. The product is read without locking.",
    )
    export.add_argument("kind", choices=["jira", "ado", "archive"], help="what to write")
    export.add_argument("file", metavar="FILE.cspo")
    export.add_argument("-o", "--output", required=True, metavar="OUT")
    export.add_argument(
        "--points-column",
        default=None,
        metavar="NAME",
        help="column name for story points (default: 'Story Points')",
    )
    export.add_argument(
        "--safe-for-spreadsheets",
        action="store_true",
        help="prefix cells that start like a formula (=, +, -, @) with an apostrophe",
    )
    export.add_argument(
        "--iteration-root",
        metavar="PATH",
        help="Azure DevOps: the iteration path above the sprints (e.g. 'Fabrikam\\Release 1'); "
        "without it no Iteration Path column is written",
    )
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="import a Jira, Azure DevOps or Taiga export, or an archive",
        description="Import a tracker's export into a product: new items land at the bottom "
        "of the Inbox (or the backlog), items imported before are updated by their key, and "
        "the whole import is one transaction. 'jira' reads CSV or XML (told by content); "
        "every reader finds the encoding and the delimiter. 'archive' creates a new product "
        "from a JSON archive.",
    )
    imp.add_argument("kind", choices=[*TOOLS, "archive"], help="what to read")
    imp.add_argument("source", metavar="SRC")
    imp.add_argument("--into", required=True, metavar="FILE.cspo", help="the product file")
    imp.add_argument("--create", action="store_true", help="create FILE.cspo for the import")
    imp.add_argument(
        "--segment",
        choices=["inbox", "backlog"],
        default="inbox",
        help="where new items land (inbox)",
    )
    imp.add_argument("--points-column", metavar="NAME", help="the column holding points")
    imp.add_argument(
        "--map",
        action="append",
        metavar="COLUMN=field",
        help=f"read COLUMN as field (repeatable); fields: {', '.join(FIELDS)}",
    )
    imp.add_argument(
        "--keep-subtasks",
        action="store_true",
        help="import Jira sub-tasks as items instead of folding them into their parent",
    )
    imp.add_argument(
        "--take-source",
        action="store_true",
        help="on a conflict (changed here and in the tracker) take the tracker's values",
    )
    imp.set_defaults(func=cmd_import)
