"""Process-level helpers for the heavy analyses.

:func:`gc_paused` holds CPython's cyclic garbage collector while an analysis builds its many
small objects. The analyses build tens of thousands of tuples, lists and dictionaries that live
until they return; every few hundred allocations the collector would walk the young ones, and
every so often the whole heap (the plans included), which cost a fifth of a 10,000-item
crosswalk. Reference counting still frees everything as usual; only cycles wait, and the
collector runs again when the analysis returns.

:func:`forked_map` shares independent work with child processes forked for it (on Linux, where
:func:`workers_for` allows it): :func:`~coreplan_analysis._graph.build_graph` computes a large
planset's alignment and crosswalks in parts so, on every core. Children see the parent's memory
as it was, send their results back pickled, and leave without cleaning up. :func:`map_in_parts`
does the same for a list of independent items (the plans :func:`~coreplan_analysis.parse_plans`
and :func:`~coreplan_analysis.load_catalog` read).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
import threading
import warnings

__all__ = ["forked_map", "gc_paused", "map_in_parts", "workers_for"]


@contextlib.contextmanager
def gc_paused():
    """Pause the cyclic garbage collector for the ``with`` block (or a decorated function).

    Nested uses are free: only the outermost one pauses and resumes, so the cycles of a whole
    :func:`~coreplan_analysis._graph.build_graph` (its alignment and every crosswalk) wait until
    it returns (measured: 8% more peak memory on 1,000 plans, 20% less time). When the
    collector was already off (the caller's choice), it stays off. The setting is the
    process's: other threads run without the collector meanwhile.

    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    >>> @gc_paused()
    ... def work():
    ...     return gc.isenabled()
    >>> work(), gc.isenabled()
    (False, True)
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def workers_for(n_jobs, *, size: int, least: int = 64) -> int:
    """How many processes (this one and :func:`forked_map`'s children) should share work of
    *size* units (plans, pairs): never more than *size*.

    *n_jobs*: a count, ``-1`` for every core this process may run on, or ``None`` for the
    default: every core (at most 4) when *size* is at least *least*, else 1 (forking costs
    more than it saves on small work). The environment variable ``COREPLAN_JOBS`` (a count or
    ``-1``) replaces that default; ``COREPLAN_JOBS=1``: never fork.

    Always 1 but on Linux, and always 1 while this process runs other Python threads: a
    child forked while another thread holds a lock (an import's, a cache's) would wait for it
    forever, and so would this process, for the child (Jupyter kernels run such threads, so a
    notebook computes on one core).

    >>> workers_for(1, size=10_000), workers_for(None, size=3)
    (1, 1)
    """
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    cores = len(os.sched_getaffinity(0))
    if n_jobs is None:
        env = os.environ.get("COREPLAN_JOBS", "").strip()
        if not env:
            n_jobs = min(cores, 4) if size >= least else 1
        else:
            try:
                n_jobs = int(env)
            except ValueError:
                n_jobs = 0
            if n_jobs < 1 and n_jobs != -1:
                raise ValueError(f"COREPLAN_JOBS must be a positive count or -1, not {env!r}")
    n_jobs = int(n_jobs)
    if n_jobs == -1:
        n_jobs = cores
    if n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive count or -1, not {n_jobs}")
    if n_jobs > 1 and threading.active_count() > 1:
        return 1
    return max(1, min(n_jobs, size))


def forked_map(func, jobs: list, *, meanwhile=None) -> list:
    """``[func(job) for job in jobs]``, each job run in a child process forked for it, while
    this process runs *meanwhile* (its own share of the work, if any); results in order.

    A forked child shares this process's memory as it was (the plans, the caches), so nothing
    is pickled on the way in; each child pickles its result back through a pipe and exits
    without cleaning up (``os._exit``). An exception in a child is raised here (as a
    ``RuntimeError`` naming it when it cannot be rebuilt here), from a ``RuntimeError`` holding
    the child's traceback; a child that ends without a whole result raises ``RuntimeError``.
    Children inherit the paused garbage collector and the rest of the process's state; they
    must not write to files the parent has open. Only where ``os.fork`` exists, and only from a
    process without other Python threads (:func:`workers_for` sees to both).

    >>> forked_map(lambda n: n * n, [2, 3], meanwhile=lambda: print("meanwhile"))
    meanwhile
    [4, 9]
    """
    children = []  # (pid, read end) of the children not yet waited for
    try:
        for job in jobs:
            for stream in (sys.stdout, sys.stderr):  # (nothing buffered is written twice)
                with contextlib.suppress(Exception):
                    stream.flush()
            read, write = os.pipe()
            try:
                with warnings.catch_warnings():
                    # Python 3.12+ warns when a process with threads forks; workers_for forks only
                    # without other Python threads, and GNU OpenMP's threads (the one native
                    # case known) are handled: _topk._threads gives one thread in the child.
                    warnings.filterwarnings("ignore", message=".*use of fork.*", category=DeprecationWarning)
                    pid = os.fork()
            except BaseException:
                os.close(read)
                os.close(write)
                raise
            if pid == 0:  # the child: run its job, send the result, leave at once
                os.close(read)
                _child(func, job, write)
            os.close(write)
            children.append((pid, read))
        if meanwhile is not None:
            meanwhile()
        results = []
        while children:
            pid, read = children.pop(0)
            whole = False
            try:
                with os.fdopen(read, "rb") as fh:
                    data = fh.read()
                whole = True
            finally:
                if not whole:
                    with contextlib.suppress(OSError):
                        os.kill(pid, 9)
                with contextlib.suppress(ChildProcessError):  # (SIGCHLD ignored: reaped already)
                    os.waitpid(pid, 0)
            results.append(_result(data, pid))
        return results
    finally:
        for pid, read in children:  # left by an error: stopped and waited for
            with contextlib.suppress(OSError):
                os.close(read)
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def map_in_parts(func, items, *, n_jobs=None, least: int = 64) -> list:
    """``[func(item) for item in items]``, the items shared in consecutive parts among this
    process and children forked for the others (as many processes as :func:`workers_for`
    allows for ``len(items)``; one means no fork). *func* must return something that pickles.

    The results are equal whatever the count (a child's are rebuilt here from their pickles).
    An exception is the one a plain loop would raise, from the first item that raises (a
    child's is raised here from its traceback: :func:`forked_map`).

    >>> map_in_parts(len, ["a", "bb", "ccc"], n_jobs=2, least=1)
    [1, 2, 3]
    """
    items = list(items)
    workers = workers_for(n_jobs, size=len(items), least=least)
    if workers <= 1:
        return [func(item) for item in items]
    bounds = [len(items) * k // workers for k in range(workers + 1)]
    parts = [items[a:b] for a, b in zip(bounds, bounds[1:])]
    first: list = []
    # (The collector paused: unpickling the children's results builds many objects at once.)
    with gc_paused():
        rest = forked_map(lambda part: [func(item) for item in part], parts[1:],
                          meanwhile=lambda: first.extend(func(item) for item in parts[0]))
    return first + [result for part in rest for result in part]


def _child(func, job, write: int):
    """In a forked child: ``func(job)`` pickled to the *write* end of a pipe, then ``os._exit``."""
    code = 0
    try:
        try:
            payload = pickle.dumps(("ok", func(job)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 (sent to the parent, raised there)
            import traceback

            text = "".join(traceback.format_exception(exc))
            try:
                payload = pickle.dumps(("error", pickle.dumps(exc), text), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:
                payload = pickle.dumps(("error", None, text), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as fh:
            fh.write(payload)
    except BaseException:  # noqa: BLE001
        code = 1
    finally:
        os._exit(code)


def _result(data: bytes, pid: int):
    """A child's result from the bytes it sent, or its exception raised here."""
    try:
        message = pickle.loads(data)
    except Exception:
        message = None
    if not isinstance(message, tuple) or not message or message[0] not in ("ok", "error"):
        raise RuntimeError(f"a worker process (pid {pid}) ended without a whole result")
    if message[0] == "ok":
        return message[1]
    _, exc_bytes, text = message
    exc = None
    if exc_bytes is not None:
        with contextlib.suppress(Exception):
            exc = pickle.loads(exc_bytes)
    if not isinstance(exc, BaseException):
        exc = RuntimeError(f"in a worker process: {text.strip().splitlines()[-1] if text.strip() else '?'}")
    raise exc from RuntimeError(f"in worker process {pid}:\n{text}")
