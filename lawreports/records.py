"""The record of who reported, for which year and when: :class:`Metadata` and its :class:`Evidence`.

A plain record that the stages fill in turn: :mod:`lawreports.places` the reporting body and its
place, :mod:`lawreports.metadata` the title, the year and the dates. Every value set with
:meth:`Metadata._set` keeps the rule that gave it and the words it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = ["Evidence", "Metadata"]

_T = TypeVar("_T")


def frozen_record(cls: type[_T], fields: dict[str, Any]) -> _T:
    """A frozen dataclass instance made from all its ``fields`` (in their order) without its ``__init__``.

    The generated ``__init__`` of a frozen dataclass sets each field through
    ``object.__setattr__`` (about 3x the cost of a plain one), and the stages make records by
    the hundred a report (numbers, indicators, sections). The result is the same object: equal,
    hashed and shown the same.
    """
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj


@dataclass(frozen=True)
class Evidence:
    """Where a metadata value came from: the rule and the text it matched."""

    rule: str
    text: str


@dataclass
class Metadata:
    """Who reported what, when; ``evidence`` maps each field to its :class:`Evidence`."""

    title: str | None = None
    jurisdiction: str | None = None
    body: str | None = None
    publisher: str | None = None
    site: str | None = None
    division_type: str | None = None
    tier: str | None = None
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    adcode: str | None = None
    parent_adcode: str | None = None
    township_code: str | None = None
    township_code_system: str | None = None
    report_year: int | None = None
    published: dt.date | None = None
    signed: dt.date | None = None
    warnings: list[str] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    place_candidates: list[tuple[str, int, str]] = field(default_factory=list)

    FIELDS = ("title", "jurisdiction", "body", "publisher", "site", "division_type", "tier",
              "province", "prefecture", "county", "adcode", "parent_adcode", "township_code",
              "township_code_system", "report_year", "published", "signed")

    def as_dict(self) -> dict[str, Any]:
        """The fields as a flat dict (no evidence)."""
        return {name: getattr(self, name) for name in self.FIELDS}

    def _set(self, name: str, value: Any, rule: str, text: str) -> None:
        setattr(self, name, value)
        self.evidence[name] = Evidence(rule, text)
