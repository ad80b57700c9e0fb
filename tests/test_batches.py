"""Many plans at once: parse_plans and load_catalog give the same plans on one process or on
several (forked on Linux from 64 plans: _runtime.map_in_parts)."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest
import yaml

from coreplan_analysis import CatalogError, DataError, InputError, load_catalog, parse_plan, parse_plans
from coreplan_analysis import _runtime
from coreplan_analysis._runtime import workers_for
from coreplan_analysis._workspace import init_workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generator import generate_corpus  # noqa: E402

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked processes are used on Linux only")


@pytest.fixture(scope="module")
def corpus():
    return {p.plan_id: p.text for p in generate_corpus(66, target_bytes=1500)}


@pytest.fixture
def forks(monkeypatch):
    """The number of children each map_in_parts call forked (a spy on forked_map)."""
    monkeypatch.delenv("COREPLAN_JOBS", raising=False)
    counts = []
    real = _runtime.forked_map

    def spy(func, jobs, *, meanwhile=None):
        counts.append(len(jobs))
        return real(func, jobs, meanwhile=meanwhile)

    monkeypatch.setattr(_runtime, "forked_map", spy)
    return counts


@linux_only
def test_parse_plans_is_parse_plan_of_each_on_any_number_of_processes(corpus, forks, monkeypatch):
    assert workers_for(3, size=len(corpus)) == 3  # (no other thread here: the calls below fork)
    one = [parse_plan(text, plan_id=pid) for pid, text in corpus.items()]
    assert sum(len(p.items()) for p in one) > 300
    assert parse_plans(corpus, n_jobs=1) == one and forks == []
    for n in (2, 3):
        got = parse_plans(corpus, n_jobs=n)
        assert got == one and [repr(p) for p in got] == [repr(p) for p in one]  # diagnostics included
    assert forks == [1, 2]
    parse_plans(corpus)  # 66 plans: every core by default (at least 2 here)
    assert len(forks) == 3 and forks[-1] == min(len(os.sched_getaffinity(0)), 4) - 1
    monkeypatch.setenv("COREPLAN_JOBS", "1")
    assert parse_plans(corpus) == one and len(forks) == 3
    # (plan id, text) pairs work as the mapping does; anything else is a TypeError that says so.
    assert parse_plans(list(corpus.items())[:3], n_jobs=1) == one[:3]
    with pytest.raises(TypeError, match="takes {plan id: text} or \\(plan id, text\\) pairs, not 'Areas"):
        parse_plans(["Areas of Focus\n1. Members\n"])
    # A profile given is used for every plan.
    assert {p.profile for p in parse_plans(dict(list(corpus.items())[:3]), profile="core")} == {"core"}


@linux_only
def test_parse_plans_raises_the_first_bad_input_as_a_loop_would(corpus, forks):
    texts = dict(corpus)
    texts[list(texts)[50]] = b"bytes, not text"  # in the second part (a child's)
    with pytest.raises(InputError, match="expected text \\(str\\), got bytes"):
        parse_plans(texts, n_jobs=2)
    texts[list(texts)[3]] = 42  # in the first part too: that one is first
    with pytest.raises(InputError, match="got int"):
        parse_plans(texts, n_jobs=2)
    assert forks == [1, 1]


def _workspace_of(tmp_path, corpus):
    ws = init_workspace(tmp_path / "ws")
    entries = []
    for k, (pid, text) in enumerate(corpus.items()):
        data = text.encode("utf-8")
        (ws / "raw" / f"{pid}.txt").write_bytes(data)
        entries.append({"id": pid, "title": f"Plan {k}", "cycle": {"start": 2000 + k, "end": 2001 + k},
                        "file": f"raw/{pid}.txt", "sha256": hashlib.sha256(data).hexdigest()})
    (ws / "plans.yaml").write_text(yaml.safe_dump({"schema": "coreplan-catalog/1", "plans": entries}),
                                   encoding="utf-8")
    return ws


@linux_only
def test_load_catalog_is_the_same_on_any_number_of_processes(tmp_path, corpus, forks):
    ws = _workspace_of(tmp_path, corpus)
    one = load_catalog(ws, n_jobs=1)
    assert len(one.plans) == 66 + 2 and forks == []  # (and the two bundled plans)
    assert [p.title for p in one.plans[:2]] == ["Plan 0", "Plan 1"]
    assert load_catalog(ws, n_jobs=2).plans == one.plans and forks == [1]
    assert load_catalog(ws).plans == one.plans and len(forks) == 2  # 68 plans: forks by default
    # A raw file changed since it was catalogued, read in a child: the same error as in one process.
    pid = list(corpus)[60]
    (ws / "raw" / f"{pid}.txt").write_text(corpus[pid] + "\nchanged\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=f"raw file {pid}.txt changed since it was catalogued") as err:
        load_catalog(ws, n_jobs=2)
    assert err.value.path.endswith(f"{pid}.txt")
    # Two faults: the first in catalog order is raised, as in one process (an unknown value set
    # in plan 62, a changed file in plan 60; then a changed file in plan 3, in the first part).
    catalog = yaml.safe_load((ws / "plans.yaml").read_text(encoding="utf-8"))
    catalog["plans"][62]["value_set"] = "no-such-set"
    (ws / "plans.yaml").write_text(yaml.safe_dump(catalog), encoding="utf-8")
    for n in (1, 2):
        with pytest.raises(CatalogError, match=f"raw file {pid}.txt changed"):
            load_catalog(ws, n_jobs=n)
    catalog["plans"][60]["sha256"] = hashlib.sha256((corpus[pid] + "\nchanged\n").encode()).hexdigest()
    (ws / "plans.yaml").write_text(yaml.safe_dump(catalog), encoding="utf-8")
    for n in (1, 2):
        with pytest.raises(DataError, match="no value set 'no-such-set'"):
            load_catalog(ws, n_jobs=n)
    early = list(corpus)[3]
    (ws / "raw" / f"{early}.txt").write_text("changed", encoding="utf-8")
    for n in (1, 2):
        with pytest.raises(CatalogError, match=f"raw file {early}.txt changed"):
            load_catalog(ws, n_jobs=n)
