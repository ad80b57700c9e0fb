"""Coverage gaps: what a plan leaves uncovered, unowned, overloaded or lost.

:func:`find_gaps` runs the rules of :data:`RULES` over a :class:`~coreplan_analysis.PlanSet` and
returns one row per finding. Which rules run, their severities and thresholds live in
``data/reference/gaps.yaml`` (a facilitator edits it; a workspace's copy wins, and keys it leaves
out come from :data:`DEFAULT_CONFIG`). The rules, per plan:

``value-unserved``
    A value of the value set that no action (item of kind action) serves by its text: no
    inferred alignment at or above the threshold (:func:`~coreplan_analysis._align.align`).
    Subject ``value:<name>``.
``value-unsupported``
    An area names a value, but none of its actions' text supports it
    (:func:`~coreplan_analysis._align.stated_vs_inferred`, "stated, unsupported"). Subject the
    area id; one row per value.
``stream-unadvanced``
    A stream of the umbrella strategy (every framework of the reference data, or with
    ``named_only`` only those the plan names) that no goal or action of the plan advances.
    Subject ``stream:<framework>:<name>``.
``action-no-owner``
    An action with no owner. With ``collapse_plan`` (default), a plan none of whose actions names
    an owner is reported once (subject the plan id) rather than action by action.
``owner-overloaded``
    An owner assigned more than ``max_assignments`` items (goals or actions) of one plan.
    Subject ``owner:<name>``.
``owner-idle``
    A body of the owner registry whose kind is in ``kinds`` (by default committees and
    coordination committees: bodies that carry actions of their own; the board, staff, partners,
    sections and groups of people are left out) that the plan neither assigns work to nor names.
    Only checked in plans that assign work to someone (otherwise every body would be idle and the
    finding is ``action-no-owner``). Subject ``owner:<name>``.
``body-prose-only``
    A body the plan names in prose (an item's text, a timeline entry, the accountability section)
    but never assigns an item to. Subject ``owner:<name>``.
``goal-no-actions``
    A goal with no actions under it. Subject the goal's id.
``item-damaged``
    What the copy lost: an item cut off mid-sentence (``truncated`` diagnostic in its lines), an
    area whose title was lost (``missing-heading``), a whole area known from other sources but
    missing from the copy (an annotation), all at ``severity``; an area statement cut off, an
    item with an unbalanced bracket, or a lost title that an annotation restored, at
    ``minor_severity``. Damage outside areas (introductions) is not an item and is not listed.
``numbering-gap``
    The printed numbering skips (``numbering-gap`` diagnostic): an item may have been lost.
    Subject the item where the skip shows.

Rows are sorted by severity (high, medium, low), plan, rule, subject, then message.

``value-unserved``, ``value-unsupported`` and ``owner-idle`` judge a plan against the reference
data's value set and committees, which are one organisation's (Core's, bundled): they are not
run on a plan of another organisation, whose ``stream-unadvanced`` rows cover only the streams
it names (as with ``named_only``); the table's ``attrs["not_judged"]`` says so.
"""

from __future__ import annotations

__all__ = [
    "GAPS_SCHEMA",
    "CONFIG_SCHEMA",
    "GAP_COLUMNS",
    "SEVERITIES",
    "RULES",
    "DEFAULT_CONFIG",
    "find_gaps",
    "load_gap_config",
    "gaps_to_json",
]

import copy
from pathlib import Path

from ._errors import DataError
from ._io import nearest_line, yaml_lines

#: Schema id of ``coreplan gaps --json``.
GAPS_SCHEMA = "coreplan-gaps/1"
#: Schema id of ``reference/gaps.yaml``.
CONFIG_SCHEMA = "coreplan-gaps-config/1"
#: Columns of :func:`find_gaps`'s table.
GAP_COLUMNS = ("rule", "severity", "plan", "subject", "message", "evidence")
#: Severities, most severe first (the sort order).
SEVERITIES = ("high", "medium", "low")
#: The rules, in the order they run.
RULES = (
    "value-unserved", "value-unsupported", "stream-unadvanced", "action-no-owner", "owner-overloaded",
    "owner-idle", "body-prose-only", "goal-no-actions", "item-damaged", "numbering-gap",
)  # fmt: skip

#: The configuration used for every key ``gaps.yaml`` leaves out (the bundled file says the same).
DEFAULT_CONFIG = {
    "threshold": None,
    "rules": {
        "value-unserved": {"enabled": True, "severity": "high"},
        "value-unsupported": {"enabled": True, "severity": "medium"},
        "stream-unadvanced": {"enabled": True, "severity": "high", "named_only": False},
        "action-no-owner": {"enabled": True, "severity": "medium", "collapse_plan": True},
        "owner-overloaded": {"enabled": True, "severity": "medium", "max_assignments": 2},
        "owner-idle": {"enabled": True, "severity": "low", "kinds": ["committee", "coordination committee"]},
        "body-prose-only": {"enabled": True, "severity": "low"},
        "goal-no-actions": {"enabled": True, "severity": "medium"},
        "item-damaged": {"enabled": True, "severity": "high", "minor_severity": "low"},
        "numbering-gap": {"enabled": True, "severity": "medium"},
    },
}

_SETTING_TYPES = {
    "enabled": bool,
    "severity": str,
    "minor_severity": str,
    "named_only": bool,
    "collapse_plan": bool,
    "max_assignments": int,
    "kinds": list,
}


def _merge_config(data, *, path=None, lines=None) -> dict:
    """DEFAULT_CONFIG overlaid with *data* (a mapping), checked."""
    lines = lines or {}

    def fail(message, key):
        line = nearest_line(lines, key)
        raise DataError(message, path=path, line=line if line is not None else (1 if path else None))

    config = copy.deepcopy(DEFAULT_CONFIG)
    if data is None:
        return config
    if not isinstance(data, dict):
        fail("expected a mapping with 'rules' (and optionally 'threshold')", ())
    for key in data:
        if key not in ("schema", "threshold", "rules", "note"):
            fail(f"unknown key {key!r} (known: note, rules, schema, threshold)", (key,))
    if "schema" in data and data["schema"] != CONFIG_SCHEMA:
        fail(f"schema: expected {CONFIG_SCHEMA!r}, found {data['schema']!r}", ("schema",))
    t = data.get("threshold")
    if t is not None:
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 <= t <= 1:
            fail(f"threshold: expected a number between 0 and 1 or null, found {t!r}", ("threshold",))
        config["threshold"] = float(t)
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        fail("rules: expected a mapping of rule name to settings", ("rules",))
    for name, settings in rules.items():
        if name not in config["rules"]:
            fail(f"rules: unknown rule {name!r} (known: {', '.join(RULES)})", ("rules", name))
        if settings is None:
            continue
        if not isinstance(settings, dict):
            fail(f"rules.{name}: expected a mapping of settings", ("rules", name))
        known = config["rules"][name]
        for key, value in settings.items():
            kp = ("rules", name, key)
            if key not in known:
                fail(f"rules.{name}: unknown setting {key!r} (known: {', '.join(sorted(known))})", kp)
            want = _SETTING_TYPES[key]
            if want is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                fail(f"rules.{name}.{key}: expected a whole number of at least 0, found {value!r}", kp)
            if want is not int and not isinstance(value, want):
                fail(f"rules.{name}.{key}: expected {want.__name__}, found {value!r}", kp)
            if key in ("severity", "minor_severity") and value not in SEVERITIES:
                fail(f"rules.{name}.{key}: expected one of {', '.join(SEVERITIES)}, found {value!r}", kp)
            if key == "kinds" and not all(isinstance(k, str) for k in value):
                fail(f"rules.{name}.kinds: expected a list of owner kinds", kp)
            known[key] = value
    return config


def load_gap_config(workspace=None, *, path=None) -> dict:
    """The gap rules' configuration: ``reference/gaps.yaml`` over :data:`DEFAULT_CONFIG`.

    Parameters
    ----------
    workspace : Workspace, str or os.PathLike, optional
        Where ``reference/gaps.yaml`` is looked for (a workspace first, then the bundled data).
    path : str or os.PathLike, optional
        A configuration file to read instead.

    Raises
    ------
    DataError
        A malformed file (file and line in the message).

    Examples
    --------
    >>> cfg = load_gap_config()
    >>> cfg["rules"]["owner-overloaded"]["max_assignments"], cfg["rules"]["owner-idle"]["kinds"]
    (2, ['committee', 'coordination committee'])
    """
    from ._io import load_yaml
    from ._paths import Workspace

    if path is None:
        ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
        path = ws.find("reference/gaps.yaml")
        if path is None:
            return copy.deepcopy(DEFAULT_CONFIG)
    data = load_yaml(path, error=DataError)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError:
        text = ""
    return _merge_config(data, path=path, lines=yaml_lines(text))


def _plan_name(plan) -> str:
    start, end = plan.period
    if start and end:
        return f"the {start}-{end} plan"
    return f"plan {plan.id}"


def _area_name(area) -> str:
    n = area.number or str(area.ordinal)
    return f"area {n} ({area.title})" if area.title else f"area {n} (title lost)"


def _item_name(area, item) -> str:
    if item.number:
        return f"{item.kind} {item.number} of {_area_name(area)}"
    return f"the {item.kind} of {_area_name(area)}"


def _quote(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return "\u201c" + (text if len(text) <= n else text[: n - 3].rstrip() + "...") + "\u201d"


def find_gaps(planset, *, config=None, alignment=None):
    """Coverage gaps of every plan: one row per finding, with a message a planner understands.

    Parameters
    ----------
    planset : PlanSet, Plan or list of Plan
        The plans (annotated ones from :func:`~coreplan_analysis.load_catalog` by default).
    config : dict, str or os.PathLike, optional
        A configuration mapping (partial: laid over :data:`DEFAULT_CONFIG`) or a YAML file;
        default ``reference/gaps.yaml`` of the planset's workspace.
    alignment : pandas.DataFrame, optional
        A table from :func:`~coreplan_analysis._align.align` for these plans (computed at the
        configured threshold when not given).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GAP_COLUMNS`: ``rule``, ``severity`` (high, medium, low), ``plan``,
        ``subject`` (an item, area or plan id, or ``value:``, ``stream:``, ``owner:`` node id),
        ``message``, ``evidence``. Sorted by severity, plan, rule, subject, message.
        ``attrs["not_judged"]`` maps the id of each plan of another organisation than the
        reference data's (:meth:`~coreplan_analysis._reference.Reference.is_for`) to a note:
        ``value-unserved``, ``value-unsupported`` and ``owner-idle`` are not run on it.

    Examples
    --------
    >>> from coreplan_analysis import load_catalog
    >>> gaps = find_gaps(load_catalog())
    >>> gaps[gaps.severity == "high"][["plan", "rule", "subject"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['core-2022-2025', 'item-damaged', 'core-2022-2025/2/2'],
     ['core-2022-2025', 'item-damaged', 'core-2022-2025/3'],
     ['core-2022-2025', 'value-unserved', 'value:Sustainability']]
    >>> print(gaps[gaps.rule == "value-unserved"].message.iloc[0])
    No action of the 2022-2025 plan serves the value Sustainability.
    """
    import pandas as pd

    from ._align import align, stated_vs_inferred

    plans = [planset] if hasattr(planset, "areas") else list(planset)
    workspace = getattr(planset, "workspace", None)
    if config is None:
        cfg = load_gap_config(workspace)
    elif isinstance(config, dict):
        cfg = _merge_config(config)
    else:
        cfg = load_gap_config(path=config)
    reference = getattr(planset, "reference", None)
    if reference is None:
        from ._reference import load_reference

        reference = load_reference(workspace)
    if alignment is None:
        alignment = align(plans, threshold=cfg["threshold"], reference=reference)
    rows: list[tuple] = []
    rules = cfg["rules"]
    sv = stated_vs_inferred(alignment) if rules["value-unsupported"]["enabled"] else None
    not_judged = {}
    for plan in plans:
        a = alignment[alignment["plan"] == plan.id]
        judged = reference.is_for(plan) if hasattr(reference, "is_for") else True
        if not judged:
            not_judged[plan.id] = (
                f"{plan.id}: a plan of {plan.organisation}, so not judged against {reference.value_set} or the "
                f"committees of {reference.organisation} ({', '.join(_OWN_RULES)} not run; stream-unadvanced "
                "only for the streams it names)")
        for name in RULES:
            r = rules[name]
            if not r["enabled"] or (not judged and name in _OWN_RULES):
                continue
            if not judged and name == "stream-unadvanced":
                r = dict(r, named_only=True)  # (held only to the frameworks it says it serves)
            fn = _RULE_FUNCS[name]
            for subject, message, evidence, *sev in fn(plan, r, a, reference, sv):
                severity = sev[0] if sev else r["severity"]
                rows.append((name, severity, plan.id, subject, message, evidence))
    df = pd.DataFrame(rows, columns=list(GAP_COLUMNS), dtype="str")
    rank = {s: k for k, s in enumerate(SEVERITIES)}
    df = df.assign(_rank=df["severity"].map(rank)).sort_values(
        ["_rank", "plan", "rule", "subject", "message"], kind="stable").drop(columns="_rank")
    df = df.reset_index(drop=True)
    df.attrs["not_judged"] = not_judged
    return df


#: The rules that judge a plan against the reference data's own organisation: its value set and
#: its committees. They are not run on another organisation's plan (:meth:`Reference.is_for
#: <coreplan_analysis._reference.Reference.is_for>`).
_OWN_RULES = ("value-unserved", "value-unsupported", "owner-idle")


def gaps_to_json(df) -> dict:
    """The ``coreplan-gaps/1`` document of a :func:`find_gaps` table.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame([["goal-no-actions", "medium", "p", "p/1/#1", "The goal has no actions.", ""]],
    ...                   columns=list(GAP_COLUMNS))
    >>> gaps_to_json(df)  # doctest: +NORMALIZE_WHITESPACE
    {'schema': 'coreplan-gaps/1', 'rows': [{'rule': 'goal-no-actions', 'severity': 'medium', 'plan': 'p',
     'subject': 'p/1/#1', 'message': 'The goal has no actions.', 'evidence': ''}]}

    Each row names its plan: a subject such as ``owner:Board of Directors`` may be a finding
    about several plans. A ``notes`` list says which plans some rules were not run on, when
    there are such plans (``attrs["not_judged"]``).
    """
    keys = ("rule", "severity", "plan", "subject", "message", "evidence")
    doc = {"schema": GAPS_SCHEMA, "rows": [{k: str(getattr(r, k)) for k in keys} for r in df.itertuples(index=False)]}
    if df.attrs.get("not_judged"):
        doc["notes"] = list(df.attrs["not_judged"].values())
    return doc


# -- the rules ----------------------------------------------------------------------------------
# Each yields (subject, message, evidence) or (subject, message, evidence, severity).


def _best(rows) -> str:
    if rows is None or rows.empty:
        return ""
    best = rows.sort_values(["score", "item"], ascending=[False, True], kind="stable").iloc[0]
    if best["score"] <= 0:
        return "no action shares a word with it"
    words = f": {best['evidence']}" if best["evidence"] else ""
    return f"closest: {best['item']} ({best['score']:.2f}{words})"


def _value_unserved(plan, r, a, reference, sv):
    actions = a[(a["kind"] == "action") & (a["concept_kind"] == "value") & (a["basis"] == "inferred")]
    if actions.empty:
        return
    named = {v for area in plan.areas for v in area.values}
    for c in reference.values:
        rows = actions[(actions["concept"] == c.name) & (actions["framework"] == c.framework)]
        if rows["above_threshold"].any():
            continue
        goals = a[(a["kind"] == "goal") & (a["basis"] == "inferred") & a["above_threshold"]
                  & (a["concept"] == c.name) & (a["framework"] == c.framework)]
        notes = [_best(rows), "an area names it" if c.name in named else "no area names it"]
        if not goals.empty:
            notes.append("a goal does (" + ", ".join(goals["item"]) + ") but none of its actions")
        yield (f"value:{c.name}", f"No action of {_plan_name(plan)} serves the value {c.name}.",
               "; ".join(n for n in notes if n))


def _value_unsupported(plan, r, a, reference, sv):
    if sv is None:
        return
    areas = {area.id: area for area in plan.areas}
    rows = sv[(sv["plan"] == plan.id) & (sv["status"] == "stated, unsupported")]
    for row in rows.itertuples(index=False):
        area = areas.get(row.area)
        where = _area_name(area) if area is not None else row.area
        evidence = f"closest: {row.evidence} ({row.score:.2f})" if row.evidence else "no action shares a word with it"
        yield (row.area, f"{where[0].upper() + where[1:]} names the value {row.concept}, but none of its "
               f"actions' text supports it.", evidence)


def _stream_unadvanced(plan, r, a, reference, sv):
    if a.empty:
        return
    named = {(s.framework, s.name) for s in plan.streams}
    streams = [s for fw in reference.frameworks for s in fw.streams]
    inferred = a[(a["concept_kind"] == "stream") & (a["basis"] == "inferred")]
    for s in streams:
        if r["named_only"] and (s.framework, s.name) not in named:
            continue
        rows = inferred[(inferred["concept"] == s.name) & (inferred["framework"] == s.framework)]
        if rows["above_threshold"].any():
            continue
        says = "the plan names it" if (s.framework, s.name) in named else "the plan does not name it"
        yield (f"stream:{s.framework}:{s.name}",
               f"No goal or action of {_plan_name(plan)} advances the {s.name} stream of the {s.framework}.",
               f"{_best(rows)}; {says}".lstrip("; "))


def _action_no_owner(plan, r, a, reference, sv):
    actions = [(area, it) for area, it in plan.walk() if it.kind == "action"]
    missing = [(area, it) for area, it in actions if not it.owners]
    if not missing:
        return
    if r["collapse_plan"] and len(missing) == len(actions) and len(actions) > 1:
        yield (plan.id, f"None of the {len(actions)} actions of {_plan_name(plan)} names who carries it.",
               "; ".join(it.id for _, it in missing))
        return
    for area, it in missing:
        yield (it.id, f"No one is named to carry {_item_name(area, it)}.", _quote(it.text))


def _assignments(plan) -> dict:
    out: dict = {}
    for _, it in plan.walk():
        for o in it.owners:
            out.setdefault(o, []).append(it.id)
    return out


def _prose_mentions(plan) -> dict:
    out: dict = {}
    for _, it in plan.walk():
        for o in it.mentions:
            out.setdefault(o, []).append(it.id)
    for k, t in enumerate(plan.timeline, start=1):
        for o in t.owners:
            out.setdefault(o, []).append(f"timeline line {t.span[0]}")
    for c in plan.commitments:
        for o in c.owners:
            out.setdefault(o, []).append(f"accountability line {c.span[0]}")
    return {o: list(dict.fromkeys(v)) for o, v in out.items()}


def _owner_overloaded(plan, r, a, reference, sv):
    n = r["max_assignments"]
    for owner, items in _assignments(plan).items():
        if len(items) > n:
            yield (f"owner:{owner}",
                   f"{owner} carries {len(items)} items of {_plan_name(plan)}, more than {n}.",
                   "; ".join(items))


def _owner_idle(plan, r, a, reference, sv):
    assigned = _assignments(plan)
    if not assigned:
        return
    mentioned = _prose_mentions(plan)
    kinds = set(r["kinds"])
    for owner in reference.owners:
        if owner.kind in kinds and owner.name not in assigned and owner.name not in mentioned:
            yield (f"owner:{owner.name}",
                   f"{owner.name} ({owner.kind}) has no part in {_plan_name(plan)}.",
                   f"in the owner registry{f' ({owner.source})' if owner.source else ''}; "
                   "no item assigned, not named")


def _body_prose_only(plan, r, a, reference, sv):
    assigned = _assignments(plan)
    for owner, where in _prose_mentions(plan).items():
        if owner not in assigned:
            yield (f"owner:{owner}",
                   f"{_plan_name(plan)[0].upper() + _plan_name(plan)[1:]} names {owner} but gives it no action.",
                   "named in " + "; ".join(where))


def _goal_no_actions(plan, r, a, reference, sv):
    for area, it in plan.walk():
        if it.kind == "goal" and not it.children:
            yield (it.id, f"{_item_name(area, it)[0].upper() + _item_name(area, it)[1:]} has no actions under it.",
                   _quote(it.text))


def _locate(plan, line):
    """(area, item) whose span holds *line*: the deepest item, else the area alone."""
    for area in plan.areas:
        if area.span != (0, 0) and area.span[0] <= line <= area.span[1]:
            found = None
            for it in area.walk():
                if it.span[0] <= line <= it.span[1]:
                    found = it
            return area, found
    return None, None


def _item_damaged(plan, r, a, reference, sv):
    minor = r["minor_severity"]
    for d in plan.diagnostics:
        if d.line is None or d.kind not in ("truncated", "missing-heading", "unbalanced"):
            continue
        area, item = _locate(plan, d.line)
        if area is None:
            continue
        evidence = f"line {d.line}: {d.message}"
        if d.kind == "missing-heading":
            if area.title is not None and area.basis == "confirmed":
                yield (area.id, f"The copy lost the title of {_area_name(area)}; an annotation restores it "
                       f"(basis confirmed).", f"{evidence}; source: {area.source_url or 'none given'}", minor)
            else:
                yield (area.id, f"The copy lost the title of {_area_name(area)}.", evidence)
        elif item is not None and d.kind == "truncated":
            yield (item.id, f"The copy cut off {_item_name(area, item)} mid-sentence: words are lost.", evidence)
        elif item is not None:
            yield (item.id, f"{_item_name(area, item)[0].upper() + _item_name(area, item)[1:]} has an unbalanced "
                   "bracket: words may be lost.", evidence, minor)
        elif d.kind == "truncated":
            yield (area.id, f"The copy cut off the statement of {_area_name(area)}.", evidence, minor)
    for area in plan.areas:
        if area.span == (0, 0) and area.basis == "confirmed":
            yield (area.id, f"{_area_name(area)[0].upper() + _area_name(area)[1:]} is known from other sources but "
                   "missing from the copy: its goals and actions are lost.",
                   f"annotation; source: {area.source_url or 'none given'}")


def _numbering_gap(plan, r, a, reference, sv):
    for d in plan.diagnostics:
        if d.kind != "numbering-gap" or d.line is None:
            continue
        area, item = _locate(plan, d.line)
        subject = item.id if item is not None else (area.id if area is not None else plan.id)
        where = _item_name(area, item) if item is not None else (_area_name(area) if area is not None else "the plan")
        yield (subject, f"The numbering skips at {where}: an item may have been lost from the copy.",
               f"line {d.line}: {d.message}")


_RULE_FUNCS = {
    "value-unserved": _value_unserved,
    "value-unsupported": _value_unsupported,
    "stream-unadvanced": _stream_unadvanced,
    "action-no-owner": _action_no_owner,
    "owner-overloaded": _owner_overloaded,
    "owner-idle": _owner_idle,
    "body-prose-only": _body_prose_only,
    "goal-no-actions": _goal_no_actions,
    "item-damaged": _item_damaged,
    "numbering-gap": _numbering_gap,
}
