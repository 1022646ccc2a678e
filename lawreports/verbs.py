"""Text-as-data verbs on a corpus: KWIC, frequencies, keyness, dictionaries, collocations, DTM.

The verbs researchers coming from quanteda (R) or cntext (Python) reach for first, on the same
tidy tables as the rest of ``lawreports``. They share one signature,
``verb(corpus, ..., *, part=None, by=..., tokenizer=None)``:

- ``part=None`` uses each report's whole clean text; a part (``"shortcomings"``,
  ``"achievements"``, ``"plans"``…) uses that part's documents from
  :func:`lawreports.topics.documents` (shortcomings items, or the runs of text of a role).
- ``by`` is any column of ``corpus.reports`` (``"report_id"``, ``"jurisdiction"``,
  ``"division_type"``, ``"tier"``, ``"province"``, ``"report_year"``…); reports with no value
  form the group ``"(missing)"``.
- ``tokenizer=None`` is the shared rjieba :class:`~lawreports.tokens.Tokenizer` with the domain
  lexicon and stopwords (``get_tokenizer()``); pass a :class:`~lawreports.tokens.TokenizerOptions`, a configured
  Tokenizer, or any callable ``str -> list[str]``.

Tokens are kept by content: each text is segmented once per tokenizer configuration and kept as
integer ids (:func:`tokens`), so on a large corpus every verb after the first reads the ids,
not the text. With a :class:`~lawreports.tokens.Tokenizer` the ids are *padded*: a segment the
tokenizer drops (stopword, punctuation, number, single character) leaves a gap, and n-grams
(:func:`collocations`) never span a gap, so two words count as adjacent only where they are
adjacent in the text. A plain callable gives no gaps.

Every number can be read in its sentence: :func:`kwic` gives offsets into the report's clean
text (``text[start:end] == match``), and a dictionary or keyness term can be passed back to
:func:`kwic`.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse, stats

from lawreports.tokens import Tokenizer, TokenizerOptions, get_tokenizer
from lawreports.topics import ROLES, documents, load_themes

LOGGER = logging.getLogger(__name__)

__all__ = [
    "Dictionary",
    "DocumentTermMatrix",
    "Tokens",
    "collocations",
    "dictionary_scores",
    "document_term_matrix",
    "keyness",
    "kwic",
    "load_dictionary",
    "quoted_terms",
    "term_frequency",
    "tokens",
]

MISSING_GROUP = "(missing)"
_MEASURES = ("chi2", "lr")
_REGEX_META = re.compile(r"[\\.^$*+?{}\[\]|()]")

TokenizerLike = Any  # None, TokenizerOptions, a Tokenizer or a callable str -> list[str]


# -- inputs --------------------------------------------------------------------------------


def _table(corpus: Any, name: str) -> pd.DataFrame | None:
    """``corpus.<name>`` (or ``corpus[name]``) as a pandas DataFrame, None if absent."""
    table = corpus.get(name) if isinstance(corpus, Mapping) else getattr(corpus, name, None)
    if table is None:
        return None
    if hasattr(table, "to_pandas") and not isinstance(table, pd.DataFrame):
        table = table.to_pandas()
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"`corpus.{name}` must be a DataFrame, not {type(table).__name__}.")
    return table


def _reports(corpus: Any) -> pd.DataFrame:
    reports = _table(corpus, "reports")
    if reports is None or "report_id" not in reports.columns:
        raise ValueError(
            "The corpus has no `reports` table with a report_id column; pass a lawreports "
            "Corpus (lawreports.load_corpus())."
        )
    return reports.drop_duplicates("report_id").reset_index(drop=True)


def _texts(corpus: Any) -> pd.Series:
    """Each report's clean text (the text every offset indexes), indexed by report_id.

    Uses a ``texts`` table (report_id, text) when the corpus has one, else
    ``corpus.documents[report_id].text``; in the order of ``corpus.reports``.
    """
    ids = _reports(corpus)["report_id"]
    table = _table(corpus, "texts")
    if table is not None:
        series = table.drop_duplicates("report_id").set_index("report_id")["text"]
        missing = ids[~ids.isin(series.index)]
        if len(missing):
            raise ValueError(f"The `texts` table lacks {len(missing)} report(s), e.g. {missing.iloc[0]!r}.")
        return series.reindex(ids).fillna("").astype(str)
    docs = corpus.get("documents") if isinstance(corpus, Mapping) else getattr(corpus, "documents", None)
    if docs is None:
        raise ValueError(
            "The corpus has neither a `texts` table nor `documents`: the verbs need each "
            "report's clean text (pass a lawreports Corpus)."
        )
    return pd.Series([docs[rid].text for rid in ids], index=pd.Index(ids, name="report_id"),
                     dtype=object)


def _check_part(part: str | None) -> None:
    if part is not None and part not in ROLES:
        raise ValueError(
            f"The value for `part` must be None (whole reports) or one of "
            f"{', '.join(map(repr, ROLES))}; got {part!r}."
        )


def _docs(corpus: Any, part: str | None) -> pd.DataFrame:
    """The documents of ``part`` (whole reports for None): report_id, item, text, start, end."""
    _check_part(part)
    if part is None:
        texts = _texts(corpus)
        values = texts.to_numpy(dtype=object)
        return pd.DataFrame({
            "report_id": texts.index.to_numpy(),
            "item": 1,
            "text": pd.Series(values, dtype=object),  # no copy into an Arrow string array
            "start": 0,
            "end": np.fromiter(map(len, values), dtype=np.int64, count=len(values)),
        })
    docs = documents(corpus, part)
    for col in ("start", "end"):
        if col not in docs.columns:
            docs[col] = pd.NA
    return docs[["report_id", "item", "text", "start", "end"]].reset_index(drop=True)


def _group_of(corpus: Any, report_ids: pd.Series, by: str | None) -> pd.Series:
    """The group of each report id: ``reports[by]``, ``"(missing)"`` where absent."""
    if by is None:
        return pd.Series(["all"] * len(report_ids), index=report_ids.index, dtype=object)
    reports = _reports(corpus)
    if by not in reports.columns:
        raise ValueError(
            f"The value for `by` must be None or a column of `reports`: "
            f"{', '.join(map(str, reports.columns))}; got {by!r}."
        )
    if by == "report_id":
        groups = report_ids.astype(object)
    else:
        groups = report_ids.map(reports.set_index("report_id")[by])
    missing = groups.isna()
    if missing.any():
        LOGGER.warning("%d document(s) have no `%s`; they form the group %r.",
                       int(missing.sum()), by, MISSING_GROUP)
        groups = groups.astype(object).where(~missing, MISSING_GROUP)
    return groups


def _order(values: Iterable[Any]) -> list[Any]:
    values = list(dict.fromkeys(values))
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def _resolve_tokenizer(tokenizer: TokenizerLike) -> Callable[[str], list[str]]:
    if tokenizer is None:
        return get_tokenizer()
    if isinstance(tokenizer, TokenizerOptions):
        return get_tokenizer(tokenizer)
    if isinstance(tokenizer, Tokenizer) or callable(tokenizer):
        return tokenizer
    raise TypeError(
        "`tokenizer` must be None, a lawreports.tokens.TokenizerOptions, a Tokenizer or a "
        f"callable str -> list[str]; got {type(tokenizer).__name__}."
    )


# -- token ids, kept by content ------------------------------------------------------------


class _Store:
    """Token ids of texts under one tokenizer configuration: a vocabulary and, per text, the
    padded ids (-1 for a dropped segment) and the distinct ids with their counts."""

    def __init__(self) -> None:
        self.vocabulary: list[str] = []
        self.index: dict[str, int] = {}
        self.raw: dict[str, int] = {}  # raw segment -> id or -1 (a Tokenizer's keep decision)
        self.texts: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.n_ids = 0

    def _id(self, term: str) -> int:
        i = self.index.get(term)
        if i is None:
            i = self.index[term] = len(self.vocabulary)
            self.vocabulary.append(term)
        return i

    def encode(self, text: str, tok: Callable[[str], list[str]]) -> tuple[np.ndarray, ...]:
        key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
        hit = self.texts.get(key)
        if hit is not None:
            return hit
        if isinstance(tok, Tokenizer):
            raw = self.raw
            segments = tok.cut(text) if text else []
            for seg in set(segments).difference(raw):
                raw[seg] = self._id(seg.strip()) if tok.keeps(seg) else -1
            ids = np.fromiter(map(raw.__getitem__, segments), dtype=np.int32, count=len(segments))
        else:
            terms = list(tok(text)) if text else []
            ids = np.fromiter(map(self._id, terms), dtype=np.int32, count=len(terms))
        kept = ids[ids >= 0]
        uniq, counts = np.unique(kept, return_counts=True)
        entry = (ids, uniq.astype(np.int32), counts.astype(np.int32))
        self.texts[key] = entry
        self.n_ids += len(ids)
        return entry


_STORES: OrderedDict[Any, _Store] = OrderedDict()
_STORE_LOCK = threading.Lock()
#: Tokenizer configurations whose ids are kept (least recently used dropped first).
MAX_STORES = 4


def _store_for(tok: Callable[[str], list[str]]) -> _Store:
    # a Tokenizer is keyed by its fingerprint (everything that decides its tokens); any
    # other callable by identity, so its ids live as long as the callable is reused
    key = ("tokenizer", tok.fingerprint) if isinstance(tok, Tokenizer) else ("callable", id(tok), tok)
    with _STORE_LOCK:
        store = _STORES.get(key)
        if store is None:
            store = _STORES[key] = _Store()
            while len(_STORES) > MAX_STORES:
                _STORES.popitem(last=False)
        _STORES.move_to_end(key)
    return store


def clear_token_store() -> None:
    """Forget every kept token id (all tokenizers)."""
    with _STORE_LOCK:
        _STORES.clear()


@dataclass
class Tokens:
    """The token ids of a corpus's documents (one part, or whole reports).

    Attributes
    ----------
    docs : DataFrame
        One row per document: ``report_id``, ``item``, ``text``, ``start``, ``end`` (offsets
        of the document in the report's clean text).
    vocabulary : list of str
        Term of each id (shared by every corpus tokenized with the same tokenizer).
    ids : ndarray of int32
        All documents' ids end to end; -1 where the tokenizer dropped a segment.
    indptr : ndarray of int64
        Document ``i``'s ids are ``ids[indptr[i]:indptr[i + 1]]``.
    counts : scipy.sparse.csr_matrix
        Documents × vocabulary, each term's count in each document.
    """

    docs: pd.DataFrame
    vocabulary: list[str]
    ids: np.ndarray
    indptr: np.ndarray
    counts: sparse.csr_matrix = field(repr=False)

    def terms(self, i: int) -> list[str]:
        """Document ``i``'s tokens as strings, in order (gaps left out)."""
        chunk = self.ids[self.indptr[i]:self.indptr[i + 1]]
        return [self.vocabulary[j] for j in chunk[chunk >= 0]]

    @property
    def n_tokens(self) -> np.ndarray:
        """Tokens in each document."""
        return np.asarray(self.counts.sum(axis=1)).ravel()


def tokens(corpus: Any, *, part: str | None = None, tokenizer: TokenizerLike = None) -> Tokens:
    """Token ids of every document of ``part`` (whole reports for None), kept by content.

    Each text is segmented once per tokenizer configuration; later calls (from any verb)
    hash the text and reuse its ids.

    Parameters
    ----------
    corpus : Corpus
    part : str or None, default None
        None for whole reports, else a part (see :func:`lawreports.topics.documents`).
    tokenizer : None, str, Tokenizer or callable, optional
        See the module docstring.

    Returns
    -------
    Tokens
    """
    tok = _resolve_tokenizer(tokenizer)
    docs = _docs(corpus, part)
    store = _store_for(tok)
    entries = [store.encode(t, tok) for t in docs["text"]]
    lengths = np.fromiter((len(e[0]) for e in entries), dtype=np.int64, count=len(entries))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    ids = np.concatenate([e[0] for e in entries]) if entries else np.zeros(0, np.int32)
    nnz = np.fromiter((len(e[1]) for e in entries), dtype=np.int64, count=len(entries))
    cptr = np.concatenate([[0], np.cumsum(nnz)])
    cols = np.concatenate([e[1] for e in entries]) if entries else np.zeros(0, np.int32)
    vals = np.concatenate([e[2] for e in entries]) if entries else np.zeros(0, np.int32)
    vocab = list(store.vocabulary)
    counts = sparse.csr_matrix((vals.astype(np.int64), cols, cptr), shape=(len(docs), len(vocab)))
    return Tokens(docs, vocab, ids, indptr, counts)


def _member(groups: pd.Series) -> tuple[list[Any], sparse.csr_matrix]:
    """Group order and the groups × documents indicator matrix."""
    order = _order(groups)
    index = {g: i for i, g in enumerate(order)}
    rows = groups.map(index).to_numpy()
    member = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, np.arange(len(rows)))),
        shape=(len(order), len(rows)),
    )
    return order, member


# -- KWIC ----------------------------------------------------------------------------------


_JOINER_CLASS = "[、·•]?"


def _literal(word: str) -> str:
    """A regex for ``word`` as written, allowing an enumeration comma between two characters
    (``双随机一公开`` matches ``双随机、一公开``, as the tokenizer rejoins it)."""
    return _JOINER_CLASS.join(re.escape(ch) for ch in word)


def _compile(patterns: list[str], regex: bool) -> re.Pattern:
    if regex:
        alternatives = [f"(?:{p})" for p in patterns]
    else:
        # longest first, so 双随机一公开 wins over 双随机 where both are asked for
        alternatives = [_literal(p) for p in sorted(set(patterns), key=lambda p: (-len(p), p))]
    try:
        return re.compile("|".join(alternatives))
    except re.error as exc:
        raise ValueError(f"Bad pattern in {patterns!r}: {exc}.") from exc


def _innermost_roles(corpus: Any, report_ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Role of the innermost section holding each offset (None where no section does)."""
    sections = _table(corpus, "sections")
    out = np.full(len(offsets), None, dtype=object)
    if sections is None or sections.empty or not len(offsets):
        return out
    secs = sections[["report_id", "section_id", "parent_id", "depth", "role", "start", "end"]]
    secs = secs.assign(report_id=secs["report_id"].astype(str),
                       start=secs["start"].astype("int64"), end=secs["end"].astype("int64"))
    secs = secs.sort_values(["start", "depth"], kind="stable")
    hits = pd.DataFrame({"report_id": pd.Series(report_ids).astype(str).to_numpy(),
                         "offset": offsets.astype("int64"), "_row": np.arange(len(offsets))})
    hits = hits.astype({"report_id": secs["report_id"].dtype}).sort_values("offset", kind="stable")
    # the last section to start at or before the offset (deepest among equal starts) …
    cand = pd.merge_asof(hits, secs, left_on="offset", right_on="start", by="report_id")
    lookup = secs.set_index(["report_id", "section_id"])[["parent_id", "role", "start", "end"]]
    # … or, if it ended before the offset, its nearest ancestor that holds it
    for _ in range(int(secs["depth"].max()) + 2 if len(secs) else 0):
        outside = cand["end"].notna() & (cand["end"] <= cand["offset"])
        if not outside.any():
            break
        keys = pd.MultiIndex.from_arrays([cand.loc[outside, "report_id"],
                                          cand.loc[outside, "parent_id"]])
        parent = lookup.reindex(keys)
        cand.loc[outside, "section_id"] = cand.loc[outside, "parent_id"].to_numpy()
        for col in ("parent_id", "role", "start", "end"):
            cand.loc[outside, col] = parent[col].to_numpy()
    out[cand["_row"].to_numpy()] = cand["role"].where(cand["role"].notna(), None).to_numpy()
    return out


def _pattern_sets(pattern: Any, regex: bool) -> list[tuple[str | None, list[str], bool]]:
    """(key, patterns, regex) passes for :func:`kwic`: one per dictionary key, else one."""
    if isinstance(pattern, Dictionary):
        out = []
        for key, rows in pattern.entries.groupby("key", sort=False):
            words = rows.loc[rows["kind"] == "word", "entry"].tolist()
            regexes = rows.loc[rows["kind"] == "regex", "entry"].tolist()
            pats = [_literal(w) for w in sorted(words, key=lambda w: (-len(w), w))] + regexes
            out.append((str(key), pats, True))
        return out
    if isinstance(pattern, Mapping):
        return _pattern_sets(load_dictionary(pattern), regex)
    if isinstance(pattern, str):
        pattern = [pattern]
    pats = [str(p) for p in pattern if str(p)]
    if not pats:
        raise ValueError("The value for `pattern` must be a non-empty word, phrase or regex.")
    return [(None, pats, regex)]


def kwic(
    corpus: Any,
    pattern: Any,
    *,
    window: int = 20,
    part: str | None = None,
    regex: bool = False,
) -> pd.DataFrame:
    """Keyword in context: every occurrence of a pattern, with the text around it.

    Parameters
    ----------
    corpus : Corpus
    pattern : str, list of str, Dictionary or dict
        A word or phrase, matched in the text as written (an enumeration comma between two
        of its characters is allowed, so ``双随机一公开`` also finds ``双随机、一公开``, as the
        tokenizer rejoins it); several of them (longest first where they overlap); regular
        expressions with ``regex=True``; or a dictionary (:func:`load_dictionary`: its word
        entries as words, its regex entries as regexes, each hit labelled with its ``key``).
    window : int, default 20
        Characters of context on each side (Chinese is read in characters, not tokens).
    part : str or None, default None
        None searches whole reports; a part (``"shortcomings"``…) only that part's documents.
    regex : bool, default False
        Read ``pattern`` as regular expressions.

    Returns
    -------
    DataFrame
        ``report_id``, ``part`` (the role of the innermost section holding the hit, or the
        part searched), ``start``, ``end`` (offsets into the report's clean text:
        ``text[start:end] == match``), ``left``, ``match``, ``right`` (exact slices of the
        clean text, newlines included) and ``pattern`` (the dictionary key, or the pattern as
        given when there is one). Sorted by report, then offset.
    """
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 0:
        raise ValueError(f"The value for `window` must be a non-negative integer; got {window!r}.")
    docs = _docs(corpus, part)
    texts = _texts(corpus) if part is not None else docs.set_index("report_id")["text"]
    passes = _pattern_sets(pattern, regex)
    rows: list[tuple] = []
    for key, pats, as_regex in passes:
        rx = _compile(pats, as_regex)
        label = key if key is not None else (pats[0] if len(pats) == 1 else None)
        for rid, text, offset in zip(docs["report_id"], docs["text"],
                                     docs["start"].fillna(0).astype("int64")):
            full = texts[rid]
            for m in rx.finditer(text):
                if m.end() == m.start():
                    continue
                s, e = int(offset) + m.start(), int(offset) + m.end()
                rows.append((rid, s, e, full[max(0, s - window):s], full[s:e],
                             full[e:e + window], label if label is not None else m.group(0)))
    hits = pd.DataFrame(rows, columns=["report_id", "start", "end", "left", "match", "right",
                                       "pattern"])
    if part is None:
        roles = _innermost_roles(corpus, hits["report_id"].to_numpy(), hits["start"].to_numpy())
    else:
        roles = np.full(len(hits), part, dtype=object)
    hits.insert(1, "part", roles)
    hits = hits.sort_values(["report_id", "start", "end", "pattern"], kind="stable")
    return hits.reset_index(drop=True)


# -- frequencies ---------------------------------------------------------------------------


def term_frequency(
    corpus: Any,
    *,
    by: str | None = None,
    part: str | None = None,
    tokenizer: TokenizerLike = None,
    terms: Iterable[str] | None = None,
    min_count: int = 1,
) -> pd.DataFrame:
    """Term counts and document frequencies per group.

    Parameters
    ----------
    corpus : Corpus
    by : str or None, default None
        A column of ``reports`` (``"report_year"`` for counts over years); None for the
        whole corpus (group ``"all"``).
    part : str or None, default None
        None for whole reports, else a part.
    tokenizer : None, str, Tokenizer or callable, optional
    terms : iterable of str, optional
        Keep only these terms; each is listed for every group, with 0 where absent (the
        table to chart a term over years).
    min_count : int, default 1
        Drop (group, term) rows counted fewer times (ignored for ``terms``).

    Returns
    -------
    DataFrame
        ``group``, ``term``, ``frequency`` (tokens of the term in the group), ``n_reports``
        (reports of the group using the term), ``n_docs`` (documents: reports, or the part's
        items), ``rank`` (1 = most frequent in the group; ties by term), ``per_1000``
        (frequency per 1,000 tokens of the group), ``group_tokens`` and ``group_reports``.
    """
    tk = tokens(corpus, part=part, tokenizer=tokenizer)
    counts = tk.counts
    groups = _group_of(corpus, tk.docs["report_id"], by)
    order, member = _member(groups)
    freq = (member @ counts).tocsr()
    used = counts.copy()
    used.data[:] = 1
    n_docs = (member @ used).tocsr()
    # reports using the term: collapse a report's documents first
    rep_order, rep_member = _member(tk.docs["report_id"])
    rep_used = (rep_member @ used).tocsr()
    rep_used.data[:] = 1
    rep_groups = _group_of(corpus, pd.Series(rep_order), by)
    rep_index = {g: i for i, g in enumerate(order)}
    rg = sparse.csr_matrix((np.ones(len(rep_order), dtype=np.int64),
                            (rep_groups.map(rep_index).to_numpy(), np.arange(len(rep_order)))),
                           shape=(len(order), len(rep_order)))
    n_reports = (rg @ rep_used).tocsr()
    group_tokens = np.asarray(freq.sum(axis=1)).ravel()
    group_reports = np.asarray(rg.sum(axis=1)).ravel()
    vocab = np.asarray(tk.vocabulary, dtype=object)
    if terms is not None:
        wanted = list(dict.fromkeys(terms))
        lookup = {t: i for i, t in enumerate(tk.vocabulary)}
        cols = np.array([lookup.get(t, -1) for t in wanted])
        rows_g = np.repeat(np.arange(len(order)), len(wanted))
        cols_t = np.tile(cols, len(order))
        safe = np.where(cols_t >= 0, cols_t, 0)

        def pick(m: sparse.csr_matrix) -> np.ndarray:
            vals = np.asarray(m[rows_g, safe]).ravel() if len(rows_g) else np.zeros(0)
            return np.where(cols_t >= 0, vals, 0).astype(np.int64)

        out = pd.DataFrame({"group": [order[g] for g in rows_g],
                            "term": np.tile(np.asarray(wanted, dtype=object), len(order)),
                            "frequency": pick(freq), "n_reports": pick(n_reports),
                            "n_docs": pick(n_docs)})
        g_idx = rows_g
    else:
        coo = freq.tocoo()
        keep = coo.data >= min_count
        g_idx, t_idx = coo.row[keep], coo.col[keep]
        out = pd.DataFrame({"group": np.asarray(order, dtype=object)[g_idx],
                            "term": vocab[t_idx], "frequency": coo.data[keep].astype(np.int64),
                            "n_reports": np.asarray(n_reports[g_idx, t_idx]).ravel().astype(np.int64),
                            "n_docs": np.asarray(n_docs[g_idx, t_idx]).ravel().astype(np.int64)})
    out["group_tokens"] = group_tokens[g_idx].astype(np.int64)
    out["group_reports"] = group_reports[g_idx].astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["per_1000"] = np.where(out["group_tokens"] > 0,
                                   out["frequency"] * 1000 / out["group_tokens"], 0.0)
    out["_g"] = g_idx
    out = out.sort_values(["_g", "frequency", "term"], ascending=[True, False, True], kind="stable")
    out["rank"] = out.groupby("_g").cumcount() + 1
    out = out.drop(columns="_g").reset_index(drop=True)
    out = out[["group", "term", "frequency", "n_reports", "n_docs", "rank", "per_1000",
               "group_tokens", "group_reports"]]
    out.attrs.update({"by": by, "part": part})
    return out


# -- keyness -------------------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray, pd.Series, pd.Index)):
        return list(value)
    return [value]


def _keyness_stats(a: np.ndarray, b: np.ndarray, ta: float, tb: float, measure: str,
                   correction: bool) -> np.ndarray:
    """Signed chi2 (Yates-corrected if asked) or G2 of the 2x2 tables, vectorised over terms.

    Cells: a = term in target, b = term in reference, c = other tokens in target,
    d = other tokens in reference.
    """
    a = a.astype(float)
    b = b.astype(float)
    c, d = ta - a, tb - b
    n = ta + tb
    obs = np.stack([a, b, c, d])
    rows = np.stack([a + b, a + b, c + d, c + d])
    cols = np.stack([np.full_like(a, ta), np.full_like(a, tb), np.full_like(a, ta),
                     np.full_like(a, tb)])
    expected = rows * cols / n
    sign = np.sign(a * d - b * c)
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "chi2":
            dev = np.abs(obs - expected)  # the same in all four cells of a 2x2 table
            if correction:  # as R's chisq.test(correct=TRUE): never past the expected value
                dev = dev - np.minimum(0.5, dev)
            stat = np.where(expected > 0, dev ** 2 / expected, 0.0).sum(axis=0)
        else:
            stat = 2 * np.where(obs > 0, obs * np.log(obs / expected), 0.0).sum(axis=0)
    return sign * np.nan_to_num(stat)


def keyness(
    corpus: Any,
    target: Any,
    *,
    by: str = "jurisdiction",
    part: str | None = None,
    reference: Any = None,
    measure: str = "chi2",
    correction: bool = True,
    min_count: int = 1,
    tokenizer: TokenizerLike = None,
) -> pd.DataFrame:
    """Which terms set a group apart from the rest (or from a chosen reference group).

    For each term, the 2x2 table (term / other tokens × target / reference) gives a
    chi-square or log-likelihood statistic, signed: positive where the term is relatively
    more frequent in the target. As quanteda's ``textstat_keyness``, chi-square has Yates's
    continuity correction by default (the same value as R's ``chisq.test(correct=TRUE)`` and
    ``scipy.stats.chi2_contingency``); ``"lr"`` is the plain G2 (quanteda applies Williams's
    correction to it by default; this does not).

    Parameters
    ----------
    corpus : Corpus
    target : value or list of values
        The value(s) of ``reports[by]`` that form the target (``"天镇县"``, ``[2022, 2023]``).
    by : str, default "jurisdiction"
        A column of ``reports``.
    part : str or None, default None
    reference : value or list of values, optional
        The reference group's value(s); by default every document not in the target.
    measure : {"chi2", "lr"}, default "chi2"
    correction : bool, default True
        Yates's correction for ``"chi2"`` (ignored for ``"lr"``).
    min_count : int, default 1
        Leave out terms counted fewer times in target and reference together.
    tokenizer : None, str, Tokenizer or callable, optional

    Returns
    -------
    DataFrame
        ``term``, ``statistic`` (signed chi2 or G2), ``p`` (``chi2.sf(|statistic|, 1)``),
        ``n_target``, ``n_reference`` (the term's counts), sorted by statistic (most key to the
        target first). ``.attrs`` hold target, reference, measure, by, part and the token
        totals ``target_tokens``, ``reference_tokens``.
    """
    if measure not in _MEASURES:
        raise ValueError(f"The value for `measure` must be one of {', '.join(map(repr, _MEASURES))}; "
                         f"got {measure!r}.")
    tk = tokens(corpus, part=part, tokenizer=tokenizer)
    groups = _group_of(corpus, tk.docs["report_id"], by)
    targets = _as_list(target)
    in_target = groups.isin(targets).to_numpy()
    if not in_target.any():
        raise ValueError(
            f"No document has `{by}` in {targets!r}; values are e.g. {_order(groups)[:8]!r}."
        )
    if reference is None:
        in_ref = ~in_target
    else:
        refs = _as_list(reference)
        in_ref = groups.isin(refs).to_numpy() & ~in_target
        if not in_ref.any():
            raise ValueError(f"No document has `{by}` in {refs!r} (outside the target).")
    if not in_ref.any():
        raise ValueError("Every document is in the target: there is no reference to compare with.")
    counts = tk.counts
    a = np.asarray(counts[in_target].sum(axis=0)).ravel()
    b = np.asarray(counts[in_ref].sum(axis=0)).ravel()
    keep = (a + b) >= max(1, min_count)
    ta, tb = float(a.sum()), float(b.sum())
    stat = _keyness_stats(a[keep], b[keep], ta, tb, measure, correction)
    out = pd.DataFrame({
        "term": np.asarray(tk.vocabulary, dtype=object)[keep],
        "statistic": stat,
        "p": stats.chi2.sf(np.abs(stat), 1),
        "n_target": a[keep].astype(np.int64),
        "n_reference": b[keep].astype(np.int64),
    })
    out = out.sort_values(["statistic", "term"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs.update({"target": targets, "reference": None if reference is None else _as_list(reference),
                      "measure": measure, "by": by, "part": part,
                      "target_tokens": int(ta), "reference_tokens": int(tb)})
    return out


# -- dictionaries --------------------------------------------------------------------------


@dataclass
class Dictionary:
    """Categories of words or patterns (quanteda's ``dictionary``).

    Attributes
    ----------
    entries : DataFrame
        ``key`` (the category), ``entry`` (a word, phrase or regular expression) and ``kind``:
        ``"word"`` entries are counted as tokens (added to the tokenizer, so a Chinese entry
        is segmented whole), ``"regex"`` entries are searched in the text as written.
    """

    entries: pd.DataFrame

    @property
    def keys(self) -> list[str]:
        """The categories, in order of first appearance."""
        return list(dict.fromkeys(self.entries["key"]))

    @property
    def words(self) -> list[str]:
        """The word entries (added to the tokenizer)."""
        return list(dict.fromkeys(self.entries.loc[self.entries["kind"] == "word", "entry"]))

    def __len__(self) -> int:
        return len(self.keys)


def _kind_of(entry: str, kind: str) -> str:
    if kind == "auto":
        return "regex" if _REGEX_META.search(entry) else "word"
    return kind


def load_dictionary(source: Any, *, kind: str = "auto") -> Dictionary:
    """Read a dictionary: a mapping, a table, a CSV file, or ``"themes"`` (the bundled themes).

    Parameters
    ----------
    source : dict, DataFrame, path or "themes"
        ``{"key": ["word", ...]}``; a DataFrame or CSV file with a key column (``key``,
        ``theme`` or ``category``), an entry column (``entry``, ``pattern``, ``word`` or
        ``value``) and optionally ``kind``; ``"themes"`` for
        :func:`lawreports.topics.load_themes` (regular expressions). CSV lines starting with
        ``#`` are comments. YAML is not read (PyYAML is not a dependency): load it yourself
        into a dict.
    kind : {"auto", "word", "regex"}, default "auto"
        How to read entries without a ``kind`` column: ``"auto"`` takes an entry with a
        regular-expression character (``|()[]?*+.{}^$\\``) as a regex, else as a word.

    Returns
    -------
    Dictionary
    """
    if kind not in ("auto", "word", "regex"):
        raise ValueError(f"The value for `kind` must be one of 'auto', 'word', 'regex'; got {kind!r}.")
    if isinstance(source, Dictionary):
        return source
    if isinstance(source, str) and source == "themes":
        table = load_themes().rename(columns={"theme": "key", "pattern": "entry"})
        table["kind"] = "regex"
    elif isinstance(source, Mapping):
        rows = []
        for key, values in source.items():
            for value in [values] if isinstance(values, str) else values:
                rows.append((str(key), str(value)))
        table = pd.DataFrame(rows, columns=["key", "entry"])
    elif isinstance(source, pd.DataFrame):
        table = source.copy()
    elif isinstance(source, (str, Path)):
        path = Path(source)
        if path.suffix.lower() in (".yml", ".yaml"):
            raise ValueError(
                f"{path}: YAML dictionaries are not read (PyYAML is not a dependency); load it "
                "into a dict yourself, or write it as CSV with columns key,entry."
            )
        try:
            text = path.read_text("utf-8-sig")
        except OSError as exc:
            raise ValueError(f"Cannot read the dictionary file {path}: {exc}.") from exc
        table = pd.read_csv(io.StringIO(text), comment="#", dtype=str, skipinitialspace=True)
    else:
        raise TypeError("`source` must be a dict, a DataFrame, a CSV path or 'themes'; "
                        f"got {type(source).__name__}.")
    key_col = next((c for c in ("key", "theme", "category") if c in table.columns), None)
    entry_col = next((c for c in ("entry", "pattern", "word", "value") if c in table.columns), None)
    if key_col is None or entry_col is None:
        raise ValueError("A dictionary table needs a key column (key, theme or category) and an "
                         f"entry column (entry, pattern, word or value); it has {list(table.columns)}.")
    table = table.rename(columns={key_col: "key", entry_col: "entry"}).dropna(subset=["key", "entry"])
    table["key"] = table["key"].astype(str).str.strip()
    table["entry"] = table["entry"].astype(str).str.strip()
    table = table[(table["key"] != "") & (table["entry"] != "")]
    if "kind" in table.columns:
        kinds = table["kind"].fillna("auto").astype(str).str.strip()
    else:
        kinds = pd.Series(kind, index=table.index)
    table["kind"] = [_kind_of(e, k) for e, k in zip(table["entry"], kinds)]
    bad = sorted(set(table["kind"]) - {"word", "regex"})
    if bad:
        raise ValueError(f"Dictionary `kind` values must be word, regex or auto; got {bad}.")
    for entry in table.loc[table["kind"] == "regex", "entry"]:
        try:
            re.compile(entry)
        except re.error as exc:
            raise ValueError(f"Bad dictionary pattern {entry!r}: {exc}.") from exc
    if table.empty:
        raise ValueError("The dictionary has no entries.")
    return Dictionary(table[["key", "entry", "kind"]].drop_duplicates().reset_index(drop=True))


_REGEX_COUNTS: OrderedDict[tuple[str, str], int] = OrderedDict()
#: Regex match counts kept (pattern, text digest) → count, least recently used dropped first.
MAX_REGEX_COUNTS = 2_000_000


def _digests(texts: Iterable[str]) -> list[str]:
    return [hashlib.sha1(t.encode("utf-8", "surrogatepass")).hexdigest() for t in texts]


def _regex_counts(rx: re.Pattern, texts: Iterable[str], digests: list[str]) -> np.ndarray:
    """Non-empty matches of ``rx`` in each text, kept by content (pattern and text digest)."""
    out = []
    cache = _REGEX_COUNTS
    for text, digest in zip(texts, digests):
        key = (rx.pattern, digest)
        n = cache.get(key)
        if n is None:
            n = cache[key] = sum(1 for m in rx.finditer(text) if m.end() > m.start())
            if len(cache) > MAX_REGEX_COUNTS:
                cache.popitem(last=False)
        out.append(n)
    return np.asarray(out, dtype=np.int64)


_DERIVED: dict[tuple[str, frozenset], Tokenizer] = {}


def _with_words(tok: Callable[[str], list[str]], words: list[str]) -> Callable[[str], list[str]]:
    """``tok`` with ``words`` kept whole: the same tokenizer if it knows them all already,
    else a new :class:`Tokenizer` of the same configuration plus the words (built once)."""
    if not words:
        return tok
    if not isinstance(tok, Tokenizer):
        warnings.warn(
            "Dictionary words cannot be added to a custom tokenizer: a word it splits is not "
            "counted. Pass a lawreports.tokens.Tokenizer, or give the words as regex entries.",
            UserWarning, stacklevel=3,
        )
        return tok
    new = frozenset(words) - tok.words
    if not new:
        return tok
    key = (tok.fingerprint, new)
    derived = _DERIVED.get(key)
    if derived is None:
        derived = Tokenizer.from_options(tok.options, user_words=tuple(tok.options.user_words) + tuple(sorted(new)))
        _DERIVED[key] = derived
    return derived


def dictionary_scores(
    corpus: Any,
    dictionary: Any,
    *,
    by: str = "report_id",
    part: str | None = None,
    tokenizer: TokenizerLike = None,
) -> pd.DataFrame:
    """Count a dictionary's categories per group, per 1,000 tokens.

    Word entries are counted as tokens, with the words added to the tokenizer so that a
    Chinese entry is segmented whole (counting ``营商环境`` where a segmenter would cut
    ``营商 / 环境`` is a known trap with quanteda's dictionaries on Chinese). Regex entries are
    searched in the documents' text as written (``双随机、一公开``); within a key, matches do not
    overlap (the leftmost wins). Regex counts are kept by content (pattern and text digest), so
    a second call on the same texts does not search again. The bundled themes are ``load_dictionary("themes")``.

    Parameters
    ----------
    corpus : Corpus
    dictionary : Dictionary, dict, DataFrame, CSV path or "themes"
        See :func:`load_dictionary`.
    by : str, default "report_id"
        A column of ``reports``; ``"report_id"`` scores each report.
    part : str or None, default None
    tokenizer : None, str, Tokenizer or callable, optional

    Returns
    -------
    DataFrame
        ``group``, ``key``, ``count`` (word tokens plus regex matches), ``n_reports`` (reports
        of the group with a match), ``group_tokens`` (tokens of the group under the tokenizer
        with the dictionary's words) and ``per_1000``; every group × key, 0 where none.
    """
    dic = load_dictionary(dictionary)
    tok = _with_words(_resolve_tokenizer(tokenizer), dic.words)
    tk = tokens(corpus, part=part, tokenizer=tok)
    groups = _group_of(corpus, tk.docs["report_id"], by)
    order, member = _member(groups)
    keys = dic.keys
    n_docs = len(tk.docs)
    per_doc = np.zeros((n_docs, len(keys)), dtype=np.int64)
    lookup = {t: i for i, t in enumerate(tk.vocabulary)}
    digests = None
    for k, key in enumerate(keys):
        rows = dic.entries[dic.entries["key"] == key]
        cols = [lookup[w] for w in rows.loc[rows["kind"] == "word", "entry"] if w in lookup]
        if cols:
            per_doc[:, k] += np.asarray(tk.counts[:, cols].sum(axis=1)).ravel()
        regexes = rows.loc[rows["kind"] == "regex", "entry"].tolist()
        if regexes:
            if digests is None:
                digests = _digests(tk.docs["text"])
            per_doc[:, k] += _regex_counts(_compile(regexes, True), tk.docs["text"], digests)
    group_counts = member @ per_doc
    # reports of the group with a match
    rep_hit = pd.DataFrame(per_doc > 0, columns=range(len(keys))).groupby(
        tk.docs["report_id"].to_numpy()).any()
    rep_groups = _group_of(corpus, pd.Series(rep_hit.index), by).to_numpy()
    rep_n = rep_hit.groupby(rep_groups).sum().reindex(order).fillna(0).to_numpy(dtype=np.int64)
    group_tokens = np.asarray(member @ tk.n_tokens).ravel()
    out = pd.DataFrame({
        "group": np.repeat(np.asarray(order, dtype=object), len(keys)),
        "key": np.tile(np.asarray(keys, dtype=object), len(order)),
        "count": group_counts.ravel(),
        "n_reports": rep_n.ravel(),
        "group_tokens": np.repeat(group_tokens, len(keys)).astype(np.int64),
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        out["per_1000"] = np.where(out["group_tokens"] > 0, out["count"] * 1000 / out["group_tokens"], 0.0)
    out.attrs.update({"by": by, "part": part})
    return out


# -- collocations --------------------------------------------------------------------------


def collocations(
    corpus: Any,
    *,
    size: int | Iterable[int] = 2,
    min_count: int = 2,
    part: str | None = None,
    tokenizer: TokenizerLike = None,
) -> pd.DataFrame:
    """Multi-word expressions that recur: runs of adjacent tokens, scored as quanteda does.

    Candidates are runs of ``size`` tokens that are adjacent in the text: a segment the
    tokenizer drops (stopword, punctuation, number, single character) breaks the run, and so
    does the end of a document. For each candidate, the counts of all ``2**size`` cells (which
    positions match) over every run of that size give ``lambda``, the highest-order
    interaction of a saturated log-linear model with 0.5 added to each cell (for two tokens,
    the log odds ratio), and ``z = lambda / sqrt(sum(1 / (n + 0.5)))`` — quanteda's
    ``textstat_collocations`` (Blaheta & Johnson 2001). ``pmi`` is
    ``log(p(run) / prod(p(token)))`` with token probabilities over all tokens.

    Parameters
    ----------
    corpus : Corpus
    size : int or iterable of int, default 2
        Tokens per expression, 2 or 3.
    min_count : int, default 2
    part : str or None, default None
    tokenizer : None, str, Tokenizer or callable, optional
        A term of the tokenizer's lexicon is one token already; use
        ``Tokenizer(lexicon=False)`` to see which lexicon terms the corpus would suggest.

    Returns
    -------
    DataFrame
        ``collocation`` (the tokens joined as written), ``tokens`` (space-separated),
        ``size``, ``count``, ``n_reports``, ``lambda``, ``z``, ``pmi``; sorted by z.
    """
    sizes = sorted({int(s) for s in _as_list(size)})
    if not sizes or any(s not in (2, 3) for s in sizes):
        raise ValueError(f"The value for `size` must be 2, 3 or both; got {size!r}.")
    if isinstance(min_count, bool) or not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ValueError(f"The value for `min_count` must be a positive integer; got {min_count!r}.")
    tk = tokens(corpus, part=part, tokenizer=tokenizer)
    vocab = np.asarray(tk.vocabulary, dtype=object)
    v = np.int64(max(len(vocab), 1))
    # one stream, a gap between documents
    n_docs = len(tk.docs)
    lengths = np.diff(tk.indptr)
    doc_of = np.repeat(np.arange(n_docs), lengths + 1)
    stream = np.insert(tk.ids.astype(np.int64), tk.indptr[1:].astype(np.int64), -1) \
        if n_docs else np.zeros(0, np.int64)
    kept = stream[stream >= 0]
    unigram = np.bincount(kept, minlength=len(vocab)).astype(float)
    n_tokens = float(len(kept))
    frames = []
    for k in sizes:
        if len(stream) < k:
            continue
        cols = [stream[i:len(stream) - k + 1 + i] for i in range(k)]
        valid = np.all([c >= 0 for c in cols], axis=0)
        grams = np.stack([c[valid] for c in cols], axis=1)
        gram_doc = doc_of[:len(stream) - k + 1][valid]
        if not len(grams):
            continue
        n_pos = float(len(grams))

        def code(g: np.ndarray, subset: tuple[int, ...]) -> np.ndarray:
            out = np.zeros(len(g), dtype=np.int64)
            for i in subset:
                out = out * v + g[:, i]
            return out

        full = code(grams, tuple(range(k)))
        uniq, first, cnt = np.unique(full, return_index=True, return_counts=True)
        sel = cnt >= min_count
        if not sel.any():
            continue
        uniq, first, cnt = uniq[sel], first[sel], cnt[sel]
        cand = grams[first]
        # c(T): runs matching the candidate on the positions in T, for every subset T
        subsets = [tuple(i for i in range(k) if mask >> i & 1) for mask in range(2 ** k)]
        c_of: dict[tuple[int, ...], np.ndarray] = {}
        for t in subsets:
            if not t:
                c_of[t] = np.full(len(cand), n_pos)
                continue
            if len(t) == k:
                c_of[t] = cnt.astype(float)
                continue
            if len(t) == 1:  # one position: a bincount, no sort
                c_of[t] = np.bincount(grams[:, t[0]], minlength=len(vocab))[cand[:, t[0]]].astype(float)
                continue
            keys_all, counts_all = np.unique(code(grams, t), return_counts=True)
            pos = np.searchsorted(keys_all, code(cand, t))
            c_of[t] = counts_all[pos].astype(float)
        # cell counts by inclusion-exclusion: matched exactly on S
        lam = np.zeros(len(cand))
        inv = np.zeros(len(cand))
        for s in subsets:
            n_s = np.zeros(len(cand))
            for t in subsets:
                if set(s) <= set(t):
                    n_s += (-1) ** (len(t) - len(s)) * c_of[t]
            n_s = np.maximum(n_s, 0) + 0.5
            lam += (-1) ** (k - len(s)) * np.log(n_s)
            inv += 1 / n_s
        pmi = np.log(cnt / n_pos) - np.log(unigram[cand] / n_tokens).sum(axis=1)
        # reports using each candidate
        rep_code, rep_names = pd.factorize(tk.docs["report_id"])
        gram_rep = rep_code[gram_doc].astype(np.int64)
        in_cand = np.isin(full, uniq)
        n_r = np.int64(max(len(rep_names), 1))
        if float(v) ** k * float(n_r) < 2.0 ** 62:  # (gram, report) as one int64
            pairs = np.sort(full[in_cand] * n_r + gram_rep[in_cand])  # sort: faster than hashing
            pairs = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])] // n_r
            g_of, n_rep = np.unique(pairs, return_counts=True)
            n_rep = n_rep[np.searchsorted(g_of, uniq)]
        else:  # pragma: no cover - a vocabulary too large for one int64 code
            frame = pd.DataFrame({"g": full[in_cand], "r": gram_rep[in_cand]}).drop_duplicates()
            n_rep = frame.groupby("g").size().reindex(uniq).to_numpy()
        words = vocab[cand]
        frames.append(pd.DataFrame({
            "collocation": ["".join(w) for w in words],
            "tokens": [" ".join(w) for w in words],
            "size": k,
            "count": cnt.astype(np.int64),
            "n_reports": n_rep.astype(np.int64),
            "lambda": lam,
            "z": lam / np.sqrt(inv),
            "pmi": pmi,
        }))
    columns = ["collocation", "tokens", "size", "count", "n_reports", "lambda", "z", "pmi"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
    out = out.sort_values(["z", "collocation"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


_QUOTED = re.compile(r"[“「『\"]([^“”「」『』\"\n]{2,%d})[”」』\"]")


def quoted_terms(
    corpus: Any,
    *,
    min_count: int = 2,
    max_chars: int = 12,
    part: str | None = None,
    tokenizer: TokenizerLike = None,
) -> pd.DataFrame:
    """Expressions the reports put in quotation marks (“放管服”, “双随机、一公开”), as lexicon
    candidates.

    Policy slogans and fixed terms are quoted in these reports, and a segmenter without them in
    its lexicon cuts them into pieces (双 / 随机 / 、 / 一 / 公开), which no n-gram of content
    tokens can put back together. Counting recurring quoted spans finds them.

    Parameters
    ----------
    corpus : Corpus
    min_count : int, default 2
    max_chars : int, default 12
        Longest quoted span taken as a term (longer ones are quotations).
    part : str or None, default None
    tokenizer : None, str, Tokenizer or callable, optional
        Used for ``whole``: whether the tokenizer already keeps the term as one token.

    Returns
    -------
    DataFrame
        ``term`` (enumeration commas removed: 双随机一公开), ``as_written`` (the forms seen,
        joined by " / "), ``count``, ``n_reports``, ``whole`` (the tokenizer yields it as a single
        token); most frequent first.
    """
    tok = _resolve_tokenizer(tokenizer)
    docs = _docs(corpus, part)
    rx = re.compile(_QUOTED.pattern % int(max_chars))
    rows = [(m.group(1), rid) for rid, text in zip(docs["report_id"], docs["text"])
            for m in rx.finditer(text)]
    found = pd.DataFrame(rows, columns=["as_written", "report_id"])
    columns = ["term", "as_written", "count", "n_reports", "whole"]
    if found.empty:
        return pd.DataFrame(columns=columns)
    found["term"] = found["as_written"].str.replace(r"[、·•\s]", "", regex=True)
    out = found.groupby("term").agg(
        as_written=("as_written", lambda s: " / ".join(dict.fromkeys(s))),
        count=("as_written", "size"), n_reports=("report_id", "nunique")).reset_index()
    out = out[out["count"] >= min_count]
    out["whole"] = [list(tok(t)) == [t] for t in out["term"]]
    out = out.sort_values(["count", "term"], ascending=[False, True], kind="stable")
    return out[columns].reset_index(drop=True)


# -- document-term matrix ------------------------------------------------------------------


@dataclass
class DocumentTermMatrix:
    """Reports × terms counts, with the reports table as document variables.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        ``matrix[i, j]``: count of ``vocabulary[j]`` in report ``docvars.report_id[i]``.
    vocabulary : list of str
    docvars : DataFrame
        The ``reports`` rows, in matrix order.
    """

    matrix: sparse.csr_matrix
    vocabulary: list[str]
    docvars: pd.DataFrame

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    def tidy(self) -> pd.DataFrame:
        """Long form: ``report_id``, ``term``, ``count``, one row per nonzero cell."""
        coo = self.matrix.tocoo()
        order = np.lexsort((coo.col, coo.row))
        return pd.DataFrame({
            "report_id": self.docvars["report_id"].to_numpy()[coo.row[order]],
            "term": np.asarray(self.vocabulary, dtype=object)[coo.col[order]],
            "count": coo.data[order].astype(np.int64),
        })

    def write(self, directory: str | Path) -> dict[str, Path]:
        """Write ``dtm.parquet`` (long form), ``dtm.mtx`` (Matrix Market, reports × terms),
        ``dtm_terms.csv`` (one term a line, column order) and ``dtm_docs.csv`` (the docvars,
        row order), UTF-8.

        In R: ``m <- Matrix::readMM("dtm.mtx"); colnames(m) <- read.csv("dtm_terms.csv")$term;
        rownames(m) <- read.csv("dtm_docs.csv")$report_id; quanteda::as.dfm(m)``.
        """
        from scipy.io import mmwrite

        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {name: folder / name for name in ("dtm.parquet", "dtm.mtx", "dtm_terms.csv",
                                                  "dtm_docs.csv")}
        self.tidy().to_parquet(paths["dtm.parquet"], index=False)
        mmwrite(str(paths["dtm.mtx"]), self.matrix.astype(np.int64), field="integer")
        pd.DataFrame({"term": self.vocabulary}).to_csv(paths["dtm_terms.csv"], index=False)
        self.docvars.to_csv(paths["dtm_docs.csv"], index=False)
        return paths


def document_term_matrix(
    corpus: Any,
    *,
    part: str | None = None,
    min_count: int = 1,
    tokenizer: TokenizerLike = None,
) -> DocumentTermMatrix:
    """A reports × terms matrix of token counts (one row per report of ``corpus.reports``).

    Parameters
    ----------
    corpus : Corpus
    part : str or None, default None
        None for whole reports; a part sums that part's documents per report (a report
        without the part is a row of zeros).
    min_count : int, default 1
        Keep terms counted at least this often in the whole corpus.
    tokenizer : None, str, Tokenizer or callable, optional

    Returns
    -------
    DocumentTermMatrix
    """
    reports = _reports(corpus)
    tk = tokens(corpus, part=part, tokenizer=tokenizer)
    index = {rid: i for i, rid in enumerate(reports["report_id"])}
    rows = tk.docs["report_id"].map(index).to_numpy()
    member = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, np.arange(len(rows)))),
                               shape=(len(reports), len(rows)))
    matrix = (member @ tk.counts).tocsr()
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    keep = np.flatnonzero(totals >= max(1, min_count))
    vocab = [tk.vocabulary[j] for j in keep]
    order = np.argsort(np.asarray(vocab, dtype=object), kind="stable") if vocab else keep[:0]
    matrix = matrix[:, keep[order]].tocsr()
    matrix.sort_indices()
    return DocumentTermMatrix(matrix, [vocab[j] for j in order], reports)
