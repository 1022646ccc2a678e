"""The website of a build: the standard figures and ``index.html``.

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

import numpy as np
import pandas as pd

from .derived import FIGURES as DERIVED_FIGURES
from .derived import panel_indicators
from .vocab import PARTS

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
#: Above this many jurisdictions the figures compare kinds of body (division_type) instead.
MAX_JURISDICTIONS = 15


def write_figures(corpus: Corpus, out: str | os.PathLike[str], *,
                  unchanged: Callable[[str, str], bool] | None = None,
                  digest: Callable[..., str] | None = None) -> tuple[list[Path], dict[str, str]]:
    """Draw the standard figures of ``corpus`` as PNG files in ``out``.

    With ``unchanged`` (file name, key of the figure's data → True to keep the file drawn before)
    and ``digest`` (frames → key), a figure whose data did not change is not drawn again, and
    matplotlib is not imported when none is to be drawn.

    Returns
    -------
    written : list of Path
    failed : dict
        File name → reason, for each figure that could not be drawn.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    corpus = corpus.to_pandas()
    reports, indicators = corpus.reports, corpus.indicators
    # Beyond a screenful of jurisdictions, per-report charts stop being readable: group them.
    many = reports["jurisdiction"].nunique() > MAX_JURISDICTIONS
    by = "division_type" if many else "jurisdiction"
    rates = panel_indicators(corpus)
    who = reports[["report_id", "jurisdiction", "division_type", "tier", "report_year"]]
    parts_cols = ["report_id", "jurisdiction", "division_type", "title", *[c for c in reports.columns
                                                                         if c.startswith(("has_", "chars_"))]]
    rated = indicators[indicators["kind"] == "rate"]

    # each figure's key: the columns it draws (offsets moved by an edit elsewhere redraw nothing)
    def values() -> Any:
        return rated[["report_id", "indicator", "value"]]

    def items() -> Any:
        return corpus.shortcomings[["report_id", "item", "text"]]

    inputs: dict[str, Callable[[], list[Any]]] = {
        "parts.png": lambda: [reports[[c for c in parts_cols if c in reports.columns]]],
        "rates_by_level.png": lambda: [who, values(), pd.DataFrame({"rate": rates})],
        "indicator_coverage.png": lambda: [who, rated[["report_id", "indicator"]]],
        "shortcomings_profiles.png": lambda: [who, items(), corpus.tokens],
        "shortcomings_themes.png": lambda: [who, items()],
        "shortcomings_similarity.png": lambda: [who, items(), corpus.tokens],
    }
    kept = []
    if unchanged is not None and digest is not None:
        kept = [name for name in FIGURES if unchanged(name, f"{name}|{by}|{digest(*inputs[name]())}")]
    todo = [name for name in FIGURES if name not in kept]
    if not todo:
        return [out / name for name in kept], {}
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        matplotlib.use("Agg")

    from . import plot, topics

    charts: dict[str, Callable[[], Any]] = {
        "parts.png": (lambda: plot.parts_by_group(reports, by="division_type")) if many
        else (lambda: plot.parts_heatmap(reports)),
        "rates_by_level.png": lambda: plot.rates_by_level_grid(indicators, reports, indicator=rates or None),
        "indicator_coverage.png": (lambda: plot.coverage_by_group(indicators, reports,
                                                                  by="division_type", kind="rate")) if many
        else (lambda: plot.indicator_coverage(indicators, reports, top=25, kind="rate")),
        "shortcomings_profiles.png": lambda: plot.profile_bars_grid(topics.tfidf_profiles(corpus, by=by, top=8), top=8),
        "shortcomings_themes.png": lambda: plot.theme_heatmap(topics.theme_shares(corpus, by=by)),
        "shortcomings_similarity.png": lambda: plot.similarity_heatmap(topics.similarity(corpus, by=by).matrix),
    }
    written, failed = plot.save_charts({name: charts[name] for name in todo}, out)
    order = list(FIGURES)
    return sorted([*written, *(out / name for name in kept)], key=lambda p: order.index(p.name)), failed


#: The font family the page embeds (a subset of Noto Sans CJK SC, from the mplfonts package).
FONT_FAMILY = "lawreports Noto Sans SC"
#: Rows of each table shown on the page (the table files hold them all).
MAX_ROWS = 200


def embedded_font_css(text: str) -> str:
    """An ``@font-face`` rule embedding Noto Sans CJK SC cut down to the characters of ``text``.

    The font is the file the charts use (:func:`lawreports.plot._base._mplfonts_font_file`),
    subset with fontTools to the characters of ``text`` and written as WOFF2 (with ``brotli``)
    or OTF, base64 in a ``data:`` URL, so the page shows Chinese on a machine with no CJK font
    and stays one file. Returns ``""`` (and logs why) when fontTools or the font is missing.
    """
    import base64
    import io

    try:
        from fontTools import subset
    except ImportError:
        LOGGER.warning("fontTools is not installed: index.html relies on the reader's CJK fonts")
        return ""
    from .plot._base import _mplfonts_font_file

    source = _mplfonts_font_file()
    if source is None:
        LOGGER.warning("mplfonts' Noto Sans CJK SC not found: index.html relies on the reader's CJK fonts")
        return ""
    options = subset.Options()
    try:
        import brotli  # noqa: F401

        options.flavor, mime, fmt = "woff2", "font/woff2", "woff2"
    except ImportError:
        options.flavor, mime, fmt = None, "font/otf", "opentype"
    options.layout_features = ["*"]
    options.notdef_outline = True
    chars = "".join(sorted({ch for ch in text if ch.isprintable() and not ch.isspace()} | set("0123456789.%-")))
    # the subset is kept by what it depends on (font file, characters, format): a rebuild whose
    # page uses the same characters does not cut the 16 MB font again
    import hashlib

    from .resource_files import private_cache_dir

    st = Path(source).stat()
    key = hashlib.sha256(f"{source}|{st.st_size}|{st.st_mtime_ns}|{fmt}|{chars}".encode()).hexdigest()[:32]
    cached = Path(private_cache_dir("fonts")) / f"{key}.{fmt}"
    if cached.is_file():
        payload = cached.read_bytes()
    else:
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
        payload = buffer.getvalue()
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(payload)
        os.replace(tmp, cached)
    data = base64.b64encode(payload).decode("ascii")
    LOGGER.debug("embedded font: %d characters, %d bytes (%s)", len(chars), len(payload), fmt)
    return (f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; font-weight: 400; '
            f'font-display: block; src: url(data:{mime};base64,{data}) format("{fmt}"); }}')


def _cell(value: Any) -> str:
    """One value as page text: missing → blank, whole floats without ".0", dates as YYYY-MM-DD."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "·"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() and abs(value) >= 1e4 else f"{value:.6g}" if value.is_integer() \
            else f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 1e4 else str(value)
    return str(value)


def _table_html(frame: pd.DataFrame, max_rows: int = MAX_ROWS, *, links: dict[str, str] | None = None,
                link_column: str | None = None, link_text: str | None = None, total: int | None = None) -> str:
    """An HTML table in a scrolling box: every value escaped, numbers right-aligned, dates on one line.

    ``links`` maps a value of ``link_column`` to an anchor on the page; the link shows
    ``link_text`` (default: the value). ``total``: the rows of the table ``frame`` begins
    (default: its own).
    """
    total = len(frame) if total is None else total
    if frame.empty:
        return "<p><i>none</i></p>"
    shown = frame.head(max_rows)
    classes = {}
    for col in shown.columns:
        dtype = shown[col].dtype
        if pd.api.types.is_bool_dtype(dtype):
            classes[col] = "c"
        elif pd.api.types.is_numeric_dtype(dtype):
            classes[col] = "n"
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            classes[col] = "d"
        elif col in ("text", "sentence", "context", "note", "message", "title"):
            classes[col] = "w"
        else:
            classes[col] = ""
    head = "".join(f"<th class='{classes[c]}'>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = []
    for record in shown.itertuples(index=False, name=None):
        cells = []
        for col, value in zip(shown.columns, record):
            text = html.escape(_cell(value))
            if links is not None and col == link_column and str(value) in links:
                text = f"<a href='#{html.escape(links[str(value)])}'>{html.escape(link_text) if link_text else text}</a>"
            cells.append(f"<td class='{classes[col]}'>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = (f"<p class='more'>{total - max_rows:,} more rows in the table files</p>"
            if total > max_rows else "")
    return (f"<div class='box'><table class='t'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>" + more)


def _joined(frame: pd.DataFrame, reports: pd.DataFrame, columns: list[str],
            rows: Any = None) -> tuple[pd.DataFrame, int]:
    """``frame`` (its ``rows``, a boolean mask, or every row) left-joined to the ``columns`` of
    its reports, and the number of rows of the join.

    With one row per report (as a corpus has), the join keeps each row once and its first rows
    are the join of the first :data:`MAX_ROWS`: only they are joined (the page shows no more).
    """
    at = np.arange(len(frame)) if rows is None else np.flatnonzero(rows)
    right = reports[["report_id", *columns]]
    if right["report_id"].is_unique:
        return frame.iloc[at[:MAX_ROWS]].merge(right, on="report_id", how="left"), len(at)
    joined = frame.iloc[at].merge(right, on="report_id", how="left")
    return joined, len(joined)


def reuse_summary(reuse: Any) -> tuple[pd.DataFrame, dict[str, int]]:
    """What the summary page shows of ``reuse``: its first rows, and the counts of its passages and
    pairs for :func:`write_index`'s ``counts``, so that a caller can let the other rows go.

    ``reuse``: the frame, or the table kept in its file (:class:`lawreports.derived.StoredTable`),
    of which the keys of the pairs alone are read.
    """
    keys = ["scope", "report_a", "report_b"]
    if not isinstance(reuse, pd.DataFrame):
        n = len(reuse)
        pairs = _n_groups(reuse.read(keys), keys) if n else 0
        return reuse.head(MAX_ROWS), {"reuse": n, "reuse_pairs": pairs}
    pairs = _n_groups(reuse, keys) if len(reuse) else 0
    return reuse.head(MAX_ROWS).copy(), {"reuse": len(reuse), "reuse_pairs": pairs}


def _n_groups(frame: pd.DataFrame, keys: list[str]) -> int:
    """``frame.groupby(keys).ngroups``; for a frame sorted by ``keys`` with every key present (as
    reuse is, millions of rows), the runs of equal keys counted by comparing each row with the
    next in Arrow, without a frame of groups."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def column(key: str) -> pa.ChunkedArray:
        values = pa.array(frame[key], from_pandas=True)       # the frame's own Arrow data, not a copy
        return values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])

    columns = [column(k) for k in keys]
    if len(frame) < 2 or any(c.null_count for c in columns):
        return frame.groupby(keys).ngroups
    ordered = None                                  # row i + 1 comes after row i, or is equal
    changed = None                                  # row i + 1 has another key than row i
    for c in reversed(columns):
        head, tail = c[:-1], c[1:]
        less, equal = pc.less(head, tail), pc.equal(head, tail)
        ordered = pc.or_(less, equal) if ordered is None else pc.or_(less, pc.and_(equal, ordered))
        changed = pc.invert(equal) if changed is None else pc.or_(pc.invert(equal), changed)
    if not pc.all(ordered).as_py():
        return frame.groupby(keys).ngroups
    return 1 + pc.sum(changed).as_py()


def _outlines_html(corpus: Corpus, anchors: dict[str, str]) -> str:
    """Each report's section tree (from the sections table), one block per report with an anchor."""
    # the stored sections (offsets, no text: the outline needs none), grouped once
    by_report = dict(tuple(corpus.to_pandas()._tables["sections"].groupby("report_id", sort=False)))
    empty = corpus.to_pandas()._tables["sections"].head(0)
    reports = corpus.reports[["report_id", "jurisdiction", "title"]].set_index("report_id")
    blocks = []
    for rid, anchor in anchors.items():
        rows = by_report.get(rid, empty)
        name = reports.at[rid, "jurisdiction"] if rid in reports.index else None
        title = reports.at[rid, "title"] if rid in reports.index else None
        lines = []
        for sec in rows.itertuples():
            if sec.kind == "root":
                continue
            depth = int(sec.depth) if pd.notna(sec.depth) else 1
            label = f"{_cell(sec.marker)} {_cell(sec.heading)}".strip()
            role = f" <span class='role'>{html.escape(_cell(sec.role))}</span>" if pd.notna(sec.role) else ""
            lines.append(f"<li style='margin-left:{(depth - 1) * 1.2:.1f}em'>{html.escape(label)}{role}</li>")
        body = f"<ul class='outline'>{''.join(lines)}</ul>" if lines else "<p><i>no sections found</i></p>"
        blocks.append(f"<section id='{html.escape(anchor)}' class='report'><h3>{html.escape(_cell(name) or rid)}: "
                      f"{html.escape(_cell(title))}</h3><p class='rid'>{html.escape(rid)} · "
                      f"<a href='#reports'>back to the reports</a></p>{body}</section>")
    return "".join(blocks)


_STYLE = """
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: FAMILY, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 0 auto; padding: 1em; max-width: 1200px; color: #222; line-height: 1.45; overflow-wrap: anywhere; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; } h3 { font-size: 1em; }
.box { max-width: 100%; max-height: 32em; overflow: auto; border: 1px solid #e5e5e5; margin-bottom: 0.5em; }
table.t { border-collapse: collapse; font-size: 0.85em; }
table.t th { position: sticky; top: 0; background: #f6f6f6; white-space: nowrap; }
table.t th, table.t td { border-bottom: 1px solid #e5e5e5; padding: 3px 8px; text-align: left; vertical-align: top; }
table.t td { overflow-wrap: normal; }
table.t .n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.t .d { white-space: nowrap; } table.t .c { text-align: center; }
table.t td.w { min-width: 16em; max-width: 40em; overflow-wrap: anywhere; }
figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; } .bad { color: #a00; } .more, .rid { color: #666; font-size: 0.85em; }
ul.outline { list-style: none; padding-left: 0; font-size: 0.9em; } .role { color: #777; font-size: 0.85em; }
section.report { border-top: 1px solid #eee; margin-top: 1em; }
ul.files { columns: 16em; font-size: 0.9em; } a { color: #1a5fb4; }
"""


def write_index(corpus: Corpus, out: str | os.PathLike[str], *, files: list[Path] | None = None,
                figures: list[Path] | None = None, failed_figures: dict[str, str] | None = None,
                embed_font: bool = True, derived: dict[str, pd.DataFrame] | None = None,
                counts: dict[str, int] | None = None) -> Path:
    """Write ``index.html`` summarising ``corpus`` and linking ``files``; returns its path.

    The page is one file: its Chinese text is drawn with a subset of Noto Sans CJK SC embedded in
    it (:func:`embedded_font_css`; ``embed_font=False`` leaves it to the reader's fonts), every
    value is escaped, tables scroll inside their box, and each report row links to the report's
    outline further down. ``failed_figures`` (name → reason, from :func:`write_figures`) are
    named on the page. ``counts`` (table → rows) gives the totals of tables ``corpus`` holds only
    in part (a build passes the rates of ``indicators`` and the sections of the reports shown),
    and of reuse where ``derived["reuse"]`` is its first rows (``reuse``, and ``reuse_pairs``).
    """
    from . import __version__

    out = Path(out)
    corpus = corpus.to_pandas()
    reports = corpus.reports
    parts = list(PARTS)
    shown = reports.head(MAX_ROWS)
    anchors = {rid: f"outline-{i}" for i, rid in enumerate(shown["report_id"])}
    overview = shown[["report_id", "jurisdiction", "division_type", "tier", "province", "prefecture",
                      "report_year", "published", "n_chars", "structure_score", "n_shortcomings",
                      "n_indicators", "n_blanks", "warnings"]].copy()
    overview.insert(1, "outline", overview["report_id"])
    for p in parts:
        overview[p] = shown[f"has_{p}"]
    indicators = corpus.indicators
    is_rate = (indicators["kind"] == "rate").to_numpy(dtype=bool, na_value=False)
    # the page shows the first rows of each table: only they are joined to the reports' names
    key_rates, n_rates = _joined(indicators, reports, ["jurisdiction", "division_type"], rows=is_rate)
    key_rates = key_rates[["jurisdiction", "division_type", "indicator", "label", "value", "qualifier", "sentence"]]
    checks, n_checks = _joined(corpus.checks, reports, ["jurisdiction"])
    consistent = (corpus.checks if n_checks == len(corpus.checks) else checks)["consistent"]
    n_bad = int((consistent == False).sum()) if n_checks else 0  # noqa: E712
    checks = checks[["jurisdiction", "indicator", "stated", "recomputed", "numerator", "denominator",
                     "difference", "consistent", "note"]]
    blanks, n_blanks = _joined(corpus.blanks, reports, ["jurisdiction"])
    items, n_items = _joined(corpus.shortcomings, reports, ["jurisdiction"])
    n_item_reports = corpus.shortcomings["report_id"].nunique() if n_items else 0
    n_failed = corpus.errors["path"].nunique() if len(corpus.errors) else 0
    sections_html = []
    sections_html.append(f"<h2 id='reports'>Reports ({len(reports):,})</h2>"
                         + _table_html(overview, links=anchors, link_column="outline", link_text="outline"))
    figure_html = []
    for path in figures or []:
        caption = {**FIGURES, **DERIVED_FIGURES}.get(path.name, path.stem)
        rel = Path(os.path.relpath(path, out)).as_posix()
        figure_html.append(f"<figure><img src='{html.escape(rel)}' alt='{html.escape(caption)}'>"
                           f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    for name, reason in (failed_figures or {}).items():
        figure_html.append(f"<p class='bad'>Figure {html.escape(name)} could not be drawn: {html.escape(reason)}</p>")
    if figure_html:
        sections_html.append(f"<h2>Figures (n = {len(reports):,} reports)</h2>" + "".join(figure_html))
    n_rate_reports = indicators.loc[is_rate, "report_id"].nunique() if n_rates else 0
    sections_html.append(f"<h2>Stated rates ({n_rates:,} in {n_rate_reports:,} reports)</h2>"
                         + _table_html(key_rates, total=n_rates))
    sections_html.append(f"<h2>Shortcomings ({n_items:,} items in {n_item_reports:,} reports)</h2>"
                         + _table_html(items[["jurisdiction", "item", "source", "text"]], total=n_items))
    sections_html.append(f"<h2>Checks: stated rates against their own counts ({n_checks:,}, "
                         f"{n_bad:,} do not add up)</h2>" + _table_html(checks, total=n_checks))
    sections_html.append(f"<h2>Unfilled template blanks ({n_blanks:,})</h2>"
                         + _table_html(blanks[["jurisdiction", "measure_word", "context", "start"]], total=n_blanks))
    if derived:
        sections_html += _derived_html(derived, counts or {})
    sections_html.append(f"<h2>What failed and why ({len(corpus.errors):,})</h2>" + _table_html(corpus.errors))
    if len(corpus.skipped):
        sections_html.append(f"<h2>Files skipped ({len(corpus.skipped):,})</h2>" + _table_html(corpus.skipped))
    links = "".join(f"<li><a href='{html.escape(Path(os.path.relpath(f, out)).as_posix())}'>"
                    f"{html.escape(Path(os.path.relpath(f, out)).as_posix())}</a></li>"
                    for f in files or [] if f.suffix != ".png")
    sections_html.append(f"<h2>Files</h2><ul class='files'>{links}</ul>")
    sections_html.append(f"<h2>Outlines ({len(anchors):,} reports)</h2>" + _outlines_html(corpus, anchors))
    counts = counts or {}
    n_sections = counts.get("sections", len(corpus.to_pandas()._tables["sections"]))
    n_indicators = counts.get("indicators", len(corpus.indicators))
    body = f"""<h1>Rule-of-law reports (法治政府建设年度报告): {len(reports):,} reports</h1>
<p>{len(reports):,} reports read, {n_failed:,} files with errors,
{n_sections:,} sections, {n_items:,} shortcoming items, {n_indicators:,} stated quantities.
Made by lawreports {html.escape(__version__)}.</p>
{''.join(sections_html)}
"""
    title = f"lawreports: {len(reports):,} reports"
    font = embedded_font_css(title + body) if embed_font else ""
    family = f'"{FONT_FAMILY}"' if font else '"Noto Sans CJK SC"'
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
{font}
{_STYLE.replace("FAMILY", family)}
</style></head><body>
{body}</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _derived_html(derived: dict[str, pd.DataFrame], counts: dict[str, int]) -> list[str]:
    """Sections of index.html for the tables across reports (timeliness, panel, reuse); ``counts``
    may give reuse's passages (``reuse``) and pairs (``reuse_pairs``) where ``derived["reuse"]``
    is only its first rows."""
    out = []
    t = derived["timeliness"]
    late = int((t["on_time"] == False).sum())  # noqa: E712
    out.append(f"<h2>Timeliness: published by the deadline ({len(t):,} reports, {late:,} late)</h2>"
               + _table_html(t.drop(columns=["deadline_source"])))
    out.append(f"<h2>Panel: units by division code and report year ({len(derived['panel']):,} rows)</h2>"
               + _table_html(derived["panel"]))
    r = derived["reuse"]
    n_passages = counts.get("reuse", len(r))
    n_pairs = counts["reuse_pairs"] if "reuse_pairs" in counts else (
        _n_groups(r, ["scope", "report_a", "report_b"]) if len(r) else 0)
    out.append(f"<h2>Text reuse: near-duplicate passages ({n_pairs:,} pairs, {n_passages:,} passages)</h2>"
               + _table_html(r, total=n_passages))
    out.append("<h2>Reuse measures: shortcomings copied from last year or from the same year</h2>"
               + _table_html(derived["reuse_measures"]))
    return out
