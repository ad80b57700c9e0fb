"""The synthetic plan generator of benchmarks/: plans that parse as generated, deterministically.

Only the generator is tested here; the benchmark figures are reported by `make bench`, never
asserted in tests.
"""

from __future__ import annotations

import doctest
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from coreplan_analysis import parse_plan

ROOT = Path(__file__).resolve().parents[1]


def _load_generator():
    name = "benchmarks.generator"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "generator.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _counts(plan):
    kinds = Counter(it.kind for it in plan.items())
    return len(plan.areas), kinds["goal"], kinds["action"]


def _warnings(plan):
    return [(d.line, d.kind, d.message) for d in plan.diagnostics if d.severity != "info"]


@pytest.mark.parametrize("layout", gen.LAYOUTS)
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_generated_plan_parses_into_the_expected_counts(seed, layout):
    synthetic = gen.generate_plan(seed, layout=layout)
    plan = parse_plan(synthetic.text, plan_id=synthetic.plan_id)
    assert _counts(plan) == (synthetic.areas, synthetic.goals, synthetic.actions)
    assert len(plan.items()) == synthetic.items
    assert _warnings(plan) == []


def test_layouts_have_the_seeds_shapes():
    p21 = gen.generate_plan(7, layout="2021")
    for marker in ("Areas of Focus\n", "\n1. ", "\nGoal: ", "\nCore Values: ", "\nActions:\n", "(*",
                   "\nAccountability & Assessment\n", "- **"):
        assert marker in p21.text, marker
    p22 = gen.generate_plan(7, layout="2022")
    for marker in ("\nStrategic Area 1: ", "\n1. ", "\n - 1.1. ", "Approved by the Core Board"):
        assert marker in p22.text, marker
    assert (p21.areas, p21.goals) == (p21.areas, p21.areas)  # one labelled goal per area
    plan = parse_plan(p22.text, plan_id="p22")
    assert {it.kind for a in plan.areas for it in a.items} == {"goal"}
    assert all(ch.kind == "action" for a in plan.areas for it in a.items for ch in it.children)


def test_same_seed_same_bytes_other_seed_other_text():
    assert gen.generate_plan(11, layout="2021").text == gen.generate_plan(11, layout="2021").text
    assert gen.generate_plan(11, layout="2022").text == gen.generate_plan(11, layout="2022").text
    assert gen.generate_plan(11, layout="2021").text != gen.generate_plan(12, layout="2021").text
    a, b = gen.generate_corpus(6, seed=3), gen.generate_corpus(6, seed=3)
    assert [p.text for p in a] == [p.text for p in b]
    assert [p.text for p in gen.generate_corpus(6, seed=4)] != [p.text for p in a]
    assert len({p.text for p in a}) == 6


def test_plans_are_about_seven_kilobytes():
    corpus = gen.generate_corpus(40)
    sizes = [p.size for p in corpus]
    assert all(6_500 <= s <= 7_700 for s in sizes), sizes
    assert abs(sum(sizes) / len(sizes) - 7_000) < 350
    assert [p.layout for p in corpus[:4]] == ["2021", "2022", "2021", "2022"]
    small = gen.generate_plan(0, layout="2022", target_bytes=2_000)
    assert 1_500 <= small.size <= 2_600


def test_corpus_parses_with_statuses_owners_and_values():
    plans = [parse_plan(p.text, plan_id=p.plan_id) for p in gen.generate_corpus(6, seed=9)]
    statuses = Counter(it.status.kind for p in plans for it in p.items())
    assert statuses["completed"] and statuses["revised"] and statuses["none"]
    assert all(it.owners for p in plans[::2] for it in p.leaves())  # 2021 layout: every action has owners
    assert all(len(a.values) == 3 for p in plans[::2] for a in p.areas)
    assert all(p.streams for p in plans[::2])


def test_crosswalk_pair_counts_and_reuse():
    old, new = gen.generate_crosswalk_pair(400, seed=1)
    assert (old.items, new.items) == (400, 400)
    p_old, p_new = parse_plan(old.text, plan_id="old"), parse_plan(new.text, plan_id="new")
    assert _counts(p_old) == (old.areas, old.goals, old.actions) == (4, 4, 396)
    assert _counts(p_new) == (new.areas, new.goals, new.actions) == (2, 40, 360)
    assert _warnings(p_old) == [] and _warnings(p_new) == []
    old_texts = {it.text.rstrip(".") for it in p_old.leaves()}
    new_actions = [it.text for it in p_new.leaves()]
    carried = sum(t in old_texts for t in new_actions) / len(new_actions)
    assert 0.2 <= carried <= 0.4, carried  # about 30% carried word for word
    again = gen.generate_crosswalk_pair(400, seed=1)
    assert (again[0].text, again[1].text) == (old.text, new.text)
    with pytest.raises(ValueError):
        gen.generate_crosswalk_pair(450)


def test_generator_doctests():
    result = doctest.testmod(gen, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
