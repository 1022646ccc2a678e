"""Writing the tables: parquet, CSV (with a Frictionless Data Package descriptor), Excel and Stata.

Each format has one function that writes one table, ``write_<format>(name, frame, path)``
(:data:`WRITERS`), so a table can be written from any source of frames (a corpus in memory, or
tables read back one at a time); :func:`write_tables` calls them for every table of a corpus.

* parquet (pyarrow) keeps every type (:meth:`Corpus.save` / :meth:`Corpus.load` use it too);
* CSV is UTF-8 with a BOM, so Excel opens Chinese text correctly; dates are written
  ``YYYY-MM-DD``, booleans ``True``/``False``, missing values as empty fields. CSV is lossless:
  a value is written as it is, also one that starts with ``=``, ``+``, ``-`` or ``@`` (a
  spreadsheet opening the CSV may take it for a formula; OWASP's advice of prefixing ``'``
  would change the data every other reader gets). Open the tables in Excel from
  ``lawreports.xlsx``, where such a cell is text;
  ``datapackage.json`` (:func:`write_datapackage`) describes every CSV written: its columns with
  types and meanings (:data:`lawreports.schema.TABLES`), primary keys and the foreign keys on
  ``report_id``, so ``frictionless``, R's ``frictionless``/``datapackage`` packages or
  ``pandas`` (through the types it gives) read ``adcode`` as text and dates as dates;
* Excel puts each table on its own sheet of ``lawreports.xlsx``, header row frozen, columns
  sized to their content, dates as dates without a time; a text cell is always a string cell,
  never a formula, whatever it starts with (``=HYPERLINK(…)`` from a report is shown, not run),
  and one that starts with ``=``, ``+``, ``-`` or ``@`` (after tabs or carriage returns) is
  marked quote-prefixed, so it stays text when edited in Excel;
* Stata files are format 118 (Stata 14+), which stores Unicode, so Chinese text is kept; long
  texts become strL; integers and booleans are integer types, dates are Stata dates (``%td``),
  ``division_type`` and ``tier`` are integer codes with value labels; the column ``end`` is
  written as ``_end`` (``end`` is reserved in Stata).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import schema
from .vocab import FORMATS
from .vocab import DIVISION_TYPES, TIERS

if TYPE_CHECKING:
    from .corpus import Corpus

LOGGER = logging.getLogger(__name__)

__all__ = ["FORMATS", "WRITERS", "write_tables", "write_parquet", "write_csv", "write_xlsx", "write_dta",
           "table_resource", "write_datapackage", "write_data_dictionary", "output_path"]

#: The Excel workbook every table goes into (one sheet per table).
EXCEL_FILE = "lawreports.xlsx"
DATAPACKAGE_FILE = "datapackage.json"
_EXCEL_MAX_CELL = 32767
_EXCEL_MAX_ROWS = 1_048_575
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Text a spreadsheet would take for a formula (typed, or read from CSV).
_FORMULA_LIKE = r"^[\t\r]*[=+\-@]"
#: Stata value labels: the integer code of each value (1-based, in the vocabulary's order).
STATA_VALUE_LABELS: dict[str, tuple[str, ...]] = {"division_type": DIVISION_TYPES, "tier": TIERS}
#: Schema type → Frictionless Table Schema type.
_FRICTIONLESS_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "date": "date"}


def _check_formats(formats: Iterable[str]) -> list[str]:
    formats = [f.strip().lower() for f in formats if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"The value for `formats` must be among {list(FORMATS)}, not {bad}")
    return list(dict.fromkeys(formats))


def output_path(out: str | Path, name: str, fmt: str) -> Path:
    """The file table ``name`` is written to in format ``fmt`` (all Excel sheets share one workbook)."""
    return Path(out) / (EXCEL_FILE if fmt == "xlsx" else f"{name}.{fmt}")


def _kind(name: str, column: str, series: pd.Series) -> str:
    """The schema type of a column (from :data:`schema.TABLES`, else from its dtype)."""
    for col, kind, _ in schema.TABLES.get(name, ()):
        if col == column:
            return kind
    if pd.api.types.is_bool_dtype(series.dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "int"
    if pd.api.types.is_float_dtype(series.dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return "date"
    return "str"


# -- parquet and CSV ------------------------------------------------------------------------------


def write_parquet(name: str, frame: pd.DataFrame, path: str | Path) -> Path:
    """Write table ``name`` as parquet (every type kept)."""
    path = Path(path)
    frame.to_parquet(path, index=False)
    return path


def _for_csv(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if _kind(name, col, out[col]) == "date" and pd.api.types.is_datetime64_any_dtype(out[col].dtype):
            out[col] = out[col].dt.strftime("%Y-%m-%d").astype("string")
    return out


def write_csv(name: str, frame: pd.DataFrame, path: str | Path) -> Path:
    """Write table ``name`` as CSV: UTF-8 with a BOM, dates ``YYYY-MM-DD``, missing values empty."""
    path = Path(path)
    _for_csv(name, frame).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def table_resource(name: str, frame: pd.DataFrame, path: str | Path, *, base: str | Path | None = None) -> dict[str, Any]:
    """The Data Package resource describing the CSV of table ``name`` as :func:`write_csv` writes it.

    The fields are the columns of ``frame`` (the stored columns, :func:`schema.stored_columns`,
    and any column the schema does not know), with the schema's type and description.
    """
    path = Path(path)
    described = {c: d for c, _, d in {**schema.TABLES, **schema.DERIVED_TABLES}.get(name, ())}
    fields = []
    for col in frame.columns:
        kind = _kind(name, col, frame[col])
        field: dict[str, Any] = {"name": str(col), "type": _FRICTIONLESS_TYPES[kind],
                                 "description": described.get(col, "not in the lawreports schema")}
        if kind == "bool":
            field["trueValues"], field["falseValues"] = ["True"], ["False"]
        if kind == "date":
            field["format"] = "%Y-%m-%d"
        if col == "adcode" or col == "parent_adcode":
            field["constraints"] = {"pattern": "[0-9]{6}"}
        fields.append(field)
    table_schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    key = [c for c in schema.PRIMARY_KEYS.get(name, ()) if c in frame.columns]
    if key and len(key) == len(schema.PRIMARY_KEYS[name]):
        table_schema["primaryKey"] = key
    foreign = []
    if name != "reports" and "report_id" in frame.columns:
        foreign.append({"fields": ["report_id"], "reference": {"resource": "reports", "fields": ["report_id"]}})
    if name == "reports" and "duplicate_of" in frame.columns:
        foreign.append({"fields": ["duplicate_of"], "reference": {"resource": "", "fields": ["report_id"]}})
    if foreign:
        table_schema["foreignKeys"] = foreign
    rel = path.relative_to(base).as_posix() if base is not None else path.name
    return {"name": name, "path": rel, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig", "title": name,
            "description": schema.TABLE_DESCRIPTIONS.get(name, ""), "schema": table_schema}


def write_datapackage(resources: Iterable[Mapping[str, Any]], out: str | Path) -> Path:
    """Write ``datapackage.json`` (a Frictionless Data Package) listing ``resources`` in ``out``."""
    from . import __version__

    resources = list(resources)
    names = {r["name"] for r in resources}
    for res in resources:            # a foreign key may only point at a resource in the package
        keys = res["schema"].get("foreignKeys", [])
        keys[:] = [k for k in keys if k["reference"]["resource"] in ("", *names)]
        if not keys:
            res["schema"].pop("foreignKeys", None)
    descriptor = {
        "profile": "tabular-data-package",
        "name": "lawreports",
        "title": "Annual rule-of-law reports (法治政府建设年度报告) as tidy tables",
        "description": "Tables written by lawreports build; every column is described in data_dictionary.csv.",
        "created_by": f"lawreports {__version__}",
        "resources": resources,
    }
    path = Path(out) / DATAPACKAGE_FILE
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


# -- Excel ----------------------------------------------------------------------------------------


def _for_excel(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == "string" or out[col].dtype == object:
            out[col] = out[col].map(
                lambda v: _ILLEGAL_XML.sub("", v)[:_EXCEL_MAX_CELL] if isinstance(v, str) else v)
        elif pd.api.types.is_datetime64_any_dtype(out[col].dtype):
            out[col] = out[col].astype("datetime64[ns]")
    return out


def _display_width(value: Any) -> int:
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)     # CJK characters are two columns wide


def write_xlsx(name: str, frame: pd.DataFrame, path: str | Path) -> Path:
    """Write table ``name`` as a sheet of the workbook ``path`` (created if missing, the sheet replaced).

    The header row is frozen, columns are as wide as their content (within 8 and 60 characters)
    and dates are shown ``YYYY-MM-DD``. Cells are cut at Excel's 32,767 characters and sheets at
    its 1,048,576 rows (with a warning); the CSV and parquet files keep everything.
    """
    path = Path(path)
    mode: dict[str, Any] = {"mode": "a", "if_sheet_exists": "replace"} if path.exists() else {"mode": "w"}
    with pd.ExcelWriter(path, engine="openpyxl", date_format="YYYY-MM-DD", datetime_format="YYYY-MM-DD",
                        **mode) as writer:
        _write_sheet(writer, name, frame)
    return path


def write_workbook(tables: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write every table as a sheet of one new workbook, opened once (not once per sheet)."""
    path = Path(path)
    with pd.ExcelWriter(path, engine="openpyxl", date_format="YYYY-MM-DD",
                        datetime_format="YYYY-MM-DD", mode="w") as writer:
        for name, frame in tables.items():
            LOGGER.info("writing sheet %s of %s (%d rows)", name, path, len(frame))
            _write_sheet(writer, name, frame)
    return path


def _write_sheet(writer: Any, name: str, frame: pd.DataFrame) -> None:
    data = _for_excel(frame)
    if len(data) > _EXCEL_MAX_ROWS:
        LOGGER.warning("table %s has %d rows; Excel holds %d: the sheet is cut (see %s.csv)",
                       name, len(data), _EXCEL_MAX_ROWS, name)
        data = data.head(_EXCEL_MAX_ROWS)
    data.to_excel(writer, sheet_name=name[:31], index=False)
    sheet = writer.sheets[name[:31]]
    sheet.freeze_panes = "A2"
    from openpyxl.utils import get_column_letter

    sample = data.head(500)
    for i, col in enumerate(data.columns, start=1):
        width = max([_display_width(col)] + [_display_width(v) for v in sample[col].tolist()])
        if _kind(name, col, data[col]) == "date":
            width = 10
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "YYYY-MM-DD"       # a date, not "2020-03-31 00:00:00"
        sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
    _text_not_formulas(data, sheet)


def _text_not_formulas(data: pd.DataFrame, sheet: Any) -> None:
    """Make every text cell that looks like a formula a quote-prefixed string cell.

    openpyxl stores a string starting with ``=`` as a formula; a report's text must never run
    in the reader's spreadsheet.
    """
    for i, col in enumerate(data.columns, start=1):
        values = data[col]
        if not (values.dtype == "string" or values.dtype == object):
            continue
        text = values.map(lambda v: v if isinstance(v, str) else "")
        rows = [r for r, hit in enumerate(text.str.contains(_FORMULA_LIKE, regex=True).tolist()) if hit]
        for r in rows:
            cell = sheet.cell(row=r + 2, column=i)
            cell.data_type = "s"
            cell.quotePrefix = True


# -- Stata ----------------------------------------------------------------------------------------


def _for_stata(name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str], dict[str, str], dict[str, dict[int, str]]]:
    out = pd.DataFrame(index=frame.index)
    strl: list[str] = []
    dates: dict[str, str] = {}
    labels: dict[str, dict[int, str]] = {}
    for col in frame.columns:
        s = frame[col]
        kind = _kind(name, col, s)
        if col in STATA_VALUE_LABELS and kind == "str":
            vocab = list(STATA_VALUE_LABELS[col])
            vocab += sorted(set(s.dropna().astype(str)) - set(vocab))
            codes = {v: i for i, v in enumerate(vocab, start=1)}
            out[col] = s.map(lambda v: codes.get(str(v)) if isinstance(v, str) else pd.NA).astype("Int8"
                                                                                              if len(vocab) < 100 else "Int16")
            labels[col] = {i: v for v, i in codes.items()}
        elif kind == "bool" or pd.api.types.is_bool_dtype(s.dtype):
            out[col] = s.astype("boolean").astype("Int8")
        elif kind == "int" or pd.api.types.is_integer_dtype(s.dtype):
            values = s.astype("Int64")
            big = values.dropna().abs().max() if values.notna().any() else 0
            out[col] = values.astype("Int32") if big < 2_147_483_620 else values.astype("Float64")
        elif pd.api.types.is_float_dtype(s.dtype):
            out[col] = s.astype("Float64").astype("float64")
        elif kind == "date" or pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[col] = pd.to_datetime(s, errors="coerce").astype("datetime64[s]")
            dates[col] = "td"
        else:
            values = s.astype(object).where(s.notna(), "")
            out[col] = values.map(lambda v: _ILLEGAL_XML.sub("", str(v)))
            longest = out[col].map(lambda v: len(v.encode("utf-8"))).max() if len(out) else 0
            if longest > 2000:          # Stata's str# holds at most 2045 bytes; longer text is strL
                strl.append(col)
    return out, strl, dates, labels


def write_dta(name: str, frame: pd.DataFrame, path: str | Path) -> Path:
    """Write table ``name`` as a Stata 118 file (integers, %td dates, value labels; ``end`` → ``_end``)."""
    path = Path(path)
    # "end" is a reserved word in Stata: the column is written as "_end"
    data, strl, dates, value_labels = _for_stata(name, frame.rename(columns={"end": "_end"}))
    labels = {("_end" if c == "end" else c): d[:80] for c, _, d in
              {**schema.TABLES, **schema.DERIVED_TABLES}.get(name, ())
              if ("_end" if c == "end" else c) in data.columns}
    data.to_stata(path, write_index=False, version=118, convert_strl=strl, convert_dates=dates,
                  variable_labels=labels, value_labels=value_labels or None,
                  data_label=f"lawreports: {name}"[:80])
    return path


#: format → the function writing one table, ``f(name, frame, path) -> Path``.
WRITERS: dict[str, Callable[[str, pd.DataFrame, Path], Path]] = {
    "parquet": write_parquet, "csv": write_csv, "xlsx": write_xlsx, "dta": write_dta}


def write_tables(corpus: Corpus | Mapping[str, pd.DataFrame], out: str | Path,
                 formats: Iterable[str] = ("parquet", "csv"),
                 derived: Mapping[str, pd.DataFrame] | None = None) -> list[Path]:
    """Write every table of ``corpus`` into ``out`` in each of ``formats``; returns the files written.

    ``corpus`` is a :class:`~lawreports.Corpus` (its stored tables are written: sections without
    their derived text) or a mapping of table name → DataFrame. With CSV among the formats,
    ``datapackage.json`` describes the CSV files. ``derived``: the tables across reports
    (:func:`lawreports.derived.derived_tables`), written after them.
    """
    formats = _check_formats(formats)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if isinstance(corpus, Mapping):
        tables = dict(corpus)
    else:
        stored = corpus.to_pandas()._tables
        tables = {name: stored[name] for name in schema.TABLES
                  if name in stored and name not in schema.DATASET_ONLY}
    tables.update(derived or {})        # timeliness, panel, reuse, reuse_measures
    if "xlsx" in formats:
        check_excel_rows({name: len(frame) for name, frame in tables.items()})
    written: list[Path] = []
    resources = []
    # each file is written under a temporary name and renamed when whole: an interrupted build
    # leaves the previous file or none, never a half-written one
    for fmt in formats:
        if fmt == "xlsx":
            path = output_path(out, "", "xlsx")
            atomic_write(path, lambda tmp: write_workbook(tables, tmp))
            written.append(path)
            continue
        for name, frame in tables.items():
            path = output_path(out, name, fmt)
            LOGGER.info("writing %s (%d rows)", path, len(frame))
            atomic_write(path, lambda tmp, name=name, frame=frame: WRITERS[fmt](name, frame, tmp))
            if fmt == "csv":
                resources.append(table_resource(name, frame, path, base=out))
            if path not in written:
                written.append(path)
    if resources:
        written.append(write_datapackage(resources, out))
    return written


# -- from the dataset, streamed ----------------------------------------------------------------------


def parquet_schema(name: str) -> Any:
    """The Arrow schema of ``<name>.parquet`` as :func:`write_parquet` writes a corpus table
    (with pandas' metadata, so ``pandas.read_parquet`` gives the corpus's dtypes back)."""
    import pyarrow as pa

    return pa.Schema.from_pandas(schema.empty_frame(name, stored=True), preserve_index=False)


def _csv_batch(table: Any) -> Any:
    """A pyarrow table as :func:`write_csv` writes it: booleans ``True``/``False``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for i, field in enumerate(table.schema):
        if pa.types.is_boolean(field.type):
            table = table.set_column(i, field.name, pc.if_else(table.column(i), "True", "False"))
    return table


def stream_table(name: str, batches: Iterable[Any], paths: Mapping[str, Path]) -> dict[str, int]:
    """Write table ``name`` from pyarrow tables ``batches`` (in order) to ``paths`` (format → path).

    Parquet and CSV are written batch by batch, so memory holds one batch whatever the size of
    the table: parquet with the corpus table's types (:func:`parquet_schema`); CSV as
    :func:`write_csv` (UTF-8 with a BOM, dates ``YYYY-MM-DD``, booleans ``True``/``False``,
    missing values empty; text fields quoted, an empty text ``""``). Each file is written under
    a temporary name and renamed when whole. Returns the rows written.
    """
    import os

    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    target = parquet_schema(name)
    tmp = {fmt: _temporary(path) for fmt, path in paths.items()}
    pw = cw = fh = None
    csv_schema = _csv_batch(target.empty_table()).schema
    n = 0
    try:
        if "parquet" in paths:
            pw = pq.ParquetWriter(tmp["parquet"], target)
        for batch in batches:
            batch = batch.select(target.names).cast(target)
            n += batch.num_rows
            if pw is not None:
                pw.write_table(batch)
            if "csv" in paths:
                batch = _csv_batch(batch)
                if cw is None:
                    fh = open(tmp["csv"], "wb")
                    fh.write("\ufeff".encode())
                    cw = pacsv.CSVWriter(fh, csv_schema, write_options=pacsv.WriteOptions(quoting_style="needed"))
                cw.write_table(batch.cast(csv_schema))
        if "csv" in paths and cw is None:      # no rows: the header alone
            fh = open(tmp["csv"], "wb")
            fh.write("\ufeff".encode())
            cw = pacsv.CSVWriter(fh, csv_schema, write_options=pacsv.WriteOptions(quoting_style="needed"))
        if pw is not None:
            pw.close()
            pw = None
        if cw is not None:
            cw.close()
            fh.close()
            cw = fh = None
        for fmt, path in paths.items():
            os.replace(tmp[fmt], path)
    finally:
        if pw is not None:
            pw.close()
        if fh is not None:
            fh.close()
        for t in tmp.values():
            t.unlink(missing_ok=True)
    return n


def check_excel_rows(counts: Mapping[str, int]) -> None:
    """Refuse xlsx up front when a table has more rows than a sheet holds."""
    big = {name: n for name, n in counts.items() if n > _EXCEL_MAX_ROWS}
    if big:
        raise ValueError("a sheet holds at most 1,048,575 rows and "
                         + ", ".join(f"{n} has {k:,}" for n, k in big.items())
                         + ": leave xlsx out of --format (the CSV and parquet files hold every row)")


def _temporary(path: Path) -> Path:
    """The name a file is written under before it is renamed to ``path``."""
    import os

    return path.with_name(f".{path.name}.{os.getpid()}.tmp{path.suffix}")


def atomic_write(path: Path, write: Any) -> None:
    """Call ``write(tmp)`` on a temporary name beside ``path``, then rename it to ``path``: a reader
    never sees a half-written file."""
    import os

    tmp = _temporary(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_data_dictionary(out: str | Path) -> Path:
    """Write ``data_dictionary.csv``: every table's columns with type and meaning."""
    path = Path(out) / "data_dictionary.csv"
    schema.data_dictionary().to_csv(path, index=False, encoding="utf-8-sig")
    return path
