"""The command line, called in-process: outputs, exit codes and DESIGN's bad-input table."""

from __future__ import annotations

import json

import pytest
from conftest import PLAN_2021, PLAN_2022

from coreplan_analysis.cli import main


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_default_outlines_both_plans(capsys):
    code, out, err = run(["parse"], capsys)
    assert code == 0 and err == ""
    assert "core-2021-2022: Members First: Core Strategic Action Plan, 2021-2022 (2021-2022)" in out
    assert "area 1: (title lost)" in out
    assert "line  23  missing-heading" in out
    assert "raw/core-strategic-plan-2022-2025.txt" in out


def test_parse_json_shape(capsys):
    code, out, _ = run(["parse", str(PLAN_2022), "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "coreplan/1"
    (plan,) = doc["plans"]
    assert plan["id"] == "core-2022-2025"
    assert plan["period"] == {"start": 2022, "end": 2025}
    assert plan["areas"][0]["title"] is None
    assert plan["areas"][1]["items"][0]["children"][0]["status"] == {
        "kind": "completed", "date": None, "text": "Completed"}
    assert list(doc) == sorted(doc)  # keys sorted


def test_parse_json_is_deterministic(capsys):
    _, first, _ = run(["parse", "--json"], capsys)
    _, second, _ = run(["parse", "--json"], capsys)
    assert first == second


def test_tables_csv(tmp_path, capsys):
    out_dir = tmp_path / "tables"
    code, out, _ = run(["tables", "--out", str(out_dir)], capsys)
    assert code == 0
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(
        f"{n}.csv" for n in ["plans", "sections", "areas", "items", "owners", "values", "streams",
                             "timeline", "commitments", "diagnostics"])
    import pandas as pd

    items = pd.read_csv(out_dir / "items.csv")
    assert len(items) == 30 and int(items["is_leaf"].sum()) == 23


def test_tables_xlsx(tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    code, _, _ = run(["tables", "--format", "xlsx", "--out", str(path)], capsys)
    assert code == 0
    import openpyxl

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:4] == ["plans", "sections", "areas", "items"]
    assert wb["items"].max_row == 31  # header + 30 items


def test_tables_out_names_a_folder_or_a_workbook(tmp_path, capsys):
    # An --out ending in .xlsx is a workbook, --format or not.
    code, out, _ = run(["tables", "--out", str(tmp_path / "t.xlsx")], capsys)
    assert code == 0 and (tmp_path / "t.xlsx").is_file() and out == f"wrote 10 sheets to {tmp_path / 't.xlsx'}\n"
    # A file name where a folder is meant is refused before anything is written.
    for argv, message in (
            (["--out", str(tmp_path / "tb.csv"), "--format", "xlsx"], "--out for --format xlsx is a folder or a "
                                                                       ".xlsx file, not "),
            (["--out", str(tmp_path / "tb.csv")], "--out for --format csv is a folder, not "),
            (["--out", str(tmp_path / "u.xlsx"), "--format", "csv"], "--out for --format csv is a folder, not ")):
        code, out, err = run(["tables", *argv], capsys)
        assert (code, out) == (2, "") and message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]
    # Upper case is the same suffix; a folder where the workbook should go is refused.
    assert run(["tables", "--out", str(tmp_path / "T.XLSX")], capsys)[0] == 0 and (tmp_path / "T.XLSX").is_file()
    (tmp_path / "d.xlsx").mkdir()
    code, out, err = run(["tables", "--out", str(tmp_path / "d.xlsx")], capsys)
    assert (code, out) == (2, "") and "d.xlsx: is a folder; the workbook needs a file name there" in err
    # A folder's workbook, then its CSV files: each replaces the folder's own earlier output.
    folder = tmp_path / "tables"
    assert run(["tables", "--out", str(folder), "--format", "xlsx"], capsys)[0] == 0
    assert run(["tables", "--out", str(folder)], capsys)[0] == 0
    assert len(list(folder.glob("*.csv"))) == 10 and not (folder / "tables.xlsx").exists()


def test_tables_never_sweep_away_a_folder_or_file_they_did_not_write(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("precious")
    (tmp_path / "bfile").write_text("hi")
    for target, message in ((mine, "holds notes.txt, which coreplan did not write there; refusing to replace "
                                   "the folder (choose another output folder)"),
                            (tmp_path / "bfile", "exists and is not a folder; refusing to replace it")):
        code, out, err = run(["tables", "--out", str(target)], capsys)
        assert (code, out) == (2, "") and err.strip().endswith(f"{target}: {message}")
    assert (mine / "notes.txt").read_text() == "precious" and (tmp_path / "bfile").read_text() == "hi"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bfile", "mine"]  # (no temporary left)
    # Its own output, or an empty folder, is replaced.
    (tmp_path / "empty").mkdir()
    for target in (tmp_path / "empty", tmp_path / "empty"):
        assert run(["tables", "--out", str(target)], capsys)[0] == 0
    assert len(list((tmp_path / "empty").iterdir())) == 10


# -- bad input (DESIGN "Reading files") ----------------------------------------------------------
def _bad(argv, capsys, *, expect_in):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coreplan: ")
    assert expect_in in lines[0]
    assert "Traceback" not in err


def test_missing_file(tmp_path, capsys):
    _bad(["parse", str(tmp_path / "nope.txt")], capsys, expect_in="nope.txt: no such file")


def test_directory(tmp_path, capsys):
    _bad(["parse", str(tmp_path)], capsys, expect_in="is a directory")


def test_binary(tmp_path, capsys):
    p = tmp_path / "plan.bin"
    p.write_bytes(b"Goals:\n1. x\n\x00\x01\x02")
    _bad(["parse", str(p)], capsys, expect_in="plan.bin:3: binary file")


def test_several_files_one_bad_prints_nothing(tmp_path, capsys):
    _bad(["parse", str(PLAN_2021), str(tmp_path / "missing.txt")], capsys, expect_in="missing.txt")


def test_bad_profile(tmp_path, capsys):
    prof = tmp_path / "bad.yaml"
    prof.write_text("name: bad\narea:\n  patterns:\n    - '(unclosed'\n")
    _bad(["parse", str(PLAN_2021), "--profile", str(prof)], capsys, expect_in="bad.yaml:3: area.patterns")


def test_bad_tables_leaves_no_partial_output(tmp_path, capsys):
    out_dir = tmp_path / "tables"
    _bad(["tables", str(PLAN_2021), str(tmp_path / "missing.txt"), "--out", str(out_dir)], capsys,
         expect_in="missing.txt")
    assert not out_dir.exists()
    assert list(tmp_path.iterdir()) == []


def test_failed_rebuild_keeps_previous_tables(tmp_path, capsys):
    out_dir = tmp_path / "tables"
    assert main(["tables", "--out", str(out_dir)]) == 0
    capsys.readouterr()
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    _bad(["tables", str(tmp_path / "missing.txt"), "--out", str(out_dir)], capsys, expect_in="missing.txt")
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before


def test_empty_file_exit_0_with_diagnostic(tmp_path, capsys):
    p = tmp_path / "empty.txt"
    p.write_text("\n\n   \n")
    code, out, _ = run(["parse", str(p), "--json"], capsys)
    assert code == 0
    plan = json.loads(out)["plans"][0]
    assert plan["areas"] == [] and plan["id"] == "empty"
    assert [d["kind"] for d in plan["diagnostics"] if d["severity"] != "info"] == ["empty"]


def test_windows_1252(tmp_path, capsys):
    p = tmp_path / "cp1252.txt"
    p.write_bytes("Strategic Area 1: Caf\u00e9 \u201cCulture\u201d\n\n1. Open the caf\u00e9\n".encode("cp1252"))
    code, out, _ = run(["parse", str(p), "--json"], capsys)
    assert code == 0
    plan = json.loads(out)["plans"][0]
    assert plan["areas"][0]["title"] == "Caf\u00e9 \u201cCulture\u201d"
    assert plan["diagnostics"][0]["kind"] == "encoding"


def test_crlf_and_bom_same_parse_as_lf(tmp_path, capsys):
    text = PLAN_2022.read_bytes()
    p = tmp_path / "crlf.txt"
    p.write_bytes(b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n"))
    from coreplan_analysis import read_plan

    a, b = read_plan(PLAN_2022), read_plan(p)
    assert b.id == "crlf"
    as_json = lambda plan: json.dumps([x.to_dict() for x in plan.areas]).replace(plan.id + "/", "")
    assert as_json(a) == as_json(b)
    # the catalogued seed is read with its catalog profile, the copy by inference (which picks core)
    assert [d for d in a.diagnostics if d.kind != "profile"] == [d for d in b.diagnostics if d.kind != "profile"]
    assert "'core'" in [d.message for d in b.diagnostics if d.kind == "profile"][0]


def test_one_megabyte_single_line(tmp_path, capsys):
    p = tmp_path / "long.txt"
    p.write_text("Goals:\n\n1. " + "word " * 200_000 + "\n")
    code, out, _ = run(["parse", str(p), "--json"], capsys)
    assert code == 0
    plan = json.loads(out)["plans"][0]
    assert len(plan["areas"][0]["items"]) == 1


def test_data_must_be_a_folder(tmp_path, capsys):
    _bad(["--data", str(tmp_path / "nope"), "parse"], capsys, expect_in="--data must be a workspace folder")


def test_usage_error_exit_2(capsys):
    code, out, err = run(["parse", "--no-such-flag"], capsys)
    assert code == 2 and out == ""


@pytest.mark.parametrize("argv", [["--help"], ["parse", "--help"]])
def test_help(argv, capsys):
    code, out, _ = run(argv, capsys)
    assert code == 0 and "coreplan" in out


def test_outputs_have_ordinary_permissions(tmp_path, capsys):
    import os
    import stat

    out_dir = tmp_path / "tables"
    assert main(["tables", "--out", str(out_dir)]) == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out_dir.stat().st_mode) == 0o777 & ~mask
    assert stat.S_IMODE((out_dir / "items.csv").stat().st_mode) == 0o666 & ~mask
