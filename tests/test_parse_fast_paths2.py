"""The parse speed-ups, fourth round: each against the plain form it replaces.

- items built without the frozen dataclass's ``__init__`` (:func:`_build_item`) are the
  :class:`Item` that ``Item(...)`` builds;
- ``OwnerRegistry.find_mentions`` runs only the patterns of the gates present whose literals are
  all in the text, and orders its matches with the pattern's place: the same names as the plain
  algorithm (every pattern of every spelling, a stable sort);
- the page-edge pre-check (a page word first or a digit last) and the page-number one (a digit
  or a dash last) refuse only lines the patterns refuse;
- the terminal-mark test by the last character is ``endswith(_TERMINAL)``;
- a profile pattern is skipped on a line whose first character none of its matches can start
  with (:func:`_first_ascii`), and the values intro on a line that does not end with the
  character all its matches end with (:func:`_last_char`): the same section kinds, area
  headings and values intros;
- a status tail in a folded window is refused without the pattern only when it has none.

And a fix: owner mentions are looked for in the text as ``find_mentions`` reads it
(NFKC-normalised), so a full-width name is found.
"""

from __future__ import annotations

import dataclasses
import pickle
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from coreplan_analysis import parse_plan
from coreplan_analysis._model import Item, Status
from coreplan_analysis._parser import (
    _PAGE_EDGE,
    _PAGE_LAST,
    _PAGE_NO,
    _STATUS_TAIL,
    _TERMINAL,
    _TERMINAL_CHARS,
    _build_item,
    _fold,
    _may_be_page_edge,
    _status_tail,
)
from coreplan_analysis._profile import _first_ascii, _last_char, load_profile, profile_from_dict
from coreplan_analysis._reference import (
    Owner,
    OwnerRegistry,
    _mention_gate,
    _mention_literals,
    _mention_regex,
    _mentions_of,
    _nfkc,
    load_reference,
)

# -- Item built directly ----------------------------------------------------------------------

_ITEM_FIELDS = ["id", "kind", "number", "text", "span", "owners", "owners_raw", "mentions", "status", "children",
                "depth", "basis"]


def test_item_is_still_the_plain_frozen_dataclass_new_item_assumes():
    # _build_item fills the instance dict: that is Item(...) only while Item is a frozen dataclass
    # of these fields (no slots, no __post_init__, basis defaulting to "stated").
    assert dataclasses.is_dataclass(Item) and Item.__dataclass_params__.frozen
    assert [f.name for f in dataclasses.fields(Item)] == _ITEM_FIELDS
    assert dataclasses.fields(Item)[-1].default == "stated"
    assert not hasattr(Item, "__post_init__") and "__slots__" not in vars(Item)


_ITEM_ARGS = st.tuples(
    st.text(max_size=8), st.sampled_from(["goal", "action"]), st.one_of(st.none(), st.text(max_size=3)),
    st.text(max_size=20), st.tuples(st.integers(1, 50), st.integers(1, 50)),
    st.lists(st.text(max_size=5), max_size=2).map(tuple), st.one_of(st.none(), st.text(max_size=5)),
    st.lists(st.text(max_size=5), max_size=2).map(tuple),
    st.sampled_from([Status(), Status("completed", None, "Done"), Status("unknown", None, None)]),
    st.sampled_from([(), (Item("c", "action", None, "t", (1, 1)),)]), st.integers(1, 8))


@settings(max_examples=300, deadline=None)
@given(_ITEM_ARGS)
def test_new_item_is_the_item_init_builds(args):
    fast, plain = _build_item(*args), Item(*args)
    assert type(fast) is Item
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert list(vars(fast).items()) == list(vars(plain).items())  # the same fields, in the same order
    assert pickle.dumps(fast) == pickle.dumps(plain)
    assert fast.to_dict() == plain.to_dict()
    try:
        fast.text = "x"
    except dataclasses.FrozenInstanceError:
        pass
    else:  # pragma: no cover
        raise AssertionError("an item built by _build_item must stay frozen")


# -- find_mentions ----------------------------------------------------------------------------


def _plain_find_mentions(registry: OwnerRegistry, text: str) -> list[str]:
    """find_mentions as it was: every pattern of every spelling tried (behind its gate), the
    matches sorted stably by length and start, the longest taken first."""
    if not text:
        return []
    patterns = [(_mention_gate(s), _mention_regex(s), o.name) for o in registry.owners
                for s in dict.fromkeys((o.name, *o.aliases))]
    text = _nfkc(text)
    present = {gate for gate, _, _ in patterns if gate in text}
    found = [(start, end, name) for gate, regex, name in patterns if gate in present
             for start, end in _mentions_of(regex, text)]
    found.sort(key=lambda f: (f[0] - f[1], f[0]))
    taken: list = []
    for start, end, name in found:
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, name))
    taken.sort()
    return list(dict.fromkeys(name for _, _, name in taken))


# A registry whose names overlap and share words and gates, so that ties and overlaps occur.
_OVERLAPPING = OwnerRegistry([
    Owner("Board", "board", ("Core Board", "The Board"), None, None),
    Owner("Board of Directors", "board", ("Directors Board",), None, None),
    Owner("Arts & Crafts Committee", "committee", ("Arts and Crafts Committees", "A & C Committee"), None, None),
    Owner("Crafts Committee Chairs", "group", (), None, None),
    Owner("Section Leaders", "group", ("section leaders", "Section Leaders Group"), None, None),
    Owner("Staff", "staff", ("Core Staff", "staffs"), None, None),
])

_MENTION_WORD = st.sampled_from(
    ["Board of Directors", "Core Board", "Arts & Crafts Committee", "Crafts Committee Chairs", "Leadership Team",
     "Section Leaders Group", "Directors Board", "ALA Staff", "Board of Directors", "Core Board",
     "Board", "Boards", "of", "Directors", "Director", "Core", "The", "the", "Arts", "&", "and", "Crafts",
     "Committee", "Committees", "Chairs", "A", "C", "Section", "section", "Leaders", "leaders", "Group", "Staff",
     "staffs", "Leadership", "Team", "ALA", "Board’s", "Ｂoard", "Ｓtaff", "x", "-", "(", ")", ".", ",", "'s", "é"])
# Words mostly joined by spaces (so that names of several words occur), sometimes by other
# white space or nothing.
_MENTION_TEXT = st.lists(st.tuples(_MENTION_WORD, st.sampled_from([" ", " ", " ", " ", "", "  ", "\t", "\n"])),
                         max_size=14).map(lambda parts: "".join(w + sep for w, sep in parts))


@settings(max_examples=1500, deadline=None)
@given(_MENTION_TEXT)
def test_find_mentions_is_the_plain_algorithm(text):
    for registry in (_OVERLAPPING, load_reference().owners):
        assert registry.find_mentions(text) == _plain_find_mentions(registry, text)


@settings(max_examples=500, deadline=None)
@given(_MENTION_TEXT)
def test_every_mention_holds_the_literals_of_its_spelling(text):
    # The pre-check before each pattern: a match holds every literal of its spelling.
    text = _nfkc(text)
    for owner in _OVERLAPPING.owners + load_reference().owners.owners:
        for spelling in (owner.name, *owner.aliases):
            literals = _mention_literals(spelling)
            assert _mention_gate(spelling) in literals
            for m in _mention_regex(spelling).finditer(text):
                assert all(lit in m.group() for lit in literals), (spelling, m.group())


def test_find_mentions_examples():
    reg = _OVERLAPPING
    assert reg.find_mentions("The Board of Directors and the Arts & Crafts Committee Chairs") == [
        "Board of Directors", "Arts & Crafts Committee"]
    assert reg.find_mentions("Crafts Committee Chairs met the Board") == ["Crafts Committee Chairs", "Board"]
    assert reg.find_mentions("Core Staff and section leaders") == ["Staff", "Section Leaders"]
    assert reg.find_mentions("Core Board of Directors") == ["Board of Directors"]  # the longest first
    assert reg.find_mentions("nothing here") == []


# -- the page-edge pre-check ------------------------------------------------------------------

_EDGE_LINE = st.lists(st.sampled_from(
    ["Page", "page", "PAGE", "p.", "P.", "pg", "Pg.", "3", "12", "٣", "²", " ", "  ", " | ", " - ", " – ", " • ",
     "of", "/", "Core Plan", "x", "April 2024", ".", "2025", "\t"]),
    min_size=1, max_size=10).map(lambda parts: "".join(parts).strip())


@settings(max_examples=2000, deadline=None)
@given(_EDGE_LINE)
def test_page_edge_precheck_is_necessary(line):
    if line and _PAGE_EDGE.match(line):
        assert _may_be_page_edge(line)


def test_page_edge_precheck_examples():
    for line in ("Core Strategic Plan | Page 3", "Page 2 of 9 - Core Plan", "p. 4  Core", "Plan 2024  pg 7"):
        assert _PAGE_EDGE.match(line) and _may_be_page_edge(line)
    assert not _may_be_page_edge("Support members across sections.")


# -- the terminal-mark test -------------------------------------------------------------------


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('.!?:;)"”’\'*]ab (\t\n') + ["\u00a0", "é"]), max_size=8))
def test_terminal_character_test_is_endswith(text):
    t = text.rstrip()
    assert (t[-1:] in _TERMINAL_CHARS) == t.endswith(_TERMINAL)
    assert all(len(x) == 1 for x in _TERMINAL)


def test_terminal_characters_are_the_tuple():
    assert _TERMINAL_CHARS == frozenset(_TERMINAL) and all(len(c) == 1 for c in _TERMINAL)
    # t[-1:] in _TERMINAL_CHARS is t.endswith(_TERMINAL), the empty text included
    for t in ["", "Done.", "Done", "a)", 'say "x"', "end*", "x]", "why?", "a; "]:
        assert (t[-1:] in _TERMINAL_CHARS) == t.endswith(_TERMINAL)


# -- what a profile pattern's matches start or end with ---------------------------------------


# Patterns of the forms profiles use, and harder ones: scoped and global flags, optional and
# empty alternatives, classes and ranges, characters that match ASCII letters ignoring case
# ("K" Kelvin sign, "ſ" long s), look-arounds and back-references (no first characters known).
_PATTERNS = [
    re.compile(r"^(?:Introduction|Overview|Executive Summary)\b", re.IGNORECASE),
    re.compile(r"^(?:Our\s+)?Mission\b", re.IGNORECASE),
    re.compile(r"\bValue Proposition\b", re.IGNORECASE),
    re.compile(r"^(?:Our\s+|Core\s+)?(?:Values|Principles)\s*$", re.IGNORECASE),
    re.compile(r"^(?i:Strategic\s+Areas?|Key\s+Area|Theme)\s+(?P<number>\d{1,2}|[IVX]{1,5})\s*(?::\s*(?P<title>.*)|$)"),
    re.compile(r"^(?:Goal|Focus)\s*[:\-–—]\s*(?P<title>\S.*)$"),
    re.compile(r"^\*{0,2}(?P<when>(?:Spring|Q[1-4])\s+)?(?:19|20)\d\d\s*:\s*(?P<text>\S.*)$"),
    re.compile(r"^(?:\u212aey|ſtrategy)\s+\d", re.IGNORECASE),  # Kelvin sign, long s: match "Key", "strategy"
    re.compile(r"^(?:a|)b", re.IGNORECASE),
    re.compile(r"^[x-z\d]+\.", 0),
    re.compile(r"(?m)^Goal\b"),
    re.compile(r"^(?=G)Goal"),
    re.compile(r"^(a)\1"),
    re.compile(r"^(?:x*)"),
    re.compile(r"Theme|^Goal"),
    re.compile(r"\AGoal(?:\s+Area)?"),
]

_PATTERN_TEXT = st.lists(st.sampled_from(
    ["Introduction", "overview", "EXECUTIVE SUMMARY", "Our", "our ", "Mission", "mission", "Value Proposition", "Core",
     "Values", "Principles", "Strategic", "Area", "Areas", "Key", "key", "Theme", "Goal", "goal", "Focus", "Spring",
     "Q2", "2024", "1", "12", "IV", ":", "-", "–", " ", "  ", "\t", "\n", "*", "**", "x", "y", "9", ".", "a", "b",
     "ab", "K", "k", "\u212a", "strategy", "STRATEGY", "ſ", "é", "#", "("]),
    max_size=8).map("".join)


def test_first_and_last_characters_known_where_expected():
    firsts = [_first_ascii(p) for p in _PATTERNS]
    assert firsts[0] == frozenset("IiOoEe") and firsts[1] == frozenset("OoMm")
    assert _first_ascii(_PATTERNS[2], anchored=True) is None  # not anchored: may match anywhere
    assert {"K", "k", "S", "s"} <= firsts[7]  # what the Kelvin sign and the long s match
    assert firsts[11] is None and firsts[13] is None  # a look-ahead first; a pattern that matches ""
    assert firsts[12] == frozenset("aA")  # (the group comes first, its reference after)
    assert _first_ascii(_PATTERNS[10], anchored=True) is None  # multi-line: "^" after any newline
    assert _first_ascii(_PATTERNS[14], anchored=True) is None  # only one alternative anchored
    assert _first_ascii(_PATTERNS[15], anchored=True) == frozenset("Gg")
    core = load_profile("core")
    assert _last_char(core.values_intro) == ":" and core._values_intro_end() == ":"
    assert _last_char(_PATTERNS[3]) is None  # ends with "\s*$", not a literal


@settings(max_examples=2000, deadline=None)
@given(_PATTERN_TEXT)
def test_first_characters_are_necessary(text):
    for pattern in _PATTERNS + list(load_profile("core").area_patterns):
        first = _first_ascii(pattern)
        if first is not None and text[:1].isascii() and text[:1] not in first:
            assert pattern.match(text) is None, (pattern.pattern, text)
        first = _first_ascii(pattern, anchored=True)
        if first is not None and text[:1].isascii() and text[:1] not in first:
            assert pattern.search(text) is None, (pattern.pattern, text)


_ENDING = [re.compile(r"^(?:Values|We\s+value)\s*:$", re.IGNORECASE), re.compile(r"^.{0,80}\bcommitted to;$"),
           re.compile(r"(?m)^Values:$"), re.compile(r"^Values\s*[:;]$"), re.compile(r"^x:\Z")]


@settings(max_examples=1000, deadline=None)
@given(_PATTERN_TEXT, st.sampled_from(["", ":", ";", ":\n", ":\n\n", " :", "committed to;", "\n"]))
def test_last_character_is_necessary(text, end):
    text += end
    for pattern in _ENDING + [load_profile("core").values_intro]:
        ch = _last_char(pattern)
        if ch is not None and pattern.match(text):
            assert text.endswith(ch) or text.endswith(ch + "\n")
    assert [_last_char(p) for p in _ENDING] == [":", ";", None, None, None]


def _plain_section_kind(profile, heading):
    for kind, pattern in profile.sections:
        if pattern.search(heading):
            return kind
    return None


_TRICKY = profile_from_dict({"name": "tricky", "sections": {
    "intro": r"(?m)^Introduction\b", "mission": r"^(?:Our\s+)?Mission", "values": r"\bValues\b|^Principles",
    "heading": r"^(?:\u212aey|ſtrategy)\s+\d", "timeline": r"^[x-z\d]+\."}})


@settings(max_examples=1500, deadline=None)
@given(_PATTERN_TEXT)
def test_section_kind_with_first_characters_is_the_plain_loop(heading):
    for profile in (load_profile("core"), load_profile("outline"), _TRICKY):
        assert profile.section_kind(heading) == _plain_section_kind(profile, heading)


@settings(max_examples=1500, deadline=None)
@given(_PATTERN_TEXT)
def test_area_patterns_tried_with_first_characters_give_the_same_first_match(line):
    for profile in (load_profile("core"), load_profile("goals")):
        plain = next((k for k, pat in enumerate(profile.area_patterns) if pat.match(line)), None)
        c0 = line[:1]
        fast = next((k for k, (pat, first) in enumerate(zip(profile.area_patterns, profile._area_firsts()))
                     if not (first is not None and c0.isascii() and c0 not in first) and pat.match(line)), None)
        assert fast == plain


# -- a status tail in a folded text -----------------------------------------------------------


_TAIL_PIECES = st.lists(st.sampled_from(
    ["Status", "Progress", "status", " ", "  ", "\t", "\n", "\xa0", ".", ":", ";", "-", "–", "—", "|", ",", "/", "(",
     ")", "*", "Done", "Green", "ongoing", "2024", "x", "A", "é", "●", "\U0001F7E2", "members", "first-year", "e.g.",
     "Status:", " - ", ". ", "Progress :", "; ", ": "]),
    max_size=30).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_TAIL_PIECES, st.sampled_from([80, 30, 10, 400]))
def test_status_tail_of_a_folded_window_is_the_pattern_searched(text, width):
    window = _fold(text)[-width:]  # what split_item passes while its text is folded
    a, b = _STATUS_TAIL.search(window), _status_tail(window, True)
    assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))


def test_status_tail_of_a_folded_window_examples():
    assert _status_tail("Run a survey - Ongoing", True).group("st") == "Ongoing"
    assert _status_tail("Run a survey. Status: Done.", True).group("st") == "Done"
    assert _status_tail("Increase retention of first-year members.", True) is None


# -- the last character of a page number ------------------------------------------------------


_PAGE_LINE = st.lists(st.sampled_from(
    ["Page", "page", "p.", "P.", "pg", "Pg.", "3", "12", "٣", "²", " ", "  ", "of", "/", "-", "–", "—", "x", ".", ")",
     "1.", "Core"]),
    min_size=1, max_size=8).map(lambda parts: "".join(parts).strip())


@settings(max_examples=2000, deadline=None)
@given(_PAGE_LINE)
def test_page_number_last_character(line):
    # A stripped line that _PAGE_NO matches ends with a digit or a dash: other lines are refused
    # before the pattern.
    if line and _PAGE_NO.match(line):
        assert line[-1].isdigit() or line[-1] in _PAGE_LAST


def test_page_number_last_character_examples():
    for line in ("Page 3", "p. 4 of 12", "- 7 -", "— 7 —", "12", "3/9"):
        assert _PAGE_NO.match(line) and (line[-1].isdigit() or line[-1] in _PAGE_LAST)
    assert not _PAGE_NO.match("1. Support members.")



def test_pre_checks_are_off_without_the_regex_parser_modules(monkeypatch):
    # Where Python's private re._parser cannot be imported, no pattern gets a pre-check, and a
    # parse reads the same.
    from coreplan_analysis import _profile

    text = "Areas of Focus\n\n1. Membership\n\nCore Values: Inclusion\n\nActions:\n\n1. Run a survey.\n"
    want = parse_plan(text, plan_id="x")
    monkeypatch.setattr(_profile, "_sre_parser", None)
    monkeypatch.setattr(_profile, "_FIRST_ASCII", {})
    assert _profile._first_ascii(re.compile(r"^Mission")) is None
    assert _profile._last_char(re.compile(r"^Values:$")) is None
    core = load_profile("core")  # the process's shared profile: its pre-checks are rebuilt after
    cached = ("_sections_first", "_area_first", "_values_end")
    try:
        for attr in cached:
            core.__dict__.pop(attr, None)
        assert parse_plan(text, plan_id="x") == want
        assert core._area_firsts() == (None,) * len(core.area_patterns)
    finally:
        for attr in cached:
            core.__dict__.pop(attr, None)


# -- owner mentions in text that NFKC changes (a fix: the gate read the raw text) -------------


def test_full_width_owner_names_are_mentions():
    # "Ｌeadership" reads as "Leadership" once NFKC-normalised, as find_mentions reads it: the
    # item mentions the Leadership Team (before the fix the pre-check read the raw text and
    # found no name there).
    plan = parse_plan("Areas of Focus\n\n1. Membership\n\nActions:\n\n"
                      "1. Ｌeadership Team will meet with members.\n"
                      "2. Ｔhe ＡＬＡ Staff will report.\n", plan_id="fw")
    assert [item.mentions for item in plan.items()] == [("Leadership Team",), ("ALA Staff",)]
