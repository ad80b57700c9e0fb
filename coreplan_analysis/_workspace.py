"""A planner's workspace: their own plans, profiles and reference data over the bundled ones.

``coreplan init DIR`` makes one (:func:`init_workspace`); ``coreplan add FILE`` copies a plan into
its ``raw/`` folder byte for byte and registers it in its catalog with the file's sha256
(:func:`add_plan`), so a planner never edits hashes. Files in the workspace override the bundled
ones of the same relative path (:class:`~coreplan_analysis._paths.Workspace`); ``--data DIR`` or
``$COREPLAN_DATA`` selects it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ._errors import CatalogError
from ._paths import Workspace

__all__ = ["init_workspace", "add_plan", "parse_cycle", "WORKSPACE_DIRS"]

#: The folders of a workspace.
WORKSPACE_DIRS = ("raw", "profiles", "reference", "crosswalks", "annotations")

_CATALOG_HEAD = """\
# The catalog of this workspace: which file is which plan. Add plans with
#   coreplan --data {folder} add FILE --org "Organisation" --cycle 2025-2028
# which copies the file into raw/ byte for byte and records its sha256 (raw files are never
# edited: a changed file is an error). Entries here override bundled ones with the same id.
# Optional keys per plan: title, profile (a file in profiles/ or a bundled profile), value_set
# (a file stem in reference/values/), frameworks (names of frameworks in reference/), note.
schema: coreplan-catalog/1
plans: []
"""

_README = """\
# A coreplan workspace

Files here override the bundled data of the same name; select this folder with
`coreplan --data {folder} ...` or `COREPLAN_DATA={folder}`.

| folder | what |
|---|---|
| `plans.yaml` | the catalog (maintained by `coreplan add`) |
| `raw/` | the plans, byte for byte as published; never edit them |
| `profiles/` | how your plans are written (YAML; see `coreplan profiles`) |
| `reference/` | values (`values.yaml` or `values/NAME.yaml`), owners, statuses, frameworks |
| `crosswalks/` | decisions on links between plan cycles |
| `annotations/` | what a copy lost or got wrong (`<plan id>.yaml`) |

Add a plan: `coreplan --data {folder} add my-plan.pdf --org "My Association" --cycle 2025-2028`.
"""


def init_workspace(folder) -> Path:
    """Create a workspace in *folder* (which must not exist, or be empty).

    Examples
    --------
    >>> import tempfile, os
    >>> d = Path(tempfile.mkdtemp()) / "ws"
    >>> sorted(p.name for p in init_workspace(d).iterdir())
    ['README.md', 'annotations', 'crosswalks', 'plans.yaml', 'profiles', 'raw', 'reference']
    """
    from ._io import atomic_dir

    final = Path(folder)
    if final.exists():
        if not final.is_dir():
            raise CatalogError("exists and is not a folder", path=final)
        if any(final.iterdir()):
            what = "is already a workspace" if (final / "plans.yaml").exists() else "is not empty"
            raise CatalogError(f"{what}; choose a new folder", path=final)
    with atomic_dir(final) as tmp:
        for d in WORKSPACE_DIRS:
            (tmp / d).mkdir()
        (tmp / "plans.yaml").write_text(_CATALOG_HEAD.format(folder=final), encoding="utf-8")
        (tmp / "README.md").write_text(_README.format(folder=final), encoding="utf-8")
    return final


def parse_cycle(cycle: str) -> tuple[int, int]:
    """``"2025-2028"`` -> ``(2025, 2028)``.

    >>> parse_cycle("2025-2028"), parse_cycle("2024–25")
    ((2025, 2028), (2024, 2025))
    >>> parse_cycle("soon")
    Traceback (most recent call last):
    ...
    coreplan_analysis._errors.CatalogError: cycle 'soon' is not like 2025-2028
    """
    m = re.fullmatch(r"\s*((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)?\d\d)\s*", str(cycle))
    if not m:
        raise CatalogError(f"cycle {cycle!r} is not like 2025-2028")
    start = int(m.group(1))
    end = int(m.group(2)) if len(m.group(2)) == 4 else int(m.group(1)[:2] + m.group(2))
    if end < start:
        raise CatalogError(f"cycle {cycle!r} ends before it starts")
    return start, end


def _id_stem(slug: str, limit: int = 40) -> str:
    """*slug* cut to at most *limit* characters at the end of a word (a hyphen); cut hard when
    its first word alone is longer.

    >>> _id_stem("northern-states-school-library-association-of-america")
    'northern-states-school-library'
    >>> _id_stem("valley"), _id_stem("a" * 45) == "a" * 40
    ('valley', True)
    """
    slug = slug.strip("-")
    if len(slug) <= limit:
        return slug
    cut = slug.rfind("-", 0, limit + 1)  # (a hyphen just after the limit ends a whole word too)
    return slug[:cut] if cut > 0 else slug[:limit]


def _workspace_root(workspace) -> Path:
    if isinstance(workspace, Workspace):
        root = workspace.user
    else:
        root = Workspace(workspace).user
    if root is None:
        raise CatalogError("no workspace selected: pass --data DIR (or set COREPLAN_DATA); "
                           "create one with 'coreplan init DIR'")
    if not (root / "plans.yaml").is_file():
        raise CatalogError("not a workspace (no plans.yaml); create one with 'coreplan init DIR'", path=root)
    return root


def add_plan(workspace, file, *, org: str, cycle: str, profile: str | None = None, plan_id: str | None = None,
             title: str | None = None, value_set: str | None = None, frameworks=(), note: str | None = None):
    """Copy *file* into the workspace's ``raw/`` and register it in its catalog.

    The file is copied byte for byte and its sha256 recorded; the catalog is rewritten
    atomically. With no *profile*, the plan's profile is inferred: a bundled or workspace
    profile is recorded by name; a profile inferred from the text alone is written to
    ``profiles/<id>.yaml`` (a starting point to edit) and recorded. Refuses (with
    :class:`CatalogError`) a file already catalogued, an id already used, a raw file name already
    taken by other bytes, an unknown profile or value set.

    Returns the new :class:`~coreplan_analysis._catalog.CatalogEntry`.
    """
    from ._catalog import read_catalog
    from ._formats import extract
    from ._io import atomic_write, sha256_bytes
    from ._parser import parse_plan, slugify
    from ._profile import load_profile

    root = _workspace_root(workspace)
    ws = Workspace(root)
    src = Path(file)
    if not org or not str(org).strip():
        raise CatalogError("--org must name the organisation")
    start, end = parse_cycle(cycle)
    doc = extract(src)  # refuses missing, binary, unreadable files
    data = doc.data
    digest = sha256_bytes(data)
    entries = read_catalog(ws)
    for e in entries:
        if e.sha256 == digest:
            raise CatalogError(f"this file is already in the catalog as {e.id!r}", path=src)
    plan_id = plan_id or f"{_id_stem(slugify(str(org)))}-{start}-{end}"
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", plan_id):
        raise CatalogError(f"id {plan_id!r} must be lowercase letters, digits, '.', '-' or '_'")
    for e in entries:
        if e.id == plan_id:
            raise CatalogError(f"id {plan_id!r} is already used (for {Path(e.file).name}); pass --id", path=src)
    dest = root / "raw" / src.name
    if dest.exists():
        raise CatalogError(f"raw/{src.name} already exists with other content; rename the file", path=src)
    if value_set is not None:
        from ._reference import load_reference

        load_reference(ws, value_set=value_set)
    fws = tuple(frameworks or ())
    if fws:
        from ._reference import load_reference

        ref = load_reference(ws, value_set=value_set)
        for fw in fws:
            if ref.framework(fw) is None:
                known = ", ".join(f.name for f in ref.frameworks)
                raise CatalogError(f"no framework {fw!r} in the reference data (known: {known})")
    written_profile = None
    if profile is not None:
        load_profile(profile, ws)  # refuses an unknown or malformed profile now
        profile_name = Path(profile).stem if str(profile).endswith((".yaml", ".yml")) else profile
        if str(profile).endswith((".yaml", ".yml")):
            ppath = Path(profile)
            if ppath.resolve().parent != (root / "profiles").resolve():
                target = root / "profiles" / ppath.name
                if target.exists() and target.read_bytes() != ppath.read_bytes():
                    raise CatalogError(f"profiles/{ppath.name} already exists with other content", path=ppath)
                written_profile = (target, ppath.read_bytes())
    else:
        plan = parse_plan(doc.text, source=str(src), plan_id=plan_id, workspace=ws)
        profile_name = plan.profile
        if plan.profile == "inferred":
            from ._profile import infer_profile

            inferred, _ = infer_profile(doc.text, base=load_profile("core", ws))
            from dataclasses import replace

            text = replace(inferred, name=plan_id).to_yaml()
            target = root / "profiles" / f"{plan_id}.yaml"
            if target.exists():
                raise CatalogError(f"profiles/{plan_id}.yaml already exists; pass --profile", path=target)
            written_profile = (target, text.encode("utf-8"))
            profile_name = plan_id
        if title is None:
            title = plan.title
    entry = {"id": plan_id, "title": title, "organisation": str(org).strip(),
             "cycle": {"start": start, "end": end}, "file": f"raw/{src.name}", "sha256": digest,
             "profile": profile_name}
    if value_set is not None:
        entry["value_set"] = value_set
    if fws:
        entry["frameworks"] = list(fws)
    if note:
        entry["note"] = note
    entry = {k: v for k, v in entry.items() if v is not None}
    catalog = root / "plans.yaml"
    new_text = _append_entry(catalog.read_text(encoding="utf-8-sig"), entry, catalog)
    atomic_write(dest, data)
    if written_profile is not None:
        atomic_write(*written_profile)
    try:
        atomic_write(catalog, new_text)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    for e in read_catalog(ws):
        if e.id == plan_id:
            return e
    raise CatalogError("the new entry did not read back from the catalog", path=catalog)  # pragma: no cover


def _append_entry(text: str, entry: dict, path) -> str:
    """The catalog text with *entry* appended to its ``plans`` list, comments kept."""
    import yaml

    from ._io import load_yaml_text

    old = load_yaml_text(text, path=path, error=CatalogError)
    if old is None:
        old = {}
    if not isinstance(old, dict) or not isinstance(old.get("plans") or [], list):
        raise CatalogError("expected a mapping with a 'plans' list", path=path, line=1)
    dumped = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=100)
    block = "".join("  " + line + "\n" for line in dumped.splitlines())
    empty = r"(?m)^plans:[ \t]*\[\][ \t]*$"  # (not \s*: the line's newline is kept)
    if re.search(empty, text):
        candidate = re.sub(empty, "plans:\n" + block.rstrip("\n"), text, count=1)
    else:
        candidate = text.rstrip("\n") + "\n" + block
    try:
        new = yaml.safe_load(candidate)
        ok = (isinstance(new, dict) and isinstance(new.get("plans"), list)
              and new["plans"][:-1] == (old.get("plans") or []) and new["plans"][-1] == entry)
    except yaml.YAMLError:
        ok = False
    if ok:
        return candidate
    # The file's layout does not allow a plain append: write it again (comments at the top kept).
    head = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    data = dict(old)
    data["plans"] = list(old.get("plans") or []) + [entry]
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)

