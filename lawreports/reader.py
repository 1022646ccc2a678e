"""Read one report page: every stage of the data flow, in order, on one file.

:func:`read_report` runs the stages eagerly, each a pure function of what the earlier ones
produced, and returns a plain :class:`Report` record::

    read → decode → html → clean → metadata → structure(text, report_year, body_end) → indicators

Each fact is decided once, by the stage that owns it: the report year by ``metadata``, where the
body ends by ``clean``; later stages receive them. A stage that fails raises a
:class:`~lawreports.errors.ReportError` naming the file and the stage; with ``strict=False`` a
failure of ``structure`` or ``indicators`` is kept in ``report.errors`` instead and the report
keeps what the other stages found (this is what :func:`lawreports.load_corpus` does).
"""

from __future__ import annotations

import contextlib
import hashlib
import html as _html
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .clean import Cleaned, Stripped, looks_traditional, normalize_text, strip_chrome, to_simplified
from .decode import decode_bytes
from .errors import EmptyReportError, FileNotFound, FileTooLargeError, ParseError, ReportError
from .html import html_to_text, looks_like_html
from .indicators import Blank, Check, Indicator, check_indicators, extract_indicators, find_blanks
from .metadata import Metadata, extract_metadata
from .structure import (PartSpan, Section, Shortcoming, extract_shortcomings, outline, outline_html,
                        parse_sections, part_spans, part_summary)
from .vocab import DEFAULT_MAX_BYTES, HTML_SUFFIXES, REPORT_STAGES

LOGGER = logging.getLogger(__name__)

__all__ = ["Report", "read_report", "DEFAULT_MAX_BYTES", "HTML_SUFFIXES"]



@dataclass
class Report:
    """One parsed report: what every stage found.

    Attributes
    ----------
    report_id : str
        The file name without extension, or the first 16 hex digits of the sha256 for in-memory input.
    path : str or None
    sha256 : str
        Of the raw bytes.
    encoding : str
    format : {"txt", "html"}
    text : str
        The clean report (title, body, signature). Every offset in every table refers to it.
    title : str or None
    body_end : int
        Where the body ends in ``text`` (before the signature and date), as ``clean`` decided.
    meta : Metadata
        Who, when, with ``meta.evidence`` for each value.
    sections, part_spans, shortcomings : list
        The section tree, the runs of each part, the shortcoming items (``structure``).
    parts : dict
        ``has_<part>``, ``chars_<part>``, ``<part>_source`` and ``structure_score``.
    indicators, checks, blanks : list
        Stated quantities, rates recomputed from their counts, template blanks (``indicators``).
    stripped : list of Stripped
        Lines of the page that are not in ``text``, with the reason (empty for a report rebuilt
        from a corpus's tables).
    page_text : str or None
        The whole page after decoding, HTML extraction and normalisation.
    warnings : list of str
    errors : list of dict
        Stages that failed (``strict=False``): path, stage, error, message.
    """

    report_id: str
    path: str | None
    sha256: str
    encoding: str
    format: str
    text: str
    title: str | None
    meta: Metadata
    body_end: int = -1
    stripped: list[Stripped] = field(default_factory=list)
    page_text: str | None = None
    warnings: list[str] = field(default_factory=list)
    html_meta: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    part_spans: list[PartSpan] = field(default_factory=list)
    parts: dict[str, Any] = field(default_factory=dict)
    shortcomings: list[Shortcoming] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    blanks: list[Blank] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    url: str | None = None

    def outline(self) -> str:
        """The section outline with roles, as text."""
        return outline(self.sections)

    def as_record(self) -> dict[str, Any]:
        """One row of the ``reports`` table."""
        row: dict[str, Any] = {"report_id": self.report_id, "path": self.path, "url": self.url,
                               "sha256": self.sha256, "encoding": self.encoding, "format": self.format}
        row.update(self.meta.as_dict())
        row["n_chars"] = len(self.text)
        row["warnings"] = ";".join(dict.fromkeys(self.warnings + self.meta.warnings))
        return row

    def provenance(self) -> dict[str, tuple[str, str]]:
        """For each metadata field: (rule, text it came from)."""
        return {k: (v.rule, v.text) for k, v in self.meta.evidence.items()}

    def __repr__(self) -> str:
        m = self.meta
        return (f"Report({self.report_id!r}, {m.jurisdiction}, {m.division_type}, year={m.report_year}, "
                f"published={m.published}, {len(self.text)} chars)")

    def _repr_html_(self) -> str:
        m = self.meta
        rows = "".join(
            f"<tr><th style='text-align:left'>{_html.escape(k)}</th><td style='text-align:left'>"
            f"{_html.escape(str(v))}</td></tr>"
            for k, v in m.as_dict().items() if v is not None)
        return (f"<div><b>{_html.escape(m.title or self.report_id)}</b>"
                f"<table>{rows}</table>{outline_html(self.sections)}</div>")


@contextlib.contextmanager
def _stage(label: str, stage: str) -> Iterator[None]:
    """Name the stage in any failure: a typed error passes, anything else becomes ParseError.

    Running out of memory passes too: it is the process's budget, not the page, that failed (the
    executor reports it as ``too_complex`` against ``--memory``).
    """
    try:
        yield
    except (ReportError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - re-raised as a ParseError naming file and stage
        raise ParseError(label, stage, f"{type(exc).__name__}: {exc}") from exc


def _read_file(path: str, max_bytes: int) -> bytes:
    p = Path(path)
    try:
        exists = p.exists()
    except OSError as exc:          # a name too long for the file system, or not a name at all
        raise FileNotFound(_short(path), "read", f"not a file name ({exc.strerror}); text to parse "
                           "is passed as read_report(text=...)") from exc
    if not exists:
        raise FileNotFound(path, "read", "no such file (check the path; text to parse is passed "
                           "as read_report(text=...))")
    if not p.is_file():
        raise ReportError(path, "read", "not a regular file")
    size = p.stat().st_size
    if size > max_bytes:
        raise FileTooLargeError(path, "read", f"the file is {size / 2**20:.1f} MiB, over the "
                                f"{max_bytes / 2**20:.0f} MiB limit; report pages are rarely above 1 MB "
                                "(pass max_bytes= to read it anyway)")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise ReportError(path, "read", f"cannot be read: {exc.strerror or exc}") from exc


def _short(path: str, width: int = 60) -> str:
    one_line = path.replace("\n", " ")
    return one_line if len(one_line) <= width else one_line[:width] + "…"


def read_report(source: str | bytes | os.PathLike[str] | None = None, *, text: str | None = None,
                report_id: str | None = None, url: str | None = None, name: str | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES, strict: bool = True) -> Report:
    """Read one report page, running every stage in the data flow's order.

    Parameters
    ----------
    source : path or bytes
        A file (.txt or .html, any common Chinese encoding) or its bytes. A ``str`` is a path:
        a name that is not a file raises :class:`~lawreports.errors.FileNotFound`.
    text : str, optional
        The page itself, instead of ``source``.
    report_id : str, optional
        Defaults to the file name without extension, or to the first 16 hex digits of the sha256.
    url : str, optional
        The page's web address, where the user knows it (a scraper's log): its host and path
        are weighed as evidence of the place (``cqfj.gov.cn``: 重庆 奉节县). Kept in
        ``report.url``. Where none is given, an HTML page's own (a browser's ``saved from url``
        comment, ``<link rel=canonical>``, ``og:url``) is used, with the warning ``url_from_page``.
    name : str, optional
        For bytes: the file they were read from (its name gives the format, the report_id and
        ``report.path``), so a file is read once by whoever hashes it.
    max_bytes : int
        Files larger than this raise :class:`~lawreports.errors.FileTooLargeError`.
    strict : bool, default True
        Raise when ``structure`` or ``indicators`` fails; with ``False`` the failure is kept in
        ``report.errors`` and the report keeps what the other stages found.

    Returns
    -------
    Report

    Raises
    ------
    ReportError
        Its subclasses say which stage failed and why (FileNotFound, DecodeError,
        EmptyReportError, UnsupportedFormatError, FileTooLargeError, ParseError).
    """
    return _read_report(source, text=text, report_id=report_id, url=url, name=name, max_bytes=max_bytes,
                        strict=strict)


def _read_report(source: str | bytes | os.PathLike[str] | None = None, *, text: str | None = None,
                 report_id: str | None = None, url: str | None = None, name: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, strict: bool = True, sha256: str | None = None) -> Report:
    """:func:`read_report`, given the sha256 of the bytes where the caller has hashed them already
    (:func:`lawreports.rows.parse_file`, which reads a file once and keys its result by the hash)."""
    if (source is None) == (text is None):
        raise TypeError("read_report takes a path or bytes as `source`, or the page as `text=`; exactly one")
    path: str | None = None
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
    elif source is not None and not isinstance(source, bytes | bytearray):
        raise TypeError(f"read_report takes a path or bytes, not {type(source).__name__} "
                        "(pass a page's text as read_report(text=...))")
    if name is not None and path is None:
        if text is not None:
            raise TypeError("`name` goes with bytes, not with `text=`")
    label = path or name or ("<text>" if text is not None else "<bytes>")

    # read
    warnings: list[str] = []
    if path is not None:
        data = _read_file(path, max_bytes)
    elif text is not None:
        data = text.encode("utf-8")
    else:
        data = bytes(source)  # type: ignore[arg-type]
        if len(data) > max_bytes:
            raise FileTooLargeError(label, "read", f"{len(data) / 2**20:.1f} MiB is over the "
                                    f"{max_bytes / 2**20:.0f} MiB limit (pass max_bytes= to read it anyway)")
    sha = sha256 if sha256 is not None else hashlib.sha256(data).hexdigest()
    rid = report_id or (Path(path or name).stem if (path or name) else sha[:16])

    # decode
    if text is not None:
        page_raw, encoding = text, "str"
    else:
        with _stage(label, "decode"):
            page_raw, encoding, dec_warnings = decode_bytes(data, path=label)
        warnings += dec_warnings

    # html
    suffix = Path(path or name).suffix.lower() if (path or name) else ""
    is_html = suffix in HTML_SUFFIXES or (suffix != ".txt" and looks_like_html(page_raw))
    html_meta: dict[str, str] = {}
    if is_html:
        with _stage(label, "html"):
            page_raw, html_meta = html_to_text(page_raw)

    # clean
    with _stage(label, "clean"):
        page = normalize_text(page_raw)
        if not page.strip():
            raise EmptyReportError(label, "clean", "no text left after removing markup and whitespace")
        if looks_traditional(page):
            page = to_simplified(page)
            warnings.append("traditional_converted")
        cleaned: Cleaned = strip_chrome(page)
    warnings += cleaned.warnings
    if _not_a_report(cleaned):
        warnings.append("not_a_report")

    # the page's own address, where an HTML page gives it and none is given with it
    if url is None and html_meta.get("url"):
        url = html_meta["url"]
        warnings.append("url_from_page")

    # metadata
    with _stage(label, "metadata"):
        meta = extract_metadata(cleaned, html_meta=html_meta, url=url)

    report = Report(report_id=rid, path=path or name, sha256=sha, encoding=encoding,
                    format="html" if is_html else "txt", text=cleaned.text, title=cleaned.title,
                    meta=meta, body_end=cleaned.body_end, stripped=cleaned.stripped, page_text=page,
                    warnings=warnings, html_meta=html_meta, url=url)
    _run_report_stages(report, label, strict=strict)
    return report


def _run_report_stages(report: Report, label: str, *, strict: bool) -> None:
    """structure, then indicators, on the clean text; each receives what earlier stages decided."""
    text = report.text

    def structure() -> None:
        sections = parse_sections(text, report_year=report.meta.report_year, body_end=report.body_end)
        report.sections = sections
        report.part_spans = part_spans(text, sections)
        report.parts = part_summary(text, sections)
        report.shortcomings = extract_shortcomings(text, sections)

    def indicators() -> None:
        found = extract_indicators(text, report.sections or None)
        report.indicators = found
        report.checks = check_indicators(text, found)
        report.blanks = find_blanks(text)

    for stage, run in zip(REPORT_STAGES, (structure, indicators)):
        try:
            with _stage(label, stage):
                run()
        except ReportError as exc:
            if strict:
                raise
            LOGGER.warning("%s", exc)
            report.errors.append({**exc.as_row(), "message": exc.message
                                  + f" (the report is kept; its {stage} rows are missing)"})


_PROBLEM_WORDS = re.compile(r"(存在|还有|仍有|面临).{0,30}(问题|不足|短板|差距|薄弱)|问题和不足|不足之处")
_PLAN_WORDS = re.compile(r"下一步|下一年度|(20\d\d)年(度)?(工作)?(安排|打算|思路|计划)|工作安排|工作打算|主要安排|工作思路")


def _not_a_report(cleaned: Cleaned) -> bool:
    """A page that is not an annual report: no report title and none of a report's parts' words."""
    text = cleaned.text
    if "法治" not in text and "依法行政" not in text:
        return True
    titled = cleaned.title is not None and "报告" in cleaned.title
    return not titled and not (_PROBLEM_WORDS.search(text) and _PLAN_WORDS.search(text))
