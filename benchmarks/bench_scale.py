"""The main job at scale, on varied synthetic reports: parse speed against bare segmentation, and builds.

    python benchmarks/bench_scale.py [--n 1000] [--rounds 3] [--build 2000,20000] [--jobs 2]

``--build 0`` (or ``--build ""``) times the parse only.

Prints, in one run on the same texts:

* bare ``jieba.lcut``, bare ``rjieba.cut`` and the full parse (every stage of
  :func:`lawreports.read_report` and every table's rows, the ``tokens`` table included:
  :func:`lawreports.rows.parse_file`, one process), in reports per second, and their ratios;
* for each build size: ``lawreports build --jobs J --format parquet,csv`` (a subprocess: its
  time, and the peak resident memory of the main process and of the largest worker), an
  unchanged rebuild, and a rebuild after editing one file.

The corpus is the five seeds with names and numbers varied and a sentence of each copy's own
(benchmarks/synth.py): no two reports share their text. Figures, not tests.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import make_corpus  # noqa: E402

_PEAK = """
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.call(sys.argv[1:])
sec = time.perf_counter() - t
print(f"{sec:.2f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} {code}")
"""


def parse_speed(folder: Path, n: int, rounds: int = 3) -> None:
    """Bare jieba, bare rjieba and the full parse (tokens included) on the same texts, interleaved.

    The three are timed in turn, ``rounds`` times, and each keeps its best round, so that a
    burst of load on a shared machine does not fall on one of them only.
    """
    import jieba
    import rjieba

    from lawreports.reader import read_report
    from lawreports.rows import parse_file

    files = sorted(folder.glob("*.txt"))[:n]
    texts = [read_report(f).text for f in files]
    jieba.initialize()
    rjieba.cut("预热")
    warm = parse_file(str(files[0]), report_id="warm")
    assert warm["rows"]["tokens"], "the parse gives no tokens table"

    def seconds(fn, items) -> float:
        t = time.perf_counter()
        for x in items:
            fn(x)
        return time.perf_counter() - t

    runs = {"jieba": (jieba.lcut, texts), "rjieba": (rjieba.cut, texts),
            "full": (lambda f: parse_file(str(f), report_id="x"), files)}
    best = {name: float("inf") for name in runs}
    for _ in range(rounds):
        for name, (fn, items) in runs.items():
            best[name] = min(best[name], seconds(fn, items))
    rate = {name: len(files) / sec for name, sec in best.items()}
    print(f"{len(files)} reports, {sum(map(len, texts)) / len(texts):,.0f} characters each on average "
          f"(best of {rounds} interleaved rounds)")
    print(f"  bare jieba.lcut     {rate['jieba']:8.0f} reports/s")
    print(f"  bare rjieba.cut     {rate['rjieba']:8.0f} reports/s")
    print(f"  full parse, tokens  {rate['full']:8.0f} reports/s   ({1000 / rate['full']:.2f} ms a report; "
          f"{rate['full'] / rate['jieba']:.2f}x bare jieba, {rate['full'] / rate['rjieba']:.2f}x bare rjieba)")


def _run(args: list[str]) -> tuple[float, float, int]:
    out = subprocess.run([sys.executable, "-c", _PEAK, *args], capture_output=True, text=True)
    sec, mb, code = out.stdout.strip().splitlines()[-1].split()
    return float(sec), float(mb), int(code)


def builds(sizes: list[int], jobs: int, tmp: Path) -> None:
    for n in sizes:
        src = tmp / f"src{n}"
        make_corpus(src, n, seed=n)
        out = tmp / f"out{n}"
        cmd = [sys.executable, "-m", "lawreports.cli", "build", str(src), "--out", str(out),
               "--format", "parquet,csv", "--jobs", str(jobs), "--quiet"]
        sec, mb, code = _run(cmd)
        size = sum(p.stat().st_size for p in src.iterdir()) / 1e6
        print(f"build of {n:,} reports ({size:,.0f} MB), --jobs {jobs}: {sec:7.1f} s  "
              f"{n / sec:6.0f} reports/s  peak {mb:,.0f} MB (largest process)  exit {code}")
        sec, mb, code = _run(cmd)
        print(f"  unchanged rebuild:   {sec:7.2f} s  peak {mb:,.0f} MB")
        victim = sorted(src.iterdir())[n // 2]
        victim.write_text(victim.read_text("utf-8") + "\n全年新增备案文件3件。\n", "utf-8")
        sec, mb, code = _run(cmd)
        print(f"  after editing one file: {sec:7.2f} s  peak {mb:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="reports for the parse speed")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the parse speed")
    parser.add_argument("--build", default="2000", help="comma-separated build sizes (0 or empty: none)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_corpus(tmp / "speed", args.n)
        parse_speed(tmp / "speed", args.n, args.rounds)
        sizes = [int(s) for s in args.build.split(",") if s.strip() and int(s)]
        builds(sizes, args.jobs, tmp)


if __name__ == "__main__":
    main()
