"""Outline inference (issue 3): with no profile the parser picks the reading that explains the
text best and says which, with its confidence; the seeds read exactly as with ``core``."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, PLAN_2021, PLAN_2022, outline

from coreplan_analysis import parse_plan, read_plan
from coreplan_analysis._parser import INFER_SAMPLE_CHARS, score_parse
from coreplan_analysis._profile import infer_profile, load_profile

PLANS = FIXTURES / "plans"


def profile_diag(plan):
    (d,) = [d for d in plan.diagnostics if d.kind == "profile"]
    assert d.severity == "info" and d.line is None
    return d.message


def confidence(plan) -> float:
    return float(re.search(r"confidence (\d\.\d\d)", profile_diag(plan)).group(1))


# -- the seeds: inferred == core -----------------------------------------------------------------
@pytest.mark.parametrize("path", [PLAN_2021, PLAN_2022], ids=["2021", "2022"])
def test_inferred_outline_equals_core_on_seeds(path):
    text = path.read_text(encoding="utf-8")
    inferred = parse_plan(text, plan_id="seed")
    by_core = parse_plan(text, plan_id="seed", profile="core")
    assert inferred.profile == "core"
    assert outline(inferred) == outline(by_core)
    assert inferred.to_dict()["areas"] == by_core.to_dict()["areas"]
    strip = lambda p: [d for d in p.diagnostics if d.kind != "profile"]  # noqa: E731
    assert strip(inferred) == strip(by_core)
    assert profile_diag(inferred).startswith("profile inferred: 'core' explains")
    assert profile_diag(by_core) == "read with profile 'core'"


def test_seed_confidence_figures():
    p21 = parse_plan(PLAN_2021.read_text(encoding="utf-8"), plan_id="a")
    p22 = parse_plan(PLAN_2022.read_text(encoding="utf-8"), plan_id="b")
    # 2021: the 7-line intro is unstructured prose (60 of 67 lines explained), nothing wrong
    assert profile_diag(p21) == ("profile inferred: 'core' explains 90% of the lines (3 areas, 16 items; 0 unread, "
                                 "0 numbering gaps, 0 lost headings); confidence 0.90")
    # 2022: the damage costs confidence (two numbering gaps, one lost area heading)
    assert "(2 areas, 14 items; 0 unread, 2 numbering gaps, 1 lost headings)" in profile_diag(p22)
    assert confidence(p22) == 0.66 < confidence(p21)


def test_catalogued_seed_keeps_its_profile():
    assert profile_diag(read_plan(PLAN_2022)) == "read with profile 'core'"


# -- each shape picks the right reading ----------------------------------------------------------
PICKS = [
    ("roman-outline", "outline", ["I", "II", "III"]),
    ("caps-goals-objectives", "goals", ["1", "2", "3"]),
    ("number-words", "goals", ["One", "Two", "Three", "Four"]),
    ("objective-divisions", "inferred", ["1", "2", "3"]),
    ("sentence-titles", "inferred", ["1", "2", "3"]),
    ("indent-bullets", "inferred", [None, None]),
    ("markdown-headings", "inferred", [None, None]),
    ("strategic-direction-words", "core", ["ONE", "TWO", "THREE", "FOUR"]),
    ("goal-area-labels", "core", [None, None, None]),
    ("summary-repeated", "core", ["1", "2", "3"]),
]


@pytest.mark.parametrize("stem,profile,numbers", PICKS, ids=[p[0] for p in PICKS])
def test_shape_picks_profile(stem, profile, numbers):
    plan = read_plan(PLANS / f"{stem}.txt")
    assert plan.profile == profile
    assert [a.number for a in plan.areas] == numbers
    assert confidence(plan) >= 0.9
    assert not [d for d in plan.diagnostics if d.kind in ("unparsed", "missing-heading")]


def test_diagnostic_names_the_inference_and_the_runners_up():
    msg = profile_diag(read_plan(PLANS / "objective-divisions.txt"))
    assert msg == ("profile inferred: inferred from the text (areas from 'Objective N' lines) explains 100% of the "
                   "lines (3 areas, 10 items; 0 unread, 0 numbering gaps, 0 lost headings); confidence 1.00; "
                   "also tried core 0.75, goals 0.75")
    msg = profile_diag(read_plan(PLANS / "roman-outline.txt"))
    assert msg.startswith("profile inferred: 'outline' explains 100% of the lines")
    assert msg.endswith("also tried inferred 1.00, core 0.75, goals 0.75")


def test_ties_prefer_core_then_bundled_then_inferred():
    # values-lettered reads the same with core and outline (its "I." is the letter after "H."): core wins
    plan = read_plan(PLANS / "values-lettered.txt")
    assert plan.profile == "core"
    assert profile_diag(plan).endswith("also tried outline 1.00")
    assert [a.title for a in plan.areas] == ["Shared Systems", "Member Support"]


def test_core_shaped_text_tries_nothing_else():
    plan = read_plan(PLANS / "owners-forms.txt")
    assert "also tried" not in profile_diag(plan)


def test_workspace_profile_joins_the_candidates(tmp_path):
    ws = tmp_path / "ws"
    (ws / "profiles").mkdir(parents=True)
    # a user's profile for plans whose divisions are "Initiative N -" lines
    (ws / "profiles" / "initiatives.yaml").write_text(
        "name: initiatives\narea:\n  patterns: ['^Initiative (?P<number>\\d+) - (?P<title>.+)$']\n", encoding="utf-8")
    text = ("Initiative 1 - Reading\n\n1. Buy books.\n2. Hire tutors.\n\n"
            "Initiative 2 - Writing\n\n1. Run a zine workshop.\n")
    plan = parse_plan(text, plan_id="x", workspace=ws)
    assert plan.profile == "initiatives"
    assert [(a.number, a.title) for a in plan.areas] == [("1", "Reading"), ("2", "Writing")]
    assert "also tried" in profile_diag(plan) and "core" in profile_diag(plan)


def test_malformed_workspace_profile_is_skipped_and_named(tmp_path):
    ws = tmp_path / "ws"
    (ws / "profiles").mkdir(parents=True)
    (ws / "profiles" / "broken.yaml").write_text("area: {colour: red}\n", encoding="utf-8")
    plan = parse_plan("Strategic Area 1: Access\n\n1. Open on Sundays.\n", plan_id="x", workspace=ws)
    assert plan.profile == "core"
    assert "skipped malformed broken (" in profile_diag(plan)
    with pytest.raises(Exception, match="unknown key 'area.colour'"):
        parse_plan("x", profile="broken", workspace=ws)  # named explicitly, it is refused


# -- infer_profile: what the text shows ----------------------------------------------------------
@pytest.mark.parametrize("text,notes", [
    ("GOAL 1.\nAccess\n\nObjective 1.1 Open.\n\nGOAL 2.\nLearning\n", ["areas from 'Goal N' lines",
                                                                        "items from 'Objective N' lines"]),
    ("Intro.\n\nI. Advocacy\nA. Do it.\n\nII. Learning\nA. Teach.\n", ["areas from Roman numerals (I., II.)"]),
    ("Intro.\n\nA. Advocacy\n1. Do it.\n\nB. Learning\n1. Teach.\n", ["areas from capital letters (A., B.)"]),
    ("# Plan\n\n## Access\n- Open.\n\n## Learning\n- Teach.\n", ["areas from level-2 Markdown headings"]),
    ("Plan 2025\n\nIntro.\n\nACCESS FOR ALL\n- Open.\n\nLEARNING\n- Teach.\n", ["areas from ALL-CAPS headings"]),
    ("Plan 2025\n\nIntro.\n\nAccess for All\n- Open.\n\nLearning Together\n- Teach.\n",
     ["areas from title lines followed by lists"]),
    ("Areas of Focus\n\n1. Membership\n\nGoal: Grow.\n\nActions:\n\n1. Survey.\n", []),
])
def test_infer_profile_notes(text, notes):
    prof, got = infer_profile(text)
    assert got == notes
    assert (prof is None) == (not notes)


def test_values_letters_are_not_divisions():
    text = (PLANS / "values-lettered.txt").read_text()
    prof, notes = infer_profile(text)
    assert "areas from capital letters (A., B.)" not in notes


def test_stop_words_are_not_divisions():
    prof, notes = infer_profile("Page 1\n\nTable 2: Budget\n\nPhase 1: Plan\nPhase 2: Build\n")
    assert prof is None and notes == []


# -- the score -----------------------------------------------------------------------------------
def test_score_parse_prefers_the_right_reading():
    text = (PLANS / "roman-outline.txt").read_text()
    lines = text.splitlines()
    right = parse_plan(text, profile="outline", plan_id="x")
    wrong = parse_plan(text, profile="core", plan_id="x")
    s_right, f_right = score_parse(right, lines)
    s_wrong, f_wrong = score_parse(wrong, lines)
    assert (s_right, f_right["areas"], f_right["lost"]) == (1.0, 3, 0)
    assert (s_wrong, f_wrong["areas"], f_wrong["lost"]) == (0.75, 1, 1)


def test_score_of_empty_text_is_zero():
    plan = parse_plan("\n\n", profile="core")
    assert score_parse(plan, ["", ""]) == (0.0, {"lines": 0})


def test_a_reading_with_no_area_scores_zero_and_says_so():
    # "Mission" opens a section; with the core profile "GOAL 1:" lines are that section's text,
    # so every line is "explained" by a parse that read no plan at all. It scores 0, and the
    # goals profile, which reads the goals, wins.
    text = (PLANS / "mission-before-goals.txt").read_text()
    swallowed = parse_plan(text, profile="core", plan_id="x")
    assert [s.kind for s in swallowed.sections] == ["mission"] and swallowed.areas == ()
    assert score_parse(swallowed, text.splitlines())[0] == 0.0
    assert [(d.severity, d.kind, d.message) for d in swallowed.diagnostics if d.kind == "empty"] == [
        ("warning", "empty", "no areas, goals or actions read with the profile 'core': if the text has them, "
                             "another profile may read them (coreplan profiles; --profile NAME)")]
    plan = parse_plan(text, plan_id="x")
    assert plan.profile == "goals" and len(plan.leaves()) == 2
    assert profile_diag(plan).endswith("confidence 1.00; also tried inferred 1.00, core 0.00")
    assert not [d for d in plan.diagnostics if d.kind == "empty"]


def test_large_text_compared_on_a_sample():
    block = "".join(f"Strategic Area {k}: Area {k}\n\n1. Do thing {k}.\n\n" for k in range(1, 30))
    text = "Plan 2025-2028\n\n" + block * (INFER_SAMPLE_CHARS // len(block) + 2)
    plan = parse_plan("I. Roman\nA. x\n\nII. More\nA. y\n\n" + text, plan_id="big")
    msg = profile_diag(plan)
    assert "(compared on the first " in msg
    assert len(plan.areas) > 29 * (INFER_SAMPLE_CHARS // len(block))  # the whole text was read


def test_explicit_profile_object_is_used_as_is():
    prof = load_profile("outline")
    plan = parse_plan((PLANS / "values-lettered.txt").read_text(), profile=prof, plan_id="x")
    assert plan.profile == "outline"
    assert profile_diag(plan) == "read with profile 'outline'"


# -- what the shapes carry besides the outline ---------------------------------------------------
def sections(plan):
    return [(s.kind, s.title, s.span) for s in plan.sections]


def test_mission_vision_values_and_approval_dates():
    plan = read_plan(PLANS / "goal-area-labels.txt")
    assert sections(plan) == [
        ("title", "Association of Academic and Research Libraries: Plan for Excellence", (1, 2)),
        ("approval", None, (4, 4)), ("mission", "Mission", (6, 6)), ("vision", "Vision", (8, 8)),
        ("values", "AARL is committed to", (10, 15))]
    assert plan.period == (2011, None)  # "Effective July 1, 2011": a start, no end
    values = [s for s in plan.sections if s.kind == "values"][0]
    assert values.text.splitlines() == [
        "• visionary leadership, transformation, new ideas, and global perspectives", "• exemplary service to members",
        "• diversity and inclusion as a foundation of our work", "• collaboration within the association and beyond"]
    mission = [s for s in plan.sections if s.kind == "mission"][0]
    assert mission.text.startswith("The Association of Academic and Research Libraries (AARL) leads")


def test_lettered_values_with_letters_split_from_statements():
    plan = read_plan(PLANS / "values-lettered.txt")
    (values,) = [s for s in plan.sections if s.kind == "values"]
    lines = values.text.splitlines()
    assert lines[1:3] == ["A. Libraries are stronger together than alone.",
                          "B. Every member library has an equal voice, whatever its size."]
    assert lines[-1] == "I. Integrity guides our stewardship of public funds."  # a letter after H, not Roman one
    assert len(lines) == 10 and values.span == (4, 18)


def test_fiscal_years_give_the_period():
    assert read_plan(PLANS / "caps-goals-objectives.txt").period == (2018, 2022)


def test_summary_list_is_one_division_not_two():
    plan = read_plan(PLANS / "summary-repeated.txt")
    assert [(a.number, a.title) for a in plan.areas] == [
        ("1", "Equity of Access"), ("2", "Lifelong Learning"), ("3", "Strong Workforce")]
    summary = [s for s in plan.sections if s.kind == "summary"]
    assert [(s.span, s.text) for s in summary] == [
        ((6, 8), "1. Equity of Access\n\n2. Lifelong Learning\n\n3. Strong Workforce")]


def test_announced_count_trusts_the_list():
    plan = read_plan(PLANS / "count-mismatch.txt")
    assert len(plan.areas) == 5
    assert [(d.line, d.message) for d in plan.diagnostics if d.kind == "count-mismatch"] == [
        (6, "the text announces 'four areas' but 5 areas were found")]


def test_status_words_and_unknown_only_where_lost():
    plan = read_plan(PLANS / "number-words.txt")
    st = {it.id: (it.status.kind, it.status.date, it.status.text) for it in plan.items()}
    assert st["number-words/1/2"] == ("completed", None, "Done")
    assert st["number-words/1/3"] == ("in_progress", None, "Ongoing")
    assert st["number-words/2/2"] == ("completed", "2024-03", "Completed March 2024")
    assert st["number-words/3/2"] == ("in_progress", None, "In progress")
    assert st["number-words/4/2"] == ("unknown", None, None)  # "Status:" with the value lost
    assert st["number-words/4/1"] == ("none", None, None)  # no status at all is "none", never "unknown"
    table = read_plan(PLANS / "status-table.txt")
    assert [(i.status.kind, i.status.text) for i in table.items()] == [
        ("completed", "Done"), ("in_progress", "Ongoing"), ("unknown", None),
        ("completed", "Completed March 2024"), ("unknown", "Green")]


def test_page_furniture_and_hyphenation_in_text():
    plan = read_plan(PLANS / "page-furniture.txt")
    layout = [(d.line, d.severity, d.message) for d in plan.diagnostics if d.kind == "layout"]
    assert layout[0] == (7, "info", "a word hyphenated across lines was joined")
    assert [x[:2] for x in layout[2:]] == [(16, "warning"), (23, "warning"), (29, "warning")]
    assert layout[2][2] == ("page header or footer 'Anystate Library Association | Strategic Plan 2024-2027 | "
                            "Page 2' skipped: not part of the plan")
    intro = [s for s in plan.sections if s.kind == "intro"][0]
    assert "with members in every region" in intro.text
    assert not [d for d in plan.diagnostics if d.kind in ("unparsed", "truncated")]


def test_parentheses_that_are_not_owners():
    plan = read_plan(PLANS / "owners-forms.txt")
    got = {it.number: (it.owners, it.owners_raw) for it in plan.items() if it.number}
    for n in ("1", "2", "3", "4"):
        assert got[n] == ((), None)
    assert got["5"] == (("Membership Committee", "Communications Team"), "Membership Committee; Communications Team")
    assert got["6"] == (("Member Engagement Team",), "Member Engagement Team")
    assert got["7"] == (("Board of Directors",), "Board of Directors")
