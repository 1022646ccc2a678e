"""The command line: ``lawreports build`` (the main job) and ``lawreports inspect`` (one file by eye).

``lawreports build [SOURCE ...] --out DIR`` reads the reports (the bundled corpus by default),
writes every table in the chosen formats, the data dictionary, the standard figures and an
``index.html`` summary, and ends with one line: reports read, reports failed, output folder.
The exit status is non-zero only when nothing could be read or the output cannot be written.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from . import __version__
from .corpus import load_corpus

LOGGER = logging.getLogger(__name__)

__all__ = ["main", "build"]


def build(sources: list[str] | None, out: str | Path, *, formats: list[str], jobs: int = 1,
          cache: bool = True, figures: bool = True, progress: bool | None = None) -> dict[str, object]:
    """Run the main job; returns a summary (reports, failed files, output folder, files, seconds)."""
    from .export import write_data_dictionary, write_tables

    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    corpus = load_corpus(sources or None, jobs=jobs, cache_dir=out / ".cache" if cache else None,
                         progress=progress)
    from .derived import derived_tables

    derived = derived_tables(corpus) if len(corpus) else {}   # issue 15: tables across reports
    files = write_tables(corpus, out, formats, derived=derived)
    files.append(write_data_dictionary(out))
    from .summary import write_figures, write_index

    figure_files: list[Path] = []
    failed_figures: dict[str, str] = {}
    if figures and len(corpus):
        figure_files, failed_figures = write_figures(corpus, out / "figures")
        from .derived import derived_figures

        more, more_failed = derived_figures(derived, out / "figures")
        figure_files, failed_figures = figure_files + more, {**failed_figures, **more_failed}
        files += figure_files
    files.append(write_index(corpus, out, files=files, figures=figure_files, failed_figures=failed_figures,
                             derived=derived))
    errors = corpus.errors
    failed_files = errors["path"].nunique() if len(errors) else 0
    failed_reports = len(set(errors["path"]) - set(corpus.reports["path"])) if len(errors) else 0
    return {"reports": len(corpus), "failed": failed_reports, "errors": failed_files, "out": out,
            "files": files, "cached": corpus.n_cached, "seconds": time.perf_counter() - started}


def _cmd_build(args: argparse.Namespace) -> int:
    formats = [f for f in args.format.split(",") if f.strip()]
    try:
        summary = build(args.sources, args.out, formats=formats, jobs=args.jobs, cache=not args.no_cache,
                        figures=not args.no_figures, progress=False if args.quiet else None)
    except ValueError as exc:
        print(f"lawreports build: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"lawreports build: cannot write the output: {exc}", file=sys.stderr)
        return 1
    out = summary["out"]
    failed = summary["failed"]
    tail = f", see {Path(out) / 'errors.csv'}" if failed and "csv" in formats else (
        f", see {Path(out) / 'errors.parquet'}" if failed else "")
    print(f"lawreports: {summary['reports']} reports read, {failed} failed{tail}; "
          f"{len(summary['files'])} files in {out} ({summary['seconds']:.1f} s, {summary['cached']} from cache)")
    return 0 if summary["reports"] else 1


def _cmd_inspect(args: argparse.Namespace) -> int:
    from .errors import ReportError
    from .reader import read_report

    try:
        report = read_report(args.file)
    except ReportError as exc:
        print(f"lawreports inspect: {exc}", file=sys.stderr)
        return 1
    print(f"== {report.meta.title or report.report_id}")
    for name, value in report.meta.as_dict().items():
        if value is not None:
            rule = report.meta.evidence.get(name)
            print(f"  {name:14} {value}" + (f"    [{rule.rule}]" if rule else ""))
    warnings = sorted(set(report.warnings + report.meta.warnings))
    print(f"  {'warnings':14} {', '.join(warnings) or '-'}")
    print(f"  {'characters':14} {len(report.text)}; stripped lines: {len(report.stripped)}")
    print("\n== outline")
    print(report.outline())
    print("\n== shortcomings")
    for item in report.shortcomings:
        print(f"  {item.item}. [{item.source}] {item.text}")
    print("\n== indicators")
    for ind in report.indicators:
        qual = f" ({ind.qualifier})" if ind.qualifier else ""
        print(f"  {ind.kind:9} {ind.indicator}: {ind.value:g} {ind.unit or ''}{qual}   «{report.text[ind.start:ind.end]}» @{ind.start}")
    if report.checks:
        print("\n== checks")
        for chk in report.checks:
            print(f"  {chk.indicator}: stated {chk.stated:g}, recomputed "
                  f"{'-' if chk.recomputed is None else format(chk.recomputed, '.2f')} → "
                  f"{'consistent' if chk.consistent else 'INCONSISTENT' if chk.consistent is False else 'unknown'}")
    if report.blanks:
        print("\n== template blanks")
        for blank in report.blanks:
            print(f"  «{blank.context}» @{blank.start}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lawreports", description=(
        "Parse Chinese local governments' annual rule-of-law reports (法治政府建设年度报告) into tidy tables."))
    parser.add_argument("--version", action="version", version=f"lawreports {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each step does")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="read reports, write every table, the figures and index.html")
    b.add_argument("sources", nargs="*", help="files, folders or glob patterns (default: the bundled corpus)")
    b.add_argument("--out", default="lawreports-out", help="output folder (default: %(default)s)")
    b.add_argument("--format", default="parquet,csv",
                   help="comma-separated: parquet, csv, xlsx, dta (default: %(default)s)")
    b.add_argument("--jobs", type=int, default=1, help="parallel processes (default: %(default)s)")
    b.add_argument("--no-cache", action="store_true", help="parse every file again, even if unchanged")
    b.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=_cmd_build)
    i = sub.add_parser("inspect", help="print one report's metadata, outline, shortcomings and indicators")
    i.add_argument("file")
    i.set_defaults(func=_cmd_inspect)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``lawreports`` command."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if getattr(args, "jobs", 1) < 1:
        print("lawreports build: --jobs must be 1 or more", file=sys.stderr)
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
