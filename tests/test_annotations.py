"""Annotations: what a facilitator knows that a copy lost, applied when the catalog loads."""

from __future__ import annotations

import json
import textwrap

import pytest
from conftest import ROOT

from coreplan_analysis import DataError, load_catalog, parse_plan, to_frames
from coreplan_analysis._annotations import apply_annotations, parse_annotations, read_annotations
from coreplan_analysis.cli import main

DEMO = """Areas of Focus

1. Outreach

Goal: Reach new members.

Actions:

1. Run a member survey. (*Board of Directors*)
2. (Completed) Publish a quarterly report to members.
"""

HEADER = "schema: coreplan-annotations/1\nplan: demo\nannotations:\n"


def _write(tmp_path, body, name="demo.yaml"):
    path = tmp_path / name
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.fixture
def demo():
    return parse_plan(DEMO, plan_id="demo")


# -- the bundled annotations on the 2022-2025 plan ----------------------------------------------
def test_seed_lost_title_and_missing_area(planset):
    plan = planset["core-2022-2025"]
    assert [(a.id, a.number, a.title, a.basis) for a in plan.areas] == [
        # the heading lost at line 23, known from committee reports of Dec 2022 - Dec 2023
        ("core-2022-2025/1", None, "Membership and Value to Members", "confirmed"),
        # printed in the copy: stays stated
        ("core-2022-2025/2", "2", "Career Building and Recognition", "stated"),
        # the third strategic goal of those reports, absent from the copy: no invented items
        ("core-2022-2025/3", None, "Evaluate and Adjust Core's Structure", "confirmed"),
    ]
    area1, area2, area3 = plan.areas
    assert area1.source_url == "https://alacore.org/handbook/forum-planning-committee-december-2023-report/"
    assert area3.source_url == "https://alacore.org/handbook/bylaws-and-organization-committee-december-2022-report/"
    assert area3.items == () and area3.span == (0, 0) and area3.statement is None
    assert area2.source_url is None
    # the annotated area keeps its parsed items and their basis
    assert [it.id for it in area1.items] == ["core-2022-2025/1/1", "core-2022-2025/1/2", "core-2022-2025/1/3"]
    assert {it.basis for it in plan.items()} == {"stated"}


def test_seed_annotations_record_sources_and_keep_damage(planset):
    plan = planset["core-2022-2025"]
    notes = [d for d in plan.diagnostics if d.kind == "annotation"]
    assert [(d.line, d.severity) for d in notes] == [(23, "info"), (None, "info")]
    assert "forum-planning-committee-december-2023-report" in notes[0].message
    # the parser's damage report is untouched: annotations never hide damage
    assert any(d.kind == "missing-heading" and d.line == 23 for d in plan.diagnostics)
    assert plan.damaged
    # the 2021-2022 plan has no annotation file and is unchanged
    assert not [d for d in planset["core-2021-2022"].diagnostics if d.kind == "annotation"]


def test_raw_parse_is_the_text_alone(plan2022):
    raw = load_catalog(annotate=False)["core-2022-2025"]
    assert [a.title for a in raw.areas] == [None, "Career Building and Recognition"]
    assert [a.title for a in plan2022.areas] == [None, "Career Building and Recognition"]
    assert all(a.basis == "stated" for a in raw.areas)


def test_cli_parse_shows_the_lost_title_as_lost(capsys):
    assert main(["parse", "core-2022-2025", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [a["title"] for a in doc["plans"][0]["areas"]] == [None, "Career Building and Recognition"]


def test_tables_show_confirmed(frames):
    areas = frames.areas[frames.areas["plan"] == "core-2022-2025"]
    assert areas[["area", "basis"]].astype(str).values.tolist() == [
        ["core-2022-2025/1", "confirmed"], ["core-2022-2025/2", "stated"], ["core-2022-2025/3", "confirmed"]]


def test_bundled_file_reads():
    anns = read_annotations(ROOT / "data" / "annotations" / "core-2022-2025.yaml", plan_id="core-2022-2025")
    assert [(a.change, a.target, a.line) for a in anns] == [
        ("area-title", "core-2022-2025/1", 10), ("missing-area", None, 26)]
    assert all(a.source.startswith("https://alacore.org/handbook/") and a.reason for a in anns)


# -- corrections on a small invented plan -------------------------------------------------------
def test_owner_kind_status_corrections(tmp_path, demo):
    path = _write(tmp_path, """\
      - change: owners
        target: demo/1/1
        excerpt: run a member survey
        owners: ["Diversity & Inclusion Committee", "Friends Group"]
        source: null
        reason: the board handed it over in March
      - change: kind
        target: demo/1/#1
        excerpt: Reach new members
        kind: action
        source: https://example.org/minutes
        reason: the board calls it an action
      - change: status
        target: demo/1/2
        excerpt: quarterly report
        status: revised
        date: 2024-03
        source: null
        reason: the report became half-yearly
    """)
    done = apply_annotations(demo, path=path)
    survey = done.item("demo/1/1")
    # owner names go through the registry: "&" spelling becomes the canonical name
    assert survey.owners == ("Diversity and Inclusion Committee", "Friends Group")
    assert survey.owners_raw == "Board of Directors"  # the printed parentheses stay as printed
    assert survey.basis == "confirmed"
    assert done.item("demo/1/#1").kind == "action" and done.item("demo/1/#1").basis == "confirmed"
    report = done.item("demo/1/2")
    assert (report.status.kind, report.status.date, report.status.basis) == ("revised", "2024-03", "confirmed")
    assert report.status.text == "Completed"  # the printed status words are kept
    # the raw plan object is not changed (frozen dataclasses, new plan returned)
    assert demo.item("demo/1/2").status.kind == "completed"
    assert [d.severity for d in done.diagnostics if d.kind == "annotation"] == ["info"] * 3
    # tables carry the basis
    owners = to_frames(done).owners
    assert owners[owners.item == "demo/1/1"]["basis"].astype(str).tolist() == ["confirmed", "confirmed"]


def test_stale_excerpt_warns_and_is_not_applied(tmp_path, demo):
    path = _write(tmp_path, """\
      - change: status
        target: demo/1/1
        excerpt: Publish a quarterly report
        status: completed
        source: null
        reason: done in 2022
      - change: kind
        target: demo/9/9
        excerpt: anything
        kind: goal
        source: null
        reason: an id that points at nothing
    """)
    done = apply_annotations(demo, path=path)
    assert done.item("demo/1/1").status.kind == "none" and done.item("demo/1/1").basis == "stated"
    warnings = [d for d in done.diagnostics if d.kind == "annotation"]
    assert [(d.severity, d.line) for d in warnings] == [("warning", 9), ("warning", None)]
    assert "no longer reads 'Publish a quarterly report'; not applied" in warnings[0].message
    assert warnings[0].message.startswith("demo.yaml:4:")  # file and line of the entry
    assert "no item 'demo/9/9'" in warnings[1].message


def test_area_title_excerpt_matches_items_ignoring_case_and_markup(tmp_path, demo):
    path = _write(tmp_path, """\
      - change: area-title
        target: demo/1
        excerpt: "PUBLISH a   quarterly report"
        title: Member Outreach
        source: https://example.org/report
        reason: named so in the committee reports
    """)
    area = apply_annotations(demo, path=path).areas[0]
    assert (area.title, area.basis, area.source_url) == ("Member Outreach", "confirmed", "https://example.org/report")


def test_workspace_annotation_overrides_bundled(tmp_path):
    ws = tmp_path / "ws"
    (ws / "annotations").mkdir(parents=True)
    (ws / "annotations" / "core-2022-2025.yaml").write_text(textwrap.dedent("""\
        schema: coreplan-annotations/1
        plan: core-2022-2025
        annotations:
          - change: status
            target: core-2022-2025/1/3.2
            excerpt: Track member engagement
            status: in_progress
            source: null
            reason: the tracking sheet shows it under way
        """), encoding="utf-8")
    plan = load_catalog(workspace=ws)["core-2022-2025"]
    # the workspace file replaces the bundled one: no lost title restored, no missing area
    assert [a.title for a in plan.areas] == [None, "Career Building and Recognition"]
    assert plan.item("core-2022-2025/1/3.2").status.kind == "in_progress"


# -- malformed files: DataError with file and line -----------------------------------------------
@pytest.mark.parametrize("body, line, words", [
    ("  - change: rename\n    target: demo/1\n    source: null\n    reason: x\n", 4, "expected one of area-title"),
    ("  - change: kind\n    target: demo/1/1\n    excerpt: Run\n    kind: goal\n    reason: x\n", 4, "missing 'source'"),
    ("  - change: area-title\n    target: demo/1\n    excerpt: Run\n    title: T\n    source: null\n    reason: x\n",
     8, "needs the URL"),
    ("  - change: status\n    target: demo/1/1\n    excerpt: Run\n    status: finished\n    source: null\n"
     "    reason: x\n", 7, "expected one of completed"),
    ("  - change: owners\n    target: demo/1/1\n    excerpt: Run\n    owners: [1, 2]\n    source: null\n"
     "    reason: x\n", 7, "expected a list of owner names"),
    ("  - change: kind\n    target: demo/1/1\n    excerpt: Run\n    kind: goal\n    source: ftp://x\n"
     "    reason: x\n", 8, "expected a URL"),
    ("  - change: kind\n    target: demo/1/1\n    excerpt: Run\n    kind: goal\n    colour: red\n", 8, "unknown key 'colour'"),
    ("  - change: kind\n    target: [demo\n", 6, "invalid YAML"),  # PyYAML: the line after the end
])
def test_malformed_entry(tmp_path, demo, body, line, words):
    path = tmp_path / "demo.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        apply_annotations(demo, path=path)
    assert exc.value.path == str(path)
    assert exc.value.line == line
    assert words in exc.value.message


def test_file_about_another_plan(tmp_path, demo):
    path = tmp_path / "demo.yaml"
    path.write_text(HEADER.replace("plan: demo", "plan: other") + "  []\n", encoding="utf-8")
    with pytest.raises(DataError, match="about 'other', not 'demo'") as exc:
        apply_annotations(demo, path=path)
    assert exc.value.line == 2


def test_wrong_schema_and_shape():
    with pytest.raises(DataError, match="schema"):
        parse_annotations("schema: v0\nplan: demo\n", path="x.yaml")
    with pytest.raises(DataError, match="expected a list") as exc:
        parse_annotations(HEADER + "  change: kind\n", path="x.yaml")
    assert exc.value.line == 3  # the annotations key
    assert parse_annotations("", path="x.yaml") == []


def test_malformed_bundled_copy_fails_catalog_load_with_file_and_line(tmp_path):
    ws = tmp_path / "ws"
    (ws / "annotations").mkdir(parents=True)
    src = (ROOT / "data" / "annotations" / "core-2022-2025.yaml").read_text(encoding="utf-8")
    (ws / "annotations" / "core-2022-2025.yaml").write_text(src.replace("change: missing-area", "change: lost-area"),
                                                             encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_catalog(workspace=ws)
    assert exc.value.path.endswith("core-2022-2025.yaml") and exc.value.line == 26
    assert main(["--data", str(ws), "gaps"]) == 2


def test_applying_twice_is_harmless(planset):
    plan = planset["core-2022-2025"]
    assert apply_annotations(plan) is plan  # already annotated: no second missing area


def test_a_missing_area_that_is_in_the_copy_is_not_added(tmp_path, demo):
    path = _write(tmp_path, """\
      - change: missing-area
        title: outreach
        source: https://example.org/report
        reason: the reports name it
    """)
    done = apply_annotations(demo, path=path)
    assert [a.title for a in done.areas] == ["Outreach"]
    (warning,) = [d for d in done.diagnostics if d.kind == "annotation"]
    assert warning.severity == "warning" and "it is not missing" in warning.message and warning.line == 3


def test_no_annotation_file_returns_the_same_plan(tmp_path, demo):
    assert apply_annotations(demo, tmp_path) is demo
