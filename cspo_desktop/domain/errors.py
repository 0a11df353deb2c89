"""Errors a Product Owner can read: every message says what happened and what to do next."""

from __future__ import annotations

import enum


class CspoError(Exception):
    """Base class of every error whose message is meant for the user."""


class NotFound(CspoError):  # noqa: N818 - the names read as sentences in the services
    """Something the action refers to does not exist (any more)."""


class Conflict(CspoError):  # noqa: N818
    """The action clashes with the current state (edited elsewhere, already exists)."""


class InvalidInput(CspoError):  # noqa: N818
    """A value the user gave cannot be used; the message says which and why."""


class Refusal(enum.Enum):
    """Why a product file was not opened."""

    MISSING = "missing"
    EMPTY = "empty"
    NOT_SQLITE = "not-sqlite"
    NOT_OURS = "not-ours"
    TOO_NEW = "too-new"
    DAMAGED = "damaged"
    LOCKED = "locked"
    UNREADABLE = "unreadable"


class FileRefused(CspoError):  # noqa: N818
    """A product file cannot be opened; its bytes were left untouched.

    Attributes:
        reason: the kind of problem, for callers that offer a follow-up (restore a backup…).
        path: the file concerned.
    """

    def __init__(self, reason: Refusal, path: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.path = path
