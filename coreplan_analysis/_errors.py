"""Exceptions raised by coreplan_analysis.

Library code raises one :class:`CoreplanError` subclass per kind of failure, carrying the file and
line it concerns; only the command line turns them into messages and exit codes.
"""

from __future__ import annotations

__all__ = [
    "CoreplanError",
    "InputError",
    "DataError",
    "ProfileError",
    "CatalogError",
]


class CoreplanError(Exception):
    """Base class of every error the toolkit raises on purpose.

    Parameters
    ----------
    message : str
        What went wrong, in words a planner understands.
    path : str or os.PathLike, optional
        The file concerned.
    line : int, optional
        The 1-based line in that file.

    Examples
    --------
    >>> err = CoreplanError("not a plan", path="plans/x.txt", line=3)
    >>> str(err)
    'plans/x.txt:3: not a plan'
    """

    def __init__(self, message: str, *, path=None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        return where + self.message


class InputError(CoreplanError):
    """A plan file cannot be read: missing, a directory, binary, unreadable."""


class DataError(CoreplanError):
    """A YAML data file (reference, crosswalk, annotation) is malformed or unsafe."""


class ProfileError(DataError):
    """A plan profile is malformed."""


class CatalogError(DataError):
    """The catalog is malformed, or a raw file no longer matches its recorded sha256."""
