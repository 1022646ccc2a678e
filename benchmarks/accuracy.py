"""Who reported, scored on the gold set of real report pages (tests/fixtures/pages).

Each page is a real report page as published (its first ~2,000 characters, page chrome
included), labelled by hand in ``tests/fixtures/pages/labels.csv``. A blank label is not scored.

    python benchmarks/accuracy.py            # accuracy per field and per division_type
    python benchmarks/accuracy.py --misses   # and every miss: file, field, label, value, rule
    python benchmarks/accuracy.py --no-url   # the pages alone, without the address of each
    python benchmarks/accuracy.py --known-misses > tests/fixtures/pages/known_misses.csv

A value is right when it equals the label; a value left blank where the page has a label is a
miss (counted apart as "blank"), and so is a wrong value.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

import lawreports

PAGES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pages"
FIELDS = ("jurisdiction", "division_type", "province", "prefecture", "report_year", "published")


def load_labels(folder: Path = PAGES) -> list[dict[str, str]]:
    """The labelled pages (``labels.csv``)."""
    with open(folder / "labels.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def predict(folder: Path, row: dict[str, str], *, url: bool = True) -> tuple[dict[str, str], lawreports.Report]:
    report = lawreports.read_report(folder / row["file"], url=row.get("url") if url else None)
    meta = report.meta
    got = {f: getattr(meta, f) for f in FIELDS}
    got = {f: "" if v is None else str(v) for f, v in got.items()}
    return got, report


def score(folder: Path = PAGES, *, url: bool = True) -> dict:
    """Right, wrong and blank counts per field and per division_type; the misses."""
    per_field: dict[str, Counter] = defaultdict(Counter)
    per_type: dict[str, Counter] = defaultdict(Counter)
    misses = []
    for row in load_labels(folder):
        got, report = predict(folder, row, url=url)
        for field in FIELDS:
            want = (row.get(field) or "").strip()
            if not want:
                continue
            value = got[field]
            outcome = "right" if value == want else "blank" if not value else "wrong"
            per_field[field][outcome] += 1
            per_type[row["division_type"]][outcome] += 1
            if outcome != "right":
                ev = report.meta.evidence.get(field)
                misses.append((row["file"], field, want, value, ev.rule if ev else ""))
    return {"fields": per_field, "types": per_type, "misses": misses}


def known_misses(folder: Path = PAGES) -> list[dict[str, str]]:
    """Every labelled field missed (with the page's address given), and why, as far as can be told."""
    out = []
    for row in load_labels(folder):
        got, report = predict(folder, row)
        page = (folder / row["file"]).read_text("utf-8")
        for field in FIELDS:
            want = (row.get(field) or "").strip()
            if not want or got[field] == want:
                continue
            if got[field]:
                reason = "wrong value"
            elif "ambiguous_place" in report.meta.warnings and field in ("province", "prefecture"):
                reason = "namesakes the page cannot tell apart"
            elif field in ("report_year", "published"):
                reason = f"no {field.replace('_', ' ')} the page states as such"
            elif row["jurisdiction"] not in page:
                reason = "the page does not name the reporter (labelled from its address)"
            else:
                reason = "not found"
            out.append({"file": row["file"], "field": field, "label": want, "value": got[field],
                        "reason": reason})
    return out


def _line(name: str, c: Counter) -> str:
    n = sum(c.values())
    return (f"{name:16} {n:5} {c['right'] / n:8.1%} {c['wrong']:6} {c['blank']:6}" if n
            else f"{name:16} {n:5}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--folder", type=Path, default=PAGES)
    parser.add_argument("--no-url", action="store_true", help="score the pages alone, without their addresses")
    parser.add_argument("--known-misses", action="store_true",
                        help="print the misses as tests/fixtures/pages/known_misses.csv")
    args = parser.parse_args(argv)
    if args.known_misses:
        rows = known_misses(args.folder)
        sys.stdout.write("# Labelled fields the library misses today, with the reason: tests/test_gold.py expects\n"
                         "# each to fail (a strict xfail), so a fix shows up as a test to update. Made by\n"
                         "# python benchmarks/accuracy.py --known-misses > tests/fixtures/pages/known_misses.csv\n")
        writer = csv.DictWriter(sys.stdout, fieldnames=["file", "field", "label", "value", "reason"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return 0
    result = score(args.folder, url=not args.no_url)
    print("pages " + ("alone, without their addresses" if args.no_url else "with their addresses (labels.csv url)"))
    total = sum((c for c in result["fields"].values()), Counter())
    print(f"{'field':16} {'n':>5} {'right':>8} {'wrong':>6} {'blank':>6}")
    for field in FIELDS:
        print(_line(field, result["fields"][field]))
    print(_line("all fields", total))
    print(f"\n{'division_type':16} {'n':>5} {'right':>8} {'wrong':>6} {'blank':>6}")
    for kind in sorted(result["types"]):
        print(_line(kind, result["types"][kind]))
    if args.misses:
        print("\nmisses: file, field, label, value, rule")
        for miss in result["misses"]:
            print("  " + " | ".join(miss))
    return 0


if __name__ == "__main__":
    sys.exit(main())
