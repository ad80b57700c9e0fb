"""The alignment explorer of notebook 02: pick a value, a stream or an owner and a threshold, and
see which goals and actions count, the words that justify each link, and that part of the graph.

The logic is plain Python, testable without a browser or a kernel:

- :meth:`AlignmentExplorer.select` turns a choice (a graph node id such as ``value:Inclusion``,
  ``stream:ALA Pivot Strategy:Membership`` or ``owner:Board of Directors``) and a threshold into
  a :class:`Selection`: the table of rows that count, one evidence line per row, and the graph
  nodes and edges to highlight.
- :meth:`AlignmentExplorer.widget` wraps it in ipywidgets (a dropdown, a threshold slider, an HTML
  table, an evidence list and the highlighted graph); every change of the dropdown or the slider
  calls :meth:`~AlignmentExplorer.select` and redraws.

Nothing is computed here that the package does not compute elsewhere: the table comes from
:func:`~coreplan_analysis._align.align` at the chosen threshold, the highlighted part from
:func:`~coreplan_analysis._graph.build_graph` at the same threshold, and the drawing from
:func:`coreplan_analysis.charts.plan_network` (the subgraph of the highlighted nodes). The
alignment table and the graph are cached per threshold. ipywidgets and
matplotlib are imported only when the widget is built or drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TABLE_COLUMNS", "Selection", "AlignmentExplorer"]

#: Columns of :attr:`Selection.table`, in order.
TABLE_COLUMNS = ("plan", "item", "kind", "concept", "framework", "concept_kind", "basis", "score", "evidence",
                 "owners", "text")  # fmt: skip

#: Graph relations drawn as highlighted edges.
_RELATIONS = ("stated_value", "aligns_with", "assigned_to")

_NONE = "(nothing at this threshold)"

#: Columns the widget's table shows, and how.
_SHOWN = ("item", "concept", "basis", "score", "evidence", "owners", "text")
_TABLE_STYLE = (
    "<style>.coreplan-explorer-table{font-size:0.9em;border-collapse:collapse}"
    ".coreplan-explorer-table td,.coreplan-explorer-table th{vertical-align:top;text-align:left;"
    "padding:2px 8px;border-bottom:1px solid #ddd}"
    ".coreplan-explorer-table td:nth-child(-n+4){white-space:nowrap}</style>"
)


@dataclass(frozen=True)
class Selection:
    """What the explorer shows for one choice and threshold.

    Attributes
    ----------
    node : str
        The chosen graph node (``value:...``, ``stream:<framework>:<name>`` or ``owner:...``).
    threshold : float
        Score from which an inferred link counts.
    table : pandas.DataFrame
        Columns :data:`TABLE_COLUMNS`. For a value or stream: one row per stated or confirmed
        link and per inferred link at or above the threshold, best score first. For an owner:
        one row per (assigned item, concept it serves), and one row with concept
        ``"(nothing at this threshold)"`` for an item that serves none.
    evidence : tuple of str
        One line per row with evidence: ``"<item> (<basis> <score>): <words or quote>"``.
    summary : str
        One sentence: what was chosen and how much counts.
    nodes : tuple of str
        Graph nodes to highlight: the chosen node, the items of the table, and their owners (for
        a concept) or the concepts they serve (for an owner).
    edges : tuple of (str, str, str)
        Graph edges ``(u, v, relation)`` between highlighted nodes (stated values, inferred
        alignments, assignments).
    """

    node: str
    threshold: float
    table: object
    evidence: tuple
    summary: str
    nodes: tuple
    edges: tuple

    @property
    def items(self) -> list[str]:
        """Item ids of the table, in table order, without repeats."""
        return list(dict.fromkeys(self.table["item"]))


class AlignmentExplorer:
    """Explore alignment by value, stream or owner, at any threshold.

    Parameters
    ----------
    planset : PlanSet
        The plans, e.g. ``load_catalog()``.
    threshold : float, optional
        The starting threshold (default the alignment default, 0.25).

    Examples
    --------
    >>> from coreplan_analysis import load_catalog
    >>> ex = AlignmentExplorer(load_catalog())
    >>> [label for label, node in ex.choices()][:2]
    ['value: Transparency', 'value: Diversity']
    >>> sel = ex.select("owner:Section Leaders")
    >>> sel.table[["item", "concept", "basis", "score"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['core-2021-2022/2/1', 'Knowledge Sharing', 'stated', 1.0],
     ['core-2021-2022/2/1', 'Knowledge Sharing', 'inferred', 0.3655],
     ['core-2021-2022/2/1', 'Collaboration', 'stated', 1.0],
     ['core-2021-2022/2/1', 'Innovation', 'stated', 1.0],
     ['core-2021-2022/2/1', 'Innovation', 'inferred', 0.6255],
     ['core-2021-2022/2/1', 'Continuing Education', 'inferred', 0.4212]]
    >>> sel.summary
    'Section Leaders is assigned 1 item(s); at threshold 0.25 they serve 4 value(s) or stream(s): Collaboration, Continuing Education, Innovation, Knowledge Sharing.'
    """

    def __init__(self, planset, *, threshold=None):
        from ._align import DEFAULT_THRESHOLD
        from ._tables import to_frames

        self.planset = planset
        self.threshold = float(DEFAULT_THRESHOLD if threshold is None else threshold)
        frames = to_frames(planset)
        self._items = frames.items.set_index("item")
        owners = frames.owners[frames.owners["role"] == "assigned"]
        self._owner_items = {o: list(dict.fromkeys(g["item"])) for o, g in owners.groupby("owner", sort=False)}
        self._alignments: dict = {}
        self._graphs: dict = {}
        self._widgets = None
        self.current: Selection | None = None

    # -- the logic -------------------------------------------------------------------------------
    def choices(self) -> list[tuple[str, str]]:
        """``(label, node)`` pairs: values and streams in reference order, then owners by name."""
        ref = self.planset.reference
        out = [(f"value: {c.name}", f"value:{c.name}") for c in ref.values]
        for fw in ref.frameworks:
            out += [(f"stream: {c.name} ({fw.name})", f"stream:{fw.name}:{c.name}") for c in fw.streams]
        owners = sorted(self._owner_items, key=lambda s: (s.casefold(), s))
        out += [(f"owner: {o}", f"owner:{o}") for o in owners]
        return out

    def alignment(self, threshold=None):
        """The :func:`~coreplan_analysis._align.align` table at *threshold* (cached)."""
        from ._align import align

        t = self._threshold(threshold)
        if t not in self._alignments:
            self._alignments[t] = align(self.planset, threshold=t)
        return self._alignments[t]

    def graph(self, threshold=None):
        """The plan graph with alignment edges at *threshold* (cached; no continuity edges)."""
        from ._graph import build_graph

        t = self._threshold(threshold)
        if t not in self._graphs:
            self._graphs[t] = build_graph(self.planset, threshold=t, continuity=False)
        return self._graphs[t]

    def _threshold(self, threshold) -> float:
        t = self.threshold if threshold is None else float(threshold)
        if not 0.0 <= t <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold!r}")
        return round(t, 4)

    def select(self, node: str, threshold=None) -> Selection:
        """What to show for *node* (a value, stream or owner node id) at *threshold*."""
        t = self._threshold(threshold)
        df = self.alignment(t)
        counts = df[(df["basis"] != "inferred") | df["above_threshold"]]
        kind, _, rest = node.partition(":")
        if kind == "owner":
            if rest not in self._owner_items:
                raise KeyError(f"no owner {rest!r} is assigned an item (known: {', '.join(sorted(self._owner_items))})")
            table = self._owner_table(rest, counts)
        elif kind in ("value", "stream"):
            framework, name = (None, rest) if kind == "value" else rest.split(":", 1)
            rows = counts[(counts["concept_kind"] == kind) & (counts["concept"] == name)]
            if framework is not None:
                rows = rows[rows["framework"] == framework]
            if not any(n == node for _, n in self.choices()):
                raise KeyError(f"no {kind} {rest!r} in the reference data")
            table = self._concept_table(rows)
        else:
            raise KeyError(f"choose a value:, stream: or owner: node, not {node!r}")
        nodes, edges = self._highlight(node, table, t)
        evidence = tuple(f"{r.item} ({r.basis} {r.score:.2f}): {r.evidence}" for r in table.itertuples()
                         if r.evidence)
        return Selection(node, t, table, evidence, self._summary(node, table, t), nodes, edges)

    def _with_items(self, rows):
        import pandas as pd

        out = rows.copy()
        out["owners"] = [self._items.at[i, "owners"] if i in self._items.index else "" for i in out["item"]]
        out["text"] = [self._items.at[i, "text"] if i in self._items.index else "" for i in out["item"]]
        out = out[list(TABLE_COLUMNS)].reset_index(drop=True)
        for col in TABLE_COLUMNS:
            out[col] = out[col].astype("float64" if col == "score" else "str")
        return pd.DataFrame(out)

    def _concept_table(self, rows):
        rows = rows.sort_values("score", ascending=False, kind="stable")
        return self._with_items(rows)

    def _owner_table(self, owner, counts):
        import pandas as pd

        parts = []
        for item in self._owner_items[owner]:
            mine = counts[counts["item"] == item]
            if mine.empty:
                it = self._items.loc[item]
                mine = pd.DataFrame([dict(plan=it["plan"], item=item, kind=str(it["kind"]), concept=_NONE,
                                          framework="", concept_kind="", basis="", score=0.0, evidence="")])
            parts.append(mine)
        rows = pd.concat(parts, ignore_index=True) if parts else counts.iloc[0:0]
        return self._with_items(rows)

    def _highlight(self, node, table, threshold):
        from ._align import concept_node

        G = self.graph(threshold)
        items = [i for i in dict.fromkeys(table["item"]) if i in G]
        nodes = [node] + items
        if node.startswith("owner:"):
            concepts = {(c.framework, c.name): concept_node(c) for c in self.planset.reference.concepts()}
            nodes += [concepts[fw, name] for fw, name in zip(table["framework"], table["concept"])
                      if (fw, name) in concepts]
        else:
            for i in items:
                nodes += [v for _, v, k in G.out_edges(i, keys=True) if k == "assigned_to"]
        nodes = [n for n in dict.fromkeys(nodes) if n in G]
        keep = set(nodes)
        edges = []
        for u in nodes:
            for _, v, k in G.out_edges(u, keys=True):
                if v in keep and k in _RELATIONS:
                    edges.append((u, v, k))
        return tuple(nodes), tuple(edges)

    def _summary(self, node, table, threshold) -> str:
        kind, _, rest = node.partition(":")
        name = rest.split(":", 1)[1] if kind == "stream" else rest
        if kind == "owner":
            items = self._owner_items[rest]
            served = sorted(set(table["concept"]) - {_NONE})
            none = sum(1 for i in items if (table[table["item"] == i]["concept"] == _NONE).all())
            return (f"{name} is assigned {len(items)} item(s); at threshold {threshold:.2f} they serve "
                    f"{len(served)} value(s) or stream(s){': ' + ', '.join(served) if served else ''}"
                    f"{f'; {none} serve(s) none' if none else ''}.")
        n = table["item"].nunique()
        stated = int((table["basis"] == "stated").sum())
        inferred = int((table["basis"] == "inferred").sum())
        confirmed = int((table["basis"] == "confirmed").sum())
        parts = [f"{stated} stated", f"{inferred} inferred"] + ([f"{confirmed} confirmed"] if confirmed else [])
        return (f"{name} ({kind}): {n} goal(s) and action(s) count at threshold {threshold:.2f} "
                f"({', '.join(parts)}).")

    # -- the drawing and the widget --------------------------------------------------------------
    def figure(self, selection: Selection | None = None):
        """The highlighted part of the graph, drawn by :func:`coreplan_analysis.charts.plan_network`:
        the subgraph of *selection*'s nodes (default the current selection), a matplotlib Figure."""
        from . import charts

        sel = selection or self.current or self.select(self.choices()[0][1])
        part = self.graph(sel.threshold).subgraph(sel.nodes).copy()
        return charts.plan_network(part, inherited=True).figure

    def widget(self, node: str | None = None):
        """An ipywidgets box: a dropdown and a threshold slider above the table, the evidence and
        the highlighted graph. Changing either control updates the rest."""
        import ipywidgets as w

        choices = self.choices()
        dropdown = w.Dropdown(options=choices, value=node or choices[0][1], description="Show",
                              layout=w.Layout(width="32em"))
        slider = w.FloatSlider(value=self.threshold, min=0.05, max=0.95, step=0.05, description="Threshold",
                               readout_format=".2f", continuous_update=False)
        summary = w.HTML()
        table = w.HTML(layout=w.Layout(max_height="26em", overflow="auto"))
        evidence = w.HTML(layout=w.Layout(max_height="16em", overflow="auto"))
        image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self._widgets = dict(dropdown=dropdown, slider=slider, summary=summary, table=table,
                             evidence=evidence, image=image)

        def update(_change=None):
            self.update(dropdown.value, slider.value)

        dropdown.observe(update, names="value")
        slider.observe(update, names="value")
        update()
        return w.VBox([
            w.HBox([dropdown, slider]), summary,
            w.Tab(children=[table, evidence], titles=("Items", "Evidence")),
            image,
        ])

    @property
    def controls(self) -> dict:
        """The widgets by name (``dropdown``, ``slider``, ``summary``, ``table``, ``evidence``,
        ``image``), once :meth:`widget` has been called."""
        if self._widgets is None:
            raise RuntimeError("call widget() first")
        return self._widgets

    def update(self, node: str, threshold: float) -> Selection:
        """Select *node* at *threshold* and, when the widget exists, redraw it."""
        import html

        sel = self.current = self.select(node, threshold)
        if self._widgets is not None:
            ws = self._widgets
            ws["summary"].value = f"<p class='coreplan-summary'>{html.escape(sel.summary)}</p>"
            shown = sel.table[list(_SHOWN)].copy()
            shown["score"] = shown["score"].map(lambda x: f"{x:.2f}")
            ws["table"].value = _TABLE_STYLE + shown.to_html(index=False, classes="coreplan-explorer-table",
                                                              border=0)
            ws["evidence"].value = "<ul>" + "".join(f"<li>{html.escape(e)}</li>" for e in sel.evidence) + "</ul>"
            ws["image"].value = self._png(sel)
        return sel

    def _png(self, selection) -> bytes:
        import io

        import matplotlib.pyplot as plt

        fig = self.figure(selection)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
        plt.close(fig)
        return buf.getvalue()
