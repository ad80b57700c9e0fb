"""Property-based tests of the parser (hypothesis): never an uncaught error, nothing lost.

Two hypothesis profiles: ``coreplan-default`` (the default suite: derandomized, a few dozen
examples per property, a few seconds in all) and ``coreplan-fuzz`` (``make fuzz``, or
``HYPOTHESIS_PROFILE=coreplan-fuzz``: many more examples of the same properties). Both have
``deadline=None`` and ``derandomize=True``, so a run is reproducible.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, PLAN_2021, PLAN_2022, covered_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coreplan_analysis import parse_plan
from coreplan_analysis._errors import CoreplanError, InputError, ProfileError
from coreplan_analysis._io import decode_bytes
from coreplan_analysis._parser import MAX_DEPTH
from coreplan_analysis._profile import load_profile, load_profile_text
from coreplan_analysis._reference import load_reference
from coreplan_analysis.cli import main

_COMMON = dict(deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), print_blob=True)
settings.register_profile("coreplan-default", max_examples=40, **_COMMON)
settings.register_profile("coreplan-fuzz", max_examples=2500, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "coreplan-default")
if PROFILE not in ("coreplan-default", "coreplan-fuzz"):
    PROFILE = "coreplan-default"
SETTINGS = settings(settings.get_profile(PROFILE))
#: Fewer examples for the slow properties (the CLI writes files; the seeds are parsed whole).
FEW = settings(SETTINGS, max_examples=max(10, SETTINGS.max_examples // 3))

SEED_TEXTS = [PLAN_2021.read_text(encoding="utf-8"), PLAN_2022.read_text(encoding="utf-8")]
SEED_LINES = SEED_TEXTS[1].splitlines()
FIXTURE_LINES = sorted({line for p in sorted((FIXTURES / "plans").glob("*.txt"))
                        for line in p.read_bytes().decode("utf-8", "replace").splitlines()})
CORE = load_profile("core")
REFERENCE = load_reference()


def _assert_lossless(text, profile=None):
    plan = parse_plan(text, plan_id="x", profile=profile, reference=REFERENCE)
    nonblank = {n for n, line in enumerate(text.splitlines(), start=1) if line.strip()}
    assert nonblank <= covered_lines(plan)
    assert max((it.depth for it in plan.items()), default=1) <= MAX_DEPTH
    json.dumps(plan.to_dict())  # the JSON never recurses past the nesting cap
    return plan


@SETTINGS
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_arbitrary_text(text):
    _assert_lossless(text)


@SETTINGS
@given(st.lists(st.sampled_from(SEED_LINES + ["", "Goals:", "Actions:", "- 9.9. x", "2. Title Case Area"]),
                max_size=60))
def test_seed_lines_shuffled_duplicated(lines):
    _assert_lossless("\n".join(lines))


@SETTINGS
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data):
    try:
        text, _ = decode_bytes(data)
    except InputError:
        assert b"\x00" in data
        return
    _assert_lossless(text)


# -- the seeds, mutated --------------------------------------------------------------------------
def _mutate(text: str, data) -> str:
    lines = text.splitlines()
    ops = data.draw(st.lists(st.sampled_from(["delete", "duplicate", "swap", "renumber", "indent", "truncate"]),
                             min_size=1, max_size=6))
    for op in ops:
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "renumber":
            n = data.draw(st.sampled_from(["0", "1", "7", "99", "1.1.1", "2.0", "a", "iv", "IX", "1a"]))
            lines[i] = re.sub(r"\d+(?:\.\d+)*", n, lines[i], count=1)
        elif op == "indent":
            lines[i] = " " * data.draw(st.integers(0, 12)) + lines[i]
        else:
            joined = "\n".join(lines)
            cut = data.draw(st.integers(0, len(joined.encode("utf-8"))))
            return joined.encode("utf-8")[:cut].decode("utf-8", "ignore")
    return "\n".join(lines)


@FEW
@given(st.data())
def test_seeds_mutated(data):
    text = _mutate(data.draw(st.sampled_from(SEED_TEXTS)), data)
    _assert_lossless(text)
    _assert_lossless(text, CORE)


@SETTINGS
@given(st.integers(0, 10_000), st.sampled_from([0, 1]))
def test_seeds_truncated_at_any_byte(cut, k):
    raw = SEED_TEXTS[k].encode("utf-8")
    _assert_lossless(raw[: cut % (len(raw) + 1)].decode("utf-8", "ignore"), CORE)


# -- structure-shaped text: the markers, labels and headings real plans use ----------------------
_PIECES = [
    "I. Advocacy", "II. Learning", "IV. Finance.", "A. Raise the profile.", "B) Serve members", "1. Do it.",
    "2) Do more", "(3) Again", "1.1 Sub item", "1.1.1. Deeper", "1a) Lettered", "a. small", "i. roman",
    "ii) roman", "v. five or vee", "- bullet", "* star", "• dot", "– dash", "o oh", "GOAL 1.", "Goal One: Growth",
    "STRATEGIC DIRECTION TWO", "Objective 1: Engage", "Objective 1.2 Keep", "Priority A: Access",
    "Goal Area: Learning", "Strategic Area 3: Money", "Goals:", "Actions:", "Strategies", "Key initiatives:",
    "Status:", "Status: Done", "Lead: Board of Directors", "Responsible: Staff", "Core Values: Inclusion; Access",
    "Action | Lead | Status", "Run a day | Committee | Ongoing", "|---|---|---|", "# Title", "## Heading",
    "### Objectives", "MEMBERSHIP AND VALUE", "Mission: To serve.", "AARL is committed to:", "Page 3 of 9",
    "Plan | Page 2", "- **March 2025:** Launch.", "Approved April 20, 2011. Effective July 1, 2011", "FY18-FY22",
    "develop-", "ment of things", "(Completed) Finished", "Done: it", "x – Ongoing", "*Membership Committee*",
    "A.", "3.", "", "", "plain prose line that goes on.", "(see below)", "(ALA)", "Areas of Focus",
]


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 10), st.sampled_from(_PIECES)), max_size=50))
def test_structure_shaped_text(pieces):
    text = "\n".join(" " * k + p for k, p in pieces)
    _assert_lossless(text)


@FEW
@given(st.lists(st.sampled_from(FIXTURE_LINES), max_size=40))
def test_fixture_lines_shuffled(lines):
    _assert_lossless("\n".join(lines))


# -- the command line, in process: exit 0 or 2 and one clear line --------------------------------
@FEW
@given(st.sampled_from([".txt", ".md", ".html", ".docx", ".pdf", ""]),
       st.one_of(st.binary(max_size=400), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.sampled_from([b"PK\x03\x04", b"%PDF-1.4\n%%EOF", b"<html><body><h1>x</h1>", b"\xef\xbb\xbf"])))
def test_cli_in_process_exit_0_or_2(suffix, data):
    import contextlib
    import io

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"plan{suffix}"
        path.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["parse", "--json", str(path)])
    if code == 0:
        assert err.getvalue() == ""
        assert json.loads(out.getvalue())["schema"] == "coreplan/1"
    else:
        assert code == 2 and out.getvalue() == ""
        lines = err.getvalue().strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"coreplan: {path}")


@FEW
@given(st.text(max_size=300))
def test_profile_yaml_is_accepted_or_refused_cleanly(text):
    try:
        load_profile_text(text)
    except ProfileError as exc:
        assert exc.message
    except CoreplanError as exc:  # pragma: no cover - any other kind would be a bug
        pytest.fail(f"unexpected {type(exc).__name__}: {exc}")


@FEW
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdhilpuotr123&;#!-\n")), max_size=400))
def test_html_extraction_never_raises_unexpectedly(text):
    from coreplan_analysis._formats import extract_bytes

    try:
        doc = extract_bytes(text.encode("utf-8"), suffix=".html")
    except InputError:
        return
    assert len(doc.line_map) == len(doc.text.splitlines())


# -- bounded cost --------------------------------------------------------------------------------
def _items(n: int) -> str:
    out = ["Big Plan 2025-2028", ""]
    for a, k in enumerate(range(0, n, 10), start=1):
        out += [f"Strategic Area {a}: Area {a}", "", f"1. Goal {k} of the area (Membership Committee)"]
        out += [f" - 1.{j}. (Completed) Action {k + j} with a few more words" for j in range(1, 10)]
        out.append("")
    return "\n".join(out)


def test_nesting_kept_flat_past_the_cap():
    chain = [f"{'.'.join(['1'] * d)}. level {d}" for d in range(1, 21)]
    flat = [f"{'.'.join(['1'] * 12)}.{k % 998 + 2}. flat {k}" for k in range(10_000)]
    plan = parse_plan("Strategic Area 1: Deep\n\n" + "\n".join(chain + flat), profile=CORE, plan_id="deep")
    depths = [it.depth for it in plan.items()]
    assert max(depths) == MAX_DEPTH and len(depths) == 20 + 10_000
    assert sum(1 for d in depths if d == MAX_DEPTH) == 13 + 10_000
    assert sum(1 for d in plan.diagnostics if d.kind == "nesting") == 12 + 10_000
    doc = json.loads(json.dumps(plan.to_dict()))

    def depth(items, k=1):
        return max((depth(i["children"], k + 1) for i in items), default=k - 1)

    assert depth(doc["areas"][0]["items"]) == MAX_DEPTH


def test_indentation_ten_thousand_deep_kept_flat():
    text = "Strategic Area 1: Deep\n\n" + "\n".join(" " * k + f"- item {k}" for k in range(10_000))
    plan = parse_plan(text, profile=CORE, plan_id="deep")
    assert max(it.depth for it in plan.items()) == MAX_DEPTH
    assert len(plan.items()) == 10_000


def test_parse_cost_is_linear():
    """time(4n) / time(n) measured in one run (best of three): linear is ~4, quadratic ~16."""

    def best(text, runs=3):
        out = []
        for _ in range(runs):
            t0 = time.perf_counter()
            parse_plan(text, profile=CORE, reference=REFERENCE, plan_id="scale")
            out.append(time.perf_counter() - t0)
        return min(out)

    small, large = _items(2_000), _items(8_000)
    best(small, 1)  # warm caches
    ratio = best(large) / best(small)
    assert ratio < 8, f"parse time grew {ratio:.1f}x for 4x the input"
    long_small = "Goals:\n\n1. " + "word (x) *y* [z](#) " * 25_000
    long_large = "Goals:\n\n1. " + "word (x) *y* [z](#) " * 100_000
    ratio = best(long_large, 2) / best(long_small, 2)
    assert ratio < 8, f"a long line: time grew {ratio:.1f}x for 4x the input"
