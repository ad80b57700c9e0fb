"""Text similarity: the one tokeniser, the one vectoriser, the one way to name matching words.

Alignment (plan items against value and stream descriptions plus their lexicons) and continuity
(items of an old plan against items of a new one) both go through this module, so a match means
the same thing everywhere:

- :func:`tokenize` turns a short plan sentence into *terms*: lower-cased words with Markdown
  residue removed, stopwords (:data:`STOP_WORDS`) dropped and a light suffix-stripper
  (:func:`normalize`) applied so that "members" meets "member" and "programming" meets
  "programs". Terms are stems ("engag" for "engage", "engaging", "engagement"); users see surface
  words through :meth:`TextModel.evidence`.
- :class:`TextModel` is a tf-idf model fitted once on a fixed corpus (the caller decides which:
  both plans' items for continuity; items plus concept descriptions for alignment, where
  ``_stacked_models`` fits every plan's model at once, the same models). Its
  :meth:`~TextModel.similarity` is a cosine, :meth:`~TextModel.top_k` finds the best pairs of
  two large lists without building the full matrix, and :meth:`~TextModel.evidence` names the
  shared words that carry a score.
- :func:`reuse` and :func:`shared_phrases` measure near-verbatim reuse over the raw words (all
  words kept, nothing stemmed): a carried-over item usually repeats whole phrases.
- Batch forms for tens of thousands of pairs: :func:`reuse_many` and
  :meth:`TextModel.evidence_many` give the same answers as the pair-by-pair functions with sparse
  matrix operations. Cleaned texts, terms and raw words are cached per process (a text is read
  by many models), and a model keeps each text's row.

Every ranking here breaks ties by a stable key, so the same inputs give the same outputs.
scikit-learn and scipy are imported inside the functions that need them.
"""

from __future__ import annotations

import functools

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ._topk import _TIE_SCALE  # scores equal to 12 decimals tie, then rank by index or word

__all__ = [
    "SKLEARN_STOP_WORDS",
    "KEPT_WORDS",
    "PLAN_STOP_WORDS",
    "STOP_WORDS",
    "normalize",
    "tokenize",
    "phrases",
    "TextModel",
    "reuse",
    "reuse_many",
    "shared_phrases",
]

#: A frozen copy of scikit-learn's ``ENGLISH_STOP_WORDS`` (318 words, scikit-learn 1.9). Copied,
#: not imported, so ``import coreplan_analysis`` stays cheap and results cannot shift with a
#: scikit-learn upgrade (a test checks the copy against the installed list).
SKLEARN_STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been
    before beforehand behind being below beside besides between beyond bill both bottom but by
    call can cannot cant co con could couldnt cry de describe detail do done down due during
    each eg eight either eleven else elsewhere empty enough etc even ever every everyone
    everything everywhere except few fifteen fifty fill find fire first five for former
    formerly forty found four from front full further get give go had has hasnt have he hence
    her here hereafter hereby herein hereupon hers herself him himself his how however hundred
    i ie if in inc indeed interest into is it its itself keep last latter latterly least less
    ltd made many may me meanwhile might mill mine more moreover most mostly move much must my
    myself name namely neither never nevertheless next nine no nobody none noone nor not
    nothing now nowhere of off often on once one only onto or other others otherwise our ours
    ourselves out over own part per perhaps please put rather re same see seem seemed seeming
    seems serious several she should show side since sincere six sixty so some somehow someone
    something sometime sometimes somewhere still such system take ten than that the their them
    themselves then thence there thereafter thereby therefore therein thereupon these they
    thick thin third this those though three through throughout thru thus to together too top
    toward towards twelve twenty two un under until up upon us very via was we well were what
    whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
    whether which while whither who whoever whole whom whose why will with within without
    would yet you your yours yourself yourselves
    """.split()
)

#: Words of scikit-learn's list that carry topic in plans and are therefore *kept*: "Interest
#: Group", library "systems", "calls" for proposals, a legislative "bill", data "mining".
KEPT_WORDS = frozenset({"bill", "call", "interest", "mine", "system"})

#: Plan boilerplate dropped on top of the English list: the organisation's own names ("Core",
#: "ALA", "division"), "goal", and the directive verbs that open nearly every action ("Develop
#: ...", "Establish ...") and say nothing about its topic. Derived nouns survive: "development",
#: "creation", "implementation" and "exploration" are kept. "continue" is deliberately absent
#: ("Continuing Education" is a stream), as are "build", "offer", "support" and "work".
PLAN_STOP_WORDS = frozenset(
    {
        "ala",
        "core",
        "create",
        "develop",
        "division",
        "ensure",
        "establish",
        "explore",
        "goal",
        "help",
        "identify",
        "implement",
        "investigate",
        "make",
        "provide",
        "refine",
    }
)

#: The stopwords :func:`tokenize` drops. A word is dropped when it, or its inflected base (plural,
#: -ed, -ing, final -e removed: "making", "goals", "developed"), is one of these.
STOP_WORDS = frozenset((SKLEARN_STOP_WORDS - KEPT_WORDS) | PLAN_STOP_WORDS)

_VOWELS = frozenset("aeiouy")
# Doubled final consonants kept when a suffix goes ("calling" -> "call", "staffed" -> "staff").
_KEEP_DOUBLE = frozenset("lsfz")
# Whole-word exceptions to the suffix rules (British spelling, irregular plurals).
_EXCEPTIONS = {
    "programme": "program",
    "programmes": "program",
    "analyses": "analysis",
}

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_POSSESSIVE = re.compile(r"(?<=\w)['\u2019]s\b")
_APOSTROPHE = re.compile(r"(?<=\w)['\u2019](?=\w)")
_LETTERS = re.compile(r"[^\W\d_]+")
_WORDS = re.compile(r"[^\W_]+")


def _inflect(word: str) -> str:
    """Strip inflections: plural or third-person -s, -ies/-ied, -ed, -ing, then a final -e."""
    if word in _EXCEPTIONS:
        return _EXCEPTIONS[word]
    w = word
    if len(w) <= 2:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    if w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    elif not w.endswith("eed"):
        for suffix in ("ing", "ed"):
            if w.endswith(suffix):
                stem = w[: -len(suffix)]
                if len(stem) >= 2 and _VOWELS.intersection(stem):
                    if (
                        len(stem) >= 4
                        and stem[-1] == stem[-2]
                        and stem[-1] not in _VOWELS
                        and stem[-1] not in _KEEP_DOUBLE
                    ):
                        stem = stem[:-1]
                    w = stem
                break
    if len(w) >= 3 and w.endswith("e") and not w.endswith("ee"):
        w = w[:-1]
    return w


def _derive(word: str) -> str:
    """Strip a derivational -ment or -ship when four letters remain ("engagement" -> "engag")."""
    if word.endswith(("ment", "ship")) and len(word) >= 8:
        word = word[:-4]
        if word.endswith("e") and not word.endswith("ee"):
            word = word[:-1]
    return word


def normalize(word: str) -> str:
    """Reduce a lower-case word to the term :func:`tokenize` uses for it.

    A deliberately light suffix-stripper, not a full stemmer, in this order: plural or
    third-person ``-s`` (``-ies`` becomes ``-y``; ``-ss``, ``-us``, ``-is`` are kept), ``-ied``
    to ``-y``, ``-ed`` or ``-ing`` when a vowel stays in the stem (a doubled final consonant
    is undoubled, except l, s, f, z: "programming" -> "program", "calling" -> "call"; words in
    ``-eed`` are left alone), a final ``-e`` (not ``-ee``), then ``-ment`` or ``-ship`` when
    four letters remain. So "engage", "engaging", "engaged" and "engagement" all meet at
    "engag", and "membership" meets "members", while "communication" and "communicate" stay
    apart. Stopwords are matched before the ``-ment``/``-ship`` step, so dropping "develop"
    does not drop "development".

    Parameters
    ----------
    word : str
        One lower-case word.

    Returns
    -------
    str
        The term.

    Examples
    --------
    >>> [normalize(w) for w in ["members", "programming", "programs", "activities", "policies"]]
    ['member', 'program', 'program', 'activity', 'policy']
    >>> [normalize(w) for w in ["engagement", "engaging", "sharing", "share", "committee"]]
    ['engag', 'engag', 'shar', 'shar', 'committee']
    >>> [normalize(w) for w in ["membership", "leadership", "development", "calling"]]
    ['member', 'leader', 'develop', 'call']
    """
    return _derive(_inflect(word))


_STOP_BASES = frozenset(_inflect(w) for w in STOP_WORDS)


@lru_cache(maxsize=65536)
def _term(word: str) -> str | None:
    """The term of one lower-case, letters-only word, or ``None`` when it is dropped."""
    if len(word) < 2 or word in STOP_WORDS:
        return None
    base = _inflect(word)
    if base in _STOP_BASES:
        return None
    return _derive(base)


@lru_cache(maxsize=1 << 17)
def _clean(text: str) -> str:
    """Fold accents, keep link text, drop URLs, lower-case, drop possessives and apostrophes.

    Cached (terms and raw words both start here), and each pattern runs only when the text
    has the characters it needs."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    text = text.casefold()
    if "'" in text or "\u2019" in text:
        text = _POSSESSIVE.sub("", text)
        text = _APOSTROPHE.sub("", text)
    return text


@lru_cache(maxsize=1 << 17)
def _terms_with_surface(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(terms, surface words)``: the term of each kept word of ``text``, in order, and the word
    it comes from (two tuples of strings rather than a pair per word, so that the cache is not
    tens of thousands of small objects for the cyclic garbage collector to walk).

    Cached: a text is read many times in one analysis (fitting a model, transforming, naming
    evidence, in alignment and in every crosswalk its plan takes part in), and cleaning it is
    most of the cost of a similarity.

    >>> _terms_with_surface("Members and member surveys")
    (('member', 'member', 'survey'), ('members', 'member', 'surveys'))
    """
    terms = []
    words = []
    for word in _LETTERS.findall(_clean(text)):
        term = _term(word)
        if term is not None:
            terms.append(term)
            words.append(word)
    return tuple(terms), tuple(words)


def _terms(text: str) -> tuple[str, ...]:
    """The terms of :func:`tokenize`, as a cached tuple."""
    return _terms_with_surface(text)[0]


@lru_cache(maxsize=1 << 17)
def _term_counts(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """``(distinct terms in sorted order, how often each occurs)`` of a text, cached.

    >>> _term_counts("member survey of members")
    (('member', 'survey'), (2, 1))
    """
    counts: dict[str, int] = {}
    for term in _terms(text):
        counts[term] = counts.get(term, 0) + 1
    ordered = sorted(counts)
    return tuple(ordered), tuple(counts[t] for t in ordered)


@lru_cache(maxsize=1 << 16)
def _first_words(text: str, as_terms: bool = False) -> dict[str, str]:
    """``{term: the first (lower-cased) word of the text that gives it}`` (the term itself with
    *as_terms*), cached: read it, never change it.

    >>> _first_words("Members and member surveys")
    {'member': 'members', 'survey': 'surveys'}
    """
    first: dict[str, str] = {}
    for term, word in zip(*_terms_with_surface(text)):
        first.setdefault(term, term if as_terms else word)
    return first


def tokenize(text: str) -> list[str]:
    """Split a plan sentence into the terms every similarity in the toolkit is computed on.

    Steps: Unicode NFKD with accents removed; Markdown links ``[text](target)`` keep their text;
    URLs go; lower-case; possessive ``'s`` goes and other apostrophes join ("don't" ->
    "dont"); the text is split on every non-letter (so ``*``, ``**``, curly quotes, hyphens and
    digits separate words and digits never become terms: in plans they are item numbers, dates
    and counts that would link unrelated items of one cycle); one-letter words ("e" of
    "e-Forum", "g" of "e.g.") and :data:`STOP_WORDS` are dropped; :func:`normalize` is applied.

    Parameters
    ----------
    text : str
        One sentence or paragraph.

    Returns
    -------
    list of str
        The terms, in text order, repeats kept.

    Examples
    --------
    >>> tokenize("Develop member engagement campaign")
    ['member', 'engag', 'campaign']
    >>> tokenize("Refine the statement of [Core's value and benefits](#) to **members**.")
    ['stat', 'valu', 'benefit', 'member']
    """
    return list(_terms(text))


def phrases(text: str, n: int = 2) -> list[str]:
    """Word n-grams over the terms of :func:`tokenize`, joined by single spaces.

    Parameters
    ----------
    text : str
        One sentence.
    n : int, default 2
        Words per phrase (at least 1).

    Returns
    -------
    list of str
        The n-grams in text order, repeats kept; empty when there are fewer than ``n`` terms.

    Examples
    --------
    >>> phrases("Develop member engagement campaign", 2)
    ['member engag', 'engag campaign']
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    terms = tokenize(text)
    return [" ".join(terms[i : i + n]) for i in range(len(terms) - n + 1)]


def _texts(texts: Iterable[str | None], name: str) -> list[str]:
    """A list of strings from ``texts`` (``None`` counts as empty text)."""
    if isinstance(texts, str):
        raise TypeError(f"{name} must be a sequence of strings, not a single string")
    out = []
    for text in texts:
        if text is None:
            text = ""
        elif not isinstance(text, str):
            raise TypeError(f"{name} must hold strings, not {type(text).__name__}")
        out.append(text)
    return out


def _sklearn_quiet():
    """scikit-learn's configuration for the ``TfidfTransformer.fit`` call here: the parameters
    are this module's constants and the input is a count matrix built here (finite by
    construction), so its per-call parameter and finiteness checks (most of the cost of fitting
    a few dozen texts) are skipped."""
    import sklearn

    return sklearn.config_context(skip_parameter_validation=True, assume_finite=True)


class TextModel:
    """A tf-idf model of short texts, fitted once on a fixed corpus.

    The model is scikit-learn's ``TfidfVectorizer`` with :func:`tokenize` as the only tokeniser
    (``lowercase=False``, ``token_pattern=None``), single terms (no n-grams; the texts are 5-60
    words), every term of the corpus kept (``min_df=1``: a word used once may be the one that
    links two items), smoothed idf, ``sublinear_tf=True`` (a repeated word counts 1 + log(tf)),
    ``norm="l2"`` (so a dot product is the cosine) and ``float64``. Words not in the corpus are
    ignored when transforming; a text with no known term is a zero vector whose similarity to
    everything, itself included, is 0.

    How it is computed: the vectorizer's counting step (the sorted vocabulary and each text's
    term counts) is done here from the cached :func:`tokenize` terms, and its idf is fitted by
    ``sklearn.feature_extraction.text.TfidfTransformer`` on those counts, which is what
    ``TfidfVectorizer.fit`` does after counting. A graph of a thousand plans fits a model per
    pair of consecutive plans, and the vectorizer's counting and checks were most of each fit
    (alignment fits its models per plan all at once: ``_stacked_models``).
    :meth:`transform` weighs texts with the same arithmetic (see ``_weigh``). The vocabulary,
    idf and rows equal the vectorizer's to the last bit (tests/test_similarity.py).

    ``TextModel(corpus)`` and ``TextModel.fit(corpus)`` are the same.

    Parameters
    ----------
    corpus : sequence of str
        The texts whose vocabulary and document frequencies define the model. ``None`` entries
        count as empty texts. A corpus without a single term gives a model in which every
        similarity is 0.

    Examples
    --------
    >>> model = TextModel.fit(["Develop member engagement campaign",
    ...                        "Develop member engagement survey",
    ...                        "Align journals on single platform"])
    >>> model.vocabulary[:4]
    ['align', 'campaign', 'engag', 'journal']
    >>> model.similarity(["member survey"], ["Develop member engagement survey"]).round(3).tolist()
    [[0.855]]
    """

    def __init__(self, corpus: Sequence[str]):
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfTransformer

        docs = _texts(corpus, "corpus")
        self._weights_cache: dict[str, dict[str, float]] = {}
        self._rows: dict[str, tuple] = {}  # text -> (term indices, weights) of its row
        self._pending = None  # the corpus texts and counts whose rows the next transform weighs
        self._n_documents = len(docs)
        terms = [_term_counts(doc) for doc in docs]
        self._terms = sorted(set().union(*(t for t, _ in terms)))  # sorted, as CountVectorizer's
        self._column = {term: j for j, term in enumerate(self._terms)}
        self._idf = None
        if self._terms:
            indptr, indices, counts = self._count(terms, known=True)
            # TfidfVectorizer.fit is its counting then TfidfTransformer.fit on the counts.
            transformer = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True)
            with _sklearn_quiet():
                transformer.fit(sparse.csr_matrix((counts, indices, indptr), shape=(len(docs), len(self._terms))))
            self._idf = transformer.idf_
            self._pending = (docs, indptr, indices, counts)

    @classmethod
    def fit(cls, corpus: Sequence[str]) -> "TextModel":
        """Fit a model on ``corpus``; the same as ``TextModel(corpus)``.

        Examples
        --------
        >>> TextModel.fit(["Track member engagement"]).vocabulary
        ['engag', 'member', 'track']
        """
        return cls(corpus)

    def __repr__(self) -> str:
        return f"TextModel(documents={self._n_documents}, terms={len(self._terms)})"

    @property
    def vocabulary(self) -> list[str]:
        """The model's terms, in alphabetical order (column order of :meth:`transform`)."""
        return list(self._terms)

    def transform(self, texts: Sequence[str]):
        """Tf-idf vectors of ``texts``: one L2-normalised row per text.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        scipy.sparse.csr_matrix
            Shape ``(len(texts), len(vocabulary))``, float64.

        Examples
        --------
        >>> model = TextModel(["member survey", "member campaign"])
        >>> model.transform(["member survey", "unknown words"]).toarray().round(3).tolist()
        [[0.0, 0.58, 0.815], [0.0, 0.0, 0.0]]
        """
        import numpy as np
        from scipy import sparse

        docs = _texts(texts, "texts")
        if self._idf is None or not docs:
            return sparse.csr_matrix((len(docs), len(self._terms)), dtype=np.float64)
        # Each text's row is computed once per model and kept (a crosswalk transforms its
        # plans' texts for the search, the scores and the evidence); the first call also
        # weighs the corpus's own rows from the counts the fit made (models are asked about
        # their corpus texts).
        rows = self._rows
        if self._pending is not None:
            corpus, indptr, indices, counts = self._pending
            self._pending = None
            # A copy: _weigh_counts overwrites its counts, and another thread may be weighing
            # the same pending counts at the same time (it then keeps the same rows).
            self._keep(corpus, self._weigh_counts(indptr, indices, counts.copy()))
        missing = [doc for doc in dict.fromkeys(docs) if doc not in rows]
        if missing:
            self._keep(missing, self._weigh(missing))
        picked = [rows[doc] for doc in docs]
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum([len(ix) for ix, _ in picked], out=indptr[1:])
        indices = np.concatenate([ix for ix, _ in picked]) if picked else np.zeros(0, dtype=np.int32)
        data = np.concatenate([d for _, d in picked]) if picked else np.zeros(0)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(docs), len(self._terms)))

    def _keep(self, docs: list[str], matrix) -> None:
        """Keep the rows of *matrix* as the rows of *docs* (a text's first row wins)."""
        rows = self._rows
        for k, doc in enumerate(docs):
            if doc not in rows:
                lo, hi = matrix.indptr[k], matrix.indptr[k + 1]
                rows[doc] = (matrix.indices[lo:hi], matrix.data[lo:hi])

    def _count(self, terms: list[tuple], *, known: bool = False):
        """CSR parts ``(indptr, indices, counts)`` of the counts of known terms in texts, from
        their :func:`_term_counts`, columns sorted within rows (as ``CountVectorizer`` gives
        them: the vocabulary is sorted, so a text's sorted terms have increasing columns).
        *known*: every term is in the vocabulary (the corpus's own texts)."""
        import numpy as np

        column = self._column
        indptr = [0]
        indices: list[int] = []
        counts: list[int] = []
        for words, tf in terms:
            if known:
                indices.extend(map(column.__getitem__, words))
                counts.extend(tf)
            else:
                for word, n in zip(words, tf):
                    j = column.get(word)
                    if j is not None:
                        indices.append(j)
                        counts.append(n)
            indptr.append(len(indices))
        return (np.asarray(indptr, dtype=np.int64), np.asarray(indices, dtype=np.int32),
                np.asarray(counts, dtype=np.float64))

    def _weigh(self, docs: list[str]):
        """What ``TfidfVectorizer.transform(docs)`` gives for this model, computed here.

        scikit-learn's ``transform`` checks its input and configuration on every call, which
        costs about a millisecond however few the texts, and a graph of a thousand plans makes
        thousands of calls (one or two per crosswalk). The idf is
        scikit-learn's; the weighting repeats the vectorizer's operations in its order: counts of
        each known term in column order, ``log(tf) + 1``, times idf, then each row divided by
        the square root of its sum of squares accumulated in column order (as
        ``sklearn.preprocessing.normalize`` does), so the rows are equal to the last bit
        (tests/test_similarity.py checks them against ``TfidfVectorizer.transform``).
        """
        return self._weigh_counts(*self._count([_term_counts(doc) for doc in docs]))

    def _weigh_counts(self, indptr, cols, counts):
        """Tf-idf rows from term counts (CSR parts, columns sorted within rows): the arithmetic of
        :meth:`_weigh`. *counts* is overwritten."""
        return _tfidf_rows(indptr, cols, counts, self._idf, len(self._terms))

    def _distinctive(self, matrix, common):
        """Rows of *matrix* (this model's rows) on their terms outside *common* (a boolean mask
        over the vocabulary), each counted once: the rows of texts written with only those
        terms. A row left with fewer than two such terms stays as it is.

        >>> import numpy as np
        >>> model = TextModel(["member survey plan", "member campaign plan"])
        >>> rows = model.transform(["member survey plan", "member plan"])
        >>> common = np.array([t == "member" for t in model.vocabulary])
        >>> model._distinctive(rows, common).toarray().round(3).tolist()
        [[0.0, 0.0, 0.58, 0.815], [0.0, 0.707, 0.707, 0.0]]
        >>> (model._distinctive(rows, common) != model.transform(["plan survey", "member plan"])).nnz
        0
        """
        import numpy as np

        n_rows = matrix.shape[0]
        row = np.repeat(np.arange(n_rows), np.diff(matrix.indptr))
        kept = ~common[matrix.indices]
        rewritten = np.bincount(row[kept], minlength=n_rows) >= 2
        # Rows rewritten keep their distinctive terms (count 1); the others all their entries.
        keep = np.where(rewritten[row], kept, True)
        counts = np.bincount(row[keep], minlength=n_rows)
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        cols = matrix.indices[keep].astype(np.int32)
        ones = self._weigh_counts(indptr, cols, np.ones(cols.size, dtype=np.float64))
        data = np.where(rewritten[row[keep]], ones.data, matrix.data[keep])
        return type(ones)((data, cols, indptr), shape=matrix.shape)

    def similarity(self, a_texts: Sequence[str], b_texts: Sequence[str]):
        """Cosine similarities of every text of ``a_texts`` with every text of ``b_texts``.

        Dense: meant for small inputs (use :meth:`top_k` for large ones).

        Returns
        -------
        numpy.ndarray
            Shape ``(len(a_texts), len(b_texts))``, values in [0, 1].

        Examples
        --------
        >>> model = TextModel(["Develop member engagement campaign",
        ...                    "Develop member engagement survey",
        ...                    "Align journals on single platform"])
        >>> model.similarity(["Develop member engagement campaign"],
        ...                  ["Develop member engagement survey",
        ...                   "Align journals on single platform"]).round(3).tolist()
        [[0.536, 0.0]]
        """
        import numpy as np

        a = self.transform(a_texts)
        b = self.transform(b_texts)
        out = np.asarray((a @ b.T).toarray(), dtype=np.float64)
        np.minimum(out, 1.0, out=out)
        return out

    def top_k(
        self,
        a_texts: Sequence[str],
        b_texts: Sequence[str],
        *,
        k: int = 5,
        threshold: float = 0.0,
        block_rows: int = 2048,
    ) -> list[tuple[int, int, float]]:
        """For each text of ``a_texts``, its best matches among ``b_texts``.

        The full similarity matrix is never built. ``sparse_dot_topn`` multiplies the sparse
        tf-idf rows and keeps only each row's best few products as it goes (in C++, on every
        core for large inputs), a few more than ``k`` so that ties can be broken exactly here:
        scores equal to 12 decimals rank by ``j``. A row whose ``k``-th best may tie with a
        product the library left out is ranked again exactly, by multiplying it with scipy in
        blocks of at most ``block_rows`` rows (fewer when rows times the most candidates of one
        row would pass four million, so memory stays bounded even when one term is in every
        text). Pairs sharing no term (score 0) are never returned. About 0.3 s for 10,000 x
        10,000 texts of a dozen words on two cores.

        Parameters
        ----------
        a_texts, b_texts : sequence of str
        k : int, default 5
            Pairs kept per text of ``a_texts`` (at least 1).
        threshold : float, default 0.0
            Keep only pairs whose score is at least this.
        block_rows : int, default 2048
            Largest number of rows of ``a_texts`` ranked again exactly at once (at least 1). It
            bounds memory and does not change the result.

        Returns
        -------
        list of (int, int, float)
            ``(i, j, score)`` sorted by ``i``, then score descending, then ``j``; scores equal
            to 12 decimals count as ties.

        Examples
        --------
        >>> model = TextModel(["member engagement survey", "member engagement campaign",
        ...                    "journal platform", "member survey"])
        >>> [(i, j, round(s, 3)) for i, j, s in model.top_k(
        ...     ["Develop member engagement survey", "Align journals"],
        ...     ["member survey", "engagement campaign", "journal platform"], k=2)]
        [(0, 0, 0.79), (0, 1, 0.38), (1, 2, 0.707)]
        """

        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        if block_rows < 1:
            raise ValueError(f"block_rows must be at least 1, not {block_rows}")
        from ._topk import top_k_rows

        return top_k_rows(self.transform(a_texts), self.transform(b_texts), k=k, threshold=threshold,
                          block_rows=block_rows)

    def weights(self, text: str) -> dict[str, float]:
        """The tf-idf weight of each known term of ``text``.

        Returns
        -------
        dict of str to float
            Ordered by weight descending, then term; weights form a unit vector.

        Examples
        --------
        >>> model = TextModel(["member survey", "member campaign"])
        >>> {t: round(w, 3) for t, w in model.weights("members survey").items()}
        {'survey': 0.815, 'member': 0.58}
        """
        cached = self._weights_cache.get(text)
        if cached is None:
            self.prime([text])
            cached = self._weights_cache[text]
        return dict(cached)

    def prime(self, texts: Sequence[str]) -> None:
        """Compute the weights of many texts in one batch, so later :meth:`weights` and
        :meth:`evidence` calls on them cost a dictionary look-up (one sparse transform for all
        instead of one per call).

        >>> model = TextModel(["member survey", "member campaign"])
        >>> model.prime(["members survey", "campaign"])
        >>> list(model.weights("campaign"))
        ['campaign']
        """
        todo = [t for t in dict.fromkeys(_texts(texts, "texts")) if t not in self._weights_cache]
        if not todo:
            return
        matrix = self.transform(todo)
        for k, text in enumerate(todo):
            lo, hi = matrix.indptr[k], matrix.indptr[k + 1]
            pairs = [(self._terms[j], float(w)) for j, w in zip(matrix.indices[lo:hi], matrix.data[lo:hi])]
            pairs.sort(key=lambda p: (-round(p[1] * _TIE_SCALE), p[0]))
            self._weights_cache[text] = dict(pairs)

    def evidence(
        self, a_text: str, b_text: str, *, n: int = 5, as_terms: bool = False
    ) -> list[str]:
        """The shared words that contribute most to the cosine of two texts.

        A shared term contributes the product of its two tf-idf weights; the scores of
        :meth:`similarity` are the sums of these contributions. Shown to users as "the words
        that matched".

        Parameters
        ----------
        a_text, b_text : str
        n : int, default 5
            At most this many words.
        as_terms : bool, default False
            Return the model's terms (stems such as "engag") instead of words as written.

        Returns
        -------
        list of str
            Largest contribution first, ties alphabetical. Each term is shown as the word it
            first appears as in ``a_text``, lower-cased.

        Examples
        --------
        >>> model = TextModel(["member engagement survey", "member engagement campaign",
        ...                    "member forum", "member award"])
        >>> model.evidence("Members engagement campaign", "Develop member engagement survey")
        ['engagement', 'members']
        >>> model.evidence("Members engagement campaign", "member engaging", as_terms=True)
        ['engag', 'member']
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, not {n}")
        wa = self.weights(a_text)
        wb = self.weights(b_text)
        shown = _first_words(a_text or "", as_terms)
        ranked = sorted(
            ((round(wa[t] * wb[t] * _TIE_SCALE), shown[t]) for t in wa if t in wb),
            key=lambda p: (-p[0], p[1]),
        )
        return [word for _, word in ranked[:n]]

    def evidence_many(
        self,
        a_texts: Sequence[str],
        b_texts: Sequence[str],
        pairs: Sequence[tuple[int, int]],
        *,
        n: int = 5,
        as_terms: bool = False,
    ) -> list[list[str]]:
        """:meth:`evidence` of many pairs at once: ``evidence(a_texts[i], b_texts[j])`` for
        each ``(i, j)`` of ``pairs``, the same words in the same order.

        The shared terms of all pairs are found and ranked with sparse matrix operations (one
        transform of each list, one element-wise product), so a crosswalk of tens of thousands
        of links names its evidence in a fraction of a second.

        Examples
        --------
        >>> model = TextModel(["member engagement survey", "member engagement campaign",
        ...                    "member forum", "member award"])
        >>> model.evidence_many(["Members engagement campaign"],
        ...                     ["Develop member engagement survey", "member award"], [(0, 0), (0, 1)])
        [['engagement', 'members'], ['members']]
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, not {n}")
        a_docs, b_docs = _texts(a_texts, "a_texts"), _texts(b_texts, "b_texts")
        pairs = list(pairs)
        if not pairs or self._idf is None:
            return [[] for _ in pairs]
        rows, cols = _pair_arrays(pairs, len(a_docs), len(b_docs))
        a, b = self.transform(a_docs), self.transform(b_docs)
        return _evidence_rows(a, b, rows, cols, a_docs, self._terms, n=n, as_terms=as_terms)


def _tfidf_rows(indptr, cols, counts, idf, n_cols):
    """L2-normalised tf-idf rows (CSR, *n_cols* columns) from term counts (CSR parts, columns
    sorted within rows) and the idf of every column, in ``TfidfVectorizer.transform``'s order
    of operations: ``log(tf) + 1``, times idf, each row divided by the square root of its sum of
    squares accumulated in column order. *counts* is overwritten."""
    import numpy as np
    from scipy import sparse

    n_rows = len(indptr) - 1
    data = counts
    np.log(data, out=data)
    data += 1.0
    data *= idf[cols]
    row = np.repeat(np.arange(n_rows), np.diff(indptr))
    norm = np.sqrt(np.bincount(row, weights=data * data, minlength=n_rows))  # summed in order
    data /= norm[row]
    return sparse.csr_matrix((data, cols, indptr), shape=(n_rows, n_cols))


def _stacked_models(corpora) -> tuple:
    """The rows of ``TextModel(c).transform(c)`` for each corpus *c*, all computed at once:
    ``(rows, terms, starts)``.

    *rows* stacks each corpus's rows in order (corpus ``b`` from row ``starts[b]``); each corpus
    has its own columns (its vocabulary, sorted, after the previous corpora's), named by
    *terms*, so rows of two corpora share no column and one sparse product of stacked rows is
    every corpus's own product. A model is fitted as :class:`TextModel` fits it (its idf is
    scikit-learn's ``TfidfTransformer`` formula with smoothing, ``log((n + 1) / (df + 1)) + 1``,
    computed for every corpus in one array): equal to each model's rows to the last bit
    (tests/test_similarity.py). Alignment fits one model per plan, a thousand for a thousand
    plans, and this spares it a thousand rounds of small-matrix overhead (``_align._rows``).

    >>> rows, terms, starts = _stacked_models([["member survey", "member plan"], ["survey"]])
    >>> terms, starts
    (['member', 'plan', 'survey', 'survey'], [0, 2])
    >>> (rows[:2, :3] != TextModel(["member survey", "member plan"]).transform(
    ...     ["member survey", "member plan"])).nnz
    0
    """
    rows, terms, starts, _, _ = _stack_fit(corpora)
    return rows, terms, starts


def _stack_fit(corpora) -> tuple:
    """:func:`_stacked_models` with each column's idf and each corpus's number of columns:
    ``(rows, terms, starts, idf, sizes)``."""
    import numpy as np

    terms: list[str] = []
    n_docs: list[int] = []
    sizes: list[int] = []
    starts: list[int] = []
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    for corpus in corpora:
        block = [_term_counts(doc) for doc in _texts(corpus, "corpus")]
        vocabulary = sorted(set().union(*(t for t, _ in block)))
        column = {term: len(terms) + j for j, term in enumerate(vocabulary)}
        starts.append(len(indptr) - 1)
        for words, tf in block:
            indices.extend(map(column.__getitem__, words))
            counts.extend(tf)
            indptr.append(len(indices))
        terms.extend(vocabulary)
        n_docs.append(len(block))
        sizes.append(len(vocabulary))
    cols = np.asarray(indices, dtype=np.int32 if len(terms) < 2**31 else np.int64)
    # TfidfTransformer.fit (smooth_idf=True): document frequencies + 1, documents + 1,
    # idf = log(documents / df) + 1 (a column's documents are its corpus's).
    df = np.bincount(cols, minlength=len(terms)).astype(np.float64)
    df += 1.0
    idf = np.repeat(np.asarray(n_docs, dtype=np.float64) + 1.0, sizes)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    rows = _tfidf_rows(np.asarray(indptr, dtype=np.int64), cols, np.asarray(counts, dtype=np.float64), idf,
                       len(terms))
    return rows, terms, starts, idf, sizes


def _text_models(corpora) -> list["TextModel"]:
    """``TextModel(c)`` for each corpus *c*, fitted at once (:func:`_stack_fit`): the same
    vocabulary, idf and rows to the last bit (tests/test_similarity.py), each model's corpus rows
    already weighed. A graph of a thousand plans fits a model per pair of consecutive plans;
    this spares each fit scikit-learn's checks and the small-array overhead of weighing a few
    dozen rows (``_continuity._crosswalks``).

    >>> corpus = ["member survey", "member plan", "annual survey"]
    >>> fitted = _text_models([corpus, ["survey"]])[0]
    >>> one = TextModel(corpus)
    >>> fitted.vocabulary == one.vocabulary, (fitted.transform(corpus) != one.transform(corpus)).nnz
    (True, 0)
    """
    import numpy as np

    corpora = [_texts(c, "corpus") for c in corpora]
    rows, terms, starts, idf, sizes = _stack_fit(corpora)
    indptr, indices, data = rows.indptr, rows.indices, rows.data
    models = []
    first_col = 0
    for b, docs in enumerate(corpora):
        width = sizes[b]
        model = TextModel.__new__(TextModel)
        model._weights_cache = {}
        model._pending = None
        model._n_documents = len(docs)
        model._terms = terms[first_col : first_col + width]
        model._column = {term: j for j, term in enumerate(model._terms)}
        model._idf = idf[first_col : first_col + width].copy() if width else None
        kept = model._rows = {}
        if width:
            for k, doc in enumerate(docs, start=starts[b]):
                if doc not in kept:  # a text's first row wins, as TextModel._keep
                    lo, hi = indptr[k], indptr[k + 1]
                    kept[doc] = ((indices[lo:hi] - first_col).astype(np.int32), data[lo:hi].copy())
        models.append(model)
        first_col += width
    return models


def _evidence_rows(a, b, rows, cols, a_docs, terms, *, n, as_terms=False) -> list[list[str]]:
    """The evidence words of pairs of rows: for each k, the terms shared by rows ``a[rows[k]]``
    and ``b[cols[k]]``, largest product of weights first (ties by word), at most *n*, each
    shown as its first surface word in ``a_docs[rows[k]]`` (or as the term, *as_terms*).
    *terms* names the columns. The computation of :meth:`TextModel.evidence_many`, which
    ``_align`` also runs on the rows of many models at once (``_stacked_models``)."""
    import numpy as np

    vocabulary = terms
    shared = a[rows].multiply(b[cols]).tocsr()
    shared.sum_duplicates()
    pair = np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(shared.indptr))
    term = shared.indices.astype(np.int64)
    # The word each term of each a text is shown as (its first surface word, or the
    # term), numbered in alphabetical order so ties rank by word as in :meth:`evidence`.
    # Looked up by (a text, term) keys, sorted like the rows of ``a``.
    used = np.unique(rows)
    keys, shown = [], []
    width = a.shape[1]
    for i in used.tolist():
        first = _first_words(a_docs[i], as_terms)
        lo, hi = a.indptr[i], a.indptr[i + 1]
        columns = a.indices[lo:hi].tolist()
        keys.extend(i * width + t for t in columns)
        shown.extend(first[vocabulary[t]] for t in columns)
    words = sorted(set(shown))
    number = {w: k for k, w in enumerate(words)}
    word_of_key = np.fromiter((number[w] for w in shown), dtype=np.int64, count=len(shown))
    word = word_of_key[np.searchsorted(np.asarray(keys, dtype=np.int64), rows[pair] * width + term)]
    scaled = np.rint(shared.data * _TIE_SCALE).astype(np.int64)
    order = np.lexsort((word, -scaled, pair))
    pair, word = pair[order], word[order]
    rank = np.arange(pair.size) - np.searchsorted(pair, pair, side="left")
    best = rank < n
    out: list[list[str]] = [[] for _ in range(len(rows))]
    for p, w in zip(pair[best].tolist(), word[best].tolist()):
        out[p].append(words[w])
    return out


def _pair_arrays(pairs: list, n_a: int, n_b: int):
    """The rows and columns of *pairs* as integer arrays, each checked to be in range."""
    import numpy as np

    rows = np.fromiter((i for i, _ in pairs), dtype=np.int64, count=len(pairs))
    cols = np.fromiter((j for _, j in pairs), dtype=np.int64, count=len(pairs))
    bad = (rows < 0) | (rows >= n_a) | (cols < 0) | (cols >= n_b)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise IndexError(f"pair {tuple(pairs[k])} is out of range for {n_a} x {n_b} texts")
    return rows, cols


def reuse_many(
    a_texts: Sequence[str], b_texts: Sequence[str], pairs: Sequence[tuple[int, int]], *, n: int = 3
) -> list[float]:
    """:func:`reuse` of many pairs: ``reuse(a_texts[i], b_texts[j], n=n)`` for each ``(i, j)``
    of ``pairs``, indices checked.

    A loop over :func:`reuse`, which reads each text's n-grams from a cache: measured against a
    sparse-matrix form of the same count, the loop was as fast up to a few thousand pairs and
    within 0.1 s at 60,000, so the simpler form stays.

    Examples
    --------
    >>> reuse_many(["Develop member engagement survey"],
    ...            ["Develop member engagement survey", "Develop a member engagement survey"],
    ...            [(0, 0), (0, 1)])
    [1.0, 0.5]
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    a_docs, b_docs = _texts(a_texts, "a_texts"), _texts(b_texts, "b_texts")
    pairs = list(pairs)
    _pair_arrays(pairs, len(a_docs), len(b_docs))
    return [reuse(a_docs[i], b_docs[j], n=n) for i, j in pairs]


def _raw_words(text: str) -> list[str]:
    """Lower-cased words and numbers of ``text``, Markdown removed, nothing dropped or stemmed."""
    return list(_raw_words_cached(text or ""))


@functools.lru_cache(maxsize=1 << 16)
def _raw_words_cached(text: str) -> tuple[str, ...]:
    # A crosswalk asks for the same text once per candidate pair it is in: clean it once.
    return tuple(_WORDS.findall(_clean(text)))


@functools.lru_cache(maxsize=1 << 16)
def _grams(text: str, n: int) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, int]]:
    """``(raw words, their n-grams in order, {n-gram: how many times it occurs})`` of a text,
    cached; an n-gram is its *n* words joined by single spaces (words hold no space).

    Strings and counts only: the cache holds tens of thousands of texts after a large graph,
    and tuples of words or lists of positions were a million objects for the cyclic garbage
    collector to walk. The dictionary is shared by every caller: read it, never change it.

    >>> _grams("Run the survey; run the survey again", 3)[1:]
    (('run the survey', 'the survey run', 'survey run the', 'run the survey', 'the survey again'), {'run the survey': 2, 'the survey run': 1, 'survey run the': 1, 'the survey again': 1})
    """
    words = _raw_words_cached(text)
    grams = tuple(map(" ".join, zip(*(words[k:] for k in range(n)))))
    counts: dict[str, int] = {}
    for gram in grams:
        counts[gram] = counts.get(gram, 0) + 1
    return words, grams, counts


def reuse(a: str, b: str, *, n: int = 3) -> float:
    """Near-verbatim reuse: the share of the shorter text's word n-grams found in the other.

    Computed over the raw words (lower-cased, Markdown removed, stopwords kept, nothing
    stemmed). Every n-gram position of the shorter text (``a`` when both have as many words)
    counts once. When the shorter text has fewer than ``n`` words, ``n`` shrinks to its length,
    so a short text found whole inside the other scores 1.

    Parameters
    ----------
    a, b : str
    n : int, default 3
        Words per n-gram (at least 1).

    Returns
    -------
    float
        From 0 (no shared n-gram, or an empty text) to 1 (every n-gram reused).

    Examples
    --------
    >>> reuse("Develop member engagement survey", "Develop member engagement survey")
    1.0
    >>> round(reuse("Develop member engagement survey", "Develop a member engagement survey"), 3)
    0.5
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    a, b = a or "", b or ""
    if len(_raw_words_cached(b)) < len(_raw_words_cached(a)):
        a, b = b, a
    short = _raw_words_cached(a)
    if not short:
        return 0.0
    size = min(n, len(short))
    _, grams, counts = _grams(a, size)
    found = _grams(b, size)[2]
    # The positions of the shorter text whose n-gram the other has: those of the shared n-grams.
    return sum(counts[g] for g in counts.keys() & found.keys()) / len(grams)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether ``shorter`` occurs as a contiguous run of words in ``longer``."""
    size = len(shorter)
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def shared_phrases(a: str, b: str, *, n: int = 3) -> list[str]:
    """The word sequences of at least ``n`` words that two texts share.

    Over the same raw words as :func:`reuse`. Only maximal sequences are listed: none is part
    of a longer one in the list.

    Parameters
    ----------
    a, b : str
    n : int, default 3
        Fewest words in a phrase (at least 1).

    Returns
    -------
    list of str
        Longest first, then by first position in ``a``, then alphabetical.

    Examples
    --------
    >>> shared_phrases("Develop member engagement campaign and a social media strategy",
    ...                "Develop member engagement survey; refine the social media strategy")
    ['develop member engagement', 'social media strategy']
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    wa, grams_a, counts_a = _grams(a or "", n)
    wb, grams_b, counts_b = _grams(b or "", n)
    if wa == wb:  # the same words: the whole text is the one maximal phrase
        return [" ".join(wa)] if len(wa) >= n else []
    # Maximal common runs, found from the shared n-grams only (so the cost follows the
    # matches, not len(a) x len(b)): a shared n-gram at (i, j) starts a run unless the words
    # before it match too (then an earlier start covers it); each start is extended word by
    # word as far as both texts agree.
    shared = counts_a.keys() & counts_b.keys()
    if not shared:
        return []
    where: dict[str, list[int]] = {}  # the positions of each shared n-gram in b
    for j, gram in enumerate(grams_b):
        if gram in shared:
            where.setdefault(gram, []).append(j)
    positions = [i for i, gram in enumerate(grams_a) if gram in shared]
    found: dict[tuple[str, ...], int] = {}
    len_a, len_b = len(wa), len(wb)
    for i in positions:
        for j in where[grams_a[i]]:
            if i and j and wa[i - 1] == wb[j - 1]:
                continue
            end_a, end_b = i + n, j + n
            while end_a < len_a and end_b < len_b and wa[end_a] == wb[end_b]:
                end_a += 1
                end_b += 1
            found.setdefault(wa[i:end_a], i)
    ordered = sorted(found.items(), key=lambda p: (-len(p[0]), p[1], " ".join(p[0])))
    kept: list[tuple[str, ...]] = []
    for phrase, _ in ordered:
        if not any(_contains(longer, phrase) for longer in kept):
            kept.append(phrase)
    return [" ".join(p) for p in kept]
