"""The five mandated parts: which each report has and how long (:func:`parts_heatmap`), and the
share of reports per group that have each (:func:`parts_by_group`, for large corpora)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.ticker import FuncFormatter, NullFormatter

from lawreports.vocab import PARTS

from ._base import (
    PART_LABELS,
    _check_choices,
    _colorbar_title,
    _frame,
    _get_ax,
    _group_order,
    _group_share_heatmap,
    _heatmap,
    _report_labels,
    _require,
    _setup,
)

LOGGER = logging.getLogger(__name__)

#: Background of a cell whose part the report lacks.
_ABSENT_COLOR = "0.93"


def parts_heatmap(
    reports: Any,
    *,
    parts: Sequence[str] = PARTS,
    ax: Axes | None = None,
) -> Axes:
    """Show which of the five mandated parts each report has, and how long each is.

    Parameters
    ----------
    reports : DataFrame or Corpus
        The ``reports`` table with ``chars_<part>`` (characters in the part; 0 or missing when
        the report lacks it) and/or ``has_<part>`` (bool) for each part, plus jurisdiction and
        report_year for the row labels.
    parts : sequence of str
        Parts to show, in this order; any of ``"achievements"``, ``"shortcomings"``,
        ``"responsibility"``, ``"plans"``, ``"other"``.
    ax : matplotlib Axes, optional
        Axes to draw on; by default the current axes, or a new figure sized to the rows.

    Returns
    -------
    matplotlib.axes.Axes
        One row per report (labelled jurisdiction and year), one column per part. With
        ``chars_`` columns, the colour is the part's length on a log scale and each cell shows
        its characters; a part the report lacks is a grey cell marked 无. With only ``has_``
        columns, the cells show 有 / 无.
    """
    _setup()
    table = _frame(reports, "reports", "reports")
    parts = _check_choices(parts, PARTS, "parts")
    has_chars = all(f"chars_{part}" in table.columns for part in parts)
    has_flags = all(f"has_{part}" in table.columns for part in parts)
    if not (has_chars or has_flags):
        raise ValueError(
            f"`reports` needs chars_<part> or has_<part> columns for every part in `parts` "
            f"{parts}; has {[c for c in table.columns if c.startswith(('chars_', 'has_'))]}"
        )
    if table.empty:
        raise ValueError("`reports` has no rows")

    labels = _report_labels(table).tolist()
    present = np.ones((len(table), len(parts)), dtype=bool)
    lengths = None
    if has_flags:
        for j, part in enumerate(parts):
            present[:, j] = table[f"has_{part}"].fillna(False).to_numpy(dtype=bool, na_value=False)
    if has_chars:
        lengths = np.column_stack(
            [
                pd.to_numeric(table[f"chars_{part}"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                for part in parts
            ]
        )
        present &= np.nan_to_num(lengths, nan=0.0) > 0
        lengths = np.where(present, lengths, np.nan)

    new_ax, created = _get_ax(ax, (1.45 * len(parts) + 3.2, 0.42 * len(table) + 1.6))
    new_ax.set_facecolor(_ABSENT_COLOR)
    column_labels = [PART_LABELS[part] for part in parts]
    if lengths is not None and present.any():
        low, high = float(np.nanmin(lengths)), float(np.nanmax(lengths))
        if low == high:
            low, high = low / 2, high * 2
        annot = np.where(present, [[f"{v:,.0f}" if v == v else "" for v in row] for row in lengths], "")
        _heatmap(
            pd.DataFrame(lengths, index=labels, columns=column_labels),
            new_ax,
            mask=~present,
            norm=LogNorm(vmin=low, vmax=high),
            vmin=low,
            vmax=high,
            cmap="crest",
            annot=annot,
            cbar_kws={},
        )
        colorbar = new_ax.collections[0].colorbar
        colorbar.set_ticks(_log_ticks(low, high))
        colorbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        colorbar.ax.yaxis.set_minor_formatter(NullFormatter())
        _colorbar_title(new_ax, "字数\n(对数刻度)")
    else:
        _heatmap(
            pd.DataFrame(present.astype(float), index=labels, columns=column_labels),
            new_ax,
            mask=~present,
            cmap=sns.light_palette("#3a7ca5", as_cmap=True),
            vmin=0,
            vmax=1.4,
            annot=np.where(present, "有", ""),
            cbar=False,
        )
    for row, col in zip(*np.nonzero(~present)):
        new_ax.text(col + 0.5, row + 0.5, "无", ha="center", va="center", fontsize=9, color="0.45")
    new_ax.tick_params(axis="x", labelrotation=0, labeltop=True, labelbottom=False, length=0)
    new_ax.tick_params(axis="y", labelrotation=0, length=0)
    new_ax.set_xlabel("")
    new_ax.set_ylabel("")
    if created:
        new_ax.figure.tight_layout()
    return new_ax


def _log_ticks(low: float, high: float) -> list[float]:
    """Round colour-bar ticks (1, 2, 5 × 10^k) between ``low`` and ``high``, at most six."""
    ticks = [
        step * 10.0**power
        for power in range(int(math.floor(math.log10(max(low, 1e-9)))), int(math.ceil(math.log10(max(high, 1e-9)))) + 1)
        for step in (1, 2, 5)
        if low <= step * 10.0**power <= high
    ]
    while len(ticks) > 6:
        ticks = ticks[::2]
    return ticks or [low, high]


def parts_by_group(reports: Any, *, by: str = "division_type",
                   parts: Sequence[str] = PARTS, ax: Axes | None = None) -> Axes:
    """Share of reports in each group that have each of the five parts (for large corpora).

    Parameters
    ----------
    reports : DataFrame or Corpus
        The ``reports`` table with ``has_<part>`` columns and the ``by`` column.
    by : str
        A column of ``reports`` to group by (division_type, tier, province, report_year…).
    parts : sequence of str
        Parts shown as rows, in this order.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Rows are parts, columns groups (with the number of reports), cells the share.
    """
    _setup()
    table = _frame(reports, "reports", "reports")
    parts = _check_choices(parts, PARTS, "parts")
    if by not in table.columns:
        raise ValueError(f"The value for `by` must be a column of `reports` ({list(table.columns)}), not {by!r}")
    _require(table, [f"has_{p}" for p in parts], "reports")
    table = table[table[by].notna()]
    if table.empty:
        raise ValueError(f"`reports` has no rows with a value in `{by}`")
    flags = pd.DataFrame({PART_LABELS[p].replace("\n", " "): table[f"has_{p}"].fillna(False).astype(bool).to_numpy()
                          for p in parts}, index=table.index)
    flags[by] = table[by].to_numpy()
    shares = flags.groupby(by).mean().T
    shares = shares[_group_order(list(shares.columns))]
    sizes = table.groupby(by).size()
    return _group_share_heatmap(shares, sizes, title="含有各部分的报告比例", ax=ax)
