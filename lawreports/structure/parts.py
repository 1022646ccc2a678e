"""The five parts of a report: which it has, how long each is, and the spans of text of each.

A part is the text whose deepest section has that role (:mod:`lawreports.structure.tree`):
:func:`part_summary` gives the ``reports`` columns, :func:`part_spans` the long ``parts`` table
that later stages (topics, reuse) read instead of finding parts again.
"""

from __future__ import annotations

import bisect
import collections
import re
from dataclasses import dataclass

from ..vocab import PARTS, REQUIRED_PARTS
from .tree import Section, _section_index, _shared_params, parse_sections

_BLANK = re.compile(r"\s")

__all__ = ["PartSpan", "part_summary", "part_spans"]


def _role_chars(text: str, sections: list[Section]) -> dict[str, int]:
    """Non-blank characters of the text attributed to the role of their deepest section."""
    if not sections:
        return {}
    bounds = sorted({0, len(text)} | {s.start for s in sections} | {s.end for s in sections})
    chars: dict[str, int] = collections.Counter()
    deepest = _section_index(sections)
    blanks = [m.start() for m in _BLANK.finditer(text)]      # one pass; each run counted by bisection
    before = bisect.bisect_left(blanks, bounds[0])        # the blanks before a run, then up to its end
    for a, b in zip(bounds, bounds[1:]):
        upto = bisect.bisect_left(blanks, b)
        if b > a:
            chars[deepest(a).role] += (b - a) - (upto - before)
        before = upto
    return chars


@_shared_params
def part_summary(text: str, sections: list[Section] | None = None) -> dict:
    """Which of the five parts a report has, how long each is, and how each was found.

    Parameters
    ----------
    {text_sections}

    Returns
    -------
    dict
        ``has_<part>`` (bool), ``chars_<part>`` (int: non-blank characters of the text whose
        deepest section has that role, 0 if absent), ``<part>_source`` (``"heading"``,
        ``"inline"`` or None) for each part in :data:`PARTS`, and ``structure_score`` (the share
        of :data:`REQUIRED_PARTS` present, in [0, 1]).
    """
    if sections is None:
        sections = parse_sections(text)
    chars = _role_chars(text, sections)
    sources_of: dict[str, set[str]] = collections.defaultdict(set)   # role → how its sections were found
    for s in sections:
        sources_of[s.role].add(s.source)
    summary: dict = {}
    for part in PARTS:
        summary[f"has_{part}"] = part in sources_of
    for part in PARTS:
        summary[f"chars_{part}"] = int(chars.get(part, 0))
    for part in PARTS:
        sources = sources_of.get(part, set())
        summary[f"{part}_source"] = (
            "heading" if "heading" in sources else "inline" if "inline" in sources else None
        )
    summary["structure_score"] = sum(summary[f"has_{p}"] for p in REQUIRED_PARTS) / len(
        REQUIRED_PARTS
    )
    return summary


@dataclass(frozen=True)
class PartSpan:
    """One run of a report's text that belongs to a part.

    Attributes
    ----------
    part : str
        A role (one of :data:`lawreports.vocab.ROLES`).
    span : int
        1-based number of the run within the report's part.
    section_id : int
        The top-most section of that role the run lies in.
    source : str
        ``"heading"``, ``"inline"`` or ``"root"``: how the role was found.
    start, end : int
        Offsets into the report text.
    """

    part: str
    span: int
    section_id: int
    source: str
    start: int
    end: int


@_shared_params
def part_spans(text: str, sections: list[Section] | None = None) -> list[PartSpan]:
    """The runs of text of every part, each character counted once.

    A run is text whose innermost section has the part's role, under one top-most section of
    that role: nested headings of the part are one run, and text of nested sections with
    another role (an inline shortcomings paragraph inside the achievements) is left out.

    Parameters
    ----------
    {text_sections}

    Returns
    -------
    list of PartSpan
        In document order; blank runs are left out.
    """
    if sections is None:
        sections = parse_sections(text)
    by_id = {s.section_id: s for s in sections}
    children: dict[int, list[Section]] = collections.defaultdict(list)
    for s in sections:
        if s.parent_id is not None:
            children[s.parent_id].append(s)

    def top_of(s: Section) -> Section:
        while s.parent_id is not None and by_id[s.parent_id].role == s.role:
            s = by_id[s.parent_id]
        return s

    # each section owns its span minus its children's; pieces of one top-most section of a
    # role are merged where contiguous
    pieces: list[tuple[int, int, Section]] = []
    for s in sections:
        top = top_of(s)
        pos = s.start
        for child in sorted(children.get(s.section_id, []), key=lambda c: c.start):
            if child.start > pos:
                pieces.append((pos, child.start, top))
            pos = max(pos, child.end)
        if s.end > pos:
            pieces.append((pos, s.end, top))
    pieces.sort(key=lambda p: p[0])
    runs: list[list] = []
    for a, b, top in pieces:
        if runs and runs[-1][2] is top and runs[-1][1] == a:
            runs[-1][1] = b
        else:
            runs.append([a, b, top])
    out: list[PartSpan] = []
    count: dict[str, int] = collections.Counter()
    for a, b, top in runs:
        if not text[a:b].strip():
            continue
        count[top.role] += 1
        out.append(PartSpan(part=top.role, span=count[top.role], section_id=top.section_id,
                            source=top.source, start=a, end=b))
    return out
