"""Who reported, for which year, and when: metadata from a cleaned report.

Every value comes with an :class:`Evidence` record naming the rule that produced it and the line
it came from, so a researcher can audit each cell of the ``reports`` table.

Rules, in order of trust:

* **body and jurisdiction** — the title's prefix (``武清区人民政府关于…``, ``海陵试验区管委会2021年…``),
  else the signature under the report, else the sentence that introduces it (``现将天镇县2019年度…``)
  or the first division named in the opening paragraph, else the page's ``来源`` line or site name.
  The issuing body is split into place units (national table first, then 镇/乡/街道/开发区… by
  suffix) and what remains (人民政府, 管委会, 司法局, 发展和改革委员会…) tells a government from a
  department (then ``division_type`` is ``department`` and the place is the jurisdiction).
* **province, prefecture, county, adcode** — from the national table (:mod:`lawreports.divisions`);
  namesakes, and towns or zones whose own names are not in the table, are placed by the divisions
  the page itself names (海陵试验区: the page says 阳江 and 广东, so 阳江市, not 泰州's 海陵区).
* **report_year** — the year the title names, else the introducing sentence's, else the opening
  ``2019年,``; else the publication year minus one (flagged ``year_inferred``).
* **published** — the page's own publish/issue date (``<meta name=PubDate>``, 发布时间, 发布日期,
  成文日期, 编辑日期, a bare date on the publication line), never a site clock (今天是…星期…) nor a
  date quoted in the body; where the page gives none, the date under the signature.
* **signed** — the date under the signature.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import cn2an

from .clean import DATE_RE, Cleaned, is_signature
from .divisions import Division, division_type_of, gazetteer
from .vocab import TIER_OF

LOGGER = logging.getLogger(__name__)

__all__ = ["Evidence", "Metadata", "extract_metadata", "parse_date", "split_body"]


_YEAR_MIN, _YEAR_MAX = 1990, 2100
_SUFFIX_UNITS = [
    ("zone", r"(?:经济技术开发区|高新技术产业开发区|高新技术开发区|经济开发区|工业园区|产业园区|开发区|高新区|"
             r"试验区|实验区|示范区|合作区|综合保税区|保税区|新区|园区|管理区|度假区|风景区|景区|林场|农场)"),
    ("subdistrict", r"街道"),
    ("town", r"镇"),
    ("township", r"(?:民族乡|乡|苏木)"),
]
_UNIT_RE = [(kind, re.compile(r"[\u4e00-\u9fff]{1,12}?" + suffix)) for kind, suffix in _SUFFIX_UNITS]
_GOVERNMENT = re.compile(r"^(人民政府|政府|人民政府办公室?|管委会|管理委员会|党工委管委会|党工委|"
                         r"工委管委会|街道办事处|办事处|公所|人民政府法治政府建设领导小组)?$")
_ZONE_GOVERNMENT = re.compile(r"管委会|管理委员会|工委")
_DEPARTMENT = re.compile(r"(局|厅|委员会|委|办公室|办|中心|院|署|所|队|会|处|部)$")
_TITLE_SPLIT = re.compile(r"关于|(?:19|20)\d{2}\s*年|法治|依法行政|年度")
_INTRO = re.compile(r"现将(?P<x>[^,，。;；:：]{2,40}?)(?:(?:19|20)\d{2}\s*年|法治|依法行政|有关|工作|情况)")
_OPENING_YEAR = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})\s*年(?:度)?\s*(?:以来)?[,，]")
_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})\s*(?:年度|年)")
_CLOCK = re.compile(r"今天是|今日|星期|周[一二三四五六日]|现在时间|北京时间")
_LABELLED = [
    ("发布", re.compile(r"(发布时间|发布日期|发表时间|发布于)\s*[:：]?\s*")),
    ("成文", re.compile(r"(成文日期|印发日期|发文日期)\s*[:：]?\s*")),
    ("编辑", re.compile(r"(编辑日期|更新时间|更新日期|(?<![成发])日\s*期|(?<!发布)时\s*间)\s*[:：]\s*")),
]
_META_LINE = re.compile(r"来源|阅读|浏览|访问|点击|作者|编辑|字号|字体")
_SOURCE = re.compile(r"(?:信息)?来源\s*[:：]\s*(?P<x>[\u4e00-\u9fff]{2,30}?)"
                     r"(?=访问|阅读|浏览|发布|作者|点击|字体|字号|时间|日期|编辑|责任|[\s|｜]|$)")
_SITE = re.compile(r"(?:欢迎(?:访问|来到)|^)\s*(?P<x>[\u4e00-\u9fff]{2,30}?)(?:人民政府)?(?:门户网站|政务网站|政府网站|政务网|网站|门户网)")
_BOOK = re.compile(r"《[^》]{0,80}》")
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "001123456789")


@dataclass(frozen=True)
class Evidence:
    """Where a metadata value came from: the rule and the text it matched."""

    rule: str
    text: str


@dataclass
class Metadata:
    """Who reported what, when; ``evidence`` maps each field to its :class:`Evidence`."""

    title: str | None = None
    jurisdiction: str | None = None
    body: str | None = None
    publisher: str | None = None
    site: str | None = None
    division_type: str | None = None
    tier: str | None = None
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    adcode: str | None = None
    parent_adcode: str | None = None
    report_year: int | None = None
    published: dt.date | None = None
    signed: dt.date | None = None
    warnings: list[str] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    FIELDS = ("title", "jurisdiction", "body", "publisher", "site", "division_type", "tier",
              "province", "prefecture", "county", "adcode", "parent_adcode", "report_year",
              "published", "signed")

    def as_dict(self) -> dict[str, Any]:
        """The fields as a flat dict (no evidence)."""
        return {name: getattr(self, name) for name in self.FIELDS}

    def _set(self, name: str, value: Any, rule: str, text: str) -> None:
        setattr(self, name, value)
        self.evidence[name] = Evidence(rule, text)


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


@dataclass(frozen=True)
class _Unit:
    name: str
    kind: str                      # "gazetteer" | zone | town | township | subdistrict
    divisions: tuple[Division, ...] = ()
    full: bool = True              # a full gazetteer name (False: a short form like 阳江)


def split_body(text: str) -> tuple[list[_Unit], str]:
    """Split an issuing body into its place units and what remains.

    Examples
    --------
    >>> units, rest = split_body("重庆市涪陵区珍溪镇人民政府")
    >>> [u.name for u in units], rest
    (['重庆市', '涪陵区', '珍溪镇'], '人民政府')
    """
    g = gazetteer()
    units: list[_Unit] = []
    pos = 0
    while pos < len(text):
        hit = g.match_at(text, pos)
        if hit is not None:
            name, divs, full = hit
            after = text[pos + len(name):]
            # 河北镇, 江西乡, 湖南镇: a short province/city name followed by a suffix is a town's name
            if not full and re.match(r"[镇乡区县市旗村]|街道", after):
                hit = None
        if hit is not None:
            if full or pos + len(name) < len(text):
                units.append(_Unit(name, "gazetteer", tuple(divs), full))
                pos += len(name)
                continue
        best: tuple[str, str] | None = None
        for kind, pattern in _UNIT_RE:
            m = pattern.match(text, pos)
            if m and (best is None or len(m.group(0)) < len(best[1])):
                best = (kind, m.group(0))
        if best is not None and not _GOVERNMENT.match(text[pos:]) and not _names_an_organ(text[pos:pos + len(best[1])]):
            units.append(_Unit(best[1], best[0]))
            pos += len(best[1])
            continue
        break
    return units, text[pos:]


def _names_an_organ(name: str) -> bool:
    # "发展和改革委员会" is not a 镇/乡; a unit regex that swallowed an organ's name is refused.
    return bool(re.search(r"(局|委员会|办公室|政府)", name))


def _place_string(s: str) -> str:
    return re.sub(r"^[\s“\"'《(（]+|[\s”\"'》)）:：,，]+$", "", s)


def _title_candidates(title: str) -> list[str]:
    out = []
    m = _TITLE_SPLIT.search(title)
    prefix = title[: m.start()] if m else ""
    if prefix:
        out.append(prefix)
    m2 = re.search(r"关于(?P<x>.+?)(?:(?:19|20)\d{2}\s*年|法治|依法行政)", title)
    if m2:
        out.append(m2.group("x"))
    return [_place_string(x) for x in out if _place_string(x)]


def _signature_lines(text: str) -> list[str]:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    tail = lines[-4:]
    out = []
    for line in reversed(tail):
        line_wo_date = DATE_RE.sub("", line).strip()
        if line_wo_date and is_signature(line_wo_date):
            out.append(line_wo_date)
    return out


def _opening(text: str, title: str | None) -> str:
    body = text[len(title):] if title and text.startswith(title) else text
    return _BOOK.sub(lambda m: " " * len(m.group(0)), body[:400])


def _resolve(units: list[_Unit], context: str, own: str) -> tuple[Division | None, dict[str, int]]:
    """Pick the division a list of units refers to; returns (division, context counts)."""
    g = gazetteer()
    counts: dict[str, int] = {}
    masked = context.replace(own, " " * len(own)) if own else context
    for _, _, key, full in g.mentions(masked):
        for div in g.by_name.get(key, []) if full else g.by_short.get(key, []):
            if full or div.rank != "county":
                counts[div.adcode] = counts.get(div.adcode, 0) + (2 if full else 1)

    def score(div: Division) -> int:
        s = counts.get(div.adcode, 0)
        s += counts.get(div.province_code, 0) + (counts.get(div.prefecture_code, 0) if div.prefecture_code else 0)
        return s

    gaz = [u for u in units if u.kind == "gazetteer"]
    chosen: Division | None = None
    for unit in gaz:
        candidates = list(unit.divisions)
        if chosen is not None:
            inside = [d for d in candidates if d.adcode.startswith(
                chosen.adcode[: 2 if chosen.rank == "province" else 4])]
            candidates = inside or candidates
        if len(candidates) > 1:
            ranked = sorted(candidates, key=lambda d: (-score(d), _rank_order(d)))
            candidates = ranked
        chosen = candidates[0]
    return chosen, counts


def _rank_order(div: Division) -> int:
    return {"province": 0, "prefecture": 1, "county": 2}[div.rank]


def _context_parent(counts: dict[str, int]) -> Division | None:
    """The division a page names most: a county named twice or more, else a prefecture, else a province."""
    g = gazetteer()
    by_rank: dict[str, list[tuple[int, Division]]] = {"county": [], "prefecture": [], "province": []}
    for code, n in counts.items():
        div = g.by_code[code]
        by_rank[div.rank].append((n, div))
    provinces = {d.adcode: n for n, d in by_rank["province"]}
    for rank, minimum in (("county", 4), ("prefecture", 1), ("province", 1)):
        ranked = sorted(by_rank[rank], key=lambda t: (-(t[0] + provinces.get(t[1].province_code, 0)), t[1].adcode))
        if ranked and ranked[0][0] >= minimum:
            return ranked[0][1]
    return None


def _fill_place(meta: Metadata, div: Division, *, rule: str, text: str) -> None:
    g = gazetteer()
    parents = g.parents(div)
    prov, pref, county = parents["province"], parents["prefecture"], parents["county"]
    if prov is not None:
        meta._set("province", prov.name, rule, text)
    if pref is not None:
        meta._set("prefecture", pref.name, rule, text)
    elif div.rank == "prefecture":
        meta._set("prefecture", div.name, rule, text)
    if county is not None:
        meta._set("county", county.name, rule, text)




def extract_metadata(cleaned: Cleaned, *, html_meta: dict[str, str] | None = None) -> Metadata:
    """Find who reported, for which year and when, with the evidence for each value.

    Parameters
    ----------
    cleaned : Cleaned
        Output of :func:`lawreports.clean.strip_chrome` (its text already in simplified characters).
    html_meta : dict, optional
        ``<meta>`` values of an HTML page (``pubdate``, ``title``, ``source``, ``site``).

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

    # -- who: the issuing body and its place -------------------------------------------------
    sources: list[tuple[str, str]] = []      # (rule, candidate string)
    if meta.title:
        sources += [("title prefix", c) for c in _title_candidates(meta.title)]
    sources += [("signature", s) for s in _signature_lines(text)]
    intro = _INTRO.search(text[:3000])
    if intro:
        sources.append(("introducing sentence (现将…)", _place_string(intro.group("x"))))
    opening = _opening(text, title)
    for start, end, key, full in gazetteer().mentions(opening):
        if full:
            sources.append(("opening paragraph", key))
            break
    for m in re.finditer(r"(?:^|[,，。\s])(?P<x>[\u4e00-\u9fff]{2,14}?(?:镇|乡|街道|开发区|高新区|新区|试验区))"
                         r"(?:坚持|深入|认真|全面|紧紧|始终|在)", opening):
        sources.append(("opening paragraph", m.group("x")))
        break
    page_head = "\n".join(head)
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

    chosen_units: list[_Unit] = []
    for rule, cand in sources + ([("来源 line", meta.publisher)] if meta.publisher else []) + \
            ([("site name", meta.site)] if meta.site else []):
        units, rest = split_body(cand)
        if not units:
            continue
        rest = rest.strip()
        if rule in ("title prefix", "signature", "来源 line") and (rest == "" or _GOVERNMENT.match(rest)
                                                                 or _DEPARTMENT.search(rest)):
            if rule != "来源 line" and meta.body is None and (rest or rule == "signature"):
                meta._set("body", cand, rule, cand)
        elif rest and not (_GOVERNMENT.match(rest) or rule in ("introducing sentence (现将…)", "opening paragraph")):
            continue
        chosen_units = units
        last = units[-1]
        name = last.name if last.full else last.divisions[0].name
        if last.kind == "zone" and len(units) > 1 and not units[-2].full:
            name = units[-2].name + last.name     # 南宁 + 高新技术产业开发区: the zone's own name
        meta._set("jurisdiction", name, rule, cand)
        is_department = bool(rest) and not _GOVERNMENT.match(rest) and bool(_DEPARTMENT.search(rest)) \
            and rule != "site name"
        if is_department and rule == "来源 line":
            is_department = False   # the page's publisher, not necessarily the reporting body
        break
    else:
        is_department = False
        rest = ""
        meta.warnings.append("no_jurisdiction")

    if chosen_units:
        context = "\n".join([page_head, text, "\n".join(tail)])
        last = chosen_units[-1]
        own = meta.jurisdiction if last.kind != "gazetteer" and meta.jurisdiction else ""
        div, counts = _resolve(chosen_units, context, own)
        ev_text = meta.evidence["jurisdiction"].text
        if last.kind == "gazetteer":
            assert div is not None
            if not last.full:
                meta._set("jurisdiction", div.name, meta.evidence["jurisdiction"].rule + " (short name)", ev_text)
            meta._set("adcode", div.adcode, f"national table: {div.adcode} {div.name}", ev_text)
            own_type = division_type_of(div)
            _fill_place(meta, div, rule=f"national table ({div.adcode})", text=ev_text)
            if div.rank == "province" and len(chosen_units) == 1:
                meta.province = div.name
        else:
            own_type = last.kind
            parent = div if div is not None else _context_parent(counts)
            if parent is not None:
                rule = ("national table, named before it" if div is not None
                        else f"divisions the page names ({parent.name} ×{counts.get(parent.adcode, 0)})")
                meta._set("parent_adcode", parent.adcode, rule, ev_text)
                _fill_place(meta, parent, rule=rule, text=ev_text)
                if parent.rank == "county":
                    meta._set("county", parent.name, rule, ev_text)
            else:
                meta.warnings.append("no_parent_division")
                parent = None
        if own_type == "zone":
            parent_rank = None
            if meta.parent_adcode:
                parent_rank = gazetteer().by_code[meta.parent_adcode].rank
            tier = {"province": "province", "prefecture": "prefecture", "county": "county"}.get(parent_rank or "")
            if tier:
                meta._set("tier", tier, "zone: tier of the government that runs it", meta.parent_adcode or "")
        else:
            meta._set("tier", TIER_OF[own_type], f"tier of a {own_type}", ev_text)
        if is_department:
            meta._set("division_type", "department", "body is a department of the government", meta.body or "")
        else:
            meta._set("division_type", own_type, "suffix / national table", ev_text)

    # -- when: the year reported on -----------------------------------------------------------
    year_sources: list[tuple[str, str]] = []
    if meta.title:
        year_sources.append(("title", meta.title))
    if intro:
        year_sources.append(("introducing sentence (现将…)", intro.group(0)))
    intro2 = re.search(r"现将[^。]{0,60}?报告如下", text[:3000])
    if intro2:
        year_sources.append(("introducing sentence (现将…)", intro2.group(0)))
    for rule, src in year_sources:
        m = _YEAR.search(src)
        if m and _YEAR_MIN <= int(m.group("y")) <= _YEAR_MAX:
            meta._set("report_year", int(m.group("y")), rule, src)
            break
    if meta.report_year is None:
        body_text = text[len(title):] if title and text.startswith(title) else text
        first = next((ln for ln in body_text.split("\n") if ln.strip()), "")
        m = _OPENING_YEAR.match(first)
        if m:
            meta._set("report_year", int(m.group("y")), "opening sentence", first[:60])

    # -- when: published and signed -----------------------------------------------------------
    sig = [ln for ln in text.split("\n")[-4:] if ln.strip()]
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
            for where, line in lines:
                if _CLOCK.search(line):
                    continue
                for m in pattern.finditer(line):
                    d = parse_date(line[m.end(): m.end() + 24])
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
    if meta.published is None and meta.signed is not None:
        meta._set("published", meta.signed, "date under the signature (the page gives no publication date)",
                  meta.evidence["signed"].text)
        meta.warnings.append("published_from_signature")
    if meta.published is None:
        meta.warnings.append("no_published_date")
    if meta.report_year is None and meta.published is not None:
        meta._set("report_year", meta.published.year - 1, "publication year minus one", str(meta.published))
        meta.warnings.append("year_inferred")
    if meta.report_year is None:
        meta.warnings.append("no_year")
    if meta.published and meta.report_year and not (meta.report_year <= meta.published.year <= meta.report_year + 2):
        meta.warnings.append("published_far_from_year")
    return meta
