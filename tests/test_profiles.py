"""Profiles (issue 3): bundled profiles, users' YAML merged over core, and malformed profiles
refused with file, line and reason."""

from __future__ import annotations

import textwrap

import pytest
from conftest import FIXTURES, PLAN_2021

from coreplan_analysis import ProfileError, parse_plan, read_plan
from coreplan_analysis._profile import (
    ITEM_MARKERS,
    infer_profile,
    list_profiles,
    load_profile,
    load_profile_text,
    profile_from_dict,
)
from coreplan_analysis.cli import main

PLANS = FIXTURES / "plans"


def write(tmp_path, text, name="mine.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


# -- bundled profiles ----------------------------------------------------------------------------
def test_bundled_profiles_listed_and_load():
    names = [n for n, _ in list_profiles()]
    assert names == ["core", "goals", "outline"]
    core, outline, goals = (load_profile(n) for n in ("core", "outline", "goals"))
    assert core.area_markers == frozenset() and core.numbered_titles
    assert outline.area_markers == {"roman"} and not outline.numbered_titles
    # outline says only what differs: everything else comes from core
    assert outline.labels == core.labels and outline.sections == core.sections
    assert goals.labels["goal"] == ("Objectives", "Objective", "Goals")
    assert [p.pattern[:12] for p in goals.item_patterns] == ["^(?i:Objecti", "^(?i:Strateg"]
    assert core.item_markers == set(ITEM_MARKERS)


def test_core_reads_each_label_kind():
    core = load_profile("core")
    assert [core.label_kind(w) for w in ("Goal", "key  initiatives", "STRATEGIES", "Lead", "Status", "Values")] == [
        "goal", "action", "action", "owners", "status", "values"]
    assert core.label_kind("Membership") is None


def test_user_profile_merges_over_core(tmp_path):
    path = write(tmp_path, """
        name: mine
        description: Our association's plans.
        area:
          caps: true
        labels:
          action: ["Tactics"]
        """)
    prof = load_profile(path)
    core = load_profile("core")
    assert prof.name == "mine" and prof.description == "Our association's plans."
    assert prof.area_caps is True
    assert prof.labels["action"] == ("Tactics",)  # lists replace
    assert prof.labels["goal"] == core.labels["goal"]  # the rest merges from core
    assert prof.area_patterns == core.area_patterns
    assert prof.source == str(path)


def test_extends_chain(tmp_path):
    ws = tmp_path / "ws"
    (ws / "profiles").mkdir(parents=True)
    write(ws / "profiles", "name: deeper\nextends: outline\nitems: {markers: [letter, arabic]}\n", "deeper.yaml")
    prof = load_profile("deeper", ws)
    assert prof.area_markers == {"roman"}  # from outline
    assert prof.item_markers == {"letter", "arabic"}
    assert prof.labels == load_profile("core").labels  # from core, through outline


def test_extends_cycle_refused(tmp_path):
    ws = tmp_path / "ws"
    (ws / "profiles").mkdir(parents=True)
    write(ws / "profiles", "extends: b\n", "a.yaml")
    write(ws / "profiles", "extends: a\n", "b.yaml")
    with pytest.raises(ProfileError, match="cycle") as exc:
        load_profile("a", ws)
    assert exc.value.line == 1


def test_profile_from_text_and_to_yaml_round_trip():
    prof, _ = infer_profile((PLANS / "roman-outline.txt").read_text())
    back = load_profile_text(prof.to_yaml())
    assert back.area_markers == prof.area_markers == {"roman"}
    assert back.numbered_titles is False
    assert "extends: core" in prof.to_yaml()


# -- malformed profiles: file, line, reason ------------------------------------------------------
BAD = [
    ("name: x\ncolour: red\n", 2, "unknown key 'colour'"),
    ("name: x\narea:\n  patterns: []\n  colour: red\n", 4, "unknown key 'area.colour'"),
    ("name: x\nlabels:\n  goal: [Goal]\n  wishes: [Wish]\n", 4, "unknown key 'labels.wishes'"),
    ("name: x\narea:\n  caps: 'yes please'\n", 3, "area.caps: expected true or false, found a string"),
    ("name: x\narea: [1, 2]\n", 2, "area: expected a mapping, found a list"),
    ("name: x\nlabels:\n  action: Strategies\n", 3, "labels.action: expected a list, found a string"),
    ("name: x\nlabels:\n  action: [Strategies, 3]\n", 3, "labels.action[1]: expected a non-empty string"),
    ("name: x\narea:\n  max_title_words: many\n", 3, "area.max_title_words: expected a whole number"),
    ("name: x\narea:\n  heading_levels: [2, 9]\n", 3, "area.heading_levels[1]: expected a heading level"),
    ("name: x\narea:\n  patterns:\n    - '(unclosed'\n", 3, "area.patterns[0]: invalid regular expression"),
    ("name: x\narea:\n  patterns:\n    - '^Goal (?P<number>\\d+)$'\n", 4,
     "area.patterns[0]: the regular expression needs a named group (?P<title>...)"),
    ("name: x\nitems:\n  patterns:\n    - '^Objective (?P<number>\\d+)'\n", 4, "(?P<text>...)"),
    ("name: x\nitems:\n  markers: [dotted, hexagon]\n", 3, "items.markers[1]: unknown marker 'hexagon'"),
    ("name: x\nsections:\n  mission: '(?P<x'\n", 3, "sections.mission: invalid regular expression"),
    ("name: x\nsections:\n  Mission Statement: '^Mission'\n", 3, "must be a lowercase word"),
    ("name: x\ntimeline:\n  pattern: '^(?P<when>\\d{4}):'\n", 3, "(?P<text>...)"),
    ("name: x\nextends: nowhere\n", 2, "extends unknown profile 'nowhere'"),
    ("name: 'my profile!'\n", 1, "is not a profile name"),
    ("- just\n- a list\n", 1, "a profile must be a YAML mapping"),
    ("name: x\narea: {patterns: [\n", None, "invalid YAML"),
]


@pytest.mark.parametrize("text,line,reason", BAD, ids=[b[2][:30] for b in BAD])
def test_malformed_profile_refused_with_file_line_reason(tmp_path, text, line, reason):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        load_profile(path)
    err = exc.value
    assert err.path == str(path)
    assert reason in err.message
    if line is not None:
        assert err.line == line
        assert str(err).startswith(f"{path}:{line}: ")
    else:
        assert err.line is not None  # YAML syntax errors carry the line the parser stopped at


def test_yaml_python_tag_refused(tmp_path):
    path = write(tmp_path, "name: x\narea: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(ProfileError, match="unsafe or unknown YAML tag") as exc:
        load_profile(path)
    assert exc.value.line == 2


def test_yaml_alias_bomb_refused(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for k in range(1, 9):
        prev = chr(ord("a") + k - 1)
        cur = chr(ord("a") + k)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(ProfileError, match="alias bomb") as exc:
        load_profile(path)
    assert exc.value.path == str(path)


def test_unknown_profile_name_lists_known():
    with pytest.raises(ProfileError, match=r"no profile named 'nope' \(known: core, goals, outline\)"):
        load_profile("nope")


def test_profile_from_dict_validates():
    with pytest.raises(ProfileError, match="unknown key 'items.bullets'"):
        profile_from_dict({"items": {"bullets": True}})
    assert profile_from_dict({"area": {"markers": ["letter"]}}).area_markers == {"letter"}


# -- profiles change the parse -------------------------------------------------------------------
def test_profile_changes_what_opens_an_area():
    text = (PLANS / "roman-outline.txt").read_text()
    by_core = parse_plan(text, profile="core", plan_id="x")
    by_outline = parse_plan(text, profile="outline", plan_id="x")
    assert [a.number for a in by_outline.areas] == ["I", "II", "III"]
    assert [a.number for a in by_core.areas] != ["I", "II", "III"]
    assert by_outline.profile == "outline"
    assert [d.message for d in by_outline.diagnostics if d.kind == "profile"] == ["read with profile 'outline'"]


def test_item_markers_can_be_switched_off(tmp_path):
    path = write(tmp_path, "name: nolists\nitems:\n  markers: [dotted, arabic]\n")
    text = "Strategic Area 1: Access\n\n1. Open on Sundays\n- Hire staff\n"
    plan = parse_plan(text, profile=path, plan_id="x")
    (goal,) = plan.areas[0].items
    assert goal.text == "Open on Sundays - Hire staff"  # the bullet is not an item marker here
    default = parse_plan(text, profile="core", plan_id="x")
    assert [i.text for i in default.items()] == ["Open on Sundays", "Hire staff"]


def test_user_label_words(tmp_path):
    path = write(tmp_path, "name: tactics\nlabels:\n  action: [Tactics]\n")
    text = "Strategic Area 1: Access\n\nGoal: More hours.\n\nTactics:\n\n1. Open on Sundays.\n"
    plan = parse_plan(text, profile=path, plan_id="x")
    assert [(i.kind, i.text) for i in plan.items()] == [("goal", "More hours."), ("action", "Open on Sundays.")]


# -- command line --------------------------------------------------------------------------------
def test_cli_profiles_lists_name_path_description(capsys):
    assert main(["profiles"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("core  (bundled)  ") and lines[0].endswith("data/profiles/core.yaml")
    assert "Outline plans:" in out and "goals  (bundled)" in out
    assert lines[-1].startswith("3 profiles")


def test_cli_profiles_shows_workspace_profiles(tmp_path, capsys):
    ws = tmp_path / "ws"
    (ws / "profiles").mkdir(parents=True)
    write(ws / "profiles", "description: Our own.\narea: {caps: true}\n", "ours.yaml")
    assert main(["--data", str(ws), "profiles"]) == 0
    out = capsys.readouterr().out
    assert f"ours  (workspace)  {ws / 'profiles' / 'ours.yaml'}" in out
    assert "    Our own." in out
    # A malformed one is listed with what is wrong, where (the parser skips it when inferring).
    write(ws / "profiles", "description: Broken.\narea: {caps: maybe}\n", "broken.yaml")
    assert main(["--data", str(ws), "profiles"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index(f"broken  (workspace)  {ws / 'profiles' / 'broken.yaml'}")
    assert lines[at + 1].startswith(f"    MALFORMED, skipped by the parser: {ws / 'profiles' / 'broken.yaml'}:2:")
    assert "Broken." not in lines[at + 1] and lines[-1].startswith("5 profiles, 1 malformed;")


def test_cli_parse_with_profile_name_and_path(tmp_path, capsys):
    plan_file = PLANS / "roman-outline.txt"
    assert main(["parse", str(plan_file), "--profile", "outline"]) == 0
    out = capsys.readouterr().out
    assert "profile outline" in out and "area I: Advocate for a certified school librarian" in out
    path = write(tmp_path, "name: romans\nextends: outline\n", "romans.yaml")
    assert main(["parse", str(plan_file), "--profile", str(path)]) == 0
    assert "profile romans" in capsys.readouterr().out


@pytest.mark.parametrize("profile,expect", [
    ("nope", "no profile named 'nope'"),
    ("missing.yaml", "missing.yaml: no such profile file"),
])
def test_cli_parse_bad_profile_exit_2_one_line(profile, expect, capsys):
    code = main(["parse", str(PLAN_2021), "--profile", profile])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and expect in err


def test_read_plan_profile_from_workspace(tmp_path):
    ws = tmp_path / "ws"
    (ws / "profiles").mkdir(parents=True)
    write(ws / "profiles", "name: caps\narea: {caps: true}\n", "caps.yaml")
    plan = read_plan(PLANS / "indent-bullets.txt", profile="caps", workspace=ws)
    assert plan.profile == "caps"
    assert [a.title for a in plan.areas] == ["LITERACY FOR ALL AGES", "DIGITAL INCLUSION"]
