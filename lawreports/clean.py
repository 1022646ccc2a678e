"""Normalise a page's text and strip the website's chrome around the report.

Normalisation: newlines to ``\\n``; full-width digits, Latin letters and ``％`` to ASCII (a
full-width ``．`` between digits too); ideographic and no-break spaces to spaces, zero-width
characters removed; each line trimmed and runs of spaces folded; at most one blank line in a row.
Chinese punctuation (``，。；：（）``) is kept as written.

Stripping: the report runs from its title line to its last line of prose, signature or date.
Lines before the title are the page's header; lines between the title and the first line of the
body are kept unless they are chrome (publication line, counters, font-size tools…); lines after
the end that match a chrome pattern (``lawreports/resources/chrome.txt``) are the footer. Every
stripped line is kept in :attr:`Cleaned.stripped`, with where it was and why it went.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .resource_files import read_csv, read_lines

LOGGER = logging.getLogger(__name__)

__all__ = ["Stripped", "Cleaned", "normalize_text", "strip_chrome", "report_end", "looks_traditional", "to_simplified", "is_signature", "TITLE_RE", "DATE_RE"]

#: Longest line (characters) that can still be page chrome.
CHROME_MAX_CHARS = 120

_FULLWIDTH = {**{0xFF10 + i: 0x30 + i for i in range(10)},
              **{0xFF21 + i: 0x41 + i for i in range(26)},
              **{0xFF41 + i: 0x61 + i for i in range(26)},
              0xFF05: ord("%"), 0x3000: ord(" "), 0x00A0: ord(" "), 0x2002: ord(" "),
              0x2003: ord(" "), 0x2009: ord(" "), 0x202F: ord(" "), 0x0009: ord(" "),
              0x000B: ord(" "), 0x000C: ord(" "),
              0x200B: None, 0x200C: None, 0x200D: None, 0xFEFF: None, 0x00AD: None,
              0x2028: ord("\n"), 0x2029: ord("\n"), 0x0085: ord("\n")}
#: A run of the characters _FULLWIDTH maps: only those runs are translated (most of a page
#: has none, and str.translate looks up every character).
_FULLWIDTH_RUN = re.compile("[" + "".join(re.escape(chr(c)) for c in _FULLWIDTH) + "]+")
#: Pinyin printed after a character, as reading aids do: 汉(hàn)字, 莘(shēn)县 (the bracket is
#: matched first and the character before it looked behind at, so the scan skips to brackets).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_NOTE = re.compile(r"[(（](?<=[\u4e00-\u9fff][(（])\s*(?:[a-zü]*[" + _TONED + r"][a-zü]*|[a-zü]{1,6}[1-5])"
                          r"(?:\s+(?:[a-zü]*[" + _TONED + r"][a-zü]*|[a-zü]{1,6}[1-5]))*\s*[)）]")
#: Terminal escape sequences (ESC [ 31 m), the C0 control characters but \n, \t, VT and FF (which
#: become spaces) — NUL, BEL, backspace, ESC… — and DEL: removed, they are never text.
_ANSI = re.compile(r"\x1b\[[0-9;?]{0,32}[ -/]{0,4}[@-~]|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]+")
_FW_POINT = re.compile(r"．(?<=\d．)(?=\d)")   # the point first: the scan skips to it
#: The characters _FULLWIDTH maps to a space.
_TO_SPACE = tuple(chr(c) for c, to in _FULLWIDTH.items() if to == ord(" "))
#: A control character or a character _FULLWIDTH maps to anything but a space: where a page has
#: none (once its blanks are spaces), neither pattern above has anything to do.
_CONTROL_OR_WIDE = re.compile("[\x00-\x08\x0e-\x1f\x7f" + "".join(re.escape(chr(c)) for c, to in _FULLWIDTH.items()
                                                       if to != ord(" ")) + "]")
_SPACES = re.compile(r" {2,}")
_NEWLINES = re.compile(r"\r\n?")

#: A report title: names the rule-of-law report and is not a sentence.
TITLE_RE = re.compile(
    r"(法治政府|法治建设|依法行政|法治[\u4e00-\u9fff]{0,4}建设|依法治[\u4e00-\u9fff])"
    r"[^。]{0,40}(报告|情况|总结)")
#: A date as pages write it: 2023-03-14, 2023/3/14, 2023.03.14, 2023年3月14日, 二〇二三年三月十四日.
DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>[01]?\d)\s*[-/.月]\s*(?P<d>[0-3]?\d)(?:\s*日)?(?!\d)"
    r"|(?P<cy>[〇零○一二三四五六七八九]{4})年(?P<cm>[一二三四五六七八九十]{1,2})月(?P<cd>[一二三四五六七八九十]{1,3})日")
#: The start of a part or section heading (一、, （二）).
HEADING_START = re.compile(r"^([一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)])")
_SENTENCE_PUNCT = re.compile(r"[，,。；;：:！？]")
_SIGNATURE = re.compile(r"(人民政府|政府|管委会|管理委员会|委员会|办事处|办公室|局|厅|委|院|中心)$")
_ONLY_DATE = re.compile(r"^\s*(" + DATE_RE.pattern + r")\s*$")
_PUNCT_ONLY = re.compile(r"^[\W_]+$")
#: A line that is a date and perhaps a time, between the title and the body (•  2023年03月30日 09时24分).
_DATE_LINE = re.compile(r"^[\s•·|｜]*(?:" + DATE_RE.pattern + r")\s*(?:\d{1,2}\s*[:时]\s*\d{1,2}(?:\s*[:分]\s*\d{0,2}秒?)?)?[\s|｜]*$")
_TRADITIONAL_HINT = re.compile(r"[國會與為們發體關這時現區縣鎮報實於點對過還進個員機權務設開條應劃導處議變總義]")


_LINE_HEADING = re.compile(r"^(\d{1,2}[、.．]|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[①-⑳])")
_SIGNATURE_LINE_PUNCT = re.compile(r"[。，,；;：:！？!?、]")


@lru_cache(maxsize=1)
def _chrome_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line) for line in read_lines("chrome.txt"))


@lru_cache(maxsize=1)
def _closing_pattern() -> re.Pattern[str]:
    """Lines that start what follows a report (附件, 分享到, 打印…): part_patterns.csv, role closing."""
    rows = [r["pattern"] for r in read_csv("part_patterns.csv") if (r.get("role") or "").strip() == "closing"]
    return re.compile("|".join(f"(?:{p})" for p in rows) if rows else r"(?!x)x")


@dataclass(frozen=True)
class Stripped:
    """One line removed from the page.

    Attributes
    ----------
    where : {"head", "inner", "tail"}
        Before the title, between the title and the body, or after the report's end.
    line : int
        Line number (0-based) in the normalised page text.
    text : str
    reason : str
        ``before title``, or ``chrome: <the words that matched a chrome pattern>``.
    """

    where: str
    line: int
    text: str
    reason: str


@dataclass
class Cleaned:
    """The result of :func:`strip_chrome`.

    Attributes
    ----------
    text : str
        The report: title line, body, signature and date.
    body_end : int
        Where the body ends in ``text``: :func:`report_end`, the one rule for it. The signature,
        the date and attachments are ``text[body_end:]``.
    title : str or None
        The title line, when one was recognised.
    page_lines : list of str
        The normalised page, line by line (what the line numbers of ``stripped`` refer to).
    stripped : list of Stripped
        Every non-blank line that is not in ``text``.
    warnings : list of str
    """

    text: str
    title: str | None
    page_lines: list[str]
    body_end: int = -1
    stripped: list[Stripped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def head(self) -> list[str]:
        """Stripped lines before the body (header and publication lines)."""
        return [s.text for s in self.stripped if s.where in ("head", "inner")]

    @property
    def tail(self) -> list[str]:
        """Stripped lines after the report's end (footer)."""
        return [s.text for s in self.stripped if s.where == "tail"]


def _translate_fullwidth(m: re.Match[str]) -> str:
    return m.group().translate(_FULLWIDTH)


def normalize_text(text: str, *, warnings: list[str] | None = None) -> str:
    """Normalise newlines, spaces and full-width digits/letters/percent signs.

    Control characters (C0 but newline and tab, DEL, terminal escape sequences) are removed;
    when there were any, ``"control_characters"`` is appended to ``warnings`` (if given).

    Examples
    --------
    >>> normalize_text("调解成功率达９５．５％\\r\\n\\r\\n\\r\\n  第二行　")
    '调解成功率达95.5%\\n\\n第二行'
    """
    text = _NEWLINES.sub("\n", text)
    # the blanks that become spaces, by one replace each (the ideographic space that indents
    # every paragraph, the no-break space of web pages…); each character is mapped on its own,
    # so what is left maps the same
    spaced = text
    for blank in _TO_SPACE:
        if blank in spaced:
            spaced = spaced.replace(blank, " ")
    if _CONTROL_OR_WIDE.search(spaced) is None:
        # neither a control character nor anything else to map: one scan instead of two
        text = _FW_POINT.sub(".", spaced)
    else:
        if _CONTROL.search(text):
            # removed before anything is mapped: an escape sequence may hold a blank
            text = _CONTROL.sub("", _ANSI.sub("", text))
            if warnings is not None:
                warnings.append("control_characters")
            spaced = text.replace("\u3000", " ").replace("\u00a0", " ")
        text = _FULLWIDTH_RUN.sub(_translate_fullwidth, _FW_POINT.sub(".", spaced))
    text = _PINYIN_NOTE.sub("", text)
    lines = [_SPACES.sub(" ", line) if "  " in line else line for line in map(str.strip, text.split("\n"))]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _chrome_match(line: str) -> str | None:
    if len(line) > CHROME_MAX_CHARS or line.endswith("。"):
        return None
    for pattern in _chrome_patterns():
        m = pattern.search(line)
        if m:
            return m.group(0).strip() or pattern.pattern
    if _PUNCT_ONLY.match(line):
        return "punctuation only"
    return None


_NOT_TITLE = re.compile(r"[，,；;！？]|[:：]$|^\s*(\d{1,2}[、.．]|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)])")


_TITLE_LABEL = re.compile(r"^[\s\[【|｜]*(标\s*题|名\s*称|题\s*目)\s*[\]】|｜]?\s*[:：]?\s*")


def _is_title(line: str) -> bool:
    """A report's title line: names the report, is not a sentence, a heading or a page's chrome."""
    labelled = _TITLE_LABEL.match(line)
    if labelled:                      # 名 称: 2023年…法治政府建设情况报告 on an information-disclosure page
        line = line[labelled.end():]
    return (len(line) <= 100 and "。" not in line and bool(TITLE_RE.search(line))
            and not _NOT_TITLE.search(line) and (labelled is not None or _chrome_match(line) is None))


def _is_body(line: str) -> bool:
    if HEADING_START.match(line):
        return True
    return len(line) >= 40 and bool(_SENTENCE_PUNCT.search(line)) and _chrome_match(line) is None


def _is_title_head(line: str) -> bool:
    """The first line of a title broken in two: 长春市人民政府关于, 桃源县人民政府."""
    line = line.strip()
    return 2 <= len(line) <= 40 and not _SENTENCE_PUNCT.search(line) and (
        line.endswith("关于") or bool(_SIGNATURE.search(line)))


def is_signature(line: str) -> bool:
    """True for a line under a report: a date alone, or a short issuing body (天镇县人民政府)."""
    return bool(_ONLY_DATE.match(line)) or (len(line) <= 40 and bool(_SIGNATURE.search(line))
                                            and not _SENTENCE_PUNCT.search(line))


def to_simplified(text: str) -> str:
    """The text in simplified characters (OpenCC's t2s conversion)."""
    from opencc import OpenCC  # imported only for traditional pages

    return OpenCC("t2s").convert(text)


def looks_traditional(text: str) -> bool:
    """True when a page is written in traditional characters (checked on a sample)."""
    sample = text[:5000]
    hits = len(_TRADITIONAL_HINT.findall(sample))
    return hits >= 5 and hits >= 0.005 * len(sample)


def report_end(text: str) -> int:
    """Where a report's body ends: before its closing signature, date and attachments.

    Read from the last line up: lines that start what follows a report (附件, 分享到, 打印…),
    a line that is a date alone (2023年3月30日, 2023-03-30, 二〇二三年三月三十日), and up to three
    short lines without punctuation just above such a date (the signing bodies) are cut.

    Parameters
    ----------
    text : str
        The clean report text.

    Returns
    -------
    int
        An offset into ``text``; ``text[:offset]`` is the body, trailing blanks excluded.

    Examples
    --------
    >>> text = "一、工作情况\n调解纠纷12件。\n天镇县人民政府\n2023-03-30"
    >>> text[report_end(text):].split()
    ['天镇县人民政府', '2023-03-30']
    """
    closing = _closing_pattern()
    cut = len(text)
    seen_date = False
    signature_lines = 0
    end = len(text)
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        next_end = start - 1
        if not line:
            end = next_end
            continue
        if len(line) <= 80 and closing.match(line):
            cut = start
        elif _ONLY_DATE.match(line):
            seen_date = True
            cut = start
        elif (seen_date and signature_lines < 3 and len(line) <= 30
              and not _SIGNATURE_LINE_PUNCT.search(line) and not _LINE_HEADING.match(line)):
            signature_lines += 1
            cut = start
        else:
            break
        end = next_end
    while cut > 0 and text[cut - 1].isspace():
        cut -= 1
    return cut


def strip_chrome(text: str) -> Cleaned:
    """Find the report inside a normalised page and strip the chrome around it.

    Parameters
    ----------
    text : str
        Output of :func:`normalize_text`.

    Returns
    -------
    Cleaned
    """
    lines = text.split("\n")
    n = len(lines)
    warnings: list[str] = []
    body_start = next((i for i, line in enumerate(lines) if _is_body(line) and not _is_title(line)), None)
    if body_start is None:
        warnings.append("no_body")
        body_start = 0
    titles = [i for i in range(body_start) if _is_title(lines[i])]
    if not titles and body_start == 0:
        titles = [i for i in range(min(n, 40)) if _is_title(lines[i])][:1]
    title_idx = titles[-1] if titles else None
    if title_idx is None:
        warnings.append("no_title")
    title_lines = 1
    if title_idx is None:
        # a title broken in two: 桐木漯瑶族乡人民政府关于2023年度法治政府建设 / 工作的报告
        for i in range(min(body_start, 40)):
            if (lines[i] and i + 1 < n and 0 < len(lines[i + 1]) <= 20
                    and _is_title(lines[i] + lines[i + 1]) and not _is_title(lines[i + 1])):
                title_idx, title_lines = i, 2
                warnings.remove("no_title")
                break
    if title_idx is not None and title_lines == 1 and title_idx > 0 and _is_title_head(lines[title_idx - 1]):
        title_idx -= 1                # 长春市人民政府关于 / 2023年度法治政府建设情况的报告: one title
        title_lines = 2

    stripped: list[Stripped] = []
    keep: list[int] = []
    start = title_idx if title_idx is not None else body_start
    if title_idx is not None and title_idx > body_start:
        start = body_start
    for i in range(start):
        if lines[i]:
            stripped.append(Stripped("head", i, lines[i], "before title"))
    if title_idx is not None and title_idx >= start:
        keep.append(title_idx)
        for i in range(title_idx + 1, body_start):
            reason = _chrome_match(lines[i]) if lines[i] else None
            if reason is None and lines[i] and _DATE_LINE.match(lines[i]):
                reason = "publication date line"
            if reason:
                stripped.append(Stripped("inner", i, lines[i], f"chrome: {reason}"))
            else:
                keep.append(i)
        first_body = max(body_start, title_idx + 1)
    else:
        first_body = start

    end = n
    while end > first_body:
        line = lines[end - 1]
        if not line:
            end -= 1
            continue
        if is_signature(line) or _is_body(line):
            break
        reason = _chrome_match(line)
        if reason is None:
            break
        stripped.append(Stripped("tail", end - 1, line, f"chrome: {reason}"))
        end -= 1
    keep.extend(range(first_body, end))

    out: list[str] = []
    for i in keep:
        line = lines[i]
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    stripped.sort(key=lambda s: s.line)
    title = "".join(lines[title_idx:title_idx + title_lines]) if title_idx is not None else None
    report = "\n".join(out)
    return Cleaned(text=report, title=title, page_lines=lines, body_end=report_end(report),
                   stripped=stripped, warnings=warnings)
