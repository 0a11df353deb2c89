"""Put a backup back in place of a product file, keeping what it replaces.

The product must be closed by this process. The current file is backed up first (as
``pre-restore``; a file too damaged for that is kept byte for byte beside the backups), the
backup is copied with ``VACUUM INTO`` to a temporary file beside the product, and that file
replaces the product in one atomic rename, under the product lock.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from cspo_desktop.domain.errors import FileRefused
from cspo_desktop.persistence.atomic import copy_product
from cspo_desktop.persistence.backups import BackupKind, folder_for, make_backup
from cspo_desktop.persistence.lock import ProductLock
from cspo_desktop.persistence.paths import make_private, private_dir
from cspo_desktop.persistence.preflight import inspect_product
from cspo_desktop.persistence.sqlite import connect


def restore_backup(backup: Path, product: Path, backups_root: Path) -> Path | None:
    """Replace ``product`` with ``backup``; return where the replaced content was kept.

    Raises:
        FileRefused: the backup is not an intact product, or the product is open elsewhere.
        CspoError: the copy failed; the product was left as it was (a copy is kept too).
    """
    inspect_product(backup)
    with ProductLock(product):
        kept = _keep_current(product, backups_root)
        copy_product(backup, product, lock=False)  # the lock is held above
        make_private(product)
    return kept


def _keep_current(product: Path, backups_root: Path) -> Path | None:
    if not product.exists():
        return None
    try:
        inspect_product(product)
    except FileRefused:
        return _keep_damaged(product, backups_root)
    # A clean open and close checkpoints any WAL content into the file before it is copied.
    connect(product).close()
    return make_backup(product, backups_root, BackupKind.RESTORE)


def _keep_damaged(product: Path, backups_root: Path) -> Path:
    folder = private_dir(folder_for(product, backups_root))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    kept = folder / f"damaged-{stamp}-{product.name}"
    shutil.copyfile(product, kept)
    make_private(kept)
    for suffix in ("-wal", "-shm"):
        side = Path(str(product) + suffix)
        if side.exists():
            shutil.move(side, Path(str(kept) + suffix))
    return kept
