"""lawreports: Chinese local governments' annual rule-of-law reports as tidy data.

Read one report with :func:`read_report`, a folder of them with :func:`load_corpus`; the
analyses live in :mod:`lawreports.topics` (profiles, themes, topics, similarity),
:mod:`lawreports.verbs` (KWIC, keyness, frequencies, dictionaries, collocations, the
document-term matrix), :mod:`lawreports.timeliness`, :mod:`lawreports.panel` and
:mod:`lawreports.reuse`; the charts in :mod:`lawreports.plot`.

The names below are imported on first use, so that the command line starts without loading
pandas when it has nothing to do.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

__all__ = ["Corpus", "Report", "ReportError", "load_corpus", "read_report", "__version__"]
__version__ = "0.1.0"

_WHERE = {"Corpus": "corpus", "load_corpus": "corpus", "Report": "reader", "read_report": "reader",
          "ReportError": "errors"}

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lawreports' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
