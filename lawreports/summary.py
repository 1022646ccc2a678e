"""The main job's human-readable output: the standard figures and ``index.html``.

:func:`write_figures` draws the charts of :mod:`lawreports.plot` from a corpus's tables;
:func:`write_index` writes one HTML page that summarises the corpus (reports and their parts,
key rates across levels, shortcoming profiles, checks, template blanks, what failed and why) and
links every file the build wrote. A figure that cannot be drawn is named on the page with the
reason, never skipped in silence.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from .corpus import Corpus

LOGGER = logging.getLogger(__name__)

__all__ = ["write_figures", "write_index", "FIGURES"]

#: file name → caption of the standard figures.
FIGURES = {
    "parts.png": "The five mandated parts: which report has each, and how long it is",
    "rates_by_level.png": "Stated rates across levels of government (each point a jurisdiction)",
    "indicator_coverage.png": "Which report states which rate",
    "shortcomings_profiles.png": "TF-IDF profiles of the shortcomings (存在不足)",
    "shortcomings_themes.png": "Themes of the shortcomings, share of items",
    "shortcomings_similarity.png": "Similarity of the shortcomings profiles",
}
from .derived import FIGURES as DERIVED_FIGURES  # noqa: E402 - issue 15: charts across reports

#: Above this many jurisdictions the figures compare kinds of body (division_type) instead.
MAX_JURISDICTIONS = 15


def _common_rates(indicators: pd.DataFrame, n: int = 6) -> list[str]:
    rates = indicators[indicators["kind"] == "rate"]
    if rates.empty:
        return []
    counts = rates.groupby("indicator")["report_id"].nunique().sort_values(ascending=False, kind="stable")
    shared = counts[counts >= 2]
    chosen = shared if len(shared) else counts
    return [str(i) for i in chosen.index[:n]]


def write_figures(corpus: Corpus, out: str | os.PathLike[str]) -> tuple[list[Path], dict[str, str]]:
    """Draw the standard figures of ``corpus`` as PNG files in ``out``.

    Returns
    -------
    written : list of Path
    failed : dict
        File name → reason, for each figure that could not be drawn.
    """
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import plot, topics

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    corpus = corpus.to_pandas()
    failed: dict[str, str] = {}
    # Beyond a screenful of jurisdictions, per-report charts stop being readable: group them.
    many = corpus.reports["jurisdiction"].nunique() > MAX_JURISDICTIONS
    by = "division_type" if many else "jurisdiction"
    rates = _common_rates(corpus.indicators)
    charts: dict[str, Callable[[], Any]] = {
        "parts.png": (lambda: plot.parts_by_group(corpus.reports, by="division_type")) if many
        else (lambda: plot.parts_heatmap(corpus.reports)),
        "rates_by_level.png": lambda: plot.rates_by_level(corpus.indicators, corpus.reports,
                                                          indicator=rates or None),
        "indicator_coverage.png": (lambda: plot.coverage_by_group(corpus.indicators, corpus.reports,
                                                                  by="division_type", kind="rate")) if many
        else (lambda: plot.indicator_coverage(corpus.indicators, corpus.reports, top=25, kind="rate")),
        "shortcomings_profiles.png": lambda: plot.profile_bars(topics.tfidf_profiles(corpus, by=by, top=8), top=8),
        "shortcomings_themes.png": lambda: plot.theme_heatmap(topics.themes(corpus, by=by).shares),
        "shortcomings_similarity.png": lambda: plot.similarity_heatmap(topics.similarity(corpus, by=by).matrix),
    }
    written = []
    for name, draw in charts.items():
        try:
            chart = draw()
            written.append(plot.savefig(chart, out / name))
        except Exception as exc:  # noqa: BLE001 - a figure that fails is reported on the page
            LOGGER.warning("figure %s not drawn: %s: %s", name, type(exc).__name__, exc)
            failed[name] = f"{type(exc).__name__}: {exc}"
        finally:
            plt.close("all")
    return written, failed


def _table_html(frame: pd.DataFrame, max_rows: int = 200) -> str:
    if frame.empty:
        return "<p><i>none</i></p>"
    more = f"<p><i>{len(frame) - max_rows} more rows in the table files</i></p>" if len(frame) > max_rows else ""
    return frame.head(max_rows).to_html(index=False, na_rep="", escape=True, border=0, classes="t") + more


def write_index(corpus: Corpus, out: str | os.PathLike[str], *, files: list[Path] | None = None,
                figures: list[Path] | None = None, failed_figures: dict[str, str] | None = None,
                derived: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write ``index.html`` summarising ``corpus`` and linking ``files``; returns its path.

    ``failed_figures`` (name → reason, from :func:`write_figures`) are named on the page.
    """
    from . import __version__

    out = Path(out)
    corpus = corpus.to_pandas()
    reports = corpus.reports
    parts = ["achievements", "shortcomings", "responsibility", "plans", "other"]
    overview = reports[["report_id", "jurisdiction", "division_type", "tier", "province", "prefecture",
                        "report_year", "published", "n_chars", "structure_score", "n_shortcomings",
                        "n_indicators", "n_blanks", "warnings"]].copy()
    overview["published"] = overview["published"].dt.strftime("%Y-%m-%d")
    for p in parts:
        overview[p] = reports[f"has_{p}"].map({True: "✓", False: "·"})
    rates = corpus.indicators[corpus.indicators["kind"] == "rate"].merge(
        reports[["report_id", "jurisdiction", "division_type"]], on="report_id", how="left")
    key_rates = rates[["jurisdiction", "division_type", "indicator", "label", "value", "qualifier", "sentence"]]
    checks = corpus.checks.merge(reports[["report_id", "jurisdiction"]], on="report_id", how="left")
    checks = checks[["jurisdiction", "indicator", "stated", "recomputed", "numerator", "denominator",
                     "difference", "consistent", "note"]]
    blanks = corpus.blanks.merge(reports[["report_id", "jurisdiction"]], on="report_id", how="left")
    items = corpus.shortcomings.merge(reports[["report_id", "jurisdiction"]], on="report_id", how="left")
    sections_html = []
    sections_html.append(f"<h2>Reports ({len(reports)})</h2>" + _table_html(overview))
    figure_html = []
    for path in figures or []:
        caption = {**FIGURES, **DERIVED_FIGURES}.get(path.name, path.stem)
        rel = os.path.relpath(path, out)
        figure_html.append(f"<figure><img src='{html.escape(rel)}' alt='{html.escape(caption)}'>"
                           f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    for name, reason in (failed_figures or {}).items():
        figure_html.append(f"<p class='bad'>Figure {html.escape(name)} could not be drawn: {html.escape(reason)}</p>")
    if figure_html:
        sections_html.append("<h2>Figures</h2>" + "".join(figure_html))
    sections_html.append(f"<h2>Stated rates ({len(key_rates)})</h2>" + _table_html(key_rates))
    sections_html.append(f"<h2>Shortcomings ({len(items)} items)</h2>"
                         + _table_html(items[["jurisdiction", "item", "source", "text"]]))
    n_bad = int((checks["consistent"] == False).sum()) if len(checks) else 0  # noqa: E712
    sections_html.append(f"<h2>Checks: stated rates against their own counts ({len(checks)}, "
                         f"{n_bad} do not add up)</h2>" + _table_html(checks))
    sections_html.append(f"<h2>Unfilled template blanks ({len(blanks)})</h2>"
                         + _table_html(blanks[["jurisdiction", "measure_word", "context", "start"]]))
    # -- issue 15: tables across reports (lawreports.derived) --
    if derived:
        sections_html += _derived_html(derived)
    sections_html.append(f"<h2>What failed and why ({len(corpus.errors)})</h2>" + _table_html(corpus.errors))
    links = "".join(f"<li><a href='{html.escape(os.path.relpath(f, out))}'>{html.escape(os.path.relpath(f, out))}</a></li>"
                    for f in files or [] if f.suffix != ".png")
    sections_html.append(f"<h2>Files</h2><ul>{links}</ul>")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>lawreports: {len(reports)} reports</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2em auto; max-width: 1200px; color: #222; }}
table.t {{ border-collapse: collapse; font-size: 0.85em; margin-bottom: 1em; }}
table.t th, table.t td {{ border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }}
figure {{ margin: 1em 0; }} figure img {{ max-width: 100%; border: 1px solid #eee; }}
figcaption {{ color: #555; font-size: 0.9em; }} .bad {{ color: #a00; }}
</style></head><body>
<h1>Rule-of-law reports (法治政府建设年度报告): {len(reports)} reports</h1>
<p>{len(reports)} reports read, {corpus.errors['path'].nunique() if len(corpus.errors) else 0} files with errors,
{len(corpus.sections)} sections, {len(items)} shortcoming items, {len(corpus.indicators)} stated quantities.
Made by lawreports {html.escape(__version__)}.</p>
{''.join(sections_html)}
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _derived_html(derived: dict[str, pd.DataFrame]) -> list[str]:
    """Sections of index.html for the tables across reports (timeliness, panel, reuse)."""
    out = []
    t = derived["timeliness"].copy()
    for col in ("published", "signed", "publish_deadline", "report_deadline"):
        t[col] = t[col].dt.strftime("%Y-%m-%d")
    late = int((t["on_time"] == False).sum())  # noqa: E712
    out.append(f"<h2>Timeliness: published by the deadline ({len(t)} reports, {late} late)</h2>"
               + _table_html(t.drop(columns=["deadline_source"])))
    out.append(f"<h2>Panel: units by division code and report year ({len(derived['panel'])} rows)</h2>"
               + _table_html(derived["panel"]))
    r = derived["reuse"]
    n_pairs = r.groupby(["scope", "report_a", "report_b"]).ngroups if len(r) else 0
    out.append(f"<h2>Text reuse: near-duplicate passages ({n_pairs} pairs, {len(r)} passages)</h2>"
               + _table_html(r))
    out.append("<h2>Reuse measures: shortcomings copied from last year or from the same year</h2>"
               + _table_html(derived["reuse_measures"]))
    return out
