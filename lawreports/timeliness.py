"""Did the government publish on time? Each report's dates against the deadlines in force.

The deadlines are data: ``resources/deadlines.csv`` (documented at its top, read once by
:func:`load_deadlines`). Since the 2019 rules (《法治政府建设与责任落实督察工作规定》, 2019年5月)
a report must be public by 1 April of the next year and sent to the level above by 1 March
(provinces: 1 April); before them (the 2015 outline) both within the first quarter, by 31 March.

:func:`timeliness` gives one row per report: the deadline for its report year, ``days_late``
(published minus deadline, negative is early), ``on_time``, which date that rests on
(``date_basis``: the page's publication date, or the signature date when the page gives none),
and where the signature date is known the days from signing to publication and whether the
report was signed by the deadline for reporting to the level above. A missing date gives
missing values, never a guess.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
from typing import Any

import pandas as pd

from . import schema
from ._inputs import _table
from .resource_files import read_text
from .vocab import TIERS

LOGGER = logging.getLogger(__name__)

__all__ = ["DEADLINE_KINDS", "COLUMNS", "load_deadlines", "deadline_for", "timeliness"]

#: The kinds of deadline in ``deadlines.csv``.
DEADLINE_KINDS = ("publish", "report")

#: Columns of the table :func:`timeliness` returns (documented in :mod:`lawreports.schema`).
COLUMNS = ("report_id", "jurisdiction", "division_type", "tier", "report_year", "published", "signed",
           "date_basis", "publish_deadline", "days_late", "on_time", "report_deadline",
           "days_signed_to_published", "signed_by_report_deadline", "deadline_source")


@functools.lru_cache(maxsize=1)
def _deadlines() -> pd.DataFrame:
    raw = read_text("deadlines.csv")
    table = pd.read_csv(io.StringIO(raw), comment="#", dtype=str, keep_default_na=False)
    for col in ("year_from", "year_to"):
        table[col] = pd.to_numeric(table[col].replace("", pd.NA)).astype("Int64")
    for col in ("month", "day"):
        table[col] = table[col].astype(int)
    bad = sorted(set(table["deadline"]) - set(DEADLINE_KINDS))
    if bad:
        raise ValueError(f"deadlines.csv: the value for `deadline` must be one of {list(DEADLINE_KINDS)}, not {bad}")
    for tiers in table["tiers"]:
        unknown = set(tiers.split("|")) - set(TIERS) - {"*"}
        if unknown:
            raise ValueError(f"deadlines.csv: unknown tier(s) {sorted(unknown)}; allowed: {list(TIERS)} or *")
    return table


def load_deadlines() -> pd.DataFrame:
    """The deadline rules (a copy of ``resources/deadlines.csv``, read once)."""
    return _deadlines().copy()


def _rule(kind: str, report_year: Any, tier: Any) -> pd.Series | None:
    if report_year is None or pd.isna(report_year):
        return None
    return _rule_for(kind, int(report_year), tier if isinstance(tier, str) else None)


@functools.lru_cache(maxsize=None)
def _rule_for(kind: str, year: int, tier: str | None) -> pd.Series | None:
    """The rule of a kind, year and tier (a few dozen combinations: each looked up once)."""
    table = _deadlines()
    for _, row in table[table["deadline"] == kind].iterrows():
        if not pd.isna(row["year_from"]) and year < row["year_from"]:
            continue
        if not pd.isna(row["year_to"]) and year > row["year_to"]:
            continue
        tiers = row["tiers"].split("|")
        if "*" in tiers or (isinstance(tier, str) and tier in tiers):
            return row
    return None


def deadline_for(report_year: Any, tier: Any = None, kind: str = "publish") -> dt.date | None:
    """The deadline of ``kind`` ("publish" or "report") for a report on ``report_year`` by a body of ``tier``.

    Returns None when no rule covers the year (before 2015) or the tier (a report deadline with
    the tier unknown).

    >>> deadline_for(2019)
    datetime.date(2020, 4, 1)
    >>> deadline_for(2018)
    datetime.date(2019, 3, 31)
    >>> deadline_for(2022, "province", kind="report")
    datetime.date(2023, 4, 1)
    """
    if kind not in DEADLINE_KINDS:
        raise ValueError(f"The value for `kind` must be one of {list(DEADLINE_KINDS)}, not {kind!r}")
    row = _rule(kind, report_year, tier)
    if row is None:
        return None
    return dt.date(int(report_year) + 1, int(row["month"]), int(row["day"]))


def _days(later: Any, earlier: Any) -> Any:
    if later is None or earlier is None or pd.isna(later) or pd.isna(earlier):
        return pd.NA
    return (pd.Timestamp(later) - pd.Timestamp(earlier)).days


def timeliness(corpus_or_reports: Any) -> pd.DataFrame:
    """One row per report: its deadlines, how many days late it was published, and on what date that rests.

    Parameters
    ----------
    corpus_or_reports : Corpus, mapping of tables, or the ``reports`` DataFrame
        Needs ``report_id``, ``report_year``, ``published``; uses ``tier``, ``signed`` and
        ``warnings`` (``published_from_signature``) where present.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`. ``date_basis`` is ``page`` (the page's publication date) or
        ``signature`` (the page gives none, the signature date stood in); missing when there is
        no date. ``days_signed_to_published`` is missing when either date is missing or
        published *is* the signature date. Missing year, date or rule → missing values.

    Examples
    --------
    >>> import lawreports
    >>> t = timeliness(lawreports.load_corpus())
    >>> t.loc[t.jurisdiction == "天镇县", ["days_late", "on_time"]].iloc[0].tolist()
    [-1, True]
    """
    reports = _table(corpus_or_reports, "reports", required=("report_id", "report_year", "published"))
    rows = []
    used = ("report_id", "tier", "published", "signed", "warnings", "report_year", "jurisdiction", "division_type")
    for rec in reports[[c for c in used if c in reports.columns]].to_dict("records"):    # the columns read
        tier = rec.get("tier")
        tier = tier if isinstance(tier, str) else None
        published = rec.get("published")
        published = None if published is None or pd.isna(published) else pd.Timestamp(published).date()
        signed = rec.get("signed")
        signed = None if signed is None or pd.isna(signed) else pd.Timestamp(signed).date()
        warnings = rec.get("warnings")
        warnings = warnings.split(";") if isinstance(warnings, str) else []
        from_signature = "published_from_signature" in warnings
        basis = None if published is None else ("signature" if from_signature else "page")
        year = rec.get("report_year")
        publish_rule = _rule("publish", year, tier)
        publish_deadline = deadline_for(year, tier, "publish")
        report_deadline = deadline_for(year, tier, "report")
        days_late = _days(published, publish_deadline)
        signed_days = pd.NA if from_signature else _days(published, signed)
        signed_late = _days(signed, report_deadline)
        rows.append({
            "report_id": rec["report_id"],
            "jurisdiction": rec.get("jurisdiction"),
            "division_type": rec.get("division_type"),
            "tier": tier,
            "report_year": year,
            "published": published,
            "signed": signed,
            "date_basis": basis,
            "publish_deadline": publish_deadline,
            "days_late": days_late,
            "on_time": pd.NA if pd.isna(days_late) else bool(days_late <= 0),
            "report_deadline": report_deadline,
            "days_signed_to_published": signed_days,
            "signed_by_report_deadline": pd.NA if pd.isna(signed_late) else bool(signed_late <= 0),
            "deadline_source": None if publish_rule is None else publish_rule["source"],
        })
    return schema.coerce("timeliness", pd.DataFrame(rows, columns=list(COLUMNS)))
