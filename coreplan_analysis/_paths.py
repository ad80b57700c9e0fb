"""Where data lives: the one place that knows paths.

The bundled data (the Core plans, profiles, reference YAML, crosswalks, annotations) sits in
``data/`` beside the package in a source checkout and inside the package in a wheel. A user's
workspace (``coreplan init DIR``; selected with ``--data DIR`` or ``COREPLAN_DATA``) overlays it:
a file of the same relative path in the workspace wins.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = ["bundled_data_dir", "Workspace", "DATA_ENV"]

#: Environment variable naming a workspace folder.
DATA_ENV = "COREPLAN_DATA"


def bundled_data_dir() -> Path:
    """The folder of the bundled data (wheel or source checkout).

    >>> (bundled_data_dir() / "plans.yaml").is_file()
    True
    """
    inside = Path(str(resources.files("coreplan_analysis"))) / "data"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parent.parent / "data"


class Workspace:
    """A stack of data folders: the user's workspace first (if any), the bundled data last.

    Parameters
    ----------
    data : str or os.PathLike, optional
        A workspace folder. ``None`` reads ``$COREPLAN_DATA``; with neither, only bundled data.

    Examples
    --------
    >>> ws = Workspace()
    >>> ws.find("plans.yaml").name
    'plans.yaml'
    >>> [p.name for p in ws.glob("raw", "*.txt")]
    ['core-strategic-action-plan-2021-2022.txt', 'core-strategic-plan-2022-2025.txt']
    """

    def __init__(self, data=None):
        if data is None:
            data = os.environ.get(DATA_ENV) or None
        self.user = Path(data) if data is not None else None
        self.bundled = bundled_data_dir()

    @property
    def roots(self) -> list[Path]:
        """Folders searched, the first winning."""
        return [r for r in (self.user, self.bundled) if r is not None]

    def find(self, relpath: str) -> Path | None:
        """The winning file for *relpath*, or ``None`` when no folder has it."""
        for root in self.roots:
            p = root / relpath
            if p.exists():
                return p
        return None

    def glob(self, subdir: str, pattern: str = "*") -> list[Path]:
        """Files matching *pattern* in *subdir* of every root, by name, the first root winning."""
        seen: dict[str, Path] = {}
        for root in self.roots:
            d = root / subdir
            if d.is_dir():
                for p in sorted(d.glob(pattern)):
                    if p.is_file():
                        seen.setdefault(p.name, p)
        return [seen[k] for k in sorted(seen)]

    def __repr__(self) -> str:
        return f"Workspace(user={str(self.user) if self.user else None!r})"
