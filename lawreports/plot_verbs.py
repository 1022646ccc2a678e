"""Charts for the text-as-data verbs (:mod:`lawreports.verbs`), seaborn style.

Data first, options keyword-only, ``ax=None`` draws on the current axes (or a new figure), and
every function returns the matplotlib Axes. Chinese renders through
:func:`lawreports.plot.use_cjk_font`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from lawreports.plot import use_cjk_font

LOGGER = logging.getLogger(__name__)

__all__ = ["kwic_dispersion", "keyness_bars", "term_trends"]


def _frame(data: Any, name: str) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "to_pandas"):
        return data.to_pandas()
    raise TypeError(f"`{name}` must be a pandas or polars DataFrame, not {type(data).__name__}.")


def _require(df: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"`{name}` is missing column(s) {missing}; it has {list(df.columns)}.")


def _ax(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Axes, bool]:
    if ax is not None:
        return ax, False
    if plt.get_fignums():
        return plt.gca(), False
    _, new = plt.subplots(figsize=figsize)
    return new, True


def _setup() -> None:
    sns.set_theme(style="whitegrid")
    family = use_cjk_font()
    plt.rcParams["font.sans-serif"] = [family, *plt.rcParams["font.sans-serif"]]
    plt.rcParams["axes.unicode_minus"] = False


def kwic_dispersion(
    hits: Any,
    reports: Any,
    *,
    max_reports: int = 30,
    ax: Axes | None = None,
) -> Axes:
    """Where a term falls in each report: one tick per hit at its relative position.

    Parameters
    ----------
    hits : DataFrame
        :func:`lawreports.verbs.kwic` output (report_id, start, pattern).
    reports : DataFrame or Corpus
        ``corpus.reports`` (report_id, n_chars; jurisdiction and report_year for labels).
    max_reports : int, default 30
        Reports shown: those with the most hits (ties by report_id), in report order.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        x: position in the report's clean text (0 = start, 1 = end); one row per report,
        labelled by jurisdiction and year; one colour per pattern (or dictionary key).
    """
    _setup()
    hits = _frame(hits, "hits")
    reports = _frame(getattr(reports, "reports", reports), "reports")
    _require(hits, ["report_id", "start", "pattern"], "hits")
    _require(reports, ["report_id", "n_chars"], "reports")
    if hits.empty:
        raise ValueError("`hits` has no rows: the pattern was not found.")
    per_report = hits.groupby("report_id").size()
    keep = per_report.sort_values(ascending=False, kind="stable").head(max_reports).index
    table = reports[reports["report_id"].isin(keep)].drop_duplicates("report_id")
    table = table.reset_index(drop=True)
    labels = []
    for row in table.itertuples(index=False):
        name = str(getattr(row, "jurisdiction", "") or row.report_id)
        year = getattr(row, "report_year", None)
        labels.append(f"{name} {int(year)}" if year is not None and pd.notna(year) else name)
    table["label"] = labels
    dup = table["label"].duplicated(keep=False)
    table.loc[dup, "label"] = table.loc[dup, "label"] + " [" + table.loc[dup, "report_id"] + "]"
    data = hits.merge(table[["report_id", "n_chars", "label"]], on="report_id")
    data["position"] = data["start"] / data["n_chars"].clip(lower=1)
    order = list(table["label"])
    data["row"] = data["label"].map({lab: i for i, lab in enumerate(order)})
    new_ax, created = _ax(ax, (9, 0.38 * len(order) + 1.6))
    patterns = list(dict.fromkeys(data["pattern"].astype(str)))
    palette = dict(zip(patterns, sns.color_palette("deep", len(patterns))))
    for pattern, group in data.groupby(data["pattern"].astype(str), sort=False):
        new_ax.scatter(group["position"], group["row"], marker="|", s=220, linewidths=1.6,
                       color=palette[pattern], label=pattern)
    new_ax.set_yticks(range(len(order)), order)
    new_ax.set_ylim(len(order) - 0.5, -0.5)
    new_ax.set_xlim(0, 1)
    new_ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    new_ax.set_xlabel("position in the report (share of its characters)")
    new_ax.set_ylabel("")
    new_ax.grid(axis="y", visible=False)
    if len(patterns) > 1:
        new_ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    title = f"{patterns[0]} falls" if len(patterns) == 1 else "the terms fall"
    new_ax.set_title(f"where {title} in each report", loc="left", fontsize=11)
    if created:
        new_ax.figure.tight_layout()
    return new_ax


def keyness_bars(
    keyness: pd.DataFrame,
    *,
    n: int = 10,
    ax: Axes | None = None,
) -> Axes:
    """The top terms each way: most key to the target (right) and to the reference (left).

    Parameters
    ----------
    keyness : DataFrame
        :func:`lawreports.verbs.keyness` output (term, statistic, n_target, n_reference).
    n : int, default 10
        Terms shown each way (only terms whose statistic has that sign).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Horizontal bars of the signed statistic, each labelled with the counts in target and
        reference.
    """
    _setup()
    table = _frame(keyness, "keyness")
    _require(table, ["term", "statistic", "n_target", "n_reference"], "keyness")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"The value for `n` must be a positive integer, not {n!r}.")
    pos = table[table["statistic"] > 0].nlargest(n, "statistic")
    neg = table[table["statistic"] < 0].nsmallest(n, "statistic")
    data = pd.concat([pos, neg.iloc[::-1]], ignore_index=True)
    if data.empty:
        raise ValueError("`keyness` has no term with a nonzero statistic.")
    target = ", ".join(map(str, table.attrs.get("target", ["target"])))
    ref = table.attrs.get("reference")
    reference = ", ".join(map(str, ref)) if ref else "the rest"
    deep = sns.color_palette("deep")
    colors = [deep[0] if v > 0 else deep[7] for v in data["statistic"]]
    new_ax, created = _ax(ax, (8, 0.32 * len(data) + 1.6))
    y = np.arange(len(data))
    new_ax.barh(y, data["statistic"], color=colors)
    new_ax.set_yticks(y, data["term"])
    new_ax.set_ylim(len(data) - 0.5, -0.5)
    span = float(data["statistic"].abs().max())
    for yi, row in zip(y, data.itertuples(index=False)):
        side = 1 if row.statistic > 0 else -1
        new_ax.text(row.statistic + side * 0.01 * span, yi, f"{row.n_target} : {row.n_reference}",
                    va="center", ha="left" if side > 0 else "right", fontsize=8, color="0.3")
    new_ax.set_xlim(-1.25 * span if len(neg) else -0.05 * span, 1.25 * span if len(pos) else 0.05 * span)
    new_ax.axvline(0, color="0.4", linewidth=0.8)
    measure = table.attrs.get("measure", "chi2")
    new_ax.set_xlabel(f"signed {'χ²' if measure == 'chi2' else 'G²'}  (counts: target : reference)")
    new_ax.set_title(f"key terms: {target} (right) vs {reference} (left)", loc="left", fontsize=11)
    new_ax.grid(axis="y", visible=False)
    if created:
        new_ax.figure.tight_layout()
    return new_ax


def term_trends(
    frequencies: pd.DataFrame,
    *,
    terms: Iterable[str] | None = None,
    measure: str = "per_1000",
    ax: Axes | None = None,
) -> Axes:
    """Chosen terms over the groups of a frequency table (usually report years), one line each.

    Parameters
    ----------
    frequencies : DataFrame
        :func:`lawreports.verbs.term_frequency` output, best with ``by="report_year"`` and
        ``terms=[...]`` (so a year without the term shows 0).
    terms : iterable of str, optional
        Terms to draw; by default every term in the table.
    measure : {"per_1000", "frequency", "n_reports"}, default "per_1000"
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _setup()
    table = _frame(frequencies, "frequencies")
    if measure not in ("per_1000", "frequency", "n_reports"):
        raise ValueError("The value for `measure` must be one of 'per_1000', 'frequency', "
                         f"'n_reports'; got {measure!r}.")
    _require(table, ["group", "term", measure], "frequencies")
    if terms is not None:
        terms = list(terms)
        table = table[table["term"].isin(terms)]
    if table.empty:
        raise ValueError("`frequencies` has no rows for the terms asked for.")
    new_ax, created = _ax(ax, (7.5, 4.2))
    sns.lineplot(data=table, x="group", y=measure, hue="term", marker="o", ax=new_ax,
                 hue_order=terms)
    groups = sorted(table["group"].unique())
    if all(isinstance(g, (int, np.integer)) for g in groups):
        new_ax.set_xticks(groups, [str(g) for g in groups])
    new_ax.set_xlabel(table.attrs.get("by") or "group")
    new_ax.set_ylabel({"per_1000": "per 1,000 tokens", "frequency": "tokens",
                       "n_reports": "reports using the term"}[measure])
    new_ax.set_ylim(bottom=0)
    new_ax.legend(title="", frameon=False, fontsize=9)
    if created:
        new_ax.figure.tight_layout()
    return new_ax
