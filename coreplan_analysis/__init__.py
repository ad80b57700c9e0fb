"""coreplan_analysis: read strategic plans into tables and a graph; explore alignment, coverage
gaps and continuity across plan cycles.

The public surface is small: parse (``parse_plan``, ``parse_plans``, ``read_plan``, ``load_catalog``), derive
(``to_frames``, ``build_graph``), analyse (``align``, ``find_gaps``, ``crosswalk``), present
(``charts``, ``build_packet``). Heavy libraries load only when a function needs them.
"""

from __future__ import annotations

from ._catalog import PlanSet, load_catalog
from ._errors import CatalogError, CoreplanError, DataError, InputError, ProfileError
from ._model import Area, Diagnostic, Item, Plan, Section, Status, TimelineEntry
from ._parser import parse_plan, parse_plans, read_plan

__version__ = "0.1.0"

__all__ = [
    "parse_plan",
    "parse_plans",
    "read_plan",
    "load_catalog",
    "Plan",
    "PlanSet",
    "Area",
    "Item",
    "Status",
    "Section",
    "TimelineEntry",
    "Diagnostic",
    "to_frames",
    "plan_to_json",
    "CoreplanError",
    "InputError",
    "DataError",
    "ProfileError",
    "CatalogError",
    "build_graph",
    "align",
    "stated_vs_inferred",
    "alignment_matrix",
    "owner_value_matrix",
    "find_gaps",
    "AlignmentExplorer",
    "build_packet",
    "crosswalk",
    "cycle_pairs",
    "lineage",
    "Crosswalk",
]

# Public names that live in modules importing pandas, networkx, matplotlib or scikit-learn:
# resolved on first use so `import coreplan_analysis` stays cheap.
_LAZY = {
    "to_frames": "._tables",
    "Frames": "._tables",
    "plan_to_json": "._json",
    "parse_to_json": "._json",
    "build_graph": "._graph",
    "align": "._align",
    "stated_vs_inferred": "._align",
    "alignment_matrix": "._align",
    "owner_value_matrix": "._align",
    "find_gaps": "._gaps",
    "AlignmentExplorer": "._explorer",
    "build_packet": "._packet",
    "crosswalk": "._continuity",
    "cycle_pairs": "._continuity",
    "lineage": "._continuity",
    "Crosswalk": "._continuity",
}


def __getattr__(name):
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    if name == "charts":
        from importlib import import_module

        return import_module(".charts", __name__)
    raise AttributeError(f"module 'coreplan_analysis' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | {"charts"})
