"""Time of the reuse step (lawreports.reuse.reuse) on synthetic corpora of growing size.

    python benchmarks/bench_reuse.py [N ...]      (default 1,000 10,000 50,000)

The synthetic reports are tables in memory (reports, texts, sections, shortcomings), not files,
so the figure is the reuse step alone. Their text is drawn from the seeds' sentences, each one
varied (about a third of its characters replaced by others from the seeds), so no two reports
are byte-identical and unrelated reports share little — as in a real corpus. Like a real corpus,
a share of them reuse: 5% copy their unit's previous year with light edits, and 5% of the towns
share a template with another town of the same year. Prints documents, pairs found, seconds,
and microseconds per report (near-linear growth keeps that column about flat), then the seconds
with the scopes compared in two forked workers (``jobs=2``, the same table) and the ratio.
"""

from __future__ import annotations

import random
import re
import sys
import time

import pandas as pd

import lawreports
from lawreports import schema
from lawreports.reuse import reuse

_SPLIT = re.compile(r"(?<=[。；;！？])")


def _pools() -> tuple[dict[str, list[str]], str]:
    """Sentences of each part of the seeds, and the characters they use."""
    corpus = lawreports.load_corpus()
    from lawreports.topics import documents

    pools: dict[str, list[str]] = {}
    for part in schema.PARTS:
        if part == "shortcomings":
            texts = corpus.shortcomings["text"].tolist()
        else:
            texts = documents(corpus, part)["text"].tolist()
        pools[part] = [s.strip() for t in texts for s in _SPLIT.split(t) if len(s.strip()) >= 8]
    chars = "".join(sorted(set("".join(corpus.documents[r].text for r in corpus.reports["report_id"]))
                           - set(" \n\t\u3000\xa0")))
    for part in schema.PARTS:                      # a part the seeds never write borrows the others'
        pools[part] = pools[part] or pools["achievements"]
    return pools, chars


def _vary(sentence: str, rng: random.Random, chars: str, share: float = 0.33) -> str:
    return "".join(rng.choice(chars) if rng.random() < share else c for c in sentence)


def _report(rng: random.Random, pools: dict[str, list[str]], chars: str) -> dict[str, list[str]]:
    sizes = {"achievements": 24, "shortcomings": 3, "responsibility": 4, "plans": 6, "other": 1}
    return {part: [_vary(rng.choice(pools[part]), rng, chars) for _ in range(n)] for part, n in sizes.items()}


def _edit(parts: dict[str, list[str]], rng: random.Random, chars: str) -> dict[str, list[str]]:
    """A light edit: one sentence in ten varied again (at least one)."""
    edited = {p: [_vary(s, rng, chars) if rng.random() < 0.1 else s for s in ss] for p, ss in parts.items()}
    if edited == parts:
        edited["achievements"][0] = _vary(parts["achievements"][0], rng, chars, share=0.5)
    return edited


def make_tables(n: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    rng = random.Random(seed)
    pools, chars = _pools()
    reports, texts, sections, items = [], [], [], []
    drafts: list[tuple[str, int, dict[str, list[str]]]] = []
    for i in range(n):
        rid = f"s{i:06d}"
        roll = rng.random()
        if drafts and roll < 0.05:                     # the same unit's next year, lightly edited
            unit, year, parts = rng.choice(drafts[-200:])
            unit, year, parts = unit, year + 1, _edit(parts, rng, chars)
        elif drafts and roll < 0.10:                   # a template shared with another unit, same year
            _, year, parts = rng.choice(drafts[-200:])
            unit, parts = f"{i:06d}", _edit(parts, rng, chars)
        else:
            unit, year, parts = f"{i:06d}", rng.randint(2019, 2023), _report(rng, pools, chars)
        drafts.append((unit, year, parts))
        text, pos = "", 0
        sections.append({"report_id": rid, "section_id": 0, "parent_id": None, "role": "preamble"})
        for k, part in enumerate(schema.PARTS, 1):
            body = "\n".join(parts[part]) + "\n"
            sections.append({"report_id": rid, "section_id": k, "parent_id": 0, "role": part,
                             "text": body, "start": pos, "end": pos + len(body)})
            if part == "shortcomings":
                at = pos
                for j, s in enumerate(parts[part], 1):
                    items.append({"report_id": rid, "item": j, "text": s, "start": at, "end": at + len(s)})
                    at += len(s) + 1
            text += body
            pos += len(body)
        sections[-6].update(text=text, start=0, end=len(text))
        reports.append({"report_id": rid, "adcode": unit, "report_year": year,
                        "published": pd.Timestamp(year + 1, 3, 1), "n_chars": len(text)})
        texts.append({"report_id": rid, "text": text})
    return {"reports": pd.DataFrame(reports), "texts": pd.DataFrame(texts),
            "sections": pd.DataFrame(sections), "shortcomings": pd.DataFrame(items)}


def main(sizes: list[int], jobs: int = 2) -> None:
    print(f"{'reports':>8} {'distinct':>9} {'pairs':>7} {'rows':>7} {'seconds':>8} {'µs/report':>10} "
          f"{f'jobs={jobs}':>8} {'ratio':>6}")
    for n in sizes:
        tables = make_tables(n)
        distinct = tables["texts"]["text"].nunique()
        started = time.perf_counter()
        table = reuse(tables)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = reuse(tables, jobs=jobs)            # the scopes in forked workers: the same table
        parallel = time.perf_counter() - started
        assert again.equals(table), "reuse gives another table with jobs"
        pairs = table.groupby(["scope", "report_a", "report_b", "item_a", "item_b"], dropna=False).ngroups
        print(f"{n:>8} {distinct:>9} {pairs:>7} {len(table):>7} {seconds:>8.1f} {seconds / n * 1e6:>10.0f} "
              f"{parallel:>8.1f} {seconds / parallel:>6.2f}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 50000])
