"""Report structure: the section tree, the five mandated parts, and each shortcoming.

Three steps, one module each: :mod:`~lawreports.structure.tree` splits the text into sections
and gives each a role, :mod:`~lawreports.structure.parts` measures the parts, and
:mod:`~lawreports.structure.items` lists the shortcoming items.
"""

from __future__ import annotations

from ..vocab import PARTS, REQUIRED_PARTS
from .items import Shortcoming, extract_shortcomings
from .parts import PartSpan, part_spans, part_summary
from .tree import Section, SectionIndex, outline, outline_html, parse_sections, section_at

__all__ = ["PARTS", "REQUIRED_PARTS", "PartSpan", "Section", "SectionIndex", "Shortcoming", "extract_shortcomings",
           "outline", "outline_html", "parse_sections", "part_spans", "part_summary", "section_at"]
