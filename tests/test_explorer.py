"""The alignment explorer of notebook 02, in process: its logic, and its widgets driven by setting
their values (the way a browser changes them); the rendering in a real browser is in
tests/browser/."""

from __future__ import annotations

import pytest

from coreplan_analysis._explorer import TABLE_COLUMNS, AlignmentExplorer

INCLUSION = "value:Inclusion"
MEMBERSHIP = "stream:ALA Pivot Strategy:Membership"
BOARD = "owner:Board of Directors"


@pytest.fixture(scope="module")
def explorer(planset):
    return AlignmentExplorer(planset)


def counting(df, concept):
    """Items an align() table counts for *concept*: stated/confirmed, or inferred above threshold."""
    hits = df[(df["concept"] == concept) & ((df["basis"] != "inferred") | df["above_threshold"])]
    return sorted(set(hits["item"]))


def cell(text):
    """How a value shows in the HTML table of the widget."""
    return f"<td>{text}</td>"


def test_choices_are_graph_nodes_of_every_kind(explorer):
    choices = explorer.choices()
    nodes = [n for _, n in choices]
    assert len(nodes) == len(set(nodes))
    assert [n.split(":")[0] for n in nodes] == sorted((n.split(":")[0] for n in nodes),
                                                      key=["value", "stream", "owner"].index)
    assert {INCLUSION, MEMBERSHIP, BOARD} <= set(nodes)
    G = explorer.graph()
    assert all(n in G for n in nodes)
    assert ("value: Inclusion", INCLUSION) in choices


def test_concept_table_is_what_align_counts(explorer, planset):
    from coreplan_analysis._align import align

    sel = explorer.select(INCLUSION)
    assert list(sel.table.columns) == list(TABLE_COLUMNS)
    assert sel.threshold == 0.25
    assert sorted(set(sel.items)) == counting(align(planset), "Inclusion")
    assert set(sel.table["concept"]) == {"Inclusion"}
    inferred = sel.table[sel.table["basis"] == "inferred"]
    assert (inferred["score"] >= 0.25).all()
    assert list(sel.table["score"]) == sorted(sel.table["score"], reverse=True)
    assert "Inclusion (value)" in sel.summary


def test_higher_threshold_keeps_fewer_inferred_links(explorer, planset):
    from coreplan_analysis._align import align

    low, high = explorer.select(MEMBERSHIP, 0.25), explorer.select(MEMBERSHIP, 0.6)
    assert sorted(set(high.items)) == counting(align(planset, threshold=0.6), "Membership")
    assert set(high.items) < set(low.items)
    assert (high.table["score"] >= 0.6).all()


def test_owner_table_lists_every_assigned_item(explorer, frames):
    sel = explorer.select(BOARD)
    assigned = frames.owners[(frames.owners["owner"] == "Board of Directors") & (frames.owners["role"] == "assigned")]
    assert sel.items == list(assigned["item"])
    assert sel.table["owners"].str.contains("Board of Directors").all()
    assert "Board of Directors is assigned 3 item(s)" in sel.summary
    # At the highest threshold, an item with no stated value shows as serving nothing.
    top = explorer.select("owner:Section Leaders", 0.95)
    assert "Innovation" in set(top.table["concept"])  # stated by its area, whatever the threshold


def test_highlight_is_a_part_of_the_graph(explorer):
    sel = explorer.select(BOARD)
    G = explorer.graph(sel.threshold)
    assert sel.nodes[0] == BOARD
    assert set(sel.items) <= set(sel.nodes)
    assert "value:Transparency" in sel.nodes
    for u, v, k in sel.edges:
        assert G.has_edge(u, v, key=k)
        assert u in sel.nodes and v in sel.nodes
    assert ("core-2021-2022/1/7", BOARD, "assigned_to") in sel.edges


def test_evidence_names_the_words(explorer):
    sel = explorer.select("value:Transparency")
    assert any(e.startswith("core-2021-2022/1/7 (inferred") and "quarterly report" in e for e in sel.evidence)
    assert all(e.split(" ")[0] in sel.items for e in sel.evidence)


def test_bad_choices_raise(explorer):
    with pytest.raises(KeyError):
        explorer.select("owner:Nobody")
    with pytest.raises(KeyError):
        explorer.select("value:Nothing")
    with pytest.raises(KeyError):
        explorer.select("core-2021-2022/1/1")
    with pytest.raises(ValueError):
        explorer.select(INCLUSION, 1.5)


def test_widget_updates_when_its_values_change(explorer):
    pytest.importorskip("ipywidgets")
    ex = explorer
    box = ex.widget()
    c = ex.controls
    assert box.children and c["dropdown"].value == "value:Transparency"
    first_table, first_png = c["table"].value, bytes(c["image"].value)
    assert first_png.startswith(b"\x89PNG")

    c["dropdown"].value = BOARD  # what the browser does when a planner picks an owner
    assert ex.current.node == BOARD
    assert c["table"].value != first_table
    for item in ("core-2021-2022/1/1", "core-2021-2022/1/7", "core-2021-2022/3/1"):
        assert cell(item) in c["table"].value
    assert cell("core-2021-2022/1/2") not in c["table"].value
    assert "Board of Directors is assigned 3 item(s)" in c["summary"].value
    assert bytes(c["image"].value) != first_png

    c["dropdown"].value = MEMBERSHIP
    c["slider"].value = 0.6
    assert ex.current.threshold == 0.6
    assert ex.current.items == ex.select(MEMBERSHIP, 0.6).items
    shown = [i for i in ex.select(MEMBERSHIP, 0.25).items if cell(i) in c["table"].value]
    assert shown == ex.current.items
    assert c["evidence"].value.count("<li>") == len(ex.current.evidence)
