"""Charts of the corpus tables, with Chinese text that renders on any machine.

Every chart takes the tidy tables of the corpus (or a :class:`~lawreports.Corpus`, from which
it picks the tables it needs) and follows seaborn's conventions: data first, every other
argument keyword-only, ``ax=None`` draws on the current axes or on a new figure sized for the
chart, and the Axes drawn on is returned. A chart of several panels is a function of its own,
named ``…_grid``, that makes its figure and returns it.

One Axes each:

- :func:`rates_by_level`: a stated rate by kind of reporting body (``division_type``), one
  labelled point per jurisdiction (a box per level beyond :data:`MAX_LABELLED_POINTS` points);
- :func:`parts_heatmap`: which of the five mandated parts each report has, and how long each is;
- :func:`profile_bars`: one group's TF-IDF profile;
- :func:`theme_heatmap`: the share of shortcomings per theme and group;
- :func:`similarity_heatmap`: similarity between groups;
- :func:`indicator_coverage`: which report states which indicator;
- for large corpora, :func:`parts_by_group` and :func:`coverage_by_group`: the share of
  reports per group (kind of body, tier, province…) with each part or indicator.

Several panels:

- :func:`rates_by_level_grid`: one :func:`rates_by_level` panel per indicator; a Figure;
- :func:`profile_bars_grid`: one :func:`profile_bars` panel per group; a seaborn FacetGrid.

:func:`savefig` writes any of them to a file; :func:`use_cjk_font` (called by every chart)
makes matplotlib draw Chinese. The modules: ``rates``, ``parts``, ``topics``, ``coverage``,
and ``_base`` for what they share (fonts, checks, labels, heatmap style).
"""

from __future__ import annotations

from ._base import save_charts, savefig, use_cjk_font
from .coverage import coverage_by_group, indicator_coverage
from .parts import parts_by_group, parts_heatmap
from .rates import MAX_LABELLED_POINTS, rates_by_level, rates_by_level_grid
from .topics import profile_bars, profile_bars_grid, similarity_heatmap, theme_heatmap

__all__ = [
    "MAX_LABELLED_POINTS",
    "coverage_by_group",
    "indicator_coverage",
    "parts_by_group",
    "parts_heatmap",
    "profile_bars",
    "profile_bars_grid",
    "rates_by_level",
    "rates_by_level_grid",
    "save_charts",
    "savefig",
    "similarity_heatmap",
    "theme_heatmap",
    "use_cjk_font",
]
