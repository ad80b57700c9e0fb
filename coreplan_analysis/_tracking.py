"""The tracking sheet: one row per action (leaf item), for following progress after a retreat.

Core keeps a "Strategic Goals Tracking Sheet"; :func:`tracking_frames` builds its tables from a
:class:`~coreplan_analysis.PlanSet` and :func:`write_tracking_sheet` writes them as one workbook:
a ``Summary`` sheet (status counts per area and plan) and one sheet per plan, each row an action
with its plan, area, goal, owners, values, streams, status and what became of it in the next (or
previous) cycle, plus empty ``Progress`` and ``Notes`` columns for people to fill in. The header
is frozen, every sheet has filters, and ``Status`` offers the status vocabulary as a drop-down.

Values and streams carry their basis in words: ``(stated)`` for what the plan says (an area's
"Core Values:" line), ``(confirmed)`` for what a person recorded, ``(inferred)`` for what the
alignment computed. The workbook is byte-identical for the same plans (see
:func:`~coreplan_analysis._export.write_workbook`). This module assembles tables computed
elsewhere; it computes no analysis of its own.
"""

from __future__ import annotations

import re

from ._model import STATUS_KINDS

__all__ = ["TRACKING_COLUMNS", "BLANK_COLUMNS", "tracking_frames", "write_tracking_sheet", "sheet_names"]

#: The columns of a plan's sheet, in order (before the blank ones).
TRACKING_COLUMNS = (
    "Plan", "Area", "Goal", "No.", "Action", "Owners", "Values", "Streams", "Status", "Status date",
    "Continuity", "Item id",
)  # fmt: skip

#: Empty columns at the right of every plan's sheet, for people to fill in.
BLANK_COLUMNS = ("Progress", "Notes")

_SUMMARY = "Summary"
_STATUS_WORDS = {
    "completed": "Completed", "revised": "Revised", "new": "New", "in_progress": "In progress",
    "none": "Not marked", "unknown": "Unknown",
}  # fmt: skip
_WIDTHS = {
    "Plan": 16, "Area": 24, "Goal": 36, "No.": 6, "Action": 60, "Owners": 30, "Values": 30,
    "Streams": 24, "Status": 13, "Status date": 11, "Continuity": 36, "Item id": 22,
    "Progress": 30, "Notes": 40,
}  # fmt: skip
_BAD_SHEET_CHARS = re.compile(r"[\\*?:/\[\]]")


def sheet_names(plan_ids) -> dict[str, str]:
    """A valid, distinct Excel sheet name for each plan id (``Summary`` is taken).

    Examples
    --------
    >>> sheet_names(["core-2021-2022", "a/b:c", "summary", "x" * 40])  # doctest: +NORMALIZE_WHITESPACE
    {'core-2021-2022': 'core-2021-2022', 'a/b:c': 'a-b-c', 'summary': 'summary (2)',
     'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'}
    """
    taken = {_SUMMARY.casefold(), "lists"}
    out = {}
    for pid in plan_ids:
        base = _BAD_SHEET_CHARS.sub("-", str(pid)).strip("'") or "plan"
        name, k = base[:31], 1
        while name.casefold() in taken:
            k += 1
            suffix = f" ({k})"
            name = base[: 31 - len(suffix)] + suffix
        taken.add(name.casefold())
        out[pid] = name
    return out


def _plans(planset):
    return [planset] if hasattr(planset, "areas") else list(planset)


def _basis_join(groups) -> str:
    """``[(basis, [names])]`` as ``"A, B (stated); C (inferred)"``."""
    return "; ".join(f"{', '.join(names)} ({basis})" for basis, names in groups if names)


def _concepts_by_item(align_df, kind):
    """``{item: [(basis, [concept names])]}`` for rows that count (stated, confirmed, or inferred
    at or above the threshold), in the table's concept order, each name once (strongest basis)."""
    out: dict = {}
    if align_df is None or len(align_df) == 0:
        return out
    df = align_df[align_df["concept_kind"] == kind]
    df = df[(df["basis"] != "inferred") | df["above_threshold"]]
    rank = {"stated": 0, "confirmed": 1, "inferred": 2}
    best: dict = {}
    for item, concept, basis in zip(df["item"], df["concept"], df["basis"]):
        per = best.setdefault(item, {})
        if concept not in per or rank.get(basis, 3) < rank.get(per[concept], 3):
            per[concept] = basis
    for item, per in best.items():
        groups = []
        for basis in ("stated", "confirmed", "inferred"):
            names = [c for c, b in per.items() if b == basis]
            groups.append((basis, names))
        out[item] = groups
    return out


def _continuity_words(crosswalks) -> dict[str, str]:
    """``{item id: what became of it}`` from :class:`~coreplan_analysis._continuity.Crosswalk` s.

    An old item reads "evolved into X", "carried into X", "dropped" or "not found in the copy
    of P"; a new item "evolved from X", "carried from X" or "new in P". An item in two
    crosswalks (a middle cycle) gets both, joined with "; ".
    """
    words: dict[str, list[str]] = {}
    for cw in crosswalks:
        out = cw.outcomes
        for side, item, outcome, linked in zip(out["side"], out["item"], out["outcome"], out["linked"]):
            if side == "old":
                if linked:
                    text = f"{outcome} into {linked}"
                elif outcome == "not found in the copy":
                    text = f"not found in the copy of {cw.new}"
                elif outcome == "dropped":
                    text = f"dropped (not in {cw.new})"
                else:
                    text = f"{outcome} in {cw.new}"
            else:
                if linked:
                    text = f"{outcome} from {linked}"
                elif outcome == "new":
                    text = f"new in {cw.new} (no predecessor in {cw.old})"
                else:
                    text = f"{outcome} from {cw.old}"
            words.setdefault(item, []).append(text)
    return {k: "; ".join(v) for k, v in words.items()}


def tracking_frames(planset, *, align_df=None, crosswalks=()) -> dict:
    """The tracking sheet's tables: ``{"Summary": ..., <sheet name>: ...}``, one per plan.

    Parameters
    ----------
    planset : PlanSet, Plan or list of Plan
        The plans (annotated ones from :func:`~coreplan_analysis.load_catalog` by default).
    align_df : pandas.DataFrame, optional
        A table from :func:`~coreplan_analysis._align.align` for the ``Values`` and ``Streams``
        columns; without it they hold only the values the plan states for the area.
    crosswalks : sequence of Crosswalk, optional
        Crosswalks between consecutive plans, for the ``Continuity`` column (empty without).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``Summary`` first (one row per area, then a total row per plan: actions and status
        counts, actions without an owner), then one sheet per plan in catalog order with the
        columns :data:`TRACKING_COLUMNS`, one row per leaf item in printed order.

    Examples
    --------
    >>> from coreplan_analysis import load_catalog
    >>> sheets = tracking_frames(load_catalog())
    >>> list(sheets), [len(df) for df in sheets.values()]
    (['Summary', 'core-2021-2022', 'core-2022-2025'], [8, 13, 10])
    >>> sheets["core-2022-2025"]["Status"].value_counts().to_dict()
    {'none': 5, 'revised': 2, 'completed': 2, 'new': 1}
    """
    import pandas as pd

    plans = _plans(planset)
    values = _concepts_by_item(align_df, "value")
    streams = _concepts_by_item(align_df, "stream")
    continuity = _continuity_words(crosswalks)
    names = sheet_names([p.id for p in plans])
    sheets: dict = {}
    summary = []
    for plan in plans:
        rows = []
        for area in plan.areas:
            area_title = _area_label(area)
            counts = dict.fromkeys(STATUS_KINDS, 0)
            no_owner = 0
            for goal, leaf in _leaves_with_goal(area):
                counts[leaf.status.kind] = counts.get(leaf.status.kind, 0) + 1
                no_owner += not leaf.owners
                v = values.get(leaf.id)
                if v is None and area.values:  # no alignment table: the area's own values
                    v = [(area.basis if area.basis != "inferred" else "stated", list(area.values))]
                rows.append({
                    "Plan": plan.id,
                    "Area": area_title,
                    "Goal": _goal_label(goal) if goal is not None and goal is not leaf else "",
                    "No.": leaf.number or "",
                    "Action": leaf.text,
                    "Owners": "; ".join(leaf.owners),
                    "Values": _basis_join(v or []),
                    "Streams": _basis_join(streams.get(leaf.id, [])),
                    "Status": leaf.status.kind,
                    "Status date": leaf.status.date or "",
                    "Continuity": continuity.get(leaf.id, ""),
                    "Item id": leaf.id,
                })
            summary.append({"Plan": plan.id, "Area": area_title, "Actions": len(area.leaves()),
                            **{_STATUS_WORDS[k]: counts.get(k, 0) for k in STATUS_KINDS},
                            "Without owner": no_owner})
        area_rows = [r for r in summary if r["Plan"] == plan.id]
        total = {"Plan": plan.id, "Area": "All areas"}
        for key in ["Actions", *(_STATUS_WORDS[k] for k in STATUS_KINDS), "Without owner"]:
            total[key] = sum(r[key] for r in area_rows)
        summary.append(total)
        df = pd.DataFrame(rows, columns=list(TRACKING_COLUMNS))
        sheets[names[plan.id]] = df.astype("str") if len(df) else df
    cols = ["Plan", "Area", "Actions", *(_STATUS_WORDS[k] for k in STATUS_KINDS), "Without owner"]
    out = {_SUMMARY: pd.DataFrame(summary, columns=cols)}
    out.update(sheets)
    return out


def _area_label(area) -> str:
    title = area.title if area.title is not None else "(title lost)"
    return f"{area.number or area.ordinal}. {title}"


def _goal_label(goal) -> str:
    return f"{goal.number}. {goal.text}" if goal.number else goal.text


def _leaves_with_goal(area):
    """``(top-level goal, leaf)`` for every leaf of the area, in printed order."""
    for top in area.items:
        for it in top.walk():
            if it.is_leaf:
                yield top, it


def write_tracking_sheet(planset, path, *, align_df=None, crosswalks=()):
    """Write the tracking sheet (see :func:`tracking_frames`) as an ``.xlsx`` workbook; atomic.

    Each plan's sheet has a frozen header, filters, fitted widths, a ``Status`` drop-down of
    :data:`~coreplan_analysis._model.STATUS_KINDS` and empty :data:`BLANK_COLUMNS`.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from openpyxl import load_workbook
    >>> from coreplan_analysis import load_catalog
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     wb = load_workbook(write_tracking_sheet(load_catalog(), Path(tmp) / "t.xlsx"))
    >>> wb.sheetnames, wb["core-2021-2022"].freeze_panes
    (['Summary', 'core-2021-2022', 'core-2022-2025'], 'A2')
    """
    from ._export import write_workbook

    sheets = tracking_frames(planset, align_df=align_df, crosswalks=crosswalks)
    plan_sheets = [name for name in sheets if name != _SUMMARY]
    widths = {name: dict(_WIDTHS) for name in plan_sheets}
    widths[_SUMMARY] = {"Plan": 16, "Area": 40}
    return write_workbook(
        sheets, path,
        dropdowns={name: {"Status": list(STATUS_KINDS)} for name in plan_sheets},
        blank_columns={name: list(BLANK_COLUMNS) for name in plan_sheets},
        widths=widths,
    )
