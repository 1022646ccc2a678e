"""Loading speed and memory: the seed reports copied to a corpus of N files.

    python benchmarks/bench_load.py [N]      (default 1,000)

Prints reports per second and peak memory (the process's peak resident set size, and the peak
of Python allocations traced by tracemalloc on a second, smaller run).
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import lawreports
from lawreports.corpus import bundled_dir


def make_corpus(folder: Path, n: int) -> None:
    seeds = sorted(bundled_dir().glob("*.txt"))
    for i in range(n):
        seed = seeds[i % len(seeds)]
        shutil.copy(seed, folder / f"{i:05d}_{seed.name}")


def main(n: int = 1000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_corpus(folder, n)
        lawreports.load_corpus(sorted(folder.glob("*.txt"))[:5])      # warm-up: imports, tables
        started = time.perf_counter()
        corpus = lawreports.load_corpus(folder, progress=False)
        seconds = time.perf_counter() - started
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sub = sorted(folder.glob("*.txt"))[: max(50, n // 10)]
        tracemalloc.start()
        lawreports.load_corpus(sub, progress=False)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"corpus: {n} reports (the {len(list(bundled_dir().glob('*.txt')))} seeds copied)")
    print(f"loaded: {len(corpus)} reports, {len(corpus.errors)} errors, {len(corpus.sections)} sections, "
          f"{len(corpus.indicators)} indicators")
    print(f"time:   {seconds:.2f} s  ->  {n / seconds:.0f} reports/s (1 process)")
    print(f"memory: peak RSS {rss_mb:.0f} MB; traced Python peak for {len(sub)} reports "
          f"{peak / 1e6:.1f} MB ({peak / len(sub) / 1e3:.0f} KB per report)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
