"""The tables across reports that ``lawreports build`` writes beside the corpus tables.

:func:`derived_tables` computes ``timeliness``, ``panel`` (every report measure, and the rates
stated by at least two units), ``reuse`` and ``reuse_measures`` (columns in
:data:`lawreports.schema.DERIVED_TABLES`); :data:`FIGURES` and :func:`derived_figures` are their
charts for ``index.html``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd

LOGGER = logging.getLogger(__name__)

__all__ = ["FIGURES", "StoredTable", "derived_tables", "derived_figures", "panel_indicators"]

#: file name → caption of the charts of the tables across reports.
FIGURES = {
    "publication_dates.png": "Publication dates against the deadline, by level and report year",
    "indicator_over_years.png": "A stated rate over the report years, one line per unit",
}


def panel_indicators(corpus: Any, n: int = 6) -> list[str]:
    """The rates stated by the most units (at least two when any are), at most ``n``."""
    rates = corpus.indicators[corpus.indicators["kind"] == "rate"]
    if rates.empty:
        return []
    counts = rates.groupby("indicator")["report_id"].nunique().sort_values(ascending=False, kind="stable")
    shared = counts[counts >= 2]
    return [str(i) for i in (shared if len(shared) else counts).index[:n]]


#: What a build compares for text reuse: the shortcomings (what reuse_measures reports), each
#: text against its 5 nearest candidates. A corpus of templates (hundreds of near-copies) would
#: otherwise align every copy with every other; lawreports.reuse.reuse takes every scope.
BUILD_REUSE = {"scopes": ("shortcomings", "shortcoming_item"), "max_candidates": 5}


def derived_tables(corpus: Any, *, cache: dict | None = None, jobs: int = 1,
                   reuse_path: str | Path | None = None) -> dict[str, Any]:
    """``timeliness``, ``panel``, ``reuse`` and ``reuse_measures`` of ``corpus`` (reuse: :data:`BUILD_REUSE`).

    ``cache``: kept between calls, so a corpus that changed in a few reports compares only their
    texts again (:func:`lawreports.reuse.reuse`); the tables are the same without it. ``jobs``:
    reuse's scopes compared at once without a cache (the same tables). ``reuse_path``: reuse is
    written there as parquet (:func:`lawreports.reuse.write_reuse`) and given as a
    :class:`StoredTable` of that file, not a frame (2.3 million rows at 100,000 reports).
    """
    from .panel import panel
    from .reuse import reuse, reuse_measures, write_reuse
    from .timeliness import timeliness

    corpus = corpus.to_pandas()
    if reuse_path is None:
        reuse_table: Any = reuse(corpus, **BUILD_REUSE, cache=cache, jobs=jobs)
        located = reuse_table
    else:
        write_reuse(corpus, reuse_path, **BUILD_REUSE, cache=cache, jobs=jobs)
        reuse_table = StoredTable("reuse", reuse_path)
        located = reuse_table.read(list(REUSE_MEASURED))
    return {"timeliness": timeliness(corpus),
            "panel": panel(corpus, indicators=panel_indicators(corpus)),
            "reuse": reuse_table,
            "reuse_measures": reuse_measures(corpus, located)}


#: The columns of reuse that :func:`lawreports.reuse.reuse_measures` reads.
REUSE_MEASURED = ("report_a", "report_b", "a_start", "a_end", "b_start", "b_end")


class StoredTable:
    """A table across reports kept in a parquet file, read a slice or some columns at a time
    rather than held whole (``reuse``: 2.3 million rows at 100,000 reports). Its frames are
    those of ``schema.coerce(name, pd.read_parquet(path))``, in part."""

    def __init__(self, name: str, path: str | Path) -> None:
        self.name, self.path = name, Path(path)

    def __len__(self) -> int:
        import pyarrow.parquet as pq

        return pq.ParquetFile(self.path).metadata.num_rows

    def head(self, n: int) -> pd.DataFrame:
        """The first ``n`` rows."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        from . import schema

        file = pq.ParquetFile(self.path)
        first = next(file.iter_batches(batch_size=max(n, 1)), None)
        table = file.schema_arrow.empty_table() if first is None else pa.Table.from_batches([first]).slice(0, n)
        return schema.coerce(self.name, table.to_pandas())

    def read(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Every row: of every column, or of ``columns`` alone (with their types)."""
        from . import schema

        if columns is None:
            return schema.coerce(self.name, pd.read_parquet(self.path))
        frame = pd.read_parquet(self.path, columns=columns)
        types = schema.coerce(self.name, frame.head(0)).dtypes
        return pd.DataFrame({c: frame[c].astype(types[c]) for c in columns})

    def batches(self, rows: int = 100_000) -> Any:
        """The rows as pyarrow tables of ``rows`` rows (the last of fewer), in order."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        file = pq.ParquetFile(self.path)
        pending = file.schema_arrow.empty_table()
        for batch in file.iter_batches(batch_size=rows):       # a row group's rows at most
            pending = pa.concat_tables([pending, pa.Table.from_batches([batch])])
            while len(pending) >= rows:
                yield pending.slice(0, rows)
                pending = pending.slice(rows)
        if len(pending):
            yield pending


def derived_figures(tables: dict[str, pd.DataFrame], out: Path, *, unchanged: Any = None,
                    digest: Any = None) -> tuple[list[Path], dict[str, str]]:
    """Draw :data:`FIGURES` from the tables of :func:`derived_tables`; returns (written, failed).

    ``unchanged`` and ``digest`` as for :func:`lawreports.website.write_figures`: a figure whose
    table did not change is kept as drawn before.
    """
    rates = [c[: -len("_n_values")] for c in tables["panel"].columns if c.endswith("_n_values")]
    drawn = rates[0] if rates else "n_chars"
    # each figure's key: the columns it draws (a report's new length does not redraw a rate's lines)
    panel = tables["panel"]
    source = {"publication_dates.png": lambda: tables["timeliness"],
              "indicator_over_years.png": lambda: panel[[c for c in ("unit_id", "report_year", "jurisdiction",
                                                                     "division_type", drawn) if c in panel.columns]]}
    out = Path(out)
    kept = []
    if unchanged is not None and digest is not None:
        kept = [name for name, data in source.items() if unchanged(name, f"{name}|{drawn}|{digest(data())}")]
    todo = [name for name in FIGURES if name not in kept]
    if not todo:
        return [out / name for name in kept], {}
    from . import plot, plot_time

    charts = {
        "publication_dates.png": lambda: plot_time.publication_dates(tables["timeliness"]),
        "indicator_over_years.png": lambda: plot_time.indicator_over_years(tables["panel"], indicator=drawn),
    }
    written, failed = plot.save_charts({name: charts[name] for name in todo}, out)
    order = list(FIGURES)
    return sorted([*written, *(out / name for name in kept)], key=lambda p: order.index(p.name)), failed


#: Up to this many reports, a build keeps the reuse comparisons (:func:`load_reuse_cache`) so
#: that a rebuild compares only the changed reports' texts; above it the cache would outweigh
#: the saving in memory, and every build compares again.
REUSE_CACHE_MAX_REPORTS = 20_000


def load_reuse_cache(path: Path) -> dict:
    """The reuse comparisons :func:`save_reuse_cache` kept (an empty cache when none can be read).

    Kept as parquet (data, never code): a file that is not what it should be is ignored.
    """
    import pyarrow.parquet as pq

    bands_path, pairs_path = Path(f"{path}.bands.parquet"), Path(f"{path}.pairs.parquet")
    if not (bands_path.is_file() and pairs_path.is_file()):
        return {}
    try:
        bands = pq.read_table(bands_path).to_pydict()
        pairs = pq.read_table(pairs_path).to_pydict()
        out: dict = {"bands": {d: list(enumerate(b)) for d, b in zip(bands["digest"], bands["bands"])},
                     "pairs": {}}
        keys, empty = pairs.pop("pair"), pairs.pop("empty")
        names = list(pairs)
        found = out["pairs"]
        for key, blank, values in zip(keys, empty, zip(*pairs.values())):
            rows = found.setdefault(key, [])
            if not blank:
                rows.append(dict(zip(names, values)))
        return out
    except (OSError, ValueError, KeyError, TypeError) as exc:
        LOGGER.warning("the reuse cache %s cannot be read (%s): every pair is compared again", path, exc)
        return {}


def save_reuse_cache(cache: dict, path: Path) -> None:
    """Keep ``cache`` (filled by :func:`lawreports.reuse.reuse`) as two parquet files beside ``path``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .export import atomic_write
    from .reuse import COLUMNS

    bands = cache.get("bands", {})
    table = pa.table({"digest": pa.array(list(bands), pa.binary()),
                      "bands": pa.array([[b for _, b in v] for v in bands.values()], pa.list_(pa.binary()))})
    rows: dict[str, list] = {c: [] for c in ("pair", "empty", *COLUMNS)}
    for key, found in cache.get("pairs", {}).items():
        for row in found or [None]:
            rows["pair"].append(key)
            rows["empty"].append(row is None)
            for c in COLUMNS:
                rows[c].append(None if row is None else row.get(c))
    pairs = pa.table({"pair": pa.array(rows.pop("pair"), pa.binary()), **{c: rows[c] for c in rows}})
    for suffix, t in ((".bands.parquet", table), (".pairs.parquet", pairs)):
        atomic_write(Path(f"{path}{suffix}"), lambda tmp, t=t: pq.write_table(t, tmp))
