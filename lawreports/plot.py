"""Charts of the corpus tables, with Chinese text that renders on any machine.

Every chart takes the tidy tables of the corpus (or a :class:`~lawreports.Corpus`, from which
it picks the tables it needs), follows seaborn's conventions (data first, every other argument
keyword-only, ``ax=None`` draws on the current axes or on a new figure sized for the chart) and
returns what it drew on:

- :func:`rates_by_level`: a stated rate by kind of reporting body (``division_type``), one
  labelled point per jurisdiction; an Axes, or a Figure of panels for several indicators;
- :func:`parts_heatmap`: which of the five mandated parts each report has, and how long
  each is; an Axes;
- :func:`profile_bars`: TF-IDF profiles, one panel of bars per group; a seaborn FacetGrid;
- :func:`theme_heatmap`: the share of shortcomings per theme and group; an Axes;
- :func:`similarity_heatmap`: similarity between groups; an Axes;
- :func:`indicator_coverage`: which report states which indicator; an Axes.

:func:`savefig` writes any of them to a file.

Chinese labels need a font with CJK glyphs. The first chart calls :func:`use_cjk_font`, which
picks an installed CJK font (Noto Sans CJK SC, Source Han Sans SC, WenQuanYi, SimHei, …) or,
on a machine without one, registers the Noto Sans CJK SC file shipped by the ``mplfonts``
package, and puts it first in matplotlib's ``font.sans-serif`` list. Nothing is written to
disk and nothing needs to be done by the user.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter, PercentFormatter

LOGGER = logging.getLogger(__name__)

__all__ = [
    "CJK_FAMILIES",
    "DIVISION_LABELS",
    "PART_LABELS",
    "coverage_by_group",
    "indicator_coverage",
    "parts_by_group",
    "parts_heatmap",
    "profile_bars",
    "rates_by_level",
    "savefig",
    "similarity_heatmap",
    "theme_heatmap",
    "use_cjk_font",
]

#: Installed font families tried first, in this order (matplotlib family names).
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Sarasa Gothic SC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "AR PL UMing CN",
)

#: Font file of the ``mplfonts`` package used when no CJK font is installed.
_MPLFONTS_FILE = "NotoSansCJKsc-Regular.otf"

#: Axis labels for each ``division_type`` (Chinese name, then the code).
DIVISION_LABELS: dict[str, str] = {
    "province": "省级\nprovince",
    "city": "地级市\ncity",
    "district": "市辖区\ndistrict",
    "county": "县\ncounty",
    "county_city": "县级市\ncounty_city",
    "zone": "开发区\nzone",
    "town": "镇\ntown",
    "township": "乡\ntownship",
    "subdistrict": "街道\nsubdistrict",
    "department": "部门\ndepartment",
}

#: Column labels for each of the five mandated parts (Chinese name, then the role).
PART_LABELS: dict[str, str] = {
    "achievements": "举措成效\nachievements",
    "shortcomings": "问题不足\nshortcomings",
    "responsibility": "第一责任人\nresponsibility",
    "plans": "下年安排\nplans",
    "other": "其他\nother",
}

_DEFAULT_LEVELS = ("city", "district", "county", "county_city", "zone", "town", "township", "subdistrict")
_DEFAULT_PARTS = ("achievements", "shortcomings", "responsibility", "plans", "other")
_INDICATOR_KINDS = ("rate", "count", "amount", "duration", "change", "reduction")
_ABSENT_COLOR = "0.93"
#: Panels with more points than this show distributions instead of labelled points.
MAX_LABELLED_POINTS = 40


# --------------------------------------------------------------------------- fonts


@functools.lru_cache(maxsize=1)
def use_cjk_font() -> str:
    """Make matplotlib draw Chinese text, and return the font family used.

    Looks, in order, for an installed CJK font among :data:`CJK_FAMILIES` (as known to
    ``matplotlib.font_manager``), then for the Noto Sans CJK SC file shipped inside the
    ``mplfonts`` package, which it registers with ``font_manager.fontManager.addfont`` (in
    memory only; no matplotlibrc or font cache is rewritten). The family found is put first
    in ``rcParams["font.sans-serif"]``, ``rcParams["font.family"]`` is set to
    ``"sans-serif"`` and ``rcParams["axes.unicode_minus"]`` to False (CJK fonts often lack
    the Unicode minus sign).

    The lookup runs once per process; every chart function of this module calls it, so users
    never need to. The rc settings are re-applied by each chart, so a later
    ``seaborn.set_theme()`` (which resets ``font.sans-serif``) does not undo them.

    Returns
    -------
    str
        The font family name, e.g. ``"Noto Sans CJK SC"``. ``"DejaVu Sans"`` (matplotlib's
        default, without CJK glyphs) if no CJK font could be found; a warning is then logged.
    """
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            LOGGER.debug("using installed CJK font %s", family)
            _apply_font_rc(family)
            return family
    path = _mplfonts_font_file()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        family = font_manager.FontProperties(fname=str(path)).get_name()
        LOGGER.debug("registered CJK font %s from %s", family, path)
        _apply_font_rc(family)
        return family
    LOGGER.warning(
        "no CJK font found: install one (e.g. fonts-noto-cjk) or the mplfonts package; "
        "Chinese text will show as boxes"
    )
    return "DejaVu Sans"


def _mplfonts_font_file() -> Path | None:
    """Path of the Noto Sans CJK SC file inside the installed ``mplfonts`` package, if any."""
    try:
        spec = importlib.util.find_spec("mplfonts")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        fonts = Path(location) / "fonts"
        exact = fonts / _MPLFONTS_FILE
        if exact.is_file():
            return exact
        candidates = sorted(fonts.glob("NotoSansCJK*[sS][cC]*Regular*.[ot]t[fc]"))
        if candidates:
            return candidates[0]
    return None


def _apply_font_rc(family: str) -> None:
    """Put ``family`` first in the sans-serif list and make sans-serif the default family."""
    rc = mpl.rcParams
    sans = list(rc["font.sans-serif"])
    if sans[:1] != [family]:
        rc["font.sans-serif"] = [family] + [name for name in sans if name != family]
    if list(rc["font.family"]) != ["sans-serif"]:
        rc["font.family"] = ["sans-serif"]
    rc["axes.unicode_minus"] = False


def _setup() -> None:
    """Font setup shared by every chart: find the CJK font once, (re)apply the rc settings."""
    family = use_cjk_font()
    if family != "DejaVu Sans":
        _apply_font_rc(family)


# --------------------------------------------------------------------------- inputs


def _frame(data: Any, name: str, attribute: str | None = None) -> pd.DataFrame:
    """Return ``data`` as a pandas DataFrame (from pandas, polars, or a corpus attribute)."""
    if attribute is not None and not isinstance(data, pd.DataFrame) and hasattr(data, attribute):
        data = getattr(data, attribute)
    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "to_pandas"):
        return data.to_pandas()
    raise TypeError(
        f"`{name}` must be a pandas or polars DataFrame"
        + (f" or a Corpus (with `.{attribute}`)" if attribute else "")
        + f", not {type(data).__name__}"
    )


def _require(df: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    """Raise a ValueError naming ``name`` if ``df`` lacks any of ``columns``."""
    missing = [column for column in columns if column not in df.columns]
    if missing:
        raise ValueError(
            f"`{name}` is missing column(s) {missing}; it needs {list(columns)} "
            f"(has {list(df.columns)})"
        )


def _check_choices(values: Sequence[str], allowed: Sequence[str], name: str) -> list[str]:
    """Validate a sequence of names against ``allowed``; return it as a list."""
    if isinstance(values, str):
        values = [values]
    values = list(values)
    bad = [value for value in values if value not in allowed]
    if bad or not values:
        raise ValueError(
            f"The value for `{name}` must be a non-empty sequence of {list(allowed)}; "
            f"got {bad or values}"
        )
    return values


def _check_positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"The value for `{name}` must be a positive integer, not {value!r}")
    return int(value)


def _with_report_columns(
    indicators: pd.DataFrame, reports: pd.DataFrame | None, columns: Sequence[str]
) -> pd.DataFrame:
    """Add the ``reports`` columns the indicators table lacks, joined on report_id."""
    missing = [column for column in columns if column not in indicators.columns]
    if not missing:
        return indicators
    if reports is None:
        raise ValueError(
            f"`indicators` has no column(s) {missing}: pass `reports` (with report_id and "
            f"{missing}) to join them on report_id"
        )
    _require(reports, ["report_id", *missing], "reports")
    extra = reports[["report_id", *missing]].drop_duplicates("report_id")
    return indicators.merge(extra, on="report_id", how="left")


def _report_labels(table: pd.DataFrame) -> pd.Series:
    """One label per row: the jurisdiction, with the year where a jurisdiction repeats.

    Falls back to report_id where the jurisdiction is missing, and adds the report_id when
    two different reports would still get the same label.
    """
    if "jurisdiction" in table.columns:
        names = table["jurisdiction"].astype("string").fillna(table["report_id"].astype("string"))
    else:
        names = table["report_id"].astype("string")
    names = names.astype(str)
    if "report_year" in table.columns and "report_id" in table.columns:
        years = table["report_year"]
        per_name = table.assign(_name=names).groupby("_name")["report_id"].nunique()
        repeated = names.map(per_name).fillna(1) > 1
        with_year = [
            f"{name} {int(year)}" if flag and pd.notna(year) else name
            for name, year, flag in zip(names, years, repeated)
        ]
        names = pd.Series(with_year, index=table.index)
    if "report_id" in table.columns:
        per_label = table.assign(_label=names).groupby("_label")["report_id"].nunique()
        clash = names.map(per_label) > 1
        names = names.where(~clash, names + " [" + table["report_id"].astype(str) + "]")
    return names


def _get_ax(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Axes, bool]:
    """The axes to draw on: ``ax``, the current axes, or a new figure of ``figsize``.

    Returns the axes and whether a new figure was made (then the caller may lay it out).
    """
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"`ax` must be a matplotlib Axes, not {type(ax).__name__}")
        return ax, False
    if plt.get_fignums():
        return plt.gca(), False
    fig, new_ax = plt.subplots(figsize=figsize)
    return new_ax, True


# --------------------------------------------------------------------------- rates by level


def rates_by_level(
    indicators: Any,
    reports: Any = None,
    *,
    indicator: str | Sequence[str] | None = None,
    levels: Sequence[str] = _DEFAULT_LEVELS,
    col_wrap: int = 3,
    ax: Axes | None = None,
) -> Axes | Figure:
    """Plot a stated rate across kinds of reporting body, one labelled point per jurisdiction.

    Parameters
    ----------
    indicators : DataFrame or Corpus
        The ``indicators`` table (report_id, indicator, value, unit, kind, …). Only rows with
        ``kind == "rate"`` are used. A Corpus supplies both ``indicators`` and ``reports``.
    reports : DataFrame, optional
        The ``reports`` table, joined on report_id for jurisdiction, division_type (and
        report_year) when ``indicators`` does not carry them.
    indicator : str, sequence of str or None
        The canonical indicator to plot (e.g. ``"调解成功率"``). A sequence draws one panel per
        indicator and returns a Figure. None picks the rate stated by the most reports (ties:
        the most rows, then the name).
    levels : sequence of str
        Kinds of reporting body (``division_type`` values) shown on the x axis, in this order;
        only those present in the data get a column. Rows of other kinds are left out.
    col_wrap : int
        Panels per row when ``indicator`` is a sequence.
    ax : matplotlib Axes, optional
        Axes to draw on (single indicator only); by default the current axes, or a new figure.

    Returns
    -------
    matplotlib.axes.Axes or matplotlib.figure.Figure
        The Axes for one indicator; the Figure (one Axes per indicator, in order) for a
        sequence.

    Notes
    -----
    Every stated value is a point: a report that states the same rate for two things (for
    example 即办率 of two services) shows two points with the same label. Points with nearly
    equal values are spread sideways and their labels stacked so they do not overlap; the
    year is added to the label where one jurisdiction has reports of several years.
    """
    _setup()
    if reports is None and hasattr(indicators, "reports") and not isinstance(indicators, pd.DataFrame):
        reports = indicators.reports
    table = _frame(indicators, "indicators", "indicators")
    reports_df = None if reports is None else _frame(reports, "reports", "reports")
    _require(table, ["report_id", "indicator", "value", "kind"], "indicators")
    levels = _check_choices(levels, tuple(DIVISION_LABELS), "levels")
    col_wrap = _check_positive_int(col_wrap, "col_wrap")

    rates = table[table["kind"] == "rate"].copy()
    wanted = ["jurisdiction", "division_type"]
    if reports_df is not None and "report_year" in reports_df.columns:
        wanted.append("report_year")
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
        faceted = False
    elif isinstance(indicator, str):
        names = [indicator]
        faceted = False
    else:
        names = list(indicator)
        faceted = True
    if not names:
        raise ValueError("The value for `indicator` must not be an empty sequence")
    unknown = [name for name in names if name not in available]
    if unknown:
        raise ValueError(
            f"The value for `indicator` must be one of the rates in `indicators`: {available}; "
            f"got {unknown}"
        )
    if faceted and ax is not None:
        raise ValueError("`ax` cannot be used with several indicators; they are drawn as a Figure")

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

    if not faceted:
        new_ax, created = _get_ax(ax, (max(5.5, 1.45 * len(present) + 1.5), 4.5))
        _rate_panel(new_ax, rates[rates["indicator"] == names[0]], present, names[0], created)
        return new_ax

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
        counts = data["division_type"].value_counts()
        labels = [f"{DIVISION_LABELS[level]}\n(n={int(counts.get(level, 0))})" for level in present]
    else:
        positions = _dodge(data, present)
        ax.scatter(
            positions["x"], positions["value"], s=36, color="C0", edgecolor="white", linewidth=0.6, zorder=3
        )
    ax.set_xticks(range(len(present)))
    if big:
        ax.set_xticklabels(labels)
    else:
        ax.set_xticklabels([DIVISION_LABELS[level] for level in present])
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
    ax.set_xlabel("")
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


# --------------------------------------------------------------------------- parts


def parts_heatmap(
    reports: Any,
    *,
    parts: Sequence[str] = _DEFAULT_PARTS,
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
    parts = _check_choices(parts, _DEFAULT_PARTS, "parts")
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
        sns.heatmap(
            pd.DataFrame(lengths, index=labels, columns=column_labels),
            ax=new_ax,
            mask=~present,
            norm=LogNorm(vmin=low, vmax=high),
            vmin=low,
            vmax=high,
            cmap="crest",
            annot=annot,
            fmt="",
            annot_kws={"fontsize": 9},
            linewidths=1,
            linecolor="white",
            xticklabels=True,
            yticklabels=True,
            cbar_kws={"shrink": 0.8},
        )
        colorbar = new_ax.collections[0].colorbar
        colorbar.set_ticks(_log_ticks(low, high))
        colorbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        colorbar.ax.yaxis.set_minor_formatter(NullFormatter())
        colorbar.ax.set_title("字数\n(对数刻度)", fontsize=9, loc="left", pad=8)
    else:
        sns.heatmap(
            pd.DataFrame(present.astype(float), index=labels, columns=column_labels),
            ax=new_ax,
            mask=~present,
            cmap=sns.light_palette("#3a7ca5", as_cmap=True),
            vmin=0,
            vmax=1.4,
            annot=np.where(present, "有", ""),
            fmt="",
            annot_kws={"fontsize": 9},
            linewidths=1,
            linecolor="white",
            xticklabels=True,
            yticklabels=True,
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


# --------------------------------------------------------------------------- topics


def profile_bars(profiles: Any, *, top: int = 10, col_wrap: int = 3) -> sns.FacetGrid:
    """Draw TF-IDF profiles as horizontal bars, one panel per group.

    Parameters
    ----------
    profiles : DataFrame
        Tidy profiles with columns group, term, weight and optionally rank (1 = heaviest), as
        returned by ``lawreports.topics.tfidf_profiles``.
    top : int
        Terms per group: those of rank ≤ ``top`` (or the ``top`` heaviest where there is no
        rank column).
    col_wrap : int
        Panels per row.

    Returns
    -------
    seaborn.FacetGrid
        One panel per group in order of first appearance, heaviest term on top; panels share
        the weight axis and have their own terms. ``grid.figure`` is the Figure.
    """
    _setup()
    table = _frame(profiles, "profiles")
    _require(table, ["group", "term", "weight"], "profiles")
    top = _check_positive_int(top, "top")
    col_wrap = _check_positive_int(col_wrap, "col_wrap")
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


def _profile_panel(data: pd.DataFrame, *, n_terms: int, **kwargs: Any) -> None:
    """One FacetGrid panel: the group's terms as bars in the given order, the first on top.

    Every panel has room for ``n_terms`` bars, so bars are equally thick in all panels.
    """
    ax = plt.gca()
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
    values = matrix.to_numpy(dtype=float)
    annot = np.vectorize(lambda v: "" if v == 0 else "<1%" if v < 0.005 else f"{v:.0%}")(values)
    width = 1.05 * matrix.shape[1] + 0.2 * max(len(t) for t in matrix.index) + 2.4
    new_ax, created = _get_ax(ax, (width, 0.42 * matrix.shape[0] + 1.6))
    sns.heatmap(
        matrix,
        ax=new_ax,
        cmap="Blues",
        vmin=0,
        vmax=max(float(values.max()), 1e-9),
        annot=annot,
        fmt="",
        annot_kws={"fontsize": 9},
        linewidths=1,
        linecolor="white",
        xticklabels=True,
        yticklabels=True,
        cbar_kws={"format": PercentFormatter(xmax=1, decimals=0), "shrink": 0.8},
    )
    new_ax.collections[0].colorbar.ax.set_title("占比", fontsize=9, loc="left", pad=8)
    _tidy_heatmap_ticks(new_ax, list(matrix.columns))
    new_ax.set_xlabel("")
    new_ax.set_ylabel("")
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
    sns.heatmap(
        matrix,
        ax=new_ax,
        cmap="rocket_r",
        vmin=0,
        vmax=1,
        square=True,
        annot=bool(annot),
        fmt=".2f",
        annot_kws={"fontsize": 9},
        linewidths=1,
        linecolor="white",
        xticklabels=True,
        yticklabels=True,
        cbar_kws={"shrink": 0.8},
    )
    new_ax.collections[0].colorbar.ax.set_title("相似度", fontsize=9, loc="left", pad=8)
    _tidy_heatmap_ticks(new_ax, list(matrix.columns))
    new_ax.set_xlabel("")
    new_ax.set_ylabel("")
    if created:
        new_ax.figure.tight_layout()
    return new_ax


def _tidy_heatmap_ticks(ax: Axes, columns: list[str]) -> None:
    """Horizontal labels; slant the column labels when they are many or long."""
    ax.tick_params(axis="y", labelrotation=0, length=0)
    ax.tick_params(axis="x", length=0)
    longest = max((len(str(c)) for c in columns), default=0)
    if len(columns) > 6 or longest > 6:
        for label in ax.get_xticklabels():
            label.set_rotation(40)
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")
    else:
        ax.tick_params(axis="x", labelrotation=0)


# --------------------------------------------------------------------------- coverage


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
    order = {level: i for i, level in enumerate(DIVISION_LABELS)}
    if "division_type" in columns_df.columns:
        columns_df["_order"] = columns_df["division_type"].map(order).fillna(len(order))
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
    sns.heatmap(
        counts,
        ax=new_ax,
        mask=values == 0,
        cmap="Blues",
        vmin=0,
        vmax=max(int(values.max()), 3) * 1.15,
        annot=annot,
        fmt="",
        annot_kws={"fontsize": 8},
        linewidths=0.8,
        linecolor="0.92",
        xticklabels=True,
        yticklabels=True,
        cbar=False,
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


# --------------------------------------------------------------------------- by group (large corpora)


def _group_share_heatmap(shares: pd.DataFrame, sizes: pd.Series, *, title: str, ax: Axes | None) -> Axes:
    """Heatmap of shares (rows × groups) in [0, 1], columns labelled with the group size."""
    columns = [f"{DIVISION_LABELS.get(str(g), str(g))}\n(n={int(sizes[g])})" for g in shares.columns]
    frame = pd.DataFrame(shares.to_numpy(dtype=float), index=list(shares.index), columns=columns)
    annot = np.vectorize(lambda v: f"{v:.0%}")(frame.to_numpy())
    longest = max((len(str(r)) for r in frame.index), default=4)
    width = 1.1 * frame.shape[1] + 0.17 * longest + 2.6
    new_ax, created = _get_ax(ax, (max(5.0, width), 0.36 * len(frame) + 2.0))
    sns.heatmap(frame, ax=new_ax, cmap="Blues", vmin=0, vmax=1, annot=annot, fmt="",
                annot_kws={"fontsize": 8}, linewidths=0.8, linecolor="0.92",
                xticklabels=True, yticklabels=True, cbar=False)
    new_ax.tick_params(axis="x", labeltop=True, labelbottom=False, top=False, rotation=0)
    new_ax.tick_params(axis="y", rotation=0)
    new_ax.set_xlabel("")
    new_ax.set_ylabel("")
    new_ax.set_title(title, fontsize=10, pad=10)
    if created:
        new_ax.figure.tight_layout()
    return new_ax


def _group_order(groups: Sequence[Any]) -> list[Any]:
    order = {level: i for i, level in enumerate(DIVISION_LABELS)}
    return sorted(groups, key=lambda g: (order.get(str(g), len(order)), str(g)))


def parts_by_group(reports: Any, *, by: str = "division_type",
                   parts: Sequence[str] = _DEFAULT_PARTS, ax: Axes | None = None) -> Axes:
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
    parts = _check_choices(parts, _DEFAULT_PARTS, "parts")
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
    if kind is not None:
        table = table[table["kind"].isin(_check_choices(kind, _INDICATOR_KINDS, "kind"))]
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


# --------------------------------------------------------------------------- output


def savefig(fig_or_ax: Any, path: str | Path, *, dpi: int = 150, **kwargs: Any) -> Path:
    """Save the figure holding a chart to ``path`` (parent folders are created).

    Parameters
    ----------
    fig_or_ax : Figure, Axes or seaborn grid
        What a chart function of this module returned.
    path : str or Path
        Output file; the format follows the suffix (``.png``, ``.svg``, ``.pdf``).
    dpi : int
        Resolution for raster formats.
    **kwargs
        Passed on to :meth:`matplotlib.figure.Figure.savefig` (``bbox_inches="tight"`` unless
        given).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    if isinstance(fig_or_ax, Figure):
        fig = fig_or_ax
    elif isinstance(fig_or_ax, Axes):
        fig = fig_or_ax.figure
    elif isinstance(getattr(fig_or_ax, "figure", None), Figure):
        fig = fig_or_ax.figure
    else:
        raise TypeError(
            f"`fig_or_ax` must be a matplotlib Figure, Axes or seaborn grid, not {type(fig_or_ax).__name__}"
        )
    _setup()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("bbox_inches", "tight")
    fig.savefig(out, dpi=dpi, **kwargs)
    return out
