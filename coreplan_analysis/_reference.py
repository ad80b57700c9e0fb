"""Reference data: values, umbrella-strategy streams, the owner registry and the status vocabulary.

The data lives in YAML under ``data/reference/`` (every fact with its source URL):

- ``values.yaml``: the organisation's value set (or ``values/<stem>.yaml`` for another set);
- ``streams.yaml``: the umbrella strategy (ALA's Pivot Strategy) and the streams plans name, plus
  one more file per further framework in ``frameworks/`` with the same shape;
- ``owners.yaml``: canonical owner names, their kinds, aliases and parents;
- ``statuses.yaml``: the status vocabulary and the patterns that read status words.

A user's workspace overlays the bundled data by file name (see
:class:`~coreplan_analysis._paths.Workspace`). Malformed files raise
:class:`~coreplan_analysis._errors.DataError` naming the file, the line and the key. Loads are
cached per file on its resolved path, modification time and size, and :func:`load_reference`
keeps its whole answer per workspace while none of the files it read (nor the folders it
listed) changed (:class:`~coreplan_analysis._paths.StampedCache`), so calling it on every parse
costs a few ``stat`` calls.
"""

from __future__ import annotations

__all__ = [
    "OWNER_KINDS",
    "Concept",
    "Owner",
    "OwnerRegistry",
    "StatusVocabulary",
    "Framework",
    "Reference",
    "load_reference",
    "load_owner_registry",
    "load_status_vocabulary",
]

import functools
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ._errors import DataError
from ._io import load_yaml
from ._paths import StampedCache, Workspace

#: Owner kinds used when an owners file does not list its own ``kinds``.
OWNER_KINDS = (
    "board",
    "committee",
    "coordination committee",
    "section",
    "staff",
    "leadership",
    "partner",
    "group",
)

_VALUES_FILE = "reference/values.yaml"
_VALUE_SETS_DIR = "reference/values"
_STREAMS_FILE = "reference/streams.yaml"
_FRAMEWORKS_DIR = "reference/frameworks"
_OWNERS_FILE = "reference/owners.yaml"
_STATUSES_FILE = "reference/statuses.yaml"


# --------------------------------------------------------------------------------------------
# The objects
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Concept:
    """A value of a value set, or a stream of a framework.

    Parameters
    ----------
    name : str
        The concept's name, as the source writes it.
    framework : str
        The value set's name (for a value) or the framework's name (for a stream).
    kind : str
        ``"value"`` or ``"stream"``.
    description : str
        A short description.
    lexicon : tuple of str
        Plain lowercase words or phrases that signal the concept in plan text.
    source : str or None
        Where the concept was read.
    named_in_plan : bool or None
        For a stream, whether a plan of the organisation names it; ``None`` for values.

    Examples
    --------
    >>> c = Concept("Innovation", "Core values", "value", "New ways.", ("emerging trends",), None)
    >>> c.kind, list(c.lexicon)
    ('value', ['emerging trends'])
    """

    name: str
    framework: str
    kind: str
    description: str
    lexicon: tuple[str, ...]
    source: str | None
    named_in_plan: bool | None = None


@dataclass(frozen=True)
class Owner:
    """A body that plans assign work to (a board, committee, section, staff, partner...).

    Examples
    --------
    >>> o = Owner("ALA Staff", "staff", ("ALA staff",), "American Library Association", None)
    >>> o.parent
    'American Library Association'
    """

    name: str
    kind: str
    aliases: tuple[str, ...]
    parent: str | None
    source: str | None


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")


def _clean(text: str) -> str:
    """Text without markdown emphasis, surrounding punctuation or repeated spaces."""
    s = _nfkc(text).replace("*", " ").replace("_", " ").replace("`", " ")
    s = " ".join(s.split())
    return s.strip(" \t;,.:")


def _owner_key(text: str) -> str:
    """The form under which owner names are compared (see :meth:`OwnerRegistry.canonical`)."""
    s = _clean(text).casefold().replace("&", " and ")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w\s-]", " ", s)
    words = s.split()
    while len(words) > 1 and words[0] in ("the", "core"):
        words = words[1:]
    if words in (["the"], ["core"]):
        return ""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def _mention_gate(spelling: str) -> str:
    """A literal that every match of :func:`_mention_regex` (*spelling*) contains: its longest
    word, a plural "s" dropped. Checking it with ``in`` first skips most regexes cheaply.

    >>> _mention_gate("Diversity & Inclusion Committees")
    'Committee'
    """
    words = [t for t in re.findall(r"[^\s&]+", _nfkc(spelling)) if t != "and"]
    if not words:
        return ""
    word = max(words, key=len)
    if len(word) > 3 and word[-1].isalpha() and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def _mention_literals(spelling: str) -> tuple[str, ...]:
    """The literals that every match of :func:`_mention_regex` (*spelling*) contains: each of its
    words as the pattern spells it (a plural "s" dropped where the pattern makes it optional),
    "&" and "and" left out (either may stand there). They include :func:`_mention_gate`'s.

    >>> _mention_literals("Diversity & Inclusion Committees")
    ('Diversity', 'Inclusion', 'Committee')
    """
    out = []
    for token in re.findall(r"&|[^\s&]+", _nfkc(spelling)):
        if token in ("&", "and"):
            continue
        if len(token) > 3 and token[-1].isalpha() and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        out.append(token)
    return tuple(dict.fromkeys(out))


def _mention_regex(spelling: str) -> re.Pattern:
    """A case-sensitive pattern for *spelling* in prose, as a whole word at its end.

    That it starts a word is checked by :func:`_mentions_of`: a pattern that starts with a
    literal lets the regex engine skip ahead to the places where the literal occurs (a leading
    look-behind would make it try every position).
    """
    parts = []
    for token in re.findall(r"&|[^\s&]+", _nfkc(spelling)):
        if token in ("&", "and"):
            parts.append(r"(?:&|and)")
            continue
        if len(token) > 3 and token[-1].isalpha():
            stem = token[:-1] if token.endswith("s") and not token.endswith("ss") else token
            parts.append(re.escape(stem) + "s?")
        else:
            parts.append(re.escape(token))
    return re.compile(r"\s+".join(parts) + r"(?![\w-])")


#: What may not come right before a mention (it would not start a word).
_WORD_BEFORE = re.compile(r"[\w-]")


def _mentions_of(regex: re.Pattern, text: str) -> Iterator[tuple[int, int]]:
    r"""The spans ``regex.finditer`` would give with ``(?<![\w-])`` before *regex*: the leftmost
    matches that start a word, each search resuming after a match, or one character after a
    start refused (so a match inside a refused one is still found)."""
    pos = 0
    while True:
        m = regex.search(text, pos)
        if m is None:
            return
        start = m.start()
        if start and _WORD_BEFORE.match(text, start - 1):
            pos = start + 1
            continue
        yield start, m.end()
        pos = m.end() if m.end() > start else start + 1


class OwnerRegistry:
    """Canonical owner names, with the aliases that plans and pages use for them.

    Parameters
    ----------
    owners : iterable of Owner
        The owners. Two owners may not share a name or alias once normalised (``ValueError``).

    Examples
    --------
    >>> reg = OwnerRegistry([
    ...     Owner("Diversity and Inclusion Committee", "committee",
    ...           ("Diversity & Inclusion Committee",), None, None),
    ...     Owner("Board of Directors", "board", ("Core Board",), None, None),
    ... ])
    >>> reg.canonical("Diversity & Inclusion Committees")
    'Diversity and Inclusion Committee'
    >>> reg.canonical("the Core Board") , reg.canonical("Task Force") is None
    ('Board of Directors', True)
    >>> reg.normalize("  *Some   Task Force* ")
    'Some Task Force'
    >>> reg.find_mentions("The Board of Directors will work with the Diversity & Inclusion Committee.")
    ['Board of Directors', 'Diversity and Inclusion Committee']
    >>> reg.find_mentions("Work with board and other groups")
    []
    """

    def __init__(self, owners: Iterable[Owner] = ()):
        self.owners: tuple[Owner, ...] = tuple(owners)
        self._by_name: dict[str, Owner] = {}
        self._by_key: dict[str, str] = {}
        for owner in self.owners:
            if owner.name in self._by_name:
                raise ValueError(f"two owners are named {owner.name!r}")
            self._by_name[owner.name] = owner
        for owner in self.owners:
            for spelling in (owner.name, *owner.aliases):
                key = _owner_key(spelling)
                if not key:
                    raise ValueError(f"{spelling!r} is not a usable owner name")
                other = self._by_key.setdefault(key, owner.name)
                if other != owner.name:
                    raise ValueError(
                        f"{spelling!r} (of {owner.name!r}) reads the same as a name of {other!r}"
                    )
        # ((gate, ((k, regex, name, the literals every match holds), ...)), ...): the mention
        # patterns of every spelling (k: its place among them), grouped by gate; built lazily.
        self._by_gate: tuple | None = None

    def __len__(self) -> int:
        return len(self.owners)

    def __iter__(self) -> Iterator[Owner]:
        return iter(self.owners)

    def __repr__(self) -> str:
        return f"<OwnerRegistry of {len(self.owners)} owners>"

    def canonical(self, name: str) -> str | None:
        """The canonical name for *name*, or ``None`` when the registry does not know it.

        Names match ignoring case, spacing, markdown emphasis, "&" versus "and", a plural "s" on
        any word and a leading "Core " or "the ".

        >>> load_owner_registry().canonical("Fundraising & Sponsorships Committee")
        'Fundraising and Sponsorship Committee'
        """
        key = _owner_key(name) if isinstance(name, str) else ""
        return self._by_key.get(key) if key else None

    def normalize(self, raw: str) -> str:
        """:meth:`canonical` of *raw*, or the cleaned text of *raw* when the registry does not know it.

        >>> reg = load_owner_registry()
        >>> [reg.normalize(s) for s in ["Core Continuing Education Committee", " Friends Group. "]]
        ['Continuing Education Coordination Committee', 'Friends Group']
        """
        return self.canonical(raw) or _clean(raw)

    def kind(self, name: str) -> str | None:
        """The kind of the owner *name* stands for, or ``None`` when unknown.

        >>> load_owner_registry().kind("Section leaders")
        'group'
        """
        owner = self.get(name)
        return owner.kind if owner else None

    def get(self, name: str) -> Owner | None:
        """The :class:`Owner` *name* stands for (any alias), or ``None``.

        >>> load_owner_registry().get("ALA Staff").parent
        'American Library Association'
        """
        canonical = self.canonical(name)
        return self._by_name[canonical] if canonical else None

    def find_mentions(self, text: str) -> list[str]:
        """Canonical names of the registry bodies that *text* names, in order of first appearance.

        Names and aliases are matched as written (case-sensitively, so the generic word "board"
        is not the Board of Directors), as whole words, "&" and "and" alike, the longest match
        first where two overlap.

        >>> load_owner_registry().find_mentions(
        ...     "Leadership Team and Section leaders will engage with Committee Chairs.")
        ['Leadership Team', 'Section Leaders', 'Committee Chairs']
        """
        if not text:
            return []
        by_gate = self._by_gate
        if by_gate is None:
            patterns = [
                (_mention_gate(spelling), _mention_regex(spelling), owner.name, _mention_literals(spelling))
                for owner in self.owners
                for spelling in dict.fromkeys((owner.name, *owner.aliases))
            ]
            # Spellings share gates ("Committee", "Coordination"): each distinct gate is looked
            # for once per text, and only the patterns of the gates present run. Each keeps its
            # place in *patterns* (k), which breaks ties below as the order of the patterns did.
            groups: dict[str, list] = {}
            for k, (gate, regex, name, literals) in enumerate(patterns):
                groups.setdefault(gate, []).append((k, regex, name, literals))
            by_gate = self._by_gate = tuple((gate, tuple(entries)) for gate, entries in groups.items())
        text = _nfkc(text)
        found = []
        for gate, entries in by_gate:
            if gate not in text:
                continue
            for k, regex, name, literals in entries:
                # A pattern runs only when the text holds every literal its matches hold (a
                # substring test is much cheaper than a search).
                for literal in literals:
                    if literal not in text:
                        break
                else:
                    # (The matches _mentions_of gives, found here without a generator.)
                    search = regex.search
                    pos = 0
                    while (m := search(text, pos)) is not None:
                        start, end = m.span()
                        if start and _WORD_BEFORE.match(text, start - 1):
                            pos = start + 1
                            continue
                        found.append((start - end, start, k, end, name))
                        pos = end if end > start else start + 1
        if not found:
            return []
        # The longest first, then the leftmost, then in the order of the patterns (one pattern's
        # matches never start at the same place).
        found.sort()
        taken: list[tuple[int, int, str]] = []
        for _, start, _, end, name in found:
            for s, e, _ in taken:
                if end > s and start < e:
                    break  # (overlaps a longer or earlier match taken)
            else:
                taken.append((start, end, name))
        taken.sort()
        return list(dict.fromkeys(name for _, _, name in taken))


# --------------------------------------------------------------------------------------------
# Statuses
# --------------------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_WORDS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
#: What ``{date}`` in a status pattern stands for.
_DATE_RE = (
    r"(?P<date>(?:(?:" + _MONTH_WORDS + r")\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?)?"
    r"(?:19|20|21)\d\d(?:-(?:0[1-9]|1[0-2]))?|(?:0?[1-9]|1[0-2])/(?:19|20|21)\d\d)"
)


def _parse_date(text: str) -> str | None:
    """``"YYYY-MM"`` or ``"YYYY"`` from a month-and-year or a year; ``None`` when there is no year.

    >>> [_parse_date(s) for s in ["March 2024", "Sept. 3, 2023", "2023", "2024-03", "3/2024", "soon"]]
    ['2024-03', '2023-09', '2023', '2024-03', '2024-03', None]
    """
    s = text.strip().casefold()
    m = re.fullmatch(r"(\d{4})-(\d{2})", s)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    m = re.fullmatch(r"(\d{1,2})/(\d{4})", s)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    year = re.search(r"\b(\d{4})\b", s)
    if not year:
        return None
    month = re.match(r"([a-z]+)", s)
    number = _MONTHS.get(month.group(1)[:3]) if month else None
    if number is not None and month.group(1) in _MONTH_WORDS.split("|"):
        return f"{year.group(1)}-{number:02d}"
    return year.group(1)


def _status_text(text: str) -> str:
    """Status words without brackets, markdown emphasis, end punctuation or extra spaces."""
    s = " ".join(_nfkc(text).split())
    while True:
        before = s
        s = s.strip(" *_`").rstrip(" .,;:-\u2013\u2014").strip()
        if len(s) >= 2 and (s[0], s[-1]) in (("(", ")"), ("[", "]")):
            s = s[1:-1]
        if s == before:
            return s


class StatusVocabulary:
    """The status kinds, and the patterns that read status words such as "Revision March 2024".

    Parameters
    ----------
    kinds : iterable of str
        The status kinds.
    patterns : iterable of (kind, regex)
        Tried in order, each matched case-insensitively against the whole status text; the
        placeholder ``{date}`` stands for a date (a month and year, or a year).

    Examples
    --------
    >>> vocab = StatusVocabulary(["completed", "none"], [("completed", r"done(?:\\W+{date})?")])
    >>> vocab.match("(Done, May 2022)")
    ('completed', '2022-05')
    >>> vocab.match("Develop a survey") is None
    True
    """

    def __init__(self, kinds: Iterable[str], patterns: Iterable[tuple[str, str]]):
        self.kinds: tuple[str, ...] = tuple(kinds)
        self.patterns: tuple[tuple[str, str], ...] = tuple((k, p) for k, p in patterns)
        compiled = []
        for kind, pattern in self.patterns:
            if kind not in self.kinds:
                raise ValueError(f"pattern kind {kind!r} is not one of {list(self.kinds)}")
            compiled.append((kind, re.compile(pattern.replace("{date}", _DATE_RE), re.IGNORECASE)))
        self._compiled = tuple(compiled)

    def __repr__(self) -> str:
        return f"<StatusVocabulary {list(self.kinds)}, {len(self.patterns)} patterns>"

    def match(self, text: str) -> tuple[str, str | None] | None:
        """``(kind, date)`` when *text* is a status (brackets and emphasis allowed), else ``None``.

        >>> vocab = load_status_vocabulary()
        >>> [vocab.match(s) for s in ["(Completed)", "Revision March 2024", "New goal as of 2023"]]
        [('completed', None), ('revised', '2024-03'), ('new', '2023')]
        >>> vocab.match("Track member engagement") is None
        True
        """
        s = _status_text(text) if isinstance(text, str) else ""
        if not s:
            return None
        for kind, regex in self._compiled:
            m = regex.fullmatch(s)
            if m:
                date = m.groupdict().get("date")
                return kind, (_parse_date(date) if date else None)
        return None

    def match_prefix(self, text: str) -> tuple[str, str | None, str, str] | None:
        """A status at the start of an item: ``(kind, date, status text, rest of the text)``.

        The status is a bracketed group ("(Completed) Align journals") or words before a colon
        or a spaced dash ("Done: ...", "Ongoing - ..."); the whole text may also be a status.

        >>> vocab = load_status_vocabulary()
        >>> vocab.match_prefix("(Revision March 2024) Identify specific recruitment activities")
        ('revised', '2024-03', 'Revision March 2024', 'Identify specific recruitment activities')
        >>> vocab.match_prefix("Done: Align journals")
        ('completed', None, 'Done', 'Align journals')
        >>> vocab.match_prefix("New members: a survey") is None
        True
        """
        if not isinstance(text, str):
            return None
        t = _nfkc(text).lstrip()
        u = t[re.match(r"[*_]*", t).end():]
        if u[:1] in ("(", "["):
            end = u.find(")" if u[0] == "(" else "]")
            if end > 0:
                hit = self.match(u[1:end])
                if hit:
                    rest = re.sub(r"^[*_]*", "", u[end + 1 :]).lstrip(" \t:;,.-\u2013\u2014")
                    return hit[0], hit[1], _status_text(u[1:end]), rest.strip()
            return None
        m = re.match(r"(.{1,60}?)\s*(?::|\s[-\u2013\u2014]\s)\s*", u)
        if m:
            hit = self.match(m.group(1))
            if hit:
                return hit[0], hit[1], _status_text(m.group(1)), u[m.end() :].strip()
        hit = self.match(u)
        if hit:
            return hit[0], hit[1], _status_text(u), ""
        return None


# --------------------------------------------------------------------------------------------
# Frameworks and the whole reference
# --------------------------------------------------------------------------------------------


def _name_key(text: str) -> str:
    """Framework, stream and value names compared: case, "&", hyphens, possessives, "the"."""
    s = _nfkc(text).casefold().replace("&", " and ")
    s = _POSSESSIVE.sub("", s)
    s = _NOT_WORD.sub(" ", s)
    words = s.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


_POSSESSIVE = re.compile(r"'s\b")
_NOT_WORD = re.compile(r"[^\w\s]")
_STREAM_TAIL = re.compile(r"(?:\s+impact)?\s+streams?$")


def _stream_key(text: str) -> str:
    return _STREAM_TAIL.sub("", _name_key(text))


@dataclass(frozen=True)
class Framework:
    """An umbrella strategy (e.g. ALA's Pivot Strategy) and its streams.

    ``period`` is ``(start, end)`` years where the source gives them.

    Examples
    --------
    >>> fw = load_reference().framework("ALA's Pivot Strategy")
    >>> fw.title, fw.period, [s.name for s in fw.streams]
    ('The Pathway to Transformation', (2021, 2026), ['Membership', 'Continuing Education'])
    >>> fw.canonical_stream("continuing education impact stream")
    'Continuing Education'
    """

    name: str
    title: str | None
    aliases: tuple[str, ...]
    source: str | None
    streams: tuple[Concept, ...]
    period: tuple[int | None, int | None] = (None, None)

    def canonical_stream(self, name: str) -> str | None:
        """The stream's name for *name* (case, "&", a trailing "impact stream" ignored), or ``None``."""
        stream = self.stream(name)
        return stream.name if stream else None

    def stream(self, name: str) -> Concept | None:
        """The stream :class:`Concept` for *name*, or ``None``."""
        key = _stream_key(name) if isinstance(name, str) else ""
        if not key:
            return None
        for stream, stream_key in zip(self.streams, self._stream_keys):
            if stream_key == key:
                return stream
        return None

    @functools.cached_property
    def _stream_keys(self) -> tuple[str, ...]:
        """The streams' own keys, computed once per framework (which never changes once built)."""
        return tuple(_stream_key(stream.name) for stream in self.streams)

    def names(self) -> tuple[str, ...]:
        """The framework's name, title and aliases."""
        return tuple(n for n in (self.name, self.title, *self.aliases) if n)


@dataclass(frozen=True)
class Reference:
    """All reference data: a value set, the frameworks, the owner registry, the statuses.

    Examples
    --------
    >>> ref = load_reference()
    >>> ref.value_set, [v.name for v in ref.values][:3]
    ('Core values', ['Transparency', 'Diversity', 'Inclusion'])
    >>> ref.framework("pivot plan").name
    'ALA Pivot Strategy'
    >>> [(c.kind, c.name) for c in ref.concepts()][-2:]
    [('stream', 'Membership'), ('stream', 'Continuing Education')]
    """

    values: tuple[Concept, ...]
    value_set: str
    frameworks: tuple[Framework, ...]
    owners: OwnerRegistry
    statuses: StatusVocabulary
    #: The organisation whose values these are (``organisation`` of the value set's file).
    organisation: str | None = None

    def is_for(self, plan) -> bool:
        """Whether *plan* can be judged against this value set and owner registry: it names no
        organisation (text parsed on its own), or its organisation's name begins with the value
        set's (case, spacing and punctuation ignored: "Core: Leadership, Infrastructure, Futures
        (American Library Association)" is Core's).

        >>> from dataclasses import replace
        >>> from coreplan_analysis import parse_plan
        >>> ref, plan = load_reference(), parse_plan("1. Members", plan_id="p")
        >>> ref.is_for(plan), ref.is_for(replace(plan, organisation="CORE: Leadership, infrastructure, futures"))
        (True, True)
        >>> ref.is_for(replace(plan, organisation="Prairie Regional Library Association"))
        False
        """
        theirs = getattr(plan, "organisation", None)
        if not theirs or not self.organisation:
            return True
        return _name_key(theirs).startswith(_name_key(self.organisation))

    def framework(self, name_or_alias: str) -> Framework | None:
        """The framework with this name, title or alias (case and punctuation ignored), or ``None``."""
        key = _name_key(name_or_alias) if isinstance(name_or_alias, str) else ""
        for fw in self.frameworks:
            if key and any(_name_key(n) == key for n in fw.names()):
                return fw
        return None

    def concepts(self) -> tuple[Concept, ...]:
        """The values, then every framework's streams."""
        return self.values + tuple(s for fw in self.frameworks for s in fw.streams)

    def canonical_value(self, name: str) -> str | None:
        """The value's name as the value set writes it, or ``None``.

        >>> load_reference().canonical_value("knowledge sharing")
        'Knowledge Sharing'
        """
        key = _name_key(name) if isinstance(name, str) else ""
        for value in self.values:
            if key and _name_key(value.name) == key:
                return value.name
        return None


# --------------------------------------------------------------------------------------------
# Reading and checking the YAML
# --------------------------------------------------------------------------------------------

_TYPE_NAMES = {dict: "a mapping", list: "a list", str: "a string", bool: "true/false",
               int: "an integer", float: "a number", type(None): "nothing (null)"}  # fmt: skip


def _type_name(value) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _where(keypath: tuple) -> str:
    out = ""
    for k in keypath:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out or "the top of the file"


class _Doc:
    """One YAML file being checked; errors carry its path and the line of the offending key."""

    def __init__(self, path: Path):
        self.path = path
        self.data = load_yaml(path, error=DataError)
        self._root = False

    def line(self, keypath: tuple) -> int | None:
        if self._root is False:
            import yaml

            try:
                self._root = yaml.compose(self.path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
            except Exception:
                self._root = None
        node = self._root
        if node is None:
            return None
        for k in keypath:
            child = None
            if getattr(node, "id", None) == "mapping":
                for knode, vnode in node.value:
                    if getattr(knode, "value", None) == str(k):
                        child = vnode
            elif getattr(node, "id", None) == "sequence" and isinstance(k, int) and k < len(node.value):
                child = node.value[k]
            if child is None:
                break
            node = child
        return node.start_mark.line + 1

    def fail(self, message: str, keypath: tuple = ()):
        raise DataError(message, path=self.path, line=self.line(keypath))

    def mapping(self, value, keypath: tuple) -> dict:
        if not isinstance(value, dict):
            found = "an empty file" if value is None and not keypath else _type_name(value)
            self.fail(f"{_where(keypath)}: expected a mapping, found {found}", keypath)
        return value

    def keys(self, mapping: dict, keypath: tuple, required: tuple, optional: tuple) -> None:
        allowed = set(required) | set(optional)
        for key in mapping:  # unknown keys first: a misspelt key is why a required one is missing
            if key not in allowed:
                self.fail(
                    f"{_where(keypath + (key,))}: unknown key {key!r} "
                    f"(allowed: {', '.join(sorted(allowed))})",
                    keypath + (key,),
                )
        for key in required:
            if key not in mapping:
                self.fail(f"{_where(keypath)}: missing required key {key!r}", keypath)

    def string(self, mapping: dict, key: str, keypath: tuple, *, optional: bool = False) -> str | None:
        value = mapping.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{_where(keypath + (key,))}: expected a non-empty string, found {_type_name(value)}", keypath + (key,))
        return " ".join(value.split())

    def url(self, mapping: dict, key: str, keypath: tuple, *, optional: bool = True) -> str | None:
        value = self.string(mapping, key, keypath, optional=optional)
        if value is not None and not re.match(r"https?://\S+$", value):
            self.fail(f"{_where(keypath + (key,))}: expected a URL (http:// or https://), found {value!r}", keypath + (key,))
        return value

    def list(self, mapping: dict, key: str, keypath: tuple, *, optional: bool = False, nonempty: bool = True) -> list:
        value = mapping.get(key)
        if value is None and optional:
            return []
        if not isinstance(value, list):
            self.fail(f"{_where(keypath + (key,))}: expected a list, found {_type_name(value)}", keypath + (key,))
        if nonempty and not value:
            self.fail(f"{_where(keypath + (key,))}: expected a non-empty list", keypath + (key,))
        return value

    def strings(self, mapping: dict, key: str, keypath: tuple, *, optional: bool = False, nonempty: bool = True) -> tuple[str, ...]:
        items = self.list(mapping, key, keypath, optional=optional, nonempty=nonempty)
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                kp = keypath + (key, i)
                self.fail(f"{_where(kp)}: expected a non-empty string, found {_type_name(item)}", kp)
            out.append(" ".join(item.split()))
        return tuple(out)

    def lexicon(self, mapping: dict, keypath: tuple) -> tuple[str, ...]:
        words = self.strings(mapping, "lexicon", keypath)
        seen = set()
        for i, word in enumerate(words):
            kp = keypath + ("lexicon", i)
            if word != word.lower() or not re.fullmatch(r"[^\W_](?:[\w' &/.-]*[^\W_])?", word):
                self.fail(f"{_where(kp)}: lexicon entries are plain lowercase words or phrases, found {word!r}", kp)
            if word in seen:
                self.fail(f"{_where(kp)}: {word!r} is listed twice", kp)
            seen.add(word)
        return words


def _stamp(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return str(path.resolve()), st.st_mtime_ns, st.st_size


@functools.lru_cache(maxsize=32)
def _read_values(path: str, _mtime: int, _size: int) -> tuple[str, str, tuple[Concept, ...]]:
    doc = _Doc(Path(path))
    top = doc.mapping(doc.data, ())
    doc.keys(top, (), ("set", "organisation", "source", "values"),
             ("organisation_source", "mission", "mission_source", "description_source", "lexicon_source", "note"))  # fmt: skip
    set_name = doc.string(top, "set", ())
    organisation = doc.string(top, "organisation", ())
    source = doc.url(top, "source", (), optional=False)
    concepts, seen = [], {}
    for i, entry in enumerate(doc.list(top, "values", ())):
        kp = ("values", i)
        item = doc.mapping(entry, kp)
        doc.keys(item, kp, ("name", "description", "lexicon"), ("source", "source_note", "note"))
        name = doc.string(item, "name", kp)
        if _name_key(name) in seen:
            doc.fail(f"{_where(kp + ('name',))}: value {name!r} is listed twice", kp + ("name",))
        seen[_name_key(name)] = name
        concepts.append(Concept(
            name=name,
            framework=set_name,
            kind="value",
            description=doc.string(item, "description", kp),
            lexicon=doc.lexicon(item, kp),
            source=doc.url(item, "source", kp) if "source" in item else source,
        ))  # fmt: skip
    return set_name, organisation, tuple(concepts)


@functools.lru_cache(maxsize=32)
def _read_framework(path: str, _mtime: int, _size: int) -> Framework:
    doc = _Doc(Path(path))
    top = doc.mapping(doc.data, ())
    doc.keys(top, (), ("framework", "streams"),
             ("title", "aliases", "source", "sources", "period", "organisation",
              "description_source", "lexicon_source", "note"))  # fmt: skip
    name = doc.string(top, "framework", ())
    title = doc.string(top, "title", (), optional=True)
    aliases = doc.strings(top, "aliases", (), optional=True, nonempty=False)
    source = doc.url(top, "source", ())
    for i, url in enumerate(doc.list(top, "sources", (), optional=True, nonempty=False)):
        if not isinstance(url, str) or not re.match(r"https?://\S+$", url):
            doc.fail(f"sources[{i}]: expected a URL (http:// or https://), found {url!r}", ("sources", i))
    period = (None, None)
    if top.get("period") is not None:
        p = doc.mapping(top["period"], ("period",))
        doc.keys(p, ("period",), ("start", "end"), ())
        for key in ("start", "end"):
            if type(p[key]) is not int:
                doc.fail(f"period.{key}: expected a year (an integer), found {_type_name(p[key])}", ("period", key))
        period = (p["start"], p["end"])
    streams, seen = [], set()
    for i, entry in enumerate(doc.list(top, "streams", ())):
        kp = ("streams", i)
        item = doc.mapping(entry, kp)
        doc.keys(item, kp, ("name", "description", "lexicon"), ("named_in_plan", "source", "source_note", "note"))
        sname = doc.string(item, "name", kp)
        if _stream_key(sname) in seen:
            doc.fail(f"{_where(kp + ('name',))}: stream {sname!r} is listed twice", kp + ("name",))
        seen.add(_stream_key(sname))
        named = item.get("named_in_plan")
        if named is not None and not isinstance(named, bool):
            doc.fail(f"{_where(kp + ('named_in_plan',))}: expected true, false or null, found {_type_name(named)}", kp + ("named_in_plan",))
        streams.append(Concept(
            name=sname,
            framework=name,
            kind="stream",
            description=doc.string(item, "description", kp),
            lexicon=doc.lexicon(item, kp),
            source=doc.url(item, "source", kp) if "source" in item else source,
            named_in_plan=named,
        ))  # fmt: skip
    return Framework(name, title, aliases, source, tuple(streams), period)


@functools.lru_cache(maxsize=32)
def _read_owners(path: str, _mtime: int, _size: int) -> OwnerRegistry:
    doc = _Doc(Path(path))
    top = doc.mapping(doc.data, ())
    doc.keys(top, (), ("owners",), ("kinds", "organisation", "sources", "committee_sources", "note"))
    kinds = doc.strings(top, "kinds", (), optional=True) or OWNER_KINDS
    entries = doc.list(top, "owners", ())
    owners, names, keys = [], {}, {}
    for i, entry in enumerate(entries):
        kp = ("owners", i)
        item = doc.mapping(entry, kp)
        doc.keys(item, kp, ("name", "kind"), ("aliases", "parent", "source", "source_note", "parent_source", "note"))
        name = doc.string(item, "name", kp)
        kind = doc.string(item, "kind", kp)
        if kind not in kinds:
            doc.fail(f"{_where(kp + ('kind',))}: kind {kind!r} is not one of {', '.join(kinds)}", kp + ("kind",))
        aliases = doc.strings(item, "aliases", kp, optional=True, nonempty=False)
        if name in names:
            doc.fail(f"{_where(kp + ('name',))}: owner {name!r} is listed twice", kp + ("name",))
        names[name] = i
        for j, spelling in enumerate((name, *aliases)):
            where = kp + (("name",) if j == 0 else ("aliases", j - 1))
            key = _owner_key(spelling)
            if not key:
                doc.fail(f"{_where(where)}: {spelling!r} is not a usable owner name", where)
            other = keys.setdefault(key, name)
            if other != name:
                doc.fail(f"{_where(where)}: {spelling!r} reads the same as a name of {other!r} "
                         "(case, '&'/'and', plural 's', leading 'Core '/'the ' are ignored)", where)  # fmt: skip
        if "parent_source" in item:
            doc.url(item, "parent_source", kp)
        owners.append(Owner(name, kind, aliases, doc.string(item, "parent", kp, optional=True), doc.url(item, "source", kp)))
    for i, owner in enumerate(owners):
        if owner.parent is not None and (owner.parent not in names or owner.parent == owner.name):
            doc.fail(f"owners[{i}].parent: {owner.parent!r} is not the canonical name of another owner in this file", ("owners", i, "parent"))
    return OwnerRegistry(owners)


@functools.lru_cache(maxsize=32)
def _read_statuses(path: str, _mtime: int, _size: int) -> StatusVocabulary:
    from ._model import STATUS_KINDS

    doc = _Doc(Path(path))
    top = doc.mapping(doc.data, ())
    doc.keys(top, (), ("kinds", "patterns"), ("source_note", "note"))
    kinds = doc.strings(top, "kinds", ())
    for i, kind in enumerate(kinds):
        if kind not in STATUS_KINDS:
            doc.fail(f"kinds[{i}]: {kind!r} is not a status of the model ({', '.join(STATUS_KINDS)})", ("kinds", i))
    patterns, examples = [], []
    for i, entry in enumerate(doc.list(top, "patterns", ())):
        kp = ("patterns", i)
        item = doc.mapping(entry, kp)
        doc.keys(item, kp, ("kind", "pattern", "examples"), ("note",))
        kind = doc.string(item, "kind", kp)
        if kind not in kinds:
            doc.fail(f"{_where(kp + ('kind',))}: {kind!r} is not one of kinds ({', '.join(kinds)})", kp + ("kind",))
        pattern = item.get("pattern")
        if not isinstance(pattern, str) or not pattern.strip():
            doc.fail(f"{_where(kp + ('pattern',))}: expected a regular expression, found {_type_name(pattern)}", kp + ("pattern",))
        try:
            re.compile(pattern.replace("{date}", _DATE_RE), re.IGNORECASE)
        except re.error as exc:
            doc.fail(f"{_where(kp + ('pattern',))}: not a valid regular expression ({exc})", kp + ("pattern",))
        patterns.append((kind, pattern))
        examples.append(doc.strings(item, "examples", kp))
    vocab = StatusVocabulary(kinds, patterns)
    for i, (kind, _) in enumerate(patterns):
        for j, example in enumerate(examples[i]):
            hit = vocab.match(example)
            if hit is None or hit[0] != kind:
                got = "no status" if hit is None else f"status {hit[0]!r}"
                kp = ("patterns", i, "examples", j)
                doc.fail(f"{_where(kp)}: example {example!r} reads as {got}, not {kind!r}", kp)
    return vocab


# --------------------------------------------------------------------------------------------
# The loaders
# --------------------------------------------------------------------------------------------


def _workspace(workspace) -> Workspace:
    if workspace is None:
        return Workspace()
    if isinstance(workspace, Workspace):
        return workspace
    if not isinstance(workspace, (str, os.PathLike)):
        raise TypeError(f"workspace must be a Workspace, a folder path or None, not {type(workspace).__name__}")
    folder = Path(workspace)
    if not folder.is_dir():
        raise DataError("workspace folder not found", path=folder)
    return Workspace(folder)


def _find(ws: Workspace, relpath: str) -> Path:
    path = ws.find(relpath)
    if path is None:
        raise DataError("no such file in the workspace or the bundled data", path=ws.roots[0] / relpath)
    if not path.is_file():
        raise DataError("is not a file", path=path)
    return path


def load_owner_registry(workspace=None) -> OwnerRegistry:
    """The owner registry of ``reference/owners.yaml`` (the workspace's copy winning).

    Parameters
    ----------
    workspace : Workspace, str or os.PathLike, optional
        A workspace, or a folder; ``None`` reads the bundled data (and ``$COREPLAN_DATA``).

    Examples
    --------
    >>> reg = load_owner_registry()
    >>> [reg.canonical(s) for s in ["Diversity & Inclusion Committee", "ALA Staff", "Task Force"]]
    ['Diversity and Inclusion Committee', 'ALA Staff', None]
    """
    return _read_owners(*_stamp(_find(_workspace(workspace), _OWNERS_FILE)))


def load_status_vocabulary(workspace=None) -> StatusVocabulary:
    """The status vocabulary of ``reference/statuses.yaml`` (the workspace's copy winning).

    Examples
    --------
    >>> vocab = load_status_vocabulary()
    >>> list(vocab.kinds)
    ['completed', 'revised', 'new', 'in_progress', 'none', 'unknown']
    >>> vocab.match("Revised November 2022")
    ('revised', '2022-11')
    """
    return _read_statuses(*_stamp(_find(_workspace(workspace), _STATUSES_FILE)))


def load_reference(workspace=None, *, value_set: str | None = None) -> Reference:
    """All reference data, from the bundled ``data/reference/`` overlaid by a workspace.

    Parameters
    ----------
    workspace : Workspace, str or os.PathLike, optional
        A workspace, or a folder; ``None`` reads the bundled data (and ``$COREPLAN_DATA``).
    value_set : str, optional
        The file name stem of another value set in ``reference/values/`` (e.g. ``"acrl"`` for
        ``reference/values/acrl.yaml``); by default ``reference/values.yaml``.

    Returns
    -------
    Reference

    Raises
    ------
    DataError
        A file is missing or malformed (the message names the file, line and key).

    Examples
    --------
    >>> ref = load_reference()
    >>> [v.name for v in ref.values]
    ['Transparency', 'Diversity', 'Inclusion', 'Knowledge Sharing', 'Collaboration', 'Sustainability', 'Innovation']
    >>> [fw.name for fw in ref.frameworks]
    ['ALA Pivot Strategy']
    >>> load_reference() is load_reference()  # cached while its files are unchanged
    True
    """
    ws = _workspace(workspace)
    if value_set is not None and not _is_stem(value_set):
        return _load_reference(ws, value_set)  # raises the DataError that names the problem
    # One entry per (folders searched, value set), reused while none of the files it was read
    # from, nor the listings of the folders searched for frameworks and value sets, changed:
    # a parse needs the reference data, so this runs once per parsed plan.
    key = (ws.cache_key(), value_set)
    hit = _REFERENCES.get(key)
    if hit is not None:
        return hit
    files = (_OWNERS_FILE, _STATUSES_FILE, _STREAMS_FILE) + ((_VALUES_FILE,) if value_set is None else ())
    folders = (_FRAMEWORKS_DIR,) + ((_VALUE_SETS_DIR,) if value_set is not None else ())
    paths = ws.watched(files, folders)
    stamps = StampedCache.stamps(paths)  # before reading, so an edit made meanwhile is seen next time
    ref = _load_reference(ws, value_set)
    _REFERENCES.put(key, paths, stamps, ref)
    return ref


#: :func:`load_reference`'s cache.
_REFERENCES = StampedCache()


def _is_stem(value_set) -> bool:
    return isinstance(value_set, str) and bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value_set)) \
        and ".." not in value_set


def _load_reference(ws: Workspace, value_set: str | None) -> Reference:
    """:func:`load_reference`, uncached."""
    if value_set is None:
        values_path = _find(ws, _VALUES_FILE)
    else:
        if not _is_stem(value_set):
            raise DataError(f"value set {value_set!r} is not a file name stem", path=ws.roots[0] / _VALUE_SETS_DIR)
        values_path = ws.find(f"{_VALUE_SETS_DIR}/{value_set}.yaml")
        if values_path is None:
            known = [p.stem for p in ws.glob(_VALUE_SETS_DIR, "*.yaml")]
            raise DataError(
                f"no value set {value_set!r} (known: {', '.join(known) if known else 'none'})",
                path=ws.roots[0] / _VALUE_SETS_DIR / f"{value_set}.yaml",
            )
    set_name, organisation, values = _read_values(*_stamp(values_path))

    frameworks: list[Framework] = []
    claimed: dict[str, str] = {}
    extra = sorted(ws.glob(_FRAMEWORKS_DIR, "*.yaml") + ws.glob(_FRAMEWORKS_DIR, "*.yml"), key=lambda p: p.name)
    for path in [_find(ws, _STREAMS_FILE), *extra]:
        fw = _read_framework(*_stamp(path))
        for n in fw.names():
            other = claimed.setdefault(_name_key(n), fw.name)
            if other != fw.name:
                raise DataError(f"framework name or alias {n!r} is already used by framework {other!r}", path=path)
        frameworks.append(fw)

    return Reference(
        values=values,
        value_set=set_name,
        frameworks=tuple(frameworks),
        owners=load_owner_registry(ws),
        statuses=load_status_vocabulary(ws),
        organisation=organisation,
    )
