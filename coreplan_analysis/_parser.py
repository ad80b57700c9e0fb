"""Turn a plan's text into a :class:`~coreplan_analysis.Plan`.

``parse_plan(text)`` works on strings; ``read_plan(path)`` opens a file (with DESIGN's rules for
encodings and bad input) and delegates. The parser reports damage as diagnostics with line
numbers and never repairs or invents text.

It reads line by line, keeping a small state: the section or area that is open, the label mode
("Goals:", "Actions:"), and a stack of open items for nesting by numbers or indentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ._errors import InputError
from ._io import read_text, sha256_bytes
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

__all__ = ["parse_plan", "read_plan", "clean_markup", "MAX_DEPTH", "slugify"]

#: Items nested deeper than this are kept flat at this level, with a diagnostic.
MAX_DEPTH = 8

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

_BULLET = re.compile(r"^(?P<bullet>[-*•–—o▪◦·])\s+(?=\S)")
_DOTTED = re.compile(r"^(?P<number>\d{1,3}(?:\.\d{1,3})+)\.?\s+(?P<text>\S.*)$")
_PLAIN = re.compile(r"^(?P<number>\d{1,3})[.)]\s+(?P<text>\S.*)$")
_LEAD_PAREN = re.compile(r"^\((?P<inner>[^()]{1,80})\)\s*")
_TRAIL_PAREN = re.compile(r"\s*\((?P<inner>\*[^()]*\*|[^()]*)\)\s*\.?\s*$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)?\d\d)\b")
_COUNT = re.compile(
    r"\b(?P<n>two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?P<what>(?:strategic\s+)?"
    r"(?:areas\s+of\s+focus|focus\s+areas|areas|priorities|directions|pillars|goal\s+areas))\b",
    re.IGNORECASE,
)


def clean_markup(text: str) -> str:
    """Remove Markdown residue from a text field: links, bold, italics; fold white space.

    >>> clean_markup("Refine the statement of [Core's value](#) to *members* (**now**)")
    "Refine the statement of Core's value to members (now)"
    """
    text = _LINK.sub(r"\1", text)
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


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9][\w'’&-]*|&", text)


def _title_like(text: str, max_words: int = 12) -> bool:
    """Whether *text* reads as a heading: short, no closing period, mostly capitalised words."""
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


@dataclass
class _Line:
    no: int
    raw: str
    indent: int
    bullet: str | None
    content: str  # stripped, bullet removed


@dataclass
class _ItemB:
    number: str | None
    raw: str
    first: int
    last: int
    depth: int
    kind: str
    indent: int
    bullet: bool
    labelled: bool = False
    children: list = field(default_factory=list)
    parent: "_ItemB | None" = None


@dataclass
class _AreaB:
    number: str | None
    title: str | None
    first: int
    last: int
    heading_line: int | None
    implicit: bool = False
    statement: list = field(default_factory=list)  # [(first, last, text)]
    values: list = field(default_factory=list)
    items: list = field(default_factory=list)  # top-level _ItemB
    mode: str | None = None
    labelled_goal: _ItemB | None = None
    all_items: list = field(default_factory=list)


@dataclass
class _SectionB:
    kind: str
    title: str | None
    first: int
    last: int
    paragraphs: list = field(default_factory=list)  # [[first, last, text]]


class _Parser:
    def __init__(self, text: str, profile, reference, source_name: str | None):
        self.text = text
        self.profile = profile
        self.reference = reference
        self.registry = reference.owners
        self.statuses = reference.statuses
        self.source_name = source_name
        self.lines = text.splitlines()
        self.diags: list[Diagnostic] = []
        self.sections: list[_SectionB] = []
        self.areas: list[_AreaB] = []
        self.timeline: list[TimelineEntry] = []
        self.title_lines: list[tuple[int, str]] = []
        self.section: _SectionB | None = None
        self.area: _AreaB | None = None
        self.top_block = True
        self.prev: object | None = None  # element the previous non-blank line went to
        self.prev_blank = True

    # -- helpers ------------------------------------------------------------------------------
    def diag(self, line, kind, message, severity="warning"):
        self.diags.append(Diagnostic(line, severity, kind, message))

    def _split(self, no: int, raw: str) -> _Line:
        expanded = raw.expandtabs(4)
        stripped = expanded.strip()
        indent = len(expanded) - len(expanded.lstrip())
        bullet = None
        m = _BULLET.match(stripped)
        if m and not stripped.startswith("**"):
            bullet = m.group("bullet")
            stripped = stripped[m.end():]
        return _Line(no, raw, indent, bullet, stripped)

    def _next_content(self, idx: int) -> _Line | None:
        for j in range(idx + 1, len(self.lines)):
            if self.lines[j].strip():
                return self._split(j + 1, self.lines[j])
        return None

    def _item_marker(self, c: str):
        m = _DOTTED.match(c) or _PLAIN.match(c)
        if m:
            return m.group("number"), m.group("text")
        return None

    # -- state changes ------------------------------------------------------------------------
    def close(self):
        self.section = None
        self.area = None

    def open_section(self, kind, title, no):
        self.close()
        self.top_block = False
        self.section = _SectionB(kind, title, no, no)
        self.sections.append(self.section)
        self.prev = self.section

    def open_area(self, number, title, no, *, implicit=False):
        self.close()
        self.top_block = False
        self.area = _AreaB(number, title, no, no, None if implicit else no, implicit=implicit)
        self.areas.append(self.area)
        self.prev = self.area

    # -- main loop ----------------------------------------------------------------------------
    def run(self):
        for idx, raw in enumerate(self.lines):
            no = idx + 1
            if not raw.strip():
                self.prev_blank = True
                continue
            ln = self._split(no, raw)
            self.step(idx, ln)
            self.prev_blank = False
            if self.area is not None:
                self.area.last = no
            if self.section is not None:
                self.section.last = no

    def step(self, idx: int, ln: _Line):
        p = self.profile
        c = ln.content
        marker = self._item_marker(c)

        # Approval / title lines at the top of the document.
        if self.top_block and ln.bullet is None and not marker:
            if p.approval.search(c) and len(c) < 200:
                self.open_section("approval", None, ln.no)
                self.section.paragraphs.append([ln.no, ln.no, clean_markup(c)])
                self.top_block = True  # a title may still follow an approval line
                self.section = None
                return
            if (p.section_kind(c) is None and _title_like(c) and not p.label_re.match(c)
                    and not any(pat.match(c) for pat in p.area_patterns)):
                self.title_lines.append((ln.no, clean_markup(c)))
                return
            self.top_block = False

        # A heading that opens a section (closes any area).
        if ln.bullet is None and not marker and _title_like(c.rstrip(":")):
            kind = p.section_kind(c)
            if kind is not None:
                self.open_section(kind, clean_markup(c).rstrip(":"), ln.no)
                return

        # An explicit area heading.
        if ln.bullet is None:
            for pat in p.area_patterns:
                m = pat.match(c)
                if m:
                    number = m.groupdict().get("number")
                    self.open_area(number, clean_markup(m.group("title")).strip() or None, ln.no)
                    return

        # "1. Membership and Engagement": a numbered title opens an area.
        if (
            p.numbered_titles
            and marker
            and "." not in marker[0]
            and ln.bullet is None
            and _title_like(marker[1], p.max_title_words)
            and self._numbered_title_opens_area(idx, marker[0])
        ):
            self.open_area(marker[0], clean_markup(marker[1]), ln.no)
            return

        # Labels: "Goal: ...", "Actions:", "Core Values: ...", "Lead: ...".
        m = p.label_re.match(c) if ln.bullet is None and not marker else None
        if m:
            self.label(ln, p.label_kind(m.group("label")), m.group("rest").strip())
            return

        # Timeline entries ("- **March-April 2021:** ...") outside areas.
        if self.area is None and p.timeline_pattern is not None:
            tm = p.timeline_pattern.match(c)
            if tm and (ln.bullet or (self.section and self.section.kind == "timeline")):
                self.timeline_entry(ln, tm)
                return

        if marker or ln.bullet:
            if self.area is None and self.section is not None and self.section.kind not in ("heading",):
                # A list inside a section (values listed as bullets, say): part of its text.
                self.paragraph(ln)
                return
            if self.area is None:
                self.open_area(None, None, ln.no, implicit=True)
            self.item(ln, marker)
            return

        # Plain prose.
        self.prose(ln)

    def _numbered_title_opens_area(self, idx: int, number: str) -> bool:
        """A numbered title is an area when it continues the area sequence (or starts it) and
        what follows is not another item of the same list."""
        nxt = self._next_content(idx)
        if nxt is not None:
            nm = self._item_marker(nxt.content)
            if nm and "." not in nm[0] and nxt.bullet is None:
                return False
        if self.area is None:
            return (self.section is not None and self.section.kind == "heading") or not self.areas or True
        if self.area.number and self.area.number.isdigit() and number.isdigit():
            return int(number) == int(self.area.number) + 1
        return False

    def label(self, ln: _Line, kind: str, rest: str):
        if kind == "values":
            names = [clean_markup(v).strip(" .") for v in re.split(r"[;,]", rest) if v.strip()]
            if self.area is not None:
                self.area.values.extend(names)
                self.prev = self.area
            else:
                self.open_section("values", "Values", ln.no)
                if rest:
                    self.section.paragraphs.append([ln.no, ln.no, clean_markup(rest)])
            return
        if kind == "owners":
            target = self.prev if isinstance(self.prev, _ItemB) else None
            if target is not None:
                target.raw += f" ({rest})"
                target.last = ln.no
            else:
                self.prose(ln)
            return
        if self.area is None:
            self.open_area(None, None, ln.no, implicit=True)
        a = self.area
        a.mode = kind
        if rest:
            it = _ItemB(None, rest, ln.no, ln.no, 1, kind, ln.indent, False, labelled=True)
            if kind == "goal":
                a.labelled_goal = it
                a.items.append(it)
            else:
                self._attach(it, None)
            a.all_items.append(it)
            self.prev = it
        else:
            self.prev = a

    def item(self, ln: _Line, marker):
        a = self.area
        number, text = marker if marker else (None, ln.content)
        it = _ItemB(number, text, ln.no, ln.no, 1, "goal", ln.indent, bool(ln.bullet))
        self._attach(it, number)
        a.all_items.append(it)
        self.prev = it

    def _attach(self, it: _ItemB, number: str | None):
        a = self.area
        parent = None
        if number and "." in number:
            want = number.rsplit(".", 1)[0]
            for cand in reversed(a.all_items):
                if cand.number == want:
                    parent = cand
                    break
            if parent is None:
                # Parent number absent (lost): fall back to the nearest open item one level up.
                depth = number.count(".")
                for cand in reversed(a.all_items):
                    if cand.number and cand.number.count(".") == depth - 1:
                        parent = cand
                        break
        elif a.mode == "action" and a.labelled_goal is not None:
            parent = a.labelled_goal
        elif number is None and it.bullet:
            for cand in reversed(a.all_items):
                if cand.indent < it.indent:
                    parent = cand
                    break
                if cand.indent == it.indent:
                    parent = cand.parent
                    break
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
        elif number and "." in number:
            it.kind = "action"

    def timeline_entry(self, ln: _Line, m):
        when = m.group("when").strip()
        text = clean_markup(m.group("text")).strip()
        start, end = _parse_when(when)
        owners = tuple(self.registry.find_mentions(text))
        self.timeline.append(TimelineEntry(when, start, end, text, (ln.no, ln.no), owners))
        self.prev = self.timeline[-1]

    def paragraph(self, ln: _Line):
        s = self.section
        text = ln.content if ln.bullet is None else f"{ln.bullet} {ln.content}"
        if s.paragraphs and not self.prev_blank and self.prev is s:
            s.paragraphs[-1][1] = ln.no
            s.paragraphs[-1][2] += "\n" + text
        else:
            s.paragraphs.append([ln.no, ln.no, text])
        self.prev = s

    def prose(self, ln: _Line):
        c = ln.content
        # A continuation line (no blank line before it) extends what came before.
        if not self.prev_blank and isinstance(self.prev, _ItemB):
            self.prev.raw += " " + c
            self.prev.last = ln.no
            return
        if not self.prev_blank and isinstance(self.prev, TimelineEntry):
            t = self.prev
            self.timeline[-1] = replace(t, text=t.text + " " + clean_markup(c), span=(t.span[0], ln.no))
            self.prev = self.timeline[-1]
            return
        if self.area is not None:
            a = self.area
            if a.mode is not None:
                it = _ItemB(None, c, ln.no, ln.no, 1, a.mode, ln.indent, False)
                self._attach(it, None)
                a.all_items.append(it)
                self.prev = it
            elif not a.all_items:
                if a.statement and not self.prev_blank:
                    a.statement[-1][1] = ln.no
                    a.statement[-1][2] += " " + c
                else:
                    a.statement.append([ln.no, ln.no, c])
                self.prev = a
            else:
                self.diag(ln.no, "unparsed", "prose inside an area, after its items, not read as an item")
            return
        if self.section is None:
            self.open_section("intro", None, ln.no)
        self.paragraph(ln)

    # -- finishing ----------------------------------------------------------------------------
    def finish(self, plan_id: str) -> dict:
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
        return dict(areas=tuple(areas), sections=tuple(sections), streams=tuple(streams),
                    timeline=tuple(self.timeline), commitments=tuple(commitments))

    def build_sections(self) -> list[Section]:
        out = []
        if self.title_lines:
            first, last = self.title_lines[0][0], self.title_lines[-1][0]
            out.append(Section("title", self.plan_title(), None, (first, last)))
        for s in self.sections:
            text = "\n\n".join(clean_markup(p[2]) if "\n" not in p[2] else
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
        groups = [s.paragraphs for s in self.sections if s.kind not in ("heading", "approval")]
        groups += [a.statement for a in self.areas]
        for paras in groups:
            for k, (first, last, text) in enumerate(paras):
                lines = text.split("\n")
                tail = clean_markup(lines[-1]).strip()
                words = _words(tail)
                if len(words) <= 2 and tail[:1].islower() and not tail.endswith(_TERMINAL):
                    self.diag(last, "truncated", f"lone fragment {tail!r}: the text around it was lost")
                    continue
                if not tail or tail.endswith(_TERMINAL) or _title_like(tail) or lines[-1].lstrip()[:1] in "-*•":
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
                numbered = [it for it in sibs if it.number]
                if not numbered:
                    continue
                lasts = [_last_int(it.number) for it in numbered]
                first = numbered[0]
                is_top = sibs is a.items
                parent_no = first.parent.number if first.parent is not None else None
                if lasts[0] != 1 and not (is_top and prev_top is not None and lasts[0] == prev_top + 1):
                    if "." in first.number:
                        missing = first.number.rsplit(".", 1)[0] + "." + "1"
                        head = parent_no if parent_no else first.number.rsplit(".", 1)[0]
                        self.diag(first.first, "numbering-gap",
                                  f"{head}'s items start at {first.number}: {missing} is missing")
                    else:
                        self.diag(first.first, "numbering-gap",
                                  f"numbering starts at {first.number} (expected 1"
                                  + (f" or {prev_top + 1}" if is_top and prev_top is not None else "") + ")")
                for prev, cur, pv, cv in zip(numbered, numbered[1:], lasts, lasts[1:]):
                    if prev.number.count(".") != cur.number.count("."):
                        continue  # a deeper item kept flat at the nesting cap
                    if cv != pv + 1:
                        self.diag(cur.first, "numbering-gap", f"numbering skips from {prev.number} to {cur.number}")
                if is_top and "." not in first.number:
                    prev_top = lasts[-1]

    def check_counts(self):
        n_areas = len(self.areas)
        seen = set()
        for s in self.sections:
            for first, _, text in s.paragraphs:
                for m in _COUNT.finditer(text):
                    n = m.group("n").lower()
                    n = _NUMBER_WORDS.get(n) or int(n) if not n.isdigit() else int(n)
                    if n != n_areas and (first, n) not in seen:
                        seen.add((first, n))
                        self.diag(first, "count-mismatch",
                                  f"the text announces {m.group(0)!r} but {n_areas} areas were found")

    def find_streams(self) -> list[StreamRef]:
        pat = self.profile.stream_pattern
        if pat is None:
            return []
        out, seen = [], set()
        paras = [p for s in self.sections for p in s.paragraphs] + [p for a in self.areas for p in a.statement]
        for first, last, text in sorted(paras):
            clean = clean_markup(text)
            framework = None
            for fw in self.reference.frameworks:
                for alias in (fw.name,) + tuple(fw.aliases):
                    if re.search(r"\b" + re.escape(alias) + r"\b", clean, re.IGNORECASE):
                        framework = fw
                        break
                if framework:
                    break
            if framework is None:
                continue
            for m in pat.finditer(clean):
                names = re.split(r"\s*(?:,|\band\b|&)\s*", m.group("names").strip())
                for name in filter(None, (n.strip() for n in names)):
                    canon = framework.canonical_stream(name) or name
                    if (framework.name, canon) not in seen:
                        seen.add((framework.name, canon))
                        out.append(StreamRef(framework.name, canon, (first, last)))
        return out

    def find_commitments(self) -> list[Commitment]:
        out = []
        for s in self.sections:
            if s.kind != "accountability":
                continue
            for first, last, text in s.paragraphs:
                for sent in re.split(r"(?<=[.!?])\s+(?=[A-Z])", clean_markup(text)):
                    if re.search(r"\b(will|shall|must)\b", sent):
                        out.append(Commitment(sent, tuple(self.registry.find_mentions(sent)), (first, last)))
        return out

    def build_area(self, plan_id: str, ordinal: int, a: _AreaB) -> Area:
        area_id = f"{plan_id}/{ordinal}"
        used: dict[str, int] = {}
        counter = [0]

        def make(it: _ItemB) -> Item:
            if it.number:
                local = it.number
            else:
                counter[0] += 1
                local = f"#{counter[0]}"
            item_id = f"{area_id}/{local}"
            used[item_id] = used.get(item_id, 0) + 1
            if used[item_id] > 1:
                item_id += f"~{used[item_id]}"
            text, owners_raw, owners, status = self.split_item(it)
            mentions = tuple(m for m in self.registry.find_mentions(text) if m not in owners)
            self.check_item(it, text)
            children = tuple(make(ch) for ch in it.children)
            return Item(item_id, it.kind, it.number, text, (it.first, it.last), owners, owners_raw,
                        mentions, status, children, it.depth)

        items = tuple(make(it) for it in a.items)
        statement = " ".join(clean_markup(p[2]) for p in a.statement) or None
        return Area(area_id, ordinal, a.number, a.title, (a.first, a.last), statement,
                    tuple(dict.fromkeys(a.values)), items)

    def split_item(self, it: _ItemB):
        """Peel status and owner parentheses off an item's text."""
        raw = it.raw.strip()
        status = Status()
        owners_raw = None
        for _ in range(3):
            m = _LEAD_PAREN.match(raw)
            if m and status.kind == "none":
                hit = self.statuses.match(m.group("inner"))
                if hit:
                    status = Status(hit[0], hit[1], clean_markup(m.group("inner")).strip())
                    raw = raw[m.end():]
                    continue
            m = _TRAIL_PAREN.search(raw)
            if m:
                inner = m.group("inner")
                bare = inner.strip("* ").strip()
                hit = self.statuses.match(bare) if status.kind == "none" else None
                if hit:
                    status = Status(hit[0], hit[1], bare)
                    raw = raw[: m.start()]
                    continue
                if owners_raw is None and self._looks_like_owners(inner):
                    owners_raw = bare
                    raw = raw[: m.start()].rstrip()
                    if m.group(0).rstrip().endswith(".") and not raw.endswith("."):
                        raw += "."
                    continue
            break
        owners = ()
        if owners_raw:
            parts = [owners_raw]
            for sep in self.profile.owner_separators:
                parts = [x for part in parts for x in part.split(sep)]
            owners = tuple(dict.fromkeys(self.registry.normalize(clean_markup(x).strip(" .,"))
                                         for x in parts if x.strip(" .,*")))
        return clean_markup(raw), owners_raw, owners, status

    def _looks_like_owners(self, inner: str) -> bool:
        s = inner.strip()
        if s.startswith("*") and s.endswith("*") and len(s) > 2:
            return True
        if re.match(r"^(e\.g\.|i\.e\.|see\b|cf\.)", s, re.IGNORECASE):
            return False
        parts = [x.strip() for x in re.split(r"[;]", s) if x.strip()]
        if not parts:
            return False
        for part in parts:
            if self.registry.canonical(part):
                continue
            if any(re.search(r"\b" + re.escape(w) + r"\b", part) for w in self.profile.body_words):
                continue
            return False
        return True

    def check_item(self, it: _ItemB, text: str):
        words = _words(text)
        if words:
            last = words[-1]
            if last.casefold() in _DANGLING or (len(last) == 1 and last.islower() and last not in "ai"):
                if not text.rstrip().endswith(_TERMINAL):
                    self.diag(it.last, "truncated", f"item text ends mid-sentence ({_tail_words(text)!r})")
        pairs = [("(", ")"), ("[", "]"), ("“", "”")]
        for o, c in pairs:
            if text.count(o) != text.count(c):
                self.diag(it.first, "unbalanced", f"unbalanced {o}{c} in item {it.number or ''}".rstrip())


def _tail_words(text: str, n: int = 4) -> str:
    w = text.split()
    return ("..." if len(w) > n else "") + " ".join(w[-n:])


def _last_int(number: str) -> int:
    try:
        return int(number.rsplit(".", 1)[-1])
    except ValueError:
        return -1


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
    years = re.findall(r"(?:19|20)\d\d", when)
    yr = _YEAR_RANGE.search(when)
    tokens = [t.casefold().rstrip(".") for t in re.findall(r"[A-Za-z]+\d?", when)]
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
    for text in [title or ""] + [s.text or "" for s in sections if s.kind in ("title", "approval")]:
        m = _YEAR_RANGE.search(text)
        if m:
            a, b = m.group(1), m.group(2)
            return int(a), int(a[:2] + b) if len(b) == 2 else int(b)
    return None, None


def parse_plan(text: str, *, profile=None, source=None, plan_id: str | None = None, reference=None) -> Plan:
    """Parse a plan's text into a :class:`~coreplan_analysis.Plan`.

    Parameters
    ----------
    text : str
        The plan, as copied (Markdown residue is fine).
    profile : str, os.PathLike or Profile, optional
        How the plan is written (default: the ``core`` profile).
    source : str, optional
        A name for the text (a file path): used for the plan id when *plan_id* is not given.
    plan_id : str, optional
        The plan's id; default a slug of *source*, or ``"plan"``.
    reference : Reference, optional
        Owner registry, status vocabulary and frameworks (default: the bundled reference data).

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
    """
    from ._profile import Profile, load_profile
    from ._reference import load_reference

    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    if reference is None:
        reference = load_reference()
    if plan_id is None:
        plan_id = slugify(Path(source).name) if source else "plan"
    text = text.lstrip("\ufeff")
    parser = _Parser(text, profile, reference, source)
    parser.run()
    parts = parser.finish(plan_id)
    diags = list(parser.diags)
    n_lines = len(parser.lines)
    if not any(line.strip() for line in parser.lines):
        diags.append(Diagnostic(None, "warning", "empty", "the text is empty: no plan to read"))
    title = parser.plan_title()
    plan = Plan(
        id=plan_id,
        title=title,
        source=Source(None if source is None else str(source), sha256_bytes(text.encode("utf-8")), n_lines),
        period=_period(title, parts["sections"]),
        diagnostics=(),
        profile=profile.name,
        **parts,
    )
    diags.extend(_coverage(plan, parser.lines, diags))
    diags.append(Diagnostic(None, "info", "profile", f"read with profile {profile.name!r}"))
    diags.sort(key=lambda d: (d.line is None, d.line or 0, d.kind, d.message))
    return replace(plan, diagnostics=tuple(diags))


def _coverage(plan: Plan, lines: list[str], diags) -> list[Diagnostic]:
    """An ``unparsed`` diagnostic for every non-blank line no element's span covers."""
    covered = set()

    def add(span):
        covered.update(range(span[0], span[1] + 1))

    for s in plan.sections:
        add(s.span)
    for a in plan.areas:
        add(a.span)
    for t in plan.timeline:
        add(t.span)
    covered.update(d.line for d in diags if d.line)
    return [
        Diagnostic(no, "warning", "unparsed", "line not read into any element")
        for no, line in enumerate(lines, start=1)
        if line.strip() and no not in covered
    ]


def read_plan(path, *, profile=None, reference=None, workspace=None) -> Plan:
    """Read a plan file and parse it (see :func:`parse_plan`).

    The plan's id, title, organisation and period come from the catalog when the file's sha256
    matches an entry, otherwise the id is a slug of the file name. Bytes that are not UTF-8 are
    read as Windows-1252 with an ``encoding`` diagnostic; a binary file, a directory or a missing
    file raises :class:`~coreplan_analysis.InputError`.

    Examples
    --------
    >>> from coreplan_analysis._paths import bundled_data_dir
    >>> plan = read_plan(bundled_data_dir() / "raw" / "core-strategic-action-plan-2021-2022.txt")
    >>> plan.id, len(plan.areas), len(plan.leaves())
    ('core-2021-2022', 3, 13)
    """
    from ._catalog import catalog_entry_for

    text, data, warning = read_text(path)
    entry = catalog_entry_for(sha256_bytes(data), workspace=workspace)
    if profile is None and entry is not None:
        profile = entry.profile
    if profile is not None and not hasattr(profile, "area_patterns"):
        from ._profile import load_profile

        profile = load_profile(profile, workspace)
    plan = parse_plan(text, profile=profile, source=str(path),
                      plan_id=entry.id if entry else None, reference=reference)
    diags = list(plan.diagnostics)
    if warning:
        diags.insert(0, Diagnostic(None, "warning", "encoding", warning))
    plan = replace(plan, source=Source(str(path), sha256_bytes(data), plan.source.lines), diagnostics=tuple(diags))
    if entry is not None:
        plan = replace(plan, title=entry.title or plan.title, organisation=entry.organisation,
                       period=(entry.start, entry.end))
    return plan


def _check_text_input(text) -> None:
    if not isinstance(text, str):
        raise InputError(f"expected text (str), got {type(text).__name__}")
