"""The shortcomings a report admits, one row per item (存在的不足: 一是…二是…).

Items come from the sections of the shortcomings part that :mod:`lawreports.structure.tree`
found: their sub-headings, their enumeration, or one sentence that lists several problems.
"""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass

from .tree import (_HEADING_END_RE, _shared_params, _ITEM_TRAIL, _LEAD_PUNCT, Section, _line_end, _lstrip_pos,
                   _rstrip_pos, parse_sections)

__all__ = ["Shortcoming", "extract_shortcomings"]

_REASON_RE = re.compile(r"原因")
_PROBLEM_WORD_RE = re.compile(r"问题|不足|短板|差距")
_LISTING_RE = re.compile(
    r"存在(?:着)?(?P<list>[^。！？!?；;:：]{2,200}?)(?:等)?(?:方面的?|一系列|诸多)?"
    r"(?:问题|不足|短板|薄弱环节)"
)
_LIST_SPLIT_RE = re.compile(r"[、,，;；]")


@dataclass(frozen=True)
class Shortcoming:
    """One shortcoming (存在的不足) a report admits.

    Attributes
    ----------
    item : int
        1-based number of the item in the report.
    text : str
        The item without its enumeration marker and final punctuation;
        ``text == report_text[start:end]``.
    source : str
        ``"heading"`` if the shortcomings part has a heading of its own, ``"inline"`` if it is
        a paragraph found inside another part.
    section_id : int
        The section the item was taken from (the enumeration item or sub-heading, or the
        shortcomings section itself for items split out of one sentence).
    start, end : int
        Offsets into the report text.
    """

    item: int
    text: str
    source: str
    section_id: int
    start: int
    end: int


def _children(sections: list[Section]) -> dict[int, list[Section]]:
    kids: dict[int, list[Section]] = collections.defaultdict(list)
    for s in sections:
        if s.parent_id is not None:
            kids[s.parent_id].append(s)
    return kids


def _item_span(text: str, section: Section) -> tuple[int, int]:
    start = _lstrip_pos(text, section.start + len(section.marker), section.end, _LEAD_PUNCT)
    end = _rstrip_pos(text, start, section.end, _ITEM_TRAIL)
    return start, end


def _body_start(text: str, section: Section) -> int:
    if section.kind != "heading":
        return section.start
    stop = _HEADING_END_RE.search(text, section.start + len(section.marker), section.end)
    line_end = _line_end(text, section.start, section.end)
    return stop.end() if stop and stop.start() < line_end else line_end


def _items_of(
    text: str, unit: Section, kids: dict[int, list[Section]]
) -> list[tuple[int, int, int]]:
    """(section_id, start, end) of each shortcoming stated in ``unit``."""
    children = [c for c in kids.get(unit.section_id, []) if c.role == "shortcomings"]
    headings = [c for c in children if c.kind == "heading"]
    if headings:
        problems = [c for c in headings if not _REASON_RE.search(c.heading)]
        if len(problems) == 1 and len(headings) > 1 and _PROBLEM_WORD_RE.search(problems[0].heading):
            inner = _items_of(text, problems[0], kids)
            if inner:
                return inner
        return [(c.section_id, *_item_span(text, c)) for c in problems]
    enums = [c for c in children if c.kind == "enumeration"]
    if enums:
        return [(c.section_id, *_item_span(text, c)) for c in enums]
    lo, hi = _body_start(text, unit), unit.end
    for m in _LISTING_RE.finditer(text, lo, hi):
        items = []
        pos = m.start("list")
        for piece in _LIST_SPLIT_RE.split(m.group("list")):
            s = _lstrip_pos(text, pos, pos + len(piece))
            e = _rstrip_pos(text, s, pos + len(piece))
            if e - s >= 2:
                items.append((unit.section_id, s, e))
            pos += len(piece) + 1
        if len(items) >= 2:
            return items
    s = _lstrip_pos(text, lo, hi, _LEAD_PUNCT)
    e = _rstrip_pos(text, s, hi, _ITEM_TRAIL)
    return [(unit.section_id, s, e)] if e > s else []


@_shared_params
def extract_shortcomings(text: str, sections: list[Section] | None = None) -> list[Shortcoming]:
    """The shortcomings a report admits, one per item.

    Items come from the sub-headings (``(一)(二)``, ``1、2、``) or the enumeration
    (``一是…二是…``) of each shortcomings part, or from one sentence that lists several
    problems ("还存在A、B等问题" gives A and B); a part with none of these gives one item.

    Parameters
    ----------
    {text_sections}

    Returns
    -------
    list of Shortcoming
        In document order; empty when the report has no shortcomings part.
    """
    if sections is None:
        sections = parse_sections(text)
    by_id = {s.section_id: s for s in sections}
    kids = _children(sections)
    units = [
        s
        for s in sections
        if s.role == "shortcomings"
        and s.kind in ("heading", "paragraph")
        and (s.kind == "paragraph" or s.parent_id is None or by_id[s.parent_id].role != "shortcomings")
    ]
    unit_ids = {s.section_id for s in units}

    def has_inner_unit(s: Section) -> bool:
        return any(
            c.section_id in unit_ids and c.kind == "paragraph" or has_inner_unit(c)
            for c in kids.get(s.section_id, [])
        )

    units = [u for u in units if not has_inner_unit(u)]
    out: list[Shortcoming] = []
    for unit in units:
        source = "heading" if unit.source == "heading" else "inline"
        for section_id, start, end in _items_of(text, unit, kids):
            out.append(
                Shortcoming(
                    item=len(out) + 1,
                    text=text[start:end],
                    source=source,
                    section_id=section_id,
                    start=start,
                    end=end,
                )
            )
    return out
