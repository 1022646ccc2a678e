"""Tests for lawreports.plot: Chinese that renders, and charts that show the tables they get."""

from __future__ import annotations

import itertools
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import PathCollection, QuadMesh  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402
from matplotlib.text import Annotation, Text  # noqa: E402

from lawreports import plot  # noqa: E402
from lawreports.plot import _base  # noqa: E402

PARTS = ["achievements", "shortcomings", "responsibility", "plans", "other"]


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test starts with no open figure and closes what it made."""
    plt.close("all")
    yield
    plt.close("all")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def reports() -> pd.DataFrame:
    """The five seeds as a reports table (part lengths in the range the seeds have)."""
    table = pd.DataFrame(
        {
            "report_id": ["000", "001", "002", "003", "004"],
            "jurisdiction": ["海陵试验区", "天镇县", "伊春市", "武清区", "珍溪镇"],
            "division_type": ["zone", "county", "city", "district", "town"],
            "report_year": [2021, 2019, 2022, 2023, 2022],
            "chars_achievements": [4071, 6197, 2637, 2184, 1685],
            "chars_shortcomings": [148, 284, 101, 216, 193],
            "chars_responsibility": [0, 0, 0, 315, 0],
            "chars_plans": [176, 691, 397, 553, 296],
            "chars_other": [0, 0, 0, 0, 0],
        }
    )
    for part in PARTS:
        table[f"has_{part}"] = table[f"chars_{part}"] > 0
    return table


@pytest.fixture
def indicators() -> pd.DataFrame:
    """Rates and counts as the seeds state them (调解成功率达 95 %, 纠错率21.08%, …)."""
    rows = [
        ("000", "即办率", "即办率", 95.29, "%", "rate"),
        ("000", "即办率", "即办率", 100.0, "%", "rate"),
        ("000", "办理时限压减率", "时限压减率", 92.85, "%", "reduction"),
        ("000", "行政复议纠错率", "综合纠错率", 100.0, "%", "rate"),
        ("000", "调解成功率", "调解成功率", 99.7, "%", "rate"),
        ("001", "政府采购资金节约率", "节约率", 8.49, "%", "rate"),
        ("001", "调解成功率", "调解成功率", 95.0, "%", "rate"),
        ("001", "调解矛盾纠纷", "调解", 733.0, "件", "count"),
        ("002", "全程网办率", "网办率", 100.0, "%", "rate"),
        ("002", "即办率", "即办件比率", 90.0, "%", "rate"),
        ("002", "调解成功率", "调解成功率", 98.6, "%", "rate"),
        ("002", "调解矛盾纠纷", "调解", 4812.0, "件", "count"),
        ("003", "行政复议纠错率", "纠错率", 21.08, "%", "rate"),
        ("003", "监管事项认领率", "监管事项认领率", 87.21, "%", "rate"),
        ("003", "全程网办率", "网办率", 100.0, "%", "rate"),
        ("004", "法治宣传活动", "宣传活动", 6.0, "次", "count"),
    ]
    return pd.DataFrame(rows, columns=["report_id", "indicator", "label", "value", "unit", "kind"])


@pytest.fixture
def crowded(reports, indicators) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four more districts with nearly equal 调解成功率, to crowd one column of labels."""
    extra_reports = pd.DataFrame(
        {
            "report_id": ["101", "102", "103", "104"],
            "jurisdiction": ["和平区", "河西区", "南开区", "红桥区"],
            "division_type": ["district"] * 4,
            "report_year": [2023] * 4,
        }
    )
    extra_rates = pd.DataFrame(
        {
            "report_id": ["101", "102", "103", "104"],
            "indicator": "调解成功率",
            "label": "调解成功率",
            "value": [99.5, 99.8, 99.7, 100.0],
            "unit": "%",
            "kind": "rate",
        }
    )
    return (
        pd.concat([indicators, extra_rates], ignore_index=True),
        pd.concat([reports, extra_reports], ignore_index=True),
    )


@pytest.fixture
def profiles() -> pd.DataFrame:
    terms = {
        "珍溪镇": ["信访", "执法人员", "参与度", "群众"],
        "天镇县": ["纲要", "决策程序", "公众参与", "专家论证", "主要负责人"],
        "武清区": ["营商环境", "执法人员", "双随机一公开"],
    }
    rows = [
        (group, term, round(0.5 / rank, 4), rank)
        for group, group_terms in terms.items()
        for rank, term in enumerate(group_terms, start=1)
    ]
    return pd.DataFrame(rows, columns=["group", "term", "weight", "rank"])


@pytest.fixture
def theme_shares() -> pd.DataFrame:
    rows = [
        ("珍溪镇", "执法队伍与能力", 0.5),
        ("珍溪镇", "基层治理与群众参与", 0.5),
        ("天镇县", "决策程序", 1 / 3),
        ("天镇县", "制度建设与落实", 2 / 3),
        ("武清区", "营商环境与放管服", 1 / 3),
        ("武清区", "执法队伍与能力", 1 / 3),
        ("武清区", "发展不均衡", 1 / 3),
    ]
    return pd.DataFrame(rows, columns=["group", "theme", "share"])


@pytest.fixture
def similarity_matrix() -> pd.DataFrame:
    names = ["伊春市", "天镇县", "武清区", "珍溪镇"]
    values = np.array(
        [
            [1.0, 0.07, 0.11, 0.0],
            [0.07, 1.0, 0.0, 0.0],
            [0.11, 0.0, 1.0, 0.08],
            [0.0, 0.0, 0.08, 1.0],
        ]
    )
    return pd.DataFrame(values, index=names, columns=names)


def _glyph_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    messages = [str(w.message) for w in caught]
    return [m for m in messages if "missing from" in m or "Glyph" in m]


def _mesh(ax: Axes) -> QuadMesh:
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    return mesh


def _cell_texts(ax: Axes) -> list[str]:
    """Texts written inside the cells of a heatmap (not tick labels or titles)."""
    return [t.get_text() for t in ax.texts if not isinstance(t, Annotation)]


# --------------------------------------------------------------------------- fonts


def test_use_cjk_font_resolves_to_a_file_with_chinese_glyphs(similarity_matrix):
    family = plot.use_cjk_font()
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    charmap = FT2Font(path).get_charmap()
    for char in "调解成功率海陵试验区镇":
        assert ord(char) in charmap, char
    plot.similarity_heatmap(similarity_matrix)  # every chart (re)applies the rc settings
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert list(matplotlib.rcParams["font.family"]) == ["sans-serif"]
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_use_cjk_font_falls_back_to_mplfonts_silently(monkeypatch, capsys):
    monkeypatch.setattr(_base, "CJK_FAMILIES", ())
    plot.use_cjk_font.cache_clear()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            family = plot.use_cjk_font()
        assert caught == []
        assert capsys.readouterr() == ("", "")
        assert family == "Noto Sans CJK SC"
        bundled = _base._mplfonts_font_file()
        assert bundled is not None and bundled.is_file()
        registered = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        assert ord("县") in FT2Font(registered).get_charmap()
    finally:
        plot.use_cjk_font.cache_clear()


def test_seaborn_theme_reset_does_not_undo_the_font(indicators, reports, tmp_path):
    plot.use_cjk_font()
    sns.set_theme()  # resets font.sans-serif to seaborn's Latin list
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ax = plot.rates_by_level(indicators, reports, indicator="调解成功率")
            ax.figure.savefig(tmp_path / "rates.png")
        assert _glyph_warnings(caught) == []
    finally:
        sns.reset_orig()


def test_missing_glyph_check_would_catch_a_font_without_chinese(tmp_path):
    # The check used below must be able to fail: with only DejaVu Sans, matplotlib warns.
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig = plt.figure()
        fig.text(0.1, 0.5, "调解成功率 海陵试验区")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(tmp_path / "boxes.png")
    assert _glyph_warnings(caught)


def test_charts_with_chinese_labels_render_to_png_without_missing_glyphs(
    indicators, reports, profiles, theme_shares, similarity_matrix, tmp_path
):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts = {
            "rates": plot.rates_by_level(indicators, reports, indicator="调解成功率").figure,
            "facets": plot.rates_by_level_grid(indicators, reports, indicator=["调解成功率", "行政复议纠错率"]),
        }
        plt.figure()
        charts["parts"] = plot.parts_heatmap(reports).figure
        charts["profiles"] = plot.profile_bars_grid(profiles).figure
        plt.figure()
        charts["profile"] = plot.profile_bars(profiles, group="天镇县").figure
        plt.figure()
        charts["themes"] = plot.theme_heatmap(theme_shares).figure
        plt.figure()
        charts["similarity"] = plot.similarity_heatmap(similarity_matrix).figure
        plt.figure()
        charts["coverage"] = plot.indicator_coverage(indicators, reports).figure
        for name, fig in charts.items():
            fig.savefig(tmp_path / f"{name}.png")
    assert _glyph_warnings(caught) == []
    for name in charts:
        assert (tmp_path / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- rates_by_level


def test_rates_by_level_one_labelled_point_per_stated_rate(indicators, reports):
    ax = plot.rates_by_level(indicators, reports, indicator="调解成功率")
    assert isinstance(ax, Axes)
    expected = indicators[(indicators["indicator"] == "调解成功率") & (indicators["kind"] == "rate")]
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sorted(points.get_offsets()[:, 1]) == sorted(expected["value"])
    labels = sorted(t.get_text() for t in ax.texts)
    assert labels == sorted(reports.set_index("report_id").loc[expected["report_id"], "jurisdiction"])
    ticks = [t.get_text().split("\n")[1] for t in ax.get_xticklabels()]
    assert ticks == ["city", "county", "zone"]  # default order, only the kinds present
    assert ax.get_title() == "调解成功率"


def test_rates_by_level_uses_columns_already_on_indicators(indicators, reports):
    joined = indicators.merge(reports[["report_id", "jurisdiction", "division_type"]], on="report_id")
    ax = plot.rates_by_level(joined, indicator="行政复议纠错率")
    assert sorted(t.get_text() for t in ax.texts) == ["武清区", "海陵试验区"]
    with pytest.raises(ValueError, match="`reports`"):
        plot.rates_by_level(indicators, indicator="行政复议纠错率")


def test_rates_by_level_default_indicator_is_the_most_widely_stated(indicators, reports):
    rates = indicators[indicators["kind"] == "rate"]
    widest = rates.groupby("indicator")["report_id"].nunique()
    ax = plot.rates_by_level(indicators, reports)
    assert ax.get_title() in widest[widest == widest.max()].index


def test_rates_by_level_takes_only_rates(indicators, reports):
    with pytest.raises(ValueError, match="`indicator`.*调解成功率"):
        plot.rates_by_level(indicators, reports, indicator="调解矛盾纠纷")  # a count
    with pytest.raises(ValueError, match="`indicator`"):
        plot.rates_by_level(indicators, reports, indicator="办理时限压减率")  # a reduction


def test_rates_by_level_labels_do_not_overlap(crowded):
    indicators, reports = crowded
    ax = plot.rates_by_level(indicators, reports, indicator="调解成功率")
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # Text.get_window_extent: the label itself, without the connector line of the Annotation
    boxes = {t.get_text(): Text.get_window_extent(t, renderer) for t in ax.texts}
    n_rates = ((indicators["indicator"] == "调解成功率") & (indicators["kind"] == "rate")).sum()
    assert len(ax.texts) == n_rates
    for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
        assert not box_a.overlaps(box_b), (a, b)
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    offsets = points.get_offsets()
    assert len({(round(x, 3), round(y, 3)) for x, y in offsets}) == len(offsets)  # no point hides another


def test_rates_by_level_several_indicators_give_a_faceted_figure(indicators, reports):
    names = ["调解成功率", "行政复议纠错率", "全程网办率", "即办率"]
    fig = plot.rates_by_level_grid(indicators, reports, indicator=names, col_wrap=2)
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.axes] == names
    for ax, name in zip(fig.axes, names):
        n_rows = ((indicators["indicator"] == name) & (indicators["kind"] == "rate")).sum()
        (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
        assert len(points.get_offsets()) == n_rows == len(ax.texts)
    with pytest.raises(ValueError, match="rates_by_level_grid"):
        plot.rates_by_level(indicators, reports, indicator=names, ax=plt.gca())


def test_rates_by_level_draws_one_indicator_and_the_grid_several(indicators, reports):
    names = ["调解成功率", "即办率"]
    with pytest.raises(ValueError, match="rates_by_level_grid"):
        plot.rates_by_level(indicators, reports, indicator=names)
    fig = plot.rates_by_level_grid(indicators, reports, indicator=names)
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.axes] == names


def test_rates_by_level_levels_order_and_filter(indicators, reports):
    ax = plot.rates_by_level(indicators, reports, indicator="调解成功率", levels=("zone", "city"))
    assert [t.get_text().split("\n")[1] for t in ax.get_xticklabels()] == ["zone", "city"]
    assert sorted(t.get_text() for t in ax.texts) == ["伊春市", "海陵试验区"]  # 天镇县 (county) left out
    with pytest.raises(ValueError, match="`levels`.*county_city"):
        plot.rates_by_level(indicators, reports, indicator="调解成功率", levels=("city", "prefecture"))
    with pytest.raises(ValueError, match="`col_wrap`"):
        plot.rates_by_level_grid(indicators, reports, indicator=["调解成功率"], col_wrap=0)


def test_rates_by_level_adds_the_year_when_a_jurisdiction_repeats(indicators, reports):
    earlier = reports[reports["report_id"] == "002"].assign(report_id="002b", report_year=2021)
    rate = indicators[(indicators["report_id"] == "002") & (indicators["indicator"] == "调解成功率")]
    more = pd.concat([indicators, rate.assign(report_id="002b", value=97.9)], ignore_index=True)
    ax = plot.rates_by_level(more, pd.concat([reports, earlier]), indicator="调解成功率")
    assert sorted(t.get_text() for t in ax.texts) == ["伊春市 2021", "伊春市 2022", "天镇县", "海陵试验区"]


def test_rates_by_level_draws_on_the_given_or_current_axes(indicators, reports):
    fig, (left, right) = plt.subplots(1, 2)
    assert plot.rates_by_level(indicators, reports, indicator="调解成功率", ax=right) is right
    assert right.texts and not left.texts
    plt.sca(left)
    assert plot.rates_by_level(indicators, reports, indicator="即办率") is left


def test_rates_by_level_accepts_polars(indicators, reports):
    pl = pytest.importorskip("polars")
    ax = plot.rates_by_level(pl.from_pandas(indicators), pl.from_pandas(reports), indicator="即办率")
    assert len(ax.texts) == ((indicators["indicator"] == "即办率") & (indicators["kind"] == "rate")).sum()


# --------------------------------------------------------------------------- parts_heatmap


def test_parts_heatmap_cells_lengths_and_absent_parts(reports):
    ax = plot.parts_heatmap(reports)
    assert isinstance(ax, Axes)
    assert _mesh(ax).get_array().size == len(reports) * len(PARTS)
    assert [t.get_text() for t in ax.get_yticklabels()] == reports["jurisdiction"].tolist()
    assert [t.get_text().split("\n")[1] for t in ax.get_xticklabels()] == PARTS
    texts = _cell_texts(ax)
    chars = reports[[f"chars_{p}" for p in PARTS]].to_numpy()
    assert texts.count("无") == (chars == 0).sum()
    assert sorted(t for t in texts if t != "无") == sorted(f"{v:,}" for v in chars[chars > 0])


def test_parts_heatmap_subset_of_parts_and_flags_only(reports):
    ax = plot.parts_heatmap(reports, parts=["shortcomings", "responsibility"])
    assert _mesh(ax).get_array().size == len(reports) * 2
    plt.close("all")
    flags = reports.drop(columns=[f"chars_{p}" for p in PARTS])
    ax = plot.parts_heatmap(flags)
    texts = _cell_texts(ax)
    assert texts.count("有") == reports[[f"has_{p}" for p in PARTS]].to_numpy().sum()
    assert len(texts) == len(reports) * len(PARTS)


def test_parts_heatmap_bad_arguments(reports):
    with pytest.raises(ValueError, match="`parts`.*achievements"):
        plot.parts_heatmap(reports, parts=["achievements", "summary"])
    with pytest.raises(ValueError, match="`reports`"):
        plot.parts_heatmap(reports[["report_id", "jurisdiction"]])
    with pytest.raises(TypeError, match="`reports`"):
        plot.parts_heatmap([1, 2, 3])


# --------------------------------------------------------------------------- topics charts


def test_profile_bars_one_panel_per_group_heaviest_on_top(profiles):
    grid = plot.profile_bars_grid(profiles, top=3, col_wrap=2)
    assert isinstance(grid, sns.FacetGrid)
    groups = list(dict.fromkeys(profiles["group"]))
    axes = list(grid.axes.ravel())
    assert [ax.get_title() for ax in axes] == groups
    for ax, group in zip(axes, groups):
        mine = profiles[profiles["group"] == group].sort_values("rank")
        assert len(ax.patches) == min(3, len(mine))
        top_label = max(ax.get_yticklabels(), key=lambda t: t.get_position()[1])
        assert top_label.get_text() == mine["term"].iloc[0]
    with pytest.raises(ValueError, match="`top`"):
        plot.profile_bars_grid(profiles, top=0)
    with pytest.raises(ValueError, match="`profiles`.*weight"):
        plot.profile_bars_grid(profiles.drop(columns="weight"))


def test_profile_bars_one_group_on_the_given_axes(profiles):
    fig, (left, right) = plt.subplots(1, 2)
    assert plot.profile_bars(profiles, group="天镇县", top=3, ax=right) is right
    assert not left.patches
    mine = profiles[profiles["group"] == "天镇县"].sort_values("rank")
    assert len(right.patches) == 3
    assert right.get_title() == "天镇县"
    top_label = max(right.get_yticklabels(), key=lambda t: t.get_position()[1])
    assert top_label.get_text() == mine["term"].iloc[0]
    one = profiles[profiles["group"] == "武清区"]
    assert plot.profile_bars(one, ax=left).get_title() == "武清区"  # one group: no `group` needed
    with pytest.raises(ValueError, match="`group`.*珍溪镇"):
        plot.profile_bars(profiles, group="伊春市")
    with pytest.raises(ValueError, match="`group`"):
        plot.profile_bars(profiles, ax=left)
    with pytest.raises(ValueError, match="`top`"):
        plot.profile_bars(profiles, group="天镇县", top=0)
    with pytest.raises(ValueError, match="profile_bars_grid"):
        plot.profile_bars(profiles)
    assert isinstance(plot.profile_bars_grid(profiles), sns.FacetGrid)


def test_theme_heatmap_cells_and_percent_labels(theme_shares):
    ax = plot.theme_heatmap(theme_shares)
    themes = list(dict.fromkeys(theme_shares["theme"]))
    groups = list(dict.fromkeys(theme_shares["group"]))
    assert _mesh(ax).get_array().size == len(themes) * len(groups)
    assert [t.get_text() for t in ax.get_yticklabels()] == themes
    assert [t.get_text() for t in ax.get_xticklabels()] == groups
    texts = [t for t in _cell_texts(ax) if t]
    assert sorted(texts) == sorted(f"{v:.0%}" for v in theme_shares["share"])
    with pytest.raises(ValueError, match="`share`"):
        plot.theme_heatmap(theme_shares.assign(share=theme_shares["share"] * 100))
    with pytest.raises(ValueError, match="`theme_shares`.*theme"):
        plot.theme_heatmap(theme_shares.drop(columns="theme"))


def test_similarity_heatmap_square_and_tidy_agree(similarity_matrix):
    ax = plot.similarity_heatmap(similarity_matrix)
    square = _mesh(ax).get_array().reshape(similarity_matrix.shape)
    assert np.allclose(square, similarity_matrix.to_numpy())
    assert [t.get_text() for t in ax.get_yticklabels()] == list(similarity_matrix.index)
    plt.close("all")
    pairs = [
        (a, b, similarity_matrix.loc[a, b])
        for a, b in itertools.combinations_with_replacement(similarity_matrix.index, 2)
    ]  # each pair once: the heatmap fills the other half
    tidy = pd.DataFrame(pairs, columns=["a", "b", "similarity"])
    ax = plot.similarity_heatmap(tidy)
    assert np.allclose(_mesh(ax).get_array().reshape(similarity_matrix.shape), similarity_matrix.to_numpy())
    assert len(_cell_texts(ax)) == similarity_matrix.size
    with pytest.raises(ValueError, match="`matrix_or_tidy`"):
        plot.similarity_heatmap(similarity_matrix.iloc[:, :3])


def test_indicator_coverage_counts_per_report(indicators, reports):
    ax = plot.indicator_coverage(indicators, reports)
    counts = pd.crosstab(indicators["indicator"], indicators["report_id"])
    assert _mesh(ax).get_array().size == counts.shape[0] * len(reports)  # every report, even 珍溪镇
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(rows) == sorted(counts.index)
    widest = (counts > 0).sum(axis=1)
    assert widest[rows[0]] == widest.max()
    assert sorted(int(t) for t in _cell_texts(ax)) == sorted(counts.to_numpy()[counts.to_numpy() > 0])
    plt.close("all")
    ax = plot.indicator_coverage(indicators, reports, top=2, kind="rate")
    assert len(ax.get_yticklabels()) == 2
    rates = indicators[indicators["kind"] == "rate"]
    assert {t.get_text() for t in ax.get_yticklabels()} <= set(rates["indicator"])
    with pytest.raises(ValueError, match="`kind`.*rate"):
        plot.indicator_coverage(indicators, reports, kind="ratio")
    with pytest.raises(ValueError, match="`top`"):
        plot.indicator_coverage(indicators, reports, top=-1)


def test_savefig_writes_any_chart(indicators, reports, profiles, tmp_path):
    ax = plot.rates_by_level(indicators, reports, indicator="调解成功率")
    out = plot.savefig(ax, tmp_path / "sub" / "rates.png")
    assert out.read_bytes()[:4] == b"\x89PNG"
    grid = plot.profile_bars_grid(profiles)
    assert plot.savefig(grid, tmp_path / "profiles.svg").stat().st_size > 0
    with pytest.raises(TypeError, match="`fig_or_ax`"):
        plot.savefig("not a figure", tmp_path / "x.png")


# --------------------------------------------------------------------------- the bundled corpus


def test_corpus_charts_render(corpus, tmp_path):
    topics = pytest.importorskip("lawreports.topics")
    rates = corpus.indicators[corpus.indicators["kind"] == "rate"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = plot.rates_by_level(corpus, indicator="调解成功率")
        ax.figure.savefig(tmp_path / "rates.png")
        assert len(ax.texts) == (rates["indicator"] == "调解成功率").sum()
        assert {t.get_text() for t in ax.texts} == set(
            corpus.reports.set_index("report_id").loc[
                rates.loc[rates["indicator"] == "调解成功率", "report_id"], "jurisdiction"
            ]
        )
        plt.close("all")

        ax = plot.parts_heatmap(corpus)
        ax.figure.savefig(tmp_path / "parts.png")
        assert _mesh(ax).get_array().size == len(corpus.reports) * len(PARTS)
        assert _cell_texts(ax).count("无") == sum(
            int((~corpus.reports[f"has_{p}"].astype(bool)).sum()) for p in PARTS
        )
        plt.close("all")

        ax = plot.indicator_coverage(corpus, kind="rate")
        ax.figure.savefig(tmp_path / "coverage.png")
        assert len(ax.get_xticklabels()) == len(corpus.reports)
        plt.close("all")

        profiles = topics.tfidf_profiles(corpus)
        grid = plot.profile_bars_grid(profiles, top=5)
        grid.figure.savefig(tmp_path / "profiles.png")
        assert len(grid.axes.ravel()) == profiles["group"].nunique()
        plt.close("all")

        shares = topics.themes(corpus)
        ax = plot.theme_heatmap(shares)
        ax.figure.savefig(tmp_path / "themes.png")
        assert _mesh(ax).get_array().size == shares.shares["theme"].nunique() * shares.shares["group"].nunique()
        plt.close("all")

        result = topics.similarity(corpus)
        ax = plot.similarity_heatmap(result)
        ax.figure.savefig(tmp_path / "similarity.png")
        assert np.allclose(_mesh(ax).get_array().reshape(result.matrix.shape), result.matrix.to_numpy())
    assert _glyph_warnings(caught) == []


# --------------------------------------------------------------------------- large corpora


@pytest.fixture
def many(reports, indicators) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The seed tables copied 20 times: 100 reports, 20 per kind of body."""
    copies_r, copies_i = [], []
    for i in range(20):
        r = reports.copy()
        r["report_id"] = r["report_id"] + f"_{i}"
        r["jurisdiction"] = r["jurisdiction"] + f"{i}"
        if i % 2:
            r["has_responsibility"] = True
        copies_r.append(r)
        ind = indicators.copy()
        ind["report_id"] = ind["report_id"] + f"_{i}"
        ind["value"] = ind["value"] - i * 0.1
        copies_i.append(ind)
    return pd.concat(copies_r, ignore_index=True), pd.concat(copies_i, ignore_index=True)


def test_parts_by_group_shares(many):
    reports, _ = many
    ax = plot.parts_by_group(reports, by="division_type")
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) == 5 and all("(n=20)" in label for label in labels)
    texts = _cell_texts(ax)
    assert texts.count("100%") == 5 * 3 + 1        # achievements, shortcomings, plans; 武清 responsibility
    assert texts.count("50%") == 4                 # responsibility in every other copy, but 武清 always
    with pytest.raises(ValueError, match="by"):
        plot.parts_by_group(reports, by="nope")


def test_coverage_by_group_shares(many):
    reports, indicators = many
    ax = plot.coverage_by_group(indicators, reports, by="division_type", kind="rate")
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows[0] == "调解成功率"                   # stated by the most reports
    assert "调解矛盾纠纷" not in rows                # a count, not a rate
    with pytest.raises(ValueError, match="reports"):
        plot.coverage_by_group(indicators, None)


def test_rates_by_level_shows_distributions_beyond_the_label_limit(many):
    reports, indicators = many
    big = pd.concat([indicators] * 3, ignore_index=True)      # 60 调解成功率 points
    ax = plot.rates_by_level(big, reports, indicator="调解成功率")
    assert len(big[big["indicator"] == "调解成功率"]) > plot.MAX_LABELLED_POINTS
    assert not [t for t in ax.texts if t.get_text()]           # no per-jurisdiction labels
    assert any("(n=" in t.get_text() for t in ax.get_xticklabels())


# --------------------------------------------------------------------------- the package


def test_public_names_and_shared_vocabulary():
    from lawreports import vocab

    assert set(plot.__all__) == {
        "rates_by_level", "rates_by_level_grid", "parts_heatmap", "profile_bars",
        "profile_bars_grid", "theme_heatmap", "similarity_heatmap", "indicator_coverage",
        "parts_by_group", "coverage_by_group", "savefig", "save_charts", "use_cjk_font", "MAX_LABELLED_POINTS",
    }
    assert all(hasattr(plot, name) for name in plot.__all__)
    assert tuple(_base.PART_LABELS) == vocab.PARTS
    assert set(_base.DIVISION_LABELS) == set(vocab.DIVISION_TYPES)
    assert tuple(_base.DIVISION_LABELS) == vocab.LEVEL_ORDER
