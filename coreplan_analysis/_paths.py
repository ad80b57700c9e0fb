"""Where data lives: the one place that knows paths.

The bundled data (the Core plans, profiles, reference YAML, crosswalks, annotations) sits in
``data/`` beside the package in a source checkout and inside the package in a wheel. A user's
workspace (``coreplan init DIR``; selected with ``--data DIR`` or ``COREPLAN_DATA``) overlays it:
a file of the same relative path in the workspace wins.

What is read from these folders (profiles, reference data) is cached per process by the modules
that read it, in a :class:`StampedCache`: an entry is reused only while every file it was read
from, and every folder listed to find those files, still has the same stamp (modification time,
size and file identity). So an edited, added or removed workspace file is read again; the one
blind spot is a rewrite to the same size within the file system's timestamp resolution
(nanoseconds on ext4, a second or two on FAT and some network shares).
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path

__all__ = ["bundled_data_dir", "Workspace", "DATA_ENV", "StampedCache", "stamp"]

#: Environment variable naming a workspace folder.
DATA_ENV = "COREPLAN_DATA"


@functools.lru_cache(maxsize=1)
def bundled_data_dir() -> Path:
    """The folder of the bundled data (wheel or source checkout).

    Computed once per process: where the package is installed does not change while it runs
    (the files inside may, and the caches that read them check their stamps; see
    :class:`StampedCache`).

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

    def cache_key(self) -> tuple[tuple[str, str], ...]:
        """The folders searched, each as given and as an absolute path: what a cache of values
        read through this workspace is keyed on (with the stamps of :meth:`watched`)."""
        return tuple((str(r), os.path.abspath(r)) for r in self.roots)

    def watched(self, files=(), folders=()) -> tuple[str, ...]:
        """The paths whose stamps tell whether what was read from *files* (relative paths looked
        up with :meth:`find`) and from the listings of *folders* (relative folders searched with
        :meth:`glob`) may have changed: each file in every root (present or not, so a file that
        appears in the workspace is noticed), each folder, and every entry of each folder (a
        file edited in place does not change its folder's stamp)."""
        out: list[str] = []
        for root in self.roots:
            root = os.path.abspath(root)
            out.extend(os.path.join(root, rel) for rel in files)
            for rel in folders:
                folder = os.path.join(root, rel)
                out.append(folder)
                try:
                    names = sorted(os.listdir(folder))
                except OSError:
                    continue
                out.extend(os.path.join(folder, name) for name in names)
        return tuple(out)


def stamp(path: str) -> tuple | None:
    """A file's (or folder's) stamp: modification time, size, inode and device, following
    symbolic links; ``None`` when it does not exist or cannot be read.

    >>> stamp(os.path.join(bundled_data_dir(), "no-such-file")) is None
    True
    """
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino, st.st_dev


class StampedCache:
    """A small per-process cache of values read from files, each entry reused only while the
    files it came from are unchanged.

    :meth:`put` takes the stamps of the paths an entry depends on, taken *before* the files
    were read (so a file changed while it was being read is read again next time); :meth:`get`
    returns the value only when every path still has the same :func:`stamp`.

    Parameters
    ----------
    maxsize : int
        Entries kept; the cache is emptied when it would grow past this (keys are a handful of
        workspaces in practice).

    Examples
    --------
    >>> cache = StampedCache()
    >>> paths = (str(bundled_data_dir() / "plans.yaml"),)
    >>> cache.put("k", paths, StampedCache.stamps(paths), 42)
    >>> cache.get("k"), cache.get("other")
    (42, None)
    """

    def __init__(self, maxsize: int = 32):
        self.maxsize = maxsize
        self._entries: dict = {}

    @staticmethod
    def stamps(paths) -> tuple:
        """The :func:`stamp` of each of *paths*."""
        return tuple(stamp(p) for p in paths)

    def get(self, key):
        """The value stored under *key* if none of its files changed since, else ``None``."""
        hit = self._entries.get(key)
        if hit is None:
            return None
        paths, stamps, value = hit
        if self.stamps(paths) != stamps:
            self._entries.pop(key, None)
            return None
        return value

    def put(self, key, paths, stamps, value) -> None:
        """Store *value* (never ``None``) under *key*, valid while *paths* keep *stamps*."""
        if len(self._entries) >= self.maxsize:
            self._entries.clear()
        self._entries[key] = (tuple(paths), tuple(stamps), value)

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()
