"""The text-as-data verbs (lawreports.verbs) on N synthetic reports (default 20,000).

    python benchmarks/bench_verbs.py [N] [--folder DIR]

Builds the synthetic corpus once (benchmarks/synth.py: the seeds with names and numbers varied),
parses it with ``load_corpus(jobs=2)`` and saves it under ``DIR`` (default
``$TMPDIR/lawreports-bench-verbs-N``), so a second run loads the saved tables. The reports'
clean texts are taken from the saved root sections (section 0 spans the whole clean text; this
is checked against ``corpus.documents`` on a sample) and passed as a ``texts`` table, as the
verbs accept, so nothing is re-parsed.

Prints the time of the first tokenization (rjieba, every report segmented once), of a second
``tokens()`` call (ids from the content-keyed store), then of each verb on the stored tokens.
Figures, not tests.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lawreports  # noqa: E402
from lawreports import verbs  # noqa: E402
from synth import make_corpus  # noqa: E402


def _load(n: int, folder: Path) -> lawreports.Corpus:
    saved = folder / "corpus"
    if (saved / "reports.parquet").exists():
        return lawreports.Corpus.load(saved)
    t0 = time.perf_counter()
    make_corpus(folder / "reports", n)
    corpus = lawreports.load_corpus(folder / "reports", jobs=2, progress=False)
    corpus.save(saved)
    print(f"built and parsed {len(corpus)} synthetic reports in {time.perf_counter() - t0:.0f} s "
          f"(saved in {saved})")
    return corpus


def _timed(label: str, fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    seconds = time.perf_counter() - t0
    size = getattr(out, "shape", None) or (out.counts.shape if hasattr(out, "counts") else len(out))
    print(f"  {label:<58} {seconds:7.2f} s   {size}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=20_000)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.gettempdir()) / f"lawreports-bench-verbs-{args.n}"
    t0 = time.perf_counter()
    full = _load(args.n, folder)
    secs = full.sections
    root = secs[secs["section_id"] == 0][["report_id", "text"]]
    sample = full.reports["report_id"].iloc[:: max(1, len(full) // 20)]
    assert all(full.documents[r].text == root.set_index("report_id").loc[r, "text"] for r in sample)
    corpus = SimpleNamespace(reports=full.reports, sections=secs, shortcomings=full.shortcomings,
                             texts=root)
    n_chars = int(root["text"].str.len().sum())
    print(f"corpus: {len(full.reports)} reports, {n_chars / 1e6:.1f} M characters, "
          f"loaded in {time.perf_counter() - t0:.1f} s\n")

    print("tokens (rjieba, domain lexicon, stopwords)")
    tk = _timed("first tokenization: every report segmented", verbs.tokens, corpus)
    print(f"  ({int(tk.n_tokens.sum()):,} tokens, {len(tk.vocabulary):,} terms)")
    _timed("tokens() again: ids from the store", verbs.tokens, corpus)
    _timed("tokens(part='shortcomings')", verbs.tokens, corpus, part="shortcomings")

    print("\nverbs, from the stored tokens")
    _timed("kwic('双随机一公开')", verbs.kwic, corpus, "双随机一公开")
    _timed("kwic(['行政复议', '行政诉讼'], part='shortcomings')", verbs.kwic, corpus,
           ["行政复议", "行政诉讼"], part="shortcomings")
    _timed("kwic(r'调解成功率达?\\s*\\d+', regex=True)", verbs.kwic, corpus, r"调解成功率达?\s*\d+",
           regex=True)
    _timed("term_frequency(by='report_year')", verbs.term_frequency, corpus, by="report_year")
    _timed("term_frequency(by='province', part='shortcomings')", verbs.term_frequency, corpus,
           by="province", part="shortcomings")
    _timed("keyness(2022, by='report_year')", verbs.keyness, corpus, 2022, by="report_year")
    _timed("keyness('county', by='division_type', measure='lr')", verbs.keyness, corpus, "county",
           by="division_type", measure="lr")
    _timed("dictionary_scores('themes', by='report_id'): regex, cold", verbs.dictionary_scores,
           corpus, "themes", by="report_id")
    _timed("dictionary_scores('themes', by='province') again", verbs.dictionary_scores,
           corpus, "themes", by="province")
    words = {"监管": ["双随机一公开", "市场监管", "信用监管"], "复议": ["行政复议", "行政诉讼"],
             "新": ["四所一庭"]}
    _timed("dictionary_scores(words, by='province'), new word: cold", verbs.dictionary_scores,
           corpus, words, by="province")
    _timed("dictionary_scores(words, by='province') again", verbs.dictionary_scores, corpus,
           words, by="province")
    _timed("collocations(size=2)", verbs.collocations, corpus)
    _timed("collocations(size=3, min_count=5)", verbs.collocations, corpus, size=3, min_count=5)
    _timed("quoted_terms()", verbs.quoted_terms, corpus)
    dtm = _timed("document_term_matrix()", verbs.document_term_matrix, corpus)
    with tempfile.TemporaryDirectory() as tmp:
        _timed("DocumentTermMatrix.write (parquet, mtx, csv)", dtm.write, tmp)
    print(f"\npeak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
