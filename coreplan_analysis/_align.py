"""Alignment: which goals and actions serve which values and advance which streams, with evidence.

:func:`align` returns one long table with two kinds of rows:

- **stated** rows, where the plan says so: an area's "Core Values:" line names a value, and every
  item of the area (goals and actions) inherits it. Score 1.0, evidence
  ``"area <title> names <value>"``.
- **inferred** rows, one per (item, concept) for every item and every concept (values and
  streams), computed from the words: the score (below) is high when the item's text shares the
  concept's words, ``above_threshold`` says whether it counts: a score at or above the
  threshold and above 0 (a concept an item shares no word with never counts, even at
  threshold 0).

A person's decisions (basis ``confirmed``) are not produced here yet: the vocabulary is shared
with the rest of the toolkit.

How an inferred score is computed (documented once, here):

1. **Cosine.** A :class:`~coreplan_analysis._similarity.TextModel` (tf-idf, the toolkit's one
   tokeniser) is fitted per plan on a *fixed corpus*: the texts of every concept of the reference
   data (name, description and lexicon) plus the item texts of **that plan only**. So a plan's
   scores do not move when another plan joins the catalog. ``cos`` is the cosine between the
   item's text and the concept's text.
2. **Lexicon phrases.** ``h`` is the number of distinct entries of the concept's lexicon found
   verbatim in the item (whole words, case, punctuation and hyphens ignored: "train-the-trainer",
   "How To"); an entry inside a longer entry found at the same place counts once ("quarterly" in
   "quarterly report"). Each such phrase is independent evidence worth :data:`LEXICON_WEIGHT`,
   combined with the cosine as a noisy-OR::

       raw = 1 - (1 - cos) * (1 - LEXICON_WEIGHT) ** h

   With the defaults a single verbatim phrase (0.30) is enough to pass the threshold (0.25) on
   its own, and without one the words must overlap by a cosine of 0.25: on plans of short
   sentences, cosines rarely get that high, so most inferred links rest on a lexicon phrase.
3. **Damping.** A catch-all concept, one that a large share of a plan's items match, says little
   about any one of them. For each plan and concept, ``share`` is the fraction of the plan's
   items (goals and actions) whose ``raw`` score (4 places) counts (as ``above_threshold``), and::

       damping = min(1, max(0.5, 2 * (1 - share)))
       score = round(raw * damping, 4)

   Concepts matched by at most half the plan's items are not damped; beyond that the factor falls
   linearly, never below one half (so a strong match to a common concept still shows). On the
   seed plans only the Membership stream is damped (it matches 12 of the 16 items of the
   2021-2022 plan: factor 0.5). The factors are in ``table.attrs["damping"]`` as
   ``{plan: {framework: {concept: factor}}}``, the formula in ``table.attrs["damping_formula"]``.

Measured quality (tests/fixtures/alignment/labels.yaml, the author's labels of all 30 goals and
leaf actions of the seed plans against the seven Core values; ``tests/test_align.py`` pins
them): at :data:`DEFAULT_THRESHOLD`, precision 0.85 and recall 0.89 (40 of 47 inferred value
links right, 40 of 45 labelled links found). The lexicons were written from these same plans'
wording, so these figures are in-sample: expect lower on another organisation's plan.
"""

from __future__ import annotations

import functools

from ._runtime import gc_paused

__all__ = [
    "DEFAULT_THRESHOLD",
    "LEXICON_WEIGHT",
    "DAMPING_FORMULA",
    "ALIGN_COLUMNS",
    "ALIGN_SCHEMA",
    "align",
    "stated_vs_inferred",
    "alignment_matrix",
    "owner_value_matrix",
    "align_to_json",
    "concept_node",
]

#: Score (0..1) from which an inferred link counts: one verbatim lexicon phrase passes it alone.
DEFAULT_THRESHOLD = 0.25

#: What one verbatim lexicon phrase adds, as a noisy-OR with the cosine.
LEXICON_WEIGHT = 0.3

#: The damping formula, as stored in ``align(...).attrs["damping_formula"]``.
DAMPING_FORMULA = (
    "score = round(raw * damping, 4); damping = min(1, max(0.5, 2 * (1 - share))), share = the "
    "fraction of the plan's items whose raw score for the concept reaches the threshold (and is above "
    "0); "
    "raw = 1 - (1 - cosine) * (1 - 0.3) ** lexicon_phrases"
)

#: The columns of :func:`align`'s table, in order.
ALIGN_COLUMNS = (
    "plan", "area", "item", "kind", "concept", "framework", "concept_kind", "basis", "score",
    "evidence", "above_threshold",
)  # fmt: skip

#: Schema id of ``coreplan align --json``.
ALIGN_SCHEMA = "coreplan-align/1"

_DAMPING_FREE_SHARE = 0.5
_DAMPING_FLOOR = 0.5
_EVIDENCE_WORDS = 5


def concept_node(concept) -> str:
    """The graph node id of a concept: ``value:<name>`` or ``stream:<framework>:<name>``.

    Examples
    --------
    >>> from coreplan_analysis._reference import load_reference
    >>> [concept_node(c) for c in load_reference().concepts()][-2:]
    ['stream:ALA Pivot Strategy:Membership', 'stream:ALA Pivot Strategy:Continuing Education']
    """
    if concept.kind == "stream":
        return f"stream:{concept.framework}:{concept.name}"
    return f"value:{concept.name}"


def _concept_text(concept) -> str:
    return " ".join([concept.name, concept.description, *concept.lexicon])


@functools.lru_cache(maxsize=None)
def _lexicon_phrases(lexicon: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each lexicon entry with its raw words joined by single spaces (computed once per lexicon)."""
    from ._similarity import _raw_words

    return tuple((entry, " ".join(_raw_words(entry))) for entry in lexicon)


def _lexicon_hits(concept, words: list[str]) -> list[str]:
    """The lexicon entries of *concept* found verbatim in *words*, an entry inside another dropped.

    >>> from coreplan_analysis._reference import Concept
    >>> c = Concept("Inclusion", "Core values", "value", "", ("barriers", "address barriers", "access"), None)
    >>> _lexicon_hits(c, "identify and address barriers to participation".split())
    ['address barriers']
    """
    return _lexicon_hits_all((tuple(concept.lexicon),), words)[0]


@functools.lru_cache(maxsize=32)
def _lexicon_index(lexicons: tuple[tuple[str, ...], ...]) -> tuple[dict, tuple]:
    """``({first word: [(" phrase " or None for a one-word phrase, concept number, entry
    number)]}, each lexicon's _lexicon_phrases)`` of several lexicons, computed once per set of
    lexicons."""
    index: dict[str, list[tuple[str | None, int, int]]] = {}
    for r, lexicon in enumerate(lexicons):
        for pos, (_, phrase) in enumerate(_lexicon_phrases(lexicon)):
            if phrase:
                first, _, rest = phrase.partition(" ")
                index.setdefault(first, []).append((f" {phrase} " if rest else None, r, pos))
    return index, tuple(_lexicon_phrases(lexicon) for lexicon in lexicons)


def _lexicon_hits_all(lexicons: tuple[tuple[str, ...], ...], words, index=None) -> list[list[str]]:
    """:func:`_lexicon_hits` of each lexicon in *words* (single words, as ``_raw_words`` gives
    them) at once; *index* is ``_lexicon_index(lexicons)`` when the caller already has it.

    An entry is found when its words are a run of *words*: when ``" phrase "`` is in the words
    joined by spaces and framed by one (words hold no space). Every lexicon is indexed by the
    first word of its phrases, so only the phrases whose first word the item has are looked
    for (a one-word phrase is then found). Entries are then listed in lexicon order, a repeated
    phrase once, an entry inside another found one dropped.

    >>> _lexicon_hits_all((("barriers", "address barriers"), ("access",)),
    ...                   "identify and address barriers to access".split())
    [['address barriers'], ['access']]
    """
    by_first, tables = _lexicon_index(lexicons) if index is None else index
    present: dict[int, set[int]] = {}  # concept number -> entry numbers found
    words = words if isinstance(words, (list, tuple)) else list(words)
    text = None
    for word in by_first.keys() & set(words):
        for phrase, r, pos in by_first[word]:
            if phrase is not None:
                if text is None:
                    text = " " + " ".join(words) + " "
                if phrase not in text:
                    continue
            present.setdefault(r, set()).add(pos)
    out: list[list[str]] = [[] for _ in lexicons]
    for r, positions in present.items():
        phrases = tables[r]
        if len(positions) == 1:  # one entry: nothing to merge or drop
            out[r] = [phrases[next(iter(positions))][0]]
            continue
        found: list[tuple[str, str]] = []
        for pos in sorted(positions):
            entry, phrase = phrases[pos]
            if all(phrase != p for _, p in found):
                found.append((entry, phrase))
        out[r] = [e for e, p in found if not any(len(q) > len(p) and f" {p} " in f" {q} " for _, q in found)]
    return out


def _is_concept(obj) -> bool:
    return hasattr(obj, "lexicon") and hasattr(obj, "kind")


def _resolve_concepts(reference, concepts):
    """(corpus concepts, concepts to report) for *concepts* (None, names or Concept objects)."""
    every = list(reference.concepts())
    if concepts is None:
        return every, every
    if isinstance(concepts, str) or _is_concept(concepts):
        concepts = [concepts]
    wanted = []
    for c in concepts:
        if isinstance(c, str):
            hits = [x for x in every if x.name == c or concept_node(x) == c]
            if not hits:
                known = ", ".join(x.name for x in every)
                raise ValueError(f"no concept {c!r} in the reference data (known: {known})")
            wanted.extend(hits)
        elif _is_concept(c):
            wanted.append(c)
        else:
            raise TypeError(f"concepts must be names or Concept objects, not {type(c).__name__}")
    wanted = list(dict.fromkeys(wanted))
    corpus = every + [c for c in wanted if c not in every]
    return corpus, wanted


def _check_threshold(threshold):
    if threshold is None:
        return DEFAULT_THRESHOLD
    t = float(threshold)
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, not {threshold!r}")
    return t


def _counts(score: float, threshold: float) -> bool:
    """Whether an inferred *score* (as shown, 4 places) counts: at or above *threshold*, and
    above 0, so that threshold 0 means "any shared word", not "every concept".

    >>> _counts(0.3, 0.3), _counts(0.2999, 0.3), _counts(0.0001, 0.0), _counts(0.0, 0.0)
    (True, False, True, False)
    """
    return score >= threshold and score > 0


def _counts_phrase(threshold) -> str:
    """How a reader is told which inferred scores count at *threshold*.

    >>> _counts_phrase(0.25), _counts_phrase(0.0)
    ('score >= 0.25', 'score > 0')
    """
    return f"score >= {threshold}" if threshold else "score > 0"


def _count_floor(threshold: float) -> float:
    """The least score (as shown, 4 places) that :func:`_counts` at *threshold*: ``score >=
    _count_floor(threshold)`` is ``_counts(score, threshold)`` for every score of 4 places
    (a positive one is at least 0.0001).

    >>> _count_floor(0.25), _count_floor(0.0)
    (0.25, 5e-05)
    """
    return max(threshold, 5e-5)


def _rounds_at_least(values, floor: float):
    """``round(x, 4) >= floor`` for each float of the array *values*, as a boolean array:
    decided by numpy where *x* is clearly (0.0001) on one side of *floor*, by Python's
    ``round`` (correctly rounded, unlike ``numpy.round``) for the few near it."""
    import numpy as np

    values = np.ascontiguousarray(values, dtype=np.float64)
    out = values >= floor + 1e-4
    near = np.flatnonzero(~out & (values >= floor - 1e-4))
    if near.size:
        flat = out.reshape(-1)  # a view: out is a new C-ordered array
        flat[near] = [round(x, 4) >= floor for x in values.reshape(-1)[near].tolist()]
    return out


def _plans(planset):
    if hasattr(planset, "areas"):
        return [planset]
    return list(planset)


def _reference_of(planset, reference=None):
    if reference is not None:
        return reference
    ref = getattr(planset, "reference", None)
    if ref is None:
        from ._reference import load_reference

        ref = load_reference(getattr(planset, "workspace", None))
    return ref


@gc_paused()
def align(planset, *, threshold=None, concepts=None, reference=None):
    """Alignment of every goal and action with every value and stream: a long table.

    Parameters
    ----------
    planset : PlanSet, Plan or list of Plan
        The plans (annotated ones from :func:`~coreplan_analysis.load_catalog` by default).
    threshold : float, optional
        Score from which an inferred link counts (default :data:`DEFAULT_THRESHOLD`, 0.25).
    concepts : str, Concept, or list of them, optional
        Report only these concepts (names, node ids such as ``"value:Innovation"``, or
        :class:`~coreplan_analysis._reference.Concept` objects). The model is always fitted on
        every concept of the reference data, so choosing concepts does not change scores.
    reference : Reference, optional
        Default the planset's.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ALIGN_COLUMNS`: ``plan``, ``area``, ``item`` (ids), ``kind`` (goal or
        action), ``concept``, ``framework`` (the value set's or the framework's name),
        ``concept_kind`` (value or stream), ``basis`` (stated, inferred or confirmed), ``score``
        (0..1, 4 decimals), ``evidence`` (matched words and lexicon phrases joined with ``", "``,
        or the stated quote), ``above_threshold``. Rows in plan order, then printed item order,
        then concept order, stated before inferred. One stated row per (item, value its area
        names; a value the value set does not list gets a stated row, after the item's other
        rows, and no inferred one); one inferred row per (item, concept), zero scores included.
        ``attrs`` holds ``threshold``, ``lexicon_weight``, ``damping`` and
        ``damping_formula``. The module docstring gives the formula and its measured precision
        and recall.

    Examples
    --------
    >>> from coreplan_analysis import load_catalog
    >>> df = align(load_catalog())
    >>> list(df.columns) == list(ALIGN_COLUMNS)
    True
    >>> row = df[(df.item == "core-2021-2022/1/7") & (df.concept == "Transparency")]
    >>> row[["basis", "score", "evidence"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['stated', 1.0, 'area Membership and Engagement names Transparency'],
     ['inferred', 0.6468, 'report to members, quarterly report']]
    >>> df.attrs["damping"]["core-2021-2022"]["ALA Pivot Strategy"]
    {'Membership': 0.5, 'Continuing Education': 1.0}
    """
    import pandas as pd

    threshold = _check_threshold(threshold)
    reference = _reference_of(planset, reference)
    damping: dict = {}
    rows = list(_rows(_plans(planset), threshold, reference, concepts, damping))
    df = pd.DataFrame(rows, columns=list(ALIGN_COLUMNS))
    for col in ALIGN_COLUMNS:
        if col == "score":
            df[col] = df[col].astype("float64")
        elif col == "above_threshold":
            df[col] = df[col].astype(bool)
        else:
            df[col] = df[col].astype("str")
    df.attrs.update(threshold=threshold, lexicon_weight=LEXICON_WEIGHT, damping=damping,
                    damping_formula=DAMPING_FORMULA)
    return df


def _rows(plans, threshold, reference, concepts=None, damping=None, *, hits_only=False):
    """The rows of :func:`align`'s table as tuples, plan by plan (*damping* is filled with each
    plan's factors before its rows). With *hits_only*, only the inferred rows that count
    (:func:`_counts`): what the graph draws, without the evidence of the rows it does not.

    The models of :data:`_BATCH_PLANS` plans at a time are fitted, and their cosines and
    evidence words computed, in one set of sparse operations (``_similarity._stacked_models``:
    each plan keeps its own model, in its own columns), then their rows are written plan by
    plan."""
    import numpy as np

    from ._similarity import _evidence_rows, _raw_words, _stacked_models, tokenize

    corpus_concepts, report = _resolve_concepts(reference, concepts)
    by_value = {c.name: c for c in reference.values}
    concept_texts = [_concept_text(c) for c in corpus_concepts]
    lexicons = tuple(tuple(c.lexicon) for c in report)
    lexicon_index = _lexicon_index(lexicons)
    index = {c: k for k, c in enumerate(corpus_concepts)}
    damping = {} if damping is None else damping
    everything = list(plans)
    for first_plan in range(0, len(everything), _BATCH_PLANS):
        plans = everything[first_plan : first_plan + _BATCH_PLANS]
        walks = [list(plan.walk()) for plan in plans]
        texts_of = [[it.text for _, it in pairs] for pairs in walks]
        # Rows of every plan's model (concept texts first, then the plan's items), stacked; items
        # numbered across plans (first[b] is plan b's first) against the concepts of their plan.
        n_c, n_concepts = len(concept_texts), len(report)
        rows, terms, starts = _stacked_models([concept_texts + texts for texts in texts_of])
        sizes = [len(texts) for texts in texts_of]
        first = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        plan_of = np.repeat(np.arange(len(plans), dtype=np.int64), sizes)
        item_rows = np.asarray(starts, dtype=np.int64)[plan_of] + n_c + (np.arange(first[-1]) - first[plan_of])
        items = rows[item_rows]
        concept_block = rows[np.asarray([s + j for s in starts for j in range(n_c)], dtype=np.int64)]
        product = (items @ concept_block.T).tocoo()  # only an item and its own plan's concepts share columns
        cos_all = np.zeros((len(item_rows), n_c))
        cos_all[product.row, product.col - n_c * plan_of[product.row]] = product.data
        np.minimum(cos_all, 1.0, out=cos_all)  # as TextModel.similarity
        all_texts = [t for texts in texts_of for t in texts]

        prepared = []
        wanted_rows: list[int] = []  # the (item, concept) pairs whose evidence words are needed
        wanted_cols: list[int] = []
        for b, plan in enumerate(plans):
            texts = texts_of[b]
            # Concepts are numbered (r: position in *report*) so the loops below key on integers.
            found = [_lexicon_hits_all(lexicons, _raw_words(t), lexicon_index) for t in texts]
            n_items = len(texts)
            # raw[k][r] for item k and concept r: the formula of the module docstring, elementwise
            # (the same float operations in the same order as one pair at a time).
            phrases = np.array([[len(h) for h in hits] for hits in found], dtype=np.int64).reshape(n_items, n_concepts)
            cosine = cos_all[first[b] : first[b + 1]][:, [index[c] for c in report]]
            raw = 1.0 - (1.0 - cosine) * np.power(1.0 - LEXICON_WEIGHT, phrases)
            factors = []
            counted = _rounds_at_least(raw, _count_floor(threshold)).sum(axis=0).tolist()
            for r, c in enumerate(report):
                share = counted[r] / n_items if n_items else 0.0
                factors.append(round(min(1.0, max(_DAMPING_FLOOR, (1.0 - share) / (1.0 - _DAMPING_FREE_SHARE))), 4))
                damping.setdefault(plan.id, {}).setdefault(c.framework, {})[c.name] = factors[r]
            damped = raw * np.array(factors, dtype=np.float64)
            if hits_only:  # only the pairs that count: their scores, in row order
                ks, rs = np.nonzero(_rounds_at_least(damped, _count_floor(threshold)))
                scoring = list(zip(ks.tolist(), rs.tolist()))
                scores = [round(x, 4) for x in damped[ks, rs].tolist()]
            else:
                damped = damped.tolist()
                scores = [[round(x, 4) for x in row] for row in damped]
                scoring = [(k, r) for k in range(n_items) for r in range(n_concepts) if damped[k][r] > 0]
            wanted_rows.extend(int(first[b]) + k for k, _ in scoring)
            wanted_cols.extend(b * n_c + index[report[r]] for _, r in scoring)
            prepared.append((found, scores, scoring))
        # The words that matched, for every (item, concept) pair that shows evidence, in one batch.
        words = _evidence_rows(items, concept_block, np.asarray(wanted_rows, dtype=np.int64),
                               np.asarray(wanted_cols, dtype=np.int64), all_texts, terms, n=_EVIDENCE_WORDS)

        done = 0
        for b, plan in enumerate(plans):
            pairs = walks[b]
            found, scores, scoring = prepared[b]
            shown_words = words[done : done + len(scoring)]
            done += len(scoring)

            def evidence(k, r, matched):
                shown = list(found[k][r])
                covered = set(tokenize(" ".join(shown)))
                for w in matched:
                    terms = set(tokenize(w))
                    if not terms <= covered:
                        shown.append(w)
                        covered |= terms
                return ", ".join(shown)

            if hits_only:  # exactly the (item, concept) pairs that count, already in row order
                for (k, r), score, matched in zip(scoring, scores, shown_words):
                    area, item = pairs[k]
                    c = report[r]
                    yield (plan.id, area.id, item.id, item.kind, c.name, c.framework, c.kind, "inferred", score,
                           evidence(k, r, matched), True)
                continue
            matched_of = dict(zip(scoring, shown_words))
            stated_of: dict = {}  # area id -> (its stated concepts, their (framework, name))
            for k, (area, item) in enumerate(pairs):
                if area.id not in stated_of:
                    stated = [by_value.get(reference.canonical_value(v) or v) or _loose_value(v, reference)
                              for v in area.values]
                    stated_of[area.id] = (stated, {(s.framework, s.name) for s in stated})
                stated, names = stated_of[area.id]

                def stated_row(c):
                    quote = f"area {area.title or area.id} names {c.name}"
                    return (plan.id, area.id, item.id, item.kind, c.name, c.framework, c.kind, "stated", 1.0, quote,
                            True)

                for r, c in enumerate(report):
                    if c.kind == "value" and (c.framework, c.name) in names:
                        yield stated_row(c)
                    score = scores[k][r]
                    yield (plan.id, area.id, item.id, item.kind, c.name, c.framework, c.kind, "inferred", score,
                           evidence(k, r, matched_of.get((k, r), ())) if score > 0 else "", _counts(score, threshold))
                if concepts is None:  # a value the area names that the value set does not list
                    for c in stated:
                        if c not in index:
                            yield stated_row(c)


#: Plans whose models :func:`_rows` computes together (a bound on the memory it holds).
_BATCH_PLANS = 128


def _loose_value(name, reference):
    """A Concept for a value a plan names that the value set does not list."""
    from ._reference import Concept

    return Concept(name, reference.value_set, "value", "", (), None)


def align_to_json(df) -> dict:
    """The ``coreplan-align/1`` document of an :func:`align` table.

    Evidence becomes a list: the stated quote, or the matched words and phrases.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame([["p", "p/1", "p/1/1", "action", "Innovation", "Core values", "value",
    ...                     "inferred", 0.3, "emerging trends, explore", True]], columns=list(ALIGN_COLUMNS))
    >>> align_to_json(df)["rows"]  # doctest: +NORMALIZE_WHITESPACE
    [{'item': 'p/1/1', 'concept': 'Innovation', 'framework': 'Core values', 'basis': 'inferred',
      'score': 0.3, 'evidence': ['emerging trends', 'explore']}]
    """
    rows = []
    for r in df.itertuples(index=False):
        if r.basis == "inferred":
            evidence = [w for w in r.evidence.split(", ") if w] if r.evidence else []
        else:
            evidence = [r.evidence] if r.evidence else []
        rows.append({"item": r.item, "concept": r.concept, "framework": r.framework, "basis": r.basis,
                     "score": float(r.score), "evidence": evidence})
    return {"schema": ALIGN_SCHEMA, "rows": rows}


def _aligned(df):
    """Rows that count: stated or confirmed, or inferred above the threshold."""
    return df[(df["basis"] != "inferred") | df["above_threshold"]]


def stated_vs_inferred(align_df):
    """Where an area's stated values and its actions' words disagree.

    Two statuses, for values only (streams are never stated per area):

    - ``"stated, unsupported"``: the area names the value, but none of its actions (items of kind
      action) is inferred to serve it at the table's threshold;
    - ``"served, unstated"``: some of the area's actions are inferred to serve the value, but the
      area does not name it (every served value of a plan that names no values is listed).

    Parameters
    ----------
    align_df : pandas.DataFrame
        A table from :func:`align`.

    Returns
    -------
    pandas.DataFrame
        Columns ``plan``, ``area``, ``concept``, ``framework``, ``status``, ``items`` (the
        actions serving it, ids joined with ``"; "``, empty when unsupported), ``score`` (the best
        action's inferred score) and ``evidence`` (that action's id and words). Sorted by plan,
        area, status, concept.

    Examples
    --------
    >>> from coreplan_analysis import load_catalog
    >>> sv = stated_vs_inferred(align(load_catalog()))
    >>> sv[sv.plan == "core-2021-2022"][["area", "concept", "status"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['core-2021-2022/1', 'Collaboration', 'served, unstated'],
     ['core-2021-2022/1', 'Diversity', 'served, unstated'],
     ['core-2021-2022/1', 'Innovation', 'served, unstated'],
     ['core-2021-2022/1', 'Knowledge Sharing', 'served, unstated'],
     ['core-2021-2022/2', 'Collaboration', 'stated, unsupported'],
     ['core-2021-2022/2', 'Inclusion', 'served, unstated'],
     ['core-2021-2022/2', 'Sustainability', 'served, unstated'],
     ['core-2021-2022/3', 'Sustainability', 'served, unstated'],
     ['core-2021-2022/3', 'Transparency', 'served, unstated']]
    """
    import pandas as pd

    columns = ["plan", "area", "concept", "framework", "status", "items", "score", "evidence"]
    values = align_df[align_df["concept_kind"] == "value"]
    stated = values[values["basis"] != "inferred"]
    inferred = values[(values["basis"] == "inferred") & (values["kind"] == "action")]
    named = set(zip(stated["plan"], stated["area"], stated["framework"], stated["concept"]))
    out = []
    keys = list(dict.fromkeys(zip(values["plan"], values["area"], values["framework"], values["concept"])))
    groups = {k: g for k, g in inferred.groupby(["plan", "area", "framework", "concept"], sort=False)}
    for key in keys:
        g = groups.get(key)
        serving = g[g["above_threshold"]] if g is not None else None
        best = None
        if g is not None and len(g):
            best = g.sort_values("score", ascending=False, kind="stable").iloc[0]
        score = float(best["score"]) if best is not None else 0.0
        evidence = f"{best['item']}: {best['evidence']}" if best is not None and best["evidence"] else ""
        if key in named and (serving is None or serving.empty):
            out.append((*key[:2], key[3], key[2], "stated, unsupported", "", score, evidence))
        elif key not in named and serving is not None and not serving.empty:
            out.append((*key[:2], key[3], key[2], "served, unstated", "; ".join(serving["item"]), score, evidence))
    df = pd.DataFrame(out, columns=columns)
    df["score"] = df["score"].astype("float64")
    for col in columns:
        if col != "score":
            df[col] = df[col].astype("str")
    order = {"stated, unsupported": 0, "served, unstated": 1}
    df = df.sort_values(["plan", "area", "status", "concept"], key=lambda s: s.map(order) if s.name == "status" else s,
                        kind="stable").reset_index(drop=True)
    return df


def alignment_matrix(align_df, rows="item", columns="value", *, stat="max"):
    """A matrix of alignment: items or areas against values or streams.

    Parameters
    ----------
    align_df : pandas.DataFrame
        A table from :func:`align`.
    rows : {"item", "area"}
        One row per item, or per area (over its items).
    columns : {"value", "stream"}
        Values or streams as columns, in reference order.
    stat : {"max", "count"}
        ``"max"``: the highest score of any row (stated rows score 1.0, inferred rows below the
        threshold count too); ``"count"``: how many distinct items are aligned (stated,
        confirmed, or inferred at or above the threshold), so 0 or 1 for an item.

    Returns
    -------
    pandas.DataFrame
        Index: item or area ids in printed order (named ``item`` or ``area``); columns: concept
        names; missing pairs filled with 0.

    Examples
    --------
    >>> from coreplan_analysis import load_catalog
    >>> df = align(load_catalog())
    >>> m = alignment_matrix(df, rows="area", columns="value", stat="count")
    >>> m.loc["core-2021-2022/2"].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'Transparency': 0, 'Diversity': 0, 'Inclusion': 2, 'Knowledge Sharing': 5, 'Collaboration': 5,
     'Sustainability': 1, 'Innovation': 5}
    >>> alignment_matrix(df, rows="item", columns="stream").loc["core-2022-2025/2/2"].round(2).to_dict()
    {'Membership': 0.0, 'Continuing Education': 0.69}
    """
    if rows not in ("item", "area"):
        raise ValueError(f"rows must be 'item' or 'area', not {rows!r}")
    if columns not in ("value", "stream"):
        raise ValueError(f"columns must be 'value' or 'stream', not {columns!r}")
    if stat not in ("max", "count"):
        raise ValueError(f"stat must be 'max' or 'count', not {stat!r}")
    df = align_df[align_df["concept_kind"] == columns]
    index = list(dict.fromkeys(align_df[rows]))
    names = list(dict.fromkeys(df["concept"]))
    if stat == "max":
        m = df.pivot_table(index=rows, columns="concept", values="score", aggfunc="max", fill_value=0.0)
        m = m.reindex(index=index, columns=names, fill_value=0.0).astype("float64")
    else:
        hits = _aligned(df).drop_duplicates([rows, "item", "concept"]) if rows == "area" else \
            _aligned(df).drop_duplicates(["item", "concept"])
        m = hits.groupby([rows, "concept"]).size().unstack(fill_value=0)
        m = m.reindex(index=index, columns=names, fill_value=0).astype("int64")
    m.index.name = rows
    m.columns.name = None
    return m


def owner_value_matrix(planset, align_df, *, columns="value", stat="count"):
    """Owners against values (or streams): how many of each owner's items serve each concept.

    An owner's items are those assigned to it (owner parentheses, or a confirmed owner
    annotation); bodies only mentioned in prose are not counted.

    Parameters
    ----------
    planset : PlanSet, Plan or list of Plan
        The plans *align_df* was computed from.
    align_df : pandas.DataFrame
        A table from :func:`align`.
    columns : {"value", "stream"}
    stat : {"count", "max"}
        ``"count"``: distinct assigned items aligned (stated or above the threshold);
        ``"max"``: the best score of any of the owner's items.

    Returns
    -------
    pandas.DataFrame
        Index ``owner`` (canonical names, alphabetical ignoring case); columns concept names in
        reference order; 0 where nothing aligns.

    Examples
    --------
    >>> from coreplan_analysis import load_catalog
    >>> ps = load_catalog()
    >>> m = owner_value_matrix(ps, align(ps))
    >>> m.loc["Board of Directors"].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'Transparency': 3, 'Diversity': 1, 'Inclusion': 3, 'Knowledge Sharing': 0, 'Collaboration': 1,
     'Sustainability': 2, 'Innovation': 0}
    """
    import pandas as pd

    if columns not in ("value", "stream"):
        raise ValueError(f"columns must be 'value' or 'stream', not {columns!r}")
    if stat not in ("max", "count"):
        raise ValueError(f"stat must be 'max' or 'count', not {stat!r}")
    pairs = [(o, it.id) for plan in _plans(planset) for it in plan.items() for o in it.owners]
    owners = sorted(dict.fromkeys(o for o, _ in pairs), key=lambda s: (s.casefold(), s))
    assign = pd.DataFrame(pairs, columns=["owner", "item"], dtype="str")
    df = align_df[align_df["concept_kind"] == columns]
    names = list(dict.fromkeys(df["concept"]))
    if stat == "count":
        df = _aligned(df).drop_duplicates(["item", "concept"])
    merged = assign.merge(df[["item", "concept", "score"]], on="item", how="inner")
    if stat == "count":
        m = merged.groupby(["owner", "concept"]).size().unstack(fill_value=0)
        m = m.reindex(index=owners, columns=names, fill_value=0).astype("int64")
    else:
        m = merged.groupby(["owner", "concept"])["score"].max().unstack(fill_value=0.0)
        m = m.reindex(index=owners, columns=names, fill_value=0.0).astype("float64")
    m.index.name = "owner"
    m.columns.name = None
    return m
