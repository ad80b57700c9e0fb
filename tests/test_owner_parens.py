"""Owners in trailing parentheses and labelled owner lines, and status words that say work has not
begun: focused checks of real values (owners, owners_raw, status kind and text, diagnostics)."""

from __future__ import annotations

from coreplan_analysis import parse_plan


def _items(plan):
    return [it for a in plan.areas for it in a.walk()]


# --- "Not started" -------------------------------------------------------------------------------

NOT_STARTED_TABLE = """\
Strategic Area 1: Intellectual Freedom

Action | Lead | Status
--- | --- | ---
Publish a challenge-response handbook | Intellectual Freedom Committee | Completed
Set up a confidential hotline for staff | Intellectual Freedom Committee | In progress
Train trustees on collection development policies | Trustee Section | Not started
"""


def test_not_started_in_a_status_column_is_none_not_unknown():
    items = _items(parse_plan(NOT_STARTED_TABLE, plan_id="t", profile="core"))
    assert [(it.status.kind, it.status.text) for it in items] == [
        ("completed", "Completed"), ("in_progress", "In progress"), ("none", "Not started"),
    ]  # fmt: skip
    assert items[2].owners == ("Trustee Section",)


def test_not_started_and_planned_in_parentheses_and_labels():
    text = ("Strategic Area 1: Outreach\n\n"
            "1. Launch a podcast for members (Not yet started)\n"
            "2. Hold a spring retreat (Planned)\n"
            "3. Redesign the website\n"
            "   Status: Not started\n")
    items = _items(parse_plan(text, plan_id="t", profile="core"))
    assert [(it.text, it.status.kind, it.status.text) for it in items] == [
        ("Launch a podcast for members", "none", "Not yet started"),
        ("Hold a spring retreat", "none", "Planned"),
        ("Redesign the website", "none", "Not started"),
    ]


# --- a labelled owner line after a status in parentheses -----------------------------------------

LABELLED = """\
I. ADVOCACY

A. Intellectual Freedom
   1. Present the staffing data to the state board of education. (Completed)
      Responsible: President
   2. Offer legal-defence workshops for librarians facing challenges. (In progress)
      Responsible: Intellectual Freedom Committee; Legal Counsel
   3. Keep a list of pro bono lawyers for members. (Not yet started)
      Responsible: volunteer lawyers of the legal network
"""


def test_labelled_owners_after_a_status_parenthesis_keep_both():
    plan = parse_plan(LABELLED, plan_id="t", profile="outline")
    got = [(it.text, it.owners, it.owners_raw, it.status.kind, it.status.text) for it in _items(plan)][1:]
    assert got == [
        ("Present the staffing data to the state board of education.", ("President",), "President",
         "completed", "Completed"),
        ("Offer legal-defence workshops for librarians facing challenges.",
         ("Intellectual Freedom Committee", "Legal Counsel"), "Intellectual Freedom Committee; Legal Counsel",
         "in_progress", "In progress"),
        ("Keep a list of pro bono lawyers for members.", ("volunteer lawyers of the legal network",),
         "volunteer lawyers of the legal network", "none", "Not yet started"),
    ]
