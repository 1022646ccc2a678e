"""Charts across years: publication dates against the deadline, and an indicator over the years.

- :func:`publication_dates`: days from the publication deadline to publication, by level of
  government and report year (box and points; the deadline is the line at 0); an Axes.
- :func:`indicator_over_years`: one indicator of a panel over report years, one line per unit,
  one facet per kind of body (``division_type``); a seaborn FacetGrid.

Both follow :mod:`lawreports.plot`: data first, options keyword-only, Chinese text in a CJK font.
"""

from __future__ import annotations

import logging
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from .plot import use_cjk_font
from .vocab import TIERS

LOGGER = logging.getLogger(__name__)

__all__ = ["publication_dates", "indicator_over_years"]

#: Above this many units a facet's lines are drawn thin and grey, without a legend.
MAX_LABELLED = 12


def _frame(data: Any, name: str) -> pd.DataFrame:
    if hasattr(data, "to_pandas") and not isinstance(data, pd.DataFrame):
        data = data.to_pandas()
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`{name}` must be a DataFrame, not {type(data).__name__}")
    return data


def publication_dates(timeliness: Any, *, by: str = "tier", ax: Axes | None = None) -> Axes:
    """Days from the publication deadline to publication, by level and report year.

    Parameters
    ----------
    timeliness : DataFrame
        The table of :func:`lawreports.timeliness.timeliness`.
    by : str, default "tier"
        The level on the y axis: ``tier`` or ``division_type``.
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    use_cjk_font()
    data = _frame(timeliness, "timeliness")
    if by not in ("tier", "division_type"):
        raise ValueError(f"The value for `by` must be one of ['tier', 'division_type'], not {by!r}")
    data = data[data["days_late"].notna() & data["report_year"].notna()].copy()
    if data.empty:
        raise ValueError("No report has both a publication date and a deadline: nothing to draw")
    data["days_late"] = data["days_late"].astype(float)
    data["report_year"] = data["report_year"].astype(int).astype(str)
    data[by] = data[by].astype(object).fillna("(unknown)")
    order = [lv for lv in TIERS if lv in set(data[by])] if by == "tier" else sorted(set(data[by]))
    order += sorted(set(data[by]) - set(order))
    years = sorted(set(data["report_year"]))
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.2 + 0.7 * len(order)))
    if len(data) >= 5 * len(order):
        sns.boxplot(data=data, x="days_late", y=by, order=order, color="0.92", showfliers=False,
                    width=0.6, ax=ax)
    sns.stripplot(data=data, x="days_late", y=by, order=order, hue="report_year", hue_order=years,
                  palette="viridis", size=7, jitter=0.15, ax=ax)
    ax.axvline(0, color="firebrick", lw=1.5, ls="--")
    ax.text(0, 1.0, " deadline (1 April; 31 March before 2019)", color="firebrick", fontsize=8,
            transform=ax.get_xaxis_transform(), va="bottom", ha="left")
    ax.set_xlabel("days from the publication deadline (negative: early)")
    ax.set_ylabel(by)
    ax.legend(title="report year", loc="best", fontsize=8, title_fontsize=8)
    return ax


def indicator_over_years(panel: Any, *, indicator: str, col: str = "division_type", col_wrap: int = 3,
                         height: float = 3.0) -> sns.FacetGrid:
    """One indicator of a panel over the report years, a line per unit, a facet per kind of body.

    Parameters
    ----------
    panel : DataFrame
        The table of :func:`lawreports.panel.panel`, with ``indicator`` among its columns.
    indicator : str
        A column of ``panel`` (an indicator, or a measure such as ``n_chars``).
    col : str, default "division_type"
        The column that makes the facets.
    col_wrap : int, default 3
    height : float, default 3.0

    Returns
    -------
    seaborn.FacetGrid
    """
    use_cjk_font()
    data = _frame(panel, "panel")
    missing = [c for c in (indicator, col, "unit_id", "report_year") if c not in data.columns]
    if missing:
        raise ValueError(f"The `panel` table lacks column(s) {missing}; choose `indicator` among "
                         f"{[c for c in data.columns if c not in ('unit_id', 'report_id')]}")
    data = data[data[indicator].notna()].copy()
    if data.empty:
        raise ValueError(f"No unit states {indicator!r}: nothing to draw")
    data[indicator] = data[indicator].astype(float)
    data["report_year"] = data["report_year"].astype(int)
    data[col] = data[col].astype(object).fillna("(unknown)")
    data["unit"] = data["jurisdiction"].astype(object).fillna(data["unit_id"].astype(object)) \
        if "jurisdiction" in data.columns else data["unit_id"].astype(object)
    # a unit keeps the name of its latest report, so a renamed unit is one line with one label
    latest = data.sort_values("report_year").groupby("unit_id")["unit"].last()
    data["unit"] = data["unit_id"].map(latest)
    dupes = latest[latest.duplicated(keep=False)]
    if len(dupes):     # namesakes: tell them apart by their code
        data.loc[data["unit_id"].isin(dupes.index), "unit"] += " (" + data["unit_id"].astype(str) + ")"
    facets = sorted(set(data[col]))
    grid = sns.FacetGrid(data, col=col, col_order=facets, col_wrap=min(col_wrap, len(facets)),
                         height=height, aspect=1.3, sharey=True)
    many = data["unit_id"].nunique() > MAX_LABELLED

    def draw(*_: Any, data: pd.DataFrame, **__: Any) -> None:
        frame = data
        axis = plt.gca()
        for unit, rows in frame.sort_values("report_year").groupby("unit", sort=True):
            kw = {"color": "0.6", "lw": 0.6, "alpha": 0.6} if many else {"lw": 1.6}
            line, = axis.plot(rows["report_year"], rows[indicator], marker="o", ms=4, label=unit, **kw)
            if not many:
                axis.annotate(unit, (rows["report_year"].iloc[-1], rows[indicator].iloc[-1]),
                              xytext=(4, 0), textcoords="offset points", fontsize=8, va="center",
                              color=line.get_color())
        if many:
            median = frame.groupby("report_year")[indicator].median()
            axis.plot(median.index, median.values, color="black", lw=2, label="median")

    grid.map_dataframe(draw)
    grid.set_axis_labels("report year", indicator)
    grid.set_titles("{col_name}")
    for axis in grid.axes.flat:
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.margins(x=0.25)
    return grid
