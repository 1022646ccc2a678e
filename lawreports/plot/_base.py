"""What every chart of :mod:`lawreports.plot` shares: the CJK font, argument checks, axes,
labels for parts and kinds of body, the heatmap style, and :func:`savefig`.

Chinese labels need a font with CJK glyphs. Every chart calls :func:`_setup`, which calls
:func:`use_cjk_font` once per process: it picks an installed CJK font (Noto Sans CJK SC, Source
Han Sans SC, WenQuanYi, SimHei, …) or, on a machine without one, registers the Noto Sans CJK SC
file shipped by the ``mplfonts`` package, and puts it first in matplotlib's ``font.sans-serif``
list. Nothing is written to disk and nothing needs to be done by the user.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
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
from matplotlib.figure import Figure

from lawreports.vocab import DIVISION_TYPES, LEVEL_ORDER, PARTS

LOGGER = logging.getLogger(__name__)

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

#: Chinese name of each ``division_type`` (every entry of :data:`lawreports.vocab.DIVISION_TYPES`).
_DIVISION_NAMES: dict[str, str] = {
    "province": "省级",
    "city": "地级市",
    "district": "市辖区",
    "county": "县",
    "county_city": "县级市",
    "zone": "开发区",
    "town": "镇",
    "township": "乡",
    "subdistrict": "街道",
    "department": "部门",
}
#: Axis labels for each ``division_type`` (Chinese name, then the code), in chart order
#: (:data:`lawreports.vocab.LEVEL_ORDER`).
DIVISION_LABELS: dict[str, str] = {t: f"{_DIVISION_NAMES[t]}\n{t}" for t in LEVEL_ORDER}

#: Chinese name of each of the five parts (every entry of :data:`lawreports.vocab.PARTS`).
_PART_NAMES: dict[str, str] = {
    "achievements": "举措成效",
    "shortcomings": "问题不足",
    "responsibility": "第一责任人",
    "plans": "下年安排",
    "other": "其他",
}
#: Column labels for each of the five mandated parts (Chinese name, then the role).
PART_LABELS: dict[str, str] = {p: f"{_PART_NAMES[p]}\n{p}" for p in PARTS}

#: Rank of each kind of body in charts (top of the hierarchy first); unknown kinds go last.
_LEVEL_RANK: dict[str, int] = {level: i for i, level in enumerate(LEVEL_ORDER)}

#: The look every heatmap shares: white 1-pixel cell borders, labels on every row and column,
#: 9-point cell text written as given (``fmt=""``).
HEATMAP_STYLE: dict[str, Any] = {
    "fmt": "",
    "annot_kws": {"fontsize": 9},
    "linewidths": 1,
    "linecolor": "white",
    "xticklabels": True,
    "yticklabels": True,
}
#: Heatmaps read as tables (counts or shares per cell, no colour bar): thin grey borders and
#: 8-point cell text.
TABLE_STYLE: dict[str, Any] = {
    **HEATMAP_STYLE,
    "annot_kws": {"fontsize": 8},
    "linewidths": 0.8,
    "linecolor": "0.92",
    "cbar": False,
}
#: Colour-bar keywords shared by the heatmaps that have one.
COLORBAR_KWS: dict[str, Any] = {"shrink": 0.8}

assert set(DIVISION_LABELS) == set(DIVISION_TYPES), "a division type without a chart label"


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


# --------------------------------------------------------------------------- heatmaps


def _heatmap(data: pd.DataFrame, ax: Axes, *, style: dict[str, Any] = HEATMAP_STYLE, **kwargs: Any) -> Axes:
    """``seaborn.heatmap`` of ``data`` on ``ax`` in the shared ``style``; ``kwargs`` add or override."""
    params = {**style, **kwargs}
    params["annot_kws"] = dict(params.get("annot_kws") or {})
    if "cbar_kws" in params:
        params["cbar_kws"] = {**COLORBAR_KWS, **params["cbar_kws"]}
    sns.heatmap(data, ax=ax, **params)
    return ax


def _colorbar_title(ax: Axes, title: str) -> None:
    """Write ``title`` above the colour bar of the heatmap on ``ax``."""
    ax.collections[0].colorbar.ax.set_title(title, fontsize=9, loc="left", pad=8)


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


def _group_share_heatmap(shares: pd.DataFrame, sizes: pd.Series, *, title: str, ax: Axes | None) -> Axes:
    """Heatmap of shares (rows × groups) in [0, 1], columns labelled with the group size."""
    columns = [f"{DIVISION_LABELS.get(str(g), str(g))}\n(n={int(sizes[g])})" for g in shares.columns]
    frame = pd.DataFrame(shares.to_numpy(dtype=float), index=list(shares.index), columns=columns)
    annot = np.vectorize(lambda v: f"{v:.0%}")(frame.to_numpy())
    longest = max((len(str(r)) for r in frame.index), default=4)
    width = 1.1 * frame.shape[1] + 0.17 * longest + 2.6
    new_ax, created = _get_ax(ax, (max(5.0, width), 0.36 * len(frame) + 2.0))
    _heatmap(frame, new_ax, style=TABLE_STYLE, cmap="Blues", vmin=0, vmax=1, annot=annot)
    new_ax.tick_params(axis="x", labeltop=True, labelbottom=False, top=False, rotation=0)
    new_ax.tick_params(axis="y", rotation=0)
    new_ax.set_xlabel("")
    new_ax.set_ylabel("")
    new_ax.set_title(title, fontsize=10, pad=10)
    if created:
        new_ax.figure.tight_layout()
    return new_ax


def _group_order(groups: Sequence[Any]) -> list[Any]:
    """Groups in chart order: kinds of body by :data:`lawreports.vocab.LEVEL_ORDER`, others by name."""
    return sorted(groups, key=lambda g: (_LEVEL_RANK.get(str(g), len(_LEVEL_RANK)), str(g)))


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


def save_charts(charts: dict[str, Any], folder: str | Path) -> tuple[list[Path], dict[str, str]]:
    """Draw each chart (file name → a function returning it) into ``folder``.

    A chart that cannot be drawn does not stop the others: it is returned with its reason, for
    the page to say so. Returns (files written, file name → reason).
    """
    import matplotlib.pyplot as plt

    written: list[Path] = []
    failed: dict[str, str] = {}
    for name, draw in charts.items():
        try:
            written.append(savefig(draw(), Path(folder) / name))
        except Exception as exc:  # noqa: BLE001 - a chart that fails is reported, the others are drawn
            LOGGER.warning("figure %s not drawn: %s: %s", name, type(exc).__name__, exc)
            failed[name] = f"{type(exc).__name__}: {exc}"
        finally:
            plt.close("all")
    return written, failed
