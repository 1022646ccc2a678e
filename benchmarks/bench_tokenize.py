"""Tokenizer throughput on the bundled seed reports, and agreement between the two backends.

Prints characters per second for the seeds' text repeated to about 1 MB, tokenized as one
text, for each backend: the private segmenter's load time, a cold call (segmenter loaded,
empty token cache) and a cached call (same text again), beside bare ``jieba.lcut`` and
``rjieba.cut`` on the same text. Then the token agreement of jieba and rjieba on each seed.

Run: ``python benchmarks/bench_tokenize.py [--mb 1.0] [--repeat 3]``. Figures, not tests.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import jieba
import rjieba

from lawreports.corpus import bundled_dir
from lawreports.tokens import Tokenizer, TokenizerOptions, agreement, clear_cache

SEEDS = sorted(bundled_dir().glob("*.txt"))


def _corpus(megabytes: float) -> str:
    seeds = "\n".join(p.read_text("utf-8") for p in SEEDS)
    target = int(megabytes * 1_000_000)  # bytes of UTF-8
    reps = max(1, -(-target // len(seeds.encode("utf-8"))))
    return "\n".join([seeds] * reps)


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _row(label: str, n_chars: int, seconds: float) -> None:
    print(f"  {label:<36} {seconds:9.4f} s  {n_chars / seconds:14,.0f} chars/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="size of the text in MB (UTF-8)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept)")
    args = parser.parse_args()
    jieba.setLogLevel(logging.WARNING)

    text = _corpus(args.mb)
    n = len(text)
    print(f"text: {len(SEEDS)} seed reports repeated to {len(text.encode('utf-8')):,} bytes, "
          f"{n:,} characters\n")

    print("bare segmenters (dictionary already loaded)")
    jieba.initialize()
    _row("jieba.lcut", n, _best(lambda: jieba.lcut(text), args.repeat))
    _row("rjieba.cut", n, _best(lambda: rjieba.cut(text), args.repeat))

    for backend in ("jieba", "rjieba"):
        print(f"\nlawreports.tokens.Tokenizer(TokenizerOptions(backend={backend!r}))")
        t0 = time.perf_counter()
        tok = Tokenizer(TokenizerOptions(backend=backend))
        tok.segmenter  # private segmenter + 200 lexicon words
        print(f"  {'load (segmenter + lexicon)':<36} {time.perf_counter() - t0:9.4f} s")

        def cold() -> None:
            clear_cache()
            tok._memo.clear()  # per-token filtering decisions too
            tok.tokenize(text)

        _row("cold (empty cache)", n, _best(cold, args.repeat))
        tok.tokenize(text)
        _row("cached (same text again)", n, _best(lambda: tok.tokenize(text), args.repeat))
        print(f"  tokens: {len(tok.tokenize(text)):,}")

    print("\nagreement jieba vs rjieba on each seed (a = jieba, b = rjieba)")
    table = agreement({p.stem: p.read_text("utf-8") for p in SEEDS})
    print(table.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    total = agreement({"all seeds": "\n".join(p.read_text("utf-8") for p in SEEDS)})
    print(total.to_string(index=False, header=False, float_format=lambda x: f"{x:.4f}"))


if __name__ == "__main__":
    main()
