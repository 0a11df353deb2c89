"""Where a moved block of items lands (apart from the key arithmetic, which views need not load)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a moved block lands: right after ``after`` or right before ``before`` (an item id).

    Both ``None`` means the end of the list.
    """

    after: int | None = None
    before: int | None = None

    def __post_init__(self) -> None:
        if self.after is not None and self.before is not None:
            msg = "A move lands either after one item or before another, not both."
            raise ValueError(msg)
