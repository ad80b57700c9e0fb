"""Process-level helpers for the heavy analyses.

:func:`gc_paused` holds CPython's cyclic garbage collector while an analysis builds its many
small objects. The analyses build tens of thousands of tuples, lists and dictionaries that live
until they return; every few hundred allocations the collector would walk the young ones, and
every so often the whole heap (the plans included), which cost a fifth of a 10,000-item
crosswalk. Reference counting still frees everything as usual; only cycles wait, and the
collector runs again when the analysis returns.

:func:`forked_map` shares independent work with child processes forked for it (on Linux, where
:func:`workers_for` allows it); :func:`forked_imap` hands each child a series of jobs and yields
their results as they arrive: :func:`~coreplan_analysis._graph.build_graph` computes a large
planset's alignment and crosswalks in parts so, on every core, drawing a child's first pieces
while it computes the next. Children see the parent's memory as it was, send their results back
pickled, and leave without cleaning up. :func:`map_in_parts` does the same for a list of
independent items (the plans :func:`~coreplan_analysis.parse_plans` and
:func:`~coreplan_analysis.load_catalog` read).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import struct
import sys
import tempfile
import threading
import warnings

__all__ = ["forked_imap", "forked_map", "gc_paused", "map_in_parts", "workers_for"]


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
    is pickled on the way in; each child pickles its result back and exits without cleaning
    up (``os._exit``). An exception in a child is raised here (as a ``RuntimeError`` naming it
    when it cannot be rebuilt here), from a ``RuntimeError`` holding the child's traceback; a
    child that ends without a whole result raises ``RuntimeError``. Children inherit the
    paused garbage collector and the rest of the process's state; they must not write to
    files the parent has open. Only where ``os.fork`` exists, and only from a process without
    other Python threads (:func:`workers_for` sees to both).

    >>> forked_map(lambda n: n * n, [2, 3], meanwhile=lambda: print("meanwhile"))
    meanwhile
    [4, 9]
    """
    return list(forked_imap(func, [[job] for job in jobs], meanwhile=meanwhile))


def forked_imap(func, groups: list, *, meanwhile=None):
    """Yield ``func(job)`` for every job of every group, in order: each group's jobs run one
    after the other in a child process forked for the group, while this process runs
    *meanwhile*; then each result is yielded as soon as its child has sent it, so this process
    can use the first results while the children compute the rest.

    The children write their pickled results to a file in memory each (``os.memfd_create``;
    elsewhere an unlinked temporary file) and only the sizes through a pipe: a child never waits
    for this process to read (it is busy with *meanwhile*), for up to 8,192 results per group
    (a pipe's 64 KiB). Errors as for :func:`forked_map` (a child stops at its first
    exception). Closing the generator early stops the children.

    >>> list(forked_imap(lambda n: -n, [[1, 2], [3]]))
    [-1, -2, -3]
    """
    children = []  # [pid, pipe's read end, spool, number of results] of each child not yet done
    try:
        for group in groups:
            for stream in (sys.stdout, sys.stderr):  # (nothing buffered is written twice)
                with contextlib.suppress(Exception):
                    stream.flush()
            spool = _spool()
            try:
                read, write = os.pipe()
            except BaseException:
                os.close(spool)
                raise
            try:
                with warnings.catch_warnings():
                    # Python 3.12+ warns when a process with threads forks; workers_for forks only
                    # without other Python threads, and GNU OpenMP's threads (the one native
                    # case known) are handled: _topk._threads gives one thread in the child.
                    warnings.filterwarnings("ignore", message=".*use of fork.*", category=DeprecationWarning)
                    pid = os.fork()
            except BaseException:
                for fd in (read, write, spool):
                    os.close(fd)
                raise
            if pid == 0:  # the child: run its jobs, send the results, leave at once (never return)
                try:
                    os.close(read)
                    _child(func, group, write, spool)
                finally:
                    os._exit(1)
            os.close(write)
            children.append([pid, read, spool, len(group)])
        if meanwhile is not None:
            meanwhile()
        while children:
            child = children[0]
            pid, read, spool, count = child
            offset = 0
            for _ in range(count):
                size = _read_size(read)
                data = _read_at(spool, size, offset) if size is not None else None
                if data is None:
                    raise RuntimeError(f"a worker process (pid {pid}) ended without a whole result")
                offset += size
                yield _result(data, pid)
            _close(child)
            with contextlib.suppress(ChildProcessError):  # (SIGCHLD ignored: reaped already)
                os.waitpid(pid, 0)
            children.pop(0)
    finally:
        for child in children:  # left by an error or an early close: stopped, waited for
            with contextlib.suppress(OSError):
                os.kill(child[0], 9)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child[0], 0)
            _close(child)


def _spool() -> int:
    """A file descriptor for a child's results: a file in memory where Linux has them (a full
    temporary folder cannot stop the work), else an unlinked temporary file."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("coreplan-results", os.MFD_CLOEXEC)
    fd, path = tempfile.mkstemp(prefix="coreplan-results-")
    os.unlink(path)
    return fd


def _close(child: list) -> None:
    """Close a child's pipe and spool (once: a closed one is marked -1)."""
    for k in (1, 2):
        if child[k] >= 0:
            with contextlib.suppress(OSError):
                os.close(child[k])
            child[k] = -1


def _read_at(fd: int, size: int, offset: int) -> bytes | None:
    """*size* bytes of file *fd* from *offset* (``os.pread`` reads at most about 2 GiB at a
    time), or ``None`` when the file ends first."""
    parts = []
    while size > 0:
        chunk = os.pread(fd, min(size, 1 << 30), offset)
        if not chunk:
            return None
        parts.append(chunk)
        size -= len(chunk)
        offset += len(chunk)
    return b"".join(parts)


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
    # (The collector paused while this process computes its part and unpickles the others: the
    # results live on, so its passes over them would find nothing to free.)
    with gc_paused():
        rest = forked_map(lambda part: [func(item) for item in part], parts[1:],
                          meanwhile=lambda: first.extend(func(item) for item in parts[0]))
    return first + [result for part in rest for result in part]


def _child(func, jobs, write: int, spool: int):
    """In a forked child: ``func(job)`` of each of *jobs*, pickled to the *spool* file, its size
    to the *write* end of a pipe once it is all there; then ``os._exit``. An exception is sent
    the same way, and ends the jobs."""
    code = 0
    try:
        for job in jobs:
            failed = False
            try:
                payload = pickle.dumps(("ok", func(job)), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: BLE001 (sent to the parent, raised there)
                import traceback

                failed = True
                text = "".join(traceback.format_exception(exc))
                try:
                    payload = pickle.dumps(("error", pickle.dumps(exc), text), protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:
                    payload = pickle.dumps(("error", None, text), protocol=pickle.HIGHEST_PROTOCOL)
            _write_all(spool, payload)
            _write_all(write, _SIZE.pack(len(payload)))
            if failed:
                break
    except BaseException:  # noqa: BLE001
        code = 1
    finally:
        os._exit(code)


_SIZE = struct.Struct("<Q")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_size(fd: int) -> int | None:
    """The next size a child sent through the pipe *fd*, or ``None`` when it closed first."""
    data = b""
    while len(data) < _SIZE.size:
        chunk = os.read(fd, _SIZE.size - len(data))
        if not chunk:
            return None
        data += chunk
    return _SIZE.unpack(data)[0]


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
