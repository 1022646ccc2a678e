"""Corpora for the corpus-level hostile kinds, generated at test time from the seeds (data/raw).

:func:`varied_corpus` writes ``n`` report files that parse like the seeds (title, headings and
numbers kept) but whose sentences are scrambled: half of their other Chinese characters are
redrawn, so no two files share passages. Near-copies (``benchmarks/synth.py``) would make the
text-reuse table compare every file with a hundred others, which is what a reuse benchmark
wants and a test of interrupts or many files does not.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMBER = re.compile(r"(?<![\d.])(\d{2,})(?![\d.]|\s*年)")


def seeds() -> list[Path]:
    return sorted(RAW.glob("*.txt"))


@lru_cache(maxsize=1)
def _pool() -> str:
    """The Chinese characters of the seeds: redrawn characters come from them (a page's embedded
    font is a subset of the characters it shows, so new characters would make it grow)."""
    return "".join(sorted(set(_CJK.findall("".join(p.read_text("utf-8") for p in seeds())))))


def _scramble(line: str, rng: random.Random) -> str:
    if len(line) <= 30:                    # titles, headings, dates: kept, so the file parses alike
        return line
    pool = _pool()
    line = _CJK.sub(lambda m: rng.choice(pool) if rng.random() < 0.5 else m.group(), line)
    return _NUMBER.sub(lambda m: str(rng.randint(10, 99999)), line)


def varied_text(i: int, seed: int = 0) -> str:
    """The text of file ``i``: seed ``i % 5`` with its long lines scrambled."""
    rng = random.Random(seed * 1_000_003 + i)
    text = seeds()[i % len(seeds())].read_text("utf-8")
    return "\n".join(_scramble(line, rng) for line in text.splitlines()) + "\n"


def varied_corpus(folder: str | Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` varied reports into ``folder`` (``00000.txt`` …); returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        path = folder / f"{i:05d}.txt"
        path.write_text(varied_text(i, seed), encoding="utf-8")
        out.append(path)
    return out


def small_text(i: int, seed: int = 0) -> str:
    """A short report (~600 bytes): a county's title, three headings, a scrambled sentence under each."""
    rng = random.Random(seed * 1_000_003 + i)
    pool = _pool()
    name = "".join(rng.choice("安平和兴长宁丰华新永福泰清河阳春山水石桥龙凤金玉") for _ in range(2)) + "县"
    body = [f"{name}人民政府关于{2018 + i % 5}年度法治政府建设情况的报告"]
    for head in ("一、主要工作", "二、存在的不足", "三、下一步工作安排"):
        body.append(head)
        body.append("".join(rng.choice(pool) for _ in range(60)) + f"，共{rng.randint(10, 999)}件。")
    return "\n".join(body) + "\n"


def small_corpus(folder: str | Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` short distinct reports into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        path = folder / f"{i:05d}.txt"
        path.write_text(small_text(i, seed), encoding="utf-8")
        out.append(path)
    return out
