"""Tests of coreplan_analysis.charts: Axes properties (titles, tick labels, counts of cells, bars
and patches, legend entries, alt text), never pixels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import inspect  # noqa: E402
import textwrap  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from coreplan_analysis import charts  # noqa: E402
from coreplan_analysis.charts import alt_text, finding  # noqa: E402

VALUES = ["Transparency", "Diversity", "Inclusion", "Knowledge Sharing", "Collaboration", "Sustainability", "Innovation"]
ALIGN_COLUMNS = ["plan", "area", "item", "kind", "concept", "framework", "concept_kind", "basis", "score",
                 "evidence", "above_threshold"]
GAP_COLUMNS = ["rule", "severity", "plan", "subject", "message", "evidence"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _ax():
    return Figure(figsize=(8, 6)).subplots()


def _title(ax) -> str:
    return " ".join(ax.get_title().split())


def _ticks(labels) -> list[str]:
    return [t.get_text() for t in labels]


def _gid(ax, gid) -> list:
    return [p for p in ax.patches if p.get_gid() == gid]


def _legend(ax) -> list[str]:
    legend = ax.get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend else []


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _check_finding(ax, expected: str) -> None:
    """The finding, the title (line breaks aside) and the start of the alt text all say it."""
    assert finding(ax) == expected
    assert _title(ax) == expected
    assert expected in alt_text(ax)


def _align_row(plan, area, item, kind, concept, basis, score, above, concept_kind="value"):
    framework = "Core values" if concept_kind == "value" else "ALA Pivot Strategy"
    return dict(plan=plan, area=area, item=item, kind=kind, concept=concept, framework=framework,
                concept_kind=concept_kind, basis=basis, score=score, evidence="", above_threshold=above)


@pytest.fixture
def align_small():
    """One plan, one area; a goal and two actions; Inclusion stated for the area."""
    r = _align_row
    rows = [
        r("p", "p/1", "p/1/#1", "goal", "Inclusion", "stated", 1.0, True),
        r("p", "p/1", "p/1/#1", "goal", "Inclusion", "inferred", 0.05, False),
        r("p", "p/1", "p/1/#1", "goal", "Diversity", "inferred", 0.40, True),
        r("p", "p/1", "p/1/#1", "goal", "Innovation", "inferred", 0.0, False),
        r("p", "p/1", "p/1/1", "action", "Inclusion", "stated", 1.0, True),
        r("p", "p/1", "p/1/1", "action", "Inclusion", "inferred", 0.50, True),
        r("p", "p/1", "p/1/1", "action", "Diversity", "inferred", 0.10, False),
        r("p", "p/1", "p/1/1", "action", "Innovation", "inferred", 0.0, False),
        r("p", "p/1", "p/1/2", "action", "Inclusion", "stated", 1.0, True),
        r("p", "p/1", "p/1/2", "action", "Inclusion", "inferred", 0.20, False),
        r("p", "p/1", "p/1/2", "action", "Diversity", "inferred", 0.0, False),
        r("p", "p/1", "p/1/2", "action", "Innovation", "inferred", 0.12, False),
        r("p", "p/1", "p/1/2", "action", "Membership", "inferred", 0.61, True, "stream"),
    ]
    return pd.DataFrame(rows, columns=ALIGN_COLUMNS)


# ---------------------------------------------------------------------------------------------
# real analysis tables of the bundled plans
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def alignment(planset):
    from coreplan_analysis._align import align

    return align(planset)


@pytest.fixture(scope="module")
def gaps(planset):
    from coreplan_analysis._gaps import find_gaps

    return find_gaps(planset)


@pytest.fixture(scope="module")
def cw(planset):
    from coreplan_analysis._continuity import crosswalk

    return crosswalk(planset["core-2021-2022"], planset["core-2022-2025"])


@pytest.fixture(scope="module")
def graph(planset):
    from coreplan_analysis._graph import build_graph

    return build_graph(planset)


# ---------------------------------------------------------------------------------------------
# the module
# ---------------------------------------------------------------------------------------------


def test_public_names_and_reexported_save_figure():
    from coreplan_analysis import _export

    assert charts.save_figure is _export.save_figure
    for name in charts.__all__:
        assert hasattr(charts, name), name
    import coreplan_analysis

    assert coreplan_analysis.charts is charts


def test_library_code_sets_no_backend_and_never_shows():
    source = inspect.getsource(charts)
    assert "matplotlib.use(" not in source
    assert ".show(" not in source
    assert "plt.gcf" not in source and "plt.gca" not in source


def test_okabe_ito_palette_and_every_status_and_class_has_a_hatch_or_is_plain_baseline():
    assert charts.OKABE_ITO["orange"] == "#E69F00" and charts.OKABE_ITO["blue"] == "#0072B2"
    hatches = [h for _, h, _ in charts.STATUS_STYLE.values()]
    assert len(set(hatches)) == len(hatches)  # no two statuses share a pattern
    assert list(charts.STATUS_STYLE) == ["completed", "revised", "new", "in_progress", "none", "unknown"]
    class_hatches = [h for _, h in charts.CLASS_STYLE.values()]
    assert len(set(class_hatches)) == len(class_hatches)


def test_chart_draws_on_the_given_axes_without_touching_pyplot(frames):
    before = plt.get_fignums()
    ax = _ax()
    assert charts.status_summary(frames.items, ax=ax) is ax
    assert plt.get_fignums() == before


def test_without_axes_a_new_figure_is_made(frames):
    ax = charts.status_summary(frames.items)
    assert ax.figure in [plt.figure(n) for n in plt.get_fignums()]


@pytest.mark.parametrize(
    "draw, reason",
    [
        (lambda ax: charts.alignment_heatmap(pd.DataFrame(columns=ALIGN_COLUMNS), ax=ax), "no alignment rows"),
        (lambda ax: charts.alignment_heatmap(None, ax=ax), "no alignment rows"),
        (lambda ax: charts.owner_workload(pd.DataFrame(columns=["plan", "item", "owner", "role"]), ax=ax),
         "no owners in the table"),
        (lambda ax: charts.coverage_matrix(pd.DataFrame(columns=ALIGN_COLUMNS), pd.DataFrame(columns=GAP_COLUMNS), ax=ax),
         "no concepts or no areas to cross"),
        (lambda ax: charts.coverage_matrix(None, None, ax=ax), "no concepts or no areas to cross"),
        (lambda ax: charts.continuity_flow(pd.DataFrame(columns=["from", "to", "class"]), ax=ax),
         "no links, dropped, new or completed items"),
        (lambda ax: charts.continuity_flow(None, ax=ax), "no links, dropped, new or completed items"),
        (lambda ax: charts.plan_network(nx.MultiDiGraph(), ax=ax), "the graph has no nodes"),
        (lambda ax: charts.timeline(pd.DataFrame(columns=["plan", "when", "start", "end", "text"]), ax=ax),
         "no timeline entries"),
        (lambda ax: charts.status_summary(pd.DataFrame(columns=["plan", "status", "is_leaf"]), ax=ax), "no items"),
    ],
)
def test_empty_input_gives_nothing_to_show(draw, reason):
    ax = draw(_ax())
    assert _title(ax) == f"Nothing to show: {reason}"
    assert ax.get_xticks().tolist() == [] and ax.get_yticks().tolist() == []
    assert alt_text(ax).endswith(f"Nothing to show: {reason}.")


def test_save_figure_writes_three_files(tmp_path, frames):
    ax = charts.owner_workload(frames)
    paths = charts.save_figure(ax.figure, tmp_path / "owners.png")
    assert [p.name for p in paths] == ["owners.png", "owners.svg", "owners.pdf"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert paths[0].read_bytes()[:4] == b"\x89PNG" and paths[2].read_bytes()[:5] == b"%PDF-"


def test_saving_twice_gives_the_same_svg_and_pdf(tmp_path, frames):
    a = charts.save_figure(charts.status_summary(frames.items).figure, tmp_path / "a", formats=("svg", "pdf"))
    b = charts.save_figure(charts.status_summary(frames.items).figure, tmp_path / "b", formats=("svg", "pdf"))
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_alt_text_of_a_figure_joins_its_charts_and_of_a_plain_axes_is_empty(frames):
    fig = Figure(figsize=(10, 8))
    top, bottom = fig.subplots(2)
    charts.status_summary(frames.items, ax=top)
    charts.timeline(frames.timeline, ax=bottom)
    assert alt_text(fig) == alt_text(top) + "\n\n" + alt_text(bottom)
    assert alt_text(top).startswith("Status summary chart. ")
    assert alt_text(bottom).startswith("Timeline chart. ")
    assert finding(fig) == finding(top) + " " + finding(bottom)
    assert alt_text(Figure().subplots()) == "" and finding(Figure().subplots()) == ""


def test_long_titles_are_wrapped():
    names = [f"A committee with a very long name number {k}" for k in range(2)]
    owners = pd.DataFrame({"item": ["a", "b"], "owner": names, "role": "assigned"})
    ax = charts.owner_workload(owners, ax=_ax())
    assert "\n" in ax.get_title()
    assert all(len(line) <= 72 for line in ax.get_title().splitlines())


# ---------------------------------------------------------------------------------------------
# alignment heat map
# ---------------------------------------------------------------------------------------------


def test_heatmap_cells_stated_hatched_inferred_scored(align_small):
    ax = charts.alignment_heatmap(align_small, concepts=["Inclusion", "Diversity", "Innovation", "Transparency"], ax=_ax())
    assert _ticks(ax.get_xticklabels()) == ["Inclusion", "Diversity", "Innovation", "Transparency"]
    assert _ticks(ax.get_yticklabels()) == ["p/1/#1", "p/1/1", "p/1/2"]
    cells = _gid(ax, "cell")
    # three stated Inclusion cells (one also inferred .50) and the goal's inferred Diversity .40;
    # rows below the threshold and the stream row are not drawn
    assert len(cells) == 4
    assert sorted(c.get_hatch() or "" for c in cells) == ["", "///", "///", "///"]
    assert sorted(_texts(ax)) == [".40", "S", "S", "S .50"]
    # served by no action: Diversity is served by the goal only; Innovation and Transparency by nothing
    _check_finding(ax, "3 of 4 values are served by no action (Diversity, Innovation, Transparency)")
    assert _legend(ax) == ["S: stated by the plan", "inferred, score .30 (printed)", "inferred, score .80 (printed)"]
    assert "4 cells hold a link: 3 stated by the plan (hatched, marked S), 2 inferred" in alt_text(ax)
    # goals in bold, actions not
    assert [t.get_fontweight() for t in ax.get_yticklabels()] == ["bold", "normal", "normal"]


def test_heatmap_labels_and_area_rows(align_small):
    ax = charts.alignment_heatmap(align_small, rows="area", labels={"p/1": "Membership and Engagement"}, ax=_ax())
    assert _ticks(ax.get_yticklabels()) == ["Membership and Engagement"]
    assert _ticks(ax.get_xticklabels()) == ["Inclusion", "Diversity", "Innovation"]
    # the area's cell keeps the strongest inferred score and the S of its stated rows
    assert sorted(_texts(ax)) == [".40", "S .50"]
    assert len(_gid(ax, "cell")) == 2
    _check_finding(ax, "2 of 3 values are served by no action (Diversity, Innovation)")


def test_heatmap_streams_and_confirmed(align_small):
    df = pd.concat([align_small, pd.DataFrame([_align_row("p", "p/1", "p/1/1", "action", "Innovation", "confirmed", 1.0, True)],
                                              columns=ALIGN_COLUMNS)], ignore_index=True)
    ax = charts.alignment_heatmap(df, ax=_ax())
    assert "C" in _texts(ax)
    assert "C: confirmed by a person" in _legend(ax)
    _check_finding(ax, "1 of 3 values is served by no action (Diversity)")
    ax = charts.alignment_heatmap(df, columns="stream", ax=_ax())
    assert _ticks(ax.get_xticklabels()) == ["Membership"]
    assert _texts(ax) == [".61"]
    _check_finding(ax, "Every stream is served by at least one action")


def test_heatmap_two_plans_are_separated_and_counted_apart(align_small):
    other = align_small.assign(plan="q", area="q/1", item=align_small["item"].str.replace("p/", "q/", regex=False))
    other = other[other["concept"] != "Diversity"]
    ax = charts.alignment_heatmap(pd.concat([align_small, other], ignore_index=True), ax=_ax())
    assert len(ax.get_yticklabels()) == 6
    assert [t.get_text() for t in ax.texts if t.get_gid() == "plan-label"] == ["p", "q"]
    assert len(ax.get_lines()) == 1  # one rule between the plans
    _check_finding(ax, "Values served by no action: 2 of 3 in p (Diversity, Innovation); 2 of 3 in q (Diversity, Innovation)")


def test_heatmap_rejects_unknown_rows_or_columns(align_small):
    with pytest.raises(ValueError, match="rows must be 'item' or 'area'"):
        charts.alignment_heatmap(align_small, rows="plan")
    with pytest.raises(ValueError, match="columns must be 'value' or 'stream'"):
        charts.alignment_heatmap(align_small, columns="owner")


def test_heatmap_real_alignment(alignment, gaps, frames):
    ax = charts.alignment_heatmap(alignment, rows="item", columns="value", concepts=VALUES, labels=frames, ax=_ax())
    assert _ticks(ax.get_xticklabels())[3] == "Knowledge\nSharing"  # wrapped
    assert [" ".join(t.split()) for t in _ticks(ax.get_xticklabels())] == VALUES
    # one row per goal and action of both plans, labelled with number and text
    assert len(ax.get_yticklabels()) == 30
    assert ax.get_yticklabels()[1].get_text().startswith("1 Refine the statement of Core's value")
    stated = alignment[(alignment["basis"] == "stated")]
    assert sum(c.get_hatch() == "///" for c in _gid(ax, "cell")) == len(stated[["item", "concept"]].drop_duplicates()) == 48
    # the title agrees with the gap finder: the values no action serves, per plan
    unserved = gaps[gaps["rule"] == "value-unserved"]
    assert unserved[["plan", "subject"]].values.tolist() == [["core-2022-2025", "value:Sustainability"]]
    _check_finding(ax, "Values served by no action: 0 of 7 in core-2021-2022; 1 of 7 in core-2022-2025 (Sustainability)")
    assert [t.get_text() for t in ax.texts if t.get_gid() == "plan-label"] == ["core-2021-2022", "core-2022-2025"]


def test_heatmap_real_streams_by_area(alignment, frames):
    ax = charts.alignment_heatmap(alignment, rows="area", columns="stream", labels=frames, ax=_ax())
    assert _ticks(ax.get_xticklabels()) == ["Membership", "Continuing\nEducation"]
    assert _ticks(ax.get_yticklabels()) == ["Membership and Engagement", "Member-Initiated Programming",
                                            "Advocacy Coordination", "Membership and Value to Members",
                                            "Career Building and Recognition"]
    streams = alignment[(alignment["concept_kind"] == "stream") & alignment["above_threshold"]]
    assert len(_gid(ax, "cell")) == len(streams[["area", "concept"]].drop_duplicates())
    _check_finding(ax, "Every stream is served by at least one action in each plan")


# ---------------------------------------------------------------------------------------------
# owner workload
# ---------------------------------------------------------------------------------------------


def test_owner_workload_real_frames(frames):
    ax = charts.owner_workload(frames, ax=_ax())
    _check_finding(ax, "Board of Directors carries the most actions (3 of 13)")
    # busiest first, ties by name; long names wrapped
    assert [" ".join(t.split()) for t in _ticks(ax.get_yticklabels())] == [
        "Board of Directors",
        "Advocacy Coordination Committee",
        "Content Coordination Committee",
        "Diversity and Inclusion Committee",
        "Member Engagement Coordination Committee",
        "ALA Staff",
        "Awards & Scholarships Coordination Committee",
        "Communications Coordination Committee",
        "Competencies Development Committee",
        "Fundraising and Sponsorship Committee",
        "Leadership Development and Mentoring Committee",
        "Section Leaders",
    ]
    assert _ticks(ax.get_yticklabels())[4] == "Member Engagement Coordination\nCommittee"
    # no status is printed in the 2021-2022 plan: one segment per owner
    assert len(ax.containers) == 1
    assert [b.get_width() for b in ax.containers[0]] == [3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    assert _legend(ax) == ["no status"]
    # mentions (Continuing Education Coordination Committee, ALA Washington Office) are not assignments
    assert "ALA Washington Office" not in alt_text(ax)


def test_owner_workload_plan_without_owners(frames):
    ax = charts.owner_workload(frames, plan="core-2022-2025", ax=_ax())
    _check_finding(ax, "Nothing to show: no action is assigned to an owner in core-2022-2025")


def test_owner_workload_many_owners_sorted_and_stacked():
    statuses = ["completed", "revised", "new", "in_progress", "none", "unknown"]
    rows = []
    for k in range(24):  # owner k carries k % 5 + 1 actions
        for j in range(k % 5 + 1):
            rows.append(dict(plan="p", item=f"p/1/{k}.{j}", owner=f"Committee {k:02d}", role="assigned",
                             kind="action", status=statuses[(k + j) % 6]))
    rows.append(dict(plan="p", item="p/1/0.0", owner="Mentioned Body", role="mentioned", kind="action", status="none"))
    rows.append(dict(plan="p", item="p/1/#1", owner="Goal Owner", role="assigned", kind="goal", status="none"))
    ax = charts.owner_workload(pd.DataFrame(rows))
    labels = _ticks(ax.get_yticklabels())
    assert len(labels) == 24 and "Mentioned Body" not in labels and "Goal Owner" not in labels
    totals = [sum(c[i].get_width() for c in ax.containers) for i in range(24)]
    assert totals == sorted(totals, reverse=True)
    assert labels[:5] == ["Committee 04", "Committee 09", "Committee 14", "Committee 19", "Committee 03"]
    assert len(ax.containers) == 6 and all(len(c) == 24 for c in ax.containers)
    assert [c.get_label() for c in ax.containers] == ["completed", "revised", "new", "in progress", "no status", "status unknown"]
    assert [bar.get_hatch() for bar in (c[0] for c in ax.containers)] == ["++", "//", "\\\\", "..", "", "xx"]
    assert _legend(ax) == ["completed", "revised", "new", "in progress", "no status", "status unknown"]
    _check_finding(ax, "4 owners tie for the most actions (5 each of 70)")
    assert ax.figure.get_figheight() >= 0.38 * 24  # the figure grows with the owners


def test_owner_workload_owner_table_joined_to_items_and_ties():
    owners = pd.DataFrame({"plan": "p", "item": ["p/1/1", "p/1/2", "p/1/2", "p/1/#1"],
                           "owner": ["Board", "Board", "Staff", "Staff"], "role": "assigned"})
    items = pd.DataFrame({"item": ["p/1/1", "p/1/2", "p/1/#1"], "kind": ["action", "action", "goal"],
                          "status": pd.Categorical(["completed", None, "none"], categories=["completed", "none"])})
    ax = charts.owner_workload(owners, items=items, ax=_ax())
    _check_finding(ax, "Board carries the most actions (2 of 2)")
    assert _legend(ax) == ["completed", "status unknown"]
    owners.loc[3, "item"] = "p/1/1"
    ax = charts.owner_workload(owners, items=items, ax=_ax())
    _check_finding(ax, "Board and Staff carry the most actions (2 each of 2)")


# ---------------------------------------------------------------------------------------------
# coverage matrix
# ---------------------------------------------------------------------------------------------


def test_coverage_matrix_counts_stated_and_gaps():
    r = _align_row
    align_df = pd.DataFrame([
        r("p", "p/1", "p/1/1", "action", "Inclusion", "stated", 1.0, True),
        r("p", "p/1", "p/1/1", "action", "Inclusion", "inferred", 0.5, True),
        r("p", "p/1", "p/1/2", "action", "Inclusion", "inferred", 0.3, True),
        r("p", "p/1", "p/1/2", "action", "Diversity", "inferred", 0.1, False),
        r("p", "p/2", "p/2/1", "action", "Collaboration", "stated", 1.0, True),
        r("p", "p/2", "p/2/1", "action", "Collaboration", "inferred", 0.0, False),
        r("p", "p/2", "p/2/1", "action", "Inclusion", "inferred", 0.4, True),
        r("p", "p/2", "p/2/1", "action", "Membership", "inferred", 0.4, True, "stream"),
    ], columns=ALIGN_COLUMNS)
    gaps_df = pd.DataFrame([
        ["value-unserved", "high", "p", "value:Diversity", "No action of the plan serves the value Diversity.", ""],
        ["stream-unadvanced", "high", "p", "stream:ALA Pivot Strategy:Continuing Education", "No goal advances it.", ""],
        ["value-unsupported", "medium", "p", "p/2", "Area 2 (Programming) names the value Collaboration, but none of its actions' text supports it.", ""],
        ["goal-no-actions", "medium", "p", "p/1/3", "Goal 3 has no actions.", ""],
        ["item-damaged", "high", "p", "p/3", "Area 3 (Structure) is missing from the copy.", ""],
        ["action-no-owner", "medium", "p", "p", "None of the actions names who carries it.", ""],
        ["owner-idle", "low", "p", "owner:Budget Committee", "Budget Committee has no part in the plan.", ""],
    ], columns=GAP_COLUMNS)
    areas = pd.DataFrame({"plan": "p", "area": ["p/1", "p/2", "p/3"], "title": ["Membership", "Programming", "Structure"]})
    ax = charts.coverage_matrix(align_df, gaps_df, areas=areas, ax=_ax())
    assert _ticks(ax.get_yticklabels()) == ["Inclusion", "Diversity\n[gap: high]", "Collaboration", "stream: Membership"]
    assert _ticks(ax.get_xticklabels()) == ["Membership\n[1 gap]", "Programming", "Structure\n[1 gap]"]
    # cells: Inclusion x Membership (2 items, stated), Inclusion x Programming (1), Collaboration x
    # Programming (stated, no item supports it), Membership stream x Programming (1)
    cells = _gid(ax, "cell")
    assert len(cells) == 4
    assert sum(c.get_hatch() == "///" for c in cells) == 2
    assert sorted(_texts(ax)) == ["0\ngap", "1", "1", "2", "p [1 plan gap]"]
    # gap outlines: the Diversity row (across p's three areas) and the Collaboration x Programming cell;
    # the Continuing Education stream is not a row here, so its gap has nowhere to go
    outlines = _gid(ax, "gap")
    assert len(outlines) == 2
    assert all(o.get_linestyle() == "--" and not o.get_fill() for o in outlines)
    assert sorted(round(o.get_width(), 2) for o in outlines) == [0.8, 2.92]
    _check_finding(ax, "1 of 3 values (Diversity) is flagged as a coverage gap; 1 stated link no action supports "
                       "(Collaboration in Programming); Membership has the most gaps in its items (1)")
    assert "2 gaps about owners or other subjects not drawn" in alt_text(ax)
    assert _legend(ax) == ["items whose text serves it (number)", "the plan states the link", "gap (dashed; [gap] / 'gap')"]


def test_coverage_matrix_without_gaps():
    r = _align_row
    df = pd.DataFrame([r("p", "p/1", "p/1/1", "action", "Inclusion", "inferred", 0.5, True)], columns=ALIGN_COLUMNS)
    ax = charts.coverage_matrix(df, None, ax=_ax())
    _check_finding(ax, "No value or stream is flagged as a coverage gap")
    assert _ticks(ax.get_xticklabels()) == ["p/1"] and _gid(ax, "gap") == []


def test_coverage_matrix_real(alignment, gaps, frames):
    ax = charts.coverage_matrix(alignment, gaps, areas=frames.areas, concepts=VALUES, ax=_ax())
    labels = _ticks(ax.get_yticklabels())
    assert [label.split("\n")[0] for label in labels] == VALUES
    flagged = {g.removeprefix("value:") for g in gaps.loc[gaps["rule"] == "value-unserved", "subject"]}
    assert {label.split("\n")[0] for label in labels if "[gap: high]" in label} == flagged == {"Sustainability"}
    # every area is a column, the missing one included, with the gaps about its items counted
    assert _ticks(ax.get_xticklabels()) == [
        "Membership and\nEngagement", "Member-Initiated\nProgramming", "Advocacy\nCoordination",
        "Membership and\nValue to Members\n[2 gaps]", "Career Building\nand Recognition\n[4 gaps]",
        "Evaluate and\nAdjust Core's\nStructure\n[1 gap]",
    ]
    # stated cells: the nine values the 2021-2022 areas name
    assert sum(c.get_hatch() == "///" for c in _gid(ax, "cell")) == len(frames.values) == 9
    # the value-unsupported gap (Collaboration named by area 2, supported by no action) sits in its cell
    unsupported = gaps[gaps["rule"] == "value-unsupported"]
    assert unsupported["subject"].tolist() == ["core-2021-2022/2"]
    assert "0\ngap" in _texts(ax)
    assert len(_gid(ax, "gap")) == 2
    _check_finding(ax, "1 of 7 values (Sustainability) is flagged as a coverage gap; 1 stated link no action supports "
                       "(Collaboration in Member-Initiated Programming); Career Building and Recognition has the most "
                       "gaps in its items (4)")
    assert [t.get_text() for t in ax.texts if t.get_gid() == "plan-label"] == ["core-2021-2022", "core-2022-2025 [1 plan gap]"]


# ---------------------------------------------------------------------------------------------
# continuity flow
# ---------------------------------------------------------------------------------------------


def test_continuity_flow_from_links():
    links = pd.DataFrame({"from": ["a/1/1", "a/1/2", "a/1/3", "a/1/3"], "to": ["b/1/1", "b/1/2", "b/1/2", "b/1/3"],
                          "class": ["carried", "evolved", "evolved", "evolved"]})
    ax = charts.continuity_flow(links, dropped=["a/2/1", "a/2/2"], new_items=["b/2/1"],
                                completed=["a/2/2", "b/1/1"], ax=_ax())
    # old: carried 1, evolved 2, completed 1 (a/2/2: done, not dropped), dropped 1
    # new: carried 1 (completed), evolved 2, new 1
    assert len(_gid(ax, "block")) == 7
    assert len(_gid(ax, "flow")) == 2
    assert sorted(_gid(ax, "block")[k].get_height() for k in range(7)) == [1, 1, 1, 1, 1, 2, 2]
    texts = _texts(ax)
    for label in ("carried (1)", "evolved (2)", "completed (1)", "dropped (1)", "carried (1, 1\ncompleted)", "new (1)", "a", "b"):
        assert label in texts, label
    _check_finding(ax, "60% of a actions continue in b (1 carried, 2 evolved, 1 dropped, 1 new, 2 completed)")
    assert [p.get_hatch() for p in _gid(ax, "flow")] == [None, "//"]


def test_continuity_flow_from_an_outcomes_table():
    outcomes = pd.DataFrame({
        "side": ["old", "old", "old", "old", "new", "new", "new"],
        "plan": ["x-2019", "x-2019", "x-2019", "x-2019", "x-2021", "x-2021", "x-2021"],
        "item": ["o/1", "o/1/1", "o/1/2", "o/1/3", "n/1", "n/1/1", "n/1/2"],
        "level": ["area", "action", "action", "action", "area", "action", "action"],
        "leaf": [False, True, True, True, False, True, True],
        "outcome": ["continued in part", "evolved", "dropped", "dropped", "continued in part", "evolved", "new"],
        "completed": [False, False, True, False, False, False, True],
    })
    ax = charts.continuity_flow(outcomes, ax=_ax())
    _check_finding(ax, "33% of x-2019 actions continue in x-2021 (0 carried, 1 evolved, 1 dropped, 1 new, 2 completed)")
    assert len(_gid(ax, "block")) == 5 and len(_gid(ax, "flow")) == 1
    ax = charts.continuity_flow(outcomes, leaves_only=False, ax=_ax())
    assert "in part (1)" in _texts(ax) and len(_gid(ax, "flow")) == 2
    _check_finding(ax, "25% of x-2019 items continue in x-2021 (0 carried, 1 evolved, 1 dropped, 1 new, 2 completed)")


def test_continuity_flow_real_crosswalk(cw):
    ax = charts.continuity_flow(cw, ax=_ax())
    out = cw.outcomes
    leaves = out[out["leaf"]]
    old, new = leaves[leaves["side"] == "old"], leaves[leaves["side"] == "new"]
    evolved_old = int((old["outcome"] == "evolved").sum())
    lost = int((old["outcome"] == "not found in the copy").sum())
    fresh = int((new["outcome"] == "new").sum())
    # 4 new actions: the restored, empty third area is a new area, not a new action
    assert (evolved_old, lost, fresh, len(cw.completed)) == (6, 7, 4, 2)
    assert round(100 * cw.continuity) == 46 and cw.new_plan_incomplete
    # the damaged 2022-2025 copy: unmatched old actions are "not found in the copy", not "dropped"
    _check_finding(ax, "46% of 2021-2022 actions continue in 2022-2025 "
                       "(0 carried, 6 evolved, 7 not found in the copy, 4 new, 2 completed)")
    texts = _texts(ax)
    assert {"2021-2022", "2022-2025", "evolved (6)", "not found in the copy\n(7)", "new (4, 2 completed)"} <= set(texts)
    assert len(_gid(ax, "block")) == 4 and len(_gid(ax, "flow")) == 1
    assert alt_text(ax).startswith("Continuity flow chart. 46% of 2021-2022 actions")


def test_continuity_flow_real_links_table(cw):
    ax = charts.continuity_flow(cw.links, dropped=cw.dropped, new_items=cw.new_items, completed=cw.completed,
                                old_label="2021-2022", new_label="2022-2025", ax=_ax())
    links = cw.links
    old = set(links["from"]) | set(cw.dropped)
    share = round(100 * len(set(links["from"])) / len(old))
    assert finding(ax).startswith(f"{share}% of 2021-2022 actions continue in 2022-2025 (0 carried, "
                                  f"{links['from'].nunique()} evolved, {len(cw.dropped)} dropped, ")


# ---------------------------------------------------------------------------------------------
# plan network
# ---------------------------------------------------------------------------------------------


def _network(n_owners=22):
    G = nx.MultiDiGraph()
    G.add_node("p", type="plan", label="Plan")
    for v in ("Inclusion", "Diversity"):
        G.add_node(f"value:{v}", type="value", label=v)
    G.add_node("stream:F:Membership", type="stream", label="Membership")
    G.add_node("p/1", type="area", label="Membership and Engagement", plan="p")
    G.add_node("p/1/#1", type="item", kind="goal", depth=1, plan="p", label="A goal")
    G.add_edge("p", "p/1", relation="contains", basis="stated")
    G.add_edge("p/1", "p/1/#1", relation="contains", basis="stated")
    G.add_edge("p/1", "value:Inclusion", relation="stated_value", basis="stated")
    for k in range(1, 5):
        item = f"p/1/{k}"
        G.add_node(item, type="item", kind="action", depth=2, plan="p", number=str(k), label=f"Action {k} " + "word " * 20)
        G.add_edge("p/1/#1", item, relation="contains", basis="stated")
        G.add_edge(item, "value:Inclusion", relation="stated_value", basis="stated")  # inherited
    G.add_edge("p/1/1", "value:Inclusion", relation="aligns_with", basis="inferred", score=0.4)
    G.add_edge("p/1/#1", "value:Diversity", relation="aligns_with", basis="inferred", score=0.3)  # a goal, not an action
    G.add_edge("p/1/2", "stream:F:Membership", relation="aligns_with", basis="confirmed", score=1.0)
    for k in range(n_owners):
        owner = f"owner:Committee {k:02d}"
        G.add_node(owner, type="owner", label=f"Committee {k:02d}")
        G.add_edge(f"p/1/{k % 4 + 1}", owner, relation="assigned_to", basis="stated")
    G.add_node("owner:Board", type="owner", label="Board")
    for k in (1, 2, 3):
        G.add_edge(f"p/1/{k}", "owner:Board", relation="assigned_to", basis="stated")
    G.add_node("owner:Watcher", type="owner", label="Watcher")
    G.add_edge("p/1/3", "owner:Watcher", relation="mentions", basis="stated")
    G.add_node("owner:Idle", type="owner", label="Idle")  # linked to no item: not drawn
    G.add_node("q/1/1", type="item", kind="action", depth=2, plan="q", label="Next cycle")
    G.add_edge("p/1/1", "q/1/1", relation="continues", basis="inferred")
    return G


def _nodes(ax) -> dict:
    return {c.get_gid(): len(c.get_offsets()) for c in ax.collections if str(c.get_gid()).startswith("nodes:")}


def _edges(ax) -> dict:
    return {c.get_gid(): len(c.get_segments()) for c in ax.collections if str(c.get_gid()).startswith("edges:")}


def test_plan_network_layers_shapes_and_styles():
    ax = charts.plan_network(_network(), plan="p")
    assert _nodes(ax) == {"nodes:value": 2, "nodes:stream": 1, "nodes:area": 1, "nodes:goal": 1, "nodes:action": 4,
                          "nodes:owner": 24}
    # contains 1 + 4, stated_value from the area only (not the 4 inherited), 25 assignments;
    # inferred 2; confirmed 1; mentions 1; the "continues" edge and plan node left out
    assert _edges(ax) == {"edges:stated": 31, "edges:inferred": 2, "edges:confirmed": 1, "edges:mentions": 1}
    assert len(ax.texts) == 33  # one wrapped label per node drawn
    assert "1 Action 1 word word\nword word word word word\nword word word word..." in _texts(ax)
    assert "Idle" not in _texts(ax) and "Next cycle" not in _texts(ax)
    legend = _legend(ax)
    assert legend[:6] == ["value (2)", "stream (1)", "area (1)", "goal (1)", "action (4)", "owner (24)"]
    assert legend[6:] == ["stated link", "confirmed link", "inferred link", "mentions link"]
    # Diversity is linked from the goal only: served by no action
    _check_finding(ax, "Board carries the most items (3 of 4); 1 of 2 values is served by no action")
    # owners in one column at the right, values at the left
    xs = {c.get_gid(): {round(x, 6) for x, _ in c.get_offsets()} for c in ax.collections if str(c.get_gid()).startswith("nodes:")}
    assert len(xs["nodes:owner"]) == 1 and max(xs["nodes:owner"]) > max(xs["nodes:action"]) > max(xs["nodes:goal"])
    assert min(xs["nodes:value"]) < min(xs["nodes:area"])
    assert ax.figure.get_figheight() >= 0.42 * 24


def test_plan_network_inherited_edges_on_request():
    ax = charts.plan_network(_network(4), plan="p", inherited=True, ax=_ax())
    assert _edges(ax)["edges:stated"] == 1 + 4 + 1 + 4 + 4 + 3  # contains, area and 4 inherited stated_value, assignments


def test_plan_network_real_graph(graph, frames, alignment):
    ax = charts.plan_network(graph, plan="core-2021-2022", ax=_ax())
    items = frames.items[frames.items["plan"] == "core-2021-2022"]
    owners = frames.owners[frames.owners["plan"] == "core-2021-2022"]["owner"].nunique()
    assert _nodes(ax) == {"nodes:value": 7, "nodes:stream": 2, "nodes:area": 3,
                          "nodes:goal": int((items["kind"] == "goal").sum()),
                          "nodes:action": int((items["kind"] == "action").sum()), "nodes:owner": owners}
    assert (_nodes(ax)["nodes:goal"], _nodes(ax)["nodes:action"], owners) == (3, 13, 15)
    served = alignment[(alignment["plan"] == "core-2021-2022") & (alignment["kind"] == "action")
                       & (alignment["basis"] == "inferred") & alignment["above_threshold"]
                       & (alignment["concept_kind"] == "value")]
    assert served["concept"].nunique() == 7
    _check_finding(ax, "Board of Directors carries the most items (3 of 13); every value is served by at least one action")
    ax = charts.plan_network(graph, plan="core-2022-2025", ax=_ax())
    _check_finding(ax, "No item is assigned to an owner; 1 of 7 values is served by no action")
    assert "Values served by no action (no inferred or confirmed link from an action): Sustainability." in alt_text(ax)


def test_plan_network_unknown_plan():
    ax = charts.plan_network(_network(2), plan="zzz", ax=_ax())
    _check_finding(ax, "Nothing to show: no areas or items in zzz")


# ---------------------------------------------------------------------------------------------
# timeline
# ---------------------------------------------------------------------------------------------


def test_timeline_real(frames):
    ax = charts.timeline(frames.timeline, ax=_ax())
    _check_finding(ax, "4 dated entries run from Mar 2021 to Jun 2021; 3 at once in Apr 2021")
    bars = ax.containers[0]
    assert len(bars) == 4
    assert [round(b.get_width()) for b in bars] == [61, 61, 61, 30]  # Mar-Apr, Apr-May, Apr-May, June: days
    assert _texts(ax) == ["March-April 2021", "April-May 2021", "April-May 2021", "June 2021"]
    assert _ticks(ax.get_yticklabels())[0] == textwrap.fill(
        "Leadership Team will work with ALA Staff and the Board of Directors to finalize the action plan.", 48)
    ax.figure.canvas.draw()
    assert _ticks(ax.get_xticklabels())[:2] == ["Mar 2021", "Apr 2021"]


def test_timeline_years_undated_and_plans():
    tl = pd.DataFrame({"plan": ["a", "a", "b"], "when": ["2023", "Spring", "May-June 2022"],
                       "start": ["2023", None, "2022-05"], "end": [None, None, "2022-06"],
                       "text": ["Whole year", "Undated", "Consult"]})
    ax = charts.timeline(tl, ax=_ax())
    assert len(ax.containers[0]) == 2
    assert _ticks(ax.get_yticklabels()) == ["b: Consult", "a: Whole year"]  # by start month
    assert [round(b.get_width()) for b in ax.containers[0]] == [61, 365]
    _check_finding(ax, "2 dated entries run from May 2022 to Dec 2023")
    assert "1 entry without a date not drawn." in alt_text(ax)


# ---------------------------------------------------------------------------------------------
# status summary
# ---------------------------------------------------------------------------------------------


def test_status_summary_real(frames):
    ax = charts.status_summary(frames.items, ax=_ax())
    _check_finding(ax, "core-2022-2025: 2 of 10 actions completed, 2 revised, 1 new; "
                       "core-2021-2022: no action carries a status")
    assert _ticks(ax.get_yticklabels()) == ["core-2021-2022", "core-2022-2025"]
    assert [c.get_label() for c in ax.containers] == ["completed", "revised", "new", "no status"]
    assert [[b.get_width() for b in c] for c in ax.containers] == [[0, 2], [0, 2], [0, 1], [13, 5]]
    assert _legend(ax) == ["completed", "revised", "new", "no status"]
    assert "core-2022-2025: completed 2, revised 2, new 1, no status 5" in alt_text(ax)


def test_status_summary_all_items_and_unknown():
    items = pd.DataFrame({"plan": "p", "is_leaf": [True, False, True],
                          "status": pd.Categorical(["unknown", "completed", None], categories=["completed", "unknown"])})
    ax = charts.status_summary(items, ax=_ax())
    _check_finding(ax, "p: 2 of 2 actions status unknown")
    ax = charts.status_summary(items, leaves_only=False, ax=_ax())
    _check_finding(ax, "p: 1 of 3 items completed, 2 status unknown")
    assert ax.get_xlabel() == "Items"
