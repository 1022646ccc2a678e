"""No input is super-linear: each pathological page grown from 10 KB to 1 MB costs ~10× per step.

Ratios within one run, not absolute times: time(1 MB) / time(100 KB) and the peak memory of
reading (resident set growth, measured in a forked child) must stay under 30 — a quadratic
cost gives 100. Small measurements are floored (0.05 s, 16 MB) so that noise is not a ratio.
"""

from __future__ import annotations

import pytest

from hostile_inputs import KINDS, make, measure

SIZES = (10_000, 100_000, 1_000_000)
MAX_RATIO = 30
TIME_FLOOR = 0.05
MEMORY_FLOOR_MB = 16


@pytest.mark.parametrize("name", sorted(n for n, k in KINDS.items() if k.grows))
def test_cost_grows_linearly(name):
    kind = KINDS[name]
    runs = [measure(make(kind, size), timeout=90) for size in SIZES]
    for run in runs:
        assert not run.outcome.startswith(("crash", "timeout")), (name, run)
        assert not run.problems, (name, run.problems)
    for small, big in zip(runs, runs[1:]):
        t_ratio = big.seconds / max(small.seconds, TIME_FLOOR)
        m_ratio = big.peak_mb / max(small.peak_mb, MEMORY_FLOOR_MB)
        assert t_ratio < MAX_RATIO, (name, [r.seconds for r in runs])
        assert m_ratio < MAX_RATIO, (name, [r.peak_mb for r in runs])
