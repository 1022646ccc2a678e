"""Every hostile kind of page (tests/hostile/hostile_inputs.py): outcome, seconds, peak memory.

    python benchmarks/bench_hostile.py [--size BYTES] [--big BYTES]

Each page is read in a forked child; peak MB is the growth of its resident set while reading.
The kinds that grow are made at ``--size`` (default 1 MB); the last row is a valid report of
``--big`` bytes (default 19 MiB, the size that took 339 s before issue 17).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "hostile"))

from hostile_inputs import KINDS, make, measure, valid_report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="size of the kinds that grow")
    parser.add_argument("--big", type=int, default=19 * 2**20, help="size of the large valid report")
    args = parser.parse_args()
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
