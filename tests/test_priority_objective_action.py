"""Plans divided into "Strategic Priority N" (or "Priority N", "Strategic Direction N") with
"Objective N.N" goals and "Action N.N.N" actions whose owners follow an inline "Lead:" label
(tests/fixtures/plans/priority-objective-action.txt): the ``goals`` profile reads them, the
inference picks it, and a line ending "... Lead: Program Committee" is never cut off."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from coreplan_analysis import parse_plan, read_plan
from coreplan_analysis._parser import score_parse

PLAN = FIXTURES / "plans" / "priority-objective-action.txt"


def _check_reading(plan):
    assert [(a.number, a.title) for a in plan.areas] == [
        ("1", "Advance Evidence-Based Practice"), ("2", "Grow and Engage Membership"),
        ("3", "Advocate for Health Information Access")]
    goals = [it for a in plan.areas for it in a.items]
    assert [g.kind for g in goals] == ["goal"] * 6
    assert [g.number for g in goals] == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2"]
    actions = [c for g in goals for c in g.children]
    assert len(actions) == 13 and {c.kind for c in actions} == {"action"}
    assert actions[0].number == "1.1.1"
    assert actions[0].text == "Develop a certificate course in systematic review methods."
    assert actions[0].owners == ("Education Committee",)
    by_number = {c.number: c for c in actions}
    assert by_number["2.1.1"].owners == ("Membership Committee", "Treasurer")
    assert by_number["2.1.1"].text == "Offer a discounted student membership rate."
    assert by_number["1.1.3"].owners == ("Program Committee",)
    assert all(c.owners for c in actions)
    assert not any(a.statement for a in plan.areas)
    assert [d for d in plan.diagnostics if d.severity != "info"] == []
    kinds = [s.kind for s in plan.sections]
    assert {"vision", "mission", "accountability"} <= set(kinds)
    (acc,) = [s for s in plan.sections if s.kind == "accountability"]
    assert acc.title == "Measuring Success"


def test_inferred_reading_picks_goals():
    plan = read_plan(PLAN)
    assert plan.profile == "goals"
    _check_reading(plan)


def test_goals_profile_reads_numbered_strategic_priorities():
    _check_reading(read_plan(PLAN, profile="goals"))


@pytest.mark.parametrize("head", ["Strategic Priority 2: Grow Membership", "Priority 2: Grow Membership",
                                  "Strategic Direction 2 - Grow Membership", "PRIORITY 2. Grow Membership",
                                  "Goal 2: Grow Membership"])
@pytest.mark.parametrize("word", ["Action", "Strategy", "Tactic"])
def test_goals_profile_area_and_action_labels(head, word):
    text = (f"{head}\n\nObjective 2.1: Recruit students.\n{word} 2.1.1: Offer a student rate. Lead: Treasurer\n"
            f"{word} 2.1.2: Found chapters. Lead: Membership Committee; Treasurer\n")
    for profile in ("goals", None):
        plan = parse_plan(text, profile=profile)
        assert [(a.number, a.title) for a in plan.areas] == [("2", "Grow Membership")]
        (goal,) = plan.areas[0].items
        assert (goal.kind, goal.number, goal.text) == ("goal", "2.1", "Recruit students.")
        assert [(c.kind, c.number, c.owners) for c in goal.children] == [
            ("action", "2.1.1", ("Treasurer",)), ("action", "2.1.2", ("Membership Committee", "Treasurer"))]
        assert not [d for d in plan.diagnostics if d.kind == "truncated"]


def test_items_left_in_statements_lower_the_score():
    """Core reads the labelled lines as the areas' statements: that explains every line, but
    the numbered items it left unread are trouble, and the goals reading scores higher."""
    text = PLAN.read_text(encoding="utf-8")
    lines = text.splitlines()
    core = parse_plan(text, profile="core")
    assert all(a.statement for a in core.areas) and not list(core.items())
    core_score, facts = score_parse(core, lines)
    assert facts["buried"] == 19
    goals_score, goals_facts = score_parse(parse_plan(text, profile="goals"), lines)
    assert goals_facts["buried"] == 0
    assert goals_score == 1.0 > core_score
    # A reading forced on the plan (a catalog's "profile: core") says what it left unread.
    layout = [(d.line, d.severity, d.message) for d in core.diagnostics if d.kind == "layout"]
    assert [(line, sev, msg.split(" (such")[0]) for line, sev, msg in layout] == [
        (a.span[0], "warning", f"{n} numbered item lines") for a, n in zip(core.areas, (7, 6, 6))]
    assert layout[0][2].endswith("read as the text of area 1, not as its goals and actions, with the profile "
                                 "'core': another profile may read them (coreplan profiles; --profile NAME)")
    assert not [d for d in parse_plan(text, profile="goals").diagnostics if d.kind == "layout"]
    # A numbered reference in prose is not an item line.
    prose = parse_plan("Strategic Area 1: Members\n\nThis area answers Bylaws Article 4.2: members come first.\n\n"
                       "1. Do it.\n", profile="core")
    assert prose.areas[0].statement and not [d for d in prose.diagnostics if d.kind == "layout"]


def test_prose_ending_with_inline_owners_is_not_truncated():
    text = ("Strategic Area 1: Education\n\n"
            "Host an annual workshop at the national meeting. Lead: Program Committee\n\n"
            "Publish a searching guide for clinical questions Lead: Research Section\n")
    plan = parse_plan(text, profile="core")
    assert plan.areas[0].statement
    assert not [d for d in plan.diagnostics if d.kind == "truncated"]


@pytest.mark.parametrize("tail", ["Host an annual workshop at the Lead: Program Committee",  # cut before the label
                                  "Host an annual workshop. Lead: the Board and"])  # the names cut off
def test_prose_cut_off_before_or_after_an_owner_label_is_truncated(tail):
    plan = parse_plan(f"Strategic Area 1: Education\n\n{tail}\n", profile="core")
    assert [d.kind for d in plan.diagnostics if d.kind == "truncated"] == ["truncated"]
