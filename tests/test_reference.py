"""Tests of the reference data (data/reference/*.yaml) and its loader (coreplan_analysis._reference)."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coreplan_analysis._errors import DataError
from coreplan_analysis._paths import Workspace
from coreplan_analysis._reference import (
    Concept,
    Owner,
    OwnerRegistry,
    StatusVocabulary,
    load_owner_registry,
    load_reference,
    load_status_vocabulary,
)

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"
PLAN_2021 = RAW / "core-strategic-action-plan-2021-2022.txt"
PLAN_2022 = RAW / "core-strategic-plan-2022-2025.txt"

URL = re.compile(r"https?://\S+$")


@pytest.fixture(scope="module")
def ref():
    return load_reference()


@pytest.fixture(scope="module")
def owners():
    return load_owner_registry()


@pytest.fixture(scope="module")
def statuses():
    return load_status_vocabulary()


def write(root: Path, relpath: str, text: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- values -----------------------------------------------------------------------------------


def test_seven_core_values_in_file_order(ref):
    assert ref.value_set == "Core values"
    assert [v.name for v in ref.values] == [
        "Transparency",
        "Diversity",
        "Inclusion",
        "Knowledge Sharing",
        "Collaboration",
        "Sustainability",
        "Innovation",
    ]
    assert {v.kind for v in ref.values} == {"value"}
    assert {v.framework for v in ref.values} == {"Core values"}
    assert {v.source for v in ref.values} == {"https://core.ala.org/our-mission-vision-and-values/"}


def test_every_concept_has_a_lexicon_description_and_source(ref):
    concepts = ref.concepts()
    assert len(concepts) == 9
    for c in concepts:
        assert isinstance(c, Concept)
        assert c.description.strip(), c.name
        assert 10 <= len(c.lexicon) <= 25, (c.name, len(c.lexicon))
        assert all(w == w.lower() and w == w.strip() and w for w in c.lexicon), c.name
        assert len(set(c.lexicon)) == len(c.lexicon), c.name
        assert c.source and URL.match(c.source), c.name


@pytest.mark.parametrize(
    "value, words",
    [
        ("Knowledge Sharing", ["mentoring", "train-the-trainer", "webinars", "skills"]),
        ("Sustainability", ["fundraising", "sustainable", "long-term"]),
        ("Transparency", ["report to members", "quarterly", "communication"]),
        ("Inclusion", ["barriers", "accessible", "widest possible"]),
        ("Diversity", ["diverse", "equity", "social justice"]),
        ("Innovation", ["emerging trends", "new models", "decentralized"]),
        ("Collaboration", ["partnerships", "work with", "across other divisions"]),
    ],
)
def test_lexicons_carry_the_plans_words(ref, value, words):
    concept = next(v for v in ref.values if v.name == value)
    for word in words:
        assert word in concept.lexicon


def test_canonical_value(ref):
    assert ref.canonical_value("knowledge  sharing") == "Knowledge Sharing"
    assert ref.canonical_value("Equity") is None


# --- streams and frameworks ---------------------------------------------------------------------


def test_pivot_strategy_and_its_two_named_streams(ref):
    assert [fw.name for fw in ref.frameworks] == ["ALA Pivot Strategy"]
    fw = ref.frameworks[0]
    assert fw.title == "The Pathway to Transformation"
    assert fw.period == (2021, 2026)
    assert fw.source == "https://www.ala.org/aboutala/strategicplan"
    assert [s.name for s in fw.streams] == ["Membership", "Continuing Education"]
    assert all(s.named_in_plan is True and s.kind == "stream" for s in fw.streams)
    assert all(s.framework == "ALA Pivot Strategy" for s in fw.streams)
    assert [c.kind for c in ref.concepts()] == ["value"] * 7 + ["stream"] * 2


@pytest.mark.parametrize(
    "alias",
    ["ALA 5-Year Pivot Strategy", "ALA Pivot Strategy", "Pivot Strategy", "pivot plan",
     "the pivot plan", "ALA's Pivot Strategy", "ala 5 year pivot strategy", "The Pathway to Transformation"],
)  # fmt: skip
def test_framework_aliases(ref, alias):
    assert ref.framework(alias).name == "ALA Pivot Strategy"


def test_unknown_framework_and_stream(ref):
    assert ref.framework("ACRL Plan for Excellence") is None
    fw = ref.framework("Pivot Strategy")
    assert fw.canonical_stream("Membership") == "Membership"
    assert fw.canonical_stream("continuing education impact stream") == "Continuing Education"
    assert fw.canonical_stream("Advocacy") is None


# --- owners -------------------------------------------------------------------------------------

OWNERS_2021_PARENTHESES = {
    "Board of Directors": "Board of Directors",
    "Communications Coordination Committee": "Communications Coordination Committee",
    "Leadership Development and Mentoring Committee": "Leadership Development and Mentoring Committee",
    "Diversity & Inclusion Committee": "Diversity and Inclusion Committee",
    "Fundraising & Sponsorships Committee": "Fundraising and Sponsorship Committee",
    "Competencies Development Committee": "Competencies Development Committee",
    "Member Engagement Coordination Committee": "Member Engagement Coordination Committee",
    "Awards & Scholarships Coordination Committee": "Awards & Scholarships Coordination Committee",
    "ALA Staff": "ALA Staff",
    "Section Leaders": "Section Leaders",
    "Content Coordination Committee": "Content Coordination Committee",
    "Advocacy Coordination Committee": "Advocacy Coordination Committee",
}


def test_every_owner_in_the_2021_plans_parentheses_is_known(owners):
    text = PLAN_2021.read_text(encoding="utf-8")
    printed = []
    for group in re.findall(r"\(\*([^)]*)\*\)", text):
        printed += [name.strip() for name in group.split(";")]
    assert list(dict.fromkeys(printed)) == list(OWNERS_2021_PARENTHESES)
    assert [owners.canonical(name) for name in OWNERS_2021_PARENTHESES] == list(
        OWNERS_2021_PARENTHESES.values()
    )


@pytest.mark.parametrize(
    "raw, canonical",
    [
        ("Diversity and Inclusion Committee", "Diversity and Inclusion Committee"),
        ("diversity &  inclusion committee", "Diversity and Inclusion Committee"),
        ("Fundraising and Sponsorships Committee", "Fundraising and Sponsorship Committee"),
        ("Fundraising & Sponsorship Committees", "Fundraising and Sponsorship Committee"),
        ("Core Continuing Education Committee", "Continuing Education Coordination Committee"),
        ("the Core Board of Directors", "Board of Directors"),
        ("Core Board", "Board of Directors"),
        ("Section leaders", "Section Leaders"),
        ("Section Leader", "Section Leaders"),
        ("*Board of Directors*", "Board of Directors"),
        ("Awards and Scholarships Coordination Committee", "Awards & Scholarships Coordination Committee"),
        ("Leadership Development & Mentoring Committee", "Leadership Development and Mentoring Committee"),
        ("Organization & Bylaws Committee", "Bylaws and Organization Committee"),
        ("ALA-APA", "ALA Allied Professional Association"),
        ("Metadata and Collections Section", "Metadata & Collections Section"),
        ("Leadership Team", "Leadership Team"),
    ],
)
def test_alias_drift(owners, raw, canonical):
    assert owners.canonical(raw) == canonical


@pytest.mark.parametrize("raw", ["ALA", "Core", "the", "urgent priority", "see below", "Committee", "", "   "])
def test_unknown_names_are_none(owners, raw):
    assert owners.canonical(raw) is None


def test_normalize_and_kind(owners):
    assert owners.normalize("Diversity & Inclusion Committee") == "Diversity and Inclusion Committee"
    assert owners.normalize("  *Friends of the  Library* ;") == "Friends of the Library"
    assert owners.kind("Board of Directors") == "board"
    assert owners.kind("Advocacy Coordination Committee") == "coordination committee"
    assert owners.kind("Technology Section") == "section"
    assert owners.kind("ALA Staff") == "staff"
    assert owners.kind("Leadership Team") == "leadership"
    assert owners.kind("ALA Washington Office") == "partner"
    assert owners.kind("Interest Group Chairs") == "group"
    assert owners.kind("Nobody") is None


def test_registry_covers_bodies_in_prose_sections_and_listed_committees(owners):
    names = {o.name for o in owners.owners}
    for name in [
        "Leadership Team", "ALA Washington Office", "ALA Allied Professional Association",
        "Committee Chairs", "Interest Group Chairs", "Continuing Education Coordination Committee",
        "Metadata & Collections Section", "Leadership & Management Section", "Technology Section",
        "Buildings and Operations Section", "Learning and Programming Coordination Committee",
        "Publications Coordination Committee", "Standards Coordination Committee",
        "Program Conference Coordination Committee", "Budget and Finance Committee",
        "Bylaws and Organization Committee", "Preservation Outreach Committee", "Forum Planning Committee",
    ]:  # fmt: skip
        assert name in names


def test_owner_parents_and_sources(owners):
    names = {o.name for o in owners.owners}
    for owner in owners.owners:
        assert owner.parent is None or owner.parent in names
        assert owner.source is None or URL.match(owner.source)
    assert owners.get("Leadership Development & Mentoring Committee").parent == "Leadership & Management Section"
    assert owners.get("ALA Washington Office").parent == "American Library Association"
    assert owners.get("Board of Directors").source == "https://handbook.alacore.org/chairs-toolkit/working-with-core/"


ACTION_3_2 = (
    "Build an advocacy strategy against which proposals, initiatives, requests for advocacy action, "
    "and our investments are evaluated, resources are allocated, and partnerships and relationships "
    "are developed across other divisions and groups within ALA that are also engaged in advocacy work "
    "(e.g., ALA Washington Office; ALA Allied Professional Association)."
)


def test_action_3_2_text_is_the_real_one():
    assert ACTION_3_2 in PLAN_2021.read_text(encoding="utf-8")


def test_find_mentions_action_3_2(owners):
    assert owners.find_mentions(ACTION_3_2) == ["ALA Washington Office", "ALA Allied Professional Association"]
    line = next(l for l in PLAN_2021.read_text(encoding="utf-8").splitlines() if l.startswith("2. Build an advocacy"))
    assert owners.find_mentions(line) == [
        "ALA Washington Office",
        "ALA Allied Professional Association",
        "Advocacy Coordination Committee",
    ]


def test_generic_lowercase_board_is_not_a_mention(owners):
    assert owners.find_mentions("Work with board and other groups") == []
    text = "(New goal as of 2023) Work with board and other groups to push forward initiatives"
    assert text in PLAN_2022.read_text(encoding="utf-8")
    assert owners.find_mentions(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Board of Directors and the ALA Staff will work together to issue quarterly updates to members.",
         ["Board of Directors", "ALA Staff"]),
        ("**April-May 2021:** Leadership Team and Section leaders will engage with Committee Chairs and "
         "Interest Group Chairs, especially those assigned specific action items.",
         ["Leadership Team", "Section Leaders", "Committee Chairs", "Interest Group Chairs"]),
        ("Refine the charge for a new [Advocacy Coordination Committee](#) that clearly defines",
         ["Advocacy Coordination Committee"]),
        ("content managed through the Core Continuing Education Committee and by ALA Staff",
         ["Continuing Education Coordination Committee", "ALA Staff"]),
        ("Approved by the Core Board of Directors April 18, 2024", ["Board of Directors"]),
        ("the Diversity & Inclusion Committee and the Diversity and Inclusion Committee",
         ["Diversity and Inclusion Committee"]),
        ("leadership team, section leaders and staff", []),
        ("", []),
    ],
)  # fmt: skip
def test_find_mentions(owners, text, expected):
    assert owners.find_mentions(text) == expected


def test_find_mentions_prefers_the_longest_overlapping_name():
    reg = OwnerRegistry([
        Owner("Advocacy Coordination Committee", "coordination committee", (), None, None),
        Owner("Coordination Committee", "group", (), None, None),
    ])  # fmt: skip
    assert reg.find_mentions("the Advocacy Coordination Committee met") == ["Advocacy Coordination Committee"]
    assert reg.find_mentions("a Coordination Committee met") == ["Coordination Committee"]


def test_registry_refuses_colliding_names():
    with pytest.raises(ValueError, match="reads the same"):
        OwnerRegistry([
            Owner("Fundraising and Sponsorship Committee", "committee", (), None, None),
            Owner("Fundraising & Sponsorships Committee", "committee", (), None, None),
        ])  # fmt: skip


# --- statuses -----------------------------------------------------------------------------------


def test_status_kinds(statuses):
    assert list(statuses.kinds) == ["completed", "revised", "new", "in_progress", "none", "unknown"]


def test_the_status_strings_of_the_2022_2025_plan(statuses):
    printed = re.findall(r"^\s*- [\d.]+ \(([^)]*)\)", PLAN_2022.read_text(encoding="utf-8"), re.M)
    assert list(dict.fromkeys(printed)) == ["Revision March 2024", "New goal as of 2023", "Completed"]
    assert [statuses.match(s) for s in dict.fromkeys(printed)] == [
        ("revised", "2024-03"),
        ("new", "2023"),
        ("completed", None),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("(Completed)", ("completed", None)),
        ("Done", ("completed", None)),
        ("Complete", ("completed", None)),
        ("*Completed.*", ("completed", None)),
        ("Completed March 2024", ("completed", "2024-03")),
        ("(Revision March 2024)", ("revised", "2024-03")),
        ("Revised November 2022", ("revised", "2022-11")),
        ("Revised Sept. 2023", ("revised", "2023-09")),
        ("Updated 2024-04", ("revised", "2024-04")),
        ("(New goal as of 2023)", ("new", "2023")),
        ("New", ("new", None)),
        ("NEW", ("new", None)),
        ("(In progress)", ("in_progress", None)),
        ("Ongoing", ("in_progress", None)),
        ("Underway", ("in_progress", None)),
        ("Status unknown", ("unknown", None)),
        # Words that say work has not begun: no kind of the model says "not started", so "none"
        # (the item's status text keeps the words); never "unknown", never "in_progress".
        ("Not started", ("none", None)),
        ("(Not yet started)", ("none", None)),
        ("NOT STARTED.", ("none", None)),
        ("Not begun", ("none", None)),
        ("Planned", ("none", None)),
        ("Started", ("in_progress", None)),
    ],
)
def test_status_match(statuses, text, expected):
    assert statuses.match(text) == expected


@pytest.mark.parametrize(
    "text", ["Track member engagement", "New members", "ALA", "urgent priority", "see below", "", "()", "2023"]
)
def test_not_a_status(statuses, text):
    assert statuses.match(text) is None


def test_status_at_an_items_start(statuses):
    assert statuses.match_prefix("(Completed) Align journals on single platform and general practices") == (
        "completed", None, "Completed", "Align journals on single platform and general practices",
    )  # fmt: skip
    assert statuses.match_prefix("Ongoing - Track member engagement") == (
        "in_progress", None, "Ongoing", "Track member engagement",
    )  # fmt: skip
    assert statuses.match_prefix("Revised November 2022: Offer webinars") == (
        "revised", "2022-11", "Revised November 2022", "Offer webinars",
    )  # fmt: skip
    assert statuses.match_prefix("(ALA) members") is None
    assert statuses.match_prefix("Develop member engagement survey") is None


# --- bad data -----------------------------------------------------------------------------------

GOOD_VALUES = """\
set: Test values
organisation: Test Association
source: https://example.org/values
values:
  - name: Openness
    description: Being open.
    lexicon: [open, report]
"""


@pytest.mark.parametrize(
    "text, line, words",
    [
        # a value without its lexicon
        (GOOD_VALUES.replace("    lexicon: [open, report]\n", ""), 5, ["values[0]", "'lexicon'"]),
        # a lexicon that is a number
        (GOOD_VALUES.replace("[open, report]", "5"), 7, ["values[0].lexicon", "a list"]),
        # a Python object tag
        (GOOD_VALUES.replace("Being open.", "!!python/object:os.system {}"), 6, ["unsafe"]),
        # no top-level set
        (GOOD_VALUES.replace("set: Test values\n", ""), 1, ["'set'"]),
        # a misspelt key
        (GOOD_VALUES.replace("    description:", "    descripton:"), 6, ["unknown key 'descripton'"]),
        # a lexicon entry that is not lowercase
        (GOOD_VALUES.replace("[open, report]", "[open, Report]"), 7, ["lowercase", "'Report'"]),
        # a source that is not a URL
        (GOOD_VALUES.replace("https://example.org/values", "Core's page"), 3, ["source", "URL"]),
        # invalid YAML
        (GOOD_VALUES.replace("[open, report]", "[open, report"), None, ["invalid YAML"]),
        # not a mapping at all
        ("- just\n- a list\n", 1, ["expected a mapping"]),
        ("", None, ["an empty file"]),
    ],
)
def test_malformed_values_file(tmp_path, text, line, words):
    path = write(tmp_path, "reference/values.yaml", text)
    with pytest.raises(DataError) as info:
        load_reference(tmp_path)
    err = info.value
    assert str(path) in str(err)
    assert err.path == str(path)
    if line is not None:
        assert err.line == line
    for word in words:
        assert word in err.message


def test_malformed_owner_files(tmp_path):
    base = "owners:\n  - name: Board of Directors\n    kind: board\n"
    cases = [
        (base.replace("kind: board", "kind: council"), 3, "kind 'council'"),
        (base + "    aliases: Board\n", 4, "expected a list"),
        (base + "  - name: Board of Director\n    kind: board\n", 4, "reads the same"),
        (base + "    parent: Executive Board\n", 4, "'Executive Board'"),
        (base.replace("    kind: board\n", ""), 2, "'kind'"),
        ("owners: []\n", 1, "non-empty"),
    ]
    for text, line, word in cases:
        path = write(tmp_path, "reference/owners.yaml", text)
        os.utime(path, ns=(1, len(text)))  # a fresh cache key for every case
        with pytest.raises(DataError) as info:
            load_owner_registry(tmp_path)
        assert str(path) in str(info.value), text
        assert info.value.line == line, text
        assert word in info.value.message, text


def test_malformed_status_files(tmp_path):
    base = "kinds: [completed, none]\npatterns:\n  - kind: completed\n    pattern: 'done'\n    examples: [Done]\n"
    cases = [
        (base.replace("[Done]", "[Finished]"), 5, "reads as no status"),
        (base.replace("'done'", "'(done'"), 4, "not a valid regular expression"),
        (base.replace("kinds: [completed, none]", "kinds: [completed, halted]"), 1, "'halted'"),
        (base.replace("kind: completed", "kind: new"), 3, "'new' is not one of kinds"),
    ]
    for text, line, word in cases:
        path = write(tmp_path, "reference/statuses.yaml", text)
        os.utime(path, ns=(1, len(text)))
        with pytest.raises(DataError) as info:
            load_status_vocabulary(tmp_path)
        assert str(path) in str(info.value), text
        assert info.value.line == line, text
        assert word in info.value.message, text


def test_missing_workspace_folder(tmp_path):
    with pytest.raises(DataError, match="workspace folder not found"):
        load_reference(tmp_path / "nowhere")


# --- workspaces ---------------------------------------------------------------------------------


def test_workspace_file_overrides_bundled_one_by_name(tmp_path):
    write(tmp_path, "reference/owners.yaml", """\
        owners:
          - name: Executive Board
            kind: board
            aliases: [EB]
    """)  # fmt: skip
    reg = load_owner_registry(tmp_path)
    assert [o.name for o in reg.owners] == ["Executive Board"]
    assert reg.canonical("EB") == "Executive Board"
    assert reg.canonical("Board of Directors") is None
    ref = load_reference(Workspace(tmp_path))
    assert ref.owners.canonical("the Executive Board") == "Executive Board"
    assert [v.name for v in ref.values][0] == "Transparency"  # still the bundled values
    assert load_owner_registry().canonical("Board of Directors") == "Board of Directors"


def test_coreplan_data_environment_variable(tmp_path, monkeypatch):
    write(tmp_path, "reference/values.yaml", GOOD_VALUES)
    monkeypatch.setenv("COREPLAN_DATA", str(tmp_path))
    ref = load_reference()
    assert ref.value_set == "Test values"
    assert [(v.name, v.source) for v in ref.values] == [("Openness", "https://example.org/values")]


def test_edits_are_seen_despite_the_cache(tmp_path):
    path = write(tmp_path, "reference/values.yaml", GOOD_VALUES)
    assert load_reference(tmp_path).values[0].lexicon == ("open", "report")
    path.write_text(GOOD_VALUES.replace("[open, report]", "[open, reports, openness]"), encoding="utf-8")
    os.utime(path, ns=(1, 2))
    assert load_reference(tmp_path).values[0].lexicon == ("open", "reports", "openness")


def test_other_value_sets(tmp_path):
    write(tmp_path, "reference/values/acrl.yaml", GOOD_VALUES.replace("Test values", "ACRL core commitments"))
    ref = load_reference(tmp_path, value_set="acrl")
    assert ref.value_set == "ACRL core commitments"
    assert [v.name for v in ref.values] == ["Openness"]
    with pytest.raises(DataError, match=r"no value set 'pla' \(known: acrl\)"):
        load_reference(tmp_path, value_set="pla")
    with pytest.raises(DataError, match="not a file name stem"):
        load_reference(tmp_path, value_set="../values")


def test_more_frameworks_in_the_frameworks_folder(tmp_path):
    write(tmp_path, "reference/frameworks/acrl.yaml", """\
        framework: ACRL Plan for Excellence
        aliases: [Plan for Excellence]
        source: https://example.org/acrl
        streams:
          - name: Student Learning
            description: Learning.
            lexicon: [students, learning]
    """)  # fmt: skip
    ref = load_reference(tmp_path)
    assert [fw.name for fw in ref.frameworks] == ["ALA Pivot Strategy", "ACRL Plan for Excellence"]
    acrl = ref.framework("plan for excellence")
    assert acrl.title is None and acrl.period == (None, None)
    stream = acrl.streams[0]
    assert (stream.framework, stream.kind, stream.source, stream.named_in_plan) == (
        "ACRL Plan for Excellence", "stream", "https://example.org/acrl", None,
    )  # fmt: skip
    assert [c.name for c in ref.concepts()][-1] == "Student Learning"


def test_a_second_framework_may_not_reuse_a_name(tmp_path):
    path = write(tmp_path, "reference/frameworks/copy.yaml", """\
        framework: Another
        aliases: [Pivot Strategy]
        streams:
          - name: Membership
            description: Members.
            lexicon: [members]
    """)  # fmt: skip
    with pytest.raises(DataError, match="'Pivot Strategy' is already used") as info:
        load_reference(tmp_path)
    assert info.value.path == str(path)


def test_status_vocabulary_constructor_checks_kinds():
    with pytest.raises(ValueError):
        StatusVocabulary(["completed"], [("done", "done")])


# Stream names as plans write them: case, "&", possessives, "the", a trailing "impact stream(s)".
_STREAM_NAMES = st.lists(st.sampled_from(
    ["Membership", "membership", "Continuing", "Education", "continuing education", "&", "and", "the", "The",
     "impact", "stream", "streams", " ", "  ", "'s", "’s", "-", "Pivot", "x", "É"]), max_size=8).map("".join)


@settings(max_examples=600, deadline=None)
@given(_STREAM_NAMES)
def test_stream_lookup_is_the_plain_comparison(name):
    # Framework.stream keeps its streams' keys: it gives what comparing every stream's key
    # afresh gives.
    from coreplan_analysis._reference import _name_key, _nfkc, _stream_key

    # (The keys, with their patterns compiled once, are the plain substitutions.)
    plain_name = re.sub(r"[^\w\s]", " ", re.sub(r"'s\b", "", _nfkc(name).casefold().replace("&", " and "))).split()
    if len(plain_name) > 1 and plain_name[0] == "the":
        plain_name = plain_name[1:]
    assert _name_key(name) == " ".join(plain_name)
    assert _stream_key(name) == re.sub(r"(?:\s+impact)?\s+streams?$", "", _name_key(name))
    for fw in load_reference().frameworks:
        key = _stream_key(name)
        plain = next((s for s in fw.streams if key and _stream_key(s.name) == key), None)
        assert fw.stream(name) is plain
        assert fw.canonical_stream(name) == (plain.name if plain else None)
