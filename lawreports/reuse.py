"""Text reuse: did a government write its report, or copy last year's (or its county's template)?

:func:`reuse` finds near-duplicate texts between reports at three levels (``scope``): the whole
report, each of the five parts, and each shortcoming item. It stays near-linear in the number of
reports, in three steps:

1. every document becomes the set of its character 5-grams (whitespace dropped, every digit
   masked as 0, so a passage copied with new numbers still counts), hashed and summarised by a
   ``datasketch`` MinHash; a ``MinHashLSH`` index per scope proposes candidate pairs, so no
   document is compared with every other one;
2. the candidates' exact Jaccard similarity and containment are computed from the 5-gram sets;
   pairs at or above ``threshold`` are kept;
3. only on those pairs, the equal blocks of an alignment of the two texts find the shared
   passages of at least ``min_span`` characters, with their offsets in both reports' clean texts
   (``text[a_start:a_end]`` of report_a, ``text[b_start:b_end]`` of report_b). The alignment is
   ``rapidfuzz``'s (``Indel.opcodes``: a longest common subsequence, in C++); on the 35,730
   pairs a build of 2,000 varied reports compares, its blocks of 20 characters or more are those
   of :meth:`difflib.SequenceMatcher.get_matching_blocks`, in a thirteenth of the time.

A 5-gram shared by a great many documents (a boilerplate item such as 法治宣传教育有待加强)
would make every one of them a candidate of every other: ``max_candidates`` caps the candidates
of one document, preferring the same unit's other years and other units of the same year (the
pairs :func:`reuse_measures` needs), and the number of candidates left out is logged.

:func:`reuse_measures` turns the passages into one row per report: the share of its shortcomings
text found in the same unit's previous report, and in another unit's report of the same year (a
template passed down a level).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from datasketch import MinHash, MinHashLSH
from rapidfuzz.distance import Indel

from . import schema
from ._inputs import _has_table, _table, _texts

LOGGER = logging.getLogger(__name__)

__all__ = ["SCOPES", "COLUMNS", "reuse", "reuse_measures", "write_reuse"]

#: Levels at which texts are compared: the whole report, each part, each shortcoming item.
SCOPES = ("report", *schema.PARTS, "shortcoming_item")
#: Columns of the table :func:`reuse` returns (documented in :mod:`lawreports.schema`).
COLUMNS = tuple(schema.columns("reuse"))
#: The order of its rows.
ORDER = ("scope", "report_a", "report_b", "item_a", "item_b", "span")
SHINGLE = 5
_MASK = str.maketrans("0123456789", "0000000000")
_SPACE = str.maketrans("", "", " \t\n\r\u3000\xa0")
_PRIME = np.uint64(1_000_003)
_SEP = "\n"


@dataclass(slots=True)
class _Doc:
    report_id: str
    scope: str
    item: int | None
    original: str                               # as written
    pieces: list[tuple[int, int, int]] = field(default_factory=list)   # (doc_start, src_start, length)
    shingles: np.ndarray | None = None

    @property
    def text(self) -> str:
        """The text compared: digits masked (same length as ``original``), made when needed."""
        return self.original.translate(_MASK)


def _shingles(text: str, k: int = SHINGLE) -> np.ndarray:
    """Sorted unique 32-bit hashes of the character k-grams of ``text`` without whitespace."""
    compact = text.translate(_SPACE)
    if len(compact) < k:
        return np.empty(0, dtype=np.uint32)
    cps = np.frombuffer(compact.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(len(cps) - k + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            h = h * _PRIME + cps[i: len(cps) - k + 1 + i]
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    return np.unique(h & np.uint64(0xFFFFFFFF)).astype(np.uint32)      # half the memory, same values


def _documents(corpus: Any, scopes: Sequence[str], min_chars: int) -> list[_Doc]:
    docs: list[_Doc] = []
    if "report" in scopes:
        for rid, text in _texts(corpus).items():
            docs.append(_Doc(rid, "report", None, text, [(0, 0, len(text))]))
    parts = [s for s in scopes if s in schema.PARTS]
    if parts:
        from .topics import documents

        for part in parts:
            runs = documents(corpus, part)
            starts = runs["start"].tolist() if "start" in runs.columns else [None] * len(runs)
            grouped: dict[str, list[tuple[str, Any]]] = {}
            for rid, text, start in zip(runs["report_id"].astype(str).tolist(), runs["text"].tolist(), starts):
                grouped.setdefault(rid, []).append((str(text), start))
            for rid, group in grouped.items():
                pieces, chunks, pos = [], [], 0
                for text, start in group:
                    if start is not None and not pd.isna(start):
                        pieces.append((pos, int(start), len(text)))
                    chunks.append(text)
                    pos += len(text) + len(_SEP)
                joined = _SEP.join(chunks)
                docs.append(_Doc(rid, part, None, joined, pieces))
    if "shortcoming_item" in scopes:
        items = _table(corpus, "shortcomings", required=("report_id", "item", "text"))
        starts = items["start"].tolist() if "start" in items.columns else [None] * len(items)
        for rid, item, text, start in zip(items["report_id"].astype(str).tolist(), items["item"].tolist(),
                                          items["text"].tolist(), starts):
            text = "" if text is None or pd.isna(text) else str(text)
            pieces = [] if start is None or pd.isna(start) else [(0, int(start), len(text))]
            docs.append(_Doc(rid, "shortcoming_item", int(item), text, pieces))
    return [d for d in docs if len(d.original.translate(_SPACE)) >= max(min_chars, SHINGLE)]


def _order(reports: pd.DataFrame) -> dict[str, tuple]:
    """report_id → sort key: earlier report year, then earlier publication, then report_id."""
    out = {}
    used = [c for c in ("report_id", "report_year", "published") if c in reports.columns]
    for rec in reports[used].to_dict("records"):
        year = rec.get("report_year")
        pub = rec.get("published")
        out[str(rec["report_id"])] = (
            10**6 if year is None or pd.isna(year) else int(year),
            pd.Timestamp.max if pub is None or pd.isna(pub) else pd.Timestamp(pub),
            str(rec["report_id"]))
    return out


def _to_source(pieces: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, int] | None:
    """Source offsets of doc[start:end], if the run lies inside one piece."""
    for doc_start, src_start, length in pieces:
        if doc_start <= start and end <= doc_start + length:
            return src_start + start - doc_start, src_start + end - doc_start
    return None


def _cuts(pieces: list[tuple[int, int, int]], start: int, end: int) -> set[int]:
    cuts = set()
    for doc_start, _, length in pieces:
        for edge in (doc_start, doc_start + length):
            if start < edge < end:
                cuts.add(edge - start)
    return cuts


def _spans(a: _Doc, b: _Doc, min_span: int) -> list[tuple[int, int, int, int, str]]:
    """Shared passages of at least ``min_span`` characters: (a_start, a_end, b_start, b_end) in the
    sources, and the passage as ``a`` writes it."""
    out = []
    for op in Indel.opcodes(a.text, b.text):
        size = op.src_end - op.src_start
        if op.tag != "equal" or size < min_span:
            continue
        i, j = op.src_start, op.dest_start
        cuts = sorted({0, size} | _cuts(a.pieces, i, i + size) | _cuts(b.pieces, j, j + size))
        for lo, hi in zip(cuts, cuts[1:]):
            if hi - lo < min_span:
                continue
            src_a = _to_source(a.pieces, i + lo, i + hi)
            src_b = _to_source(b.pieces, j + lo, j + hi)
            if src_a and src_b:
                out.append((*src_a, *src_b, a.original[i + lo: i + hi]))
    return out


def reuse(corpus: Any, *, scopes: Sequence[str] = SCOPES, threshold: float = 0.5, lsh_threshold: float = 0.3,
          min_span: int = 20, min_chars: int = 12, num_perm: int = 64, max_candidates: int = 100,
          seed: int = 1, cache: dict | None = None, jobs: int = 1) -> pd.DataFrame:
    """Near-duplicate texts between reports, with the passages they share.

    Parameters
    ----------
    corpus : Corpus or mapping of tables
        Needs ``reports`` and, for the scopes asked for, the clean texts (``texts`` table or
        ``documents``), ``sections`` (parts) and ``shortcomings`` (items, and the shortcomings part).
    scopes : sequence of str
        Among :data:`SCOPES`: ``report``, the parts (``achievements``, ``shortcomings``,
        ``responsibility``, ``plans``, ``other``) and ``shortcoming_item``.
    threshold : float, default 0.5
        A pair is kept when its Jaccard similarity or either containment reaches it.
    lsh_threshold : float, default 0.3
        The Jaccard similarity the LSH index is tuned for (candidates); below ``threshold`` so
        pairs near it are not missed.
    min_span : int, default 20
        Shortest shared passage reported, in characters.
    min_chars : int, default 12
        Documents shorter than this (without whitespace) are not compared.
    num_perm : int, default 64
        MinHash permutations.
    max_candidates : int, default 100
        Most candidates of one document (see the module docstring).
    seed : int
        Seed of the MinHash permutations (the result is the same for the same seed).
    cache : dict, optional
        Results kept between calls (a build keeps it with its dataset): each document's
        signature bands by its content, each compared pair's rows by both documents' content
        and place in the order. Filled with what this call used (and only that), so a call after
        one report changed compares only the pairs that changed. The table is the same with or
        without it.
    jobs : int, default 1
        Scopes compared at once, each in a forked worker process (on Linux, where forking a
        process that holds the corpus is cheap and safe; without a ``cache``); the table is the same.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`, one row per shared passage (a similar pair without a passage of
        ``min_span`` characters has one row with missing offsets). ``report_a`` is the earlier
        report (report year, then publication date, then report_id).
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="lawreports-reuse-") as folder:
        started = time.perf_counter()
        results = _compare_scopes(corpus, folder, scopes=scopes, threshold=threshold, lsh_threshold=lsh_threshold,
                                  min_span=min_span, min_chars=min_chars, num_perm=num_perm,
                                  max_candidates=max_candidates, seed=seed, cache=cache, jobs=jobs)
        # each scope's rows are sorted where they were found: the scopes in order of their names
        tables = [r.table if r.path is None else _read_rows(r.path) for r in results] or [_Rows().table()]
    for r in results:
        r.table = None                                  # the rows are held once, by the frame
    table = pa.concat_tables(tables)
    del tables
    LOGGER.info("reuse: %d documents, %d rows in %.1f s", sum(r.n_docs for r in results), len(table),
                time.perf_counter() - started)
    from .dataset import pandas_types

    frame = table.to_pandas(types_mapper=pandas_types)
    del table                                          # a worker's numbers file is let go here
    pa.default_memory_pool().release_unused()          # and what converting the rows freed is given back
    return schema.coerce("reuse", frame)


def write_reuse(corpus: Any, path: str | os.PathLike[str], **options: Any) -> int:
    """:func:`reuse`'s table written to the parquet file ``path``, as ``DataFrame.to_parquet``
    writes the frame :func:`reuse` returns (the same columns, types and rows): the rows go from
    where they were found (a worker's files) to the file a batch at a time, and are never held
    whole. ``options`` as for :func:`reuse`. Returns the number of rows.
    """
    import tempfile

    import pyarrow.parquet as pq

    target = pa.Schema.from_pandas(schema.empty_frame("reuse"), preserve_index=False)
    n = 0
    with tempfile.TemporaryDirectory(prefix="lawreports-reuse-") as folder:
        started = time.perf_counter()
        results = _compare_scopes(corpus, folder, **options)
        with pq.ParquetWriter(path, target) as writer:
            for r in results:
                for batch in _batches(r):
                    writer.write_table(pa.Table.from_batches([batch]).cast(target))
                    n += batch.num_rows
                r.table = None
    LOGGER.info("reuse: %d documents, %d rows in %.1f s", sum(r.n_docs for r in results), n,
                time.perf_counter() - started)
    pa.default_memory_pool().release_unused()
    return n


def _check_options(*, scopes: Sequence[str] = SCOPES, threshold: float = 0.5, lsh_threshold: float = 0.3,
                   **_: Any) -> None:
    bad = [s for s in scopes if s not in SCOPES]
    if bad or isinstance(scopes, str):
        raise ValueError(f"The value for `scopes` must be a list among {list(SCOPES)}, not {scopes!r}")
    if not 0 < lsh_threshold <= threshold <= 1:
        raise ValueError("`lsh_threshold` and `threshold` must satisfy 0 < lsh_threshold <= threshold <= 1, "
                         f"not {lsh_threshold!r} and {threshold!r}")


def _compare_scopes(corpus: Any, folder: str, *, scopes: Sequence[str] = SCOPES, threshold: float = 0.5,
                    lsh_threshold: float = 0.3, min_span: int = 20, min_chars: int = 12, num_perm: int = 64,
                    max_candidates: int = 100, seed: int = 1, cache: dict | None = None,
                    jobs: int = 1) -> list[_Found]:
    """What each scope found (:func:`reuse`'s parameters), in order of the scopes' names: its rows
    in memory, or in the Arrow files a worker wrote in ``folder``; ``cache`` filled."""
    _check_options(scopes=scopes, threshold=threshold, lsh_threshold=lsh_threshold)
    reports = _table(corpus, "reports", required=("report_id",))
    order = _order(reports)
    unit = {}
    if len(reports):
        from .panel import unit_ids

        units = unit_ids(reports)
        unit = dict(zip(units["report_id"].astype(str), units["unit_id"]))
    old = cache or {}
    work = _Work(corpus, min_chars, unit, order, threshold, lsh_threshold, min_span, num_perm, seed,
                 max_candidates, old.get("bands", {}), old.get("pairs", {}), cache is not None)
    scopes = list(dict.fromkeys(scopes))
    if jobs > 1 and cache is None and len(scopes) > 1 and sys.platform.startswith("linux"):
        results = _in_workers(work, scopes, jobs, folder)
    else:
        results = [work.scope(s) for s in scopes]
    n_capped = sum(r.n_capped for r in results)
    if cache is not None:
        cache.clear()
        cache.update(bands={k: v for r in results for k, v in r.bands.items()},
                     pairs={k: v for r in results for k, v in r.pairs.items()})
    if n_capped:
        LOGGER.warning("reuse: %d documents had more candidates than max_candidates=%d; the others were not "
                       "compared (boilerplate shared by many reports)", n_capped, max_candidates)
    return sorted(results, key=lambda r: r.scope)


@dataclass
class _Found:
    """What :meth:`_Work.scope` found in one scope."""

    scope: str
    table: pa.Table | None                                 # sorted by :data:`ORDER`
    n_docs: int
    n_capped: int                                          # documents whose candidates were capped
    bands: dict[bytes, Any] = field(default_factory=dict)  # to cache
    pairs: dict[bytes, list[dict[str, Any]]] = field(default_factory=dict)
    path: str | None = None                                # the rows a worker wrote (:func:`_run_forked`)


@dataclass
class _Work:
    """What comparing the documents of one scope needs: :meth:`scope` runs it, in this process or
    in a forked worker, which inherits it (and makes only its scope's documents)."""

    corpus: Any
    min_chars: int
    unit: dict[str, Any]
    order: dict[str, tuple]
    threshold: float
    lsh_threshold: float
    min_span: int
    num_perm: int
    seed: int
    max_candidates: int
    old_bands: dict[bytes, Any]
    old_pairs: dict[bytes, list[dict[str, Any]]]
    cached: bool

    def scope(self, scope: str) -> _Found:
        """The rows of ``scope`` (sorted by :data:`ORDER`), and what to cache."""
        found, order = self.unsorted(scope)
        found.table = found.table.take(order)
        return found

    def unsorted(self, scope: str) -> tuple[_Found, pa.Array]:
        """The rows of ``scope`` as found, and the indices that sort them by :data:`ORDER`."""
        unit, order, cached = self.unit, self.order, self.cached
        num_perm, seed = self.num_perm, self.seed
        template = MinHash(num_perm=num_perm, seed=seed)
        permutations, hash_scheme = template.permutations, template.scheme       # drawn once, shared
        m = MinHash(num_perm=num_perm, seed=seed, hashfunc=int, permutations=permutations, scheme=hash_scheme)
        params = repr((self.threshold, self.lsh_threshold, self.min_span, num_perm, seed)).encode()
        rows = _Rows()
        n_capped = 0
        new_bands: dict[bytes, Any] = {}
        new_pairs: dict[bytes, list[dict[str, Any]]] = {}
        scoped = _documents(self.corpus, [scope], self.min_chars)
        ranges = MinHashLSH(threshold=self.lsh_threshold, num_perm=num_perm).hashranges    # its bands
        index = _Candidates()
        digests = [_digest(d, params) for d in scoped] if cached else []
        for key, doc in enumerate(scoped):
            bands = self.old_bands.get(digests[key]) if cached else None
            if bands is None:
                doc.shingles = _shingles(doc.text)
                if not len(doc.shingles):
                    continue
                m.clear()
                m.update_batch(doc.shingles.tolist())
                bands = [(i, m.hashvalues[a:b].tobytes()) for i, (a, b) in enumerate(ranges)]
            if cached:
                new_bands[digests[key]] = bands
            year = order.get(doc.report_id, (None,))[0]
            found, capped = index.best(bands, doc.report_id, unit.get(doc.report_id), year, scoped, unit, order,
                                       self.max_candidates)
            n_capped += capped
            index.add(bands, key, unit.get(doc.report_id), year)
            for k in found:
                pair = b""
                if cached:
                    pair = digests[k] + digests[key] + repr((order.get(scoped[k].report_id),
                                                             order.get(doc.report_id))).encode()
                    got = self.old_pairs.get(pair)
                    if got is not None:
                        new_pairs[pair] = got
                        rows += got
                        continue
                # each document's shingles are made once and held while its scope is compared
                other = scoped[k]
                if doc.shingles is None:
                    doc.shingles = _shingles(doc.text)
                if other.shingles is None:
                    other.shingles = _shingles(other.text)
                got = _compare(other, doc, order, self.threshold, self.min_span)
                if cached:
                    new_pairs[pair] = got
                rows += got
        table = rows.table()
        order = pc.sort_indices(table, [(c, "ascending") for c in ORDER])     # missing values last
        return _Found(scope, table, len(scoped), n_capped, new_bands, new_pairs), order


#: The work forked workers inherit (set just before they are started, cleared after).
_FORKED: _Work | None = None


def _run_forked(scope: str, folder: str) -> tuple[str, int, int]:
    """Compare ``scope`` of the inherited work; write its rows, sorted, to two Arrow files in
    ``folder`` (the text columns and the numbers, :func:`_read_rows`) a slice at a time: the sorted
    rows are never held whole beside the found ones."""
    assert _FORKED is not None
    found, order = _FORKED.unsorted(scope)
    out = os.path.join(folder, f"{scope}.arrow")
    table = found.table
    for suffix, names in zip((".text", ".numbers"), _split_columns(table.schema)):
        part = table.select(names)
        with pa.ipc.new_file(f"{out}{suffix}", part.schema) as writer:
            for i in range(0, len(order), _Rows.BATCH):
                writer.write_table(part.take(order[i:i + _Rows.BATCH]))
    return out, found.n_docs, found.n_capped


def _split_columns(schema: pa.Schema) -> tuple[list[str], list[str]]:
    """The string columns of the rows, and the others (numbers)."""
    text = [f.name for f in schema if pa.types.is_string(f.type)]
    return text, [f.name for f in schema if f.name not in text]


def _read_rows(out: str) -> pa.Table:
    """The rows a worker wrote (:func:`_run_forked`), both files mapped: the text is read where it is
    used, the numbers once as they are converted (a file of their own, whose pages are let go
    with its table, not kept as long as the text is)."""
    text, numbers = (pa.ipc.open_file(pa.memory_map(f"{out}{suffix}")).read_all()
                     for suffix in (".text", ".numbers"))
    names = [*text.column_names, *numbers.column_names]
    table = pa.table([*text.columns, *numbers.columns], names=names)
    return table.select([c for c in COLUMNS if c in names])


def _batches(found: _Found) -> Any:
    """The rows of ``found`` as record batches of the columns :data:`COLUMNS`, in order: from a
    worker's two files (:func:`_run_forked`) a batch of each at a time, read rather than mapped, so
    that what was read is let go with its batch."""
    if found.path is None:
        yield from found.table.to_batches()
        return
    with pa.OSFile(f"{found.path}.text") as text_file, pa.OSFile(f"{found.path}.numbers") as numbers_file:
        text, numbers = pa.ipc.open_file(text_file), pa.ipc.open_file(numbers_file)
        names = [*text.schema.names, *numbers.schema.names]
        chosen = [names.index(c) for c in COLUMNS if c in names]
        a = b = None
        i = j = 0
        while True:
            # the same rows in both files, not necessarily cut into the same batches
            while (a is None or not a.num_rows) and i < text.num_record_batches:
                a, i = text.get_batch(i), i + 1
            while (b is None or not b.num_rows) and j < numbers.num_record_batches:
                b, j = numbers.get_batch(j), j + 1
            if a is None or b is None or not (a.num_rows and b.num_rows):
                return
            n = min(a.num_rows, b.num_rows)
            columns = [*a.slice(0, n).columns, *b.slice(0, n).columns]
            yield pa.RecordBatch.from_arrays([columns[k] for k in chosen], names=[names[k] for k in chosen])
            a, b = a.slice(n), b.slice(n)


def _in_workers(work: _Work, scopes: list[str], jobs: int, folder: str) -> list[_Found]:
    """:meth:`_Work.scope` of each scope in forked worker processes, at most ``jobs`` at a time.

    Each worker writes its rows to Arrow files in ``folder`` (:attr:`_Found.path`), which this
    process reads or maps (:func:`_batches`, :func:`_read_rows`): the rows are neither copied
    through a pipe nor held twice.
    A worker that dies (killed for its memory) is said, and its scope is compared in this process.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _FORKED
    _FORKED = work
    pa.default_memory_pool().release_unused()      # the memory Arrow holds free is not inherited
    try:
        with ProcessPoolExecutor(min(jobs, len(scopes)), mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_run_forked, s, folder) for s in scopes]
        found = []
        for scope, future in zip(scopes, futures):
            try:
                out, n_docs, n_capped = future.result()
            except BrokenProcessPool as exc:
                LOGGER.warning("reuse: a worker died before %s was compared (%s); compared in this process",
                               scope, exc)
                found.append(work.scope(scope))
                continue
            found.append(_Found(scope, None, n_docs, n_capped, path=out))
        return found
    finally:
        _FORKED = None


class _Rows:
    """The rows :func:`reuse` finds, kept as Arrow record batches of :attr:`BATCH` rows: a
    passage costs its values, not a Python dict (460,000 rows for 20,000 reports)."""

    BATCH = 50_000
    _TYPES = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}

    def __init__(self) -> None:
        kinds = {c: k for c, k, _ in schema.DERIVED_TABLES["reuse"]}
        self.schema = pa.schema([(c, self._TYPES[kinds[c]]) for c in COLUMNS])
        self.batches: list[pa.RecordBatch] = []
        self.pending: list[dict[str, Any]] = []

    def __iadd__(self, found: list[dict[str, Any]]) -> _Rows:
        self.pending += found
        if len(self.pending) >= self.BATCH:
            self._flush()
        return self

    def _flush(self) -> None:
        if self.pending:
            self.batches.append(pa.RecordBatch.from_pylist(self.pending, schema=self.schema))
            self.pending = []

    def table(self) -> pa.Table:
        self._flush()
        return pa.Table.from_batches(self.batches, schema=self.schema)


def _digest(doc: _Doc, params: bytes) -> bytes:
    """What a document's signature and comparisons depend on: its text, pieces, report, item, scope."""
    import hashlib

    h = hashlib.blake2b(params, digest_size=16)
    h.update(repr((doc.report_id, doc.scope, doc.item, doc.pieces)).encode())
    h.update(doc.original.encode("utf-8", "surrogatepass"))
    return h.digest()


class _Candidates:
    """The LSH index of one scope: documents by band (a pair is a candidate when a band of their
    MinHash signatures is equal, as in ``datasketch.MinHashLSH``), each list in insertion order.

    :meth:`best` gives the ``n`` earlier candidates of a document that rank first (the same
    unit's other reports, then other units' reports of the same year, then the others; earlier
    documents first), reading only as far down each list as it needs: a band thousands of
    near-copies share costs what the ``n`` candidates taken cost, not the thousands. A band held
    by more than :attr:`SPLIT` documents is also listed by unit and by report year, so that the
    same unit's and the same year's documents are found without reading the whole list; a band
    of fewer is filtered as it is (the same lists, in the same order). Most bands belong to one
    document: each is one entry of one dict, the document's key itself rather than a list.
    """

    #: Documents of one band above which it is also listed by unit and by report year.
    SPLIT = 32

    def __init__(self) -> None:
        self.by_band: dict[bytes, int | list[int]] = {}
        self.split: dict[bytes, tuple[dict[Any, list[int]], dict[Any, list[int]]]] = {}
        self.unit_of: list[Any] = []
        self.year_of: list[Any] = []

    @staticmethod
    def _key(band: tuple[int, bytes]) -> bytes:
        return band[1] + band[0].to_bytes(2, "little")

    def add(self, bands: list[tuple[int, bytes]], key: int, unit: Any, year: Any) -> None:
        while len(self.unit_of) <= key:
            self.unit_of.append(None)
            self.year_of.append(None)
        self.unit_of[key], self.year_of[key] = unit, year
        for band in bands:
            b = self._key(band)
            found = self.by_band.get(b)
            if found is None:
                self.by_band[b] = key
                continue
            if isinstance(found, int):
                found = self.by_band[b] = [found]
            found.append(key)
            split = self.split.get(b)
            if split is not None:
                split[0].setdefault(unit, []).append(key)
                split[1].setdefault(year, []).append(key)
            elif len(found) > self.SPLIT:
                units: dict[Any, list[int]] = {}
                years: dict[Any, list[int]] = {}
                for k in found:
                    units.setdefault(self.unit_of[k], []).append(k)
                    years.setdefault(self.year_of[k], []).append(k)
                self.split[b] = (units, years)

    def best(self, bands: list[tuple[int, bytes]], report_id: str, unit: Any, year: Any, docs: list[_Doc],
             units: dict[str, Any], order: dict[str, tuple], n: int) -> tuple[list[int], int]:
        """The first ``n`` candidates by rank, and 1 when more were left out (else 0).

        Each level reads, in ascending order and each document once, the documents of the
        document's bands that are of its unit (level 0), of its year (level 1), or any (level 2),
        and takes those of that rank: the bands of at most :attr:`SPLIT` documents as one sorted
        set, the larger ones' lists as far down as the documents it may read.
        """
        import heapq

        def rank(k: int) -> int:
            other = docs[k].report_id
            return 0 if units.get(other) == unit else 1 if order.get(other, (None,))[0] == year else 2

        small: set[int] = set()
        large: list[tuple[dict[Any, list[int]], dict[Any, list[int]], list[int]]] = []
        for b in bands:
            b = self._key(b)
            found = self.by_band.get(b)
            if found is None:
                continue
            if isinstance(found, int):
                small.add(found)
                continue
            split = self.split.get(b)
            if split is None:
                small.update(found)
            else:
                large.append((*split, found))
        if not small and not large:
            return [], 0
        members = sorted(small)
        unit_of, year_of = self.unit_of, self.year_of
        levels = ([k for k in members if _same(unit_of[k], unit)], [k for k in members if _same(year_of[k], year)],
                  members)
        out: list[int] = []
        seen: set[int] = set()
        for level, listed in enumerate(levels):
            group = [listed] if listed else []
            group += [g for g in (big[level].get(unit, ()) if level == 0 else big[level].get(year, ())
                                  if level == 1 else big[2] for big in large) if g]
            if level and len(group) > 1:
                # Past level 0 every document skipped was seen at a level before (a document of
                # the unit is in its unit's list, one of the year in its year's list): the keys read
                # before the last needed lie within each list's first n + 1 + len(seen).
                head = n + 1 + len(seen)
                group = [sorted(set().union(*(g[:head] for g in group)))]
            for k in group[0] if len(group) == 1 else heapq.merge(*group):
                if k in seen:
                    continue
                seen.add(k)
                if docs[k].report_id == report_id or rank(k) != level:
                    continue
                if len(out) == n:
                    return out, 1
                out.append(k)
        return out, 0


def _same(a: Any, b: Any) -> bool:
    """``a`` and ``b`` are the same key as a dict sees it (a missing value only equals itself)."""
    if a is b:
        return True
    try:
        return bool(a == b) and hash(a) == hash(b)
    except TypeError:
        return False


def _compare(x: _Doc, y: _Doc, order: dict[str, tuple], threshold: float, min_span: int) -> list[dict[str, Any]]:
    common = len(np.intersect1d(x.shingles, y.shingles, assume_unique=True))
    nx, ny = len(x.shingles), len(y.shingles)
    jaccard = common / (nx + ny - common)
    cx, cy = common / nx, common / ny
    if max(jaccard, cx, cy) < threshold:
        return []
    default = (10**6, pd.Timestamp.max)
    if order.get(y.report_id, default + (y.report_id,)) < order.get(x.report_id, default + (x.report_id,)):
        x, y, cx, cy = y, x, cy, cx
    base = {"report_a": x.report_id, "report_b": y.report_id, "scope": x.scope, "item_a": x.item,
            "item_b": y.item, "similarity": round(jaccard, 4), "containment_a": round(cx, 4),
            "containment_b": round(cy, 4)}
    spans = _spans(x, y, min_span)
    if not spans:
        return [{**base, "span": None, "a_start": None, "a_end": None, "b_start": None, "b_end": None,
                 "text": None}]
    return [{**base, "span": n, "a_start": a0, "a_end": a1, "b_start": b0, "b_end": b1, "text": text}
            for n, (a0, a1, b0, b1, text) in enumerate(spans, 1)]


def reuse_measures(corpus: Any, reuse_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per report: how much of its shortcomings (and of all its text) it shares with others.

    Parameters
    ----------
    corpus : Corpus or mapping of tables
        Needs ``reports`` and ``shortcomings`` (items with ``start`` and ``end``).
    reuse_table : DataFrame, optional
        The table :func:`reuse` returns; computed when not given.

    Returns
    -------
    DataFrame
        Columns of ``reuse_measures`` in :mod:`lawreports.schema`. A share is the part of the
        report's characters (its shortcoming items, or its whole text) covered by passages it
        shares (any scope) with the other report: ``shortcomings_from_previous`` with the same
        unit's report on the latest earlier year (the one the panel keeps), missing without one;
        ``shortcomings_from_same_year`` with any report of the same year by another unit.
        Shares are missing for a report without shortcoming items.
    """
    from .panel import resolve_duplicates, unit_ids

    reports = _table(corpus, "reports", required=("report_id", "report_year"))
    if reuse_table is None:
        reuse_table = reuse(corpus)
    units = unit_ids(reports)
    meta = reports[["report_id", "report_year"] + (["n_chars"] if "n_chars" in reports.columns else [])].merge(
        units, on="report_id")
    unit_of = dict(zip(meta["report_id"], meta["unit_id"]))
    year_of = {r: (None if pd.isna(y) else int(y)) for r, y in zip(meta["report_id"], meta["report_year"])}
    chars = {r: (None if pd.isna(n) else int(n)) for r, n in zip(meta["report_id"], meta.get("n_chars", []))}
    # the report kept for each unit and year, from the columns that choose it (not a copy of every column)
    choosing = ["report_id", "report_year", "duplicate_of", "structure_score", "n_chars", "published"]
    kept = resolve_duplicates(reports[[c for c in choosing if c in reports.columns]], units)
    kept_by_unit: dict[str, list[tuple[int, str]]] = {}
    for r, u, y in zip(kept["report_id"], kept["unit_id"], kept["report_year"]):
        kept_by_unit.setdefault(u, []).append((int(y), r))
    items = _table(corpus, "shortcomings", required=("report_id", "start", "end")) if _has_table(
        corpus, "shortcomings") else pd.DataFrame(columns=["report_id", "start", "end"])
    ranges: dict[str, list[tuple[int, int]]] = {}
    for r, s, e in zip(items["report_id"], items["start"], items["end"]):
        if not (pd.isna(s) or pd.isna(e)):
            ranges.setdefault(str(r), []).append((int(s), int(e)))
    # every located passage on each of its two sides, grouped by the report on that side, as
    # arrays (4.6 million sides for 100,000 reports): the report's position, its partner's, the offsets
    ids = [str(r) for r in meta["report_id"]]
    code = {r: i for i, r in enumerate(ids)}
    # read from the columns in place (Arrow looks the reports up): no copy of the reuse rows
    located = reuse_table["a_start"].notna().to_numpy(dtype=bool)
    known = pa.array(list(code), pa.string())
    positions = pa.array(list(code.values()), pa.int32())

    def side_codes(column: str) -> np.ndarray:
        values = pa.array(reuse_table[column].astype("string"), from_pandas=True)
        found = pc.take(positions, pc.index_in(values, value_set=known))
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)[located]

    def offsets(column: str) -> np.ndarray:
        return reuse_table[column].to_numpy(dtype="int64", na_value=0)[located].astype(np.int32)

    a, b = side_codes("report_a"), side_codes("report_b")
    side = np.concatenate([a, b])
    by_side = np.argsort(side, kind="stable")
    side = side[by_side]
    partner = np.concatenate([b, a])[by_side]
    del a, b
    starts = np.concatenate([offsets("a_start"), offsets("b_start")])[by_side]
    ends = np.concatenate([offsets("a_end"), offsets("b_end")])[by_side]
    del located, by_side
    bounds = np.searchsorted(side, np.arange(len(ids) + 1))
    # a partner not among the reports (-1) is of no year and no unit
    years = np.array([-1 if year_of[r] is None else year_of[r] for r in ids] + [-2], dtype=np.int64)
    unit_codes = np.append(pd.factorize(pd.Series([unit_of[r] for r in ids], dtype=object))[0], -1)

    def covered(i: int, targets: list[tuple[int, int]], chosen: np.ndarray) -> float | None:
        total = sum(e - s for s, e in targets)
        if not total:
            return None
        end = max(e for _, e in targets)
        mask = np.zeros(end, dtype=bool)
        lo = bounds[i]
        for k in np.flatnonzero(chosen):
            mask[starts[lo + k]:min(ends[lo + k], end)] = True
        return round(sum(int(mask[s:e].sum()) for s, e in targets) / total, 4)

    # how many reports each year has, and each unit in each year: whether another unit reported
    per_year: dict[Any, int] = {}
    per_unit_year: dict[tuple[Any, Any], int] = {}
    for r, yy in year_of.items():
        per_year[yy] = per_year.get(yy, 0) + 1
        per_unit_year[unit_of[r], yy] = per_unit_year.get((unit_of[r], yy), 0) + 1
    # gathered by column (a report's row costs its values, not a dict)
    rows: dict[str, list[Any]] = {c: [] for c in schema.columns("reuse_measures")}
    for i, rid in enumerate(ids):
        u, y = unit_of[rid], year_of[rid]
        earlier = [(yy, r) for yy, r in kept_by_unit.get(u, []) if y is not None and yy < y]
        prev_year, prev = max(earlier) if earlier else (None, None)
        others = y is not None and per_year[y] > per_unit_year[u, y]
        partners = partner[bounds[i]:bounds[i + 1]]
        from_prev = partners == code.get(prev, -2) if prev else None
        same_year = (years[partners] == y) & (unit_codes[partners] != unit_codes[i]) if others else None
        targets = ranges.get(rid, [])
        sources: list[str] = []
        if others and targets:
            lo, hi = bounds[i], bounds[i + 1]
            s0, s1 = starts[lo:hi, None], ends[lo:hi, None]
            ts, te = np.array(targets).T
            overlaps = ((s0 < te[None, :]) & (ts[None, :] < s1)).any(axis=1)
            sources = sorted({ids[p] for p in partners[same_year & overlaps]})
        whole = [(0, chars[rid])] if chars.get(rid) else []
        for c, v in {
            "report_id": rid, "unit_id": u, "report_year": y, "previous_report": prev,
            "previous_year": prev_year, "shortcomings_chars": sum(e - s for s, e in targets),
            "shortcomings_from_previous": covered(i, targets, from_prev) if prev else None,
            "shortcomings_from_same_year": covered(i, targets, same_year) if others else None,
            "same_year_sources": ";".join(sources) or None,
            "report_from_previous": covered(i, whole, from_prev) if prev and whole else None,
        }.items():
            rows[c].append(v)
    return schema.coerce("reuse_measures", pd.DataFrame(rows, columns=schema.columns("reuse_measures")))
