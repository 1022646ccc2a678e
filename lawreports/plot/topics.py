"""Charts of :mod:`lawreports.topics` results: TF-IDF profiles (:func:`profile_bars` for one
group, an Axes; :func:`profile_bars_grid` for every group, a FacetGrid), theme shares
(:func:`theme_heatmap`) and similarity between groups (:func:`similarity_heatmap`)."""

from __future__ import annotations

import logging
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from ._base import (
    _check_positive_int,
    _colorbar_title,
    _frame,
    _get_ax,
    _heatmap,
    _require,
    _setup,
    _tidy_heatmap_ticks,
)

LOGGER = logging.getLogger(__name__)

_PROFILES_PARAM = """\
    profiles : DataFrame
        Tidy profiles with columns group, term, weight and optionally rank (1 = heaviest), as
        returned by ``lawreports.topics.tfidf_profiles``.
    top : int
        Terms per group: those of rank ≤ ``top`` (or the ``top`` heaviest where there is no
        rank column)."""


def _profile_data(profiles: Any, top: int) -> tuple[pd.DataFrame, list[str], int]:
    """The rows to draw (at most ``top`` per group, heaviest first), the groups in order of
    first appearance, and the most terms any group has."""
    _setup()
    table = _frame(profiles, "profiles")
    _require(table, ["group", "term", "weight"], "profiles")
    top = _check_positive_int(top, "top")
    if table.empty:
        raise ValueError("`profiles` has no rows")
    data = table.copy()
    data["group"] = data["group"].astype(str)
    data["weight"] = pd.to_numeric(data["weight"], errors="coerce")
    if "rank" in data.columns:
        data = data[pd.to_numeric(data["rank"], errors="coerce") <= top]
        data = data.sort_values(["rank", "weight"], ascending=[True, False], kind="stable")
    else:
        data = data.sort_values("weight", ascending=False, kind="stable")
        data = data.groupby("group", sort=False).head(top)
    groups = list(dict.fromkeys(table["group"].astype(str)))
    n_terms = int(data.groupby("group").size().max())
    return data, groups, n_terms


def profile_bars(profiles: Any, *, group: Any = None, top: int = 10, ax: Axes | None = None) -> Axes:
    """Draw one group's TF-IDF profile as horizontal bars, heaviest term on top.

    Parameters
    ----------
{profiles}
    group : optional
        The group to draw (a value of the ``group`` column); may be left out when the
        profiles have one group. For every group, one panel each, use
        :func:`profile_bars_grid`.
    ax : matplotlib Axes, optional
        Axes to draw on; by default the current axes, or a new figure sized to the terms.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per term, titled with the group.
    """
    data, groups, _ = _profile_data(profiles, top)
    if group is None:
        if len(groups) > 1:
            raise ValueError(f"The value for `group` must be one of {groups}: profile_bars() draws "
                             "one group on an Axes; profile_bars_grid() draws every group")
        group = groups[0]
    if str(group) not in groups:
        raise ValueError(f"The value for `group` must be one of {groups}; got {group!r}")
    mine = data[data["group"] == str(group)]
    n_terms = max(len(mine), 1)
    longest = max((len(str(t)) for t in mine["term"]), default=2)
    new_ax, created = _get_ax(ax, (max(4.5, 0.17 * longest + 3.4), 0.3 * n_terms + 1.3))
    _profile_panel(mine, n_terms=n_terms, ax=new_ax)
    new_ax.set_title(str(group))
    new_ax.set_xlabel("TF-IDF 权重")
    new_ax.set_ylabel("")
    new_ax.tick_params(axis="y", length=0)
    sns.despine(ax=new_ax)
    if created:
        new_ax.figure.tight_layout()
    return new_ax


def profile_bars_grid(profiles: Any, *, top: int = 10, col_wrap: int = 3) -> sns.FacetGrid:
    """Draw TF-IDF profiles as horizontal bars, one panel per group.

    Parameters
    ----------
{profiles}
    col_wrap : int
        Panels per row.

    Returns
    -------
    seaborn.FacetGrid
        One panel per group in order of first appearance, heaviest term on top; panels share
        the weight axis and have their own terms. ``grid.figure`` is the Figure.
    """
    col_wrap = _check_positive_int(col_wrap, "col_wrap")
    data, groups, n_terms = _profile_data(profiles, top)
    grid = sns.FacetGrid(
        data,
        col="group",
        col_order=groups,
        col_wrap=min(col_wrap, len(groups)),
        sharex=True,
        sharey=False,
        height=0.3 * n_terms + 1.0,
        aspect=max(1.1, 3.4 / (0.3 * n_terms + 1.0)),
        despine=True,
    )
    grid.map_dataframe(_profile_panel, n_terms=n_terms)
    grid.set_titles("{col_name}")
    grid.set_axis_labels("TF-IDF 权重", "")
    for ax in grid.axes.ravel():
        ax.tick_params(axis="y", labelleft=True, length=0)
    grid.figure.tight_layout()
    return grid


for _f in (profile_bars, profile_bars_grid):
    if _f.__doc__:  # None under python -OO
        _f.__doc__ = _f.__doc__.format(profiles=_PROFILES_PARAM)


def _profile_panel(data: pd.DataFrame, *, n_terms: int, ax: Axes | None = None, **kwargs: Any) -> None:
    """One panel: the group's terms as bars in the given order, the first on top.

    Every panel has room for ``n_terms`` bars, so bars are equally thick in all panels. Draws
    on ``ax``, or on the current axes (as a FacetGrid's ``map_dataframe`` expects).
    """
    ax = plt.gca() if ax is None else ax
    positions = n_terms - 1 - np.arange(len(data))
    ax.barh(positions, data["weight"], color=kwargs.get("color", "C0"), height=0.7)
    ax.set_yticks(positions)
    ax.set_yticklabels(data["term"].astype(str))
    ax.set_ylim(-0.6, n_terms - 0.4)


def theme_heatmap(theme_shares: Any, *, ax: Axes | None = None) -> Axes:
    """Show each group's share of shortcomings per theme as a heatmap.

    Parameters
    ----------
    theme_shares : DataFrame or ThemeResult
        Tidy shares with columns group, theme and share (a fraction from 0 to 1): the
        ``shares`` table of ``lawreports.topics.themes`` (the result itself is accepted). A
        (group, theme) pair that is missing counts as 0.
    ax : matplotlib Axes, optional
        Axes to draw on; by default the current axes, or a new figure sized to the table.

    Returns
    -------
    matplotlib.axes.Axes
        One row per theme, one column per group (both in order of first appearance), each
        cell annotated with its share in percent (blank for 0).
    """
    _setup()
    table = _frame(theme_shares, "theme_shares", "shares")
    _require(table, ["group", "theme", "share"], "theme_shares")
    if table.empty:
        raise ValueError("`theme_shares` has no rows")
    shares = pd.to_numeric(table["share"], errors="coerce")
    if shares.isna().any() or (shares < 0).any() or (shares > 1).any():
        raise ValueError("`theme_shares` column `share` must hold fractions from 0 to 1")
    data = table.assign(share=shares, group=table["group"].astype(str), theme=table["theme"].astype(str))
    matrix = data.pivot_table(index="theme", columns="group", values="share", aggfunc="sum", fill_value=0.0)
    matrix = matrix.loc[list(dict.fromkeys(data["theme"])), list(dict.fromkeys(data["group"]))]
    if "group_items" in data.columns:       # n under each group: the items its shares are of
        items = data.groupby("group", sort=False)["group_items"].max()
        matrix.columns = [f"{g}\n(n={int(items[g])})" if pd.notna(items.get(g)) else g for g in matrix.columns]
    values = matrix.to_numpy(dtype=float)
    over = bool((matrix.sum(axis=0) > 1.0 + 1e-9).any())
    annot = np.vectorize(lambda v: "" if v == 0 else "<1%" if v < 0.005 else f"{v:.0%}")(values)
    width = 1.05 * matrix.shape[1] + 0.2 * max(len(t) for t in matrix.index) + 2.4
    new_ax, created = _get_ax(ax, (width, 0.42 * matrix.shape[0] + 1.6))
    _heatmap(
        matrix,
        new_ax,
        cmap="Blues",
        vmin=0,
        vmax=max(float(values.max()), 1e-9),
        annot=annot,
        cbar_kws={"format": PercentFormatter(xmax=1, decimals=0)},
    )
    _colorbar_title(new_ax, "占比")
    _tidy_heatmap_ticks(new_ax, list(matrix.columns))
    new_ax.set_xlabel("")
    new_ax.set_ylabel("")
    if over:
        new_ax.set_title("share of each group's items per theme; an item can match several themes, "
                         "so a column can add up to more than 100%", fontsize=8, color="0.35")
    if created:
        new_ax.figure.tight_layout()
    return new_ax


def similarity_heatmap(matrix_or_tidy: Any, *, annot: bool | None = None, ax: Axes | None = None) -> Axes:
    """Show pairwise similarity (e.g. cosine of TF-IDF profiles) as a square heatmap.

    Parameters
    ----------
    matrix_or_tidy : DataFrame or SimilarityResult
        Either a square DataFrame whose index and columns hold the same names, or a tidy table
        with columns a, b, similarity (one row per pair, either order; the matrix is made
        symmetric, and a pair given in neither order stays blank). The result of
        ``lawreports.topics.similarity`` is accepted (its ``matrix`` is drawn).
    annot : bool, optional
        Write each value in its cell; by default when there are at most 15 names.
    ax : matplotlib Axes, optional
        Axes to draw on; by default the current axes, or a new figure sized to the matrix.

    Returns
    -------
    matplotlib.axes.Axes
        One row and one column per name, colour from 0 to 1.
    """
    _setup()
    table = _frame(matrix_or_tidy, "matrix_or_tidy", "matrix")
    if {"a", "b", "similarity"} <= set(table.columns):
        tidy = table.assign(a=table["a"].astype(str), b=table["b"].astype(str))
        names = list(dict.fromkeys([*tidy["a"], *tidy["b"]]))
        matrix = pd.DataFrame(np.nan, index=names, columns=names)
        for a, b, value in tidy[["a", "b", "similarity"]].itertuples(index=False):
            matrix.loc[a, b] = float(value)
        matrix = matrix.combine_first(matrix.T).loc[names, names]
    else:
        if table.shape[0] != table.shape[1] or set(map(str, table.index)) != set(map(str, table.columns)):
            raise ValueError(
                "`matrix_or_tidy` must be a square DataFrame with the same names as index and "
                "columns, or a tidy table with columns a, b, similarity; got columns "
                f"{list(table.columns)[:8]}"
            )
        matrix = table.copy()
        matrix.index = matrix.index.map(str)
        matrix.columns = matrix.columns.map(str)
        matrix = matrix.loc[list(matrix.index), list(matrix.index)].apply(pd.to_numeric, errors="coerce")
    if matrix.empty:
        raise ValueError("`matrix_or_tidy` has no rows")
    n = matrix.shape[0]
    if annot is None:
        annot = n <= 15
    side = max(4.0, (0.75 if annot else 0.4) * n + 2.2)
    new_ax, created = _get_ax(ax, (side + 1.0, side))
    _heatmap(
        matrix,
        new_ax,
        cmap="rocket_r",
        vmin=0,
        vmax=1,
        square=True,
        annot=bool(annot),
        fmt=".2f",
        cbar_kws={},
    )
    _colorbar_title(new_ax, "相似度")
    _tidy_heatmap_ticks(new_ax, list(matrix.columns))
    new_ax.set_xlabel("")
    new_ax.set_ylabel("")
    if created:
        new_ax.figure.tight_layout()
    return new_ax
