"""Process-level helpers: the paused collector, and work shared with forked processes."""

from __future__ import annotations

import os
import sys

import pytest

from coreplan_analysis import _runtime
from coreplan_analysis._runtime import forked_map, workers_for

fork_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX-only")


@fork_only
def test_forked_map_runs_each_job_in_a_child_and_keeps_order():
    here = os.getpid()
    seen = []
    got = forked_map(lambda n: (n * n, os.getpid()), [3, 4, 5], meanwhile=lambda: seen.append(os.getpid()))
    assert [v for v, _ in got] == [9, 16, 25]
    pids = {pid for _, pid in got}
    assert len(pids) == 3 and here not in pids  # three children, none of them this process
    assert seen == [here]  # meanwhile ran here, once
    assert forked_map(len, []) == []


@fork_only
def test_forked_map_raises_a_childs_exception_here():
    def job(n):
        if n == 2:
            raise ValueError(f"bad job {n}")
        return n

    with pytest.raises(ValueError, match="bad job 2"):
        forked_map(job, [1, 2, 3])


@fork_only
def test_forked_map_reports_a_child_that_dies():
    with pytest.raises(RuntimeError, match="ended without a whole result"):
        forked_map(lambda n: os._exit(3), [1])


@fork_only
def test_forked_map_waits_for_every_child_even_when_meanwhile_fails():
    def meanwhile():
        raise KeyError("here")

    with pytest.raises(KeyError):
        forked_map(lambda n: n, [1, 2], meanwhile=meanwhile)
    with pytest.raises(ChildProcessError):  # no child left behind (all waited for)
        os.waitpid(-1, os.WNOHANG)


def test_workers_for(monkeypatch):
    monkeypatch.delenv("COREPLAN_JOBS", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2, 3, 4, 5}, raising=False)
    assert workers_for(None, size=10) == 1  # small work: not worth a fork
    assert workers_for(None, size=64) == 4  # large: every core, at most 4
    assert workers_for(1, size=10_000) == 1 and workers_for(3, size=5) == 3 and workers_for(-1, size=100) == 6
    assert workers_for(7, size=2) == 2  # never more processes than parts of the work
    monkeypatch.setenv("COREPLAN_JOBS", "1")
    assert workers_for(None, size=10_000) == 1
    monkeypatch.setenv("COREPLAN_JOBS", "2")
    assert workers_for(None, size=10) == 2
    for bad in ("abc", "0", "-2"):
        monkeypatch.setenv("COREPLAN_JOBS", bad)
        with pytest.raises(ValueError, match="COREPLAN_JOBS must be"):
            workers_for(None, size=10)
    monkeypatch.delenv("COREPLAN_JOBS")
    with pytest.raises(ValueError, match="n_jobs must be"):
        workers_for(0, size=10)
    # Another Python thread might hold a lock a forked child would wait for: no fork then.
    import threading

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert workers_for(4, size=100) == 1 and workers_for(None, size=100) == 1
    finally:
        release.set()
        other.join()
    assert workers_for(4, size=100) == 4
    monkeypatch.setattr(sys, "platform", "darwin")  # fork is not safe to rely on there
    assert workers_for(4, size=10_000) == 1


def test_split_gives_the_first_part_less():
    from coreplan_analysis._graph import _split

    assert _split(1000, 1) == [0, 1000]
    a = _split(1000, 2)
    assert a[0] == 0 and a[-1] == 1000 and 0 < a[1] < 500
    b = _split(7, 4)
    assert b[0] == 0 and b[-1] == 7 and b == sorted(b) and len(b) == 5


def test_gc_paused_nests():
    import gc

    with _runtime.gc_paused():
        with _runtime.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


@fork_only
def test_forked_map_with_sigchld_ignored_and_no_stdout(monkeypatch):
    # An application that ignores SIGCHLD has its children reaped for it; one without
    # sys.stdout (pythonw, some services) has nothing to flush.
    import signal

    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        monkeypatch.setattr(sys, "stdout", None)
        assert forked_map(lambda n: n + 1, [1, 2]) == [2, 3]
    finally:
        signal.signal(signal.SIGCHLD, previous)


class _TwoArgs(Exception):
    def __init__(self, a, b):  # pickles, but cannot be rebuilt from its args
        super().__init__(f"{a}-{b}")


@fork_only
def test_forked_map_exceptions_keep_the_childs_traceback():
    from coreplan_analysis import DataError

    def bad(n):
        raise DataError("bad decisions", path="x.yaml", line=3)

    with pytest.raises(DataError, match="bad decisions") as info:
        forked_map(bad, [1])
    assert info.value.line == 3 and "in bad" in str(info.value.__cause__)

    def odd(n):
        raise _TwoArgs(1, 2)

    with pytest.raises(RuntimeError, match="_TwoArgs: 1-2"):
        forked_map(odd, [1])


@fork_only
def test_map_in_parts_keeps_order_and_raises_the_first_error_of_a_plain_loop(monkeypatch):
    monkeypatch.delenv("COREPLAN_JOBS", raising=False)
    assert workers_for(3, size=9, least=1) == 3  # (no other thread here: the calls below fork)
    here = os.getpid()
    got = _runtime.map_in_parts(lambda n: (n * n, os.getpid()), range(9), n_jobs=3, least=1)
    assert [v for v, _ in got] == [n * n for n in range(9)]
    pids = [pid for _, pid in got]
    assert pids[:3] == [here] * 3 and len(set(pids[3:6])) == 1 and len(set(pids[6:])) == 1
    assert len({here, pids[3], pids[6]}) == 3  # the first part here, the others in two children

    def fails_at(*bad):
        def f(n):
            if n in bad:
                raise ValueError(f"item {n}")
            return n
        return f

    with pytest.raises(ValueError, match="item 4"):  # (raised in the second part, a child)
        _runtime.map_in_parts(fails_at(4, 8), range(9), n_jobs=3, least=1)
    with pytest.raises(ValueError, match="item 1"):  # (the first part's: children not waited on)
        _runtime.map_in_parts(fails_at(1, 4), range(9), n_jobs=3, least=1)
    # Small work stays here: no fork below *least* items.
    assert {pid for _, pid in _runtime.map_in_parts(lambda n: (n, os.getpid()), range(5))} == {here}


@fork_only
def test_forked_imap_yields_each_result_as_soon_as_it_is_sent(tmp_path):
    # The child's second job waits (20 s at most) for this process to have the first result.
    marker = tmp_path / "got-first"

    def job(n):
        if n == 2:
            import time

            for _ in range(2000):
                if marker.exists():
                    return "streamed"
                time.sleep(0.01)
            return "not streamed"
        return n

    results = []
    for r in _runtime.forked_imap(job, [[1, 2]]):
        results.append(r)
        marker.touch()
    assert results == [1, "streamed"]


@fork_only
def test_forked_imap_children_never_wait_for_a_busy_parent(tmp_path):
    # Results far larger than a pipe's buffer: the child reaches its third job while this
    # process is still busy (they wait in the child's spool file, not in the pipe).
    marker = tmp_path / "third-job"

    def job(n):
        if n == 3:
            marker.touch()
        return bytes([n]) * 4_000_000

    seen = []

    def busy():
        import time

        for _ in range(2000):
            if marker.exists():
                seen.append(True)
                return
            time.sleep(0.01)

    got = list(_runtime.forked_imap(job, [[1, 2, 3]], meanwhile=busy))
    assert seen == [True] and [(len(b), b[0]) for b in got] == [(4_000_000, 1), (4_000_000, 2), (4_000_000, 3)]


@fork_only
def test_forked_imap_errors_and_early_close_stop_the_children():
    def job(n):
        if n == 2:
            raise ValueError("second job")
        return n

    results = []
    with pytest.raises(ValueError, match="second job"):
        for r in _runtime.forked_imap(job, [[1, 2, 3], [4]]):
            results.append(r)
    assert results == [1]  # (the first job's result, then the error; the third never ran)
    with pytest.raises(ChildProcessError):  # every child waited for
        os.waitpid(-1, os.WNOHANG)
    gen = _runtime.forked_imap(lambda n: n, [[1, 2], [3]])
    assert next(gen) == 1
    gen.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@fork_only
def test_forked_imap_spools_in_memory_and_reads_a_spool_whole(monkeypatch, tmp_path):
    # Results wait in a file in memory on Linux: a temporary folder that cannot be written to
    # does not matter.
    import tempfile

    if hasattr(os, "memfd_create"):
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    assert list(_runtime.forked_imap(lambda n: "x" * n, [[200_000, 3]])) == ["x" * 200_000, "xxx"]
    # os.pread may return less than asked (at most about 2 GiB at a time): read until whole.
    real = os.pread
    monkeypatch.setattr(os, "pread", lambda fd, n, offset: real(fd, min(n, 7), offset))
    assert list(_runtime.forked_imap(lambda n: "y" * n, [[1000]])) == ["y" * 1000]


@fork_only
def test_a_fault_before_the_child_runs_its_jobs_stays_in_the_child(monkeypatch):
    # The child leaves (os._exit) whatever happens: it never returns into the caller's code.
    def broken(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(_runtime, "_child", broken)
    with pytest.raises(RuntimeError, match="ended without a whole result"):
        forked_map(lambda n: n, [1])
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
