"""The main job at scale: ``lawreports build`` on N varied reports (default 2,000).

    python benchmarks/bench_build.py [N]

Prints parsing speed (reports per second) with 1 and 2 processes, the whole build (tables in
parquet and CSV, figures, index.html), the time of an unchanged rebuild (every file from the
cache), and peak memory (resident set size of this process and of its worker processes).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lawreports  # noqa: E402
from lawreports.cli import build  # noqa: E402
from synth import make_corpus  # noqa: E402


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main(n: int = 2000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "reports"
        files = make_corpus(src, n)
        print(f"corpus: {len(files)} reports, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB "
              "(the 5 seeds with names and numbers varied)")
        lawreports.load_corpus(files[:5])                       # imports and tables, not timed
        for jobs in (1, 2):
            started = time.perf_counter()
            corpus = lawreports.load_corpus(src, jobs=jobs, progress=False)
            seconds = time.perf_counter() - started
            print(f"parse, {jobs} process{'es' if jobs > 1 else ''}: {seconds:6.1f} s  "
                  f"{n / seconds:6.0f} reports/s  ({len(corpus)} reports, {len(corpus.errors)} errors, "
                  f"{len(corpus.indicators)} indicators)")
        out = Path(tmp) / "out"
        first = build([str(src)], out, formats=["parquet", "csv"], jobs=2, progress=False)
        print(f"build, 2 processes, cold cache: {first['seconds']:6.1f} s  "
              f"({first['reports']} reports, {len(first['files'])} files written)")
        again = build([str(src)], out, formats=["parquet", "csv"], jobs=2, progress=False)
        print(f"build again, nothing changed:  {again['seconds']:6.1f} s  ({again['cached']} of "
              f"{again['reports']} reports from the cache)")
        print(f"peak memory: {_peak_mb(resource.RUSAGE_SELF):.0f} MB this process, "
              f"{_peak_mb(resource.RUSAGE_CHILDREN):.0f} MB largest worker")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
