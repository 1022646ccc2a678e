"""A synthetic corpus for benchmarks: the seed reports replicated with names and numbers varied.

Each copy swaps the seed's jurisdiction for another division of the same rank from the national
table (a town or zone gets another made-up name of the same kind) and redraws every number that
is not a year, and adds a sentence with the copy's own numbers, so no two files have the same clean text and
neither the cache nor the duplicate check can cheat.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from lawreports.corpus import bundled_dir
from lawreports.divisions import gazetteer
from lawreports.reader import read_report

_NUMBER = re.compile(r"(?<![\d.~\-—])(\d{2,})(?![\d.~\-—]|\s*[年%])")
_SYLLABLES = "安平和兴长宁丰华新永福泰清河东西南北阳春山水石桥龙凤金玉"


def _other_name(jurisdiction: str, division_type: str, rng: random.Random) -> str:
    g = gazetteer()
    pool = {
        "city": [d.name for d in g.divisions if d.rank == "prefecture" and d.name.endswith("市")],
        "county": [d.name for d in g.divisions if d.rank == "county" and d.name.endswith("县")],
        "district": [d.name for d in g.divisions if d.rank == "county" and d.name.endswith("区")],
    }.get(division_type)
    if pool:
        return rng.choice(pool)
    suffix = "镇" if division_type == "town" else "试验区" if division_type == "zone" else jurisdiction[-1]
    return "".join(rng.choice(_SYLLABLES) for _ in range(2)) + suffix


def make_corpus(folder: str | Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` varied copies of the seeds into ``folder``; returns their paths."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    seeds = []
    for path in sorted(bundled_dir().glob("*.txt")):
        meta = read_report(path).meta
        seeds.append((path, path.read_text("utf-8"), meta.jurisdiction, meta.division_type))
    written = []
    for i in range(n):
        path, text, name, kind = seeds[i % len(seeds)]
        new_name = _other_name(name, kind, rng)
        varied = text.replace(name, new_name)
        varied = _NUMBER.sub(lambda m: str(max(10, int(int(m.group(1)) * rng.uniform(0.5, 1.5)))), varied)
        # a sentence of its own, so that no two reports are the same text (the cache cannot cheat)
        varied = varied.replace("。", f"。全年共受理群众来信{i + 10}件、来访{rng.randint(10, 9999)}人次。", 1)
        out = folder / f"{i:05d}_{path.stem.split('_')[0]}.txt"
        out.write_text(varied, encoding="utf-8")
        written.append(out)
    return written
