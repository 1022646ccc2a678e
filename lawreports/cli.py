"""The command line: ``lawreports build`` (the main job) and ``lawreports inspect`` (one file by eye).

``lawreports build [SOURCE ...] --out DIR`` reads the reports (the bundled corpus by default),
writes every table in the chosen formats, ``datapackage.json``, the data dictionary, the
standard figures and an ``index.html`` summary, and ends with one line: reports read, files
failed, output folder. Before it, the console lists the files skipped and the files that failed,
each with its reason (``--quiet``: only the last line; ``-v``: each stage and file, ``-vv``:
everything, on stderr).

The build keeps a manifest of what it wrote (``lawreports-manifest.json`` in the output folder:
each file with its size and SHA-256); the next build into the same folder removes the files of
the previous manifest it did not write again (a format or figure dropped), unless they were
changed since, and never touches a file it did not write. When nothing is read, nothing is written.

Exit status: 0 when at least one report was read, 1 when none was (or the output cannot be
written), 2 for a wrong option.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import shutil
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

from . import __version__
from .sources import file_digest

LOGGER = logging.getLogger(__name__)

__all__ = ["main", "build", "MANIFEST"]

#: The build's record of the files it wrote, in the output folder.
MANIFEST = "lawreports-manifest.json"
#: Skipped or failed files named one by one on the console before a count of the rest.
MAX_LISTED = 20


def _escape(text: Any, *, keep_newlines: bool = False) -> str:
    """``text`` safe for a terminal: control and bidi-override characters as ``\\x..``/``\\u....``."""
    out = []
    for ch in str(text):
        if keep_newlines and ch == "\n":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch not in "\u200b\u200c\u200d":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _read_manifest(out: Path) -> dict[str, dict[str, Any]]:
    path = out / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
        files = data["files"]
        return {str(k): dict(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        LOGGER.warning("manifest %s unreadable (%s): no stale file is removed", path, exc)
        return {}


def _write_manifest(out: Path, files: list[Path], *, previous: dict[str, dict[str, Any]] | None = None,
                    kept: set[Path] | None = None, digests: dict[Path, tuple[int, str]] | None = None) -> Path:
    """Write the manifest; a file in ``kept`` (kept from the last build, its size and time checked)
    keeps the hash the last manifest gives it, and one in ``digests`` (hashed as it was written,
    this build) the size and hash given there."""
    entries = {}
    for f in files:
        rel = Path(os.path.relpath(f, out)).as_posix()
        old = (previous or {}).get(rel)
        if kept is not None and f in kept and old:
            entries[rel] = dict(old)
            continue
        size, sha = (digests or {}).get(f) or file_digest(f)
        entries[rel] = {"size": size, "sha256": sha}
    path = out / MANIFEST
    path.write_text(json.dumps({"lawreports": __version__, "files": entries}, ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    return path


def _remove_stale(out: Path, previous: dict[str, dict[str, Any]], written: list[Path]) -> list[Path]:
    """Remove the files of the previous manifest not written this time, if unchanged since."""
    now = {Path(os.path.relpath(f, out)).as_posix() for f in written}
    removed = []
    for rel, entry in previous.items():
        path = (out / rel)
        if rel in now or ".." in Path(rel).parts or Path(rel).is_absolute() or not path.is_file():
            continue
        try:
            same = path.stat().st_size == entry.get("size") and file_digest(path)[1] == entry.get("sha256")
        except OSError:
            continue
        if not same:
            LOGGER.warning("%s was written by an earlier build but changed since: kept", path)
            continue
        path.unlink()
        LOGGER.info("removed %s (written by the previous build, not by this one)", path)
        removed.append(path)
        parent = path.parent
        while parent != out and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return removed


def _first_missing(path: Path) -> Path | None:
    """The top-most folder of ``path`` that does not exist yet (None when it exists)."""
    missing = None
    for p in [path, *path.parents]:
        if p.exists():
            break
        missing = p
    return missing


def build(sources: list[str] | None, out: str | Path, *, formats: list[str], jobs: int = 1,
          cache: bool = True, figures: bool = True, progress: bool | None = None,
          budget: Any = None, allow_outside: bool = False, executor: str = "process",
          scheduler: str | None = None, urls: Any = None) -> dict[str, object]:
    """Run the main job; returns a summary.

    The reports are parsed into the dataset ``out/dataset`` (:mod:`lawreports.dataset`): a file
    unchanged since the last build is neither read nor parsed, and when nothing changed, neither
    in the sources nor in the options, and every file of the last build is still in place, the
    build ends there (nothing is redrawn). Each file is parsed in a worker process under
    ``budget`` (:class:`lawreports.executors.Budget`), also with ``jobs=1``.

    Returns
    -------
    dict
        ``reports`` (report pages read, not counting pages flagged ``not_a_report``),
        ``not_reports`` (files read that are not reports), ``failed`` (files that could not be
        read), ``corpus`` (None when nothing changed), ``listings`` (skipped, failed and
        not-report files, each with its reason), ``out``, ``files`` (written, or kept from the last
        build), ``removed`` (stale files of the previous build removed), ``cached``, ``seconds``.
        When no file could be read at all nothing is written and ``files`` is empty.
    """
    from .dataset import Dataset
    from .sources import discover, read_urls

    started = time.perf_counter()
    formats = _formats(formats)
    out = Path(out)
    created = _first_missing(out)
    LOGGER.info("reading %s", ", ".join(map(str, sources)) if sources else "the bundled corpus")
    found = discover(sources or None, exclude=[out], allow_outside=allow_outside)
    data = Dataset(out / "dataset")
    if not cache:
        data.reset()
    bar = None
    show = progress if progress is not None else len(found.files) >= 200
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(found.files), unit="file", desc="parsing", leave=False)
    try:
        update = data.update(found, executor=executor, jobs=jobs, budget=budget, scheduler=scheduler,
                             urls=read_urls(urls) if urls is not None else None,
                             progress=bar.update if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
    options = {"formats": formats, "figures": figures, "version": __version__}
    previous = _read_manifest(out)
    stored = data.get_meta("build")
    if not update.changed and stored and stored.get("options") == options and _all_in_place(out, previous):
        summary = dict(stored["summary"])
        summary.update(out=out, corpus=None, files=[out / rel for rel in previous] + [out / MANIFEST], removed=[],
                       cached=update.unchanged, seconds=time.perf_counter() - started, unchanged=True)
        LOGGER.info("nothing changed since the last build: %s is up to date", out)
        return summary
    out_files, summary = _outputs(data, out, formats=formats, figures=figures, found=found, update=update,
                                  created=created, previous=previous, jobs=jobs)
    summary["seconds"] = time.perf_counter() - started
    if out_files is None:
        return summary
    data.set_meta("build", {"options": options, "summary": {
        k: summary[k] for k in ("reports", "not_reports", "failed", "listings")}})
    return summary


def _digest_frames(*frames: Any) -> str:
    """A key of the content of pandas frames (values and column names)."""
    import hashlib

    import pandas as pd

    h = hashlib.sha256()
    for frame in frames:
        h.update(repr(list(frame.columns)).encode())
        h.update(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
    return h.hexdigest()


def _outputs(data: Any, out: Path, *, formats: list[str], figures: bool, found: Any, update: Any,
             created: Path | None, previous: dict[str, dict[str, Any]],
             jobs: int = 1) -> tuple[list[Path] | None, dict[str, Any]]:
    """Every output of a build, from the dataset: each redone only when what it is made of changed.

    The tables are streamed from the dataset's runs (parquet and CSV a run at a time; xlsx and
    dta one table at a time); each output file is kept from the last build while the digest of
    the tables it is written from (:meth:`Dataset.digest`) is the same. The tables across reports
    and the figures are made from the columns they need (``indicators``: the rates), and each
    figure is redrawn only when its data changed.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from . import schema
    from .corpus import Corpus
    from .dataset import pandas_types
    from .export import (check_excel_rows, output_path, stream_table, table_resource,
                         write_data_dictionary, write_datapackage)
    from .resource_files import fingerprint
    from .rows import TABLE_NAMES

    def frame(name: str, **options: Any) -> Any:
        table = data.ordered_table(name, **options)
        return table.to_pandas(types_mapper=pandas_types)

    code = f"{__version__}|{fingerprint()}"
    reports = frame("reports")
    errors = frame("errors")
    _, skipped = data.extra()
    listings = _listings(reports, errors, skipped)
    not_reports = len(listings["not reports"])
    failed = len(set(errors["path"]) - set(reports["path"])) if len(errors) else 0
    summary: dict[str, Any] = {"corpus": None, "reports": len(reports) - not_reports, "not_reports": not_reports,
                               "failed": failed, "out": out, "files": [], "removed": [],
                               "cached": update.unchanged, "listings": listings}
    if not len(reports):
        # Nothing read: leave no trace (only what this build created: the folder, the dataset).
        if created is not None and created.exists():
            shutil.rmtree(created)
        elif not previous:
            shutil.rmtree(data.folder, ignore_errors=True)
        return None, summary
    out.mkdir(parents=True, exist_ok=True)
    stored_keys = data.get_meta("outputs") or {}
    keys: dict[str, str] = {}
    files: list[Path] = []
    fresh: set[Path] = set()
    unchanged_files: set[Path] = set()

    def kept(path: Path, key: str) -> bool:
        """True when ``path`` is as the last build wrote it from inputs of the same ``key``."""
        rel = Path(os.path.relpath(path, out)).as_posix()
        keys[rel] = key
        entry, stored = previous.get(rel), stored_keys.get(rel)
        if not isinstance(stored, dict) or stored.get("key") != key or entry is None:
            return False
        try:
            st = path.stat()
        except OSError:
            return False
        same = st.st_size == entry.get("size") == stored.get("size") and st.st_mtime_ns == stored.get("mtime_ns")
        if same:
            unchanged_files.add(path)
        return same

    names = [n for n in schema.TABLES if n in TABLE_NAMES and n not in schema.DATASET_ONLY]
    if "xlsx" in formats:
        check_excel_rows({n: data.n_rows(n) for n in names})
    LOGGER.info("writing the tables (%s) to %s", ",".join(formats), out)
    resources = []
    writes = {}
    for name in names:
        key = f"{code}|{data.digest([name])}"
        paths = {fmt: output_path(out, name, fmt) for fmt in formats if fmt in ("parquet", "csv")}
        todo = {fmt: p for fmt, p in paths.items() if not kept(p, f"{key}|{fmt}")}
        if todo:
            writes[name] = todo
            fresh.update(todo.values())
        files += paths.values()
        if "csv" in paths:
            resources.append(table_resource(name, schema.empty_frame(name, stored=True), paths["csv"], base=out))
    # Arrow reads, casts and writes outside the GIL: with --jobs, that many tables at once
    from concurrent.futures import ThreadPoolExecutor

    # each file hashed for the manifest once written, in the thread that wrote it (hashlib reads
    # and hashes outside the GIL): some 5 GB at 100,000 reports, read again at the end otherwise
    digests: dict[Path, tuple[int, str]] = {}

    def write(name: str) -> None:
        LOGGER.info("writing %s", ", ".join(str(p) for p in writes[name].values()))
        stream_table(name, data.iter_table(name), writes[name])
        digests.update((p, file_digest(p)) for p in writes[name].values())

    with ThreadPoolExecutor(max(1, min(jobs, len(writes)))) as pool:
        for future in [pool.submit(write, name) for name in writes]:
            future.result()

    lean: dict[str, Any] = {}
    from .website import MAX_ROWS

    shown = pa.array(sorted(set(reports["report_id"].head(MAX_ROWS))))

    def _lean_corpus() -> Any:
        if "corpus" not in lean:
            tables = {"reports": reports, "errors": errors,
                      "shortcomings": frame("shortcomings"),
                      "indicators": frame("indicators", where=lambda b: pc.equal(b["kind"], "rate")),
                      "checks": frame("checks"), "blanks": frame("blanks"),
                      "tokens": frame("tokens", where=lambda b: pc.equal(b["part"], "shortcomings")),
                      # the sections of the reports the summary page shows (their outlines)
                      "sections": frame("sections", where=lambda b: pc.is_in(b["report_id"], value_set=shown))}
            lean["corpus"] = Corpus(tables, n_cached=update.unchanged, skipped=skipped)
        return lean["corpus"]

    derived_key = f"{code}|{data.digest(['reports', 'shortcomings', 'indicators', 'tokens'])}"
    from .derived import derived_tables

    def compute_derived(reuse_path: Path) -> dict[str, Any]:
        from .derived import REUSE_CACHE_MAX_REPORTS, load_reuse_cache, save_reuse_cache

        _give_back_memory()
        if len(reports) > REUSE_CACHE_MAX_REPORTS:
            return derived_tables(_lean_corpus(), jobs=jobs, reuse_path=reuse_path)
        where = data.state_dir / "reuse"
        cache = load_reuse_cache(where)
        tables = derived_tables(_lean_corpus(), cache=cache, reuse_path=reuse_path)
        save_reuse_cache(cache, where)
        return tables

    from .derived import StoredTable

    derived = _derived(data, derived_key, compute_derived)
    for name, table in derived.items():
        paths = {fmt: output_path(out, name, fmt) for fmt in formats if fmt in ("parquet", "csv")}
        todo = {fmt: p for fmt, p in paths.items() if not kept(p, f"{derived_key}|{fmt}")}
        if todo:
            # a slice at a time: reuse has some 2.3 million rows at 100,000 reports (kept in its file)
            step = 100_000
            stream_table(name, table.batches(step) if isinstance(table, StoredTable) else
                         (pa.Table.from_pandas(table.iloc[i:i + step], preserve_index=False)
                          for i in range(0, max(len(table), 1), step)), todo)
            fresh.update(todo.values())
        files += paths.values()
        if "csv" in formats:
            columns = table.head(0) if isinstance(table, StoredTable) else table
            resources.append(table_resource(name, columns, output_path(out, name, "csv"), base=out))
    if resources:
        files.append(write_datapackage(resources, out))
    _slow_formats(data, out, formats, names, derived, files, fresh, kept, code, frame)
    files.append(write_data_dictionary(out))
    # written: of reuse (2.3 million rows at 100,000 reports) the page shows the first rows and
    # the counts, and the rest is let go before the figures
    from .website import reuse_summary

    derived = dict(derived)
    derived["reuse"], reuse_counts = reuse_summary(derived["reuse"])
    _give_back_memory()

    figure_files: list[Path] = []
    failed_figures: dict[str, str] = {}
    if figures:
        from .derived import derived_figures
        from .website import write_figures

        LOGGER.info("drawing the figures in %s", out / "figures")
        stored_figures = data.get_meta("figures") or {}
        figure_keys: dict[str, str] = {}

        def unchanged(name: str, key: str) -> bool:
            figure_keys[name] = key = f"{code}|{key}"
            return stored_figures.get(name) == key and (out / "figures" / name).is_file()

        figure_files, failed_figures = write_figures(_lean_corpus(), out / "figures", unchanged=unchanged,
                                                     digest=_digest_frames)
        more, more_failed = derived_figures(derived, out / "figures", unchanged=unchanged, digest=_digest_frames)
        figure_files, failed_figures = figure_files + more, {**failed_figures, **more_failed}
        data.set_meta("figures", {k: v for k, v in figure_keys.items() if k not in failed_figures})
        files += figure_files
    from .website import write_index

    LOGGER.info("writing %s", out / "index.html")
    corpus = _lean_corpus()
    files.append(write_index(corpus, out, files=files, figures=figure_files, failed_figures=failed_figures,
                             derived=derived, counts={**reuse_counts, "sections": data.n_rows("sections"),
                                                      "indicators": data.n_rows("indicators")}))
    summary["removed"] = _remove_stale(out, previous, files)
    files.append(_write_manifest(out, files, previous=previous, kept=unchanged_files - fresh, digests=digests))
    outputs = {}
    for rel, key in keys.items():
        with contextlib.suppress(OSError):
            st = (out / rel).stat()
            outputs[rel] = {"key": key, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    data.set_meta("outputs", outputs)
    summary["files"] = files
    summary["corpus"] = corpus
    return files, summary


def _give_back_memory() -> None:
    """Hand what the parse and the per-report tables freed back to the system, before the largest
    step: Python's cycles, Arrow's pool (which keeps freed memory: some 80 MB after 2,000
    reports) and, with glibc, the C heap, where the texts of the rows written lay (60 MB after
    6,000 reports; ``malloc_trim``)."""
    import ctypes

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):     # not glibc: nothing to trim this way
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _derived(data: Any, key: str, compute: Any) -> dict[str, Any]:
    """The tables across reports: kept in the dataset (``.lawreports/derived``) under ``key``.

    ``compute(reuse_path)`` makes them, reuse written to ``reuse_path``; reuse is given as a
    :class:`lawreports.derived.StoredTable` of its file, the others as frames.
    """
    import pandas as pd
    import pyarrow.parquet as pq

    from . import schema
    from .derived import StoredTable

    folder = data.state_dir / "derived"
    stored = data.get_meta("derived")
    names = list(schema.DERIVED_TABLES)
    if stored == key and all((folder / f"{n}.parquet").is_file() for n in names):
        try:
            pq.ParquetFile(folder / "reuse.parquet")        # readable: its rows are read where used
            return {n: StoredTable(n, folder / f"{n}.parquet") if n == "reuse" else
                    schema.coerce(n, pd.read_parquet(folder / f"{n}.parquet")) for n in names}
        except (OSError, ValueError) as exc:
            LOGGER.warning("the stored tables across reports cannot be read (%s): computed again", exc)
    from .export import atomic_write

    folder.mkdir(parents=True, exist_ok=True)
    tables = compute(folder / "reuse.parquet.part")
    for n, table in tables.items():
        if isinstance(table, StoredTable):
            os.replace(table.path, folder / f"{n}.parquet")
            tables[n] = StoredTable(n, folder / f"{n}.parquet")
        else:
            atomic_write(folder / f"{n}.parquet", lambda tmp, table=table: table.to_parquet(tmp, index=False))
    data.set_meta("derived", key)
    return tables


def _slow_formats(data: Any, out: Path, formats: list[str], names: list[str], derived: dict[str, Any],
                  files: list[Path], fresh: set[Path], kept: Any, code: str, frame: Any) -> None:
    """xlsx and dta, written from one table in memory at a time (xlsx: the workbook at once)."""
    from . import schema
    from .derived import StoredTable
    from .export import atomic_write, output_path, write_dta, write_workbook

    derived = {n: t.read() if isinstance(t, StoredTable) else t for n, t in derived.items()} \
        if "dta" in formats or "xlsx" in formats else derived
    if "dta" in formats:
        for name in [*names, *derived]:
            path = output_path(out, name, "dta")
            key = f"{code}|{data.digest([name]) if name in names else data.get_meta('derived')}|dta"
            if not kept(path, key):
                table = derived[name] if name in derived else schema.coerce(name, frame(name), stored=True)
                LOGGER.info("writing %s (%d rows)", path, len(table))
                atomic_write(path, lambda tmp, name=name, table=table: write_dta(name, table, tmp))
                fresh.add(path)
            files.append(path)
    if "xlsx" in formats:
        path = output_path(out, "", "xlsx")
        key = f"{code}|{data.digest(names)}|{data.get_meta('derived')}|xlsx"
        if not kept(path, key):
            tables = {name: schema.coerce(name, frame(name), stored=True) for name in names}
            tables.update(derived)
            atomic_write(path, lambda tmp: write_workbook(tables, tmp))
            fresh.add(path)
        files.append(path)


def _formats(formats: list[str]) -> list[str]:
    from .vocab import FORMATS

    formats = [f.strip().lower() for f in formats if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"The value for `formats` must be among {list(FORMATS)}, not {bad}")
    return formats


def _all_in_place(out: Path, manifest: dict[str, dict[str, Any]]) -> bool:
    """Every file the last build wrote is there, with its size (a quick check, no hashing)."""
    if not manifest:
        return False
    for rel, entry in manifest.items():
        try:
            if (out / rel).stat().st_size != entry.get("size"):
                return False
        except OSError:
            return False
    return (out / MANIFEST).is_file()


def _listings(reports: Any, errors: Any, skipped: list[dict[str, str]]) -> dict[str, list[tuple[str, str]]]:
    failed = [(str(r.path), f"{r.error}: {r.message}" + (f" [{r.stage}]" if r.stage != "read" else ""))
              for r in errors.itertuples()]
    not_reports = [(str(p), "read, but it does not look like a rule-of-law report (not_a_report); "
                    "its rows are in the tables, flagged in reports.warnings")
                   for p, w in zip(reports["path"], reports["warnings"])
                   if isinstance(w, str) and "not_a_report" in w.split(";")]
    return {"skipped": [(str(s["path"]), str(s["reason"])) for s in skipped], "failed": failed,
            "not reports": not_reports}


def _listing(rows: list[tuple[str, str]], head: str, limit: int = MAX_LISTED) -> list[str]:
    if not rows:
        return []
    lines = [f"{head} ({len(rows)}):"]
    lines += [f"  {_escape(path)}: {_escape(reason)}" for path, reason in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"  and {len(rows) - limit} more")
    return lines


def _cmd_build(args: argparse.Namespace) -> int:
    from .executors import Budget

    formats = [f for f in args.format.split(",") if f.strip()]
    quiet = getattr(args, "quiet", False)
    try:
        summary = build(args.sources, args.out, formats=formats, jobs=args.jobs, cache=not args.no_cache,
                        figures=not args.no_figures, progress=False if quiet else None,
                        budget=Budget(seconds=args.timeout, memory_mb=args.memory),
                        allow_outside=args.allow_outside, executor=args.executor,
                        scheduler=args.scheduler, urls=args.urls)
    except ValueError as exc:
        print(f"lawreports build: {_escape(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"lawreports build: cannot write the output: {_escape(exc)}", file=sys.stderr)
        return 1
    out = summary["out"]
    listings = {k: [tuple(x) for x in v] for k, v in summary["listings"].items()}
    if not quiet and not summary.get("unchanged"):
        for head in ("skipped", "failed", "not reports"):
            for line in _listing(listings[head], head):
                print(line, file=sys.stderr)
    n, failed = summary["reports"], summary["failed"]
    parts = [f"{n} reports read", f"{failed} failed"]
    if summary["not_reports"]:
        parts.append(f"{summary['not_reports']} not reports")
    if listings["skipped"]:
        parts.append(f"{len(listings['skipped'])} skipped")
    if not summary["files"]:
        print(f"lawreports: {', '.join(parts)}; nothing written")
        return 1
    tail = ""
    if failed:
        tail = f", see {Path(out) / ('errors.csv' if 'csv' in formats else 'errors.parquet')}"
    removed = f", {len(summary['removed'])} stale removed" if summary["removed"] else ""
    state = "; nothing changed" if summary.get("unchanged") else ""
    print(f"lawreports: {', '.join(parts)}{tail}; {len(summary['files'])} files in {_escape(out)}{removed}"
          f"{state} ({summary['seconds']:.1f} s, {summary['cached']} from cache)")
    return 0 if n else 1


def _cmd_inspect(args: argparse.Namespace) -> int:
    from .errors import ReportError
    from .reader import read_report

    try:
        report = read_report(args.file)
    except ReportError as exc:
        print(f"lawreports inspect: {_escape(exc)}", file=sys.stderr)
        return 1
    esc = _escape

    print(f"== {esc(report.meta.title or report.report_id)}")
    for name, value in report.meta.as_dict().items():
        if value is not None:
            rule = report.meta.evidence.get(name)
            print(f"  {name:14} {esc(value)}" + (f"    [{esc(rule.rule)}]" if rule else ""))
    warnings = sorted(set(report.warnings + report.meta.warnings))
    print(f"  {'warnings':14} {esc(', '.join(warnings)) or '-'}")
    print(f"  {'characters':14} {len(report.text)}; stripped lines: {len(report.stripped)}")
    print("\n== outline")
    print(esc(report.outline(), keep_newlines=True))
    print("\n== shortcomings")
    for item in report.shortcomings:
        print(f"  {item.item}. [{item.source}] {esc(item.text)}")
    print("\n== indicators")
    for ind in report.indicators:
        qual = f" ({esc(ind.qualifier)})" if ind.qualifier else ""
        print(f"  {ind.kind:9} {esc(ind.indicator)}: {ind.value:g} {esc(ind.unit or '')}{qual}   "
              f"«{esc(report.text[ind.start:ind.end])}» @{ind.start}")
    if report.checks:
        print("\n== checks")
        for chk in report.checks:
            print(f"  {esc(chk.indicator)}: stated {chk.stated:g}, recomputed "
                  f"{'-' if chk.recomputed is None else format(chk.recomputed, '.2f')} → "
                  f"{'consistent' if chk.consistent else 'INCONSISTENT' if chk.consistent is False else 'unknown'}")
    if report.blanks:
        print("\n== template blanks")
        for blank in report.blanks:
            print(f"  «{esc(blank.context)}» @{blank.start}")
    return 0


def _parser() -> argparse.ArgumentParser:
    # -v and -q are accepted before or after the command (lawreports -v build, lawreports build -v).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                        help="log each stage and file on stderr (-vv: everything)")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="print only the last line (no lists, no progress bar)")
    parser = argparse.ArgumentParser(prog="lawreports", parents=[common], description=(
        "Parse Chinese local governments' annual rule-of-law reports (法治政府建设年度报告) into tidy tables."))
    parser.add_argument("--version", action="version", version=f"lawreports {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", parents=[common],
                       help="read reports, write every table, the figures and index.html")
    b.add_argument("sources", nargs="*", help="files, folders or glob patterns (default: the bundled corpus)")
    b.add_argument("--out", default="lawreports-out", help="output folder (default: %(default)s)")
    b.add_argument("--format", default="parquet,csv",
                   help="comma-separated: parquet, csv, xlsx, dta (default: %(default)s)")
    b.add_argument("--jobs", type=int, default=1, help="parallel processes (default: %(default)s)")
    b.add_argument("--no-cache", action="store_true", help="parse every file again, even if unchanged")
    b.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    b.add_argument("--timeout", type=float, default=120.0,
                   help="seconds one file may take to parse; over it, an errors row (default: %(default)s)")
    b.add_argument("--memory", type=int, default=2048,
                   help="MiB one file's worker may grow by; over it, an errors row (default: %(default)s)")
    b.add_argument("--allow-outside", action="store_true",
                   help="follow links that lead out of the folder read (by default an errors row)")
    b.add_argument("--executor", choices=("process", "dask"), default="process",
                   help="where files are parsed: local worker processes, or a Dask cluster")
    b.add_argument("--scheduler", default=None,
                   help="with --executor dask: the scheduler's address (default: a local cluster of --jobs workers)")
    b.add_argument("--urls", default=None,
                   help="a CSV with columns file and url: each page's address, weighed as evidence of its place")
    b.set_defaults(func=_cmd_build)
    i = sub.add_parser("inspect", parents=[common],
                       help="print one report's metadata, outline, shortcomings and indicators")
    i.add_argument("file")
    i.set_defaults(func=_cmd_inspect)
    return parser


def _configure_logging(verbose: int, quiet: bool) -> tuple[logging.Handler, list[tuple[logging.Logger, int]]]:
    """Log to stderr: warnings by default, errors only with --quiet, INFO with -v (and each
    file parsed: the executors log it at DEBUG), DEBUG with -vv. Returns what to undo."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    package, corpus = logging.getLogger("lawreports"), logging.getLogger("lawreports.executors")
    saved = [(package, package.level), (corpus, corpus.level)]
    level = logging.ERROR if quiet else (logging.DEBUG if verbose >= 2 else logging.INFO if verbose else logging.WARNING)
    handler.setLevel(level if not verbose else logging.DEBUG)
    package.addHandler(handler)
    package.setLevel(level)
    corpus.setLevel(logging.DEBUG if verbose else logging.NOTSET)
    return handler, saved


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``lawreports`` command."""
    args = _parser().parse_args(argv)
    args.verbose = getattr(args, "verbose", 0)
    args.quiet = getattr(args, "quiet", False)
    if getattr(args, "jobs", 1) < 1:
        print("lawreports build: --jobs must be 1 or more", file=sys.stderr)
        return 2
    handler, saved = _configure_logging(args.verbose, args.quiet)
    try:
        status = args.func(args)
        sys.stdout.flush()
    except KeyboardInterrupt:
        # Ctrl-C: the workers are stopped, what was parsed is kept in the dataset; no traceback.
        out = getattr(args, "out", None)
        again = f"; run it again to go on from the {Path(out) / 'dataset'} kept" if out else ""
        print(f"lawreports: interrupted{again}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (lawreports inspect FILE | head): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    finally:
        logging.getLogger("lawreports").removeHandler(handler)
        for logger, level in saved:
            logger.setLevel(level)
    return status


if __name__ == "__main__":
    sys.exit(main())
