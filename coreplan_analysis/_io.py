"""Reading text and YAML, and writing files atomically.

Every reader here raises :class:`~coreplan_analysis._errors.CoreplanError` subclasses naming the
file (and line); nothing here prints or exits.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from ._errors import DataError, InputError

__all__ = ["decode_bytes", "read_bytes", "read_text", "yaml_lines", "nearest_line", "sha256_bytes", "load_yaml", "atomic_write", "atomic_dir"]


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of *data*.

    >>> sha256_bytes(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def decode_bytes(data: bytes, *, path=None) -> tuple[str, str | None]:
    """Decode a plan's bytes as DESIGN's bad-input table says.

    Returns ``(text, warning)``: UTF-8 (a BOM is dropped) gives no warning; other bytes without
    NUL are read as Windows-1252 with a warning; NUL bytes raise :class:`InputError`.

    >>> decode_bytes("caf\\u00e9".encode("utf-8"))
    ('café', None)
    >>> decode_bytes(b"caf\\xe9")[0]
    'café'
    >>> decode_bytes(b"\\xef\\xbb\\xbfplan")
    ('plan', None)
    """
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError("binary file (NUL byte), not a text plan", path=path, line=line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        # cp1252 leaves five bytes undefined; map them through latin-1 so nothing is lost.
        text = data.decode("cp1252", errors="strict") if _cp1252_ok(data) else data.decode("latin-1")
        return text, f"not UTF-8 (first bad byte on line {line}); read as Windows-1252"
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, None


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def read_bytes(path) -> bytes:
    """A plan file's bytes; :class:`InputError` for a missing file, a directory or an unreadable one."""
    p = Path(path)
    if p.is_dir():
        raise InputError("is a directory, not a plan file", path=path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path=path) from None


def read_text(path) -> tuple[str, bytes, str | None]:
    """Read a plan file: ``(text, raw bytes, encoding warning or None)``.

    Raises :class:`InputError` for a missing file, a directory, an unreadable or binary file.
    """
    data = read_bytes(path)
    text, warning = decode_bytes(data, path=path)
    return text, data, warning


def load_yaml(path, *, error=DataError):
    """Load one YAML file with ``yaml.safe_load``; errors name the file and line.

    Python tags (``!!python/object``), alias bombs and syntax errors are refused with *error*.
    """
    return load_yaml_text(read_yaml_text(path, error=error), path=path, error=error)


def read_yaml_text(path, *, error=DataError, what: str = "YAML file") -> str:
    """The text of a YAML file (UTF-8, a byte-order mark dropped); *error* naming the file when
    it is missing, a directory (``is a directory, not a <what>``) or unreadable."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error("no such file", path=path) from None
    except IsADirectoryError:
        raise error(f"is a directory, not a {what}", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read ({exc})", path=path) from None


#: A document whose aliases expand to more YAML nodes than this is refused (an alias bomb).
MAX_YAML_NODES = 100_000


def check_yaml_expansion(text: str, *, path=None, error=DataError) -> None:
    """Refuse a YAML document whose aliases would expand to more than :data:`MAX_YAML_NODES` nodes.

    The node graph is composed (aliases stay shared there) and its expanded size counted with
    memoisation, so the check itself costs time linear in the document.

    >>> lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"] + [
    ...     f"{c}: &{c} [" + ", ".join([f"*{p}"] * 10) + "]" for p, c in zip("abcdefg", "bcdefgh")]
    >>> check_yaml_expansion(chr(10).join(lines))
    Traceback (most recent call last):
    ...
    coreplan_analysis._errors.DataError: YAML aliases expand to more than 100,000 values (an alias bomb); refusing to read it
    """
    if "*" not in text:
        return
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return  # the loader reports the syntax error with its line
    sizes: dict[int, int] = {}

    def size(node, depth=0) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if depth > 200:
            raise error("YAML nested more than 200 levels deep; refusing", path=path)
        sizes[key] = 1  # a cycle counts once
        if isinstance(node, yaml.MappingNode):
            n = 1 + sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            n = 1 + sum(size(v, depth + 1) for v in node.value)
        else:
            n = 1
        sizes[key] = min(n, 10 * MAX_YAML_NODES)
        return sizes[key]

    if root is not None and size(root) > MAX_YAML_NODES:
        raise error(f"YAML aliases expand to more than {MAX_YAML_NODES:,} values (an alias bomb); "
                    "refusing to read it", path=path)


def load_yaml_text(text: str, *, path=None, error=DataError):
    """Parse YAML text safely (see :func:`load_yaml`).

    >>> load_yaml_text("a: [1, 2]")
    {'a': [1, 2]}
    >>> load_yaml_text("x: !!python/object:os.system {}")
    Traceback (most recent call last):
    ...
    coreplan_analysis._errors.DataError: line 1: unsafe or unknown YAML tag ...
    """
    import yaml

    check_yaml_expansion(text, path=path, error=error)
    try:
        return yaml.safe_load(text)
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise error(f"unsafe or unknown YAML tag ({exc.problem})", path=path, line=line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"invalid YAML: {problem}", path=path, line=line) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path, data: bytes | str) -> Path:
    """Write *data* to *path* through a temporary file and a rename: all or nothing."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file ordinary permissions
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return p


@contextlib.contextmanager
def atomic_dir(path, *, replaces=None):
    """Build a directory in a temporary sibling, then swap it in place of *path*.

    If the block raises, the previous directory is left exactly as it was. *replaces* names
    what the caller writes there (top-level file and folder names): an existing folder at
    *path* holding anything else, or a file there, is refused with :class:`InputError` before
    the block runs, so a user's folder (or a workspace's ``raw/``) given as ``--out`` is never
    swept away. ``None``: the caller checked *path* itself.

    >>> import tempfile
    >>> mine = Path(tempfile.mkdtemp())
    >>> _ = (mine / "notes.txt").write_text("precious")
    >>> with atomic_dir(mine, replaces={"index.html"}) as tmp:
    ...     pass
    Traceback (most recent call last):
    coreplan_analysis._errors.InputError: ...: holds notes.txt, which coreplan did not write there; refusing to replace the folder (choose another output folder)
    """
    import shutil

    final = Path(path)
    if replaces is not None and (final.exists() or final.is_symlink()):
        if final.is_symlink() or not final.is_dir():
            raise InputError("exists and is not a folder; refusing to replace it", path=final)
        others = sorted(p.name for p in final.iterdir() if p.name not in replaces)
        if others:
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            raise InputError(f"holds {shown}, which coreplan did not write there; refusing to replace the folder "
                             "(choose another output folder)", path=final)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp"))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final, old)
    os.replace(tmp, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def yaml_lines(text: str) -> dict[tuple, int]:
    """Line (1-based) of each mapping key path in a YAML document, for error messages.

    List elements are recorded too, with their index in the path.

    >>> yaml_lines("a:\\n  b: [x, y]\\n")[("a", "b")]
    2
    """
    import yaml

    out: dict[tuple, int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return out

    seen: set[int] = set()

    def visit(node, path, depth=0):
        if depth > 50 or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = path + (str(k.value),)
                out.setdefault(key, k.start_mark.line + 1)
                visit(v, key, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                out.setdefault(path + (i,), v.start_mark.line + 1)
                visit(v, path + (i,), depth + 1)

    visit(root, ())
    return out


def nearest_line(lines: dict[tuple, int], key) -> int | None:
    """The line of *key* in :func:`yaml_lines` output, or of its nearest recorded parent.

    >>> nearest_line({("a",): 1, ("a", "b"): 2}, ("a", "b", 5))
    2
    >>> nearest_line({}, ("a",)) is None
    True
    """
    k = tuple(key)
    while k:
        if k in lines:
            return lines[k]
        k = k[:-1]
    return None
