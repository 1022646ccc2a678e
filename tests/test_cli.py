"""The command line, the output formats, the cache, parallel parsing and the save/load round trip."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import lawreports
from lawreports import schema
from lawreports.cli import main

from conftest import RAW, SEEDS, seed_path

TABLES = list(schema.TABLES)


def test_build_on_the_bundled_corpus_writes_everything(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--out", str(out), "--format", "parquet,csv,xlsx,dta", "--quiet"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("lawreports: 5 reports read, 0 failed") and str(out) in last
    for table in TABLES:
        for fmt in ("parquet", "csv", "dta"):
            assert (out / f"{table}.{fmt}").is_file(), f"{table}.{fmt}"
    assert (out / "data_dictionary.csv").is_file()
    figures = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert figures == sorted(["parts.png", "rates_by_level.png", "indicator_coverage.png",
                              "shortcomings_profiles.png", "shortcomings_themes.png",
                              "shortcomings_similarity.png",
                              "publication_dates.png", "indicator_over_years.png"])   # issue 15
    for table in schema.DERIVED_TABLES:                                                # issue 15
        assert (out / f"{table}.csv").is_file() and (out / f"{table}.dta").is_file(), table
    page = (out / "index.html").read_text("utf-8")
    for name in SEEDS.values():
        assert name in page
    assert "figures/parts.png" in page and "reports.csv" in page and "could not be drawn" not in page
    assert "Timeliness: published by the deadline (5 reports, 0 late)" in page and "Text reuse" in page


def test_csv_and_stata_keep_chinese_text(tmp_path):
    assert main(["build", "--out", str(tmp_path), "--format", "csv,dta", "--no-figures", "--quiet"]) == 0
    csv = pd.read_csv(tmp_path / "reports.csv", encoding="utf-8-sig")
    dta = pd.read_stata(tmp_path / "reports.dta")
    assert sorted(csv["jurisdiction"]) == sorted(dta["jurisdiction"]) == sorted(SEEDS.values())
    items = pd.read_stata(tmp_path / "shortcomings.dta")
    assert items["text"].str.contains("法治思维").any()


def test_excel_has_one_sheet_per_table(tmp_path):
    assert main(["build", "--out", str(tmp_path), "--format", "xlsx", "--no-figures", "--quiet"]) == 0
    sheets = pd.read_excel(tmp_path / "lawreports.xlsx", sheet_name=None)
    assert list(sheets) == TABLES + list(schema.DERIVED_TABLES)      # the tables across reports after them
    assert len(sheets["reports"]) == 5


def test_failed_files_are_named_in_the_last_line(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(seed_path("000"), src)
    (src / "broken.pdf").write_bytes(b"%PDF-1.5 ...")
    assert main(["build", str(src), "--out", str(tmp_path / "out"), "--no-figures", "--quiet"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert "1 reports read, 1 failed, see" in last and "errors.csv" in last
    errors = pd.read_csv(tmp_path / "out" / "errors.csv", encoding="utf-8-sig")
    assert errors["path"].str.endswith("broken.pdf").all()


def test_exit_status_nonzero_only_when_nothing_is_read(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "empty.txt").write_text("")
    assert main(["build", str(src), "--out", str(tmp_path / "out"), "--no-figures", "--quiet"]) == 1
    assert main(["build", "--out", str(tmp_path / "out"), "--format", "docx", "--quiet"]) == 2
    assert "formats" in capsys.readouterr().err


def test_unchanged_files_come_from_the_cache(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(RAW, src)
    cache = tmp_path / "cache"
    first = lawreports.load_corpus(src, cache_dir=cache)
    assert first.n_cached == 0 and len(list(cache.glob("*.json"))) == 5
    (src / seed_path("004").name).write_text(seed_path("004").read_text("utf-8") + "\n", "utf-8")
    second = lawreports.load_corpus(src, cache_dir=cache)
    assert second.n_cached == 4                        # the changed file is parsed again
    pd.testing.assert_frame_equal(first.indicators, second.indicators)
    pd.testing.assert_frame_equal(first.reports.drop(columns=["sha256"]), second.reports.drop(columns=["sha256"]))


def test_result_is_the_same_whatever_jobs_is(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(3):
        for path in RAW.glob("*.txt"):
            shutil.copy(path, src / f"{i}_{path.name}")
    one = lawreports.load_corpus(src, jobs=1)
    two = lawreports.load_corpus(src, jobs=2)
    for table in TABLES:
        pd.testing.assert_frame_equal(one.table(table), two.table(table), obj=table)


def test_save_and_load_round_trip_without_loss(tmp_path, corpus):
    corpus.save(tmp_path)
    again = lawreports.Corpus.load(tmp_path)
    for table in TABLES:
        pd.testing.assert_frame_equal(corpus.table(table), again.table(table), obj=table)
    rid = corpus.reports["report_id"].iloc[1]
    assert again.documents[rid].text == corpus.documents[rid].text


def test_load_of_a_folder_without_a_saved_corpus_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="Corpus.save"):
        lawreports.Corpus.load(tmp_path)


def test_inspect_prints_one_report(capsys):
    assert main(["inspect", str(seed_path("001"))]) == 0
    out = capsys.readouterr().out
    assert "天镇县" in out and "大同市" in out and "[signature]" in out
    assert "调解成功率" in out and "INCONSISTENT" in out
    assert "template blanks" in out


def test_inspect_a_bad_file_names_it(tmp_path, capsys):
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    assert main(["inspect", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "x.docx" in err and "unsupported format" in err


def test_a_figure_that_cannot_be_drawn_is_named_on_the_page(tmp_path, corpus):
    from lawreports.summary import write_index

    page = write_index(corpus, tmp_path, failed_figures={"parts.png": "ValueError: no parts"}).read_text("utf-8")
    assert "Figure parts.png could not be drawn: ValueError: no parts" in page
