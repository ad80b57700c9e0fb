"""The ``coreplan`` command line. Only this module prints or exits.

Every subcommand defaults to the bundled plans, so a command with no arguments does something
real. Errors (:class:`~coreplan_analysis.CoreplanError`) become one line on stderr naming the
file (and line) and exit code 2; nothing is written to stdout or to an output file then.
"""

from __future__ import annotations

import argparse
import os
import sys

from ._errors import CoreplanError

__all__ = ["main"]

_COMMANDS = {}


def command(name, help, args=None):
    """Register a subcommand.

    The decorated function gets ``(args, out)`` and returns an exit code; *args* is a function
    adding the subcommand's arguments to its ``argparse`` parser.
    """

    def deco(fn):
        _COMMANDS[name] = (fn, help, args)
        return fn

    return deco


class _Out:
    """Collects what a command prints, so nothing reaches stdout when it fails half way."""

    def __init__(self):
        self.parts: list[str] = []

    def __call__(self, text: str = "") -> None:
        self.parts.append(text + "\n")

    def write(self, text: str) -> None:
        self.parts.append(text)

    def text(self) -> str:
        return "".join(self.parts)


def _workspace(args):
    from ._paths import Workspace

    return Workspace(getattr(args, "data", None))


def _plans_from(args, *, raw: bool):
    """Plans named on the command line (files or catalog ids), or the whole catalog."""
    from ._catalog import load_catalog, read_catalog
    from ._parser import read_plan

    ws = _workspace(args)
    names = getattr(args, "files", None) or getattr(args, "plans", None) or []
    profile = getattr(args, "profile", None)
    if not names:
        if raw:
            return [_catalog_raw(e, ws, profile) for e in read_catalog(ws)]
        return list(load_catalog(workspace=ws))
    ids = {e.id: e for e in read_catalog(ws)}
    out = []
    annotated = None
    for name in names:
        if name in ids and not os.path.exists(name):
            if raw:
                out.append(_catalog_raw(ids[name], ws, profile))
            else:
                if annotated is None:
                    annotated = load_catalog(workspace=ws)
                out.append(annotated[name])
        else:
            plan = read_plan(name, workspace=ws, profile=profile)
            if not raw:
                from ._annotations import apply_annotations

                plan = apply_annotations(plan, ws)
            out.append(plan)
    return out


def _catalog_raw(entry, ws, profile):
    """The raw parse of a catalog plan, its path shown relative to its data folder (as
    :func:`~coreplan_analysis.load_catalog`: its file checked against the recorded sha256)."""
    from ._catalog import _read_entry

    return _read_entry(entry, ws, profile=profile)


def _planset_from(args):
    from ._catalog import PlanSet
    from ._reference import load_reference

    plans = _plans_from(args, raw=False)
    return PlanSet(tuple(plans), load_reference(_workspace(args)), _workspace(args))


# -- parse -------------------------------------------------------------------------------------
def _args_parse(sp):
    sp.add_argument("files", nargs="*", metavar="FILE", help="plan files or catalog ids (default: the catalog)")
    sp.add_argument("--json", action="store_true", help="print the coreplan/1 JSON instead of an outline")
    sp.add_argument("--profile", metavar="NAME|PATH", help="how the plans are written (default: core)")


@command("parse", "read plans and show their outline and diagnostics (or --json)", _args_parse)
def _parse(args, out):
    from ._json import dumps, parse_to_json

    plans = _plans_from(args, raw=True)
    if args.json:
        out.write(dumps(parse_to_json(plans)))
        return 0
    for k, plan in enumerate(plans):
        if k:
            out()
        _outline(plan, out)
    return 0


def _outline(plan, out):
    period = "-".join(str(x) for x in plan.period if x) or "no period"
    out(f"{plan.id}: {plan.title or '(untitled)'} ({period})")
    out(f"  {plan.source.path or '<text>'}, {plan.source.lines} lines, profile {plan.profile}")
    for a in plan.areas:
        title = a.title if a.title is not None else "(title lost)"
        vals = f"  [values: {'; '.join(a.values)}]" if a.values else ""
        out(f"  area {a.number or a.ordinal}: {title}{vals}")
        if a.statement:
            out(f"    statement: {_short(a.statement, 70)}")
        for it in a.walk():
            pad = "    " + "  " * (it.depth - 1)
            st = "" if it.status.kind == "none" else f" [{it.status.kind}{' ' + it.status.date if it.status.date else ''}]"
            who = f" ({'; '.join(it.owners)})" if it.owners else ""
            out(f"{pad}{it.kind} {it.number or '-'}: {_short(it.text, 60)}{st}{who}")
    if plan.streams:
        out("  streams: " + "; ".join(f"{s.framework}: {s.name}" for s in plan.streams))
    if plan.timeline:
        out(f"  timeline: {len(plan.timeline)} entries, {plan.timeline[0].start} to {plan.timeline[-1].end}")
    diags = [d for d in plan.diagnostics if d.severity != "info"]
    out(f"  diagnostics: {len(diags)}")
    for d in diags:
        out(f"    line {d.line if d.line is not None else '-':>3}  {d.kind:<15} {d.message}")


def _short(text, n):
    return text if len(text) <= n else text[: n - 3].rstrip() + "..."


# -- tables ------------------------------------------------------------------------------------
def _args_tables(sp):
    sp.add_argument("plans", nargs="*", metavar="PLAN", help="plan files or catalog ids (default: the catalog)")
    sp.add_argument("--out", default="build/tables",
                    help="output folder, or a .xlsx file (default: build/tables; tables.xlsx in it for xlsx)")
    sp.add_argument("--format", choices=("csv", "xlsx"),
                    help="csv (one file per table, the default) or xlsx (one workbook; the default for an "
                    "--out ending in .xlsx)")
    sp.add_argument("--profile", metavar="NAME|PATH")


@command("tables", "write the plan tables (CSV files or one XLSX workbook)", _args_tables)
def _tables(args, out):
    from ._errors import InputError
    from ._export import write_csv, write_workbook
    from ._io import atomic_dir
    from ._tables import to_frames

    suffix = os.path.splitext(str(args.out))[1].lower()
    if args.format is None:
        args.format = "xlsx" if suffix == ".xlsx" else "csv"
    # (A file name where a folder is meant: "--out tables.csv" made a folder of that name.)
    if suffix in (".csv", ".tsv", ".txt", ".json", ".xls", ".ods") or (suffix == ".xlsx" and args.format == "csv"):
        what = "a folder" if args.format == "csv" else "a folder or a .xlsx file"
        raise InputError(f"--out for --format {args.format} is {what}, not {args.out!r}")
    path = args.out if suffix == ".xlsx" else os.path.join(args.out, "tables.xlsx")
    if args.format == "xlsx" and os.path.isdir(path):
        raise InputError("is a folder; the workbook needs a file name there", path=path)
    frames = to_frames(_plans_from(args, raw=False))
    if args.format == "csv":
        # (The folder's own earlier output, CSV files or a workbook, is replaced; nothing else.)
        with atomic_dir(args.out, replaces={f"{name}.csv" for name, _ in frames} | {"tables.xlsx"}) as tmp:
            for name, df in frames:
                write_csv(df, tmp / f"{name}.csv")
        out(f"wrote {len(list(frames))} tables to {args.out}/ (csv)")
    else:
        write_workbook(dict(frames), path)
        out(f"wrote {len(list(frames))} sheets to {path}")
    return 0


def _build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="coreplan",
        description="Read strategic plans into tables and a graph; alignment, gaps and continuity.",
        epilog="With no plan arguments, every command works on the bundled Core plans.",
    )
    p.add_argument("--data", metavar="DIR", help="a workspace whose files override the bundled data "
                   "(default: $COREPLAN_DATA)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_, add_args) in _COMMANDS.items():
        sp = sub.add_parser(name, help=help_, description=help_)
        if add_args is not None:
            add_args(sp)
    return p


def _load_commands() -> None:
    """Import the modules that register the other subcommands."""
    from importlib import import_module
    from importlib.util import find_spec

    for mod in _COMMAND_MODULES:
        if find_spec(f"coreplan_analysis.{mod}") is not None:
            import_module(f"coreplan_analysis.{mod}")


#: Modules holding further subcommands (graph, align, gaps; crosswalk; init, add, profiles; packet).
_COMMAND_MODULES = ("_cli_analysis", "_cli_continuity", "_cli_workspace", "_cli_packet")


def main(argv=None) -> int:
    """Run ``coreplan`` with *argv* (default ``sys.argv[1:]``); return the exit code."""
    _load_commands()
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse's usage errors: exit code 2, message already on stderr
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return 0
    if args.data is not None and not os.path.isdir(args.data):
        print(f"coreplan: {args.data}: --data must be a workspace folder (see 'coreplan init')", file=sys.stderr)
        return 2
    fn = _COMMANDS[args.command][0]
    out = _Out()
    try:
        code = fn(args, out)
    except CoreplanError as exc:
        print(f"coreplan: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("coreplan: interrupted", file=sys.stderr)
        return 130
    sys.stdout.write(out.text())
    sys.stdout.flush()
    return code


if __name__ == "__main__":  # pragma: no cover
    # Run through the package's module so subcommands registered by other modules land in the
    # same registry (``python -m coreplan_analysis.cli`` would otherwise load this file twice).
    from coreplan_analysis.cli import main as _main

    raise SystemExit(_main())
