"""Loading a corpus: sources, backends, errors, duplicates."""

from __future__ import annotations

import shutil

import pandas as pd
import polars as pl
import pytest

import lawreports
from lawreports import schema
from lawreports.errors import DecodeError

from conftest import RAW, SEEDS, seed_path


def test_bundled_corpus_has_the_five_seeds(corpus):
    reports = corpus.reports
    assert isinstance(reports, pd.DataFrame)
    assert len(reports) == 5
    assert sorted(reports["jurisdiction"]) == sorted(SEEDS.values())
    assert corpus.errors.empty, corpus.errors.to_string()
    assert list(reports.columns[: len(schema.columns("reports"))]) == schema.columns("reports")


def test_reports_columns_required_by_the_issue(corpus):
    required = ["report_id", "path", "sha256", "title", "jurisdiction", "body", "division_type", "tier",
                "province", "prefecture", "county", "adcode", "report_year", "published", "signed",
                "n_chars", "warnings"]
    assert set(required) <= set(corpus.reports.columns)
    row = corpus.reports.set_index("report_id").loc[seed_path("001").stem]
    assert row["report_year"] == 2019
    assert row["published"] == pd.Timestamp("2020-03-31")
    assert row["n_chars"] == len(lawreports.read_report(seed_path("001")).text)


def test_polars_backend_has_the_same_columns(corpus):
    polars = lawreports.load_corpus(backend="polars")
    assert isinstance(polars.reports, pl.DataFrame)
    assert polars.reports.columns == list(corpus.reports.columns)
    assert polars.reports["jurisdiction"].to_list() == corpus.reports["jurisdiction"].tolist()
    assert isinstance(corpus.to_polars().errors, pl.DataFrame)


def test_sources_directory_glob_path_and_list():
    one = lawreports.load_corpus(seed_path("000"))
    assert len(one) == 1
    by_glob = lawreports.load_corpus(str(RAW / "00[12]_*.txt"))
    assert len(by_glob) == 2
    by_list = lawreports.load_corpus([seed_path("003"), str(seed_path("004"))])
    assert list(by_list.reports["jurisdiction"]) == ["武清区", "珍溪镇"]
    by_dir = lawreports.load_corpus(RAW)
    assert len(by_dir) == 5


def test_missing_sources_are_errors_not_silence(tmp_path):
    corpus = lawreports.load_corpus([seed_path("000"), tmp_path / "nope.txt", str(tmp_path / "*.html")])
    assert len(corpus) == 1
    assert set(corpus.errors["error"]) == {"not_found", "no_files"}


def test_garbled_file_is_listed_and_the_good_ones_load(tmp_path):
    for prefix in ("000", "003"):
        shutil.copy(seed_path(prefix), tmp_path)
    garbled = tmp_path / "005_garbled.txt"
    garbled.write_bytes(bytes(range(256)) * 16)
    corpus = lawreports.load_corpus(tmp_path)
    assert sorted(corpus.reports["jurisdiction"]) == ["武清区", "海陵试验区"]
    assert len(corpus.errors) == 1
    err = corpus.errors.iloc[0]
    assert err["path"] == str(garbled)
    assert err["stage"] == "decode" and err["error"] == "decode_error"
    assert "binary" in err["message"]


def test_strict_raises_a_typed_error_naming_the_file(tmp_path):
    shutil.copy(seed_path("000"), tmp_path)
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02\xff" * 300)
    with pytest.raises(DecodeError, match="bad.txt"):
        lawreports.load_corpus(tmp_path, strict=True)


def test_duplicates_are_flagged_and_both_kept(tmp_path):
    shutil.copy(seed_path("002"), tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(seed_path("002").read_text("utf-8").encode("gb18030"))
    corpus = lawreports.load_corpus(tmp_path)
    reports = corpus.reports.set_index("report_id")
    assert len(reports) == 2
    assert reports.loc["b", "duplicate_of"] == "a"
    assert "duplicate" in reports.loc["b", "warnings"]
    assert pd.isna(reports.loc["a", "duplicate_of"])


def test_same_file_name_in_two_folders_gets_unique_ids(tmp_path):
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        shutil.copy(seed_path("000"), tmp_path / sub / "r.txt")
    corpus = lawreports.load_corpus(tmp_path)
    # a shared file name: each id is the path below the folder read, the same at every build
    assert sorted(corpus.reports["report_id"]) == ["x/r", "y/r"]
    assert lawreports.load_corpus([tmp_path / "x" / "r.txt", tmp_path / "x" / "r.txt"]).reports["report_id"].tolist() == ["r"]


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="backend"):
        lawreports.load_corpus(backend="spark")
    with pytest.raises(ValueError, match="jobs"):
        lawreports.load_corpus(jobs=0)


def test_empty_corpus_has_typed_empty_tables(tmp_path):
    corpus = lawreports.load_corpus(tmp_path)
    assert len(corpus) == 0
    assert list(corpus.sections.columns) == schema.columns("sections")
    assert corpus.errors.iloc[0]["error"] == "no_files"
