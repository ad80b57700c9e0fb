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
as it was, send their results back pickled, and leave without cleaning up.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
import warnings

__all__ = ["forked_map", "gc_paused", "workers_for"]


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
    *size* units (plans, pairs).

    *n_jobs*: a count, ``-1`` for every core this process may run on, or ``None`` for the
    default: every core (at most 4) when *size* is at least *least*, else 1 (forking costs
    more than it saves on small work). The environment variable ``COREPLAN_JOBS`` sets the
    default (``COREPLAN_JOBS=1``: never fork). Only on Linux, where :func:`forked_map` forks;
    elsewhere always 1.

    >>> workers_for(1, size=10_000), workers_for(None, size=3)
    (1, 1)
    """
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    cores = len(os.sched_getaffinity(0))
    if n_jobs is None:
        env = os.environ.get("COREPLAN_JOBS", "").strip()
        if env:
            n_jobs = int(env)
        else:
            return min(cores, 4) if size >= least else 1
    n_jobs = int(n_jobs)
    if n_jobs == -1:
        return cores
    if n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive count or -1, not {n_jobs}")
    return n_jobs


def forked_map(func, jobs: list, *, meanwhile=None) -> list:
    """``[func(job) for job in jobs]``, each job run in a child process forked for it, while
    this process runs *meanwhile* (its own share of the work, if any); results in order.

    A forked child shares this process's memory as it was (the plans, the caches), so nothing
    is pickled on the way in; each child pickles its result back through a pipe and exits
    without cleaning up (``os._exit``). An exception in a child is raised here; a child that
    dies without a word raises ``RuntimeError``. Children inherit the paused garbage collector
    and the rest of the process's state; they must not write to files the parent has open.
    Only where ``os.fork`` exists (:func:`workers_for` asks for it on Linux only).

    >>> forked_map(lambda n: n * n, [2, 3], meanwhile=lambda: print("meanwhile"))
    meanwhile
    [4, 9]
    """
    children = []
    try:
        for job in jobs:
            read, write = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            with warnings.catch_warnings():
                # Python 3.12+ warns when a process with threads forks (a thread holding a lock
                # would leave it held in the child). The child runs only this computation; the one
                # known case, GNU OpenMP's threads, is handled (_topk._threads: one thread there).
                warnings.filterwarnings("ignore", message=".*use of fork.*", category=DeprecationWarning)
                pid = os.fork()
            if pid == 0:  # the child: run its job, send the result, leave at once
                code = 0
                try:
                    os.close(read)
                    try:
                        payload = pickle.dumps(("ok", func(job)), protocol=pickle.HIGHEST_PROTOCOL)
                    except BaseException as exc:  # noqa: BLE001 (sent to the parent, raised there)
                        try:
                            payload = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
                        except Exception:
                            payload = pickle.dumps(("error", RuntimeError(repr(exc))))
                    with os.fdopen(write, "wb") as fh:
                        fh.write(payload)
                except BaseException:  # noqa: BLE001
                    code = 1
                finally:
                    os._exit(code)
            os.close(write)
            children.append((pid, read))
        if meanwhile is not None:
            meanwhile()
        results = []
        while children:
            pid, read = children[0]
            with os.fdopen(read, "rb") as fh:
                data = fh.read()
            os.waitpid(pid, 0)
            children.pop(0)
            if not data:
                raise RuntimeError(f"a worker process (pid {pid}) ended without a result")
            status, value = pickle.loads(data)
            if status == "error":
                raise value
            results.append(value)
        return results
    finally:
        for pid, read in children:  # left by an error: stopped and waited for
            with contextlib.suppress(OSError):
                os.close(read)
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
                os.waitpid(pid, 0)
