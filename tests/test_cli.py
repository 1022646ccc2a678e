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
#: The tables a build writes as files of their own (tokens stay in the dataset).
WRITTEN = [t for t in TABLES if t not in schema.DATASET_ONLY]


def test_build_on_the_bundled_corpus_writes_everything(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--out", str(out), "--format", "parquet,csv,xlsx,dta", "--quiet"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("lawreports: 5 reports read, 0 failed") and str(out) in last
    for table in WRITTEN:
        for fmt in ("parquet", "csv", "dta"):
            assert (out / f"{table}.{fmt}").is_file(), f"{table}.{fmt}"
    assert not list(out.glob("tokens.*")) and list((out / "dataset" / "tables" / "tokens").glob("run-*.parquet"))
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
    assert list(sheets) == WRITTEN + list(schema.DERIVED_TABLES)      # the tables across reports after them
    assert len(sheets["reports"]) == 5


def test_failed_files_are_named_in_the_last_line(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(seed_path("000"), src)
    (src / "broken.txt").write_bytes(b"%PDF-1.5 ...")     # a PDF saved under a report's name
    assert main(["build", str(src), "--out", str(tmp_path / "out"), "--no-figures", "--quiet"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert "1 reports read, 1 failed, see" in last and "errors.csv" in last
    errors = pd.read_csv(tmp_path / "out" / "errors.csv", encoding="utf-8-sig")
    assert errors["path"].str.endswith("broken.txt").all()
    assert errors["error"].tolist() == ["unsupported_format"]


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
    assert first.n_cached == 0 and len(list(cache.glob("tables/reports/run-*.parquet"))) == 1
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
    from lawreports.website import write_index

    page = write_index(corpus, tmp_path, failed_figures={"parts.png": "ValueError: no parts"}).read_text("utf-8")
    assert "Figure parts.png could not be drawn: ValueError: no parts" in page


# -- a researcher's first mistakes (issue 14) ------------------------------------------------------

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from lawreports.cli import MANIFEST, _escape  # noqa: E402


def test_inspect_a_missing_file_names_it_and_fails(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "does-not-exist.txt")]) != 0
    err = capsys.readouterr().err
    assert "does-not-exist.txt" in err and "no such file" in err


def test_inspect_piped_into_head_ends_without_a_traceback():
    cmd = f"{sys.executable} -m lawreports.cli inspect {seed_path('001')} | head -n 2"
    run = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=120)
    assert len(run.stdout.splitlines()) == 2
    assert "Traceback" not in run.stderr, run.stderr
    # the reader gone before the first line: the write fails, and still no traceback
    proc = subprocess.Popen([sys.executable, "-m", "lawreports.cli", "inspect", str(seed_path("001"))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_inspect_escapes_control_characters_of_a_title(tmp_path, capsys):
    page = seed_path("001").read_text("utf-8")
    evil = "\x1b]0;owned\x07\x1b[31m关于2019年度法治政府建设情况报告\x1b[0m"
    page = page.replace("关于2019年度法治政府建设情况报告", evil, 1)
    path = tmp_path / "evil.txt"
    path.write_text(page, "utf-8")
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert _escape("a\x1bb\x07\u202e") == "a\\x1bb\\x07\\u202e"


def test_a_folder_without_reports_says_what_it_skipped_and_writes_nothing(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "notes.md").write_text("# notes\n")
    (src / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    out = tmp_path / "out"
    assert main(["build", str(src), "--out", str(out), "--no-figures"]) == 1
    cap = capsys.readouterr()
    last = cap.out.strip().splitlines()[-1]
    assert "0 reports read" in last and "2 reports read" not in last and "nothing written" in last
    assert "skipped (2)" in cap.err and "notes.md" in cap.err and "pyproject.toml" in cap.err
    assert "not a report page" in cap.err
    assert not out.exists()


def test_many_skipped_files_are_listed_up_to_a_screenful(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(seed_path("000"), src)
    for i in range(30):
        (src / f"note{i:02}.md").write_text("x")
    assert main(["build", str(src), "--out", str(tmp_path / "out"), "--no-figures"]) == 0
    err = capsys.readouterr().err
    assert "skipped (30)" in err and "note00.md" in err and "and 10 more" in err and "note29.md" not in err


def test_a_page_that_is_not_a_report_is_not_counted_as_read(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "menu.txt").write_text("首页 新闻中心 政务公开 联系我们\n版权所有 某某市人民政府办公室\n", "utf-8")
    assert main(["build", str(src), "--out", str(tmp_path / "out"), "--no-figures"]) == 1
    cap = capsys.readouterr()
    last = cap.out.strip().splitlines()[-1]
    assert last.startswith("lawreports: 0 reports read") and "1 not reports" in last
    assert "menu.txt" in cap.err and "not_a_report" in cap.err
    shutil.copy(seed_path("001"), src)
    assert main(["build", str(src), "--out", str(tmp_path / "out"), "--no-figures", "--quiet"]) == 0
    assert capsys.readouterr().out.strip().startswith("lawreports: 1 reports read, 0 failed, 1 not reports")


def test_a_wrong_path_names_each_file_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "deep" / "out"
    names = [str(tmp_path / f"typo{i}.txt") for i in range(25)]
    assert main(["build", *names, "--out", str(out)]) == 1
    cap = capsys.readouterr()
    assert "failed (25)" in cap.err and "typo0.txt: not_found" in cap.err and "and 5 more" in cap.err
    assert "nothing written" in cap.out.strip().splitlines()[-1]
    assert not (tmp_path / "deep").exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "mine.txt").write_text("keep")
    assert main(["build", names[0], "--out", str(existing)]) == 1
    assert sorted(p.name for p in existing.iterdir()) == ["mine.txt"]


def test_rebuilding_with_fewer_formats_removes_only_its_own_stale_files(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--out", str(out), "--format", "parquet,csv,xlsx,dta", "--quiet"]) == 0
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert "lawreports.xlsx" in manifest["files"] and "figures/parts.png" in manifest["files"]
    assert set(manifest["files"]["reports.csv"]) == {"size", "sha256"}
    (out / "my_analysis.do").write_text("use reports.dta")            # the researcher's own file
    (out / "reports.dta").write_bytes((out / "reports.dta").read_bytes() + b"\0")  # changed since
    assert main(["build", "--out", str(out), "--format", "csv", "--no-figures", "--quiet"]) == 0
    left = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}
    assert "lawreports.xlsx" not in left and "texts.dta" not in left and "reports.parquet" not in left
    assert not (out / "figures").exists()
    assert "my_analysis.do" in left and "reports.dta" in left          # not ours, or changed: kept
    assert {"reports.csv", "index.html", "datapackage.json", MANIFEST} <= left
    assert "stale removed" in capsys.readouterr().out


def test_verbose_logs_each_stage_and_file_and_quiet_prints_one_line(tmp_path, capfd):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(seed_path("000"), src)
    (src / "notes.md").write_text("x")
    assert main(["build", str(src), "--out", str(tmp_path / "out"), "--no-figures", "-v"]) == 0
    err = capfd.readouterr().err
    assert "parsing" in err and seed_path("000").name in err
    assert "writing the tables" in err and "index.html" in err
    assert main(["build", str(src), "--out", str(tmp_path / "out"), "--no-figures", "--quiet"]) == 0
    cap = capfd.readouterr()
    assert cap.err == "" and len(cap.out.strip().splitlines()) == 1


def test_a_rebuild_after_an_edit_writes_what_a_fresh_build_writes(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(RAW, src)
    out = tmp_path / "out"
    args = ["build", str(src), "--out", str(out), "--format", "parquet,csv", "--quiet"]
    assert main(args) == 0
    edited = src / seed_path("002").name
    edited.write_text(edited.read_text("utf-8") + "\n全年新增备案文件3件。\n", "utf-8")
    assert main(args) == 0
    assert main(["build", str(src), "--out", str(tmp_path / "fresh"), "--format", "parquet,csv", "--quiet"]) == 0
    derived = list(schema.DERIVED_TABLES)
    for name in WRITTEN + derived:
        for fmt in ("parquet", "csv"):
            a, b = out / f"{name}.{fmt}", tmp_path / "fresh" / f"{name}.{fmt}"
            read = pd.read_parquet if fmt == "parquet" else (lambda p: pd.read_csv(p, encoding="utf-8-sig"))
            pd.testing.assert_frame_equal(read(a), read(b), obj=f"{name}.{fmt}")
    assert (out / "index.html").read_text("utf-8").count("<section id='outline-") == len(list(src.glob("*.txt")))


def test_the_streamed_tables_are_the_corpus_tables_in_the_sources_order(tmp_path):
    out = tmp_path / "out"
    assert main(["build", "--out", str(out), "--format", "parquet,csv", "--no-figures", "--quiet"]) == 0
    corpus = lawreports.load_corpus()
    for name in WRITTEN:
        stored = corpus.to_pandas()._tables[name]
        if name == "errors":
            continue                                   # paths as the build saw them
        back = pd.read_parquet(out / f"{name}.parquet")
        for col in back.columns:
            if back[col].dtype.kind == "M":
                back[col] = back[col].astype("datetime64[s]")
        pd.testing.assert_frame_equal(back, stored.reset_index(drop=True), obj=name, check_dtype=False)
        csv = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", keep_default_na=False)
        assert list(csv.columns) == list(stored.columns) and len(csv) == len(stored), name


def test_a_figure_is_redrawn_when_what_it_draws_changed_and_only_then(tmp_path):
    """A sentence added to one report's body changes its length: the chart of the parts' lengths
    is drawn again; the charts of rates (whose values did not change, only their offsets) are kept."""
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(RAW, src)
    assert main(["build", str(src), "--out", str(out), "--format", "parquet", "--quiet"]) == 0
    figures = out / "figures"
    before = {p.name: p.stat().st_mtime_ns for p in figures.glob("*.png")}
    page = src / seed_path("003").name
    text = page.read_text("utf-8")
    first = text.index("。", len(text) // 3) + 1               # inside the body, not the page's tail
    page.write_text(text[:first] + "本年度还对基层执法人员开展了轮训。" + text[first:], "utf-8")
    assert main(["build", str(src), "--out", str(out), "--format", "parquet", "--quiet"]) == 0
    after = {p.name: p.stat().st_mtime_ns for p in figures.glob("*.png")}
    assert after.keys() == before.keys()
    assert after["parts.png"] != before["parts.png"]
    for name in ("indicator_over_years.png", "rates_by_level.png", "indicator_coverage.png"):
        assert after[name] == before[name], name
    assert pd.read_parquet(out / "panel.parquet")["n_chars"].sum() > 0
