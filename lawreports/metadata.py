"""Who reported, for which year, and when: metadata from a cleaned report.

Every value comes with an :class:`Evidence` record naming the rule that produced it and the line
it came from, so a researcher can audit each cell of the ``reports`` table.

Rules, in order of trust:

* **body, jurisdiction, division_type, tier, province, prefecture, county, adcode, township
  code** — :mod:`lawreports.places` weighs every claim the page makes about who reports (title,
  issuer line, signature, introducing and opening sentences, 来源 and 主办 lines, site name)
  against how the page refers to itself (我县, 全区…), and places the chosen name by the divisions
  the page names (海陵试验区: the page says 阳江 and 广东, so 阳江市, not 泰州's 海陵区).
* **report_year** — the year the title names, else the introducing sentence's (现将…, 现就…),
  else the opening ``2019年,`` (below a few notice lines at most), else the first part's heading
  (一、2023年度…主要举措和成效); else the publication year minus one (flagged ``year_inferred``).
  It is found before the place: a 新区 not yet a district in that year is a zone.
* **published** — the page's own publish/issue date (``<meta name=PubDate>``, 发布时间, 发布日期,
  发文时间, 成文日期, 编辑日期, a bare date on the publication line or under the title, 生成日期
  last), never a site clock (今天是…星期…) nor a date quoted in the body; where the page gives
  none, the date under the signature.
* **signed** — the date under the signature.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import cn2an

from .clean import DATE_RE, HEADING_START, Cleaned
from .divisions import TOWNSHIP_CODE_SYSTEM
from .places import INTRO as _INTRO
from .places import resolve_place, split_body  # noqa: F401 - split_body: public here too
from .records import Evidence, Metadata

LOGGER = logging.getLogger(__name__)

__all__ = ["Evidence", "Metadata", "extract_metadata", "parse_date"]


_YEAR_MIN, _YEAR_MAX = 1990, 2100
_ADDRESSEE = re.compile(r"^[\u4e00-\u9fff、,，\s]{2,40}[:：]$")
_BOOK = re.compile(r"《[^》]{0,80}》|[(（][^)）]{0,30}[)）]")
_CLAUSE_YEAR = re.compile(r"(?:^|[,，。;；:：])\s*(?P<y>(?:19|20)\d{2})\s*年(?:度)?\s*(?:以来)?(?:[,，]|是)")
_OPENING_YEAR = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})\s*年(?:度)?\s*(?:以来)?(?:[,，]|(?=在[^。]{0,40}?领导下))")
_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})\s*(?:年度|年)")
_HEADING_YEAR = re.compile(r"(?:^|\n)\s*[一1][、.．]\s*(?:上一?年度?)?\s*(?P<y>(?:19|20)\d{2})\s*年度?[^\n。]{0,12}?"
                           r"(?:推进)?(?:法治政府建设|依法行政)[^\n。]{0,6}?(?:主要举措|举措|成效|工作情况|开展情况|工作概况)")
_CLOCK = re.compile(r"今天是|今日|星期|周[一二三四五六日]|现在时间|北京时间")
_LABEL_GAP = r"\s*[\]】|｜:：]*\s*"          # 发布日期 ] 2026-01-16, | 生成日期 | 2026-03-18
_LABELLED = [
    ("发布", re.compile(r"(发布时间|发布日期|发表时间|发布于|网站发布|公开日期)" + _LABEL_GAP)),
    ("发文", re.compile(r"(发文日期|发文时间|印发日期)" + _LABEL_GAP)),
    ("成文", re.compile(r"(成文日期)" + _LABEL_GAP)),
    ("编辑", re.compile(r"(编辑日期|更新时间|更新日期|(?<![成发生])日\s*期|(?<!发布)时\s*间)\s*[\]】|｜]*\s*[:：]\s*")),
    # the day the document was generated in the publishing system: the last resort of the labels
    ("生成", re.compile(r"(生成日期)" + _LABEL_GAP)),
]
_META_LINE = re.compile(r"来源|阅读|浏览|访问|点击|作者|编辑|字号|字体")
_SOURCE = re.compile(r"(?:信息)?来源\s*[:：]\s*(?P<x>[\u4e00-\u9fff]{2,30}?)"
                     r"(?=访问|阅读|浏览|发布|作者|点击|字体|字号|时间|日期|编辑|责任|[\s|｜]|$)")
_SITE = re.compile(r"(?:欢迎(?:访问|来到)|^)\s*(?P<x>[\u4e00-\u9fff]{2,30}?)(?:人民政府)?(?:门户网站|政务网站|政府网站|政务网|网站|门户网)")
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "001123456789")


def parse_date(text: str) -> dt.date | None:
    """The first valid date written in ``text`` (Arabic or Chinese numerals), or None.

    Examples
    --------
    >>> parse_date("发布时间:2023-03-14 12:59")
    datetime.date(2023, 3, 14)
    >>> parse_date("二〇二〇年三月三十日")
    datetime.date(2020, 3, 30)
    """
    for m in DATE_RE.finditer(text):
        try:
            if m.group("y"):
                y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            else:
                y = int(m.group("cy").translate(_CN_DIGITS))
                mo = int(cn2an.cn2an(m.group("cm"), "smart"))
                d = int(cn2an.cn2an(m.group("cd"), "smart"))
            return dt.date(y, mo, d)
        except (ValueError, TypeError):
            continue
    return None


def extract_metadata(cleaned: Cleaned, *, html_meta: dict[str, str] | None = None,
                     url: str | None = None) -> Metadata:
    """Find who reported, for which year and when, with the evidence for each value.

    Parameters
    ----------
    cleaned : Cleaned
        Output of :func:`lawreports.clean.strip_chrome` (its text already in simplified characters).
    html_meta : dict, optional
        ``<meta>`` values of an HTML page (``pubdate``, ``title``, ``source``, ``site``).
    url : str, optional
        The page's address, where known: its host is evidence of the place.

    Returns
    -------
    Metadata
    """
    html_meta = html_meta or {}
    meta = Metadata()
    text = cleaned.text
    head, tail = cleaned.head, cleaned.tail
    title = cleaned.title
    if title:
        meta._set("title", re.sub(r"^(标题|名\s*称|题\s*目)\s*[:：]\s*", "", title), "title line", title)
    elif html_meta.get("title"):
        meta._set("title", html_meta["title"], "<meta> title", html_meta["title"])

    for line in head + tail + ([f"来源:{html_meta['source']}"] if html_meta.get("source") else []):
        m = _SOURCE.search(line)
        if m and not re.match(r"本网|本站|网络", m.group("x")):
            meta._set("publisher", m.group("x"), "来源 line", line)
            break
    for line in head + ([html_meta["site"]] if html_meta.get("site") else []):
        m = _SITE.search(line)
        if m:
            meta._set("site", m.group("x"), "site name", line)
            break
    intro = _INTRO.search(text[:3000])

    # -- when: the year reported on -----------------------------------------------------------
    year_sources: list[tuple[str, str]] = []
    if meta.title:
        year_sources.append(("title", meta.title))
    if intro:
        year_sources.append(("introducing sentence (现将…)", intro.group(0)))
    intro2 = re.search(r"现[将就把][^。]{0,60}?(?:报告|汇报|总结)如下", text[:3000])
    if intro2:
        year_sources.append(("introducing sentence (现将…)", intro2.group(0)))
    for rule, src in year_sources:
        m = _YEAR.search(src)
        if m and _YEAR_MIN <= int(m.group("y")) <= _YEAR_MAX:
            meta._set("report_year", int(m.group("y")), rule, src)
            break
    if meta.report_year is None:
        body_text = text[len(title):] if title and text.startswith(title) else text
        lines = [ln for ln in body_text.split("\n") if ln.strip() and not _ADDRESSEE.match(ln.strip())
                 and not (title and ln.strip() in title)]
        # the opening sentence (2023年,两江新区坚持…), a few lines of notices above it at most
        opening_lines = []
        for line in lines[:5]:
            if HEADING_START.match(line):
                break
            opening_lines.append(line)
        found = next(((ln, m) for ln in opening_lines if (m := _OPENING_YEAR.match(ln))), None)
        if found:
            first, m = found
            meta._set("report_year", int(m.group("y")), "opening sentence", first[:60])
        else:
            # 根据…,2023年,清波街道以…: the first year of the opening that a clause opens, 《》 aside
            opening = _BOOK.sub(lambda b: " " * len(b.group(0)), "\n".join(lines[:2])[:300])
            m = _CLAUSE_YEAR.search(opening)
            if m and _YEAR_MIN <= int(m.group("y")) <= _YEAR_MAX:
                meta._set("report_year", int(m.group("y")), "opening sentence", opening[:60].strip())

    if meta.report_year is None:
        # 一、2023年度法治政府建设的主要举措和成效: the first part's heading names the year reported on
        m = _HEADING_YEAR.search(text[:3000])
        if m and _YEAR_MIN <= int(m.group("y")) <= _YEAR_MAX:
            meta._set("report_year", int(m.group("y")), "first heading", m.group(0).strip())

    # -- who: the reporting body and its place, weighed over every claim on the page (the year
    # stated tells a zone from the district it later became) ------------------------------------
    resolve_place(cleaned, html_meta, url=url, meta=meta, report_year=meta.report_year)
    if meta.township_code is not None:
        meta._set("township_code_system", TOWNSHIP_CODE_SYSTEM, "the township table's codes",
                  meta.evidence["township_code"].text)

    # -- when: published and signed -----------------------------------------------------------
    closing = text[cleaned.body_end:] if 0 <= cleaned.body_end < len(text) else ""
    sig = [ln for ln in closing.split("\n") if ln.strip()]
    for line in reversed(sig):
        d = parse_date(line)
        if d and len(line) <= 40 and not re.search(r"[，,。；;]", line):
            meta._set("signed", d, "date under the signature", line)
            break
    if html_meta.get("pubdate") and parse_date(html_meta["pubdate"]):
        meta._set("published", parse_date(html_meta["pubdate"]), "<meta> PubDate", html_meta["pubdate"])
    if meta.published is None:
        lines = [(s.where, s.text) for s in cleaned.stripped]
        for label, pattern in _LABELLED:
            for i, (where, line) in enumerate(lines):
                if _CLOCK.search(line):
                    continue
                for m in pattern.finditer(line):
                    after = line[m.end(): m.end() + 24]
                    if not after.strip() and i + 1 < len(lines):
                        after = lines[i + 1][1][:24]      # 发布时间: / 2026-03-04 on the next line
                    d = parse_date(after)
                    if d:
                        meta._set("published", d, f"page's {m.group(1).replace(' ', '')}", line)
                        break
                if meta.published:
                    break
            if meta.published:
                break
    if meta.published is None:
        for s in cleaned.stripped:
            if s.where in ("inner", "head") and not _CLOCK.search(s.text) and (
                    s.where == "inner" or _META_LINE.search(s.text)):
                d = parse_date(s.text)
                if d:
                    meta._set("published", d, "date on the page's publication line", s.text)
                    break
    if meta.published is None and title and text.startswith(title):
        # 湖南省农业农村厅 / (2024年1月31日), 省政府办公厅 2022-03-15: a date line under the title
        for line in [ln.strip() for ln in text[len(title):].split("\n") if ln.strip()][:4]:
            if len(line) > 40 or re.search(r"[，,。；;]", line) or HEADING_START.match(line):
                break
            d = parse_date(line)
            if d:
                meta._set("published", d, "date under the title", line)
                break
    if meta.published is None and meta.signed is not None:
        meta._set("published", meta.signed, "date under the signature (the page gives no publication date)",
                  meta.evidence["signed"].text)
        meta.warnings.append("published_from_signature")
    if meta.published is None:
        meta.warnings.append("no_published_date")
    if meta.report_year is None and meta.published is not None:
        # reports are published in the first months after their year, some in its last weeks
        late = meta.published.month >= 10
        meta._set("report_year", meta.published.year - (0 if late else 1),
                  "publication year" if late else "publication year minus one", str(meta.published))
        meta.warnings.append("year_inferred")
    if meta.report_year is None:
        meta.warnings.append("no_year")
    if meta.published and meta.report_year and not (meta.report_year <= meta.published.year <= meta.report_year + 2):
        meta.warnings.append("published_far_from_year")
    return meta
