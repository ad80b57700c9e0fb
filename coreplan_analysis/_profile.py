"""Plan profiles: how a family of plans is written, declared in YAML.

A profile names what marks a top-level division (area), which item markers and labelled item
lines a plan uses, the label words before goals, actions and values, the section headings, how
owners and statuses are written, and how streams and timeline entries read.
``data/profiles/core.yaml`` is the base: a user's profile only states what differs, and every key
it leaves out is taken from the profile it ``extends`` (``core`` unless it says otherwise).

Every key is checked when the profile loads: an unknown key (at any depth), a value of the wrong
type, a regular expression that does not compile or lacks a named group the parser needs is
refused with a :class:`~coreplan_analysis.ProfileError` naming the file, the line and the key.
YAML is read with ``yaml.safe_load`` only (Python tags and alias bombs are refused).

With no profile, the parser infers one (:func:`infer_profile` and
:func:`coreplan_analysis._parser.parse_plan`).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

try:  # the regular-expression parser's own modules (private: read only for cheap pre-checks)
    import re._constants as _sre_constants
    import re._parser as _sre_parser
except ImportError:  # another Python's layout: no pre-checks (_first_ascii and _last_char give None)
    _sre_constants = _sre_parser = None

from ._errors import ProfileError
from ._io import nearest_line, yaml_lines
from ._paths import StampedCache, Workspace

__all__ = [
    "Profile",
    "load_profile",
    "list_profiles",
    "profile_from_dict",
    "infer_profile",
    "BASE_PROFILE",
    "ITEM_MARKERS",
    "AREA_MARKERS",
]

#: The profile every other one extends.
BASE_PROFILE = "core"

#: Item markers a profile may enable (``items.markers``): "1.1" / "1.1." (dotted), "1." / "1)" /
#: "(1)" (arabic), "1a)" / "1a." (alnum), "a." / "B)" (letter), "i." / "IV." (roman), and
#: bullets ("-", "*", "•", "–", "o", ...).
ITEM_MARKERS = ("dotted", "arabic", "alnum", "letter", "roman", "bullet")
#: Bare markers that may open an area (``area.markers``): "I. Title" (roman), "A. Title" (letter).
AREA_MARKERS = ("roman", "letter")

_LIST_OF_STR = "list of str"
_REGEX = "regex"
_REGEX_LIST = "list of regex"

# The schema: key -> type, or a nested mapping. ``sections`` is the one mapping with free keys
# (section kinds), each a regular expression.
_SCHEMA: dict = {
    "name": str,
    "description": str,
    "extends": str,
    "area": {
        "patterns": _REGEX_LIST,
        "numbered_titles": bool,
        "max_title_words": int,
        "markers": _LIST_OF_STR,
        "caps": bool,
        "heading_levels": "list of int",
        "bare_titles": bool,
        "title_on_next_line": bool,
    },
    "items": {
        "markers": _LIST_OF_STR,
        "patterns": _REGEX_LIST,
    },
    "labels": {
        "goal": _LIST_OF_STR,
        "action": _LIST_OF_STR,
        "values": _LIST_OF_STR,
        "owners": _LIST_OF_STR,
        "status": _LIST_OF_STR,
    },
    "sections": "mapping of regex",
    "approval": _REGEX,
    "owners": {
        "body_words": _LIST_OF_STR,
        "separators": _LIST_OF_STR,
        "italics": bool,
        "inline_label": bool,
    },
    "statuses": {
        "prefix": bool,
        "suffix": bool,
        "table_cells": bool,
    },
    "values": {
        "intro": _REGEX,
    },
    "streams": {"pattern": _REGEX},
    "timeline": {"pattern": _REGEX},
}

# Named groups the parser reads from each pattern.
_GROUPS = {
    "area.patterns": ("title",),
    "items.patterns": ("text",),
    "streams.pattern": ("names",),
    "timeline.pattern": ("when", "text"),
}


@dataclass(frozen=True)
class Profile:
    """A compiled profile. Build one with :func:`load_profile` (or :func:`profile_from_dict`).

    Examples
    --------
    >>> p = load_profile("core")
    >>> p.name
    'core'
    >>> p.label_kind("Actions")
    'action'
    >>> p.section_kind("Accountability & Assessment")
    'accountability'
    >>> sorted(p.item_markers)
    ['alnum', 'arabic', 'bullet', 'dotted', 'letter', 'roman']
    """

    name: str
    description: str
    source: str | None
    area_patterns: tuple[re.Pattern, ...]
    numbered_titles: bool
    max_title_words: int
    labels: dict[str, tuple[str, ...]]
    sections: tuple[tuple[str, re.Pattern], ...]
    approval: re.Pattern
    body_words: tuple[str, ...]
    owner_separators: tuple[str, ...]
    stream_pattern: re.Pattern | None
    timeline_pattern: re.Pattern | None
    label_re: re.Pattern = field(repr=False, default=None)
    area_markers: frozenset = frozenset()
    area_caps: bool = False
    heading_levels: frozenset = frozenset()
    bare_titles: bool = False
    title_on_next_line: bool = True
    item_markers: frozenset = frozenset(ITEM_MARKERS)
    item_patterns: tuple[re.Pattern, ...] = ()
    owner_italics: bool = True
    owner_inline_label: bool = True
    status_prefix: bool = True
    status_suffix: bool = True
    table_cells: bool = True
    values_intro: re.Pattern | None = None
    data: dict = field(repr=False, default_factory=dict, compare=False)
    overrides: dict | None = field(repr=False, default=None, compare=False)

    def label_kind(self, word: str) -> str | None:
        """Which label (goal, action, values, owners, status) *word* is, or ``None``."""
        w = " ".join(word.split()).casefold()
        return self._label_index().get(w)

    def _label_index(self) -> dict:
        idx = self.__dict__.get("_labels_cf")
        if idx is None:
            idx = {}
            for kind, words in self.labels.items():
                for x in words:
                    idx.setdefault(" ".join(x.split()).casefold(), kind)
            object.__setattr__(self, "_labels_cf", idx)
        return idx

    def section_kind(self, heading: str) -> str | None:
        """The section kind a heading opens, or ``None``.

        A pattern anchored at the start whose first character is known (:func:`_first_ascii`)
        is not tried on a heading that starts with another ASCII character (it cannot match).
        """
        c0 = heading[:1]
        c0_ascii = c0.isascii()
        for kind, pattern, first in self._section_index():
            if first is not None and c0_ascii and c0 not in first:
                continue
            if pattern.search(heading):
                return kind
        return None

    def _section_index(self) -> tuple:
        """``(kind, pattern, first characters or None)`` for each section pattern, in order."""
        idx = self.__dict__.get("_sections_first")
        if idx is None:
            idx = tuple((kind, pattern, _first_ascii(pattern, anchored=True)) for kind, pattern in self.sections)
            object.__setattr__(self, "_sections_first", idx)
        return idx

    def _area_firsts(self) -> tuple:
        """For each of :attr:`area_patterns`, the ASCII characters a match can start with
        (:func:`_first_ascii`), or ``None`` when any may: a line starting with another ASCII
        character is not tried against that pattern."""
        idx = self.__dict__.get("_area_first")
        if idx is None:
            idx = tuple(_first_ascii(pattern) for pattern in self.area_patterns)
            object.__setattr__(self, "_area_first", idx)
        return idx

    def _values_intro_end(self) -> str | None:
        """A character every line that :attr:`values_intro` matches ends with (before an optional
        final newline), or ``None`` (:func:`_last_char`)."""
        if "_values_end" not in self.__dict__:
            end = _last_char(self.values_intro) if self.values_intro is not None else None
            object.__setattr__(self, "_values_end", end)
        return self.__dict__["_values_end"]

    def to_yaml(self) -> str:
        """The profile as YAML text (what :func:`load_profile` reads back).

        >>> p = profile_from_dict({"name": "mine", "area": {"caps": True}})
        >>> load_profile_text(p.to_yaml()).area_caps
        True
        """
        import yaml

        if self.overrides is not None:
            data = {"name": self.name, "extends": BASE_PROFILE, **{k: v for k, v in self.overrides.items()
                                                                  if k not in ("name", "extends")}}
        else:
            data = {k: v for k, v in self.data.items() if k != "extends"}
        head = (f"# Profile {self.name!r}" + (f": {self.description}" if self.description else "") + "\n"
                "# Keys left out are taken from the profile it extends (see data/profiles/core.yaml).\n")
        return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# --------------------------------------------------------------------------------------------
# What a pattern's matches must start or end with (cheap checks before the pattern)
# --------------------------------------------------------------------------------------------


def _starts(items) -> tuple[set | None, bool]:
    """``(chars, nullable)`` for a parsed regular expression (a list of ``re._parser`` items):
    the characters a match can start with (a superset; ``None``: any) and whether a match can be
    empty. Only literals, classes of literals and ranges, groups, alternatives, repeats and
    zero-width anchors are read; anything else gives ``None``."""
    c = _sre_constants
    chars: set = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av))
            return chars, False
        if op is c.IN:
            for iop, iav in av:
                if iop is c.LITERAL:
                    chars.add(chr(iav))
                elif iop is c.RANGE and iav[1] - iav[0] <= 255:
                    chars.update(chr(k) for k in range(iav[0], iav[1] + 1))
                else:
                    return None, False  # (a negated class, a category, a wide range)
            return chars, False
        if op is c.SUBPATTERN or op is c.ATOMIC_GROUP:
            sub = av[-1] if op is c.SUBPATTERN else av
            first, nullable = _starts(sub.data)
        elif op is c.BRANCH:
            first, nullable = set(), False
            for alt in av[1]:
                f, n = _starts(alt.data)
                if f is None:
                    return None, False
                first |= f
                nullable = nullable or n
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            first, nullable = _starts(av[2].data)
            nullable = nullable or av[0] == 0
        elif op is c.AT and av in (c.AT_BEGINNING, c.AT_BEGINNING_STRING, c.AT_BOUNDARY, c.AT_NON_BOUNDARY):
            continue  # (zero-width)
        else:
            return None, False
        if first is None:
            return None, False
        chars |= first
        if not nullable:
            return chars, False
    return chars, True


_FIRST_ASCII: dict = {}


def _first_ascii(pattern: re.Pattern, *, anchored: bool = False) -> frozenset | None:
    """The ASCII characters a match of *pattern* that starts at the start of a text can start
    with, case ignored whatever the flags (a superset), or ``None`` when that is not known.

    A text whose first character is ASCII and not among these does not match (with
    ``pattern.match``). With *anchored*, the answer is for ``pattern.search``: ``None`` unless
    the pattern starts with ``^`` (or ``\\A``) and is not multi-line, so that a match can only
    start at the start. Kept per pattern text and flags.

    >>> sorted(_first_ascii(re.compile(r"^(?:Our\\s+)?Mission")))
    ['M', 'O', 'm', 'o']
    >>> _first_ascii(re.compile(r"\\bValue Proposition\\b"), anchored=True) is None
    True
    """
    key = (pattern.pattern, pattern.flags, anchored)
    if key in _FIRST_ASCII:
        return _FIRST_ASCII[key]
    result = None
    if _sre_parser is None:
        return None
    try:
        items = _sre_parser.parse(pattern.pattern, pattern.flags).data
        if items and not (anchored and (pattern.flags & re.MULTILINE or items[0] != (
                _sre_constants.AT, _sre_constants.AT_BEGINNING) and items[0] != (
                _sre_constants.AT, _sre_constants.AT_BEGINNING_STRING))):
            chars, nullable = _starts(items)
        else:
            chars, nullable = None, False
    except Exception:  # (an unexpected form of the parser's output: no shortcut)
        chars, nullable = None, False
    if chars is not None and not nullable:
        cls = re.compile("[" + "".join(re.escape(ch) for ch in chars) + "]", re.IGNORECASE)
        result = frozenset(a for a in map(chr, range(128)) if cls.match(a) or a in chars)
    if len(_FIRST_ASCII) > 4096:
        _FIRST_ASCII.clear()
    _FIRST_ASCII[key] = result
    return result


def _last_char(pattern: re.Pattern) -> str | None:
    """A character that every text *pattern* matches (with ``match``) ends with, but for one
    final newline, or ``None``: the pattern's last character, when it ends with a literal that
    has no case (ASCII, not a letter) before ``$`` (not multi-line).

    >>> _last_char(re.compile(r"^(?:Values|Principles)\\s*:$", re.IGNORECASE))
    ':'
    """
    if _sre_parser is None:
        return None
    c = _sre_constants
    try:
        items = _sre_parser.parse(pattern.pattern, pattern.flags).data
        if (len(items) >= 2 and not pattern.flags & re.MULTILINE and items[-1] == (c.AT, c.AT_END)
                and items[-2][0] is c.LITERAL):
            ch = chr(items[-2][1])
            if ch.isascii() and not ch.isalpha():
                return ch
    except Exception:  # (an unexpected form of the parser's output: no shortcut)
        pass
    return None


# --------------------------------------------------------------------------------------------
# Listing and loading
# --------------------------------------------------------------------------------------------


def list_profiles(workspace=None) -> list[tuple[str, Path]]:
    """``(name, path)`` of every profile in the bundled data and the workspace, sorted by name.

    A workspace profile of the same file name overrides the bundled one.

    >>> [name for name, _ in list_profiles()]
    ['core', 'goals', 'outline']
    """
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    return [(p.stem, p) for p in ws.glob("profiles", "*.yaml")]


def describe_profile(path) -> str:
    """The ``description`` of the profile file at *path* (``""`` when it has none or is malformed)."""
    try:
        data, _ = _read(Path(path))
    except ProfileError:
        return ""
    return " ".join(str(data.get("description", "")).split())


def _type_name(value) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", int: "a whole number",
            float: "a number", type(None): "nothing (null)"}.get(type(value), type(value).__name__)


def _check(data: dict, path, lines: dict) -> None:
    """Validate a profile mapping against :data:`_SCHEMA` (raises :class:`ProfileError`)."""

    def fail(message, key):
        line = nearest_line(lines, key)
        raise ProfileError(message, path=path, line=line)

    def where(key):
        out = ""
        for k in key:
            out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
        return out

    def regex(value, key, *, flags=0):
        if not isinstance(value, str):
            fail(f"{where(key)}: expected a regular expression (a string), found {_type_name(value)}", key)
        try:
            compiled = re.compile(value, flags)
        except re.error as exc:
            # The line of the list key, not of the element: the key names the setting.
            k = key[:-1] if isinstance(key[-1], int) else key
            fail(f"{where(key)}: invalid regular expression ({exc})", k)
        group_key = where(tuple(x for x in key if not isinstance(x, int)))
        for group in _GROUPS.get(group_key, ()):
            if group not in compiled.groupindex:
                fail(f"{where(key)}: the regular expression needs a named group (?P<{group}>...)", key)
        return compiled

    def walk(mapping, schema, prefix):
        for key, value in mapping.items():
            kp = prefix + (key,)
            want = schema.get(key) if isinstance(key, str) else None
            if want is None:
                known = ", ".join(sorted(schema))
                fail(f"unknown key {where(kp)!r} (known{' at ' + where(prefix) if prefix else ''}: {known})", kp)
            if isinstance(want, dict):
                if not isinstance(value, dict):
                    fail(f"{where(kp)}: expected a mapping, found {_type_name(value)}", kp)
                walk(value, want, kp)
            elif want is bool:
                if not isinstance(value, bool):
                    fail(f"{where(kp)}: expected true or false, found {_type_name(value)}", kp)
            elif want is int:
                if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
                    fail(f"{where(kp)}: expected a whole number from 1 to 100, found {value!r}", kp)
            elif want is str:
                if not isinstance(value, str):
                    fail(f"{where(kp)}: expected a string, found {_type_name(value)}", kp)
            elif want == _REGEX:
                regex(value, kp, flags=re.IGNORECASE)
            elif want in (_LIST_OF_STR, _REGEX_LIST, "list of int"):
                if not isinstance(value, list):
                    fail(f"{where(kp)}: expected a list, found {_type_name(value)}", kp)
                for i, elem in enumerate(value):
                    ep = kp + (i,)
                    if want == _LIST_OF_STR and (not isinstance(elem, str) or not elem.strip()):
                        fail(f"{where(ep)}: expected a non-empty string, found {_type_name(elem)}", ep)
                    if want == _REGEX_LIST:
                        regex(elem, ep)
                    if want == "list of int" and (not isinstance(elem, int) or isinstance(elem, bool)
                                                  or not 1 <= elem <= 6):
                        fail(f"{where(ep)}: expected a heading level from 1 to 6, found {elem!r}", ep)
            elif want == "mapping of regex":
                if not isinstance(value, dict):
                    fail(f"{where(kp)}: expected a mapping of section kind to regular expression, "
                         f"found {_type_name(value)}", kp)
                for kind, pat in value.items():
                    if not isinstance(kind, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", kind):
                        fail(f"{where(kp)}: section kind {kind!r} must be a lowercase word", kp + (kind,))
                    regex(pat, kp + (kind,), flags=re.IGNORECASE)

    walk(data, _SCHEMA, ())
    for key, allowed in (("area", AREA_MARKERS), ("items", ITEM_MARKERS)):
        for i, m in enumerate((data.get(key) or {}).get("markers", []) or []):
            if m not in allowed:
                fail(f"{key}.markers[{i}]: unknown marker {m!r} (known: {', '.join(allowed)})", (key, "markers", i))
    for name in ("name", "extends"):
        v = data.get(name)
        if v is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", v):
            fail(f"{name}: {v!r} is not a profile name (letters, digits, '-', '_', '.')", (name,))


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


def _check_expansion(text: str, path) -> None:
    """Refuse an alias bomb (see :func:`~coreplan_analysis._io.check_yaml_expansion`)."""
    from ._io import check_yaml_expansion

    check_yaml_expansion(text, path=path, error=ProfileError)


def _read_text(text: str, path) -> tuple[dict, dict]:
    from ._io import load_yaml_text

    _check_expansion(text, path)
    data = load_yaml_text(text, path=path, error=ProfileError)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProfileError(f"a profile must be a YAML mapping, found {_type_name(data)}", path=path, line=1)
    lines = yaml_lines(text)
    _check(data, path, lines)
    return data, lines


@functools.lru_cache(maxsize=64)
def _read_cached(path: str, _mtime: int, _size: int) -> tuple[dict, dict]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"cannot read profile ({exc})", path=p) from None
    return _read_text(text, p)


def _read(path: Path) -> tuple[dict, dict]:
    try:
        st = path.stat()
    except OSError as exc:
        raise ProfileError(f"cannot read profile ({exc.strerror or exc})", path=path) from None
    data, lines = _read_cached(str(path), st.st_mtime_ns, st.st_size)
    return dict(data), lines


def _resolve(data: dict, path: Path, lines: dict, ws: Workspace, seen: tuple = ()) -> dict:
    """*data* merged over the profile it extends (recursively, refusing cycles)."""
    base_name = data.get("extends", BASE_PROFILE)
    if path is not None and path.stem == BASE_PROFILE and base_name == BASE_PROFILE:
        return data
    if base_name in seen or len(seen) > 10:
        raise ProfileError(f"extends {base_name!r}, which extends it back (a cycle)", path=path,
                           line=lines.get(("extends",)))
    base_path = ws.find(f"profiles/{base_name}.yaml")
    if base_path is None:
        raise ProfileError(f"extends unknown profile {base_name!r}", path=path, line=lines.get(("extends",)))
    if path is not None and base_path.resolve() == path.resolve():
        return data
    base, base_lines = _read(base_path)
    base = _resolve(base, base_path, base_lines, ws, seen + (base_name,))
    return _merge(base, data)


def load_profile(name_or_path=None, workspace=None) -> Profile:
    """Load a profile by name (``profiles/NAME.yaml``, the workspace's first) or by path.

    ``None`` loads ``core``. Raises :class:`ProfileError` naming the file and line of whatever is
    malformed. Profiles are cached on the files they are built from (path, modification time
    and size), and a look-up is reused while the workspace's profiles folders are unchanged
    (:class:`~coreplan_analysis._paths.StampedCache`), so an edited profile is always read again.

    Examples
    --------
    >>> load_profile().name, load_profile("outline").area_markers
    ('core', frozenset({'roman'}))
    >>> load_profile("nope")
    Traceback (most recent call last):
    ...
    coreplan_analysis._errors.ProfileError: no profile named 'nope' (known: core, goals, outline)
    """
    if isinstance(name_or_path, Profile):
        return name_or_path
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    name_or_path = name_or_path or BASE_PROFILE
    # What a name or path stands for depends on the profiles folders of the workspace (the
    # name's file, and every file an ``extends`` chain may name) and, for a path, on that file:
    # the lookup is reused while none of these changed. (``_BUILT`` below then shares one Profile among names and paths of the same files.)
    try:
        where = os.path.abspath(name_or_path)
        key = (ws.cache_key(), str(name_or_path), where)
    except (TypeError, ValueError):
        key = None
    if key is not None:
        hit = _LOADED.get(key)
        if hit is not None:
            return hit
        paths = ws.watched(folders=("profiles",)) + (where,)
        stamps = StampedCache.stamps(paths)
    prof = _load_profile(name_or_path, ws)
    if key is not None:
        _LOADED.put(key, paths, stamps, prof)
    return prof


#: :func:`load_profile`'s cache of lookups.
_LOADED = StampedCache(maxsize=64)


def _load_profile(name_or_path, ws: Workspace) -> Profile:
    """:func:`load_profile` without the lookup cache."""
    p = Path(name_or_path)
    text = str(name_or_path)
    # A profile name is a name: a file or folder called "core" in the current folder must not
    # stand in for the bundled profile. A path has a YAML suffix or a folder in it (or is an
    # existing file whose name could not be a profile name).
    is_name = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", text) is not None
    if p.suffix in (".yaml", ".yml") or "/" in text or "\\" in text or (not is_name and p.exists()):
        path = p
        if not path.is_file():
            raise ProfileError("no such profile file", path=path)
    else:
        if not is_name:
            raise ProfileError(f"{name_or_path!r} is not a profile name or a .yaml file")
        path = ws.find(f"profiles/{name_or_path}.yaml")
        if path is None:
            known = ", ".join(n for n, _ in list_profiles(ws))
            raise ProfileError(f"no profile named {name_or_path!r} (known: {known})")
    key = _chain_key(path, ws)
    hit = _BUILT.get(key) if key is not None else None
    if hit is not None:
        return hit
    data, lines = _read(path)
    data = _resolve(data, path, lines, ws)
    prof = _build(data, path, lines)
    if key is not None:
        if len(_BUILT) > 64:
            _BUILT.clear()
        _BUILT[key] = prof
    return prof


_BUILT: dict = {}


def _chain_key(path: Path, ws: Workspace):
    """The files a profile is built from, with their stamps (a cache key), or ``None``."""
    out = []
    seen = set()
    p = path
    try:
        for _ in range(12):
            st = p.stat()
            out.append((str(p.resolve()), st.st_mtime_ns, st.st_size))
            data, _ = _read(p)
            base = data.get("extends", BASE_PROFILE)
            if p.stem == BASE_PROFILE and base == BASE_PROFILE:
                return tuple(out)
            nxt = ws.find(f"profiles/{base}.yaml")
            if nxt is None or base in seen:
                return None
            seen.add(base)
            if nxt.resolve() == p.resolve():
                return tuple(out)
            p = nxt
    except (OSError, ProfileError):
        return None
    return None


def load_profile_text(text: str, *, path=None, workspace=None) -> Profile:
    """A profile from YAML text (validated, merged over what it extends).

    >>> load_profile_text("name: demo\\nitems: {markers: [dotted, bullet]}").item_markers == {"dotted", "bullet"}
    True
    >>> load_profile_text("name: demo\\narea: {colour: red}")
    Traceback (most recent call last):
    ...
    coreplan_analysis._errors.ProfileError: line 2: unknown key 'area.colour' (known at area: ...)
    """
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    data, lines = _read_text(text, path)
    data = _resolve(data, Path(path) if path else None, lines, ws)
    return _build(data, Path(path) if path else None, lines)


def profile_from_dict(data: dict, *, workspace=None) -> Profile:
    """A profile from a mapping shaped like the YAML (validated, merged over what it extends).

    >>> profile_from_dict({"name": "x", "area": {"markers": ["roman"]}}).area_markers
    frozenset({'roman'})
    """
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    _check(data, None, {})
    merged = _resolve(dict(data), None, {}, ws)
    return _build(merged, None, {})


def _build(data: dict, path: Path | None, lines: dict) -> Profile:
    def line(*key):
        return lines.get(tuple(key))

    def compile_(pattern, key, flags=0):
        try:
            return re.compile(pattern, flags)
        except (re.error, TypeError) as exc:  # pragma: no cover - _check caught it already
            raise ProfileError(f"{key}: invalid regular expression ({exc})", path=path,
                               line=line(*key.split("."))) from None

    area = data.get("area", {})
    items = data.get("items", {})
    labels_in = data.get("labels", {})
    labels = {kind: tuple(labels_in.get(kind, [])) for kind in ("goal", "action", "values", "owners", "status")}
    sections = tuple((kind, compile_(pat, f"sections.{kind}", re.IGNORECASE))
                     for kind, pat in data.get("sections", {}).items())
    owners = data.get("owners", {})
    statuses = data.get("statuses", {})
    streams = data.get("streams", {})
    timeline = data.get("timeline", {})
    values = data.get("values", {})
    all_labels = sorted({w for ws_ in labels.values() for w in ws_}, key=lambda w: (-len(w), w))
    label_re = re.compile(
        r"^(?P<label>" + ("|".join(re.escape(w).replace(r"\ ", r"\s+") for w in all_labels) or r"(?!x)x")
        + r")\s*:\s*(?P<rest>.*)$",
        re.IGNORECASE,
    )
    return Profile(
        name=str(data.get("name", path.stem if path else "profile")),
        description=" ".join(str(data.get("description", "")).split()),
        source=None if path is None else str(path),
        area_patterns=tuple(compile_(x, "area.patterns") for x in area.get("patterns", [])),
        numbered_titles=bool(area.get("numbered_titles", True)),
        max_title_words=int(area.get("max_title_words", 8)),
        labels=labels,
        sections=sections,
        approval=compile_(data.get("approval", r"(?!x)x"), "approval"),
        body_words=tuple(owners.get("body_words", [])),
        owner_separators=tuple(owners.get("separators", [";"])),
        stream_pattern=compile_(streams["pattern"], "streams.pattern") if streams.get("pattern") else None,
        timeline_pattern=compile_(timeline["pattern"], "timeline.pattern") if timeline.get("pattern") else None,
        label_re=label_re,
        area_markers=frozenset(area.get("markers", [])),
        area_caps=bool(area.get("caps", False)),
        heading_levels=frozenset(area.get("heading_levels", [])),
        bare_titles=bool(area.get("bare_titles", False)),
        title_on_next_line=bool(area.get("title_on_next_line", True)),
        item_markers=frozenset(items.get("markers", ITEM_MARKERS)),
        item_patterns=tuple(compile_(x, "items.patterns") for x in items.get("patterns", [])),
        owner_italics=bool(owners.get("italics", True)),
        owner_inline_label=bool(owners.get("inline_label", True)),
        status_prefix=bool(statuses.get("prefix", True)),
        status_suffix=bool(statuses.get("suffix", True)),
        table_cells=bool(statuses.get("table_cells", True)),
        values_intro=compile_(values["intro"], "values.intro", re.IGNORECASE) if values.get("intro") else None,
        data=data,
    )


# --------------------------------------------------------------------------------------------
# Inference: a profile built from what the text shows
# --------------------------------------------------------------------------------------------

_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve")
_NUM = r"(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,6}|[A-Z]|(?i:" + "|".join(_NUMBER_WORDS) + r"))"
_WORD_NUM = re.compile(
    r"^(?P<word>[A-Z][A-Za-z'’&-]*(?:\s+[A-Za-z][A-Za-z'’&-]*){0,3}?)\s+(?P<num>" + _NUM + r")"
    r"(?P<rest>\s*[:.\-–—)]\s*.*|\s*)$"
)
_STOP_WORDS = {"page", "table", "figure", "fig", "appendix", "chapter", "section", "step", "phase", "year",
               "fy", "version", "article", "part", "exhibit", "slide", "volume", "vol", "no", "number",
               "room", "suite", "unit", "grade", "level", "tier", "day", "week", "month", "quarter", "q",
               "item", "items", "and", "or", "the", "of", "for", "in", "to"}
_ROMAN_LINE = re.compile(r"^(?P<num>[IVX]{1,5})[.)]\s+(?P<title>\S.*)$")
_LETTER_LINE = re.compile(r"^(?P<num>[A-Z])[.)]\s+(?P<title>\S.*)$")
_MD = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ANY_MARKER = re.compile(
    r"^(?:[-*•–—o▪◦·●■➢►]\s+|\(?(?:\d{1,3}(?:\.\d{1,3})*[a-z]?|[a-zA-Z]|[ivxIVX]{1,4})[.)]\s+)")
_BULLET_FIRST = "-*•–—o▪◦·●■➢►"
_BULLETISH = re.compile(r"^[" + _BULLET_FIRST + r"]\s+")


def _roman_value(s: str) -> int | None:
    if not s or not re.fullmatch(r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})", s.upper()):
        return None
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    s = s.upper()
    total = 0
    for i, ch in enumerate(s):
        v = vals[ch]
        total += -v if i + 1 < len(s) and vals[s[i + 1]] > v else v
    return total


def _num_value(num: str) -> int | None:
    n = num.casefold()
    if n.isdigit():
        return int(n)
    if n in _NUMBER_WORDS:
        return _NUMBER_WORDS.index(n) + 1
    r = _roman_value(num)
    if r is not None and (len(num) > 1 or num in "IVX"):
        return r
    if len(num) == 1 and num.isalpha():
        return ord(num.upper()) - 64
    return None


def infer_profile(text: str, *, max_lines: int = 5000, base: Profile | None = None, lines: list[str] | None = None,
                  stripped: list[str] | None = None):
    """A profile built from what *text* shows, over ``core``: ``(profile, notes)``.

    It looks at the first *max_lines* non-blank lines for the ways a plan marks its divisions:
    a word and a number ("Goal 1:", "STRATEGIC DIRECTION ONE", "Objective 1: ..."; the form whose
    first line comes first is the division, the others are item lines), Roman numerals
    ("I. ... II. ..."), capital letters with content under them ("A. Title"), Markdown headings,
    ALL-CAPS lines, and short title lines followed by lists. *notes* says what it found. The
    profile is ``None`` when the text shows nothing that ``core`` does not already read.
    *lines* is ``text.splitlines()`` when the caller has it, and *stripped* each of them stripped.

    Examples
    --------
    >>> prof, notes = infer_profile("GOAL 1. Access\\nObjective 1.1 Open on Sundays\\n\\nGOAL 2. Learning\\n")
    >>> prof.name, notes
    ('inferred', ["areas from 'Goal N' lines", "items from 'Objective N' lines"])
    >>> infer_profile("Areas of Focus\\n\\n1. Membership\\n\\nGoal: Grow.\\n")
    (None, [])
    """
    base = base or load_profile(BASE_PROFILE)
    forms: dict[str, dict] = {}
    romans: list[int] = []
    letters: list[tuple[int, int]] = []  # (line index, value)
    letter_content: int = 0
    md_levels: dict[int, int] = {}
    caps = 0
    bare = 0
    # The lines up to the one that makes *max_lines* (blank lines counted, the last one not blank).
    if lines is None:
        lines, stripped = text.splitlines(), None
    if stripped is None:
        stripped = [line.strip() for line in lines]
    if len(lines) >= max_lines:
        end = max_lines - 1
        while end < len(lines) and not stripped[end]:
            end += 1
        lines, stripped = lines[:end + 1], stripped[:end + 1]
    n = len(lines)
    nonblank_seen = 0
    last_letter_idx = None
    label_re, label_kind = base.label_re, base.label_kind
    for i, (raw, s) in enumerate(zip(lines, stripped)):
        if not s:
            continue
        nonblank_seen += 1
        if last_letter_idx is None and not (s[0].isupper() or s[0] in "#*_"):
            continue  # (a list line or prose before any letter line: nothing below would count it)
        if len(s) > 200:
            continue
        md = _MD.match(s) if s[0] == "#" else None
        level = 0
        if md:
            level, s = len(md.group(1)), md.group(2)
        if s.startswith(("**", "__")):
            s = re.sub(r"^\*\*(.+?)\*\*(:?)$", r"\1\2", s)
            s = re.sub(r"^__(.+?)__(:?)$", r"\1\2", s)
        c0 = s[:1]
        if c0 in _BULLET_FIRST and _BULLETISH.match(s):  # (the pattern's first character)
            if last_letter_idx is not None:
                letter_content += 1
            continue
        if not (c0.isupper() or c0 == "#"):
            if last_letter_idx is not None and _ANY_MARKER.match(s):
                letter_content += 1
            continue  # prose, or a marker that is not a heading: nothing to learn
        # Whether the line is a label ("Goal:", "Actions"): found when first needed.
        is_label = None
        m = _WORD_NUM.match(s)
        if m:
            is_label = bool(label_re.match(s)) or label_kind(s.rstrip(":")) is not None
            if not is_label:
                word = " ".join(m.group("word").split())
                key = word.casefold()
                if key.split()[-1] not in _STOP_WORDS and key.split()[0] not in _STOP_WORDS:
                    num = m.group("num")
                    f = forms.setdefault(key, {"word": word, "first": i, "plain": [], "dotted": 0})
                    if "." in num:
                        f["dotted"] += 1
                    elif _num_value(num) is not None:
                        f["plain"].append(_num_value(num))
                    continue
        # (Each pattern below is tried only where its first characters can match.)
        rm = _ROMAN_LINE.match(s) if s[0] in "IVX" else None
        if rm and _roman_value(rm.group("num")) is not None and not raw[:1].isspace():
            v = _roman_value(rm.group("num"))
            if not (rm.group("num") == "I" and letters and letters[-1][1] == 8):
                romans.append(v)
                continue
        lm = _LETTER_LINE.match(s) if s[1:2] in (".", ")") else None
        if lm and not raw[:1].isspace():
            letters.append((i, ord(lm.group("num")) - 64))
            last_letter_idx = i
            continue
        if _ANY_MARKER.match(s):
            if last_letter_idx is not None:
                letter_content += 1
            continue
        n_words = len(s.split())
        if len(s) > 120 or n_words > 14:
            continue  # a sentence, not a heading
        if is_label is None:
            is_label = bool(label_re.match(s)) or label_kind(s.rstrip(":")) is not None
        if is_label:
            continue  # (each test below asks for a line that is not a label)
        # Whether the line is a section heading: found when first needed.
        is_section = None
        if level and nonblank_seen > 1:
            is_section = _is_section(base, s, n_words)
            if not is_section:
                md_levels[level] = md_levels.get(level, 0) + 1
                continue
        if s.isupper() and sum(ch.isalpha() for ch in s) >= 3 and n_words <= 12 and nonblank_seen > 2:
            if is_section is None:
                is_section = _is_section(base, s, n_words)
            if not is_section and not base.approval.search(s):
                caps += 1
                continue
        prev_blank = i == 0 or not stripped[i - 1]
        if (prev_blank and nonblank_seen > 2 and 2 <= len(s) <= 100
                and n_words <= 14 and s[:1].isupper() and not s.endswith((":", ",", ";"))):
            if is_section is None:
                is_section = _is_section(base, s, n_words)
            if not is_section:
                nxt = next((stripped[j] for j in range(i + 1, min(n, i + 4)) if stripped[j]), "")
                if _ANY_MARKER.match(nxt) or label_re.match(nxt):
                    bare += 1

    notes: list[str] = []
    over: dict = {"area": {}, "items": {}}
    area_form = None
    candidates = sorted((f for f in forms.values() if f["plain"]), key=lambda f: f["first"])
    for f in candidates:
        vals = f["plain"]
        if len(vals) >= 2 or vals == [1]:
            area_form = f
            break
    base_patterns = list(base.data.get("area", {}).get("patterns", []))
    item_patterns: list[str] = []
    if area_form is not None:
        word = area_form["word"]
        wre = r"\s+".join(re.escape(w) for w in word.split())
        pat = (r"^(?i:" + wre + r")\s+(?P<number>" + _NUM + r")(?![.\d]*\d)\s*(?:[:.\-–—)]\s*)?(?P<title>.*)$")
        if not any(re.match(p, f"{word} 1: X") for p in base_patterns):
            over["area"]["patterns"] = base_patterns + [pat]
            notes.append(f"areas from {_show(word)!r} lines")
    for f in sorted(forms.values(), key=lambda f: f["first"]):
        word = f["word"]
        if f is area_form or any(re.match(p, f"{word} 1: X") for p in base_patterns):
            continue
        wre = r"\s+".join(re.escape(w) for w in word.split())
        item_patterns.append(r"^(?i:" + wre + r")\s+(?P<number>\d{1,2}(?:\.\d{1,2})*[a-z]?|[IVXLC]{1,6}|[A-Za-z])"
                             r"(?![\d])\s*(?:[:.\-–—)]\s*)?(?P<text>.*)$")
        notes.append(f"items from {_show(word)!r} lines")
    if item_patterns:
        over["items"]["patterns"] = item_patterns
    if area_form is None and len(romans) >= 2 and romans[:2] == [1, 2]:
        over["area"]["markers"] = ["roman"]
        over["area"]["numbered_titles"] = False
        notes.append("areas from Roman numerals (I., II.)")
    elif (area_form is None and len(letters) >= 2 and [v for _, v in letters[:2]] == [1, 2]
          and letter_content >= len(letters)):
        over["area"]["markers"] = ["letter"]
        notes.append("areas from capital letters (A., B.)")
    elif area_form is None and md_levels:
        level = min((lv for lv, c in md_levels.items() if c >= 2), default=None)
        if level is not None:
            over["area"]["heading_levels"] = [level]
            notes.append(f"areas from level-{level} Markdown headings")
    if area_form is None and not over["area"].get("markers") and not over["area"].get("heading_levels"):
        if caps >= 2:
            over["area"]["caps"] = True
            notes.append("areas from ALL-CAPS headings")
        elif bare >= 2:
            over["area"]["bare_titles"] = True
            notes.append("areas from title lines followed by lists")
    over = {k: v for k, v in over.items() if v}
    if not over:
        return None, []
    over["name"] = "inferred"
    over["description"] = "inferred from the text: " + "; ".join(notes)
    merged = _merge(base.data, over)
    merged.pop("extends", None)
    from dataclasses import replace

    return replace(_build(merged, None, {}), overrides=over), notes


def _is_section(base: Profile, s: str, n_words: int) -> bool:
    """Whether a line of *n_words* words (*s*) is a section heading of *base*, as
    :func:`infer_profile` reads it."""
    return n_words <= 8 and base.section_kind(s.rstrip(":")) is not None


def _show(word: str) -> str:
    return " ".join(w.capitalize() if w.isupper() or w.islower() else w for w in word.split()) + " N"
