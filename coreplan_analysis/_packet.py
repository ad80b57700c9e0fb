"""The retreat packet: everything a facilitator hands out before a board retreat, in one folder.

:func:`build_packet` assembles what the analyses compute (it computes no analysis of its own)::

    <out>/
      index.html           self-contained (CSS inline, charts as PNG data URIs, no network):
                           at a glance, one page per plan and per area, alignment, gaps,
                           continuity, owners, timeline, appendix of data-quality diagnostics
      packet.pdf           index.html rendered through its print stylesheet by WeasyPrint
      tracking-sheet.xlsx  one row per action, a drop-down for status, blank progress columns
      charts/              every chart as PNG, SVG and PDF
      tables/              every table as CSV
      graph.graphml, graph.gexf

Pages, in order: at a glance (findings, the plans, contents); per plan an overview and one page
per area (goals, actions, owners, statuses, values); alignment (heatmap, stated against inferred);
coverage gaps (matrix, then the list with evidence); continuity between consecutive cycles of each
organisation (flow, per-area table, links, what was not carried, new and completed); owners and
workload; progress and timeline; the appendix of data-quality diagnostics. Long tables continue on further pages, split by
an estimate of their printed height, so each ``<section class="page">`` prints as one sheet. The
plan network (:func:`~coreplan_analysis.charts.plan_network`) is left out: on paper it is a
hairball, and ``graph.graphml``/``graph.gexf`` carry the network for Gephi or yEd.

The HTML is the one source of truth: the PDF is the same document printed. Every piece of plan
text is escaped, headings go h1 > h2 > h3 without skips, every chart has alt text stating its
finding, statuses and severities are words (colour only repeats them), and text is dark on white.

Outputs are deterministic (the same plans give the same bytes for CSV, HTML, XLSX, GraphML, GEXF
and, with ``SOURCE_DATE_EPOCH`` pinned while WeasyPrint runs, the PDF) and the folder is written
atomically: it is built beside *out* and swapped in at the end, so a failed build leaves the
previous packet exactly as it was.
"""

from __future__ import annotations

import base64
import contextlib
import html
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import CoreplanError

__all__ = ["build_packet", "render_html", "PACKET_FILES", "PacketError", "DEFAULT_OUT"]

#: Where ``coreplan packet`` writes by default.
DEFAULT_OUT = "build/packet"

#: The files and folders of a packet.
PACKET_FILES = ("index.html", "packet.pdf", "tracking-sheet.xlsx", "charts", "tables", "graph.graphml",
                "graph.gexf")

#: The date pinned (as ``SOURCE_DATE_EPOCH``) while WeasyPrint writes the PDF: the font subsetter
#: stamps "now" into every embedded font otherwise (2000-01-01, like the workbook's dates).
_PDF_EPOCH = "946684800"

#: Resolution of chart PNGs (files and the images embedded in the HTML).
_DPI = 150

_STATUS_SYMBOLS = {
    "completed": ("\u2714", "completed"),
    "revised": ("\u270e", "revised"),
    "new": ("\u2605", "new"),
    "in_progress": ("\u25d0", "in progress"),
    "none": ("\u2013", "not marked"),
    "unknown": ("?", "unknown (lost in the copy)"),
}
_SEVERITY_WORDS = {"high": "\u25b2 high", "medium": "\u25a0 medium", "low": "\u25bd low",
                   "error": "\u25b2 error", "warning": "\u25a0 warning", "info": "\u25bd info"}


class PacketError(CoreplanError):
    """The packet cannot be built (for instance WeasyPrint cannot find its system libraries)."""


# ---------------------------------------------------------------------------------------------
# HTML helpers
# ---------------------------------------------------------------------------------------------


class _M(str):
    """Markup: text already escaped (everything else is escaped when it goes into the page)."""


def _e(value) -> _M:
    """Escape anything for HTML text or a quoted attribute; ``None`` and missing values are ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType":
        return _M("")
    if isinstance(value, _M):
        return value
    return _M(html.escape(str(value), quote=True))


def _join(parts, sep="") -> _M:
    return _M(sep.join(_e(p) for p in parts))


def _tag(name, content="", **attrs) -> _M:
    attr = "".join(f' {k.rstrip("_").replace("_", "-")}="{_e(v)}"' for k, v in attrs.items() if v is not None)
    return _M(f"<{name}{attr}>{_e(content)}</{name}>")


def _short(text, n=90) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


def _status_html(kind, date=None, basis=None) -> _M:
    symbol, word = _STATUS_SYMBOLS.get(kind, ("?", str(kind)))
    text = f"{symbol} {word}" + (f" {date}" if date else "") + (" (confirmed)" if basis == "confirmed" else "")
    return _tag("span", text, class_=f"badge st-{kind}")


def _severity_html(severity) -> _M:
    return _tag("span", _SEVERITY_WORDS.get(severity, severity), class_=f"badge sev-{severity}")


@dataclass
class _Col:
    header: str
    share: float = 1.0  # of the table's width, for pagination estimates
    cls: str | None = None


def _table(cols, rows, *, caption=None, row_classes=None) -> _M:
    """A table: *cols* are :class:`_Col`; each row a list of cells (text is escaped, :class:`_M`
    kept). Column widths are fixed from the shares, so the printed layout is predictable."""
    total = sum(c.share for c in cols)
    out = ["<table>"]
    if caption:
        out.append(_tag("caption", caption))
    out.append("<colgroup>")
    out.extend(f'<col style="width: {100 * c.share / total:.2f}%">' for c in cols)
    out.append("</colgroup><thead><tr>")
    out.extend(_tag("th", c.header, scope="col", class_=c.cls) for c in cols)
    out.append("</tr></thead><tbody>")
    for k, row in enumerate(rows):
        cls = row_classes[k] if row_classes else None
        out.append(f'<tr class="{_e(cls)}">' if cls else "<tr>")
        out.extend(_tag("td", cell, class_=c.cls) for c, cell in zip(cols, row, strict=True))
        out.append("</tr>")
    out.append("</tbody></table>")
    return _M("".join(out))


def _plain(cell) -> str:
    """Text of a cell, roughly (for pagination estimates)."""
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", str(cell)))


# Printed geometry (see packet.css): US letter landscape, margins 0.5in left/right and 0.45in +
# 0.55in top/bottom; tables at 8.5pt, body text at 10.5pt, line height 1.4. DejaVu Sans averages
# about 0.56 em per character.
_PAGE_W_PT = 720.0
_PAGE_H_PT = 540.0
_CHAR_EM = 0.53


def _text_pt(text, width_pt, size=10.5) -> float:
    """Estimated printed height of *text* in a box *width_pt* wide."""
    per_line = max(1, int(width_pt / (size * _CHAR_EM)))
    lines = sum(max(1, math.ceil(len(part) * 1.08 / per_line)) for part in str(text).split("\n"))
    return lines * size * 1.4


def _row_pt(cols, row) -> float:
    total = sum(c.share for c in cols)
    return max(_text_pt(_plain(cell), _PAGE_W_PT * c.share / total - 7, 8.5) for c, cell in zip(cols, row)) + 4.5


def _overhead_pt(level=2, intro="", caption=False, cols=()) -> float:
    """Height taken on a page before the table's rows: heading, intro, caption, header row."""
    pt = 36.0 if level == 2 else 26.0
    if intro:
        pt += _text_pt(_plain(intro), _PAGE_W_PT) + 8
    if caption:
        pt += 16
    if cols:
        pt += _row_pt(cols, [c.header for c in cols])
    return pt + 14  # safety: rounding, borders, table margins


def _paginate(cols, rows, *, first_overhead, overhead, allow_empty_first=False):
    """Split *rows* into pages by their estimated printed height.

    With *allow_empty_first*, the first page may hold no row (when what comes before the table,
    say a chart, fills it); otherwise every page holds at least one row.
    """
    pages, page, used = [], [], 0.0
    avail = _PAGE_H_PT - first_overhead
    for row in rows:
        h = _row_pt(cols, row)
        if (page or (allow_empty_first and not pages)) and used + h > avail:
            pages.append(page)
            page, used, avail = [], 0.0, _PAGE_H_PT - overhead
        page.append(row)
        used += h
    if page or not pages:
        pages.append(page)
    return pages


#: Printed height limits of a figure by size class (see packet.css), in points.
_FIGURE_MAX_PT = {"short": 2.7 * 72, "compact": 3.5 * 72, "": 4.2 * 72, "tall": 5.1 * 72}


def _figure_pt(pk, name, size="") -> float:
    """Estimated printed height of a chart with its caption."""
    import struct

    png = pk.charts[name].png
    width, height = struct.unpack(">II", png[16:24])
    shown = min(_FIGURE_MAX_PT[size], _PAGE_W_PT * height / width)
    return shown + 2 * 10.5 * 1.4 + 14  # two caption lines, figure margins


def _pages_with_table(doc, sid, level, title, head, head_pt, cols, rows, *, caption, more, kind):
    """A page opening with *head* (markup about *head_pt* tall: intro, chart) and a table whose
    rows continue on further pages (h3 *more*) when they do not fit."""
    first = _overhead_pt(level, caption=bool(caption), cols=cols) + head_pt
    rest = _overhead_pt(3, caption=bool(caption), cols=cols)
    pages = _paginate(cols, rows, first_overhead=first, overhead=rest, allow_empty_first=True)
    for k, chunk in enumerate(pages, start=1):
        table = _table(cols, chunk, caption=caption) if chunk else ""
        if k == 1:
            doc.page(sid, level, title, _M(head + table), kind=kind)
        else:
            done = 1 if pages[0] else 0  # a first page with no row is not counted in the titles
            total = len(pages) - 1 + done
            suffix = f" ({k - 1 + done} of {total})" if total > 1 else ""
            doc.page(f"{sid}-more-{k}", 3, f"{more}{suffix}", table, kind=kind)


def _intro_pt(*texts) -> float:
    return sum(_text_pt(_plain(t), _PAGE_W_PT) + 6 for t in texts)


class _Doc:
    """The packet's pages, in order: each a ``<section class="page">`` that prints as one page."""

    def __init__(self):
        self.sections: list[str] = []
        self.toc: list[tuple[str, str]] = []

    def page(self, sid, level, title, body, *, kind="", toc=None, data=None, kicker=None):
        """Add a page; *toc* is its entry in the contents (default: the title of an h2 page)."""
        heading = _tag(f"h{level}", title, id=f"{sid}-title")
        if toc is None and level == 2:
            toc = title
        if toc:
            self.toc.append((sid, toc))
        attrs = "".join(f' data-{k}="{_e(v)}"' for k, v in (data or {}).items())
        kick = _tag("p", kicker, class_="kicker") if kicker else ""
        self.sections.append(
            f'<section class="page {_e(kind)}" id="{_e(sid)}" aria-labelledby="{_e(sid)}-title"{attrs}>'
            f"{kick}{heading}{body}</section>"
        )


# ---------------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------------


@dataclass
class _Chart:
    name: str
    title: str
    alt: str
    finding: str
    png: bytes
    files: list = field(default_factory=list)


@dataclass
class _Packet:
    """What the steps compute and the HTML assembles."""

    planset: object
    plans: list
    frames: object = None
    alignment: object = None
    stated_vs_inferred: object = None
    gaps: object = None
    crosswalks: list = field(default_factory=list)
    graph: object = None
    threshold: float | None = None
    charts: dict = field(default_factory=dict)
    html: str | None = None
    several_orgs: bool | None = None  # (_several_orgs)


def _as_planset(planset):
    from ._catalog import PlanSet

    if isinstance(planset, PlanSet):
        return planset
    plans = (planset,) if hasattr(planset, "areas") else tuple(planset)
    from ._reference import load_reference

    return PlanSet(plans, load_reference(None), None)


def build_packet(planset, out, *, progress=None, pdf=True) -> Path:
    """Build the retreat packet for *planset* into the folder *out* (replaced atomically).

    Parameters
    ----------
    planset : PlanSet, Plan or list of Plan
        The plans, in cycle order (annotated ones from :func:`~coreplan_analysis.load_catalog`
        by default). Continuity is shown between consecutive cycles of each organisation
        (:func:`~coreplan_analysis.cycle_pairs`); a packet with no such pair says why it has none.
    out : str or os.PathLike
        The packet folder. It is built in a temporary sibling and swapped in when complete: a
        failed build leaves a previous packet there untouched.
    progress : callable, optional
        Called with one line of text per step (the command line prints them).
    pdf : bool, default True
        Also render ``packet.pdf`` (WeasyPrint) from ``index.html``.

    Returns
    -------
    pathlib.Path
        The packet folder.

    Raises
    ------
    PacketError
        When WeasyPrint cannot load its system libraries (pango).

    Examples
    --------
    >>> import tempfile
    >>> from coreplan_analysis import parse_plan
    >>> plan = parse_plan("Members Plan 2030-2031\\n\\n1. Membership\\n\\nGoal: Grow membership.\\n\\n"
    ...                   "1. Run an annual member engagement survey (Board of Directors)",
    ...                   plan_id="members-2030")
    >>> steps = []
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = build_packet(plan, Path(tmp) / "packet", progress=steps.append, pdf=False)
    ...     print(sorted(p.name for p in folder.iterdir()))
    ['charts', 'graph.gexf', 'graph.graphml', 'index.html', 'tables', 'tracking-sheet.xlsx']
    >>> steps[3]
    '[4/8] continuity: one plan: no continuity to show'
    """
    from ._io import atomic_dir

    say = progress or (lambda text: None)
    ps = _as_planset(planset)
    pk = _Packet(planset=ps, plans=list(ps))
    steps = [
        ("tables", _step_tables),
        ("alignment", _step_alignment),
        ("gaps", _step_gaps),
        ("continuity", _step_continuity),
        ("graph", _step_graph),
        ("charts", _step_charts),
        ("tracking sheet", _step_tracking),
        ("html", _step_html),
    ]
    if pdf:
        steps.append(("pdf", _step_pdf))
    final = Path(out)
    with atomic_dir(final, replaces=PACKET_FILES) as tmp:  # (refuses a folder of other files)
        for k, (name, step) in enumerate(steps, start=1):
            note = step(pk, tmp)
            say(f"[{k}/{len(steps)}] {name}: {note}")
    return final


# -- steps -------------------------------------------------------------------------------------
def _step_tables(pk, root) -> str:
    from ._export import write_csv
    from ._tables import to_frames

    pk.frames = to_frames(pk.plans)
    for name, df in pk.frames:
        write_csv(df, root / "tables" / f"{name}.csv")
    return f"{len(list(pk.frames))} plan tables in tables/"


def _step_alignment(pk, root) -> str:
    from ._align import align, stated_vs_inferred
    from ._export import write_csv
    from ._gaps import load_gap_config

    # One threshold for the whole packet: the one the gap rules use (reference/gaps.yaml of the
    # workspace; unset means the alignment default), so gaps, heatmap and graph agree.
    pk.threshold = load_gap_config(getattr(pk.planset, "workspace", None))["threshold"]
    pk.alignment = align(pk.planset, threshold=pk.threshold)
    pk.stated_vs_inferred = stated_vs_inferred(pk.alignment)
    write_csv(pk.alignment, root / "tables" / "alignment.csv")
    write_csv(pk.stated_vs_inferred, root / "tables" / "alignment-stated-vs-inferred.csv")
    counted = pk.alignment[(pk.alignment["basis"] != "inferred") | pk.alignment["above_threshold"]]
    return f"{len(counted)} links that count (stated or above the threshold)"


def _step_gaps(pk, root) -> str:
    from ._export import write_csv
    from ._gaps import find_gaps

    pk.gaps = find_gaps(pk.planset, alignment=pk.alignment)
    write_csv(pk.gaps, root / "tables" / "gaps.csv")
    counts = pk.gaps["severity"].value_counts()
    return f"{len(pk.gaps)} gaps (" + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("high", "medium", "low")) + ")"


def _step_continuity(pk, root) -> str:
    from ._continuity import crosswalk, cycle_pairs
    from ._export import write_csv

    if len(pk.plans) < 2:
        return "one plan: no continuity to show"
    pairs = cycle_pairs(pk.plans)
    if not pairs:
        return "no two plans of one organisation: no continuity to show"
    ps = pk.planset
    for old, new in pairs:
        cw = crosswalk(old, new, reference=ps.reference, workspace=ps.workspace)
        pk.crosswalks.append(cw)
        stem = f"continuity-{old.id}__{new.id}"
        write_csv(cw.links, root / "tables" / f"{stem}-links.csv")
        write_csv(cw.outcomes, root / "tables" / f"{stem}-outcomes.csv")
        write_csv(cw.areas, root / "tables" / f"{stem}-areas.csv")
    return "; ".join(f"{cw.old} -> {cw.new}: {len(cw.link_records)} links, continuity {cw.continuity:.0%}"
                     for cw in pk.crosswalks)


def _step_graph(pk, root) -> str:
    from ._export import write_graph
    from ._graph import build_graph

    pk.graph = build_graph(pk.planset, threshold=pk.threshold)
    write_graph(pk.graph, root / "graph.graphml")
    write_graph(pk.graph, root / "graph.gexf")
    return f"{pk.graph.number_of_nodes()} nodes, {pk.graph.number_of_edges()} edges (GraphML, GEXF)"


def _chart_specs(pk):
    """``(file name, title, draw)`` for every chart of the packet, in page order."""
    from . import charts

    f = pk.frames
    values = [c.name for c in pk.planset.reference.values] if pk.planset.reference is not None else None
    specs = [
        ("status-summary", "Statuses", lambda: charts.status_summary(f.items)),
        ("alignment-heatmap", "Alignment of areas with values",
         lambda: charts.alignment_heatmap(pk.alignment, rows="area", columns="value", concepts=values,
                                          labels=f)),
        ("coverage-matrix", "Coverage of values by area, with gaps",
         lambda: charts.coverage_matrix(pk.alignment, pk.gaps, areas=f.areas, concepts=values)),
    ]
    for n, cw in enumerate(pk.crosswalks, start=1):
        old, new = pk.planset[cw.old], pk.planset[cw.new]
        specs.append((f"continuity-flow-{n}", f"Continuity {_pair_name(pk, old, new)}",
                      lambda cw=cw, old=old, new=new: charts.continuity_flow(
                          cw, old_label=f"{old.id}", new_label=f"{new.id}")))
    specs += [
        ("owner-workload", "Owner workload", lambda: charts.owner_workload(f)),
        ("timeline", "Timeline", lambda: charts.timeline(f.timeline)),
    ]
    return specs


def _step_charts(pk, root) -> str:
    import matplotlib.pyplot as plt

    from . import charts
    from ._export import save_figure

    for name, title, draw in _chart_specs(pk):
        ax = draw()
        fig = ax.figure
        try:
            alt = charts.alt_text(ax)
            found = charts.finding(ax)
            files = save_figure(fig, root / "charts" / name, dpi=_DPI)
            png = _opaque_png(files[0].read_bytes())
        finally:
            plt.close(fig)
        if not alt.strip():
            raise PacketError(f"chart {name} has no alt text")
        pk.charts[name] = _Chart(name, title, alt, found, png, [p.name for p in files])
    return f"{len(pk.charts)} charts in charts/ (PNG, SVG, PDF)"


def _opaque_png(data: bytes) -> bytes:
    """The chart PNG without its alpha channel (on white), for the page: WeasyPrint re-encodes an
    RGBA image twice (colour and mask), an RGB one once."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        rgb = Image.new("RGB", im.size, "white")
        rgb.paste(im, mask=im.getchannel("A") if im.mode == "RGBA" else None)
    out = io.BytesIO()
    rgb.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _step_tracking(pk, root) -> str:
    from ._tracking import write_tracking_sheet

    write_tracking_sheet(pk.planset, root / "tracking-sheet.xlsx", align_df=pk.alignment, crosswalks=pk.crosswalks)
    n = sum(len(p.leaves()) for p in pk.plans)
    return f"tracking-sheet.xlsx, {n} actions on {len(pk.plans)} plan sheet(s) and a summary"


def _step_html(pk, root) -> str:
    from ._io import atomic_write

    pk.html = render_html(pk)
    atomic_write(root / "index.html", pk.html.encode("utf-8"))
    pages = pk.html.count('<section class="page')
    return f"index.html, {pages} pages"


def _step_pdf(pk, root) -> str:
    from ._io import atomic_write

    data = _render_pdf(pk.html)
    atomic_write(root / "packet.pdf", data)
    return f"packet.pdf, {len(data) // 1024} KB"


@contextlib.contextmanager
def _pinned_epoch():
    """Pin ``SOURCE_DATE_EPOCH`` (unless the caller set one) while a PDF is written."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    if old is None:
        os.environ["SOURCE_DATE_EPOCH"] = _PDF_EPOCH
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def _render_pdf(html_text: str) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: pango or fontconfig missing
        raise PacketError(
            f"WeasyPrint cannot render the PDF ({exc}); install it with its system libraries "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
        ) from None
    with _pinned_epoch():
        return weasyprint.HTML(string=html_text).write_pdf()


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


def _css() -> str:
    from importlib import resources

    return resources.files("coreplan_analysis").joinpath("_templates", "packet.css").read_text(encoding="utf-8")


def _period(plan) -> str:
    a, b = plan.period
    return "\u2013".join(str(x) for x in (a, b) if x) or "no period"


def _plan_name(plan) -> str:
    return plan.title or plan.id


def _several_orgs(pk) -> bool:
    """Whether the packet's plans come from more than one organisation (worked out once)."""
    if pk.several_orgs is None:
        from ._continuity import _org_key

        pk.several_orgs = len({_org_key(p) for p in pk.plans}) > 1
    return pk.several_orgs


def _the_plan(pk, plan) -> str:
    """How a finding names a plan: "the 2021–2022 plan", or its label (title and period)
    when the packet holds several organisations' plans."""
    return _plan_label(plan) if _several_orgs(pk) else f"the {_period(plan)} plan"


def _pair_name(pk, old, new) -> str:
    """A pair of consecutive cycles: "2021–2022 to 2022–2025", after the organisation
    (or the old plan's id) when the packet holds several organisations' plans."""
    years = f"{_period(old)} to {_period(new)}"
    return f"{old.organisation or old.id}, {years}" if _several_orgs(pk) else years


def _plan_label(plan) -> str:
    """The plan's title, with its period unless the title already gives both years."""
    years = [str(y) for y in plan.period if y]
    name = _plan_name(plan)
    return name if years and all(y in name for y in years) else f"{name} ({_period(plan)})"


def _area_name(area) -> str:
    title = area.title if area.title is not None else "(title lost in the copy)"
    return f"Area {area.number or area.ordinal}: {title}"


def render_html(pk) -> str:
    """The packet's ``index.html`` (a string) for a packet whose steps have run."""
    doc = _Doc()
    plans = pk.plans
    _glance(pk, doc)
    for p, plan in enumerate(plans, start=1):
        _plan_pages(pk, doc, p, plan)
    _alignment_pages(pk, doc)
    _gap_pages(pk, doc)
    if pk.crosswalks:
        _continuity_pages(pk, doc)
    _owner_pages(pk, doc)
    _timeline_pages(pk, doc)
    _appendix_pages(pk, doc)
    # The contents list (page numbers in print) goes on the first page, now that it is known.
    toc = "".join(f'<li><a href="#{_e(sid)}">{_e(title)}</a></li>' for sid, title in doc.toc)
    doc.sections[0] = doc.sections[0].replace("<!--contents-->", f'<ol class="contents">{toc}</ol>')
    title = "Retreat packet: " + "; ".join(f"{_plan_name(p)}" for p in plans) if plans else "Retreat packet"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="coreplan_analysis">\n'
        f"<title>{_e(title)}</title>\n<style>\n{_css()}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(doc.sections)
        + "\n</main>\n</body>\n</html>\n"
    )


def _figure(pk, name, *, size="") -> _M:
    """A chart as an embedded PNG: alt text stating its finding, the finding as caption.

    *size* is a CSS class limiting the printed height (``short``, ``tall``; default medium), so
    the chart and what shares its page fit on one sheet.
    """
    chart = pk.charts[name]
    b64 = base64.b64encode(chart.png).decode("ascii")
    files = ", ".join(f"charts/{f}" for f in chart.files)
    return _M(
        f'<figure class="{_e(size)}"><img src="data:image/png;base64,{b64}" alt="{_e(chart.alt)}">'
        f'<figcaption>{_e(chart.title)}: {_e(chart.finding)}. <span class="muted">({_e(files)})</span>'
        "</figcaption></figure>"
    )


# -- at a glance --------------------------------------------------------------------------------
def _leaf_status_counts(plan) -> dict:
    counts = {k: 0 for k in _STATUS_SYMBOLS}
    for leaf in plan.leaves():
        counts[leaf.status.kind] = counts.get(leaf.status.kind, 0) + 1
    return counts


def _glance(pk, doc):
    from ._continuity import unmatched_label

    plans = pk.plans
    n_leaves = sum(len(p.leaves()) for p in plans)
    n_areas = sum(len(p.areas) for p in plans)
    findings = [f"{len(plans)} plan{'s' if len(plans) != 1 else ''}, {n_areas} areas, {n_leaves} actions "
                "(an action is an item with nothing under it)."]
    if len(pk.gaps):
        counts = pk.gaps["severity"].value_counts()
        high = pk.gaps[pk.gaps["severity"] == "high"]
        text = f"{len(pk.gaps)} coverage gaps (" + ", ".join(
            f"{counts.get(s, 0)} {s}" for s in ("high", "medium", "low")) + ")"
        if len(high):
            text += ". Most severe: " + " ".join(high["message"].head(2))
        findings.append(text if text.endswith(".") else text + ".")
    for cw in pk.crosswalks:
        old, new = pk.planset[cw.old], pk.planset[cw.new]
        leaves = old.leaves()
        cont = sum(1 for l in leaves if any(r.source == l.id for r in cw.link_records))
        word = unmatched_label(cw)
        lost = sum(1 for l in leaves if l.id in cw.dropped)
        new_leaves = {l.id for l in new.leaves()}
        text = (f"{cw.continuity:.0%} of the actions of {_the_plan(pk, old)} continue in {_the_plan(pk, new)} "
                f"({cont} of {len(leaves)}), {lost} {word}")
        if cw.new_plan_incomplete:
            text += " (its copy is damaged: they may sit in the part it lost)"
        text += (f"; {sum(1 for i in cw.new_items if i in new_leaves)} new actions, "
                 f"{sum(1 for i in cw.completed if i in new_leaves)} completed.")
        findings.append(text)
    own = pk.frames.owners[pk.frames.owners["role"] == "assigned"]
    if len(own):
        top = own.groupby("owner").size().sort_values(ascending=False, kind="stable")
        best = int(top.iloc[0])
        leaders = sorted(top[top == best].index, key=str.casefold)
        findings.append(f"Busiest owner{'s' if len(leaders) > 1 else ''}: {', '.join(leaders)} "
                        f"({best} item{'s' if best != 1 else ''}{' each' if len(leaders) > 1 else ''}).")
    unowned = sum(1 for p in plans for l in p.leaves() if not l.owners)
    if unowned:
        findings.append(f"{unowned} of {n_leaves} actions name no owner.")
    for plan in plans:
        if plan.damaged:
            warn = sum(d.severity in ("warning", "error") for d in plan.diagnostics)
            findings.append(f"The copy of {_the_plan(pk, plan)} is damaged ({warn} data-quality warnings, see "
                            "the appendix): the packet reports the damage and never repairs it.")
    no_cont = ""
    if len(plans) == 1:
        no_cont = _tag("p", f"No continuity section: this packet covers one plan ({_plan_label(plans[0])}), and "
                       "continuity compares two consecutive plan cycles.", class_="note", id="no-continuity")
    elif not pk.crosswalks:
        no_cont = _tag("p", "No continuity section: no two plans in this packet come from the same organisation, "
                       "and continuity compares two consecutive cycles of one organisation's plans.",
                       class_="note", id="no-continuity")
    rows = []
    for plan in plans:
        c = _leaf_status_counts(plan)
        rows.append([_plan_label(plan), len(plan.areas), len(plan.leaves()), c["completed"], c["revised"], c["new"],
                     c["in_progress"], c["none"], "damaged" if plan.damaged else "complete"])
    num = "num"
    table = _table([_Col("Plan", 5), _Col("Areas", 1, num), _Col("Actions", 1, num), _Col("Completed", 1.3, num),
                    _Col("Revised", 1.1, num), _Col("New", 0.9, num), _Col("In progress", 1.3, num),
                    _Col("Not marked", 1.3, num), _Col("Copy", 1.3)], rows, caption="The plans in this packet")
    lis = "".join(f"<li>{_e(f)}</li>" for f in findings)
    sub = "; ".join(_plan_label(p) for p in plans)
    body = _M(
        f'{_tag("p", sub, class_="kicker")}'
        f'<h2 id="glance">At a glance</h2>'
        f'<ul class="findings">{lis}</ul>{no_cont}{table}'
        '<p class="small">Statuses and severities are written in words (colours only repeat them). Basis: '
        "<em>stated</em>, the plan says so; <em>inferred</em>, computed from the words; <em>confirmed</em>, "
        "recorded by a person, with a source.</p>"
        '<h3 id="contents">Contents</h3><!--contents-->'
    )
    heading = _tag("h1", "Retreat packet", id="top-title")
    doc.sections.append(f'<section class="page glance" id="top" aria-labelledby="top-title">{heading}{body}</section>')


# -- plans and areas ------------------------------------------------------------------------------
def _counted(pk, item_id, kind):
    """Concepts (values or streams) an item is aligned with: inferred at or above the threshold."""
    a = pk.alignment
    if a is None:
        return []
    rows = a[(a["item"] == item_id) & (a["concept_kind"] == kind) & (a["basis"] == "inferred") & a["above_threshold"]]
    return list(dict.fromkeys(rows["concept"]))


def _plan_pages(pk, doc, p, plan):
    counts = _leaf_status_counts(plan)
    meta = [
        ("Organisation", plan.organisation or "not given"),
        ("Period", _period(plan)),
        ("Source", f"{plan.source.path or '(text)'}, {plan.source.lines} lines, "
                   f"sha256 {plan.source.sha256[:12]}\u2026"),
        ("Areas and actions", f"{len(plan.areas)} areas, {len(plan.items())} items, {len(plan.leaves())} actions"),
        ("Statuses", ", ".join(f"{v} {_STATUS_SYMBOLS[k][1]}" for k, v in counts.items() if v)),
    ]
    if plan.streams:
        meta.append(("Umbrella strategy streams it names",
                     "; ".join(f"{s.framework}: {s.name}" for s in plan.streams)))
    dl = "".join(f"<tr><th scope=\"row\">{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in meta)
    parts = [f'<table class="meta"><tbody>{dl}</tbody></table>']
    if plan.damaged:
        parts.append(_tag("p", "This copy of the plan is damaged (text cut off or headings lost): see the gaps "
                          "and the appendix. What a person recorded from other sources is marked "
                          "\u201cconfirmed\u201d.", class_="note"))
    for s in plan.sections:
        if s.kind in ("title", "heading", "timeline") or not (s.text or "").strip():
            continue
        heading = s.title or s.kind.replace("_", " ").capitalize()
        paras = "".join(_tag("p", para) for para in s.text.split("\n\n") if para.strip())
        parts.append(f'<div class="plan-section">{_tag("h3", heading)}{paras}</div>')
    doc.page(f"plan-{p}", 2, _plan_label(plan), _M("".join(parts)), kind="plan",
             data={"plan": plan.id})
    for area in plan.areas:
        _area_page(pk, doc, p, plan, area)


def _area_page(pk, doc, p, plan, area):
    parts = []
    if area.statement:
        parts.append(_tag("p", area.statement, class_="statement"))
    if area.values:
        parts.append(_tag("p", _M(f"<strong>Values the plan names for this area</strong> (stated): "
                                  f"{_e(', '.join(area.values))}")))
    if area.basis == "confirmed" and area.source_url:
        what = "is missing from the copy" if area.span == (0, 0) else "title was lost in the copy"
        url = area.source_url
        link = _tag("a", url, href=url) if url.startswith(("https://", "http://")) else _e(url)
        parts.append(_tag("p", _M(f"This area {_e(what)}; recorded by a person (confirmed) from {link}."),
                          class_="note"))
    damage = [d for d in plan.diagnostics if d.line and area.span[0] <= d.line <= area.span[1]
              and d.severity in ("warning", "error")]
    rows, classes = [], []
    for top in area.items:
        for it in top.walk():
            owners = "; ".join(it.owners) if it.owners else _M('<span class="muted">no owner named</span>')
            serves = _counted(pk, it.id, "value") + _counted(pk, it.id, "stream")
            rows.append([it.number or "\u2022", it.text, owners,
                         _status_html(it.status.kind, it.status.date, it.status.basis), ", ".join(serves)])
            classes.append("goal" if it.kind == "goal" else "action")
    if rows:
        cols = [_Col("No.", 0.5, "id"), _Col("Goal or action", 6, "text"), _Col("Owners", 2.2), _Col("Status", 1.3),
                _Col("Serves (inferred values and streams)", 2)]
        parts.append(_table(cols, rows, row_classes=classes,
                            caption=f"Goals (bold) and their actions, as printed ({len(area.leaves())} actions)"))
    else:
        parts.append(_tag("p", "The copy holds no goals or actions for this area.", class_="note"))
    if damage:
        lis = "".join(_tag("li", f"line {d.line}: {d.kind}: {d.message}") for d in damage)
        parts.append(f'<p class="small"><strong>Damage in this part of the copy:</strong></p>'
                     f'<ul class="small">{lis}</ul>')
    doc.page(f"plan-{p}-area-{area.ordinal}", 3, _area_name(area), _M("".join(parts)), kind="area",
             data={"area": area.id}, kicker=f"{_plan_label(plan)}, area {area.ordinal} of "
                                            f"{len(plan.areas)}")


# -- alignment -----------------------------------------------------------------------------------
def _alignment_pages(pk, doc):
    from ._align import _counts_phrase

    a = pk.alignment
    threshold = a.attrs.get("threshold") if a is not None else None
    intro = _tag("p", "Which values and streams each area's goals and actions serve. Stated: the plan's own "
                      "\u201cCore Values\u201d line for the area (every item inherits it). Inferred: the words "
                      f"of the item match the concept ({_counts_phrase(threshold)}). Evidence for every "
                      "link is in tables/alignment.csv.")
    cols, rows, caption = _area_matrix(pk)
    _pages_with_table(doc, "alignment", 2, "Alignment with values and streams",
                      _M(intro + _figure(pk, "alignment-heatmap")),
                      _intro_pt(intro) + _figure_pt(pk, "alignment-heatmap"), cols, rows,
                      caption=caption, more="Items serving each value, by area", kind="alignment")
    sv = pk.stated_vs_inferred
    if sv is not None and len(sv):
        names = {a.id: f"{a.ordinal}. {a.title or '(title lost)'}" for pl in pk.plans for a in pl.areas}
        cols = [_Col("Plan", 1.3), _Col("Area", 2), _Col("Value", 1.2), _Col("Finding", 1.5),
                _Col("Actions serving it", 2.5), _Col("Best evidence", 3)]
        rows = [[r.plan, names.get(r.area, r.area), r.concept, r.status, r.items.replace("; ", ", "), r.evidence]
                for r in sv.itertuples(index=False)]
        note = _tag("p", "\u201cstated, unsupported\u201d: the area names the value but no action's words "
                         "support it; \u201cserved, unstated\u201d: actions serve it but the area does not name "
                         "it.", class_="small")
        over = _overhead_pt(3, note, cols=cols)
        pages = _paginate(cols, rows, first_overhead=over, overhead=over)
        for k, chunk in enumerate(pages, start=1):
            suffix = f" ({k} of {len(pages)})" if len(pages) > 1 else ""
            doc.page(f"alignment-stated-{k}", 3, f"Stated and inferred values disagree{suffix}",
                     _M(note + _table(cols, chunk)), kind="alignment")


def _area_matrix(pk):
    """Areas against values, how many items serve each: ``(cols, rows, caption)`` of a table
    beside the heatmap (the numbers it shades, for reading without colour)."""
    from ._align import alignment_matrix

    m = alignment_matrix(pk.alignment, rows="area", columns="value", stat="count")
    names = {a.id: f"{pl.id}: {a.ordinal}. {a.title or '(title lost)'}" for pl in pk.plans for a in pl.areas}
    cols = [_Col("Area", 3)] + [_Col(str(c), 1, "num") for c in m.columns]
    rows = [[names.get(idx, idx), *(int(v) for v in row)] for idx, row in zip(m.index, m.to_numpy())]
    return cols, rows, ("Items serving each value, by area (stated, or inferred at or above the threshold); "
                        "0 means none")


# -- gaps ------------------------------------------------------------------------------------------
def _gap_pages(pk, doc):
    g = pk.gaps
    intro = _tag("p", "What the plans leave uncovered, unowned, overloaded or lost. The matrix shows how many "
                      "items serve each value in each area, with the values flagged as gaps named; the list "
                      "follows, most severe first (rules and thresholds: data/reference/gaps.yaml).")
    body = intro + _figure(pk, "coverage-matrix", size="tall")
    skipped = [pk.planset[pid] for pid in g.attrs.get("not_judged", {})]
    if skipped:
        ref = pk.planset.reference
        body += _tag("p", f"Not judged against {ref.value_set} or the committees of {ref.organisation} (rules "
                          "value-unserved, value-unsupported and owner-idle not run; stream-unadvanced only for "
                          "the streams a plan names), as plans of other organisations: "
                          + "; ".join(_plan_label(p) for p in skipped) + ".",
                     class_="note", id="gaps-not-judged")
    if not len(g):
        doc.page("gaps", 2, "Coverage gaps", _M(body + _tag("p", "No gaps found.")), kind="gaps")
        return
    counts = g["severity"].value_counts()
    body += _tag("p", f"{len(g)} gaps: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("high", "medium", "low"))
                 + ", listed on the next pages.")
    doc.page("gaps", 2, "Coverage gaps", _M(body), kind="gaps")
    cols = [_Col("Severity", 1.1), _Col("Plan", 1.4), _Col("Subject", 2.3), _Col("Finding", 4.5),
            _Col("Evidence", 4)]
    rows = [[_severity_html(r.severity), r.plan, r.subject, _M(f"{_e(r.message)} "
             f"<span class=\"muted small\">({_e(r.rule)})</span>"), r.evidence]
            for r in g.itertuples(index=False)]
    over = _overhead_pt(3, cols=cols)
    pages = _paginate(cols, rows, first_overhead=over, overhead=over)
    for k, chunk in enumerate(pages, start=1):
        suffix = f" ({k} of {len(pages)})" if len(pages) > 1 else ""
        doc.page(f"gaps-{k}", 3, f"The gaps, most severe first{suffix}", _table(cols, chunk), kind="gaps")


# -- continuity -------------------------------------------------------------------------------------
def _continuity_pages(pk, doc):
    from ._continuity import unmatched_label

    for n, cw in enumerate(pk.crosswalks, start=1):
        old, new = pk.planset[cw.old], pk.planset[cw.new]
        texts = {}
        for plan in (old, new):
            for area in plan.areas:
                texts[area.id] = area.title or "(title lost)"
                for it in area.walk():
                    texts[it.id] = it.text
        word = unmatched_label(cw)
        intro = [_tag("p", f"What {_plan_name(old)} carried into {_plan_name(new)}: {cw.continuity:.0%} of its "
                           f"actions continue (carried near-verbatim or evolved). An old item with no successor "
                           f"is \u201c{word}\u201d.")]
        if cw.new_plan_incomplete:
            intro.append(_tag("p", f"The copy of {_plan_name(new)} is damaged, so \u201cnot found in the copy\u201d "
                                   "does not mean dropped: the item may sit in the part the copy lost.",
                              class_="note"))
        head = _M("".join(intro) + _figure(pk, f"continuity-flow-{n}", size="compact"))
        head_pt = _intro_pt(*intro) + _figure_pt(pk, f"continuity-flow-{n}", "compact")
        areas = cw.areas
        old_areas = areas[areas["side"] == "old"]
        rows = [[r.area, r.title, r.leaves, r.continued,
                 "\u2013" if r.leaves == 0 else f"{r.continuity:.0%}", r.linked_areas.replace("; ", ", ")]
                for r in old_areas.itertuples(index=False)]
        cols = [_Col("Area", 1.5), _Col("Title", 3), _Col("Actions", 1, "num"), _Col("Continued", 1, "num"),
                _Col("Share", 1, "num"), _Col("Linked areas", 2)]
        sid = f"continuity-{n}" if len(pk.crosswalks) > 1 else "continuity"
        _pages_with_table(doc, sid, 2, f"Continuity: {_pair_name(pk, old, new)}", head, head_pt, cols, rows,
                          caption=f"Continuity of each area of {_plan_name(old)}",
                          more="Continuity of each area", kind="continuity")

        links = cw.links
        cols = [_Col("From", 3.5), _Col("To", 3.5), _Col("Class", 1), _Col("Basis", 1), _Col("Score", 0.8, "num"),
                _Col("Evidence (shared words)", 2.5)]
        rows = [[_M(f'<span class="id">{_e(r["from"])}</span> {_e(_short(texts.get(r["from"], ""), 80))}'),
                 _M(f'<span class="id">{_e(r["to"])}</span> {_e(_short(texts.get(r["to"], ""), 80))}'),
                 str(r["class"]), str(r["basis"]), f'{r["score"]:.2f}', r["evidence"]]
                for r in links.to_dict("records")]
        if rows:
            pages = _paginate(cols, rows, first_overhead=_overhead_pt(3, cols=cols),
                              overhead=_overhead_pt(3, cols=cols))
            for k, chunk in enumerate(pages, start=1):
                suffix = f" ({k} of {len(pages)})" if len(pages) > 1 else ""
                doc.page(f"{sid}-links-{k}", 3, f"Links between the plans{suffix}", _table(cols, chunk),
                         kind="continuity")
        out = cw.outcomes
        leaves = out[out["leaf"]]
        lost = leaves[(leaves["side"] == "old") & (leaves["outcome"] == word)]
        fresh = leaves[(leaves["side"] == "new") & (leaves["outcome"] == "new")]
        done = leaves[(leaves["side"] == "new") & leaves["completed"]]
        cols2 = [_Col("Item", 1.2, "id"), _Col("Text", 5)]
        groups = [(f"{_plan_name(old)}: actions {word} ({len(lost)})", lost),
                  (f"{_plan_name(new)}: new actions, no predecessor ({len(fresh)})", fresh),
                  (f"{_plan_name(new)}: completed actions ({len(done)})", done)]
        # The three lists share pages: each list a table (or "none"), split by printed height.
        pages, cur, used = [], [], 0.0
        avail = _PAGE_H_PT - _overhead_pt(3)
        header = _row_pt(cols2, [c.header for c in cols2]) + 16 + 12  # caption, header row, margins
        for caption, df in groups:
            rows = [[r.item, _short(r.text, 200)] for r in df.itertuples(index=False)]
            block, h = [], header
            for row in rows or [None]:
                rh = _row_pt(cols2, row) if row else 0.0
                if block and used + h + rh > avail:
                    cur.append((caption, block))
                    pages.append(cur)
                    cur, used, block, h = [], 0.0, [], header
                if row:
                    block.append(row)
                h += rh
            cur.append((caption, block))
            used += h
        if cur:
            pages.append(cur)
        for k, chunk in enumerate(pages, start=1):
            parts = [_table(cols2, block, caption=caption) if block else
                     _tag("p", _M(f"<strong>{_e(caption)}</strong>: none")) for caption, block in chunk]
            suffix = f" ({k} of {len(pages)})" if len(pages) > 1 else ""
            doc.page(f"{sid}-outcomes-{k}", 3, f"Not carried, new and completed{suffix}", _M("".join(parts)),
                     kind="continuity")


# -- owners and timeline ----------------------------------------------------------------------------
def _owner_pages(pk, doc):
    owners = pk.frames.owners
    if not len(owners):
        doc.page("owners", 2, "Owners and workload",
                 _tag("p", "None of the plans names who carries its goals or actions."), kind="owners")
        return
    rows = []
    for owner, g in owners.groupby("owner", sort=False):
        assigned = g[g["role"] == "assigned"]
        mentioned = g[g["role"] == "mentioned"]
        plans = ", ".join(dict.fromkeys(g["plan"]))
        rows.append((owner, plans, len(assigned), len(mentioned)))
    rows.sort(key=lambda r: (-r[2], -r[3], r[0].casefold()))
    cols = [_Col("Owner", 3), _Col("Plans", 2.5), _Col("Items assigned", 1, "num"), _Col("Named in prose", 1, "num")]
    unowned = sum(1 for p in pk.plans for l in p.leaves() if not l.owners)
    body = [_tag("p", "Who carries the work: items assigned to each body in the plans' owner parentheses, and "
                      f"bodies named only in prose. {unowned} actions name no owner."),
            _figure(pk, "owner-workload", size="tall")]
    doc.page("owners", 2, "Owners and workload", _M("".join(body)), kind="owners")
    over = _overhead_pt(3, cols=cols)
    pages = _paginate(cols, [list(r) for r in rows], first_overhead=over, overhead=over)
    for k, chunk in enumerate(pages, start=1):
        suffix = f" ({k} of {len(pages)})" if len(pages) > 1 else ""
        doc.page(f"owners-{k}", 3, f"Owners by items assigned{suffix}", _table(cols, chunk), kind="owners")


def _timeline_pages(pk, doc):
    marked = [it for pl in pk.plans for it in pl.items() if it.status.date or it.status.kind != "none"]
    intro = _tag("p", "How far the plans say they have got: the statuses printed beside the actions (a plan "
                      "that marks none shows only \u201cnot marked\u201d).")
    cols = [_Col("Item", 1.5, "id"), _Col("Text", 6), _Col("Status", 1.5)]
    rows = [[it.id, _short(it.text, 120), _status_html(it.status.kind, it.status.date, it.status.basis)]
            for it in marked]
    _pages_with_table(doc, "progress", 2, "Progress and timeline",
                      _M(intro + _figure(pk, "status-summary", size="short")),
                      _intro_pt(intro) + _figure_pt(pk, "status-summary", "short"), cols, rows,
                      caption="Items with a status", more="Items with a status", kind="timeline")
    t = pk.frames.timeline
    intro = _tag("p", "The dates the plans give for their own work.")
    if not len(t):
        doc.page("timeline", 3, "Timeline", _M(intro + _tag("p", "The plans give no timeline.")), kind="timeline")
        return
    cols = [_Col("Plan", 1.3), _Col("When", 1.3), _Col("What", 6), _Col("Who", 3)]
    rows = [[r.plan, r.when, r.text, r.owners or ""] for r in t.itertuples(index=False)]
    _pages_with_table(doc, "timeline", 3, "Timeline", _M(intro + _figure(pk, "timeline")),
                      _intro_pt(intro) + _figure_pt(pk, "timeline"), cols, rows, caption="Timeline entries",
                      more="Timeline entries", kind="timeline")


# -- appendix -----------------------------------------------------------------------------------------
def _appendix_pages(pk, doc):
    d = pk.frames.diagnostics
    cols = [_Col("Plan", 1.3), _Col("Line", 0.5, "num"), _Col("Severity", 1), _Col("Kind", 1.3), _Col("Message", 8)]
    rows = [[r.plan, "" if r.line is None or type(r.line).__name__ == "NAType" else int(r.line),
             _severity_html(str(r.severity)), r.kind, r.message] for r in d.itertuples(index=False)]
    intro = _tag("p", "What the parser noticed about each copy (line numbers in the raw file), and what a "
                      "person recorded on top of it (kind \u201cannotation\u201d, with its source). Damage is "
                      "reported, never repaired.")
    pages = _paginate(cols, rows, first_overhead=_overhead_pt(2, intro, cols=cols),
                      overhead=_overhead_pt(3, cols=cols))
    for k, chunk in enumerate(pages, start=1):
        suffix = f" ({k} of {len(pages)})" if len(pages) > 1 else ""
        table = _table(cols, chunk) if chunk else _tag("p", "No diagnostics.")
        if k == 1:
            doc.page("appendix", 2, f"Appendix: data-quality diagnostics{suffix}", _M(intro + table), kind="appendix")
        else:
            doc.page(f"appendix-{k}", 3, f"Data-quality diagnostics, continued{suffix}", table, kind="appendix")
    files = [
        ("index.html", "this packet (open in a browser or project it)"),
        ("packet.pdf", "the same packet, printed"),
        ("tracking-sheet.xlsx", "one row per action: statuses, owners, continuity, and blank columns for "
                                "progress and notes"),
        ("tables/", "every table as CSV (plans, areas, items, owners, alignment, gaps, continuity...)"),
        ("charts/", "every chart as PNG, SVG and PDF"),
        ("graph.graphml, graph.gexf", "the plan graph, for Gephi, yEd or networkx"),
    ]
    src = [[p.id, p.source.path or "", p.source.sha256] for p in pk.plans]
    body = [_tag("p", "Built by coreplan_analysis from these copies; the same copies always give the same "
                      "packet.")]
    body.append(_table([_Col("Plan", 1.5), _Col("File", 3), _Col("sha256", 5)], src, caption="Sources"))
    body.append(_table([_Col("File", 2), _Col("What", 6)], [list(f) for f in files],
                       caption="What is in this folder"))
    doc.page("about", 3, "About this packet", _M("".join(body)), kind="appendix")
