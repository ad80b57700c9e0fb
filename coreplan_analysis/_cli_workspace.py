"""Subcommands for users' own work: ``init``, ``add`` and ``profiles`` (registered in :mod:`.cli`)."""

from __future__ import annotations

from pathlib import Path

from .cli import _workspace, command

__all__: list[str] = []


def _args_init(sp):
    sp.add_argument("folder", metavar="DIR", help="the new workspace folder (must not exist, or be empty)")


@command("init", "create a workspace: plans.yaml, raw/, profiles/, reference/, crosswalks/, annotations/", _args_init)
def _init(args, out):
    from ._workspace import init_workspace

    path = init_workspace(args.folder)
    out(f"created workspace {path}/")
    out(f"  add a plan:  coreplan --data {path} add FILE --org NAME --cycle 2025-2028")
    return 0


def _args_add(sp):
    sp.add_argument("file", metavar="FILE", help="the plan file (.txt, .md, .html, .docx, .pdf)")
    sp.add_argument("--org", required=True, metavar="NAME", help="the organisation whose plan it is")
    sp.add_argument("--cycle", required=True, metavar="YYYY-YYYY", help="the plan's cycle, e.g. 2025-2028")
    sp.add_argument("--profile", metavar="NAME|PATH", help="how the plan is written (default: inferred)")
    sp.add_argument("--id", dest="plan_id", metavar="ID", help="the plan's id (default: from --org and --cycle)")
    sp.add_argument("--title", metavar="TITLE", help="the plan's title (default: read from the plan)")
    sp.add_argument("--value-set", dest="value_set", metavar="NAME",
                    help="the values to read the plan against: reference/values/NAME.yaml")
    sp.add_argument("--framework", dest="frameworks", action="append", default=[], metavar="NAME",
                    help="an umbrella framework the plan answers to (repeatable)")


@command("add", "copy a plan into the workspace's raw/ and register it in its catalog (with its sha256)", _args_add)
def _add(args, out):
    from ._workspace import add_plan

    e = add_plan(_workspace(args), args.file, org=args.org, cycle=args.cycle, profile=args.profile,
                 plan_id=args.plan_id, title=args.title, value_set=args.value_set, frameworks=args.frameworks)
    out(f"added {e.id}: {e.title or '(untitled)'} ({e.start}-{e.end}), profile {e.profile}")
    out(f"  raw/{Path(e.file).name}  sha256 {e.sha256[:12]}...")
    return 0


@command("profiles", "list the plan profiles (bundled and the workspace's) with their files")
def _profiles(args, out):
    from ._errors import DataError
    from ._paths import bundled_data_dir
    from ._profile import describe_profile, list_profiles, load_profile

    ws = _workspace(args)
    bundled = (bundled_data_dir() / "profiles").resolve()
    rows = list_profiles(ws)
    broken = 0
    for name, path in rows:
        where = "bundled" if path.resolve().parent == bundled else "workspace"
        out(f"{name}  ({where})  {path}")
        try:
            load_profile(name, ws)
        except DataError as exc:  # (listed, so it can be found and mended: the parser skips it)
            broken += 1
            out(f"    MALFORMED, skipped by the parser: {exc}")
            continue
        desc = describe_profile(path)
        if desc:
            out(f"    {desc}")
    note = f", {broken} malformed" if broken else ""
    out(f"{len(rows)} profiles{note}; without --profile the parser infers one (see the 'profile' diagnostic)")
    return 0
