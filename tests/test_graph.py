"""The plan graph: nodes, edges with relation/basis/score/evidence, export round trips."""

from __future__ import annotations

import sys

import pytest

from coreplan_analysis import parse_plan
from coreplan_analysis._align import align
from coreplan_analysis._continuity import crosswalk
from coreplan_analysis._export import read_graph, write_graph
from coreplan_analysis._graph import RELATIONS, build_graph, graph_summary
from coreplan_analysis.cli import main

GEXF_RESERVED_EDGE = {"id", "label", "weight", "type", "start", "end"}
GEXF_RESERVED_NODE = {"pid", "start", "end"}


@pytest.fixture(scope="module")
def G(planset):
    return build_graph(planset)


def _edges(G, relation):
    return [(u, v, d) for u, v, k, d in G.edges(keys=True, data=True) if k == relation]


def test_nodes_by_type(G):
    assert graph_summary(G)["nodes"] == {
        "plan": 2,
        "area": 6,  # 3 + 2 printed + the missing area restored by annotation
        "item": 30,  # 16 + 14
        "value": 7,  # the whole value set, served or not
        "stream": 2,
        "owner": 18,  # 12 assigned in 2021-2022, 6 more named in prose; the 2022-2025 plan names none
        "timeline": 4,
    }
    assert all("type" in d for _, d in G.nodes(data=True))


def test_node_attributes(G):
    item = G.nodes["core-2022-2025/2/2.2"]
    assert (item["type"], item["kind"], item["status"], item["line_start"], item["is_leaf"]) == (
        "item", "action", "completed", 43, True)
    assert item["label"].startswith("2.2 Align journals")
    assert "status_date" not in item  # None attributes are left out
    area = G.nodes["core-2022-2025/1"]
    assert (area["label"], area["basis"], area["line_start"]) == ("Membership and Value to Members", "confirmed", 23)
    missing = G.nodes["core-2022-2025/3"]
    assert "line_start" not in missing and missing["source_url"].startswith("https://alacore.org/")
    owner = G.nodes["owner:Diversity and Inclusion Committee"]
    assert (owner["kind"], owner["registered"]) == ("committee", True)
    t = G.nodes["core-2021-2022/timeline/4"]
    assert (t["label"], t["when_start"], t["when_end"]) == ("June 2021", "2021-06", "2021-06")
    assert G.nodes["stream:ALA Pivot Strategy:Membership"]["named_in_plan"] is True


def test_every_edge_has_relation_basis_score_evidence(G):
    for u, v, k, d in G.edges(keys=True, data=True):
        assert d["relation"] == k and k in RELATIONS
        assert d["basis"] in ("stated", "inferred", "confirmed")
        assert isinstance(d["score"], float) and 0 <= d["score"] <= 1
        assert isinstance(d["evidence"], list)
        if d["basis"] != "inferred":
            assert d["score"] == 1.0
        assert not GEXF_RESERVED_EDGE & set(d)
    for _, d in G.nodes(data=True):
        assert not GEXF_RESERVED_NODE & set(d)


def test_edge_counts(G, planset):
    edges = graph_summary(G)["edges"]
    # plan->area 6, area->top item 3+4, item->child 13+10, plan->timeline 4: 40; the two
    # areas an annotation restored (title, missing area) are confirmed
    assert edges["contains"] == {"stated": 38, "confirmed": 2}
    # 9 area->value, plus 48 inherited item->value
    assert edges["stated_value"] == {"stated": 57}
    assert edges["assigned_to"] == {"stated": 18}
    # 3 in item text (CE committee, Washington Office, ALA-APA), 12 in the timeline
    assert edges["mentions"] == {"stated": 15}
    # the 2021-2022 plan names two Pivot Strategy streams; inferred = align's rows above threshold
    table = align(planset)
    n_inferred = int((table["above_threshold"] & (table["basis"] == "inferred")).sum())
    assert edges["aligns_with"] == {"stated": 2, "inferred": n_inferred}


def test_stated_value_inherited_by_items(G):
    area_edge = G.edges["core-2021-2022/3", "value:Diversity", "stated_value"]
    item_edge = G.edges["core-2021-2022/3/2", "value:Diversity", "stated_value"]
    assert area_edge["evidence"] == item_edge["evidence"] == ["area Advocacy Coordination names Diversity"]
    assert item_edge["basis"] == "stated" and item_edge["score"] == 1.0
    goal_edge = G.edges["core-2021-2022/3/#1", "value:Diversity", "stated_value"]  # goals inherit too
    assert goal_edge["basis"] == "stated"
    assert not G.has_edge("core-2021-2022/3/2", "value:Innovation", "stated_value")


def test_inferred_alignment_edges(G):
    e = G.edges["core-2021-2022/2/1", "value:Innovation", "aligns_with"]
    assert (e["basis"], e["evidence"][:2]) == ("inferred", ["emerging trends", "explore"])
    plan_stream = G.edges["core-2021-2022", "stream:ALA Pivot Strategy:Continuing Education", "aligns_with"]
    assert plan_stream["basis"] == "stated" and "Continuing Education" in plan_stream["evidence"][0]


def _generated_plans(n):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from generator import generate_corpus

    return [parse_plan(p.text, plan_id=p.plan_id) for p in generate_corpus(n)]


@pytest.mark.parametrize("threshold", [0.0, 0.3, None, 1.0])
def test_inferred_alignment_edges_are_the_align_rows_above_threshold(planset, threshold):
    # build_graph reads only the rows it draws (_align._rows with hits_only): they must be
    # align()'s inferred rows at or above the threshold, score and evidence included, also for
    # scores exactly on the threshold (0.3 on generated plans).
    from coreplan_analysis._catalog import PlanSet

    plans = PlanSet(tuple(planset) + tuple(_generated_plans(6)), planset.reference)
    df = align(plans, threshold=threshold, reference=plans.reference)
    rows = df[(df["basis"] == "inferred") & df["above_threshold"]]
    want = sorted((r.item, r.concept, r.score, [w for w in r.evidence.split(", ") if w])
                  for r in rows.itertuples(index=False))
    H = build_graph(plans, threshold=threshold, continuity=False)
    got = sorted((u, H.nodes[v]["label"], d["score"], d["evidence"]) for u, v, d in _edges(H, "aligns_with")
                 if d["basis"] == "inferred")
    assert got == want and (got or threshold == 1.0)  # no inferred score reaches 1 here
    assert H.graph["alignment_threshold"] == df.attrs["threshold"]
    if threshold == 0.3:
        assert any(score == 0.3 for _, _, score, _ in got)  # ties on the threshold are drawn
    # threshold 0 draws every pair sharing a word, never a score of 0 (no word, no evidence)
    assert all(score > 0 and evidence for _, _, score, evidence in got)
    if threshold == 0.0:
        scored = df[(df["basis"] == "inferred") & (df["score"] > 0)]
        assert len(got) == len(scored) < len(df[df["basis"] == "inferred"])


def test_assignments_and_mentions(G):
    e = G.edges["core-2021-2022/1/3", "owner:Fundraising and Sponsorship Committee", "assigned_to"]
    assert e["evidence"] == ["Diversity & Inclusion Committee; Fundraising & Sponsorships Committee"]
    assert G.has_edge("core-2021-2022/3/2", "owner:ALA Washington Office", "mentions")
    assert not G.has_edge("core-2021-2022/3/2", "owner:ALA Washington Office", "assigned_to")
    assert G.has_edge("core-2021-2022/timeline/1", "owner:Leadership Team", "mentions")


def test_continues_edges_are_the_crosswalk_links(G, planset):
    links = crosswalk(planset[0], planset[1], reference=planset.reference, workspace=planset.workspace).links
    got = sorted((u, v, d["class"], d["basis"], d["link_score"]) for u, v, d in _edges(G, "continues"))
    want = sorted((r["from"], r["to"], str(r["class"]), str(r["basis"]), round(float(r["score"]), 4))
                  for r in links.to_dict("records"))
    assert got == want and got
    for *_, d in _edges(G, "continues"):
        assert d["score"] == (1.0 if d["basis"] == "confirmed" else d["link_score"])
    assert G.graph["continuity"] == "crosswalk"


def test_switches(planset):
    H = build_graph(planset, alignment=False, continuity=False)
    summary = graph_summary(H)["edges"]
    assert "continues" not in summary and summary["aligns_with"] == {"stated": 2}
    assert "continuity" not in H.graph and "alignment_threshold" not in H.graph
    strict = build_graph(planset, continuity=False, threshold=0.6)
    assert graph_summary(strict)["edges"]["aligns_with"]["inferred"] < len(_edges(build_graph(planset), "aligns_with"))


def test_deterministic(planset, G, tmp_path):
    again = build_graph(planset)
    assert list(again.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))
    assert list(again.nodes(data=True)) == list(G.nodes(data=True))
    for suffix in (".graphml", ".gexf", ".json"):
        a = write_graph(G, tmp_path / f"a{suffix}").read_bytes()
        b = write_graph(again, tmp_path / f"b{suffix}").read_bytes()
        assert a == b


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_round_trip(G, tmp_path, suffix):
    H = read_graph(write_graph(G, tmp_path / f"seed{suffix}"))
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert set(H.nodes) == set(G.nodes)
    for node in ("core-2021-2022/1/7", "value:Transparency", "owner:ALA Staff", "core-2022-2025/3"):
        for attr in ("type", "basis", "kind", "status", "line_start"):
            if attr in G.nodes[node]:
                assert H.nodes[node][attr] == G.nodes[node][attr], (node, attr)
    for u, v, k in [("core-2021-2022/1/7", "value:Transparency", "aligns_with"),
                    ("core-2021-2022/1/7", "owner:ALA Staff", "assigned_to")]:
        a, b = G.edges[u, v, k], H.edges[u, v, k]
        assert (b["relation"], b["basis"], b["score"]) == (a["relation"], a["basis"], a["score"])
        # JSON keeps the list; GraphML and GEXF carry it flattened, joined with "; "
        assert b["evidence"] == (a["evidence"] if suffix == ".json" else "; ".join(a["evidence"]))


def test_invented_plan():
    plan = parse_plan("""Areas of Focus

1. Outreach

Goal: Reach new members.

Core Values: Inclusion

Actions:

1. Remove barriers to participation. (*Board of Directors*)
2. Plant trees with the Friends Group.
""", plan_id="demo")
    G = build_graph(plan)
    assert [n for n, d in G.nodes(data=True) if d["type"] in ("plan", "area", "item")] == [
        "demo", "demo/1", "demo/1/#1", "demo/1/1", "demo/1/2"]
    assert [(u, v) for u, v, _ in _edges(G, "contains")] == [
        ("demo", "demo/1"), ("demo/1", "demo/1/#1"), ("demo/1/#1", "demo/1/1"), ("demo/1/#1", "demo/1/2")]
    assert sorted(u for u, v, _ in _edges(G, "stated_value")) == ["demo/1", "demo/1/#1", "demo/1/1", "demo/1/2"]
    assert [(u, v) for u, v, _ in _edges(G, "assigned_to")] == [("demo/1/1", "owner:Board of Directors")]
    aligned = {(u, v) for u, v, d in _edges(G, "aligns_with") if d["basis"] == "inferred"}
    assert ("demo/1/1", "value:Inclusion") in aligned  # "barriers", "participation"
    assert ("demo/1/2", "value:Inclusion") not in aligned
    assert "continuity" not in G.graph  # a single plan: nothing to continue


# -- command line ------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_cli_graph(tmp_path, capsys, suffix, G):
    out_file = tmp_path / f"g{suffix}"
    assert main(["graph", "--out", str(out_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"wrote {out_file}: {G.number_of_nodes()} nodes (2 plan, 6 area, 30 item")
    assert read_graph(out_file).number_of_edges() == G.number_of_edges()


def test_cli_graph_one_plan_and_bad_suffix(tmp_path, capsys):
    assert main(["graph", "core-2022-2025", "--out", str(tmp_path / "g.json"), "--no-alignment"]) == 0
    assert "1 plan, 3 area, 14 item" in capsys.readouterr().out
    assert main(["graph", "--out", str(tmp_path / "g.dot")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "must end in .graphml, .gexf, .json" in err
    assert not (tmp_path / "g.dot").exists()


def _ordered(G):
    return ([(n, list(d.items())) for n, d in G.nodes(data=True)],
            [(u, v, k, list(d.items())) for u, v, k, d in G.edges(keys=True, data=True)],
            [(u, list(G.pred[u].items())) for u in G], list(G.graph.items()))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked processes are used on Linux only")
def test_graph_is_the_same_on_any_number_of_processes(monkeypatch):
    # A large planset's inferred edges are computed in parts, in forked processes: node, edge,
    # neighbour and attribute order must all be those of one process.
    from coreplan_analysis import _graph
    from coreplan_analysis._catalog import PlanSet
    from coreplan_analysis._reference import load_reference

    from coreplan_analysis._runtime import workers_for

    plans = PlanSet(tuple(_generated_plans(9)), load_reference())
    assert workers_for(4, size=9) == 4  # (no other thread here: the counts below do fork)
    one = _ordered(build_graph(plans, n_jobs=1))
    assert len(one[1]) > 2000 and any(k == "continues" for _, _, k, _ in one[1])
    for n in (2, 3, 4):
        assert _ordered(build_graph(plans, n_jobs=n)) == one
    # A child sends its part in pieces (of 128 plans; of 2 here, so 2 or 3 per child), drawn in turn.
    monkeypatch.setattr(_graph, "_PIECE", 2)
    for n in (2, 3):
        assert _ordered(build_graph(plans, n_jobs=n)) == one
    monkeypatch.undo()
    assert _ordered(build_graph(plans, n_jobs=3, continuity=False)) == _ordered(
        build_graph(plans, n_jobs=1, continuity=False))
    # By default 9 plans stay in one process; COREPLAN_JOBS sets the default count.
    forks = []

    def spy(func, groups, meanwhile):
        forks.append(len(groups))
        meanwhile()
        return [func(job) for group in groups for job in group]

    monkeypatch.setattr(_graph, "forked_imap", spy)
    monkeypatch.delenv("COREPLAN_JOBS", raising=False)
    assert _ordered(build_graph(plans)) == one and forks == []
    monkeypatch.setenv("COREPLAN_JOBS", "2")
    assert _ordered(build_graph(plans)) == one and forks == [1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked processes are used on Linux only")
def test_continues_edges_join_consecutive_cycles_of_one_organisation(monkeypatch):
    # Two organisations' plans interleaved by cycle: each plan continues in its own
    # organisation's next plan (cycle_pairs), on any number of processes.
    from dataclasses import replace

    from coreplan_analysis import _graph, cycle_pairs
    from coreplan_analysis._catalog import PlanSet
    from coreplan_analysis._reference import load_reference

    plans = [replace(p, organisation="AB"[k % 2] + " Library Association") for k, p in enumerate(_generated_plans(9))]
    ps = PlanSet(tuple(plans), load_reference())
    one = build_graph(ps, n_jobs=1, alignment=False)
    org = {p.id: p.organisation for p in plans}
    joined = {(u.split("/")[0], v.split("/")[0]) for u, v, _ in _edges(one, "continues")}
    assert joined == {(a.id, b.id) for a, b in cycle_pairs(plans)} and len(joined) == 7
    assert all(org[a] == org[b] for a, b in joined)
    monkeypatch.setattr(_graph, "_PIECE", 2)
    for n in (2, 3):
        assert _ordered(build_graph(ps, n_jobs=n, alignment=False)) == _ordered(one)
