"""Many reports: map the per-report stages over files and gather the tidy tables.

:func:`load_corpus` reads every file it is given with :func:`lawreports.read_report`, keeps every
report that can be read, and puts every file that cannot be read in ``corpus.errors`` with the
stage and the reason: a corpus that loads 9 of 10 files says which one failed and why. A stage
that fails for one report (the section tree, the indicators) also becomes a row of ``errors``;
the report keeps its other rows.

The corpus stands on its own tables: ``texts`` holds each clean text, sections are stored by
offsets (their text is sliced from ``texts`` on demand), and :attr:`Corpus.documents` rebuilds
each :class:`~lawreports.reader.Report` from the tables without the source files.
:meth:`Corpus.save` and :meth:`Corpus.load` write and read them as parquet.

Parsing is a pure function of a file's bytes and of the package (code and bundled data), so
results are cached by both (``cache_dir``) and computed in parallel (``jobs``); the tables are
the same either way.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema
from .errors import ReportError
from .executors import Budget, Task, run
from .indicators import Blank, Check, Indicator
from .records import Evidence, Metadata
from .reader import DEFAULT_MAX_BYTES, Report
from .rows import TABLE_NAMES
from .sources import bundled_dir, discover, read_urls, url_for
from .structure import PartSpan, Section, Shortcoming
from .vocab import REPORT_SUFFIXES

LOGGER = logging.getLogger(__name__)

__all__ = ["Corpus", "load_corpus", "bundled_dir", "read_urls", "TABLE_NAMES", "REPORT_SUFFIXES"]

_MANIFEST = "lawreports.json"
#: Whether pandas copies a frame's columns only when they are changed (always from pandas 3).
_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3 or pd.options.mode.copy_on_write is True


# -- the corpus -----------------------------------------------------------------------------------


def _value(v: Any) -> Any:
    """A table cell as a plain Python value (missing → None, timestamps → dates)."""
    if v is None or (not isinstance(v, str | bytes) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if hasattr(v, "item"):
        return v.item()
    return v


def _records(frame: pd.DataFrame, cls: type) -> list[Any]:
    """The rows of a table as records of ``cls`` (its fields the table has)."""
    present = [f.name for f in dataclasses.fields(cls) if f.name in frame.columns]
    return [cls(**{n: _value(v) for n, v in zip(present, row)})
            for row in frame[present].itertuples(index=False, name=None)]


class _Documents(Mapping[str, Report]):
    """report_id → :class:`Report`, rebuilt from the corpus's own tables on first access."""

    def __init__(self, corpus: Corpus) -> None:
        self._corpus = corpus
        self._cache: dict[str, Report] = {}

    def __getitem__(self, key: str) -> Report:
        if key not in self._cache:
            self._cache[key] = self._corpus._rebuild(key)
        return self._cache[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._corpus._tables["reports"]["report_id"].tolist())

    def __len__(self) -> int:
        return len(self._corpus._tables["reports"])


class Corpus:
    """Reports and their tidy tables.

    Attributes
    ----------
    reports, texts, sections, parts, shortcomings, indicators, checks, blanks, evidence, errors : DataFrame
        pandas, or polars with ``backend="polars"``; columns in :mod:`lawreports.schema`.
    documents : Mapping[str, Report]
        Each report as a :class:`Report`, rebuilt from the tables (no file is read again).
    skipped : DataFrame
        Files a folder held that are not report pages (path, reason).
    n_cached : int
        Files whose results came from the cache.
    """

    def __init__(self, tables: dict[str, pd.DataFrame], *, backend: str = "pandas", n_cached: int = 0,
                 skipped: list[dict[str, str]] | None = None) -> None:
        if backend not in ("pandas", "polars"):
            raise ValueError(f"The value for `backend` must be one of ['pandas', 'polars'], not {backend!r}")
        # under copy-on-write (pandas 3) a shallow copy leaves the caller's tables as they are: their
        # columns are shared, not copied, until one is changed
        self._tables = {name: schema.coerce(name, tables[name].copy(deep=not _COPY_ON_WRITE), stored=True)
                        if name in tables
                        else schema.empty_frame(name, stored=True) for name in TABLE_NAMES}
        self.backend = backend
        self.documents: Mapping[str, Report] = _Documents(self)
        self.n_cached = n_cached
        self.skipped = pd.DataFrame(skipped or [], columns=["path", "reason"])
        self._index: dict[str, dict[str, pd.DataFrame]] | None = None

    # -- tables ----------------------------------------------------------------------------------
    def _pandas(self, name: str) -> pd.DataFrame:
        frame = self._tables[name]
        if name == "sections":
            frame = self._with_section_text(frame)
        return frame

    def _with_section_text(self, frame: pd.DataFrame) -> pd.DataFrame:
        texts = dict(zip(self._tables["texts"]["report_id"], self._tables["texts"]["text"]))
        text = [texts[r][int(s):int(e)] if r in texts else None
                for r, s, e in zip(frame["report_id"], frame["start"], frame["end"])]
        out = frame.copy()
        out.insert(schema.columns("sections").index("text"), "text", pd.array(text, dtype="string"))
        return out

    def _get(self, name: str) -> Any:
        frame = self._pandas(name)
        if self.backend == "polars":
            import polars as pl

            return pl.from_pandas(frame)
        return frame

    reports = property(lambda self: self._get("reports"), doc="One row per report.")
    texts = property(lambda self: self._get("texts"), doc="One row per report: its clean text.")
    sections = property(lambda self: self._get("sections"), doc="One row per section (text sliced from texts).")
    parts = property(lambda self: self._get("parts"), doc="One row per run of text of a part.")
    shortcomings = property(lambda self: self._get("shortcomings"), doc="One row per shortcoming item.")
    indicators = property(lambda self: self._get("indicators"), doc="One row per stated quantity.")
    checks = property(lambda self: self._get("checks"), doc="Stated rates recomputed from their counts.")
    blanks = property(lambda self: self._get("blanks"), doc="Unfilled template blanks.")
    evidence = property(lambda self: self._get("evidence"), doc="Where each value of reports came from.")
    tokens = property(lambda self: self._get("tokens"), doc="Each document's segments (topics.documents), from the parse.")
    errors = property(lambda self: self._get("errors"), doc="One row per file (or stage) that failed.")

    def table(self, name: str) -> Any:
        """A table by name (``reports``, ``sections``, …)."""
        if name not in TABLE_NAMES:
            raise ValueError(f"The value for `name` must be one of {list(TABLE_NAMES)}, not {name!r}")
        return self._get(name)

    def text_of(self, report_id: str) -> str:
        """The clean text of one report (what every offset indexes)."""
        texts = self._tables["texts"]
        hit = texts.loc[texts["report_id"] == report_id, "text"]
        if hit.empty:
            raise KeyError(f"no report {report_id!r} in this corpus")
        return str(hit.iloc[0])

    def panel(self, indicators: Any = (), measures: Any = None, **options: Any) -> pd.DataFrame:
        """One row per reporting unit × report year (:func:`lawreports.panel.panel` of this corpus)."""
        from .panel import DEFAULT_MEASURES, panel

        return panel(self, indicators, DEFAULT_MEASURES if measures is None else measures, **options)

    def part_text(self, part: str) -> pd.DataFrame:
        """The runs of text of one part of every report: the ``parts`` rows with their text."""
        parts = self._tables["parts"]
        rows = parts[parts["part"] == part]
        texts = dict(zip(self._tables["texts"]["report_id"], self._tables["texts"]["text"]))
        out = rows.copy()
        out["text"] = pd.array([texts[r][int(s):int(e)] for r, s, e in
                                zip(rows["report_id"], rows["start"], rows["end"])], dtype="string")
        return out.reset_index(drop=True)

    def to_pandas(self) -> Corpus:
        """The same corpus with pandas tables."""
        return self._with_backend("pandas")

    def to_polars(self) -> Corpus:
        """The same corpus with polars tables."""
        return self._with_backend("polars")

    def _with_backend(self, backend: str) -> Corpus:
        other = Corpus.__new__(Corpus)
        other.__dict__.update(self.__dict__)
        other.backend = backend
        return other

    # -- documents ----------------------------------------------------------------------------------
    def _by_report(self) -> dict[str, dict[str, pd.DataFrame]]:
        if self._index is None:
            self._index = {name: {str(k): g for k, g in frame.groupby("report_id", sort=False)}
                           for name, frame in self._tables.items() if name not in ("errors",)}
        return self._index

    def _rebuild(self, report_id: str) -> Report:
        index = self._by_report()
        if report_id not in index["reports"]:
            raise KeyError(f"no report {report_id!r} in this corpus")

        def rows(name: str) -> pd.DataFrame:
            return index[name].get(report_id, schema.empty_frame(name, stored=True))

        rec = {k: _value(v) for k, v in rows("reports").iloc[0].items()}
        text = str(rows("texts")["text"].iloc[0])
        meta = Metadata(**{f: rec.get(f) for f in Metadata.FIELDS})
        ev_rows = rows("evidence").to_dict("records")
        meta.evidence = {r["field"]: Evidence(r["rule"], r["text"]) for r in ev_rows
                         if r["field"] != "place_candidate"}
        meta.place_candidates = [(r["value"], int(str(r["rule"]).removeprefix("support ")), r["text"])
                                 for r in ev_rows if r["field"] == "place_candidate"]
        secs = rows("sections")
        sections = [Section(**{k: _value(v) for k, v in r.items()}, text=text[int(r["start"]):int(r["end"])])
                    for r in secs.drop(columns=["report_id"]).to_dict("records")]
        parts = {k: rec.get(k) for k in schema.PART_COLUMNS}
        return Report(
            report_id=report_id, path=rec.get("path"), sha256=rec.get("sha256") or "",
            encoding=rec.get("encoding") or "", format=rec.get("format") or "", text=text,
            title=rec.get("title"), meta=meta, url=rec.get("url"),
            warnings=[w for w in (rec.get("warnings") or "").split(";") if w],
            sections=sections,
            part_spans=_records(rows("parts"), PartSpan),
            parts=parts,
            shortcomings=_records(rows("shortcomings"), Shortcoming),
            indicators=_records(rows("indicators"), Indicator),
            checks=_records(rows("checks"), Check),
            blanks=_records(rows("blanks"), Blank),
        )

    # -- saving -------------------------------------------------------------------------------------
    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Save every table as parquet, so that :meth:`Corpus.load` gives them back unchanged."""
        from . import __version__

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name in TABLE_NAMES:
            self._tables[name].to_parquet(directory / f"{name}.parquet", index=False)
        manifest = {"lawreports": __version__, "tables": list(TABLE_NAMES)}
        (directory / _MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
        return directory

    @classmethod
    def load(cls, directory: str | os.PathLike[str], backend: str = "pandas") -> Corpus:
        """A corpus saved with :meth:`Corpus.save`; its documents are rebuilt from the tables."""
        directory = Path(directory)
        if not (directory / _MANIFEST).is_file():
            raise FileNotFoundError(f"{directory} holds no saved corpus ({_MANIFEST} is missing); "
                                    "save one with Corpus.save(directory)")
        manifest = json.loads((directory / _MANIFEST).read_text(encoding="utf-8"))
        tables = {name: pd.read_parquet(directory / f"{name}.parquet") for name in manifest["tables"]
                  if (directory / f"{name}.parquet").is_file()}
        return cls(tables, backend=backend)

    def __len__(self) -> int:
        return len(self._tables["reports"])

    def __repr__(self) -> str:
        t = self._tables
        return (f"<Corpus: {len(t['reports'])} reports, {len(t['errors'])} errors, "
                f"{len(t['sections'])} sections, {len(t['shortcomings'])} shortcomings, "
                f"{len(t['indicators'])} indicators>")

    def _repr_html_(self) -> str:
        cols = ["report_id", "jurisdiction", "division_type", "province", "report_year", "published", "n_chars"]
        return f"<p>{self!r}</p>" + self._tables["reports"][cols].to_html(index=False)


def _assemble(results: Iterable[dict[str, Any]], errors: list[dict[str, str]], *,
              strict: bool) -> dict[str, pd.DataFrame]:
    """The tables of an in-memory corpus from each file's rows (in the sources' order)."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    rows["errors"] += errors
    if strict and errors:
        raise _as_exception(errors[0])
    for result in results:
        if strict and result["rows"]["errors"]:
            raise _as_exception(result["rows"]["errors"][0])
        for name in TABLE_NAMES:
            rows[name] += result["rows"][name]
    first_by_text: dict[str, str] = {}
    for rec in rows["reports"]:
        warnings = [w for w in (rec.get("warnings") or "").split(";") if w]
        other = first_by_text.setdefault(rec["text_sha256"], rec["report_id"])
        rec["duplicate_of"] = None
        if other != rec["report_id"]:
            rec["duplicate_of"] = other
            warnings.append("duplicate")
        rec["warnings"] = ";".join(dict.fromkeys(warnings))
    return {name: pd.DataFrame(r) if r else schema.empty_frame(name, stored=True) for name, r in rows.items()}


def _as_exception(row: dict[str, str]) -> ReportError:
    from . import errors as err

    kinds = {cls.error: cls for cls in (err.FileNotFound, err.DecodeError, err.EmptyReportError,
                                        err.FileTooLargeError, err.UnsupportedFormatError, err.ParseError)}
    cls = kinds.get(row["error"], ReportError)
    return cls(row["path"], row["stage"], row["message"])


def load_corpus(source: Any = None, backend: str = "pandas", *, strict: bool = False, jobs: int = 1,
                cache_dir: str | os.PathLike[str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                progress: bool | None = None, urls: Any = None, isolate: bool | None = None,
                budget: Budget | None = None, allow_outside: bool = False) -> Corpus:
    """Load a corpus of report pages.

    Parameters
    ----------
    source : None, path, glob pattern or list of them
        ``None`` loads the bundled corpus (``data/raw``: five real reports). A folder is read
        for its report pages (:data:`REPORT_SUFFIXES`); the other files are listed in
        ``corpus.skipped``. Every path is accounted for (:mod:`lawreports.sources`).
    backend : {"pandas", "polars"}
        The type of the tables.
    strict : bool
        Raise the first file's :class:`~lawreports.errors.ReportError` instead of listing it in
        ``errors``.
    jobs : int
        Processes parsing in parallel (the tables are the same for any value).
    cache_dir : path, optional
        A dataset folder (:mod:`lawreports.dataset`) that keeps every table as parquet: a file
        unchanged since the last load is neither read nor parsed again.
    max_bytes : int
        Files above this size are refused (``too_large`` in ``errors``).
    progress : bool, optional
        Show a progress bar; by default only for 200 files or more.
    urls : mapping or path, optional
        Each page's web address, by file name or path (a dict, or a CSV with columns ``file``
        and ``url``): the host is weighed as evidence of who reported, and kept in
        ``reports.url``.
    isolate : bool, optional
        Parse each file in a worker process under ``budget`` (a file over its time or memory
        becomes an ``errors`` row); by default when ``jobs > 1``.
    budget : Budget, optional
        Seconds and MiB one file may take (:class:`lawreports.executors.Budget`).
    allow_outside : bool
        Follow links that lead out of the folder they are found in.

    Returns
    -------
    Corpus

    Examples
    --------
    >>> corpus = load_corpus()
    >>> len(corpus)
    5
    """
    if backend not in ("pandas", "polars"):
        raise ValueError(f"The value for `backend` must be one of ['pandas', 'polars'], not {backend!r}")
    if jobs < 1:
        raise ValueError(f"The value for `jobs` must be a positive integer, not {jobs!r}")
    found = discover(source, exclude=[cache_dir] if cache_dir else None, allow_outside=allow_outside)
    for s in found.skipped:
        LOGGER.info("skipped %s: %s", s["path"], s["reason"])
    executor = "process" if (isolate if isolate is not None else jobs > 1) else "inline"
    url_of = read_urls(urls)
    show = progress if progress is not None else len(found.files) >= 200
    bar = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(found.files), unit="file", desc="parsing", leave=False)
    tick = bar.update if bar is not None else None
    try:
        if cache_dir is not None:
            from .dataset import Dataset

            data = Dataset(cache_dir)
            done = data.update(found, executor=executor, jobs=jobs, budget=budget, max_bytes=max_bytes,
                               urls=url_of, progress=tick)
            tables = data.to_tables()
            if strict and len(tables["errors"]):
                raise _as_exception(tables["errors"].iloc[0].to_dict())
            n_cached = done.unchanged
        else:
            tasks = [Task(f.path, f.report_id, f.shown, url_for(url_of, f.path), max_bytes) for f in found.files]

            def results() -> Iterator[dict[str, Any]]:
                for _, res in run(tasks, executor=executor, jobs=jobs, budget=budget):
                    if tick is not None:
                        tick(1)
                    yield res

            tables = _assemble(results(), found.errors, strict=strict)
            n_cached = 0
    finally:
        if bar is not None:
            bar.close()
    return Corpus(tables, backend=backend, n_cached=n_cached, skipped=found.skipped)

