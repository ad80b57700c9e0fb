#!/usr/bin/env python
"""coreplan_analysis benchmarks: speed, memory and scale against peers, measured in one run.

    python benchmarks/run.py                 # every figure -> build/bench.json, and a table
    python benchmarks/run.py --quick         # smaller sizes, one or two runs: a smoke test
    python benchmarks/run.py --only parse    # one group or one figure (merged into the JSON)
    python benchmarks/run.py --profile graph # where the time goes (cProfile, top functions)

Figures are reported, never asserted: each is a median of several runs, with min and max and,
where the issue sets one, a target and whether it was met. Heavy figures run in fresh
subprocesses (so their peak RSS, from ``resource.getrusage``, is theirs alone) under a time cap;
a run stopped at its cap is recorded as such, never as a number. A figure whose code has not
landed (a missing module or command) is recorded as missing. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generator import generate_corpus, generate_crosswalk_pair, generate_plan  # noqa: E402

# name -> (group, target, comparison, unit, what)
FIGURES = {
    "parse_mb_per_s": ("parse", None, None, "MB/s", "parse throughput on the 100-plan corpus (MB = 10^6 bytes)"),
    "parse_vs_markdown_it": ("parse", 0.5, "<=", "x", "our parse time / MarkdownIt().parse on the same texts"),
    "scale_1000_s": ("scale", 5.0, "<=", "s", "parse_plans + to_frames + build_graph, 1,000 plans"),
    "scale_1000_rss_mb": ("scale", 1024.0, "<=", "MiB", "peak RSS of that run (fresh process) + its largest worker's"),
    "scale_growth": ("scale", 1.2, "<=", "x", "time(1,000) / (10 x time(100))"),
    "crosswalk_10k_s": ("crosswalk", 5.0, "<=", "s", "crosswalk of two 10,000-item plans, many-to-many"),
    "crosswalk_10k_rss_mb": ("crosswalk", 1024.0, "<=", "MiB", "peak RSS of that run (fresh process)"),
    "crosswalk_vs_rapidfuzz": ("crosswalk", 0.1, "<=", "x", "our time / rapidfuzz cdist token_set_ratio"),
    "crosswalk_vs_difflib": ("crosswalk", 1000.0, ">=", "x", "difflib SequenceMatcher loop time / ours, 1k x 1k"),
    "import_vs_pandas": ("import", 1.3, "<=", "x", "import coreplan_analysis / import pandas, fresh processes"),
    "notebooks_s": ("notebooks", 60.0, "<=", "s", "nbconvert --execute of notebooks/*.ipynb"),
    "packet_s": ("packet", 15.0, "<=", "s", "coreplan packet --out <tmp>, bundled plans"),
}
GROUPS = ("import", "parse", "scale", "crosswalk", "notebooks", "packet")
#: The key prefixes each group writes (so `--only` can replace a group's figures whole).
PREFIXES = {"import": ("import_",), "parse": ("parse_", "markdown_it_"), "scale": ("scale_",),
            "crosswalk": ("crosswalk_", "rapidfuzz_", "difflib_"), "notebooks": ("notebooks_",),
            "packet": ("packet_",)}

# Sizes and runs. Runs stop early when a figure's time budget is spent (at least one run).
FULL = dict(
    parse_plans=100, parse_runs=5, import_runs=7,
    scale_sizes=(1, 10, 100, 1000), scale_runs=5, scale_top_runs=3,
    scale_budget={1: 20, 10: 30, 100: 60, 1000: 90}, scale_cap=90,
    cw_items=10_000, cw_runs=3, cw_budget=60, cw_cap=60,
    cw_small=1_000, cw_small_runs=3,
    rapidfuzz_sample=2_000, rapidfuzz_runs=3, difflib_sample=100, difflib_runs=3,
    nb_runs=3, nb_budget=90, nb_cap=120, packet_runs=3, packet_budget=45, packet_cap=60,
)
QUICK = dict(
    parse_plans=10, parse_runs=2, import_runs=3,
    scale_sizes=(1, 10, 100), scale_runs=1, scale_top_runs=1,
    scale_budget={1: 5, 10: 10, 100: 60}, scale_cap=60,
    cw_items=1_000, cw_runs=1, cw_budget=30, cw_cap=30,
    cw_small=1_000, cw_small_runs=1,
    rapidfuzz_sample=500, rapidfuzz_runs=1, difflib_sample=50, difflib_runs=1,
    nb_runs=1, nb_budget=60, nb_cap=120, packet_runs=1, packet_budget=60, packet_cap=60,
)

CACHE = ROOT / "build" / "bench"


# --------------------------------------------------------------------------------------------
# Recording
# --------------------------------------------------------------------------------------------

class Results:
    """A flat dict of figures: ``name``, ``name_min``, ``name_max``, ``name_runs``, targets, notes."""

    def __init__(self):
        self.data: dict = {}

    def put(self, name: str, values, *, note: str | None = None, digits: int = 4, invert: bool = False):
        """Record the median of *values* (min and max too); *invert* turns times into rates."""
        values = [v for v in values if v is not None]
        if not values:
            return self.missing(name, note or "no run finished")
        med = statistics.median(values)
        self.data[name] = round(med, digits)
        self.data[f"{name}_min"] = round(min(values), digits)
        self.data[f"{name}_max"] = round(max(values), digits)
        self.data[f"{name}_runs"] = len(values)
        if note:
            self.data[f"{name}_note"] = note
        self._target(name)
        return med

    def ratio(self, name: str, num: list, den: list, *, note: str | None = None, scale: float = 1.0):
        """A ratio of two medians; min and max pair the extremes (best and worst case)."""
        num = [v for v in num if v is not None]
        den = [v for v in den if v is not None]
        if not num or not den:
            return self.missing(name, note or "an input of the ratio is missing")
        med = statistics.median(num) * scale / statistics.median(den)
        a, b = min(num) * scale / max(den), max(num) * scale / min(den)
        self.data[name] = round(med, 4)
        self.data[f"{name}_min"] = round(min(a, b), 4)
        self.data[f"{name}_max"] = round(max(a, b), 4)
        self.data[f"{name}_runs"] = min(len(num), len(den))
        if note:
            self.data[f"{name}_note"] = note
        self._target(name)
        return med

    def value(self, name: str, value, note: str | None = None):
        self.data[name] = value
        if note:
            self.data[f"{name}_note"] = note
        self._target(name)

    def missing(self, name: str, why: str):
        self.data[name] = None
        self.data[f"{name}_missing"] = why
        self._target(name)
        return None

    def _target(self, name: str):
        spec = FIGURES.get(name)
        if not spec or spec[1] is None:
            return
        _, target, cmp, _, _ = spec
        self.data[f"{name}_target"] = f"{cmp} {target:g}"
        v = self.data.get(name)
        if v is None:
            self.data[f"{name}_met"] = False
        else:
            self.data[f"{name}_met"] = bool(v <= target if cmp == "<=" else v >= target)


def timed(fn, runs: int, budget: float | None = None) -> list[float]:
    """Wall times of up to *runs* calls of *fn* (fewer once *budget* seconds are spent)."""
    out = []
    start = time.perf_counter()
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
        spent = time.perf_counter() - start
        if budget is not None and spent + out[-1] > budget:
            break
    return out


def _cap(cap) -> str:
    return "no cap" if cap is None else f"cap {cap:.0f} s"


def log(msg: str):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Workers: fresh subprocesses that print one JSON object per line (phases, then "done")
# --------------------------------------------------------------------------------------------

def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _children_usage() -> tuple[float, float]:
    """(peak RSS in MiB of the largest child process waited for, CPU seconds of all of them):
    build_graph shares large work with forked processes (coreplan_analysis._runtime)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_maxrss / 1024, ru.ru_utime + ru.ru_stime


def _cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _emit(**fields):
    print(json.dumps(fields), flush=True)


def _warm_plans():
    """Two small plans (one per layout) to pay imports and first-use caches before the clock."""
    from coreplan_analysis import parse_plan

    a = generate_plan("warm-a", layout="2021", target_bytes=2000)
    b = generate_plan("warm-b", layout="2022", target_bytes=2000)
    return parse_plan(a.text, plan_id="warm-a"), parse_plan(b.text, plan_id="warm-b")


def worker_scale(n: int):
    """parse_plans + to_frames + build_graph of *n* generated plans; imports and the reference data
    are loaded (on two small warm-up plans) before the clock starts."""
    from coreplan_analysis import parse_plans, to_frames
    from coreplan_analysis._catalog import PlanSet
    from coreplan_analysis._reference import load_reference

    try:
        from coreplan_analysis._graph import build_graph
    except ImportError as exc:
        build_graph = None
        _emit(phase="graph_missing", error=str(exc))
    reference = load_reference()
    warm = _warm_plans()
    to_frames(list(warm))
    if build_graph is not None:
        build_graph(PlanSet(warm, reference))
    corpus = generate_corpus(n)
    texts = {p.plan_id: p.text for p in corpus}
    _emit(phase="ready", rss_mb=_maxrss_mb(), bytes=sum(p.size for p in corpus))
    cpu0, (_, child_cpu0) = _cpu_s(), _children_usage()
    t0 = time.perf_counter()
    plans = parse_plans(texts)  # (on both cores from 64 plans: forked processes, like build_graph)
    t1 = time.perf_counter()
    _emit(phase="parse", seconds=t1 - t0)
    to_frames(plans)
    t2 = time.perf_counter()
    _emit(phase="tables", seconds=t2 - t1)
    if build_graph is None:
        _emit(phase="done", rss_mb=_maxrss_mb(), partial=True)
        return
    planset = PlanSet(tuple(plans), reference)
    G = build_graph(planset)
    t3 = time.perf_counter()
    _emit(phase="graph", seconds=t3 - t2, nodes=G.number_of_nodes(), edges=G.number_of_edges())
    child_rss, child_cpu = _children_usage()
    # Memory: this process's peak plus, for each forked worker, the largest worker's peak: an
    # upper bound of what the run held at once (pages a worker shares with this one count twice).
    from coreplan_analysis._runtime import workers_for

    workers = workers_for(None, size=n) - 1
    _emit(phase="done", seconds=t3 - t0, rss_mb=_maxrss_mb() + workers * child_rss, own_rss_mb=_maxrss_mb(),
          children_rss_mb=child_rss, workers=workers, cpu_s=_cpu_s() - cpu0 + child_cpu - child_cpu0)


def worker_crosswalk(n_items: int):
    """crosswalk(old, new) of the cached generated pair of *n_items* items each (parsed in the
    parent and pickled); imports are paid on a small warm-up crosswalk before the clock."""
    import pickle

    try:
        from coreplan_analysis._continuity import crosswalk
    except ImportError as exc:
        _emit(phase="missing", error=str(exc))
        return
    with open(CACHE / f"crosswalk-{n_items}.pkl", "rb") as fh:
        old, new = pickle.load(fh)
    a, b = _warm_plans()
    crosswalk(a, b)
    _emit(phase="ready", rss_mb=_maxrss_mb())
    t0 = time.perf_counter()
    cw = crosswalk(old, new)
    t1 = time.perf_counter()
    _emit(phase="done", seconds=t1 - t0, rss_mb=_maxrss_mb(), links=len(cw.link_records))


def run_worker(kind: str, arg: int, cap: float) -> dict:
    """Run a worker in a fresh interpreter; return its phases (``timed_out`` when capped)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--arg", str(arg)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    timed_out = False
    try:
        out, err = proc.communicate(timeout=cap)
    except subprocess.TimeoutExpired:
        proc.kill()  # our own child, by its handle
        out, err = proc.communicate()
        timed_out = True
    phases = {}
    for line in out.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        phases[rec.pop("phase")] = rec
    if proc.returncode not in (0, None) and not timed_out:
        phases["error"] = {"error": (err.strip().splitlines() or ["exit %s" % proc.returncode])[-1]}
    phases["timed_out"] = timed_out
    return phases


# --------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------

def bench_import(R: Results, cfg):
    code = "import time; t = time.perf_counter(); import {}; print(time.perf_counter() - t)"
    ours, pandas_ = [], []
    for _ in range(cfg["import_runs"]):  # interleaved, so drift hits both alike
        for mod, out in (("coreplan_analysis", ours), ("pandas", pandas_)):
            res = subprocess.run([sys.executable, "-c", code.format(mod)], capture_output=True, text=True,
                                 cwd=ROOT, check=True)
            out.append(float(res.stdout.strip()))
    note = "in-process time of the import statement in fresh interpreters, interleaved"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        note += "; PYTHONDONTWRITEBYTECODE is set, so the package's bytecode is compiled on every import"
    R.put("import_coreplan_s", ours)
    R.put("import_pandas_s", pandas_)
    R.ratio("import_vs_pandas", ours, pandas_, note=note)


def bench_parse(R: Results, cfg):
    from markdown_it import MarkdownIt

    from coreplan_analysis import parse_plan
    from coreplan_analysis._profile import load_profile

    corpus = generate_corpus(cfg["parse_plans"])
    texts = [(p.plan_id, p.text) for p in corpus]
    n_bytes = sum(p.size for p in corpus)
    _warm_plans()
    md = MarkdownIt()
    md.parse(texts[0][1])

    def ours():
        for pid, text in texts:
            parse_plan(text, plan_id=pid)

    def theirs():
        for _, text in texts:
            md.parse(text)

    profile = load_profile()

    def ours_preloaded():
        for pid, text in texts:
            parse_plan(text, plan_id=pid, profile=profile)

    old_md = _OldMarkdownIt.start([t for _, t in texts])
    t_ours, t_md, t_pre, t_old = [], [], [], []
    try:
        for _ in range(cfg["parse_runs"]):  # interleaved, so load on the machine hits all alike
            t_ours += timed(ours, 1)
            t_md += timed(theirs, 1)
            t_pre += timed(ours_preloaded, 1)
            if isinstance(old_md, _OldMarkdownIt):
                t_old.append(old_md.one_pass())
    finally:
        if isinstance(old_md, _OldMarkdownIt):
            old_md.close()
    R.value("parse_corpus_bytes", n_bytes, f"{len(texts)} generated plans, both layouts alternating")
    R.put("parse_s", t_ours)
    R.put("markdown_it_s", t_md)
    R.put("parse_mb_per_s", [n_bytes / 1e6 / t for t in t_ours],
          note="parse_plan(text, plan_id=...) as documented, warm process")
    R.put("parse_mb_per_s_profile_given", [n_bytes / 1e6 / t for t in t_pre],
          note="informational: parse_plan(..., profile=load_profile()), so no profile is inferred")
    import markdown_it

    R.ratio("parse_vs_markdown_it", t_ours, t_md,
            note=f"MarkdownIt().parse(text) on the same texts, same run (markdown-it-py {markdown_it.__version__})")
    if isinstance(old_md, _OldMarkdownIt):
        R.put("markdown_it_old_mb_per_s", [n_bytes / 1e6 / t for t in t_old],
              note=f"informational: markdown-it-py {OLD_MARKDOWN_IT} on the same texts, in a subprocess")
        R.ratio("parse_vs_markdown_it_old", t_ours, t_old,
                note=f"informational: the same ratio against markdown-it-py {OLD_MARKDOWN_IT}, the oldest "
                     "release the bench extra admits, which runs at about the 2.7 MB/s the target assumed")
    else:
        R.missing("parse_vs_markdown_it_old", old_md)


#: The oldest markdown-it-py release the bench extra admits (``markdown-it-py>=3.0``). The
#: target of ``parse_vs_markdown_it`` assumed the peer at about 2.7 MB/s: this release's speed
#: here (about 3 MB/s; 4.3.0 does about 5).
OLD_MARKDOWN_IT = "3.0.0"


class _OldMarkdownIt:
    """markdown-it-py :data:`OLD_MARKDOWN_IT` (installed once under build/bench/peers/) in a
    subprocess that times one ``MarkdownIt().parse`` pass over the texts each time it is asked,
    so its runs interleave with ours."""

    SCRIPT = (
        "import pickle, sys, time, markdown_it\n"
        "from markdown_it import MarkdownIt\n"
        "texts = pickle.load(open(sys.argv[1], 'rb'))\n"
        "md = MarkdownIt(); md.parse(texts[0])\n"
        "print(markdown_it.__version__, flush=True)\n"
        "for _ in sys.stdin:\n"
        "    t = time.perf_counter()\n"
        "    for text in texts: md.parse(text)\n"
        "    print(time.perf_counter() - t, flush=True)\n"
    )

    def __init__(self, proc, tmp):
        self.proc, self.tmp = proc, tmp

    @classmethod
    def start(cls, texts):
        """A running timer, or a string saying why there is none (the install failed, say)."""
        import pickle
        import shutil

        target = CACHE / "peers" / f"markdown-it-py-{OLD_MARKDOWN_IT}"
        if not (target / "markdown_it").is_dir():
            uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
            cmd = ([uv, "pip", "install", "--python", sys.executable] if uv else [sys.executable, "-m", "pip", "install"])
            res = subprocess.run([*cmd, "-q", "--target", str(target), f"markdown-it-py=={OLD_MARKDOWN_IT}"],
                                 capture_output=True, text=True)
            if res.returncode != 0:
                shutil.rmtree(target, ignore_errors=True)
                return f"could not install markdown-it-py {OLD_MARKDOWN_IT}: {res.stderr.strip()[-300:]}"
        tmp = tempfile.NamedTemporaryFile(suffix=".pkl", delete=False)
        with tmp:
            pickle.dump(texts, tmp)
        env = dict(os.environ, PYTHONPATH=str(target))  # (ahead of site-packages and its newer release)
        proc = subprocess.Popen([sys.executable, "-c", cls.SCRIPT, tmp.name], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, env=env)
        version = proc.stdout.readline().strip()
        if version != OLD_MARKDOWN_IT:
            cls(proc, tmp.name).close()
            return f"the subprocess imported markdown-it-py {version or '(none)'}, not {OLD_MARKDOWN_IT}"
        return cls(proc, tmp.name)

    def one_pass(self) -> float:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the markdown-it-py {OLD_MARKDOWN_IT} subprocess ended (exit {self.proc.poll()})")
        return float(line)

    def close(self):
        """Ends the subprocess (killed if it does not stop at once) and removes the texts' file."""
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)


def bench_scale(R: Results, cfg):
    times: dict[int, list] = {}
    for n in cfg["scale_sizes"]:
        runs = cfg["scale_top_runs"] if n == max(cfg["scale_sizes"]) else cfg["scale_runs"]
        budget = cfg["scale_budget"][n]
        total, rss, parse_, tables, graph, cpu, own_rss = [], [], [], [], [], [], []
        note = None
        start = time.perf_counter()
        for k in range(runs):
            cap = cfg["scale_cap"]
            log(f"scale {n} plans, run {k + 1} ({_cap(cap)})")
            run_start = time.perf_counter()
            ph = run_worker("scale", n, cap)
            if "graph_missing" in ph:
                note = f"build_graph missing ({ph['graph_missing']['error']})"
            if "error" in ph:
                note = f"worker failed: {ph['error']['error']}"
                break
            parse_.append(ph.get("parse", {}).get("seconds"))
            tables.append(ph.get("tables", {}).get("seconds"))
            graph.append(ph.get("graph", {}).get("seconds"))
            if ph["timed_out"]:
                done = sum(x for x in (parse_[-1], tables[-1]) if x is not None)
                note = (f"run stopped at its {cap:.0f} s cap: more than {cap:.0f} s "
                        f"(parse {parse_[-1] or float('nan'):.1f} s, tables {tables[-1] or float('nan'):.1f} s "
                        f"done; build_graph still running after {cap - done - 3:.0f} s or more)")
                break
            if "done" in ph and "seconds" in ph["done"]:
                total.append(ph["done"]["seconds"])
                rss.append(ph["done"]["rss_mb"])
                if "cpu_s" in ph["done"]:
                    cpu.append(ph["done"]["cpu_s"])
                    own_rss.append(ph["done"]["own_rss_mb"])
            last = time.perf_counter() - run_start
            if time.perf_counter() - start + last > budget:  # another run would overrun the budget
                break
        times[n] = total
        R.put(f"scale_{n}_parse_s", parse_)
        R.put(f"scale_{n}_tables_s", tables)
        R.put(f"scale_{n}_graph_s", graph)
        if cpu:
            R.put(f"scale_{n}_cpu_s", cpu, note="CPU seconds of the run, its forked workers included")
            R.put(f"scale_{n}_own_rss_mb", own_rss, digits=1, note="peak RSS of the main process alone")
        if total:
            R.put(f"scale_{n}_s", total, note=note)
            R.put(f"scale_{n}_rss_mb", rss, digits=1)
        else:
            R.missing(f"scale_{n}_s", note or "no run finished")
            R.missing(f"scale_{n}_rss_mb", note or "no run finished")
    top = max(cfg["scale_sizes"])
    prev = top // 10
    if times.get(top) and times.get(prev):
        R.ratio("scale_growth" if top == 1000 else f"scale_growth_{prev}_{top}", times[top], times[prev],
                scale=0.1, note=f"time({top}) / (10 x time({prev}))")
    else:
        R.missing("scale_growth" if top == 1000 else f"scale_growth_{prev}_{top}",
                  f"needs both scale_{top}_s and scale_{prev}_s")


def _cached_pair(n_items: int):
    """Generate and parse the crosswalk pair once; pickle it for the workers."""
    import pickle

    from coreplan_analysis import parse_plan

    CACHE.mkdir(parents=True, exist_ok=True)
    old, new = generate_crosswalk_pair(n_items)
    t = time.perf_counter()
    po = parse_plan(old.text, plan_id=old.plan_id)
    pn = parse_plan(new.text, plan_id=new.plan_id)
    parse_s = time.perf_counter() - t
    with open(CACHE / f"crosswalk-{n_items}.pkl", "wb") as fh:
        pickle.dump((po, pn), fh, protocol=pickle.HIGHEST_PROTOCOL)
    return po, pn, parse_s


def _crosswalk_runs(n_items: int, runs: int, budget: float, cap: float):
    times, rss, links, note = [], [], None, None
    start = time.perf_counter()
    for k in range(runs):
        log(f"crosswalk {n_items} x {n_items}, run {k + 1} ({_cap(cap)})")
        ph = run_worker("crosswalk", n_items, cap)
        if "missing" in ph:
            return None, None, None, f"crosswalk missing ({ph['missing']['error']})"
        if "error" in ph:
            return times, rss, links, f"worker failed: {ph['error']['error']}"
        if ph["timed_out"]:
            note = f"run stopped at its {cap:.0f} s cap: more than {cap:.0f} s"
            break
        times.append(ph["done"]["seconds"])
        rss.append(ph["done"]["rss_mb"])
        links = ph["done"]["links"]
        if time.perf_counter() - start + times[-1] > budget:
            break
    return times, rss, links, note


def bench_crosswalk(R: Results, cfg):
    import difflib

    from rapidfuzz import fuzz, process

    n = cfg["cw_items"]
    tag = f"{n // 1000}k"
    po, pn, parse_s = _cached_pair(n)
    R.value(f"crosswalk_{tag}_old_items", len(po.items()), "old plan, 2021 layout")
    R.value(f"crosswalk_{tag}_new_items", len(pn.items()),
            "new plan, 2022 layout: 30% of its actions carry an old one word for word, 30% reword one, 40% are new")
    R.value(f"crosswalk_{tag}_parse_s", round(parse_s, 3), "informational: parse_plan of both plans, one run")
    times, rss, links, note = _crosswalk_runs(n, cfg["cw_runs"], cfg["cw_budget"], cfg["cw_cap"])
    if times:
        R.put(f"crosswalk_{tag}_s", times, note=note)
        R.put(f"crosswalk_{tag}_rss_mb", rss, digits=1)
        R.value(f"crosswalk_{tag}_links", links)
    else:
        R.missing(f"crosswalk_{tag}_s", note or "no run finished")
        R.missing(f"crosswalk_{tag}_rss_mb", note or "no run finished")

    # rapidfuzz on a sample, scaled by the pair count.
    old_t = [it.text for it in po.items()]
    new_t = [it.text for it in pn.items()]
    s = min(cfg["rapidfuzz_sample"], len(old_t), len(new_t))
    a, b = old_t[:: max(1, len(old_t) // s)][:s], new_t[:: max(1, len(new_t) // s)][:s]
    process.cdist(a[:50], b[:50], scorer=fuzz.token_set_ratio, workers=-1)
    rf = timed(lambda: process.cdist(a, b, scorer=fuzz.token_set_ratio, workers=-1), cfg["rapidfuzz_runs"])
    factor = len(old_t) * len(new_t) / (len(a) * len(b))
    rf_est = [t * factor for t in rf]
    R.put(f"rapidfuzz_{tag}_est_s", rf_est,
          note=f"rapidfuzz.process.cdist(scorer=fuzz.token_set_ratio, workers=-1) measured on {len(a)} x {len(b)} "
               f"item texts and scaled by the pair count (x{factor:g})")
    name = "crosswalk_vs_rapidfuzz" if n == 10_000 else f"crosswalk_{tag}_vs_rapidfuzz"
    if times:
        R.ratio(name, times, rf_est, note=f"crosswalk_{tag}_s / rapidfuzz_{tag}_est_s (rapidfuzz scaled from a "
                                         f"{len(a)} x {len(b)} sample)")
    else:
        R.missing(name, "crosswalk time missing")

    # difflib on a 1k x 1k pair: ours measured, difflib measured on a sample and scaled.
    m = cfg["cw_small"]
    if m == n:
        small_times, small_po, small_pn = times, po, pn
    else:
        small_po, small_pn, _ = _cached_pair(m)
        small_times, _, _, _ = _crosswalk_runs(m, cfg["cw_small_runs"], 30, 60)
    if small_times:
        R.put(f"crosswalk_{m // 1000}k_s", small_times)
    old_s = [it.text for it in small_po.items()]
    new_s = [it.text for it in small_pn.items()]
    d = cfg["difflib_sample"]
    da, db = old_s[:: max(1, len(old_s) // d)][:d], new_s[:: max(1, len(new_s) // d)][:d]

    def loop():
        for x in da:
            for y in db:
                difflib.SequenceMatcher(None, x, y).ratio()

    dl = timed(loop, cfg["difflib_runs"])
    factor = len(old_s) * len(new_s) / (len(da) * len(db))
    dl_est = [t * factor for t in dl]
    R.put(f"difflib_{m // 1000}k_est_s", dl_est,
          note=f"difflib.SequenceMatcher(None, a, b).ratio() loop on {len(da)} x {len(db)} item texts, scaled by "
               f"the pair count (x{factor:g})")
    if small_times:
        R.ratio("crosswalk_vs_difflib", dl_est, small_times,
                note=f"difflib_{m // 1000}k_est_s / crosswalk_{m // 1000}k_s (difflib scaled from a "
                     f"{len(da)} x {len(db)} sample)")
    else:
        R.missing("crosswalk_vs_difflib", "crosswalk time missing")


def _jupyter_env() -> dict:
    env = dict(os.environ)
    build = ROOT / "build"
    env.setdefault("JUPYTER_CONFIG_DIR", str(build / ".jupyter" / "config"))
    env.setdefault("JUPYTER_DATA_DIR", str(build / ".jupyter" / "data"))
    env.setdefault("JUPYTER_RUNTIME_DIR", str(build / ".jupyter" / "runtime"))
    env.setdefault("IPYTHONDIR", str(build / ".ipython"))
    env.setdefault("MPLCONFIGDIR", str(build / ".matplotlib"))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def _run_capped(cmd, cap, env=None):
    """(seconds, error or None, timed_out) of one command run."""
    t = time.perf_counter()
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=cap)
    except subprocess.TimeoutExpired:
        return None, f"stopped at its {cap:.0f} s cap", True
    dt = time.perf_counter() - t
    if res.returncode != 0:
        tail = (res.stderr.strip().splitlines() or [f"exit {res.returncode}"])[-1]
        return None, f"exit {res.returncode}: {tail}", False
    return dt, None, False


def bench_notebooks(R: Results, cfg):
    nbs = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not nbs:
        return R.missing("notebooks_s", "no notebooks/*.ipynb")
    R.value("notebooks_count", len(nbs), ", ".join(p.name for p in nbs))
    times, note = [], None
    start = time.perf_counter()
    for k in range(cfg["nb_runs"]):
        log(f"notebooks ({len(nbs)}), run {k + 1}")
        with tempfile.TemporaryDirectory(prefix="coreplan-bench-nb-") as tmp:
            cmd = [sys.executable, "-m", "jupyter", "nbconvert", "--execute", "--to", "notebook",
                   "--output-dir", tmp, *map(str, nbs)]
            dt, err, _ = _run_capped(cmd, cfg["nb_cap"], _jupyter_env())
        if err:
            note = err
            break
        times.append(dt)
        if time.perf_counter() - start + dt > cfg["nb_budget"]:
            break
    if times:
        R.put("notebooks_s", times, note=note and f"a later run failed: {note}")
    else:
        R.missing("notebooks_s", note or "no run finished")


def bench_packet(R: Results, cfg):
    exe = Path(sys.executable).with_name("coreplan")
    cmd0 = [str(exe)] if exe.exists() else [sys.executable, "-m", "coreplan_analysis.cli"]
    check = subprocess.run(cmd0 + ["packet", "--help"], capture_output=True, text=True, cwd=ROOT)
    if check.returncode != 0:
        return R.missing("packet_s", "no `coreplan packet` command: "
                         + ((check.stderr.strip().splitlines() or ["?"])[-1]))
    times, note = [], None
    start = time.perf_counter()
    for k in range(cfg["packet_runs"]):
        log(f"packet, run {k + 1}")
        with tempfile.TemporaryDirectory(prefix="coreplan-bench-packet-") as tmp:
            dt, err, _ = _run_capped(cmd0 + ["packet", "--out", str(Path(tmp) / "packet")], cfg["packet_cap"],
                                     _jupyter_env())
        if err:
            note = err
            break
        times.append(dt)
        if time.perf_counter() - start + dt > cfg["packet_budget"]:
            break
    if times:
        R.put("packet_s", times, note=note and f"a later run failed: {note}")
    else:
        R.missing("packet_s", note or "no run finished")


BENCHES = {"import": bench_import, "parse": bench_parse, "scale": bench_scale, "crosswalk": bench_crosswalk,
           "notebooks": bench_notebooks, "packet": bench_packet}


# --------------------------------------------------------------------------------------------
# Environment, table, profiling
# --------------------------------------------------------------------------------------------

def environment(R: Results, quick: bool):
    from importlib.metadata import PackageNotFoundError, version

    R.value("quick", quick)
    R.value("cpu_count", os.cpu_count())
    R.value("load_avg_1m_start", round(os.getloadavg()[0], 2),
            "1-minute load average when the run started: other work on the machine slows every figure")
    R.value("python", platform.python_version())
    R.value("platform", platform.platform())
    for dist in ("pandas", "numpy", "networkx", "scikit-learn", "markdown-it-py", "rapidfuzz"):
        try:
            R.value(f"version_{dist.replace('-', '_')}", version(dist))
        except PackageNotFoundError:
            R.value(f"version_{dist.replace('-', '_')}", None)
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        R.value(f"env_{var.lower()}", os.environ.get(var))  # reported, never changed
    try:
        import numpy  # noqa: F401
        from threadpoolctl import threadpool_info

        blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if blas:
            R.value("blas_library", blas[0].get("internal_api"))
            R.value("blas_kernel", blas[0].get("architecture"))
            R.value("blas_threads", blas[0].get("num_threads"))
    except ImportError:
        R.value("blas_library", None, "threadpoolctl not installed")


def print_table(data: dict, names):
    rows = [("figure", "median", "min", "max", "runs", "target", "met")]
    for name in names:
        if name not in data:
            continue
        v = data[name]
        fmt = (lambda x: "-" if x is None else (f"{x:.4g}" if isinstance(x, float) else str(x)))
        met = data.get(f"{name}_met")
        rows.append((name, "missing" if v is None and f"{name}_missing" in data else fmt(v),
                     fmt(data.get(f"{name}_min")), fmt(data.get(f"{name}_max")),
                     fmt(data.get(f"{name}_runs")), data.get(f"{name}_target", ""),
                     "" if met is None else ("yes" if met else "NO")))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for k, r in enumerate(rows):
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if k == 0:
            print("  ".join("-" * w for w in widths))
    notes = [(n, data[f"{n}_missing"]) for n in names if f"{n}_missing" in data]
    notes += [(n, data[f"{n}_note"]) for n in names if f"{n}_note" in data]
    if notes:
        print()
        for n, text in notes:
            print(f"  {n}: {text}")


def run_profile(what: str, n: int | None):
    """cProfile of one workload; prints the top functions by cumulative time."""
    import cProfile
    import pstats

    from coreplan_analysis import parse_plan, to_frames
    from coreplan_analysis._catalog import PlanSet
    from coreplan_analysis._reference import load_reference

    reference = load_reference()
    warm = _warm_plans()
    if what == "parse":
        corpus = generate_corpus(n or 100)
        stmt = lambda: [parse_plan(p.text, plan_id=p.plan_id) for p in corpus]  # noqa: E731
    elif what in ("graph", "scale"):
        from coreplan_analysis._graph import build_graph

        build_graph(PlanSet(warm, reference))
        plans = [parse_plan(p.text, plan_id=p.plan_id) for p in generate_corpus(n or 30)]
        if what == "graph":
            stmt = lambda: build_graph(PlanSet(tuple(plans), reference))  # noqa: E731
        else:
            stmt = lambda: (to_frames(plans), build_graph(PlanSet(tuple(plans), reference)))  # noqa: E731
    elif what == "crosswalk":
        from coreplan_analysis._continuity import crosswalk

        crosswalk(*warm)
        old, new = generate_crosswalk_pair(n or 1000)
        po, pn = parse_plan(old.text, plan_id=old.plan_id), parse_plan(new.text, plan_id=new.plan_id)
        stmt = lambda: crosswalk(po, pn)  # noqa: E731
    else:
        raise SystemExit(f"--profile: one of parse, graph, scale, crosswalk (not {what!r})")
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.runcall(stmt)
    print(f"{what} (n={n}): {time.perf_counter() - t:.2f} s under cProfile")
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes and fewer runs (a smoke test)")
    ap.add_argument("--only", action="append", metavar="NAME",
                    help=f"a group ({', '.join(GROUPS)}) or a figure name; repeatable")
    ap.add_argument("--out", type=Path, help="JSON output (default build/bench.json, build/bench-quick.json "
                    "with --quick)")
    ap.add_argument("--no-cap", action="store_true",
                    help="no time cap on a run (a figure far off its target then takes as long as it takes)")
    ap.add_argument("--profile", metavar="WORKLOAD", help="profile parse, graph, scale or crosswalk instead")
    ap.add_argument("-n", type=int, help="size for --profile (plans, or items for crosswalk)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--arg", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker == "scale":
        worker_scale(args.arg)
        return 0
    if args.worker == "crosswalk":
        worker_crosswalk(args.arg)
        return 0
    if args.profile:
        run_profile(args.profile, args.n)
        return 0

    cfg = dict(QUICK if args.quick else FULL)
    if args.no_cap:
        cfg.update(no_cap=True, scale_cap=None, cw_cap=None, nb_cap=None, packet_cap=None)
    groups = list(GROUPS)
    if args.only:
        groups = []
        for name in args.only:
            group = name if name in GROUPS else FIGURES.get(name, (None,))[0]
            if group is None:
                ap.error(f"--only: unknown group or figure {name!r}")
            if group not in groups:
                groups.append(group)
    out = args.out or ROOT / "build" / ("bench-quick.json" if args.quick else "bench.json")
    R = Results()
    if args.only and out.exists():  # keep the other groups' figures; drop this run's groups' old ones
        old = json.loads(out.read_text())
        drop = tuple(p for g in groups for p in PREFIXES[g])
        R.data.update({k: v for k, v in old.items() if not k.startswith(drop)})
    environment(R, args.quick)
    t0 = time.perf_counter()
    for group in groups:
        log(f"{group} ...")
        t = time.perf_counter()
        try:
            BENCHES[group](R, cfg)
        except Exception as exc:  # one broken group must not lose the others' figures
            for name, spec in FIGURES.items():
                if spec[0] == group and name not in R.data:
                    R.missing(name, f"{type(exc).__name__}: {exc}")
            log(f"{group} failed: {type(exc).__name__}: {exc}")
        R.value(f"bench_{group}_wall_s", round(time.perf_counter() - t, 1))
    if args.only:  # a partial run: the whole run's wall time stays as it was
        R.value("bench_only", ", ".join(groups), f"last run with --only took {time.perf_counter() - t0:.1f} s")
    else:
        R.data.pop("bench_only", None)
        R.data.pop("bench_only_note", None)
        R.value("bench_wall_s", round(time.perf_counter() - t0, 1))
    R.value("load_avg_1m_end", round(os.getloadavg()[0], 2))
    R.value("generated_at", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(R.data, indent=1, sort_keys=True) + "\n")
    tmp.replace(out)

    names = list(FIGURES)
    extra = ["parse_mb_per_s_profile_given", "parse_vs_markdown_it_old", "markdown_it_old_mb_per_s",
             "import_coreplan_s", "import_pandas_s"]
    extra += [f"scale_{n}_s" for n in cfg["scale_sizes"]] + [f"scale_{n}_rss_mb" for n in cfg["scale_sizes"]]
    extra += [f"scale_{n}_{p}_s" for n in cfg["scale_sizes"][-1:] for p in ("parse", "tables", "graph")]
    extra += [k for k in sorted(R.data) if k.startswith(("crosswalk_", "rapidfuzz_", "difflib_", "scale_growth_"))
              and not k.endswith(("_min", "_max", "_runs", "_note", "_target", "_met", "_missing", "_items",
                                  "_links", "_parse_s"))]
    print_table(R.data, list(dict.fromkeys(names + extra)))
    print(f"\nwrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} "
          f"({time.perf_counter() - t0:.1f} s; BLAS: {R.data.get('blas_library')} {R.data.get('blas_kernel')})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
