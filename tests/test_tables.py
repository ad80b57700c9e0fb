"""to_frames: explicit dtypes, stable order, and snapshots of the seed tables."""

from __future__ import annotations

from conftest import FIXTURES, check_snapshot

from coreplan_analysis._tables import TABLES


def test_table_names(frames):
    assert [name for name, _ in frames] == list(TABLES)


def test_items_dtypes(frames):
    dt = frames.items.dtypes.astype(str).to_dict()
    assert dt["kind"] == "category" and dt["status"] == "category" and dt["basis"] == "category"
    assert dt["depth"] == "Int64" and dt["line_start"] == "Int64" and dt["is_leaf"] == "boolean"
    assert list(frames.items["status"].cat.categories) == [
        "completed", "revised", "new", "in_progress", "none", "unknown"]


def test_counts(frames):
    items = frames.items
    assert items.groupby("plan")["is_leaf"].sum().to_dict() == {"core-2021-2022": 13, "core-2022-2025": 10}
    assert len(frames.leaves) == 23
    assigned = frames.owners[frames.owners["role"] == "assigned"]
    assert assigned[assigned["plan"] == "core-2021-2022"]["owner"].nunique() == 12
    assert frames.values.groupby("plan")["value"].nunique().to_dict() == {"core-2021-2022": 7}
    assert frames.timeline["plan"].tolist() == ["core-2021-2022"] * 4
    assert frames.streams["stream"].tolist() == ["Membership", "Continuing Education"]


def test_owner_pairs_raw_and_canonical(frames):
    o = frames.owners
    row = o[(o["item"] == "core-2021-2022/1/3") & (o["raw"] == "Fundraising & Sponsorships Committee")]
    assert row["owner"].tolist() == ["Fundraising and Sponsorship Committee"]
    mentioned = o[o["role"] == "mentioned"]
    assert ("core-2021-2022/3/2", "ALA Washington Office") in set(zip(mentioned["item"], mentioned["owner"]))


def test_parent_and_depth(frames):
    items = frames.items.set_index("item")
    assert items.loc["core-2022-2025/2/2.3", "parent"] == "core-2022-2025/2/2"
    assert items.loc["core-2021-2022/1/5", "parent"] == "core-2021-2022/1/#1"
    assert items.loc["core-2021-2022/1/5", "depth"] == 2


def test_items_snapshot(frames):
    cols = ["item", "parent", "depth", "kind", "number", "status", "status_date", "owners", "line_start", "line_end"]
    check_snapshot(FIXTURES / "snapshots" / "items.csv", frames.items[cols].to_csv(index=False, lineterminator="\n"))


def test_diagnostics_snapshot(frames):
    check_snapshot(FIXTURES / "snapshots" / "diagnostics.csv",
                   frames.diagnostics.to_csv(index=False, lineterminator="\n"))
