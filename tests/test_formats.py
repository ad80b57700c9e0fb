"""Other file types (issue 3): Markdown, HTML, Word and PDF, each made by the test itself, read
into the same model; spans are lines of the extracted text, whose provenance is kept."""

from __future__ import annotations

import io
import json

import pytest
from conftest import PLAN_2022, outline

from coreplan_analysis import InputError, read_plan
from coreplan_analysis._formats import extract, extract_bytes
from coreplan_analysis.cli import main


# -- makers: every input is written here, nothing opaque is committed ----------------------------
def make_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Heartwood Library Association", style="Title")
    d.add_paragraph("Strategic Plan 2025-2028")
    d.add_heading("Goal 1: Reach Every Reader", level=1)
    d.add_paragraph("Readers of every age find the library welcoming.")
    d.add_heading("Objectives", level=2)
    d.add_paragraph("Open two new branches in growing suburbs.", style="List Number")
    p = d.add_paragraph("Extend Sunday hours at the main library. ", style="List Number")
    p.add_run("(Board of Directors)").italic = True
    d.add_paragraph("Survey residents about the hours they need.", style="List Bullet 2")
    d.add_heading("Goal 2: Strong Staff", level=1)
    d.add_heading("Objectives", level=2)
    d.add_paragraph("Fund a leadership program for branch managers.", style="List Number")
    b = io.BytesIO()
    d.save(b)
    return b.getvalue()


def make_pdf(pages: list[list[str]]) -> bytes:
    """A small valid PDF (Helvetica, one text line per string), written by hand."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = len(objs) + 1 + 2 * len(pages)
    kids = []
    for lines in pages:
        ops = [b"BT", b"/F1 11 Tf", b"14 TL", b"72 760 Td"]
        for line in lines:
            esc = line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            ops.append(b"(" + esc + b") Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    kids_ref = b" ".join(b"%d 0 R" % k for k in kids)
    assert add(b"<< /Type /Pages /Kids [" + kids_ref + b"] /Count %d >>" % len(kids)) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)


PDF_PAGES = [
    ["Anystate Library Association", "Strategic Plan 2024-2027", "Strategic Area 1: Advocacy",
     "1. Build a statewide coalition of library sup-", "porters and trustees. (Legislative Committee)",
     "2. Publish an annual report on library funding.", "Page 1 of 2"],
    ["Anystate Library Association", "Strategic Area 2: Learning", "1. Offer a certificate program in man-",
     "agement for staff. (Education Committee)", "Page 2 of 2"],
]

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Plan | Valley Library Council</title>
<style>body { font-family: serif; }</style><script>window.analytics = {};</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li></ul></nav>
<header><p>Skip to main content</p></header>
<main>
<h1>Valley Library Council Strategic Plan 2025&ndash;2028</h1>
<p>The Council adopted this plan in <b>January 2025</b>.</p>
<h2>Goal Area: Access</h2>
<p>Goal: Every resident can reach a library.</p>
<h3>Objectives:</h3>
<ol>
  <li>Extend bookmobile routes to the three northern townships. <em>(Outreach Committee)</em></li>
  <li>Offer library cards online
    <ul><li>Accept digital proof of address</li></ul>
  </li>
</ol>
<h2>Goal Area: Learning</h2>
<p>Goal: Residents keep learning all their lives.</p>
<h3>Objectives:</h3>
<ol><li>Host a monthly technology help clinic. (In progress)</li></ol>
</main>
<footer><p>&copy; 2025 Valley Library Council &middot; Privacy</p></footer>
</body></html>
"""


# -- plain text and Markdown ---------------------------------------------------------------------
def test_text_is_read_as_is():
    doc = extract(PLAN_2022)
    assert doc.source_type == "text" and doc.line_map is None and doc.diagnostics == ()
    assert doc.text == PLAN_2022.read_text(encoding="utf-8")
    assert doc.source_line(23) == 23


def test_markdown_headings_are_headings(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("# Cascadia Art Libraries Plan 2025-2028\n\n## Preserve Collections\n\n"
                    "- Survey collections at risk.\n- Build a disaster network.\n\n"
                    "## Build Community\n\n- Hold a regional gathering.\n", encoding="utf-8")
    plan = read_plan(path)
    assert plan.title == "Cascadia Art Libraries Plan 2025-2028"
    assert [(a.title, len(a.items)) for a in plan.areas] == [("Preserve Collections", 2), ("Build Community", 1)]
    assert ("info", "format", "read as Markdown") in [(d.severity, d.kind, d.message) for d in plan.diagnostics]
    assert plan.source.lines == 10


# -- HTML ----------------------------------------------------------------------------------------
def test_html_extraction_drops_page_chrome_and_keeps_provenance():
    doc = extract_bytes(HTML.encode("utf-8"), suffix=".html")
    lines = doc.text.splitlines()
    assert "Home" not in doc.text and "analytics" not in doc.text and "font-family" not in doc.text
    assert "Skip to main content" not in doc.text and "Privacy" not in doc.text
    assert lines[0] == "# Valley Library Council Strategic Plan 2025–2028"
    assert "1. Extend bookmobile routes to the three northern townships. *(Outreach Committee)*" in lines
    assert "  - Accept digital proof of address" in lines
    html_lines = HTML.splitlines()
    # every extracted line knows its line in the page's source
    for k, line in enumerate(lines, start=1):
        if line.strip():
            src = html_lines[doc.source_line(k) - 1]
            word = line.lstrip("#-*0123456789. ").split()[0].strip("*(")
            assert word in src, (line, src)


def test_html_plan(tmp_path):
    path = tmp_path / "valley-plan.html"
    path.write_bytes(HTML.encode("utf-8"))
    plan = read_plan(path)
    assert plan.title == "Valley Library Council Strategic Plan 2025–2028" and plan.period == (2025, 2028)
    assert [a.title for a in plan.areas] == ["Access", "Learning"]
    goal = plan.areas[0].items[0]
    assert (goal.kind, goal.text) == ("goal", "Every resident can reach a library.")
    assert [(c.number, c.text, c.owners) for c in goal.children] == [
        ("1", "Extend bookmobile routes to the three northern townships.", ("Outreach Committee",)),
        ("2", "Offer library cards online", ())]
    assert [c.text for c in goal.children[1].children] == ["Accept digital proof of address"]
    assert plan.areas[1].items[0].children[0].status.kind == "in_progress"
    fmt = [d for d in plan.diagnostics if d.kind == "format"]
    assert len(fmt) == 1 and fmt[0].message.startswith("read from HTML: spans are lines of the extracted text")
    assert not [d for d in plan.diagnostics if d.kind == "unparsed"]


def test_html_windows_1252_meta(tmp_path):
    page = '<html><head><meta charset="windows-1252"></head><body><h2>Strategic Area 1: Caf\xe9</h2>' \
           '<ol><li>Open the caf\xe9 \x93daily\x94</li></ol></body></html>'
    path = tmp_path / "cafe.htm"
    path.write_bytes(page.encode("latin-1"))
    plan = read_plan(path)
    assert plan.areas[0].title == "Café"
    assert plan.areas[0].items[0].text == "Open the café “daily”"


def test_html_table_rows_become_cells():
    page = ("<h2>Goal 1: Advocacy</h2><table><tr><th>Action</th><th>Lead</th><th>Status</th></tr>"
            "<tr><td>Hold a legislative day</td><td>Legislative Committee</td><td>Done</td></tr></table>")
    doc = extract_bytes(page.encode(), suffix=".html")
    assert doc.text.splitlines()[-2:] == ["Action | Lead | Status",
                                          "Hold a legislative day | Legislative Committee | Done"]


# -- Word ----------------------------------------------------------------------------------------
def test_docx_headings_and_list_levels(tmp_path):
    path = tmp_path / "heartwood.docx"
    path.write_bytes(make_docx())
    doc = extract(path)
    assert doc.source_type == "docx"
    lines = doc.text.splitlines()
    assert lines[:3] == ["# Heartwood Library Association", "", "Strategic Plan 2025-2028"]
    assert "2. Extend Sunday hours at the main library. *(Board of Directors)*" in lines
    assert "  - Survey residents about the hours they need." in lines  # list level 2
    # provenance: the Word paragraph each line came from
    k = lines.index("2. Extend Sunday hours at the main library. *(Board of Directors)*") + 1
    assert doc.source_line(k) == 7

    plan = read_plan(path)
    assert plan.title == "Heartwood Library Association: Strategic Plan 2025-2028"
    assert [(a.number, a.title) for a in plan.areas] == [("1", "Reach Every Reader"), ("2", "Strong Staff")]
    first = plan.areas[0]
    assert first.statement == "Readers of every age find the library welcoming."
    assert [(i.kind, i.number, i.text, i.owners) for i in first.walk()] == [
        ("goal", "1", "Open two new branches in growing suburbs.", ()),
        ("goal", "2", "Extend Sunday hours at the main library.", ("Board of Directors",)),
        ("action", None, "Survey residents about the hours they need.", ()),
    ]
    assert [d.message for d in plan.diagnostics if d.kind == "format"] == [
        "read from a Word document: spans are lines of the extracted text (headings and list levels kept)"]


# -- PDF -----------------------------------------------------------------------------------------
def test_pdf_furniture_removed_with_diagnostics(tmp_path):
    path = tmp_path / "anystate.pdf"
    path.write_bytes(make_pdf(PDF_PAGES))
    plan = read_plan(path)
    assert plan.title == "Anystate Library Association: Strategic Plan 2024-2027"
    assert [a.title for a in plan.areas] == ["Advocacy", "Learning"]
    assert [(i.text, i.owners) for i in plan.items()] == [
        ("Build a statewide coalition of library supporters and trustees.", ("Legislative Committee",)),
        ("Publish an annual report on library funding.", ()),
        ("Offer a certificate program in management for staff.", ("Education Committee",)),
    ]
    layout = [(d.line, d.severity, d.message) for d in plan.diagnostics if d.kind == "layout"]
    assert layout == [
        (4, "info", "joined 'sup-' / 'porters' (a word hyphenated across lines)"),
        (7, "warning", "removed page number 'Page 1 of 2' (page 1)"),
        (7, "warning", "removed running header 'Anystate Library Association' (page 2)"),
        (8, "info", "joined 'man-' / 'agement' (a word hyphenated across lines)"),
        (8, "warning", "removed page number 'Page 2 of 2' (page 2)"),
    ]
    doc = extract(path)
    assert doc.source_line(4) == "1:4" and doc.source_line(8) == "2:3"
    assert plan.source.lines == len(doc.text.splitlines()) == 8
    # the sha256 is the file's, so a catalogued PDF is recognised
    import hashlib

    assert plan.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_made_by_matplotlib(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    path = tmp_path / "mpl.pdf"
    with PdfPages(path, metadata={"CreationDate": None}) as pdf:
        for page in (["Prairie Plan 2025-2028", "Strategic Area 1: Access", "1. Open on Sundays. (Board of Directors)",
                      "Page 1"], ["Strategic Area 2: Learning", "1. Teach classes.", "Page 2"]):
            fig = plt.figure(figsize=(8.5, 11))
            for k, line in enumerate(page):
                fig.text(0.1, 0.95 - 0.03 * k, line, fontsize=11)
            pdf.savefig(fig)
            plt.close(fig)
    plan = read_plan(path)
    assert [(a.title, [i.text for i in a.items]) for a in plan.areas] == [
        ("Access", ["Open on Sundays."]), ("Learning", ["Teach classes."])]
    assert [d.message for d in plan.diagnostics if d.kind == "layout"] == [
        "removed page number 'Page 1' (page 1)", "removed page number 'Page 2' (page 2)"]


# -- bad input: one clear line, exit 2 -----------------------------------------------------------
@pytest.mark.parametrize("name,data,expect", [
    ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable Word (.docx) file"),
    ("empty.docx", b"", "not a readable Word (.docx) file"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF", "not a readable PDF"),
    ("text.pdf", b"Strategic Area 1: Access\n", "not a readable PDF"),
    ("nul.html", b"<h1>Plan</h1>\x00\x01", "binary file (NUL byte)"),
])
def test_unreadable_files_exit_2_one_line(tmp_path, capsys, name, data, expect):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError):
        extract(path)
    code = main(["parse", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith(f"coreplan: {path}") and expect in line


def test_cli_parses_every_type_together(tmp_path, capsys):
    files = {"a.docx": make_docx(), "b.pdf": make_pdf(PDF_PAGES), "c.html": HTML.encode(), "d.md": b"# D\n\n- x\n"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    code = main(["parse", "--json", *(str(tmp_path / n) for n in files)])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert [p["id"] for p in doc["plans"]] == ["a", "b", "c", "d"]
    assert [len(p["areas"]) for p in doc["plans"]] == [2, 2, 2, 1]


def test_outline_of_docx_is_stable(tmp_path):
    path = tmp_path / "heartwood.docx"
    path.write_bytes(make_docx())
    assert outline(read_plan(path)) == outline(read_plan(path))
