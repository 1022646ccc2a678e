"""Bytes to text: encoding detection for report pages.

Order of decisions, each recorded as the ``encoding`` of the result:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) wins;
   A BOM that its body contradicts (a UTF-8 BOM before a GBK page) is dropped (``bom_mismatch``);
2. UTF-32 without a BOM (two NUL bytes in every four), then UTF-16 without a BOM (NUL bytes in
   every other position); UTF-16 is decoded line by line, so that a stray byte costs one line
   at most; a few NUL bytes in a page that is neither are dropped (``nul_bytes``);
3. strict UTF-8 (most pages); a sequence cut off in the last three bytes is decoded without it
   and reported as a warning (``truncated_utf8``); a page that is UTF-8 but for a few bytes keeps
   them as U+FFFD (``replaced_bytes``), or reads them as GB18030 where they are (``mixed_encoding``);
4. otherwise ``charset-normalizer`` chooses among the encodings Chinese pages use (GB18030,
   which covers GBK and GB2312, Big5 and UTF-16).

What is not valid in the chosen encoding is replaced and flagged (``replaced_bytes``), not
refused: one bad byte never costs the whole report. A file of which more than 1 % of the bytes
cannot be read, or whose reading is mostly not text, is refused with
:class:`~lawreports.errors.DecodeError`.

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


def _utf32_order(data: bytes) -> str | None:
    """``utf-32-le``/``utf-32-be`` when the bytes look like UTF-32 without a BOM, else None.

    Every character of a Chinese page is below U+10000: two NUL bytes in every four, at the
    same place in each.
    """
    sample = data[:65536]
    quads = len(sample) // 4
    if quads < 2:
        return None
    if sample[3::4].count(0) >= 0.98 * quads and sample[2::4].count(0) >= 0.9 * quads:
        return "utf-32-le"
    if sample[0::4].count(0) >= 0.98 * quads and sample[1::4].count(0) >= 0.9 * quads:
        return "utf-32-be"
    return None


def _nul_share(data: bytes) -> float:
    sample = data[:65536]
    return sample.count(0) / len(sample)


def _replaced(text: str, data: bytes, codec: str) -> int:
    """How many U+FFFD the decoding added (those the page itself wrote are not counted)."""
    added = text.count("\ufffd")
    if added:
        try:
            added -= data.count("\ufffd".encode(codec))
        except (LookupError, UnicodeError):
            pass
    return max(added, 0)


def _decode_utf16(data: bytes, codec: str) -> tuple[str, int]:
    """UTF-16 that survives stray bytes: decoded line by line, each line re-aligned.

    A newline (``0A 00`` in little-endian) starts a character whatever came before it, so a
    stray byte shifts only the rest of its own line; in that line the byte is dropped after the
    last NUL that is still in its place (ASCII characters put a NUL in every other byte).
    Returns the text and the number of bytes dropped or replaced.
    """
    newline = "\n".encode(codec)
    nul_at = 1 if codec.endswith("le") else 0
    pieces: list[str] = []
    bad = 0
    for segment in data.split(newline):
        if len(segment) % 2:
            bad += 1
            in_place = [i for i in range(nul_at, len(segment), 2) if segment[i] == 0]
            cut = in_place[-1] + 1 - nul_at + 2 if in_place else len(segment) - 1
            cut = min(cut, len(segment) - 1)
            segment = segment[:cut] + segment[cut + 1:]
        piece = segment.decode(codec, errors="replace")
        bad += piece.count("\ufffd")
        pieces.append(piece)
    return "\n".join(pieces), bad


def _utf8_width(lead: int) -> int:
    return 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0


def _utf8_tail(data: bytes, lo: int, hi: int) -> int:
    """Start of the longest suffix of ``data[lo:hi]`` (all bytes >= 0x80) that is valid UTF-8."""
    pos = hi
    while pos > lo:
        k = pos - 1
        while k > lo and pos - k < 4 and 0x80 <= data[k] <= 0xBF:
            k -= 1
        width = _utf8_width(data[k])
        if not width or k + width != pos:
            break
        try:
            data[k:pos].decode("utf-8")
        except UnicodeDecodeError:
            break
        pos = k
    return pos


def _utf8_mixed(data: bytes) -> tuple[str, int, int]:
    """UTF-8 whose invalid stretches are read as GB18030 where they are valid GB18030.

    Returns the text, the bytes replaced by U+FFFD and the characters read as GB18030.
    """
    pieces: list[str] = []
    replaced = gb = 0
    pos = 0
    n = len(data)
    while pos < n:
        try:
            pieces.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            bad_at = pos + exc.start
            pieces.append(data[pos:bad_at].decode("utf-8"))
        # the stretch that is not UTF-8, up to the next ASCII byte: its longest valid UTF-8
        # tail stays UTF-8; what comes before is read as GB18030 (a GBK sentence pasted in),
        # character by character where it is not wholly valid GB18030, else replaced
        end = bad_at
        while end < n and data[end] >= 0x80:
            end += 1
        tail = _utf8_tail(data, bad_at, end)
        head = data[bad_at:tail]
        try:
            piece = head.decode("gb18030")
            gb += len(piece)
            pieces.append(piece)
        except UnicodeDecodeError:
            i = bad_at
            while i < tail:
                for width, codec in ((2, "gb18030"), (4, "gb18030"), (_utf8_width(data[i]), "utf-8")):
                    if not width or i + width > tail:
                        continue
                    try:
                        piece = data[i:i + width].decode(codec)
                    except UnicodeDecodeError:
                        continue
                    gb += codec == "gb18030"
                    break
                else:
                    piece, width = "\ufffd", 1
                    replaced += 1
                pieces.append(piece)
                i += width
        pieces.append(data[tail:end].decode("utf-8"))
        pos = end
    return "".join(pieces), replaced, gb


#: Share of a file's bytes that may be replaced before the file is refused as not text.
MAX_REPLACED_SHARE = 0.01


def decode_bytes(data: bytes, *, path: str = "<bytes>") -> tuple[str, str, list[str]]:
    """Decode the bytes of a report page, keeping what can be decoded.

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
        The codec used (``utf-8``, ``utf-8-sig``, ``utf-16``, ``utf-32-le``, ``gb18030``, ``big5``…).
    warnings : list of str
        ``truncated_utf8``/``truncated_multibyte`` when a multi-byte sequence was cut off at the
        end of the file; ``replaced_bytes`` when bytes that are not valid in the encoding were
        replaced by U+FFFD (or dropped, for a stray byte in UTF-16); ``bom_mismatch`` when the
        byte-order mark does not match the body (a UTF-8 BOM before a GBK page: the body is
        decoded as what it is); ``nul_bytes`` when a few NUL bytes were dropped from a page that
        is not UTF-16/32; ``mixed_encoding`` when stretches of a UTF-8 page are GB18030.

    Raises
    ------
    EmptyReportError, UnsupportedFormatError, DecodeError
        DecodeError only when more than 1 % of the bytes (``MAX_REPLACED_SHARE``) cannot be read
        in any of the encodings, or the result is mostly not text.
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
    warnings: list[str] = []
    for bom, codec in _BOMS:
        if not data.startswith(bom):
            continue
        body = data[len(bom):]
        if codec == "utf-16":
            order = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
            text, bad = _decode_utf16(body, order)
        else:
            if codec == "utf-32":
                codec = "utf-32-le" if bom == codecs.BOM_UTF32_LE else "utf-32-be"
            text = body.decode(codec if codec != "utf-8-sig" else "utf-8", errors="replace")
            bad = _replaced(text, body, codec if codec != "utf-8-sig" else "utf-8")
        if bad <= MAX_REPLACED_SHARE * len(body) and _textlike_share(text) > 0.85:
            if bad:
                LOGGER.debug("%s: %d bytes not valid %s replaced", path, bad, codec)
                warnings.append("replaced_bytes")
            return text, codec, warnings
        LOGGER.debug("%s: the %s byte-order mark does not match the body", path, codec)
        warnings.append("bom_mismatch")
        data = body
        break
    if not data.strip():
        raise EmptyReportError(path, "decode", "the file holds only a byte-order mark and whitespace")

    utf32 = _utf32_order(data)
    if utf32 is not None:
        text = data[: len(data) // 4 * 4].decode(utf32, errors="replace")
        bad = _replaced(text, data, utf32) + len(data) % 4
        if bad <= MAX_REPLACED_SHARE * len(data) and _textlike_share(text) > 0.85:
            return text, utf32, warnings + (["replaced_bytes"] if bad else [])
    nul_share = _nul_share(data)
    if nul_share > 0.05:
        # UTF-16 without a byte-order mark: ASCII characters (digits, newlines) give NUL bytes.
        for codec in _utf16_order(data):
            text, bad = _decode_utf16(data, codec)
            if bad <= MAX_REPLACED_SHARE * len(data) and _textlike_share(text) > 0.9:
                return text, codec, warnings + (["replaced_bytes"] if bad else [])
        raise DecodeError(path, "decode", "the file holds many NUL bytes and is not UTF-16 or "
                          "UTF-32: it looks like a binary file, not a text or HTML page")
    if b"\x00" in data:
        LOGGER.debug("%s: %d NUL bytes dropped", path, data.count(0))
        data = data.replace(b"\x00", b"")
        warnings.append("nul_bytes")
        if not data.strip():
            raise EmptyReportError(path, "decode", "the file holds only NUL bytes and whitespace")

    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            LOGGER.debug("%s: truncated UTF-8 sequence at the end", path)
            return data[: exc.start].decode("utf-8"), "utf-8", warnings + ["truncated_utf8"]
    sample = data[:65536].decode("utf-8", errors="replace")
    if sample.count("\ufffd") <= 0.02 * len(sample):
        # mostly UTF-8: a few stray bytes, or a stretch in GBK pasted in
        text, bad, gb = _utf8_mixed(data)
        if bad <= MAX_REPLACED_SHARE * len(data) and _textlike_share(text) > 0.85:
            if gb:
                LOGGER.debug("%s: %d characters of a UTF-8 page read as GB18030", path, gb)
                warnings.append("mixed_encoding")
            if bad:
                warnings.append("replaced_bytes")
            return text, "utf-8", warnings

    best = from_bytes(data[:200000], cp_isolation=CANDIDATE_ENCODINGS).best()
    candidates = [best.encoding] if best is not None else []
    candidates += [c for c in ("gb18030", "big5") if c not in candidates]
    readings = []
    for encoding in candidates:
        if encoding in ("gb2312", "gbk", "cp936"):
            encoding = "gb18030"
        text = data.decode(encoding, errors="replace")
        bad = _replaced(text, data, encoding)
        truncated = False
        if bad and text.endswith("\ufffd"):
            try:
                data[-4:].decode(encoding)
            except UnicodeDecodeError:
                # a sequence cut off at the end
                text, bad, truncated = text[:-1], bad - 1, True
        readings.append((bad, -_textlike_share(text), encoding, text, truncated))
        if not bad:
            break
    bad, neg_share, encoding, text, truncated = min(readings, key=lambda r: r[:2])
    if bad > MAX_REPLACED_SHARE * len(data):
        raise DecodeError(path, "decode", "not text in UTF-8, GB18030/GBK, Big5, UTF-16 or UTF-32: "
                          f"more than {MAX_REPLACED_SHARE:.0%} of the bytes are not valid in any of "
                          "them (binary or corrupted file?)")
    if -neg_share < 0.85:
        raise DecodeError(path, "decode", f"decoded as {encoding}, the content is mostly not "
                          "text: it looks like a binary file, not a report page")
    if truncated:
        warnings.append("truncated_multibyte")
    if bad:
        LOGGER.debug("%s: %d bytes not valid %s replaced", path, bad, encoding)
        warnings.append("replaced_bytes")
    return text, encoding, warnings
