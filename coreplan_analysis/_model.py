"""The plan model: frozen dataclasses, the single source of truth.

Tables (:func:`~coreplan_analysis.to_frames`) and the graph are derived from these and never
written back. The model knows nothing of pandas, networkx or the command line.

Hierarchy: a :class:`Plan` holds :class:`Area` s; an area holds :class:`Item` s (goals, whose
children are actions; deeper numbering nests further). Every element carries its source ``span``
as a ``(first, last)`` pair of 1-based inclusive line numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

__all__ = [
    "STATUS_KINDS",
    "ITEM_KINDS",
    "DIAGNOSTIC_KINDS",
    "BASES",
    "Diagnostic",
    "Status",
    "Item",
    "Area",
    "Section",
    "StreamRef",
    "TimelineEntry",
    "Commitment",
    "Source",
    "Plan",
]

#: Status vocabulary (DESIGN "Statuses").
STATUS_KINDS = ("completed", "revised", "new", "in_progress", "none", "unknown")
#: Item kinds.
ITEM_KINDS = ("goal", "action")
#: Diagnostic kinds.
DIAGNOSTIC_KINDS = (
    "truncated",
    "missing-heading",
    "numbering-gap",
    "unbalanced",
    "count-mismatch",
    "unparsed",
    "encoding",
    "nesting",
    "profile",
    "empty",
    "annotation",
    "layout",
    "format",
    "owners",
)
#: One basis vocabulary everywhere: the plan says so, the toolkit computed it, a person recorded it.
BASES = ("stated", "inferred", "confirmed")

Span = tuple[int, int]


@dataclass(frozen=True)
class Diagnostic:
    """Something about the text a reader should know: damage, a guess, a gap.

    >>> Diagnostic(41, "warning", "truncated", "cut off").to_dict()["kind"]
    'truncated'
    """

    line: int | None
    severity: str  # "info" | "warning" | "error"
    kind: str
    message: str

    def to_dict(self) -> dict:
        return {"line": self.line, "severity": self.severity, "kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class Status:
    """An item's status as printed: ``kind`` from :data:`STATUS_KINDS`, optional ``date``.

    >>> Status("revised", "2024-03", "Revision March 2024").kind
    'revised'
    """

    kind: str = "none"
    date: str | None = None  # "YYYY-MM" or "YYYY"
    text: str | None = None  # the status words as printed, without parentheses
    basis: str = "stated"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "date": self.date, "text": self.text}


@dataclass(frozen=True)
class Item:
    """A goal or an action (or a deeper sub-action), with its children.

    ``text`` excludes the status and the owner parentheses, which stay in ``status.text`` and
    ``owners_raw``. ``owners`` are canonical names (through the owner registry); ``mentions`` are
    bodies the text names in prose without assigning the item to them.
    """

    id: str
    kind: str
    number: str | None
    text: str
    span: Span
    owners: tuple[str, ...] = ()
    owners_raw: str | None = None
    mentions: tuple[str, ...] = ()
    status: Status = field(default_factory=Status)
    children: tuple["Item", ...] = ()
    depth: int = 1
    basis: str = "stated"

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator["Item"]:
        """This item and its descendants, depth first in printed order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "number": self.number,
            "text": self.text,
            "owners": list(self.owners),
            "owners_raw": self.owners_raw,
            "mentions": list(self.mentions),
            "status": self.status.to_dict(),
            "span": list(self.span),
            "children": [c.to_dict() for c in self.children],
        }


@dataclass(frozen=True)
class Area:
    """A top-level division of a plan (area of focus, strategic area, priority...).

    ``title`` is ``None`` when the copy lost it; ``statement`` is unlabelled prose right under the
    heading; ``values`` are the values the plan maps the area to.
    """

    id: str
    ordinal: int
    number: str | None
    title: str | None
    span: Span
    statement: str | None = None
    values: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    basis: str = "stated"
    source_url: str | None = None

    def walk(self) -> Iterator[Item]:
        """Every item of the area, depth first in printed order."""
        for item in self.items:
            yield from item.walk()

    def leaves(self) -> list[Item]:
        return [i for i in self.walk() if i.is_leaf]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "statement": self.statement,
            "values": list(self.values),
            "span": list(self.span),
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True)
class Section:
    """A non-area part of the plan: title, intro, mission, value proposition, heading..."""

    kind: str
    title: str | None
    text: str | None
    span: Span

    def to_dict(self) -> dict:
        return {"kind": self.kind, "title": self.title, "text": self.text, "span": list(self.span)}


@dataclass(frozen=True)
class StreamRef:
    """A stream of an umbrella strategy that the plan names (e.g. ALA Pivot Strategy: Membership)."""

    framework: str
    name: str
    span: Span

    def to_dict(self) -> dict:
        return {"framework": self.framework, "name": self.name, "span": list(self.span)}


@dataclass(frozen=True)
class TimelineEntry:
    """A dated entry: ``when`` as printed, ``start``/``end`` as ``YYYY-MM`` (or ``YYYY``)."""

    when: str
    start: str | None
    end: str | None
    text: str
    span: Span
    owners: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "when": self.when,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "owners": list(self.owners),
            "span": list(self.span),
        }


@dataclass(frozen=True)
class Commitment:
    """A sentence of the accountability section that commits someone to something."""

    text: str
    owners: tuple[str, ...]
    span: Span

    def to_dict(self) -> dict:
        return {"text": self.text, "owners": list(self.owners), "span": list(self.span)}


@dataclass(frozen=True)
class Source:
    """Where the plan's text came from."""

    path: str | None
    sha256: str
    lines: int

    def to_dict(self) -> dict:
        return {"path": self.path, "sha256": self.sha256, "lines": self.lines}


@dataclass(frozen=True)
class Plan:
    """One plan as parsed (and, once loaded through the catalog, annotated)."""

    id: str
    title: str | None
    source: Source
    organisation: str | None = None
    period: tuple[int | None, int | None] = (None, None)
    sections: tuple[Section, ...] = ()
    areas: tuple[Area, ...] = ()
    streams: tuple[StreamRef, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    profile: str | None = None

    def walk(self) -> Iterator[tuple[Area, Item]]:
        """``(area, item)`` for every item of the plan, in printed order."""
        for area in self.areas:
            for item in area.walk():
                yield area, item

    def items(self) -> list[Item]:
        """Every item at every level, in printed order."""
        return [item for _, item in self.walk()]

    def leaves(self) -> list[Item]:
        """Items with no children: "one row per action" means one row per leaf."""
        return [item for _, item in self.walk() if item.is_leaf]

    def item(self, item_id: str) -> Item:
        """The item with id *item_id* (``KeyError`` when there is none)."""
        for _, it in self.walk():
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    @property
    def damaged(self) -> bool:
        """Whether the copy shows damage (cut-off text or a lost heading)."""
        return any(d.kind in ("truncated", "missing-heading") for d in self.diagnostics)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "organisation": self.organisation,
            "period": {"start": self.period[0], "end": self.period[1]},
            "profile": self.profile,
            "source": self.source.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "areas": [a.to_dict() for a in self.areas],
            "streams": [s.to_dict() for s in self.streams],
            "timeline": [t.to_dict() for t in self.timeline],
            "commitments": [c.to_dict() for c in self.commitments],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }
