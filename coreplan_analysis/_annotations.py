"""Human knowledge on top of the text: ``annotations/<plan id>.yaml``.

A copy of a plan can lose what its authors wrote (a heading cut off, an area scraped away) or get
something wrong that a facilitator knows better (an owner, whether a line is a goal or an action,
a status shown only by colour). An annotation file records that knowledge, each entry with its
source and the reason for it. Annotations are applied when the catalog loads
(``load_catalog(annotate=True)``), never in the raw parse (``coreplan parse``), and what they
change carries basis ``confirmed`` so tables, graph and packet show it apart from the text.

The file (``data/annotations/<plan id>.yaml``, a user's workspace overriding it by name)::

    schema: coreplan-annotations/1
    plan: core-2022-2025          # must be the plan's id
    annotations:
      - change: area-title         # the area's title (lost, or wrong)
        target: core-2022-2025/1   # an area id
        excerpt: Develop overall member engagement   # text of the area (title, statement, items)
        title: Membership and Value to Members
        source: https://...        # a URL (required here)
        reason: why this is known
      - change: missing-area       # an area the copy lost entirely (no items are invented)
        title: Evaluate and Adjust Core's Structure
        number: null               # optional, as printed when known
        source: https://...        # a URL (required here)
        reason: ...
      - change: owners             # who the item is assigned to (replaces the parsed owners)
        target: core-2022-2025/1/3.2
        excerpt: Track member engagement
        owners: [Board of Directors]
        source: null               # a URL, or null for a person's own knowledge
        reason: ...
      - change: kind               # goal or action
        target: ...
        excerpt: ...
        kind: goal
        source: null
        reason: ...
      - change: status             # a status kind (and optional date YYYY or YYYY-MM)
        target: ...
        excerpt: ...
        status: completed
        date: 2024-03
        source: null
        reason: ...

Rules:

- ``excerpt`` is a short piece of the text the annotation targets (an item's text; for an area,
  its title, statement or any of its items' text), compared ignoring case, spacing and Markdown
  residue. When the id no longer points at that text (or at anything), the annotation is **not
  applied** and the plan gets a ``Diagnostic`` of kind ``"annotation"``, severity
  ``"warning"``: applying a correction to the wrong item would be worse than not applying it.
- A missing area is appended after the areas the copy shows, with the next ordinal (so existing
  ids never move), no items, and ``span == (0, 0)`` ("not in the copy").
- Every applied annotation sets ``basis="confirmed"`` on the area or item it changes (and on the
  :class:`~coreplan_analysis.Status` for a status change); an area also gets ``source_url``.
  Each applied annotation adds an ``"annotation"`` diagnostic of severity ``"info"`` naming its
  source, so the record of what a person added stays beside the damage the parser reported
  (which is kept: annotations never hide damage).
- A malformed file raises :class:`~coreplan_analysis.DataError` with the file and line.
"""

from __future__ import annotations

__all__ = ["ANNOTATION_SCHEMA", "CHANGES", "Annotation", "apply_annotations", "read_annotations",
           "parse_annotations"]

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ._errors import DataError

#: The schema id an annotation file declares.
ANNOTATION_SCHEMA = "coreplan-annotations/1"

#: The kinds of change an annotation makes, and the keys each one requires besides ``change``,
#: ``source`` and ``reason``.
CHANGES = {
    "area-title": ("target", "excerpt", "title"),
    "missing-area": ("title",),
    "owners": ("target", "excerpt", "owners"),
    "kind": ("target", "excerpt", "kind"),
    "status": ("target", "excerpt", "status"),
}
_OPTIONAL = {"missing-area": ("number",), "status": ("date",)}
_URL_REQUIRED = ("area-title", "missing-area")
_URL = re.compile(r"https?://\S+$")
_DATE = re.compile(r"(?:19|20|21)\d\d(?:-(?:0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class Annotation:
    """One entry of an annotation file.

    ``value`` is the new title (area-title, missing-area), the tuple of owner names (owners), the
    kind (kind) or ``(status, date)`` (status). ``line`` is the entry's line in its file.

    Examples
    --------
    >>> a = Annotation("kind", "p/1/2", "Grow", "goal", "https://example.org", "why", None, 3)
    >>> a.change, a.value
    ('kind', 'goal')
    """

    change: str
    target: str | None
    excerpt: str | None
    value: object
    source: str | None
    reason: str
    number: str | None = None
    line: int | None = None


def _fold(text: str | None) -> str:
    """Text compared for excerpts: Markdown residue gone, case and spacing folded."""
    from ._parser import clean_markup

    t = clean_markup(text or "").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(t.casefold().split())


def parse_annotations(text: str, *, path=None, plan_id: str | None = None) -> list[Annotation]:
    """Read the annotations of one file's text, checking its shape.

    Parameters
    ----------
    text : str
        The YAML text.
    path : str or os.PathLike, optional
        The file, for error messages.
    plan_id : str, optional
        The plan the file must be about (its ``plan`` key).

    Returns
    -------
    list of Annotation
        In file order.

    Raises
    ------
    DataError
        For malformed YAML or a malformed entry, with the file and line.

    Examples
    --------
    >>> doc = '''schema: coreplan-annotations/1
    ... plan: demo
    ... annotations:
    ...   - change: kind
    ...     target: demo/1/2
    ...     excerpt: Hold a town hall
    ...     kind: goal
    ...     source: null
    ...     reason: the board treats it as a goal
    ... '''
    >>> [(a.change, a.target, a.value, a.line) for a in parse_annotations(doc, plan_id="demo")]
    [('kind', 'demo/1/2', 'goal', 4)]
    >>> parse_annotations(doc.replace("kind: goal", "kind: wish"), path="demo.yaml")
    Traceback (most recent call last):
    ...
    coreplan_analysis._errors.DataError: demo.yaml:7: annotations[0].kind: expected goal or action, found 'wish'
    """
    from ._io import load_yaml_text, nearest_line, yaml_lines
    from ._model import ITEM_KINDS, STATUS_KINDS

    data = load_yaml_text(text, path=path, error=DataError)
    lines = yaml_lines(text)

    def fail(message, key=()):
        line = nearest_line(lines, key)
        raise DataError(message, path=path, line=line if line is not None else 1)

    if data is None:
        return []
    if not isinstance(data, dict):
        fail("expected a mapping with 'schema', 'plan' and 'annotations'")
    unknown = sorted(set(data) - {"schema", "plan", "annotations", "note"}, key=str)
    if unknown:
        fail(f"unknown key {unknown[0]!r} (known: annotations, note, plan, schema)", (unknown[0],))
    if data.get("schema") != ANNOTATION_SCHEMA:
        fail(f"schema: expected {ANNOTATION_SCHEMA!r}, found {data.get('schema')!r}", ("schema",))
    if not isinstance(data.get("plan"), str) or not data["plan"]:
        fail("plan: expected the id of the plan the annotations are about", ("plan",))
    if plan_id is not None and data["plan"] != plan_id:
        fail(f"plan: this file is about {data['plan']!r}, not {plan_id!r}", ("plan",))
    entries = data.get("annotations")
    if entries is None:
        return []
    if not isinstance(entries, list):
        fail("annotations: expected a list", ("annotations",))
    out = []
    for i, entry in enumerate(entries):
        kp = ("annotations", i)
        where = f"annotations[{i}]"
        if not isinstance(entry, dict):
            fail(f"{where}: expected a mapping", kp)
        change = entry.get("change")
        if change not in CHANGES:
            fail(f"{where}.change: expected one of {', '.join(CHANGES)}, found {change!r}", kp + ("change",))
        required = CHANGES[change] + ("source", "reason")
        allowed = set(required) | {"change", "note"} | set(_OPTIONAL.get(change, ()))
        for key in entry:
            if key not in allowed:
                fail(f"{where}: unknown key {key!r} for change {change!r} (known: {', '.join(sorted(allowed))})",
                     kp + (str(key),))
        for key in required:
            if key not in entry:
                fail(f"{where}: missing {key!r} (change {change!r} needs {', '.join(required)})", kp)
        for key in ("target", "excerpt", "title", "reason"):
            if key in required and (not isinstance(entry[key], str) or not entry[key].strip()):
                fail(f"{where}.{key}: expected a non-empty string, found {entry[key]!r}", kp + (key,))
        source = entry["source"]
        if source is None:
            if change in _URL_REQUIRED:
                fail(f"{where}.source: a {change} annotation needs the URL it was read at", kp + ("source",))
        elif not isinstance(source, str) or not _URL.match(source.strip()):
            fail(f"{where}.source: expected a URL (http:// or https://) or null, found {source!r}", kp + ("source",))
        number = None
        if change in ("area-title", "missing-area"):
            value = " ".join(entry["title"].split())
            if entry.get("number") is not None:
                number = str(entry["number"])
        elif change == "owners":
            owners = entry["owners"]
            if isinstance(owners, str):
                owners = [owners]
            if not isinstance(owners, list) or not all(isinstance(o, str) and o.strip() for o in owners):
                fail(f"{where}.owners: expected a list of owner names, found {entry['owners']!r}", kp + ("owners",))
            value = tuple(" ".join(o.split()) for o in owners)
        elif change == "kind":
            value = entry["kind"]
            if value not in ITEM_KINDS:
                fail(f"{where}.kind: expected {' or '.join(ITEM_KINDS)}, found {value!r}", kp + ("kind",))
        else:
            status = entry["status"]
            if status not in STATUS_KINDS:
                fail(f"{where}.status: expected one of {', '.join(STATUS_KINDS)}, found {status!r}", kp + ("status",))
            date = entry.get("date")
            if date is not None:
                date = str(date)
                if not _DATE.match(date):
                    fail(f"{where}.date: expected YYYY or YYYY-MM, found {date!r}", kp + ("date",))
            value = (status, date)
        out.append(Annotation(
            change=change,
            target=entry.get("target"),
            excerpt=" ".join(entry["excerpt"].split()) if "excerpt" in entry else None,
            value=value,
            source=source.strip() if isinstance(source, str) else None,
            reason=" ".join(entry["reason"].split()),
            number=number,
            line=lines.get(kp),
        ))  # fmt: skip
    return out


def read_annotations(path, *, plan_id: str | None = None) -> list[Annotation]:
    """Read an annotation file (see :func:`parse_annotations`).

    Examples
    --------
    >>> from coreplan_analysis._paths import bundled_data_dir
    >>> anns = read_annotations(bundled_data_dir() / "annotations" / "core-2022-2025.yaml")
    >>> [(a.change, a.value) for a in anns]
    [('area-title', 'Membership and Value to Members'), ('missing-area', "Evaluate and Adjust Core's Structure")]
    """
    from ._io import read_yaml_text

    p = Path(path)
    return parse_annotations(read_yaml_text(p, what="annotation file"), path=p, plan_id=plan_id)


def _replace_item(items, item_id, fn):
    """*items* with the item *item_id* (at any depth) replaced by ``fn(item)``."""
    out = []
    for it in items:
        if it.id == item_id:
            it = fn(it)
        elif it.children:
            it = replace(it, children=_replace_item(it.children, item_id, fn))
        out.append(it)
    return tuple(out)


def _area_text(area) -> str:
    return " \n ".join([area.title or "", area.statement or ""] + [it.text for it in area.walk()])


def _apply(plan, annotations, *, path, registry):
    """*plan* with *annotations* applied; returns ``(plan, diagnostics)``."""
    from ._model import Area, Diagnostic, Status

    areas = list(plan.areas)
    diags = []
    where = f"{Path(path).name}:{{line}}" if path is not None else "annotation {line}"

    def warn(a, message, line=None):
        diags.append(Diagnostic(line, "warning", "annotation",
                                f"{where.format(line=a.line)}: {message}; not applied"))

    def note(a, message, line):
        src = a.source or "a person's knowledge (no URL)"
        diags.append(Diagnostic(line, "info", "annotation", f"{message} (confirmed; source: {src})"))

    for a in annotations:
        if a.change == "missing-area":
            same = next((ar for ar in areas if _fold(ar.title) == _fold(a.value)), None)
            if same is not None:
                warn(a, f"the copy has an area titled {a.value!r} ({same.id}): it is not missing", same.span[0])
                continue
            ordinal = len(areas) + 1
            areas.append(Area(id=f"{plan.id}/{ordinal}", ordinal=ordinal, number=a.number, title=a.value,
                              span=(0, 0), basis="confirmed", source_url=a.source))
            note(a, f"area {ordinal} {a.value!r} is missing from the copy; added with no items", None)
            continue
        if a.change == "area-title":
            k = next((k for k, ar in enumerate(areas) if ar.id == a.target), None)
            if k is None:
                warn(a, f"no area {a.target!r} in plan {plan.id!r}")
                continue
            area = areas[k]
            if _fold(a.excerpt) not in _fold(_area_text(area)):
                warn(a, f"area {a.target!r} no longer holds the text {a.excerpt!r}", area.span[0])
                continue
            areas[k] = replace(area, title=a.value, basis="confirmed", source_url=a.source)
            lost = "lost title" if area.title is None else f"title {area.title!r}"
            note(a, f"area {area.ordinal}: {lost} recorded as {a.value!r}", area.span[0])
            continue
        k, item = next(((k, it) for k, ar in enumerate(areas) for it in ar.walk() if it.id == a.target),
                       (None, None))
        if item is None:
            warn(a, f"no item {a.target!r} in plan {plan.id!r}")
            continue
        if _fold(a.excerpt) not in _fold(item.text):
            warn(a, f"item {a.target!r} no longer reads {a.excerpt!r}", item.span[0])
            continue
        if a.change == "owners":
            owners = tuple(dict.fromkeys(registry.normalize(o) for o in a.value))
            new = replace(item, owners=owners, mentions=tuple(m for m in item.mentions if m not in owners),
                          basis="confirmed")
            message = f"item {item.id}: owners {'; '.join(owners)}"
        elif a.change == "kind":
            new = replace(item, kind=a.value, basis="confirmed")
            message = f"item {item.id}: kind {a.value}"
        else:
            status, date = a.value
            new = replace(item, status=Status(status, date, item.status.text, "confirmed"), basis="confirmed")
            message = f"item {item.id}: status {status}{' ' + date if date else ''}"
        areas[k] = replace(areas[k], items=_replace_item(areas[k].items, item.id, lambda _: new))
        note(a, message, item.span[0])
    return replace(plan, areas=tuple(areas)), diags


def apply_annotations(plan, workspace=None, *, path=None):
    """Return *plan* with its annotations applied (unchanged when it has none).

    Parameters
    ----------
    plan : Plan
        A plan as parsed.
    workspace : Workspace, str or os.PathLike, optional
        Where ``annotations/<plan id>.yaml`` is looked for (a user's workspace first, then the
        bundled data).
    path : str or os.PathLike, optional
        An annotation file to apply instead of the workspace's.

    Returns
    -------
    Plan
        A new plan: changed areas and items carry basis ``confirmed``; an ``"annotation"``
        diagnostic records each annotation applied (severity ``info``) or skipped because its
        target no longer reads as its excerpt, or a "missing" area is in the copy after all
        (severity ``warning``). A plan that already carries annotation diagnostics is returned
        unchanged, so applying twice is harmless.

    Raises
    ------
    DataError
        The annotation file is malformed (file and line in the message).

    Examples
    --------
    >>> from coreplan_analysis import load_catalog
    >>> plan = load_catalog(annotate=False)["core-2022-2025"]
    >>> [a.title for a in plan.areas]
    [None, 'Career Building and Recognition']
    >>> done = apply_annotations(plan)
    >>> [(a.id, a.title, a.basis, len(a.items)) for a in done.areas]  # doctest: +NORMALIZE_WHITESPACE
    [('core-2022-2025/1', 'Membership and Value to Members', 'confirmed', 3),
     ('core-2022-2025/2', 'Career Building and Recognition', 'stated', 1),
     ('core-2022-2025/3', "Evaluate and Adjust Core's Structure", 'confirmed', 0)]
    >>> done.damaged  # the copy's damage stays visible
    True
    """
    from ._paths import Workspace
    from ._reference import load_owner_registry

    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    if path is None:
        path = ws.find(f"annotations/{plan.id}.yaml")
        if path is None:
            return plan
    if any(d.kind == "annotation" for d in plan.diagnostics):
        return plan  # already annotated: applying twice would add a missing area twice
    annotations = read_annotations(path, plan_id=plan.id)
    if not annotations:
        return plan
    plan, diags = _apply(plan, annotations, path=path, registry=load_owner_registry(ws))
    return replace(plan, diagnostics=plan.diagnostics + tuple(diags))
