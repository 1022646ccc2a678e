"""The main job at scale, on varied synthetic reports: parse speed against bare segmentation, and builds.

    python benchmarks/bench_scale.py [--n 2000] [--build 2000,20000] [--jobs 2]

Prints, in one run on the same texts:

* bare ``jieba.lcut``, bare ``rjieba.cut`` and the full parse (every stage of
  :func:`lawreports.read_report`, one process), in reports per second, and their ratios;
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


def parse_speed(folder: Path, n: int) -> None:
    import jieba
    import rjieba

    from lawreports.reader import read_report
    from lawreports.rows import parse_file

    files = sorted(folder.glob("*.txt"))[:n]
    texts = [read_report(f).text for f in files]
    jieba.initialize()
    rjieba.cut("预热")
    parse_file(str(files[0]), report_id="warm")

    def rate(fn) -> float:
        t = time.perf_counter()
        for x in fn[1]:
            fn[0](x)
        return len(fn[1]) / (time.perf_counter() - t)

    bare_jieba = rate((jieba.lcut, texts))
    bare_rjieba = rate((rjieba.cut, texts))
    full = rate((lambda f: parse_file(str(f), report_id="x"), files))
    print(f"{len(files)} reports, {sum(map(len, texts)) / len(texts):,.0f} characters each on average")
    print(f"  bare jieba.lcut     {bare_jieba:8.0f} reports/s")
    print(f"  bare rjieba.cut     {bare_rjieba:8.0f} reports/s")
    print(f"  full parse          {full:8.0f} reports/s   "
          f"({full / bare_jieba:.2f}x bare jieba, {full / bare_rjieba:.2f}x bare rjieba)")


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
    parser.add_argument("--build", default="2000", help="comma-separated build sizes (0: none)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_corpus(tmp / "speed", args.n)
        parse_speed(tmp / "speed", args.n)
        sizes = [int(s) for s in args.build.split(",") if int(s)]
        builds(sizes, args.jobs, tmp)


if __name__ == "__main__":
    main()
