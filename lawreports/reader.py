"""Read one report page: bytes → text → clean report → metadata (and, lazily, its structure).

:func:`read_report` is the entry point for a single file; :mod:`lawreports.corpus` maps it over
many. A :class:`Report` keeps everything a later step or an auditor needs: the raw bytes' hash
and encoding, the clean text every offset refers to, what was stripped and why, and the metadata
with the evidence for each value.
"""

from __future__ import annotations

import hashlib
import html as _html
import logging
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .clean import Cleaned, Stripped, normalize_text, strip_chrome
from .decode import decode_bytes
from .errors import EmptyReportError, FileTooLargeError, ParseError, ReportError
from .html import html_to_text, looks_like_html
from .metadata import Metadata, extract_metadata, looks_traditional, _to_simplified

LOGGER = logging.getLogger(__name__)

__all__ = ["Report", "read_report", "DEFAULT_MAX_BYTES"]

#: Largest file read by default (a report page is rarely above 1 MB).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Report:
    """One parsed report.

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
    meta : Metadata
        Who, when, with ``meta.evidence`` for each value.
    stripped : list of Stripped
        Lines of the page that are not in ``text``, with the reason.
    page_text : str
        The whole page after decoding, HTML extraction and normalisation.
    warnings : list of str
    """

    report_id: str
    path: str | None
    sha256: str
    encoding: str
    format: str
    text: str
    title: str | None
    meta: Metadata
    stripped: list[Stripped]
    page_text: str
    warnings: list[str] = field(default_factory=list)
    html_meta: dict[str, str] = field(default_factory=dict)

    # -- structure, computed on first use ----------------------------------------------------
    @cached_property
    def sections(self) -> list[Any]:
        """The section tree (:func:`lawreports.structure.parse_sections`)."""
        from .structure import parse_sections

        return parse_sections(self.text)

    @cached_property
    def shortcomings(self) -> list[Any]:
        """The shortcomings items (:func:`lawreports.structure.extract_shortcomings`)."""
        from .structure import extract_shortcomings

        return extract_shortcomings(self.text, self.sections)

    @cached_property
    def parts(self) -> dict[str, Any]:
        """has_<part>, chars_<part>, <part>_source and structure_score."""
        from .structure import part_summary

        return part_summary(self.text, self.sections)

    @cached_property
    def indicators(self) -> list[Any]:
        """Every stated rate, count, amount… (:func:`lawreports.indicators.extract_indicators`)."""
        from .indicators import extract_indicators

        return extract_indicators(self.text, self.sections)

    @cached_property
    def checks(self) -> list[Any]:
        """Stated rates recomputed from the counts beside them."""
        from .indicators import check_indicators

        return check_indicators(self.text, self.indicators)

    @cached_property
    def blanks(self) -> list[Any]:
        """Unfilled template blanks (a measure word with no number)."""
        from .indicators import find_blanks

        return find_blanks(self.text)

    def outline(self) -> str:
        """The section outline with roles, as text."""
        from .structure import outline

        return outline(self.sections)

    def as_record(self) -> dict[str, Any]:
        """One row of the ``reports`` table."""
        row: dict[str, Any] = {"report_id": self.report_id, "path": self.path, "sha256": self.sha256,
                               "encoding": self.encoding, "format": self.format}
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
        from .structure import outline_html

        outline = outline_html(self.sections)
        return (f"<div><b>{_html.escape(m.title or self.report_id)}</b>"
                f"<table>{rows}</table>{outline}</div>")


def _load(source: str | bytes | os.PathLike[str]) -> tuple[bytes | None, str | None, str | None]:
    """(bytes, text, path) for any accepted source."""
    if isinstance(source, bytes | bytearray):
        return bytes(source), None, None
    if isinstance(source, os.PathLike):
        return None, None, os.fspath(source)
    if isinstance(source, str):
        if "\n" not in source and len(source) < 1024:
            try:
                if Path(source).is_file():
                    return None, None, source
            except OSError:
                pass
        return None, source, None
    raise TypeError(f"read_report takes a path, bytes or str, not {type(source).__name__}")


def read_report(source: str | bytes | os.PathLike[str], *, report_id: str | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Read one report page.

    Parameters
    ----------
    source : path, bytes or str
        A file (.txt or .html, any common Chinese encoding), its bytes, or its text. A ``str``
        that names an existing file is read as a path; any other ``str`` is the page itself.
    report_id : str, optional
        Defaults to the file name without extension, or to the first 16 hex digits of the sha256.
    max_bytes : int
        Files larger than this raise :class:`~lawreports.errors.FileTooLargeError`.

    Returns
    -------
    Report

    Raises
    ------
    ReportError
        Its subclasses say which stage failed and why (DecodeError, EmptyReportError,
        UnsupportedFormatError, FileTooLargeError, ParseError).
    """
    data, text, path = _load(source)
    label = path or ("<text>" if text is not None else "<bytes>")
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ReportError(path, "read", "no such file" if not p.exists() else "not a regular file")
        size = p.stat().st_size
        if size > max_bytes:
            raise FileTooLargeError(path, "read", f"the file is {size / 2**20:.1f} MiB, over the "
                                    f"{max_bytes / 2**20:.0f} MiB limit; report pages are rarely above 1 MB "
                                    "(pass max_bytes= to read it anyway)")
        data = p.read_bytes()
    warnings: list[str] = []
    if text is not None:
        data = text.encode("utf-8")
        encoding = "str"
    else:
        assert data is not None
        if len(data) > max_bytes:
            raise FileTooLargeError(label, "read", f"{len(data) / 2**20:.1f} MiB is over the "
                                    f"{max_bytes / 2**20:.0f} MiB limit (pass max_bytes= to read it anyway)")
        text, encoding, dec_warnings = decode_bytes(data, path=label)
        warnings += dec_warnings
    sha = hashlib.sha256(data).hexdigest()
    rid = report_id or (Path(path).stem if path else sha[:16])
    suffix = Path(path).suffix.lower() if path else ""
    is_html = suffix in (".html", ".htm", ".shtml", ".xhtml") or (suffix not in (".txt",) and looks_like_html(text))
    html_meta: dict[str, str] = {}
    try:
        if is_html:
            text, html_meta = html_to_text(text)
        page = normalize_text(text)
    except Exception as exc:  # noqa: BLE001 - any failure of the HTML library is reported per file
        raise ParseError(label, "html" if is_html else "clean", f"{type(exc).__name__}: {exc}") from exc
    if not page.strip():
        raise EmptyReportError(label, "clean", "no text left after removing markup and whitespace")
    if looks_traditional(page):
        page = _to_simplified(page)
        warnings.append("traditional_converted")
    try:
        cleaned: Cleaned = strip_chrome(page)
        meta = extract_metadata(cleaned, html_meta=html_meta)
    except ReportError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ParseError(label, "metadata", f"{type(exc).__name__}: {exc}") from exc
    warnings += cleaned.warnings
    if _not_a_report(cleaned):
        warnings.append("not_a_report")
    return Report(report_id=rid, path=path, sha256=sha, encoding=encoding,
                  format="html" if is_html else "txt", text=cleaned.text, title=cleaned.title,
                  meta=meta, stripped=cleaned.stripped, page_text=page, warnings=warnings,
                  html_meta=html_meta)


_PROBLEM_WORDS = re.compile(r"(存在|还有|仍有|面临).{0,30}(问题|不足|短板|差距|薄弱)|问题和不足|不足之处")
_PLAN_WORDS = re.compile(r"下一步|下一年度|(20\d\d)年(度)?(工作)?(安排|打算|思路|计划)|工作安排|工作打算|主要安排|工作思路")


def _not_a_report(cleaned: Cleaned) -> bool:
    """A page that is not an annual report: no report title and none of a report's parts' words."""
    text = cleaned.text
    if "法治" not in text and "依法行政" not in text:
        return True
    titled = cleaned.title is not None and "报告" in cleaned.title
    return not titled and not (_PROBLEM_WORDS.search(text) and _PLAN_WORDS.search(text))
