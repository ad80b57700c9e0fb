"""Continuity across plan cycles: the crosswalk, the lineage and the human-confirmed record.

The question a board asks at every new cycle: what did we carry forward, change, drop, what is
new, what did we finish? :func:`crosswalk` answers it for one pair of plans:

- **Candidates.** Units of both plans (areas, goals, actions) are compared through
  :class:`~coreplan_analysis._similarity.TextModel` fitted on the two plans' texts (an area's
  text is its title and statement). The full matrix is never built: :meth:`~TextModel.top_k`
  keeps each old unit's :data:`CANDIDATES` best new units as it multiplies (``sparse_dot_topn``),
  and the best old units of any new unit that no old unit ranked. On large plans the search skips the most
  widespread terms (see ``_Scorer.candidates``); the scores are always computed in full, and
  only for candidate pairs.
- **Score.** Each candidate pair gets four parts (see :data:`WEIGHTS`): ``tfidf`` (cosine),
  ``reuse`` (near-verbatim: share of the shorter text's 3-word sequences found in the other,
  :func:`~coreplan_analysis._similarity.reuse`), ``owners`` (Jaccard of the bodies assigned to the
  two units) and ``values`` (Jaccard of the values their areas name). A part that cannot be
  computed (one side names no owner, or no value) is ``None`` and its weight is shared out among
  the others, so plans that never name owners are not penalised for it. The score is the weighted
  mean of the parts that apply; the parts are always shown beside it.
- **Links.** Many-to-many by default: every candidate pair scoring at least the threshold is a
  link, so an old action may continue in two new ones, a link may cross levels, an action may
  continue as a whole area. Two rules keep that readable: a link scoring less than
  :data:`RELATIVE_MIN` of the best link of *both* its ends is dropped (dominated: each end
  clearly continues elsewhere), and a cross-level link that a more specific or same-level link
  already says is dropped (an area linked to an area is not also linked to that area's
  actions). ``one_to_one=True`` keeps the assignment of largest total score
  (``scipy.optimize.linear_sum_assignment``, per connected group of candidates; groups too large
  for a dense matrix go to ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``).
- **Classes.** A link is ``carried`` when the new text is near-verbatim (``reuse`` and ``tfidf``
  both at least :data:`CARRIED_MIN`), ``evolved`` otherwise (same intent, reworded, split or
  merged). An old unit with no link (for an area or goal: neither it nor anything under it) is
  *dropped*; a new unit with no link into it (nor into anything under it) is *new*; a new item
  whose status is ``completed`` is *completed* (a completed item with no predecessor is both).
  When the new plan's copy is damaged (:attr:`Plan.damaged`), "dropped" may only mean "not found
  in the copy": :func:`unmatched_label` gives the words to use.
- **Human decisions.** ``data/crosswalks/<old id>__<new id>.yaml`` records links a facilitator
  confirmed, rejected or added, each with a reason and short excerpts of both texts. They
  override the algorithm and carry basis ``confirmed``; rejected links are listed apart. A
  decision whose id no longer points at its excerpt is ignored with a warning.

:func:`lineage` follows items through every cycle of a :class:`PlanSet`. Tables are pandas
DataFrames built on demand (pandas, scikit-learn and scipy are imported inside functions).
"""

from __future__ import annotations

__all__ = [
    "SCHEMA",
    "DECISIONS_SCHEMA",
    "WEIGHTS",
    "DEFAULT_THRESHOLD",
    "CARRIED_MIN",
    "RELATIVE_MIN",
    "CANDIDATES",
    "DECISION_KINDS",
    "Link",
    "Decision",
    "Crosswalk",
    "crosswalk",
    "cycle_pairs",
    "lineage",
    "unmatched_label",
    "parse_decisions",
    "load_decisions",
    "decisions_relpath",
    "draft_decisions",
    "write_draft",
]

import datetime as _dt
import math
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import DataError
from ._runtime import gc_paused
from ._similarity import (
    TextModel,
    _grams,
    _text_models,
    shared_phrases,
)
from ._topk import top_k_rows

#: Schema id of ``coreplan crosswalk --json``.
SCHEMA = "coreplan-crosswalk/1"
#: Schema id of a decisions file (``data/crosswalks/<old>__<new>.yaml``) and of a draft.
DECISIONS_SCHEMA = "coreplan-crosswalk-decisions/1"

#: Weight of each part of a link's score. Text carries most of it (``tfidf``: same words, same
#: intent), near-verbatim reuse adds to it (a carried item repeats whole phrases), and shared
#: owners and values are supporting evidence only: in a plan where one committee owns half the
#: actions, ownership alone must not link two items. Parts that do not apply to a pair (``None``)
#: drop out and the remaining weights are rescaled to sum to 1.
WEIGHTS = {"tfidf": 0.6, "reuse": 0.2, "owners": 0.1, "values": 0.1}

#: Default threshold on the score: 0.1, a tf-idf cosine of 0.13 when owners and values do not
#: apply (0.6 x 0.13 / 0.8). Between a one-line action and a one-line goal that is one
#: distinctive shared word ("engagement", "career", "initiatives") beside words that differ;
#: below it, links rest on the ubiquitous "member" alone. Plans rewritten between cycles share
#: few words, so evolved links score low: on the Core pair the true ones score 0.10-0.25.
#: Chosen on that pair, which is also the labelled set (tests/test_continuity.py pins the
#: precision and recall there): read those figures as optimistic.
DEFAULT_THRESHOLD = 0.1

#: A link is ``carried`` (near-verbatim) when both ``reuse`` and ``tfidf`` reach this.
CARRIED_MIN = 0.6

#: A suggested link must score at least this share of the best suggested link of its old unit
#: or of its new unit (see :func:`crosswalk`): links dominated at both ends are dropped.
RELATIVE_MIN = 0.5

#: Candidates kept per unit and direction (old -> new and new -> old) before scoring.
CANDIDATES = 5

#: Decisions a person can record; ``pending`` (written by a draft) is read as no decision.
DECISION_KINDS = ("confirmed", "rejected", "added", "pending")

# Candidate search on large plans: at most this many pairs of texts sharing a term (see
# _Scorer.candidates); under a second of block ranking on two plans of 10,000 items.
_SEARCH_PAIRS = 1_000_000
_CLASSES = ("carried", "evolved")
_PARTS = ("tfidf", "reuse", "owners", "values")
_REUSE_N = 3
_EVIDENCE_WORDS = 5
_EVIDENCE_PHRASES = 3
_EXCERPT_CHARS = 60
_DECISION_KEYS = (
    "from", "to", "decision", "class", "reason", "from_text", "to_text", "by", "date", "score",
    "evidence",
)  # fmt: skip


def unmatched_label(new_plan_incomplete) -> str:
    """The words for an old item with no successor: "dropped", unless the new copy is damaged.

    Parameters
    ----------
    new_plan_incomplete : bool or Crosswalk
        Whether the new plan's copy is damaged (a :class:`Crosswalk` is read for its flag).

    Returns
    -------
    str
        ``"not found in the copy"`` when the copy is damaged (the item may sit in the part the
        copy lost), ``"dropped"`` otherwise.

    Examples
    --------
    >>> unmatched_label(False), unmatched_label(True)
    ('dropped', 'not found in the copy')
    """
    flag = getattr(new_plan_incomplete, "new_plan_incomplete", new_plan_incomplete)
    return "not found in the copy" if flag else "dropped"


# -- units -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Unit:
    """An area or an item, flattened for comparison."""

    id: str
    level: str  # "area" | "goal" | "action"
    area: str
    text: str
    owners: frozenset
    values: frozenset
    leaf: bool
    status: str
    parent: str | None
    order: int
    excerpt_text: str  # what a decision's excerpt is checked against


#: The units of the last (plan, reference) pairs computed, first in first out, keyed by the
#: objects' ids and holding weak references to check that the objects are still the same ones
#: (an id can be reused once an object is gone). A loop of crosswalks over consecutive plans
#: asks for each plan twice (as new, then as old). Plans and reference data are frozen
#: dataclasses, never changed in place, which is what makes the cache safe.
_UNITS_CACHE: dict = {}
_UNITS_CACHE_SIZE = 8
_UNITS_LOCK = threading.Lock()


def _units(plan, reference=None) -> list[_Unit]:
    """The plan's areas and items in printed order (each area before its items), as a new list
    each time; computed once per (plan, reference) pair among the last few (``_UNITS_CACHE``)."""
    key = (id(plan), id(reference))
    hit = _UNITS_CACHE.get(key)
    if hit is not None and hit[0]() is plan and hit[1]() is reference:
        return list(hit[2])
    units = _make_units(plan, reference)
    try:
        plan_ref = weakref.ref(plan)
        ref_ref = weakref.ref(reference) if reference is not None else (lambda: None)
    except TypeError:  # an object without weak references: not cached
        return units
    with _UNITS_LOCK:
        while len(_UNITS_CACHE) >= _UNITS_CACHE_SIZE:
            _UNITS_CACHE.pop(next(iter(_UNITS_CACHE)))
        _UNITS_CACHE[key] = (plan_ref, ref_ref, tuple(units))
    return units


def _make_units(plan, reference) -> list[_Unit]:
    if reference is not None:
        normalized: dict = {}  # a plan names the same few owners many times

        def owners_norm(o):
            n = normalized.get(o)
            if n is None:
                n = normalized[o] = reference.owners.normalize(o)
            return n
    else:
        def owners_norm(o):
            return o

    def values_norm(v):
        if reference is not None:
            return reference.canonical_value(v) or v
        return v

    out: list[_Unit] = []
    for area in plan.areas:
        values = frozenset(values_norm(v) for v in area.values)
        area_owners = frozenset(owners_norm(o) for it in area.walk() for o in it.owners)
        area_text = " ".join(t for t in (area.title, area.statement) if t)
        whole = " \n ".join([area.title or "", area.statement or ""] + [it.text for it in area.walk()])
        out.append(_Unit(area.id, "area", area.id, area_text, area_owners, values,
                         False, "none", None, len(out), whole))  # leaves are items, never areas

        # Items in printed order (each before its children), walked with a stack: a recursive
        # closure would be a reference cycle holding the units until the collector runs.
        stack = [(item, area.id) for item in reversed(area.items)]
        while stack:
            item, parent = stack.pop()
            out.append(_Unit(item.id, item.kind, area.id, item.text,
                             frozenset(owners_norm(o) for o in item.owners), values, item.is_leaf,
                             item.status.kind, parent, len(out), item.text))
            stack.extend((child, item.id) for child in reversed(item.children))
    return out


def _jaccard(a: frozenset, b: frozenset) -> float | None:
    if not a or not b:
        return None
    return len(a & b) / len(a | b)


def _combine(parts: dict) -> float:
    """Weighted mean of the parts that apply (see :data:`WEIGHTS`)."""
    num = den = 0.0
    for name in _PARTS:
        value = parts.get(name)
        if value is not None:
            num += WEIGHTS[name] * value
            den += WEIGHTS[name]
    return num / den if den else 0.0


def _classify(parts: dict) -> str:
    return "carried" if parts["reuse"] >= CARRIED_MIN and parts["tfidf"] >= CARRIED_MIN else "evolved"


def _r4(x):
    return None if x is None else round(float(x) + 0.0, 4)


# -- records -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    """One link from an old unit to a new one.

    ``parts`` holds ``(name, value)`` pairs in :data:`WEIGHTS` order (value ``None`` when the
    part does not apply); ``evidence`` the shared words, then shared phrases in quotes, then
    ``owner: ...`` and ``value: ...`` for shared owners and values.
    """

    source: str
    target: str
    cls: str
    basis: str
    score: float
    parts: tuple = ()
    evidence: tuple = ()
    reason: str | None = None

    def to_dict(self) -> dict:
        return {
            "from": self.source,
            "to": self.target,
            "class": self.cls,
            "basis": self.basis,
            "score": self.score,
            "parts": dict(self.parts),
            "evidence": list(self.evidence),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Decision:
    """One recorded decision on a link (a line of a decisions file)."""

    source: str
    target: str
    decision: str
    cls: str | None = None
    reason: str | None = None
    from_text: str | None = None
    to_text: str | None = None
    by: str | None = None
    date: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Crosswalk:
    """What one plan cycle carried into the next (returned by :func:`crosswalk`).

    Records are tuples (``link_records``, ``rejected_records``); the tables are pandas
    DataFrames built on each access: :attr:`links`, :attr:`rejected`, :attr:`outcomes`,
    :attr:`areas`, :attr:`values`, :attr:`owners`; :meth:`to_json` gives the
    ``coreplan-crosswalk/1`` document.

    Examples
    --------
    >>> from coreplan_analysis import parse_plan
    >>> old = parse_plan("1. Members\\nGoal: Grow membership.\\nCore Values: Inclusion\\nActions:\\n"
    ...                  "1. Run an annual member survey. (*Board of Directors*)\\n"
    ...                  "2. Publish a newsletter.", plan_id="old")
    >>> new = parse_plan("1. Members\\nGoal: Grow membership.\\nCore Values: Inclusion; Innovation\\n"
    ...                  "Actions:\\n1. Run an annual member survey. (*Board of Directors*)", plan_id="new")
    >>> cw = crosswalk(old, new, decisions=None)
    >>> cw.links[["from", "to", "class", "score", "tfidf", "owners"]].values.tolist()[-1]
    ['old/1/1', 'new/1/1', 'carried', 0.95, 1.0, 1.0]
    >>> cw.values[["value", "status"]].values.tolist()
    [['Inclusion', 'persists'], ['Innovation', 'appears']]
    >>> cw.outcome("old/1/2"), cw.to_json()["dropped"]
    ('dropped', ['old/1/2'])
    """

    old: str
    new: str
    threshold: float
    one_to_one: bool
    continuity: float
    new_plan_incomplete: bool
    link_records: tuple = ()
    rejected_records: tuple = ()
    dropped: tuple = ()
    new_items: tuple = ()
    completed: tuple = ()
    warnings: tuple = ()
    decisions: tuple = ()
    decisions_path: str | None = None
    old_plan: object = field(default=None, repr=False, compare=False)
    new_plan: object = field(default=None, repr=False, compare=False)
    reference: object = field(default=None, repr=False, compare=False)

    # -- tables ----------------------------------------------------------------------------
    @property
    def links(self):
        """One row per link: ``from, to, class, basis, score``, the four parts, ``evidence``
        (joined by "; "), ``reason``, and the levels and areas of both ends."""
        return self._link_frame(self.link_records)

    @property
    def rejected(self):
        """Links a person rejected (same columns as :attr:`links`)."""
        return self._link_frame(self.rejected_records)

    def _link_frame(self, records):
        import pandas as pd

        units = {u.id: u for u in self._old_units() + self._new_units()}
        rows = []
        for link in records:
            a, b = units.get(link.source), units.get(link.target)
            parts = dict(link.parts)
            rows.append({
                "from": link.source, "to": link.target, "class": link.cls, "basis": link.basis,
                "score": link.score, **{p: parts.get(p) for p in _PARTS},
                "evidence": "; ".join(link.evidence), "reason": link.reason,
                "from_level": a.level if a else None, "to_level": b.level if b else None,
                "from_area": a.area if a else None, "to_area": b.area if b else None,
            })
        cols = ["from", "to", "class", "basis", "score", *_PARTS, "evidence", "reason",
                "from_level", "to_level", "from_area", "to_area"]
        df = pd.DataFrame(rows, columns=cols)
        for col in ("from", "to", "evidence"):
            df[col] = df[col].astype("str")
        for col in ("reason", "from_level", "to_level", "from_area", "to_area"):
            df[col] = _objects(df[col])
        df["class"] = pd.Categorical(df["class"], categories=list(_CLASSES))
        df["basis"] = pd.Categorical(df["basis"], categories=["inferred", "confirmed"])
        for col in ("score", *_PARTS):
            df[col] = df[col].astype("float64")
        return df

    @property
    def outcomes(self):
        """One row per unit of both plans: ``plan, item, level, area, outcome`` (carried,
        evolved, dropped or "not found in the copy" for old units; carried, evolved or new for
        new ones), ``completed``, and the ids at the other end (``linked``, joined by "; ")."""
        import pandas as pd

        rows = []
        dropped, new_items = set(self.dropped), set(self.new_items)
        by_source: dict[str, list] = {}
        by_target: dict[str, list] = {}
        for link in self.link_records:
            by_source.setdefault(link.source, []).append(link)
            by_target.setdefault(link.target, []).append(link)
        for side, plan_id, units, index in (("old", self.old, self._old_units(), by_source),
                                             ("new", self.new, self._new_units(), by_target)):
            for u in units:
                links = index.get(u.id, [])
                if links:
                    outcome = "carried" if any(l.cls == "carried" for l in links) else "evolved"
                elif side == "old":
                    outcome = unmatched_label(self) if u.id in dropped else "continued in part"
                else:
                    outcome = "new" if u.id in new_items else "continued in part"
                other = [l.target if side == "old" else l.source for l in links]
                rows.append({"side": side, "plan": plan_id, "item": u.id, "level": u.level,
                             "area": u.area, "leaf": u.leaf, "outcome": outcome,
                             "completed": u.status == "completed", "linked": "; ".join(other),
                             "text": u.text})
        df = pd.DataFrame(rows, columns=["side", "plan", "item", "level", "area", "leaf", "outcome",
                                         "completed", "linked", "text"])
        for col in ("side", "plan", "item", "level", "area", "outcome", "linked", "text"):
            df[col] = df[col].astype("str")
        df["leaf"] = df["leaf"].astype("bool")
        df["completed"] = df["completed"].astype("bool")
        return df

    @property
    def areas(self):
        """Area-level continuity: one row per area of both plans with its leaves, how many are
        continued (old: carried or evolved; new: with a predecessor), the share, and the areas
        at the other end of its links."""
        import pandas as pd

        rows = []
        old_units, new_units = self._old_units(), self._new_units()
        units = {u.id: u for u in old_units + new_units}
        for side, plan in (("old", self.old_plan), ("new", self.new_plan)):
            stats = self.area_continuity(side)
            linked: dict[str, set] = {}
            for link in self.link_records:
                a, b = units[link.source], units[link.target]
                mine, theirs = (a, b) if side == "old" else (b, a)
                linked.setdefault(mine.area, set()).add(theirs.area)
            order = {u.id: u.order for u in (new_units if side == "old" else old_units)}
            for area in plan.areas:
                leaves, cont = stats[area.id]
                rows.append({
                    "side": side, "plan": plan.id, "area": area.id, "title": area.title,
                    "leaves": leaves, "continued": cont,
                    "continuity": round(cont / leaves, 4) if leaves else float("nan"),
                    "linked_areas": "; ".join(sorted(linked.get(area.id, ()), key=lambda i: order.get(i, 0))),
                })
        df = pd.DataFrame(rows, columns=["side", "plan", "area", "title", "leaves", "continued",
                                         "continuity", "linked_areas"])
        for col in ("side", "plan", "area", "linked_areas"):
            df[col] = df[col].astype("str")
        df["title"] = _objects(df["title"])
        df["leaves"] = df["leaves"].astype("int64")
        df["continued"] = df["continued"].astype("int64")
        df["continuity"] = df["continuity"].astype("float64")
        return df

    def area_continuity(self, side: str = "old") -> dict:
        """``{area id: (leaves, continued leaves)}`` for the old (or new) plan's areas."""
        plan = self.old_plan if side == "old" else self.new_plan
        ends = {l.source for l in self.link_records} if side == "old" else {l.target for l in self.link_records}
        return {a.id: (len(a.leaves()), sum(it.id in ends for it in a.leaves())) for a in plan.areas}

    @property
    def values(self):
        """Which values persist, appear or vanish between the plans (from the values each
        plan's areas name). When the new plan maps no area to any value, old values are
        ``unmapped`` rather than vanished."""
        return self._persistence("value", lambda u: u.values if u.level == "area" else ())

    @property
    def owners(self):
        """Which owners persist, appear or vanish (from the bodies items are assigned to). When
        the new plan assigns no item to anyone, old owners are ``unassigned``."""
        return self._persistence("owner", lambda u: u.owners if u.level != "area" else ())

    def _persistence(self, name, get):
        import pandas as pd

        old, new = self._old_units(), self._new_units()

        def collect(units):
            where: dict[str, list] = {}
            for u in units:
                for x in sorted(get(u)):
                    where.setdefault(x, []).append(u.id)
            return where

        wo, wn = collect(old), collect(new)
        none_word = "unmapped" if name == "value" else "unassigned"
        rows = []
        for x in sorted(set(wo) | set(wn), key=str.casefold):
            if x in wo and x in wn:
                status = "persists"
            elif x in wo:
                status = "vanishes" if wn else none_word
            else:
                status = "appears"
            rows.append({name: x, "status": status, "old": len(wo.get(x, ())), "new": len(wn.get(x, ())),
                         "old_ids": "; ".join(wo.get(x, ())), "new_ids": "; ".join(wn.get(x, ()))})
        df = pd.DataFrame(rows, columns=[name, "status", "old", "new", "old_ids", "new_ids"])
        for col in (name, "status", "old_ids", "new_ids"):
            df[col] = df[col].astype("str")
        df["old"] = df["old"].astype("int64")
        df["new"] = df["new"].astype("int64")
        return df

    # -- words -----------------------------------------------------------------------------
    def outcome(self, item_id: str) -> str:
        """What became of an old unit: carried, evolved, continued in part (an area or goal
        whose children continue), or :func:`unmatched_label`; of a new unit: carried, evolved,
        continued in part or new."""
        links = [l for l in self.link_records if item_id in (l.source, l.target)]
        if links:
            return "carried" if any(l.cls == "carried" for l in links) else "evolved"
        if item_id in self.dropped:
            return unmatched_label(self)
        if item_id in self.new_items:
            return "new"
        if item_id in {u.id for u in self._old_units() + self._new_units()}:
            return "continued in part"
        raise KeyError(item_id)

    def to_json(self) -> dict:
        """The ``coreplan-crosswalk/1`` document (a plain dict; floats rounded to 4 places)."""
        return {
            "schema": SCHEMA,
            "old": self.old,
            "new": self.new,
            "continuity": self.continuity,
            "new_plan_incomplete": self.new_plan_incomplete,
            "threshold": self.threshold,
            "one_to_one": self.one_to_one,
            "weights": dict(WEIGHTS),
            "decisions": self.decisions_path,
            "links": [l.to_dict() for l in self.link_records],
            "rejected": [l.to_dict() for l in self.rejected_records],
            "dropped": list(self.dropped),
            "new_items": list(self.new_items),
            "completed": list(self.completed),
            "areas": [
                {"area": a, "leaves": n, "continued": c, "continuity": round(c / n, 4) if n else None}
                for a, (n, c) in self.area_continuity("old").items()
            ],
            "warnings": list(self.warnings),
        }

    def _old_units(self):
        return _units(self.old_plan, self.reference) if self.old_plan is not None else []

    def _new_units(self):
        return _units(self.new_plan, self.reference) if self.new_plan is not None else []


# -- scoring -----------------------------------------------------------------------------------
class _Scorer:
    """Scores pairs of units of two plans with one text model (rows cached per unit)."""

    def __init__(self, old_units, new_units, model=None):
        self.old, self.new = old_units, new_units
        self.old_texts = [u.text for u in old_units]
        self.new_texts = [u.text for u in new_units]
        # *model*: TextModel(old texts + new texts) when the caller fitted it (_text_models)
        self.model = TextModel(self.old_texts + self.new_texts) if model is None else model
        self._vocab = self.model.vocabulary
        self._mats = None
        self._rows: dict = {}
        self._grams = None  # each unit's words and three-word runs, old and new

    def candidates(self) -> dict:
        """``{(i, j): tfidf}``: each old unit's :data:`CANDIDATES` best new units by
        :meth:`TextModel.top_k`, and the best old units of every new unit that no old unit
        ranked (so a new unit still finds its predecessor when that one has better matches).

        On large plans the search runs on the units' *distinctive* words: the terms shared by
        the most pairs of texts (in Core's plans "member" is in two items of three) would make
        the block products nearly dense, so the most widespread terms are left out of the search
        (never out of the score) until the pairs of texts sharing a term number at most
        ``_SEARCH_PAIRS``; a text left with fewer than two terms is searched on all its words.
        Plans of a few hundred items are searched on every word. The tf-idf returned is always
        the full cosine.
        """
        return _candidates_many([self])[0]

    def tfidf_many(self, pairs) -> list[float]:
        """The full tf-idf cosine of each ``(i, j)`` pair (rows multiplied as sparse vectors):
        the plain per-pair form of what ``_candidates_many`` computes for many scorers at once
        (tests compare the two)."""
        import numpy as np

        if not pairs:
            return []
        a, b = self._matrices()
        rows = np.fromiter((i for i, _ in pairs), dtype=np.int64, count=len(pairs))
        cols = np.fromiter((j for _, j in pairs), dtype=np.int64, count=len(pairs))
        values = np.asarray(a[rows].multiply(b[cols]).sum(axis=1)).ravel()
        return np.minimum(values, 1.0).tolist()

    def _search_rows(self):
        """The tf-idf rows :meth:`candidates` searches (see there): the units' own rows, or on
        large plans the rows of their distinctive terms (``TextModel._distinctive``)."""
        import numpy as np

        a, b = self._matrices()
        df_a = np.bincount(a.indices, minlength=a.shape[1]).astype(np.int64)
        df_b = np.bincount(b.indices, minlength=b.shape[1]).astype(np.int64)
        shared = df_a * df_b
        if int(shared.sum()) <= _SEARCH_PAIRS:
            return a, b
        order = np.lexsort((np.arange(shared.size), -shared))  # most widespread first, ties by term
        total = int(shared.sum())
        common = np.zeros(shared.size, dtype=bool)
        for t in order.tolist():
            if total <= _SEARCH_PAIRS:
                break
            common[t] = True
            total -= int(shared[t])
        return self.model._distinctive(a, common), self.model._distinctive(b, common)

    def _matrices(self):
        if self._mats is None:
            both = self.model.transform(self.old_texts + self.new_texts)
            n = len(self.old_texts)
            self._mats = (both[:n], both[n:])
        return self._mats

    def _row(self, side: int, k: int) -> dict:
        key = (side, k)
        row = self._rows.get(key)
        if row is None:
            m = self._matrices()[side]
            lo, hi = m.indptr[k], m.indptr[k + 1]
            row = dict(zip(m.indices[lo:hi].tolist(), m.data[lo:hi].tolist()))
            self._rows[key] = row
        return row

    def tfidf(self, i: int, j: int) -> float:
        a, b = self._row(0, i), self._row(1, j)
        if len(b) < len(a):
            a, b = b, a
        return min(1.0, sum(w * b[t] for t, w in a.items() if t in b))

    def reuse_many(self, pairs) -> list[float]:
        """:func:`reuse` of each ``(i, j)`` pair's texts (three-word runs), computed as it
        does from each unit's runs (``_grams``, read once per unit rather than once per pair).

        A text shorter than three words counts as reused only when the other says exactly the
        same (a one-word title "Members" is not reused by every sentence that mentions
        members)."""
        if self._grams is None:
            self._grams = ([_grams(t, _REUSE_N) for t in self.old_texts],
                           [_grams(t, _REUSE_N) for t in self.new_texts])
        olds, news = self._grams
        out = []
        for i, j in pairs:
            (wa, runs_a, count_a), (wb, runs_b, count_b) = olds[i], news[j]
            if len(wa) < _REUSE_N or len(wb) < _REUSE_N:
                out.append(1.0 if wa == wb and wa else 0.0)
                continue
            if len(wb) < len(wa):  # as reuse(): the positions of the shorter text count
                runs_a, count_a, count_b = runs_b, count_b, count_a
            out.append(sum(count_a[g] for g in count_a.keys() & count_b.keys()) / len(runs_a))
        return out

    def reuse(self, i: int, j: int) -> float:
        """:meth:`reuse_many` of one pair."""
        return self.reuse_many([(i, j)])[0]

    def score(self, candidates: dict, threshold: float) -> dict:
        """``{(i, j): (score, parts)}`` for the candidate pairs scoring at least *threshold*.

        The same numbers as :func:`_combine` of :meth:`parts` (same operations in the same
        order), computed for all pairs at once."""
        import numpy as np

        if not candidates:
            return {}
        keys = list(candidates)
        t = np.fromiter(candidates.values(), dtype=np.float64, count=len(keys))
        r = np.zeros(len(keys), dtype=np.float64)
        sharing = np.flatnonzero(t > 0)  # no shared term, no reuse worth a link
        r[sharing] = self.reuse_many([keys[k] for k in sharing.tolist()])
        o = [_jaccard(self.old[i].owners, self.new[j].owners) for i, j in keys]
        v = [_jaccard(self.old[i].values, self.new[j].values) for i, j in keys]
        o_on = np.fromiter((x is not None for x in o), dtype=bool, count=len(keys))
        v_on = np.fromiter((x is not None for x in v), dtype=bool, count=len(keys))
        o_val = np.fromiter((x or 0.0 for x in o), dtype=np.float64, count=len(keys))
        v_val = np.fromiter((x or 0.0 for x in v), dtype=np.float64, count=len(keys))
        w = WEIGHTS
        num = w["tfidf"] * t
        num = num + w["reuse"] * r
        num = num + np.where(o_on, w["owners"] * o_val, 0.0)
        num = num + np.where(v_on, w["values"] * v_val, 0.0)
        den = np.full(len(keys), w["tfidf"] + w["reuse"])
        den = den + np.where(o_on, w["owners"], 0.0)
        den = den + np.where(v_on, w["values"], 0.0)
        total = num / den
        near = (total >= threshold - 1e-4) & (total > 0)
        out = {}
        for k in np.flatnonzero(near).tolist():
            score = float(total[k])
            if round(score, 4) >= threshold:  # the score as shown (4 places) reaches it
                out[keys[k]] = (score, {"tfidf": float(t[k]), "reuse": float(r[k]),
                                        "owners": o[k], "values": v[k]})
        return out

    def parts(self, i: int, j: int, tfidf: float | None = None) -> dict:
        a, b = self.old[i], self.new[j]
        t = self.tfidf(i, j) if tfidf is None else min(1.0, tfidf)
        return {
            "tfidf": t,
            "reuse": self.reuse(i, j),
            "owners": _jaccard(a.owners, b.owners),
            "values": _jaccard(a.values, b.values),
        }

    def evidence_many(self, pairs, reuses, words=None) -> list[list[str]]:
        """Evidence of each ``(i, j)`` pair: the shared words (as :meth:`TextModel.evidence`
        ranks them, all pairs at once by :meth:`TextModel.evidence_many`; *words* when the
        caller has them, from ``_evidence_words_many``), shared phrases, owners and values.

        Phrases are looked for only when the pair's reuse (from *reuses*; ``None`` means
        unknown) is positive: with no shared three-word sequence there is none to find."""
        if words is None:
            # Only the texts the pairs use are transformed (one pair costs two texts, not two plans).
            olds = {i: k for k, i in enumerate(sorted({i for i, _ in pairs}))}
            news = {j: k for k, j in enumerate(sorted({j for _, j in pairs}))}
            words = self.model.evidence_many([self.old_texts[i] for i in olds], [self.new_texts[j] for j in news],
                                             [(olds[i], news[j]) for i, j in pairs], n=_EVIDENCE_WORDS)
        else:
            words = [list(w) for w in words]
        out = []
        for (i, j), shown, reused in zip(pairs, words, reuses):
            a, b = self.old[i], self.new[j]
            if reused is None or reused > 0:
                shown += [f'"{p}"' for p in shared_phrases(a.text, b.text, n=_REUSE_N)[:_EVIDENCE_PHRASES]]
            shown += [f"owner: {o}" for o in sorted(a.owners & b.owners)]
            shown += [f"value: {v}" for v in sorted(a.values & b.values)]
            out.append(shown)
        return out

    def link(self, i: int, j: int, *, parts=None, score=None, cls=None, basis="inferred", reason=None,
             evidence=None) -> Link:
        """The link record of one pair (*evidence* from :meth:`evidence_many` when given)."""
        parts = parts if parts is not None else self.parts(i, j)
        score = _combine(parts) if score is None else score
        if evidence is None:
            evidence = self.evidence_many([(i, j)], [parts["reuse"]])[0]
        return Link(
            source=self.old[i].id, target=self.new[j].id, cls=cls or _classify(parts), basis=basis,
            score=_r4(score), parts=tuple((p, _r4(parts[p])) for p in _PARTS),
            evidence=tuple(evidence), reason=reason,
        )


def _stack(mats):
    """CSR matrices with their own columns, one above the other, each in columns of its own
    (after the previous ones'): ``(matrix, first row of each, first column of each)``. Rows of
    two of them share no column, so a product of stacked rows is each one's own product, and
    keeps each one's order of columns (and so of sums)."""
    import numpy as np
    from scipy import sparse

    widths = [m.shape[1] for m in mats]
    heights = [m.shape[0] for m in mats]
    col0 = np.concatenate([[0], np.cumsum(widths)]).astype(np.int64)
    row0 = np.concatenate([[0], np.cumsum(heights)]).astype(np.int64)
    nnz0 = np.concatenate([[0], np.cumsum([m.nnz for m in mats])]).astype(np.int64)
    width = int(col0[-1])
    index_type = np.int32 if width < 2**31 - 1 else np.int64
    data = np.concatenate([m.data for m in mats]) if mats else np.zeros(0)
    indices = (np.concatenate([m.indices.astype(np.int64) + col0[k] for k, m in enumerate(mats)]).astype(index_type)
               if mats else np.zeros(0, dtype=index_type))
    indptr = np.concatenate([[0]] + [m.indptr[1:].astype(np.int64) + nnz0[k] for k, m in enumerate(mats)])
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(int(row0[-1]), width))
    return matrix, row0, col0


def _candidates_many(scorers) -> list[dict]:
    """:meth:`_Scorer.candidates` of each scorer, the searches of all in two calls of
    :func:`top_k_rows` and the tf-idf of all candidates in one sparse product (each scorer's
    rows in columns of their own: ``_stack``). The same pairs and values as one scorer at a
    time: a row's best rows are found among its own scorer's rows (the others' products are 0),
    ties broken by index in the same order."""
    import numpy as np

    live = [k for k, sc in enumerate(scorers) if sc.old_texts and sc.new_texts]
    out: list[dict] = [{} for _ in scorers]
    if not live:
        return out
    search = [scorers[k]._search_rows() for k in live]
    olds, old0, _ = _stack([a for a, _ in search])
    news, new0, _ = _stack([b for _, b in search])
    owner_old = np.repeat(np.arange(len(live)), np.diff(old0))  # the scorer of each stacked row
    owner_new = np.repeat(np.arange(len(live)), np.diff(new0))
    found = {(i, j) for i, j, _ in top_k_rows(olds, news, k=CANDIDATES)}
    ranked = np.zeros(news.shape[0], dtype=bool)
    ranked[[j for _, j in found]] = True
    rest = np.flatnonzero(~ranked)
    if rest.size:
        for r, i, _ in top_k_rows(news[rest], olds, k=CANDIDATES):
            found.add((i, int(rest[r])))
    pairs = sorted(found)
    rows = np.fromiter((i for i, _ in pairs), dtype=np.int64, count=len(pairs))
    cols = np.fromiter((j for _, j in pairs), dtype=np.int64, count=len(pairs))
    # The full tf-idf cosine of each candidate (the search may have used distinctive rows only).
    full_a, _, _ = _stack([scorers[k]._matrices()[0] for k in live])
    full_b, _, _ = _stack([scorers[k]._matrices()[1] for k in live])
    values = np.minimum(np.asarray(full_a[rows].multiply(full_b[cols]).sum(axis=1)).ravel(), 1.0).tolist() \
        if pairs else []
    for i, j, value in zip(rows.tolist(), cols.tolist(), values):
        s = int(owner_old[i])
        assert owner_new[j] == s  # stacked rows of two scorers share no column
        out[live[s]][(i - int(old0[s]), j - int(new0[s]))] = value
    return out


def _evidence_words_many(items) -> list[list[list[str]]]:
    """For each ``(scorer, pairs)`` of *items*, the shared words of each pair, as
    :meth:`TextModel.evidence_many` ranks them, all computed in one batch
    (``_similarity._evidence_rows`` on the scorers' stacked rows)."""
    import numpy as np

    from ._similarity import _evidence_rows

    items = list(items)
    out: list[list[list[str]]] = [[[] for _ in pairs] for _, pairs in items]
    live = [k for k, (sc, pairs) in enumerate(items) if pairs and sc._vocab]
    if not live:
        return out
    olds, old0, _ = _stack([items[k][0]._matrices()[0] for k in live])
    news, new0, _ = _stack([items[k][0]._matrices()[1] for k in live])
    rows = np.concatenate([[int(old0[s]) + i for i, _ in items[k][1]] for s, k in enumerate(live)]).astype(np.int64)
    cols = np.concatenate([[int(new0[s]) + j for _, j in items[k][1]] for s, k in enumerate(live)]).astype(np.int64)
    texts = [t for k in live for t in items[k][0].old_texts]
    terms = [t for k in live for t in items[k][0]._vocab]
    words = _evidence_rows(olds, news, rows, cols, texts, terms, n=_EVIDENCE_WORDS)
    start = 0
    for k in live:
        n = len(items[k][1])
        out[k] = words[start : start + n]
        start += n
    return out


#: Connected groups of candidates up to this many cells are assigned with
#: ``scipy.optimize.linear_sum_assignment`` on a dense matrix; larger groups (large plans) with
#: ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``, which solves the same problem on
#: the sparse graph (one dummy partner per old unit lets any unit stay unlinked).
_DENSE_ASSIGNMENT_CELLS = 4_000_000


def _one_to_one(pairs: dict, n_old: int, n_new: int, *, dense_cells: int | None = None) -> set:
    """The pairs of largest total score with each unit used at most once (per connected group)."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not pairs:
        return set()
    limit = _DENSE_ASSIGNMENT_CELLS if dense_cells is None else dense_cells
    keys = sorted(pairs)
    rows = np.array([i for i, _ in keys])
    cols = np.array([j for _, j in keys])
    graph = coo_matrix((np.ones(len(keys)), (rows, cols + n_old)), shape=(n_old + n_new,) * 2)
    _, label = connected_components(graph, directed=False)
    groups: dict[int, list] = {}
    for (i, j) in keys:
        groups.setdefault(int(label[i]), []).append((i, j))
    chosen = set()
    for g in sorted(groups):
        members = groups[g]
        ri = sorted({i for i, _ in members})
        cj = sorted({j for _, j in members})
        if len(ri) * len(cj) <= limit:
            chosen |= _assign_dense(members, ri, cj, pairs)
        else:
            chosen |= _assign_sparse(members, ri, cj, pairs)
    return chosen


def _assign_dense(members, ri, cj, pairs) -> set:
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    pi = {x: k for k, x in enumerate(ri)}
    pj = {x: k for k, x in enumerate(cj)}
    m = np.zeros((len(ri), len(cj)))
    for (i, j) in members:
        m[pi[i], pj[j]] = round(pairs[(i, j)], 12)
    r, c = linear_sum_assignment(m, maximize=True)
    return {(ri[a], cj[b]) for a, b in zip(r.tolist(), c.tolist()) if (ri[a], cj[b]) in pairs}


def _assign_sparse(members, ri, cj, pairs) -> set:
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    pi = {x: k for k, x in enumerate(ri)}
    pj = {x: k for k, x in enumerate(cj)}
    n_r, n_c = len(ri), len(cj)
    # Real edge cost 2 - score (in [1, 2)), each row's dummy column cost 2: matching a pair
    # saves its score, so the cheapest full matching is the assignment of largest total score.
    r = [pi[i] for i, _ in members] + list(range(n_r))
    c = [pj[j] for _, j in members] + [n_c + k for k in range(n_r)]
    w = [2.0 - round(pairs[p], 12) for p in members] + [2.0] * n_r
    graph = csr_matrix((np.array(w), (np.array(r), np.array(c))), shape=(n_r, n_c + n_r))
    _, match = min_weight_full_bipartite_matching(graph)
    return {(ri[a], cj[b]) for a, b in enumerate(match.tolist()) if b < n_c and (ri[a], cj[b]) in pairs}


# -- decisions ---------------------------------------------------------------------------------
def decisions_relpath(old_id: str, new_id: str) -> str:
    """Where the reviewed decisions for a plan pair live, relative to a data folder.

    >>> decisions_relpath("core-2021-2022", "core-2022-2025")
    'crosswalks/core-2021-2022__core-2022-2025.yaml'
    """
    return f"crosswalks/{old_id}__{new_id}.yaml"


def parse_decisions(text: str, *, path=None) -> tuple[str | None, str | None, tuple]:
    """Read a decisions document: ``(old id, new id, decisions)``.

    Parameters
    ----------
    text : str
        YAML with ``schema``, ``old``, ``new`` and a ``decisions`` list; each decision has
        ``from``, ``to``, ``decision`` (one of :data:`DECISION_KINDS`), ``reason`` (required
        except for ``pending``), ``class`` (``carried|evolved``; required for ``added``),
        ``from_text`` and ``to_text`` (short excerpts of both texts), optionally ``by``,
        ``date``, and the informational ``score`` and ``evidence`` a draft writes.
    path : str or os.PathLike, optional
        Named in errors.

    Raises
    ------
    DataError
        Malformed YAML or a malformed entry, naming the file and line.

    Examples
    --------
    >>> doc = '''
    ... schema: coreplan-crosswalk-decisions/1
    ... old: a
    ... new: b
    ... decisions:
    ...   - from: a/1/1
    ...     to: b/1/1
    ...     decision: confirmed
    ...     reason: same survey
    ...     from_text: Run a member survey
    ...     to_text: Run the member survey
    ... '''
    >>> old, new, ds = parse_decisions(doc)
    >>> old, new, [(d.source, d.target, d.decision, d.line) for d in ds]
    ('a', 'b', [('a/1/1', 'b/1/1', 'confirmed', 6)])
    """
    from ._io import load_yaml_text, nearest_line, yaml_lines

    data = load_yaml_text(text, path=path, error=DataError)
    lines = yaml_lines(text)

    def fail(message, key=()):
        line = nearest_line(lines, key)
        raise DataError(message, path=path, line=line if line is not None else (1 if not key else None))

    if data is None:
        return None, None, ()
    if not isinstance(data, dict):
        fail("a decisions file is a mapping with schema, old, new and decisions")
    known = {"schema", "old", "new", "decisions", "note"}
    for key in data:
        if key not in known:
            fail(f"unknown key {key!r} (known: {', '.join(sorted(known))})", (str(key),))
    if data.get("schema") not in (None, DECISIONS_SCHEMA):
        fail(f"schema must be {DECISIONS_SCHEMA!r}, not {data.get('schema')!r}", ("schema",))
    for key in ("old", "new"):
        if data.get(key) is not None and not isinstance(data.get(key), str):
            fail(f"{key}: expected a plan id", (key,))
    entries = data.get("decisions") or []
    if not isinstance(entries, list):
        fail("decisions: expected a list", ("decisions",))
    out = []
    seen: dict = {}
    for n, entry in enumerate(entries):
        kp = ("decisions", n)
        where = f"decisions[{n}]"
        if not isinstance(entry, dict):
            fail(f"{where}: expected a mapping with from, to, decision, reason", kp)
        for key in entry:
            if key not in _DECISION_KEYS:
                fail(f"{where}: unknown key {key!r} (known: {', '.join(_DECISION_KEYS)})", kp + (str(key),))
        for key in ("from", "to", "decision"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                fail(f"{where}.{key}: expected a non-empty string, found {entry.get(key)!r}", kp + (key,))
        kind = entry["decision"].strip()
        if kind not in DECISION_KINDS:
            fail(f"{where}.decision: {kind!r} is not one of {', '.join(DECISION_KINDS)}", kp + ("decision",))
        cls = entry.get("class")
        if cls is not None and cls not in _CLASSES:
            fail(f"{where}.class: {cls!r} is not one of carried, evolved", kp + ("class",))
        if kind == "added" and cls is None:
            fail(f"{where}.class: an added link needs its class (carried or evolved)", kp)
        reason = entry.get("reason")
        if reason is not None and not isinstance(reason, str):
            fail(f"{where}.reason: expected text", kp + ("reason",))
        if kind != "pending" and not (reason or "").strip():
            fail(f"{where}.reason: a {kind} decision needs a short reason",
                 kp + ("reason",) if "reason" in entry else kp)
        for key in ("from_text", "to_text"):
            if kind != "pending" and key not in entry:
                fail(f"{where}.{key}: a {kind} decision keeps a short excerpt of both texts "
                     f"(from_text, to_text) so a changed id is caught", kp)
            if entry.get(key) is not None and not isinstance(entry[key], str):
                fail(f"{where}.{key}: expected text", kp + (key,))
        for key in ("by", "date"):
            value = entry.get(key)
            if value is not None and not isinstance(value, (str, int, _dt.date)):
                fail(f"{where}.{key}: expected text", kp + (key,))
        pair = (entry["from"].strip(), entry["to"].strip())
        if pair in seen and kind != "pending":
            fail(f"{where}: {pair[0]} -> {pair[1]} is already decided on line {seen[pair]}", kp)
        line = lines.get(kp)
        if kind != "pending":
            seen[pair] = line
        out.append(Decision(
            source=pair[0], target=pair[1], decision=kind, cls=cls,
            reason=" ".join(reason.split()) if isinstance(reason, str) and reason.strip() else None,
            from_text=None if entry.get("from_text") is None else str(entry["from_text"]),
            to_text=None if entry.get("to_text") is None else str(entry["to_text"]),
            by=None if entry.get("by") is None else str(entry["by"]),
            date=None if entry.get("date") is None else str(entry["date"]),
            line=line,
        ))
    return data.get("old"), data.get("new"), tuple(out)


def load_decisions(path) -> tuple[str | None, str | None, tuple]:
    """:func:`parse_decisions` of a file (``DataError`` naming the file when it cannot be read)."""
    from ._io import read_yaml_text

    return parse_decisions(read_yaml_text(path, what="decisions file"), path=path)


def _fold(text: str | None) -> str:
    """Text compared with excerpts: Markdown residue gone, quotes, case and spacing folded."""
    from ._parser import clean_markup

    t = clean_markup(text or "").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(t.casefold().split())


def _excerpt(text: str | None, n: int = _EXCERPT_CHARS) -> str:
    """The start of *text*, cut at a word boundary within *n* characters.

    >>> _excerpt("Develop an engagement strategy that will continually identify and address barriers")
    'Develop an engagement strategy that will continually'
    """
    words = " ".join((text or "").split())
    if len(words) <= n:
        return words
    cut = words[: n + 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:")


def _unit_excerpt(unit: _Unit) -> str:
    return _excerpt(unit.text or unit.excerpt_text.strip(" \n"))


def _display_path(path, workspace) -> str:
    p = Path(path)
    for root in getattr(workspace, "roots", []) or []:
        try:
            return p.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            continue
    return p.as_posix()


def _resolve_decisions(decisions, old, new, workspace):
    """``(path or None, decisions)`` for the ``decisions`` argument of :func:`crosswalk`."""
    if decisions is None:
        return None, ()
    if isinstance(decisions, str) and decisions == "auto":
        from ._paths import Workspace

        ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
        path = ws.find(decisions_relpath(old.id, new.id))
        if path is None:
            return None, ()
    elif isinstance(decisions, (str, Path)) or hasattr(decisions, "__fspath__"):
        path = Path(decisions)
    else:
        return None, tuple(decisions)
    file_old, file_new, ds = load_decisions(path)
    if (file_old is not None and file_old != old.id) or (file_new is not None and file_new != new.id):
        raise DataError(
            f"these decisions are for {file_old} -> {file_new}, not {old.id} -> {new.id}", path=path, line=1)
    return path, ds


# -- the crosswalk -----------------------------------------------------------------------------
@gc_paused()
def crosswalk(old_plan, new_plan, *, threshold=None, one_to_one=False, decisions="auto",
              reference=None, workspace=None) -> Crosswalk:
    """Link the units of an old plan to those of the next one: carried, evolved, dropped, new.

    Parameters
    ----------
    old_plan, new_plan : Plan
        Two consecutive plans (any ids; parsed or loaded through the catalog).
    threshold : float, optional
        Smallest score of a suggested link, in [0, 1] (default :data:`DEFAULT_THRESHOLD`).
    one_to_one : bool, default False
        Keep at most one link per old and per new unit (largest total score) instead of every
        pair above the threshold. Human decisions are applied on top and may break it.
    decisions : "auto", None, path or sequence of Decision, default "auto"
        Human decisions: ``"auto"`` reads ``crosswalks/<old id>__<new id>.yaml`` from the
        workspace (or the bundled data) when there is one; ``None`` ignores any (the algorithm
        alone); a path reads that file.
    reference : Reference, optional
        When given, owner and value names are compared through its registry (canonical names).
    workspace : str, os.PathLike or Workspace, optional
        Where ``"auto"`` looks for decisions (default ``$COREPLAN_DATA``, then bundled data).

    Returns
    -------
    Crosswalk

    Raises
    ------
    DataError
        A malformed decisions file (with file and line), or one recorded for other plans.
    ValueError
        A threshold outside [0, 1].

    Notes
    -----
    In order: candidates are scored; pairs below *threshold* go; recorded decisions take their
    pairs out of the algorithm's hands; dominated pairs (:data:`RELATIVE_MIN`) and cross-level
    pairs another link already says go; with *one_to_one* the assignment is solved on what is
    left, units fixed by a confirmed or added decision excluded; then confirmed and added links
    are put in (basis ``confirmed``, with their computed parts even when below the threshold)
    and rejected ones listed apart. Dropping a rejected pair can let a more general link that it
    implied reappear: the draft shows it as pending. Links are ordered by the old unit's printed
    order, score (descending), then the new unit's order.

    Examples
    --------
    >>> from coreplan_analysis import parse_plan
    >>> old = parse_plan('''1. Members
    ... Goal: Grow membership.
    ... Actions:
    ... 1. Run an annual member engagement survey.
    ... 2. Publish a quarterly newsletter for members.
    ... 3. Host a regional conference on library technology.''', plan_id="old")
    >>> new = parse_plan('''1. Members
    ... Goal: Grow and retain membership.
    ... Actions:
    ... 1. Run an annual member engagement survey.
    ... 2. Launch a podcast about library technology trends.
    ... 3. Open a mentoring program for new librarians.''', plan_id="new")
    >>> cw = crosswalk(old, new, decisions=None)
    >>> for link in cw.link_records:
    ...     print(link.source, "->", link.target, link.cls, link.score, link.evidence[:2])
    old/1 -> new/1 carried 1.0 ('members',)
    old/1/#1 -> new/1/#1 evolved 0.5249 ('grow', 'membership')
    old/1/1 -> new/1/1 carried 1.0 ('annual', 'engagement')
    old/1/3 -> new/1/2 evolved 0.2438 ('library', 'technology')
    >>> cw.dropped, cw.new_items, cw.continuity
    (('old/1/2',), ('new/1/3',), 0.6667)
    >>> dict(cw.link_records[3].parts)
    {'tfidf': 0.3251, 'reuse': 0.0, 'owners': None, 'values': None}
    """
    return next(_crosswalks([(old_plan, new_plan)], threshold=threshold, one_to_one=one_to_one,
                            decisions=decisions, reference=reference, workspace=workspace))


def cycle_pairs(plans) -> list[tuple]:
    """The pairs of consecutive plan cycles in *plans*: each plan with the next plan of the same
    organisation, in the order of *plans* (a :class:`PlanSet`'s is by cycle). Ordered by the
    later plan, so the last pair is the most recent one.

    Organisations are compared ignoring case and spacing; plans with no organisation (parsed
    from text, say) count as one organisation. Continuity is only ever computed on these
    pairs (:func:`lineage`, :func:`~coreplan_analysis.build_graph`, ``coreplan crosswalk``
    with no plans, the packet): a workspace holding another association's plans beside the
    bundled Core plans compares each organisation's cycles with its own.

    Examples
    --------
    >>> from dataclasses import replace
    >>> from coreplan_analysis import parse_plan
    >>> core = [replace(parse_plan("1. Members", plan_id=f"core-{y}"), organisation="Core") for y in (2021, 2022)]
    >>> other = [replace(parse_plan("1. Access", plan_id=f"ola-{y}"), organisation="OLA") for y in (2021, 2024)]
    >>> [(old.id, new.id) for old, new in cycle_pairs([core[0], other[0], core[1], other[1]])]
    [('core-2021', 'core-2022'), ('ola-2021', 'ola-2024')]
    """
    plans = list(plans)
    nxt = _next_cycles(plans)
    return [(plans[k], plans[j]) for j, k in sorted((j, k) for k, j in enumerate(nxt) if j is not None)]


def _org_key(plan) -> str:
    """A plan's organisation as :func:`cycle_pairs` compares it (``""`` for none)."""
    return " ".join((getattr(plan, "organisation", None) or "").split()).casefold()


def _next_cycles(plans) -> list:
    """For each plan of *plans* (a list), the position of the next plan of the same
    organisation, or ``None`` (see :func:`cycle_pairs`)."""
    nxt: list = [None] * len(plans)
    last: dict = {}
    for k, plan in enumerate(plans):
        key = _org_key(plan)
        if key in last:
            nxt[last[key]] = k
        last[key] = k
    return nxt


def _check_threshold(threshold) -> float:
    if threshold is None:
        return DEFAULT_THRESHOLD
    try:
        threshold = float(threshold)
    except (TypeError, ValueError):
        raise ValueError(f"threshold must be a number between 0 and 1, not {threshold!r}") from None
    if not 0.0 <= threshold <= 1.0 or math.isnan(threshold):
        raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
    return threshold


def _crosswalks(plan_pairs, *, threshold=None, one_to_one=False, decisions="auto", reference=None,
                workspace=None):
    """:func:`crosswalk` of each ``(old plan, new plan)`` of *plan_pairs* (a list), the same
    arguments for all, yielded in order: the same crosswalks as one call each, with the text
    models, the candidate search and the evidence words of every pair computed together
    (``_text_models``, ``_candidates_many``, ``_evidence_words_many``), so a graph of a thousand plans pays their
    fixed costs once per :data:`_BATCH_PAIRS` pairs, not once per pair. A generator, so that a
    caller holds one batch's models and results at a time; callers pause the garbage
    collector around the loop (:func:`~coreplan_analysis._runtime.gc_paused`)."""
    if not plan_pairs:
        return
    threshold = _check_threshold(threshold)
    if workspace is not None:
        from ._paths import Workspace

        workspace = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    for start in range(0, len(plan_pairs), _BATCH_PAIRS):
        batch = plan_pairs[start : start + _BATCH_PAIRS]
        units = [(_units(old, reference), _units(new, reference)) for old, new in batch]
        # Every pair's text model (its units' texts, old then new), fitted at once.
        models = _text_models([[u.text for u in a] + [u.text for u in b] for a, b in units])
        walks = [_Walk(old, new, decisions, reference, workspace, units[k], models[k])
                 for k, (old, new) in enumerate(batch)]
        del units, models
        for walk, candidates in zip(walks, _candidates_many([w.scorer for w in walks])):
            walk.select(candidates, threshold, one_to_one)
        words = _evidence_words_many([(w.scorer, w.kept) for w in walks])
        for k, shown in enumerate(words):
            yield walks[k].finish(shown, threshold, one_to_one)
            walks[k] = None  # its models go as soon as its crosswalk is made


#: Pairs of plans whose crosswalks :func:`_crosswalks` computes together.
_BATCH_PAIRS = 64


class _Walk:
    """One crosswalk in the making (the steps of :func:`crosswalk`, in order)."""

    def __init__(self, old_plan, new_plan, decisions, reference, workspace, units=None, model=None):
        # *units*: (old units, new units) and *model* their text model, when the caller has them
        self.old_plan, self.new_plan, self.reference = old_plan, new_plan, reference
        self.path, self.recorded = _resolve_decisions(decisions, old_plan, new_plan, workspace)
        self.old_units, self.new_units = units or (_units(old_plan, reference), _units(new_plan, reference))
        old_units, new_units = self.old_units, self.new_units
        oi = self.oi = {u.id: k for k, u in enumerate(old_units)}
        ni = self.ni = {u.id: k for k, u in enumerate(new_units)}
        self.scorer = _Scorer(old_units, new_units, model)
        path = self.path
        where = self.where = (_display_path(path, workspace if workspace is not None else _default_ws())
                              if path else "decisions")

        warnings = self.warnings = []
        if _org_key(old_plan) and _org_key(new_plan) and _org_key(old_plan) != _org_key(new_plan):
            warnings.append(f"{old_plan.id} and {new_plan.id} are plans of two organisations ({old_plan.organisation}; "
                            f"{new_plan.organisation}): not two cycles of one plan")
        # Human decisions: checked against the current texts; stale ones are reported and ignored.
        active = self.active = {}
        for d in self.recorded:
            if d.decision == "pending":
                continue
            at = f"{where}:{d.line}" if d.line else where
            missing = [x for x, idx in ((d.source, oi), (d.target, ni)) if x not in idx]
            if missing:
                warnings.append(f"{at}: {' and '.join(missing)} no longer in the plans; {d.decision} link ignored")
                continue
            stale = False
            for x, units, idx, excerpt in ((d.source, old_units, oi, d.from_text),
                                           (d.target, new_units, ni, d.to_text)):
                unit = units[idx[x]]
                if excerpt and _fold(excerpt) not in _fold(unit.excerpt_text):
                    now = _unit_excerpt(unit) or "(no text)"
                    warnings.append(f"{at}: {x} no longer reads {excerpt!r} (now {now!r}); "
                                    f"{d.decision} link ignored, review it")
                    stale = True
            if not stale:
                active[(oi[d.source], ni[d.target])] = d

    def select(self, candidates: dict, threshold: float, one_to_one: bool) -> None:
        """Candidates, scored; rejected pairs out, decided pairs fixed: the pairs to link."""
        active, scorer = self.active, self.scorer
        scored = self.scored = scorer.score(candidates, threshold)
        decided = {p for p, d in active.items()}
        free = _dominated_out({p: v[0] for p, v in scored.items() if p not in decided})
        free = _prune_general(free, set(free) | {p for p, d in active.items() if d.decision != "rejected"},
                              self.old_units, self.new_units)
        if one_to_one:
            fixed_old = {i for (i, j), d in active.items() if d.decision != "rejected"}
            fixed_new = {j for (i, j), d in active.items() if d.decision != "rejected"}
            free = {p: s for p, s in free.items() if p[0] not in fixed_old and p[1] not in fixed_new}
            keep = _one_to_one(free, len(self.old_units), len(self.new_units))
        else:
            keep = set(free)
        self.kept = sorted(keep)

    def finish(self, words: list, threshold: float, one_to_one: bool) -> Crosswalk:
        """The Crosswalk, from the shared words of each kept pair (``_evidence_words_many``)."""
        scorer, scored, kept = self.scorer, self.scored, self.kept
        old_plan, new_plan, old_units, new_units = self.old_plan, self.new_plan, self.old_units, self.new_units
        links: dict = {}
        evidence = scorer.evidence_many(kept, [scored[p][1]["reuse"] for p in kept], words=words)
        for (i, j), shown in zip(kept, evidence):
            links[(i, j)] = scorer.link(i, j, parts=scored[(i, j)][1], score=scored[(i, j)][0], evidence=shown)
        rejected = []
        for (i, j), d in self.active.items():
            parts = scored[(i, j)][1] if (i, j) in scored else scorer.parts(i, j)
            record = scorer.link(i, j, parts=parts, cls=d.cls, basis="confirmed", reason=d.reason)
            if d.decision == "rejected":
                rejected.append(record)
            else:
                links[(i, j)] = record

        ordered = [links[p] for p in sorted(links, key=lambda p: (p[0], -links[p].score, p[1]))]
        oi, ni = self.oi, self.ni
        rejected.sort(key=lambda l: (oi[l.source], ni[l.target]))

        # Outcomes.
        sources = {l.source for l in ordered}
        targets = {l.target for l in ordered}
        dropped = _unlinked(old_units, sources)
        new_items = _unlinked(new_units, targets)
        completed = tuple(u.id for u in new_units if u.status == "completed")
        leaves = old_plan.leaves()
        continuity = _r4(sum(it.id in sources for it in leaves) / len(leaves)) if leaves else 0.0
        return Crosswalk(
            old=old_plan.id, new=new_plan.id, threshold=_r4(threshold), one_to_one=bool(one_to_one),
            continuity=continuity, new_plan_incomplete=bool(new_plan.damaged),
            link_records=tuple(ordered), rejected_records=tuple(rejected), dropped=dropped,
            new_items=new_items, completed=completed, warnings=tuple(self.warnings),
            decisions=tuple(self.recorded), decisions_path=self.where if self.path else None,
            old_plan=old_plan, new_plan=new_plan, reference=self.reference,
        )


def _dominated_out(pairs: dict) -> dict:
    """Keep a pair only when it scores at least :data:`RELATIVE_MIN` of the best pair of one of
    its two ends: a weak link between an old unit that clearly continues elsewhere and a new
    unit that clearly comes from elsewhere is noise, while a genuine split or merge keeps
    comparable scores."""
    best_old: dict = {}
    best_new: dict = {}
    for (i, j), s in pairs.items():
        best_old[i] = max(best_old.get(i, 0.0), s)
        best_new[j] = max(best_new.get(j, 0.0), s)
    return {(i, j): s for (i, j), s in pairs.items()
            if s >= RELATIVE_MIN * best_old[i] - 1e-12 or s >= RELATIVE_MIN * best_new[j] - 1e-12}


def _ancestors(units) -> list[tuple[int, ...]]:
    """Indices of each unit's enclosing units (parent item, ..., area)."""
    index = {u.id: k for k, u in enumerate(units)}
    out = []
    for u in units:
        chain = []
        p = u.parent
        while p is not None and p in index:
            chain.append(index[p])
            p = units[index[p]].parent
        out.append(tuple(chain))
    return out


def _prune_general(pairs: dict, specific: set, old_units, new_units) -> dict:
    """Drop cross-level links that another link already says.

    A link between units of different levels goes when the same old unit also links to
    something inside the new unit (``(a, B)`` beside ``(a, b)``, b in B: the more specific link
    says it), when something inside the old unit links to the same new unit (``(A, b)`` beside
    ``(a, b)``), or when the two units' enclosing units of the other's level are linked
    (``(A, b)`` beside ``(A, B)`` with b in B, or ``(a, B)`` beside ``(A, B)`` with a in A).
    Links between units of the same level always stay; an action continuing as a whole area
    stays when nothing else connects them."""
    anc_old, anc_new = _ancestors(old_units), _ancestors(new_units)
    desc_old: dict = {}
    desc_new: dict = {}
    for k, chain in enumerate(anc_old):
        for a in chain:
            desc_old.setdefault(a, []).append(k)
    for k, chain in enumerate(anc_new):
        for b in chain:
            desc_new.setdefault(b, []).append(k)
    implied = set()
    for i, j in specific:
        li, lj = old_units[i].level, new_units[j].level
        implied.update((a, j) for a in anc_old[i] if old_units[a].level != lj)
        implied.update((i, b) for b in anc_new[j] if li != new_units[b].level)
        if li == lj:
            implied.update((i, d) for d in desc_new.get(j, ()) if new_units[d].level != li)
            implied.update((c, j) for c in desc_old.get(i, ()) if old_units[c].level != lj)
    return {p: s for p, s in pairs.items() if p not in implied}


def _default_ws():
    from ._paths import Workspace

    return Workspace()


def _unlinked(units, linked: set) -> tuple:
    """Units with no link, where a container counts as linked when anything under it is."""
    covered = set(linked)
    by_id = {u.id: u for u in units}
    for uid in linked:
        u = by_id.get(uid)
        while u is not None and u.parent is not None:
            covered.add(u.parent)
            u = by_id.get(u.parent)
        if u is not None:
            covered.add(u.area)
    return tuple(u.id for u in units if u.id not in covered)


# -- drafts ------------------------------------------------------------------------------------
def _q(value) -> str:
    """A YAML scalar (JSON strings are valid YAML double-quoted scalars)."""
    import json

    return json.dumps(value, ensure_ascii=False)


def draft_decisions(cw: Crosswalk, *, recorded=()) -> str:
    """A decisions document for a person to edit: recorded decisions, then pending suggestions.

    Parameters
    ----------
    cw : Crosswalk
        Its decisions (from the reviewed file) are kept as they are; its links of basis
        ``inferred`` (suggestions nobody decided yet) are written as ``decision: pending``.
    recorded : sequence of Decision
        Further decisions to keep (say, those already made in an earlier draft); the
        crosswalk's own decisions win on the same pair.

    Returns
    -------
    str
        YAML text (deterministic) that :func:`parse_decisions` reads back.

    Examples
    --------
    >>> from coreplan_analysis import parse_plan
    >>> text = "1. Members\\nGoal: Grow membership.\\nActions:\\n1. Run an annual member survey."
    >>> cw = crosswalk(parse_plan(text, plan_id="a"), parse_plan(text, plan_id="b"), decisions=None)
    >>> draft = draft_decisions(cw)
    >>> print("\\n".join(draft.splitlines()[11:20]))
      - from: "a/1"
        to: "b/1"
        decision: pending
        class: carried
        reason: ""
        from_text: "Members"
        to_text: "Members"
        score: 1.0
        evidence: ["members"]
    >>> [(d.source, d.decision) for d in parse_decisions(draft)[2]]
    [('a/1', 'pending'), ('a/1/#1', 'pending'), ('a/1/1', 'pending')]
    """
    units = {u.id: u for u in cw._old_units() + cw._new_units()}
    kept: dict = {}
    for d in list(cw.decisions) + list(recorded):
        if d.decision != "pending":
            kept.setdefault((d.source, d.target), d)
    lines = [
        f"# Crosswalk decisions, DRAFT: {cw.old} -> {cw.new}",
        "# Written by `coreplan crosswalk --draft`. For each pending link set decision to confirmed or",
        "# rejected and give a short reason; add links the toolkit missed with decision: added and a",
        "# class (carried or evolved). Then copy the decided entries into the reviewed file,",
        f"# {decisions_relpath(cw.old, cw.new)} in your data folder. Pending entries are ignored when",
        "# loading; score and evidence are information for the reviewer only.",
        f"schema: {DECISIONS_SCHEMA}",
        f"old: {_q(cw.old)}",
        f"new: {_q(cw.new)}",
        "decisions:",
    ]
    if not kept and not any(l.basis == "inferred" for l in cw.link_records):
        lines[-1] = "decisions: []"
    if kept:
        lines.append(f"  # recorded decisions ({len(kept)})")
    for (src, dst), d in kept.items():
        lines += [f"  - from: {_q(src)}", f"    to: {_q(dst)}", f"    decision: {d.decision}"]
        if d.cls:
            lines.append(f"    class: {d.cls}")
        lines.append(f"    reason: {_q(d.reason or '')}")
        for key, value in (("from_text", d.from_text), ("to_text", d.to_text), ("by", d.by), ("date", d.date)):
            if value is not None:
                lines.append(f"    {key}: {_q(value)}")
    pending = [l for l in cw.link_records if l.basis == "inferred" and (l.source, l.target) not in kept]
    if pending:
        lines.append(f"  # suggested by the toolkit, not decided yet ({len(pending)})")
    for l in pending:
        lines += [
            f"  - from: {_q(l.source)}",
            f"    to: {_q(l.target)}",
            "    decision: pending",
            f"    class: {l.cls}",
            '    reason: ""',
            f"    from_text: {_q(_unit_excerpt(units[l.source]) if l.source in units else '')}",
            f"    to_text: {_q(_unit_excerpt(units[l.target]) if l.target in units else '')}",
            f"    score: {l.score}",
            f"    evidence: [{', '.join(_q(e) for e in l.evidence)}]",
        ]
    return "\n".join(lines) + "\n"


def write_draft(cw: Crosswalk, path, *, workspace=None) -> Path:
    """Write :func:`draft_decisions` to *path* (atomically), merging decisions made there.

    If *path* already holds a draft, its decided (not pending) entries are kept. The reviewed
    file is never written: *path* may not be the file the crosswalk read its decisions from, nor
    ``crosswalks/<old>__<new>.yaml`` in any data folder.

    Raises
    ------
    DataError
        *path* is a reviewed file, or an existing draft there is malformed.
    """
    from ._io import atomic_write
    from ._paths import Workspace

    target = Path(path)
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    reviewed = [root / decisions_relpath(cw.old, cw.new) for root in ws.roots]
    if cw.decisions_path:
        reviewed += [root / cw.decisions_path for root in ws.roots] + [Path(cw.decisions_path)]
    resolved = target.resolve()
    for r in reviewed:
        if r.resolve() == resolved:
            raise DataError("refusing to write a draft onto the reviewed decisions file; "
                            "give another --out and copy decided entries over by hand", path=target)
    earlier = ()
    if target.exists():
        _, _, earlier = load_decisions(target)
    return atomic_write(target, draft_decisions(cw, recorded=earlier))


# -- lineage -----------------------------------------------------------------------------------
def lineage(planset, *, threshold=None, one_to_one=False, decisions="auto"):
    """Follow every item through the plan cycles of *planset* (in catalog order).

    Consecutive cycles of each organisation (:func:`cycle_pairs`) are linked by
    :func:`crosswalk` (with their recorded decisions). Every unit with no predecessor starts a
    lineage (named by its id); the lineage then takes every successor of its members in its
    organisation's next cycle, and ends a branch with a ``dropped`` row when a member has no
    successor before that organisation's last cycle.

    Parameters
    ----------
    planset : PlanSet or sequence of Plan
    threshold, one_to_one, decisions
        Passed to :func:`crosswalk` for each pair.

    Returns
    -------
    pandas.DataFrame
        Columns ``lineage`` (id of the unit that starts it), ``cycle`` (1 for an organisation's
        first plan),
        ``plan``, ``item`` (missing on ``dropped`` rows), ``level``, ``class`` (origin,
        carried, evolved, dropped), ``wording`` (as a board reads it: "new" for an origin after
        the first cycle, "not found in the copy" for a drop into a damaged copy), ``basis``,
        ``score``, ``from`` (the predecessor), ``status`` and ``text``. Sorted by the lineage's
        first cycle and printed order, then cycle, then printed order.

    Examples
    --------
    >>> from coreplan_analysis import parse_plan
    >>> head = "1. Members\\nGoal: Grow membership.\\nActions:\\n"
    >>> a = parse_plan(head + "1. Run an annual member engagement survey.\\n2. Publish a newsletter.", plan_id="a")
    >>> b = parse_plan(head + "1. Run an annual member engagement survey.\\n2. Open a mentoring program.", plan_id="b")
    >>> c = parse_plan(head + "1. Host a regional technology conference.", plan_id="c")
    >>> df = lineage([a, b, c], decisions=None)
    >>> for row in df[df["lineage"].isin(["a/1/1", "b/1/2"])].to_dict("records"):
    ...     print(row["lineage"], row["cycle"], row["item"], row["class"], row["wording"])
    a/1/1 1 a/1/1 origin origin
    a/1/1 2 b/1/1 carried carried
    a/1/1 3 None dropped dropped
    b/1/2 2 b/1/2 origin new
    b/1/2 3 None dropped dropped
    """
    import pandas as pd

    plans = list(planset)
    ws = getattr(planset, "workspace", None)
    ref = getattr(planset, "reference", None)
    units = [_units(p, ref) for p in plans]
    nxt = _next_cycles(plans)
    cycle = [0] * len(plans)  # each plan's cycle in its organisation's chain, from 0
    for k, j in enumerate(nxt):
        if j is not None:
            cycle[j] = cycle[k] + 1
    succ: dict = {}
    has_pred: set = set()
    with gc_paused():
        for cw in _crosswalks(cycle_pairs(plans), threshold=threshold, one_to_one=one_to_one,
                              decisions=decisions, reference=ref, workspace=ws):
            for link in cw.link_records:
                succ.setdefault(link.source, []).append(link)
                has_pred.add(link.target)
    order = {u.id: (k, u.order) for k, us in enumerate(units) for u in us}
    info = {u.id: u for us in units for u in us}
    rows = []
    for k, us in enumerate(units):
        for origin in us:
            if origin.id in has_pred:
                continue
            rows.append(_lineage_row(origin.id, cycle[k], plans[k].id, origin, "origin",
                                     "new" if cycle[k] else "origin", None, None, None))
            seen = {origin.id}
            frontier = [origin.id]
            then = nxt[k]
            while then is not None:
                following = []
                for x in frontier:
                    outs = sorted(succ.get(x, ()), key=lambda l: order[l.target])
                    if not outs:
                        rows.append(_lineage_row(origin.id, cycle[then], plans[then].id, None, "dropped",
                                                 unmatched_label(plans[then].damaged), None, None, x))
                    for link in outs:
                        if link.target in seen:
                            continue
                        seen.add(link.target)
                        following.append(link.target)
                        rows.append(_lineage_row(origin.id, cycle[then], plans[then].id, info[link.target],
                                                 link.cls, link.cls, link.basis, link.score, x))
                frontier = sorted(following, key=lambda i: order[i])
                if not frontier:
                    break
                then = nxt[then]
    cols = ["lineage", "cycle", "plan", "item", "level", "class", "wording", "basis", "score", "from",
            "status", "text"]
    df = pd.DataFrame(rows, columns=cols)
    df["cycle"] = df["cycle"].astype("int64")
    df["class"] = pd.Categorical(df["class"], categories=["origin", "carried", "evolved", "dropped"])
    df["basis"] = pd.Categorical(df["basis"], categories=["inferred", "confirmed"])
    df["score"] = df["score"].astype("float64")
    for col in ("lineage", "plan", "wording"):
        df[col] = df[col].astype("str")
    for col in ("item", "level", "from", "status", "text"):
        df[col] = _objects(df[col])
    return df


def _objects(series):
    """An object column whose missing values are ``None`` (not NaN), whatever pandas inferred."""
    out = series.astype("object")
    return out.where(out.notna(), None)


def _lineage_row(lineage_id, k, plan_id, unit, cls, wording, basis, score, source):
    return {
        "lineage": lineage_id, "cycle": k + 1, "plan": plan_id,
        "item": unit.id if unit else None, "level": unit.level if unit else None,
        "class": cls, "wording": wording, "basis": basis, "score": score, "from": source,
        "status": unit.status if unit else None, "text": unit.text if unit else None,
    }
