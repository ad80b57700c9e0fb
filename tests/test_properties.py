"""Property-based tests of the parser (hypothesis): never an uncaught error, nothing lost."""

from __future__ import annotations

from conftest import PLAN_2022, covered_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coreplan_analysis import parse_plan
from coreplan_analysis._io import decode_bytes
from coreplan_analysis._errors import InputError

SETTINGS = settings(deadline=None, derandomize=True, max_examples=150,
                    suppress_health_check=[HealthCheck.too_slow])
SEED_LINES = PLAN_2022.read_text(encoding="utf-8").splitlines()


def _assert_lossless(text):
    plan = parse_plan(text, plan_id="x")
    nonblank = {n for n, line in enumerate(text.splitlines(), start=1) if line.strip()}
    assert nonblank <= covered_lines(plan)
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
