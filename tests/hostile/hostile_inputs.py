"""Hostile inputs for one report, generated from the seeds (nothing large is committed).

Each :class:`Kind` makes the bytes (or text) of one page of roughly ``size`` bytes. ``grows``
marks the pathological kinds whose cost is measured at several sizes (``test_growth.py``);
``keeps`` marks pages that embed a seed report whole, whose jurisdiction and year must survive.
:func:`measure` runs one page through :func:`lawreports.read_report` in a forked child and gives
its outcome, seconds and peak memory. Used by the tests in this folder and by
``benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import re
import resource
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"

#: The seed every embedded report is taken from, with what must survive of it.
SEED = "001"
SEED_JURISDICTION = "天镇县"
SEED_YEAR = 2019


@lru_cache(maxsize=None)
def seed_text(prefix: str = SEED) -> str:
    (path,) = RAW.glob(f"{prefix}_*.txt")
    return path.read_text("utf-8")


def _seed_body(prefix: str = SEED) -> str:
    """The seed from its first numbered heading on (no title, no page chrome)."""
    text = seed_text(prefix)
    m = re.search(r"^\s*一、", text, re.M)
    return text[m.start():] if m else text


def _repeat(unit: str, size: int) -> str:
    """``unit`` repeated to about ``size`` UTF-8 bytes."""
    n = max(1, size // max(1, len(unit.encode("utf-8"))))
    return unit * n


_NUMBER = re.compile(r"(?<![\d.])(\d{2,})(?![\d.]|\s*年)")


def valid_report(size: int, seed: int = 0) -> str:
    """A valid report of about ``size`` bytes: the seed, its body repeated with numbers redrawn."""
    rng = random.Random(seed)
    text = seed_text()
    body = _seed_body()
    chunks = [text]
    total = len(text.encode("utf-8"))
    while total < size:
        chunk = _NUMBER.sub(lambda m: str(rng.randint(10, 99999)), body)
        chunks.append(chunk)
        total += len(chunk.encode("utf-8"))
    return "\n".join(chunks)


@dataclass(frozen=True)
class Kind:
    """One kind of hostile page.

    Attributes
    ----------
    name : str
    make : callable
        ``make(size) -> bytes | str``: the page's bytes (read as a file of unknown extension)
        or its text (read as ``read_report(text=...)``).
    grows : bool
        Pathological in size: measured at 10 KB, 100 KB and 1 MB.
    keeps : bool
        Embeds the seed report: its jurisdiction and year must be found.
    size : int
        The default size for the per-kind tests and the benchmark.
    """

    name: str
    make: Callable[[int], bytes | str]
    grows: bool = False
    keeps: bool = False
    size: int = 100_000


def _html_page(body_html: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}<title>天镇县2019年度法治政府建设情况报告"
            f"</title></head><body>{body_html}</body></html>")


def _seed_html() -> str:
    return "".join(f"<p>{line}</p>" for line in seed_text().splitlines())


# --- encodings ---------------------------------------------------------------------------------

def _utf16_stray(size: int) -> bytes:
    data = codecs.BOM_UTF16_LE + seed_text().encode("utf-16-le")
    mid = len(data) // 2 & ~1
    return data[:mid] + b"\x00\xd8" + data[mid:]      # a lone high surrogate in the middle


def _utf16_odd(size: int) -> bytes:
    data = seed_text().encode("utf-16-le")
    mid = len(data) // 2 & ~1
    return data[:mid] + b"\x7f" + data[mid:]          # one stray byte shifts the rest


def _mixed(size: int) -> bytes:
    text = seed_text()
    half = len(text) // 2
    return text[:half].encode("utf-8") + "开展执法检查十二次。".encode("gb18030") + text[half:].encode("utf-8")


def _truncated(size: int) -> bytes:
    return seed_text().encode("utf-8") + "报告".encode("utf-8")[:-1]


def _gbk_truncated_mid(size: int) -> bytes:
    data = seed_text().encode("gb18030")
    mid = len(data) // 2
    return data[:mid] + b"\xb1" + data[mid:]          # half a GBK character in the middle


def _gbk_nul(size: int) -> bytes:
    data = seed_text().encode("gb18030")
    i = data.index(b"\n")
    return data[:i] + b"\x00" + data[i:]             # one NUL in the first line


ENCODINGS = [
    Kind("utf16_stray_surrogate", _utf16_stray, keeps=True),
    Kind("utf16_no_bom_stray_byte", _utf16_odd, keeps=True),
    Kind("utf32_bom", lambda s: seed_text().encode("utf-32"), keeps=True),
    Kind("utf32_no_bom", lambda s: seed_text().encode("utf-32-le"), keeps=True),
    Kind("utf32_be_no_bom", lambda s: seed_text().encode("utf-32-be"), keeps=True),
    Kind("gbk_with_nul", _gbk_nul, keeps=True),
    Kind("utf8_bom_gbk_body", lambda s: codecs.BOM_UTF8 + seed_text().encode("gb18030"), keeps=True),
    Kind("mixed_utf8_gbk", _mixed, keeps=True),
    Kind("truncated_utf8", _truncated, keeps=True),
    Kind("gbk_stray_lead_byte", _gbk_truncated_mid, keeps=True),
    Kind("big5_traditional", lambda s: seed_text("002").replace("伊春", "伊春").encode("big5", "ignore")),
    Kind("random_binary", lambda s: random.Random(1).randbytes(s)),
]

# --- HTML --------------------------------------------------------------------------------------

_COMMENTS = "<!--a-->" * 40


def _comment_flood(size: int) -> bytes:
    # no doctype after the comments: the sniffing regex must give up in linear time
    return (_COMMENTS + "x" + _repeat("<!--a-->", size) + seed_text()).encode("utf-8")


def _nested_divs(size: int) -> bytes:
    n = max(1, size // 11)
    return _html_page("<div>" * n + _seed_html() + "</div>" * n).encode("utf-8")


def _huge_attribute(size: int) -> bytes:
    return _html_page(f"<div data-x=\"{'a' * size}\">" + _seed_html() + "</div>").encode("utf-8")


def _script_flood(size: int) -> bytes:
    unit = "<script>var a='法治政府建设情况报告';</script><style>p{color:red}</style>"
    return _html_page(_repeat(unit, size) + _seed_html()).encode("utf-8")


def _entity_flood(size: int) -> bytes:
    return _html_page("<p>" + _repeat("&amp;&#x4e00;&#12345;&nbsp;&lt;", size) + "</p>" + _seed_html()).encode("utf-8")


def _cdata(size: int) -> bytes:
    return _html_page("<![CDATA[" + _repeat("<p>假</p>", size) + "]]>" + _seed_html()).encode("utf-8")


def _xxe(size: int) -> bytes:
    doctype = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
               '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    return (doctype + "<html><body><p>&xxe;&b;</p>" + _seed_html() + "</body></html>").encode("utf-8")


def _external(size: int) -> bytes:
    head = ('<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
            '<script src="http://127.0.0.1:9/x.js"></script>')
    body = ('<img src="http://127.0.0.1:9/x.png"><iframe src="http://127.0.0.1:9/"></iframe>'
            '<object data="http://127.0.0.1:9/x.swf"></object>' + _seed_html())
    return _html_page(body, head).encode("utf-8")


HTML = [
    Kind("comment_flood", _comment_flood, grows=True),
    Kind("comments_then_doctype", lambda s: (_COMMENTS + _html_page(_seed_html())).encode("utf-8"), keeps=True),
    Kind("nested_divs", _nested_divs, grows=True, keeps=True),
    Kind("huge_attribute", _huge_attribute, grows=True, keeps=True),
    Kind("script_style_flood", _script_flood, grows=True, keeps=True),
    Kind("entity_flood", _entity_flood, grows=True, keeps=True),
    Kind("cdata", _cdata, keeps=True),
    Kind("xxe_doctype", _xxe, keeps=True),
    Kind("external_resources", _external, keeps=True),
    Kind("base_href", lambda s: _html_page(_seed_html(), '<base href="http://127.0.0.1:9/">').encode("utf-8"), keeps=True),
    Kind("meta_refresh", lambda s: _html_page(_seed_html(), '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/">').encode("utf-8"), keeps=True),
    Kind("unclosed_tags", lambda s: _html_page(_repeat("<p><b><i><table><tr><td>", s) + _seed_html()).encode("utf-8"), grows=True, keeps=True),
]

# --- text --------------------------------------------------------------------------------------

_CYCLE = ["一、加强依法行政", "(一)完善制度体系", "1、健全规章制度", "(1)规范执法行为", "①落实责任清单"]


def _headings(size: int) -> str:
    line_bytes = sum(len(x.encode("utf-8")) + 1 for x in _CYCLE) / len(_CYCLE)
    n = max(5, int(size / line_bytes))
    return "天镇县2019年度法治政府建设情况报告\n" + "\n".join(_CYCLE[i % 5] for i in range(n))


def _baifenzhi(size: int) -> str:
    half = size // 2
    flood = _repeat("百分之", half)
    tail = "".join(f"百分之{'一二三四五六七八九'[i % 9]}" for i in range(half // 12))
    return flood + tail


def _rate_count(size: int) -> str:
    unit = "全年受理行政复议案件120件,纠错12件,纠错率为10%。"
    return seed_text() + "\n" + _repeat(unit, size)


def _rate_count_one_sentence(size: int) -> str:
    unit = "受理行政复议案件120件,纠错12件,纠错率为10%,"
    return seed_text() + "\n" + _repeat(unit, size)


def _one_line_table(size: int) -> str:
    rows = []
    i = 0
    total = 0
    while total < size:
        row = f"{i + 1} 第{i + 1}执法队 受理{100 + i}件 办结{90 + i % 10}件 办结率{(90 + i % 10) / (100 + i) * 100:.1f}% "
        rows.append(row)
        total += len(row.encode("utf-8"))
        i += 1
    return seed_text() + "\n" + "".join(rows)


def _control(size: int) -> str:
    text = seed_text()
    return text.replace("关于2019年度法治政府建设情况报告",
                        "\x07关于\x1b[31m2019年度\x00法治政府\x08建设情况报告\x1b[0m\x7f")


def _long_line(size: int) -> str:
    return seed_text() + "\n" + _repeat("全面推进依法行政工作持续深化", size)


def _rtl_zero_width(size: int) -> str:
    text = seed_text()
    return "\u202e\u2067" + "\u200b".join(text[:400]) + text[400:] + "\u202c\u2069"


def _punct(size: int) -> str:
    return _repeat("。,;:!?、“”《》()—…·", size)


def _emoji(size: int) -> str:
    return seed_text().replace("。", "。😀🇨🇳👍🏽") + _repeat("🎉", size // 4)


def _blank_flood(size: int) -> str:
    return seed_text() + "\n" + _repeat("专项检查 次,涉及物业纠纷 件,", size)


def _enum_flood(size: int) -> str:
    unit = "一是加强领导;二是完善制度;三是强化监督;"
    return seed_text() + "\n三、存在的问题\n" + _repeat(unit, size)


def _digit_flood(size: int) -> str:
    return _repeat("1234567890", size)


def _cn_numeral_flood(size: int) -> str:
    return _repeat("一二三四五六七八九十百千万亿", size) + "件"


TEXT = [
    Kind("headings_100k", _headings, grows=True),
    Kind("baifenzhi_flood", _baifenzhi, grows=True),
    Kind("rate_count_flood", _rate_count, grows=True, keeps=True),
    Kind("rate_count_one_sentence", _rate_count_one_sentence, grows=True, keeps=True),
    Kind("one_line_table", _one_line_table, grows=True, keeps=True),
    Kind("valid_report_large", valid_report, grows=True, keeps=True),
    Kind("control_chars_title", _control, keeps=True),
    Kind("very_long_line", _long_line, grows=True, keeps=True),
    Kind("rtl_zero_width", _rtl_zero_width, keeps=True),
    Kind("only_punctuation", _punct, grows=True),
    Kind("emoji", _emoji, grows=True, keeps=True),
    Kind("blank_flood", _blank_flood, grows=True, keeps=True),
    Kind("enumeration_flood", _enum_flood, grows=True, keeps=True),
    Kind("digit_flood", _digit_flood, grows=True),
    Kind("chinese_numeral_flood", _cn_numeral_flood, grows=True),
    Kind("only_newlines", lambda s: "\n" * s),
    Kind("crlf_only_cr", lambda s: seed_text().replace("\n", "\r"), keeps=True),
]

KINDS: dict[str, Kind] = {k.name: k for k in ENCODINGS + HTML + TEXT}


def make(kind: Kind, size: int | None = None) -> bytes | str:
    return kind.make(kind.size if size is None else size)


# --- running one page --------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What reading one page gave.

    ``outcome`` is ``ok``, ``flags`` (read, with warnings), the ReportError class name, or
    ``crash: <exception>``/``timeout``; ``peak_mb`` is the growth of the resident set while
    reading (the child's peak RSS less its RSS before reading).
    """

    outcome: str
    seconds: float
    peak_mb: float
    warnings: tuple[str, ...] = ()
    jurisdiction: str | None = None
    report_year: int | None = None
    problems: tuple[str, ...] = ()


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def read(data: bytes | str):
    import lawreports

    if isinstance(data, bytes):
        return lawreports.read_report(data)
    return lawreports.read_report(text=data)


def problems(report) -> list[str]:
    """What is not sane in a report: offsets that do not slice its text, control characters."""
    text = report.text
    n = len(text)
    out = []
    for s in report.sections:
        if not (0 <= s.start <= s.end <= n and text[s.start:s.end] == s.text):
            out.append(f"section {s.section_id} {s.start}:{s.end}")
    for p in report.part_spans:
        if not 0 <= p.start <= p.end <= n:
            out.append(f"part {p.part} {p.start}:{p.end}")
    for sh in report.shortcomings:
        if text[sh.start:sh.end] != sh.text:
            out.append(f"shortcoming {sh.item}")
    for ind in report.indicators:
        if not (0 <= ind.start < ind.end <= n and text[ind.start:ind.end] in ind.sentence
                and len(ind.sentence) <= 200):
            out.append(f"indicator {ind.start}:{ind.end}")
    for c in list(report.checks) + list(report.blanks):
        if not 0 <= c.start <= c.end <= n:
            out.append(f"{type(c).__name__} {c.start}:{c.end}")
    if re.search(r"[\x00-\x08\x0e-\x1f\x7f]", text + (report.title or "")):
        out.append("control characters in the text")
    return out


@lru_cache(maxsize=1)
def _warm() -> None:
    read(seed_text())
    read(_html_page(_seed_html()).encode("utf-8"))


def measure(data: bytes | str, *, timeout: float = 120.0) -> Outcome:
    """Read ``data`` in a forked child (fresh memory accounting, killable on timeout)."""
    import lawreports

    _warm()  # in the parent: the child measures reading, not importing or loading lexicons

    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(rfd)
        try:
            before = _rss()
            t = time.perf_counter()
            try:
                report = read(data)
                res = {"outcome": "flags" if report.warnings else "ok",
                       "warnings": list(report.warnings), "jurisdiction": report.meta.jurisdiction,
                       "report_year": report.meta.report_year, "problems": problems(report)}
            except lawreports.ReportError as exc:
                res = {"outcome": type(exc).__name__}
            except BaseException as exc:  # noqa: BLE001 - what the test must see
                res = {"outcome": f"crash: {type(exc).__name__}: {exc}"[:200]}
            res["seconds"] = time.perf_counter() - t
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            res["peak_mb"] = max(0, peak - before) / 2**20
            os.write(wfd, json.dumps(res).encode())
        finally:
            os._exit(0)
    os.close(wfd)
    deadline = time.monotonic() + timeout
    chunks = []
    os.set_blocking(rfd, False)
    while True:
        try:
            chunk = os.read(rfd, 65536)
        except BlockingIOError:
            chunk = None
        if chunk:
            chunks.append(chunk)
            continue
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            try:
                while chunk := os.read(rfd, 65536):
                    chunks.append(chunk)
            except BlockingIOError:
                pass
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(rfd)
            return Outcome("timeout", timeout, float("nan"))
        time.sleep(0.01)
    os.close(rfd)
    if not chunks:
        return Outcome("crash: child died", time.monotonic() - deadline + timeout, float("nan"))
    res = json.loads(b"".join(chunks))
    return Outcome(res["outcome"], res["seconds"], res["peak_mb"], tuple(res.get("warnings", ())),
                   res.get("jurisdiction"), res.get("report_year"), tuple(res.get("problems", ())))
