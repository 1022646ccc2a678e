"""Places a page's web address names: government hosts are spelled in pinyin.

Chinese government sites are named after their place, in full pinyin (``www.huangpi.gov.cn``:
黄陂区, ``www.jurong.gov.cn``: 句容市) or in initials, often after their province's or
prefecture's (``cqfj.gov.cn``: 重庆 奉节县, ``www.tjnh.gov.cn``: 天津 宁河区, ``www.hhjp.gov.cn``:
红河 金平县). :func:`host_places` reads a URL's host labels against the pinyin of every division
of the national table (spelled by ``pypinyin``) and returns the divisions each label can name.

The path is read the same way (:func:`path_places`: ``/hegang/``, ``/szgyyq/``), and its words
can spell a township of the host's county (:func:`path_words`, :func:`spells`: ``/yfjd/``:
鱼复街道). The host is evidence, not an answer: a county's site publishes its towns' reports and
its departments' too. :mod:`lawreports.places` weighs it with everything the page says.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from .divisions import Division, gazetteer, strip_nations

__all__ = ["HostMatch", "host_places", "path_places", "host_counties", "host_agrees", "path_words", "spells"]

_SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|地区|林区|特区|"
                     r"新区|省|市|州|盟|县|区|旗)$")
_SKIP_LABELS = frozenset({"www", "gov", "cn", "com", "net", "org", "edu", "portal", "zwgk", "xxgk", "m",
                          "wap", "english", "big5", "admin", "web", "site", "info", "news", "zfxxgk"})
#: Weight of each kind of match: a full spelling says more than initials. A division's initials
#: alone (hp, sft) name too many places and departments (司法厅) to count, but for a city's two
#: letters that no other city has (dg: 东莞市), which weigh least.
FULL, JOINED, CITY_INITIALS = 3, 2, 1


@dataclass(frozen=True)
class HostMatch:
    """A division a host label can name, how it is spelled there, and how much that says."""

    division: Division
    label: str
    how: str          # "full pinyin", "initials", "province/prefecture initials + …"
    weight: int


def _stem(div: Division) -> str:
    g = gazetteer()
    stem = _SUFFIX.sub("", div.name)
    if div.name.endswith(("自治县", "自治旗", "自治州")):
        stem = strip_nations(re.sub(r"各族$", "", stem), g.nations)    # 金平苗族瑶族傣族 → 金平
    return stem if len(stem) >= 2 else div.name


@lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple[Division, str, int]]]:
    from pypinyin import Style, lazy_pinyin

    def full(s: str) -> str:
        return "".join(lazy_pinyin(s))

    def initials(s: str) -> str:
        return "".join(lazy_pinyin(s, style=Style.FIRST_LETTER))

    g = gazetteer()
    index: dict[str, list[tuple[Division, str, int]]] = defaultdict(list)

    def add(key: str, div: Division, how: str, weight: int) -> None:
        if len(key) >= 2 and all(d is not div for d, _, _ in index[key]):
            index[key].append((div, how, weight))

    for div in g.divisions:
        stem = _stem(div)
        add(full(stem), div, "full pinyin", FULL)
        add(full(div.name), div, "full pinyin", FULL)
        parents = g.parents(div)
        for parent in (parents["province"], parents["prefecture"]):
            if parent is not None and parent is not div:
                add(initials(_stem(parent)) + initials(stem), div,
                    f"initials of {parent.name} + {div.name}", JOINED)
                add(initials(_stem(parent)) + full(stem), div, f"initials of {parent.name} + pinyin", FULL)
    return dict(index)


@lru_cache(maxsize=65536)
def _full(s: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(s))


@lru_cache(maxsize=65536)
def _initials(s: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(s, style=Style.FIRST_LETTER))


@lru_cache(maxsize=2)
def _by_initials(rank: str) -> dict[str, list[Division]]:
    """Divisions of a rank by the initials of their stem (county: fl → 涪陵区, 凤凰县…; prefecture:
    dg → 东莞市, sz → five cities)."""
    out: dict[str, list[Division]] = defaultdict(list)
    for div in gazetteer().divisions:
        if div.rank == rank:
            out[_initials(_stem(div))].append(div)
    return dict(out)


#: Path words of government CMSs, in initials or pinyin, that name no place.
_PATH_WORDS = frozenset({
    "zwgk", "xxgk", "zfxxgk", "zfxxgkml", "zfxxgkzl", "fdzdgknr", "qtfdzdgknr", "fzzfjs", "fzzfjsndbg", "fzzfndbg",
    "ndbg", "fzjs", "fzjsnd", "gsgg", "tzgg", "zwdt", "zjdt", "xwzx", "yqdt", "gkml", "gknb", "bmjz", "ztzl", "jhgh",
    "gongkai", "zhengce", "xinwen", "tongzhi", "wenjian", "zhuanti", "dongtai", "content", "contents", "channel",
    "art", "html", "shtml", "htm", "info", "post", "doc", "site", "sites", "index", "list", "detail", "article",
    "news", "col", "page", "www", "gov", "cn", "bm", "xz", "jz", "zt", "jd", "zf", "openness", "show",
})


def path_words(url: str | None) -> list[str]:
    """The alphabetic words of a URL's path (``/xz_168/yfjd/zwgk/`` → ``yfjd``), CMS words aside."""
    if not url:
        return []
    try:
        path = urlsplit(url if "//" in url else "//" + url).path or ""
    except ValueError:
        return []
    words = re.split(r"[/_\-.]+", path.lower())
    return [w for w in words if len(w) >= 3 and w.isalpha() and w.isascii() and w not in _PATH_WORDS]


def host_counties(url: str | None) -> list[Division]:
    """County-level divisions a host label could name by its initials alone (fl.gov.cn: 涪陵区 and
    others): too many to count on their own, candidates for a township the path spells."""
    index = _by_initials("county")
    return [d for label in _labels(url or "") if 2 <= len(label) <= 4 for d in index.get(label, [])]


def spells(word: str, name: str, stem: str) -> str | None:
    """How a URL word spells a place's name, if it does: ``"initials"`` or ``"full pinyin"``."""
    if len(stem) >= 2 and word in (_full(stem), _full(name)):
        return "full pinyin"
    if len(word) >= 3 and word in (_initials(name), _initials(stem)):
        return "initials"
    return None


@lru_cache(maxsize=1)
def _by_full_initials() -> dict[str, list[Division]]:
    """Divisions by the initials of their full name, five letters or more (szgyyq: 苏州工业园区)."""
    out: dict[str, list[Division]] = defaultdict(list)
    for div in gazetteer().divisions:
        key = _initials(div.name)
        if len(key) >= 5:
            out[key].append(div)
    return dict(out)


def path_places(url: str | None) -> list[HostMatch]:
    """The divisions a URL's path spells (``/hegang/``: 鹤岗市; ``/szgyyq/``: 苏州工业园区): a
    division's full pinyin (five letters or more), its parent's initials and its own, or the
    initials of its full name (five letters or more). Weighed as a host's initials are."""
    index, full_initials = _index(), _by_full_initials()
    out: list[HostMatch] = []
    for word in path_words(url):
        hits = [(d, how) for d, how, weight in index.get(word, []) if weight == JOINED or len(word) >= 5]
        hits += [(d, "initials of its full name") for d in full_initials.get(word, [])]
        if 0 < len(hits) <= 3:
            out += [HostMatch(d, word, how, JOINED) for d, how in hits]
    return out


def host_agrees(url: str | None, div: Division) -> bool:
    """Whether a host label begins with the pinyin or initials of the division, its prefecture or
    its province (cznd.gov.cn: 常州's cz): a tie-break between namesakes, not a reading of its own."""
    labels = _labels(url or "")
    if not labels:
        return False
    g = gazetteer()
    parents = g.parents(div)
    keys = set()
    for d in (div, parents["prefecture"], parents["province"]):
        if d is not None:
            stem = _stem(d)
            keys |= {k for k in (_initials(stem), _full(stem)) if len(k) >= 2}
    return any(label.startswith(k) for label in labels for k in keys)


def _labels(url: str) -> list[str]:
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return []
    out = []
    for label in host.lower().rstrip(".").split("."):
        for part in label.split("-"):
            if part and part not in _SKIP_LABELS and part.isalpha():
                out.append(part)
    return out


def host_places(url: str | None) -> list[HostMatch]:
    """The divisions a URL's host can name, most telling first.

    Examples
    --------
    >>> [(m.division.name, m.how) for m in host_places("http://www.huangpi.gov.cn/xxgk/1.html")]
    [('黄陂区', 'full pinyin')]
    """
    if not url:
        return []
    index = _index()
    out: list[HostMatch] = []
    for label in _labels(url):
        hits = index.get(label, [])
        if len(label) == 2 and not hits:
            # bhwxq.dg.gov.cn: a city's two-letter initials, where no other city has them, weigh
            # least (dozens of counties share them)
            cities = _by_initials("prefecture").get(label, [])
            if len(cities) == 1:
                out.append(HostMatch(cities[0], label, "initials of the only city with them", CITY_INITIALS))
            continue
        # two-letter initials name dozens of places: only a unique one counts
        if len(label) <= 2 and len(hits) != 1:
            continue
        for div, how, weight in hits:
            out.append(HostMatch(div, label, how, weight if len(hits) <= 3 else 0))
    return sorted([m for m in out if m.weight], key=lambda m: -m.weight)

