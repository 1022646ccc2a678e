"""Private helpers shared by timeliness, panel and reuse: a table, or the clean texts, of a corpus.

A "corpus" here is a :class:`lawreports.Corpus`, any object with the tables as attributes, or a
mapping of table name → DataFrame (pandas or polars), as in :mod:`lawreports.topics`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd


def _table(corpus: Any, name: str, *, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """``corpus.<name>`` or ``corpus[name]`` as a pandas DataFrame with ``required`` columns."""
    if isinstance(corpus, pd.DataFrame):
        table = corpus if name == "reports" else None
    elif isinstance(corpus, Mapping):
        table = corpus.get(name)
    else:
        table = getattr(corpus, name, None)
    if table is None:
        raise ValueError(f"The corpus has no `{name}` table; pass a lawreports Corpus "
                         f"(lawreports.load_corpus()) or a mapping with a `{name}` DataFrame.")
    if hasattr(table, "to_pandas") and not isinstance(table, pd.DataFrame):
        table = table.to_pandas()
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"`corpus.{name}` must be a DataFrame, not {type(table).__name__}.")
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise ValueError(f"The `{name}` table lacks column(s) {', '.join(missing)}; "
                         f"it has {', '.join(map(str, table.columns))}.")
    return table


def _has_table(corpus: Any, name: str) -> bool:
    if isinstance(corpus, Mapping):
        return corpus.get(name) is not None
    return getattr(corpus, name, None) is not None


def _texts(corpus: Any) -> dict[str, str]:
    """report_id → clean text: ``corpus.texts`` (report_id, text) if present, else ``corpus.documents``."""
    if _has_table(corpus, "texts"):
        texts = _table(corpus, "texts", required=("report_id", "text"))
        return dict(zip(texts["report_id"].astype(str), texts["text"].fillna("").astype(str)))
    documents = corpus.get("documents") if isinstance(corpus, Mapping) else getattr(corpus, "documents", None)
    if documents is None:
        raise ValueError("The corpus has neither a `texts` table (report_id, text) nor `documents` "
                         "(report_id → Report); pass a lawreports Corpus or add a `texts` table.")
    out = {}
    for rid in _table(corpus, "reports", required=("report_id",))["report_id"].astype(str):
        doc = documents[rid]
        out[rid] = doc if isinstance(doc, str) else doc.text
    return out
