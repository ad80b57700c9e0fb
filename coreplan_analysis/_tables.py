"""Tables derived from the model: :func:`to_frames` returns named pandas DataFrames.

Every table has explicit dtypes (categoricals for kinds and statuses, nullable integers for line
numbers and depths, ``str`` for text) and a stable row order (catalog order, then printed order).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from ._model import ITEM_KINDS, STATUS_KINDS
from ._runtime import gc_paused

__all__ = ["Frames", "to_frames", "TABLES"]

#: Table names, in the order they are written.
TABLES = (
    "plans", "sections", "areas", "items", "owners", "values", "streams", "timeline",
    "commitments", "diagnostics",
)

_SEVERITIES = ("error", "warning", "info")
_BASES = ("stated", "inferred", "confirmed")


@dataclass(frozen=True)
class Frames:
    """The plan tables. Iterate for ``(name, DataFrame)`` pairs in :data:`TABLES` order."""

    plans: object
    sections: object
    areas: object
    items: object
    owners: object
    values: object
    streams: object
    timeline: object
    commitments: object
    diagnostics: object

    def __iter__(self):
        for f in fields(self):
            yield f.name, getattr(self, f.name)

    def __getitem__(self, name):
        return getattr(self, name)

    @property
    def leaves(self):
        """The items table restricted to leaves ("one row per action")."""
        return self.items[self.items["is_leaf"]].reset_index(drop=True)


def _frame(rows, schema):
    import pandas as pd

    cols = list(schema)
    df = pd.DataFrame(rows, columns=cols)
    for col, dtype in schema.items():
        if isinstance(dtype, tuple):
            df[col] = pd.Categorical(df[col], categories=list(dtype))
        else:
            df[col] = df[col].astype(dtype)
    return df


def _walk(items) -> list:
    """``(item, its parent's id)`` for *items* and their descendants, depth first in printed
    order (:meth:`Item.walk <coreplan_analysis.Item.walk>`, with the parents, in one pass)."""
    out = []
    stack = [(it, None) for it in reversed(items)]
    while stack:
        it, parent = stack.pop()
        out.append((it, parent))
        if it.children:
            stack.extend([(ch, it.id) for ch in reversed(it.children)])
    return out


@gc_paused()
def to_frames(planset) -> Frames:
    """Tables of every plan in *planset* (a :class:`PlanSet`, a :class:`Plan` or a list of plans).

    Examples
    --------
    >>> from coreplan_analysis import load_catalog
    >>> frames = to_frames(load_catalog())
    >>> frames.items.groupby("plan")["is_leaf"].sum().to_dict()
    {'core-2021-2022': 13, 'core-2022-2025': 10}
    >>> frames.items["status"].value_counts().loc[["completed", "revised", "new"]].tolist()
    [2, 2, 1]
    """
    plans = [planset] if hasattr(planset, "areas") else list(planset)
    rows = {name: [] for name in TABLES}
    # (The two large tables, items and owners, take tuples in their schema's column order.)
    item_rows, owner_rows = rows["items"], rows["owners"]
    for plan in plans:
        n_items = n_leaves = 0
        for k, s in enumerate(plan.sections, start=1):
            rows["sections"].append(dict(plan=plan.id, section=k, kind=s.kind, title=s.title, text=s.text,
                                         line_start=s.span[0], line_end=s.span[1]))
        for a in plan.areas:
            walked = _walk(a.items)
            leaves = sum(1 for it, _ in walked if not it.children)
            n_items, n_leaves = n_items + len(walked), n_leaves + leaves
            rows["areas"].append(dict(
                plan=plan.id, area=a.id, ordinal=a.ordinal, number=a.number, title=a.title,
                statement=a.statement, values="; ".join(a.values), items=len(walked),
                leaves=leaves, basis=a.basis, line_start=a.span[0], line_end=a.span[1],
            ))
            for v in a.values:
                rows["values"].append(dict(plan=plan.id, area=a.id, value=v, basis=a.basis))
            for it, parent in walked:
                item_rows.append((
                    plan.id, a.id, it.id, parent, it.depth, it.kind, it.number, it.text, not it.children,
                    it.status.kind, it.status.date, it.status.text, "; ".join(it.owners), it.owners_raw,
                    "; ".join(it.mentions), it.basis, it.span[0], it.span[1],
                ))
                if it.owners:
                    raw_parts = [x.strip(" *") for x in (it.owners_raw or "").split(";") if x.strip(" *")]
                    for k, o in enumerate(it.owners):
                        owner_rows.append((plan.id, a.id, it.id, o, raw_parts[k] if k < len(raw_parts) else o,
                                           "assigned", it.basis))
                for o in it.mentions:
                    owner_rows.append((plan.id, a.id, it.id, o, o, "mentioned", "stated"))
        rows["plans"].append(dict(
            plan=plan.id, title=plan.title, organisation=plan.organisation,
            start=plan.period[0], end=plan.period[1], path=plan.source.path, sha256=plan.source.sha256,
            lines=plan.source.lines, profile=plan.profile, areas=len(plan.areas),
            items=n_items, leaves=n_leaves,
            diagnostics=sum(d.severity != "info" for d in plan.diagnostics), damaged=plan.damaged,
        ))
        for s in plan.streams:
            rows["streams"].append(dict(plan=plan.id, framework=s.framework, stream=s.name,
                                        line_start=s.span[0], line_end=s.span[1]))
        for t in plan.timeline:
            rows["timeline"].append(dict(plan=plan.id, when=t.when, start=t.start, end=t.end, text=t.text,
                                         owners="; ".join(t.owners), line_start=t.span[0], line_end=t.span[1]))
        for c in plan.commitments:
            rows["commitments"].append(dict(plan=plan.id, text=c.text, owners="; ".join(c.owners),
                                            line_start=c.span[0], line_end=c.span[1]))
        for d in plan.diagnostics:
            rows["diagnostics"].append(dict(plan=plan.id, line=d.line, severity=d.severity, kind=d.kind,
                                            message=d.message))
    S, I, B = "str", "Int64", "boolean"
    schemas = {
        "plans": dict(plan=S, title=S, organisation=S, start=I, end=I, path=S, sha256=S, lines=I, profile=S,
                      areas=I, items=I, leaves=I, diagnostics=I, damaged=B),
        "sections": dict(plan=S, section=I, kind=S, title=S, text=S, line_start=I, line_end=I),
        "areas": dict(plan=S, area=S, ordinal=I, number=S, title=S, statement=S, values=S, items=I, leaves=I,
                      basis=_BASES, line_start=I, line_end=I),
        "items": dict(plan=S, area=S, item=S, parent=S, depth=I, kind=ITEM_KINDS, number=S, text=S, is_leaf=B,
                      status=STATUS_KINDS, status_date=S, status_text=S, owners=S, owners_raw=S, mentions=S,
                      basis=_BASES, line_start=I, line_end=I),
        "owners": dict(plan=S, area=S, item=S, owner=S, raw=S, role=("assigned", "mentioned"), basis=_BASES),
        "values": dict(plan=S, area=S, value=S, basis=_BASES),
        "streams": dict(plan=S, framework=S, stream=S, line_start=I, line_end=I),
        "timeline": dict(plan=S, when=S, start=S, end=S, text=S, owners=S, line_start=I, line_end=I),
        "commitments": dict(plan=S, text=S, owners=S, line_start=I, line_end=I),
        "diagnostics": dict(plan=S, line=I, severity=_SEVERITIES, kind=S, message=S),
    }
    return Frames(**{name: _frame(rows[name], schemas[name]) for name in TABLES})
