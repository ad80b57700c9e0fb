"""Each row's best matches in another sparse matrix, without building the product.

:func:`top_k_rows` is the ranking behind :meth:`~coreplan_analysis._similarity.TextModel.top_k`
and the crosswalk's candidate search. ``sparse_dot_topn`` multiplies the rows and keeps each
row's best few products as it goes (in C++, on every core for large inputs), a few more than
``k`` so ties can be broken exactly here: scores equal to 12 decimals rank by column. A row whose
``k``-th best may tie with a product the library left out is ranked again exactly with scipy, in
blocks bounded in memory (:data:`_BLOCK_ENTRIES`), as is every row where the library cannot be
imported. Pairs scoring 0 are never returned. About 0.3 s for 10,000 x 10,000 texts of a dozen
words on two cores.
"""

from __future__ import annotations

import os
from functools import lru_cache

__all__ = ["top_k_rows"]

# Ties: scores equal to this many decimals rank as equal, then by column.
_TIE_SCALE = 10**12
# Upper bound on the rows x (widest row) array top_k ranks one block in (a few tens of bytes
# per entry while ranking, so blocks stay within a few hundred MB whatever the data).
_BLOCK_ENTRIES = 4_000_000
# top_k: candidates sparse_dot_topn keeps per row beyond k (room to break ties exactly), and
# the rows from which it runs on every core.
_TOP_K_SLACK = 5


@lru_cache(maxsize=1)
def _sparse_dot_topn():
    """``sparse_dot_topn.sp_matmul_topn``, or ``None`` where it cannot be imported (it asks psutil
    for the number of physical cores at import, which is ``None`` on some systems): top_k then
    ranks every row exactly with scipy, only slower."""
    try:
        from sparse_dot_topn import sp_matmul_topn
    except (ImportError, TypeError, OSError):
        return None
    return sp_matmul_topn


_THREADED_ROWS = 2_000


#: Whether this process (or the process it was forked from) ran the library's OpenMP threads.
_THREADS_USED = False
#: Whether this process was forked after they ran (then it ranks on one thread).
_FORKED_AFTER_THREADS = False


def _after_fork_in_child():
    global _FORKED_AFTER_THREADS
    if _THREADS_USED:
        _FORKED_AFTER_THREADS = True


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _threads() -> int:
    """The cores this process may run on (at most 8); 1 in a process forked (at any depth)
    from one whose OpenMP threads ran. GNU OpenMP cannot start threads again in such a child
    (it waits forever), and ``multiprocessing`` forks on Linux before Python 3.14: a worker of
    a pool made after a large crosswalk would hang in its first large one."""
    global _THREADS_USED
    if _FORKED_AFTER_THREADS:
        return 1
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        n = os.cpu_count() or 1
    n = max(1, min(8, n))
    if n > 1:
        _THREADS_USED = True
    return n


def top_k_rows(a, b, *, k: int = 5, threshold: float = 0.0, block_rows: int = 2048):
    """For each row of *a*, its best ``k`` rows of *b* by dot product (cosine for L2-normalised
    tf-idf rows): :meth:`~coreplan_analysis._similarity.TextModel.top_k` on rows already
    transformed (CSR, sorted indices). ``(i, j, score)``, sorted by ``i``, then score
    descending at 12 decimals, then ``j``.

    >>> from scipy import sparse
    >>> a = sparse.csr_matrix([[1.0, 0.0], [0.6, 0.8]])
    >>> b = sparse.csr_matrix([[0.6, 0.8], [1.0, 0.0], [0.0, 1.0]])
    >>> [(i, j, round(s, 2)) for i, j, s in top_k_rows(a, b, k=2)]
    [(0, 1, 1.0), (0, 0, 0.6), (1, 0, 1.0), (1, 2, 0.8)]
    """
    import numpy as np

    n_a, n_b = a.shape[0], b.shape[0]
    if n_a == 0 or n_b == 0 or a.shape[1] == 0:
        return []
    bt = b.T.tocsr()
    bt.sort_indices()

    matmul_topn = _sparse_dot_topn()
    if matmul_topn is None:  # the library cannot run here: every row is ranked exactly
        rows = cols = np.zeros(0, dtype=np.int64)
        values, exact = np.zeros(0), np.zeros(0, dtype=bool)
        again = np.arange(n_a)
    else:
        rows, cols, values, exact = _best_by_library(a, bt, matmul_topn, k=k, threshold=threshold)
        again = np.flatnonzero(np.bincount(rows[~exact], minlength=n_a)) if (~exact).any() else ()
    parts = [(rows[exact], cols[exact], values[exact])]
    if len(again):
        parts.append(_best_in_blocks(a, bt, np.asarray(again), k=k, threshold=threshold, block_rows=block_rows))
    rows = np.concatenate([p[0] for p in parts])
    cols = np.concatenate([p[1] for p in parts])
    values = np.concatenate([p[2] for p in parts])
    scaled = np.rint(values * _TIE_SCALE).astype(np.int64)
    order = np.lexsort((cols, -scaled, rows))
    return list(zip(rows[order].tolist(), cols[order].tolist(), values[order].tolist()))


def _best_by_library(a, bt, matmul_topn, *, k: int, threshold: float):
    """Each row's best ``k`` products by ``sparse_dot_topn``, ranked exactly.

    Returns rows, columns and scores (clipped to 1), and for each entry whether its row's
    ranking is exact: the library keeps :data:`_TOP_K_SLACK` more than ``k`` candidates per
    row, and a row is exact when it kept all its products, when it has fewer than ``k``
    wanted products (what was left out is below the least kept, already unwanted), or when
    its ``k``-th best is clearly (two steps of the 12-decimal tie scale) above the least
    product it kept, so no product it left out can tie with or beat it.
    """
    import numpy as np

    n_a = a.shape[0]
    keep = min(k + _TOP_K_SLACK, bt.shape[1])
    threads = _threads() if n_a >= _THREADED_ROWS else None
    product = matmul_topn(a, bt, top_n=keep, n_threads=threads)
    counts = np.diff(product.indptr)
    rows = np.repeat(np.arange(n_a, dtype=np.int64), counts)
    cols = product.indices.astype(np.int64)
    raw = product.data
    values = np.minimum(raw, 1.0)
    scaled = np.rint(values * _TIE_SCALE).astype(np.int64)
    wanted = (raw > 0.0) & (raw >= threshold)
    # The least product kept in each full row: a bound on every product it left out.
    full = counts >= keep
    least = np.full(n_a, np.iinfo(np.int64).max, dtype=np.int64)
    nonempty = counts > 0
    if nonempty.any():
        least[nonempty] = np.minimum.reduceat(scaled, product.indptr[:-1][nonempty])
    rows, cols, values, scaled = rows[wanted], cols[wanted], values[wanted], scaled[wanted]
    order = np.lexsort((cols, -scaled, rows))
    rows, cols, values, scaled = rows[order], cols[order], values[order], scaled[order]
    rank = np.arange(rows.size) - np.searchsorted(rows, rows, side="left")
    best = rank < k
    rows, cols, values, scaled = rows[best], cols[best], values[best], scaled[best]
    # Each row's k-th best (its last kept entry). A row with fewer than k wanted products
    # is exact too: what the library left out is below the least it kept, which is already
    # unwanted (or the row is not full).
    ends = np.searchsorted(rows, np.arange(n_a), side="right") - 1
    kth = np.where(ends >= 0, scaled[np.maximum(ends, 0)] if rows.size else 0, 0)
    has_k = np.bincount(rows, minlength=n_a) >= k
    exact = ~(full & has_k) | (kth - least >= 2)
    return rows, cols, values, exact[rows]


def _best_in_blocks(a, bt, which, *, k: int, threshold: float, block_rows: int):
    """The best ``k`` pairs of the rows ``which`` of ``a``, multiplied with scipy in
    bounded blocks and ranked exactly (see :meth:`top_k`)."""
    import numpy as np

    n_b = bt.shape[1]
    sub = a[which]
    term_df = np.diff(bt.indptr).astype(np.int64)
    row_of_entry = np.repeat(np.arange(sub.shape[0]), np.diff(sub.indptr))
    bound = np.bincount(row_of_entry, weights=term_df[sub.indices], minlength=sub.shape[0])
    bound = np.minimum(bound, n_b)
    out_i, out_j, out_s = [], [], []
    start, n = 0, sub.shape[0]
    while start < n:
        limit = min(start + block_rows, n)
        # Each block is ranked in a rows x (widest row) array: keep that under the budget.
        widest = np.maximum.accumulate(np.maximum(bound[start:limit], 1))
        cost = widest * np.arange(1, limit - start + 1)
        stop = start + max(1, int(np.searchsorted(cost, _BLOCK_ENTRIES, side="right")))
        stop = min(stop, limit)
        block = (sub[start:stop] @ bt).tocsr()
        rows, cols, values = _best_in_block(block, k=k, threshold=threshold)
        out_i.append(which[rows + start])
        out_j.append(cols)
        out_s.append(values)
        start = stop
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_s)


def _best_in_block(block, *, k: int, threshold: float):
    """The best ``k`` pairs of each row of a sparse block of scores, ranked.

    Returns row numbers (within the block), columns and scores, sorted by row, then score
    descending at 12 decimals, then column.
    """
    import numpy as np

    n_rows = block.shape[0]
    counts = np.diff(block.indptr)
    values = block.data
    cols = block.indices.astype(np.int64)
    rows = np.repeat(np.arange(n_rows, dtype=np.int64), counts)
    scaled = np.rint(np.minimum(values, 1.0) * _TIE_SCALE).astype(np.int64)
    wanted = (values > 0.0) & (values >= threshold)
    # Rows with more than k entries: everything below the row's k-th best score goes
    # before the exact sort (ties with it stay). The k-th best comes from a partition of
    # the row's own slice, so the cost follows the entries, not rows x widest row.
    masked = np.where(wanted, scaled, -1)
    cutoff = np.full(n_rows, -1, dtype=np.int64)
    indptr = block.indptr
    for r in np.flatnonzero(counts > k).tolist():
        segment = masked[indptr[r]:indptr[r + 1]]
        cutoff[r] = np.partition(segment, segment.size - k)[segment.size - k]
    wanted &= scaled >= cutoff[rows]
    rows, cols, values, scaled = rows[wanted], cols[wanted], values[wanted], scaled[wanted]
    order = np.lexsort((cols, -scaled, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    rank = np.arange(rows.size) - np.searchsorted(rows, rows, side="left")
    best = rank < k
    return rows[best], cols[best], np.minimum(values[best], 1.0)
