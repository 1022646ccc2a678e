"""The files researchers open: the data package descriptor, Stata types and labels, Excel layout."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from lawreports import export, schema
from lawreports.vocab import DIVISION_TYPES, TIERS


@pytest.fixture(scope="module")
def written(tmp_path_factory, corpus):
    out = tmp_path_factory.mktemp("export")
    files = export.write_tables(corpus, out, ["parquet", "csv", "xlsx", "dta"])
    return out, files


def test_the_data_package_describes_every_csv_as_written(written):
    out, files = written
    package = json.loads((out / "datapackage.json").read_text("utf-8"))
    assert out / "datapackage.json" in files
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(schema.TABLES) - set(schema.DATASET_ONLY)
    for name, res in resources.items():
        header = pd.read_csv(out / res["path"], encoding="utf-8-sig", nrows=0).columns.tolist()
        assert [f["name"] for f in res["schema"]["fields"]] == header, name
        for col in schema.stored_columns(name):
            assert col in header, (name, col)
    assert "text" not in [f["name"] for f in resources["sections"]["schema"]["fields"]]
    fields = {f["name"]: f for f in resources["reports"]["schema"]["fields"]}
    assert fields["adcode"]["type"] == "string" and fields["published"]["type"] == "date"
    assert fields["report_year"]["type"] == "integer" and fields["has_plans"]["type"] == "boolean"
    assert fields["jurisdiction"]["description"].startswith("the place that reports")
    assert resources["sections"]["schema"]["primaryKey"] == ["report_id", "section_id"]
    assert {"fields": ["report_id"], "reference": {"resource": "reports", "fields": ["report_id"]}} \
        in resources["indicators"]["schema"]["foreignKeys"]


def test_the_data_package_is_valid_for_frictionless(written):
    frictionless = pytest.importorskip("frictionless")
    out, _ = written
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:10]
    package = frictionless.Package(str(out / "datapackage.json"))
    rows = package.get_resource("reports").read_rows()
    assert all(isinstance(r["adcode"], str) for r in rows if r["adcode"] is not None)
    assert {type(r["published"]).__name__ for r in rows if r["published"]} == {"date"}


def test_csv_dates_are_dates_and_missing_values_are_empty(written):
    out, _ = written
    text = (out / "reports.csv").read_text("utf-8-sig")
    assert "00:00:00" not in text and "<NA>" not in text and "nan" not in text.lower().split(",")


def test_stata_integers_booleans_dates_and_value_labels(written, corpus):
    out, _ = written
    from pandas.io.stata import StataReader

    with StataReader(out / "reports.dta") as reader:
        data = reader.read(convert_categoricals=False)
        formats = dict(zip(reader._varlist, reader._fmtlist))
        labels = reader.value_labels()
        types = dict(zip(reader._varlist, reader._typlist))
    for col in ("published", "signed"):
        assert formats[col] == "%td"
    for col in ("report_year", "n_chars", "has_plans", "has_shortcomings", "division_type", "tier"):
        assert types[col] in ("b", "h", "l", 251, 252, 253), (col, types[col])     # byte, int, long
    assert data["report_year"].dropna().astype(int).tolist() == corpus.reports["report_year"].tolist()
    assert labels["division_type"][DIVISION_TYPES.index("county") + 1] == "county"
    assert labels["tier"] == {i: t for i, t in enumerate(TIERS, start=1)}
    labelled = pd.read_stata(out / "reports.dta")
    assert labelled["division_type"].astype(str).tolist() == corpus.reports["division_type"].tolist()
    assert (pd.to_datetime(labelled["published"]) == corpus.reports["published"]).all()
    with StataReader(out / "shortcomings.dta") as reader:
        reader.read()
        assert dict(zip(reader._varlist, reader._typlist))["_end"] in ("b", "h", "l", 251, 252, 253)


def test_excel_dates_frozen_header_and_widths(written):
    openpyxl = pytest.importorskip("openpyxl")
    out, _ = written
    book = openpyxl.load_workbook(out / "lawreports.xlsx")
    assert book.sheetnames == [t for t in schema.TABLES if t not in schema.DATASET_ONLY]
    sheet = book["reports"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    col = header.index("published") + 1
    cell = sheet.cell(row=2, column=col)
    assert cell.number_format == "YYYY-MM-DD" and cell.value is not None
    letter = openpyxl.utils.get_column_letter(header.index("title") + 1)
    assert 20 <= sheet.column_dimensions[letter].width <= 62
    frame = pd.read_excel(out / "lawreports.xlsx", sheet_name="reports")
    assert frame["published"].dtype.kind == "M"


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_each_format_writes_one_table_from_a_frame(tmp_path, corpus, fmt):
    frame = corpus.to_pandas()._tables["reports"]
    path = export.WRITERS[fmt]("reports", frame, export.output_path(tmp_path, "reports", fmt))
    assert path.is_file() and path.stat().st_size > 0
    back = {"parquet": pd.read_parquet, "csv": lambda p: pd.read_csv(p, encoding="utf-8-sig"),
            "xlsx": lambda p: pd.read_excel(p, sheet_name="reports"), "dta": pd.read_stata}[fmt](path)
    assert len(back) == len(frame)
    if fmt != "csv":
        assert back["published"].dtype.kind == "M", fmt


def test_a_wrong_format_names_the_allowed_ones(tmp_path, corpus):
    with pytest.raises(ValueError, match="formats"):
        export.write_tables(corpus, tmp_path, ["docx"])
