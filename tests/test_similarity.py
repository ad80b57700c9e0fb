"""Tests of the shared text-similarity module (tokeniser, tf-idf model, reuse)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coreplan_analysis import _similarity, _topk
from coreplan_analysis._similarity import (
    PLAN_STOP_WORDS,
    SKLEARN_STOP_WORDS,
    STOP_WORDS,
    TextModel,
    normalize,
    phrases,
    reuse,
    reuse_many,
    shared_phrases,
    tokenize,
)

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"

# Verbatim lines of the 2021-2022 action plan.
ACTION_2_4 = (
    "4. Provide regular sessions on \u201cHow To\u201d propose and execute programming to better "
    "encourage proposals from members. (*Content Coordination Committee*)"
)
ACTION_1_1 = (
    "1. Refine the statement of [Core's value and benefits](#) to members to make these clear "
    "and visible to members. (*Board of Directors; Communications Coordination Committee*)"
)
# Verbatim items of the 2022-2025 plan.
CAMPAIGN = "Develop member engagement campaign"
SURVEY = "Develop member engagement survey"
UNRELATED = "Align journals on single platform and general practices"

# Item texts of both plans (owners and statuses removed), a realistic corpus.
PLAN_TEXTS = [
    "Refine the statement of Core's value and benefits to members to make these clear and "
    "visible to members.",
    "Develop a comprehensive mentoring program focused on supporting early career members that "
    "will serve as a model for establishing and implementing additional mentoring programs "
    "(e.g., new managers).",
    "Develop an engagement strategy that will continually identify and address barriers to "
    "participation.",
    "Establish an award that celebrates excellence in iterative and ongoing work by individuals "
    "and teams.",
    "Develop a process and structure for issuing a quarterly report to members.",
    "Explore emerging trends and training needs in areas of interest throughout the division.",
    "Develop member programming process to grow activity",
    "Provide regular sessions on \u201cHow To\u201d propose and execute programming to better "
    "encourage proposals from members.",
    "Develop overall member engagement and public relations campaign",
    CAMPAIGN,
    "Develop a social media strategy, potentially embracing a decentralized platform",
    SURVEY,
    "Track member engagement",
    UNRELATED,
    "Develop Core handbook for leadership expectations, policies, and procedures",
]


@pytest.fixture(scope="module")
def plan_model() -> TextModel:
    return TextModel.fit(PLAN_TEXTS)


# --- tokeniser ------------------------------------------------------------------------------


def test_real_lines_are_verbatim_from_the_raw_plan():
    text = (RAW / "core-strategic-action-plan-2021-2022.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert ACTION_2_4 in lines
    assert ACTION_1_1 in lines


def test_tokenize_action_with_curly_quotes_and_owner_markup():
    assert tokenize(ACTION_2_4) == [
        "regular",
        "session",
        "propos",
        "execut",
        "program",
        "better",
        "encourag",
        "proposal",
        "member",
        "content",
        "coordination",
        "committee",
    ]


def test_tokenize_keeps_link_text_and_drops_link_target():
    assert tokenize(ACTION_1_1) == [
        "stat",
        "valu",
        "benefit",
        "member",
        "clear",
        "visibl",
        "member",
        "board",
        "director",
        "communication",
        "coordination",
        "committee",
    ]
    assert tokenize("[values](https://www.ala.org/core/about/values) and www.ala.org") == ["valu"]


def test_tokenize_campaign_and_survey_differ_only_in_last_term():
    assert tokenize(CAMPAIGN) == ["member", "engag", "campaign"]
    assert tokenize(SURVEY) == ["member", "engag", "survey"]


def test_tokenize_drops_digits_single_letters_and_markup():
    assert tokenize("3.1. Aim for 6 of these opportunities a year, 2024 (e.g., **e-Forum**)") == [
        "aim",
        "opportunity",
        "year",
        "forum",
    ]


def test_tokenize_folds_accents_ligatures_and_case():
    expected = ["resum", "financ"]
    assert tokenize("R\u00c9SUM\u00c9 \ufb01nance") == tokenize("resume finance") == expected


@pytest.mark.parametrize(
    ("word", "term"),
    [
        ("members", "member"),
        ("member", "member"),
        ("membership", "member"),
        ("programming", "program"),
        ("programs", "program"),
        ("programme", "program"),
        ("activities", "activity"),
        ("identified", "identify"),
        ("planned", "plan"),
        ("calling", "call"),
        ("staffed", "staff"),
        ("processes", "process"),
        ("focus", "focus"),
        ("engagement", "engag"),
        ("engaged", "engag"),
        ("committee", "committee"),
        ("need", "need"),
    ],
)
def test_normalize(word, term):
    assert normalize(word) == term


def test_inflected_stopwords_are_dropped_but_derived_nouns_kept():
    assert tokenize("Making goals; developed, develops, creating") == []
    assert tokenize("Leadership development and Continuing Education") == [
        "leader",
        "develop",
        "continu",
        "education",
    ]


def test_stopword_lists():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert SKLEARN_STOP_WORDS == ENGLISH_STOP_WORDS
    assert {"core", "ala", "develop"} <= STOP_WORDS
    assert PLAN_STOP_WORDS <= STOP_WORDS
    assert "interest" not in STOP_WORDS
    assert tokenize("Interest Group Week") == ["interest", "group", "week"]


def test_phrases():
    assert phrases(CAMPAIGN, 2) == ["member engag", "engag campaign"]
    assert phrases(CAMPAIGN, 1) == tokenize(CAMPAIGN)
    assert phrases(CAMPAIGN, 4) == []
    with pytest.raises(ValueError):
        phrases(CAMPAIGN, 0)


# --- model ----------------------------------------------------------------------------------


def test_identical_texts_score_one(plan_model):
    scores = plan_model.similarity(PLAN_TEXTS, PLAN_TEXTS)
    assert np.diag(scores) == pytest.approx(np.ones(len(PLAN_TEXTS)), abs=1e-12)
    assert scores.max() <= 1.0


def test_disjoint_texts_score_zero(plan_model):
    assert plan_model.similarity([CAMPAIGN], [UNRELATED])[0, 0] == 0.0


def test_related_items_score_higher_than_unrelated(plan_model):
    scores = plan_model.similarity([CAMPAIGN, SURVEY], [SURVEY, CAMPAIGN, UNRELATED])
    campaign_survey, survey_campaign = scores[0, 0], scores[1, 1]
    assert campaign_survey == pytest.approx(survey_campaign)
    assert 0.3 < campaign_survey < 1.0
    assert campaign_survey > scores[0, 2]
    assert survey_campaign > scores[1, 2]
    # Against all items: itself, the goal it serves, then two equal scores in item order.
    best = plan_model.top_k([CAMPAIGN], PLAN_TEXTS, k=4)
    assert [PLAN_TEXTS[j] for _, j, _ in best] == [
        CAMPAIGN,
        "Develop overall member engagement and public relations campaign",
        SURVEY,
        "Track member engagement",
    ]
    assert [round(s, 3) for *_, s in best] == [1.0, 0.563, 0.424, 0.424]


def test_similarity_equals_sum_of_term_contributions(plan_model):
    wa, wb = plan_model.weights(CAMPAIGN), plan_model.weights(SURVEY)
    expected = sum(wa[t] * wb[t] for t in wa if t in wb)
    assert plan_model.similarity([CAMPAIGN], [SURVEY])[0, 0] == pytest.approx(expected, abs=1e-12)


def test_transform_shape_and_unit_rows(plan_model):
    matrix = plan_model.transform([CAMPAIGN, "entirely unseen vocabulary"])
    assert matrix.format == "csr"
    assert matrix.shape == (2, len(plan_model.vocabulary))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    assert norms.tolist() == pytest.approx([1.0, 0.0])
    # A text with no known term matches nothing, not even itself.
    assert plan_model.similarity(["entirely unseen"], ["entirely unseen"])[0, 0] == 0.0


def test_weights_are_a_sorted_unit_vector(plan_model):
    weights = plan_model.weights(ACTION_2_4)
    values = list(weights.values())
    assert values == sorted(values, reverse=True)
    assert sum(v * v for v in values) == pytest.approx(1.0)
    assert set(weights) <= set(tokenize(ACTION_2_4))
    # "content", "coordination", "committee" are not in the corpus: ignored.
    assert "committee" not in weights and "program" in weights


def test_inputs_are_validated():
    with pytest.raises(TypeError):
        TextModel("a single string is not a corpus")
    model = TextModel([CAMPAIGN, None, SURVEY])
    with pytest.raises(TypeError):
        model.transform(CAMPAIGN)
    with pytest.raises(TypeError):
        model.transform([CAMPAIGN, 3])
    with pytest.raises(ValueError):
        model.top_k([CAMPAIGN], [SURVEY], k=0)
    with pytest.raises(ValueError):
        model.top_k([CAMPAIGN], [SURVEY], block_rows=0)
    with pytest.raises(ValueError):
        model.evidence(CAMPAIGN, SURVEY, n=0)
    assert model.transform([None]).nnz == 0


def test_model_without_terms_scores_zero():
    model = TextModel(["the and of", "", None])
    assert model.vocabulary == []
    assert model.similarity([CAMPAIGN], [CAMPAIGN, SURVEY]).tolist() == [[0.0, 0.0]]
    assert model.top_k([CAMPAIGN], [CAMPAIGN]) == []
    assert model.evidence(CAMPAIGN, CAMPAIGN) == []


# --- top_k ----------------------------------------------------------------------------------


def _random_corpus(seed: int, n_a: int, n_b: int):
    rng = np.random.default_rng(seed)
    letters = np.array(list("bcdfghjklmnprstvwxz"))
    vowels = np.array(list("aeiou"))
    vocab = sorted(
        {
            "".join(rng.choice(letters) + rng.choice(vowels) for _ in range(3))
            for _ in range(220)
        }
    )

    def sentence():
        return " ".join(rng.choice(vocab, size=int(rng.integers(3, 13))))

    a = [sentence() for _ in range(n_a)]
    b = [sentence() for _ in range(n_b)]
    # Exact duplicates among b make exact ties, which must break by j.
    b[10] = b[3]
    b[150] = b[3]
    b[42] = ""
    return a, b


def _brute_force(model, a, b, *, k, threshold):
    dense = model.transform(a).toarray() @ model.transform(b).toarray().T
    pairs = []
    for i, row in enumerate(dense):
        candidates = [
            (-int(np.rint(min(s, 1.0) * 1e12)), j, float(min(s, 1.0)))
            for j, s in enumerate(row)
            if s > 0 and s >= threshold
        ]
        candidates.sort()
        pairs.extend((i, j, s) for _, j, s in candidates[:k])
    return pairs


@pytest.fixture(scope="module")
def random_case():
    a, b = _random_corpus(7, 300, 200)
    return TextModel.fit(a + b), a, b


@pytest.mark.parametrize("k", [1, 5])
@pytest.mark.parametrize("threshold", [0.0, 0.2])
def test_top_k_equals_brute_force(random_case, k, threshold):
    model, a, b = random_case
    expected = _brute_force(model, a, b, k=k, threshold=threshold)
    assert len(expected) > 100  # the corpus is dense enough to test something
    results = [
        model.top_k(a, b, k=k, threshold=threshold, block_rows=rows)
        for rows in (1, 7, 64, 299, 300, 5000)
    ]
    for got in results:
        assert got == results[0]  # identical whatever the blocks
        assert [(i, j) for i, j, _ in got] == [(i, j) for i, j, _ in expected]
        assert np.allclose([s for *_, s in got], [s for *_, s in expected], rtol=0, atol=1e-9)


def test_top_k_breaks_ties_by_j_and_orders_rows(random_case):
    model, a, b = random_case
    got = model.top_k([b[3]], b, k=3)
    assert [(i, j) for i, j, _ in got] == [(0, 3), (0, 10), (0, 150)]
    assert [round(s, 12) for *_, s in got] == [1.0, 1.0, 1.0]
    full = model.top_k(a, b, k=5)
    keys = [(i, -round(s, 12), j) for i, j, s in full]
    assert keys == sorted(keys)
    assert all(j != 42 for _, j, _ in full)  # the empty text matches nothing


@pytest.mark.parametrize("slack", [0, 1, 5])
def test_top_k_ranks_rows_again_exactly_where_ties_may_hide(random_case, monkeypatch, slack):
    # With little slack the library's k-th best often ties with what it left out: those rows
    # go through the exact scipy blocks, and the result is still the brute force one.
    model, a, b = random_case
    expected = _brute_force(model, a, b, k=4, threshold=0.0)
    seen = []
    original = _topk._best_in_block

    def spy(block, *, k, threshold):
        seen.append((block.format, block.shape, int(np.diff(block.indptr).max())))
        return original(block, k=k, threshold=threshold)

    monkeypatch.setattr(_topk, "_best_in_block", spy)
    monkeypatch.setattr(_topk, "_TOP_K_SLACK", slack)
    got = model.top_k(a, b, k=4)
    assert [(i, j) for i, j, _ in got] == [(i, j) for i, j, _ in expected]
    assert np.allclose([s for *_, s in got], [s for *_, s in expected], rtol=0, atol=1e-9)
    again = sum(shape[0] for _, shape, _ in seen)
    if slack == 0:
        assert again > len(a) // 2  # kept == k: every full row is ranked again
    else:
        assert again < len(a) // 4


def test_top_k_is_the_same_on_every_core(random_case, monkeypatch):
    model, a, b = random_case
    one = model.top_k(a, b, k=5)
    monkeypatch.setattr(_topk, "_THREADED_ROWS", 1)
    monkeypatch.setattr(_topk, "_threads", lambda: 3)
    assert model.top_k(a, b, k=5) == one


def test_top_k_ranks_again_in_bounded_sparse_blocks(random_case, monkeypatch):
    model, a, b = random_case
    expected = model.top_k(a, b, k=4)
    seen = []
    original = _topk._best_in_block

    def spy(block, *, k, threshold):
        seen.append((block.format, block.shape, int(np.diff(block.indptr).max())))
        return original(block, k=k, threshold=threshold)

    monkeypatch.setattr(_topk, "_best_in_block", spy)
    monkeypatch.setattr(_topk, "_TOP_K_SLACK", 0)
    monkeypatch.setattr(_topk, "_BLOCK_ENTRIES", 500)
    assert model.top_k(a, b, k=4, block_rows=64) == expected
    assert len(seen) > 300 // 64 + 1  # the budget split the 64-row blocks further
    assert all(fmt == "csr" for fmt, _, _ in seen)
    for _, (rows, cols), widest in seen:
        assert rows <= 64 and cols == len(b)
        assert rows == 1 or rows * widest <= 500


def test_top_k_empty_inputs(random_case):
    model, a, b = random_case
    assert model.top_k([], b) == []
    assert model.top_k(a, []) == []
    assert model.top_k(a, b, threshold=1.5) == []
    assert model.transform([]).shape == (0, len(model.vocabulary))
    assert model.similarity([], b).shape == (0, len(b))


# --- evidence -------------------------------------------------------------------------------


def test_evidence_names_shared_words_by_contribution(plan_model):
    # "engagement" is rarer than "member" in the corpus, so it weighs more.
    assert plan_model.evidence(CAMPAIGN, SURVEY) == ["engagement", "member"]
    assert plan_model.evidence(CAMPAIGN, SURVEY, n=1) == ["engagement"]
    assert plan_model.evidence(CAMPAIGN, UNRELATED) == []
    # Words as written in the first text; terms on request.
    assert plan_model.evidence("Engaging members", SURVEY) == ["engaging", "members"]
    assert plan_model.evidence("Engaging members", SURVEY, as_terms=True) == ["engag", "member"]


def test_evidence_ties_are_alphabetical():
    model = TextModel(["survey campaign", "campaign survey", "forum"])
    assert model.evidence("survey campaign", "campaign survey") == ["campaign", "survey"]


def test_evidence_order_follows_products_of_weights(plan_model):
    a_text = PLAN_TEXTS[7]
    b_text = "Member programming sessions and proposals"
    wa, wb = plan_model.weights(a_text), plan_model.weights(b_text)
    products = sorted(((-wa[t] * wb[t], t) for t in wa if t in wb))
    assert plan_model.evidence(a_text, b_text, n=10, as_terms=True) == [t for _, t in products]
    assert len(products) == 4


# --- reuse ----------------------------------------------------------------------------------

OLD = (
    "Develop an engagement strategy that will continually identify and address barriers to "
    "participation."
)
NEW = "Develop an engagement strategy to identify and address barriers to participation in Core."


def test_reuse_of_identical_and_reworded_texts():
    assert reuse(OLD, OLD) == 1.0
    value = reuse(OLD, NEW)
    assert 0.0 < value < 1.0
    assert value == pytest.approx(6 / 11)  # 6 of the 11 word trigrams of OLD recur in NEW
    assert reuse(NEW, OLD) == value


def test_reuse_edges():
    assert reuse(CAMPAIGN, UNRELATED) == 0.0
    assert reuse("", CAMPAIGN) == 0.0
    # A short text found whole in a longer one is fully reused.
    assert reuse("member engagement", "Track member engagement") == 1.0
    assert reuse("engagement member", "Track member engagement") == 0.0
    # Stopwords count: "an" breaks the trigram run.
    assert reuse("develop an engagement survey", "develop engagement survey", n=3) == 0.0
    with pytest.raises(ValueError):
        reuse(OLD, NEW, n=0)


def test_shared_phrases():
    assert shared_phrases(OLD, NEW) == [
        "identify and address barriers to participation",
        "develop an engagement strategy",
    ]
    assert shared_phrases(OLD, NEW, n=5) == ["identify and address barriers to participation"]
    assert shared_phrases(CAMPAIGN, UNRELATED) == []
    assert shared_phrases(
        "member engagement survey for new members",
        "member engagement survey and engagement survey for new members",
    ) == ["engagement survey for new members", "member engagement survey"]


def test_shared_phrases_drop_sub_phrases():
    assert shared_phrases(
        "develop a social media strategy now and social media strategy",
        "develop a social media strategy",
    ) == ["develop a social media strategy"]


# --- determinism and hygiene ----------------------------------------------------------------


def test_two_fits_give_identical_results(random_case):
    _, a, b = random_case
    first = TextModel.fit(a + b)
    second = TextModel(list(reversed(a + b)))  # document order does not matter either
    assert first.vocabulary == second.vocabulary
    assert (first.transform(a) != second.transform(a)).nnz == 0
    assert first.top_k(a, b, k=3) == second.top_k(a, b, k=3)
    assert [first.evidence(x, y) for x, y in zip(a, b)] == [
        second.evidence(x, y) for x, y in zip(a, b)
    ]
    assert repr(first) == f"TextModel(documents=500, terms={len(first.vocabulary)})"


def test_public_names_exist():
    for name in _similarity.__all__:
        assert hasattr(_similarity, name), name


def test_module_import_does_not_load_scikit_learn_or_scipy():
    code = (
        "import sys\n"
        "import coreplan_analysis._similarity as module\n"
        "assert module.tokenize('Track member engagement') == ['track', 'member', 'engag']\n"
        "print(sorted(m for m in ('sklearn', 'scipy', 'numpy', 'sparse_dot_topn') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _phrases_by_brute_force(a: str, b: str, n: int) -> list[str]:
    """Every maximal common word run of at least n words, by checking all substrings."""
    from coreplan_analysis._similarity import _raw_words

    wa, wb = _raw_words(a), _raw_words(b)
    runs_b = {tuple(wb[j:j + m]) for m in range(1, len(wb) + 1) for j in range(len(wb) - m + 1)}
    common = {}
    for m in range(n, len(wa) + 1):
        for i in range(len(wa) - m + 1):
            run = tuple(wa[i:i + m])
            if run in runs_b:
                common.setdefault(run, i)
    maximal = sorted(common.items(), key=lambda p: (-len(p[0]), p[1], " ".join(p[0])))
    kept = []
    for run, _ in maximal:
        if not any(any(longer[k:k + len(run)] == run for k in range(len(longer) - len(run) + 1))
                   for longer in kept):
            kept.append(run)
    return [" ".join(r) for r in kept]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["the", "member", "plan", "of", "a", "survey"]), max_size=14),
       st.lists(st.sampled_from(["the", "member", "plan", "of", "a", "survey"]), max_size=14),
       st.integers(1, 4))
def test_shared_phrases_equal_brute_force(a, b, n):
    a, b = " ".join(a), " ".join(b)
    assert shared_phrases(a, b, n=n) == _phrases_by_brute_force(a, b, n)


# --- batch forms: the same answers as the pair-by-pair functions ------------------------------
def test_evidence_many_equals_evidence_pair_by_pair(random_case):
    model, a, b = random_case
    pairs = [(i, j) for i in range(0, 300, 7) for j in range(0, 200, 3)] + [(0, 42), (5, 3), (5, 10)]
    for n, as_terms in ((5, False), (2, True)):
        expected = [model.evidence(a[i], b[j], n=n, as_terms=as_terms) for i, j in pairs]
        assert model.evidence_many(a, b, pairs, n=n, as_terms=as_terms) == expected
    assert sum(map(bool, expected)) > 100  # enough shared words to test something
    assert model.evidence_many(a, b, []) == []
    assert TextModel([""]).evidence_many(["a b"], ["a b"], [(0, 0)]) == [[]]


_WORDS_FOR_REUSE = st.lists(st.sampled_from(["the", "member", "plan", "of", "a", "survey", "2024"]),
                            max_size=9).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS_FOR_REUSE, min_size=1, max_size=4), st.lists(_WORDS_FOR_REUSE, min_size=1, max_size=4),
       st.integers(1, 4))
def test_reuse_many_equals_reuse(a, b, n):
    pairs = [(i, j) for i in range(len(a)) for j in range(len(b))]
    assert reuse_many(a, b, pairs, n=n) == [reuse(a[i], b[j], n=n) for i, j in pairs]


@settings(max_examples=300, deadline=None)
@given(_WORDS_FOR_REUSE, _WORDS_FOR_REUSE, st.integers(1, 4))
def test_reuse_equals_its_definition(a, b, n):
    # reuse counts the positions of the shorter text whose n-gram the other has, from the shared
    # n-grams' positions; the definition, position by position:
    wa, wb = _similarity._raw_words(a), _similarity._raw_words(b)
    if len(wb) < len(wa):
        wa, wb = wb, wa
    size = min(n, len(wa))
    expected = 0.0
    if wa:
        grams = [tuple(wa[k : k + size]) for k in range(len(wa) - size + 1)]
        other = {tuple(wb[k : k + size]) for k in range(len(wb) - size + 1)}
        expected = sum(g in other for g in grams) / len(grams)
    assert reuse(a, b, n=n) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab s'\u2019[]()/:.wHhtpé")), max_size=40))
def test_clean_skips_only_patterns_that_cannot_match(text):
    import unicodedata

    from coreplan_analysis._similarity import _APOSTROPHE, _LINK, _POSSESSIVE, _URL, _clean

    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    plain = _URL.sub(" ", _LINK.sub(r"\1", plain)).casefold()
    assert _clean(text) == _APOSTROPHE.sub("", _POSSESSIVE.sub("", plain))


def _vectorizer(corpus):
    """scikit-learn's TfidfVectorizer with the parameters TextModel documents: the oracle."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(tokenizer=_similarity.tokenize, lowercase=False, token_pattern=None,
                           min_df=1, max_df=1.0, smooth_idf=True, sublinear_tf=True, norm="l2",
                           dtype=np.float64).fit(corpus)


def _assert_same_rows(ours, theirs):
    theirs = theirs.tocsr()
    theirs.sort_indices()
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data, theirs.data)  # exact, not approximately


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(
    ["member", "members", "plan", "survey", "the", "core", "value", "grow", "library", "data", "e-Forum",
     "café", "2024", "mentoring", "outreach", "zebra"]), max_size=25).map(" ".join), min_size=1, max_size=12),
    st.lists(st.text(alphabet="abcdefgh mr", max_size=30), max_size=5))
def test_model_equals_scikit_learn_bit_for_bit(corpus, others):
    # TextModel counts terms and weighs texts itself (scikit-learn's TfidfTransformer fits the
    # idf): its vocabulary, idf and rows must be the vectorizer's own, to the last bit, for
    # corpus texts and unseen ones alike, whichever is transformed first.
    model = TextModel(corpus)
    if not any(_similarity.tokenize(t) for t in corpus):
        assert model.vocabulary == [] and model.transform(corpus).nnz == 0
        return
    vectorizer = _vectorizer(corpus)
    assert model.vocabulary == list(vectorizer.get_feature_names_out())
    assert np.array_equal(model._idf, vectorizer.idf_)
    texts = others + ["", "zebra zebra zebra member"] + corpus
    _assert_same_rows(model.transform(texts), vectorizer.transform(texts))
    _assert_same_rows(TextModel(corpus).transform(corpus), vectorizer.transform(corpus))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.lists(st.sampled_from(
    ["member", "members", "plan", "survey", "the", "core", "value", "library", "café", "2024", "zebra"]),
    max_size=12).map(" ".join), max_size=6), max_size=5))
def test_stacked_models_are_each_models_rows(corpora):
    # _stacked_models fits every corpus's model at once: each block of its rows must be that
    # corpus's TextModel rows to the last bit, in its own columns.
    rows, terms, starts = _similarity._stacked_models(corpora)
    offset = 0
    for b, corpus in enumerate(corpora):
        model = TextModel(corpus)
        width = len(model.vocabulary)
        assert terms[offset : offset + width] == model.vocabulary
        block = rows[starts[b] : starts[b] + len(corpus)]
        assert block[:, :offset].nnz == 0 and block[:, offset + width :].nnz == 0
        _assert_same_rows(block[:, offset : offset + width], model.transform(corpus))
        offset += width
    assert offset == len(terms) == rows.shape[1] and rows.shape[0] == sum(map(len, corpora))


_WORDS = ["member", "members", "plan", "survey", "the", "core", "value", "library", "café", "2024", "zebra"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join), max_size=6), max_size=5),
       st.lists(st.lists(st.sampled_from(_WORDS + ["unseen"]), max_size=8).map(" ".join), max_size=4))
def test_text_models_are_each_corpus_model(corpora, others):
    # _text_models fits every corpus's TextModel at once: each must be TextModel(corpus) to the
    # last bit, for the corpus's own texts (rows kept at the fit) and for any other text.
    fitted = _similarity._text_models(corpora)
    assert len(fitted) == len(corpora)
    for corpus, got in zip(corpora, fitted):
        want = TextModel(corpus)
        assert vars(got).keys() == vars(want).keys()  # a field TextModel() gains must be set here too
        assert got.vocabulary == want.vocabulary and repr(got) == repr(want)
        assert (got._idf is None) == (want._idf is None)
        if want._idf is not None:
            assert got._idf.dtype == want._idf.dtype and np.array_equal(got._idf, want._idf)
        for texts in (corpus, others, list(reversed(corpus)) + others):
            a, b = got.transform(texts), want.transform(texts)
            _assert_same_rows(a, b)
            assert a.indices.dtype == b.indices.dtype and a.data.dtype == b.data.dtype
        if corpus:
            pairs = [(i, j) for i in range(len(corpus)) for j in range(len(corpus))]
            assert got.evidence_many(corpus, corpus, pairs) == want.evidence_many(corpus, corpus, pairs)
            assert got.top_k(corpus, corpus, k=2) == want.top_k(corpus, corpus, k=2)


def test_model_equals_scikit_learn_on_plan_texts(random_case):
    model, a, b = random_case
    vectorizer = _vectorizer(a + b)
    assert np.array_equal(model._idf, vectorizer.idf_)
    _assert_same_rows(model.transform(a + b), vectorizer.transform(a + b))


def test_top_k_without_sparse_dot_topn_ranks_every_row_exactly(random_case, monkeypatch):
    # Where the library cannot be imported, top_k still gives the same answer (scipy blocks).
    model, a, b = random_case
    expected = model.top_k(a, b, k=4, threshold=0.1)
    monkeypatch.setattr(_topk, "_sparse_dot_topn", lambda: None)
    assert model.top_k(a, b, k=4, threshold=0.1) == expected
    assert [(i, j) for i, j, _ in expected] == [
        (i, j) for i, j, _ in _brute_force(model, a, b, k=4, threshold=0.1)]


def test_batch_forms_reject_pairs_out_of_range(random_case):
    model, a, b = random_case
    with pytest.raises(IndexError, match=r"pair \(-1, 0\) is out of range for 300 x 200 texts"):
        model.evidence_many(a, b, [(0, 1), (-1, 0)])
    with pytest.raises(IndexError, match=r"pair \(0, 200\)"):
        reuse_many(a, b, [(0, 200)])


def test_reuse_many_reads_only_the_texts_its_pairs_use(monkeypatch):
    # One pair of two long lists costs two texts (a crosswalk asks for single pairs too).
    read = []
    original = _similarity._grams

    def spy(text, n):
        read.append(text)
        return original(text, n)

    monkeypatch.setattr(_similarity, "_grams", spy)
    a = [f"plan text number {k} about members" for k in range(500)]
    assert reuse_many(a, a, [(7, 7)]) == [1.0]
    assert set(read) == {a[7]}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_distinctive_rows_are_the_rows_of_texts_of_those_terms(random_case, seed):
    # The crosswalk searches large plans on each text's distinctive terms: the rows it builds
    # must be the rows of texts that say just those terms, once each (to the last bit).
    from coreplan_analysis._similarity import _terms_with_surface

    model, a, _ = random_case
    rows = model.transform(a)
    common = np.random.default_rng(seed).random(len(model.vocabulary)) < 0.6
    got = model._distinctive(rows, common)
    texts = []
    for k, text in enumerate(a):
        terms = [model.vocabulary[t] for t in rows.indices[rows.indptr[k]:rows.indptr[k + 1]]]
        kept = [t for t in terms if not common[model.vocabulary.index(t)]]
        surface = {}
        for term, word in zip(*_terms_with_surface(text)):
            surface.setdefault(term, word)
        texts.append(" ".join(surface[t] for t in kept) if len(kept) >= 2 else text)
    expected = model.transform(texts)
    assert sum(t != a[k] for k, t in enumerate(texts)) > 100  # most rows were rewritten
    assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)


_FORK_SCRIPT = r"""
import os, sys, time
import numpy as np
from scipy import sparse
from coreplan_analysis import _topk

_topk._THREADED_ROWS = 1  # every call goes to the library's threads when it may
a = sparse.random(300, 50, density=0.2, format="csr", random_state=1)
b = sparse.random(200, 50, density=0.2, format="csr", random_state=2)
a.sort_indices(); b.sort_indices()
parent = _topk.top_k_rows(a, b, k=5)  # the OpenMP threads start in this process
if not _topk._THREADS_USED:
    sys.exit(4)
pid = os.fork()
if pid == 0:
    same = _topk.top_k_rows(a, b, k=5) == parent
    grandchild = os.fork()  # forked again: still one thread
    if grandchild == 0:
        os._exit(0 if _topk.top_k_rows(a, b, k=5) == parent else 1)
    _, status = os.waitpid(grandchild, 0)
    os._exit(0 if same and os.waitstatus_to_exitcode(status) == 0 else 1)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        sys.exit(os.waitstatus_to_exitcode(status))
    time.sleep(0.05)
os.kill(pid, 9)
os.waitpid(pid, 0)
sys.exit(3)
"""


@pytest.mark.skipif(not hasattr(os, "fork") or len(getattr(os, "sched_getaffinity", lambda _: range(
    os.cpu_count() or 1))(0)) < 2, reason="needs fork() and two cores this process may run on")
def test_top_k_in_a_forked_child_after_threads_does_not_hang():
    """GNU OpenMP cannot start threads in a child forked after it ran threads (the child waits
    forever): a forked child (``multiprocessing`` on Linux, before Python 3.14), and its own
    forked children, rank on one thread instead (told by os.register_at_fork, not by process
    ids, which the system reuses). Exit code 3 is the hang (killed after 60 s), 1 a different answer, 4 no
    threads in the parent."""
    proc = subprocess.run([sys.executable, "-c", _FORK_SCRIPT], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])


def _plain_reuse(a: str, b: str, n: int) -> float:
    """reuse() by its definition: the share of the shorter text's n-gram positions found in the other."""
    wa, wb = list(_similarity._raw_words(a)), list(_similarity._raw_words(b))
    if len(wb) < len(wa):
        wa, wb = wb, wa
    if not wa:
        return 0.0
    size = min(n, len(wa))
    runs_b = {tuple(wb[j : j + size]) for j in range(len(wb) - size + 1)}
    starts = range(len(wa) - size + 1)
    return sum(tuple(wa[i : i + size]) in runs_b for i in starts) / len(starts)


def _plain_shared_phrases(a: str, b: str, n: int) -> list[str]:
    """shared_phrases() by brute force over every pair of positions."""
    wa, wb = list(_similarity._raw_words(a)), list(_similarity._raw_words(b))
    if wa == wb:
        return [" ".join(wa)] if len(wa) >= n else []
    found: dict = {}
    for i in range(len(wa)):
        for j in range(len(wb)):
            if wa[i : i + n] != wb[j : j + n] or len(wa[i : i + n]) < n or (i and j and wa[i - 1] == wb[j - 1]):
                continue
            length = n
            while i + length < len(wa) and j + length < len(wb) and wa[i + length] == wb[j + length]:
                length += 1
            found.setdefault(tuple(wa[i : i + length]), i)
    kept: list = []
    for phrase, _ in sorted(found.items(), key=lambda p: (-len(p[0]), p[1], " ".join(p[0]))):
        if not any(longer[k : k + len(phrase)] == phrase for longer in kept for k in range(len(longer))):
            kept.append(phrase)
    return [" ".join(p) for p in kept]


_FEW_WORDS = st.lists(st.sampled_from(["run", "the", "member", "survey", "again", "Run", "café", "2024"]),
                      max_size=14).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_FEW_WORDS, _FEW_WORDS, st.integers(1, 4))
def test_reuse_and_shared_phrases_are_their_plain_definitions(a, b, n):
    # n-grams are cached as strings with counts (_grams): the answers are those of the plain
    # definitions, and _Scorer.reuse_many's (tests/test_continuity.py) follow reuse().
    assert reuse(a, b, n=n) == _plain_reuse(a, b, n)
    assert shared_phrases(a, b, n=n) == _plain_shared_phrases(a, b, n)
    words, grams, counts = _similarity._grams(a, n)
    assert list(grams) == [" ".join(words[k : k + n]) for k in range(len(words) - n + 1)]
    assert counts == {g: grams.count(g) for g in grams}
