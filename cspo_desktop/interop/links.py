"""What every reader does with a tracker's parent links once all rows are read.

Shared by the Jira readers and the Azure DevOps / Taiga readers: cutting links that go round
in a circle, the warnings about parents a file names but does not hold, the note that lists
the team's tasks folded into their parent, and the short lists those messages use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def listing(names: Iterable[object], most: int = 10) -> str:
    """Names joined by commas, the first ``most`` of them, then how many more there are."""
    every = [str(name) for name in names]
    shown = ", ".join(every[:most])
    return shown + (f" and {len(every) - most} more" if len(every) > most else "")


def cut_circles(parents: dict[str, str | None]) -> list[str]:
    """Drop the parent link that closes each circle (A under B under A); the keys cut.

    Linear: every key is walked once, and a walk stops at a key already settled.
    """
    done: set[str] = set()
    cut = []
    for start, parent in parents.items():
        if parent is None or start in done:
            continue
        path: dict[str, None] = {}
        node: str | None = start
        while node is not None and node not in done and node not in path:
            path[node] = None
            node = parents.get(node)
        if node is not None and node in path:
            last = next(reversed(path))
            parents[last] = None
            cut.append(last)
        done.update(path)
    return cut


def circle_warnings(cut: Sequence[str]) -> list[str]:
    """The warning about links :func:`cut_circles` dropped (none when it dropped none)."""
    if not cut:
        return []
    return [f"Parent links that went round in a circle were dropped at: {listing(cut)}."]


def absent_parents(refs: dict[str, str]) -> list[str]:
    """The warning about parents named but not in the file (none when there are none)."""
    if not refs:
        return []
    many = len(refs) > 1
    return [
        f"{len(refs)} {'items name' if many else 'item names'} a parent that is not in this "
        "file; a re-import keeps the parent the item already has, or finds it among items "
        f"imported before: {listing(f'{key} (parent {ref})' for key, ref in refs.items())}."
    ]


def with_folded(description: str, heading: str, titles: Sequence[str]) -> str:
    """``description`` with a note listing the tasks folded into the item (if any)."""
    if not titles:
        return description
    note = f"{heading} ({len(titles)}):\n" + "\n".join(f"- {title}" for title in titles)
    return f"{description}\n\n{note}" if description else note
