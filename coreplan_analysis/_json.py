"""The JSON shapes of DESIGN's contracts (``coreplan parse --json``)."""

from __future__ import annotations

import json

__all__ = ["SCHEMA", "plan_to_json", "parse_to_json", "dumps"]

#: Schema id of ``coreplan parse --json``.
SCHEMA = "coreplan/1"


def plan_to_json(plan) -> dict:
    """A plan as the ``coreplan/1`` plan object (a plain dict).

    >>> from coreplan_analysis import parse_plan
    >>> d = plan_to_json(parse_plan("1. Grow.", plan_id="x"))
    >>> sorted(d)[:4]
    ['areas', 'commitments', 'diagnostics', 'id']
    """
    return plan.to_dict()


def parse_to_json(plans) -> dict:
    """``{"schema": "coreplan/1", "plans": [...]}`` for several plans."""
    return {"schema": SCHEMA, "plans": [plan_to_json(p) for p in plans]}


def dumps(obj) -> str:
    """Deterministic JSON text: sorted keys, two-space indent, a final newline."""
    return json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
