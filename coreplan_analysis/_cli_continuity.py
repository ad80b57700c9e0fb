"""``coreplan crosswalk``: what one plan cycle carried into the next (see :mod:`._continuity`).

::

    coreplan crosswalk [OLD NEW] [--json] [--threshold T] [--one-to-one] [--suggested-only]
                       [--decisions FILE] [--draft [--out FILE]]

With no plans, the most recent pair of consecutive cycles of one organisation in the catalog
(:func:`~coreplan_analysis.cycle_pairs`; the bundled Core pair). OLD and NEW are
catalog ids or plan files. Output goes through ``out`` (nothing is printed here); errors are
raised as :class:`~coreplan_analysis.CoreplanError` subclasses, which the command line turns into
one line on stderr and exit code 2.
"""

from __future__ import annotations

__all__ = ["format_crosswalk"]

import math

from ._errors import InputError
from .cli import _plans_from, _short, _workspace, command


def _args(sp):
    sp.add_argument("plans", nargs="*", metavar="PLAN",
                    help="OLD and NEW: catalog ids or plan files (default: the catalog's most recent two "
                         "consecutive cycles of one organisation)")
    sp.add_argument("--json", action="store_true", help="print the coreplan-crosswalk/1 JSON")
    from ._continuity import DEFAULT_THRESHOLD

    sp.add_argument("--threshold", metavar="T",
                    help=f"smallest score of a suggested link, 0 to 1 (default {DEFAULT_THRESHOLD})")
    sp.add_argument("--one-to-one", action="store_true", help="at most one link per old and per new item")
    sp.add_argument("--suggested-only", action="store_true",
                    help="ignore the recorded human decisions: the algorithm alone")
    sp.add_argument("--decisions", metavar="FILE",
                    help="read decisions from FILE (default: crosswalks/OLD__NEW.yaml in the data folder)")
    sp.add_argument("--draft", action="store_true",
                    help="write the suggested links as a decisions draft for a person to edit")
    sp.add_argument("--out", metavar="FILE",
                    help="where --draft writes (default: build/crosswalks/OLD__NEW.draft.yaml)")
    sp.add_argument("--profile", metavar="NAME|PATH", help="how plan files are written (default: core)")


def _threshold(text):
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise InputError(f"--threshold must be a number between 0 and 1, not {text!r}")
    return value


@command("crosswalk", "link an old plan's items to the next plan's: carried, evolved, dropped, new", _args)
def _crosswalk(args, out):
    from ._continuity import crosswalk, write_draft
    from ._json import dumps

    threshold = _threshold(args.threshold)
    if args.out is not None and not args.draft:
        raise InputError("--out goes with --draft")
    if args.suggested_only and args.decisions:
        raise InputError("--suggested-only ignores decisions; drop --decisions")
    if len(args.plans) not in (0, 2):
        raise InputError(f"crosswalk takes two plans, OLD and NEW (or none for the catalog's latest pair), "
                         f"not {len(args.plans)}")
    plans = _plans_from(args, raw=False)
    if not args.plans:
        from ._continuity import cycle_pairs

        pairs = cycle_pairs(plans)
        if not pairs:
            raise InputError("the catalog holds no two plans of one organisation; name OLD and NEW")
        plans = pairs[-1]
    old, new = plans
    ws = _workspace(args)
    decisions = None if args.suggested_only else (args.decisions or "auto")
    cw = crosswalk(old, new, threshold=threshold, one_to_one=args.one_to_one, decisions=decisions, workspace=ws)
    if args.draft:
        from pathlib import Path

        path = Path(args.out) if args.out else Path("build") / "crosswalks" / f"{old.id}__{new.id}.draft.yaml"
        write_draft(cw, path, workspace=ws)
        pending = sum(l.basis == "inferred" for l in cw.link_records)
        recorded = sum(d.decision != "pending" for d in cw.decisions)
        out(f"wrote {path}: {pending} suggested links pending, {recorded} decisions recorded")
        for w in cw.warnings:
            out(f"warning: {w}")
        return 0
    if args.json:
        out.write(dumps(cw.to_json()))
    else:
        out.write(format_crosswalk(cw))
    return 0


def format_crosswalk(cw) -> str:
    """The text report of a :class:`~coreplan_analysis._continuity.Crosswalk`."""
    from ._continuity import unmatched_label

    lines = []
    mode = "one-to-one" if cw.one_to_one else "many-to-many"
    source = f"decisions: {cw.decisions_path}" if cw.decisions_path else "algorithm alone"
    lines.append(f"crosswalk {cw.old} -> {cw.new} (threshold {cw.threshold}, {mode}, {source})")
    leaves = cw.old_plan.leaves()
    sources = {l.source for l in cw.link_records}
    continued = sum(it.id in sources for it in leaves)
    lines.append(f"continuity: {cw.continuity:.2f} ({continued} of {len(leaves)} old actions carried or evolved)")
    gone = unmatched_label(cw)
    if cw.new_plan_incomplete:
        lines.append(f"the copy of {cw.new} is damaged: old items without a successor are "
                     f"\"{gone}\", not dropped")
    lines.append("by area:")
    titles = {a.id: a.title or "(title lost)" for a in cw.old_plan.areas}
    for area, (n, c) in cw.area_continuity("old").items():
        share = f"{c / n:.2f}" if n else "-"
        lines.append(f"  {area} {titles[area]}: {c}/{n} ({share})")
    texts = {it.id: it.text for _, it in list(cw.old_plan.walk()) + list(cw.new_plan.walk())}
    texts.update({a.id: a.title or a.statement or "(area)" for a in cw.old_plan.areas + cw.new_plan.areas})
    lines.append(f"links ({len(cw.link_records)}):")
    for l in cw.link_records:
        lines.append(f"  {l.cls:<8} {l.basis:<9} {l.score:.2f}  {l.source} -> {l.target}")
        lines.append(f"      {_short(texts.get(l.source, ''), 44)} -> {_short(texts.get(l.target, ''), 44)}")
        if l.evidence:
            lines.append(f"      evidence: {', '.join(l.evidence)}")
        if l.reason:
            lines.append(f"      reason: {_short(l.reason, 100)}")
    if cw.rejected_records:
        lines.append(f"rejected by a person ({len(cw.rejected_records)}):")
        for l in cw.rejected_records:
            lines.append(f"  {l.score:.2f}  {l.source} -> {l.target}: {_short(l.reason or '', 80)}")
    for title, ids in ((gone, cw.dropped), ("new", cw.new_items), ("completed", cw.completed)):
        lines.append(f"{title} ({len(ids)}):")
        for i in ids:
            lines.append(f"  {i}  {_short(texts.get(i, ''), 70)}")
    for name, df in (("values", cw.values), ("owners", cw.owners)):
        groups = {}
        for key, status in zip(df.iloc[:, 0], df["status"]):
            groups.setdefault(status, []).append(key)
        summary = "; ".join(f"{status}: {', '.join(keys)}" for status, keys in sorted(groups.items()))
        lines.append(f"{name}: {summary or 'none named'}")
    if cw.warnings:
        lines.append(f"warnings ({len(cw.warnings)}):")
        lines += [f"  {w}" for w in cw.warnings]
    return "\n".join(lines) + "\n"
