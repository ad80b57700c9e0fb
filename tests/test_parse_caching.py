"""Parse speed without changed answers: what is cached per process still sees edited workspace
files, and the fast paths of the parser give what the plain definitions give."""

from __future__ import annotations

import os
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from coreplan_analysis import parse_plan
from coreplan_analysis._parser import (
    _GOAL_LINE,
    _SECOND_MARKER,
    _TRAIL_PAREN,
    _last_word,
    _title_like,
    _title_like_short,
    _trail_paren,
    _words,
)
from coreplan_analysis._paths import StampedCache, Workspace
from coreplan_analysis._profile import load_profile
from coreplan_analysis._reference import Owner, OwnerRegistry, load_reference

GOOD_VALUES = """\
set: Test values
organisation: Test
source: https://example.org/values
values:
  - name: Openness
    description: Being open.
    lexicon: [open, report]
"""


def _touch(path, ns):
    os.utime(path, ns=(ns, ns))  # a stamp of its own, however fast the test runs


# -- the cache -----------------------------------------------------------------------------------
def test_stamped_cache_forgets_an_entry_when_a_file_changes(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("one", encoding="utf-8")
    cache = StampedCache()
    paths = (str(f), str(tmp_path / "missing.txt"))
    cache.put("k", paths, StampedCache.stamps(paths), "value")
    assert cache.get("k") == "value"
    f.write_text("two!", encoding="utf-8")
    assert cache.get("k") is None
    cache.put("k", paths, StampedCache.stamps(paths), "value")
    (tmp_path / "missing.txt").write_text("now here", encoding="utf-8")  # a file that appears
    assert cache.get("k") is None


def test_watched_paths_cover_every_root_and_folder_entry(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "mine.yaml").write_text("name: mine\n", encoding="utf-8")
    paths = Workspace(tmp_path).watched(files=("reference/owners.yaml",), folders=("profiles",))
    assert str(tmp_path / "reference" / "owners.yaml") in paths  # absent, still watched
    assert str(tmp_path / "profiles") in paths and str(tmp_path / "profiles" / "mine.yaml") in paths
    assert any(p.endswith(os.path.join("profiles", "core.yaml")) for p in paths)  # the bundled root


def test_reference_sees_a_workspace_file_added_then_removed(tmp_path):
    before = load_reference(tmp_path)
    assert before.value_set == "Core values" and load_reference(tmp_path) is before
    path = tmp_path / "reference" / "values.yaml"
    path.parent.mkdir()
    path.write_text(GOOD_VALUES, encoding="utf-8")
    assert load_reference(tmp_path).value_set == "Test values"
    path.unlink()
    assert load_reference(tmp_path).value_set == "Core values"


def test_reference_sees_a_new_framework_file(tmp_path):
    assert [fw.name for fw in load_reference(tmp_path).frameworks] == ["ALA Pivot Strategy"]
    folder = tmp_path / "reference" / "frameworks"
    folder.mkdir(parents=True)
    (folder / "other.yaml").write_text(
        "framework: Other Plan\nsource: https://example.org/other\nstreams:\n"
        "  - name: Reading\n    description: Reading.\n    lexicon: [read]\n", encoding="utf-8")
    assert [fw.name for fw in load_reference(tmp_path).frameworks] == ["ALA Pivot Strategy", "Other Plan"]


def test_profile_lookup_sees_an_edited_and_a_shadowing_workspace_profile(tmp_path):
    assert load_profile("outline", tmp_path).area_markers == {"roman"}  # the bundled one, cached
    folder = tmp_path / "profiles"
    folder.mkdir()
    path = folder / "outline.yaml"
    path.write_text("name: outline\narea: {markers: [letter]}\n", encoding="utf-8")
    assert load_profile("outline", tmp_path).area_markers == {"letter"}
    path.write_text("name: outline\narea: {markers: [roman, letter]}\n", encoding="utf-8")
    _touch(path, 10**9)
    assert load_profile("outline", tmp_path).area_markers == {"roman", "letter"}


def test_inference_sees_a_workspace_profile_added_after_a_first_parse(tmp_path):
    text = ("Initiative 1 - Reading\n\n1. Buy books.\n2. Hire tutors.\n\n"
            "Initiative 2 - Writing\n\n1. Run a zine workshop.\n")
    assert parse_plan(text, plan_id="x", workspace=tmp_path).profile != "initiatives"
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "initiatives.yaml").write_text(
        "name: initiatives\narea:\n  patterns: ['^Initiative (?P<number>\\d+) - (?P<title>.+)$']\n", encoding="utf-8")
    plan = parse_plan(text, plan_id="x", workspace=tmp_path)
    assert plan.profile == "initiatives"
    assert [(a.number, a.title) for a in plan.areas] == [("1", "Reading"), ("2", "Writing")]


# -- owner mentions: a word start checked outside the pattern -------------------------------------
def test_mentions_start_a_word_and_are_found_inside_a_refused_match():
    reg = OwnerRegistry([Owner("Staff Staff", "group", (), None, None),
                         Owner("Board of Directors", "board", (), None, None)])
    assert reg.find_mentions("xBoard of Directors met") == []
    assert reg.find_mentions("-Board of Directors met") == []
    assert reg.find_mentions("the Board of Directors met") == ["Board of Directors"]
    # "aStaff Staff" is refused at its start; the match one word on is still found
    assert reg.find_mentions("aStaff Staff Staff") == ["Staff Staff"]


# -- fast paths against their plain definitions --------------------------------------------------
_TEXT = st.lists(st.sampled_from(list("aB1 .-&'’_()*[]:;\t\nIXéİı") + ["Goal", "objective", "II", "one", "  "]),
                 max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_trail_paren_is_the_pattern_searched_everywhere(text):
    a, b = _TRAIL_PAREN.search(text), _trail_paren(text)
    assert (a and (a.span(), a.group("inner"))) == (b and (b.span(), b.group("inner")))


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_last_word_is_the_last_of_words(text):
    words = _words(text)
    assert _last_word(text) == (words[-1] if words else None)


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.sampled_from([8, 12, 14]))
def test_title_like_refusals_agree_with_the_cached_check(text, max_words):
    expected = (False if len(text) > 400 or text.count(" ") > 4 * max_words + 8
                else _title_like_short.__wrapped__(text, max_words))
    assert _title_like(text, max_words) == expected
    long = " ".join([text] * 12)
    assert _title_like(long, max_words) == (
        False if len(long) > 400 or long.count(" ") > 4 * max_words + 8
        else _title_like_short.__wrapped__(long, max_words))


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_line_start_checks_equal_multiline_patterns(text):
    for (at_start, after_newline), plain in (
            (_SECOND_MARKER, r"(?m)^\s{0,1}(?:II|B)[.)]\s"),
            (_GOAL_LINE, r"(?im)^\W{0,3}(?:goal|objective)\s+(?:\d|one\b)")):
        fast = at_start.match(text) is not None or after_newline.search(text) is not None
        assert fast == (re.search(plain, text) is not None)


def test_a_core_folder_in_the_current_folder_is_not_the_core_profile(tmp_path, monkeypatch):
    # A bare name is a profile name, never a path: a folder (or file) called "core" where the
    # user happens to run must not replace the bundled profile, before or after a cached parse.
    text = "1. Members\nActions:\n1. Run a member survey.\n"
    first = parse_plan(text, plan_id="p")
    (tmp_path / "core").mkdir()
    (tmp_path / "outline").write_text("not: a profile\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert parse_plan(text, plan_id="p") == first
    assert load_profile("core").name == "core" and load_profile("outline").name == "outline"
