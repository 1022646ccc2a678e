"""Bytes to text: encoding detection for report pages.

Order of decisions, each recorded as the ``encoding`` of the result:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) wins;
2. strict UTF-8 (most pages); a sequence cut off in the last three bytes is decoded without it
   and reported as a warning (``truncated_utf8``);
3. UTF-16 without a BOM, recognised by its NUL bytes in every other position;
4. otherwise ``charset-normalizer`` chooses among the encodings Chinese pages use (GB18030,
   which covers GBK and GB2312, Big5 and UTF-16). A file that none of them decodes into
   coherent text is refused with :class:`~lawreports.errors.DecodeError`.

Formats that are not text pages (PDF, Word, images, archives) are recognised by their magic
bytes and refused with :class:`~lawreports.errors.UnsupportedFormatError`.
"""

from __future__ import annotations

import codecs
import logging
import re

from charset_normalizer import from_bytes

from .errors import DecodeError, EmptyReportError, UnsupportedFormatError

LOGGER = logging.getLogger(__name__)

__all__ = ["decode_bytes", "sniff_format"]

#: Encodings charset-normalizer may choose from for a Chinese page (GB18030 ⊃ GBK ⊃ GB2312).
CANDIDATE_ENCODINGS = ["gb18030", "big5", "utf_16", "utf_8"]

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

_MAGIC = [
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP container (Word .docx, Excel .xlsx or an archive)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document (.doc/.xls)"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"{\\rtf", "RTF document"),
    (b"\x1f\x8b", "gzip archive"),
]

# Characters a report page is made of: CJK, ASCII printable, CJK and full-width punctuation.
_TEXTLIKE = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\u3000-\u303f\uff00-\uffef\u2000-\u206f\x20-\x7e\s]")


def sniff_format(data: bytes) -> str | None:
    """Name the non-text format ``data`` starts with, or ``None`` for text.

    Examples
    --------
    >>> sniff_format(b"%PDF-1.7 ...")
    'PDF document'
    >>> sniff_format("报告".encode()) is None
    True
    """
    head = data[:16]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return None


def _textlike_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    return len(_TEXTLIKE.findall(sample)) / len(sample)


def _utf16_order(data: bytes) -> list[str]:
    """UTF-16 byte orders to try, the likelier first (ASCII puts its NUL second in little-endian)."""
    sample = data[:4000]
    return ["utf-16-le", "utf-16-be"] if sample[1::2].count(0) >= sample[0::2].count(0) else ["utf-16-be", "utf-16-le"]


def decode_bytes(data: bytes, *, path: str = "<bytes>") -> tuple[str, str, list[str]]:
    """Decode the bytes of a report page.

    Parameters
    ----------
    data : bytes
        The file's content.
    path : str
        Used in error messages only.

    Returns
    -------
    text : str
    encoding : str
        The codec used (``utf-8``, ``utf-8-sig``, ``utf-16``, ``gb18030``, ``big5``…).
    warnings : list of str
        ``truncated_utf8`` when a multi-byte sequence was cut off at the end of the file.

    Raises
    ------
    EmptyReportError, UnsupportedFormatError, DecodeError
    """
    if not data or not data.strip():
        raise EmptyReportError(path, "decode", "the file is empty or holds only whitespace")
    fmt = sniff_format(data)
    if fmt is not None:
        raise UnsupportedFormatError(
            path,
            "read",
            f"unsupported format: this is a {fmt}, not a text or HTML page; "
            "save the report as .txt or .html (or extract its text) and load that",
        )
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec, []
            except UnicodeDecodeError as exc:
                raise DecodeError(path, "decode", f"the file starts with a {codec} byte-order mark "
                                  f"but is not valid {codec} (byte {exc.start})") from exc
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            LOGGER.debug("%s: truncated UTF-8 sequence at the end", path)
            return data[: exc.start].decode("utf-8"), "utf-8", ["truncated_utf8"]
    if b"\x00" in data[:4000]:
        # UTF-16 without a byte-order mark: ASCII characters (digits, newlines) give NUL bytes.
        for codec in _utf16_order(data):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _textlike_share(text) > 0.9:
                return text, codec, []
        raise DecodeError(path, "decode", "the file holds NUL bytes and is not UTF-16: it looks "
                          "like a binary file, not a text or HTML page")
    best = from_bytes(data[:200000], cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise DecodeError(path, "decode", "not text in UTF-8, GB18030/GBK, Big5 or UTF-16: the "
                          "encoding detector found no coherent reading (binary or corrupted file?)")
    encoding = best.encoding
    if encoding in ("gb2312", "gbk", "cp936"):
        encoding = "gb18030"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:
            text = data[: exc.start].decode(encoding)
            return text, encoding, ["truncated_multibyte"]
        raise DecodeError(path, "decode", f"detected {encoding}, but byte {exc.start} is not valid "
                          f"{encoding}: the file is corrupted or mixes encodings") from exc
    if _textlike_share(text) < 0.85:
        raise DecodeError(path, "decode", f"decoded as {encoding}, the content is mostly not "
                          "text: it looks like a binary file, not a report page")
    return text, encoding, []
