"""Alignment: stated and inferred links of items to values and streams, measured on hand labels."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import FIXTURES

from coreplan_analysis import PlanSet, parse_plan
from coreplan_analysis._align import (
    ALIGN_COLUMNS,
    DEFAULT_THRESHOLD,
    align,
    alignment_matrix,
    owner_value_matrix,
    stated_vs_inferred,
)
from coreplan_analysis.cli import main

LABELS = yaml.safe_load((FIXTURES / "alignment" / "labels.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def table(planset):
    return align(planset)


def _row(df, item, concept, basis="inferred"):
    rows = df[(df["item"] == item) & (df["concept"] == concept) & (df["basis"] == basis)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# -- shape ---------------------------------------------------------------------------------------
def test_columns_and_dtypes(table):
    assert list(table.columns) == list(ALIGN_COLUMNS)
    assert table["score"].dtype == "float64" and table["above_threshold"].dtype == bool
    assert all(str(table[c].dtype) == "str" for c in ALIGN_COLUMNS if c not in ("score", "above_threshold"))
    assert set(table["basis"]) == {"stated", "inferred"}
    assert set(table["kind"]) == {"goal", "action"}
    assert table["score"].between(0, 1).all()
    assert (table["score"] == table["score"].round(4)).all()


def test_one_inferred_row_per_item_and_concept(planset, table):
    n_items = sum(len(p.items()) for p in planset)  # 16 + 14 (the missing area has none)
    n_concepts = len(planset.reference.concepts())  # 7 values + 2 streams
    inferred = table[table["basis"] == "inferred"]
    assert (n_items, n_concepts, len(inferred)) == (30, 9, 270)
    assert not inferred.duplicated(["item", "framework", "concept"]).any()


def test_stated_rows_are_inherited_by_every_item_of_the_area(table):
    stated = table[table["basis"] == "stated"]
    # 2021-2022: area 1 has 8 items, area 2 has 5, area 3 has 3; each names three values.
    # 2022-2025 names no values, so it has no stated row.
    assert stated.groupby("plan").size().to_dict() == {"core-2021-2022": 48}
    assert set(stated["score"]) == {1.0} and stated["above_threshold"].all()
    row = _row(table, "core-2021-2022/2/3", "Innovation", "stated")
    assert row["evidence"] == "area Member-Initiated Programming names Innovation"


def test_rows_in_plan_item_concept_order(table):
    assert list(dict.fromkeys(table["plan"])) == ["core-2021-2022", "core-2022-2025"]
    first = table[table["item"] == "core-2021-2022/1/#1"]
    assert list(dict.fromkeys(first["concept"])) == [
        "Transparency", "Diversity", "Inclusion", "Knowledge Sharing", "Collaboration", "Sustainability",
        "Innovation", "Membership", "Continuing Education"]
    assert first["basis"].tolist()[:2] == ["stated", "inferred"]  # stated before inferred


# -- real values on the seeds ----------------------------------------------------------------------
def test_quarterly_report_serves_transparency(table):
    # 1.7 "issuing a quarterly report to members": two lexicon phrases verbatim
    row = _row(table, "core-2021-2022/1/7", "Transparency")
    assert (row["score"], row["evidence"], bool(row["above_threshold"])) == (
        0.6468, "report to members, quarterly report", True)


def test_lexicon_phrase_with_hyphens_and_quotes_counts(table):
    # "train-the-trainer" and the curly-quoted "How To" are found verbatim
    assert _row(table, "core-2021-2022/1/4", "Knowledge Sharing")["evidence"].startswith("train-the-trainer")
    assert "how to" in _row(table, "core-2021-2022/2/4", "Knowledge Sharing")["evidence"].split(", ")


def test_nothing_shared_scores_zero(table):
    # "Align journals on single platform" shares no word with Diversity
    row = _row(table, "core-2022-2025/2/2.2", "Diversity")
    assert (row["score"], row["evidence"], bool(row["above_threshold"])) == (0.0, "", False)


def test_damping_of_the_catch_all_membership_stream(table):
    damping = table.attrs["damping"]
    # Membership matches 12 of 16 items of 2021-2022 (share 0.75: factor 2 * 0.25 = 0.5) and
    # 10 of 14 of 2022-2025 (factor 2 * 4/14 = 0.5714); every value stays under half: factor 1.
    assert damping["core-2021-2022"]["ALA Pivot Strategy"] == {"Membership": 0.5, "Continuing Education": 1.0}
    assert damping["core-2022-2025"]["ALA Pivot Strategy"]["Membership"] == 0.5714
    assert set(damping["core-2021-2022"]["Core values"].values()) == {1.0}
    assert "2 * (1 - share)" in table.attrs["damping_formula"]
    assert table.attrs["threshold"] == DEFAULT_THRESHOLD == 0.25
    # "Develop member engagement survey" still reaches Membership after damping
    assert _row(table, "core-2022-2025/1/2.1", "Membership")["above_threshold"]


def test_precision_and_recall_on_hand_labels(table):
    """The measured quality of the inferred value rows at the default threshold (pinned)."""
    items = LABELS["items"]
    gold = {(item, v) for item, entry in items.items() for v in (entry["values"] or {})}
    inferred = table[(table["basis"] == "inferred") & (table["concept_kind"] == "value")]
    predicted = set(map(tuple, inferred[inferred["above_threshold"]][["item", "concept"]].values.tolist()))
    hits = len(predicted & gold)
    assert (hits, len(predicted), len(gold)) == (40, 47, 45)
    precision, recall = hits / len(predicted), hits / len(gold)
    assert (round(precision, 2), round(recall, 2)) == (0.85, 0.89)


def test_labels_cover_every_goal_and_leaf_action(planset):
    items = LABELS["items"]
    wanted = {it.id: it for p in planset for it in p.items() if it.kind == "goal" or it.is_leaf}
    assert set(items) == set(wanted)  # 23 leaf actions + 7 goals
    assert len(items) == 30
    for item_id, entry in items.items():
        assert wanted[item_id].text.startswith(entry["text"]), item_id  # ids still point at that text
        assert set(entry["values"] or {}) <= set(LABELS["values"])
        assert entry["values"] or entry["none"]  # every label has its reason


# -- determinism and independence ------------------------------------------------------------------
def test_adding_a_plan_does_not_shift_a_plans_scores(planset, table):
    alone = align(planset.subset(["core-2021-2022"]))
    together = table[table["plan"] == "core-2021-2022"].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, together)
    extra = parse_plan("Areas of Focus\n\n1. Anything\n\nGoal: Collaborate with partners on transparency.\n",
                       plan_id="extra")
    bigger = align(PlanSet(planset.plans + (extra,), planset.reference))
    pd.testing.assert_frame_equal(bigger[bigger["plan"] != "extra"].reset_index(drop=True), table)


def test_choosing_concepts_does_not_change_scores(planset, table):
    few = align(planset, concepts=["Innovation", "stream:ALA Pivot Strategy:Membership"])
    assert list(dict.fromkeys(few["concept"])) == ["Innovation", "Membership"]
    full = table[table["concept"].isin(["Innovation", "Membership"])]
    assert few["score"].tolist() == full["score"].tolist()
    with pytest.raises(ValueError, match="no concept 'Equity'"):
        align(planset, concepts=["Equity"])
    # One concept alone: a name or a Concept object, as in a list.
    innovation = next(c for c in planset.reference.values if c.name == "Innovation")
    one = table[table["concept"] == "Innovation"]["score"].tolist()
    assert align(planset, concepts=innovation)["score"].tolist() == one
    assert align(planset, concepts="Innovation")["score"].tolist() == one


def test_threshold(planset, table):
    strict = align(planset, threshold=0.5)
    inferred = strict[strict["basis"] == "inferred"]
    assert (inferred["above_threshold"] == (inferred["score"] >= 0.5)).all()
    assert inferred["above_threshold"].sum() < table[table["basis"] == "inferred"]["above_threshold"].sum()
    with pytest.raises(ValueError, match="between 0 and 1"):
        align(planset, threshold=1.5)


def test_threshold_zero_counts_any_shared_word_never_a_zero_score(planset):
    loose = align(planset, threshold=0.0)
    inferred = loose[loose["basis"] == "inferred"]
    assert (inferred["above_threshold"] == (inferred["score"] > 0)).all()
    assert 0 < inferred["above_threshold"].sum() < len(inferred)  # zero scores exist and do not count
    # Damping counts the same items: a concept no more than half the items share a word with
    # is not damped (before, every score counted at threshold 0, so every factor was 0.5).
    factors = [f for fws in loose.attrs["damping"].values() for fs in fws.values() for f in fs.values()]
    assert 1.0 in factors and min(factors) >= 0.5


# -- small invented plans ----------------------------------------------------------------------------
INVENTED = """Areas of Focus

1. Outreach

Goal: Welcome people.

Core Values: Diversity

Actions:

1. Explore it.
2. Plant trees in the park.
3. Paint the fence.
"""


def test_a_lone_lexicon_phrase_scores_its_weight():
    # "explore" is an Innovation lexicon entry but a stopword of the tokeniser: cosine 0, one
    # phrase, so raw = 1 - (1 - 0) * (1 - 0.3) = 0.3, undamped (1 of 4 items matches).
    df = align(parse_plan(INVENTED, plan_id="demo"))
    row = _row(df, "demo/1/1", "Innovation")
    assert (row["score"], row["evidence"], bool(row["above_threshold"])) == (0.3, "explore", True)


def test_catch_all_concept_is_damped_to_half_at_most():
    text = "Areas of Focus\n\n1. Members\n\nActions:\n\n" + "".join(
        f"{k}. Sustain {w}.\n" for k, w in enumerate(["members", "volunteers", "trees", "funds"], start=1))
    df = align(parse_plan(text, plan_id="all"))
    # every item says "sustain": Sustainability matches all four (share 1), factor floored at 0.5
    assert df.attrs["damping"]["all"]["Core values"]["Sustainability"] == 0.5
    assert df.attrs["damping"]["all"]["Core values"]["Innovation"] == 1.0


def test_stated_unsupported_and_served_unstated_on_an_invented_plan():
    sv = stated_vs_inferred(align(parse_plan(INVENTED, plan_id="demo")))
    assert sv[["area", "concept", "status", "items"]].values.tolist() == [
        ["demo/1", "Diversity", "stated, unsupported", ""],  # no action speaks of diversity
        ["demo/1", "Innovation", "served, unstated", "demo/1/1"],  # "Explore it."
    ]


def test_a_value_outside_the_value_set_keeps_its_stated_row():
    plan = parse_plan(INVENTED.replace("Core Values: Diversity", "Core Values: Diversity; Equity"), plan_id="demo")
    df = align(plan)
    equity = df[df["concept"] == "Equity"]
    # one stated row per item of the area (goal and three actions), no inferred row: no description
    assert equity[["item", "basis", "framework"]].values.tolist() == [
        [i, "stated", "Core values"] for i in ("demo/1/#1", "demo/1/1", "demo/1/2", "demo/1/3")]
    sv = stated_vs_inferred(df)
    assert ["demo/1", "Equity", "stated, unsupported"] in sv[["area", "concept", "status"]].values.tolist()


# -- stated vs inferred and matrices on the seeds ----------------------------------------------------
def test_stated_vs_inferred_on_seeds(table):
    sv = stated_vs_inferred(table)
    unsupported = sv[sv["status"] == "stated, unsupported"]
    # the programming area names Collaboration, but no action speaks of partners or working together
    assert unsupported[["area", "concept"]].values.tolist() == [["core-2021-2022/2", "Collaboration"]]
    # the 2022-2025 plan names no values: every value its actions serve is "served, unstated"
    served = sv[(sv["plan"] == "core-2022-2025")]
    assert set(served["status"]) == {"served, unstated"}
    assert sorted(served[served["area"] == "core-2022-2025/1"]["concept"]) == [
        "Collaboration", "Diversity", "Inclusion", "Innovation", "Knowledge Sharing", "Transparency"]
    row = sv[(sv["area"] == "core-2021-2022/1") & (sv["concept"] == "Innovation")].iloc[0]
    assert row["items"] == "core-2021-2022/1/6" and row["evidence"].startswith("core-2021-2022/1/6: iterative")


def test_alignment_matrix(table):
    m = alignment_matrix(table, rows="item", columns="value")
    assert m.shape == (30, 7) and m.index.name == "item"
    assert m.index[0] == "core-2021-2022/1/#1" and list(m.columns)[:2] == ["Transparency", "Diversity"]
    assert m.loc["core-2021-2022/1/7", "Transparency"] == 1.0  # the stated row wins
    assert m.loc["core-2022-2025/1/1.3", "Innovation"] == _row(table, "core-2022-2025/1/1.3", "Innovation")["score"]
    counts = alignment_matrix(table, rows="area", columns="stream", stat="count")
    assert counts.to_dict(orient="index") == {
        "core-2021-2022/1": {"Membership": 2, "Continuing Education": 3},
        "core-2021-2022/2": {"Membership": 0, "Continuing Education": 5},
        "core-2021-2022/3": {"Membership": 0, "Continuing Education": 0},
        "core-2022-2025/1": {"Membership": 5, "Continuing Education": 1},
        "core-2022-2025/2": {"Membership": 0, "Continuing Education": 1},
    }
    with pytest.raises(ValueError):
        alignment_matrix(table, rows="owner")


def test_owner_value_matrix(planset, table):
    m = owner_value_matrix(planset, table)
    # the 12 bodies the 2021-2022 plan assigns (the 2022-2025 plan assigns none), alphabetical
    assert len(m) == 12 and m.index.name == "owner"
    assert list(m.index[:2]) == ["Advocacy Coordination Committee", "ALA Staff"]  # case ignored
    # 1.7 (quarterly report, Board and ALA Staff): Transparency stated and inferred, counted once
    assert m.loc["ALA Staff"].to_dict() == {
        "Transparency": 1, "Diversity": 0, "Inclusion": 1, "Knowledge Sharing": 0, "Collaboration": 0,
        "Sustainability": 1, "Innovation": 0}
    best = owner_value_matrix(planset, table, columns="stream", stat="max")
    assert best.loc["Content Coordination Committee", "Continuing Education"] == max(
        _row(table, "core-2021-2022/2/3", "Continuing Education")["score"],
        _row(table, "core-2021-2022/2/4", "Continuing Education")["score"])


# -- command line ------------------------------------------------------------------------------------
def test_cli_align_table(capsys):
    assert main(["align"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("alignment (inferred links at score >= 0.25")
    assert "core-2021-2022: 89 links (48 stated, 41 inferred)" in out
    assert "core-2021-2022/1/7   Transparency          inferred  0.6468  report to members, quarterly report" in out
    assert main(["align", "--threshold", "0"]) == 0
    loose = capsys.readouterr().out
    assert loose.startswith("alignment (inferred links at score > 0;") and " 0.0000 " not in loose


def test_cli_align_json(capsys):
    assert main(["align", "core-2022-2025", "--json", "--threshold", "0.5"]) == 0
    text = capsys.readouterr().out
    doc = json.loads(text)
    assert list(doc) == ["rows", "schema"] and doc["schema"] == "coreplan-align/1"
    assert all(list(r) == sorted(r) for r in doc["rows"])
    assert all(r["score"] >= 0.5 and r["basis"] == "inferred" for r in doc["rows"])
    first = doc["rows"][0]
    assert first == {"basis": "inferred", "concept": "Innovation", "evidence": ["decentralized", "social media",
                     "platform"], "framework": "Core values", "item": "core-2022-2025/1/1.3",
                     "score": first["score"]}
    assert main(["align", "--json"]) == 0
    stated = [r for r in json.loads(capsys.readouterr().out)["rows"] if r["basis"] == "stated"]
    assert stated[0]["evidence"] == ["area Membership and Engagement names Transparency"]


def test_cli_align_all_and_bad_threshold(capsys):
    assert main(["align", "--json", "--all"]) == 0
    assert len(json.loads(capsys.readouterr().out)["rows"]) == 270 + 48
    assert main(["align", "--threshold", "2"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "must be between 0 and 1" in err


def _hits_by_substring(lexicon, words):
    """The definition: an entry is found when ' phrase ' is in ' words joined '."""
    from coreplan_analysis._align import _lexicon_phrases

    text = " " + " ".join(words) + " "
    found = []
    for entry, phrase in _lexicon_phrases(tuple(lexicon)):
        if phrase and f" {phrase} " in text and all(phrase != p for _, p in found):
            found.append((entry, phrase))
    return [e for e, p in found if not any(len(q) > len(p) and f" {p} " in f" {q} " for _, q in found)]


_LEX_WORDS = ["member", "members", "address", "barriers", "access", "the", "data", "open"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.lists(st.sampled_from(_LEX_WORDS), min_size=1, max_size=3).map(" ".join),
                         max_size=6).map(tuple), min_size=1, max_size=4),
       st.lists(st.sampled_from(_LEX_WORDS), max_size=12))
def test_lexicon_hits_all_equals_substring_search(lexicons, words):
    from coreplan_analysis._align import _lexicon_hits_all

    lexicons = tuple(lexicons)
    assert _lexicon_hits_all(lexicons, words) == [_hits_by_substring(lex, words) for lex in lexicons]


def test_lexicon_hits_on_the_bundled_lexicons():
    from coreplan_analysis import load_catalog
    from coreplan_analysis._align import _lexicon_hits_all
    from coreplan_analysis._similarity import _raw_words

    planset = load_catalog()
    lexicons = tuple(tuple(c.lexicon) for c in planset.reference.concepts())
    texts = [it.text for plan in planset for _, it in plan.walk()]
    got = [_lexicon_hits_all(lexicons, _raw_words(t)) for t in texts]
    assert got == [[_hits_by_substring(lex, _raw_words(t)) for lex in lexicons] for t in texts]
    assert sum(len(h) for hits in got for h in hits) > 20


def test_plans_aligned_together_equal_each_plan_alone(monkeypatch):
    # _rows fits and scores many plans' models at once (in batches of _BATCH_PLANS): a plan's
    # rows, evidence and damping must be those it gets alone (which never share a batch).
    import sys

    from coreplan_analysis import _align, parse_plan
    from coreplan_analysis._reference import load_reference
    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generator import generate_corpus

    ref = load_reference()
    plans = [parse_plan(p.text, plan_id=p.plan_id) for p in generate_corpus(5)]
    plans.insert(2, parse_plan("1. Members\nJust a statement.", plan_id="empty"))
    alone = [align(p, reference=ref) for p in plans]
    monkeypatch.setattr(_align, "_BATCH_PLANS", 4)  # batches of 4 and 2
    together = align(plans, reference=ref)
    want = pd.concat(alone, ignore_index=True)
    pd.testing.assert_frame_equal(together, want)
    assert together.attrs["damping"] == {k: v for a in alone for k, v in a.attrs["damping"].items()}
    assert (together["evidence"] != "").sum() > 100


# Scores of 4 places and values around their rounding boundaries (k / 10000 +- tiny).
_near_boundaries = st.builds(lambda k, eps: k / 10000 + eps, st.integers(0, 10000),
                             st.sampled_from([0.0, 5e-5, -5e-5, 4.9999999e-5, 5.0000001e-5, 1e-12, -1e-12]))
_scores = st.one_of(st.floats(0.0, 1.0), _near_boundaries)


@settings(max_examples=300, deadline=None)
@given(st.lists(_scores, min_size=0, max_size=60), st.one_of(st.just(0.0), st.floats(0.0, 1.0), _near_boundaries),
       st.integers(1, 4))
def test_rounds_at_least_is_pythons_round_and_counts(values, threshold, width):
    import numpy as np

    from coreplan_analysis._align import _count_floor, _counts, _rounds_at_least

    threshold = min(max(threshold, 0.0), 1.0)
    values = values[: len(values) // width * width]
    array = np.array(values, dtype=np.float64).reshape(-1, width)
    got = _rounds_at_least(array, _count_floor(threshold))
    assert got.shape == array.shape
    assert got.reshape(-1).tolist() == [_counts(round(x, 4), threshold) for x in values]
    # also on a non-contiguous view (a transposed block), read in its own order
    assert _rounds_at_least(array.T, _count_floor(threshold)).tolist() == [
        [_counts(round(x, 4), threshold) for x in col] for col in array.T.tolist()]
