"""Which report states which indicator: :func:`indicator_coverage` (one column per report) and
:func:`coverage_by_group` (the share of reports per group, for large corpora)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ._base import (
    TABLE_STYLE,
    _LEVEL_RANK,
    _check_choices,
    _check_positive_int,
    _frame,
    _get_ax,
    _group_order,
    _group_share_heatmap,
    _heatmap,
    _report_labels,
    _require,
    _setup,
    _tidy_heatmap_ticks,
)

LOGGER = logging.getLogger(__name__)

#: Values of ``indicators.kind``.
_INDICATOR_KINDS = ("rate", "count", "amount", "duration", "change", "reduction")


def indicator_coverage(
    indicators: Any,
    reports: Any = None,
    *,
    top: int = 30,
    kind: str | Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Show which report states which indicator, and how often.

    Parameters
    ----------
    indicators : DataFrame or Corpus
        The ``indicators`` table (report_id, indicator, kind, …); a Corpus supplies both
        tables.
    reports : DataFrame, optional
        The ``reports`` table: its jurisdiction, report_year and division_type label and order
        the columns, and reports that state no indicator still get a column. Without it, the
        columns are the report_ids (or jurisdictions, if ``indicators`` has them).
    top : int
        Rows: the indicators stated by the most reports (ties: most mentions, then name).
    kind : str, sequence of str, optional
        Only indicators of these kinds (``"rate"``, ``"count"``, ``"amount"``, ``"duration"``,
        ``"change"``, ``"reduction"``); all by default.
    ax : matplotlib Axes, optional
        Axes to draw on; by default the current axes, or a new figure sized to the table.

    Returns
    -------
    matplotlib.axes.Axes
        One row per indicator (most widely stated first), one column per report (by kind of
        reporting body, then name), each cell the number of times the report states it.
    """
    _setup()
    if reports is None and hasattr(indicators, "reports") and not isinstance(indicators, pd.DataFrame):
        reports = indicators.reports
    table = _frame(indicators, "indicators", "indicators")
    reports_df = None if reports is None else _frame(reports, "reports", "reports")
    _require(table, ["report_id", "indicator"], "indicators")
    top = _check_positive_int(top, "top")
    if kind is not None:
        _require(table, ["kind"], "indicators")
        kinds = _check_choices(kind, _INDICATOR_KINDS, "kind")
        table = table[table["kind"].isin(kinds)]
    table = table[table["indicator"].notna()]
    if table.empty:
        raise ValueError("`indicators` has no rows" + (f" of kind {kind}" if kind is not None else ""))

    if reports_df is not None:
        _require(reports_df, ["report_id"], "reports")
        columns_df = reports_df.drop_duplicates("report_id").copy()
        unknown = set(table["report_id"]) - set(columns_df["report_id"])
        if unknown:
            columns_df = pd.concat([columns_df, pd.DataFrame({"report_id": sorted(unknown)})], ignore_index=True)
    else:
        keep = [c for c in ("report_id", "jurisdiction", "report_year", "division_type") if c in table.columns]
        columns_df = table[keep].drop_duplicates("report_id").copy()
    columns_df["_label"] = _report_labels(columns_df).to_numpy()
    if "division_type" in columns_df.columns:
        columns_df["_order"] = columns_df["division_type"].map(_LEVEL_RANK).fillna(len(_LEVEL_RANK))
    else:
        columns_df["_order"] = 0
    columns_df = columns_df.sort_values(["_order", "_label"], kind="stable")

    counts = pd.crosstab(table["indicator"].astype(str), table["report_id"])
    counts = counts.reindex(columns=columns_df["report_id"].tolist(), fill_value=0)
    n_reports = (counts > 0).sum(axis=1)
    ranking = pd.DataFrame({"n_reports": n_reports, "n_rows": counts.sum(axis=1)})
    ranking = ranking.reset_index(names="indicator").sort_values(
        ["n_reports", "n_rows", "indicator"], ascending=[False, False, True]
    )
    rows = ranking["indicator"].head(top).tolist()
    counts = counts.loc[rows]
    counts.columns = columns_df["_label"].tolist()

    values = counts.to_numpy()
    annot = np.where(values > 0, values.astype(str), "")
    longest = max(len(str(r)) for r in rows)
    width = 0.8 * counts.shape[1] + 0.17 * longest + 2.6
    new_ax, created = _get_ax(ax, (max(5.0, width), 0.32 * len(rows) + 1.8))
    _heatmap(
        counts,
        new_ax,
        style=TABLE_STYLE,
        mask=values == 0,
        cmap="Blues",
        vmin=0,
        vmax=max(int(values.max()), 3) * 1.15,
        annot=annot,
    )
    new_ax.set_facecolor("white")
    for spine in new_ax.spines.values():
        spine.set_visible(True)
        spine.set_color("0.8")
    new_ax.tick_params(axis="x", labeltop=True, labelbottom=False, top=False)
    _tidy_heatmap_ticks(new_ax, list(counts.columns))
    for label in new_ax.get_xticklabels():
        if label.get_rotation():
            label.set_horizontalalignment("left")
    new_ax.set_xlabel("")
    new_ax.set_ylabel("")
    new_ax.set_title("各报告陈述指标的次数", fontsize=10, pad=10)
    if created:
        new_ax.figure.tight_layout()
    return new_ax


def coverage_by_group(indicators: Any, reports: Any = None, *, by: str = "division_type", top: int = 25,
                      kind: str | Sequence[str] | None = None, ax: Axes | None = None) -> Axes:
    """Share of reports in each group that state each indicator (for large corpora).

    Parameters
    ----------
    indicators : DataFrame or Corpus
        The ``indicators`` table; a Corpus supplies both tables.
    reports : DataFrame
        The ``reports`` table (report_id and the ``by`` column): the groups and their sizes.
    by : str
        A column of ``reports`` to group by.
    top : int
        Rows: the indicators stated by the most reports.
    kind : str or sequence of str, optional
        Only indicators of these kinds.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _setup()
    if reports is None and hasattr(indicators, "reports") and not isinstance(indicators, pd.DataFrame):
        reports = indicators.reports
    if reports is None:
        raise ValueError("`reports` is required: it gives the groups and their sizes")
    table = _frame(indicators, "indicators", "indicators")
    reports_df = _frame(reports, "reports", "reports")
    if by not in reports_df.columns:
        raise ValueError(f"The value for `by` must be a column of `reports` ({list(reports_df.columns)}), not {by!r}")
    top = _check_positive_int(top, "top")
    # the two columns counted (the rows of the kinds asked for), not a copy of every column
    if kind is not None:
        kinds = _check_choices(kind, _INDICATOR_KINDS, "kind")
        table = table.loc[table["kind"].isin(kinds), ["report_id", "indicator"]]
    if table.empty:
        raise ValueError("`indicators` has no rows" + (f" of kind {kind}" if kind is not None else ""))
    groups = reports_df[["report_id", by]].dropna().drop_duplicates("report_id")
    stated = table[["report_id", "indicator"]].dropna().drop_duplicates().merge(groups, on="report_id")
    counts = pd.crosstab(stated["indicator"].astype(str), stated[by])
    sizes = groups.groupby(by).size()
    rows = counts.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]
    columns = _group_order(list(sizes.index))
    shares = counts.loc[rows].reindex(columns=columns, fill_value=0) / sizes[columns].to_numpy()
    return _group_share_heatmap(shares, sizes, title="陈述各指标的报告比例", ax=ax)
