"""The retreat packet: HTML, PDF, tracking sheet, exports; determinism and atomic writes.

The packet of the bundled plans is built once per module (``packet``); a second build of the same
plans, made later through the command line (``cli_packet``), checks the command and byte-identical
output at once. A one-plan packet of a plan full of markup checks escaping and the "no continuity"
note. The PDF checks need Debian's poppler-utils (``pdftoppm``, ``pdftotext``): they fail when it
is missing under ``CI=true`` and skip with an install hint otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser

import pytest

from coreplan_analysis import PlanSet, parse_plan
from coreplan_analysis import _packet
from coreplan_analysis._model import STATUS_KINDS
from coreplan_analysis._packet import build_packet
from coreplan_analysis.cli import main

EVIL = """Evil Plan 2030-2031

Areas of Focus

1. Outreach <script>alert(1)</script>

Goal: Grow <b>membership</b> & keep "members" <i>happy</i>.

Actions:
1. Recruit <b>new</b> members (Board of Directors)
2. Publish a report <img src=x onerror=alert(2)> every quarter
"""

#: Formats that must be byte-identical between two builds of the same plans.
DETERMINISTIC = (".csv", ".html", ".xlsx", ".graphml", ".gexf", ".svg", ".pdf", ".png")


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def packet(tmp_path_factory, planset):
    out = tmp_path_factory.mktemp("packet") / "packet"
    steps: list[str] = []
    start = time.perf_counter()
    folder = build_packet(planset, out, progress=steps.append)
    return folder, steps, time.perf_counter() - start


@pytest.fixture(scope="module")
def cli_packet(tmp_path_factory, packet):
    """The same packet built again, later (past a second boundary), through the command line."""
    time.sleep(1.1)
    out = tmp_path_factory.mktemp("cli") / "packet"
    import io
    from contextlib import redirect_stderr, redirect_stdout

    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        code = main(["packet", "--out", str(out)])
    return out, code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def evil_packet(tmp_path_factory, planset):
    plan = parse_plan(EVIL, plan_id="evil-2030")
    out = tmp_path_factory.mktemp("evil") / "packet"
    build_packet(PlanSet((plan,), planset.reference, planset.workspace), out, pdf=False)
    return plan, (out / "index.html").read_text(encoding="utf-8")


class _Page(HTMLParser):
    """What the tests read from index.html: headings, images, scripts, sections, text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.imgs: list[dict] = []
        self.tags: list[str] = []
        self.sections: list[dict] = []
        self.text: list[str] = []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "img":
            self.imgs.append(a)
        if tag == "section" and "page" in (a.get("class") or "").split():
            self.sections.append({"class": a.get("class"), "area": a.get("data-area"), "heading": None})
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading[0]}":
            level, text = self._heading
            text = " ".join(text.split())
            self.headings.append((level, text))
            if self.sections and self.sections[-1]["heading"] is None:
                self.sections[-1]["heading"] = text
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading:
            self._heading[1] += data


def parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


@pytest.fixture(scope="module")
def page(packet):
    folder, *_ = packet
    return parse((folder / "index.html").read_text(encoding="utf-8"))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path:
        return path
    hint = f"{tool} not found: install Debian's poppler-utils (apt-get install -y poppler-utils)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{hint}; CI must provide it (.ci/run installs it as root)")
    pytest.skip(hint)


# ---------------------------------------------------------------------------------------------
# The folder and the steps
# ---------------------------------------------------------------------------------------------


def test_folder_holds_every_output(packet):
    folder, steps, seconds = packet
    names = {p.name for p in folder.iterdir()}
    assert names == set(_packet.PACKET_FILES)
    charts = {p.name for p in (folder / "charts").iterdir()}
    for stem in ("alignment-heatmap", "coverage-matrix", "continuity-flow-1", "owner-workload", "timeline",
                 "status-summary"):
        assert {f"{stem}.png", f"{stem}.svg", f"{stem}.pdf"} <= charts
    tables = {p.name for p in (folder / "tables").iterdir()}
    assert {"items.csv", "areas.csv", "diagnostics.csv", "alignment.csv", "gaps.csv"} <= tables
    assert any(n.startswith("continuity-core-2021-2022__core-2022-2025") for n in tables)
    assert [s.split(":")[0] for s in steps] == [
        "[1/9] tables", "[2/9] alignment", "[3/9] gaps", "[4/9] continuity", "[5/9] graph", "[6/9] charts",
        "[7/9] tracking sheet", "[8/9] html", "[9/9] pdf"]
    assert seconds < 60, f"packet build took {seconds:.1f} s"  # about 7 s on an idle 2-core machine


def test_no_temporary_folder_left_beside_the_packet(packet):
    folder, *_ = packet
    assert sorted(p.name for p in folder.parent.iterdir()) == ["packet"]


# ---------------------------------------------------------------------------------------------
# index.html
# ---------------------------------------------------------------------------------------------


def test_html_holds_every_area_title_and_gap_subject(packet, page, planset):
    from coreplan_analysis._gaps import find_gaps

    text = _flat(" ".join(page.text))
    for plan in planset:
        for area in plan.areas:
            assert area.title and area.title in text
    subjects = set(find_gaps(planset)["subject"])
    assert subjects
    for subject in subjects:
        assert subject in text, subject


def test_html_is_self_contained(packet):
    folder, *_ = packet
    raw = (folder / "index.html").read_text(encoding="utf-8")
    page = parse(raw)
    assert "link" not in page.tags and "script" not in page.tags
    for img in page.imgs:
        assert img["src"].startswith("data:image/png;base64,")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", raw.replace('href="https://', "")), \
        "a resource loads from the network"
    assert "<style>" in raw and "@page" in raw


def test_headings_in_order(page):
    levels = [level for level, _ in page.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading skips from h{before} to h{after}"
    assert all(text for _, text in page.headings)


def test_every_chart_has_alt_text_stating_its_finding(page):
    assert len(page.imgs) >= 6
    for img in page.imgs:
        alt = (img.get("alt") or "").strip()
        assert alt and "chart" in alt.lower() and len(alt) > 40, alt


def test_every_page_section_has_a_heading(page):
    assert page.sections and all(s["heading"] for s in page.sections)


def test_contrast_of_the_stylesheet():
    """Every colour of the stylesheet used for text is dark enough on white (>= 4.5:1)."""
    from importlib import resources

    css = resources.files("coreplan_analysis").joinpath("_templates", "packet.css").read_text(encoding="utf-8")

    def luminance(hex6):
        rgb = [int(hex6[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    text_colours = re.findall(r"(?<![-\w])color:\s*#([0-9a-fA-F]{6})", css)
    variables = dict(re.findall(r"--(ink|muted|link):\s*#([0-9a-fA-F]{6})", css))
    backgrounds = re.findall(r"background:\s*#([0-9a-fA-F]{6})", css)
    assert text_colours and variables
    for colour in text_colours + list(variables.values()):
        for bg in ["ffffff", *backgrounds]:
            ratio = (luminance(bg) + 0.05) / (luminance(colour) + 0.05)
            assert ratio >= 4.5, f"#{colour} on #{bg}: {ratio:.2f}:1"


def test_statuses_are_words_not_only_colour(page):
    text = " ".join(page.text)
    for word in ("completed", "revised", "new", "not marked"):
        assert word in text


def test_plan_text_is_escaped(evil_packet):
    plan, raw = evil_packet
    page = parse(raw)
    assert "script" not in page.tags and "b" not in page.tags
    assert page.tags.count("img") == sum(1 for _ in re.finditer(r"<img ", raw))
    assert not re.search(r"<img src=x", raw)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "&lt;b&gt;new&lt;/b&gt;" in raw
    text = " ".join(page.text)
    assert "<script>alert(1)</script>" in text and "<b>new</b>" in text  # shown as text


def test_single_plan_packet_says_why_there_is_no_continuity(evil_packet):
    _, raw = evil_packet
    page = parse(raw)
    notes = re.findall(r'<p class="note" id="no-continuity">(.*?)</p>', raw)
    assert len(notes) == 1 and "one plan" in notes[0] and "\n" not in notes[0]
    assert not any(text.startswith("Continuity") for _, text in page.headings)


@pytest.fixture(scope="module")
def two_orgs_packet(tmp_path_factory, planset):
    """Core's two plans with another association's plan between them (by cycle)."""
    from dataclasses import replace

    other = replace(parse_plan("1. Access\nGoal: Open longer.\nActions:\n1. Open the library on Sundays.\n",
                               plan_id="ola-2021-2024"), organisation="Other Library Association", period=(2021, 2024))
    old, new = planset.plans
    out = tmp_path_factory.mktemp("orgs") / "packet"
    build_packet(PlanSet((old, other, new), planset.reference, planset.workspace), out, pdf=False)
    return (out / "index.html").read_text(encoding="utf-8")


def test_packet_compares_each_organisations_cycles_and_names_them(two_orgs_packet):
    page = parse(two_orgs_packet)
    org = "Core: Leadership, Infrastructure, Futures (American Library Association)"
    assert [text for _, text in page.headings if text.startswith("Continuity")] == [
        f"Continuity: {org}, 2021\u20132022 to 2022\u20132025"]
    assert ("46% of the actions of Members First: Core Strategic Action Plan, 2021-2022 continue in "
            "Core Strategic Plan 2022-2025 (6 of 13)") in " ".join(page.text)
    assert "no-continuity" not in two_orgs_packet
    # Its gaps page says that the other association's plan is not judged by Core's values.
    (note,) = re.findall(r'<p class="note" id="gaps-not-judged">(.*?)</p>', two_orgs_packet)
    assert note == ("Not judged against Core values or the committees of Core: Leadership, Infrastructure, "
                    "Futures (rules value-unserved, value-unsupported and owner-idle not run; stream-unadvanced "
                    "only for the streams a plan names), as plans of other organisations: ola-2021-2024.")


def test_packet_of_two_organisations_says_why_there_is_no_continuity(tmp_path, planset):
    from dataclasses import replace
    from types import SimpleNamespace

    old, new = planset.plans
    pk = SimpleNamespace(plans=[old, replace(new, organisation="Another Association")], planset=planset,
                         crosswalks=[])
    assert _packet._step_continuity(pk, tmp_path) == "no two plans of one organisation: no continuity to show"
    assert pk.crosswalks == [] and not (tmp_path / "tables").exists()


# ---------------------------------------------------------------------------------------------
# tracking-sheet.xlsx
# ---------------------------------------------------------------------------------------------


def test_tracking_sheet(packet, planset):
    from openpyxl import load_workbook

    folder, *_ = packet
    wb = load_workbook(folder / "tracking-sheet.xlsx")
    assert wb.sheetnames[0] == "Summary"
    assert wb.sheetnames[1:] == [p.id for p in planset]
    total = 0
    for plan in planset:
        ws = wb[plan.id]
        header = [c.value for c in ws[1]]
        for col in ("Plan", "Area", "Goal", "Action", "Owners", "Values", "Streams", "Status", "Status date",
                    "Continuity", "Progress", "Notes"):
            assert col in header, col
        rows = [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
        total += len(rows)
        assert [r["Status"] for r in rows] == [leaf.status.kind for leaf in plan.leaves()]
        assert [r["Action"] for r in rows] == [leaf.text for leaf in plan.leaves()]
        assert all(r["Progress"] is None and r["Notes"] is None for r in rows)
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(header)).column_letter}{len(rows) + 1}"
        status_col = ws.cell(row=1, column=header.index("Status") + 1).column_letter
        (dv,) = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
        assert str(dv.sqref) == f"{status_col}2:{status_col}{len(rows) + 1}"
        assert dv.formula1.strip('"').split(",") == list(STATUS_KINDS)
        for letter in ("E", "F"):  # sensible widths, not Excel's default 8.43
            assert ws.column_dimensions[letter].width >= 20
    assert total == 23
    revised = [r for r in wb["core-2022-2025"].iter_rows(min_row=2, values_only=True) if "revised" in r]
    assert len(revised) == 2
    continuity = [c.value for c in wb["core-2021-2022"]["K"][1:]]
    assert all(continuity) and any("not found in the copy" in v for v in continuity)


# ---------------------------------------------------------------------------------------------
# packet.pdf
# ---------------------------------------------------------------------------------------------


def test_pdf_pages_and_area_titles(packet, page, planset, tmp_path):
    pdftoppm, pdftotext = _poppler("pdftoppm"), _poppler("pdftotext")
    folder, *_ = packet
    pdf = folder / "packet.pdf"
    subprocess.run([pdftoppm, "-png", "-r", "20", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    n_areas = sum(len(p.areas) for p in planset)
    # One printed page per page section of the HTML (each prints on one sheet); at least the
    # glance, one page per plan and one per area.
    assert len(pngs) == len(page.sections) >= 1 + len(planset) + n_areas
    areas = {a.id: a for p in planset for a in p.areas}
    seen = 0
    for number, section in enumerate(page.sections, start=1):
        if not section["area"]:
            continue
        text = subprocess.run([pdftotext, "-f", str(number), "-l", str(number), str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert areas[section["area"]].title in _flat(text), (number, section)
        assert section["heading"] in _flat(text)
        seen += 1
    assert seen == n_areas


def test_pdf_is_the_html_printed_without_dates(packet, page):
    from pypdf import PdfReader

    folder, *_ = packet
    reader = PdfReader(folder / "packet.pdf")
    meta = dict(reader.metadata)
    assert "/CreationDate" not in meta and "/ModDate" not in meta
    assert meta["/Title"].startswith("Retreat packet")
    titles = []

    def walk(outline):
        for entry in outline:
            if isinstance(entry, list):
                walk(entry)
            else:
                titles.append(entry.title)

    walk(reader.outline)  # WeasyPrint's bookmarks are the HTML headings, in order
    assert titles == [text for _, text in page.headings]


# ---------------------------------------------------------------------------------------------
# The command line, determinism, atomicity
# ---------------------------------------------------------------------------------------------


def test_cli_builds_the_packet_and_prints_its_steps(cli_packet):
    out, code, stdout, stderr = cli_packet
    assert code == 0 and stderr == ""
    assert "packet of 2 plan(s): core-2021-2022, core-2022-2025" in stdout
    for step in ("tables", "alignment", "gaps", "continuity", "graph", "charts", "tracking sheet", "html", "pdf"):
        assert re.search(rf"^\[\d/9\] {step}: ", stdout, re.M), step
    assert (out / "index.html").is_file() and (out / "packet.pdf").is_file()


def test_second_build_is_byte_identical(packet, cli_packet):
    folder, *_ = packet
    other = cli_packet[0]
    mine = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file())
    assert mine == theirs
    compared = set()
    for rel in mine:
        if rel.suffix in DETERMINISTIC:
            assert (folder / rel).read_bytes() == (other / rel).read_bytes(), f"{rel} differs between builds"
            compared.add(rel.suffix)
    assert compared == set(DETERMINISTIC)


def test_failed_build_leaves_the_previous_packet(packet, tmp_path, monkeypatch, planset):
    folder, *_ = packet
    previous = tmp_path / "packet"
    shutil.copytree(folder, previous)
    before = {p.relative_to(previous): p.read_bytes() for p in previous.rglob("*") if p.is_file()}

    def boom(pk, root):  # after the tables step has written into the new folder
        raise RuntimeError("alignment step failed")

    monkeypatch.setattr(_packet, "_step_alignment", boom)
    with pytest.raises(RuntimeError, match="alignment step failed"):
        build_packet(planset, previous)
    after = {p.relative_to(previous): p.read_bytes() for p in previous.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["packet"]  # no temporary folder left


def test_packet_never_sweeps_away_a_folder_it_did_not_write(tmp_path, planset):
    from coreplan_analysis import InputError

    mine = tmp_path / "pk"
    mine.mkdir()
    (mine / "minutes.docx").write_bytes(b"precious")
    (mine / "index.html").write_text("<p>an old packet page</p>")
    with pytest.raises(InputError, match="holds minutes.docx, which coreplan did not write there"):
        build_packet(planset, mine, pdf=False)
    assert sorted(p.name for p in mine.iterdir()) == ["index.html", "minutes.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pk"]


def test_pdf_error_names_the_missing_libraries(monkeypatch):
    import builtins

    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(_packet.PacketError, match="libpango"):
        _packet._render_pdf("<html></html>")
