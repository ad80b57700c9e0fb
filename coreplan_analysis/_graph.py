"""The plan graph: plans, areas, items, values, streams, owners and timeline entries, linked.

:func:`build_graph` derives a ``networkx.MultiDiGraph`` from a :class:`~coreplan_analysis.PlanSet`
(the model stays the source of truth; nothing is written back).

**Nodes** (attribute ``type``; ``None`` attributes are left out):

============  ===============================  ==================================================
type          id                               attributes
============  ===============================  ==================================================
``plan``      ``<plan id>``                    label, title, organisation, period_start,
                                               period_end, source, sha256, profile, damaged
``area``      ``<plan id>/<ordinal>``          label, plan, ordinal, number, title, statement,
                                               values, basis, source_url, line_start, line_end
``item``      ``<area id>/<number>``           label, plan, area, kind (goal or action), number,
                                               text, depth, is_leaf, status, status_date,
                                               status_text, owners_raw, basis, line_start,
                                               line_end
``value``     ``value:<name>``                 label, framework (the value set), description,
                                               source
``stream``    ``stream:<framework>:<name>``    label, framework, description, named_in_plan,
                                               source
``owner``     ``owner:<canonical name>``       label, kind (owner kind), parent, registered,
                                               source
``timeline``  ``<plan id>/timeline/<k>``       label, plan, when, when_start, when_end, text,
                                               line_start, line_end
============  ===============================  ==================================================

Every value of the value set and every stream of the reference frameworks is a node, served or
not (so an unserved value shows as an isolated node); owners are nodes only when a plan assigns
or names them. A missing area restored from an annotation has no line attributes (it is not in
the copy). Timeline dates are ``when_start``/``when_end`` because GEXF reserves ``start`` and
``end`` for dynamic graphs.

**Edges** (attribute ``relation``, which is also the edge key; GEXF reserves ``type``): each
carries ``basis`` (stated, inferred, confirmed), ``score`` (1.0 unless inferred) and ``evidence``
(a list of words, or a one-element list holding a quote):

- ``contains``: plan -> area, area -> top-level item, item -> child item, plan -> timeline entry.
  Basis of the contained element (``confirmed`` for what an annotation restored); evidence the
  lines it spans, or the annotation's source URL.
- ``stated_value``: area -> value for each value its "Core Values:" line names, **and** every
  item of the area (goals and actions) -> the same value, basis stated, evidence
  ``"area <title> names <value>"``. The inheritance is a decision: the plan maps whole areas to
  values, so each of the area's items is stated to serve them; whether an item's words support
  it is a separate, inferred question (``aligns_with``, and
  :func:`~coreplan_analysis._align.stated_vs_inferred`).
- ``assigned_to``: item -> owner for each owner in its owner parentheses (basis of the item:
  ``confirmed`` after an owner annotation), evidence the parentheses as printed.
- ``mentions``: item -> owner named in its text without an assignment, and timeline entry ->
  owner named in it; basis stated, evidence the name.
- ``aligns_with``: plan -> stream the plan names (basis stated), and item -> value or stream for
  every inferred alignment that counts (:func:`~coreplan_analysis._align.align`: at or above the
  threshold, never a score of 0), with its score and matched words.
- ``continues``: old unit -> new unit (areas or items of consecutive cycles of one organisation,
  :func:`~coreplan_analysis._continuity.cycle_pairs`) for every link of
  :func:`~coreplan_analysis._continuity.crosswalk`, with its ``class`` (carried, evolved),
  basis, evidence, and ``link_score`` (the crosswalk's computed score); ``score`` is that score
  for an inferred link and 1.0 for a link a person confirmed.

Edges are added in a fixed order (plans in catalog order, then printed order, concepts in
reference order), so the same planset gives the same graph and the same bytes through
:func:`~coreplan_analysis._export.write_graph`.
"""

from __future__ import annotations

from ._runtime import forked_imap, gc_paused, workers_for

__all__ = ["GRAPH_SCHEMA", "NODE_TYPES", "RELATIONS", "build_graph", "graph_summary"]

#: Schema id stored in ``G.graph["schema"]``.
GRAPH_SCHEMA = "coreplan-graph/1"
#: Node types, in the order nodes are added.
NODE_TYPES = ("plan", "area", "item", "value", "stream", "owner", "timeline")
#: Edge relations.
RELATIONS = ("contains", "stated_value", "assigned_to", "mentions", "aligns_with", "continues")

_LABEL_CHARS = 60


def _short(text: str, n: int = _LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 3].rstrip() + "..."


def _lines(span) -> list[str]:
    a, b = span
    return [f"line {a}" if a == b else f"lines {a}-{b}"]


def _span_attrs(span) -> dict:
    if not span or span == (0, 0):
        return {}
    return {"line_start": span[0], "line_end": span[1]}


def _clean(attrs: dict) -> dict:
    return {k: v for k, v in attrs.items() if v is not None}


class _Builder:
    def __init__(self, G, reference):
        self.G = G
        self.reference = reference

    def node(self, node_id, type_, **attrs):
        if node_id not in self.G:
            self.G.add_node(node_id, type=type_, **_clean(attrs))

    def edge(self, u, v, relation, *, basis="stated", score=1.0, evidence=(), **attrs):
        self.G.add_edge(u, v, key=relation, relation=relation, basis=basis, score=float(score),
                        evidence=list(evidence), **(_clean(attrs) if attrs else attrs))

    def owner(self, name):
        node = f"owner:{name}"
        if node not in self.G:
            known = self.reference.owners.get(name) if self.reference is not None else None
            self.node(node, "owner", label=name, kind=known.kind if known else None,
                      parent=known.parent if known else None, registered=known is not None,
                      source=known.source if known else None)
        return node


@gc_paused()
def build_graph(planset, *, alignment=True, continuity=True, threshold=None, reference=None, n_jobs=None):
    """The graph of a planset: elements as nodes, containment, values, owners, alignment and
    continuity as edges (see the module docstring for every node and edge attribute).

    Parameters
    ----------
    planset : PlanSet, Plan or list of Plan
        The plans (annotated ones from :func:`~coreplan_analysis.load_catalog` by default).
    alignment : bool, default True
        Add ``aligns_with`` edges inferred by :func:`~coreplan_analysis._align.align`.
    continuity : bool, default True
        Add ``continues`` edges from :func:`~coreplan_analysis._continuity.crosswalk` between
        consecutive cycles of each organisation (in the planset's order:
        :func:`~coreplan_analysis._continuity.cycle_pairs`).
    threshold : float, optional
        Alignment threshold (default :data:`~coreplan_analysis._align.DEFAULT_THRESHOLD`).
    reference : Reference, optional
        Default the planset's.
    n_jobs : int, optional
        Processes that compute the alignment and the crosswalks (``-1``: every core). By
        default every core (at most 4) for 64 plans or more, else one; ``COREPLAN_JOBS`` in
        the environment sets the default. More than one only on Linux, in a process without
        other Python threads (:func:`~coreplan_analysis._runtime.workers_for`; the work is
        split between forked processes: :func:`~coreplan_analysis._runtime.forked_imap`). The
        graph is the same whatever the count.

    Returns
    -------
    networkx.MultiDiGraph
        Edge keys are the relations. ``G.graph`` holds ``name``, ``schema``, ``plans`` and
        ``alignment_threshold``.

    Examples
    --------
    >>> from coreplan_analysis import load_catalog
    >>> G = build_graph(load_catalog())
    >>> graph_summary(G)["nodes"]
    {'plan': 2, 'area': 6, 'item': 30, 'value': 7, 'stream': 2, 'owner': 18, 'timeline': 4}
    >>> G.nodes["core-2022-2025/3"]["label"], G.nodes["core-2022-2025/3"]["basis"]
    ("Evaluate and Adjust Core's Structure", 'confirmed')
    >>> G.edges["core-2021-2022/1/7", "value:Transparency", "stated_value"]["evidence"]
    ['area Membership and Engagement names Transparency']
    >>> e = G.edges["core-2021-2022/1/7", "value:Transparency", "aligns_with"]
    >>> e["basis"], e["score"], e["evidence"]
    ('inferred', 0.6468, ['report to members', 'quarterly report'])
    >>> [v for _, v, k in G.out_edges("core-2021-2022/1/3", keys=True) if k == "assigned_to"]
    ['owner:Diversity and Inclusion Committee', 'owner:Fundraising and Sponsorship Committee']
    """
    import networkx as nx

    plans = [planset] if hasattr(planset, "areas") else list(planset)
    if reference is None:
        reference = getattr(planset, "reference", None)
        if reference is None:
            from ._reference import load_reference

            reference = load_reference(getattr(planset, "workspace", None))
    G = nx.MultiDiGraph()
    G.graph.update(name="coreplan", schema=GRAPH_SCHEMA, plans=[p.id for p in plans])
    b = _Builder(G, reference)

    def elements():
        # Reference nodes first, in reference order, then each plan's elements.
        for c in reference.values:
            b.node(f"value:{c.name}", "value", label=c.name, framework=c.framework, description=c.description,
                   source=c.source)
        for fw in reference.frameworks:
            for c in fw.streams:
                b.node(f"stream:{fw.name}:{c.name}", "stream", label=c.name, framework=fw.name,
                       description=c.description, named_in_plan=c.named_in_plan, source=c.source)
        for plan in plans:
            _add_plan(b, plan, reference)

    if alignment:
        from ._align import _check_threshold

        threshold = _check_threshold(threshold)
        G.graph["alignment_threshold"] = threshold
    crosswalks = None
    starts = [None] * len(plans)  # the pair of consecutive cycles each plan starts (cycle_pairs)
    if continuity and len(plans) > 1:
        try:
            from ._continuity import _crosswalks as crosswalks
            from ._continuity import _next_cycles
        except ImportError:  # the continuity module is optional: no continues edges then
            crosswalks = None
        G.graph["continuity"] = "crosswalk" if crosswalks is not None else "unavailable"
        if crosswalks is not None:
            starts = [None if j is None else (plans[k], plans[j]) for k, j in enumerate(_next_cycles(plans))]
    if not alignment and not any(starts):
        elements()
        return G

    # The inferred edges (alignment rows and crosswalk links) are computed in parts of
    # consecutive plans (and the pairs they start), on several cores for a large planset: the
    # parts after the first in forked processes (forked_imap) while this one adds the elements
    # and computes and draws the first part. Each part's edges start at its own plans' units,
    # so drawing part by part (its aligns_with, then its continues) gives the very graph that
    # drawing all aligns_with edges, then all continues edges, gives: the same whatever the split.
    workers = workers_for(n_jobs, size=len(plans))
    workspace = getattr(planset, "workspace", None)
    bounds = _split(len(plans), workers)

    def job(a, z):
        pairs = [pair for pair in starts[a:z] if pair is not None]
        return plans[a:z] if alignment else [], pairs, threshold, reference, workspace, crosswalks

    # A child computes its part in pieces of _PIECE plans and sends each when it is done, so
    # this process draws the first pieces while the child computes the next ones.
    first = job(bounds[0], bounds[1])
    groups = [[job(k, min(k + _PIECE, z)) for k in range(a, z, _PIECE)] for a, z in zip(bounds[1:], bounds[2:])]
    concepts = {}
    if alignment:
        from ._align import concept_node

        concepts = {(c.framework, c.name): concept_node(c) for c in reference.concepts()}

    def draw(part):
        # (G.add_edge with the attributes _Builder.edge gives, in its order: these are most edges)
        rows, links = part
        add = G.add_edge
        # align(plans)'s inferred rows that count, without the table (tests/test_graph.py checks
        # the edges against align).
        for item, framework, name, score, evidence in rows:
            add(item, concepts[(framework, name)], key="aligns_with", relation="aligns_with", basis="inferred",
                score=float(score), evidence=[w for w in evidence.split(", ") if w])
        # crosswalk() of each pair of consecutive cycles, their searches computed together.
        for source, target, basis, link_score, evidence, cls in links:
            if source not in G or target not in G:
                continue
            score = round(float(link_score), 4)
            add(source, target, key="continues", relation="continues", basis=basis,
                score=1.0 if basis == "confirmed" else score, evidence=[w for w in evidence if w],
                **{"class": cls, "link_score": score})

    def here():
        elements()
        draw(_inferred_part(first))

    if not groups:
        here()
    else:
        for piece in forked_imap(_inferred_part, groups, meanwhile=here):
            draw(piece)
    return G


def _split(n: int, parts: int) -> list[int]:
    """Boundaries of *parts* runs of consecutive plans out of *n*, the first shorter: the
    process that computes it also adds the graph's elements and draws every edge.

    >>> _split(1000, 2), _split(10, 1)
    ([0, 412, 1000], [0, 10])
    """
    if parts <= 1:
        return [0, n]
    weights = [_OWN_SHARE] + [1.0] * (parts - 1)
    total = sum(weights)
    bounds, acc = [0], 0.0
    for w in weights[:-1]:
        acc += w
        bounds.append(min(n, round(n * acc / total)))
    return bounds + [n]


#: The first part's size, relative to the others' (its process also builds the graph).
_OWN_SHARE = 0.7
#: Plans per piece of a forked part (a multiple of the batches of ``_align._rows`` and
#: ``_continuity._crosswalks``, 128 plans and 64 pairs).
_PIECE = 128


def _inferred_part(job):
    """The aligns_with rows ``(item, framework, concept, score, evidence)`` of some plans and
    the continues links ``(source, target, basis, score, evidence, class)`` of some pairs:
    one part of :func:`build_graph`'s inferred edges (run in a forked process, or here)."""
    plans, pairs, threshold, reference, workspace, crosswalks = job
    rows = []
    if plans:
        from ._align import _rows

        rows = [(item, framework, name, score, evidence)
                for _, _, item, _, name, framework, _, _, score, evidence, _ in _rows(plans, threshold, reference,
                                                                                    hits_only=True)]
    links = []
    if pairs:
        for cw in crosswalks(pairs, reference=reference, workspace=workspace):
            links.extend((l.source, l.target, l.basis, l.score, l.evidence, l.cls) for l in cw.link_records)
    return rows, links


def _add_plan(b, plan, reference):
    G = b.G
    b.node(plan.id, "plan", label=plan.title or plan.id, title=plan.title, organisation=plan.organisation,
           period_start=plan.period[0], period_end=plan.period[1], source=plan.source.path,
           sha256=plan.source.sha256, profile=plan.profile, damaged=plan.damaged)
    for area in plan.areas:
        label = area.title if area.title is not None else f"area {area.ordinal} (title lost)"
        b.node(area.id, "area", label=label, plan=plan.id, ordinal=area.ordinal, number=area.number,
               title=area.title, statement=area.statement, values=list(area.values) or None,
               basis=area.basis, source_url=area.source_url, **_span_attrs(area.span))
        b.edge(plan.id, area.id, "contains", basis=area.basis, evidence=_where(area))
        for item in area.items:
            _add_item(b, plan, area, item, parent=area.id)
        for value in area.values:
            name = (reference.canonical_value(value) if reference is not None else None) or value
            node = f"value:{name}"
            if node not in G:
                b.node(node, "value", label=name, framework=getattr(reference, "value_set", None))
            quote = [f"area {area.title or area.id} names {name}"]
            b.edge(area.id, node, "stated_value", evidence=quote)
            for item in area.walk():
                b.edge(item.id, node, "stated_value", evidence=quote)
    for s in plan.streams:
        node = f"stream:{s.framework}:{s.name}"
        if node not in G:
            b.node(node, "stream", label=s.name, framework=s.framework)
        b.edge(plan.id, node, "aligns_with", evidence=[f"the plan names the {s.name} stream of the {s.framework}"])
    for k, t in enumerate(plan.timeline, start=1):
        node = f"{plan.id}/timeline/{k}"
        b.node(node, "timeline", label=t.when, plan=plan.id, when=t.when, when_start=t.start, when_end=t.end,
               text=t.text, **_span_attrs(t.span))
        b.edge(plan.id, node, "contains", evidence=_lines(t.span))
        for o in t.owners:
            b.edge(node, b.owner(o), "mentions", evidence=[o])


def _where(element) -> list[str]:
    if getattr(element, "basis", "stated") == "confirmed" and getattr(element, "source_url", None):
        return [element.source_url]
    if element.span == (0, 0):
        return []
    return _lines(element.span)


def _add_item(b, plan, area, item, *, parent):
    label = f"{item.number} {_short(item.text)}" if item.number else _short(item.text)
    b.node(item.id, "item", label=label, plan=plan.id, area=area.id, kind=item.kind, number=item.number,
           text=item.text, depth=item.depth, is_leaf=item.is_leaf, status=item.status.kind,
           status_date=item.status.date, status_text=item.status.text, owners_raw=item.owners_raw,
           basis=item.basis, **_span_attrs(item.span))
    b.edge(parent, item.id, "contains", basis=item.basis, evidence=_lines(item.span))
    for o in item.owners:
        b.edge(item.id, b.owner(o), "assigned_to", basis=item.basis, evidence=[item.owners_raw or o])
    for o in item.mentions:
        b.edge(item.id, b.owner(o), "mentions", evidence=[o])
    for child in item.children:
        _add_item(b, plan, area, child, parent=item.id)


def graph_summary(G) -> dict:
    """Counts of a plan graph: nodes by type and edges by relation and basis, in fixed order.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p", type="plan"); G.add_node("value:X", type="value")
    >>> _ = G.add_edge("p", "value:X", key="aligns_with", relation="aligns_with", basis="stated")
    >>> graph_summary(G)
    {'nodes': {'plan': 1, 'value': 1}, 'edges': {'aligns_with': {'stated': 1}}}
    """
    nodes: dict = {}
    for t in NODE_TYPES:
        n = sum(1 for _, d in G.nodes(data=True) if d.get("type") == t)
        if n:
            nodes[t] = n
    edges: dict = {}
    for rel in RELATIONS:
        by_basis = {}
        for basis in ("stated", "inferred", "confirmed"):
            n = sum(1 for *_, d in G.edges(data=True) if d.get("relation") == rel and d.get("basis") == basis)
            if n:
                by_basis[basis] = n
        if by_basis:
            edges[rel] = by_basis
    return {"nodes": nodes, "edges": edges}
