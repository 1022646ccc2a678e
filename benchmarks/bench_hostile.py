"""Every hostile kind of page (tests/hostile/hostile_inputs.py): outcome, seconds, peak memory.

    python benchmarks/bench_hostile.py [--size BYTES] [--big BYTES]

Each page is read in a forked child; peak MB is the growth of its resident set while reading.
The kinds that grow are made at ``--size`` (default 1 MB); the last row is a valid report of
``--big`` bytes (default 19 MiB, the size that took 339 s before issue 17).

Then the corpus-level kinds (tests/hostile/test_hostile_corpus.py): each beside the five seeds, read by
``load_corpus(jobs=2, isolate=True)`` in a subprocess; the outcome is that of the kind's file,
seconds the subprocess's wall time and peak MB its largest resident set (or its workers').
The last rows: an 8 MB report under a 0.5 s and a 64 MiB budget, and ``--many`` small files
through ``lawreports build --format parquet,csv,xlsx,dta``. ``--only corpus`` skips the pages.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "hostile"))

from hostile_inputs import KINDS, make, measure, valid_report  # noqa: E402

_LOAD = """
import json, sys
import lawreports
from lawreports.executors import Budget
budget = Budget(seconds=float(sys.argv[3]), memory_mb=int(sys.argv[4]))
c = lawreports.load_corpus(sys.argv[1], jobs=2, isolate=True, budget=budget, allow_outside=sys.argv[5] == "1")
path = sys.argv[2]
if path in set(c.reports["path"]):
    out = "report"
elif path in set(c.skipped["path"]):
    out = "skipped"
else:
    out = ",".join(c.errors.loc[c.errors["path"] == path, "error"]) or "missing!"
print(json.dumps({"outcome": out, "reports": len(c)}))
"""


def _child(args: list[str], timeout: float = 600) -> tuple[str, float, float]:
    """Run a Python subprocess; (its last line, seconds, peak MB of it or its children)."""
    import json
    import os
    import subprocess
    import time

    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    out = proc.stdout.read().strip().splitlines()
    proc.returncode = os.waitstatus_to_exitcode(status)
    line = out[-1] if out else f"exit {proc.returncode}: {proc.stderr.read()[-200:]}"
    try:
        line = json.loads(line)["outcome"]
    except (ValueError, KeyError, TypeError):
        pass
    return line, seconds, usage.ru_maxrss / 1024


def corpus_kinds(many: int) -> None:
    import shutil
    import tempfile

    from corpus_inputs import seeds, small_corpus
    from test_hostile_corpus import KINDS as CORPUS_KINDS, make_kind
    from lawreports.sources import shown

    print(f"\n{'corpus kind':28s} {'expected':20s} {'outcome':22s} {'seconds':>8s} {'peak MB':>8s}")
    with tempfile.TemporaryDirectory() as tmp:
        for i, kind in enumerate(CORPUS_KINDS):
            src, outside = Path(tmp, kind.name), Path(tmp, kind.name + "-outside")
            src.mkdir()
            outside.mkdir()
            for seed in seeds():
                shutil.copy(seed, src / seed.name)
            (path,) = make_kind(kind, src, outside, i)
            out, sec, peak = _child(["-c", _LOAD, str(src), shown(os.fsdecode(path)), "120", "2048", "0"])
            print(f"{kind.name:28s} {kind.outcome:20s} {out[:22]:22s} {sec:8.2f} {peak:8.1f}", flush=True)
            if kind.name == "link_outside":
                out, sec, peak = _child(["-c", _LOAD, str(src), shown(os.fsdecode(path)), "120", "2048", "1"])
                print(f"{'link_outside_allowed':28s} {'report':20s} {out[:22]:22s} {sec:8.2f} {peak:8.1f}",
                      flush=True)
            os.chmod(path, 0o644) if kind.name == "unreadable" else None
        big = Path(tmp, "budget")
        big.mkdir()
        (big / "big.txt").write_text(valid_report(8_000_000), encoding="utf-8")
        for seed in seeds():
            shutil.copy(seed, big / seed.name)
        for name, secs, mb, expected in [("over_time_budget_0.5s", "0.5", "2048", "timeout"),
                                         ("over_memory_budget_64MiB", "60", "64", "too_complex")]:
            out, sec, peak = _child(["-c", _LOAD, str(big), str(big / "big.txt"), secs, mb, "0"])
            print(f"{name:28s} {expected:20s} {out[:22]:22s} {sec:8.2f} {peak:8.1f}", flush=True)
        small_corpus(Path(tmp, "many"), many)
        out, sec, peak = _child(["-c", "import sys; from lawreports.cli import main; sys.exit(main())", "build",
                                 str(Path(tmp, "many")), "--out", str(Path(tmp, "many-out")), "--jobs", "2",
                                 "--format", "parquet,csv,xlsx,dta", "--no-figures", "--quiet"])
        out = out.split(";")[0].removeprefix("lawreports: ")
        print(f"{f'{many}_small_files_cli':28s} {'all read':20s} {out[:22]:22s} {sec:8.2f} {peak:8.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="size of the kinds that grow")
    parser.add_argument("--big", type=int, default=19 * 2**20, help="size of the large valid report")
    parser.add_argument("--many", type=int, default=3000, help="small files built through the CLI")
    parser.add_argument("--only", choices=("pages", "corpus"), default=None, help="one half of the table")
    args = parser.parse_args()
    if args.only != "pages":
        corpus_kinds(args.many)
    if args.only == "corpus":
        return
    print(f"{'kind':28s} {'bytes':>9s}  {'outcome':34s} {'seconds':>8s} {'peak MB':>8s}")
    for name, kind in KINDS.items():
        data = make(kind, args.size if kind.grows else kind.size)
        n_bytes = len(data) if isinstance(data, bytes) else len(data.encode("utf-8"))
        out = measure(data, timeout=300)
        outcome = out.outcome if out.outcome != "flags" else "flags: " + ",".join(out.warnings)
        if out.problems:
            outcome += f" ({len(out.problems)} problems)"
        print(f"{name:28s} {n_bytes:>9d}  {outcome[:34]:34s} {out.seconds:8.2f} {out.peak_mb:8.1f}", flush=True)
    data = valid_report(args.big)
    out = measure(data, timeout=600)
    print(f"{'valid_report_19MiB':28s} {len(data.encode()):>9d}  {out.outcome[:34]:34s} {out.seconds:8.2f} "
          f"{out.peak_mb:8.1f}", flush=True)


if __name__ == "__main__":
    main()
