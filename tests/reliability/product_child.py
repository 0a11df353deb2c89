"""A second process that opens a product the way the app does, for the reliability tests.

Run as ``python product_child.py MODE PRODUCT BACKUPS [START]``:

``hold``
    open the product (lock taken), write ``ready`` to stdout, then hold it until stdin closes.
``write``
    open the product and add items ``t-START``, ``t-START+1``… through the real service layer,
    each with three acceptance criteria, writing ``<n>`` to stdout only after ``add_item``
    returned (the commit is acknowledged), until killed.

Only acknowledgements go to stdout; errors go to stderr with a non-zero exit status.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cspo_desktop.persistence.database import Database
from cspo_desktop.persistence.product_file import open_product
from cspo_desktop.services.items import NewItem, add_item

#: A writer stops by itself after this many items, should its parent never kill it.
MAX_ITEMS = 5000
CRITERIA_PER_ITEM = 3


def criteria_for(title: str) -> tuple[str, ...]:
    """The acceptance criteria the writer gives the item called ``title``."""
    return tuple(f"{title} / criterion {k}" for k in range(1, CRITERIA_PER_ITEM + 1))


def hold(product: Path, backups: Path) -> int:
    opened = open_product(product, backups_root=backups)
    try:
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        sys.stdin.read()
    finally:
        opened.close()
    return 0


def write(product: Path, backups: Path, start: int) -> int:
    opened = open_product(product, backups_root=backups)
    db = Database(opened.path)
    try:
        for n in range(start, start + MAX_ITEMS):
            title = f"t-{n}"
            add_item(db, NewItem(title=title, criteria=criteria_for(title)))
            sys.stdout.write(f"{n}\n")
            sys.stdout.flush()
    finally:
        db.close()
        opened.close()
    return 0


def main(argv: list[str]) -> int:
    mode, product, backups = argv[0], Path(argv[1]), Path(argv[2])
    if mode == "hold":
        return hold(product, backups)
    if mode == "write":
        return write(product, backups, int(argv[3]))
    sys.stderr.write(f"unknown mode {mode!r}\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
