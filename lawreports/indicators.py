"""Stated quantities: every rate, count, amount and duration of a report, named and checked.

Three functions on the clean text of one report:

* :func:`extract_indicators` — one :class:`Indicator` per stated number (a label shared by one
  value, "满意率和基本满意率均达100%", gives one row per label). Rates get the label written before
  them and a canonical name from the lexicon ``resources/indicators.csv``; counts, amounts and
  durations get the words around them. A label the lexicon does not know is kept as written.
* :func:`check_indicators` — where a stated rate can be recomputed from the counts stated beside it
  with the formula the lexicon gives for it, one :class:`Check` with the difference.
* :func:`find_blanks` — unfilled template blanks: a measure word with no number ("专项检查 次").

What is a stated quantity: a number with a measure word or unit (件, 人次, 万元, 个工作日, %…;
``resources/measure_words.txt``). Not quantities: years and year ranges (2019年, 20212025年), dates
(1月1日), ordinals (第十三次), section numbers (1、, (一)), numbers inside a title 《…》, names in
quotes (“13710”工作制度), hotline and phone numbers (12345热线, 0662-3890040: no measure word), and
one-digit Chinese numerals (三项制度, 一次办, 四张清单 — nearly always names; 两次 is lost with them).
Values follow :mod:`lawreports.quantities`: ``2万余人次`` is 20000 人次, ``15495万元`` is 15495 万元.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Sequence

from .resource_files import read_csv
from .structure import SectionIndex
from .structure.tree import _section_index
from .quantities import NumberMatch, compound_words, measure_words, scan_numbers, unit_factor
from .records import frozen_record

LOGGER = logging.getLogger(__name__)

__all__ = [
    "Indicator",
    "Check",
    "Blank",
    "LexiconEntry",
    "extract_indicators",
    "check_indicators",
    "find_blanks",
    "lexicon",
    "canonical_name",
]

#: A stated rate and its recomputation may differ by this many percentage points.
TOLERANCE = 0.5

_SENTENCE_END = "。！？!?\n"
# Clause delimiters; a rate label never crosses them (、 and 和 join labels that share a value).
_RATE_DELIMS = set(",，。；;：:！？!?\n()（）“”\"‘’「」『』 \t\u3000\u00a0")
_COUNT_DELIMS = _RATE_DELIMS | {"、"}
_RATE_SUFFIX = re.compile(r"(?:率|比率|比例|占比|比重|满意度|知晓度|覆盖面)$")
_CONNECTOR = re.compile(
    r"(?:[”\"’」』]*[ \t\u3000\u00a0]*)"
    r"(?:均值|平均|分别|均|都|已经|已|基本|全部|继续|持续|稳步)*"
    r"(?:提升至|提高至|提升到|提高到|上升至|上升到|增长至|增长到|增加至|增至|降至|降低至|降低到|下降至|下降到|"
    r"压缩至|压减至|缩短至|减少至|保持在|稳定在|维持在|控制在|达到了|达到|达|约为|为|是|在)?"
    r"[ \t\u3000\u00a0]*$"
)
_CHANGE = re.compile(
    r"^(?P<base>.*?)(?P<cmp>同比|环比|较上年同期|比上年同期|较上年|比上年|较去年|比去年|较同期|与上年相比|较[0-9]{4}年)"
    r"(?P<verb>增长|增加|上升|提升|提高|下降|减少|降低|下滑)了?$"
)
_INCREASE = re.compile(r"^(?P<base>.*?)(?P<verb>增长|增加|上升|提升|提高)了?$")
_REDUCTION = re.compile(r"^(?P<base>.*?)(?P<verb>压缩|压减|缩减|缩短|减少|精简|节省|降低|下降|减低)了?$")
# 、/和/及/与 join labels that share one value only right after a rate word (参考率、合格率);
# after a rate word or with 均/都 (检查实施清单和应报完备实施清单完成率均为), 、/和/以及 anywhere.
_SHARED_AFTER_SUFFIX = re.compile(r"(?<=率|例|比|重|度)(?:以及|[、和及与])")
_SHARED_ANY = re.compile(r"以及|[、和]")
_SHARED_SIGNAL = re.compile(r"[”\"’」』\s]*(?:均|都)")
_LABEL_CUT = re.compile(
    r"^.*(?:的|使|让|将|把|被|对|实现|确保|保证|推动|推进|促进|其中|目前|截至|全年|年内|今年以来|今年来|并|且)"
)
_COUNT_TRAIL_WORDS = ("共计", "共有", "合计", "总计", "累计", "共", "达到", "数达", "数为", "达", "约为", "为", "分别为",
                      "分别", "了")
_COUNT_TRAIL = re.compile("(?:" + "|".join(_COUNT_TRAIL_WORDS) + ")+$")
_COUNT_LEAD_WORDS = ("、", "以及", "共计", "共有", "合计", "累计", "共", "其中", "同时", "并且", "此外", "另外")
_COUNT_LEAD = re.compile("^(?:" + "|".join(_COUNT_LEAD_WORDS) + ")+")
# what a label must end or begin with for the patterns above (and _RANGE_START) to apply: a label
# that does not is left as it is without trying them
_COUNT_TRAIL_ENDS = frozenset(w[-1] for w in _COUNT_TRAIL_WORDS)
_COUNT_LEAD_STARTS = frozenset(w[0] for w in _COUNT_LEAD_WORDS)
_RANGE_ENDS = frozenset("至到~-—－")
_CONJUNCTION = {"和", "与", "及", "以及", "、", "或"}
_LEADING_JOIN = re.compile(r"^(?:以及|[、和])")  # "95%和满意率98%": not 及/与 (及时, 与会)
_RANGE_START = re.compile(r"[0-9.]+[至到~\-—－]$")
_EDGE_QUOTES = "“”\"‘’「」『』 \t\u3000\u00a0"
_NUMERAL_CHARS = set("零〇一二两三四五六七八九十百千万亿余多几")
_CN_DIGIT = set("零〇一二两三四五六七八九")
_CN_PLACE = set("十百千万亿")
_LABEL_MAX = 20
_AFTER_MAX = 16
#: Longest ``sentence`` kept with an indicator: a longer sentence is cut to this many characters
#: around the number, each cut end marked with "…" (a table flattened onto one line is one
#: "sentence" of thousands of numbers).
SENTENCE_MAX = 200
#: Characters on either side of a number where the lexicon's context words are looked for.
CONTEXT_WINDOW = 300
#: How far before a rate (characters), and how many quantities, a check looks for its counts.
CHECK_WINDOW = 600
CHECK_MAX_COUNTS = 40


@dataclass(frozen=True)
class Indicator:
    """One stated quantity.

    Attributes
    ----------
    indicator : str
        Canonical name from the lexicon (行政复议纠错率), or the label as written when the lexicon
        does not know it. For a change or reduction: the quantity that changed (政府信息公开申请,
        办理时限).
    label : str
        The label as written (纠错率, 同比增长, 办理时限压缩). For counts, the words before the
        number and, after "…", the words that follow the measure word (建成…区级公共法律服务中心).
    value : float
        The number with 万/亿/千/百 multipliers applied (2万余 → 20000); the 万 of 万元 stays in the unit.
    unit : str or None
        ``%``, a measure word (件, 人次, 场(次)), an amount unit (万元, 元), a duration unit (天,
        个工作日) or 个百分点.
    kind : str
        rate, change, reduction, count, amount or duration.
    qualifier : str or None
        余, 近, 超, 以上, 约, 多… as written ("," between several).
    domain : str or None
        Policy domain from the lexicon.
    sentence : str
        The sentence the number came from (up to 。！？ or a line end), whitespace-trimmed; a
        sentence longer than ``SENTENCE_MAX`` (200) characters is cut to 200 characters around the
        number, and a cut end is marked with "…". ``text[start:end]`` is always inside it.
    start, end : int
        ``text[start:end]`` is the number as written ("95 %", "2万余", "近2千").
    section_id : int or None
    role : str or None
        Of the section the number sits in, when sections are given.
    """

    indicator: str
    label: str
    value: float
    unit: str | None
    kind: str
    qualifier: str | None
    domain: str | None
    sentence: str
    start: int
    end: int
    section_id: int | None = None
    role: str | None = None


@dataclass(frozen=True)
class Check:
    """A stated rate recomputed from the counts stated beside it.

    Attributes
    ----------
    indicator : str
    stated : float
        The rate as stated (%).
    recomputed : float
        100 × numerator / denominator, rounded to 2 decimals.
    numerator, denominator : float
        In the numerator's unit (amounts in other units are converted).
    difference : float
        stated − recomputed, in percentage points, rounded to 2 decimals.
    consistent : bool or None
        ``abs(difference) <= 0.5``.
    note : str
        The formula with the numbers, or why the rate cannot be reproduced.
    start, end : int
        The stated rate in the text.
    """

    indicator: str
    stated: float
    recomputed: float
    numerator: float
    denominator: float
    difference: float
    consistent: bool | None
    note: str
    start: int
    end: int


@dataclass(frozen=True)
class Blank:
    """An unfilled template blank.

    ``text[start:end]`` is the gap and the measure word after it (" 次"); for a gap before an
    enumeration comma ("给予纪律处分 、组织处理 145人") it is the gap alone and ``measure_word`` is "".
    """

    measure_word: str
    context: str
    start: int
    end: int


@dataclass(frozen=True)
class Term:
    """One term of a formula: a count whose label contains one of ``words``."""

    words: tuple[str, ...]
    optional: bool = False


@dataclass(frozen=True)
class LexiconEntry:
    """One row of ``resources/indicators.csv`` (see the comment header of that file).

    ``numerator`` and ``denominator`` are parsed formulas: alternatives (tried in order), each a
    tuple of :class:`Term` to be added.
    """

    canonical: str
    domain: str
    kind: str
    labels: tuple[str, ...]
    context: tuple[str, ...]
    numerator: tuple[tuple[Term, ...], ...]
    denominator: tuple[tuple[Term, ...], ...]
    example: str


def _split(value: str, sep: str = "|") -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split(sep) if p.strip())


def _parse_formula(value: str) -> tuple[tuple[Term, ...], ...]:
    """``"a|b;c?+d?"`` → ((Term(('a','b')),), (Term(('c',),True), Term(('d',),True)))."""
    alternatives = []
    for alt in (value or "").split(";"):
        terms = []
        for term in alt.split("+"):
            term = term.strip()
            if not term:
                continue
            optional = term.endswith("?")
            words = _split(term.rstrip("?"))
            if words:
                terms.append(Term(words, optional))
        if terms:
            alternatives.append(tuple(terms))
    return tuple(alternatives)


@lru_cache(maxsize=1)
def lexicon() -> tuple[LexiconEntry, ...]:
    """The canonical indicator lexicon, read once from ``resources/indicators.csv``."""
    entries = []
    for row in read_csv("indicators.csv"):
        entries.append(LexiconEntry(
            canonical=row["canonical"].strip(),
            domain=(row.get("domain") or "").strip(),
            kind=(row.get("kind") or "").strip(),
            labels=_split(row.get("labels", "")),
            context=_split(row.get("context", "")),
            numerator=_parse_formula(row.get("numerator", "")),
            denominator=_parse_formula(row.get("denominator", "")),
            example=(row.get("example") or "").strip(),
        ))
    return tuple(entries)


@lru_cache(maxsize=1)
def _by_canonical() -> dict[str, LexiconEntry]:
    return {e.canonical: e for e in lexicon()}


@lru_cache(maxsize=1)
def _rate_labels() -> tuple[tuple[str, LexiconEntry], ...]:
    pairs = [(lab, e) for e in lexicon() if e.kind == "rate" for lab in e.labels]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def _quantity_labels() -> tuple[tuple[str, LexiconEntry], ...]:
    pairs = [(lab, e) for e in lexicon() if e.kind != "rate" for lab in e.labels]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _context_score(entry: LexiconEntry, label: str, sentence: str, pos: int) -> float | None:
    """None when the entry's context is absent; else higher is better (nearer context)."""
    if not entry.context:
        return 0.0
    if any(c in label for c in entry.context):
        return 1e6
    best = None
    for c in entry.context:
        i = sentence.rfind(c, 0, max(pos, 0))
        if i >= 0:
            score = 1e5 - (pos - i)
        else:
            i = sentence.find(c)
            score = None if i < 0 else 1e4 - (i - pos)
        if score is not None and (best is None or score > best):
            best = score
    return best


def _choose(pairs: list[tuple[str, LexiconEntry]], label: str, sentence: str, pos: int) -> LexiconEntry | None:
    best: tuple[Any, ...] | None = None
    chosen = None
    for lab, entry in pairs:
        score = _context_score(entry, label, sentence, pos)
        if score is None:
            continue
        key = (len(lab), score)
        if best is None or key > best:
            best, chosen = key, entry
    return chosen


def canonical_name(label: str, sentence: str = "", *, kind: str = "rate", position: int | None = None
                   ) -> tuple[str, str | None]:
    """Canonical name and domain of a label as written.

    Parameters
    ----------
    label : str
        The label (纠错率, 全市共调解纠纷).
    sentence : str, optional
        The sentence it sits in, for context words (行政复议).
    kind : {"rate", "count", "amount", "duration", "quantity"}
        A rate label maps when it ends with a lexicon label of a rate; a count, amount or duration
        label when it contains a lexicon label of that kind ("quantity": of any of the three).
    position : int, optional
        Where the label ends in ``sentence`` (nearer context words win); default: the end.

    Returns
    -------
    (str, str or None)
        The canonical name, or the label itself when the lexicon does not know it; the domain.

    Examples
    --------
    >>> canonical_name("纠错率", "全年办结行政复议案件218件,纠错35件,纠错率21.08%")
    ('行政复议纠错率', '行政复议')
    """
    entry = _lookup(label, sentence, kind, len(sentence) if position is None else position)
    if entry is None:
        return label, None
    return entry.canonical, entry.domain or None


@lru_cache(maxsize=1)
def _rate_suffixes() -> dict[str, list[int]]:
    """rate label → its places in :func:`_rate_labels` (a label's suffixes are looked up)."""
    out: dict[str, list[int]] = {}
    for i, (lab, _) in enumerate(_rate_labels()):
        out.setdefault(lab, []).append(i)
    return out


@lru_cache(maxsize=1)
def _quantity_automaton() -> tuple[Any, list[tuple[int, ...]]]:
    """An Aho-Corasick automaton of the count/amount/duration labels, and each label's places."""
    import ahocorasick_rs

    places: dict[str, list[int]] = {}
    for i, (lab, _) in enumerate(_quantity_labels()):
        places.setdefault(lab, []).append(i)
    labels = list(places)
    automaton = ahocorasick_rs.AhoCorasick(labels, matchkind=ahocorasick_rs.MatchKind.Standard)
    return automaton, [tuple(places[lab]) for lab in labels]


@lru_cache(maxsize=65536)
def _rate_labels_ending(label: str) -> tuple[tuple[str, LexiconEntry], ...]:
    """The lexicon's rate labels ``label`` ends with, in the lexicon's order (by suffix index)."""
    table, index = _rate_labels(), _rate_suffixes()
    return tuple(table[i] for i in sorted(i for k in range(len(label)) for i in index.get(label[k:], ())))


@lru_cache(maxsize=65536)
def _quantity_labels_in(label: str, kind: str) -> tuple[tuple[str, LexiconEntry], ...]:
    """The lexicon's count/amount/duration labels found in ``label``, in the lexicon's order."""
    table = _quantity_labels()
    automaton, places_of = _quantity_automaton()
    places = sorted({i for k, _, _ in automaton.find_matches_as_indexes(label, overlapping=True)
                     for i in places_of[k]})
    return tuple(table[i] for i in places if kind == "quantity" or table[i][1].kind == kind)


def _lookup(label: str, sentence: str, kind: str, pos: int) -> LexiconEntry | None:
    # the lexicon's labels found in ``label`` by index, in the lexicon's order (ties: first wins);
    # the candidates depend on the label alone, the choice among them on the context
    pairs = _rate_labels_ending(label) if kind == "rate" else _quantity_labels_in(label, kind)
    return _choose(pairs, label, sentence, pos)


# --- text geometry -------------------------------------------------------------------------------

_SENTENCE_END_RE = re.compile("[" + re.escape(_SENTENCE_END) + "]")


@lru_cache(maxsize=4)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence; one pass, kept for the checks of the same text."""
    ends = [m.end() for m in _SENTENCE_END_RE.finditer(text)]
    spans = list(zip([0, *ends], ends))
    last = ends[-1] if ends else 0
    if last < len(text):
        spans.append((last, len(text)))
    return tuple(spans)


def _trimmed(text: str, lo: int, hi: int) -> tuple[int, int]:
    """``lo, hi`` moved in past the whitespace at either end of ``text[lo:hi]``."""
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def _sentence_window(text: str, lo: int, hi: int, start: int, end: int) -> str:
    """``text[lo:hi]`` trimmed, or at most ``SENTENCE_MAX`` characters of it around ``start:end``."""
    lo, hi = _trimmed(text, lo, hi)
    if hi - lo <= SENTENCE_MAX:
        return text[lo:hi]
    width = max(SENTENCE_MAX - 2, end - start)  # room for the two "…"
    a = max(lo, min(start - (width - (end - start)) // 2, hi - width))
    b = min(hi, a + width)
    return ("…" if a > lo else "") + text[a:b] + ("…" if b < hi else "")


def _title_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"《[^《》\n]{0,120}》", text):
        spans.append((m.start(), m.end()))
    return spans


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _is_quantity(text: str, m: NumberMatch, titles: list[tuple[int, int]], title_starts: list[int]) -> bool:
    """A number with a unit that is a stated quantity, not a year, ordinal, name or title."""
    if m.unit_kind is None:
        return False
    before = text[m.start - 1] if m.start > 0 else ""
    i = m.start
    while i > 0 and text[i - 1] in " \t\u3000\u00a0":
        i -= 1
    if i > 0 and text[i - 1] == "第":  # ordinal: 第十三次, 第 2 次
        return False
    if before and (before.isascii() and (before.isalnum() or before in "._")):
        return False
    if titles and _inside(titles, title_starts, m.start):
        return False
    if before and before in "“\"'‘「『" and m.stop < len(text) and text[m.stop] in "”\"'’」』":
        return False
    if m.numeral == "chinese" and m.unit != "%" and not (m.prefix or m.infix):
        core = set(m.text)
        if not (core & _CN_DIGIT and core & _CN_PLACE):
            return False
    if m.unit in ("年",):
        if m.value >= 100 or m.value != int(m.value):
            return False
        after = text[m.unit_end:m.unit_end + 1]
        if after in ("度", "底", "初", "末", "级", "版"):
            return False
    return True


def _clean_edges(s: str) -> str:
    return s.strip(_EDGE_QUOTES)


def _trim_label(run: str) -> str:
    run = _clean_edges(run)
    cut = _LABEL_CUT.match(run)
    if cut and cut.end() < len(run):
        run = run[cut.end():]
    run = _clean_edges(run)
    return run[-_LABEL_MAX:]


def _rate_run(text: str, lo: int, hi: int) -> str:
    """The words before a rate back to a delimiter (or the quantity before it)."""
    i = hi
    while i > lo and text[i - 1] not in _RATE_DELIMS:
        i -= 1
    return text[i:hi]


def _rate_label(run: str, sentence: str, pos: int) -> tuple[str, str, str | None]:
    """(label, indicator, domain) of one rate label as written."""
    run = _clean_edges(run)
    pairs = _rate_labels_ending(run)
    if pairs:
        label = max(pairs, key=lambda p: len(p[0]))[0]
        entry = _choose(pairs, run, sentence, pos)
        if entry is not None:
            return label, entry.canonical, entry.domain or None
        return label, label, None
    label = _trim_label(run)
    return label, label, None


def _after_words(text: str, pos: int) -> str:
    j = pos
    n = len(text)
    while j < n and j - pos < _AFTER_MAX and text[j] not in _COUNT_DELIMS and not text[j].isdigit():
        j += 1
    return _clean_edges(text[pos:j])


# --- extraction ----------------------------------------------------------------------------------

@dataclass
class _Row:
    indicator: str
    label: str
    kind: str
    domain: str | None


def extract_indicators(text: str, sections: Sequence[Any] | None = None) -> list[Indicator]:
    """Every stated rate, change, reduction, count, amount and duration in ``text``.

    Parameters
    ----------
    text : str
        The clean report text (:attr:`lawreports.Report.text`); any string is accepted.
    sections : list of Section, optional
        The report's sections (:func:`lawreports.structure.parse_sections`); when given,
        ``section_id`` and ``role`` are filled from the deepest section containing each number.

    Returns
    -------
    list of Indicator
        In text order; a value shared by several labels gives one row per label.

    Examples
    --------
    >>> rows = extract_indicators("共受理矛盾调解案件353宗,调解成功352宗,调解成功率为99.7%。")
    >>> [(r.indicator, r.value, r.unit, r.kind) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
    [('调解矛盾纠纷', 353.0, '宗', 'count'), ('调解成功', 352.0, '宗', 'count'),
     ('调解成功率', 99.7, '%', 'rate')]
    """
    if not isinstance(text, str) or not text:
        return []
    return _extract(text, _section_index(list(sections)) if sections else None)


def _extract(text: str, deepest: SectionIndex | None = None) -> list[Indicator]:
    spans = _sentence_spans(text)
    span_starts = [s for s, _ in spans]
    titles = _title_spans(text)
    title_starts = [s for s, _ in titles]
    out: list[Indicator] = []
    prev: list[_Row] = []  # quantities of the current sentence, in order
    prev_stop = 0
    current_sentence = -1
    whole: str | None = None  # the current sentence, where it is short enough to be kept whole
    whole_context: str | None = None
    root_start, root_end = (deepest.root.start, deepest.root.end) if deepest is not None else (0, -1)
    for m in scan_numbers(text, units_only=True):
        if not _is_quantity(text, m, titles, title_starts):
            continue
        start, end = m.start, m.end
        si = bisect.bisect_right(span_starts, start) - 1
        s_start, s_end = spans[si]
        if si != current_sentence:
            prev = []
            current_sentence = si
            prev_stop = s_start
            lo, hi = _trimmed(text, s_start, s_end)
            whole = text[lo:hi] if hi - lo <= SENTENCE_MAX else None
            whole_context = None
        # the context words of the lexicon are looked for near the number, not in all of a
        # sentence that may be a whole flattened table
        c_lo = max(s_start, start - CONTEXT_WINDOW)
        c_hi = min(s_end, end + CONTEXT_WINDOW)
        if c_lo == s_start and c_hi == s_end:    # the whole sentence: sliced once for its numbers
            if whole_context is None:
                whole_context = text[s_start:s_end]
            context = whole_context
        else:
            context = text[c_lo:c_hi]
        sentence = whole if whole is not None else _sentence_window(text, s_start, s_end, start, end)
        lo = max(prev_stop, s_start)
        pos_in_context = start - c_lo
        if m.unit_kind in ("percent", "change"):
            rows = _percent_rows(text, m, lo, context, pos_in_context, prev)
        else:
            rows = [_quantity_row(text, m, lo, context, pos_in_context, prev)]
        # the deepest section holding the number, looked up once for all its rows
        sec = deepest(start) if deepest is not None and root_start <= start <= root_end else None
        section_id = getattr(sec, "section_id", None)
        role = getattr(sec, "role", None)
        value, unit, qualifier = m.value, m.unit, m.qualifier
        for r in rows:
            out.append(frozen_record(Indicator, {
                "indicator": r.indicator,
                "label": r.label,
                "value": value,
                "unit": unit,
                "kind": r.kind,
                "qualifier": qualifier,
                "domain": r.domain,
                "sentence": sentence,
                "start": start,
                "end": end,
                "section_id": section_id,
                "role": role,
            }))
        prev.extend(rows)
        prev_stop = max(m.stop, end)
    return out


def _quantity_row(text: str, m: NumberMatch, lo: int, sentence: str, pos: int, prev: list[_Row]) -> _Row:
    i = m.start
    while i > lo and text[i - 1] in " \t\u3000\u00a0":  # "代表建议 90 件"
        i -= 1
    hi = i
    # back to the last delimiter before hi, or to lo (lo is the previous quantity's end or the
    # sentence's start: the runs walked back over for a text's quantities do not overlap)
    while i > lo and text[i - 1] not in _COUNT_DELIMS:
        i -= 1
    before = _clean_edges(text[i:hi])
    # the run holds no delimiter, so no line end: each pattern's "$" is the run's end
    if before and before[-1] in _RANGE_ENDS:
        before = _RANGE_START.sub("", before)  # 缩短至1至2天: the label is 缩短至
    if before and before[-1] in _COUNT_TRAIL_ENDS:
        before = _COUNT_TRAIL.sub("", before)
    if before and before[0] in _COUNT_LEAD_STARTS:
        before = _COUNT_LEAD.sub("", before)
    before = _clean_edges(before)
    if before in _CONJUNCTION:
        before = ""
    if len(before) > _LABEL_MAX:
        before = before[-_LABEL_MAX:]
    after = ""
    stop = m.stop
    if stop < len(text) and "\u4e00" <= text[stop] <= "\u9fff":
        after = _after_words(text, stop)
        if after in _CONJUNCTION:
            after = ""
    if after:
        label = f"{before}…{after}" if before else after
    elif before:
        label = before
    else:
        # the last count of the sentence (scanning back over the rates after it only)
        earlier = next((r for r in reversed(prev) if r.kind not in ("rate", "change", "reduction")), None)
        label = earlier.label if earlier is not None else before
    kind = m.unit_kind or "count"
    indicator, domain = canonical_name(label, sentence, kind=kind, position=pos) if label else ("", None)
    return _Row(indicator, label, kind, domain)


def _percent_rows(text: str, m: NumberMatch, lo: int, sentence: str, pos: int, prev: list[_Row]
                  ) -> list[_Row]:
    # strip the verb between label and number (为, 达, 均提升至 …)
    window_lo = max(lo, m.start - 60)
    window = text[window_lo:m.start]
    conn = _CONNECTOR.search(window)
    conn_start = window_lo + (conn.start() if conn else len(window))
    shared_signal = bool(conn and _SHARED_SIGNAL.match(conn.group()))
    run = _clean_edges(_LEADING_JOIN.sub("", _clean_edges(_rate_run(text, lo, conn_start))))
    base_kind = "change" if m.unit_kind == "change" else None

    if not run:
        after = _after_words(text, m.stop)
        label = _trim_label(after)
        return [_Row(label, label, base_kind or "rate", None)]

    # change and reduction: 同比增长77%, 办理时限压缩67%
    ch = _CHANGE.match(run)
    kind = None
    if ch:
        kind = "change"
    else:
        ch = _INCREASE.match(run)
        if ch:
            kind = "change"
        else:
            ch = _REDUCTION.match(run)
            if ch:
                kind = "reduction"
    if ch and kind:
        if base_kind:
            kind = "change"
        base = _trim_label(ch.group("base"))
        label = _trim_label(run)
        if base:
            order = ("rate",) if _RATE_SUFFIX.search(base) else ("quantity", "rate")
            indicator, domain = base, None
            for k in order:
                entry = _lookup(base, sentence, k, pos)
                if entry is not None:
                    indicator, domain = entry.canonical, entry.domain or None
                    break
        elif prev:
            indicator, domain = prev[-1].indicator, prev[-1].domain
        else:
            indicator, domain = label, None
        return [_Row(indicator, label, kind, domain)]

    # one label or several sharing the value
    parts = [p for p in (_clean_edges(x) for x in _SHARED_AFTER_SUFFIX.split(run)) if p]
    if len(parts) < 2 and shared_signal:
        parts = [p for p in (_clean_edges(x) for x in _SHARED_ANY.split(run)) if p]
        if any(len(p) < 2 for p in parts):
            parts = [run]
    rows: list[_Row] = []
    if len(parts) > 1:
        last = parts[-1]
        head = _head_of(last)
        for k, part in enumerate(parts):
            if k < len(parts) - 1 and not _RATE_SUFFIX.search(part) and head:
                part = part + head
            label, indicator, domain = _rate_label(part, sentence, pos)
            rows.append(_Row(indicator, label, base_kind or "rate", domain))
        return rows
    label, indicator, domain = _rate_label(run, sentence, pos)
    return [_Row(indicator, label, base_kind or "rate", domain)]


def _head_of(label: str) -> str:
    """The rate word a shared label ends with: 应报完备实施清单完成率 → 完成率."""
    index = _rate_suffixes()
    # the first such lexicon label in the lexicon's order (longest first): a suffix of at most
    # 4 characters, shorter than the label
    places = [i for k in range(max(1, len(label) - 4), len(label)) for i in index.get(label[k:], ())]
    if places:
        return _rate_labels()[min(places)][0]
    m = _RATE_SUFFIX.search(label)
    if not m:
        return ""
    return label[-3:] if len(label) >= 3 else label


# --- checks --------------------------------------------------------------------------------------

def check_indicators(text: str, indicators: Iterable[Indicator]) -> list[Check]:
    """Recompute stated rates from the counts stated beside them.

    A rate is checked only when the lexicon gives its formula (numerator and denominator), and
    only when counts matching every term are stated before it in the same sentence or in the
    sentence before. A rate without a known formula is never accused: it gives no row.

    Parameters
    ----------
    text : str
        The text the indicators were extracted from.
    indicators : list of Indicator
        :func:`extract_indicators` of ``text``.

    Returns
    -------
    list of Check
        ``consistent`` is True when the stated rate is within 0.5 points of the recomputed one.

    Examples
    --------
    >>> t = "调委会共受理矛盾纠纷733 件,成功调处 688 件,调解成功率达 95 %。"
    >>> c, = check_indicators(t, extract_indicators(t))
    >>> c.recomputed, c.difference, c.consistent
    (93.86, 1.14, False)
    """
    if not isinstance(text, str):
        return []
    return _check(text, list(indicators or []))


def _check(text: str, rows: list[Indicator]) -> list[Check]:
    spans = _sentence_spans(text)
    starts = [s for s, _ in spans]
    out: list[Check] = []
    seen: set[tuple[int, str]] = set()
    quantities = sorted((r for r in rows if r.kind in ("count", "amount")), key=lambda q: q.start)
    q_starts = [q.start for q in quantities]
    for rate in rows:
        if rate.kind != "rate" or (rate.start, rate.indicator) in seen:
            continue
        entry = _by_canonical().get(rate.indicator)
        if entry is None or not entry.numerator or not entry.denominator:
            continue
        si = bisect.bisect_right(starts, rate.start) - 1
        if si < 0:
            continue
        lo = spans[si - 1][0] if si > 0 else spans[si][0]
        lo = max(lo, rate.start - CHECK_WINDOW)
        # counts before the rate, nearest first: this sentence, then the one before (within
        # CHECK_WINDOW characters and the CHECK_MAX_COUNTS nearest, so that a flood of
        # sentences, or one endless sentence, costs the same per rate)
        a = bisect.bisect_left(q_starts, lo)
        b = bisect.bisect_left(q_starts, rate.start)
        near = quantities[max(a, b - CHECK_MAX_COUNTS):b][::-1]
        found = _apply_formula(entry, near)
        if found is None:
            continue
        seen.add((rate.start, rate.indicator))
        num_terms, den_terms = found
        scale = unit_factor(num_terms[0].unit)
        numerator = sum(t.value * unit_factor(t.unit) / scale for t in num_terms)
        denominator = sum(t.value * unit_factor(t.unit) / scale for t in den_terms)
        if denominator <= 0:
            continue
        exact = 100.0 * numerator / denominator
        recomputed = round(exact, 2)
        diff = rate.value - exact
        consistent = abs(diff) <= TOLERANCE
        formula = f"{_sum_text(num_terms)}/{_sum_text(den_terms)}"
        if consistent:
            note = f"{formula} = {recomputed:.2f}%, stated {_fmt(rate.value)}%"
        else:
            note = (f"cannot be reproduced from the stated counts: {formula} = {recomputed:.2f}%, "
                    f"stated {_fmt(rate.value)}%")
        out.append(Check(indicator=rate.indicator, stated=rate.value, recomputed=recomputed,
                         numerator=round(numerator, 6), denominator=round(denominator, 6),
                         difference=round(diff, 2), consistent=consistent, note=note,
                         start=rate.start, end=rate.end))
    return out


def _fmt(x: float) -> str:
    return f"{x:.6g}" if x != int(x) else str(int(x))


def _sum_text(terms: list[Indicator]) -> str:
    if len(terms) == 1:
        return _fmt(terms[0].value)
    return "(" + "+".join(_fmt(t.value) for t in terms) + ")"


def _find_terms(terms: tuple[Term, ...], near: list[Indicator], exclude: list[Indicator], kind: str | None,
                reuse: tuple[tuple[Term, ...], list[Indicator]] | None = None) -> list[Indicator] | None:
    """Counts for every term of one formula alternative, nearest first; None if a required one is missing."""
    used: list[Indicator] = []
    for term in terms:
        if reuse is not None and len(reuse[0]) == 1 and term.words == reuse[0][0].words:
            used.extend(reuse[1])
            continue
        cand = next((q for q in near if q not in exclude and q not in used
                     and (kind is None or q.kind == kind)
                     and any(w in q.label for w in term.words)), None)
        if cand is None:
            if term.optional:
                continue
            return None
        used.append(cand)
    return used or None


def _apply_formula(entry: LexiconEntry, near: list[Indicator]
                   ) -> tuple[list[Indicator], list[Indicator]] | None:
    for num_alt in entry.numerator:
        num = _find_terms(num_alt, near, [], None)
        if not num:
            continue
        kind = num[0].kind
        for den_alt in entry.denominator:
            den = _find_terms(den_alt, near, num, kind, reuse=(num_alt, num))
            if den:
                return num, den
        return None
    return None


# --- blanks --------------------------------------------------------------------------------------

#: Blanks after a Chinese character: the first blank is matched, then the character before it
#: looked behind at, so a search skips to blanks instead of trying every position.
_GAP = r"(?P<gap>[ \t\u3000\u00a0](?<=[\u4e00-\u9fff][ \t\u3000\u00a0])[ \t\u3000\u00a0]*)"


@lru_cache(maxsize=1)
def _blank_re() -> re.Pattern[str]:
    words = sorted((w for w, k in measure_words().items() if w != "年"), key=len, reverse=True)
    return re.compile(
        _GAP + r"(?P<mw>[%％]|" + "|".join(map(re.escape, words)) + ")"
    )


_ENUM_GAP = re.compile(_GAP + r"(?=、)")
#: The blanks of a gap but the space: a clean text has none of them (normalize_text maps them).
_OTHER_GAP_CHARS = "\t\u3000\u00a0"


def _gap_matches(pattern: re.Pattern[str], text: str) -> Iterable[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose matches start with a blank of ``_GAP``.

    Where the only such blanks of the text are spaces (a clean text's), the pattern is tried
    at each space, found by ``str.find``, instead of a scan of every character: the same
    matches, as a match can begin at a space only.
    """
    if any(ch in text for ch in _OTHER_GAP_CHARS):
        yield from pattern.finditer(text)
        return
    end = 0
    p = text.find(" ")
    while p >= 0:
        if p >= end:
            m = pattern.match(text, p)
            if m is not None:
                yield m
                end = m.end()
        p = text.find(" ", p + 1)


def find_blanks(text: str) -> list[Blank]:
    """Unfilled template blanks: a measure word after a gap where the number should be.

    "开展调委会规范化建设专项检查 次", "涉及物业纠纷 件", "严厉查处 起招投标违法行为"; also a gap
    before an enumeration comma whose next item states a number ("给予纪律处分 、组织处理 145人").
    A measure-word character that starts a longer word (人民, 项目 — the ``compound`` entries of
    ``resources/measure_words.txt``) is not a blank.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of Blank
        In text order.
    """
    if not isinstance(text, str) or not text:
        return []
    out: list[Blank] = []
    compounds = compound_words()
    for m in _gap_matches(_blank_re(), text):
        if text[m.start() - 1] in _NUMERAL_CHARS:
            continue
        mw = m.group("mw")
        nxt = text[m.end("mw"):m.end("mw") + 2]
        if any((mw + nxt).startswith(c) for c in compounds if c.startswith(mw) and len(c) > len(mw)):
            continue
        out.append(Blank(measure_word="%" if mw in "%％" else mw, context=_context(text, m.start(), m.end()),
                         start=m.start(), end=m.end()))
    for m in _gap_matches(_ENUM_GAP, text):
        if text[m.start() - 1] in _NUMERAL_CHARS:
            continue
        j = m.end() + 1
        k = j
        while k < len(text) and text[k] not in ",，。；;：:\n、" and k - j < 20:
            k += 1
        item = text[j:k]
        if any(q.unit_kind in ("count", "amount") for q in scan_numbers(item)):
            out.append(Blank(measure_word="", context=_context(text, m.start(), m.end()),
                             start=m.start(), end=m.end()))
    out.sort(key=lambda b: b.start)
    return out


def _context(text: str, start: int, end: int, width: int = 15) -> str:
    lo = text.rfind("\n", max(0, start - width), start) + 1
    hi = text.find("\n", end, end + width)
    hi = len(text) if hi < 0 else hi
    return text[max(lo, start - width):min(hi, end + width)]
