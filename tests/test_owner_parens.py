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


# --- owners in a trailing parenthesis ------------------------------------------------------------

ROLES = """\
Strategic Area 1: Money

1. Raise funds for the new building campaign this year (Treasurer)
2. Audit the association books every spring (Finance Committee; Treasurer)
3. Pay the association bills on time each month (Finance Committee; Bookkeeper)
4. Write a guide to summer reading for small libraries (Youth Services Round Table)
5. Move bookkeeping to a shared cloud system (Operations Manager)
6. Run a forum for chapter leaders at the annual conference (Chapter Relations Council)
7. Brief the board on the audit (Core Board; Treasurer).
8. Restore the archive (Preservation Committee; Regional Conservator)
"""


def test_role_words_in_a_trailing_parenthesis_are_owners():
    plan = parse_plan(ROLES, plan_id="t", profile="core")
    got = [(it.text, it.owners, it.owners_raw) for it in _items(plan)]
    assert got == [
        ("Raise funds for the new building campaign this year", ("Treasurer",), "Treasurer"),
        ("Audit the association books every spring", ("Finance Committee", "Treasurer"), "Finance Committee; Treasurer"),
        ("Pay the association bills on time each month", ("Finance Committee", "Bookkeeper"),
         "Finance Committee; Bookkeeper"),
        ("Write a guide to summer reading for small libraries", ("Youth Services Round Table",),
         "Youth Services Round Table"),
        ("Move bookkeeping to a shared cloud system", ("Operations Manager",), "Operations Manager"),
        ("Run a forum for chapter leaders at the annual conference", ("Chapter Relations Council",),
         "Chapter Relations Council"),
        # canonical names from the registry where known ("Core Board" is the Board of Directors)
        ("Brief the board on the audit.", ("Board of Directors", "Treasurer"), "Core Board; Treasurer"),
        # some parts known, the others read as names: owners as written
        ("Restore the archive", ("Preservation Committee", "Regional Conservator"),
         "Preservation Committee; Regional Conservator"),
    ]
    assert [d for d in plan.diagnostics if d.severity != "info"] == []


ASIDES = """\
Strategic Area 1: Asides

1. Grow sponsorships for new members (e.g., sponsored memberships)
2. Offer a reduced rate for students (see below)
3. Publish a study of why members leave (Okafor & Lindqvist, 2019)
4. Update the grants page for the federal program (HEA)
5. Replace the membership database before renewals (urgent priority)
6. Host a reading challenge for families (Summer)
7. Move the conference (Spring 2025)
8. Audit the books (Finance Committee; Phase 2)
9. Report to the parent body (Finance Committee; ALA)
10. Offer a second session (Optional)
11. Host a summer camp (Youth Committee; Summer)
"""


def test_examples_asides_dates_and_acronyms_are_not_owners():
    plan = parse_plan(ASIDES, plan_id="t", profile="core")
    items = _items(plan)
    assert [(it.owners, it.owners_raw) for it in items] == [((), None)] * 11
    assert all(it.text.endswith(")") for it in items)
    assert [d for d in plan.diagnostics if d.severity != "info"] == []


def test_a_parenthesis_of_unknown_names_is_kept_and_reported():
    text = ("Strategic Area 1: Events\n\n"
            "1. Plan a fundraising gala for the scholarship endowment (Gala Planners)\n"
            "2. Keep the association's records (Registrar)\n")
    plan = parse_plan(text, plan_id="t", profile="core")
    items = _items(plan)
    assert [(it.text, it.owners, it.owners_raw) for it in items] == [
        ("Plan a fundraising gala for the scholarship endowment (Gala Planners)", (), None),
        ("Keep the association's records (Registrar)", (), None),
    ]
    warned = [(d.line, d.severity, d.kind) for d in plan.diagnostics if d.kind == "owners"]
    assert warned == [(3, "warning", "owners"), (4, "warning", "owners")]
    assert "(Gala Planners) at the end of item 1 may name owners" in plan.diagnostics[
        [d.kind for d in plan.diagnostics].index("owners")].message


def test_italic_trailing_phrase_still_needs_a_body_word():
    text = "Strategic Area 1: Events\n\n1. Redesign the welcome packet. *Treasurer*\n2. Hold socials. *soon*\n"
    items = _items(parse_plan(text, plan_id="t", profile="core"))
    assert [(it.text, it.owners) for it in items] == [
        ("Redesign the welcome packet.", ("Treasurer",)),
        ("Hold socials. soon", ()),  # emphasis, not owners
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


def test_a_bare_owner_label_adds_nothing_and_hides_no_owners():
    # A "Lead:" line with no name used to append "()" to its item, which then read as the
    # (empty) owners and left the real owner parenthesis in the text.
    text = ("Strategic Area 1: Members\n\n"
            "1. Track member engagement. (Communications Committee; Leadership Team)\nLead:\n"
            "2. Publish a newsletter.\nLead: Program Committee\n")
    got = [(it.text, it.owners_raw, it.span) for it in _items(parse_plan(text, plan_id="t", profile="core"))]
    assert got == [("Track member engagement.", "Communications Committee; Leadership Team", (3, 4)),
                   ("Publish a newsletter.", "Program Committee", (5, 6))]


def test_a_name_read_as_owner_beside_a_known_body_is_said():
    text = ("Strategic Area 1: Members\n\n"
            "1. Launch the mentoring pilot (Leadership Development and Mentoring Committee; Phase Two).\n"
            "2. Plan the budget (Finance Committee; Treasurer).\n")
    plan = parse_plan(text, plan_id="t", profile="core")
    assert [it.owners for it in _items(plan)] == [
        ("Leadership Development and Mentoring Committee", "Phase Two"), ("Finance Committee", "Treasurer")]
    assert [(d.line, d.severity, d.message) for d in plan.diagnostics if d.kind == "owners"] == [
        (3, "info", "(Leadership Development and Mentoring Committee; Phase Two) at the end of item 1: Phase Two "
                    "read as owner beside a known body, though no known body or role word names it")]


def test_owners_listed_with_commas_are_split_only_when_each_piece_is_an_owner():
    def owners(paren):
        plan = parse_plan(f"Strategic Area 1: Members\n\n1. Plan the budget ({paren}).\n", plan_id="t", profile="core")
        return _items(plan)[0].owners

    assert owners("Finance Committee, Treasurer") == ("Finance Committee", "Treasurer")
    assert owners("Board of Directors, Executive Committee") == ("Board of Directors", "Executive Committee")
    # One body whose name holds commas, or a phrase after a comma, stays whole.
    assert owners("Library Leadership, Administration, and Management Section") == (
        "Library Leadership, Administration, and Management Section",)
    assert owners("Membership Committee, with help from staff") == ("Membership Committee, with help from staff",)
