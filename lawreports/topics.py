"""What reports admit they lack: TF-IDF profiles, themes, NMF topics and similarity by group.

:func:`tfidf_profiles`, :func:`similarity`, :func:`themes` and :func:`topic_model` share one
signature, ``(corpus, *, part="shortcomings", by="jurisdiction", tokenizer=None, …)``: the
corpus first, every option keyword-only (``topic_model`` does not group, so has no ``by``;
``themes`` matches patterns, so has no ``tokenizer``). ``tokenizer`` is None for the shared
default :class:`~lawreports.tokens.Tokenizer` (rjieba, domain lexicon and stopwords), a
:class:`~lawreports.tokens.TokenizerOptions`, a configured Tokenizer, or any callable
``str -> list[str]``.

The corpus is :func:`lawreports.load_corpus`'s ``Corpus``, or any object or mapping with
``reports`` and ``shortcomings`` / ``parts`` and ``texts`` tables, pandas or polars; its documents are
grouped by any column of ``reports`` (``by="jurisdiction"``, ``"division_type"``, ``"tier"``,
``"province"``, ``"report_year"``…), in the manner of quanteda's ``dfm_group``.

Documents are the shortcomings items (``corpus.shortcomings``) for ``part="shortcomings"``, or
for any other part (``achievements``, ``plans``…) the runs of text of that part as the structure
stage found them (``corpus.parts``, :func:`lawreports.structure.part_spans`): each character once
(:func:`documents`).

Each document is tokenized once, by the parse: the ``tokens`` table of a corpus holds every
document's segments under the default tokenizer, and when the tokenizer asked for is that one
(``tokenizer=None``, ``TokenizerOptions()`` or an unchanged ``Tokenizer()``), the analyses filter
the stored segments instead of segmenting the text again (the same tokens either way). Any other
tokenizer reads the text.

Results are tidy DataFrames with snake_case columns and Chinese values, and every weight can be
traced back through :func:`documents` to the items it came from.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import logging
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from lawreports import resource_files
from lawreports.tokens import Tokenizer, TokenizerOptions, get_tokenizer
from lawreports.vocab import ROLES

LOGGER = logging.getLogger(__name__)

__all__ = [
    "TFIDF_DEFAULTS",
    "SimilarityResult",
    "ThemeResult",
    "TopicModelResult",
    "documents",
    "load_themes",
    "similarity",
    "tfidf_profiles",
    "theme_shares",
    "themes",
    "topic_model",
]

#: Defaults of the TF-IDF vectorizer used by :func:`tfidf_profiles`, :func:`similarity` and
#: :func:`topic_model`; any of them (and any other TfidfVectorizer parameter) can be
#: overridden by keyword. ``tokenizer``, ``token_pattern=None`` and ``lowercase=False`` are
#: always set.
TFIDF_DEFAULTS: dict[str, Any] = {
    "min_df": 1,
    "max_df": 1.0,
    "ngram_range": (1, 1),
    "use_idf": True,
    "smooth_idf": True,
    "sublinear_tf": True,
    "norm": "l2",
}

_FIXED = ("tokenizer", "token_pattern", "lowercase", "analyzer", "preprocessor")
_MISSING_GROUP = "(missing)"

TokenizerLike = Any  # None, TokenizerOptions, a Tokenizer or a callable str -> list[str]


# -- inputs --------------------------------------------------------------------------------


def _table(corpus: Any, name: str) -> pd.DataFrame:
    """``corpus.<name>`` (or ``corpus[name]``) as a pandas DataFrame."""
    if isinstance(corpus, Mapping):
        table = corpus.get(name)
    else:
        table = getattr(corpus, name, None)
    if table is None:
        raise ValueError(
            f"The corpus has no `{name}` table; pass a lawreports Corpus "
            "(lawreports.load_corpus()) or an object with `reports`, `shortcomings`, `parts` "
            "and `texts` DataFrames."
        )
    if hasattr(table, "to_pandas") and not isinstance(table, pd.DataFrame):
        table = table.to_pandas()
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"`corpus.{name}` must be a DataFrame, not {type(table).__name__}.")
    return table


def _check_columns(table: pd.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"The `{name}` table lacks column(s) {', '.join(missing)}; "
            f"it has {', '.join(map(str, table.columns))}."
        )


def _resolve_tokenizer(tokenizer: TokenizerLike) -> Callable[[str], list[str]]:
    if tokenizer is None or isinstance(tokenizer, TokenizerOptions):
        return get_tokenizer(tokenizer)
    if isinstance(tokenizer, Tokenizer) or (callable(tokenizer) and not isinstance(tokenizer, str)):
        return tokenizer
    hint = (f" (for a backend, pass TokenizerOptions(backend={tokenizer!r}))"
            if isinstance(tokenizer, str) else "")
    raise TypeError(
        "`tokenizer` must be None, a lawreports.tokens.TokenizerOptions, a "
        "lawreports.tokens.Tokenizer or a callable str -> list[str]; "
        f"got {type(tokenizer).__name__}{hint}."
    )


def _is_default(tokenizer: TokenizerLike) -> bool:
    """Whether ``tokenizer`` gives the tokens of the default tokenizer the parse segmented with."""
    if tokenizer is None:
        return True
    if isinstance(tokenizer, TokenizerOptions):
        options = tokenizer
    elif type(tokenizer) is Tokenizer:
        options = tokenizer.options
    else:
        return False
    return dataclasses.replace(options, cache=True) == TokenizerOptions()


def _stored_rows(docs: pd.DataFrame, corpus: Any, part: str) -> tuple[pd.Series, np.ndarray] | None:
    """The ``tokens`` column of the corpus's ``tokens`` table and, for each document of ``docs``,
    the row holding its stored segments (-1 for none), or None without a table.

    A document (report_id, item) is matched to the last row of ``part`` with that key, an item and
    segments; the segments stay in their table until :func:`_token_reader` reads them.
    """
    table = corpus.get("tokens") if isinstance(corpus, Mapping) else getattr(corpus, "tokens", None)
    if table is None:
        return None
    if hasattr(table, "to_pandas") and not isinstance(table, pd.DataFrame):
        table = table.to_pandas()
    if not isinstance(table, pd.DataFrame) or not {"report_id", "part", "item", "tokens"} <= set(table.columns):
        return None
    usable = (table["part"] == part) & table["item"].notna() & table["tokens"].notna()
    at = np.flatnonzero(usable.to_numpy(dtype=bool, na_value=False))
    stored = pd.DataFrame({"report_id": table["report_id"].iloc[at].astype(str).to_numpy(),
                           "item": table["item"].iloc[at].astype("int64").to_numpy(), "row": at})
    stored = stored.drop_duplicates(["report_id", "item"], keep="last")
    keys = pd.DataFrame({"report_id": docs["report_id"].astype(str).to_numpy(),
                         "item": docs["item"].astype("int64").to_numpy()})
    rows = keys.merge(stored, on=["report_id", "item"], how="left")["row"]
    return table["tokens"], rows.fillna(-1).to_numpy(dtype=np.int64)


def _token_reader(docs: pd.DataFrame, corpus: Any, part: str,
                  tokenizer: TokenizerLike) -> Callable[..., Iterator[list[str]]]:
    """``read(order=None)``: each document's tokens (the documents of ``docs`` at ``order``,
    every one by default): its stored segments filtered, else its text tokenized.

    The documents are matched to their stored segments once; ``read`` takes the segments from
    their table ``chunk`` documents at a time, so a caller that counts the tokens as they come
    holds no document's list longer than it needs it.
    """
    tok = _resolve_tokenizer(tokenizer)
    stored = _stored_rows(docs, corpus, part) if _is_default(tokenizer) else None
    if stored is not None and not (stored[1] >= 0).any():
        stored = None
    texts = docs["text"]

    def read(order: np.ndarray | None = None, *, chunk: int = 20_000) -> Iterator[list[str]]:
        order = np.arange(len(docs)) if order is None else np.asarray(order, dtype=np.int64)
        if stored is None:
            for lo in range(0, len(order), chunk):
                for text in texts.iloc[order[lo:lo + chunk]].tolist():
                    yield list(tok(text))
            return
        column, rows = stored
        keep = tok.filter
        for lo in range(0, len(order), chunk):
            at = order[lo:lo + chunk]
            found = rows[at]
            segments = iter(column.iloc[found[found >= 0]].tolist())
            for i, row in zip(at.tolist(), found.tolist()):
                yield keep(next(segments).split(" ")) if row >= 0 else list(tok(texts.iat[i]))

    return read


def _with_tokens(docs: pd.DataFrame, corpus: Any, part: str, tokenizer: TokenizerLike) -> pd.DataFrame:
    """``docs`` with a ``tokens`` column: the stored segments filtered, else the text tokenized."""
    docs["tokens"] = list(_token_reader(docs, corpus, part, tokenizer)())
    return docs


def documents(corpus: Any, part: str = "shortcomings", *, tokens: bool = False,
              tokenizer: TokenizerLike = None) -> pd.DataFrame:
    """The documents of one part of every report, each span of text counted once.

    Parameters
    ----------
    corpus : Corpus or object with ``shortcomings`` / ``parts`` and ``texts`` tables
    part : str, default "shortcomings"
        ``"shortcomings"`` for the shortcomings items; another role (``"achievements"``,
        ``"plans"``, ``"responsibility"``, ``"other"``, ``"preamble"``) for the runs of text of
        that part (the ``parts`` table).
    tokens : bool, default False
        Add a ``tokens`` column: each document's content tokens under ``tokenizer``. For the
        default tokenizer they are the corpus's stored segments (its ``tokens`` table, written
        by the parse) filtered, the same tokens as segmenting the text again; a document the
        table lacks, and any other tokenizer, tokenizes the text.
    tokenizer : None, TokenizerOptions, Tokenizer or callable, optional
        As for :func:`tfidf_profiles`; used with ``tokens=True``.

    Returns
    -------
    DataFrame
        ``report_id``, ``item`` (1, 2… within the report), ``section_id``, ``text`` and, where
        the source table has them, ``start`` and ``end`` (``text == clean_text[start:end]``).
        For a role other than shortcomings, each document is a row of ``parts``: a run of text
        whose innermost section has that role, under one top-most section of the role (nested
        headings are counted once; an inline shortcomings paragraph is left out).
        With ``tokens=True``, a ``tokens`` column (list of str).

    Raises
    ------
    ValueError
        If ``part`` is not one of :data:`ROLES`.
    """
    if part not in ROLES:
        raise ValueError(
            f"The value for `part` must be one of {', '.join(map(repr, ROLES))}; got {part!r}."
        )
    if part == "shortcomings":
        items = _table(corpus, "shortcomings")
        _check_columns(items, "shortcomings", ("report_id", "item", "text"))
        cols = [c for c in ("report_id", "item", "section_id", "text", "start", "end")
                if c in items.columns]
        docs = items[cols].copy()
        if "section_id" not in docs.columns:
            docs["section_id"] = pd.NA
    else:
        # the runs of text of the part, as the structure stage found them (the ``parts`` table)
        parts = _table(corpus, "parts")
        _check_columns(parts, "parts", ("report_id", "part", "section_id", "start", "end"))
        texts = _table(corpus, "texts")
        _check_columns(texts, "texts", ("report_id", "text"))
        full = dict(zip(texts["report_id"], texts["text"]))
        rows = parts[parts["part"] == part]
        docs = pd.DataFrame({
            "report_id": rows["report_id"].to_numpy(),
            "section_id": rows["section_id"].to_numpy(),
            "text": [full[r][int(s):int(e)] for r, s, e in zip(rows["report_id"], rows["start"], rows["end"])],
            "start": rows["start"].to_numpy(), "end": rows["end"].to_numpy(),
        })
        docs.insert(1, "item", docs.groupby("report_id").cumcount() + 1)
    text = docs["text"]
    docs["text"] = (text.fillna("") if text.isna().any() else text).astype(str)
    blank = docs["text"].str.strip() == ""
    if blank.any():             # a copy of the documents only when some are to be left out
        docs = docs[~blank]
    docs = docs.reset_index(drop=True)
    if tokens:
        docs = _with_tokens(docs, corpus, part, tokenizer)
    return docs


def _grouped(corpus: Any, part: str, by: str, tokenizer: TokenizerLike = None, *,
             tokens: bool = False) -> pd.DataFrame:
    """:func:`documents` with a ``group`` column taken from ``reports[by]``."""
    reports = _table(corpus, "reports")
    if by not in reports.columns:
        raise ValueError(
            f"The value for `by` must be a column of `reports`: "
            f"{', '.join(map(str, reports.columns))}; got {by!r}."
        )
    docs = documents(corpus, part, tokens=tokens, tokenizer=tokenizer)
    if by == "report_id":
        docs["group"] = docs["report_id"]
    else:
        lookup = reports[["report_id", by]].drop_duplicates("report_id").set_index("report_id")[by]
        docs["group"] = docs["report_id"].map(lookup)
    missing = docs["group"].isna()
    if missing.any():
        LOGGER.warning(
            "%d %s document(s) from %d report(s) have no `%s`; they form the group %r.",
            int(missing.sum()), part, docs.loc[missing, "report_id"].nunique(), by,
            _MISSING_GROUP,
        )
        docs["group"] = docs["group"].astype(object).where(~missing, _MISSING_GROUP)
    if docs.empty:
        raise ValueError(
            f"The corpus has no {part} documents to profile (no report has that part)."
        )
    return docs


def _group_order(groups: pd.Series) -> list[Any]:
    values = list(dict.fromkeys(groups))
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


# -- TF-IDF --------------------------------------------------------------------------------


def _vectorizer(tokenizer: TokenizerLike, kwargs: dict[str, Any]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    ignored = [k for k in _FIXED if k in kwargs]
    if ignored:
        warnings.warn(
            f"Vectorizer parameter(s) {', '.join(ignored)} are ignored: tokens come from "
            "`tokenizer=` (token_pattern=None, lowercase=False).",
            UserWarning,
            stacklevel=3,
        )
    params = {**TFIDF_DEFAULTS, **{k: v for k, v in kwargs.items() if k not in _FIXED}}
    return TfidfVectorizer(
        tokenizer=_Pooled(_resolve_tokenizer(tokenizer)),
        token_pattern=None,
        lowercase=False,
        **params,
    )


class _Pooled:
    """Tokenize a text, or a tuple of texts one by one (a group's pooled documents); a list is
    a document already tokenized, a :class:`_Group` the documents of a group, their tokens read
    as they are needed.

    Pooling by tokenizing each document apart (never their concatenation) keeps a user's
    tokenizer from reading across documents and lets the token cache serve each document.
    """

    def __init__(self, tokenizer: Callable[[str], list[str]]) -> None:
        self.tokenizer = tokenizer

    def __call__(self, doc: str | list[str] | tuple | _Group) -> list[str]:
        if isinstance(doc, str):
            return list(self.tokenizer(doc))
        if isinstance(doc, list):       # a document's tokens (documents(..., tokens=True))
            return doc
        if isinstance(doc, _Group):
            return [tok for tokens in doc.tokens() for tok in tokens]
        return [tok for one in doc for tok in self(one)]


@dataclass
class _Group:
    """The documents of one group, pooled: :meth:`tokens` reads each one's tokens in order."""

    read: Callable[[np.ndarray], Iterator[list[str]]]
    members: np.ndarray

    def tokens(self) -> Iterator[list[str]]:
        return self.read(self.members)


@dataclass
class _GroupMatrix:
    groups: list[Any]
    terms: np.ndarray
    weights: sparse.csr_matrix  # groups x terms, TF-IDF
    n_docs: sparse.csr_matrix  # groups x terms, documents using the term
    vectorizer: Any
    docs: pd.DataFrame


def _group_tfidf(
    corpus: Any, part: str, by: str, tokenizer: TokenizerLike, kwargs: dict[str, Any]
) -> _GroupMatrix:
    """The groups' TF-IDF: each group one pooled document, and the documents of each group that
    use each term. The tokens are read as the vectorizer counts them (twice: by group, then by
    document), never held for every document at once."""
    docs = _grouped(corpus, part, by, tokenizer)
    groups = _group_order(docs["group"])
    index = {g: i for i, g in enumerate(groups)}
    rows = docs["group"].map(index).to_numpy()

    read = _token_reader(docs, corpus, part, tokenizer)
    # one pooled document per group: its documents' tokens in order
    pooled = (_Group(read, np.flatnonzero(rows == i)) for i in range(len(groups)))
    vec = _vectorizer(tokenizer, kwargs)
    try:
        weights = vec.fit_transform(pooled).tocsr()
    except ValueError as exc:  # empty vocabulary, or min_df/max_df leaving no terms
        raise ValueError(
            f"No terms left to weigh for part={part!r}, by={by!r}: {exc}. "
            "Loosen min_df/max_df or check the tokenizer's stopwords."
        ) from exc
    # documents per group that use each term, counted a slice of the documents at a time
    member = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(groups), len(rows))
    )
    n_docs = sparse.csr_matrix((len(groups), len(vec.vocabulary_)))
    step = 20_000
    for lo in range(0, len(rows), step):
        used = vec.transform(read(np.arange(lo, min(lo + step, len(rows)))))
        used.data[:] = 1
        n_docs = n_docs + member[:, lo:lo + step] @ used
    n_docs = n_docs.tocsr()
    return _GroupMatrix(groups, vec.get_feature_names_out(), weights, n_docs, vec, docs)


def tfidf_profiles(
    corpus: Any,
    *,
    part: str = "shortcomings",
    by: str = "jurisdiction",
    tokenizer: TokenizerLike = None,
    top: int | None = 20,
    **vectorizer_kwargs: Any,
) -> pd.DataFrame:
    """The terms that set each group's reports apart, by TF-IDF.

    The documents of a group (:func:`documents`) are pooled into one per group (quanteda's
    ``dfm_group``: each document is tokenized apart and the group's tokens added up), and
    scikit-learn's ``TfidfVectorizer`` weighs each term in each group against all groups: a
    term many groups use weighs little, a term one group repeats weighs much.

    Parameters
    ----------
    corpus : Corpus
    part : str, default "shortcomings"
        Which part of the reports (see :func:`documents`).
    by : str, default "jurisdiction"
        A column of ``corpus.reports`` to group by (``"report_id"`` for one profile per
        report). Reports with no value form the group ``"(missing)"``.
    top : int or None, default 20
        Terms kept per group (ranks 1..top); None keeps every term with a positive weight.
    tokenizer : None, TokenizerOptions, Tokenizer or callable, optional
        None for the shared default :class:`~lawreports.tokens.Tokenizer` (rjieba, domain
        lexicon and stopwords); a :class:`~lawreports.tokens.TokenizerOptions` (for example
        ``TokenizerOptions(backend="jieba")``) for the shared tokenizer of those options; a
        configured Tokenizer; or any callable ``str -> list[str]``.
    **vectorizer_kwargs
        TfidfVectorizer parameters; defaults in :data:`TFIDF_DEFAULTS` (``sublinear_tf=True``,
        ``smooth_idf=True``, ``norm="l2"``, ``min_df=1``, ``max_df=1.0``, unigrams). Note that
        ``min_df``/``max_df`` count groups, not items, and n-grams (``ngram_range``) can
        span the end of one document and the start of the next in a group.

    Returns
    -------
    DataFrame
        ``group``, ``term``, ``weight`` (TF-IDF of the term in the group's pooled text, rows
        L2-normalised by default), ``rank`` (1 = heaviest; ties broken by term), ``n_docs``
        (documents of the group that use the term). Sorted by group, then rank.

    Raises
    ------
    ValueError
        If ``by`` is not a column of ``reports`` or ``part`` not a known role.

    Examples
    --------
    >>> corpus = lawreports.load_corpus()                                 # doctest: +SKIP
    >>> tfidf_profiles(corpus, by="division_type", top=5)                 # doctest: +SKIP
    """
    if top is not None and (not isinstance(top, (int, np.integer)) or top < 1):
        raise ValueError(f"The value for `top` must be a positive integer or None; got {top!r}.")
    gm = _group_tfidf(corpus, part, by, tokenizer, vectorizer_kwargs)
    frames = []
    for i, group in enumerate(gm.groups):
        row = gm.weights.getrow(i)
        if row.nnz == 0:
            continue
        idx, w = row.indices, row.data
        frame = pd.DataFrame(
            {
                "group": [group] * len(idx),
                "term": gm.terms[idx],
                "weight": w,
                "n_docs": gm.n_docs[i, idx].toarray().ravel().astype(int),
            }
        )
        # ties (equal up to float noise) are broken by term, the same on every platform
        frame["_key"] = frame["weight"].round(12)
        frame = frame.sort_values(["_key", "term"], ascending=[False, True], kind="stable")
        frame = frame.drop(columns="_key")
        if top is not None:
            frame = frame.head(top)
        frame["rank"] = np.arange(1, len(frame) + 1)
        frames.append(frame)
    columns = ["group", "term", "weight", "rank", "n_docs"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
    out.attrs.update({"part": part, "by": by})
    return out


# -- similarity ----------------------------------------------------------------------------


@dataclass
class SimilarityResult:
    """Cosine similarity of groups' TF-IDF profiles.

    Attributes
    ----------
    tidy : DataFrame
        ``a``, ``b``, ``similarity``: every ordered pair of distinct groups, most similar first.
    matrix : DataFrame
        Square, groups on both axes, 1 on the diagonal for a group with any term.
    """

    tidy: pd.DataFrame
    matrix: pd.DataFrame

    def __iter__(self):
        # allows ``tidy, matrix = similarity(...)``
        return iter((self.tidy, self.matrix))


def similarity(
    corpus: Any,
    *,
    part: str = "shortcomings",
    by: str = "jurisdiction",
    tokenizer: TokenizerLike = None,
    **vectorizer_kwargs: Any,
) -> SimilarityResult:
    """How alike groups are in what their reports say, as cosine similarity of TF-IDF profiles.

    Parameters
    ----------
    corpus, part, by, tokenizer, **vectorizer_kwargs
        As for :func:`tfidf_profiles`; the full profiles (every term) are compared.

    Returns
    -------
    SimilarityResult
        ``.tidy`` (a, b, similarity) and ``.matrix`` (square DataFrame); it also unpacks as
        ``tidy, matrix = similarity(corpus)``.
    """
    from sklearn.metrics.pairwise import cosine_similarity

    gm = _group_tfidf(corpus, part, by, tokenizer, vectorizer_kwargs)
    sim = cosine_similarity(gm.weights)
    index = pd.Index(gm.groups, name=by)
    matrix = pd.DataFrame(sim, index=index, columns=index.rename(None))
    n = len(gm.groups)
    a, b = np.where(~np.eye(n, dtype=bool))
    tidy = pd.DataFrame(
        {
            "a": [gm.groups[i] for i in a],
            "b": [gm.groups[j] for j in b],
            "similarity": sim[a, b],
        }
    )
    tidy["_key"] = tidy["similarity"].round(12)
    tidy = tidy.sort_values(["_key", "a", "b"], ascending=[False, True, True], kind="stable")
    tidy = tidy.drop(columns="_key").reset_index(drop=True)
    return SimilarityResult(tidy, matrix)


# -- topic model ---------------------------------------------------------------------------


@dataclass
class TopicModelResult:
    """An NMF topic model of a part's documents.

    Attributes
    ----------
    topic_terms : DataFrame
        ``topic`` (1..n_topics), ``term``, ``weight`` (NMF component loading), ``rank``;
        at most ``top`` terms per topic, leaving out loadings below 0.1% of the topic's
        largest (numerical residue).
    doc_topics : DataFrame
        ``report_id``, ``item``, ``topic``, ``weight`` (the document's loading on the topic),
        one row per document and topic.
    model : sklearn.decomposition.NMF
        The fitted model.
    vectorizer : sklearn.feature_extraction.text.TfidfVectorizer
        The fitted vectorizer (``get_feature_names_out()`` gives the terms).
    """

    topic_terms: pd.DataFrame
    doc_topics: pd.DataFrame
    model: Any
    vectorizer: Any


def topic_model(
    corpus: Any,
    *,
    part: str = "shortcomings",
    tokenizer: TokenizerLike = None,
    n_topics: int,
    random_state: int | None = 0,
    top: int = 10,
    max_iter: int = 1000,
    **vectorizer_kwargs: Any,
) -> TopicModelResult:
    """Topics of a part's documents by non-negative matrix factorisation of their TF-IDF.

    Meant for corpora of many reports; on a handful, :func:`themes` reads better. Documents
    are not grouped, so there is no ``by``; join ``doc_topics`` to ``corpus.reports`` on
    report_id to compare groups.

    Parameters
    ----------
    corpus : Corpus
    part : str, default "shortcomings"
        See :func:`documents`; each item (or section) is one document.
    tokenizer : None, TokenizerOptions, Tokenizer or callable, optional
        As for :func:`tfidf_profiles`.
    n_topics : int
        Number of topics (required), at most the number of documents and of terms.
    random_state : int or None, default 0
        Seed of the NMF initialisation (``init="nndsvda"``); a fixed seed gives the same
        topics every run.
    top : int, default 10
        Terms listed per topic.
    max_iter : int, default 1000
        NMF iterations.
    **vectorizer_kwargs
        TfidfVectorizer parameters (defaults in :data:`TFIDF_DEFAULTS`; min_df/max_df count
        documents here).

    Returns
    -------
    TopicModelResult
    """
    from sklearn.decomposition import NMF

    if not isinstance(n_topics, (int, np.integer)) or n_topics < 1:
        raise ValueError(f"The value for `n_topics` must be a positive integer; got {n_topics!r}.")
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"The value for `top` must be a positive integer; got {top!r}.")
    docs = documents(corpus, part, tokens=True, tokenizer=tokenizer)
    if docs.empty:
        raise ValueError(f"The corpus has no {part} documents to model.")
    vec = _vectorizer(tokenizer, vectorizer_kwargs)
    x = vec.fit_transform(docs["tokens"].tolist())
    limit = min(x.shape)
    if n_topics > limit:
        raise ValueError(
            f"The value for `n_topics` must be at most {limit} (the number of documents, "
            f"{x.shape[0]}, or of terms, {x.shape[1]}, whichever is smaller); got {n_topics}."
        )
    model = NMF(n_components=n_topics, init="nndsvda", random_state=random_state,
                max_iter=max_iter)
    w = model.fit_transform(x)
    terms = vec.get_feature_names_out()
    rows = []
    for k, comp in enumerate(model.components_):
        floor = comp.max() * 1e-3 if comp.size else 0.0
        order = sorted(np.flatnonzero((comp > 0) & (comp >= floor)),
                       key=lambda j: (-comp[j], terms[j]))[:top]
        rows += [
            {"topic": k + 1, "term": terms[j], "weight": float(comp[j]), "rank": r}
            for r, j in enumerate(order, start=1)
        ]
    topic_terms = pd.DataFrame(rows, columns=["topic", "term", "weight", "rank"])
    doc_topics = pd.DataFrame(
        {
            "report_id": np.repeat(docs["report_id"].to_numpy(), n_topics),
            "item": np.repeat(docs["item"].to_numpy(), n_topics),
            "topic": np.tile(np.arange(1, n_topics + 1), len(docs)),
            "weight": w.ravel(),
        }
    )
    return TopicModelResult(topic_terms, doc_topics, model, vec)


# -- themes --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _themes_table() -> pd.DataFrame:
    text = resource_files.read_text("themes.csv")
    table = pd.read_csv(io.StringIO(text), comment="#", dtype=str, skipinitialspace=True)
    table = table.dropna(subset=["theme", "pattern"]).fillna({"note": ""})
    for col in ("theme", "pattern"):
        table[col] = table[col].str.strip()
    return table.reset_index(drop=True)


def load_themes() -> pd.DataFrame:
    """The bundled theme dictionary (``resources/themes.csv``).

    Returns
    -------
    DataFrame
        ``theme``, ``pattern`` (a Python regular expression matched against the item text),
        ``note``. A theme has one row per pattern.
    """
    return _themes_table().copy()


@functools.lru_cache(maxsize=None)
def _compiled(patterns: tuple[tuple[str, str], ...]) -> tuple[tuple[str, re.Pattern], ...]:
    out = []
    for theme, pattern in patterns:
        try:
            out.append((theme, re.compile(pattern)))
        except re.error as exc:
            raise ValueError(f"Bad pattern {pattern!r} for theme {theme!r}: {exc}.") from exc
    return tuple(out)


@dataclass
class ThemeResult:
    """Themes of a part's items and their shares by group.

    Attributes
    ----------
    matches : DataFrame
        ``report_id``, ``item``, ``theme``, ``term`` (the text matched), ``start``, ``end``
        (offsets into the item's ``text``: ``text[start:end] == term``), ``pattern``; and,
        when the items carry their own offsets, ``report_start``/``report_end`` into the
        report's clean text.
    items : DataFrame
        ``report_id``, ``item``, ``theme``, ``terms`` (the distinct matched terms, joined by
        "、"), ``n_matches``: one row per item and theme it has.
    shares : DataFrame
        ``group``, ``theme``, ``n_items`` (items of the group with the theme), ``group_items``
        (items in the group), ``share`` (n_items / group_items); every group × theme.
    unmatched : DataFrame
        ``report_id``, ``item``, ``text`` of the items no theme matched.
    """

    matches: pd.DataFrame
    items: pd.DataFrame
    shares: pd.DataFrame
    unmatched: pd.DataFrame


def themes(
    corpus: Any,
    *,
    part: str = "shortcomings",
    by: str = "jurisdiction",
    dictionary: pd.DataFrame | None = None,
) -> ThemeResult:
    """Give each item its themes (from a dictionary of patterns) and each group its theme shares.

    Parameters
    ----------
    corpus : Corpus
    part : str, default "shortcomings"
        See :func:`documents`.
    by : str, default "jurisdiction"
        A column of ``corpus.reports`` to group the shares by.
    dictionary : DataFrame, optional
        ``theme`` and ``pattern`` columns (regular expressions); the bundled
        :func:`load_themes` by default. An item can have several themes.

    Returns
    -------
    ThemeResult
    """
    compiled, theme_names = _theme_patterns(dictionary)
    docs = _grouped(corpus, part, by)

    # the matches gathered by column (a row of ``matches`` costs its values, not a dict)
    cols: dict[str, list[Any]] = {c: [] for c in ("report_id", "item", "theme", "term", "start", "end",
                                                  "pattern", "report_start", "report_end")}
    per_item: list[tuple[Any, Any, str, str, int]] = []     # one row of ``items`` per item and theme
    located = "start" in docs.columns
    for doc in docs.itertuples(index=False):
        offset = getattr(doc, "start", None) if located else None
        offset = int(offset) if offset is not None and pd.notna(offset) else None
        for theme, kept in _theme_spans(doc.text, compiled).items():
            per_item.append((doc.report_id, doc.item, theme,
                             "、".join(dict.fromkeys(doc.text[a:b] for a, b, _ in kept)), len(kept)))
            for start, end, pattern in kept:
                for c, v in (("report_id", doc.report_id), ("item", doc.item), ("theme", theme),
                             ("term", doc.text[start:end]), ("start", start), ("end", end), ("pattern", pattern),
                             ("report_start", None if offset is None else offset + start),
                             ("report_end", None if offset is None else offset + end)):
                    cols[c].append(v)

    match_cols = ["report_id", "item", "theme", "term", "start", "end", "pattern"]
    # report offsets only where an item has its own (missing where another has none)
    for c in ("report_start", "report_end"):
        values = cols[c]
        if all(v is None for v in values):
            del cols[c]
        elif any(v is None for v in values):
            cols[c] = [np.nan if v is None else v for v in values]
    matches = pd.DataFrame(cols) if cols["report_id"] else pd.DataFrame(columns=match_cols)
    del cols
    theme_rank = {t: i for i, t in enumerate(theme_names)}
    matches = matches.sort_values(
        ["report_id", "item", "theme", "start"],
        key=lambda s: s.map(theme_rank) if s.name == "theme" else s,
        kind="stable",
    ).reset_index(drop=True)

    # the terms of an item and theme in the order found (their spans sorted), as the matches are
    items = pd.DataFrame(per_item, columns=["report_id", "item", "theme", "terms", "n_matches"])
    if len(items):
        items = items.sort_values(
            ["report_id", "item", "theme"],
            key=lambda s: s.map(theme_rank) if s.name == "theme" else s,
            kind="stable",
        ).reset_index(drop=True)
    shares = _shares(docs, items, theme_names)

    has_theme = set(zip(items["report_id"], items["item"]))
    unmatched = docs.loc[
        [(r, i) not in has_theme for r, i in zip(docs["report_id"], docs["item"])],
        ["report_id", "item", "text"],
    ].reset_index(drop=True)
    if len(unmatched):
        LOGGER.info("%d of %d %s items match no theme.", len(unmatched), len(docs), part)
    return ThemeResult(matches, items, shares, unmatched)


def theme_shares(
    corpus: Any,
    *,
    part: str = "shortcomings",
    by: str = "jurisdiction",
    dictionary: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ``shares`` of :func:`themes` alone (what the theme heatmap draws): the items' themes
    are found as there, without keeping each match.

    Parameters and the table as for :func:`themes`.
    """
    compiled, theme_names = _theme_patterns(dictionary)
    docs = _grouped(corpus, part, by)
    found = [(doc.report_id, doc.item, theme) for doc in docs[["report_id", "item", "text"]].itertuples(index=False)
             for theme in _theme_spans(doc.text, compiled)]
    theme_rank = {t: i for i, t in enumerate(theme_names)}
    items = pd.DataFrame(found, columns=["report_id", "item", "theme"])
    if len(items):
        items = items.sort_values(
            ["report_id", "item", "theme"],
            key=lambda s: s.map(theme_rank) if s.name == "theme" else s,
            kind="stable",
        ).reset_index(drop=True)
    return _shares(docs, items, theme_names)


def _theme_patterns(dictionary: pd.DataFrame | None) -> tuple[tuple[tuple[str, re.Pattern], ...], list[str]]:
    """The compiled (theme, pattern) pairs of ``dictionary`` (the bundled one by default), and the themes."""
    table = load_themes() if dictionary is None else dictionary
    _check_columns(table, "dictionary", ("theme", "pattern"))
    compiled = _compiled(tuple(zip(table["theme"].astype(str), table["pattern"].astype(str))))
    return compiled, list(dict.fromkeys(t for t, _ in compiled))


def _theme_spans(text: str, compiled: tuple[tuple[str, re.Pattern], ...]) -> dict[str, list[tuple[int, int, str]]]:
    """Each theme found in ``text`` → its matches (start, end, pattern) in order, a match lying
    inside a longer match of the same theme left out."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    for theme, rx in compiled:
        for m in rx.finditer(text):
            if m.end() > m.start():
                found.setdefault(theme, []).append((m.start(), m.end(), rx.pattern))
    out = {}
    for theme, spans in found.items():
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept: list[tuple[int, int, str]] = []
        for s in spans:
            if kept and s[0] >= kept[-1][0] and s[1] <= kept[-1][1]:
                continue
            kept.append(s)
        out[theme] = kept
    return out


def _shares(docs: pd.DataFrame, items: pd.DataFrame, theme_names: list[str]) -> pd.DataFrame:
    """Every group × theme: the group's items with the theme, its items, and the share."""
    keys = docs[["report_id", "item", "group"]]
    tagged = keys.merge(items[["report_id", "item", "theme"]], on=["report_id", "item"])
    counts = tagged.groupby(["group", "theme"]).size()
    sizes = keys.groupby("group").size()
    groups = _group_order(keys["group"])
    grid = pd.MultiIndex.from_product([groups, theme_names], names=["group", "theme"])
    shares = pd.DataFrame(index=grid).reset_index()
    shares["n_items"] = [int(counts.get((g, t), 0)) for g, t in grid]
    shares["group_items"] = [int(sizes[g]) for g, _ in grid]
    shares["share"] = shares["n_items"] / shares["group_items"]
    return shares
