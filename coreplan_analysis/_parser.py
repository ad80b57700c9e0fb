"""Turn a plan's text into a :class:`~coreplan_analysis.Plan`.

``parse_plan(text)`` works on strings; ``read_plan(path)`` opens a file (plain text, Markdown,
HTML, Word or PDF; see :mod:`coreplan_analysis._formats`), with DESIGN's rules for encodings and
bad input, and delegates. The parser reports damage as diagnostics with line numbers and never
repairs or invents text.

It reads line by line, keeping a small state: the section or area that is open, the label mode
("Goals:", "Actions:"), and a stack of open items for nesting by numbers ("1" > "1.1", "1" >
"1a"), by marker style (an outline's "A." > "1." > "a.") or by indentation (bullets).

How a plan is written comes from a profile (:mod:`coreplan_analysis._profile`). With no profile
the parser infers one: it reads the text with ``core``, with each bundled or workspace profile
whose markers the text shows, and with a profile built from the text's own division markers
(:func:`~coreplan_analysis._profile.infer_profile`), scores each reading (:func:`score_parse`:
the share of lines it explains, less a penalty for lost headings, numbering gaps, unread prose
and empty areas) and keeps the best, saying so in a ``profile`` diagnostic with the score.

Cost is linear in the size of the text: every line is looked at a bounded number of times,
parents are found through dictionaries and a stack no deeper than :data:`MAX_DEPTH`, and no
regular expression used on whole lines can backtrack over more than a line. What does not
depend on the text is prepared once per process: the reference data and the profiles to try are
cached while their files are unchanged, and owner names and status words, which repeat from
item to item, are looked up once per registry. Some checks run a cheap necessary condition
first (a colon before a labelled owner, a closing parenthesis before an owners group); each
such shortcut gives what the plain pattern gives (tests/test_parse_caching.py and
tests/test_parse_fast_paths.py compare them); the same goes for the first characters a marker
pattern needs. Owner groups are split and normalised once per registry, and the cyclic garbage
collector waits while a parse runs (everything it builds lives until it returns).

Within one call, what does not depend on the profile is read once (:class:`_Lines`: the lines,
stripped, the non-blank ones, page furniture) and shared by inference, every candidate
reading, the coverage check and the score; a paragraph is cleaned of markup once however many
checks read it. More shortcuts, each compared with its plain definition in
tests/test_parse_fast_paths.py: a word count refuses long texts before the title test, a
status tail is searched for only from its first possible separator, owner mentions are looked
for only in a text that one pattern of all owner names matches (the text as ``find_mentions``
reads it, NFKC-normalised), announced area counts only in a paragraph that names areas (and,
in ASCII, case-sensitively in lower case), and a numbered line is tested as an area title only
when it could continue the areas or repeat a listed title (and a bare line as a repeated title
only when its first word starts one). Once the plan is built, items are unlinked from their
parents, so that nothing a parse builds is left for the cyclic garbage collector.

Fourth round (tests/test_parse_fast_paths2.py): items are built without the frozen dataclass's
``__init__``; a profile pattern is not tried on a line whose first (or, for the values intro,
last) character none of its matches can have (:func:`~coreplan_analysis._profile._first_ascii`);
a folded item text with no separator pair is refused a status tail without the pattern; page
numbers and page edges are looked for only on lines that end (or start) as they must; and
``find_mentions`` runs only the patterns whose literals are all in the text.
"""

from __future__ import annotations

import functools
import re
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path

from ._errors import InputError
from ._io import sha256_bytes
from ._paths import StampedCache, Workspace, bundled_data_dir
from ._runtime import gc_paused
from ._model import (
    Area,
    Commitment,
    Diagnostic,
    Item,
    Plan,
    Section,
    Source,
    Status,
    StreamRef,
    TimelineEntry,
)

__all__ = ["parse_plan", "parse_plans", "read_plan", "clean_markup", "MAX_DEPTH", "slugify", "score_parse", "INFER_SAMPLE_CHARS"]

#: Items nested deeper than this are kept flat at this level, with a diagnostic.
MAX_DEPTH = 8
#: With no profile, candidate profiles are compared on at most this many characters of the text.
INFER_SAMPLE_CHARS = 200_000

_MINOR = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
    "to", "with", "&", "vs", "via", "per", "but", "nor", "its", "our",
}
_DANGLING = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
    "to", "with", "that", "which", "who", "whose", "their", "our", "its", "is", "are", "be",
    "both", "but", "nor", "than", "throughout", "between", "through", "including", "such",
}
_TERMINAL = tuple('.!?:;)"”’\'*]')
#: The characters of _TERMINAL (each one character long): ``t.endswith(_TERMINAL)`` is
#: ``t[-1:] in _TERMINAL_CHARS``, without trying each of them in turn.
_TERMINAL_CHARS = frozenset(_TERMINAL)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_MONTHS = {
    m: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for m in names
}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2),
            "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12)}

_BULLET_CHARS = "-*•–—o▪◦·●■➢►‣⁃\uf0b7\uf0a7"
_BULLET = re.compile(r"^(?P<bullet>[" + _BULLET_CHARS + r"])\s+(?=\S)")
_MARKER = re.compile(
    r"^(?:"
    r"(?P<dotted>\d{1,3}(?:\.\d{1,3})+)[.)]?"
    r"|\((?P<pnum>\d{1,3}|[A-Za-z]|[ivx]{2,5}|[IVX]{2,5})\)"
    r"|(?P<alnum>\d{1,3}[a-z])(?P<ap>[.)])"
    r"|(?P<num>\d{1,3})(?P<np>[.)])"
    r"|(?P<roman>[ivx]{2,5}|[IVX]{2,5})(?P<rp>[.)])"
    r"|(?P<letter>[A-Za-z])(?P<lp>[.)])"
    r")\s+(?=\S)"
)
_BARE_MARKER = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*[a-z]?|[A-Za-z]|[ivx]{2,5}|[IVX]{2,5})[.)]$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_WHOLE_BOLD = re.compile(r"^(?:\*\*|__)(?P<inner>(?:(?!\*\*|__).)+?)(?:\*\*|__)(?P<colon>:?)\s*$")
#: A bold label word at the start of a line, its colon inside or after the bold: "**Goal:** text",
#: "**Goal**: text", "__Goal:__ text" (read as "Goal: text" when the word is one of the profile's labels).
_BOLD_LABEL = re.compile(r"^(\*\*|__)(?P<label>[^*_:]{1,40}?)\s*(?:(?P<c1>:)\1|\1\s*(?P<c2>:))\s*(?P<rest>.*)$")
_LEAD_PAREN = re.compile(r"^\((?P<inner>[^()]{1,80})\)\s*")
_TRAIL_PAREN = re.compile(r"\s*\((?P<inner>\*[^()]*\*|[^()]*)\)\s*\.?\s*$")
_TRAIL_ITALIC = re.compile(r"(?<![*\w])\*(?P<inner>[^*]{2,200})\*\s*\.?\s*$")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^)\s]*\)")
_BOLD = re.compile(r"\*\*((?:[^*]|\*(?!\*))+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])")
_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)?\d\d)\b")
_FY_RANGE = re.compile(r"\bFY\s?'?(\d{2}|\d{4})\s*[-–—/]\s*(?:FY\s?'?)?(\d{2}|\d{4})\b", re.IGNORECASE)
_COUNT = re.compile(
    r"\b(?P<n>two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?P<what>(?:strategic\s+)?"
    r"(?:areas\s+of\s+focus|focus\s+areas|areas|priorities|directions|pillars|goal\s+areas))\b",
    re.IGNORECASE,
)
#: _COUNT without its case-insensitivity, for text in lower case.
_COUNT_LOWER = re.compile(_COUNT.pattern)
#: Words one of which every match of _COUNT holds (in lower case).
_COUNT_KEYS = ("area", "priorities", "directions", "pillars")


def _count_matches(text: str):
    """The matches of ``_COUNT.finditer(text)``, with the same spans and groups (in lower case).

    An ASCII text is lowered and searched with the case-sensitive pattern (the same matches: in
    ASCII, ignoring case is lowering), and only when it holds one of the words every match
    holds; other texts are searched with ``_COUNT``.
    """
    if not text.isascii():
        return _COUNT.finditer(text)
    low = text.lower()
    if not any(key in low for key in _COUNT_KEYS):
        return ()
    return _COUNT_LOWER.finditer(low)


_CELL_SPLIT = re.compile(r"\s+\|\s+|\t+")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_HEADER_WORDS = {"action", "actions", "task", "tasks", "lead", "leads", "owner", "owners", "responsible",
                 "responsibility", "status", "timeline", "timeframe", "due", "due date", "goal", "goals",
                 "objective", "objectives", "strategy", "strategies", "activity", "activities", "notes",
                 "progress", "deadline", "target date", "who", "what", "when", "measure", "measures",
                 "initiative", "initiatives", "lead group", "responsible party", "tactic", "tactics"}
_COLOUR_STATUS = re.compile(
    r"^(?:green|amber|yellow|red|orange|grey|gray|blue|[\U0001F534-\U0001F7EB]|[●○◐◑■□])+$", re.IGNORECASE)
_PAGE_NO = re.compile(
    r"^(?:(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*(?:of|/)\s*\d{1,4}"
    r"|[-–—]\s*\d{1,4}\s*[-–—]|\d{1,3})$",
    re.IGNORECASE,
)
_PAGE_EDGE = re.compile(
    r"^(?:.{1,100}?(?:\s[|•·–—-]\s|\s{2,})\s*(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s[|•·–—-]\s|\s{2,}).{1,100})$",
    re.IGNORECASE,
)
_INLINE_HEAD = re.compile(r"^(?P<head>[A-Z][A-Za-z'’ &-]{1,40}?)\s*:\s+(?P<rest>\S.*)$")


def clean_markup(text: str) -> str:
    """Remove Markdown residue from a text field: links, bold, italics; fold white space.

    >>> clean_markup("Refine the statement of [Core's value](#) to *members* (**now**)")
    "Refine the statement of Core's value to members (now)"
    """
    if "[" in text:
        text = _LINK.sub(r"\1", text)
    if "*" in text:
        text = _BOLD.sub(r"\1", text)
        text = _ITALIC.sub(r"\1", text)
    return " ".join(text.split())


def slugify(name: str) -> str:
    """A plan id from a file name.

    >>> slugify("My Plan (2025-2028).txt")
    'my-plan-2025-2028'
    """
    stem = re.sub(r"\.(txt|md|markdown|html?|docx|pdf)$", "", name, flags=re.IGNORECASE)
    slug = re.sub(r"[^a-z0-9]+", "-", stem.casefold()).strip("-")
    return slug or "plan"


def _fold(text: str) -> str:
    """``" ".join(text.split())``: white space folded to single spaces, none at either end.

    A printable ASCII text holds no white space but the plain space: with no two spaces in a row
    and none at either end, it is folded already (and returned as it is).
    """
    if text.isascii() and text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


_WORD = re.compile(r"[A-Za-z0-9][\w'’&-]*|&")


def _dangles(last: str | None) -> bool:
    """Whether a text whose last word is *last* (``None``: no word) breaks off mid-sentence, as
    :meth:`_Parser.check_item` judges it: a function word ("the", "and") or a lone lowercase
    letter other than "a" and "i"."""
    return last is not None and (last.casefold() in _DANGLING or (len(last) == 1 and last.islower()
                                                                  and last not in "ai"))


def _last_word(text: str) -> str | None:
    """``_words(text)[-1]``, or ``None`` when *text* has no word.

    Words never hold a space, and a space starts the word scan afresh: the words after the last
    space are the last words of the whole text, so only that part is scanned when it has one.
    """
    cut = text.rfind(" ")
    if cut >= 0:
        tail = text[cut + 1:]
        if tail.isascii() and tail.isalpha():
            return tail  # ASCII letters only: one word, the whole of it
        words = _words(tail)
    else:
        words = None
    if not words:
        words = _words(text)
    return words[-1] if words else None


def _title_like(text: str, max_words: int = 12) -> bool:
    """Whether *text* reads as a heading: short, no closing period, mostly capitalised words."""
    if len(text) > 400 or text.count(" ") > 4 * max_words + 8:
        return False  # (checked before the cache, so long lines are never kept in it)
    if "[" not in text:
        # The cheap refusals of _title_like_short, made here without a call or a cache entry
        # (most item texts are refused so). With no link, clean_markup() only folds white space
        # and drops asterisks: every other character stays, so the count of those is a lower
        # bound of the cleaned length; and dropping every asterisk can only join words, so the
        # text without them has at most as many words as the cleaned one.
        # (The refusals are asked cheapest first: each gives False, so their order does not
        # change the answer.)
        star = "*" in text
        if not star:
            # (clean_markup() returns " ".join(text.split()): its last character is the last of
            # text.rstrip().)
            end = text.rstrip()
            if not end or end[-1] in ".,;!?":
                return False
        if _more_words(max_words).match(text.replace("*", "") if star else text):
            return False
        if not star:
            if len(" ".join(text.split())) > 120:
                return False
        elif len("".join(text.split())) - text.count("*") > 120:
            return False
    return _title_like_short(text, max_words)


@functools.lru_cache(maxsize=None)
def _more_words(max_words: int) -> re.Pattern:
    """A pattern that matches (at the start) a text of more than *max_words* words.

    It reads the words as :func:`_words` finds them: it skips what cannot start a word, then
    takes a word (an ASCII letter or digit and what follows it) or an "&", possessively (no
    backtracking that could cut a word in two), ``max_words + 1`` times.
    """
    return re.compile(r"(?:[^A-Za-z0-9&]*+(?:[A-Za-z0-9][\w'’&-]*+|&)){%d}" % (max_words + 1))


@functools.lru_cache(maxsize=1024)
def _title_like_short(text: str, max_words: int) -> bool:
    t = clean_markup(text).strip()
    if not t or len(t) > 120 or t[-1] in ".,;!?":
        return False
    words = _words(t)
    if not words or len(words) > max_words:
        return False
    if not (t[0].isupper() or t[0].isdigit() or t[0] in "\"“'‘"):
        return False
    major = [w for w in words[1:] if w.casefold() not in _MINOR]
    if not major:
        return True
    caps = sum(1 for w in major if w[0].isupper() or w[0].isdigit())
    return caps / len(major) >= 0.75


def _is_caps(text: str) -> bool:
    if len(text) > 240 or not text.isupper():
        return False
    t = clean_markup(text)
    letters = sum(ch.isalpha() for ch in t)
    return letters >= 3 and t.upper() == t and len(t.split()) <= 12 and len(t) <= 120


def _norm_title(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", clean_markup(text).casefold()).split())


_NOT_WORD = re.compile(r"[^\w\s]")
_WORD_RUN = re.compile(r"\w+")


def _roman_value(s: str) -> int | None:
    from ._profile import _roman_value as rv

    return rv(s)


@dataclass(slots=True)
class _Marker:
    cat: str        # dotted | arabic | alnum | letter | roman
    style: str      # "dotted", "1.", "1)", "(1)", "1a", "a.", "A)", "i.", "I.", ...
    number: str     # as printed, without punctuation
    text: str
    ambiguous: bool = False  # a single i, v, x (I, V, X): letter or Roman numeral


@dataclass(slots=True)
class _Line:
    no: int
    raw: str
    indent: int
    bullet: str | None
    content: str  # stripped, bullet removed
    heading: int  # Markdown heading level, 0 when none
    plain: str    # content without a Markdown "#" or whole-line bold
    marker: _Marker | None


@dataclass(eq=False)
class _ItemB:
    number: str | None
    parts: list
    first: int
    last: int
    depth: int
    kind: str
    indent: int
    bullet: bool
    labelled: bool = False
    style: str = "none"
    children: list = field(default_factory=list)
    parent: "_ItemB | None" = None
    top_goal: bool = False
    pending: bool = False
    status: Status | None = None
    cells: list | None = None
    #: The owners of a labelled owner line ("Responsible: ...") appended to the item as a
    #: parenthesis, folded: that parenthesis is owners whatever words it holds.
    owners_label: str | None = None

    @property
    def raw(self) -> str:
        return "".join(self.parts)


@dataclass(eq=False)
class _AreaB:
    number: str | None
    title: str | None
    first: int
    last: int
    heading_line: int | None
    implicit: bool = False
    statement: list = field(default_factory=list)  # [first, last, [parts]]
    values: list = field(default_factory=list)
    items: list = field(default_factory=list)  # top-level _ItemB
    mode: str | None = None
    labelled_goal: _ItemB | None = None
    base: _ItemB | None = None  # the goal that the items of an action label belong to
    #: A "Goal: text" line (singular label, with its text): a list right after it holds its actions.
    goal_lead: _ItemB | None = None
    all_items: list = field(default_factory=list)
    by_number: dict = field(default_factory=dict)
    by_dots: dict = field(default_factory=dict)
    stack: list = field(default_factory=list)
    columns: list | None = None
    summary: bool = False
    roman: int | None = None
    letter: int | None = None


@dataclass(eq=False)
class _SectionB:
    kind: str
    title: str | None
    first: int
    last: int
    paragraphs: list = field(default_factory=list)  # [first, last, [lines]]


@dataclass(eq=False)
class _TimeB:
    when: str
    start: str | None
    end: str | None
    parts: list
    first: int
    last: int
    owners: tuple


class _Lines:
    """One reading of a text's lines that every reading of the text shares (whatever the
    profile): the lines (``str.splitlines``), each stripped, the numbers of the non-blank ones
    and the page furniture (:func:`_furniture`). Built once per :func:`parse_plan` call."""

    __slots__ = ("lines", "stripped", "nonblank", "furniture")

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.stripped = [line.strip() for line in self.lines]
        #: 1-based numbers of the non-blank lines.
        self.nonblank = [no for no, s in enumerate(self.stripped, start=1) if s]
        self.furniture = _furniture(self.lines, self.stripped) if self.nonblank else {}


def _furniture(lines: list[str], stripped: list[str] | None = None) -> dict[int, str]:
    """Page numbers and running headers or footers (0-based line index -> what it is).

    A running header is a short line repeated (digits aside) at least three times in a text that
    also has page numbers; its first occurrence is kept when it is among the first five lines.
    *stripped* is ``[line.strip() for line in lines]`` when the caller has it.
    """
    if stripped is None:
        stripped = [line.strip() for line in lines]
    out: dict[int, str] = {}
    paged: set[int] = set()  # lines that read as page numbers, kept or not
    n = len(lines)
    for i, s in enumerate(stripped):
        if not s or len(s) > 140:
            continue
        # (_PAGE_NO needs a "p", a digit or a dash first, and a digit or a dash last; _PAGE_EDGE
        # needs a page word.)
        if (((s[0] in _PAGE_FIRST or s[0].isdigit()) and (s[-1] in _PAGE_LAST or s[-1].isdigit())
             and _PAGE_NO.match(s)) or (_may_be_page_edge(s) and _PAGE_EDGE.match(s))):
            paged.add(i)
            if s.isdigit() and not ((i == 0 or not stripped[i - 1]) and (i + 1 >= n or not stripped[i + 1])):
                continue
            out[i] = "page number" if _PAGE_NO.match(s) else "page header or footer"
    if not out:
        return out  # running headers are looked for only in a text with page numbers
    counts: dict[str, list[int]] = {}
    for i, s in enumerate(stripped):
        if s and len(s) <= 100 and i not in paged:
            counts.setdefault(_DIGITS.sub("#", " ".join(s.split())), []).append(i)
    for key, idxs in counts.items():
        if len(idxs) >= 3 and not _BARE_MARKER.match(key) and not key.endswith(":"):
            nonblank_before = 0
            for k, i in enumerate(idxs):
                if k == 0:
                    nonblank_before = sum(1 for x in lines[: i + 1] if x.strip()) if i < 40 else 99
                    if nonblank_before <= 5:
                        continue
                out[i] = "running header or footer"
    return out


_DIGITS = re.compile(r"\d+")
#: What a page number can start with besides a digit ("page", "p.", "pg", "- 3 -"; only "p" and
#: "P" match "p" ignoring case).
_PAGE_FIRST = "pP-–—"
#: What a page number can end with besides a digit (the dash of "- 3 -"), on a stripped line.
_PAGE_LAST = "-–—"


def _may_be_page_edge(s: str) -> bool:
    """A cheap necessary condition for ``_PAGE_EDGE`` on a stripped line: it starts with its
    page word (a "p" or "P": no other letter matches "p" ignoring case) or ends with its page
    number (a digit), and it names a page ("page", "p.", "pg"; only ASCII letters match these
    case-insensitively). Most lines fail the first test, which needs no lowered copy."""
    if not (s[-1:].isdigit() or s[:1] in ("p", "P")):
        return False
    low = s.lower()
    return "pag" in low or "p." in low or "pg" in low


class _Parser:
    def __init__(self, text: str, profile, reference, source_name: str | None, lines: _Lines | None = None):
        self.text = text
        self.profile = profile
        self.reference = reference
        self.registry = reference.owners
        self.statuses = reference.statuses
        self.source_name = source_name
        if lines is None:
            lines = _Lines(text)
        self.read = lines
        self.lines = lines.lines
        self.diags: list[Diagnostic] = []
        self.sections: list[_SectionB] = []
        self.areas: list[_AreaB] = []
        self.all_areas: list[_AreaB] = []  # every area opened (summaries, dropped later, too)
        self.timeline: list[_TimeB] = []
        self.title_lines: list[tuple[int, str]] = []
        self.section: _SectionB | None = None
        self.area: _AreaB | None = None
        self.top_block = True
        self.prev: object | None = None  # element the previous non-blank line went to
        self.prev_blank = True
        self.prev_text = ""
        self.pending_title: _AreaB | None = None
        self.bare_marker: _Line | None = None
        self.seq: dict[str, int] = {}  # last ordinal per marker style in the open container
        self.listed: dict[str, tuple] = {}  # titles listed before (summary lists)
        self.listed_first: set[str] = set()  # the first word of each title in self.listed
        self.area_roman = 0
        self.area_letter = 0
        self.furniture = lines.furniture
        self._next_nb: dict[int, int] = {}  # line index -> index of the next line with text (-1: none)
        self._joined_last: int | None = None
        self._memo_status = _memo(self.statuses, "match")
        self._memo_owner = _memo(self.registry, "normalize")
        self._memo_groups = _memo(self.registry, "owners groups")
        self._cleaned: dict[str, str] = {}  # paragraphs cleaned (this parse's only)
        self._union = None  # _mention_union(self.registry) once asked (False: there is none)

    # -- helpers ------------------------------------------------------------------------------
    def diag(self, line, kind, message, severity="warning"):
        self.diags.append(Diagnostic(line, severity, kind, message))

    def _split(self, no: int, raw: str, stripped: str | None = None) -> _Line:
        """Read one line's layout: indentation, bullet, Markdown heading, whole-line bold and
        marker. *stripped* is ``raw.strip()`` when the caller has it already."""
        if stripped is None:
            stripped = raw.strip()
        if raw[0] == stripped[0]:
            indent = 0  # (no white space before the text: tabs or not)
        elif "\t" in raw:
            expanded = raw.expandtabs(4)
            indent = len(expanded) - len(expanded.lstrip())
        else:
            indent = len(raw) - len(raw.lstrip())
        c0 = stripped[0]  # (the line holds text)
        heading = 0
        if c0 == "#":
            m = _MD_HEADING.match(stripped)
            if m and m.group(2):
                heading, stripped = len(m.group(1)), m.group(2)
        bullet = None
        if not heading and c0 in _BULLET_CHARS:  # (the pattern's first character)
            m = _BULLET.match(stripped)
            if m and not stripped.startswith("**"):
                bullet = m.group("bullet")
                stripped = stripped[m.end():]
        plain = stripped
        if plain.startswith(("**", "__")):
            m = _WHOLE_BOLD.match(plain)
            if m:
                plain = m.group("inner").strip() + m.group("colon")
            elif bullet is None:
                # "**Goal:** text": the label, unbolded (only a label line: others keep their bold).
                m = _BOLD_LABEL.match(plain)
                if m and self.profile.label_kind(m.group("label")) is not None:
                    plain = f"{m.group('label').strip()}: {m.group('rest')}"
        return _Line(no, raw, indent, bullet, stripped, heading, plain, _marker(plain))

    def _next_content(self, idx: int) -> _Line | None:
        """The first line after line *idx* (0-based) that holds text and is not page furniture,
        split (``None`` when there is none).

        The lines between are looked through once per *idx* (then kept). It is asked about lines
        that hold text, and the lines looked through for one such line come before the next
        one: every line is looked at at most once per parse.
        """
        nxt = self._next_nb
        j = nxt.get(idx)
        if j is None:
            stripped, furniture = self.read.stripped, self.furniture
            j = idx + 1
            while j < len(stripped) and (not stripped[j] or j in furniture):
                j += 1
            if j >= len(stripped):
                j = -1
            nxt[idx] = j
        return None if j < 0 else self._split(j + 1, self.lines[j])

    def _enabled(self, mk: _Marker | None) -> _Marker | None:
        if mk is None:
            return None
        return mk if mk.cat in self.profile.item_markers else None

    def _resolve(self, ln: _Line) -> None:
        """Decide whether a single i, v or x (I, V, X) is a letter or a Roman numeral."""
        mk = ln.marker
        if mk is None or not mk.ambiguous:
            return
        ch = mk.number
        punct = mk.style[-1]
        upper = ch.isupper()
        letter_style = ("A" if upper else "a") + punct
        roman_style = ("I" if upper else "i") + punct
        letter_ord = ord(ch.lower()) - 96
        roman_val = _roman_value(ch)
        as_roman = False
        if self.seq.get(letter_style) == letter_ord - 1:
            as_roman = False
        elif self.seq.get(roman_style) == roman_val - 1:
            as_roman = True
        elif upper and "roman" in self.profile.area_markers and roman_val == self.area_roman + 1 and ln.indent == 0:
            as_roman = True
        elif ch in "iI":
            as_roman = True
        if as_roman:
            mk.cat, mk.style = "roman", roman_style
        mk.ambiguous = False

    def _note_seq(self, mk: _Marker) -> None:
        self.seq[mk.style] = _ordinal(mk.style, mk.number)

    # -- state changes ------------------------------------------------------------------------
    def close(self):
        self.section = None
        self.area = None
        self.pending_title = None

    def open_section(self, kind, title, no):
        self.close()
        self.top_block = False
        self.section = _SectionB(kind, title, no, no)
        self.sections.append(self.section)
        self.prev = self.section
        self.seq = {}

    def open_area(self, number, title, no, *, implicit=False):
        self.close()
        self.top_block = False
        self.area = _AreaB(number, title, no, no, None if implicit else no, implicit=implicit)
        self.areas.append(self.area)
        self.all_areas.append(self.area)
        self.prev = self.area
        self.seq = {}
        if title:
            self._list(_norm_title(title), ("area", self.area))

    # -- main loop ----------------------------------------------------------------------------
    def run(self):
        furniture = self.furniture
        split = self._split
        for idx, (raw, stripped) in enumerate(zip(self.lines, self.read.stripped)):
            if not stripped:
                self.prev_blank = True
                continue
            no = idx + 1
            if furniture and idx in furniture:
                shown = stripped if len(stripped) <= 70 else stripped[:67] + "..."
                self.diag(no, "layout", f"{furniture[idx]} {shown!r} skipped: not part of the plan")
                continue
            ln = split(no, raw, stripped)
            if self.bare_marker is not None:
                ln = self._join_bare_marker(ln)
            # (A bare marker ends with "." or ")" and holds no space: checked before the pattern,
            # which is costlier.)
            elif (ln.bullet is None and not ln.heading and not self.top_block and ln.plain.endswith((".", ")"))
                  and " " not in ln.plain and _BARE_MARKER.match(ln.plain)):
                self.bare_marker = ln
                self.prev_blank = False
                self._extend(no)
                continue
            self.step(idx, ln)
            self.prev_blank = False
            self.prev_text = ln.content
            # (self._extend(no), inline)
            if self.area is not None:
                self.area.last = no
            if self.section is not None:
                self.section.last = no
        if self.bare_marker is not None:
            # A marker with nothing after it: named, so the line is not lost.
            self.diag(self.bare_marker.no, "truncated", f"a marker {self.bare_marker.plain!r} with no text after it")
            self.bare_marker = None

    def _extend(self, no):
        if self.area is not None:
            self.area.last = no
        if self.section is not None:
            self.section.last = no

    def _join_bare_marker(self, ln: _Line) -> _Line:
        """A marker on a line of its own ("A." then the statement): one line for both."""
        bm = self.bare_marker
        self.bare_marker = None
        if ln.marker is not None or ln.bullet or ln.heading:
            self.diag(bm.no, "truncated", f"a marker {bm.plain!r} with no text after it")
            return ln
        text = f"{bm.plain} {ln.plain}"
        joined = _Line(bm.no, ln.raw, bm.indent, None, f"{bm.plain} {ln.content}", 0, text, _marker(text))
        joined.no = bm.no
        self._joined_last = ln.no
        return joined

    def step(self, idx: int, ln: _Line):
        p = self.profile
        c = ln.plain
        mk = ln.marker
        if mk is not None and mk.ambiguous:
            self._resolve(ln)
        marker = mk if mk is not None and mk.cat in p.item_markers else None  # self._enabled(mk)
        last_no = self._joined_last or ln.no
        self._joined_last = None

        # A title announced by "GOAL 1." or "STRATEGIC DIRECTION ONE" on the line before.
        if self.pending_title is not None:
            a = self.pending_title
            self.pending_title = None
            if (a is self.area and ln.bullet is None and mk is None and not self._is_heading_line(c)
                    and len(_words(c)) <= 30 and not p.label_re.match(c) and p.label_kind(c.rstrip(":")) is None):
                a.title = clean_markup(c).strip(" :") or None
                if a.title:
                    self._list(_norm_title(a.title), ("area", a))
                self.prev = a
                return

        # Approval / title lines at the top of the document.
        if self.top_block and ln.bullet is None and not marker:
            if len(c) < 200 and p.approval.search(c):
                self.open_section("approval", None, ln.no)
                self.section.paragraphs.append([ln.no, ln.no, [clean_markup(c)]])
                self.top_block = True  # a title may still follow an approval line
                self.section = None
                return
            # (Tests without side effects, the cheaper first: their order does not change the answer.)
            if (ln.heading <= 1 and _title_like(c) and p.section_kind(c) is None and not p.label_re.match(c)
                    and not any(pat.match(c) for pat in p.area_patterns)
                    and not any(pat.match(c) for pat in p.item_patterns)
                    and not self._is_values_intro(c)):
                self.title_lines.append((ln.no, clean_markup(c)))
                return
            self.top_block = False

        # A heading that opens a section (closes any area).
        if ln.bullet is None and not marker:
            if _title_like(c.rstrip(":")) or (ln.heading and len(c) <= 120):
                kind = p.section_kind(c)
                if kind is not None:
                    self.open_section(kind, clean_markup(c).rstrip(":"), ln.no)
                    return
            if p.values_intro is not None and len(c) <= 160 and self._is_values_intro(c):
                self.open_section("values", clean_markup(c).rstrip(":"), ln.no)
                return
            m = _INLINE_HEAD.match(c) if len(c) > 3 else None
            if m and p.label_kind(m.group("head")) is None and _title_like(m.group("head")):
                kind = p.section_kind(m.group("head"))
                if kind is not None and kind != "heading":
                    self.open_section(kind, clean_markup(m.group("head")), ln.no)
                    self.section.paragraphs.append([ln.no, ln.no, [m.group("rest")]])
                    return

        # An area heading.
        if ln.bullet is None and self._area_heading(idx, ln, marker):
            return

        # Any other heading (an ALL-CAPS line after a blank line, a Markdown heading) is not prose:
        # it opens a section of its own, whose list becomes an area with a lost heading.
        if (ln.bullet is None and mk is None and (self.prev_blank or ln.heading) and len(c) <= 120
                and (ln.heading or (_is_caps(c) and len(_words(c)) >= 2))
                and p.label_kind(c.rstrip(":").strip()) is None and not p.label_re.match(c)):
            self.open_section("heading", clean_markup(c).strip(" :"), ln.no)
            return

        # Labelled item lines ("Objective 1.1: ...").
        if ln.bullet is None and p.item_patterns and not (self.area is None and self.section is not None
                                                         and self.section.kind not in ("heading",)):
            for k, pat in enumerate(p.item_patterns):
                m = pat.match(c)
                if m:
                    number = (m.groupdict().get("number") or None)
                    text = m.group("text") or ""
                    if self.area is None:
                        self.open_area(None, None, ln.no, implicit=True)
                    self.area.mode = None  # an explicitly labelled item line ends a label's list
                    self.area.base = None
                    style = "dotted" if number and re.fullmatch(r"\d+(?:\.\d+)+", number) else f"pattern{k}"
                    it = self._new_item(number, text, ln, style=style)
                    it.pending = not text.strip()
                    return

        # Labels: "Goal: ...", "Actions:", "Core Values: ...", "Lead: ...", "Status: ...".
        if ln.bullet is None and not marker:
            m = p.label_re.match(c)
            if m:
                self.label(ln, p.label_kind(m.group("label")), m.group("rest").strip())
                return
            if len(c) <= 40:
                kind = p.label_kind(c.rstrip(":").strip())
                if kind is not None and (c.endswith(":") or ln.heading or c.rstrip(":").strip().isupper()
                                         or kind in ("goal", "action")):
                    self.label(ln, kind, "")
                    return

        # A table's header row ("Action | Lead | Status"), or its rule line.
        if ln.bullet is None and not marker and p.table_cells and ("|" in c or "\t" in ln.raw.strip()):
            if self._table_row(ln):
                return

        # Timeline entries ("- **March-April 2021:** ...") outside areas.
        if self.area is None and p.timeline_pattern is not None:
            tm = p.timeline_pattern.match(c)
            if tm and (ln.bullet or (self.section and self.section.kind == "timeline")):
                self.timeline_entry(ln, tm)
                return

        bullet_item = ln.bullet is not None and "bullet" in p.item_markers
        if marker or bullet_item:
            if self.area is None and self.section is not None and self.section.kind not in ("heading",):
                # A list inside a section (values listed as bullets, say): part of its text.
                if mk is not None:
                    self._note_seq(mk)
                self.paragraph(ln)
                text = marker.text if marker else ln.content
                if _title_like(text) and len(text) <= 80:
                    self._list(_norm_title(text), ("para", None, marker.number if marker else None))
                return
            if self.area is None:
                self.open_area(None, None, ln.no, implicit=True)
            self.item(ln, marker, idx)
            self.prev.last = last_no
            return

        # Plain prose.
        self.prose(ln)
        if isinstance(self.prev, _ItemB):
            self.prev.last = max(self.prev.last, last_no)

    def _is_values_intro(self, c: str) -> bool:
        """Whether the profile's ``values_intro`` pattern matches *c*: not tried when *c* does
        not end with the character every match ends with (Profile._values_intro_end)."""
        p = self.profile
        if p.values_intro is None:
            return False
        end = p._values_intro_end()
        if end is not None and not (c.endswith(end) or c.endswith(end + "\n")):
            return False
        return p.values_intro.match(c) is not None

    # -- areas --------------------------------------------------------------------------------
    def _is_heading_line(self, c: str) -> bool:
        p = self.profile
        return any(pat.match(c) for pat in p.area_patterns) or p.section_kind(c) is not None and _title_like(c)

    def _area_heading(self, idx: int, ln: _Line, marker) -> bool:
        p = self.profile
        c = ln.plain
        mk = ln.marker
        # An explicit area heading. (A pattern is not tried on a line whose first character,
        # ASCII, none of its matches starts with: see Profile._area_firsts.)
        c0 = c[:1]
        c0_ascii = c0.isascii()
        for pat, first in zip(p.area_patterns, p._area_firsts()):
            if first is not None and c0_ascii and c0 not in first:
                continue
            m = pat.match(c)
            if m:
                number = m.groupdict().get("number")
                title = clean_markup(m.group("title") or "").strip() or None
                self._summary_mark(title)
                self.open_area(number, title, ln.no)
                if title is None and p.title_on_next_line:
                    self.pending_title = self.area
                return True
        # A Markdown heading of an area level.
        if ln.heading and ln.heading in p.heading_levels and p.section_kind(c) is None \
                and p.label_kind(c.rstrip(":")) is None:
            number, title = (mk.number, mk.text) if mk is not None else (None, c)
            title = clean_markup(title).strip() or None
            self._summary_mark(title)
            self.open_area(number, title, ln.no)
            return True
        # "I. Title" (roman) or "A. Title" (letter) as area markers.
        if mk is not None and ln.indent <= 1 and not ln.heading and p.area_markers:
            if mk.cat == "roman" and "roman" in p.area_markers and mk.style[0] == "I":
                v = _roman_value(mk.number)
                if v is not None and (v == self.area_roman + 1 or (v == 1 and not self.area_roman)):
                    self.area_roman = v
                    self.open_area(mk.number, clean_markup(mk.text).strip() or None, ln.no)
                    return True
            if mk.cat == "letter" and "letter" in p.area_markers and mk.style[0].isupper():
                v = ord(mk.number) - 64
                if v == self.area_letter + 1 and (self.area is not None or self.section is None
                                                  or self.section.kind == "heading" or v == 1):
                    self.area_letter = v
                    self.open_area(mk.number, clean_markup(mk.text).strip() or None, ln.no)
                    return True
        bare = mk is None and not ln.heading
        # ALL-CAPS headings.
        if bare and p.area_caps and _is_caps(c) and p.section_kind(c) is None \
                and p.label_kind(c.rstrip(":")) is None and not p.label_re.match(c):
            self.open_area(None, clean_markup(c).strip(" :"), ln.no)
            return True
        # A title that repeats one listed before (a summary list, then the same names as headings).
        # (When _may_be_listed(c) refuses the line, it refuses its cleaned title too, and
        # _summary_mark finds nothing: the title tests are not asked.)
        if bare and len(c) <= 120 and self._may_be_listed(c) and (_title_like(c.rstrip(":"), 14) or _is_caps(c)):
            hit = self._summary_mark(clean_markup(c).strip(" :"), bare_line=True)
            if hit is not None:
                self.open_area(hit, clean_markup(c).strip(" :"), ln.no)
                return True
        # A title line with a blank line before it and a list after it.
        if bare and p.bare_titles and self.prev_blank and len(c) <= 100 and len(_words(c)) <= 14 \
                and c[:1].isupper() and not c.endswith((":", ",", ";")) and p.section_kind(c) is None:
            nxt = self._next_content(idx)
            if nxt is not None and (self._enabled(nxt.marker) or nxt.bullet or p.label_re.match(nxt.plain)):
                self.open_area(None, clean_markup(c).strip(" ."), ln.no)
                return True
        # "1. Membership and Engagement": a numbered title opens an area.
        if (
            p.numbered_titles
            and marker
            and marker.style in ("1.", "1)")
            # (A cheap necessary condition of the last test, asked first: the last two tests
            # have no effect, so their order does not change the answer.)
            and (self._may_continue_areas(marker.number) or self._may_be_listed(marker.text))
            and (_title_like(marker.text, p.max_title_words) or ln.heading)
            and (self._numbered_title_opens_area(idx, marker.number)
                 or self._summary_mark(clean_markup(marker.text), probe=True) is not None)
        ):
            self._summary_mark(clean_markup(marker.text))
            self.open_area(marker.number, clean_markup(marker.text), ln.no)
            return True
        return False

    def _list(self, key: str, entry: tuple) -> None:
        """``self.listed.setdefault(key, entry)`` for a normalised title *key*, noting its first
        word (see :meth:`_may_be_listed`)."""
        self.listed.setdefault(key, entry)
        self.listed_first.add(key.split(" ", 1)[0])

    def _may_be_listed(self, text: str) -> bool:
        """False when ``_norm_title(text)`` (the same as ``_norm_title(clean_markup(text))``
        for such a text) is surely not in ``self.listed``.

        For an ASCII text with no link, ``clean_markup`` only folds white space and drops
        asterisks; dropping them joins words only across an asterisk next to a word. So when
        the first run of word characters of the text is not followed by an asterisk, it is the
        first word of the normalised title, lowercased (``""`` when the text has no such run):
        a title whose first word no listed title has is not listed. Other texts are not
        refused.
        """
        if not self.listed:
            return False
        if not text.isascii() or "[" in text:
            return True
        m = _WORD_RUN.search(text)
        if m is None:
            return "" in self.listed_first
        if text[m.end():m.end() + 1] == "*":
            return True
        return m.group().lower() in self.listed_first

    def _summary_mark(self, title, *, bare_line=False, probe=False):
        """When *title* repeats an earlier, still empty area or an item of a list of titles: mark
        that one as a summary entry (unless *probe*) and return its number (``""`` when it has
        none); otherwise ``None``. A title listed in a section's text counts only for a bare line
        or a numbered title (*bare_line* or *probe*)."""
        if not title or not self._may_be_listed(title):
            return None
        hit = self.listed.get(_norm_title(title))
        if hit is None:
            return None
        kind, obj = hit[0], hit[1]
        if kind == "area":
            if obj is self.area or obj.items or obj.statement or obj.values or obj.summary:
                return None
        elif kind == "item":
            if obj.children or obj.parent is not None or getattr(obj, "summary", False):
                return None
        elif kind == "para":
            return (hit[2] or "") if (bare_line or probe) else None
        if not probe:
            obj.summary = True
        return obj.number or ""

    def _may_continue_areas(self, number: str) -> bool:
        """What :meth:`_numbered_title_opens_area` asks after looking at the next line: no area
        is open, or *number* is the next one after the open area's number."""
        if self.area is None:
            return True
        if self.area.number and self.area.number.isdigit() and number.isdigit():
            if not (self.area.number.isdecimal() and number.isdecimal()):
                return True  # (digits int() refuses: the plain test is left to say so)
            return int(number) == int(self.area.number) + 1
        return False

    def _numbered_title_opens_area(self, idx: int, number: str) -> bool:
        """A numbered title is an area when it continues the area sequence (or starts it) and
        what follows is not another item of the same list."""
        nxt = self._next_content(idx)
        if nxt is not None:
            nm = self._enabled(nxt.marker)
            if nm and nm.style in ("1.", "1)") and nxt.bullet is None:
                return False
        if self.area is None:
            return True
        if self.area.number and self.area.number.isdigit() and number.isdigit():
            return int(number) == int(self.area.number) + 1
        return False

    # -- labels, tables, items ----------------------------------------------------------------
    def label(self, ln: _Line, kind: str, rest: str):
        if kind == "values":
            names = [clean_markup(v).strip(" .") for v in _VALUE_SPLIT.split(rest) if v.strip()]
            if self.area is not None:
                self.area.values.extend(names)
                self.prev = self.area
            else:
                self.open_section("values", "Values", ln.no)
                if rest:
                    self.section.paragraphs.append([ln.no, ln.no, [clean_markup(rest)]])
            return
        if kind == "owners":
            target = self.prev if isinstance(self.prev, _ItemB) else None
            if target is not None:
                if rest.strip(" *"):  # (a bare "Lead:" names nobody: nothing to add)
                    target.parts.append(f" ({rest})")
                    target.owners_label = _fold(rest).strip("* ").strip()
                target.last = ln.no
            else:
                self.prose(ln)
            return
        if kind == "status":
            target = self.prev if isinstance(self.prev, _ItemB) else None
            if target is not None:
                target.status = self._status_of(rest)
                target.last = ln.no
            else:
                self.prose(ln)
            return
        if self.area is None:
            self.open_area(None, None, ln.no, implicit=True)
        a = self.area
        a.mode = kind
        a.columns = None
        self._set_base(a)
        if rest:
            it = _ItemB(None, [rest], ln.no, ln.no, 1, kind, ln.indent, False, labelled=True, style="label")
            if kind == "goal":
                a.labelled_goal = it
                a.items.append(it)
                a.stack = []
                a.base = None
                m = self.profile.label_re.match(ln.plain)
                if m is not None and not m.group("label").casefold().endswith("s"):
                    a.goal_lead = it
            else:
                self._attach(it)
            a.all_items.append(it)
            self.prev = it
        else:
            self.prev = a

    def _status_of(self, text: str) -> Status:
        t = clean_markup(text).strip(" .")
        hit = self.statuses.match(t) if t else None
        if hit:
            return Status(hit[0], hit[1], t)
        return Status("unknown", None, t or None)

    def _table_row(self, ln: _Line) -> bool:
        s = ln.raw.strip()
        if _TABLE_RULE.match(s):
            if self.area is not None and self.area.columns is not None:
                self.prev = self.area
                return True
            return False
        cells = [x.strip() for x in _CELL_SPLIT.split(s.strip("|").strip())]
        if len(cells) < 2:
            return False
        names = [clean_markup(x).strip(" :").casefold() for x in cells]
        if all(n in _HEADER_WORDS for n in names if n) and sum(1 for n in names if n) >= 2:
            if self.area is None:
                if self.section is not None and self.section.kind != "heading":
                    return False
                self.open_area(None, None, ln.no, implicit=True)
            a = self.area
            kind = self.profile.label_kind(names[0]) if names[0] else None
            a.mode = kind if kind in ("goal", "action") else (a.mode or "action")
            self._set_base(a)
            cols = []
            for n in names:
                k = self.profile.label_kind(n)
                if k not in ("owners", "status"):
                    k = "owners" if n in ("who", "lead group", "responsible party") else "text"
                cols.append(k)
            a.columns = cols
            self.prev = a
            return True
        return False

    @staticmethod
    def _set_base(a: _AreaB) -> None:
        """An action label's items belong to the labelled goal, else to the goal the label follows."""
        a.base = None
        if a.mode == "action":
            a.base = a.labelled_goal
            if a.base is None and a.items and not a.items[-1].labelled and a.items[-1].kind == "goal":
                a.base = a.items[-1]
        a.stack = [a.base] if a.base is not None else []

    def _new_item(self, number, text, ln: _Line, *, style: str, kind: str = "goal") -> _ItemB:
        a = self.area
        it = _ItemB(number, [text], ln.no, ln.no, 1, kind, ln.indent, bool(ln.bullet), style=style)
        if a.columns is not None and ("|" in text or "\t" in text):
            it.cells = [x.strip() for x in _CELL_SPLIT.split(text.strip().strip("|").strip())]
        self._attach(it)
        a.all_items.append(it)
        self.prev = it
        if (it.parent is None and a.implicit and text and _title_like(text) and len(text) <= 80
                and not it.labelled):
            self._list(_norm_title(text), ("item", it))
        return it

    def item(self, ln: _Line, marker, idx: int | None = None):
        a = self.area
        if a.goal_lead is not None:
            if self.prev is a.goal_lead and a.mode == "goal" and self._starts_goal_list(ln, marker, idx):
                # "Goal: text" then a list, no other label between: the list is the goal's
                # actions, as after an "Actions:" label.
                a.mode = "action"
                self._set_base(a)
            a.goal_lead = None
        if marker is not None:
            self._note_seq(marker)
            number, text, style = marker.number, marker.text, marker.style
        else:
            number, text, style = None, ln.content, f"bullet{ln.bullet}"
        self._new_item(number, text, ln, style=style)

    def _starts_goal_list(self, ln: _Line, marker, idx: int | None) -> bool:
        """Whether the list item *ln*, right after a "Goal: text" line, starts a list of that
        goal's actions: a bullet, or the first item of a new list ("1.", "a.", "i."; not "3.",
        which continues a list, nor a dotted or "1a" item, which find their parents by number),
        that is not itself a label ("- Core Values: ...") nor the head of its own dotted list
        ("1." then "1.1": a goal of its own)."""
        if marker is not None:
            if marker.style in ("dotted", "1a") or _ordinal(marker.style, marker.number) != 1:
                return False
            text = marker.text
        else:
            text = ln.content
        if self.profile.label_re.match(text):
            return False
        if marker is not None and idx is not None:
            nxt = self._next_content(idx)
            if (nxt is not None and nxt.marker is not None and nxt.marker.cat == "dotted"
                    and nxt.marker.number.startswith(marker.number + ".")):
                return False
        return True

    def _attach(self, it: _ItemB):
        a = self.area
        number = it.number
        parent = None
        placed = False
        if number and it.style == "dotted":
            want = number.rsplit(".", 1)[0]
            parent = a.by_number.get(want)
            if parent is None:
                if a.number and "." not in want and _same_number(want, a.number):
                    placed = True  # "1.1" under "Goal 1": the prefix is the area's own number
                    it.top_goal = True
                else:
                    # Parent number absent (lost): fall back to the nearest item one level up.
                    parent = a.by_dots.get(number.count(".") - 1)
            if parent is None:
                placed = True
        elif number and it.style == "1a":
            parent = a.by_number.get(number[:-1])
            placed = parent is not None
        if not placed and parent is None:
            if it.labelled:
                parent = a.base if a.mode == "action" else None
            else:
                parent = self._stack_parent(a, it)
        if parent is not None:
            depth = parent.depth + 1
            if depth > MAX_DEPTH:
                self.diag(it.first, "nesting", f"nested deeper than {MAX_DEPTH} levels; kept at level {MAX_DEPTH}")
                while parent.depth >= MAX_DEPTH:
                    parent = parent.parent
                depth = MAX_DEPTH
            it.parent = parent
            it.depth = depth
            parent.children.append(it)
        else:
            a.items.append(it)
        if it.depth > 1 or (a.mode == "action" and not it.labelled):
            it.kind = "action"
        elif number and "." in number and not it.top_goal:
            it.kind = "action"
        if number:
            a.by_number[number] = it
            a.by_dots[number.count(".")] = it
        # The stack becomes the item's chain of ancestors, from the top level down, and the item.
        # The stack is always such a chain cut short (it only ever loses its last items): when
        # it ends with the parent, it is the parent's chain.
        st = a.stack
        if it.parent is None:
            a.stack = [it]
        elif st and st[-1] is it.parent:
            st.append(it)
        else:
            chain = []
            x = it
            while x is not None:
                chain.append(x)
                x = x.parent
            chain.reverse()
            a.stack = chain

    def _stack_parent(self, a: _AreaB, it: _ItemB):
        base = a.base if a.mode == "action" else None
        st = a.stack
        s, n = it.style, it.indent
        loose = s.startswith(("bullet", "none"))
        while st:
            top = st[-1]
            if top is base:
                break
            # (An item of the same marker style, and for bullets and unmarked lines the same
            # indentation, closes the one on top, or one below it, which is popped first.)
            if top.style == s and (not loose or top.indent == n):
                st.pop()
                break
            if any(x.style == s and (not loose or x.indent == n) for x in st if x is not base):
                st.pop()
                continue
            if top.indent > n or (top.labelled and base is None and s.startswith("none")):
                st.pop()
                continue
            break
        if st and st[-1].labelled and st[-1] is not base:
            # "Strategy: ..." then its numbered or lettered items: they belong to it.
            return st[-1] if (it.indent > st[-1].indent or not s.startswith("none")) else base
        return st[-1] if st else base

    def timeline_entry(self, ln: _Line, m):
        when = m.group("when").strip()
        text = clean_markup(m.group("text")).strip()
        start, end = _parse_when(when)
        owners = tuple(self._find_mentions(text))
        self.timeline.append(_TimeB(when, start, end, [text], ln.no, ln.no, owners))
        self.prev = self.timeline[-1]

    def paragraph(self, ln: _Line):
        s = self.section
        text = ln.content if ln.bullet is None else f"{ln.bullet} {ln.content}"
        if s.paragraphs and not self.prev_blank and self.prev is s:
            para = s.paragraphs[-1]
            para[1] = ln.no
            last = para[2][-1]
            if _hyphen_break(last, text):
                para[2][-1] = last[:-1] + text
                self.diag(ln.no, "layout", "a word hyphenated across lines was joined", "info")
            else:
                para[2].append(text)
        else:
            s.paragraphs.append([ln.no, ln.no, [text]])
        self.prev = s

    def prose(self, ln: _Line):
        c = ln.content if ln.bullet is None else f"{ln.bullet} {ln.content}"
        prev = self.prev
        # A continuation line (no blank line before it) extends what came before.
        if isinstance(prev, _ItemB) and (not self.prev_blank or prev.pending):
            if self._splits_from(prev, ln):
                self._prose_item(ln)
                return
            last = prev.parts[-1]
            if _hyphen_break(last, c):
                prev.parts[-1] = last[:-1]
                prev.parts.append(c)
                self.diag(ln.no, "layout", "a word hyphenated across lines was joined", "info")
            else:
                prev.parts.append(" " + c if "".join(prev.parts[-1:]).strip() else c)
            prev.pending = False
            prev.last = ln.no
            return
        if not self.prev_blank and isinstance(prev, _TimeB):
            prev.parts.append(clean_markup(c))
            prev.last = ln.no
            return
        if self.area is not None:
            a = self.area
            if a.mode is not None:
                self._prose_item(ln)
            elif not a.all_items:
                if a.statement and not self.prev_blank and self.prev is a:
                    st = a.statement[-1]
                    st[1] = ln.no
                    if _hyphen_break(st[2][-1], c):
                        st[2][-1] = st[2][-1][:-1]
                        st[2].append(c)
                        self.diag(ln.no, "layout", "a word hyphenated across lines was joined", "info")
                    else:
                        st[2].append(" " + c)
                else:
                    a.statement.append([ln.no, ln.no, [c]])
                self.prev = a
            else:
                self.diag(ln.no, "unparsed", "prose inside an area, after its items, not read as an item")
            return
        if self.section is None:
            self.open_section("intro", None, ln.no)
        self.paragraph(ln)

    def _splits_from(self, prev: _ItemB, ln: _Line) -> bool:
        """Whether an unmarked line right after an unmarked item starts a new item (one item per
        line) rather than continuing it (a wrapped line)."""
        a = self.area
        if a is None or prev.pending:
            return False
        if a.columns is not None and prev.cells is not None:
            return True
        if prev.style != "none" or a.mode is None:
            return False
        c = ln.content
        if not c[:1].isupper() and not c[:1].isdigit():
            return False
        before = self.prev_text.rstrip()
        return before.endswith((".", "!", "?", ")", ":", ";")) or len(before) < 50 or ln.indent > prev.indent

    def _prose_item(self, ln: _Line):
        a = self.area
        text = ln.content if ln.bullet is None else f"{ln.bullet} {ln.content}"
        it = _ItemB(None, [text], ln.no, ln.no, 1, a.mode or "goal", ln.indent, False, style="none")
        if a.columns is not None and ("|" in ln.content or "\t" in ln.content):
            it.cells = [x.strip() for x in _CELL_SPLIT.split(ln.content.strip().strip("|").strip())]
        self._attach(it)
        a.all_items.append(it)
        self.prev = it

    # -- finishing ----------------------------------------------------------------------------
    def finish(self, plan_id: str) -> dict:
        self._drop_summaries()
        for s in self.sections:
            for para in s.paragraphs:
                para[2] = _join_lines(para[2])
        for a in self.areas:
            for st in a.statement:
                st[2] = "".join(st[2])
        self.check_prose()
        areas = [self.build_area(plan_id, i, a) for i, a in enumerate(self.areas, start=1)]
        explicit = [a for a in self.areas if not a.implicit]
        for a in self.areas:
            if a.implicit:
                if explicit:
                    self.diag(a.first, "missing-heading",
                              "items start with no area heading: the heading of this area was lost")
                else:
                    self.diag(a.first, "missing-heading",
                              "no area headings found; all items are grouped in one untitled area", "info")
        self.check_numbering()
        self.check_counts()
        sections = self.build_sections()
        streams = self.find_streams()
        commitments = self.find_commitments()
        timeline = tuple(TimelineEntry(t.when, t.start, t.end, " ".join(t.parts), (t.first, t.last), t.owners)
                         for t in self.timeline)
        self._unlink_items()
        return dict(areas=tuple(areas), sections=tuple(sections), streams=tuple(streams),
                    timeline=timeline, commitments=tuple(commitments))

    def _unlink_items(self) -> None:
        """Drop every item's link to its parent, once the plan is built from them.

        An item and its parent's list of children are the builders' only reference cycles:
        without them, what a parse builds is freed by reference counting when it returns,
        not by a later pass of the cyclic garbage collector over all of it.
        """
        for a in self.all_areas:
            for it in a.all_items:
                it.parent = None

    def _drop_summaries(self):
        """Summary lists (the names of the areas, listed before the areas themselves) become a
        ``summary`` section instead of empty areas."""
        groups: list[list[_AreaB]] = []
        keep: list[_AreaB] = []
        run: list[_AreaB] = []
        for a in self.areas:
            is_summary = a.summary or (a.implicit and a.items and all(
                getattr(it, "summary", False) and not it.children for it in a.items))
            if is_summary:
                run.append(a)
                continue
            if run:
                groups.append(run)
                run = []
            keep.append(a)
        if run:
            groups.append(run)
        if not groups:
            return
        for g in groups:
            sec = _SectionB("summary", "Summary", g[0].first, g[-1].last)
            for a in g:
                if a.title:
                    sec.paragraphs.append([a.first, a.first, [f"{a.number}. {a.title}" if a.number else a.title]])
                for it in a.all_items:
                    sec.paragraphs.append([it.first, it.last, [f"{it.number}. {it.raw}" if it.number else it.raw]])
            self.sections.append(sec)
        self.sections.sort(key=lambda s: s.first)
        self.areas = keep

    def build_sections(self) -> list[Section]:
        out = []
        if self.title_lines:
            first, last = self.title_lines[0][0], self.title_lines[-1][0]
            out.append(Section("title", self.plan_title(), None, (first, last)))
        for s in self.sections:
            text = "\n\n".join(self._clean_markup(p[2]) if "\n" not in p[2] else
                               "\n".join(clean_markup(x) for x in p[2].split("\n")) for p in s.paragraphs)
            out.append(Section(s.kind, s.title, text or None, (s.first, s.last)))
        return sorted(out, key=lambda s: s.span)

    def plan_title(self) -> str | None:
        if not self.title_lines:
            return None
        parts = [t for _, t in self.title_lines[:2]]
        return ": ".join(parts) if len(parts) == 2 and not parts[0].endswith(":") else " ".join(parts)

    def check_prose(self):
        """Cut-off sentences and lone fragments in sections and statements."""
        groups = [s.paragraphs for s in self.sections if s.kind not in ("heading", "approval", "summary")]
        groups += [a.statement for a in self.areas]
        for paras in groups:
            for k, (first, last, text) in enumerate(paras):
                lines = text.split("\n")
                tail = self._clean_markup(lines[-1]).strip()
                # (The words are counted last: the cheap tests refuse most paragraphs.)
                if tail[:1].islower() and not tail.endswith(_TERMINAL) and len(_words(tail)) <= 2:
                    self.diag(last, "truncated", f"lone fragment {tail!r}: the text around it was lost")
                    continue
                if (not tail or tail.endswith(_TERMINAL) or _title_like(tail) or lines[-1].lstrip()[:1] in "-*•"
                        or _MARKER.match(tail) or _BULLET.match(lines[-1].lstrip())):
                    continue
                # "... at the meeting. Lead: Program Committee": a line that ends by naming its
                # owners after a label is judged, as an item is, by the text before the label.
                if ":" in tail and self._whole_before_owners(tail):
                    continue
                nxt = paras[k + 1] if k + 1 < len(paras) else None
                if nxt is not None and nxt[2][:1].islower():
                    self.diag(last, "truncated",
                              f"sentence breaks off ({_tail_words(tail)!r}) and resumes in lowercase at line "
                              f"{nxt[0]}: text may be lost between")
                else:
                    self.diag(last, "truncated", f"text ends mid-sentence ({_tail_words(tail)!r})")

    def check_numbering(self):
        prev_top: int | None = None
        for a in self.areas:
            groups = [a.items] + [it.children for it in a.all_items if it.children]
            for sibs in groups:
                numbered_all = [it for it in sibs if it.number]
                if not numbered_all:
                    continue
                is_top = sibs is a.items
                # One run per marker style ("1." goals and "a." sub-items never compare).
                runs: dict[str, list] = {}
                for it in numbered_all:
                    style = it.style
                    if style != "1a":  # "1a)" items are checked per area below
                        runs.setdefault(_FAMILIES.get(style, style), []).append(it)
                for fam, numbered in runs.items():
                    lasts = [_ordinal(it.style, it.number) for it in numbered]
                    if None in lasts:
                        continue
                    first = numbered[0]
                    parent_no = first.parent.number if first.parent is not None else None
                    top_run = is_top and fam in ("arabic", "dotted")
                    if lasts[0] != 1 and not (top_run and prev_top is not None and lasts[0] == prev_top + 1):
                        if "." in first.number and first.style == "dotted":
                            missing = first.number.rsplit(".", 1)[0] + "." + "1"
                            head = parent_no if parent_no else first.number.rsplit(".", 1)[0]
                            self.diag(first.first, "numbering-gap",
                                      f"{head}'s items start at {first.number}: {missing} is missing")
                        else:
                            self.diag(first.first, "numbering-gap",
                                      f"numbering starts at {first.number} (expected {_first_of(first.style)}"
                                      + (f" or {prev_top + 1}" if top_run and prev_top is not None else "") + ")")
                    for prev, cur, pv, cv in zip(numbered, numbered[1:], lasts, lasts[1:]):
                        # (Not between a deeper item kept flat at the nesting cap and the others.)
                        if cv != pv + 1 and prev.number.count(".") == cur.number.count("."):
                            self.diag(cur.first, "numbering-gap", f"numbering skips from {prev.number} to {cur.number}")
                    if top_run and "." not in first.number:
                        prev_top = lasts[-1]
            # "1a)", "1b)" ... may run on across siblings ("Strategy:" lines between): per number.
            alnum: dict[str, list] = {}
            for it in a.all_items:
                if it.style == "1a" and it.number:
                    alnum.setdefault(it.number[:-1], []).append(it)
            for head, its in alnum.items():
                vals = [ord(it.number[-1]) - 96 for it in its]
                if vals[0] != 1:
                    self.diag(its[0].first, "numbering-gap",
                              f"{head}'s items start at {its[0].number}: {head}a is missing")
                for prev, cur, pv, cv in zip(its, its[1:], vals, vals[1:]):
                    if cv != pv + 1:
                        self.diag(cur.first, "numbering-gap", f"numbering skips from {prev.number} to {cur.number}")

    def check_counts(self):
        n_areas = len(self.areas)
        seen = set()
        for s in self.sections:
            for first, _, text in s.paragraphs:
                if len(text) > 20000:
                    text = text[:20000]
                for m in _count_matches(text):
                    n = m.group("n").lower()
                    n = int(n) if n.isdigit() else _NUMBER_WORDS.get(n)
                    if n != n_areas and (first, n) not in seen:
                        seen.add((first, n))
                        said = text[m.start():m.end()]
                        self.diag(first, "count-mismatch",
                                  f"the text announces {said!r} but {n_areas} areas were found")

    def find_streams(self) -> list[StreamRef]:
        pat = self.profile.stream_pattern
        if pat is None:
            return []
        out, seen = [], set()
        paras = [p for s in self.sections for p in s.paragraphs] + [p for a in self.areas for p in a.statement]
        aliases = _alias_patterns(self.reference.frameworks)
        for first, last, text in sorted(paras, key=lambda p: (p[0], p[1])):
            if "stream" not in text.casefold():
                continue
            clean = self._clean_markup(text)
            framework = None
            for fw, alias_re in aliases:
                if alias_re.search(clean):
                    framework = fw
                    break
            if framework is None:
                continue
            # Look only at a window before each "stream": the names precede it.
            spans = set()
            for sm in _STREAM_WORD.finditer(clean):
                lo = max(0, sm.start() - 300)
                for m in pat.finditer(clean, lo, sm.end()):
                    if (m.start() + 0, m.end()) in spans or m.end() != sm.end():
                        continue
                    spans.add((m.start(), m.end()))
                    names = _NAME_SPLIT.split(m.group("names").strip())
                    for name in filter(None, (n.strip() for n in names)):
                        canon = framework.canonical_stream(name) or name
                        if (framework.name, canon) not in seen:
                            seen.add((framework.name, canon))
                            out.append(StreamRef(framework.name, canon, (first, last)))
                    break
        return out

    def find_commitments(self) -> list[Commitment]:
        out = []
        for s in self.sections:
            if s.kind != "accountability":
                continue
            for first, last, text in s.paragraphs:
                for sent in _SENTENCE_END.split(self._clean_markup(text)):
                    if _COMMITS.search(sent):
                        out.append(Commitment(sent, tuple(self._find_mentions(sent)), (first, last)))
        return out

    def _clean_markup(self, text: str) -> str:
        """``clean_markup(text)`` for a paragraph, which several checks clean: once per parse."""
        memo = self._cleaned
        hit = memo.get(text)
        if hit is None:
            hit = memo[text] = clean_markup(text)
        return hit

    def build_area(self, plan_id: str, ordinal: int, a: _AreaB) -> Area:
        area_id = f"{plan_id}/{ordinal}"
        used: dict[str, int] = {}
        counter = [0]
        items = tuple([self._make_item(it, a, area_id, used, counter) for it in a.items])
        statement = " ".join(clean_markup(p[2]) for p in a.statement) or None
        return Area(area_id, ordinal, a.number, a.title, (a.first, a.last), statement,
                    tuple(dict.fromkeys(a.values)), items)

    def _make_item(self, it: _ItemB, a: _AreaB, area_id: str, used: dict, counter: list) -> Item:
        """The :class:`Item` of *it* (and of its children), with its id in area *area_id*: the
        printed number, or ``#k`` for the k-th unnumbered item (*counter*), ``~2``, ``~3`` on a
        collision (*used* counts the ids given)."""
        if it.number:
            local = it.number
        else:
            counter[0] += 1
            local = f"#{counter[0]}"
        item_id = f"{area_id}/{local}"
        seen = used[item_id] = used.get(item_id, 0) + 1
        if seen > 1:
            item_id += f"~{seen}"
        text, owners_raw, owners, status = self.split_item(it, a)
        found = self._mentions(text)
        mentions = tuple(m for m in found if m not in owners) if found else ()
        self.check_item(it, text)
        children = tuple([self._make_item(ch, a, area_id, used, counter) for ch in it.children]) if it.children else ()
        kind = "goal" if (it.depth == 1 and children) else it.kind  # area > goal > action
        return _build_item(item_id, kind, it.number, text, (it.first, it.last), owners, owners_raw,
                         mentions, status, children, it.depth)

    def split_item(self, it: _ItemB, area: _AreaB | None = None):
        """Peel status and owner parentheses (and labelled owners, status words, table cells)
        off an item's text.

        The text is folded first (single spaces, as ``clean_markup`` leaves it); every cut
        below keeps it folded, except a status prefix (the status vocabulary normalises the
        rest) and table cells, so that a text still folded and free of markup is its own
        ``clean_markup``."""
        p = self.profile
        raw = _fold(it.raw)
        folded = True  # raw == " ".join(raw.split())
        if raw.endswith(("*", "*.")) and "*(" in raw:
            raw = _ITALIC_PAREN.sub(r"(*\1*)\2", raw)  # "*(Committee)*" as "(*Committee*)"
        status = it.status or _NO_STATUS
        owners_raw = None
        if it.cells is not None and area is not None and area.columns is not None:
            raw, owners_raw, status = self._cells(it, area.columns, status)
            folded = False
        # Whether the start of the text may hold a status (a colon or a spaced dash near it).
        # Cutting the tail keeps the answer "no": the start only loses characters (and may gain
        # a final period), so it is asked again only after the start was cut.
        may_prefix = p.status_prefix
        doubted = False  # a parenthesis that may name owners was reported
        for _ in range(4):
            m = _LEAD_PAREN.match(raw) if raw.startswith("(") else None
            if m and status.kind == "none":
                hit = self._status_match(m.group("inner"))
                if hit:
                    status = Status(hit[0], hit[1], clean_markup(m.group("inner")).strip())
                    raw = raw[m.end():]
                    may_prefix = p.status_prefix
                    continue
            if may_prefix and status.kind == "none":
                may_prefix = ":" in raw[:62] or _spaced_dash(raw[:64])
                if may_prefix:
                    hit = self.statuses.match_prefix(raw[:400])
                    if hit and hit[3]:
                        status = Status(hit[0], hit[1], hit[2])
                        raw = hit[3] + raw[400:]
                        folded = False
                        continue
            m = _trail_paren(raw)
            if m:
                inner = m.group("inner")
                bare = inner.strip("* ").strip()
                hit = self._status_match(bare) if status.kind == "none" else None
                if hit:
                    status = Status(hit[0], hit[1], bare)
                    raw = raw[: m.start()]
                    continue
                if owners_raw is None:
                    labelled = bool(it.owners_label) and bare == it.owners_label
                    verdict = True if labelled else self._looks_like_owners(inner, loose=True)
                    if verdict:
                        guessed = [] if labelled else self._unknown_owner_parts(inner)
                        if guessed:  # ("Finance Committee; Phase Two": read whole, but said)
                            where = f"item {it.number}" if it.number else "an item"
                            self.diag(it.last, "owners", f"({bare}) at the end of {where}: "
                                      f"{'; '.join(guessed)} read as owner{'s' * (len(guessed) > 1)} beside a known "
                                      "body, though no known body or role word names it", severity="info")
                        owners_raw = bare
                        raw = raw[: m.start()].rstrip()
                        if m.group(0).rstrip().endswith(".") and not raw.endswith("."):
                            raw += "."
                        continue
                    if verdict is None and not doubted:
                        doubted = True
                        where = f"item {it.number}" if it.number else "an item"
                        self.diag(it.last, "owners", f"({bare}) at the end of {where} may name owners but holds no "
                                  "known body or role word: kept in the text, not read as owners")
            # (The pattern needs a colon after the label: without one in the tail, no match.)
            if owners_raw is None and p.owner_inline_label and p.labels.get("owners") and ":" in raw[-400:]:
                m = self._inline_owner_re().search(raw[-400:])
                if m:
                    cut = len(raw) - len(raw[-400:]) + m.start()
                    owners_raw = m.group("who").strip(" .;*()")
                    raw = raw[:cut].rstrip(" ;,–—-")
                    continue
            if owners_raw is None and p.owner_italics and raw.endswith(("*", "*.")):
                m = _TRAIL_ITALIC.search(raw)
                if m and self._looks_like_owners(m.group("inner"), italic_ok=False):
                    owners_raw = m.group("inner").strip()
                    raw = raw[: m.start()].rstrip()
                    continue
            if p.status_suffix and status.kind == "none":
                m = _status_tail(raw[-80:], folded)
                if m:
                    hit = self._status_match(m.group("st"))
                    if hit:
                        cut = len(raw) - len(raw[-80:]) + m.start()
                        status = Status(hit[0], hit[1], m.group("st").strip(" ."))
                        raw = raw[:cut].rstrip(" ;,–—-|")
                        if m.group("sep").strip().startswith(".") and not raw.endswith("."):
                            raw += "."
                        continue
                    if m.group("label") and (not m.group("st").strip() or _COLOUR_STATUS.match(m.group("st").strip())):
                        cut = len(raw) - len(raw[-80:]) + m.start()
                        status = Status("unknown", None, m.group("st").strip(" .") or None)
                        raw = raw[:cut].rstrip(" ;,–—-|")
                        continue
            break
        owners = self._owners_of(owners_raw) if owners_raw else ()
        if folded and "[" not in raw and "*" not in raw:
            return raw, owners_raw, owners, status  # clean_markup(raw) is raw
        return clean_markup(raw), owners_raw, owners, status

    def _owners_of(self, owners_raw: str) -> tuple:
        """The canonical owners an owners group names, split at the profile's separators;
        memoised per registry and separators (the same groups recur from item to item)."""
        seps = self.profile.owner_separators
        memo = self._memo_groups
        key = (owners_raw, seps)
        owners = memo.get(key)
        if owners is None:
            parts = [owners_raw]
            for sep in seps:
                parts = [x for part in parts for x in part.split(sep)]
            if "," not in seps:
                parts = [x for part in parts for x in self._comma_list(part)]
            owners = memo[key] = tuple(dict.fromkeys(self._normalize_owner(clean_markup(x).strip(" .,"))
                                                     for x in parts if x.strip(" .,*")))
        return owners

    def _comma_list(self, part: str) -> list[str]:
        """*part* split at its commas when it lists owners that way ("Finance Committee,
        Treasurer"): every piece a known body or holding a body or role word, each capitalised,
        and the whole no known body ("Library Leadership, Administration, and Management
        Section" stays one). Otherwise ``[part]``."""
        if "," not in part:
            return [part]
        pieces = [x.strip(" .*") for x in part.split(",")]
        if len(pieces) < 2 or self.registry.canonical(part.strip(" .*")):
            return [part]
        for x in pieces:
            if not x[:1].isupper() or not self._known_owner(x):
                return [part]
        return pieces

    def _status_match(self, text: str):
        """``self.statuses.match(text)``, memoised (status words repeat from item to item)."""
        memo = self._memo_status
        hit = memo.get(text, memo)
        if hit is memo:
            hit = memo[text] = self.statuses.match(text)
        return hit

    def _normalize_owner(self, raw: str) -> str:
        """``self.registry.normalize(raw)``, memoised (owner names repeat from item to item)."""
        memo = self._memo_owner
        hit = memo.get(raw)
        if hit is None:
            hit = memo[raw] = self.registry.normalize(raw)
        return hit

    def _mentions(self, text: str) -> list[str]:
        """The registry's :meth:`find_mentions`, skipped when no name's pattern matches *text*
        as that method reads it, NFKC-normalised (:func:`_mention_union`); for a registry of
        another kind, skipped when an ASCII text holds no name's first word."""
        union = self._union
        if union is None:
            union = self._union = _mention_union(self.registry) or False
        if union is not False:
            return self.registry.find_mentions(text) if union.search(self._as_read(text)) else []
        if text.isascii():
            gate = _mention_gate(self.registry)
            if gate is not None and not gate.search(text):
                return []
        return self.registry.find_mentions(text)

    def _find_mentions(self, text: str) -> list[str]:
        """``self.registry.find_mentions(text)``, skipped for a text that no name's pattern
        matches as that method reads it (:func:`_mention_union`)."""
        union = self._union
        if union is None:
            union = self._union = _mention_union(self.registry) or False
        if union is not False and union.search(self._as_read(text)) is None:
            return []
        return self.registry.find_mentions(text)

    @staticmethod
    def _as_read(text: str) -> str:
        """*text* as :meth:`~coreplan_analysis._reference.OwnerRegistry.find_mentions` reads it:
        NFKC-normalised, curly apostrophes straightened (an ASCII text is left as it is)."""
        if text.isascii():
            return text
        from ._reference import _nfkc

        return _nfkc(text)

    def _cells(self, it: _ItemB, columns: list, status: Status):
        """An item flattened from a table row: its text cells, owners and status."""
        cells = it.cells
        text_cells, owners_raw = [], None
        for k, cell in enumerate(cells):
            col = columns[k] if k < len(columns) else "text"
            if col == "owners":
                owners_raw = cell.strip() or None
            elif col == "status":
                if status.kind == "none":
                    status = self._status_of(cell)
            elif cell:
                text_cells.append(cell)
        if len(cells) < len(columns) and "status" in columns[len(cells):] and status.kind == "none":
            status = Status("unknown", None, None)
        # Continuation lines of the row (no cells of their own) follow the first line's cells.
        text = " ".join(text_cells)
        rest = "".join(it.parts[1:]).strip()
        if rest:
            text = f"{text} {rest}".strip()
        return text, owners_raw, status

    def _inline_owner_re(self) -> re.Pattern:
        pat = getattr(self, "_owner_re", None)
        if pat is None:
            words = sorted(self.profile.labels.get("owners", ()), key=len, reverse=True)
            alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
            pat = re.compile(r"(?:^|(?<=[.;,)])|\s[-–—]|\s)\s*\(?\*{0,2}(?:" + alt + r")\*{0,2}\s*:\s*\*{0,2}"
                             r"(?P<who>[^:()]{2,300}?)\)?\s*\.?$", re.IGNORECASE)
            self._owner_re = pat
        return pat

    def _whole_before_owners(self, text: str) -> bool:
        """Whether *text* ends with owners named after one of the profile's owner labels
        ("... meeting. Lead: Program Committee"; the names read as owners) and the text before
        the label is not cut off (it ends with a full stop, or its last word does not dangle, as
        :meth:`check_item` judges an item's text once its owners are read off)."""
        p = self.profile
        if not (p.owner_inline_label and p.labels.get("owners")):
            return False
        m = self._inline_owner_re().search(text[-400:])
        who = m.group("who").strip(" .;*()") if m else ""
        if not who or _dangles(_last_word(who)) or not self._looks_like_owners(who, loose=True):
            return False
        head = text[: len(text) - len(text[-400:]) + m.start()].rstrip(" ;,–—-")
        if not head or head[-1] in _TERMINAL_CHARS:
            return True
        return not _dangles(_last_word(head[-200:]))

    def _looks_like_owners(self, inner: str, *, italic_ok: bool = True, loose: bool = False) -> bool | None:
        """Whether *inner* (a trailing parenthesis, or an italic phrase) is a list of owners:
        each ";" part a known body (the registry) or holding one of the profile's body or role
        words ("Committee", "Treasurer", "Round Table"), and no example, aside or date.

        When *loose* (a parenthesis), a list of which some parts are known and the others read
        as names (:func:`_name_like`: "Finance Committee; Legal Counsel") is owners too; one
        whose parts all read as names but none is known ("Gala Planners") is ``None``: the
        caller keeps the text and reports it rather than guess.
        """
        s = inner.strip()
        if italic_ok and s.startswith("*") and s.endswith("*") and len(s) > 2:
            return True
        s = s.strip("* ")
        if _NOT_OWNERS.match(s):
            return False
        if _A_YEAR.search(s):
            return False  # a citation ("Smith & Jones, 2019") or a date
        parts = [x.strip() for x in s.split(";") if x.strip()]
        if not parts:
            return False
        known = 0
        for part in parts:
            if self._known_owner(part):
                known += 1
            elif not loose or not _name_like(part):
                return False
        if known == len(parts):
            return True
        return True if known else None

    def _unknown_owner_parts(self, inner: str) -> list[str]:
        """The ";" parts of an owner parenthesis that :meth:`_looks_like_owners` took as names
        only: neither a known body nor holding a body or role word."""
        s = inner.strip().strip("* ")
        return [x for x in (x.strip() for x in s.split(";")) if x and not self._known_owner(x)]

    def _known_owner(self, name: str) -> bool:
        """Whether *name* is a known body (the registry) or holds one of the profile's body or
        role words ("Committee", "Treasurer")."""
        if self.registry.canonical(name):
            return True
        body = _body_words_re(self.profile.body_words)
        return body is not None and body.search(name) is not None

    def check_item(self, it: _ItemB, text: str):
        # (A text ending in a terminal mark is never cut off: its last word need not be found.)
        last = None if text.rstrip()[-1:] in _TERMINAL_CHARS else _last_word(text[-200:])
        if _dangles(last):
            self.diag(it.last, "truncated", f"item text ends mid-sentence ({_tail_words(text)!r})")
        # (An ASCII text holds no curly quotes: that pair is balanced.)
        for o, c in _PAIRS_ASCII if text.isascii() else _PAIRS:
            if text.count(o) != text.count(c):
                self.diag(it.first, "unbalanced", f"unbalanced {o}{c} in item {it.number or ''}".rstrip())


_object_new = object.__new__


def _build_item(id, kind, number, text, span, owners, owners_raw, mentions, status, children, depth) -> Item:
    """``Item(id, kind, number, text, span, owners, owners_raw, mentions, status, children,
    depth)``, the same object (fields in the same order, ``basis`` its default), built without
    the frozen dataclass's ``__init__``, which sets each of the twelve fields through
    ``object.__setattr__`` (a parse builds an :class:`Item` per item; this is three times as fast).
    tests/test_parse_fast_paths2.py checks that :class:`Item` is still a plain frozen dataclass
    of these fields, with no ``__post_init__``, and compares the two."""
    obj = _object_new(Item)
    obj.__dict__.update(id=id, kind=kind, number=number, text=text, span=span, owners=owners, owners_raw=owners_raw,
                        mentions=mentions, status=status, children=children, depth=depth, basis="stated")
    return obj


#: An item with no status (a frozen value, shared).
_NO_STATUS = Status()
#: The brackets and quotes an item's text must balance (the first two are all ASCII has).
_PAIRS = (("(", ")"), ("[", "]"), ("“", "”"))
_PAIRS_ASCII = _PAIRS[:2]


_SPACED_DASH = re.compile(r"\s[-–—]\s")


def _spaced_dash(head: str) -> bool:
    """Whether ``_SPACED_DASH`` finds a spaced dash in *head*; the pattern runs only when a dash
    is there (most item texts have none near their start)."""
    return ("-" in head or "–" in head or "—" in head) and _SPACED_DASH.search(head) is not None


def _trail_paren(raw: str):
    """``_TRAIL_PAREN.search(raw)``, without trying every position of a long text.

    A match is a parenthesis group with no parenthesis inside, followed only by white space and
    at most one period: so the text must end so, and the group opens at the last "(" (the match
    starting at the white space before it).
    """
    t = raw.rstrip()
    if t.endswith("."):
        t = t[:-1].rstrip()
    if not t.endswith(")"):
        return None
    k = raw.rfind("(", 0, len(t))
    if k < 0:
        return None
    while k and raw[k - 1].isspace():
        k -= 1
    return _TRAIL_PAREN.search(raw, k)


@functools.lru_cache(maxsize=16)
def _body_words_re(words: tuple) -> re.Pattern | None:
    """One pattern for "any of the profile's owner body words, as a whole word"."""
    if not words:
        return None
    return re.compile("|".join(r"\b" + re.escape(w) + r"\b" for w in words))


_MEMOS = weakref.WeakKeyDictionary()


def _memo(obj, what: str) -> dict:
    """A per-process memo of *obj*'s answers to *what* (*obj* an owner registry or a status
    vocabulary, which never change once built); an empty, unshared dict when *obj* cannot be
    weakly referenced. Cleared when it grows large."""
    try:
        memos = _MEMOS.get(obj)
        if memos is None:
            memos = _MEMOS[obj] = {}
    except TypeError:
        return {}
    memo = memos.get(what)
    if memo is None or len(memo) > 20_000:
        memo = memos[what] = {}
    return memo


_VALUE_SPLIT = re.compile(r"[;,]")
_NOT_OWNERS = re.compile(r"^(e\.g\.|i\.e\.|see\b|cf\.)", re.IGNORECASE)
#: A part of a parenthesis that reads as the name of a body or a role: one to six words, each
#: capitalised (or a joining word: of, and, for, ...), the first capitalised, with a lowercase
#: letter somewhere (a bare acronym such as "HEA" or "ALA" is not a name here).
_NAME_LIKE = re.compile(
    r"^(?=.*[a-z])[A-Z][\w'’.&-]*(?: (?:[A-Z][\w'’.&-]*|&|and|of|for|the|on|in|at|to|de)){0,5}$")
#: A one-word name reads as a role ("Webmaster", "Registrar", "Archivist", "Accountant").
_ROLE_WORD = re.compile(r"(?:er|or|ar|ist|ian|ant|ee)s?$")


def _name_like(part: str) -> bool:
    """Whether a part of a trailing parenthesis reads as the name of a body or a role
    (:data:`_NAME_LIKE`); one word only when it reads as a role, never a month or a season
    ("Summer")."""
    if not _NAME_LIKE.match(part):
        return False
    if " " in part:
        return True
    return _ROLE_WORD.search(part) is not None and part.casefold() not in _MONTHS and part.casefold() not in _SEASONS


_A_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_ALNUM_LAST = re.compile(r"\d+[a-z]")
_STREAM_WORD = re.compile(r"streams?\b", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_COMMITS = re.compile(r"\b(will|shall|must)\b")
_ALIASES: dict = {}


def _alias_patterns(frameworks) -> list:
    """``(framework, pattern)`` for the name and every alias of each framework: the name as a
    whole word, ignoring case. Kept per tuple of frameworks (the reference data's, unchanged
    while its files are)."""
    key = id(frameworks)
    hit = _ALIASES.get(key)
    if hit is not None and hit[0] is frameworks:
        return hit[1]
    out = [(fw, re.compile(r"\b" + re.escape(alias) + r"\b", re.IGNORECASE))
           for fw in frameworks for alias in (fw.name,) + tuple(fw.aliases)]
    if len(_ALIASES) > 16:
        _ALIASES.clear()
    _ALIASES[key] = (frameworks, out)
    return out


_ITALIC_PAREN = re.compile(r"\*\(([^()*]{1,300})\)\*(\s*\.?)$")
_STATUS_TAIL = re.compile(
    r"(?P<sep>\s[-–—|]\s*|\.\s+|;\s+|:\s+|\s(?=(?:Status|Progress)\s*:))(?P<label>(?:Status|Progress)\s*:\s*)?"
    r"(?P<st>[A-Za-z][A-Za-z0-9 ,/]{0,45}?|[●○◐◑■□\U0001F534-\U0001F7EB]|)\s*\.?\s*$"
)
#: A character that every separator of ``_STATUS_TAIL`` holds, as its first or second character
#: (the separator that holds none is a space before "Status" or "Progress").
_SEP_MARK = re.compile(r"[-–—|.;:]")


def _status_tail(window: str, folded: bool = False):
    """``_STATUS_TAIL.search(window)``, tried only from where a separator can start.

    A match starts with its separator: a white space before a dash or a bar, or before
    "Status"/"Progress", or a period, semicolon or colon. So no match starts before the first
    of these marks (less one character, the white space before a dash), nor one character before
    the first "Status" or "Progress"; the search starts at the earliest of these, or is not run.

    When *folded* (its only white space is the plain space, as in a folded text), a window
    with a separator holds one of a few pairs of characters (a space then a dash or a bar, a
    period, semicolon or colon then a space, a space then "Status" or "Progress"): one without
    any (most item texts) is refused by substring tests, without a pattern.
    """
    if folded and not (" -" in window or ". " in window or ": " in window or "; " in window or " |" in window
                       or " –" in window or " —" in window or " Status" in window or " Progress" in window):
        return None
    first = _SEP_MARK.search(window)
    start = first.start() - 1 if first is not None else len(window)
    for word in ("Status", "Progress"):
        k = window.find(word)
        if 0 <= k <= start:
            start = k - 1
    if start >= len(window):
        return None
    return _STATUS_TAIL.search(window, max(0, start))


_GATES: dict = {}


def _mention_gate(registry) -> re.Pattern | None:
    """One pattern of the first words of every owner name and alias (a cheap pre-check)."""
    key = id(registry)
    hit = _GATES.get(key)
    if hit is not None and hit[0] is registry:
        return hit[1]
    import unicodedata

    firsts = set()
    try:
        for owner in registry:
            for spelling in (owner.name, *owner.aliases):
                tokens = re.findall(r"&|[^\s&]+", unicodedata.normalize("NFKC", spelling).replace("\u2019", "'"))
                if not tokens or tokens[0] in ("&", "and"):
                    return None
                tok = tokens[0]
                firsts.add(tok[:-1] if len(tok) > 3 and tok.endswith("s") and not tok.endswith("ss") else tok)
    except (TypeError, AttributeError):
        return None
    gate = re.compile("|".join(re.escape(t) for t in sorted(firsts, key=len, reverse=True))) if firsts else None
    if len(_GATES) > 16:
        _GATES.clear()
    _GATES[key] = (registry, gate)
    return gate


_UNIONS: dict = {}


def _mention_union(registry) -> re.Pattern | None:
    """One pattern that matches wherever one of the patterns of
    :meth:`~coreplan_analysis._reference.OwnerRegistry.find_mentions` matches (every spelling of
    every owner, as that method builds them), or ``None`` for a registry of another kind.

    ``find_mentions`` normalises its text (NFKC, curly apostrophes; an ASCII text is left as it
    is) before its patterns run: where this pattern finds nothing in the normalised text
    (:meth:`_Parser._as_read`), ``find_mentions`` finds nothing either.
    """
    key = id(registry)
    hit = _UNIONS.get(key)
    if hit is not None and hit[0] is registry:
        return hit[1]
    from ._reference import OwnerRegistry, _mention_regex

    union = None
    if type(registry).find_mentions is OwnerRegistry.find_mentions:
        patterns = [_mention_regex(spelling).pattern for owner in registry.owners
                    for spelling in dict.fromkeys((owner.name, *owner.aliases))]
        union = re.compile("|".join(patterns)) if patterns else None
    if len(_UNIONS) > 16:
        _UNIONS.clear()
    _UNIONS[key] = (registry, union)
    return union


def _marker(plain: str) -> _Marker | None:
    """The item marker that starts *plain* ("1.", "2.3", "(a)", "iv.", "B)"), or ``None``."""
    # _MARKER starts with a digit or "(", or a letter: a Roman numeral (only i, v, x) or a
    # single letter right before its "." or ")". A line starting otherwise (most prose and
    # headings) cannot match, and is refused without the pattern.
    c0 = plain[:1]
    if not (c0.isdigit() or c0 == "(" or c0 in "ivxIVX" or plain[1:2] in (".", ")")):
        return None
    m = _MARKER.match(plain)
    return None if m is None else _read_marker(plain, m)


def _read_marker(plain: str, m: re.Match) -> _Marker | None:
    """The marker of a :data:`_MARKER` match *m* on *plain* (``None`` for a Roman numeral out of
    range). The alternative that matched is the one whose last group closed last
    (``m.lastgroup``): "dotted", "pnum", "ap" (alnum), "np" (num), "rp" (roman) or "lp" (letter)."""
    text = plain[m.end():]
    last = m.lastgroup
    if last == "np":
        return _Marker("arabic", "1" + m.group("np"), m.group("num"), text)
    if last == "dotted":
        return _Marker("dotted", "dotted", m.group("dotted"), text)
    if last == "pnum":
        v = m.group("pnum")
        if v.isdigit():
            return _Marker("arabic", "(1)", v, text)
        if len(v) > 1:
            if _roman_value(v) is None:
                return None
            return _Marker("roman", "(I)" if v.isupper() else "(i)", v, text)
        return _Marker("letter", "(A)" if v.isupper() else "(a)", v, text, ambiguous=v in "ivxIVX")
    if last == "ap":
        return _Marker("alnum", "1a", m.group("alnum"), text)
    if last == "rp":
        v = m.group("roman")
        if _roman_value(v) is None:
            return None
        return _Marker("roman", ("I" if v.isupper() else "i") + m.group("rp"), v, text)
    v = m.group("letter")
    return _Marker("letter", ("A" if v.isupper() else "a") + m.group("lp"), v, text, ambiguous=v in "ivxIVX")


@functools.lru_cache(maxsize=4096)
def _ordinal(style: str, number: str) -> int | None:
    """The position a marker states: 3 for "3.", "2.3", "c)", "iii.", "1c".

    Kept per (style, number): every plan numbers its items "1", "2", "1.1", "a"..., and each
    parse asks for each item's position twice.
    """
    if not number:
        return None
    if number.isdigit():
        return int(number)  # (a number with no dot is its own last part)
    last = number.rsplit(".", 1)[-1]
    if last.isdigit():
        return int(last)
    if style == "1a" or _ALNUM_LAST.fullmatch(last):
        return ord(last[-1]) - 96
    if style[:1] in ("i", "I") or style in ("(i)", "(I)"):
        v = _roman_value(last)
        if v is not None:
            return v
    if len(last) == 1 and last.isalpha():
        return ord(last.lower()) - 96
    v = _roman_value(last)
    if v is not None:
        return v
    if last.casefold() in _NUMBER_WORDS:
        return _NUMBER_WORDS[last.casefold()]
    return None


#: Marker styles compared as one numbering run (any other style is a run of its own).
_FAMILIES = {"dotted": "dotted", "1.": "arabic", "1)": "arabic", "(1)": "arabic"}


def _first_of(style: str) -> str:
    if style[:1] in ("a", "A") or style in ("(a)", "(A)"):
        return "a" if style[:1] == "a" or style == "(a)" else "A"
    if style[:1] in ("i", "I") or style in ("(i)", "(I)"):
        return "i" if style[:1] == "i" or style == "(i)" else "I"
    return "1"


def _same_number(a: str, b: str) -> bool:
    if a == b:
        return True
    va, vb = _ordinal("1.", a), _ordinal("1.", b)
    return va is not None and va == vb


def _hyphen_break(before: str, after: str) -> bool:
    """A word broken across two lines with a hyphen ("develop-" / "ment")."""
    return (len(before) >= 3 and before[-1] == "-" and before[-2].isalpha() and before[-3].isalpha()
            and after[:1].islower() and not after.startswith(("and ", "or ", "to ")))


def _join_lines(lines: list[str]) -> str:
    """A section paragraph's lines; a marker alone on a line joins the line after it."""
    out: list[str] = []
    for line in lines:
        if out and _BARE_MARKER.match(out[-1].strip()):
            out[-1] = out[-1].strip() + " " + line
        else:
            out.append(line)
    return "\n".join(out)


def _tail_words(text: str, n: int = 4) -> str:
    w = text[-400:].split()
    return ("..." if len(w) > n or len(text) > 400 else "") + " ".join(w[-n:])


_YEAR = re.compile(r"(?:19|20)\d\d")
_WHEN_TOKEN = re.compile(r"[A-Za-z]+\d?")


def _parse_when(when: str) -> tuple[str | None, str | None]:
    """``("March-April 2021")`` -> ``("2021-03", "2021-04")``.

    >>> _parse_when("March-April 2021")
    ('2021-03', '2021-04')
    >>> _parse_when("June 2021")
    ('2021-06', '2021-06')
    >>> _parse_when("2022-2025")
    ('2022', '2025')
    >>> _parse_when("Fall 2023")
    ('2023-09', '2023-11')
    """
    years = _YEAR.findall(when)
    yr = _YEAR_RANGE.search(when)
    tokens = [t.casefold().rstrip(".") for t in _WHEN_TOKEN.findall(when)]
    months = [_MONTHS[t] for t in tokens if t in _MONTHS]
    seasons = [_SEASONS[t] for t in tokens if t in _SEASONS]
    if not years:
        return None, None
    y0 = int(years[0])
    y1 = int(years[-1])
    if yr and len(yr.group(2)) == 2:
        y1 = int(yr.group(1)[:2] + yr.group(2))
    if months:
        m0, m1 = months[0], months[-1]
        end_year = y1 if len(years) > 1 else (y0 + 1 if m1 < m0 else y0)
        return f"{y0}-{m0:02d}", f"{end_year}-{m1:02d}"
    if seasons:
        m0, m1 = seasons[0][0], seasons[-1][1]
        return f"{y0}-{m0:02d}", f"{y0 + (1 if m1 < m0 else 0)}-{m1:02d}"
    return str(y0), str(y1)


def _period(title: str | None, sections) -> tuple[int | None, int | None]:
    """The years a plan covers, from its title or approval line ("2022-2025", "FY18-FY22").

    >>> _period("Strategic Plan FY18-FY22", [])
    (2018, 2022)
    >>> _period("Plan for Excellence", [Section("approval", None, "Approved April 20, 2011. Effective July 1, 2011", (3, 3))])
    (2011, None)
    """
    for text in [title or ""] + [s.text or "" for s in sections if s.kind in ("title", "approval")]:
        m = _YEAR_RANGE.search(text)
        if m:
            a, b = m.group(1), m.group(2)
            return int(a), int(a[:2] + b) if len(b) == 2 else int(b)
        m = _FY_RANGE.search(text)
        if m:
            a, b = m.group(1), m.group(2)
            a = int(a) if len(a) == 4 else 2000 + int(a)
            b = int(b) if len(b) == 4 else 2000 + int(b)
            if a <= b:
                return a, b
    for s in sections:
        if s.kind == "approval":
            m = re.search(r"\bEffective\b[^.;]{0,40}?\b((?:19|20)\d\d)\b", s.text or "")
            if m:
                return int(m.group(1)), None
    return None, None


# --------------------------------------------------------------------------------------------
# Parsing with a profile, and choosing one
# --------------------------------------------------------------------------------------------


def _parse_with(text: str, profile, reference, source, plan_id: str, lines: _Lines | None = None):
    """``(plan, diagnostics, lines)``: *text* read with *profile* (*lines*: its :class:`_Lines`,
    when the caller has them)."""
    parser = _Parser(text, profile, reference, source, lines)
    parser.run()
    parts = parser.finish(plan_id)
    diags = list(parser.diags)
    n_lines = len(parser.lines)
    if not parser.read.nonblank:
        diags.append(Diagnostic(None, "warning", "empty", "the text is empty: no plan to read"))
    elif not parts["areas"]:
        diags.append(Diagnostic(None, "warning", "empty", f"no areas, goals or actions read with the profile "
                                f"{profile.name!r}: if the text has them, another profile may read them "
                                "(coreplan profiles; --profile NAME)"))
    title = parser.plan_title()
    plan = Plan(
        id=plan_id,
        title=title,
        source=Source(None if source is None else str(source), sha256_bytes(text.encode("utf-8", "surrogatepass")),
                      n_lines),
        period=_period(title, parts["sections"]),
        diagnostics=(),
        profile=profile.name,
        **parts,
    )
    diags.extend(_coverage(plan, parser.lines, diags, parser.read.nonblank))
    for a in plan.areas:
        # ("Objective 1.1: ...", "Action 1.1.1: ..." lines this reading left in a statement.)
        buried = len(_BURIED_ITEM.findall(a.statement)) if a.statement and ":" in a.statement else 0
        if buried:
            diags.append(Diagnostic(a.span[0], "warning", "layout", (
                f"{buried} numbered item line{'s' * (buried != 1)} (such as 'Objective 1.1: ...') read as the text "
                f"of area {a.number or a.ordinal}, not as its goals and actions, with the profile {profile.name!r}: "
                "another profile may read them (coreplan profiles; --profile NAME)")))
    return plan, diags, parser.lines


def score_parse(plan, lines, diags=None) -> tuple[float, dict]:
    """How well a parse explains its text: ``(score, facts)``, the score between 0 and 1.

    The score is 0 for a parse that reads no area (a plan of sections alone: a "Mission"
    heading that took in every line, say). Otherwise it is the share of non-blank lines the
    parse explains (lines in areas, items and named sections; not in an ``intro`` of
    unstructured prose, not left ``unparsed``), less half the rate of trouble per element
    (numbering gaps, unread prose lines and empty areas, divided by the number of items and
    areas), less a quarter of the share of areas whose heading is lost or missing.

    >>> from coreplan_analysis import parse_plan
    >>> plan = parse_plan("Strategic Area 1: Access\\n\\n1. Open on Sundays\\n", profile="core")
    >>> score_parse(plan, ["Strategic Area 1: Access", "", "1. Open on Sundays"])[0]
    1.0
    """
    nonblank = [n for n, line in enumerate(lines, start=1) if line.strip()]
    return _score(plan, lines, plan.diagnostics if diags is None else diags, nonblank)


def _score(plan, lines, diags, nonblank) -> tuple[float, dict]:
    """:func:`score_parse`, given the numbers of the non-blank lines (*nonblank*)."""
    if not nonblank:
        return 0.0, {"lines": 0}
    if not plan.areas:  # (nor items: they sit in areas) a parse that reads no plan explains nothing
        return 0.0, {"lines": len(nonblank), "explained": 0, "areas": 0, "items": 0, "gaps": 0, "lost": 0,
                     "unparsed": sum(1 for d in diags if d.kind == "unparsed"), "empty": 0}
    intro = bytearray(len(lines) + 2)
    for s in plan.sections:
        if s.kind == "intro":
            for k in range(s.span[0], min(s.span[1], len(lines)) + 1):
                intro[k] = 1
    unparsed = {d.line for d in diags if d.kind == "unparsed" and d.line}
    explained = sum(1 for n in nonblank if not intro[n] and n not in unparsed)
    gaps = sum(1 for d in diags if d.kind == "numbering-gap")
    lost = sum(1 for d in diags if d.kind == "missing-heading")
    empty = sum(1 for a in plan.areas if not a.items and not a.statement)
    # Numbered item lines ("Objective 1.1: ...", "Action 1.1.1: ...") that a reading left in an
    # area's statement are structure it did not read: trouble, like lines it did not read at all.
    buried = sum(len(_BURIED_ITEM.findall(a.statement)) for a in plan.areas if a.statement and ":" in a.statement)
    n_items = _count_items(plan.areas)
    trouble = gaps + len(unparsed) + empty + buried
    share = explained / len(nonblank)
    score = (share - 0.5 * min(1.0, trouble / max(1, n_items + len(plan.areas)))
             - 0.25 * min(1.0, lost / max(1, len(plan.areas))))
    facts = {"lines": len(nonblank), "explained": explained, "areas": len(plan.areas), "items": n_items,
             "gaps": gaps, "lost": lost, "unparsed": len(unparsed), "empty": empty, "buried": buried}
    return round(max(0.0, score), 4), facts


# A labelled, dotted item number in a statement: an item label word ("Objective", "Action"...),
# "1.1" or "1.1.1", a colon (not "Bylaws Article 4.2:").
_BURIED_ITEM = re.compile(r"(?<![\w.])(?:Objective|Action|Strategy|Tactic|Activity|Initiative|Outcome|Task|Step|Measure|"
                          r"Goal|Priority)\s\d{1,2}(?:\.\d{1,2}){1,3}\s?:\s")


def _count_items(areas) -> int:
    """``sum(1 for _ in plan.walk())`` for a plan of these *areas*, without the generators."""
    n = 0
    todo = [it for a in areas for it in a.items]
    while todo:
        it = todo.pop()
        n += 1
        if it.children:
            todo.extend(it.children)
    return n


def _candidates(text: str, workspace, read: _Lines | None = None):
    """Profiles worth trying on *text*, in order of preference on a tie (*read*: the text's
    :class:`_Lines`, when the caller has them)."""
    from ._profile import infer_profile

    core, others = _profiles_to_try(workspace)
    out = [core]
    skipped = []
    sample = text[:INFER_SAMPLE_CHARS]
    if read is not None and sample is text:
        inferred, notes = infer_profile(sample, base=core, lines=read.lines, stripped=read.stripped)
    else:
        inferred, notes = infer_profile(sample, base=core)
    seen: dict = {}  # what the text shows, looked for once whichever profile asks
    for name, prof, problem, from_workspace in others:
        if prof is None:
            skipped.append(f"{name} ({problem})")
            continue
        if from_workspace or _worth_trying(prof, core, sample, notes, seen):
            out.append(prof)
    if inferred is not None:
        out.append(inferred)
    return out, notes, skipped


#: :func:`_profiles_to_try`'s cache, one entry per workspace.
_TO_TRY = StampedCache()


def _profiles_to_try(workspace):
    """``(core, others)``: the ``core`` profile and, for every other profile of the bundled data
    and the workspace, ``(name, profile or None, why it is malformed or None, from the workspace)``.

    Loading them costs path look-ups and a few ``stat`` calls per profile, so the answer is kept
    while the profiles folders (their listings and every file in them) are unchanged.
    """
    from ._errors import ProfileError
    from ._profile import BASE_PROFILE, list_profiles, load_profile

    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    key = ws.cache_key()
    hit = _TO_TRY.get(key)
    if hit is not None:
        return hit
    paths = ws.watched(folders=("profiles",))
    stamps = StampedCache.stamps(paths)
    core = load_profile(BASE_PROFILE, ws)
    bundled = (bundled_data_dir() / "profiles").resolve()
    others = []
    for name, path in list_profiles(ws):
        if name == BASE_PROFILE:
            continue
        try:
            prof = load_profile(path, ws)
        except ProfileError as exc:
            others.append((name, None, exc.message, False))
            continue
        from_workspace = bool(prof.source) and Path(prof.source).resolve().parent != bundled
        others.append((name, prof, None, from_workspace))
    found = (core, tuple(others))
    _TO_TRY.put(key, paths, stamps, found)
    return found


def _worth_trying(prof, core, sample: str, notes, seen: dict) -> bool:
    """Whether a bundled profile could read *sample* differently from core (cheap checks only;
    a workspace profile is always tried). *seen* keeps what was looked for in *sample*."""

    def shows(name: str, at_start: re.Pattern, after_newline: re.Pattern) -> bool:
        # "A line starts with X": X at the start of the text, or right after a newline. (One
        # pattern with "(?m)^" is several times slower: it is tried at every position, where
        # a leading newline lets the engine skip from one line end to the next.)
        if name not in seen:
            seen[name] = at_start.match(sample) is not None or after_newline.search(sample) is not None
        return seen[name]

    if prof.area_markers and shows("second marker", *_SECOND_MARKER):
        return True
    if prof.item_patterns or prof.area_patterns != core.area_patterns:
        return bool(notes) or shows("goal lines", *_GOAL_LINE)
    return False


# "(?m)^\s{0,1}(?:II|B)[.)]\s" and "(?im)^\W{0,3}(?:goal|objective)\s+(?:\d|one\b)" (a line
# starting with a second Roman or letter marker; with "Goal 1", "Objective One"), as
# (at the start of the text, after a newline).
_SECOND_MARKER = (re.compile(r"\s?(?:II|B)[.)]\s"), re.compile(r"\n\s?(?:II|B)[.)]\s"))
_GOAL_LINE = (re.compile(r"(?i)\W{0,3}(?:goal|objective)\s+(?:\d|one\b)"),
              re.compile(r"(?i)\n\W{0,3}(?:goal|objective)\s+(?:\d|one\b)"))


def parse_plan(text: str, *, profile=None, source=None, plan_id: str | None = None, reference=None,
               workspace=None) -> Plan:
    """Parse a plan's text into a :class:`~coreplan_analysis.Plan`.

    Parameters
    ----------
    text : str
        The plan, as copied (Markdown residue is fine).
    profile : str, os.PathLike or Profile, optional
        How the plan is written: a profile name, a YAML file or a loaded profile. By default the
        parser infers it (see the module notes): the ``profile`` diagnostic says which profile
        it used, how much of the text it explains and its confidence.
    source : str, optional
        A name for the text (a file path): used for the plan id when *plan_id* is not given.
    plan_id : str, optional
        The plan's id; default a slug of *source*, or ``"plan"``.
    reference : Reference, optional
        Owner registry, status vocabulary and frameworks (default: the bundled reference data).
    workspace : Workspace or path, optional
        Where profiles are looked up (default: the bundled data and ``$COREPLAN_DATA``).

    Returns
    -------
    Plan

    Examples
    --------
    >>> plan = parse_plan('''Areas of Focus
    ...
    ... 1. Membership
    ...
    ... Goal: Grow membership.
    ...
    ... Actions:
    ...
    ... 1. Run a survey. (*Board of Directors*)
    ... 2. (Completed) Hold a town hall.
    ... ''', plan_id="demo")
    >>> [(i.id, i.kind, i.text) for i in plan.items()]
    [('demo/1/#1', 'goal', 'Grow membership.'), ('demo/1/1', 'action', 'Run a survey.'), ('demo/1/2', 'action', 'Hold a town hall.')]
    >>> plan.item("demo/1/1").owners, plan.item("demo/1/2").status.kind
    (('Board of Directors',), 'completed')
    >>> [d.message for d in plan.diagnostics if d.kind == "profile"]
    ["profile inferred: 'core' explains 100% of the lines (1 area, 3 items; 0 unread, 0 numbering gaps, 0 lost headings); confidence 1.00"]

    A plan in another shape is read with the profile that explains it best:

    >>> plan = parse_plan('''I. Advocacy
    ...   A. Raise the association's profile with legislators.
    ...     1. Hold a library legislative day.
    ... II. Learning
    ...   A. Offer a webinar series.
    ... ''', plan_id="x")
    >>> plan.profile, [(a.number, a.title) for a in plan.areas]
    ('outline', [('I', 'Advocacy'), ('II', 'Learning')])
    """
    from ._profile import Profile, load_profile
    from ._reference import load_reference

    _check_text_input(text)
    if reference is None:
        reference = load_reference()
    if plan_id is None:
        plan_id = slugify(Path(source).name) if source else "plan"
    text = text.lstrip("\ufeff")
    if profile is not None and not isinstance(profile, Profile):
        profile = load_profile(profile, workspace)
    # A parse builds thousands of small objects that all live until it returns: the cyclic
    # collector's passes over them find nothing to free (about 2% of the time), so it waits.
    with gc_paused():
        if profile is not None:
            plan, diags, _ = _parse_with(text, profile, reference, source, plan_id)
            diags.append(Diagnostic(None, "info", "profile", f"read with profile {profile.name!r}"))
        else:
            plan, diags = _infer_and_parse(text, reference, source, plan_id, workspace)
        diags.sort(key=lambda d: (d.line is None, d.line or 0, d.kind, d.message))
        return replace(plan, diagnostics=tuple(diags))


def parse_plans(texts, *, profile=None, reference=None, workspace=None, n_jobs=None) -> list[Plan]:
    """Parse many plans: ``[parse_plan(text, plan_id=pid, ...) for pid, text in texts.items()]``,
    on every core for a large batch.

    Parameters
    ----------
    texts : mapping of str to str, or iterable of (str, str)
        Each plan's id and text, in the order wanted.
    profile, reference, workspace
        As for :func:`parse_plan`, the same for every plan (read once).
    n_jobs : int, optional
        Processes to share the plans among (``-1``: every core). By default, on Linux, every
        core (at most 4) for 64 plans or more, else one; ``COREPLAN_JOBS`` sets another
        default (:func:`~coreplan_analysis._runtime.workers_for`). The plans are the same
        whatever the count; a process running other Python threads (a Jupyter kernel) uses one.

    Returns
    -------
    list of Plan

    Raises
    ------
    InputError
        A text is not text (the first such one, as :func:`parse_plan` raises it).

    Examples
    --------
    >>> plans = parse_plans({"a": "1. Members\\n\\nGoal: Grow membership.\\n",
    ...                      "b": "1. Advocacy\\n\\nGoal: Speak up for libraries.\\n"})
    >>> [(p.id, [i.text for i in p.items()]) for p in plans]
    [('a', ['Grow membership.']), ('b', ['Speak up for libraries.'])]
    """
    from ._profile import Profile, load_profile
    from ._reference import load_reference
    from ._runtime import map_in_parts

    pairs = list(texts.items() if hasattr(texts, "items") else texts)
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
            raise TypeError(f"parse_plans takes {{plan id: text}} or (plan id, text) pairs, not {pair!r:.60}")
    if reference is None:
        reference = load_reference()  # (as parse_plan: the workspace is where profiles are found)
    if profile is not None and not isinstance(profile, Profile):
        profile = load_profile(profile, workspace)
    return map_in_parts(lambda pair: parse_plan(pair[1], plan_id=pair[0], profile=profile, reference=reference,
                                                workspace=workspace), pairs, n_jobs=n_jobs)


def _infer_and_parse(text, reference, source, plan_id, workspace):
    full = read = _Lines(text)  # the same lines whichever profile reads them
    candidates, notes, skipped = _candidates(text, workspace, full)
    sample = text
    if len(text) > INFER_SAMPLE_CHARS and len(candidates) > 1:
        cut = text.rfind("\n", 0, INFER_SAMPLE_CHARS)
        sample = text[: cut if cut > 0 else INFER_SAMPLE_CHARS]
        read = _Lines(sample)
    scored = []
    for k, prof in enumerate(candidates):
        plan, diags, lines = _parse_with(sample, prof, reference, source, plan_id, read)
        score, facts = _score(plan, lines, diags, read.nonblank)
        scored.append((score, -k, prof, plan, diags, facts))
    best = max(scored, key=lambda s: (s[0], s[1]))
    score, _, prof, plan, diags, facts = best
    if sample is not text:
        plan, diags, _ = _parse_with(text, prof, reference, source, plan_id, full)
    pct = round(100 * facts.get("explained", 0) / max(1, facts.get("lines", 1)))
    how = "inferred from the text (" + "; ".join(notes) + ")" if prof.name == "inferred" else repr(prof.name)
    na, ni = facts.get("areas", 0), facts.get("items", 0)
    msg = (f"profile inferred: {how} explains {pct}% of the lines ({na} area{'s' * (na != 1)}, {ni} "
           f"item{'s' * (ni != 1)}; {facts.get('unparsed', 0)} unread, {facts.get('gaps', 0)} numbering gaps, "
           f"{facts.get('lost', 0)} lost headings); confidence {score:.2f}")
    others = [f"{s[2].name} {s[0]:.2f}" for s in sorted(scored, key=lambda s: (-s[0], -s[1])) if s[2] is not prof]
    if others:
        msg += "; also tried " + ", ".join(others)
    if sample is not text:
        msg += f" (compared on the first {len(sample):,} characters)"
    if skipped:
        msg += "; skipped malformed " + ", ".join(skipped)
    diags.append(Diagnostic(None, "info", "profile", msg))
    return plan, diags


def _coverage(plan: Plan, lines: list[str], diags, nonblank: list[int] | None = None) -> list[Diagnostic]:
    """An ``unparsed`` diagnostic for every non-blank line no element's span covers (*nonblank*:
    the numbers of the non-blank lines, when the caller has them)."""
    if nonblank is None:
        nonblank = [no for no, line in enumerate(lines, start=1) if line.strip()]
    covered = bytearray(len(lines) + 2)

    def add(span):
        a, b = max(1, span[0]), min(len(lines), span[1])
        if a <= b:
            covered[a:b + 1] = b"\x01" * (b - a + 1)

    for s in plan.sections:
        add(s.span)
    for a in plan.areas:
        add(a.span)
    for t in plan.timeline:
        add(t.span)
    for d in diags:
        if d.line and 0 < d.line <= len(lines):
            covered[d.line] = 1
    return [Diagnostic(no, "warning", "unparsed", "line not read into any element")
            for no in nonblank if not covered[no]]


def read_plan(path, *, profile=None, reference=None, workspace=None) -> Plan:
    """Read a plan file and parse it (see :func:`parse_plan`).

    The file's type comes from its suffix (:func:`coreplan_analysis._formats.extract`): plain
    text, Markdown, HTML, Word (.docx) or PDF; for the last three, spans are lines of the
    extracted text, and a ``format`` diagnostic records the type. The plan's id, title,
    organisation and period (when it gives a cycle) come from the catalog when the file's sha256
    matches an entry's (the first in catalog order), otherwise the id is a slug of the file
    name. Bytes that are not UTF-8 are read as
    Windows-1252 with an ``encoding`` diagnostic; a binary file, a directory or a missing file
    raises :class:`~coreplan_analysis.InputError`.

    Examples
    --------
    >>> from coreplan_analysis._paths import bundled_data_dir
    >>> plan = read_plan(bundled_data_dir() / "raw" / "core-strategic-action-plan-2021-2022.txt")
    >>> plan.id, len(plan.areas), len(plan.leaves())
    ('core-2021-2022', 3, 13)
    """
    from ._catalog import catalog_entry_for
    from ._formats import extract

    doc = extract(path)
    entry = catalog_entry_for(sha256_bytes(doc.data), workspace=workspace)
    return _read_extracted(doc, path, entry, profile=profile, reference=reference, workspace=workspace)


def _read_extracted(doc, path, entry, *, profile=None, reference=None, workspace=None) -> Plan:
    """:func:`read_plan` of a file already extracted (*doc*), as catalog *entry* (``None``:
    none). :func:`~coreplan_analysis.load_catalog` reads each file as its own entry: two
    entries may catalogue the same bytes."""
    if profile is None and entry is not None:
        profile = entry.profile
    if profile is not None and not hasattr(profile, "area_patterns"):
        from ._profile import load_profile

        profile = load_profile(profile, workspace)
    plan = parse_plan(doc.text, profile=profile, source=str(path),
                      plan_id=entry.id if entry else None, reference=reference, workspace=workspace)
    diags = list(plan.diagnostics)
    extra = list(doc.diagnostics)
    if doc.warning:
        extra.insert(0, Diagnostic(None, "warning", "encoding", doc.warning))
    if extra:
        head = [d for d in extra if d.line is None]
        lined = [d for d in extra if d.line is not None]
        diags = head + sorted(diags + lined, key=lambda d: (d.line is None, d.line or 0, d.kind, d.message))
    plan = replace(plan, source=Source(str(path), sha256_bytes(doc.data), plan.source.lines), diagnostics=tuple(diags))
    if entry is not None:
        plan = replace(plan, title=entry.title or plan.title, organisation=entry.organisation,
                       period=(entry.start, entry.end) if entry.start else plan.period)
    return plan


def _check_text_input(text) -> None:
    if not isinstance(text, str):
        raise InputError(f"expected text (str), got {type(text).__name__}")
