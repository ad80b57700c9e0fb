"""Subcommands ``graph``, ``align`` and ``gaps`` of the ``coreplan`` command line.

Registered on import by :mod:`coreplan_analysis.cli`. Each works on the bundled plans when given
no plan, loads them with their annotations, and writes through the ``out`` object it receives.
"""

from __future__ import annotations

__all__ = []

from .cli import _planset_from, _short, command


def _threshold(text):
    import argparse

    try:
        t = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= t <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {t}")
    return t


def _graph_file(text):
    import argparse
    from pathlib import Path

    from ._export import GRAPH_FORMATS

    if Path(text).suffix.lower() not in GRAPH_FORMATS:
        raise argparse.ArgumentTypeError(
            f"{text!r}: the file name must end in {', '.join(GRAPH_FORMATS)} (it chooses the format)")
    return text


def _plans_arg(sp):
    sp.add_argument("plans", nargs="*", metavar="PLAN", help="plan files or catalog ids (default: the catalog)")


# -- graph -------------------------------------------------------------------------------------
def _args_graph(sp):
    _plans_arg(sp)
    sp.add_argument("--out", default="build/graph.graphml", metavar="FILE", type=_graph_file,
                    help="output file; .graphml, .gexf or .json (node-link) (default: build/graph.graphml)")
    sp.add_argument("--threshold", type=_threshold, metavar="T", help="alignment threshold (default 0.25)")
    sp.add_argument("--no-alignment", action="store_true", help="leave out inferred aligns_with edges")
    sp.add_argument("--no-continuity", action="store_true", help="leave out continues edges")


@command("graph", "write the plan graph (GraphML, GEXF or node-link JSON, by the --out suffix)", _args_graph)
def _graph(args, out):
    from ._export import write_graph
    from ._graph import build_graph, graph_summary

    G = build_graph(_planset_from(args), alignment=not args.no_alignment, continuity=not args.no_continuity,
                    threshold=args.threshold)
    write_graph(G, args.out)
    summary = graph_summary(G)
    nodes = ", ".join(f"{n} {t}" for t, n in summary["nodes"].items())
    edges = ", ".join(f"{sum(b.values())} {r}" for r, b in summary["edges"].items())
    out(f"wrote {args.out}: {G.number_of_nodes()} nodes ({nodes}), {G.number_of_edges()} edges ({edges})")
    if G.graph.get("continuity") == "unavailable":
        out("note: continuity module not available; no continues edges")
    return 0


# -- align -------------------------------------------------------------------------------------
def _args_align(sp):
    _plans_arg(sp)
    sp.add_argument("--json", action="store_true", help="print the coreplan-align/1 JSON")
    sp.add_argument("--threshold", type=_threshold, metavar="T", help="score from which an inferred link counts "
                    "(default 0.25)")
    sp.add_argument("--all", action="store_true", help="also list inferred rows below the threshold")


@command("align", "which goals and actions serve which values and streams, with evidence", _args_align)
def _align(args, out):
    from ._align import align, align_to_json, _counts_phrase
    from ._json import dumps

    df = align(_planset_from(args), threshold=args.threshold)
    if not args.all:
        df = df[(df["basis"] != "inferred") | df["above_threshold"]]
    if args.json:
        out.write(dumps(align_to_json(df)))
        return 0
    threshold = df.attrs.get("threshold")
    out(f"alignment (inferred links at {_counts_phrase(threshold)}; stated links from the areas' values lines)")
    for plan, rows in df.groupby("plan", sort=False):
        out()
        out(f"{plan}: {len(rows)} links ({(rows.basis == 'stated').sum()} stated, "
            f"{(rows.basis == 'inferred').sum()} inferred)")
        width = max(len(i) for i in rows["item"])
        cw = max(len(c) for c in rows["concept"])
        for r in rows.itertuples(index=False):
            mark = "" if r.above_threshold else " (below)"
            out(f"  {r.item:<{width}}  {r.concept:<{cw}}  {r.basis:<9} {r.score:6.4f}  "
                f"{_short(r.evidence, 70)}{mark}")
    return 0


# -- gaps --------------------------------------------------------------------------------------
def _args_gaps(sp):
    _plans_arg(sp)
    sp.add_argument("--json", action="store_true", help="print the coreplan-gaps/1 JSON")
    sp.add_argument("--config", metavar="FILE", help="a gap rules file (default: reference/gaps.yaml of the "
                    "workspace, else the bundled one)")


@command("gaps", "coverage gaps: unserved values, unowned actions, idle or overloaded owners, lost items",
         _args_gaps)
def _gaps(args, out):
    from ._gaps import find_gaps, gaps_to_json
    from ._json import dumps

    df = find_gaps(_planset_from(args), config=args.config)
    if args.json:
        out.write(dumps(gaps_to_json(df)))
        return 0
    counts = df["severity"].value_counts()
    out(f"{len(df)} gaps: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("high", "medium", "low")))
    for note in df.attrs.get("not_judged", {}).values():
        out(f"note: {note}")
    for r in df.itertuples(index=False):
        out(f"{r.severity.upper():<6} {r.plan}  {r.rule}  {r.subject}")
        out(f"       {r.message}")
        if r.evidence:
            out(f"       evidence: {_short(r.evidence, 110)}")
    return 0
