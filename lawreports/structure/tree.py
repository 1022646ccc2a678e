"""The section tree of a report and the role of each section among the five parts.

A 法治政府建设年度报告 is split into a tree of :class:`Section` objects:

* numbered headings at the start of a line - ``一、`` (depth 1), ``(一)``/``（一）`` (2),
  ``1、``/``1.`` (3), ``(1)``/``（1）`` (4), ``①`` (5) - and short unnumbered lines that name a
  part ("存在的问题");
* inline parts: a paragraph that states the shortcomings ("还存在一些问题和不足:一是…") or the
  plans ("2022年,我区将…", "下一步…") without a heading of its own (kind ``"paragraph"``);
* inline enumerations inside a section's own text (``一是…二是…``, ``首先…其次…``,
  ``第一,…第二,…``), one level deeper than their container (kind ``"enumeration"``).

Each section gets the role of the part it belongs to (``achievements``, ``shortcomings``,
``responsibility``, ``plans``, ``other``, or ``preamble`` before the first part), found from a
top-level heading (source ``"heading"``) or from an inline paragraph (source ``"inline"``).
The phrases that mark each part live in ``resources/part_patterns.csv``.

Every offset points into the text given: ``text[s.start:s.end] == s.text`` for every section.

The stage receives what earlier stages decided: the report year (from
:mod:`lawreports.metadata`, for the "2023年,我区将…" plans opening) and where the body ends
(:func:`lawreports.clean.report_end`, before the signature, the date and any attachment).
"""

from __future__ import annotations

import bisect
import collections
import functools
import heapq
import html
import logging
import operator
import re
from dataclasses import dataclass, field

from ..clean import report_end
from ..records import frozen_record
from ..resource_files import read_csv
from ..vocab import PARTS

LOGGER = logging.getLogger(__name__)

__all__ = ["Section", "SectionIndex", "parse_sections", "section_at", "outline", "outline_html"]

_PATTERNS_FILE = "part_patterns.csv"
_SCOPES = (
    "heading",
    "inline_any",
    "inline_first",
    "problem_cue",
    "plan_cue",
    "closing",
)


@dataclass(frozen=True)
class Section:
    """One section of a report.

    Attributes
    ----------
    section_id : int
        0..n-1 in document order; 0 is the root section (the whole text).
    parent_id : int or None
        ``section_id`` of the enclosing section; None only for the root.
    depth : int
        0 root, 1 ``一、``, 2 ``(一)``, 3 ``1、``/``1.``, 4 ``(1)``, 5 ``①``; inline parts and
        enumerations are one deeper than their container (a part found inline after the last
        heading of the report sits at the depth of the top-level parts).
    marker : str
        The numbering as written (``"一、"``, ``"（一）"``, ``"1."``, ``"一是"``, ``"首先"``), or
        ``""`` for the root, unnumbered heading lines and inline parts.
    heading : str
        The heading without its marker; for a heading on the same line as its first sentence,
        that sentence without its final punctuation. For an inline part, the sentence that
        marks it; for an enumeration item, its first clause.
    role : str
        ``achievements``, ``shortcomings``, ``responsibility``, ``plans``, ``other`` or
        ``preamble``; inherited from the enclosing part when the section itself says nothing.
    source : str
        ``"heading"``, ``"inline"`` or ``"root"``: how the role was found.
    kind : str
        ``"heading"``, ``"enumeration"``, ``"paragraph"`` or ``"root"``.
    start, end : int
        Offsets into the text; ``text[start:end]`` is the section (trailing blanks excluded).
    text : str
        ``text[start:end]`` of the report text.
    """

    section_id: int
    parent_id: int | None
    depth: int
    marker: str
    heading: str
    role: str
    source: str
    kind: str
    start: int
    end: int
    text: str


# ---------------------------------------------------------------------------------------------
# docstrings: the parameters every function of the structure stage shares, written once

_PARAMS = {
    "{text_sections}": """text : str
        The report text the sections were parsed from.
    sections : list of Section, optional
        The result of ``parse_sections(text)``; parsed here when omitted.""",
    "{sections}": """sections : list of Section
        The result of :func:`parse_sections`.""",
}


def _shared_params(func):
    """Fill a docstring's ``{text_sections}`` / ``{sections}`` with the shared parameter text."""
    for key, text in _PARAMS.items():
        func.__doc__ = func.__doc__.replace(key, text)
    return func


# patterns

_CN_DIGITS = "一二三四五六七八九十"
_CN_VALUE = {c: i for i, c in enumerate(_CN_DIGITS, start=1)}
_HSPACE = "(?:[^\\S\\n]|[\\u200b\\ufeff])*"  # blanks at the start of a line (EN SPACE, 　, NBSP…)

_HEADING_RE = re.compile(
    _HSPACE
    + "(?:"
    + rf"(?P<d2>[(（][{_CN_DIGITS}]{{1,3}}[)）][、.．]?)"
    + rf"|(?P<d4>[(（]\d{{1,2}}[)）][、.．]?)"
    + rf"|(?P<d1>[{_CN_DIGITS}]{{1,3}}(?:、|[.．](?!\d)))"
    + r"|(?P<d3>\d{1,2}(?:、|[.．](?![\d.．])))"
    + r"|(?P<d5>[①-⑳])"
    + ")"
)
_DEPTH_OF_GROUP = {"d1": 1, "d2": 2, "d3": 3, "d4": 4, "d5": 5}

# where a heading on the same line as its first sentence stops, and where a sentence ends
_HEADING_END_RE = re.compile(r"[。！？!?；;:：]")
_SENTENCE_END_RE = re.compile(r"[。！？!?]")
_NEWLINE_RE = re.compile(r"\n")
_TRAIL_PUNCT = ",，、:：;；"  # stripped (with blanks) from the end of headings and items
_ITEM_TRAIL = _TRAIL_PUNCT + "。.！？!?"
_LEAD_PUNCT = ",，、:：;；"

# inline enumerations: 一是/二是, 首先/其次/再次/最后, 第一,/第二,
_ENUM_BOUNDARY = r"(?:^|(?<=[\s。；;:：,，!?！？、“”\"（(）)]))"
_ENUM_RE = re.compile(
    rf"(?=[{_CN_DIGITS}首其再最第])"     # what a marker starts with: other places fail at one test
    + _ENUM_BOUNDARY
    + rf"(?:(?P<shi>[{_CN_DIGITS}]{{1,2}})是"
    + r"|(?P<seq>首先|其次|再次|最后)"
    + rf"|第(?P<di>[{_CN_DIGITS}]{{1,2}})(?=[,，、:：]))",
    re.M,
)
#: Whether text holds a marker of _ENUM_RE: the same matches, opening with the class of the
#: characters a marker starts with, which a search skips to (a look-ahead first is tried at
#: every character), the boundary and the rest of the marker then looked behind at.
_ENUM_ANY_RE = re.compile(
    rf"[{_CN_DIGITS}首其再最第]"
    + r"(?:(?<![\s\S]{2})|(?<=[\s。；;:：,，!?！？、“”\"（(）)].))"
    + rf"(?:(?<=[{_CN_DIGITS}])[{_CN_DIGITS}]?是"
    + r"|(?<=首)先|(?<=其)次|(?<=再)次|(?<=最)后"
    + rf"|(?<=第)[{_CN_DIGITS}]{{1,2}}(?=[,，、:：]))"
)
_SEQ_ORDER = {"首先": 1, "其次": 2, "再次": 3, "最后": 4}
_SEQ_STEPS = {(1, 2), (2, 3), (2, 4), (3, 3), (3, 4)}

_SIGNATURE_PUNCT_RE = re.compile(r"[。，,；;：:！？!?、]")
_TITLE_END_RE = re.compile(r"报告$")


@dataclass(frozen=True)
class _Patterns:
    heading: dict[str, re.Pattern]  # role -> combined pattern, in priority order
    inline_any: re.Pattern
    inline_first_static: tuple[str, ...]
    inline_first_year: tuple[str, ...]
    problem_cue: re.Pattern
    plan_cue: re.Pattern


def _read_pattern_rows() -> list[tuple[str, str, str]]:
    rows = []
    for record in read_csv(_PATTERNS_FILE):
        role = (record.get("role") or "").strip()
        scope = (record.get("scope") or "").strip()
        pattern = record.get("pattern") or ""
        if scope not in _SCOPES:
            raise ValueError(
                f"{_PATTERNS_FILE}: the value for `scope` must be one of {_SCOPES}, got {scope!r}"
            )
        if role not in PARTS + ("closing",):
            raise ValueError(
                f"{_PATTERNS_FILE}: the value for `role` must be one of "
                f"{PARTS + ('closing',)}, got {role!r}"
            )
        rows.append((role, scope, pattern))
    return rows


def _join(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns) if patterns else r"(?!x)x"


@functools.lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    rows = _read_pattern_rows()
    heading: dict[str, list[str]] = {}
    by_scope: dict[str, list[str]] = collections.defaultdict(list)
    first_static: list[str] = []
    first_year: list[str] = []
    for role, scope, pattern in rows:
        if scope == "heading":
            heading.setdefault(role, []).append(pattern)
        elif scope == "inline_first":
            (first_year if "{next_year}" in pattern else first_static).append(pattern)
        else:
            by_scope[scope].append(pattern)
    return _Patterns(
        heading={role: re.compile(_join(pats)) for role, pats in heading.items()},
        inline_any=re.compile(_join(by_scope["inline_any"])),
        inline_first_static=tuple(first_static),
        inline_first_year=tuple(first_year),
        problem_cue=re.compile(_join(by_scope["problem_cue"])),
        plan_cue=re.compile(_join(by_scope["plan_cue"])),
    )


@functools.lru_cache(maxsize=64)
def _plans_opening(next_year: int | None) -> re.Pattern:
    pats = _patterns()
    parts = list(pats.inline_first_static)
    if next_year is not None:
        years = "|".join(str(y) for y in range(next_year, next_year + 2))
        parts += [p.replace("{next_year}", f"(?:{years})") for p in pats.inline_first_year]
    return re.compile(_join(parts))


# ---------------------------------------------------------------------------------------------
# building blocks


@dataclass(eq=False)
class _Node:
    start: int
    end: int
    depth: int
    marker: str
    heading: str
    kind: str
    body: int  # where the section's own text starts (after its heading sentence)
    line_end: int  # end of the heading line (paragraphs of the body start after it)
    role: str | None = None
    source: str | None = None
    heading_roles: frozenset = frozenset()
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)


def _cn_int(numeral: str) -> int | None:
    """1..99 from a Chinese numeral ("三", "十二", "二十"); None otherwise."""
    if len(numeral) == 1:
        return _CN_VALUE.get(numeral)
    if "十" not in numeral or numeral.count("十") > 1:
        return None
    tens, _, units = numeral.partition("十")
    t = 1 if not tens else _CN_VALUE.get(tens)
    u = 0 if not units else _CN_VALUE.get(units)
    if t is None or u is None or t == 10 or u == 10:
        return None
    return 10 * t + u


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _rstrip_pos(text: str, lo: int, hi: int, chars: str = "") -> int:
    """Position after the last character of ``text[lo:hi]`` that is neither blank nor in ``chars``."""
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in chars):
        hi -= 1
    return hi


def _lstrip_pos(text: str, lo: int, hi: int, chars: str = "") -> int:
    """Position of the first character of ``text[lo:hi]`` that is neither blank nor in ``chars``."""
    while lo < hi and (text[lo].isspace() or text[lo] in chars):
        lo += 1
    return lo


def _paragraphs(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Non-blank lines of ``text[lo:hi]`` as trimmed spans."""
    out = []
    pos = lo
    while pos < hi:
        nl = text.find("\n", pos, hi)
        line_end = hi if nl < 0 else nl
        s = _lstrip_pos(text, pos, line_end)
        e = _rstrip_pos(text, s, line_end)
        if e > s:
            out.append((s, e))
        pos = line_end + 1
    return out


def _sentence_starts(text: str, lo: int, hi: int) -> list[int]:
    starts = [lo]
    for m in _SENTENCE_END_RE.finditer(text, lo, hi):
        s = _lstrip_pos(text, m.end(), hi)
        if s < hi:
            starts.append(s)
    return starts


def _first_sentence_end(text: str, lo: int, hi: int) -> int:
    m = _SENTENCE_END_RE.search(text, lo, hi)
    return m.end() if m else hi


def _clause(text: str, lo: int, hi: int, limit: int = 80) -> str:
    """The first clause of ``text[lo:hi]`` (up to 。；: etc.) for use as a heading."""
    lo = _lstrip_pos(text, lo, hi, _LEAD_PUNCT)
    m = _HEADING_END_RE.search(text, lo, hi)
    end = m.start() if m else hi
    end = _rstrip_pos(text, lo, end, _TRAIL_PUNCT)
    return text[lo : min(end, lo + limit)]


def _heading_roles(heading: str) -> list[str]:
    """Roles whose heading phrases occur in ``heading``, the earliest phrase first."""
    found = []
    for priority, (role, pattern) in enumerate(_patterns().heading.items()):
        m = pattern.search(heading[:60])
        if m:
            found.append((m.start(), priority, role))
    return [role for _, _, role in sorted(found)]


# ---------------------------------------------------------------------------------------------
# headings


def _numbered_headings(text: str, lines: list[tuple[int, int]], body_end: int) -> list[_Node]:
    nodes = []
    for ls, le in lines:
        if ls >= body_end:
            break
        m = _HEADING_RE.match(text, ls, le)
        if not m:
            continue
        group = m.lastgroup
        marker_start = m.start(group)
        marker_end = m.end(group)
        head_start = _lstrip_pos(text, marker_end, le)
        if head_start >= le:
            continue  # a bare marker is not a heading
        stop = _HEADING_END_RE.search(text, head_start, le)
        head_stop = stop.start() if stop else le
        body = stop.end() if stop else le
        heading = text[head_start : _rstrip_pos(text, head_start, head_stop, _TRAIL_PUNCT)]
        nodes.append(
            _Node(
                start=marker_start,
                end=le,
                depth=_DEPTH_OF_GROUP[group],
                marker=text[marker_start:marker_end],
                heading=heading,
                kind="heading",
                body=body,
                line_end=le,
            )
        )
    return nodes


def _unnumbered_headings(
    text: str,
    lines: list[tuple[int, int]],
    body_end: int,
    depth: int,
    taken: set[int],
) -> list[_Node]:
    """Short lines without a number that name a part ("存在的问题", "下一步工作打算")."""
    nodes = []
    first_line = True
    for ls, le in lines:
        if ls >= body_end:
            break
        s = _lstrip_pos(text, ls, le)
        e = _rstrip_pos(text, s, le, _TRAIL_PUNCT)
        if e <= s:
            continue
        if first_line:  # the title
            first_line = False
            continue
        line = text[s:e]
        if (
            s in taken
            or len(line) > 25
            or _SIGNATURE_PUNCT_RE.search(line)
            or _TITLE_END_RE.search(line)
            or _HEADING_RE.match(line)
            or _ENUM_RE.match(line)
        ):
            continue
        roles = [r for r in _heading_roles(line) if r != "achievements"]
        if not roles:
            continue
        nodes.append(
            _Node(
                start=s,
                end=le,
                depth=depth,
                marker="",
                heading=line,
                kind="heading",
                body=le,
                line_end=le,
            )
        )
    return nodes


def _build_tree(text: str, root: _Node, heads: list[_Node], body_end: int) -> None:
    stack = [root]
    for node in heads:
        while len(stack) > 1 and stack[-1].depth >= node.depth:
            done = stack.pop()
            done.end = max(_rstrip_pos(text, done.start, node.start), done.body, done.start)
        node.parent = stack[-1]
        stack[-1].children.append(node)
        stack.append(node)
    for done in stack[1:]:
        done.end = max(_rstrip_pos(text, done.start, max(body_end, done.start)), done.start)
    for node in heads:  # a heading line that runs past the body end (arbitrary text)
        node.body = min(node.body, node.end)
        node.line_end = min(node.line_end, node.end)


def _own_gaps(node: _Node, start: int) -> list[tuple[int, int]]:
    gaps = []
    pos = start
    for child in sorted(node.children, key=lambda c: c.start):
        if child.start > pos:
            gaps.append((pos, child.start))
        pos = max(pos, child.end)
    if node.end > pos:
        gaps.append((pos, node.end))
    return gaps


# ---------------------------------------------------------------------------------------------
# inline parts


def _part_of(node: _Node, part_level: int | None) -> _Node | None:
    """The top-level part (section at ``part_level``) that holds ``node``."""
    cur = node
    while cur is not None and cur.kind != "root":
        if cur.depth == part_level and cur.kind == "heading":
            return cur
        cur = cur.parent
    return None


def _inline_parts(
    text: str,
    container: _Node,
    lo: int,
    hi: int,
    allow_shortcomings: bool,
    plans_opening: re.Pattern,
) -> list[_Node]:
    """Paragraphs in ``text[lo:hi]`` that state the shortcomings or the plans."""
    pats = _patterns()
    found: list[list] = []  # [role, start, end, heading]
    current: list | None = None

    def open_part(role: str, s: int, e: int, hs: int, he: int) -> list:
        part = [role, s, e, _clause(text, hs, he)]
        found.append(part)
        return part

    def plans_sentence(s: int, e: int) -> int | None:
        for ss in _sentence_starts(text, s, e):
            if plans_opening.match(text, ss, e):
                return ss
        return None

    for ps, pe in _paragraphs(text, lo, hi):
        if current is not None and current[0] == "plans":
            current[2] = pe
            continue
        first_end = _first_sentence_end(text, ps, pe)
        trigger = pats.inline_any.search(text, ps, pe) if allow_shortcomings else None
        if current is not None:  # an open shortcomings part
            if plans_opening.match(text, ps, pe):
                current = open_part("plans", ps, pe, ps, pe)
                continue
            if trigger or pats.problem_cue.search(text, ps, first_end):
                current[2] = pe
            elif pats.plan_cue.match(text, ps, first_end):
                current = open_part("plans", ps, pe, ps, pe)
                continue
            else:
                current = None
                continue
            split = plans_sentence(ps, pe)
            if split is not None and split > current[1]:
                current[2] = _rstrip_pos(text, current[1], split)
                current = open_part("plans", split, pe, split, pe)
            continue
        if trigger:
            sentence = max(s for s in _sentence_starts(text, ps, pe) if s <= trigger.start())
            current = open_part("shortcomings", ps, pe, sentence, pe)
            split = plans_sentence(ps, pe)
            if split is not None and split > trigger.start():
                current[2] = _rstrip_pos(text, ps, split)
                current = open_part("plans", split, pe, split, pe)
            continue
        if plans_opening.match(text, ps, pe):
            current = open_part("plans", ps, pe, ps, pe)
    nodes = []
    for role, s, e, heading in found:
        nodes.append(
            _Node(
                start=s,
                end=e,
                depth=container.depth + 1,
                marker="",
                heading=heading,
                kind="paragraph",
                body=s,
                line_end=s,
                role=role,
                source="inline",
                parent=container,
            )
        )
    return nodes


def _provisional_role(node: _Node, part_level: int | None) -> str | None:
    if node.kind == "root":
        return "preamble"
    part = _part_of(node, part_level)
    if part is None:
        return "preamble"
    return part.role  # None while a part's heading says nothing


def _find_inline_parts(
    text: str, root: _Node, heads: list[_Node], part_level: int | None, body_end: int,
    report_year: int | None,
) -> None:
    plans_opening = _plans_opening(None if report_year is None else report_year + 1)
    containers = [root] + heads
    head_starts = sorted(h.start for h in heads)

    def heading_between(lo: int, hi: int) -> bool:
        i = bisect.bisect_right(head_starts, lo)
        return i < len(head_starts) and head_starts[i] < hi
    promoted_in: set[int] = set()
    for container in containers:
        role = _provisional_role(container, part_level)
        if role == "plans":
            continue
        allow_shortcomings = role != "shortcomings"
        # the container's own text before its first sub-heading
        lo = container.line_end
        hi = min((c.start for c in container.children), default=min(container.end, body_end))
        if hi <= lo:
            continue
        part = _part_of(container, part_level)
        for node in _inline_parts(text, container, lo, hi, allow_shortcomings, plans_opening):
            promote = False
            if part is not None and id(part) in promoted_in:
                promote = True
            elif part is not None:
                # a closing paragraph after the last heading of a part is a part of its own
                promote = bool(
                    (container is not part or part.heading_roles)
                    and node.role not in part.heading_roles
                    and node.role != part.role
                    and not heading_between(node.start, part.end)
                )
                if promote:
                    promoted_in.add(id(part))
            if promote:
                cur = container
                while cur is not part.parent:
                    cut = max(_rstrip_pos(text, cur.start, node.start), cur.body, cur.start)
                    cur.end = min(cur.end, cut)
                    cur = cur.parent
                node.parent = part.parent
                node.depth = part.depth
                part.parent.children.append(node)
            else:
                container.children.append(node)


def _resolve_part_roles(root: _Node, part_level: int | None) -> None:
    """Give each top-level part whose heading says nothing a role."""
    previous: str | None = None
    for node in sorted(root.children, key=lambda c: c.start):
        if node.kind == "paragraph":
            previous = node.role
            continue
        if node.kind != "heading" or node.depth != part_level:
            continue
        if node.role is None:
            inline = [c for c in node.children if c.kind == "paragraph"]
            headings = [c for c in node.children if c.kind == "heading"]
            if inline and not headings:
                node.role, node.source = min(inline, key=lambda c: c.start).role, "inline"
            else:
                node.role, node.source = previous or "achievements", "heading"
        previous = node.role


def _headless_achievements(text: str, root: _Node, body_end: int) -> None:
    """In a report without headings, the prose before the first inline part is the work done."""
    if any(c.kind == "heading" for c in root.children):
        return
    first_part = min((c.start for c in root.children), default=body_end)
    paras = _paragraphs(text, 0, first_part)
    if len(paras) < 2:
        return
    begin = 1  # the first line is the title
    for i, (ps, pe) in enumerate(paras):
        if "如下" in text[ps:pe]:
            begin = i + 1
            break
    if begin >= len(paras):
        return
    start, end = paras[begin][0], paras[-1][1]
    root.children.append(
        _Node(
            start=start,
            end=end,
            depth=1,
            marker="",
            heading=_clause(text, start, end),
            kind="paragraph",
            body=start,
            line_end=start,
            role="achievements",
            source="inline",
            parent=root,
        )
    )


# ---------------------------------------------------------------------------------------------
# enumerations


def _enum_runs(text: str, lo: int, hi: int) -> list[list[tuple[int, int, str]]]:
    """Runs of enumeration markers (start, marker end, marker) in ``text[lo:hi]``."""
    if _ENUM_ANY_RE.search(text, lo, hi) is None:     # most gaps have no marker
        return []
    runs: dict[str, list[list[tuple[int, int, str]]]] = {"shi": [], "seq": [], "di": []}
    current: dict[str, list[tuple[int, int, str]]] = {}
    for m in _ENUM_RE.finditer(text, lo, hi):
        kind = m.lastgroup
        value = _SEQ_ORDER[m.group("seq")] if kind == "seq" else _cn_int(m.group(kind))
        if value is None:
            continue
        item = (m.start(), m.end(), m.group(0))
        run = current.get(kind)
        if value == 1:
            if run and len(run) >= 2:
                runs[kind].append(run)
            current[kind] = [item]
        elif run:
            if kind == "seq":
                ok = (_SEQ_ORDER[run[-1][2]], value) in _SEQ_STEPS
            else:
                ok = value == len(run) + 1
            if ok:
                run.append(item)
                if kind == "seq" and value == 4:
                    runs[kind].append(run)
                    current[kind] = []
    for kind, run in current.items():
        if run and len(run) >= 2:
            runs[kind].append(run)
    return [run for kind_runs in runs.values() for run in kind_runs]


def _line_end(text: str, pos: int, hi: int) -> int:
    nl = text.find("\n", pos, hi)
    return hi if nl < 0 else nl


def _enumeration_nodes(text: str, container: _Node, lo: int, hi: int) -> list[_Node]:
    enum_runs = _enum_runs(text, lo, hi)
    if not enum_runs:          # most gaps hold no enumeration: nothing else to look at
        return []
    # line ends and sentence ends of text[lo:hi], found once and bisected: a line of thousands
    # of runs (一是…二是…一是…) must not be searched to its end once per run
    newlines = [m.start() for m in _NEWLINE_RE.finditer(text, lo, hi)]
    stops = [m.start() for m in _SENTENCE_END_RE.finditer(text, lo, hi)]

    def line_end(pos: int) -> int:
        i = bisect.bisect_left(newlines, pos)
        return newlines[i] if i < len(newlines) else hi

    def sentence_end_in(a: int, b: int) -> int | None:
        """End of the first sentence-ending character in text[a:b], if any."""
        i = bisect.bisect_left(stops, a)
        return stops[i] + 1 if i < len(stops) and stops[i] < b else None

    chosen: list[tuple[int, int, list]] = []
    chosen_end = -1  # runs are taken in order of their start: one overlaps iff it starts before
    for run in sorted(enum_runs, key=lambda r: r[0][0]):
        spans = []
        for i, (ms, me, marker) in enumerate(run):
            if i + 1 < len(run):
                stop = run[i + 1][0]
            else:
                stop = this_line_end = line_end(ms)
                prev_start = run[i - 1][0]
                if line_end(prev_start) == this_line_end:
                    same_line = [s for s in spans if line_end(s[0]) == this_line_end]
                    single = all(
                        sentence_end_in(s[0], _rstrip_pos(text, s[0], s[1], _ITEM_TRAIL)) is None
                        for s in same_line
                    )
                    if single:
                        found = sentence_end_in(me, this_line_end)
                        stop = this_line_end if found is None else found
            end = _rstrip_pos(text, ms, stop, _TRAIL_PUNCT)
            spans.append((ms, max(end, me), me, marker))
        first, last = spans[0][0], spans[-1][1]
        if first < chosen_end:
            continue
        chosen.append((first, last, spans))
        chosen_end = max(chosen_end, last)
    nodes = []
    for _, _, spans in chosen:
        for ms, end, me, marker in spans:
            nodes.append(
                _Node(
                    start=ms,
                    end=end,
                    depth=container.depth + 1,
                    marker=marker,
                    heading=_clause(text, me, end),
                    kind="enumeration",
                    body=me,
                    line_end=me,
                    parent=container,
                )
            )
    return nodes


def _find_enumerations(text: str, node: _Node) -> None:
    for child in list(node.children):
        _find_enumerations(text, child)
    if node.kind == "enumeration":
        return
    for lo, hi in _own_gaps(node, node.body):
        node.children.extend(_enumeration_nodes(text, node, lo, hi))


# ---------------------------------------------------------------------------------------------
# public API


def parse_sections(text: str, *, report_year: int | None = None, body_end: int | None = None) -> list[Section]:
    """Split a report into its section tree.

    Parameters
    ----------
    text : str
        The report text (the clean text of :func:`lawreports.read_report`, or any string).
    report_year : int, optional
        The year reported on, as :mod:`lawreports.metadata` decided it: a paragraph opening
        with the next year ("2023年,我区将…") is the plans part. Without it, only the openings
        that name no year ("下一步…") mark plans.
    body_end : int, optional
        Where the report body ends (before the signature and date); by default
        :func:`lawreports.clean.report_end` of ``text``, the one rule for it.

    Returns
    -------
    list of Section
        In document order; ``sections[0]`` is the root (the whole text, role ``preamble``).
        ``text[s.start:s.end] == s.text`` for every section.

    Examples
    --------
    >>> secs = parse_sections("标题\\n一、主要举措和成效\\n（一）依法履职。加强管理。\\n二、存在的不足\\n一是A不够；二是B不足。")
    >>> [(s.marker, s.role) for s in secs[1:]]
    [('一、', 'achievements'), ('（一）', 'achievements'), ('二、', 'shortcomings'), ('一是', 'shortcomings'), ('二是', 'shortcomings')]
    """
    if not isinstance(text, str):
        raise TypeError(f"The value for `text` must be a str, got {type(text).__name__}")
    n = len(text)
    root = _Node(0, n, 0, "", "", "root", body=0, line_end=0, role="preamble", source="root")
    lines = _line_spans(text)
    if body_end is None:
        body_end = report_end(text)
    if not 0 <= body_end <= n:
        raise ValueError(f"The value for `body_end` must be between 0 and {n}, got {body_end}")

    heads = _numbered_headings(text, lines, body_end)
    part_level = min((h.depth for h in heads), default=None)
    heads += _unnumbered_headings(
        text, lines, body_end, part_level or 1, {h.start for h in heads}
    )
    heads.sort(key=lambda h: h.start)
    if part_level is None and heads:
        part_level = heads[0].depth
    _build_tree(text, root, heads, body_end)

    for node in heads:
        if node.depth == part_level:
            roles = _heading_roles(node.heading)
            node.heading_roles = frozenset(roles)
            if roles:
                node.role, node.source = roles[0], "heading"

    _find_inline_parts(text, root, heads, part_level, body_end, report_year)
    _resolve_part_roles(root, part_level)
    _headless_achievements(text, root, body_end)
    _find_enumerations(text, root)

    sections: list[Section] = []

    def visit(node: _Node, parent_id: int | None, role: str, source: str) -> None:
        if node.kind in ("root", "paragraph") or (
            node.kind == "heading" and node.depth == part_level and node.role is not None
        ):
            role, source = node.role or role, node.source or source
        section_id = len(sections)
        sections.append(
            frozen_record(Section, {
                "section_id": section_id,
                "parent_id": parent_id,
                "depth": node.depth,
                "marker": node.marker,
                "heading": node.heading,
                "role": role,
                "source": source,
                "kind": node.kind,
                "start": node.start,
                "end": node.end,
                "text": text[node.start : node.end],
            })
        )
        for child in sorted(node.children, key=lambda c: (c.start, c.depth)):
            visit(child, section_id, role, source)

    visit(root, None, "preamble", "root")
    return sections


@_shared_params
def section_at(sections: list[Section], offset: int) -> Section:
    """The deepest section that contains ``offset``.

    Parameters
    ----------
    {sections}
    offset : int
        An offset into the report text; the end of the text counts as inside the root.

    Returns
    -------
    Section
    """
    if not sections:
        raise ValueError("The value for `sections` must be the non-empty result of parse_sections")
    root = sections[0]
    if not root.start <= offset <= root.end:
        raise ValueError(
            f"The value for `offset` must be between {root.start} and {root.end}, got {offset}"
        )
    best = root
    for section in sections[1:]:
        if section.start <= offset < section.end and section.depth >= best.depth:
            best = section
    return best



@_shared_params
class SectionIndex:
    """:func:`section_at` for many offsets: built once in O(n log n), each lookup O(log n).

    ``SectionIndex(sections)(offset) is section_at(sections, offset)`` for every offset: the
    text is cut at every section boundary, and for each piece the deepest section containing it
    (the last in document order among equally deep ones) is found once, by a sweep.

    Parameters
    ----------
    {sections}
    """

    def __init__(self, sections: list[Section]) -> None:
        if not sections:
            raise ValueError("The value for `sections` must be the non-empty result of parse_sections")
        self.root = sections[0]
        by_start: dict[int, list[int]] = collections.defaultdict(list)
        for i, s in enumerate(sections[1:], start=1):
            if s.end > s.start:
                by_start[s.start].append(i)
        bounds = sorted({s.start for s in sections[1:]} | {s.end for s in sections[1:]})
        heap: list[tuple[int, int]] = []  # (-depth, -order): the deepest, then the last, on top
        self._starts: list[int] = []
        self._best: list[Section] = []
        for b in bounds:
            for i in by_start.get(b, ()):
                heapq.heappush(heap, (-sections[i].depth, -i))
            while heap and sections[-heap[0][1]].end <= b:
                heapq.heappop(heap)
            best = sections[-heap[0][1]] if heap else self.root
            if best.depth < self.root.depth:
                best = self.root
            self._starts.append(b)
            self._best.append(best)

    def __call__(self, offset: int) -> Section:
        root = self.root
        if not root.start <= offset <= root.end:
            raise ValueError(
                f"The value for `offset` must be between {root.start} and {root.end}, got {offset}"
            )
        i = bisect.bisect_right(self._starts, offset) - 1
        return self._best[i] if i >= 0 else root


#: The sections of the last index :func:`_section_index` built, and the index.
_LAST_INDEX: tuple[tuple[Section, ...], SectionIndex] | None = None


def _section_index(sections: list[Section]) -> SectionIndex:
    """``SectionIndex(sections)``, the last one built reused for the same sections.

    The structure stage and the indicators stage both look up sections by offset in the same
    report's sections: the index is built once for them. The same sections are the same
    objects (records are frozen), so a match is checked by identity, element by element.
    """
    global _LAST_INDEX
    last = _LAST_INDEX          # read once: another thread may replace it
    if last is not None and len(last[0]) == len(sections) and all(map(operator.is_, last[0], sections)):
        return last[1]
    index = SectionIndex(sections)
    _LAST_INDEX = (tuple(sections), index)
    return index


#: Every blank character (str.isspace), to delete in one pass of str.translate.
_BLANKS = {cp: None for cp in range(0x3001) if chr(cp).isspace()}


def _non_space(text: str) -> int:
    """Characters of ``text`` that are not blank."""
    return len(text.translate(_BLANKS))


def _label(section: Section, width: int = 40) -> str:
    if section.kind == "root":
        return "(root)"
    heading = section.heading if len(section.heading) <= width else section.heading[:width] + "…"
    prefix = "¶ " if section.kind == "paragraph" else ""
    return f"{prefix}{section.marker}{heading}"


@_shared_params
def outline(sections: list[Section]) -> str:
    """The section tree as indented text: marker and heading, role/source, characters.

    Parameters
    ----------
    {sections}

    Returns
    -------
    str
        One line per section; inline parts are marked ``¶``.
    """
    lines = []
    for s in sections:
        lines.append(
            f"{'  ' * s.depth}{_label(s)}  [{s.role}/{s.source}]  {_non_space(s.text)} chars"
        )
    return "\n".join(lines)


@_shared_params
def outline_html(sections: list[Section]) -> str:
    """The section tree as an HTML table (for ``_repr_html_`` in Jupyter).

    Parameters
    ----------
    {sections}

    Returns
    -------
    str
        A ``<table>`` with one row per section; all report text is escaped.
    """
    rows = []
    for s in sections:
        rows.append(
            "<tr>"
            f"<td>{s.section_id}</td>"
            f'<td style="text-align:left;padding-left:{0.3 + 1.2 * s.depth:.1f}em">'
            f"{html.escape(_label(s))}</td>"
            f"<td>{html.escape(s.role)}</td>"
            f"<td>{html.escape(s.source)}</td>"
            f"<td>{html.escape(s.kind)}</td>"
            f"<td>{_non_space(s.text)}</td>"
            "</tr>"
        )
    return (
        '<table class="lawreports-outline">'
        "<thead><tr><th>id</th><th>section</th><th>role</th><th>source</th><th>kind</th>"
        "<th>chars</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
