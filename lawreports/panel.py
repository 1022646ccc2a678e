"""Panels: one row per reporting unit and report year, to follow a government's stated rates over time.

A unit is identified by its division code, not its name: a county renamed, or made a district
under the same code, is one unit; namesakes in different provinces are two. :func:`unit_ids`
keys each report on

1. ``adcode`` (six digits, ``reports`` table) where present (mapped through ``crosswalk`` when
   given, for a code that changed: ``{"old": "new"}``);
2. else a township code column (``township_code``) where the table has one and the row a value;
3. else ``province|prefecture|jurisdiction``, with ``unit_basis == "names"`` as a flag: a
   renamed town splits into two units, and researchers should check these rows.

A department (``division_type == "department"``) reports for its own body, so its unit is the
code (or names) plus ``:`` and the body (伊春市司法局 is not 伊春市).

Several reports of one unit and year — an exact copy (``reports.duplicate_of``) or two
different reports — are resolved by :data:`KEEP_RULE` and flagged (``n_reports``,
``dropped_reports``), never counted twice.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import schema
from ._inputs import _table

LOGGER = logging.getLogger(__name__)

__all__ = ["AGGREGATES", "DEFAULT_MEASURES", "KEEP_RULE", "TOWNSHIP_CODE_COLUMNS", "panel", "unit_ids",
           "resolve_duplicates"]

#: Report-level measures in a panel by default (``days_late`` comes from :mod:`lawreports.timeliness`).
DEFAULT_MEASURES = ("n_chars", *(f"has_{p}" for p in schema.PARTS), "n_shortcomings", "days_late")
#: How several values of one indicator in one report become one: ``first`` stated (text order) by default.
AGGREGATES = ("first", "last", "mean", "min", "max")
#: Columns that may hold a township-level division code (the national table stops at counties).
TOWNSHIP_CODE_COLUMNS = ("township_code",)
#: Which report of one unit and year is kept, in order of the criteria.
KEEP_RULE = ("not an exact copy (duplicate_of empty); then the highest structure_score; then the most "
             "characters (n_chars); then the earliest published; then the smallest report_id")


def _clean(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    value = str(value).strip()
    return value or None


def unit_ids(reports: Any, *, crosswalk: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``report_id``, ``unit_id`` and ``unit_basis`` (adcode, township_code or names) of every report."""
    reports = _table(reports, "reports", required=("report_id",))
    crosswalk = dict(crosswalk or {})
    code_col = next((c for c in TOWNSHIP_CODE_COLUMNS if c in reports.columns), None)
    rows = []
    used = ("report_id", "adcode", code_col, "province", "prefecture", "jurisdiction", "division_type", "body")
    for rec in reports[[c for c in used if c in reports.columns]].to_dict("records"):    # the columns read
        adcode = _clean(rec.get("adcode"))
        township = _clean(rec.get(code_col)) if code_col else None
        if adcode:
            unit, basis = crosswalk.get(adcode, adcode), "adcode"
        elif township:
            unit, basis = township, "township_code"
        else:
            names = [_clean(rec.get(c)) or "" for c in ("province", "prefecture", "jurisdiction")]
            unit, basis = "|".join(names), "names"
        if rec.get("division_type") == "department":
            unit += ":" + (_clean(rec.get("body")) or _clean(rec.get("jurisdiction")) or "")
        rows.append({"report_id": rec["report_id"], "unit_id": unit, "unit_basis": basis})
    return pd.DataFrame(rows, columns=["report_id", "unit_id", "unit_basis"]).astype("string")


def resolve_duplicates(reports: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """One report per unit and year by :data:`KEEP_RULE`, with ``n_reports`` and ``dropped_reports``.

    Reports without a report year cannot be placed in a panel and are left out.
    """
    data = reports.merge(units, on="report_id", how="left")
    data = data[data["report_year"].notna()].copy()
    copy = data["duplicate_of"].notna() if "duplicate_of" in data.columns else pd.Series(False, index=data.index)
    data["_copy"] = copy.astype(bool)
    for col, default in (("structure_score", np.nan), ("n_chars", np.nan), ("published", pd.NaT)):
        if col not in data.columns:
            data[col] = default
    data["_score"] = pd.to_numeric(data["structure_score"], errors="coerce").fillna(-1.0)
    data["_chars"] = pd.to_numeric(data["n_chars"], errors="coerce").fillna(-1)
    data["_published"] = pd.to_datetime(data["published"], errors="coerce").fillna(pd.Timestamp.max)
    data = data.sort_values(["unit_id", "report_year", "_copy", "_score", "_chars", "_published", "report_id"],
                            ascending=[True, True, True, False, False, True, True], kind="stable")
    group = data.groupby(["unit_id", "report_year"], sort=False)
    data["n_reports"] = group["report_id"].transform("size")
    dropped = group["report_id"].agg(lambda ids: ";".join(sorted(ids.iloc[1:])))
    kept = data.drop_duplicates(["unit_id", "report_year"], keep="first").copy()
    kept["dropped_reports"] = [dropped.get((u, y), "") for u, y in zip(kept["unit_id"], kept["report_year"])]
    kept["dropped_reports"] = kept["dropped_reports"].replace("", pd.NA)
    n_dup = int((kept["n_reports"] > 1).sum())
    if n_dup:
        LOGGER.info("panel: %d unit-years had several reports; kept one each (%s)", n_dup, KEEP_RULE)
    return kept.drop(columns=["_copy", "_score", "_chars", "_published"])


def _indicator_values(indicators: pd.DataFrame, names: Sequence[str], kind: str | None,
                      aggregate: str) -> pd.DataFrame:
    # the rows of the names (and kind) asked for, only the columns read (a rate's sentence is not copied)
    used = [c for c in ("report_id", "indicator", "value", "kind", "start") if c in indicators.columns]
    rows = indicators.loc[indicators["indicator"].isin(list(names)), used]
    if kind is not None:
        rows = rows[rows["kind"] == kind]
    order = ["report_id", "indicator"] + (["start"] if "start" in rows.columns else [])
    rows = rows.sort_values(order, kind="stable")
    group = rows.groupby(["report_id", "indicator"], sort=False)["value"]
    value = group.agg(aggregate).unstack("indicator")
    n_values = group.size().unstack("indicator")
    out = pd.DataFrame(index=value.index)
    for name in names:
        out[name] = value[name].astype("Float64") if name in value.columns else pd.array([pd.NA] * len(out), "Float64")
        counts = n_values[name] if name in n_values.columns else pd.Series(0, index=out.index)
        out[f"{name}_n_values"] = counts.fillna(0).astype("Int64")
    return out


def panel(corpus: Any, indicators: Sequence[str] = (), measures: Sequence[str] = DEFAULT_MEASURES, *,
          kind: str | None = "rate", aggregate: str = "first",
          crosswalk: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per reporting unit × report year, with indicators, report measures and year-on-year changes.

    Parameters
    ----------
    corpus : Corpus or mapping of tables
        Needs ``reports``; ``indicators`` when ``indicators`` are asked for.
    indicators : sequence of str
        Canonical names from ``corpus.indicators["indicator"]`` (调解成功率, 行政复议纠错率…).
        Each becomes a column of values, ``<name>_n_values`` (how many values of it the report
        states) and ``<name>_change``.
    measures : sequence of str
        Columns of ``reports`` (``n_chars``, ``has_<part>``, ``n_shortcomings``…) or ``days_late``.
    kind : str or None, default "rate"
        Only indicator rows of this kind (``None``: any kind).
    aggregate : {"first", "last", "mean", "min", "max"}, default "first"
        How several values of one indicator in one report become one; ``first`` is the first
        stated in the text.
    crosswalk : mapping, optional
        Old adcode → new adcode, for units whose code changed (县改区 with a new code).

    Returns
    -------
    DataFrame
        ``unit_id``, ``unit_basis``, ``report_year``, ``report_id``, ``jurisdiction``,
        ``division_type``, ``tier``, ``province``, ``prefecture``, ``n_reports``,
        ``dropped_reports``, the measures, ``<measure>_change`` for each numeric (not boolean)
        measure, then the indicator columns. A change is this year minus the previous year's
        and is missing unless the unit has a row for ``report_year - 1``. Sorted by unit and year.

    Examples
    --------
    >>> import lawreports
    >>> p = panel(lawreports.load_corpus(), indicators=["调解成功率"])
    >>> p.loc[p.jurisdiction == "天镇县", ["unit_id", "report_year", "调解成功率"]].values.tolist()
    [['140222', 2019, 95.0]]
    """
    if aggregate not in AGGREGATES:
        raise ValueError(f"The value for `aggregate` must be one of {list(AGGREGATES)}, not {aggregate!r}")
    if isinstance(indicators, str) or isinstance(measures, str):
        raise TypeError("`indicators` and `measures` must be lists of names, not a single string")
    reports = _table(corpus, "reports", required=("report_id", "report_year"))
    allowed = [c for c in reports.columns if c != "report_id"] + ["days_late"]
    bad = [m for m in measures if m not in allowed]
    if bad:
        raise ValueError(f"The value for `measures` must be among the columns of `reports` or 'days_late'; "
                         f"{bad} are not (allowed: {allowed})")
    units = unit_ids(reports, crosswalk=crosswalk)
    kept = resolve_duplicates(reports, units)
    if "days_late" in measures and "days_late" not in kept.columns:
        from .timeliness import timeliness

        kept = kept.merge(timeliness(reports)[["report_id", "days_late"]], on="report_id", how="left")
    ident = ["unit_id", "unit_basis", "report_year", "report_id", "jurisdiction", "division_type", "tier",
             "province", "prefecture", "n_reports", "dropped_reports"]
    for col in ident:
        if col not in kept.columns:
            kept[col] = pd.NA
    out = kept[ident + [m for m in measures if m not in ident]].copy()
    numeric = [m for m in measures if pd.api.types.is_numeric_dtype(out[m].dtype)
               and not pd.api.types.is_bool_dtype(out[m].dtype)]
    if indicators:
        values = _indicator_values(_table(corpus, "indicators", required=("report_id", "indicator", "value")),
                                   list(indicators), kind, aggregate)
        out = out.merge(values, left_on="report_id", right_index=True, how="left")
        for name in indicators:
            out[f"{name}_n_values"] = out[f"{name}_n_values"].fillna(0).astype("Int64")
    out["report_year"] = out["report_year"].astype("Int64")
    out["n_reports"] = out["n_reports"].astype("Int64")
    out = out.sort_values(["unit_id", "report_year"], kind="stable").reset_index(drop=True)
    # last year's values, keyed by the year they are last year of
    prev_values = out[["unit_id"] + numeric + list(indicators)].copy()
    prev_values["report_year"] = out["report_year"] + 1
    joined = out[["unit_id", "report_year"]].merge(prev_values, on=["unit_id", "report_year"], how="left",
                                                    suffixes=("", "_prev"))
    changes = {}
    for col in numeric + list(indicators):
        changes[f"{col}_change"] = (out[col].astype("Float64") - joined[col].astype("Float64").to_numpy())
        if pd.api.types.is_integer_dtype(out[col].dtype):
            changes[f"{col}_change"] = changes[f"{col}_change"].astype("Int64")
    measure_changes = [f"{c}_change" for c in numeric]
    for name in measure_changes:
        out[name] = changes[name]
    ordered = ident + [m for m in measures if m not in ident] + measure_changes
    for name in indicators:
        out[f"{name}_change"] = changes[f"{name}_change"]
        ordered += [name, f"{name}_n_values", f"{name}_change"]
    for col in ("unit_id", "unit_basis", "report_id", "jurisdiction", "division_type", "tier", "province",
                "prefecture", "dropped_reports"):
        out[col] = out[col].astype("string")
    return out[ordered]
