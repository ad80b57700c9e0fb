"""The two bundled Core plans: what must come out of them (issue 2), asserted value by value."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, PLAN_2021, PLAN_2022, check_snapshot, covered_lines

from coreplan_analysis import read_plan
from coreplan_analysis._json import dumps, parse_to_json


# -- 2021-2022 -----------------------------------------------------------------------------------
def test_2021_areas(plan2021):
    assert plan2021.id == "core-2021-2022"
    assert plan2021.title == "Members First: Core Strategic Action Plan, 2021-2022"
    assert plan2021.period == (2021, 2022)
    assert [(a.id, a.number, a.title) for a in plan2021.areas] == [
        ("core-2021-2022/1", "1", "Membership and Engagement"),
        ("core-2021-2022/2", "2", "Member-Initiated Programming"),
        ("core-2021-2022/3", "3", "Advocacy Coordination"),
    ]


def test_2021_hierarchy_area_goal_action(plan2021):
    for area in plan2021.areas:
        (goal,) = area.items  # one labelled goal per area
        assert goal.kind == "goal" and goal.number is None
        assert goal.id == f"{area.id}/#1"
        assert all(ch.kind == "action" and ch.depth == 2 for ch in goal.children)
    assert [len(a.leaves()) for a in plan2021.areas] == [7, 4, 2]
    assert len(plan2021.leaves()) == 13
    assert plan2021.item("core-2021-2022/1/5").text == (
        "Develop an engagement strategy that will continually identify and address barriers to participation."
    )
    assert plan2021.areas[0].items[0].text.startswith("Core will provide a clear articulation")


def test_2021_values(plan2021):
    assert [a.values for a in plan2021.areas] == [
        ("Transparency", "Sustainability", "Inclusion"),
        ("Knowledge Sharing", "Innovation", "Collaboration"),
        ("Diversity", "Inclusion", "Collaboration"),
    ]
    distinct = {v for a in plan2021.areas for v in a.values}
    assert len(distinct) == 7


def test_2021_owners_assigned_and_canonical(plan2021):
    owners = {o for it in plan2021.items() for o in it.owners}
    assert len(owners) == 12
    it = plan2021.item("core-2021-2022/1/3")
    assert it.owners_raw == "Diversity & Inclusion Committee; Fundraising & Sponsorships Committee"
    assert it.owners == ("Diversity and Inclusion Committee", "Fundraising and Sponsorship Committee")
    # the owner parentheses are not part of the text
    assert "Committee" not in it.text and it.text.endswith("(e.g., sponsored memberships).")
    assert plan2021.item("core-2021-2022/1/1").owners == (
        "Board of Directors", "Communications Coordination Committee")


def test_2021_mentions_are_not_assignments(plan2021):
    it = plan2021.item("core-2021-2022/3/2")
    assert it.owners == ("Advocacy Coordination Committee",)
    assert "ALA Washington Office" in it.mentions
    assert "ALA Washington Office" not in it.owners


def test_2021_markdown_cleaned_spans_kept(plan2021):
    it = plan2021.item("core-2021-2022/1/1")
    assert it.text == ("Refine the statement of Core's value and benefits to members to make these clear "
                       "and visible to members.")
    lines = PLAN_2021.read_text(encoding="utf-8").splitlines()
    assert "[Core's value and benefits](#)" in lines[it.span[0] - 1]


def test_2021_streams_timeline_commitments(plan2021):
    assert [(s.framework, s.name) for s in plan2021.streams] == [
        ("ALA Pivot Strategy", "Membership"), ("ALA Pivot Strategy", "Continuing Education")]
    assert [(t.when, t.start, t.end) for t in plan2021.timeline] == [
        ("March-April 2021", "2021-03", "2021-04"),
        ("April-May 2021", "2021-04", "2021-05"),
        ("April-May 2021", "2021-04", "2021-05"),
        ("June 2021", "2021-06", "2021-06"),
    ]
    assert plan2021.timeline[0].text.startswith("Leadership Team will work with ALA Staff")
    assert len(plan2021.commitments) == 3
    assert plan2021.commitments[-1].owners == ("Board of Directors", "ALA Staff")


def test_2021_sections(plan2021):
    kinds = [(s.kind, s.span) for s in plan2021.sections]
    assert kinds == [("title", (5, 7)), ("intro", (9, 15)), ("heading", (17, 17)),
                     ("accountability", (59, 61)), ("timeline", (63, 68))]


def test_2021_has_no_damage(plan2021):
    assert [d for d in plan2021.diagnostics if d.severity != "info"] == []
    assert all(it.status.kind == "none" for it in plan2021.items())


# -- 2022-2025 -----------------------------------------------------------------------------------
def test_2022_areas(plan2022):
    assert plan2022.id == "core-2022-2025"
    assert [(a.number, a.title) for a in plan2022.areas] == [
        (None, None), ("2", "Career Building and Recognition")]
    assert plan2022.areas[1].statement == "Help members develop skills throughout the"
    assert [len(a.leaves()) for a in plan2022.areas] == [8, 2]


def test_2022_ids(plan2022):
    ids = [it.id for it in plan2022.items()]
    assert ids == [
        "core-2022-2025/1/1", "core-2022-2025/1/1.1", "core-2022-2025/1/1.2", "core-2022-2025/1/1.3",
        "core-2022-2025/1/2", "core-2022-2025/1/2.1", "core-2022-2025/1/2.2",
        "core-2022-2025/1/3", "core-2022-2025/1/3.1", "core-2022-2025/1/3.2", "core-2022-2025/1/3.3",
        "core-2022-2025/2/2", "core-2022-2025/2/2.2", "core-2022-2025/2/2.3",
    ]
    kinds = {it.id: it.kind for it in plan2022.items()}
    assert kinds["core-2022-2025/1/1"] == "goal" and kinds["core-2022-2025/1/1.2"] == "action"


def test_2022_statuses(plan2022):
    st = {it.id: (it.status.kind, it.status.date) for it in plan2022.items() if it.status.kind != "none"}
    assert st == {
        "core-2022-2025/1/2.2": ("revised", "2024-03"),
        "core-2022-2025/1/3.1": ("revised", "2024-03"),
        "core-2022-2025/1/3.3": ("new", "2023"),
        "core-2022-2025/2/2.2": ("completed", None),
        "core-2022-2025/2/2.3": ("completed", None),
    }
    it = plan2022.item("core-2022-2025/1/3.3")
    assert it.text.startswith("Work with board") and it.status.text == "New goal as of 2023"
    assert it.mentions == ()  # the generic "board" is not a named body


EXPECTED_2022_DIAGNOSTICS = [
    (7, "truncated"),         # "... and section" / "leadership made ...": sentence broken across lines
    (9, "truncated"),         # "... goals completed and update" / "write a new ...": text lost
    (19, "truncated"),        # "For members, Core delivers member"
    (21, "truncated"),        # the lone fragment "and"
    (23, "missing-heading"),  # "Goals:" with no area title
    (29, "unbalanced"),       # "... into account) and explore ..."
    (39, "truncated"),        # "Help members develop skills throughout the"
    (41, "numbering-gap"),    # Strategic Area 2's goals start at 2
    (41, "truncated"),        # "Offer continuing education programs t"
    (43, "numbering-gap"),    # action 2.1 missing
]


def test_2022_diagnostics(plan2022):
    got = [(d.line, d.kind) for d in plan2022.diagnostics if d.severity != "info"]
    assert got == EXPECTED_2022_DIAGNOSTICS
    assert plan2022.damaged


@pytest.mark.parametrize("path", [PLAN_2021, PLAN_2022], ids=["2021", "2022"])
def test_lossless(path):
    plan = read_plan(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    nonblank = {n for n, line in enumerate(lines, start=1) if line.strip()}
    assert nonblank <= covered_lines(plan)
    assert not [d for d in plan.diagnostics if d.kind == "unparsed"]


@pytest.mark.parametrize("path", [PLAN_2021, PLAN_2022], ids=["2021", "2022"])
def test_json_snapshot(path):
    plan = read_plan(path)
    doc = parse_to_json([plan])
    doc["plans"][0]["source"]["path"] = path.name  # machine-independent
    text = dumps(doc)
    assert json.loads(text)["schema"] == "coreplan/1"
    check_snapshot(FIXTURES / "snapshots" / f"{plan.id}.json", text)
