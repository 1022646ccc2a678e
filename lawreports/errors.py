"""Typed errors raised while reading reports.

Every error names the file (or ``<bytes>`` / ``<text>`` for in-memory input), the stage of the
pipeline that failed and a reason a researcher can act on.  :func:`lawreports.load_corpus` turns
them into rows of ``corpus.errors`` instead of raising, unless ``strict=True``.
"""

from __future__ import annotations

from .vocab import STAGES

__all__ = [
    "ReportError",
    "FileNotFound",
    "DecodeError",
    "EmptyReportError",
    "FileTooLargeError",
    "UnsupportedFormatError",
    "ParseError",
]


class ReportError(Exception):
    """A report could not be read.

    Parameters
    ----------
    path : str
        The file (or ``<bytes>``/``<text>``) that failed.
    stage : str
        The pipeline stage: ``read``, ``decode``, ``html``, ``clean``, ``metadata``,
        ``structure``, ``indicators``.
    message : str
        What went wrong and what the user can do.
    """

    error = "report_error"

    def __init__(self, path: str, stage: str, message: str) -> None:
        if stage not in STAGES:
            raise ValueError(f"The value for `stage` must be one of {list(STAGES)}, not {stage!r}")
        self.path = str(path)
        self.stage = stage
        self.message = message
        super().__init__(f"{self.path}: [{stage}] {message}")

    def as_row(self) -> dict[str, str]:
        """The row this error becomes in ``corpus.errors``."""
        return {"path": self.path, "stage": self.stage, "error": self.error, "message": self.message}


class FileNotFound(ReportError):
    """The path names no file (a typo, a moved file, a dangling link)."""

    error = "not_found"


class DecodeError(ReportError):
    """The bytes are not text in any encoding the detector recognises (binary, truncated…)."""

    error = "decode_error"


class EmptyReportError(ReportError):
    """The file is empty or holds only whitespace / markup."""

    error = "empty"


class FileTooLargeError(ReportError):
    """The file is larger than the configured limit (``max_bytes``)."""

    error = "too_large"


class UnsupportedFormatError(ReportError):
    """The file is a format lawreports does not read (PDF, Word, images, archives…)."""

    error = "unsupported_format"


class ParseError(ReportError):
    """A parsing step raised unexpectedly; the message carries the original exception."""

    error = "parse_error"
