"""A stated rate across kinds of reporting body: :func:`rates_by_level` (one indicator, an Axes)
and :func:`rates_by_level_grid` (several indicators, a Figure of panels)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from lawreports.vocab import DIVISION_TYPES, LEVEL_ORDER

from ._base import (
    DIVISION_LABELS,
    _check_choices,
    _check_positive_int,
    _frame,
    _get_ax,
    _report_labels,
    _require,
    _setup,
    _with_report_columns,
)

LOGGER = logging.getLogger(__name__)

#: Panels with more points than this show distributions instead of labelled points.
MAX_LABELLED_POINTS = 40
#: Below this many reports stating a rate in a level, the panel says on its face that the
#: levels cannot be compared (every column shows its n: reports stating the rate).
MIN_REPORTS_PER_LEVEL = 5

_RATES_PARAMS = """\
    indicators : DataFrame or Corpus
        The ``indicators`` table (report_id, indicator, value, unit, kind, …). Only rows with
        ``kind == "rate"`` are used. A Corpus supplies both ``indicators`` and ``reports``.
    reports : DataFrame, optional
        The ``reports`` table, joined on report_id for jurisdiction, division_type (and
        report_year) when ``indicators`` does not carry them."""
_LEVELS_PARAM = """\
    levels : sequence of str
        Kinds of reporting body (``division_type`` values) shown on the x axis, in this order
        (by default :data:`lawreports.vocab.LEVEL_ORDER`); only those present in the data get
        a column. Rows of other kinds are left out."""
_RATES_NOTES = """\
    Every stated value is a point: a report that states the same rate for two things (for
    example 即办率 of two services) shows two points with the same label. Points with nearly
    equal values are spread sideways and their labels stacked so they do not overlap; the
    year is added to the label where one jurisdiction has reports of several years. Beyond
    :data:`MAX_LABELLED_POINTS` points, a panel shows each level's distribution instead."""


def rates_by_level(
    indicators: Any,
    reports: Any = None,
    *,
    indicator: str | None = None,
    levels: Sequence[str] = LEVEL_ORDER,
    ax: Axes | None = None,
) -> Axes:
    """Plot a stated rate across kinds of reporting body, one labelled point per jurisdiction.

    Parameters
    ----------
{params}
    indicator : str or None
        The canonical indicator to plot (e.g. ``"调解成功率"``). None picks the rate stated by
        the most reports (ties: the most rows, then the name). For several indicators use
        :func:`rates_by_level_grid`.
{levels}
    ax : matplotlib Axes, optional
        Axes to draw on; by default the current axes, or a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
{notes}
    """
    if indicator is not None and not isinstance(indicator, str):
        raise ValueError("The value for `indicator` must be one name: rates_by_level() draws one "
                         "indicator on an Axes; draw several with rates_by_level_grid(), which "
                         "returns a Figure")
    rates, names, present = _prepare_rates(indicators, reports, indicator, levels)
    new_ax, created = _get_ax(ax, (max(5.5, 1.45 * len(present) + 1.5), 4.5))
    _rate_panel(new_ax, rates[rates["indicator"] == names[0]], present, names[0], created)
    return new_ax


def rates_by_level_grid(
    indicators: Any,
    reports: Any = None,
    *,
    indicator: Sequence[str],
    levels: Sequence[str] = LEVEL_ORDER,
    col_wrap: int = 3,
) -> Figure:
    """Plot several stated rates across kinds of reporting body, one panel per indicator.

    Each panel is what :func:`rates_by_level` draws for its indicator; all panels share the
    columns (the levels present for any of the indicators).

    Parameters
    ----------
{params}
    indicator : sequence of str
        The canonical indicators to plot, one panel each, in this order.
{levels}
    col_wrap : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per indicator, in order (``fig.axes``).

    Notes
    -----
{notes}
    """
    if isinstance(indicator, str):
        indicator = [indicator]
    col_wrap = _check_positive_int(col_wrap, "col_wrap")
    rates, names, present = _prepare_rates(indicators, reports, list(indicator), levels)
    ncols = min(col_wrap, len(names))
    nrows = math.ceil(len(names) / ncols)
    width = max(4.2, 1.1 * len(present) + 1.2)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, 3.8 * nrows), squeeze=False)
    flat = axes.ravel()
    for extra in flat[len(names):]:
        extra.remove()
    for panel, name in zip(flat, names):
        _rate_panel(panel, rates[rates["indicator"] == name], present, name, False, layout=False)
    fig.tight_layout()
    for panel, name in zip(flat, names):
        if (rates["indicator"] == name).sum() <= MAX_LABELLED_POINTS:
            _place_rate_labels(panel, rates[rates["indicator"] == name], present)
    fig.tight_layout()
    return fig


for _f in (rates_by_level, rates_by_level_grid):
    if _f.__doc__:  # None under python -OO
        _f.__doc__ = _f.__doc__.format(params=_RATES_PARAMS, levels=_LEVELS_PARAM, notes=_RATES_NOTES)


def _prepare_rates(
    indicators: Any, reports: Any, indicator: str | list[str] | None, levels: Sequence[str]
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The rate rows to draw (with label and division_type), the indicator names, the levels present."""
    _setup()
    if reports is None and hasattr(indicators, "reports") and not isinstance(indicators, pd.DataFrame):
        reports = indicators.reports
    table = _frame(indicators, "indicators", "indicators")
    reports_df = None if reports is None else _frame(reports, "reports", "reports")
    _require(table, ["report_id", "indicator", "value", "kind"], "indicators")
    levels = _check_choices(levels, DIVISION_TYPES, "levels")

    wanted = ["jurisdiction", "division_type"]
    if reports_df is not None and "report_year" in reports_df.columns:
        wanted.append("report_year")
    # the rate rows, only the columns drawn (a rate's sentence is not copied)
    used = [c for c in ("report_id", "indicator", "value", "kind", *wanted) if c in table.columns]
    rates = table.loc[table["kind"] == "rate", used].copy()
    rates = _with_report_columns(rates, reports_df, wanted)
    rates["value"] = pd.to_numeric(rates["value"], errors="coerce")
    rates = rates[rates["value"].notna()]
    available = sorted(rates["indicator"].dropna().unique().tolist())
    if not available:
        raise ValueError("`indicators` has no rows with kind == 'rate' and a numeric value")

    if indicator is None:
        stats = rates.groupby("indicator").agg(n_reports=("report_id", "nunique"), n_rows=("value", "size"))
        stats = stats.reset_index().sort_values(
            ["n_reports", "n_rows", "indicator"], ascending=[False, False, True]
        )
        names: list[str] = [str(stats["indicator"].iloc[0])]
    elif isinstance(indicator, str):
        names = [indicator]
    else:
        names = list(indicator)
    if not names:
        raise ValueError("The value for `indicator` must not be an empty sequence")
    unknown = [name for name in names if name not in available]
    if unknown:
        raise ValueError(
            f"The value for `indicator` must be one of the rates in `indicators`: {available}; "
            f"got {unknown}"
        )

    rates = rates[rates["indicator"].isin(names)].copy()
    rates["label"] = _report_labels(rates)
    outside = ~rates["division_type"].isin(levels)
    if outside.any():
        LOGGER.info(
            "rates_by_level: %d row(s) of division_type %s not in `levels` are left out",
            int(outside.sum()),
            sorted(rates.loc[outside, "division_type"].astype(str).unique()),
        )
    rates = rates[~outside]
    present = [level for level in levels if (rates["division_type"] == level).any()]
    if not present:
        raise ValueError(
            f"None of the rows of {names} has a division_type in `levels` {levels}; "
            "pass `levels` with the kinds present"
        )

    return rates, names, present


def _rate_panel(
    ax: Axes,
    data: pd.DataFrame,
    present: list[str],
    name: str,
    created: bool,
    *,
    layout: bool = True,
) -> None:
    """Draw the points of one indicator; label them unless the caller does it after layout.

    Beyond :data:`MAX_LABELLED_POINTS` points a label per jurisdiction is unreadable: the panel
    then shows each level's distribution (a box) with its points, unlabelled.
    """
    big = len(data) > MAX_LABELLED_POINTS
    if big:
        order = {level: i for i, level in enumerate(present)}
        xs = data["division_type"].map(order).astype(float).to_numpy()
        jitter = np.random.default_rng(0).uniform(-0.18, 0.18, len(xs))
        groups = [data.loc[data["division_type"] == level, "value"].to_numpy(dtype=float) for level in present]
        ax.boxplot([g if len(g) else [np.nan] for g in groups], positions=range(len(present)), widths=0.5,
                   showfliers=False, patch_artist=True, zorder=2,
                   boxprops={"facecolor": "0.92", "edgecolor": "0.55"}, medianprops={"color": "C1"},
                   whiskerprops={"color": "0.55"}, capprops={"color": "0.55"})
        ax.scatter(xs + jitter, data["value"], s=8, color="C0", alpha=0.35, linewidth=0, zorder=3)
    else:
        positions = _dodge(data, present)
        ax.scatter(
            positions["x"], positions["value"], s=36, color="C0", edgecolor="white", linewidth=0.6, zorder=3
        )
    # n under every column: the reports that state this rate at that level (not the points).
    if "report_id" in data.columns:
        counts = data.groupby("division_type", observed=True)["report_id"].nunique()
    else:
        counts = data["division_type"].value_counts()
    ax.set_xticks(range(len(present)))
    ax.set_xticklabels([f"{DIVISION_LABELS[level]}\n(n={int(counts.get(level, 0))})" for level in present])
    shown = [int(counts.get(level, 0)) for level in present if counts.get(level, 0)]
    few = bool(shown) and min(shown) < MIN_REPORTS_PER_LEVEL
    ax.set_xlim(-0.5, len(present) - 0.5 + 0.3)
    values = data["value"]
    low, high = float(values.min()), float(values.max())
    pad = max(1.0, 0.08 * (high - low))
    ax.set_ylim(low - pad, high + pad)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(_percent_label))
    ax.grid(axis="y", color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_title(name)
    # fewer reports than that in a level: said under the axis, on the chart's face
    ax.set_xlabel(f"n = reports stating the rate; n < {MIN_REPORTS_PER_LEVEL} in a level: points, not a comparison"
                  if few else "", fontsize=7.5, color="0.35")
    ax.set_ylabel("数值 (%)")
    sns.despine(ax=ax)
    if layout:
        if created:
            ax.figure.tight_layout()
        if not big:
            _place_rate_labels(ax, data, present)


def _percent_label(value: float, _position: Any = None) -> str:
    """Tick label for a percentage: ``95%``, ``99.5%`` (no trailing zeros)."""
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def _dodge(data: pd.DataFrame, present: list[str]) -> pd.DataFrame:
    """x position of each point: its level's index, spread sideways where values nearly tie."""
    frame = data[["division_type", "value", "label"]].copy()
    frame["x"] = frame["division_type"].map({level: i for i, level in enumerate(present)}).astype(float)
    span = float(frame["value"].max() - frame["value"].min()) if len(frame) else 0.0
    tolerance = max(0.4, 0.03 * span)
    for _, group in frame.groupby("division_type", sort=False):
        ordered = group.sort_values(["value", "label"])
        cluster: list[Any] = []
        last = None
        clusters: list[list[Any]] = []
        for index, value in zip(ordered.index, ordered["value"]):
            if last is not None and value - last > tolerance:
                clusters.append(cluster)
                cluster = []
            cluster.append(index)
            last = value
        clusters.append(cluster)
        for members in clusters:
            if len(members) > 1:
                offsets = np.linspace(-0.12, 0.12, len(members))
                frame.loc[members, "x"] += offsets
    return frame


def _place_rate_labels(ax: Axes, data: pd.DataFrame, present: list[str], fontsize: float = 9) -> None:
    """Write each point's label to the right of its level, stacked so labels never overlap."""
    positions = _dodge(data, present)
    low, high = ax.get_ylim()
    height_pt = ax.get_window_extent().height * 72.0 / ax.figure.dpi
    gap = 1.35 * fontsize * (high - low) / max(height_pt, 1.0)
    for level, group in positions.groupby("division_type", sort=False):
        ordered = group.sort_values(["value", "label"])
        wanted = ordered["value"].to_numpy(dtype=float)
        placed = wanted.copy()
        for i in range(1, len(placed)):
            placed[i] = max(wanted[i], placed[i - 1] + gap)
        top = high - gap / 2
        if len(placed) and placed[-1] > top:
            placed[-1] = top
            for i in range(len(placed) - 2, -1, -1):
                placed[i] = min(placed[i], placed[i + 1] - gap)
        if len(placed) and placed[0] < low + gap / 2:
            low = placed[0] - gap / 2
            ax.set_ylim(low, high)
        x_text = present.index(level) + 0.2
        for (x, y, label), y_text in zip(ordered[["x", "value", "label"]].itertuples(index=False), placed):
            ax.annotate(
                label,
                xy=(x, y),
                xytext=(x_text, y_text),
                textcoords="data",
                ha="left",
                va="center",
                fontsize=fontsize,
                arrowprops={"arrowstyle": "-", "color": "0.6", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 3},
                annotation_clip=False,
            )
