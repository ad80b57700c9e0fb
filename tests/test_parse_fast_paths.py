"""The parse speed-ups give what the plain definitions give. Second round: each cheap
pre-check before a pattern refuses only lines the pattern refuses. Third round: each shortcut
(a search started later, a gate before a costly call, a line reading shared by the readings of
one text) against its plain definition."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coreplan_analysis import parse_plan
from coreplan_analysis._parser import (
    _BARE_MARKER,
    _COUNT,
    _MARKER,
    _PAGE_FIRST,
    _PAGE_NO,
    _SPACED_DASH,
    _STATUS_TAIL,
    _Lines,
    _Marker,
    _Parser,
    _count_items,
    _count_matches,
    _fold,
    _furniture,
    _last_word,
    _marker,
    _more_words,
    _norm_title,
    _ordinal,
    _read_marker,
    _roman_value,
    _spaced_dash,
    _status_tail,
    _title_like,
    _title_like_short,
    _words,
    clean_markup,
)
from coreplan_analysis._profile import (
    _ANY_MARKER,
    _BULLETISH,
    _LETTER_LINE,
    _MD,
    _NUM,
    _ROMAN_LINE,
    _STOP_WORDS,
    _WORD_NUM,
    _build,
    _merge,
    _num_value,
    _show,
    infer_profile,
    load_profile,
)
from coreplan_analysis._profile import _roman_value as _profile_roman_value
from coreplan_analysis._reference import load_reference

# Lines made of marker-ish pieces, so that the patterns match often.
_LINE = st.lists(st.sampled_from(list("aAiIvVxXbB1290.)( \t-*#:") + ["ii", "IV", "1.2", "١", "²", "  ", "Goal"]),
                 max_size=12).map("".join)


@settings(max_examples=800, deadline=None)
@given(_LINE)
def test_marker_precheck_gives_the_plain_reading(line):
    # The plain reading: the pattern tried on every line (what _marker did before its pre-check).
    m = _MARKER.match(line)
    assert _marker(line) == (None if m is None else _read_marker(line, m))


@settings(max_examples=600, deadline=None)
@given(_LINE)
def test_line_pattern_prechecks(line):
    # The bare-marker check runs only on lines ending with "." or ")"; infer_profile tries Roman
    # and letter lines only where their first characters fit.
    if _BARE_MARKER.match(line):
        assert line.endswith((".", ")")) and " " not in line
    if line and _ROMAN_LINE.match(line):
        assert line[0] in "IVX"
    if _LETTER_LINE.match(line):
        assert line[1:2] in (".", ")")


# -- the third round of parse speed-ups: each shortcut against its plain definition -----------
FIXTURES = Path(__file__).parent / "fixtures" / "plans"

# Item tails: words, statuses, separators, emoji, white space of several kinds.
_TAIL = st.lists(st.sampled_from(
    ["Status", "Progress", "status", " ", "  ", "\t", "\n", ".", ":", ";", "-", "–", "—", "|", ",", "/", "(", ")",
     "*", "Done", "Green", "ongoing", "2024", "x", "A", "é", "●", "\U0001F7E2", "members", "first-year", "e.g."]),
    max_size=30).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_TAIL)
def test_status_tail_is_the_pattern_searched_everywhere(window):
    a, b = _STATUS_TAIL.search(window), _status_tail(window)
    assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))


@settings(max_examples=800, deadline=None)
@given(_TAIL)
def test_spaced_dash_and_fold_are_their_definitions(text):
    assert _spaced_dash(text) == (_SPACED_DASH.search(text) is not None)
    assert _fold(text) == " ".join(text.split())


_WORDY = st.lists(st.sampled_from(["Goal", "and", "a", "&", "-", "x1", "é", "’s", " ", "  ", "\t", "*", "**", "[",
                                   "]", "(", ")", "Core", "of", "the", ".", ",", "_", "9", "A&B"]),
                  max_size=40).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_WORDY, st.sampled_from([1, 8, 12, 14]))
def test_word_count_refusal_and_title_like(text, max_words):
    assert (_more_words(max_words).match(text) is not None) == (len(_words(text)) > max_words)
    expected = (False if len(text) > 400 or text.count(" ") > 4 * max_words + 8
                else _title_like_short.__wrapped__(text, max_words))
    assert _title_like(text, max_words) == expected


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["abc", "Z", " ", "  ", "-", "é", "x’y", "9", "&", "\t"]), max_size=12).map("".join))
def test_last_word_ascii_shortcut(text):
    words = _words(text)
    assert _last_word(text) == (words[-1] if words else None)


def _read_marker_plain(plain, m):
    """_read_marker as it was: the groups asked in turn."""
    text = plain[m.end():]
    g = m.group
    if g("dotted"):
        return _Marker("dotted", "dotted", g("dotted"), text)
    if g("pnum"):
        v = g("pnum")
        if v.isdigit():
            return _Marker("arabic", "(1)", v, text)
        if len(v) > 1:
            if _roman_value(v) is None:
                return None
            return _Marker("roman", "(I)" if v.isupper() else "(i)", v, text)
        return _Marker("letter", "(A)" if v.isupper() else "(a)", v, text, ambiguous=v in "ivxIVX")
    if g("alnum"):
        return _Marker("alnum", "1a", g("alnum"), text)
    if g("num"):
        return _Marker("arabic", "1" + g("np"), g("num"), text)
    if g("roman"):
        v = g("roman")
        if _roman_value(v) is None:
            return None
        return _Marker("roman", ("I" if v.isupper() else "i") + g("rp"), v, text)
    v = g("letter")
    return _Marker("letter", ("A" if v.isupper() else "a") + g("lp"), v, text, ambiguous=v in "ivxIVX")


_MARKED = st.tuples(
    st.sampled_from(["1.", "12)", "1.2", "1.2.", "(1)", "(a)", "(Z)", "(iv)", "(ii)", "(IX)", "(vv)", "(vx)", "1a)",
                     "3b.", "iv.", "IV)", "vx.", "xx)", "a.", "B)", "i.", "V)", "x)", "(i)", "(V)"]),
    st.sampled_from([" ", "  ", "\t"]), _LINE.filter(lambda x: x.strip() != "")).map("".join)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(_MARKED, _LINE))
def test_marker_read_by_last_group_is_the_plain_reading(line):
    m = _MARKER.match(line)
    if m is not None:
        assert _read_marker(line, m) == _read_marker_plain(line, m)


_PROSE = st.lists(st.sampled_from(
    ["Three", "three", "TWO", "12", "1", " ", "  ", "\n", "\t", "areas", "Areas", "of", "focus", "Focus", "strategic",
     "priorities", "PILLARS", "directions", "goal", "x", "-", ".", "é", "ſ", "ı", "areas of focus", "K"]),
    max_size=25).map("".join)


_ANNOUNCED = st.tuples(
    _PROSE, st.sampled_from(["three", "Two", "TEN", "4", "12", "ſix", "one"]), st.sampled_from([" ", "  ", "\n", "\t"]),
    st.sampled_from(["", "strategic ", "Strategic\t"]),
    st.sampled_from(["areas", "Areas of Focus", "focus  areas", "priorities", "Directions", "PILLARS", "pillars",
                     "goal areas", "Goal Areas", "areaſ", "prıorities"]),
    _PROSE).map("".join)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(_PROSE, _ANNOUNCED))
def test_count_matches_are_the_pattern_matches(text):
    plain = [(m.span(), m.group("n").lower(), m.group("what").lower()) for m in _COUNT.finditer(text)]
    fast = [(m.span(), m.group("n").lower(), m.group("what").lower()) for m in _count_matches(text)]
    assert fast == plain


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["Page", "p.", "pg", "P", "3", "٣", "²", " ", "of", "/", "-", "–", "x", "I"]),
                min_size=1, max_size=8).map("".join))
def test_page_number_first_character(s):
    s = s.strip()
    assume(s)
    if _PAGE_NO.match(s):
        assert s[0] in _PAGE_FIRST or s[0].isdigit()


def _fixture_texts():
    return [(p.name, p.read_text(encoding="utf-8", errors="replace")) for p in sorted(FIXTURES.iterdir())
            if p.suffix in (".txt", ".outline")]


def test_shared_line_reading_equals_each_own():
    for name, text in _fixture_texts():
        read = _Lines(text)
        lines = text.splitlines()
        assert read.lines == lines
        assert read.nonblank == [n for n, line in enumerate(lines, start=1) if line.strip()]
        assert read.furniture == (_furniture(lines) if lines else {})


def test_item_count_and_inference_with_lines_given():
    core = load_profile("core")
    for name, text in _fixture_texts():
        plan = parse_plan(text, plan_id="x")
        assert _count_items(plan.areas) == sum(1 for _ in plan.walk())
        plain = infer_profile(text, base=core)
        for shared in (infer_profile(text, base=core, lines=text.splitlines()),
                       infer_profile(text, base=core, lines=text.splitlines(),
                                     stripped=[line.strip() for line in text.splitlines()])):
            assert (plain[1], plain[0] and plain[0].overrides) == (shared[1], shared[0] and shared[0].overrides)


def _infer_lines_plain(text, max_lines):
    """The lines infer_profile reads, as its first loop kept them (blank lines as "")."""
    lines = []
    for raw in text.splitlines():
        if raw.strip():
            lines.append(raw)
            if len(lines) >= max_lines:
                break
        else:
            lines.append("")
    return lines


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["GOAL 1. Access", "Goal 2: Learning", "", "  ", "I. Advocacy", "II. Reading",
                                 "A. Raise", "B. Lower", "1. Do it", "## Heading", "ALL CAPS HERE", "Prose line."]),
                max_size=14), st.integers(min_value=1, max_value=8))
def test_inference_reads_the_same_lines_up_to_max_lines(lines, max_lines):
    text = "\n".join(lines)
    kept = _infer_lines_plain(text, max_lines)
    # The profile read from the kept lines alone is the one read from the whole text.
    a = infer_profile("\n".join(kept), max_lines=10**6)
    b = infer_profile(text, max_lines=max_lines)
    assert (a[1], a[0] and a[0].overrides) == (b[1], b[0] and b[0].overrides)


_NAMES = st.lists(st.sampled_from(
    ["Board", "of", "Directors", "Board of Directors", "Section Leaders", "Leadership Team", "ALA Staff", " ", "the",
     "and", "&", "Committee", "Chairs", "Interest Group Chairs", "x", "-", "Board’s", "Ｂoard", "members", ".",
     # text that NFKC changes, as find_mentions reads it (the gate once read the raw text)
     "Ｌeadership Team", "Ｌｅａｄｅｒｓｈｉｐ Ｔｅａｍ", "ＡＬＡ Staff", "ﬁnance", "Budget ＆ Finance Committee",
     "Budget & Finance Committee", "\u3000", "é"]),
    max_size=14).map("".join)


@settings(max_examples=1200, deadline=None)
@given(_NAMES)
def test_mentions_gate_gives_what_find_mentions_gives(text):
    reference = load_reference()
    parser = _Parser("", load_profile("core"), reference, None)
    found = reference.owners.find_mentions(text)
    assert parser._find_mentions(text) == found
    assert parser._mentions(text) == found


@settings(max_examples=800, deadline=None)
@given(_WORDY, st.lists(_WORDY, max_size=4), st.sampled_from(["1", "2", "10", None]), st.sampled_from(["1", "2", "3"]),
       st.sampled_from([None, "same", "swapcase", "spaced"]))
def test_numbered_title_prechecks_are_necessary(text, titles, area_number, number, listed_too):
    parser = _Parser("", load_profile("core"), load_reference(), None)
    if listed_too:  # the text itself (in another case, or with more space) among the listed titles
        titles = titles + [{"same": text, "swapcase": text.swapcase(), "spaced": f"  {text}  "}[listed_too]]
    for t in titles:
        parser._list(_norm_title(t), ("para", None, None))
    if _norm_title(clean_markup(text)) in parser.listed or _norm_title(text) in parser.listed:
        assert parser._may_be_listed(text)
    parser.open_area(area_number, "Area", 1)
    if area_number and area_number.isdigit() and int(number) == int(area_number) + 1:
        assert parser._may_continue_areas(number)


def test_a_parse_leaves_no_reference_cycles():
    # What a parse builds is freed by reference counting when it returns (items are unlinked
    # from their parents once the plan is built): nothing is left for the cyclic collector.
    import gc

    texts = [text for _, text in _fixture_texts()]
    for text in texts:  # (first parses fill the process caches)
        for profile in (None, "outline"):
            parse_plan(text, plan_id="x", profile=profile)
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        plans = [parse_plan(text, plan_id="x", profile=profile) for text in texts for profile in (None, "outline")]
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
    assert plans


# infer_profile as it was (the plain reading of every line), to compare the faster one with.
def _infer_profile_plain(text: str, *, max_lines: int = 5000, base=None):
    """infer_profile as it was before the third round (every line read in full)."""
    base = base or load_profile("core")
    forms: dict[str, dict] = {}
    romans: list[int] = []
    letters: list[tuple[int, int]] = []  # (line index, value)
    letter_content: int = 0
    md_levels: dict[int, int] = {}
    caps = 0
    bare = 0
    lines = _infer_lines_plain(text, max_lines)
    n = len(lines)
    nonblank_seen = 0
    last_letter_idx = None
    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s:
            continue
        nonblank_seen += 1
        if len(s) > 200:
            continue
        md = _MD.match(s) if s[0] == "#" else None
        level = 0
        if md:
            level, s = len(md.group(1)), md.group(2)
        if s.startswith(("**", "__")):
            s = re.sub(r"^\*\*(.+?)\*\*(:?)$", r"\1\2", s)
            s = re.sub(r"^__(.+?)__(:?)$", r"\1\2", s)
        if _BULLETISH.match(s):
            if last_letter_idx is not None:
                letter_content += 1
            continue
        if not (s[:1].isupper() or s[:1] == "#"):
            if last_letter_idx is not None and _ANY_MARKER.match(s):
                letter_content += 1
            continue  # prose, or a marker that is not a heading: nothing to learn
        is_label = bool(base.label_re.match(s)) or base.label_kind(s.rstrip(":")) is not None
        m = _WORD_NUM.match(s)
        if m and not is_label:
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
        if rm and _profile_roman_value(rm.group("num")) is not None and not raw[:1].isspace():
            v = _profile_roman_value(rm.group("num"))
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
        if len(s) > 120 or len(s.split()) > 14:
            continue  # a sentence, not a heading
        is_section = len(s.split()) <= 8 and base.section_kind(s.rstrip(":")) is not None
        if level and nonblank_seen > 1 and not is_section and not is_label:
            md_levels[level] = md_levels.get(level, 0) + 1
            continue
        if (s.isupper() and sum(ch.isalpha() for ch in s) >= 3 and len(s.split()) <= 12
                and not is_section and not is_label and nonblank_seen > 2 and not base.approval.search(s)):
            caps += 1
            continue
        prev_blank = i == 0 or not lines[i - 1].strip()
        if (prev_blank and nonblank_seen > 2 and not is_section and not is_label and 2 <= len(s) <= 100
                and len(s.split()) <= 14 and s[:1].isupper() and not s.endswith((":", ",", ";"))):
            nxt = next((lines[j].strip() for j in range(i + 1, min(n, i + 4)) if lines[j].strip()), "")
            if _ANY_MARKER.match(nxt) or base.label_re.match(nxt):
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



_OUTLINE_LINE = st.sampled_from([
    "GOAL 1. Access", "Goal 2: Learning", "Objective 1.1 Open on Sundays", "STRATEGIC DIRECTION ONE", "",
    "  ", "I. Advocacy", "II. Reading", "III. Writing", "  A. Raise", "A. Raise", "B. Lower", "H. Eight", "I. Nine",
    "1. Do it", "  1. Do it", "a. small", "- bullet", "* star", "o circle", "## Heading", "### Sub", "# Top",
    "ALL CAPS HERE", "MORE CAPS", "Prose line.", "Title Line", "Next Title", "Actions:", "Goal: grow.",
    "**Bold Title**", "__Under__:", "Introduction", "Core Values: A; B", "Approved 2021", "Page 3",
    "Strategic Area 1: Access", "Priority A: Reach", "x" * 210, "Mission", "Our Values"])


# Blocks of a blank line, a heading-like line and a list line (what "title lines followed by
# lists" and the other forms look for).
_BLOCK = st.tuples(st.just(""), _OUTLINE_LINE, st.sampled_from(["1. Do it", "- bullet", "Actions:", "a. small"]))


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.one_of(_OUTLINE_LINE.map(lambda x: (x,)), _BLOCK), max_size=12), st.sampled_from([3, 7, 5000]))
def test_inference_gives_what_the_plain_reading_gives(blocks, max_lines):
    text = "\n".join(line for block in blocks for line in block)
    a = _infer_profile_plain(text, max_lines=max_lines)
    b = infer_profile(text, max_lines=max_lines)
    assert (a[1], a[0] and a[0].overrides) == (b[1], b[0] and b[0].overrides)


# -- the fourth round ----------------------------------------------------------------------------

# Title-ish texts with emphasis: asterisks before, inside and right after words.
_STARRY = st.lists(st.sampled_from(
    ["Support", "Sup", "port", "Membership", "a", "and", "*", "**", " ", "  ", "(", ")", "-", "'s", ":", "x1", "_",
     "Board", "é", "\t", "*Support*", "**Membership**"]),
    max_size=10).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_STARRY, st.lists(_STARRY, max_size=3), st.sampled_from([None, "plain", "clean", "nostars", "upper"]))
def test_listed_title_precheck_is_necessary_with_asterisks(text, titles, listed_too):
    # _may_be_listed refuses only a text whose normalised title (before or after clean_markup,
    # as _summary_mark's callers ask) no listed title has.
    parser = _Parser("", load_profile("core"), load_reference(), None)
    if listed_too:
        variant = {"plain": text, "clean": clean_markup(text), "nostars": text.replace("*", ""),
                   "upper": text.upper()}[listed_too]
        titles = titles + [variant]
    for t in titles:
        parser._list(_norm_title(t), ("para", None, None))
    if _norm_title(text) in parser.listed or _norm_title(clean_markup(text)) in parser.listed:
        assert parser._may_be_listed(text)
    # A line it refuses, it refuses cleaned as a title too (as _area_heading asks it first).
    if not parser._may_be_listed(text):
        assert not parser._may_be_listed(clean_markup(text).strip(" :"))


@settings(max_examples=800, deadline=None)
@given(st.sampled_from(["1.", "1)", "(1)", "dotted", "1a", "a.", "A)", "(a)", "i.", "I.", "(i)", "(I)", "pattern0",
                        "bullet-", "none"]),
       st.one_of(st.none(), st.from_regex(r"\A(?:\d{1,3}(?:\.\d{1,3})*[a-z]?|[A-Za-z]|[ivxIVX]{1,5}|one|Two|xii)\Z")))
def test_ordinal_kept_per_style_and_number_is_the_plain_one(style, number):
    assert _ordinal(style, number) == _ordinal.__wrapped__(style, number)
    assert _ordinal(style, number) == _ordinal.__wrapped__(style, number)  # (the kept answer)


_PAGE_TEXT = st.lists(st.sampled_from(
    ["", "", "  ", "Page 3", "3", "- 4 -", "Plan | Page 2", "1. Membership", "Goal: Grow.", "A title", "prose line.",
     "\t", "II. Learning", "- bullet"]), max_size=25).map("\n".join)


@settings(max_examples=800, deadline=None)
@given(_PAGE_TEXT)
def test_next_content_line_is_the_plain_one(text):
    # The next line that holds text and is not page furniture, found on demand, is the one the
    # plain reading (every line's, computed from the end) gives.
    parser = _Parser(text, load_profile("core"), load_reference(), None)
    stripped, furniture = parser.read.stripped, parser.furniture
    for idx in reversed(range(len(stripped))):  # (in any order: each answer is kept)
        if not stripped[idx] or idx in furniture:
            continue
        plain = next((j for j in range(idx + 1, len(stripped)) if stripped[j] and j not in furniture), None)
        got = parser._next_content(idx)
        assert (got and got.no) == (None if plain is None else plain + 1)
        if plain is not None:
            assert got == parser._split(plain + 1, parser.lines[plain])
        assert parser._next_content(idx) == got


class _ChainCheckingParser(_Parser):
    """A parser that checks, after each item is placed, that the open stack is the item's chain
    of ancestors (what walking up its parents gives)."""

    def _attach(self, it):
        super()._attach(it)
        chain = []
        x = it
        while x is not None:
            chain.append(x)
            x = x.parent
        assert self.area.stack == chain[::-1]
        assert all(a is b for a, b in zip(self.area.stack, chain[::-1]))


_NESTED_LINE = st.sampled_from([
    "1. Goal one", "2. Goal two", "1.1 Act", "1.2 Act", "2.1 Act", "1.1.1 Deep", "3a) Sub", "3b) Sub", "a. small",
    "b. small", "i. roman", "ii. roman", "A. Big", "B. Big", "I. Area", "II. Area", "- bullet", "  - bullet",
    "    - deeper", "* star", "Goal: Grow.", "Actions:", "Strategies:", "Strategy: Do it.", "Prose line.", "",
    "Objective 1.1 Open", "Strategic Area 1: Access", "\t1. tabbed", "  a. indented", "(1) paren", "(a) paren"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_NESTED_LINE, max_size=30), st.sampled_from(["core", "outline", "goals"]))
def test_open_stack_is_the_chain_of_the_last_item(lines, profile):
    parser = _ChainCheckingParser("\n".join(lines), load_profile(profile), load_reference(), None)
    parser.run()
