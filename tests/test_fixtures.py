"""Fixture plans (tests/fixtures/plans/*.txt) against their expected outlines (*.outline).

markdown-it-py style: each input file sits beside its expected parse. Rewrite the expected files
with UPDATE_SNAPSHOTS=1 after an intended change, and read the diff.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES, check_snapshot, covered_lines, outline

from coreplan_analysis import read_plan

PLANS = sorted((FIXTURES / "plans").glob("*.txt"))


@pytest.mark.parametrize("path", PLANS, ids=[p.stem for p in PLANS])
def test_fixture_outline(path):
    plan = read_plan(path)
    check_snapshot(path.with_suffix(".outline"), outline(plan))


@pytest.mark.parametrize("path", PLANS, ids=[p.stem for p in PLANS])
def test_fixture_lossless(path):
    plan = read_plan(path)
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    nonblank = {n for n, line in enumerate(text.splitlines(), start=1) if line.strip()}
    assert nonblank <= covered_lines(plan)


def test_fixture_count():
    assert len(PLANS) >= 5
