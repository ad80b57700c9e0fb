"""Shared fixtures: the bundled plans, parsed once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
ROOT = HERE.parent
RAW = ROOT / "data" / "raw"
PLAN_2021 = RAW / "core-strategic-action-plan-2021-2022.txt"
PLAN_2022 = RAW / "core-strategic-plan-2022-2025.txt"

#: Set UPDATE_SNAPSHOTS=1 to rewrite snapshot files instead of comparing with them.
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"


@pytest.fixture(scope="session")
def plan2021():
    from coreplan_analysis import read_plan

    return read_plan(PLAN_2021)


@pytest.fixture(scope="session")
def plan2022():
    from coreplan_analysis import read_plan

    return read_plan(PLAN_2022)


@pytest.fixture(scope="session")
def planset():
    from coreplan_analysis import load_catalog

    return load_catalog()


@pytest.fixture(scope="session")
def frames(planset):
    from coreplan_analysis import to_frames

    return to_frames(planset)


def check_snapshot(path: Path, text: str) -> None:
    """Compare *text* with the snapshot at *path* (or write it when UPDATE_SNAPSHOTS=1)."""
    if UPDATE or not path.exists():
        if not UPDATE and os.environ.get("CI"):
            pytest.fail(f"snapshot {path.name} missing in CI; run UPDATE_SNAPSHOTS=1 make test locally")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{path.name} changed; if intended, rerun with UPDATE_SNAPSHOTS=1 and review the diff"


def covered_lines(plan) -> set[int]:
    """Lines lying in some element's span or named by a diagnostic."""
    out = set()
    spans = [s.span for s in plan.sections] + [a.span for a in plan.areas] + [t.span for t in plan.timeline]
    for a, b in spans:
        out.update(range(a, b + 1))
    out.update(d.line for d in plan.diagnostics if d.line)
    return out


def outline(plan) -> str:
    """A compact, complete text rendering of a parse, for fixture files (``*.outline``)."""
    out = [f"title: {plan.title}"]
    for a in plan.areas:
        out.append(f"area {a.id.split('/', 1)[1]} number={a.number} title={a.title!r}"
                   + (f" values={list(a.values)}" if a.values else "")
                   + (f" statement={a.statement!r}" if a.statement else "") + f" span={list(a.span)}")
        for it in a.walk():
            extra = ""
            if it.owners:
                extra += f" owners={list(it.owners)}"
            if it.mentions:
                extra += f" mentions={list(it.mentions)}"
            if it.status.kind != "none":
                extra += f" status={it.status.kind}" + (f"@{it.status.date}" if it.status.date else "")
            out.append(f"{'  ' * it.depth}{it.kind} {it.id.split('/', 2)[2]}: {it.text!r}{extra} span={list(it.span)}")
    for s in plan.streams:
        out.append(f"stream {s.framework}: {s.name}")
    for t in plan.timeline:
        out.append(f"timeline {t.when!r} {t.start}..{t.end}: {t.text!r}")
    for d in plan.diagnostics:
        if d.severity != "info":
            out.append(f"diag {d.line} {d.kind}")
    return "\n".join(out) + "\n"
