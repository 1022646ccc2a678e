"""Writing the tables: parquet, CSV, Excel and Stata, and a lossless save/load of a corpus.

* parquet (pyarrow) keeps every type and is what :meth:`Corpus.save` / :meth:`Corpus.load` use;
* CSV is UTF-8 with a BOM, so Excel opens Chinese text correctly;
* Excel puts each table on its own sheet;
* Stata files are format 118 (Stata 14+), which stores Unicode, so Chinese text is kept; long
  texts become strL; the column ``end`` is written as ``_end`` (``end`` is reserved in Stata).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import schema

if TYPE_CHECKING:
    from .corpus import Corpus

LOGGER = logging.getLogger(__name__)

__all__ = ["FORMATS", "write_tables", "save_corpus", "load_saved", "write_data_dictionary"]

FORMATS = ("parquet", "csv", "xlsx", "dta")
_EXCEL_MAX_CELL = 32767
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MANIFEST = "lawreports.json"


def _check_formats(formats: Iterable[str]) -> list[str]:
    formats = [f.strip().lower() for f in formats if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"The value for `formats` must be among {list(FORMATS)}, not {bad}")
    return formats


def _for_excel(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == "string" or out[col].dtype == object:
            out[col] = out[col].map(
                lambda v: _ILLEGAL_XML.sub("", v)[:_EXCEL_MAX_CELL] if isinstance(v, str) else v)
    return out


def _for_stata(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    out = pd.DataFrame(index=frame.index)
    strl: list[str] = []
    dates: dict[str, str] = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_bool_dtype(s.dtype):
            out[col] = s.astype("Float64").astype("float64")
        elif pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_float_dtype(s.dtype):
            out[col] = s.astype("Float64").astype("float64")
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[col] = s.astype("datetime64[ns]")
            dates[col] = "td"
        else:
            values = s.astype(object).where(s.notna(), "")
            out[col] = values.map(lambda v: _ILLEGAL_XML.sub("", str(v)))
            longest = out[col].map(lambda v: len(v.encode("utf-8"))).max() if len(out) else 0
            if longest > 2000:          # Stata's str# holds at most 2045 bytes; longer text is strL
                strl.append(col)
    return out, strl, dates


def write_tables(corpus: Corpus, out: str | Path, formats: Iterable[str] = ("parquet", "csv"),
                 derived: dict[str, pd.DataFrame] | None = None) -> list[Path]:
    """Write every table of ``corpus`` into ``out`` in each of ``formats``; returns the files written.

    ``derived``: tables across reports (lawreports.derived.derived_tables) written after them.
    """
    formats = _check_formats(formats)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tables = {name: corpus.to_pandas().table(name) for name in schema.TABLES}
    tables.update(derived or {})        # issue 15: timeliness, panel, reuse, reuse_measures
    written: list[Path] = []
    for fmt in formats:
        if fmt == "xlsx":
            path = out / "lawreports.xlsx"
            with pd.ExcelWriter(path, engine="openpyxl") as writer:
                for name, frame in tables.items():
                    _for_excel(frame).to_excel(writer, sheet_name=name, index=False)
            written.append(path)
            continue
        for name, frame in tables.items():
            path = out / f"{name}.{fmt}"
            if fmt == "parquet":
                frame.to_parquet(path, index=False)
            elif fmt == "csv":
                frame.to_csv(path, index=False, encoding="utf-8-sig")
            elif fmt == "dta":
                # "end" is a reserved word in Stata: the column is written as "_end"
                data, strl, dates = _for_stata(frame.rename(columns={"end": "_end"}))
                labels = {("_end" if c == "end" else c): d[:80] for c, _, d in
                          {**schema.TABLES, **schema.DERIVED_TABLES}.get(name, [])
                          if ("_end" if c == "end" else c) in data.columns}
                data.to_stata(path, write_index=False, version=118, convert_strl=strl,
                              convert_dates=dates, variable_labels=labels)
            written.append(path)
    return written


def write_data_dictionary(out: str | Path) -> Path:
    """Write ``data_dictionary.csv``: every table's columns with type and meaning."""
    path = Path(out) / "data_dictionary.csv"
    schema.data_dictionary().to_csv(path, index=False, encoding="utf-8-sig")
    return path


def save_corpus(corpus: Corpus, directory: str | Path) -> Path:
    """Save every table as parquet with a manifest; :func:`load_saved` reads it back unchanged."""
    from . import __version__

    directory = Path(directory)
    write_tables(corpus, directory, ["parquet"])
    pandas_corpus = corpus.to_pandas()
    manifest = {"lawreports": __version__, "tables": list(schema.TABLES),
                "documents": dict(zip(pandas_corpus.reports["report_id"], pandas_corpus.reports["path"]))}
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return directory


def load_saved(directory: str | Path) -> dict[str, pd.DataFrame]:
    """The tables saved by :func:`save_corpus`."""
    directory = Path(directory)
    if not (directory / MANIFEST).is_file():
        raise FileNotFoundError(f"{directory} holds no saved corpus ({MANIFEST} is missing); "
                                "save one with Corpus.save(directory)")
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    return {name: pd.read_parquet(directory / f"{name}.parquet") for name in manifest["tables"]}
