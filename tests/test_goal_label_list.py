"""A "Goal:" line (bold or not) followed by a list reads as goal > actions, as Core's
"Goal: ..." / "Actions:" / numbered list does (fixtures goal-bold-label-bullets,
goal-plain-label-bullets, goal-label-forms)."""

from __future__ import annotations

import textwrap

import pytest

from coreplan_analysis import parse_plan
from coreplan_analysis._gaps import find_gaps

AREA = """\
    Strategic Area 1: Professional Learning

    {goal} Every member can find affordable professional development.

    - Launch a quarterly webinar series (Education Committee)
    - Create a scholarship fund for conference attendance (Scholarship Committee; Treasurer)

    Strategic Area 2: Advocacy

    {goal} Legislators understand the value of libraries.

    1. Hold an annual Library Legislative Day (Legislative Committee)
    2. Build an advocacy toolkit
    """


def _plan(goal: str, body: str = AREA):
    return parse_plan(textwrap.dedent(body.format(goal=goal)), plan_id="demo", profile="core")


def _shape(plan):
    return [(a.id, [(it.id, it.kind, [(ch.id, ch.kind) for ch in it.children]) for it in a.items])
            for a in plan.areas]


@pytest.mark.parametrize("goal", ["Goal:", "**Goal:**", "**Goal**:", "__Goal:__"])
def test_goal_label_then_list_is_goal_with_actions(goal):
    plan = _plan(goal)
    assert _shape(plan) == [
        ("demo/1", [("demo/1/#1", "goal", [("demo/1/#2", "action"), ("demo/1/#3", "action")])]),
        ("demo/2", [("demo/2/#1", "goal", [("demo/2/1", "action"), ("demo/2/2", "action")])]),
    ]
    goal1 = plan.areas[0].items[0]
    assert goal1.text == "Every member can find affordable professional development."
    assert plan.areas[0].statement is None  # the bold goal is not the area's statement
    assert [ch.owners for ch in goal1.children] == [("Education Committee",), ("Scholarship Committee", "Treasurer")]
    assert [ch.span for ch in goal1.children] == [(5, 5), (6, 6)]


def test_same_tree_as_an_explicit_actions_label():
    explicit = textwrap.dedent("""\
        Strategic Area 1: Professional Learning

        Goal: Every member can find affordable professional development.

        Actions:

        - Launch a quarterly webinar series (Education Committee)
        - Create a scholarship fund for conference attendance (Scholarship Committee; Treasurer)
        """)
    implicit = "\n".join(line for line in explicit.splitlines() if not line.startswith("Actions"))
    shape = [[(it.kind, [(ch.kind, ch.text, ch.owners) for ch in it.children]) for it in a.items]
             for a in (parse_plan(explicit, plan_id="demo", profile="core").areas[0],
                       parse_plan(implicit, plan_id="demo", profile="core").areas[0])]
    assert shape[0] == shape[1]
    assert shape[0][0][0] == "goal" and len(shape[0][0][1]) == 2


def test_bold_label_then_prose_is_a_goal_not_the_statement():
    plan = parse_plan("Strategic Area 1: Learning\n\n**Goal:** Members learn.\n", plan_id="demo", profile="core")
    area = plan.areas[0]
    assert area.statement is None
    assert [(it.kind, it.text) for it in area.items] == [("goal", "Members learn.")]


def test_bold_text_that_is_no_label_keeps_its_place():
    plan = parse_plan("Strategic Area 1: Learning\n\n**Why:** members asked.\n\n- Run a survey\n",
                      plan_id="demo", profile="core")
    area = plan.areas[0]
    assert area.statement == "Why: members asked."
    assert [(it.kind, it.text) for it in area.items] == [("goal", "Run a survey")]


@pytest.mark.parametrize("between, first", [
    ("Core Values: Learning; Equity\n\n", "- Offer a training day"),  # another label between
    ("", "3. Offer a training day"),  # a list that continues an earlier numbering
    ("", "- Core Values: Learning; Equity"),  # a list item that is a label
])
def test_goal_label_does_not_take_these_lists(between, first):
    text = f"Strategic Area 1: Workforce\n\nGoal: Workers have skills.\n\n{between}{first}\n"
    area = parse_plan(text, plan_id="demo", profile="core").areas[0]
    assert [it.kind for it in area.items] == ["goal", "goal"]
    assert all(not it.children for it in area.items)


def test_plural_goals_label_keeps_a_list_of_goals():
    text = "Strategic Area 1: Outreach\n\nGoals: Outreach reaches every county.\n\n- Visit every county\n"
    area = parse_plan(text, plan_id="demo", profile="core").areas[0]
    assert [(it.kind, len(it.children)) for it in area.items] == [("goal", 0), ("goal", 0)]


def test_numbered_goal_with_its_own_dotted_actions_stays_a_goal():
    text = textwrap.dedent("""\
        Strategic Area 1: Learning

        Goal: Members learn.

        1. Offer courses
        1.1 Run a webinar
        1.2 Run a workshop
        """)
    area = parse_plan(text, plan_id="demo", profile="core").areas[0]
    assert [(it.id, it.kind) for it in area.items] == [("demo/1/#1", "goal"), ("demo/1/1", "goal")]
    assert [ch.id for ch in area.items[1].children] == ["demo/1/1.1", "demo/1/1.2"]


def test_goal_no_actions_no_longer_fires_for_each_action():
    rows = find_gaps([_plan("**Goal:**")])
    assert rows[rows.rule == "goal-no-actions"].subject.tolist() == []
    plain = find_gaps([_plan("Goal:")])
    assert plain[plain.rule == "goal-no-actions"].subject.tolist() == []
