"""File types: the text a plan file holds, and where each line of it came from.

:func:`extract` dispatches on the file's suffix:

========================  =====================================================================
``.txt`` (and unknown)    the bytes decoded by DESIGN's rules (UTF-8 with or without BOM, else
                          Windows-1252 with a warning; NUL bytes refused)
``.md``, ``.markdown``    the same; the parser reads ``#`` headings as headings
``.html``, ``.htm``       a saved web page (stdlib :mod:`html.parser`): ``script``, ``style``,
                          ``nav``, ``header``, ``footer``, ``aside``, ``form`` dropped;
                          headings become ``#`` lines, list items ``-`` or their number with
                          two spaces of indentation per level, ``em``/``i`` become ``*...*``,
                          ``strong``/``b`` ``**...**``, table rows one line of cells joined by
                          ``" | "``
``.docx``                 a Word file (python-docx): heading styles become ``#`` lines, list
                          paragraphs their rendered number or ``-`` indented by list level,
                          italic runs ``*...*``, tables one line per row
``.pdf``                  a PDF (pypdf): page numbers and running headers/footers removed, words
                          hyphenated across lines joined, each with a diagnostic
========================  =====================================================================

For the last three the plan's spans are lines of the *extracted* text (``Extracted.text``);
``Extracted.line_map`` gives, for each of those lines, where it came from in the file (a line of
the HTML source, a paragraph of the Word body, ``page:line`` of the PDF). A ``format``
diagnostic (severity info) records the file type. Unreadable files of any type raise
:class:`~coreplan_analysis.InputError` naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import InputError
from ._io import decode_bytes
from ._model import Diagnostic

__all__ = ["Extracted", "extract", "extract_bytes", "SUFFIXES", "html_to_text", "docx_to_text", "pdf_to_text"]

#: Suffix -> source type.
SUFFIXES = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
    ".htm": "html", ".xhtml": "html", ".docx": "docx", ".pdf": "pdf",
}
#: Refuse files larger than this (bytes) for the binary formats, whose libraries hold them whole.
MAX_BINARY_BYTES = 200_000_000


@dataclass(frozen=True)
class Extracted:
    """What :func:`extract` read: the text, the file's bytes and where each line came from.

    ``line_map[k]`` describes line ``k + 1`` of ``text`` (``None`` for plain text, where a line
    is itself). ``diagnostics`` are about the extraction (removed page furniture, joined words).
    """

    text: str
    data: bytes
    source_type: str
    warning: str | None = None
    line_map: tuple | None = None
    diagnostics: tuple = field(default_factory=tuple)

    def source_line(self, line: int):
        """Where line *line* (1-based) of the extracted text came from.

        >>> Extracted("a\\nb", b"a\\nb", "text").source_line(2)
        2
        """
        if self.line_map is None:
            return line
        if 1 <= line <= len(self.line_map):
            return self.line_map[line - 1]
        return None


def extract(path) -> Extracted:
    """Read the plan file at *path* and return its text (see the module notes).

    Raises :class:`InputError` for a missing file, a directory, an unreadable or malformed file.

    Examples
    --------
    >>> from coreplan_analysis._paths import bundled_data_dir
    >>> doc = extract(bundled_data_dir() / "raw" / "core-strategic-plan-2022-2025.txt")
    >>> doc.source_type, doc.text.splitlines()[2]
    ('text', 'Core Strategic Plan 2022-2025')
    """
    from ._io import read_bytes

    return extract_bytes(read_bytes(path), suffix=Path(path).suffix, path=path)


def extract_bytes(data: bytes, *, suffix: str = ".txt", path=None) -> Extracted:
    """:func:`extract` for bytes already read; *suffix* picks the file type.

    >>> extract_bytes(b"<h2>Goal 1</h2><ul><li>Do <em>it</em></li></ul>", suffix=".html").text
    '## Goal 1\\n\\n- Do *it*'
    """
    kind = SUFFIXES.get(suffix.lower(), "text")
    if kind in ("text", "markdown"):
        text, warning = decode_bytes(data, path=path)
        diags = () if kind == "text" else (Diagnostic(None, "info", "format", "read as Markdown"),)
        return Extracted(text, data, kind, warning, None, diags)
    if kind == "html":
        text, warning = _decode_html(data, path)
        out, line_map = html_to_text(text)
        diags = (Diagnostic(None, "info", "format",
                            "read from HTML: spans are lines of the extracted text (scripts, styles and "
                            "navigation dropped)"),)
        return Extracted(out, data, kind, warning, tuple(line_map), diags)
    if len(data) > MAX_BINARY_BYTES:
        raise InputError(f"file too large for {kind} ({len(data):,} bytes)", path=path)
    if kind == "docx":
        out, line_map = docx_to_text(data, path=path)
        diags = (Diagnostic(None, "info", "format",
                            "read from a Word document: spans are lines of the extracted text "
                            "(headings and list levels kept)"),)
        return Extracted(out, data, kind, None, tuple(line_map), diags)
    out, line_map, diags = pdf_to_text(data, path=path)
    diags = (Diagnostic(None, "info", "format",
                        "read from a PDF: spans are lines of the extracted text"),) + tuple(diags)
    return Extracted(out, data, kind, None, tuple(line_map), diags)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

def _decode_html(data: bytes, path) -> tuple[str, str | None]:
    head = data[:4096].decode("ascii", errors="replace")
    m = re.search(r"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", head, re.IGNORECASE)
    if m and m.group(1).lower().replace("_", "-") in ("windows-1252", "cp1252", "iso-8859-1", "latin-1", "latin1"):
        if b"\x00" in data:
            raise InputError("binary file (NUL byte), not a text plan", path=path)
        return data.decode("cp1252", errors="replace"), None
    return decode_bytes(data, path=path)


_DROP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "template", "form", "svg",
         "button", "select", "iframe", "head", "title", "object"}
_BLOCK = {"p", "div", "section", "article", "main", "blockquote", "pre", "address", "figure",
          "figcaption", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "caption", "hr", "body",
          "html", "details", "summary", "center"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


def html_to_text(html: str) -> tuple[str, list[int]]:
    """A saved web page as plan text, with the source line of each output line.

    >>> text, where = html_to_text('''<html><head><script>x()</script></head><body>
    ... <nav><a href="/">Home</a></nav>
    ... <h1>Plan 2025-2028</h1>
    ... <h2>Goal 1: Access</h2>
    ... <ol><li>Open on Sundays <em>(Board of Directors)</em>
    ...   <ul><li>Hire staff</li></ul></li></ol>
    ... </body></html>''')
    >>> print(text)
    # Plan 2025-2028
    <BLANKLINE>
    ## Goal 1: Access
    <BLANKLINE>
    1. Open on Sundays *(Board of Directors)*
      - Hire staff
    >>> where  # the source line of each line (a blank line: that of the line after it)
    [3, 4, 4, 5, 5, 6]
    """
    from html.parser import HTMLParser

    class P(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.lines: list[tuple[int, str]] = []
            self.cur: list[str] = []
            self.cur_line = 1
            self.drop = 0
            self.lists: list[list] = []  # [kind, counter]
            self.prefix = ""
            self.pending_blank = False
            self.cells: list[str] | None = None
            self.cell: list[str] | None = None

        def flush(self, blank=False):
            text = " ".join("".join(self.cur).split())
            if text:
                if self.pending_blank and self.lines and self.lines[-1][1] != "":
                    self.lines.append((self.cur_line, ""))
                self.lines.append((self.cur_line, self.prefix + text))
                self.pending_blank = False
            self.cur = []
            self.prefix = ""
            if blank:
                self.pending_blank = True

        def start(self):
            if not self.cur:
                self.cur_line = self.getpos()[0]

        def handle_starttag(self, tag, attrs):
            tag = tag.lower()
            if tag in _DROP:
                if tag not in _VOID:
                    self.drop += 1
                return
            if self.drop:
                return
            a = dict(attrs)
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.flush(blank=True)
                self.start()
                self.cur_line = self.getpos()[0]
                self.prefix = "#" * int(tag[1]) + " "
            elif tag in ("ul", "ol"):
                self.flush(blank=not self.lists)
                try:
                    start = int(a.get("start") or 1)
                except ValueError:
                    start = 1
                self.lists.append([tag, start - 1])
            elif tag == "li":
                self.flush()
                self.cur_line = self.getpos()[0]
                depth = max(0, len(self.lists) - 1)
                if self.lists and self.lists[-1][0] == "ol":
                    self.lists[-1][1] += 1
                    self.prefix = "  " * depth + f"{self.lists[-1][1]}. "
                    self._ol_pending = True
                else:
                    self.prefix = "  " * depth + "- "
            elif tag == "tr":
                self.flush()
                self.cur_line = self.getpos()[0]
                self.cells = []
            elif tag in ("td", "th"):
                if self.cells is not None:
                    self.cell = []
            elif tag == "br":
                self.flush()
            elif tag in _BLOCK:
                self.flush(blank=True)
            elif tag in ("em", "i", "cite"):
                self.data("*")
            elif tag in ("strong", "b"):
                self.data("**")

        def handle_endtag(self, tag):
            tag = tag.lower()
            if tag in _DROP:
                if tag not in _VOID:
                    self.drop = max(0, self.drop - 1)
                return
            if self.drop:
                return
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.flush(blank=True)
            elif tag in ("ul", "ol"):
                self.flush()
                if self.lists:
                    self.lists.pop()
                if not self.lists:
                    self.pending_blank = True
            elif tag == "li":
                self.flush()
            elif tag in ("td", "th"):
                if self.cells is not None and self.cell is not None:
                    self.cells.append(" ".join("".join(self.cell).split()))
                    self.cell = None
            elif tag == "tr":
                if self.cells:
                    self.cur = [" | ".join(self.cells)]
                    self.flush()
                self.cells = None
            elif tag in _BLOCK:
                self.flush(blank=True)
            elif tag in ("em", "i", "cite"):
                self.data("*")
            elif tag in ("strong", "b"):
                self.data("**")

        def data(self, text):
            if self.cell is not None:
                self.cell.append(text)
            else:
                if not self.cur and text.strip():
                    self.cur_line = self.getpos()[0]
                self.cur.append(text)

        def handle_data(self, text):
            if self.drop:
                return
            if self.cells is not None and self.cell is None:
                return  # white space between cells
            if not self.cur and not text.strip():
                return
            if not self.cur:  # the text starts on the line of its first non-blank character
                self.cur_line = self.getpos()[0] + text[: len(text) - len(text.lstrip())].count("\n")
            self.data(text)

    p = P()
    try:
        p.feed(html)
        p.close()
    except Exception as exc:  # html.parser is lenient; anything else is a malformed page
        raise InputError(f"cannot read HTML ({exc})") from None
    p.flush()
    lines = [t for _, t in p.lines]
    where = [n for n, _ in p.lines]
    # Emphasis markers around white space only ("* *") are noise.
    lines = [re.sub(r"\*\*\s*\*\*|(?<!\*)\*\s*\*(?!\*)", " ", t).rstrip() if t else t for t in lines]
    lines = [re.sub(r"(?<=\S)  +", " ", t) for t in lines]
    while lines and lines[-1] == "":
        lines.pop()
        where.pop()
    return "\n".join(lines), where


# --------------------------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------------------------

def _fmt_number(fmt: str, n: int) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            s = chr(97 + r) + s
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        s = ""
        for v, r in vals:
            while n >= v:
                s += r
                n -= v
        return s.upper() if fmt == "upperRoman" else s
    return str(n)


def docx_to_text(data: bytes, *, path=None) -> tuple[str, list]:
    """A Word document as plan text: ``(text, paragraph number of each line)``.

    Heading styles ("Heading 1".."Heading 6", "Title") become ``#`` lines; list paragraphs get
    their rendered number ("1.", "1.1.", "a)") or a ``-`` bullet, indented two spaces per list
    level; italic runs are wrapped in ``*``; a table row is one line of cells joined by ``" | "``.
    """
    import io
    import zipfile

    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError as exc:  # pragma: no cover - a dependency
        raise InputError(f"reading Word files needs python-docx ({exc})", path=path) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, Exception) as exc:
        raise InputError(f"not a readable Word (.docx) file ({type(exc).__name__})", path=path) from None

    levels = _docx_numbering(document, qn)
    counters: dict[str, list[int]] = {}
    lines: list[str] = []
    where: list = []
    k = 0
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            k += 1
            text = _docx_paragraph_text(child, qn)
            style = _docx_style_name(document, child, qn)
            numpr = child.find(qn("w:pPr") + "/" + qn("w:numPr")) if child.find(qn("w:pPr")) is not None else None
            prefix, indent = "", ""
            if numpr is None:
                num_id, ilvl = _docx_style_numbering(document, style, qn)
            else:
                ilvl_el, num_el = numpr.find(qn("w:ilvl")), numpr.find(qn("w:numId"))
                ilvl = int(ilvl_el.get(qn("w:val"), 0)) if ilvl_el is not None else 0
                num_id = num_el.get(qn("w:val")) if num_el is not None else None
            if not text.strip():
                if lines and lines[-1] != "":
                    lines.append("")
                    where.append(k)
                continue
            m = re.match(r"(?i)heading\s*([1-6])$", style or "")
            if m or (style or "").lower() == "title":
                level = int(m.group(1)) if m else 1
                if lines and lines[-1] != "":
                    lines.append("")
                    where.append(k)
                lines.append("#" * level + " " + text.strip())
                where.append(k)
                lines.append("")
                where.append(k)
                continue
            if num_id and num_id != "0":
                sm = re.match(r"(?i)list\s+(?:bullet|number|continue)\s+(\d)$", style or "")
                if sm and ilvl == 0:
                    ilvl = int(sm.group(1)) - 1  # "List Bullet 2": the level is in the style's name
                ilvl = max(0, min(8, ilvl))
                fmt, lvl_text, start = levels.get((num_id, ilvl), ("bullet", "", 1))
                cnt = counters.setdefault(num_id, [0] * 9)
                cnt[ilvl] = cnt[ilvl] + 1 if cnt[ilvl] else start
                for deeper in range(ilvl + 1, 9):
                    cnt[deeper] = 0
                indent = "  " * ilvl
                if fmt == "bullet" or fmt == "none":
                    prefix = "- "
                else:
                    def sub(mm, num_id=num_id, fmt=fmt, cnt=cnt):
                        lv = int(mm.group(1)) - 1
                        f = levels.get((num_id, lv), (fmt, "", 1))[0]
                        return _fmt_number(f, cnt[lv] or levels.get((num_id, lv), ("", "", 1))[2])
                    label = re.sub(r"%([1-9])", sub, lvl_text or f"%{ilvl + 1}.")
                    prefix = label.strip() + " "
            lines.append(indent + prefix + text.strip())
            where.append(k)
        elif tag == "tbl":
            for tr in child.iter(qn("w:tr")):
                k += 1
                cells = []
                for tc in tr.iter(qn("w:tc")):
                    cells.append(" ".join(_docx_paragraph_text(p, qn) for p in tc.iter(qn("w:p"))).strip())
                if any(cells):
                    lines.append(" | ".join(cells))
                    where.append(k)
            lines.append("")
            where.append(k)
    while lines and lines[-1] == "":
        lines.pop()
        where.pop()
    return "\n".join(lines), where


def _docx_paragraph_text(p, qn) -> str:
    out = []
    for r in p.iter(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        italic = bold = False
        if rpr is not None:
            i = rpr.find(qn("w:i"))
            b = rpr.find(qn("w:b"))
            italic = i is not None and i.get(qn("w:val"), "true") not in ("0", "false")
            bold = b is not None and b.get(qn("w:val"), "true") not in ("0", "false")
        text = "".join((t.text or "") if t.tag == qn("w:t") else ("\t" if t.tag == qn("w:tab") else " ")
                       for t in r if t.tag in (qn("w:t"), qn("w:tab"), qn("w:br")))
        if not text:
            continue
        if italic and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            text = f"{lead}*{text.strip()}*{trail}"
        elif bold and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            text = f"{lead}**{text.strip()}**{trail}"
        out.append(text)
    s = "".join(out)
    s = re.sub(r"\*(\s*)\*(?!\*)", r"\1", s)  # adjacent italic runs: one span
    return " ".join(s.split()) if "\n" not in s else s


def _docx_style_name(document, p, qn) -> str | None:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        return None
    ps = ppr.find(qn("w:pStyle"))
    if ps is None:
        return None
    sid = ps.get(qn("w:val"))
    try:
        for st in document.styles:
            if st.style_id == sid:
                return st.name
    except Exception:  # pragma: no cover - malformed styles part
        return sid
    return sid


def _docx_style_numbering(document, style_name, qn):
    """List numbering a paragraph inherits from its style ("List Number", "List Bullet 2")."""
    if not style_name:
        return None, 0
    m = re.match(r"(?i)list\s+(bullet|number|paragraph)(?:\s+(\d))?$", style_name)
    if not m or m.group(1).lower() == "paragraph":
        return None, 0
    try:
        style = document.styles[style_name]
        ppr = style.element.find(qn("w:pPr"))
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is not None and numpr.find(qn("w:numId")) is not None:
            ilvl_el = numpr.find(qn("w:ilvl"))
            ilvl = int(ilvl_el.get(qn("w:val"), 0)) if ilvl_el is not None else 0
            return numpr.find(qn("w:numId")).get(qn("w:val")), ilvl
    except (KeyError, ValueError, AttributeError):
        pass
    return None, 0


def _docx_numbering(document, qn) -> dict:
    """``(numId, ilvl) -> (format, level text, start)`` from the numbering part."""
    out = {}
    try:
        numbering = document.part.numbering_part.element
    except (NotImplementedError, KeyError, AttributeError, Exception):
        return out
    abstract = {}
    for an in numbering.iter(qn("w:abstractNum")):
        aid = an.get(qn("w:abstractNumId"))
        lv = {}
        for lvl in an.iter(qn("w:lvl")):
            try:
                il = int(lvl.get(qn("w:ilvl"), 0))
            except ValueError:
                continue
            fmt_el, text_el, start_el = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText")), lvl.find(qn("w:start"))
            fmt = fmt_el.get(qn("w:val")) if fmt_el is not None else "decimal"
            try:
                start = int(start_el.get(qn("w:val"))) if start_el is not None else 1
            except (TypeError, ValueError):
                start = 1
            lv[il] = (fmt, text_el.get(qn("w:val")) if text_el is not None else "", start)
        abstract[aid] = lv
    for num in numbering.iter(qn("w:num")):
        nid = num.get(qn("w:numId"))
        ref = num.find(qn("w:abstractNumId"))
        if ref is None:
            continue
        for il, v in abstract.get(ref.get(qn("w:val")), {}).items():
            out[(nid, il)] = v
    return out


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------

_PDF_PAGE_NO = re.compile(
    r"^(?:(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*(?:of|/)\s*\d{1,4}"
    r"|[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4})$",
    re.IGNORECASE,
)


def pdf_to_text(data: bytes, *, path=None) -> tuple[str, list, list]:
    """A PDF as plan text: ``(text, "page:line" of each line, diagnostics)``.

    Page numbers, running headers and footers (the first or last lines of a page that repeat
    on other pages, digits aside) are removed; a word hyphenated at a line end ("develop-" /
    "ment") is joined. Each removal and join has a ``layout`` diagnostic on the line of the
    extracted text where it happened.
    """
    import io
    import logging
    import warnings

    try:
        import pypdf
    except ImportError as exc:  # pragma: no cover - a dependency
        raise InputError(f"reading PDF files needs pypdf ({exc})", path=path) from None
    log = logging.getLogger("pypdf")
    old_level, old_prop = log.level, log.propagate
    log.setLevel(logging.CRITICAL + 1)
    log.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
                if reader.is_encrypted:
                    try:
                        reader.decrypt("")
                    except Exception:
                        raise InputError("encrypted PDF, cannot read its text", path=path) from None
                pages = [(page.extract_text() or "") for page in reader.pages]
            except InputError:
                raise
            except RecursionError:
                raise InputError("not a readable PDF (nested too deeply)", path=path) from None
            except Exception as exc:
                raise InputError(f"not a readable PDF ({type(exc).__name__})", path=path) from None
    finally:
        log.setLevel(old_level)
        log.propagate = old_prop
    return _pdf_pages_to_text(pages)


def _pdf_pages_to_text(pages: list[str]) -> tuple[str, list, list]:
    """Join extracted page texts, dropping page furniture and joining hyphenated words.

    >>> text, where, diags = _pdf_pages_to_text([
    ...     "Anystate Plan 2025\\nGoal 1: Access\\n1. Develop-\\nment of branches\\n1",
    ...     "Anystate Plan 2025\\n2. Open on Sundays\\n2"])
    >>> print(text)
    Anystate Plan 2025
    Goal 1: Access
    1. Development of branches
    <BLANKLINE>
    2. Open on Sundays
    >>> where  # page:line of each line ("2:-" is the break between pages 1 and 2)
    ['1:1', '1:2', '1:3', '2:-', '2:2']
    >>> [(d.line, d.message) for d in diags]  # doctest: +NORMALIZE_WHITESPACE
    [(3, "joined 'Develop-' / 'ment' (a word hyphenated across lines)"),
     (5, "removed page number '1' (page 1)"), (5, "removed running header 'Anystate Plan 2025' (page 2)"),
     (5, "removed page number '2' (page 2)")]
    """
    split = [[ln.rstrip() for ln in p.splitlines()] for p in pages]
    n_pages = len(split)

    def key(s):
        return re.sub(r"\d+", "#", " ".join(s.split()).casefold())

    edge_counts: dict[str, int] = {}
    for lines in split:
        nb = [ln for ln in lines if ln.strip()]
        for s in set(key(x) for x in nb[:2] + nb[-2:]):
            edge_counts[s] = edge_counts.get(s, 0) + 1
    repeated = {k for k, c in edge_counts.items() if n_pages >= 2 and c >= max(2, (n_pages + 1) // 2) and len(k) <= 120}

    out: list[str] = []
    where: list[str] = []
    diags: list[Diagnostic] = []
    pending: list[str] = []
    for pno, lines in enumerate(split, start=1):
        nb_idx = [i for i, ln in enumerate(lines) if ln.strip()]
        edges = set(nb_idx[:2] + nb_idx[-2:])
        kept: list[tuple[int, str]] = []
        carry: list[str] = []  # removed at the foot of the page: named on the next page's first line
        for i, ln in enumerate(lines):
            s = ln.strip()
            if not s:
                kept.append((i, ""))
                continue
            top = i in nb_idx[:2]
            if i in edges and _PDF_PAGE_NO.match(s) and (i == nb_idx[0] or i == nb_idx[-1]):
                (pending if top else carry).append(f"removed page number {s!r} (page {pno})")
                continue
            if i in edges and key(s) in repeated and not (pno == 1 and i == nb_idx[0]):
                (pending if top else carry).append(
                    f"removed running {'header' if top else 'footer'} {s[:60]!r} (page {pno})")
                continue
            kept.append((i, ln))
        if out and kept and any(t for _, t in kept):
            out.append("")
            where.append(f"{pno}:0")
        for i, ln in kept:
            if not ln and out and out[-1] == "":
                continue
            if (ln and out and out[-1] and re.search(r"[A-Za-z]{2}-$", out[-1]) and ln.lstrip()[:1].islower()):
                first = ln.lstrip().split()[0]
                diags.append(Diagnostic(len(out), "info", "layout",
                                        f"joined {out[-1].split()[-1]!r} / {first!r} (a word hyphenated across lines)"))
                out[-1] = out[-1][:-1] + ln.lstrip()
                continue
            out.append(ln)
            where.append(f"{pno}:{i + 1}")
            for msg in pending:
                diags.append(Diagnostic(len(out), "warning", "layout", msg))
            pending = []
        pending.extend(carry)
    while out and out[-1] == "":
        out.pop()
        where.pop()
    for msg in pending:
        diags.append(Diagnostic(max(1, len(out)), "warning", "layout", msg))
    # renumber "page:0" separators to the line they precede
    return "\n".join(out), [w if not w.endswith(":0") else w[:-2] + ":-" for w in where], diags
