"""Many reports: map the per-report steps over files and gather the tidy tables.

:func:`load_corpus` reads every file it is given, keeps every report that can be read, and puts
every file that cannot be read in ``corpus.errors`` with the stage and the reason: a corpus that
loads 9 of 10 files says which one failed and why. A step that fails for one report (the section
tree, the indicators) also becomes a row of ``errors``; the report keeps its other rows.

Parsing is a pure function of a file's bytes, so results can be cached by SHA-256
(``cache_dir``) and computed in parallel (``jobs``); the tables are the same either way.
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
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema
from .errors import ReportError
from .reader import DEFAULT_MAX_BYTES, Report, read_report

LOGGER = logging.getLogger(__name__)

__all__ = ["Corpus", "load_corpus", "bundled_dir", "resolve_sources", "process_file"]

TABLE_NAMES = ("reports", "sections", "shortcomings", "indicators", "checks", "blanks", "errors")
_GLOB_CHARS = set("*?[")
#: Bumped when parsing changes, so cached results of an older version are not reused.
CACHE_VERSION = "1"


def bundled_dir() -> Path:
    """The folder of the bundled corpus (the seed reports in ``data/raw``)."""
    return Path(str(resources.files("lawreports") / "bundled")).resolve()


def resolve_sources(source: Any = None) -> tuple[list[Path], list[dict[str, str]]]:
    """Files named by ``source``, and an error row for each name that matches none.

    Parameters
    ----------
    source : None, path, glob pattern, or a list of them
        ``None`` is the bundled corpus; a directory gives every file below it (hidden files
        excepted), sorted.

    Returns
    -------
    files : list of Path
    errors : list of dict
    """
    if source is None:
        source = bundled_dir()
    items = list(source) if isinstance(source, list | tuple | set) else [source]
    files: list[Path] = []
    errors: list[dict[str, str]] = []
    for item in items:
        text = os.fspath(item)
        path = Path(text)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                errors.append({"path": text, "stage": "read", "error": "no_files",
                               "message": "the folder holds no files"})
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
    return files, errors


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _rows(items: Iterable[Any], report_id: str) -> list[dict[str, Any]]:
    """Flat rows of dataclass items (a shallow copy: the items' fields are plain values)."""
    out = []
    names: tuple[str, ...] | None = None
    for item in items:
        if dataclasses.is_dataclass(item):
            if names is None:
                names = tuple(f.name for f in dataclasses.fields(item))
            row = {"report_id": report_id, **{k: _jsonable(getattr(item, k)) for k in names}}
        else:
            row = {"report_id": report_id, **{k: _jsonable(v) for k, v in dict(item).items()}}
        out.append(row)
    return out


def _step_error(path: str, stage: str, exc: Exception) -> dict[str, str]:
    LOGGER.warning("%s: %s failed: %s", path, stage, exc)
    return {"path": path, "stage": stage, "error": "parse_error",
            "message": f"{type(exc).__name__}: {exc} (the report is kept; its {stage} rows are missing)"}


def process_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
                 report_id: str | None = None) -> dict[str, Any]:
    """Parse one file into the rows of every table (JSON-serialisable).

    A failure to read the file gives one ``errors`` row and no report; a failure of a later step
    gives an ``errors`` row and keeps the report with the rows of the steps that worked.
    """
    path = os.fspath(path)
    out: dict[str, Any] = {name: [] for name in TABLE_NAMES}
    try:
        report = read_report(path, max_bytes=max_bytes, report_id=report_id)
    except ReportError as exc:
        out["errors"].append(exc.as_row())
        return out
    except Exception as exc:  # noqa: BLE001 - an unexpected failure is still reported per file
        out["errors"].append({"path": path, "stage": "read", "error": "parse_error",
                              "message": f"{type(exc).__name__}: {exc}"})
        return out
    record = {k: _jsonable(v) for k, v in report.as_record().items()}
    record["text_sha256"] = hashlib.sha256(report.text.encode("utf-8")).hexdigest()
    rid = report.report_id
    steps = [("structure", "sections", lambda: report.sections),
             ("structure", "shortcomings", lambda: report.shortcomings),
             ("indicators", "indicators", lambda: report.indicators),
             ("indicators", "checks", lambda: report.checks),
             ("indicators", "blanks", lambda: report.blanks)]
    for stage, table, get in steps:
        try:
            out[table] = _rows(get(), rid)
        except Exception as exc:  # noqa: BLE001
            out["errors"].append(_step_error(path, f"{stage} ({table})", exc))
    try:
        record.update({k: _jsonable(v) for k, v in report.parts.items()})
    except Exception as exc:  # noqa: BLE001
        out["errors"].append(_step_error(path, "structure (parts)", exc))
    record["n_sections"] = len(out["sections"])
    record["n_shortcomings"] = len(out["shortcomings"])
    record["n_indicators"] = len(out["indicators"])
    record["n_blanks"] = len(out["blanks"])
    out["reports"] = [record]
    return out


def _cache_key(data: bytes, max_bytes: int) -> str:
    from . import __version__

    h = hashlib.sha256(data)
    h.update(f"|{__version__}|{CACHE_VERSION}|{max_bytes}".encode())
    return h.hexdigest()


def _process_cached(path: Path, max_bytes: int, cache_dir: Path | None) -> tuple[dict[str, Any], bool]:
    """process_file, reusing the result stored for the same bytes; returns (result, hit)."""
    if cache_dir is None:
        return process_file(path, max_bytes=max_bytes), False
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= max_bytes else None
    except OSError:
        data = None
    if data is None:
        return process_file(path, max_bytes=max_bytes), False
    key = _cache_key(data, max_bytes)
    entry = cache_dir / f"{key}.json"
    if entry.is_file():
        try:
            result = json.loads(entry.read_text(encoding="utf-8"))
            _repath(result, path)
            return result, True
        except (OSError, ValueError) as exc:
            LOGGER.warning("cache entry %s unreadable (%s); parsing again", entry, exc)
    result = process_file(path, max_bytes=max_bytes)
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


def _worker(args: tuple[str, int, str | None]) -> tuple[dict[str, Any], bool]:
    path, max_bytes, cache = args
    return _process_cached(Path(path), max_bytes, Path(cache) if cache else None)


def _iter_results(files: list[Path], *, jobs: int, max_bytes: int, cache_dir: Path | None,
                  progress: bool | None) -> Iterator[tuple[dict[str, Any], bool]]:
    show = progress if progress is not None else len(files) >= 200
    bar = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(files), unit="file", desc="parsing", leave=False)
    args = [(str(p), max_bytes, str(cache_dir) if cache_dir else None) for p in files]
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


class _Documents(Mapping[str, Report]):
    """report_id → :class:`Report`, read from its file on first access."""

    def __init__(self, paths: dict[str, str]) -> None:
        self._paths = paths
        self._cache: dict[str, Report] = {}

    def __getitem__(self, key: str) -> Report:
        if key not in self._cache:
            self._cache[key] = read_report(self._paths[key], report_id=key)
        return self._cache[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class Corpus:
    """Reports and their tidy tables.

    Attributes
    ----------
    reports, sections, shortcomings, indicators, checks, blanks, errors : DataFrame
        pandas, or polars with ``backend="polars"``; columns in :mod:`lawreports.schema`.
    documents : Mapping[str, Report]
        Each report as a :class:`Report` (read again from its file on first access).
    n_cached : int
        Files whose results came from the cache.
    """

    def __init__(self, tables: dict[str, pd.DataFrame], *, backend: str = "pandas",
                 paths: dict[str, str] | None = None, n_cached: int = 0) -> None:
        if backend not in ("pandas", "polars"):
            raise ValueError(f"The value for `backend` must be one of ['pandas', 'polars'], not {backend!r}")
        self._tables = {name: schema.coerce(name, tables[name].copy()) if name in tables
                        else schema.empty_frame(name) for name in TABLE_NAMES}
        self.backend = backend
        self.documents = _Documents(paths or {})
        self.n_cached = n_cached

    def _get(self, name: str) -> Any:
        frame = self._tables[name]
        if self.backend == "polars":
            import polars as pl

            return pl.from_pandas(frame)
        return frame

    reports = property(lambda self: self._get("reports"), doc="One row per report.")
    sections = property(lambda self: self._get("sections"), doc="One row per section.")
    shortcomings = property(lambda self: self._get("shortcomings"), doc="One row per shortcoming item.")
    indicators = property(lambda self: self._get("indicators"), doc="One row per stated quantity.")
    checks = property(lambda self: self._get("checks"), doc="Stated rates recomputed from their counts.")
    blanks = property(lambda self: self._get("blanks"), doc="Unfilled template blanks.")
    errors = property(lambda self: self._get("errors"), doc="One row per file (or step) that failed.")

    def table(self, name: str) -> Any:
        """A table by name (``reports``, ``sections``, …)."""
        if name not in TABLE_NAMES:
            raise ValueError(f"The value for `name` must be one of {list(TABLE_NAMES)}, not {name!r}")
        return self._get(name)

    def to_pandas(self) -> Corpus:
        """The same corpus with pandas tables."""
        return self._with_backend("pandas")

    def to_polars(self) -> Corpus:
        """The same corpus with polars tables."""
        return self._with_backend("polars")

    def _with_backend(self, backend: str) -> Corpus:
        other = Corpus.__new__(Corpus)
        other._tables, other.backend, other.documents, other.n_cached = self._tables, backend, self.documents, self.n_cached
        return other

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Save every table (parquet) so that :meth:`Corpus.load` gives them back unchanged."""
        from .export import save_corpus

        return save_corpus(self, Path(directory))

    @classmethod
    def load(cls, directory: str | os.PathLike[str], backend: str = "pandas") -> Corpus:
        """A corpus saved with :meth:`Corpus.save`."""
        from .export import load_saved

        tables = load_saved(directory)
        paths = dict(zip(tables["reports"]["report_id"], tables["reports"]["path"]))
        return cls(tables, backend=backend, paths=paths)

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
              strict: bool) -> tuple[dict[str, pd.DataFrame], dict[str, str], int]:
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
    frames = {name: pd.DataFrame(r) if r else schema.empty_frame(name) for name, r in rows.items()}
    paths = {rec["report_id"]: rec["path"] for rec in rows["reports"]}
    return frames, paths, n_cached


def _as_exception(row: dict[str, str]) -> ReportError:
    from . import errors as err

    kinds = {cls.error: cls for cls in (err.DecodeError, err.EmptyReportError, err.FileTooLargeError,
                                        err.UnsupportedFormatError, err.ParseError)}
    cls = kinds.get(row["error"], ReportError)
    return cls(row["path"], row["stage"], row["message"])


def load_corpus(source: Any = None, backend: str = "pandas", *, strict: bool = False, jobs: int = 1,
                cache_dir: str | os.PathLike[str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                progress: bool | None = None) -> Corpus:
    """Load a corpus of report pages.

    Parameters
    ----------
    source : None, path, glob pattern or list of them
        ``None`` loads the bundled corpus (``data/raw``: five real reports).
    backend : {"pandas", "polars"}
        The type of the tables.
    strict : bool
        Raise the first file's :class:`~lawreports.errors.ReportError` instead of listing it in
        ``errors``.
    jobs : int
        Processes parsing in parallel (the tables are the same for any value).
    cache_dir : path, optional
        Where parsed results are kept by the SHA-256 of each file; unchanged files are not parsed again.
    max_bytes : int
        Files above this size are refused (``too_large`` in ``errors``).
    progress : bool, optional
        Show a progress bar; by default only for 200 files or more.

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
    files, errors = resolve_sources(source)
    results = _iter_results(files, jobs=jobs, max_bytes=max_bytes,
                            cache_dir=Path(cache_dir) if cache_dir else None, progress=progress)
    tables, paths, n_cached = _assemble(results, errors, strict=strict)
    return Corpus(tables, backend=backend, paths=paths, n_cached=n_cached)
