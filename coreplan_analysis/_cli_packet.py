"""Subcommand ``packet`` of the ``coreplan`` command line: the retreat packet.

Registered on import by :mod:`coreplan_analysis.cli`. With no plan it builds the packet of the
bundled plans into ``build/packet/``; a PLAN is a catalog id or a plan file, so a user can build a
packet for any plan they have. Steps are reported through ``out`` as they complete.
"""

from __future__ import annotations

__all__ = []

from .cli import _planset_from, command


def _args_packet(sp):
    from ._packet import DEFAULT_OUT

    sp.add_argument("plans", nargs="*", metavar="PLAN",
                    help="catalog ids or plan files, oldest cycle first (default: the catalog)")
    sp.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                    help=f"packet folder, replaced atomically (default: {DEFAULT_OUT})")
    sp.add_argument("--profile", metavar="NAME|PATH", help="how plan files are written (default: core)")
    sp.add_argument("--no-pdf", action="store_true", help="skip packet.pdf (WeasyPrint)")


@command("packet", "build the retreat packet: HTML, PDF, tracking sheet, charts, tables, graph", _args_packet)
def _packet(args, out):
    from ._packet import build_packet

    planset = _planset_from(args)
    out(f"packet of {len(planset)} plan(s): {', '.join(planset.ids)}")
    folder = build_packet(planset, args.out, progress=out, pdf=not args.no_pdf)
    out(f"wrote {folder}/ (open {folder / 'index.html'})")
    return 0
