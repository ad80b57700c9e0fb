"""Workspaces (issue 3): ``coreplan init``, ``coreplan add`` (byte-for-byte copy, sha256 recorded,
atomic catalog write, duplicates refused), ``--data`` / ``COREPLAN_DATA``, and a plan read
against its own value set."""

from __future__ import annotations

import hashlib
import json

import pytest
import yaml
from conftest import FIXTURES, PLAN_2021

from coreplan_analysis import CatalogError, DataError, load_catalog, parse_plan
from coreplan_analysis._catalog import read_catalog
from coreplan_analysis._paths import StampedCache
from coreplan_analysis._profile import list_profiles, load_profile
from coreplan_analysis._reference import load_reference
from coreplan_analysis._workspace import add_plan, init_workspace
from coreplan_analysis.cli import main

PLANS = FIXTURES / "plans"

AARL_VALUES = """\
set: AARL values
organisation: Association of Academic and Research Libraries (invented for the tests)
source: https://example.org/aarl/values
values:
  - name: Visionary Leadership
    description: Leading change in higher education.
    lexicon: [leadership, transformation]
  - name: Open Scholarship
    description: Knowledge open to all.
    lexicon: [open access, scholarship]
"""


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ws(tmp_path):
    return init_workspace(tmp_path / "ws")


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- init ----------------------------------------------------------------------------------------
def test_init_layout(tmp_path, capsys):
    code, out, err = run(["init", str(tmp_path / "mine")], capsys)
    assert code == 0 and err == ""
    assert out.startswith(f"created workspace {tmp_path / 'mine'}/")
    folder = tmp_path / "mine"
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md", "annotations", "crosswalks", "plans.yaml", "profiles", "raw", "reference"]
    assert yaml.safe_load((folder / "plans.yaml").read_text()) == {"schema": "coreplan-catalog/1", "plans": []}
    assert "coreplan --data" in (folder / "README.md").read_text()
    # an empty workspace is usable: the bundled plans, nothing else
    assert [e.id for e in read_catalog(folder)] == ["core-2021-2022", "core-2022-2025"]


@pytest.mark.parametrize("setup,expect", [
    (lambda p: (p.mkdir(), (p / "notes.txt").write_text("x")), "is not empty"),
    (lambda p: init_workspace(p), "is already a workspace"),
    (lambda p: p.write_text("x"), "exists and is not a folder"),
])
def test_init_refuses(tmp_path, capsys, setup, expect):
    target = tmp_path / "w"
    setup(target)
    before = snapshot(tmp_path)
    code, out, err = run(["init", str(target)], capsys)
    assert code == 2 and out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith(f"coreplan: {target}: ") and expect in line
    assert snapshot(tmp_path) == before


# -- add -----------------------------------------------------------------------------------------
def test_add_copies_byte_for_byte_and_records_sha256(ws, capsys):
    src = PLANS / "cp1252-crlf.txt"  # Windows-1252 with CRLF line ends: bytes must survive as they are
    code, out, err = run(["--data", str(ws), "add", str(src), "--org", "Old Mill Library Trust",
                          "--cycle", "2025-2026"], capsys)
    assert code == 0 and err == ""
    assert out.splitlines()[0] == ("added old-mill-library-trust-2025-2026: Old Mill Library Trust: Members’ Action "
                                   "Plan 2025–2026 (2025-2026), profile core")
    assert (ws / "raw" / src.name).read_bytes() == src.read_bytes()
    (entry,) = yaml.safe_load((ws / "plans.yaml").read_text())["plans"]
    assert entry == {
        "id": "old-mill-library-trust-2025-2026",
        "title": "Old Mill Library Trust: Members’ Action Plan 2025–2026",
        "organisation": "Old Mill Library Trust",
        "cycle": {"start": 2025, "end": 2026},
        "file": "raw/cp1252-crlf.txt",
        "sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
        "profile": "core",
    }
    # the catalog now loads it, with the workspace's plans after the bundled ones by cycle
    ps = load_catalog(workspace=ws)
    assert ps.ids == ["core-2021-2022", "core-2022-2025", "old-mill-library-trust-2025-2026"]
    plan = ps["old-mill-library-trust-2025-2026"]
    assert plan.organisation == "Old Mill Library Trust" and plan.period == (2025, 2026)
    assert plan.source.path == "raw/cp1252-crlf.txt"
    assert [d.kind for d in plan.diagnostics][:1] == ["encoding"]


def test_add_keeps_catalog_comments_and_appends(ws):
    add_plan(ws, PLANS / "roman-outline.txt", org="Evergreen School Library Educators", cycle="2024-2027")
    add_plan(ws, PLANS / "runon-numbering.txt", org="Metro Area Library Network", cycle="2024-2027",
             plan_id="metro-2024", title="Metro Plan")
    text = (ws / "plans.yaml").read_text()
    assert text.startswith("# The catalog of this workspace")
    ids = [p["id"] for p in yaml.safe_load(text)["plans"]]
    assert ids == ["evergreen-school-library-educators-2024-2027", "metro-2024"]
    entries = {e.id: e for e in read_catalog(ws)}
    assert entries["evergreen-school-library-educators-2024-2027"].profile == "outline"  # inferred, a bundled one
    assert entries["metro-2024"].title == "Metro Plan"


def test_add_leaves_the_catalog_ending_in_a_newline(ws):
    add_plan(ws, PLANS / "no-markers.txt", org="Valley", cycle="2023-2026")
    path = ws / "plans.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.endswith("    profile: core\n")
    # so a key added by hand at the end goes on a line of its own
    path.write_text(text + "    note: added by hand\n", encoding="utf-8")
    assert [e.note for e in read_catalog(ws) if e.id == "valley-2023-2026"] == ["added by hand"]


def test_catalog_entry_for_finds_a_file_by_its_sha256_while_the_catalog_is_unchanged(ws, monkeypatch):
    from coreplan_analysis import _catalog
    from coreplan_analysis._catalog import catalog_entry_for

    e = add_plan(ws, PLANS / "roman-outline.txt", org="Evergreen School Library Educators", cycle="2024-2027")
    sha = hashlib.sha256((PLANS / "roman-outline.txt").read_bytes()).hexdigest()
    assert catalog_entry_for(sha, ws).id == e.id and catalog_entry_for("0" * 64, ws) is None
    # A second entry for the same bytes: the first in catalog order (by cycle) is found.
    catalog = yaml.safe_load((ws / "plans.yaml").read_text())
    catalog["plans"].append(dict(catalog["plans"][0], id="earlier", cycle={"start": 2001, "end": 2002}))
    (ws / "plans.yaml").write_text(yaml.safe_dump(catalog))
    assert catalog_entry_for(sha, ws).id == "earlier"
    # The catalog is read once while it is unchanged, however many plans load_catalog looks up.
    reads = []
    real = _catalog._read_catalog
    monkeypatch.setattr(_catalog, "_read_catalog", lambda w: reads.append(1) or real(w))
    monkeypatch.setattr(_catalog, "_CATALOGS", StampedCache())
    ps = load_catalog(ws)
    assert ps.ids == ["earlier", "core-2021-2022", "core-2022-2025", e.id]
    assert [catalog_entry_for(p.source.sha256, ws).id for p in ps.plans] == ["earlier", *ps.ids[1:3], "earlier"]
    assert reads == [1]
    # load_catalog reads each file as its own entry: both plans keep their ids, in their units' ids too.
    assert ps[e.id].areas[0].id == f"{e.id}/1" and ps["earlier"].period == (2001, 2002)
    # An entry with no sha256 recorded, nor a cycle, is still loaded under its catalog id.
    catalog["plans"] = [dict(catalog["plans"][0], id="bare", cycle=None, sha256=None)]
    (ws / "plans.yaml").write_text(yaml.safe_dump(catalog))
    plan = load_catalog(ws)["bare"]
    assert plan.areas[0].id == "bare/1" and plan.organisation == "Evergreen School Library Educators"
    assert plan.period == parse_plan((PLANS / "roman-outline.txt").read_text()).period
    # A malformed catalog: no entry (read_plan then reads the file without one).
    (ws / "plans.yaml").write_text("plans: {not: a list}\n")
    assert catalog_entry_for(sha, ws) is None


def test_add_writes_an_inferred_profile_to_edit(ws):
    e = add_plan(ws, PLANS / "objective-divisions.txt", org="Mountain West Chapter", cycle="2022-2025", plan_id="mw")
    assert e.profile == "mw"
    path = ws / "profiles" / "mw.yaml"
    text = path.read_text()
    assert "extends: core" in text and "Objective" in text
    prof = load_profile("mw", ws)
    assert prof.name == "mw" and prof.source == str(path)
    plan = load_catalog(workspace=ws)["mw"]
    assert plan.profile == "mw" and [a.title for a in plan.areas] == [
        "Facilitate Member Engagement", "Support Professional Development", "Communicate Chapter Value"]
    assert ("mw", path) in list_profiles(ws)


def test_add_with_profile_name_and_file(ws, tmp_path):
    e = add_plan(ws, PLANS / "values-lettered.txt", org="Great Plains", cycle="2025-2029", profile="outline")
    assert e.profile == "outline"
    own = tmp_path / "plains.yaml"
    own.write_text("name: plains\narea: {caps: true}\n")
    e = add_plan(ws, PLANS / "indent-bullets.txt", org="Northfield Foundation", cycle="2024-2027", profile=str(own))
    assert e.profile == "plains" and (ws / "profiles" / "plains.yaml").read_bytes() == own.read_bytes()
    assert load_catalog(workspace=ws)[e.id].profile == "plains"


REFUSALS = [
    (["add", str(PLANS / "no-markers.txt"), "--org", "Valley", "--cycle", "2023-2026"],
     "this file is already in the catalog as 'valley-2023-2026'"),
    (["add", str(PLAN_2021), "--org", "Core", "--cycle", "2021-2022"],
     "this file is already in the catalog as 'core-2021-2022'"),
    (["add", str(PLANS / "owners-forms.txt"), "--org", "Valley", "--cycle", "2023-2026"],
     "id 'valley-2023-2026' is already used (for no-markers.txt); pass --id"),
    (["add", str(PLANS / "owners-forms.txt"), "--org", "X", "--cycle", "2025-28", "--id", "core-2021-2022"],
     "id 'core-2021-2022' is already used"),
    (["add", str(PLANS / "owners-forms.txt"), "--org", "X", "--cycle", "soon"], "cycle 'soon' is not like 2025-2028"),
    (["add", str(PLANS / "owners-forms.txt"), "--org", "X", "--cycle", "2028-2025"], "ends before it starts"),
    (["add", str(PLANS / "owners-forms.txt"), "--org", "X", "--cycle", "2025-2028", "--profile", "nope"],
     "no profile named 'nope'"),
    (["add", str(PLANS / "owners-forms.txt"), "--org", "X", "--cycle", "2025-2028", "--value-set", "nope"],
     "no value set 'nope'"),
    (["add", str(PLANS / "owners-forms.txt"), "--org", "X", "--cycle", "2025-2028", "--framework", "Nope Plan"],
     "no framework 'Nope Plan'"),
    (["add", str(PLANS / "missing.txt"), "--org", "X", "--cycle", "2025-2028"], "missing.txt: no such file"),
    (["add", str(PLANS / "owners-forms.txt"), "--org", "X", "--cycle", "2025-2028", "--id", "Bad Id"],
     "id 'Bad Id' must be lowercase"),
]


@pytest.mark.parametrize("argv,expect", REFUSALS, ids=[r[1][:40] for r in REFUSALS])
def test_add_refuses_clearly_and_changes_nothing(ws, capsys, argv, expect):
    assert main(["--data", str(ws), "add", str(PLANS / "no-markers.txt"), "--org", "Valley", "--cycle",
                 "2023-2026"]) == 0
    capsys.readouterr()
    before = snapshot(ws)
    code, out, err = run(["--data", str(ws), *argv], capsys)
    assert code == 2 and out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith("coreplan: ") and expect in line
    assert snapshot(ws) == before


def test_add_refuses_a_taken_raw_name(ws, tmp_path, capsys):
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "no-markers.txt").write_text("Strategic Area 1: Other\n\n1. Different bytes.\n")
    add_plan(ws, PLANS / "no-markers.txt", org="Valley", cycle="2023-2026")
    with pytest.raises(CatalogError, match="raw/no-markers.txt already exists with other content"):
        add_plan(ws, other / "no-markers.txt", org="Other", cycle="2023-2026")


def test_add_needs_a_workspace(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("COREPLAN_DATA", raising=False)
    code, out, err = run(["add", str(PLANS / "no-markers.txt"), "--org", "X", "--cycle", "2025-2028"], capsys)
    assert code == 2 and "no workspace selected: pass --data DIR" in err
    (tmp_path / "plain").mkdir()
    code, out, err = run(["--data", str(tmp_path / "plain"), "add", str(PLANS / "no-markers.txt"), "--org", "X",
                          "--cycle", "2025-2028"], capsys)
    assert code == 2 and "not a workspace (no plans.yaml)" in err


# -- selecting the workspace ---------------------------------------------------------------------
def test_data_flag_and_environment_select_the_workspace(ws, capsys, monkeypatch):
    add_plan(ws, PLANS / "roman-outline.txt", org="Evergreen", cycle="2024-2027")
    code, out, _ = run(["--data", str(ws), "parse", "evergreen-2024-2027"], capsys)
    assert code == 0
    assert out.splitlines()[:2] == [
        "evergreen-2024-2027: Evergreen School Library Educators Association: Strategic Plan 2024-2027 (2024-2027)",
        "  raw/roman-outline.txt, 26 lines, profile outline"]
    monkeypatch.setenv("COREPLAN_DATA", str(ws))
    code, out, _ = run(["parse", "--json"], capsys)
    assert [p["id"] for p in json.loads(out)["plans"]] == ["core-2021-2022", "core-2022-2025", "evergreen-2024-2027"]
    monkeypatch.delenv("COREPLAN_DATA")
    code, out, _ = run(["parse", "--json"], capsys)
    assert [p["id"] for p in json.loads(out)["plans"]] == ["core-2021-2022", "core-2022-2025"]


def test_workspace_files_override_bundled_ones_by_name(ws):
    (ws / "profiles" / "outline.yaml").write_text("name: outline\ndescription: Ours.\narea: {markers: [letter]}\n")
    assert dict(list_profiles(ws))["outline"] == ws / "profiles" / "outline.yaml"
    assert load_profile("outline", ws).area_markers == {"letter"}
    assert load_profile("outline").area_markers == {"roman"}  # the bundled one, without the workspace


def test_add_docx_copied_and_parsed_by_id(ws, capsys):
    from test_formats import make_docx

    src = ws.parent / "heartwood.docx"
    src.write_bytes(make_docx())
    e = add_plan(ws, src, org="Heartwood Library Association", cycle="2025-2028")
    assert (ws / e.file).read_bytes() == src.read_bytes() and e.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    code, out, _ = run(["--data", str(ws), "parse", e.id], capsys)
    assert code == 0 and "area 1: Reach Every Reader" in out


# -- a plan read against its own value set -------------------------------------------------------
def test_catalog_entry_names_its_value_set(ws, capsys):
    (ws / "reference" / "values").mkdir()
    (ws / "reference" / "values" / "aarl.yaml").write_text(AARL_VALUES)
    code, out, err = run(["--data", str(ws), "add", str(PLANS / "goal-area-labels.txt"), "--org", "AARL",
                          "--cycle", "2011-2016", "--value-set", "aarl", "--framework", "ALA Pivot Strategy"], capsys)
    assert code == 0, err
    (entry,) = [e for e in read_catalog(ws) if e.id == "aarl-2011-2016"]
    assert entry.value_set == "aarl" and entry.frameworks == ("ALA Pivot Strategy",)
    ref = load_reference(ws, value_set=entry.value_set)
    assert ref.value_set == "AARL values"
    assert [v.name for v in ref.values] == ["Visionary Leadership", "Open Scholarship"]
    assert "Transparency" not in {v.name for v in ref.values}  # not scored against Core's values
    ps = load_catalog(workspace=ws)
    assert ps["aarl-2011-2016"].period == (2011, 2016)
    # the workspace value set is what the catalog loads for that plan: remove it and loading fails there
    (ws / "reference" / "values" / "aarl.yaml").unlink()
    with pytest.raises(DataError, match="no value set 'aarl'") as exc:
        load_catalog(workspace=ws)
    assert exc.value.path == str(ws / "plans.yaml")  # the catalog entry that names it (see below)
    assert exc.value.line == _line_of(ws / "plans.yaml", "value_set: aarl")
    # The raw parse reads each plan against its own value set too.
    code, out, err = run(["--data", str(ws), "parse"], capsys)
    assert (code, out) == (2, "") and "no value set 'aarl'" in err and f"plans.yaml:{exc.value.line}" in err


def test_catalog_profile_path_is_relative_to_the_catalog(ws, tmp_path, monkeypatch):
    (ws / "profiles" / "mine.yaml").write_text("name: mine\nextends: outline\n")
    e = add_plan(ws, PLANS / "roman-outline.txt", org="Evergreen School Library Educators", cycle="2024-2027",
                 profile="core")
    catalog = yaml.safe_load((ws / "plans.yaml").read_text())
    catalog["plans"][0]["profile"] = "profiles/mine.yaml"
    (ws / "plans.yaml").write_text(yaml.safe_dump(catalog))
    monkeypatch.chdir(tmp_path)  # (not the workspace: the path is the catalog's, not the current folder's)
    plan = load_catalog(workspace=ws)[e.id]
    assert plan.profile == "mine" and len(plan.areas) == 3


# -- a malformed catalog: one line on stderr naming plans.yaml and the line, exit 2 -------------
def _line_of(path, text, nth=1):
    """The 1-based line of the *nth* line of *path* holding *text*."""
    hits = [k for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    return hits[nth - 1]


@pytest.fixture
def valley(ws):
    """*ws* with one plan of its own, valley-2023-2026 (no-markers.txt, profile core)."""
    add_plan(ws, PLANS / "no-markers.txt", org="Valley", cycle="2023-2026")
    return ws


def _edit(ws, old, new, count=1):
    path = ws / "plans.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _refused(ws, capsys, argv, expect):
    """Each command of *argv* exits 2 with the one line *expect* on stderr, nothing on stdout, nothing written."""
    before = snapshot(ws)
    for cmd in argv:
        code, out, err = run(["--data", str(ws), *cmd], capsys)
        assert (code, out) == (2, ""), (cmd, err)
        assert err.splitlines() == [f"coreplan: {expect}"], cmd
    assert snapshot(ws) == before


def _second_entry(ws):
    return (ws / "plans.yaml").read_text(encoding="utf-8").split("plans:\n", 1)[1].rstrip("\n") + "\n"


def test_catalog_duplicate_id_is_refused_at_the_second_entry(valley, capsys):
    path = valley / "plans.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + _second_entry(valley), encoding="utf-8")
    first, second = _line_of(path, "- id: valley-2023-2026"), _line_of(path, "- id: valley-2023-2026", 2)
    message = (f"plans[1] (valley-2023-2026): duplicate id 'valley-2023-2026' "
               f"(already used by plans[0], line {first})")
    with pytest.raises(CatalogError) as exc:
        read_catalog(valley)
    assert (exc.value.path, exc.value.line, exc.value.message) == (str(path), second, message)
    _refused(valley, capsys, [["parse"], ["tables"], ["gaps"]], f"{path}:{second}: {message}")


KEY_TYPOS = [
    ("    profile: core", "    profle: core", "profle: core",
     "plans[0] (valley-2023-2026): unknown key 'profle' (did you mean 'profile'? known: id, title, organisation, "
     "cycle, file, sha256, profile, value_set, frameworks, note)"),
    ("schema: coreplan-catalog/1\n", "shcema: coreplan-catalog/1\n", "shcema:",
     "unknown key 'shcema' (did you mean 'schema'? known: schema, plans)"),
    ("      start: 2023\n", "      strat: 2023\n", "strat: 2023",
     "plans[0] (valley-2023-2026): cycle: unknown key 'strat' (did you mean 'start'? known: start, end)"),
]


@pytest.mark.parametrize("old,new,where,message", KEY_TYPOS, ids=["entry", "top-level", "cycle"])
def test_catalog_unknown_key_is_refused_with_a_suggestion(valley, capsys, old, new, where, message):
    path = _edit(valley, old, new)
    line = _line_of(path, where)
    with pytest.raises(CatalogError) as exc:
        read_catalog(valley)
    assert (exc.value.path, exc.value.line, exc.value.message) == (str(path), line, message)
    _refused(valley, capsys, [["parse"], ["tables"]], f"{path}:{line}: {message}")


def test_catalog_reversed_cycle_is_refused(valley, capsys):
    path = _edit(valley, "      end: 2026\n", "      end: 2019\n")
    line = _line_of(path, "    cycle:")
    message = "plans[0] (valley-2023-2026): cycle 2023-2019 ends before it starts"
    with pytest.raises(CatalogError) as exc:
        read_catalog(valley)
    assert (exc.value.path, exc.value.line, exc.value.message) == (str(path), line, message)
    _refused(valley, capsys, [["parse"], ["tables"]], f"{path}:{line}: {message}")


def test_catalog_unknown_profile_or_value_set_names_the_catalog_line(valley, capsys):
    path = _edit(valley, "    profile: core", "    profile: gaols")
    line = _line_of(path, "profile: gaols")
    message = "plan 'valley-2023-2026': no profile named 'gaols' (known: core, goals, outline)"
    with pytest.raises(CatalogError) as exc:
        load_catalog(workspace=valley)
    assert (exc.value.path, exc.value.line, exc.value.message) == (str(path), line, message)
    _refused(valley, capsys, [["parse"], ["parse", "valley-2023-2026"], ["tables"], ["graph"]],
             f"{path}:{line}: {message}")
    # a profile named elsewhere (--profile) is reported as before, without the catalog
    _refused(valley, capsys, [["parse", "--profile", "nope"]], "no profile named 'nope' (known: core, goals, outline)")
    code, out, err = run(["--data", str(valley), "parse", "--profile", "core"], capsys)
    assert code == 0 and err == "" and "valley-2023-2026" in out
    with pytest.raises(DataError) as exc:
        load_profile("gaols", valley)
    assert exc.value.path is None and exc.value.message == message.split(": ", 1)[1]

    path = _edit(valley, "    profile: gaols", "    profile: core\n    value_set: gaols")
    line = _line_of(path, "value_set: gaols")
    message = "plan 'valley-2023-2026': no value set 'gaols' (known: none)"
    with pytest.raises(CatalogError) as exc:
        load_catalog(workspace=valley)
    assert (exc.value.path, exc.value.line, exc.value.message) == (str(path), line, message)
    _refused(valley, capsys, [["tables"], ["align"]], f"{path}:{line}: {message}")


def test_parse_checks_the_recorded_sha256(valley, capsys):
    raw = valley / "raw" / "no-markers.txt"
    old = hashlib.sha256(raw.read_bytes()).hexdigest()
    raw.write_bytes(raw.read_bytes() + b"\nchanged\n")
    new = hashlib.sha256(raw.read_bytes()).hexdigest()
    message = (f"{raw}: raw file no-markers.txt changed since it was catalogued (sha256 {new[:12]}..., catalog has "
               f"{old[:12]}...); raw data is immutable: add the new version as a new plan")
    _refused(valley, capsys, [["parse"], ["parse", "--json"], ["parse", "valley-2023-2026"], ["tables"]], message)


@pytest.mark.parametrize("org,stem", [
    ("Northern States School Library Association", "northern-states-school-library"),  # not "...-associati"
    ("Northern States School Library Associates", "northern-states-school-library"),
    ("Northern States School Library Directors Group", "northern-states-school-library-directors"),  # 40: whole
    ("A" * 45 + " Library", "a" * 40),  # a first word longer than the limit: cut hard, never empty
])
def test_add_cuts_a_long_id_at_a_whole_word(ws, org, stem):
    e = add_plan(ws, PLANS / "no-markers.txt", org=org, cycle="2022-2025")
    assert e.id == f"{stem}-2022-2025" and len(stem) <= 40
