"""Charts of the analysis tables: each draws the table it is given and says its finding.

Every chart function takes a table (or a graph, or a crosswalk) and ``ax=None``, draws onto *ax*
(a new figure when ``None``) and returns the :class:`~matplotlib.axes.Axes`. Charts compute no
analysis: they reshape and count what they are given (a pivot, a sum per owner) and put the
result in words.

One style everywhere:

- the colour-blind-safe Okabe-Ito palette (:data:`OKABE_ITO`), and colour never carries meaning
  alone: stated links are hatched and lettered ``S``, inferred ones print their score, statuses
  and continuity classes each have a hatch as well as a colour, gaps are outlined and named in
  the tick labels, graph nodes have a shape per type and edges a line style per basis;
- long labels wrapped (:mod:`textwrap`);
- a title that states the finding, computed from the table given ("3 of 7 values are served by
  no action");
- plain-text alt text for every chart: :func:`alt_text` (a description that states the finding
  and the numbers behind it) and :func:`finding` (the finding alone, the title without line
  breaks). Both take the Axes or its figure.

Empty input draws an Axes whose title says "Nothing to show: ..." instead of raising.
:func:`save_figure` writes PNG (300 dpi), SVG and PDF, byte-identical for the same figure.

The object-oriented matplotlib API only: pyplot is used for nothing but creating a figure when
no *ax* is given, and the backend is never set here.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MPath

from ._export import save_figure

__all__ = [
    "alignment_heatmap",
    "owner_workload",
    "coverage_matrix",
    "continuity_flow",
    "plan_network",
    "timeline",
    "status_summary",
    "alt_text",
    "finding",
    "save_figure",
    "OKABE_ITO",
    "STATUS_STYLE",
    "CLASS_STYLE",
]

#: The Okabe-Ito colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
    "grey": "#BBBBBB",
}

#: How each status is drawn: ``(colour, hatch, legend label)``, in the model's status order.
STATUS_STYLE = {
    "completed": (OKABE_ITO["bluish_green"], "++", "completed"),
    "revised": (OKABE_ITO["orange"], "//", "revised"),
    "new": (OKABE_ITO["blue"], "\\\\", "new"),
    "in_progress": (OKABE_ITO["sky_blue"], "..", "in progress"),
    "none": ("#DDDDDD", "", "no status"),
    "unknown": ("#FFFFFF", "xx", "status unknown"),
}

#: How each continuity class is drawn: ``(colour, hatch)``.
CLASS_STYLE = {
    "carried": (OKABE_ITO["blue"], ""),
    "evolved": (OKABE_ITO["sky_blue"], "//"),
    "completed": (OKABE_ITO["bluish_green"], "++"),
    "dropped": (OKABE_ITO["vermillion"], "xx"),
    "new": (OKABE_ITO["orange"], ".."),
    "in part": ("#DDDDDD", "--"),
}

#: Score shading: white to Okabe-Ito blue.
_SCORE_CMAP = LinearSegmentedColormap.from_list("coreplan_score", ["#FFFFFF", OKABE_ITO["blue"]])
#: Count shading (coverage): white to bluish green.
_COUNT_CMAP = LinearSegmentedColormap.from_list("coreplan_count", ["#FFFFFF", OKABE_ITO["bluish_green"]])

_STATED_HATCH = "///"
_EDGE = "#333333"
_TITLE_WIDTH = 72
_SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
_ATTR = "_coreplan_chart"


# ---------------------------------------------------------------------------------------------
# Alt text, titles and shared helpers
# ---------------------------------------------------------------------------------------------


def _axes_of(obj):
    """The chart Axes of *obj* (an Axes, or a figure whose Axes are searched in order)."""
    if hasattr(obj, "get_axes") and not hasattr(obj, "get_xlim"):
        return [a for a in obj.get_axes() if hasattr(a, _ATTR)]
    return [obj] if hasattr(obj, _ATTR) else []


def alt_text(obj) -> str:
    """Plain-text alt text of a chart: what is drawn, its finding and the numbers behind it.

    Parameters
    ----------
    obj : matplotlib.axes.Axes or matplotlib.figure.Figure
        An Axes a chart function returned, or its figure (the alt texts of all charts on the
        figure, in order, separated by a blank line).

    Returns
    -------
    str
        The alt text; ``""`` for an Axes no chart function drew.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> ax = status_summary(pd.DataFrame(columns=["plan", "status"]), ax=Figure().subplots())
    >>> alt_text(ax)
    'Status summary chart. Nothing to show: no items.'
    """
    return "\n\n".join(getattr(a, _ATTR)["alt"] for a in _axes_of(obj))


def finding(obj) -> str:
    """The finding a chart states in its title, as one line of plain text.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> ax = status_summary(pd.DataFrame({"plan": ["p", "p"], "status": ["completed", "none"]}),
    ...                     ax=Figure().subplots())
    >>> finding(ax)
    'p: 1 of 2 actions completed'
    """
    return " ".join(getattr(a, _ATTR)["finding"] for a in _axes_of(obj))


def _axes(ax, figsize):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _finish(ax, chart: str, text: str, details: Sequence[str] = (), *, pad: float | None = None) -> None:
    """Title *ax* with the finding and record the finding and alt text on it."""
    ax.set_title(textwrap.fill(text, _TITLE_WIDTH), fontsize=11, pad=pad)
    alt = " ".join([f"{chart} chart.", _sentence(text), *(_sentence(d) for d in details if d)])
    setattr(ax, _ATTR, {"chart": chart, "finding": text, "alt": alt})


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _nothing(ax, chart: str, reason: str):
    """An Axes saying there is nothing to show (empty input is not an error)."""
    ax = _axes(ax, (6, 2))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    _finish(ax, chart, f"Nothing to show: {reason}")
    return ax


def _is_empty(table) -> bool:
    return table is None or len(table) == 0


def _wrap(label, width: int = 28, max_lines: int | None = None) -> str:
    text = " ".join(str(label).split())
    lines = textwrap.wrap(text, width) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = textwrap.shorten(lines[-1] + " ...", width, placeholder="...")
        if not lines[-1].endswith("..."):
            lines[-1] += "..."
    return "\n".join(lines)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _and(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _text(value) -> str | None:
    """A cell as text, or ``None`` when missing or blank."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    return text or None


def _ordered_unique(values) -> list:
    seen, out = set(), []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


def _label_map(labels) -> dict:
    """Display labels by id from a mapping, a Series, a DataFrame or a Frames object."""
    if labels is None:
        return {}
    if isinstance(labels, Mapping):
        return {k: str(v) for k, v in labels.items() if _text(v)}
    if isinstance(labels, pd.Series):
        return {k: str(v) for k, v in labels.items() if _text(v)}
    if isinstance(labels, pd.DataFrame):
        out = {}
        if {"area", "title"} <= set(labels.columns):
            out.update({a: t for a, t in zip(labels["area"], labels["title"]) if _text(t)})
        if {"item", "text"} <= set(labels.columns):
            numbers = labels["number"] if "number" in labels.columns else [None] * len(labels)
            out.update({i: (f"{_text(n)} {t}" if _text(n) else str(t))
                        for i, t, n in zip(labels["item"], labels["text"], numbers) if _text(t)})
        return out
    if hasattr(labels, "items") and hasattr(labels, "areas"):  # Frames
        return {**_label_map(labels.areas), **_label_map(labels.items)}
    raise TypeError(f"labels: expected a mapping, Series, DataFrame or Frames, not {type(labels).__name__}")


def _legend(ax, handles, **kwargs):
    if handles:
        kwargs.setdefault("loc", "upper left")
        kwargs.setdefault("bbox_to_anchor", (1.01, 1.0))
        kwargs.setdefault("frameon", False)
        kwargs.setdefault("fontsize", 8)
        ax.legend(handles=handles, **kwargs)


def _status_patch(status: str) -> Patch:
    colour, hatch, label = STATUS_STYLE[status]
    return Patch(facecolor=colour, hatch=hatch, edgecolor=_EDGE, linewidth=0.5, label=label)


def _basis(df: pd.DataFrame) -> pd.Series:
    if "basis" in df.columns:
        return df["basis"].astype(object)
    return pd.Series("inferred", index=df.index, dtype=object)


def _serving(df: pd.DataFrame) -> pd.Series:
    """Rows whose item serves the concept by its text: inferred at or above the threshold
    (``above_threshold``; every inferred row when the column is missing), or confirmed."""
    basis = _basis(df)
    if "above_threshold" in df.columns:
        above = df["above_threshold"].astype(object).map(lambda v: _text(v) is not None and bool(v))
    else:
        above = pd.Series(True, index=df.index)
    return (basis == "confirmed") | ((basis == "inferred") & above.astype(bool))


def _concept_word(kind: str, n: int = 2) -> str:
    word = {"value": "value", "stream": "stream"}.get(kind, "concept")
    return word if n == 1 else word + "s"


# ---------------------------------------------------------------------------------------------
# Alignment heat map
# ---------------------------------------------------------------------------------------------


def _plan_groups(keys, plan_of):
    """[(plan, first index, last index)] for runs of consecutive *keys* of the same plan."""
    groups = []
    for k, key in enumerate(keys):
        p = plan_of.get(key)
        if groups and groups[-1][0] == p:
            groups[-1][2] = k
        else:
            groups.append([p, k, k])
    return [tuple(g) for g in groups]


def _plan_of_ids(ids, df=None, column=None) -> dict:
    """Plan of each row/column id: the table's ``plan`` column, else the id's first part."""
    out = {}
    if df is not None and column in df.columns and "plan" in df.columns:
        out = dict(zip(df[column].astype(object), df["plan"].astype(object)))
    return {i: out.get(i) or str(i).split("/", 1)[0] for i in ids}


def _served_phrase(unserved: dict, n: int, word: str, single: bool) -> str:
    """'1 of 7 values is served by no action' (one plan) or per plan."""
    if single:
        (plan, names), = unserved.items()
        u = len(names)
        if u == 0:
            return f"Every {word} is served by at least one action"
        text = f"{u} of {_plural(n, word)} {'is' if u == 1 else 'are'} served by no action"
        return text + (f" ({', '.join(names)})" if u <= 3 else "")
    if not any(unserved.values()):
        return f"Every {word} is served by at least one action in each plan"
    parts = []
    for plan, names in unserved.items():
        u = len(names)
        part = f"{u} of {n} in {plan}"
        if 0 < u <= 3:
            part += f" ({', '.join(names)})"
        parts.append(part)
    return f"{word.capitalize()}s served by no action: " + "; ".join(parts)


def alignment_heatmap(align_df, *, rows="item", columns="value", concepts=None, labels=None, ax=None):
    """Items (or areas) by values (or streams): which links the plan states, which are inferred.

    One cell per row and concept with a link. A link the plan **states** (an area's values,
    inherited by its items) is hatched (``///``) and lettered ``S``; a link a person
    **confirmed** is lettered ``C``; an **inferred** link at or above the threshold
    (``above_threshold``) is shaded by its score and prints the score (``.42``), so colour is
    never the only carrier of meaning. Inferred rows below the threshold are not drawn. A cell
    aggregates the rows it covers (with ``rows="area"`` all the area's items): the strongest
    inferred score, and S or C when any of its links is stated or confirmed. Rows and columns
    keep the table's order; rows of different plans are separated by a rule and named on the
    right.

    The title counts, per plan, the concepts that no action serves by its text (no inferred link
    at or above the threshold, and none confirmed): the plan's own mapping (stated) is drawn but
    not counted, as in the ``value-unserved`` gap rule.

    Parameters
    ----------
    align_df : pandas.DataFrame
        The alignment table (columns ``plan``, ``item``, ``area``, ``kind``, ``concept``,
        ``concept_kind``, ``basis``, ``score``, ``above_threshold``; as
        :func:`~coreplan_analysis.align` returns).
    rows : {"item", "area"}, default "item"
    columns : {"value", "stream"}, default "value"
        Which concepts to draw (rows of ``align_df`` with that ``concept_kind``).
    concepts : sequence of str, optional
        The columns, in order: give the full list (e.g. every value of the reference) so a
        concept absent from the table still shows as an empty column. Default: those in the
        table, in its order.
    labels : mapping, Series, DataFrame or Frames, optional
        Display labels by item or area id (``frames``: item number and text, area titles).
        Default: the ids.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        With the finding as title; see :func:`finding` and :func:`alt_text`.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> df = pd.DataFrame({"plan": "p", "area": "p/1", "item": ["p/1/1", "p/1/1", "p/1/2"],
    ...     "kind": "action", "concept": ["Inclusion", "Diversity", "Inclusion"],
    ...     "framework": "Core values", "concept_kind": "value", "basis": ["stated", "inferred", "inferred"],
    ...     "score": [1.0, 0.1, 0.45], "evidence": "", "above_threshold": [True, False, True]})
    >>> ax = alignment_heatmap(df, ax=Figure().subplots())
    >>> finding(ax)
    '1 of 2 values is served by no action (Diversity)'
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['Inclusion', 'Diversity']
    """
    chart = "Alignment heat map"
    if rows not in ("item", "area"):
        raise ValueError(f"rows must be 'item' or 'area', not {rows!r}")
    if columns not in ("value", "stream"):
        raise ValueError(f"columns must be 'value' or 'stream', not {columns!r}")
    word = _concept_word(columns)
    if _is_empty(align_df):
        return _nothing(ax, chart, "no alignment rows")
    df = align_df
    if "concept_kind" in df.columns:
        df = df[df["concept_kind"].astype(object) == columns]
    cols = list(concepts) if concepts is not None else _ordered_unique(df["concept"].astype(object))
    row_ids = _ordered_unique(df[rows].astype(object))
    if not row_ids or not cols:
        return _nothing(ax, chart, f"no {word} in the alignment table")
    names = _label_map(labels)
    plan_of = _plan_of_ids(row_ids, df, rows)
    plans = _ordered_unique(plan_of[r] for r in row_ids)

    basis = _basis(df)
    serving = _serving(df)
    score = pd.to_numeric(df["score"], errors="coerce") if "score" in df.columns else pd.Series(float("nan"), index=df.index)
    cells = {}
    for r, c, b, s, ok in zip(df[rows].astype(object), df["concept"].astype(object), basis, score, serving):
        if c not in cols or not (ok or b == "stated"):
            continue
        cell = cells.setdefault((r, c), {"stated": False, "confirmed": False, "score": None})
        if b == "stated":
            cell["stated"] = True
        elif b == "confirmed":
            cell["confirmed"] = True
        elif not math.isnan(s):
            cell["score"] = s if cell["score"] is None else max(cell["score"], s)

    ax = _axes(ax, (4.5 + 0.95 * len(cols) + 3.0, 2.0 + 0.42 * len(row_ids)))
    y_of = {r: k for k, r in enumerate(row_ids)}
    x_of = {c: k for k, c in enumerate(cols)}
    n_stated = n_inferred = n_confirmed = 0
    for (r, c), cell in cells.items():
        sc = cell["score"]
        face = _SCORE_CMAP(min(max(sc, 0.0), 1.0)) if sc is not None else "#FFFFFF"
        ax.add_patch(Rectangle(
            (x_of[c] - 0.5, y_of[r] - 0.5), 1, 1, facecolor=face, edgecolor=_EDGE, linewidth=0.5,
            hatch=_STATED_HATCH if cell["stated"] else None, gid="cell",
        ))
        marks = []
        if cell["stated"]:
            marks.append("S")
            n_stated += 1
        if cell["confirmed"]:
            marks.append("C")
            n_confirmed += 1
        if sc is not None:
            marks.append(f"{sc:.2f}".lstrip("0") if sc < 1 else "1")
            n_inferred += 1
        boxed = cell["stated"]
        ax.text(x_of[c], y_of[r], " ".join(marks), ha="center", va="center", fontsize=7,
                color="white" if (sc is not None and sc > 0.6 and not boxed) else "black",
                bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85) if boxed else None)
    ax.set_xlim(-0.5, len(cols) - 0.5)
    ax.set_ylim(len(row_ids) - 0.5, -0.5)
    ax.set_xticks(range(len(cols)), [_wrap(c, 14) for c in cols], fontsize=8)
    ax.set_yticks(range(len(row_ids)), [_wrap(names.get(r, r), 40, 3) for r in row_ids], fontsize=8)
    if rows == "item" and "kind" in df.columns:  # goals in bold: the hierarchy without colour
        goals = set(df.loc[df["kind"].astype(object) == "goal", "item"].astype(object))
        for tick, r in zip(ax.get_yticklabels(), row_ids):
            if r in goals:
                tick.set_fontweight("bold")
    ax.tick_params(length=0)
    ax.set_xlabel(word.capitalize())
    ax.set_ylabel("Area" if rows == "area" else "Goal (bold) or action")
    if len(plans) > 1:
        for plan, first, last in _plan_groups(row_ids, plan_of):
            if first:
                ax.axhline(first - 0.5, color="black", linewidth=1.5)
            ax.text(1.01, (first + last) / 2, _wrap(plan, 18), rotation=270, ha="left", va="center", fontsize=8,
                    transform=ax.get_yaxis_transform(), gid="plan-label")

    action = df["kind"].astype(object) == "action" if "kind" in df.columns else pd.Series(True, index=df.index)
    served_df = df[serving & action]
    unserved = {}
    for plan in plans:
        in_plan = served_df[[plan_of.get(r) == plan for r in served_df[rows].astype(object)]] if len(served_df) else served_df
        got = set(in_plan["concept"].astype(object)) if len(in_plan) else set()
        unserved[plan] = [c for c in cols if c not in got]
    text = _served_phrase(unserved, len(cols), columns, single=len(plans) == 1)
    handles = [Patch(facecolor="#FFFFFF", hatch=_STATED_HATCH, edgecolor=_EDGE, label="S: stated by the plan")]
    if n_confirmed:
        handles.append(Patch(facecolor="#FFFFFF", edgecolor=_EDGE, label="C: confirmed by a person"))
    handles += [
        Patch(facecolor=_SCORE_CMAP(0.3), edgecolor=_EDGE, label="inferred, score .30 (printed)"),
        Patch(facecolor=_SCORE_CMAP(0.8), edgecolor=_EDGE, label="inferred, score .80 (printed)"),
    ]
    _legend(ax, handles, bbox_to_anchor=(1.05 if len(plans) > 1 else 1.01, 1.0))
    _finish(ax, chart, text, [
        f"Rows: {_plural(len(row_ids), 'goal or action', 'goals and actions') if rows == 'item' else _plural(len(row_ids), 'area')}"
        + (f" of {_and(plans)}" if plans else "") + f"; columns: {_plural(len(cols), columns)} ({', '.join(cols)})",
        f"{_plural(len(cells), 'cell')} hold a link: {n_stated} stated by the plan (hatched, marked S), "
        + (f"{n_confirmed} confirmed by a person (marked C), " if n_confirmed else "")
        + f"{n_inferred} inferred from the words at or above the threshold (shaded, score printed)",
        "Served means an action's words carry an inferred link at or above the threshold, or a person confirmed one; "
        "the plan's stated mapping is drawn but not counted",
    ])
    return ax


# ---------------------------------------------------------------------------------------------
# Owner workload
# ---------------------------------------------------------------------------------------------


def _owner_table(data, items=None) -> pd.DataFrame:
    """Assigned (plan, item, owner, status) rows from Frames or an owner table."""
    if not isinstance(data, pd.DataFrame) and hasattr(data, "owners") and hasattr(data, "items"):
        owners, items = data.owners, data.items
    else:
        owners = data
    df = owners.copy()
    if "role" in df.columns:
        df = df[df["role"].astype(object) == "assigned"]
    if items is not None and "item" in df.columns:
        extra = [c for c in ("kind", "status") if c in items.columns and c not in df.columns]
        if extra:
            df = df.merge(items[["item", *extra]].drop_duplicates("item"), on="item", how="left")
    if "kind" in df.columns:
        df = df[df["kind"].astype(object) == "action"]
    if "status" in df.columns:
        df["status"] = df["status"].astype(object).map(lambda s: _text(s) or "unknown")
    else:
        df["status"] = "none"
    keys = [c for c in ("plan", "item", "owner") if c in df.columns]
    return df.drop_duplicates(keys).reset_index(drop=True)


def owner_workload(data, *, items=None, plan=None, ax=None):
    """Actions per owner (assigned only), stacked by status; horizontal bars, busiest on top.

    Parameters
    ----------
    data : Frames or pandas.DataFrame
        ``frames`` (its ``owners`` joined to its ``items`` for kind and status), or an owner
        table with columns ``owner``, ``item`` and optionally ``role``, ``kind``, ``status``,
        ``plan``.
    items : pandas.DataFrame, optional
        An items table to take ``kind`` and ``status`` from when *data* is an owner table.
    plan : str, optional
        Draw only this plan's actions. Default: every plan in the table.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        One bar per owner (sorted by count, then name), one segment per status (colour and
        hatch), the total at the bar's end; the title names the busiest owner.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> owners = pd.DataFrame({"item": ["a", "b", "b"], "owner": ["Board", "Board", "Staff"],
    ...                        "role": "assigned", "status": ["none", "completed", "completed"]})
    >>> ax = owner_workload(owners, ax=Figure().subplots())
    >>> finding(ax)
    'Board carries the most actions (2 of 2)'
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Board', 'Staff']
    """
    chart = "Owner workload"
    if _is_empty(getattr(data, "owners", data) if not isinstance(data, pd.DataFrame) else data):
        return _nothing(ax, chart, "no owners in the table")
    df = _owner_table(data, items)
    if plan is not None and "plan" in df.columns:
        df = df[df["plan"].astype(object) == plan]
    if df.empty:
        return _nothing(ax, chart, "no action is assigned to an owner" + (f" in {plan}" if plan else ""))

    counts = df.groupby(["owner", "status"]).size().unstack(fill_value=0)
    statuses = [s for s in STATUS_STYLE if s in counts.columns] + [s for s in counts.columns if s not in STATUS_STYLE]
    counts = counts[statuses]
    totals = counts.sum(axis=1)
    order = sorted(totals.index, key=lambda o: (-int(totals[o]), str(o).casefold()))
    counts = counts.loc[order]
    n = len(order)
    ax = _axes(ax, (9, 1.6 + 0.38 * n))
    left = pd.Series(0, index=order)
    ys = list(range(n))
    for status in statuses:
        colour, hatch, label = STATUS_STYLE.get(status, ("#FFFFFF", "--", status))
        ax.barh(ys, counts[status].tolist(), left=left.tolist(), color=colour, hatch=hatch,
                edgecolor=_EDGE, linewidth=0.5, label=label, height=0.7)
        left += counts[status]
    for y, o in zip(ys, order):
        ax.text(int(totals[o]) + 0.08, y, str(int(totals[o])), va="center", ha="left", fontsize=8)
    ax.set_yticks(ys, [_wrap(o, 34) for o in order], fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, int(totals.max()) * 1.12 + 0.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("Actions assigned")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _legend(ax, [_status_patch(s) if s in STATUS_STYLE else Patch(label=s) for s in statuses], title="Status")

    top = int(totals.max())
    leaders = [o for o in order if int(totals[o]) == top]
    n_actions = df[[c for c in ("plan", "item") if c in df.columns]].drop_duplicates().shape[0]
    if len(leaders) == 1:
        text = f"{leaders[0]} carries the most actions ({top} of {n_actions})"
    elif len(leaders) <= 3:
        text = f"{_and(leaders)} carry the most actions ({top} each of {n_actions})"
    else:
        text = f"{len(leaders)} owners tie for the most actions ({top} each of {n_actions})"
    plans = _ordered_unique(df["plan"].astype(object)) if "plan" in df.columns else []
    _finish(ax, chart, text, [
        f"Horizontal bars: {_plural(n, 'owner')} of {_plural(n_actions, 'assigned action')}"
        + (f" in {_and(plans)}" if plans else "") + ", stacked by status",
        "; ".join(f"{o}: {int(totals[o])}" for o in order),
        "Statuses: " + ", ".join(f"{STATUS_STYLE.get(s, (0, 0, s))[2]} {int(counts[s].sum())}" for s in statuses),
    ])
    return ax


# ---------------------------------------------------------------------------------------------
# Coverage matrix
# ---------------------------------------------------------------------------------------------


def _area_columns(align_df, areas):
    """(area ids in order, labels by id, plan by id)."""
    ids, names, plans = [], {}, {}
    if areas is None:
        ids = _ordered_unique(align_df["area"].astype(object)) if "area" in align_df.columns else []
    elif isinstance(areas, pd.DataFrame):
        ids = list(areas["area"].astype(object))
        names = _label_map(areas[[c for c in ("area", "title") if c in areas.columns]])
        if "plan" in areas.columns:
            plans = dict(zip(areas["area"].astype(object), areas["plan"].astype(object)))
    elif isinstance(areas, Mapping):
        ids = list(areas)
        names = {k: str(v) for k, v in areas.items() if _text(v)}
    else:
        ids = list(areas)
    if "plan" in align_df.columns and "area" in align_df.columns:
        for a, p in zip(align_df["area"].astype(object), align_df["plan"].astype(object)):
            plans.setdefault(a, p)
    for a in ids:
        plans.setdefault(a, str(a).split("/", 1)[0])
    return ids, names, plans


def _gap_concept(subject: str, keys: Mapping) -> tuple | None:
    """The (kind, concept) row a gap's subject names: the name itself, ``value:<name>`` or
    ``stream:<framework>:<name>``."""
    if subject in keys:
        return keys[subject]
    for prefix, kind in (("value:", "value"), ("stream:", "stream")):
        if subject.startswith(prefix):
            name = subject[len(prefix):]
            if kind == "stream":
                name = name.rsplit(":", 1)[-1]
            if (kind, name) in keys.values():
                return (kind, name)
    return None


def _named_concept(message: str, area_label: str | None, keys: Mapping) -> tuple | None:
    """The one concept a gap's message names (the area's own title left out), else ``None``."""
    import re

    text = message.replace(area_label, " ") if area_label else message
    found = {keys[c] for c in keys if re.search(rf"(?<!\w){re.escape(c)}(?!\w)", text)}
    return found.pop() if len(found) == 1 else None


def coverage_matrix(align_df, gaps_df, *, areas=None, concepts=None, ax=None):
    """Concepts (values, then streams) by areas: how many items serve each, with gaps marked.

    A cell prints how many of the area's goals and actions serve the concept by their text
    (inferred at or above the threshold, or confirmed) and is shaded by that number; a cell
    where the plan **states** the link (the area names the value) is hatched (``///``) and
    prints ``0`` when no item's text supports it. Gaps from *gaps_df* are marked with a dashed
    outline and words, never colour alone:

    - a gap about a concept (``subject`` ``value:<name>``, ``stream:<framework>:<name>`` or the
      name) outlines the concept's row across the areas of the gap's plan and adds
      ``[gap: <severity>]`` to the row label;
    - a gap about an area whose message names exactly one concept (say, "names the value
      Collaboration, but none of its actions' text supports it") outlines that cell and writes
      ``gap`` in it;
    - other gaps about an area or one of its items are counted in the column label
      (``[2 gaps]``); gaps about a whole plan under its heading; gaps about owners are only
      counted in the alt text (see :func:`owner_workload`).

    Parameters
    ----------
    align_df : pandas.DataFrame
        The alignment table (``plan``, ``area``, ``item``, ``concept``, ``concept_kind``,
        ``basis``, ``above_threshold``).
    gaps_df : pandas.DataFrame or None
        The gaps table (``rule``, ``severity``, ``plan``, ``subject``, ``message``).
    areas : DataFrame, mapping or sequence, optional
        The columns in order: ``frames.areas`` (ids, titles as labels, plans), a mapping id ->
        title, or ids. Give it so an area with no link (one whose items were lost) still shows.
        Default: the areas in *align_df*.
    concepts : sequence of str, optional
        Value (and stream) names to show as rows, in order. Default: those in the table.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> df = pd.DataFrame({"plan": "p", "area": ["p/1", "p/2"], "item": ["p/1/1", "p/2/1"],
    ...     "kind": "action", "concept": ["Inclusion", "Inclusion"], "concept_kind": "value",
    ...     "basis": "inferred", "score": 0.5, "above_threshold": True})
    >>> gaps = pd.DataFrame({"rule": ["value-unserved"], "severity": ["high"], "plan": ["p"],
    ...     "subject": ["value:Diversity"], "message": ["No action serves Diversity."], "evidence": [""]})
    >>> ax = coverage_matrix(df, gaps, concepts=["Inclusion", "Diversity"], ax=Figure().subplots())
    >>> finding(ax)
    '1 of 2 values (Diversity) is flagged as a coverage gap'
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Inclusion', 'Diversity\\n[gap: high]']
    """
    chart = "Coverage matrix"
    align_df = align_df if align_df is not None else pd.DataFrame(columns=["area", "concept"])
    col_ids, col_names, plan_of = _area_columns(align_df, areas)
    kinds = (align_df["concept_kind"].astype(object) if "concept_kind" in align_df.columns
             else pd.Series("value", index=align_df.index, dtype=object))
    seen = _ordered_unique(zip(kinds, align_df["concept"].astype(object))) if len(align_df) else []
    if concepts is not None:
        known = {c: k for k, c in seen}
        row_keys = [(known.get(c, "value"), c) for c in concepts]
    else:
        row_keys = seen
    row_keys = sorted(row_keys, key=lambda kc: 0 if kc[0] == "value" else 1)  # stable: table order within kind
    if not row_keys or not col_ids:
        return _nothing(ax, chart, "no concepts or no areas to cross")

    count, stated = {}, set()
    if len(align_df):
        basis = _basis(align_df)
        serving = _serving(align_df)
        item_col = align_df["item"].astype(object) if "item" in align_df.columns else align_df.index.to_series()
        members: dict = {}
        for k, c, a, i, b, ok in zip(kinds, align_df["concept"].astype(object), align_df["area"].astype(object),
                                     item_col, basis, serving):
            if ok:
                members.setdefault(((k, c), a), set()).add(i)
            if b == "stated":
                stated.add(((k, c), a))
        count = {key: len(v) for key, v in members.items()}

    # Where each gap goes.
    keys = {}
    for k, c in row_keys:
        keys.setdefault(c, (k, c))
    row_gaps: dict[tuple, list] = {}
    cell_gaps: dict[tuple, list] = {}
    col_gaps = {a: 0 for a in col_ids}
    plan_ids = _ordered_unique(plan_of[a] for a in col_ids)
    plan_gaps = {p: 0 for p in plan_ids}
    other = 0
    if gaps_df is not None and len(gaps_df):
        for _, g in gaps_df.iterrows():
            subject = _text(g.get("subject")) or ""
            sev = _text(g.get("severity")) or "low"
            gplan = _text(g.get("plan"))
            rk = _gap_concept(subject, keys)
            if rk is not None:
                row_gaps.setdefault(rk, []).append((sev, gplan))
                continue
            area = next((a for a in col_ids if subject == a), None)
            if area is not None:
                rk = _named_concept(_text(g.get("message")) or "", col_names.get(area), keys)
                if rk is not None:
                    cell_gaps.setdefault((rk, area), []).append(sev)
                    continue
            area = area or next((a for a in col_ids if subject.startswith(f"{a}/")), None)
            if area is not None:
                col_gaps[area] += 1
            elif subject in plan_gaps:
                plan_gaps[subject] += 1
            else:
                other += 1

    n_rows, n_cols = len(row_keys), len(col_ids)
    ax = _axes(ax, (3.0 + 1.5 * n_cols + 2.5, 2.2 + 0.5 * n_rows))
    vmax = max(count.values(), default=1) or 1
    y_of = {rk: k for k, rk in enumerate(row_keys)}
    x_of = {a: k for k, a in enumerate(col_ids)}
    n_cells = 0
    for key in _ordered_unique([*count, *stated]):
        rk, a = key
        if rk not in y_of or a not in x_of:
            continue
        n = count.get(key, 0)
        n_cells += bool(n)
        is_stated = key in stated
        face = _COUNT_CMAP(0.15 + 0.85 * n / vmax) if n else "#FFFFFF"
        ax.add_patch(Rectangle((x_of[a] - 0.5, y_of[rk] - 0.5), 1, 1, facecolor=face, edgecolor=_EDGE,
                               linewidth=0.5, hatch=_STATED_HATCH if is_stated else None, gid="cell"))
        label = str(n) + ("\ngap" if key in cell_gaps else "")
        ax.text(x_of[a], y_of[rk], label, ha="center", va="center", fontsize=9,
                color="white" if (n / vmax > 0.6 and not is_stated) else "black",
                bbox=dict(boxstyle="square,pad=0.15", facecolor="white", edgecolor="none", alpha=0.85) if is_stated else None)

    def outline(x0, x1, y, pad):
        ax.add_patch(Rectangle((x0 - 0.5 + pad, y - 0.5 + pad), x1 - x0 + 1 - 2 * pad, 1 - 2 * pad, fill=False,
                               edgecolor=OKABE_ITO["vermillion"], linewidth=2, linestyle="--", gid="gap"))

    for rk, gs in row_gaps.items():
        plans = {p for _, p in gs}
        marked = {x_of[a] for a in col_ids if None in plans or plan_of.get(a) in plans or not plans & set(plan_ids)}
        start = None
        for x in range(n_cols + 1):  # one outline per run of adjacent marked columns
            if x in marked and start is None:
                start = x
            elif x not in marked and start is not None:
                outline(start, x - 1, y_of[rk], 0.04)
                start = None
    for (rk, a), sevs in cell_gaps.items():
        if (rk, a) not in stated and (rk, a) not in count:  # a cell with nothing drawn still says "gap"
            ax.text(x_of[a], y_of[rk], "gap", ha="center", va="center", fontsize=9)
        outline(x_of[a], x_of[a], y_of[rk], 0.1)
    both = len({k for k, _ in row_keys}) > 1

    def row_label(rk):
        k, c = rk
        label = _wrap(("stream: " if both and k == "stream" else "") + c, 26)
        if rk in row_gaps:
            sev = min((s for s, _ in row_gaps[rk]), key=lambda s: _SEVERITY_RANK.get(s, 3))
            label += f"\n[gap: {sev}]"
        return label

    def col_label(a):
        label = _wrap(col_names.get(a, a), 16, 4)
        if col_gaps[a]:
            label += f"\n[{_plural(col_gaps[a], 'gap')}]"
        return label

    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.set_yticks(range(n_rows), [row_label(rk) for rk in row_keys], fontsize=8)
    ax.set_xticks(range(n_cols), [col_label(a) for a in col_ids], fontsize=8)
    ax.tick_params(length=0)
    ax.set_xlabel("Area")
    headed = len(plan_ids) > 1 or any(plan_gaps.values())
    if headed:
        for plan, first, last in _plan_groups(col_ids, plan_of):
            if first:
                ax.axvline(first - 0.5, color="black", linewidth=1.5)
            head = plan + (f" [{_plural(plan_gaps[plan], 'plan gap')}]" if plan_gaps.get(plan) else "")
            ax.text((first + last) / 2, 1.01, _wrap(head, 16 * (last - first + 1)), ha="center", va="bottom",
                    fontsize=8, transform=ax.get_xaxis_transform(), gid="plan-label")
    handles = [
        Patch(facecolor=_COUNT_CMAP(0.5), edgecolor=_EDGE, label="items whose text serves it (number)"),
        Patch(facecolor="#FFFFFF", hatch=_STATED_HATCH, edgecolor=_EDGE, label="the plan states the link"),
        Patch(fill=False, edgecolor=OKABE_ITO["vermillion"], linewidth=2, linestyle="--", label="gap (dashed; [gap] / 'gap')"),
    ]
    _legend(ax, handles)

    parts = []
    for kind in ("value", "stream"):
        total = sum(1 for k, _ in row_keys if k == kind)
        flagged = [c for k, c in row_keys if k == kind and (k, c) in row_gaps]
        if total and flagged:
            parts.append(f"{len(flagged)} of {_plural(total, kind)}" + (f" ({', '.join(flagged)})" if len(flagged) <= 3 else ""))
    n_flagged = len(row_gaps)
    if parts:
        text = f"{_and(parts)} {'is' if n_flagged == 1 else 'are'} flagged as {'a coverage gap' if n_flagged == 1 else 'coverage gaps'}"
    else:
        text = "No value or stream is flagged as a coverage gap"
    if cell_gaps:
        cells = [f"{c} in {col_names.get(a, a)}" for (k, c), a in cell_gaps]
        text += (f"; {_plural(len(cells), 'stated link')} no action supports"
                 + (f" ({'; '.join(cells)})" if len(cells) <= 2 else ""))
    if any(col_gaps.values()):
        worst = max(col_ids, key=lambda a: (col_gaps[a], -x_of[a]))
        text += f"; {col_names.get(worst, worst)} has the most gaps in its items ({col_gaps[worst]})"
    empty = n_rows * n_cols - n_cells
    _finish(ax, chart, text, [
        f"Rows: {_plural(n_rows, 'concept')}; columns: {_plural(n_cols, 'area')}"
        + (f" of {_and(plan_ids)}" if plan_ids else ""),
        f"{empty} of {n_rows * n_cols} cells have no item whose text serves the concept; "
        f"{_plural(len(stated), 'cell')} hatched where the plan states the link",
        ("Flagged concepts: " + "; ".join(
            f"{c} ({', '.join(_ordered_unique(f'{s} in {p}' if p else s for s, p in row_gaps[(k, c)]))})"
            for k, c in row_keys if (k, c) in row_gaps)) if row_gaps else "",
        ("Gaps in cells: " + "; ".join(f"{c} in {col_names.get(a, a)} ({', '.join(s)})" for ((k, c), a), s in cell_gaps.items()))
        if cell_gaps else "",
        ("Gaps by area: " + "; ".join(f"{col_names.get(a, a)}: {col_gaps[a]}" for a in col_ids if col_gaps[a]))
        if any(col_gaps.values()) else "",
        ("Gaps about a whole plan: " + "; ".join(f"{p}: {n}" for p, n in plan_gaps.items() if n)) if any(plan_gaps.values()) else "",
        f"{_plural(other, 'gap')} about owners or other subjects not drawn" if other else "",
    ], pad=20 if headed else None)
    return ax


# ---------------------------------------------------------------------------------------------
# Continuity flow
# ---------------------------------------------------------------------------------------------


def _ids(values) -> list[str]:
    out = []
    for v in values or ():
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, Mapping):
            out.append(str(v.get("item") or v.get("id")))
        else:
            out.append(str(getattr(v, "id", v)))
    return out


def _band(ax, x0, y0, h0, x1, y1, h1, colour, hatch, gid):
    """A band from the left block slice [y0, y0+h0] at x0 to [y1, y1+h1] at x1 (Bezier edges)."""
    xm = (x0 + x1) / 2
    verts = [(x0, y0), (xm, y0), (xm, y1), (x1, y1), (x1, y1 + h1), (xm, y1 + h1), (xm, y0 + h0), (x0, y0 + h0), (x0, y0)]
    codes = [MPath.MOVETO, MPath.CURVE4, MPath.CURVE4, MPath.CURVE4, MPath.LINETO,
             MPath.CURVE4, MPath.CURVE4, MPath.CURVE4, MPath.CLOSEPOLY]
    ax.add_patch(PathPatch(MPath(verts, codes), facecolor=(*to_rgb(colour), 0.45), edgecolor=_EDGE,
                           linewidth=0.4, hatch=hatch or None, gid=gid))


def _period_label(plan, fallback: str) -> str:
    period = getattr(plan, "period", None) or (None, None)
    if period[0] and period[1]:
        return f"{period[0]}-{period[1]}"
    return fallback


def _fates_from_outcomes(outcomes: pd.DataFrame, leaves_only: bool):
    """(old fate by id, new origin by id, completed new ids, dropped label) from an outcomes table."""
    df = outcomes
    if leaves_only and "leaf" in df.columns:
        df = df[df["leaf"].astype(object).map(lambda v: _text(v) is not None and bool(v))]
    old_fate, new_origin, completed_new = {}, {}, []
    dropped_label = "dropped"
    done = df["completed"].astype(object).map(lambda v: _text(v) is not None and bool(v)) if "completed" in df.columns \
        else pd.Series(False, index=df.index)
    for side, item, outcome, is_done in zip(df["side"].astype(object), df["item"].astype(object),
                                            df["outcome"].astype(object), done):
        outcome = _text(outcome) or "dropped"
        if side == "old":
            if outcome in ("carried", "evolved"):
                old_fate[item] = outcome
            elif is_done:
                old_fate[item] = "completed"
            elif outcome == "continued in part":
                old_fate[item] = "in part"
            else:
                old_fate[item] = "dropped"
                dropped_label = outcome
        else:
            new_origin[item] = {"continued in part": "in part"}.get(outcome, outcome)
            if is_done:
                completed_new.append(item)
    return old_fate, new_origin, completed_new, dropped_label


def continuity_flow(crosswalk, *, dropped=None, new_items=None, completed=None, continuity=None,
                    old_label=None, new_label=None, leaves_only=True, ax=None):
    """An alluvial chart between two plan cycles: carried, evolved, completed, dropped, new.

    The old cycle's actions stand on the left, stacked by fate (carried, evolved, completed,
    dropped); the new cycle's on the right, by origin (carried, evolved, new). Bands join the
    carried and evolved blocks, their ends sized by the items at each side (a merge narrows, a
    split widens). Each class has a colour *and* a hatch, and each block is labelled with its
    class and count; completed items of the new cycle are counted in their block's label.

    From a :class:`~coreplan_analysis._continuity.Crosswalk`, its ``outcomes`` table gives each
    unit's class (leaves only by default: "one row per action", the units ``continuity`` is
    computed over), and an old action without successor is labelled as the crosswalk words it
    ("not found in the copy" when the new copy is damaged). From a links table (``from``, ``to``,
    ``class``) with *dropped*, *new_items* and *completed* lists, every id counts once, by its
    strongest link (carried before evolved).

    Parameters
    ----------
    crosswalk : Crosswalk or pandas.DataFrame
        A :func:`~coreplan_analysis.crosswalk` result, its ``outcomes`` table (``side``,
        ``item``, ``outcome``, ``completed``, ``leaf``), or its links table.
    dropped, new_items, completed : sequence of str, optional
        Item ids, for a links table (ignored with outcomes).
    continuity : float, optional
        The share of old units that continue; default: the crosswalk's, else counted here.
    old_label, new_label : str, optional
        Column headings; default: the plans' periods ("2021-2022") or ids.
    leaves_only : bool, default True
        With outcomes, count leaves (actions) only; ``False`` adds areas and goals, the ones
        continued only through their children as "in part".
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> links = pd.DataFrame({"from": ["a/1/1", "a/1/2"], "to": ["b/1/1", "b/1/2"],
    ...                       "class": ["carried", "evolved"]})
    >>> ax = continuity_flow(links, dropped=["a/1/3", "a/1/4"], new_items=["b/2/1"], ax=Figure().subplots())
    >>> finding(ax)
    '50% of a actions continue in b (1 carried, 1 evolved, 2 dropped, 1 new, 0 completed)'
    """
    chart = "Continuity flow"
    outcomes = links = None
    old_plan = new_plan = None
    dropped_label = "dropped"
    if isinstance(crosswalk, pd.DataFrame):
        if {"side", "item", "outcome"} <= set(crosswalk.columns):
            outcomes = crosswalk
        else:
            links = crosswalk
    elif crosswalk is not None:
        outcomes = getattr(crosswalk, "outcomes", None)
        links = getattr(crosswalk, "links", None)
        dropped = dropped if dropped is not None else getattr(crosswalk, "dropped", None)
        new_items = new_items if new_items is not None else getattr(crosswalk, "new_items", None)
        completed = completed if completed is not None else getattr(crosswalk, "completed", None)
        if continuity is None:
            continuity = getattr(crosswalk, "continuity", None)
        old_plan, new_plan = getattr(crosswalk, "old_plan", None), getattr(crosswalk, "new_plan", None)
        old_label = old_label or _period_label(old_plan, getattr(crosswalk, "old", None) or "")
        new_label = new_label or _period_label(new_plan, getattr(crosswalk, "new", None) or "")
        if getattr(crosswalk, "new_plan_incomplete", False):
            dropped_label = "not found in the copy"

    if outcomes is not None:
        if outcomes.empty:
            return _nothing(ax, chart, "no items in either plan")
        old_fate, new_origin, completed_new, label = _fates_from_outcomes(outcomes, leaves_only)
        dropped_label = label if label != "dropped" else dropped_label
        if "plan" in outcomes.columns:
            sides = dict(zip(outcomes["side"].astype(object), outcomes["plan"].astype(object)))
            old_label = old_label or sides.get("old")
            new_label = new_label or sides.get("new")
        ignored = 0
    else:
        dropped, new_items, completed = _ids(dropped), _ids(new_items), _ids(completed)
        if links is None:
            links = pd.DataFrame(columns=["from", "to", "class"])
        if links.empty and not (dropped or new_items or completed):
            return _nothing(ax, chart, "no links, dropped, new or completed items")
        cls = links["class"].astype(object)
        old_fate, new_origin = {}, {}
        for kind in ("carried", "evolved"):  # carried wins over evolved
            sel = links[cls == kind]
            for i in sel["from"].astype(object):
                old_fate.setdefault(i, kind)
            for i in sel["to"].astype(object):
                new_origin.setdefault(i, kind)
        ignored = int((~cls.isin(["carried", "evolved"])).sum())
        old_known = set(links["from"].astype(object)) | set(dropped)
        new_known = set(links["to"].astype(object)) | set(new_items)

        def plan_of(i):
            return str(i).split("/", 1)[0]

        old_plans = _ordered_unique(plan_of(i) for i in [*links["from"].astype(object), *dropped])
        new_plans = _ordered_unique(plan_of(i) for i in [*links["to"].astype(object), *new_items])
        completed_new = []
        for i in completed:
            if i in new_known or (i not in old_known and plan_of(i) in new_plans):
                completed_new.append(i)
            else:
                old_fate.setdefault(i, "completed")
        for i in dropped:
            old_fate.setdefault(i, "dropped")
        for i in new_items:
            new_origin.setdefault(i, "new")
        old_label = old_label or (_and(old_plans) if old_plans else "old cycle")
        new_label = new_label or (_and(new_plans) if new_plans else "new cycle")

    old_label, new_label = old_label or "old cycle", new_label or "new cycle"
    left = {k: sum(1 for v in old_fate.values() if v == k) for k in ("carried", "evolved", "in part", "completed", "dropped")}
    right = {k: sum(1 for v in new_origin.values() if v == k) for k in ("carried", "evolved", "in part", "new")}
    done_right = {k: sum(1 for i in completed_new if new_origin.get(i) == k) for k in right}
    n_old, n_new = sum(left.values()), sum(right.values())
    if not (n_old or n_new):
        return _nothing(ax, chart, "no items in either plan")
    noun = "actions" if (outcomes is None or leaves_only) else "items"
    names = {"dropped": dropped_label}

    ax = _axes(ax, (9, 6))
    total = max(n_old, n_new, 1)
    gap = 0.04 * total
    width = 0.14
    xl, xr = 0.0, 1.0

    def stack(counts):
        pos, y = {}, 0.0
        for k, n in counts.items():
            if n:
                pos[k] = (y, n)
                y += n + gap
        return pos

    lpos, rpos = stack(left), stack(right)
    for pos, x, side, extra in ((lpos, xl, "old", {}), (rpos, xr - width, "new", done_right)):
        for k, (y, n) in pos.items():
            colour, hatch = CLASS_STYLE[k]
            ax.add_patch(Rectangle((x, y), width, n, facecolor=colour, hatch=hatch or None, edgecolor=_EDGE,
                                   linewidth=0.6, gid="block"))
            label = f"{names.get(k, k)} ({n}" + (f", {extra[k]} completed" if extra.get(k) else "") + ")"
            tx, ha = (x - 0.02, "right") if side == "old" else (x + width + 0.02, "left")
            ax.text(tx, y + n / 2, _wrap(label, 22), ha=ha, va="center", fontsize=9)
    for k in ("carried", "evolved", "in part"):
        if k in lpos and k in rpos:
            (y0, h0), (y1, h1) = lpos[k], rpos[k]
            colour, hatch = CLASS_STYLE[k]
            _band(ax, xl + width, y0, h0, xr - width, y1, h1, colour, hatch, "flow")
    top = max(max((y + n for y, n in lpos.values()), default=0), max((y + n for y, n in rpos.values()), default=0), 1)
    ax.text(xl + width / 2, -0.06 * top, _wrap(old_label, 24), ha="center", va="bottom", fontsize=10, weight="bold")
    ax.text(xr - width / 2, -0.06 * top, _wrap(new_label, 24), ha="center", va="bottom", fontsize=10, weight="bold")
    ax.set_xlim(-0.45, 1.45)
    ax.set_ylim(top * 1.02, -0.2 * top)
    ax.set_axis_off()

    if continuity is None or (isinstance(continuity, float) and math.isnan(continuity)):
        continuity = (left["carried"] + left["evolved"]) / n_old if n_old else 0.0
    n_completed = left["completed"] + len(completed_new)
    counts = (f"{left['carried']} carried, {left['evolved']} evolved, {left['dropped']} {dropped_label}, "
              f"{right['new']} new, {n_completed} completed")
    if n_old:
        text = f"{round(100 * float(continuity))}% of {old_label} {noun} continue in {new_label} ({counts})"
    else:
        text = f"All {n_new} {noun} of {new_label} are new ({counts})"
    _finish(ax, chart, text, [
        f"Alluvial chart. Left, {old_label}: {n_old} {noun} (" + ", ".join(f"{names.get(k, k)} {n}" for k, n in left.items() if n) + ")",
        f"Right, {new_label}: {n_new} {noun} (" + ", ".join(f"{k} {n}" for k, n in right.items() if n) + ")"
        + (f"; {len(completed_new)} of them completed" if completed_new else ""),
        f"{ignored} links of another class not drawn" if ignored else "",
    ])
    return ax


# ---------------------------------------------------------------------------------------------
# Plan network
# ---------------------------------------------------------------------------------------------

#: Node styles: (marker, colour, legend label).
_NODE_STYLE = {
    "value": ("h", OKABE_ITO["reddish_purple"], "value"),
    "stream": ("p", OKABE_ITO["yellow"], "stream"),
    "area": ("s", OKABE_ITO["orange"], "area"),
    "goal": ("D", OKABE_ITO["sky_blue"], "goal"),
    "action": ("o", OKABE_ITO["blue"], "action"),
    "owner": ("^", OKABE_ITO["bluish_green"], "owner"),
}
#: Edge line styles by basis (and for prose mentions).
_EDGE_STYLE = {"stated": "solid", "confirmed": "dashdot", "inferred": "dashed", "mentions": "dotted"}


def _node_label(node, attrs) -> str:
    label = _text(attrs.get("label")) or _text(attrs.get("name"))
    if label is None:
        label = str(node).split(":", 1)[-1] if attrs.get("type") in ("value", "owner", "stream") else str(node)
        if attrs.get("type") == "stream":
            label = label.rsplit(":", 1)[-1]
    if attrs.get("type") == "item":
        number = _text(attrs.get("number"))
        if number and not label.startswith(number):
            label = f"{number} {label}"
        label = textwrap.shorten(label, 70, placeholder="...")
    return _wrap(label, 24, 3)


def plan_network(graph, *, plan=None, inherited=False, ax=None):
    """The plan graph in layers: values and streams | areas | goals | actions ... | owners.

    Nodes come from a :func:`~coreplan_analysis.build_graph` graph (``type`` in plan, area,
    item, value, stream, owner, timeline); plan and timeline nodes and ``continues`` edges are
    left out (see :func:`continuity_flow`), as are owners linked to no drawn item, and (unless
    *inherited*) the ``stated_value`` edges items inherit from their area: the area's own edge
    already says it. Items stand in
    one layer per depth (goals, then actions). Within a layer, areas and items keep the graph's
    order; values and owners are placed at the mean height of what they link to, to cut
    crossings. Each node type has its own marker shape; each edge basis its own line style
    (stated solid, inferred dashed, confirmed dash-dot, prose mentions dotted). Labels are
    wrapped; a new figure grows with the largest layer, so 20+ owners stay readable.

    Parameters
    ----------
    graph : networkx.Graph
    plan : str, optional
        Draw only this plan's areas and items (and the values and owners linked to them).
    inherited : bool, default False
        Also draw the ``stated_value`` edges from every item to its area's values.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Titled with the busiest owner and the values no action serves by its text (no inferred
        or confirmed ``aligns_with`` edge from a drawn action).

    Examples
    --------
    >>> import networkx as nx
    >>> from matplotlib.figure import Figure
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p/1", type="area", label="Membership")
    >>> G.add_node("p/1/1", type="item", kind="action", label="Recruit members")
    >>> G.add_node("owner:Board", type="owner", label="Board")
    >>> G.add_node("value:Inclusion", type="value", label="Inclusion")
    >>> _ = G.add_edge("p/1", "p/1/1", relation="contains", basis="stated")
    >>> _ = G.add_edge("p/1/1", "owner:Board", relation="assigned_to", basis="stated")
    >>> ax = plan_network(G, ax=Figure().subplots())
    >>> finding(ax)
    'Board carries the most items (1 of 1); 1 of 1 value is served by no action'
    """
    chart = "Plan network"
    if graph is None or graph.number_of_nodes() == 0:
        return _nothing(ax, chart, "the graph has no nodes")
    import networkx as nx

    def ntype(n):
        return graph.nodes[n].get("type")

    def nplan(n):
        return _text(graph.nodes[n].get("plan")) or str(n).split("/", 1)[0]

    areas = [n for n in graph.nodes if ntype(n) == "area" and (plan is None or nplan(n) == plan)]
    items = [n for n in graph.nodes if ntype(n) == "item" and (plan is None or nplan(n) == plan)]
    concepts = [n for n in graph.nodes if ntype(n) in ("value", "stream")]
    drawn_items = set(items)
    edges = [(u, v, d) for u, v, d in graph.edges(data=True)
             if d.get("relation") != "continues"
             and (inherited or not (d.get("relation") == "stated_value" and ntype(u) == "item"))]
    owners = _ordered_unique(
        v if ntype(v) == "owner" else u
        for u, v, _ in edges
        if (ntype(v) == "owner" and u in drawn_items) or (ntype(u) == "owner" and v in drawn_items)
    )
    if not (areas or items):
        return _nothing(ax, chart, "no areas or items" + (f" in {plan}" if plan else ""))

    # Item depth from contains edges between items (or the node's depth / kind).
    parent = {v: u for u, v, d in edges if d.get("relation") == "contains" and u in drawn_items and v in drawn_items}

    def depth(n, seen=()):
        attrs = graph.nodes[n]
        if n in parent and parent[n] not in seen:
            return depth(parent[n], (*seen, n)) + 1
        d = attrs.get("depth")
        if d is not None and not pd.isna(d):
            return int(d)
        return 2 if attrs.get("kind") == "action" else 1

    item_depth = {n: depth(n) for n in items}
    # Items ordered by area, then graph order.
    area_of = {}
    for u, v, d in edges:
        if d.get("relation") == "contains" and u in areas and v in drawn_items:
            area_of[v] = u
    for n in items:
        p = n
        while p not in area_of and p in parent:
            p = parent[p]
        area_of[n] = area_of.get(p)
    area_rank = {a: k for k, a in enumerate(areas)}
    item_rank = {n: k for k, n in enumerate(items)}
    max_depth = max(item_depth.values(), default=1)
    layers: dict[int, list] = {0: [], 1: list(areas)}
    for d in range(1, max_depth + 1):
        layers[1 + d] = sorted((n for n in items if item_depth[n] == d),
                               key=lambda n: (area_rank.get(area_of.get(n), len(areas)), item_rank[n]))
    owner_layer = 2 + max_depth
    layers[owner_layer] = []

    rank = {}
    for k in (1, *range(2, owner_layer)):
        for i, n in enumerate(layers[k]):
            rank[n] = i / max(len(layers[k]) - 1, 1)
    neighbours: dict = {}
    for u, v, _ in edges:
        neighbours.setdefault(u, []).append(v)
        neighbours.setdefault(v, []).append(u)

    def bary(n):
        r = [rank[m] for m in neighbours.get(n, []) if m in rank]
        return sum(r) / len(r) if r else 2.0

    concept_index = {n: k for k, n in enumerate(concepts)}
    layers[0] = sorted(concepts, key=lambda n: (ntype(n) == "stream", bary(n), concept_index[n]))
    owner_index = {n: k for k, n in enumerate(owners)}
    layers[owner_layer] = sorted(owners, key=lambda n: (bary(n), owner_index[n]))
    layers = {k: v for k, v in layers.items() if v}
    drawn = [n for layer in layers.values() for n in layer]
    if not drawn:
        return _nothing(ax, chart, "no nodes to draw")
    # multipartite_layout stacks a layer bottom-up: reverse so the first node is at the top.
    pos = nx.multipartite_layout(graph.subgraph(drawn), subset_key={k: list(reversed(v)) for k, v in layers.items()})
    tallest = max(len(v) for v in layers.values())
    ax = _axes(ax, (3.0 * len(layers) + 1.5, max(5.0, 0.42 * tallest + 1.5)))

    drawn_set = set(drawn)
    styles: dict[str, list] = {}
    for u, v, d in edges:
        if u in drawn_set and v in drawn_set:
            key = "mentions" if d.get("relation") == "mentions" else (_text(d.get("basis")) or "stated")
            styles.setdefault(key if key in _EDGE_STYLE else "stated", []).append((u, v))
    for key in ("stated", "confirmed", "inferred", "mentions"):
        if key in styles:
            coll = nx.draw_networkx_edges(graph, pos, edgelist=styles[key], ax=ax, arrows=False, style=_EDGE_STYLE[key],
                                          width=0.8, alpha=0.45 if key == "inferred" else 0.7, edge_color=_EDGE)
            coll.set_gid(f"edges:{key}")

    def style_key(n):
        t = ntype(n)
        if t == "item":
            return "goal" if item_depth[n] == 1 else "action"
        return t

    groups: dict[str, list] = {}
    for n in drawn:
        groups.setdefault(style_key(n), []).append(n)
    handles = []
    for key, (marker, colour, label) in _NODE_STYLE.items():
        if key in groups:
            coll = nx.draw_networkx_nodes(graph, pos, nodelist=groups[key], ax=ax, node_shape=marker, node_color=colour,
                                          edgecolors=_EDGE, linewidths=0.6, node_size=110)
            coll.set_gid(f"nodes:{key}")
            handles.append(Line2D([], [], marker=marker, linestyle="", markerfacecolor=colour, markeredgecolor=_EDGE,
                                  markersize=8, label=f"{label} ({len(groups[key])})"))
    for key in ("stated", "confirmed", "inferred", "mentions"):
        if key in styles:
            handles.append(Line2D([], [], color=_EDGE, linestyle=_EDGE_STYLE[key], label=f"{key} link"))
    xs = sorted({round(float(p[0]), 9) for p in pos.values()})
    dx = (xs[1] - xs[0]) if len(xs) > 1 else 1.0
    for k, layer in layers.items():
        first = k == min(layers)
        shift = -0.06 * dx if first else 0.06 * dx
        nx.draw_networkx_labels(
            graph, {n: (pos[n][0] + shift, pos[n][1]) for n in layer},
            labels={n: _node_label(n, graph.nodes[n]) for n in layer}, ax=ax, font_size=7,
            horizontalalignment="right" if first else "left",
            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.75),
        )
    ax.set_xlim(min(xs) - 0.9 * dx, max(xs) + 0.9 * dx)
    ax.set_axis_off()
    _legend(ax, handles, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncol=4)

    # The finding: the busiest owner; values linked to nothing drawn.
    load = {}
    for u, v, d in edges:
        if d.get("relation") == "assigned_to" and u in drawn_items and ntype(v) == "owner":
            load.setdefault(v, set()).add(u)
    n_assigned = len(set().union(*load.values())) if load else 0
    parts = []
    if load:
        top = max(len(s) for s in load.values())
        leaders = [_node_label(o, graph.nodes[o]).replace("\n", " ") for o in owners if len(load.get(o, ())) == top]
        if len(leaders) == 1:
            parts.append(f"{leaders[0]} carries the most items ({top} of {n_assigned})")
        else:
            parts.append(f"{_and(leaders) if len(leaders) <= 3 else _plural(len(leaders), 'owner')} tie for the most items ({top} each)")
    else:
        parts.append("No item is assigned to an owner")
    values = [n for n in concepts if ntype(n) == "value"]

    def is_action(n):
        kind = _text(graph.nodes[n].get("kind"))
        return kind == "action" if kind else item_depth.get(n, 1) > 1

    served = {v for u, v, d in edges
              if d.get("relation") == "aligns_with" and u in drawn_items and is_action(u)
              and _text(d.get("basis")) in ("inferred", "confirmed")}
    unserved = [n for n in values if n not in served]
    if values:
        if unserved:
            parts.append(f"{len(unserved)} of {_plural(len(values), 'value')} {'is' if len(unserved) == 1 else 'are'} served by no action")
        else:
            parts.append("every value is served by at least one action")
    text = "; ".join(parts)
    _finish(ax, chart, text, [
        "Layers from left: " + ", ".join(f"{len(v)} {'values and streams' if k == 0 else 'areas' if k == 1 else 'owners' if k == owner_layer else f'items at depth {k - 1}'}"
                                         for k, v in layers.items()),
        f"{sum(len(v) for v in styles.values())} links drawn: " + ", ".join(f"{len(v)} {k}" for k, v in styles.items()),
        ("Values served by no action (no inferred or confirmed link from an action): "
         + ", ".join(_node_label(n, graph.nodes[n]).replace("\n", " ") for n in unserved)) if unserved else "",
        "Node shapes: hexagon value, pentagon stream, square area, diamond goal, circle action, triangle owner; "
        "lines: solid stated, dashed inferred, dash-dot confirmed, dotted a mention in prose",
    ])
    return ax


# ---------------------------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------------------------


def _month(text, *, end: bool = False):
    """``(year, month)`` of ``YYYY-MM`` or ``YYYY`` (a bare year: January, or December for an end)."""
    text = _text(text)
    if text is None:
        return None
    parts = text.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
    except ValueError:
        return None
    if not 1 <= month <= 12:
        return None
    return year, month


def _month_name(ym) -> str:
    import calendar

    return f"{calendar.month_abbr[ym[1]]} {ym[0]}"


def timeline(timeline_df, *, ax=None):
    """A Gantt chart of dated entries: one bar per entry from its start month to its end month.

    Entries keep the table's order (then start month); the bar carries the date as printed
    (``when``). Entries with no parsable start are left out and counted in the alt text.

    Parameters
    ----------
    timeline_df : pandas.DataFrame
        ``frames.timeline``: ``plan``, ``when``, ``start`` and ``end`` (``YYYY-MM`` or ``YYYY``),
        ``text``.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> tl = pd.DataFrame({"plan": "p", "when": ["March-April 2021", "April 2021"],
    ...     "start": ["2021-03", "2021-04"], "end": ["2021-04", "2021-04"], "text": ["Finalise", "Consult"]})
    >>> ax = timeline(tl, ax=Figure().subplots())
    >>> finding(ax)
    '2 dated entries run from Mar 2021 to Apr 2021; 2 at once in Apr 2021'
    """
    import datetime as dt

    chart = "Timeline"
    if _is_empty(timeline_df):
        return _nothing(ax, chart, "no timeline entries")
    rows = []
    for k, r in enumerate(timeline_df.itertuples(index=False)):
        r = r._asdict()
        start = _month(r.get("start"))
        end = _month(r.get("end"), end=True) or (start and _month(r.get("start"), end=True))
        if start is None:
            continue
        if end < start:
            end = start
        rows.append(dict(k=k, start=start, end=end, when=_text(r.get("when")) or "", text=_text(r.get("text")) or "",
                         plan=_text(r.get("plan")) or ""))
    skipped = len(timeline_df) - len(rows)
    if not rows:
        return _nothing(ax, chart, "no timeline entry has a date")
    rows.sort(key=lambda r: (r["start"], r["k"]))
    plans = _ordered_unique(r["plan"] for r in rows)
    n = len(rows)
    ax = _axes(ax, (10, 1.6 + 0.55 * n))

    def num(ym, after=False):
        y, m = ym
        if after:
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return mdates.date2num(dt.date(y, m, 1))

    lefts = [num(r["start"]) for r in rows]
    widths = [num(r["end"], after=True) - num(r["start"]) for r in rows]
    bars = ax.barh(range(n), widths, left=lefts, height=0.6, color=OKABE_ITO["sky_blue"], edgecolor=_EDGE, linewidth=0.6)
    ax.bar_label(bars, labels=[r["when"] for r in rows], padding=4, fontsize=8)
    labels = [(f"{r['plan']}: " if len(plans) > 1 else "") + r["text"] for r in rows]
    ax.set_yticks(range(n), [_wrap(label, 48, 3) for label in labels], fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    first = min(r["start"] for r in rows)
    last = max(r["end"] for r in rows)
    span_end = num(last, after=True)
    ax.set_xlim(num(first) - 20, span_end + 0.25 * (span_end - num(first)) + 20)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=10))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)

    months = []
    y, m = first
    while (y, m) <= last:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    load = {ym: sum(1 for r in rows if r["start"] <= ym <= r["end"]) for ym in months}
    busiest = max(months, key=lambda ym: (load[ym], -months.index(ym)))
    text = f"{_plural(n, 'dated entry', 'dated entries')} run{'s' if n == 1 else ''} from {_month_name(first)} to {_month_name(last)}"
    if load[busiest] > 1:
        text += f"; {load[busiest]} at once in {_month_name(busiest)}"
    _finish(ax, chart, text, [
        f"{len(months)} months" + (f" across {_and(plans)}" if plans and plans != [""] else ""),
        "; ".join(f"{r['when']}: {textwrap.shorten(r['text'], 80, placeholder='...')}" for r in rows),
        f"{_plural(skipped, 'entry', 'entries')} without a date not drawn" if skipped else "",
    ])
    return ax


# ---------------------------------------------------------------------------------------------
# Status summary
# ---------------------------------------------------------------------------------------------


def status_summary(items_df, *, leaves_only=True, ax=None):
    """Actions per plan by status: one stacked horizontal bar per plan.

    Parameters
    ----------
    items_df : pandas.DataFrame
        ``frames.items`` (``plan``, ``status``, optionally ``is_leaf``).
    leaves_only : bool, default True
        Count leaves only ("one row per action"), when the table has ``is_leaf``.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Segments by status in the model's order (colour and hatch), counts in the alt text; the
        title says, per plan, how many actions carry each status.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> items = pd.DataFrame({"plan": ["a", "b", "b", "b"], "status": ["none", "completed", "new", "none"]})
    >>> ax = status_summary(items, ax=Figure().subplots())
    >>> finding(ax)
    'b: 1 of 3 actions completed, 1 new; a: no action carries a status'
    """
    chart = "Status summary"
    if _is_empty(items_df):
        return _nothing(ax, chart, "no items")
    df = items_df
    if leaves_only and "is_leaf" in df.columns:
        df = df[df["is_leaf"].astype(object).map(lambda v: bool(v) if _text(v) is not None else False)]
    if df.empty:
        return _nothing(ax, chart, "no actions")
    status = df["status"].astype(object).map(lambda s: _text(s) or "unknown")
    plan = df["plan"].astype(object) if "plan" in df.columns else pd.Series("plan", index=df.index)
    plans = _ordered_unique(plan)
    counts = pd.crosstab(plan, status).reindex(plans)
    statuses = [s for s in STATUS_STYLE if s in counts.columns] + [s for s in counts.columns if s not in STATUS_STYLE]
    counts = counts[statuses]
    totals = counts.sum(axis=1)
    ax = _axes(ax, (9, 1.6 + 0.6 * len(plans)))
    left = pd.Series(0, index=plans)
    ys = list(range(len(plans)))
    for s in statuses:
        colour, hatch, label = STATUS_STYLE.get(s, ("#FFFFFF", "--", s))
        ax.barh(ys, counts[s].tolist(), left=left.tolist(), color=colour, hatch=hatch, edgecolor=_EDGE,
                linewidth=0.5, label=label, height=0.6)
        left += counts[s]
    for y, p in zip(ys, plans):
        ax.text(int(totals[p]) + 0.1, y, str(int(totals[p])), va="center", ha="left", fontsize=8)
    ax.set_yticks(ys, [_wrap(p, 24) for p in plans], fontsize=9)
    ax.set_ylim(len(plans) - 0.5, -0.5)
    ax.set_xlim(0, int(totals.max()) * 1.1 + 0.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("Actions" if leaves_only else "Items")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _legend(ax, [_status_patch(s) if s in STATUS_STYLE else Patch(label=s) for s in statuses], title="Status")

    noun = "actions" if leaves_only else "items"
    marked = [s for s in statuses if s != "none"]
    phrases = []
    for p in sorted(plans, key=lambda p: (-int(counts.loc[p, marked].sum()) if marked else 0, plans.index(p))):
        shown = [(s, int(counts.loc[p, s])) for s in marked if int(counts.loc[p, s])]
        if shown:
            (s0, n0), rest = shown[0], shown[1:]
            words = [f"{n0} of {int(totals[p])} {noun} {STATUS_STYLE.get(s0, (0, 0, s0))[2]}"]
            words += [f"{n} {STATUS_STYLE.get(s, (0, 0, s))[2]}" for s, n in rest]
            phrases.append(f"{p}: " + ", ".join(words))
        else:
            phrases.append(f"{p}: no {noun[:-1]} carries a status")
    _finish(ax, chart, "; ".join(phrases), [
        f"Stacked horizontal bars, one per plan, of {int(totals.sum())} {noun} by status",
        "; ".join(f"{p}: " + ", ".join(f"{STATUS_STYLE.get(s, (0, 0, s))[2]} {int(counts.loc[p, s])}" for s in statuses
                                         if int(counts.loc[p, s])) for p in plans),
    ])
    return ax
