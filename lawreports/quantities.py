"""Numbers as written in the reports: ``95 %``, ``达90%以上``, ``2万余人次``, ``近2千名``, ``百余场次``.

A stated quantity has up to five parts, all optional but the number::

    [prefix qualifier] number [余/多] [万/亿/千/百 multiplier] [余/多] [spaces] [unit] [以上/以下/左右]
     近                 2                千                          名
     超                 2014.63          万                          条
                        百        余                                 场次
                        95                                     " "  %

Conventions (the same everywhere in the package):

* ``value`` is the number with a *multiplier* applied: ``2万余`` → 20000, ``3.7亿`` → 370000000,
  ``近2千`` → 2000, ``百余`` → 100.
* A 万/亿 that belongs to a *unit* stays in the unit: ``15495万元`` is value 15495, unit ``万元``
  (not 154950000 元), because that is how the report states it and how amounts are compared within
  a report; :func:`unit_factor` gives the factor to 元 (or to the base unit) when amounts written
  in different units must be added.
* ``qualifier`` keeps 余/多/近/超/以上/约/逾/不足… as written; several are joined with "," in text
  order (``近24万余次`` → ``"近,余"``).
* The *span* of a number (``start``/``end``) covers the number as written with its qualifiers and
  multiplier, and for a percentage the ``%`` sign (with any spaces before it) and a trailing
  以上/以下: ``"95 %"``, ``"2万余"``, ``"近2千"``, ``"90%以上"``. The measure word of a count is not
  part of the span (it is in ``unit`` and at ``unit_start``/``unit_end``).
  :func:`parse_number` of a span gives back the same value.

Chinese numerals are converted with :mod:`cn2an`. The scanner reports every number it sees; which
ones are stated quantities (not years, dates, names or section numbers) is decided in
:mod:`lawreports.indicators`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Iterator

from .records import frozen_record
from .resource_files import read_text

LOGGER = logging.getLogger(__name__)

__all__ = [
    "ParsedNumber",
    "NumberMatch",
    "parse_number",
    "scan_numbers",
    "cn_to_number",
    "measure_words",
    "unit_kind",
    "unit_factor",
]

#: Qualifiers written before a number, longest first.
PREFIX_QUALIFIERS = ("将近", "接近", "不少于", "不低于", "不足", "不到", "超过", "大约", "至少", "近", "超", "逾", "约")
#: Qualifiers written right after the number or its multiplier.
INFIX_QUALIFIERS = ("余", "多", "几")
#: Qualifiers written after the unit.
POSTFIX_QUALIFIERS = ("以上", "以下", "左右", "有余")

# A prefix qualifier is no qualifier when the character before makes it part of a word
# (最近, 节约, 高超 …).
_PREFIX_BLOCKERS = {
    "近": set("最附临就贴亲"),
    "约": set("节制签预合公特违履集简契条相邀婚践守租"),
    "超": set("高赶"),
}

_MULTIPLIERS = {"万亿": Decimal(10) ** 12, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
                "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(1000), "百": Decimal(100)}

_ONE = Decimal(1)
#: The multiplier as written ("" for none) → its factor as a float.
_MULT_FLOAT_OF = {"": 1.0, **{w: float(d) for w, d in _MULTIPLIERS.items()}}

_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")

_SPACE = "[ \t\u3000\u00a0]"
_CORE = re.compile(
    "(?P<pre>" + "|".join(PREFIX_QUALIFIERS) + ")?"
    r"(?:(?P<ar>[0-9０-９]+(?:,[0-9]{3})*(?![0-9])(?:[.．][0-9０-９]+)?)"
    r"|百分之(?P<pct>[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百点]+)"
    r"|(?P<cn>[零〇一二两三四五六七八九十百千万亿]+))"
)
_SPACES = re.compile(_SPACE + "*")
#: The first character of every number _CORE reads: where a match can begin, found by a fast scan
#: (a pattern that opens with an optional qualifier is tried at every position instead).
_NUM_FIRST = re.compile("[0-9０-９零〇一二两三四五六七八九十百千万亿]")
#: The characters of a Chinese numeral (_CORE's ``cn``), and a run of them.
_CN_NUMERAL_CHARS = frozenset("零〇一二两三四五六七八九十百千万亿")
_CN_RUN = re.compile("[零〇一二两三四五六七八九十百千万亿]+")
_PREFIXES = frozenset(PREFIX_QUALIFIERS)
_PREFIX_LENGTHS = sorted({len(q) for q in PREFIX_QUALIFIERS}, reverse=True)
#: The last character of every prefix qualifier: a number with none of them right before it has none.
_PREFIX_ENDS = frozenset(q[-1] for q in PREFIX_QUALIFIERS)
_SPACE_CHARS = frozenset(" \t\u3000\u00a0")
_MULT_RE = re.compile("万亿|千万|百万|万|亿|千|百")
_POST_RE = re.compile("|".join(POSTFIX_QUALIFIERS))
_POST_FIRST = frozenset(q[0] for q in POSTFIX_QUALIFIERS)
_UNIT_SUFFIX = re.compile(r"[/／](?:人次|次)|[(（]次[)）]")
_UNIT_SUFFIX_FIRST = frozenset("/／(（")


@dataclass(frozen=True)
class ParsedNumber:
    """A number as written, parsed.

    Attributes
    ----------
    value : float
        The number with 万/亿/千/百 multipliers applied (``2万余`` → 20000.0).
    qualifier : str or None
        余/多/近/超/以上/约/逾/不足… as written, several joined by ","; None when there is none.
    unit : str or None
        ``"%"`` for percentages, the measure word or unit as written (件, 人次, 万元, 个工作日, 场(次)),
        or None for a bare number.
    unit_kind : str or None
        ``"percent"``, ``"count"``, ``"amount"``, ``"duration"``, ``"change"`` (个百分点) or None.
    multiplier : float
        The multiplier that was applied (1.0 when none).
    text : str
        The number as written (the span; see the module docstring).
    numeral : str
        ``"arabic"`` or ``"chinese"``.
    """

    value: float
    qualifier: str | None
    unit: str | None
    unit_kind: str | None
    multiplier: float
    text: str
    numeral: str


@dataclass(frozen=True)
class NumberMatch(ParsedNumber):
    """A number found in a text, with offsets.

    ``text_in[start:end] == self.text``; ``unit_start``/``unit_end`` locate the unit (-1 when none);
    ``stop`` is the end of the whole quantity (unit and trailing qualifier included).
    """

    start: int = -1
    end: int = -1
    unit_start: int = -1
    unit_end: int = -1
    stop: int = -1
    prefix: str = ""
    infix: str = ""


@lru_cache(maxsize=1)
def measure_words() -> dict[str, str]:
    """Measure words and units with their kind, from ``resources/measure_words.txt``.

    Returns
    -------
    dict
        word → kind (count, amount, duration, change); ``compound`` entries are left out (see
        :func:`compound_words`).
    """
    return {w: k for w, k in _read_measure_file() if k != "compound"}


@lru_cache(maxsize=1)
def compound_words() -> frozenset[str]:
    """Words that start with a measure-word character but are not measure words (人民, 项目…)."""
    return frozenset(w for w, k in _read_measure_file() if k == "compound")


@lru_cache(maxsize=1)
def _read_measure_file() -> tuple[tuple[str, str], ...]:
    rows = []
    for line in read_text("measure_words.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _, kind = line.partition("\t")
        rows.append((word.strip(), kind.strip() or "count"))
    return tuple(rows)


@lru_cache(maxsize=1)
def _units_by_first() -> dict[str, tuple[str, ...]]:
    """The units by their first character, longest first; a percent sign is a unit of its own."""
    table: dict[str, list[str]] = {}
    for w in sorted(measure_words(), key=len, reverse=True):
        table.setdefault(w[0], []).append(w)
    out = {ch: tuple(words) for ch, words in table.items()}
    out.update({"%": ("%",), "％": ("％",)})
    return out


def _unit_at(text: str, pos: int) -> str | None:
    """The unit written at ``text[pos]``: a percent sign, else the longest measure word; or None."""
    for word in _units_by_first().get(text[pos:pos + 1], ()):
        if text.startswith(word, pos):
            return word
    return None


@lru_cache(maxsize=4096)
def unit_kind(unit: str | None) -> str | None:
    """Kind of a unit as written: percent, count, amount, duration, change or None."""
    if not unit:
        return None
    if unit in ("%", "％"):
        return "percent"
    base = _UNIT_SUFFIX.sub("", unit)
    return measure_words().get(base)


def unit_factor(unit: str | None) -> float:
    """Factor from a unit to its base unit: ``万元`` → 10000 (元), ``亿元`` → 1e8, ``件`` → 1.

    Use it to add amounts written in different units (``3525万元`` + ``327万元``).
    """
    if not unit:
        return 1.0
    for prefix, factor in (("万亿", 1e12), ("亿", 1e8), ("万", 1e4), ("千", 1e3)):
        if unit.startswith(prefix) and unit_kind(unit) == "amount" and unit not in ("千克", "千瓦时"):
            return factor
    return 1.0


#: Longest Chinese numeral read (一千二百三十四万五千六百七十八 is 15 characters); a longer run
#: of numeral characters is not a number.
CN_MAX_CHARS = 24


@lru_cache(maxsize=4096)
def cn_to_number(s: str) -> float | None:
    """Convert a Chinese numeral (二十, 两千, 百, 万, 九十五点五) to a float, or None.

    A numeral that starts with a place word (百, 千, 万, 亿) is read with an implied 一
    (``百`` → 100, ``万`` → 10000), as in 百余场次 and 万余册.

    Examples
    --------
    >>> cn_to_number("两千"), cn_to_number("百"), cn_to_number("十四五") is None
    (2000.0, 100.0, True)
    """
    if not s or len(s) > CN_MAX_CHARS:
        return None
    if s[0] in "百千万亿":
        s = "一" + s
    try:
        import cn2an

        value = cn2an.cn2an(s, "normal")
    except Exception:  # cn2an raises ValueError and others on malformed numerals
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=8192)
def _decimal(digits: str) -> Decimal | None:
    try:
        return Decimal(digits.translate(_FULLWIDTH).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


@lru_cache(maxsize=8192)
def _to_float(d: Decimal) -> float | None:
    try:
        f = float(d)
    except (OverflowError, ValueError):
        return None
    if f != f or f in (float("inf"), float("-inf")):
        return None
    return f


@lru_cache(maxsize=8192)
def _arabic_value(digits: str, multiplier: str) -> float | None:
    """The value of an Arabic numeral as written and its multiplier (``""`` for none): keyed by
    the two strings, which hash faster than the Decimal they make."""
    number = _decimal(digits)
    return None if number is None else _to_float(number * _MULTIPLIERS.get(multiplier, _ONE))


def _match_at(text: str, m: re.Match[str], groups: tuple | None = None) -> NumberMatch | None:
    """Extend a core match (and its ``groups()``, where the caller has them) into a full
    quantity; None if the numeral cannot be read."""
    start = m.start()
    pre, ar, pct, cn = groups or m.groups()
    if pre:
        blockers = _PREFIX_BLOCKERS.get(pre)
        if blockers and start > 0 and text[start - 1] in blockers:
            start += len(pre)
            pre = ""
    else:
        pre = ""
    pos = m.end()
    n = len(text)

    if pct is not None:
        raw = pct
        if raw[0].isdigit():
            number = _decimal(raw)
        else:
            f = cn_to_number(raw)
            number = Decimal(str(f)) if f is not None else None
        if number is None:
            return None
        value = _to_float(number)
        if value is None:
            return None
        end = pos
        post = _POST_RE.match(text, end)
        quals = ([pre] if pre else []) + ([post.group()] if post else [])
        stop = post.end() if post else end
        if post:
            end = post.end()
        return frozen_record(NumberMatch, dict(
            value=value, qualifier=",".join(quals) or None, unit="%", unit_kind="percent",
            multiplier=1.0, text=text[start:end], numeral="arabic" if raw[0].isdigit() else "chinese",
            start=start, end=end, unit_start=m.start("pct") - 3, unit_end=m.start("pct"), stop=stop,
            prefix=pre, infix=""))

    # 余/多/几 after the number or its multiplier: one at most
    infix = ""
    mult = ""                  # the multiplier as written
    unit: str | None = None
    unit_start = unit_end = -1
    unit_w: str | None = None
    unit_pos = -1              # where unit_w was looked up
    if ar is not None:
        numeral = "arabic"
        if pos < n and text[pos] in "余多":
            infix = text[pos]
            pos += 1
        # 万元 / 万吨 are units, not multipliers: a unit at this position wins
        unit_w, unit_pos = _unit_at(text, pos), pos
        if unit_w is None:
            mult_m = _MULT_RE.match(text, pos)
            if mult_m is not None:
                mult = mult_m.group()
                pos = mult_m.end()
                if pos < n and text[pos] in "余多" and not infix:
                    infix = text[pos]
                    pos += 1
        value = _arabic_value(ar, mult)
    else:
        numeral = "chinese"
        run = cn
        run_end = m.end("cn")
        # 十万元: the 万 belongs to the unit 万元
        if run[-1] in "万亿":
            unit_w = _unit_at(text, run_end - 1)
            if unit_w is not None and unit_w[0] == run[-1] and len(unit_w) > 1:
                run = run[:-1]
                run_end -= 1
        if not run:
            return None
        f = cn_to_number(run)
        if f is None:
            return None
        number = Decimal(str(f))
        pos = run_end
        if pos < n and text[pos] in "余多几":
            infix = text[pos]
            pos += 1
            unit_w = _unit_at(text, pos)
            mult_m = _MULT_RE.match(text, pos)
            if mult_m is not None and mult_m.group() in ("万", "亿") and not (
                unit_w is not None and unit_w[0] in "万亿"
            ):
                mult = mult_m.group()
                pos = mult_m.end()
        value = _to_float(number * _MULTIPLIERS.get(mult, _ONE))
    if value is None:
        return None

    end = pos
    upos = _SPACES.match(text, pos).end() if pos < n and text[pos] in _SPACE_CHARS else pos
    if upos != unit_pos:
        unit_w = _unit_at(text, upos)
    stop = end
    postq = ""
    if unit_w is not None:
        unit = unit_w
        unit_start, unit_end = upos, upos + len(unit_w)
        if unit in ("%", "％"):
            unit = "%"
            end = unit_end  # the percent sign is part of the number as written
        elif unit_end < n and text[unit_end] in _UNIT_SUFFIX_FIRST:
            suffix = _UNIT_SUFFIX.match(text, unit_end)
            if suffix is not None and measure_words().get(unit) == "count":
                unit = text[unit_start:suffix.end()]
                unit_end = suffix.end()
        stop = unit_end
        post = _POST_RE.match(text, unit_end) if unit_end < n and text[unit_end] in _POST_FIRST else None
        if post is not None:
            stop = post.end()
            if unit == "%":
                end = post.end()
            postq = post.group()

    return frozen_record(NumberMatch, {
        "value": value,
        "qualifier": (",".join([q for q in (pre, infix, postq) if q]) or None) if pre or infix or postq else None,
        "unit": unit,
        "unit_kind": unit_kind(unit),
        "multiplier": _MULT_FLOAT_OF[mult],
        "text": text[start:end],
        "numeral": numeral,
        "start": start,
        "end": end,
        "unit_start": unit_start,
        "unit_end": unit_end,
        "stop": stop,
        "prefix": pre,
        "infix": infix,
    })


#: The first character of what may follow an Arabic numeral before its unit: 余/多, a multiplier.
_INFIX_OR_MULTIPLIER = frozenset("余多万亿千百")
#: What may stand between a numeral and its unit: 余/多/几, a multiplier, blanks.
_AFTER_NUMERAL = frozenset("余多几万亿千百 \t\u3000\u00a0")


@lru_cache(maxsize=1)
def _unit_starts() -> frozenset[str]:
    return frozenset(w[0] for w in measure_words()) | {"%", "％"}


def _number_start(text: str, pos: int) -> tuple[int, int] | None:
    """Where the first number from ``pos`` starts, with the longest qualifier written right
    before it (the leftmost start of ``_CORE.search(text, pos)``), and where its numeral starts."""
    first = _NUM_FIRST.search(text, pos)
    if first is None:
        return None
    p = numeral = first.start()
    if p > pos and text[p - 1] in _PREFIX_ENDS:
        for k in _PREFIX_LENGTHS:
            if p - k >= pos and text[p - k:p] in _PREFIXES:
                p -= k
                break
    return p, numeral


def _bare_end(text: str, m: re.Match[str], digits: str) -> int:
    """Where the scan goes on after an Arabic numeral that no unit follows, as after reading it
    with :func:`_match_at`: past its 余/多 and its multiplier (3百三次: 三次, not 百三次), or past the
    numeral alone where its value cannot be read."""
    n = len(text)
    pos = m.end()
    if pos >= n or text[pos] not in _INFIX_OR_MULTIPLIER:
        mult = None                                       # most numerals: neither follows
    else:
        infix = text[pos] in "余多"
        pos += infix
        mult = _MULT_RE.match(text, pos)
        if mult is not None:
            pos = mult.end()
            if pos < n and text[pos] in "余多" and not infix:
                pos += 1
    # a value that overflows a float is no number (read, it gives none): a numeral needs some
    # three hundred digits for that, even with 万亿 after it
    if len(digits) > 280 and _arabic_value(digits, mult.group() if mult is not None else "") is None:
        return m.end()
    return pos


def scan_numbers(text: str, *, units_only: bool = False) -> Iterator[NumberMatch]:
    """Every number in ``text``, in order, with its unit and qualifiers.

    Bare numbers (no unit) are reported too, with ``unit=None``; numerals that cannot be read
    (十四五) are skipped. Never raises on any string. ``units_only=True`` skips, cheaply, the
    numerals that no unit follows (一是, 统一, 12345热线): what :mod:`lawreports.indicators` asks for.

    Examples
    --------
    >>> [(m.text, m.value, m.unit, m.qualifier) for m in scan_numbers("参与2万余人次,覆盖率达 95 %")]
    [('2万余', 20000.0, '人次', '余'), ('95 %', 95.0, '%', None)]
    """
    if not isinstance(text, str) or not text:
        return
    pos = 0
    n = len(text)
    starts = _unit_starts() if units_only else None
    while pos < n:
        found_at = _number_start(text, pos)
        if found_at is None:
            return
        start, numeral = found_at
        if (starts is not None and start == numeral and text[start] in _CN_NUMERAL_CHARS
                and not text.startswith("百分之", start)):
            # 一是, 统一, 进一步: a Chinese numeral with no unit after it is no quantity. With no
            # qualifier, and not 百分之, it is the run of numeral characters: read without the
            # whole pattern, which most of them (some forty a report) would not get past
            end = _CN_RUN.match(text, start).end()
            after = end
            while after < n and text[after] in _AFTER_NUMERAL:
                after += 1
            if after >= n or text[after] not in starts:
                pos = end
                continue
        m = _CORE.match(text, start)
        groups = m.groups()            # pre, ar, pct, cn
        if starts is not None and groups[1] is not None and not groups[0]:
            # 2019-2021, 12345热线, 1月: an Arabic numeral with no unit is no quantity either. Its
            # unit would start at one of the characters up to the first that cannot stand
            # between a numeral and its unit (a multiplier's 千 starts 千克): none starts one
            after = m.end()
            while after < n and text[after] in _AFTER_NUMERAL and text[after] not in starts:
                after += 1
            if after >= n or text[after] not in starts:
                pos = _bare_end(text, m, groups[1])
                continue
        found = None
        try:
            found = _match_at(text, m, groups)
        except Exception:  # pragma: no cover - defensive: never raise on arbitrary text
            LOGGER.debug("cannot read number %r", m.group(), exc_info=True)
        if found is None:
            pos = m.end() if m.end() > m.start() else m.start() + 1
            continue
        yield found
        pos = max(found.stop, found.end, m.end(), found.start + 1)


def parse_number(s: str) -> ParsedNumber | None:
    """Parse the first number written in ``s``.

    Parameters
    ----------
    s : str
        A number as written, with optional qualifiers, multiplier and unit: ``"95 %"``,
        ``"达90%以上"``, ``"2万余人次"``, ``"近2千名"``, ``"百余场次"``, ``"15495万元"``.

    Returns
    -------
    ParsedNumber or None
        None when ``s`` holds no readable number.

    Examples
    --------
    >>> p = parse_number("近2千名")
    >>> p.value, p.qualifier, p.unit
    (2000.0, '近', '名')
    >>> parse_number("15495万元").value, parse_number("15495万元").unit
    (15495.0, '万元')
    """
    if not isinstance(s, str):
        return None
    for m in scan_numbers(s):
        return ParsedNumber(value=m.value, qualifier=m.qualifier, unit=m.unit, unit_kind=m.unit_kind,
                            multiplier=m.multiplier, text=m.text, numeral=m.numeral)
    return None
