"""Tests of the deterministic, atomic writers in coreplan_analysis._export."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import struct
import time
import types
import zipfile
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from coreplan_analysis._export import (
    flatten_graph,
    read_graph,
    save_figure,
    write_csv,
    write_graph,
    write_json,
    write_workbook,
)

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def _frame():
    return pd.DataFrame(
        {
            "id": ["core-2021-2022/1/1", "core-2021-2022/1/2", "core-2022-2025/2/2.3"],
            "text": ["Recruit members", "Café «budget», \"quoted\"\nsecond line", None],
            "score": [0.1 + 0.2, float("nan"), 1e-20],
            "count": pd.array([1, None, 3], dtype="Int64"),
            "status": pd.Categorical(["new", None, "completed"]),
            "flag": [True, False, True],
        }
    )


class _ShiftedDatetime(dt.datetime):
    """A datetime class whose clock reads a chosen instant."""

    instant = dt.datetime(2031, 5, 6, 7, 8, 9)

    @classmethod
    def now(cls, tz=None):
        return cls.instant.replace(tzinfo=tz)

    @classmethod
    def today(cls):
        return cls.instant


def _set_clock(monkeypatch, when: dt.datetime):
    """Make openpyxl's clock and the process clock (zip entry dates) read *when*."""
    import openpyxl.packaging.core
    import openpyxl.writer.excel

    shifted = type("Shifted", (_ShiftedDatetime,), {"instant": when})
    fake = types.SimpleNamespace(datetime=shifted, timezone=dt.timezone)
    monkeypatch.setattr(openpyxl.writer.excel, "datetime", fake)
    monkeypatch.setattr(openpyxl.packaging.core, "datetime", fake)
    stamp = when.timestamp()
    monkeypatch.setattr(time, "time", lambda: stamp)


def _no_temp_files(folder: Path) -> bool:
    return not [p.name for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp")]


# ---------------------------------------------------------------------------------------------
# CSV and JSON
# ---------------------------------------------------------------------------------------------


def test_csv_exact_bytes(tmp_path):
    df = pd.DataFrame({"a": ["x", None], "b": [0.5, float("nan")], "c": [["p", "q"], {"k": 1}]})
    data = write_csv(df, tmp_path / "t.csv").read_bytes()
    assert data == b'a,b,c\nx,0.5,p; q\n,,"{""k"": 1}"\n'


def test_csv_bytes_stable_and_unix_line_ends(tmp_path):
    df = _frame()
    first = write_csv(df, tmp_path / "a.csv").read_bytes()
    second = write_csv(df.copy(), tmp_path / "b.csv").read_bytes()
    assert first == second
    assert b"\r\n" not in first
    assert not first.startswith(b"\xef\xbb\xbf")  # no BOM
    assert first.decode("utf-8").splitlines()[0] == "id,text,score,count,status,flag"
    assert b"0.30000000000000004" in first  # shortest round-trip repr, not a rounded format
    assert b"1e-20" in first


def test_csv_round_trip(tmp_path):
    df = _frame()
    back = pd.read_csv(write_csv(df, tmp_path / "t.csv"), keep_default_na=True)
    assert list(back.columns) == list(df.columns)
    assert back["id"].tolist() == df["id"].tolist()
    assert back["text"].iloc[1] == df["text"].iloc[1]
    assert pd.isna(back["text"].iloc[2])
    assert back["score"].iloc[0] == 0.1 + 0.2  # exact
    assert math.isnan(back["score"].iloc[1])
    assert back["score"].iloc[2] == 1e-20
    assert back["count"].tolist()[0] == 1 and pd.isna(back["count"].iloc[1])
    assert back["status"].tolist()[0] == "new" and pd.isna(back["status"].iloc[1])
    assert back["flag"].tolist() == [True, False, True]


def test_csv_does_not_change_the_frame(tmp_path):
    df = pd.DataFrame({"owners": [["a", "b"]]})
    write_csv(df, tmp_path / "t.csv")
    assert df["owners"].iloc[0] == ["a", "b"]


def test_json_sorted_indented_newline(tmp_path):
    obj = {"schema": "x/1", "b": {"z": 1, "a": [1, 2]}, "a": "naïve", "s": {3, 1, 2}, "n": float("nan")}
    text = write_json(obj, tmp_path / "o.json").read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert "naïve" in text  # ensure_ascii=False
    loaded = json.loads(text)
    assert list(loaded) == ["a", "b", "n", "s", "schema"]
    assert list(loaded["b"]) == ["a", "z"]
    assert loaded["s"] == [1, 2, 3]
    assert loaded["n"] is None
    assert text == json.dumps(loaded, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_json_refuses_unknown_objects(tmp_path):
    with pytest.raises(TypeError, match="object"):
        write_json({"x": object()}, tmp_path / "o.json")
    assert not (tmp_path / "o.json").exists()


# ---------------------------------------------------------------------------------------------
# Workbook
# ---------------------------------------------------------------------------------------------


def _workbook(path, **kwargs):
    sheets = {
        "Actions": _frame(),
        "Owners": pd.DataFrame({"owner": ["Board", "Staff"], "actions": [3, 0]}),
    }
    options = dict(
        dropdowns={"Actions": {"status": ["new", "completed", "revised"], "Progress": ["not started", "done"]}},
        blank_columns={"Actions": ["Progress", "Notes"]},
    )
    options.update(kwargs)
    return write_workbook(sheets, path, **options)


def test_workbook_layout(tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(_workbook(tmp_path / "p.xlsx"))
    assert wb.sheetnames == ["Actions", "Owners"]
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    assert header == ["id", "text", "score", "count", "status", "flag", "Progress", "Notes"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H4"
    assert wb["Owners"].auto_filter.ref == "A1:B3"
    assert wb["Owners"].freeze_panes == "A2"
    # NA cells are empty; categoricals are their strings; numbers stay numbers
    assert ws["B4"].value is None  # text None
    assert ws["C3"].value is None  # score NaN
    assert ws["D3"].value is None  # count <NA>
    assert ws["E3"].value is None  # status NaN
    assert ws["E2"].value == "new" and ws["E4"].value == "completed"
    assert ws["C2"].value == pytest.approx(0.3)
    assert ws["D2"].value == 1 and ws["F3"].value is False
    # blank columns are present and empty
    assert all(ws.cell(row=r, column=c).value is None for r in range(2, 5) for c in (7, 8))
    # multi-line text wraps; widths within 10..60
    assert ws["B3"].alignment.wrap_text
    widths = [ws.column_dimensions[letter].width for letter in "ABCDEFGH"]
    assert all(10 <= w <= 60 for w in widths)
    assert ws.column_dimensions["A"].width >= len("core-2022-2025/2/2.3")


def test_workbook_dropdowns(tmp_path):
    from openpyxl import load_workbook

    ws = load_workbook(_workbook(tmp_path / "p.xlsx"))["Actions"]
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert set(rules) == {"E2:E4", "G2:G4"}
    assert rules["E2:E4"].type == "list"
    assert rules["E2:E4"].formula1 == '"new,completed,revised"'
    assert rules["G2:G4"].formula1 == '"not started,done"'
    assert "lists" not in load_workbook(tmp_path / "p.xlsx").sheetnames


def test_workbook_long_dropdown_uses_hidden_lists_sheet(tmp_path):
    from openpyxl import load_workbook

    allowed = [f"Committee number {i:02d}, with a long name" for i in range(12)]
    df = pd.DataFrame({"owner": ["x"], "other": ["y"]})
    path = write_workbook(
        {"Items": df}, tmp_path / "p.xlsx", dropdowns={"Items": {"owner": allowed, "other": allowed}}
    )
    wb = load_workbook(path)
    assert wb.sheetnames == ["Items", "lists"]
    assert wb["lists"].sheet_state == "hidden"
    assert [c.value for c in wb["lists"]["A"]][1:] == allowed
    formulas = sorted(dv.formula1 for dv in wb["Items"].data_validations.dataValidation)
    assert formulas == ["'lists'!$A$2:$A$13"] * 2  # one shared list


def test_workbook_text_is_never_a_formula_and_control_chars_dropped(tmp_path):
    from openpyxl import load_workbook

    df = pd.DataFrame({"t": ["=HYPERLINK(\"http://x\")", "ok\x07bell"]})
    ws = load_workbook(write_workbook({"S": df}, tmp_path / "p.xlsx"))["S"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == '=HYPERLINK("http://x")'
    assert ws["A3"].value == "okbell"


def test_workbook_explicit_widths_and_switches(tmp_path):
    from openpyxl import load_workbook

    df = pd.DataFrame({"a": [1], "b": ["x"]})
    path = write_workbook({"S": df}, tmp_path / "p.xlsx", widths={"S": {"b": 33}}, freeze_header=False, autofilter=False)
    ws = load_workbook(path)["S"]
    assert ws.column_dimensions["B"].width == 33
    assert ws.freeze_panes is None
    assert ws.auto_filter.ref is None


@pytest.mark.parametrize(
    ("sheets", "kwargs", "message"),
    [
        ({}, {}, "at least one sheet"),
        ({"a/b": pd.DataFrame()}, {}, "contains one of"),
        ({"x" * 32: pd.DataFrame()}, {}, "31 characters"),
        ({"S": pd.DataFrame({"a": [1]})}, {"dropdowns": {"T": {"a": ["x"]}}}, "unknown sheet"),
        ({"S": pd.DataFrame({"a": [1]})}, {"dropdowns": {"S": {"zz": ["x"]}}}, "no column 'zz'"),
        ({"S": pd.DataFrame({"a": [1]})}, {"widths": {"S": {"zz": 3}}}, "no column"),
    ],
)
def test_workbook_bad_arguments(tmp_path, sheets, kwargs, message):
    with pytest.raises(ValueError, match=message):
        write_workbook(sheets, tmp_path / "p.xlsx", **kwargs)
    assert not (tmp_path / "p.xlsx").exists()


def test_workbook_byte_identical_across_clock(tmp_path, monkeypatch):
    _set_clock(monkeypatch, dt.datetime(2030, 1, 2, 3, 4, 5))
    first = _workbook(tmp_path / "a.xlsx").read_bytes()
    _set_clock(monkeypatch, dt.datetime(2031, 7, 8, 9, 10, 11))
    second = _workbook(tmp_path / "b.xlsx").read_bytes()
    monkeypatch.undo()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
        assert "2000-01-01T00:00:00Z" in core and "2030" not in core and "2031" not in core
        assert z.testzip() is None


def test_clock_patch_really_changes_raw_openpyxl_output(monkeypatch):
    """Control: without the normalisation the shifted clock does change the bytes."""
    from openpyxl import Workbook

    def raw():
        buffer = io.BytesIO()
        wb = Workbook()
        wb.active["A1"] = "x"
        wb.save(buffer)
        return buffer.getvalue()

    _set_clock(monkeypatch, dt.datetime(2030, 1, 2, 3, 4, 5))
    first = raw()
    _set_clock(monkeypatch, dt.datetime(2031, 7, 8, 9, 10, 11))
    second = raw()
    monkeypatch.undo()
    assert first != second


# ---------------------------------------------------------------------------------------------
# Graphs
# ---------------------------------------------------------------------------------------------


def _graph(reverse=False):
    G = nx.MultiDiGraph(name="demo", built={"by": "test"})
    nodes = [
        ("core/1/1", {"kind": "action", "owners": ["Board", "Staff"], "status": None, "leaf": True, "level": 2}),
        ("value:Equity", {"kind": "value", "meta": {"z": 1, "a": [1, 2]}, "score": 0.75}),
        ("owner:Board", {"kind": "owner", "aliases": ("BoD", "the Board"), "leaf": False}),
    ]
    edges = [
        ("core/1/1", "value:Equity", "serves", {"basis": "inferred", "evidence": ["equity", "access"], "score": 0.4}),
        ("core/1/1", "value:Equity", "cites", {"basis": "stated", "note": None}),
        ("owner:Board", "core/1/1", "carries", {"basis": "stated", "primary": True}),
    ]
    if reverse:
        nodes, edges = nodes[::-1], edges[::-1]
    for n, data in nodes:
        G.add_node(n, **dict(reversed(list(data.items()))) if reverse else data)
    for u, v, k, data in edges:
        G.add_edge(u, v, key=k, **data)
    return G


FLAT_NODES = {
    "core/1/1": {"kind": "action", "owners": "Board; Staff", "leaf": True, "level": 2},
    "value:Equity": {"kind": "value", "meta": '{"a": [1, 2], "z": 1}', "score": 0.75},
    "owner:Board": {"kind": "owner", "aliases": "BoD; the Board", "leaf": False},
}
FLAT_EDGES = {
    ("core/1/1", "value:Equity", "serves"): {"basis": "inferred", "evidence": "equity; access", "score": 0.4},
    ("core/1/1", "value:Equity", "cites"): {"basis": "stated"},
    ("owner:Board", "core/1/1", "carries"): {"basis": "stated", "primary": True},
}


def test_flatten_graph_values_and_original_untouched():
    G = _graph()
    H = flatten_graph(G)
    assert type(H) is nx.MultiDiGraph
    assert {n: dict(d) for n, d in H.nodes(data=True)} == FLAT_NODES
    assert {(u, v, k): dict(d) for u, v, k, d in H.edges(keys=True, data=True)} == FLAT_EDGES
    assert H.graph == {"built": '{"by": "test"}', "name": "demo"}
    assert list(H.nodes) == sorted(FLAT_NODES)
    assert G.nodes["core/1/1"]["owners"] == ["Board", "Staff"]  # the original keeps its lists
    assert G.edges["core/1/1", "value:Equity", "cites"]["note"] is None


def test_flatten_graph_simple_graph_and_numpy():
    import numpy as np

    G = nx.Graph()
    G.add_edge(2, 10, w=np.float64(1.5), n=np.int64(3), tags={"b", "a"})
    H = flatten_graph(G)
    assert type(H) is nx.Graph
    assert list(H.nodes) == [2, 10]  # numbers in numeric order
    data = H.edges[2, 10]
    assert data == {"n": 3, "tags": "a; b", "w": 1.5}
    assert type(data["n"]) is int and type(data["w"]) is float


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_xml_graph_round_trip(tmp_path, suffix):
    H = read_graph(write_graph(_graph(), tmp_path / f"g{suffix}"))
    assert type(H) is nx.MultiDiGraph
    assert H.number_of_nodes() == 3 and H.number_of_edges() == 3
    ignore_node = {"label"}  # GEXF adds a label to every node
    ignore_edge = {"id"}  # GEXF adds the edge id
    assert {n: {k: v for k, v in d.items() if k not in ignore_node} for n, d in H.nodes(data=True)} == FLAT_NODES
    got_edges = {(u, v, k): {a: b for a, b in d.items() if a not in ignore_edge} for u, v, k, d in H.edges(keys=True, data=True)}
    assert got_edges == FLAT_EDGES
    assert H.nodes["core/1/1"]["leaf"] is True and H.nodes["owner:Board"]["leaf"] is False
    assert H.graph["name"] == "demo"


def test_json_graph_round_trip_keeps_rich_values(tmp_path):
    path = write_graph(_graph(), tmp_path / "g.json")
    H = read_graph(path)
    assert type(H) is nx.MultiDiGraph
    assert H.number_of_nodes() == 3 and H.number_of_edges() == 3
    assert H.nodes["core/1/1"]["owners"] == ["Board", "Staff"]
    assert H.nodes["core/1/1"]["status"] is None
    assert H.nodes["value:Equity"]["meta"] == {"a": [1, 2], "z": 1}
    assert H.nodes["owner:Board"]["aliases"] == ["BoD", "the Board"]
    assert H.edges["owner:Board", "core/1/1", "carries"]["primary"] is True
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [n["id"] for n in data["nodes"]] == sorted(FLAT_NODES)
    assert [(e["source"], e["target"], e["key"]) for e in data["edges"]] == sorted(FLAT_EDGES)
    assert path.read_text(encoding="utf-8").endswith("}\n")


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_graph_bytes_identical_and_order_independent(tmp_path, suffix, monkeypatch):
    first = write_graph(_graph(), tmp_path / f"a{suffix}").read_bytes()
    # a later day, and the same graph built in another order
    monkeypatch.setattr(time, "strftime", lambda fmt, *args: "2031-05-06")
    second = write_graph(_graph(reverse=True), tmp_path / f"b{suffix}").read_bytes()
    monkeypatch.undo()
    assert first == second


def test_gexf_header_has_no_date(tmp_path, monkeypatch):
    monkeypatch.setattr(time, "strftime", lambda fmt, *args: "2031-05-06")
    raw = io.BytesIO()
    nx.write_gexf(flatten_graph(_graph()), raw)
    ours = write_graph(_graph(), tmp_path / "g.gexf").read_bytes()
    monkeypatch.undo()
    assert b"2031-05-06" in raw.getvalue()  # control: networkx does stamp the date
    assert b"2031-05-06" not in ours and b"lastmodifieddate" not in ours
    assert nx.__version__.encode() not in ours


def test_gexf_mixed_types_still_read_back(tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("a", n=1, m=1)
    G.add_node("b", n=2.5, m="x")
    G.add_edge("a", "b", key=0)
    G.add_edge("a", "b", key="serves")
    H = read_graph(write_graph(G, tmp_path / "g.gexf"))
    assert H.nodes["a"]["n"] == 1.0 and H.nodes["b"]["n"] == 2.5
    assert H.nodes["a"]["m"] == "1" and H.nodes["b"]["m"] == "x"
    assert sorted(k for *_, k in H.edges(keys=True)) == ["0", "serves"]


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_multigraph_without_parallel_edges_stays_multi(tmp_path, suffix):
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key=7, w=1)
    H = read_graph(write_graph(G, tmp_path / f"g{suffix}"))
    assert type(H) is nx.MultiDiGraph
    assert [(u, v, k) for u, v, k in H.edges(keys=True)] == [("a", "b", 7)]


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_simple_digraph_stays_simple(tmp_path, suffix):
    G = nx.DiGraph()
    G.add_edge("a", "b", w=1)
    H = read_graph(write_graph(G, tmp_path / f"g{suffix}"))
    assert type(H) is nx.DiGraph
    assert H.edges["a", "b"]["w"] == 1


def test_unknown_graph_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"\.graphml, \.gexf, \.json"):
        write_graph(_graph(), tmp_path / "g.dot")
    with pytest.raises(ValueError, match="supported"):
        read_graph(tmp_path / "g.gml")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def _figure():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.subplots()
    ax.bar(["Equity", "Access", "Transparency"], [3, 1, 2])
    ax.set_title("Actions per value — café")
    ax.set_xlim(-0.6, 2.4)  # clipping paths get ids
    return fig


def _png_dpi(data: bytes) -> float:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at = data.index(b"pHYs")
    x_ppm, y_ppm, unit = struct.unpack(">IIB", data[at + 4 : at + 13])
    assert unit == 1 and x_ppm == y_ppm
    return x_ppm * 0.0254


def test_save_figure_formats_and_paths(tmp_path):
    paths = save_figure(_figure(), tmp_path / "coverage.png")
    assert paths == [tmp_path / "coverage.png", tmp_path / "coverage.svg", tmp_path / "coverage.pdf"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert paths[0].read_bytes()[:4] == b"\x89PNG"
    assert paths[1].read_bytes().lstrip().startswith(b"<?xml")
    assert paths[2].read_bytes()[:5] == b"%PDF-"
    assert _no_temp_files(tmp_path)
    # without suffix; an unknown suffix stays part of the name; custom formats in order
    assert save_figure(_figure(), tmp_path / "plain", formats=("svg",)) == [tmp_path / "plain.svg"]
    assert save_figure(_figure(), tmp_path / "cycle.2022-2025", formats=("pdf", "png")) == [
        tmp_path / "cycle.2022-2025.pdf",
        tmp_path / "cycle.2022-2025.png",
    ]


def test_save_figure_png_dpi(tmp_path):
    from PIL import Image

    png = save_figure(_figure(), tmp_path / "f", formats=("png",))[0]
    assert _png_dpi(png.read_bytes()) == pytest.approx(300, abs=0.5)
    with Image.open(png) as im:
        assert im.size == (900, 600)
        assert im.info["dpi"][0] == pytest.approx(300, abs=0.5)
        assert "Software" not in im.info
    assert _png_dpi(save_figure(_figure(), tmp_path / "g", formats=("png",), dpi=100)[0].read_bytes()) == pytest.approx(100, abs=0.5)


def test_save_figure_svg_pdf_byte_identical_across_dates(tmp_path, monkeypatch):
    import matplotlib

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")
    first = [p.read_bytes() for p in save_figure(_figure(), tmp_path / "a")]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1950000000")
    second = [p.read_bytes() for p in save_figure(_figure(), tmp_path / "b")]
    assert first[1] == second[1]  # SVG
    assert first[2] == second[2]  # PDF
    assert first[0] == second[0]  # PNG too
    for data in first:
        assert matplotlib.__version__.encode() not in data
    assert b"CreationDate" not in first[2]
    assert b"<dc:date>" not in first[1]


def test_save_figure_control_raw_svg_pdf_differ(monkeypatch):
    """Control: matplotlib's defaults do embed the date, so the test above means something."""
    out = []
    for epoch in ("946684800", "1950000000"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        svg, pdf = io.BytesIO(), io.BytesIO()
        _figure().savefig(svg, format="svg")
        _figure().savefig(pdf, format="pdf")
        out.append((svg.getvalue(), pdf.getvalue()))
    assert out[0][0] != out[1][0] and out[0][1] != out[1][1]
    # and without a fixed svg.hashsalt the ids differ even at the same date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")
    a, b = io.BytesIO(), io.BytesIO()
    _figure().savefig(a, format="svg", metadata={"Date": None})
    _figure().savefig(b, format="svg", metadata={"Date": None})
    assert a.getvalue() != b.getvalue()


def test_save_figure_bad_format(tmp_path):
    with pytest.raises(ValueError, match="unsupported figure format"):
        save_figure(_figure(), tmp_path / "f", formats=("png", "docx"))
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# Atomic writes
# ---------------------------------------------------------------------------------------------

WRITERS = {
    "csv": ("t.csv", lambda p: write_csv(pd.DataFrame({"a": [1]}), p)),
    "json": ("t.json", lambda p: write_json({"a": 1}, p)),
    "xlsx": ("t.xlsx", lambda p: write_workbook({"S": pd.DataFrame({"a": [1]})}, p)),
    "graphml": ("t.graphml", lambda p: write_graph(_graph(), p)),
    "gexf": ("t.gexf", lambda p: write_graph(_graph(), p)),
    "graph-json": ("t.json", lambda p: write_graph(_graph(), p)),
    "figure": ("t.svg", lambda p: save_figure(_figure(), p, formats=("svg", "png"))),
}


@pytest.mark.parametrize("name", list(WRITERS))
def test_failed_write_keeps_previous_file(tmp_path, monkeypatch, name):
    filename, write = WRITERS[name]
    target = tmp_path / filename
    target.write_bytes(b"previous contents")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write(target)
    monkeypatch.undo()
    assert target.read_bytes() == b"previous contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == [filename]


def test_writers_create_missing_folders(tmp_path):
    path = write_csv(pd.DataFrame({"a": [1]}), tmp_path / "new" / "deeper" / "t.csv")
    assert path.read_bytes() == b"a\n1\n"
