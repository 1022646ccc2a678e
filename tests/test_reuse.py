"""Text reuse: variants written from the seeds (a copied next year, a template shared by two towns)
and the seeds themselves, which share nothing beyond boilerplate."""

from __future__ import annotations

import itertools
import logging
import re

import pandas as pd
import pytest

import lawreports
from lawreports import schema
from lawreports.reuse import SCOPES, _shingles, reuse, reuse_measures

from conftest import seed_path

THRESHOLD = 0.5


def next_year(text: str) -> str:
    """A copied and lightly edited next year: years moved on, every count redrawn, one sentence reworded."""
    text = text.replace("2020", "2021").replace("2019", "2020")
    text = re.sub(r"(\d{2,})件", lambda m: f"{int(m.group(1)) + 7}件", text)
    return text.replace("持续推进服务事项及人员入驻政务大厅", "进一步推进服务事项入驻政务大厅")


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    folder = tmp_path_factory.mktemp("variants")
    tz = seed_path("001").read_text("utf-8")
    (folder / "tz2019.txt").write_text(tz, "utf-8")
    (folder / "tz2020.txt").write_text(next_year(tz), "utf-8")
    town = seed_path("004").read_text("utf-8")        # 珍溪镇 2022, used as a template by 李渡镇
    (folder / "zx2022.txt").write_text(town, "utf-8")
    ld = town.replace("珍溪镇", "李渡镇").replace("珍溪", "李渡")
    ld = ld.replace("部分群众思想守旧", "少数群众法治观念淡薄")
    (folder / "ld2022.txt").write_text(ld, "utf-8")
    (folder / "yc2022.txt").write_text(seed_path("002").read_text("utf-8"), "utf-8")   # unrelated, same year
    corpus = lawreports.load_corpus(folder)
    return corpus, reuse(corpus)


def test_the_five_seeds_share_nothing_above_the_threshold(corpus):
    table = reuse(corpus, threshold=THRESHOLD)
    assert table.empty
    # and not because LSH missed a pair: the exact similarity of every pair, every scope, is low
    texts = {rid: corpus.documents[rid].text for rid in corpus.reports["report_id"]}
    for a, b in itertools.combinations(sorted(texts), 2):
        sa, sb = set(_shingles(texts[a]).tolist()), set(_shingles(texts[b]).tolist())
        assert len(sa & sb) / min(len(sa), len(sb)) < 0.1, (a, b)
    items = corpus.shortcomings
    for x, y in itertools.combinations(items.itertuples(), 2):
        if x.report_id != y.report_id:
            sx, sy = set(_shingles(x.text).tolist()), set(_shingles(y.text).tolist())
            if sx and sy:
                assert len(sx & sy) / min(len(sx), len(sy)) < THRESHOLD, (x.text, y.text)


def test_a_copied_next_year_is_found_at_every_scope(variants):
    corpus, table = variants
    pair = table[(table["report_a"] == "tz2019") & (table["report_b"] == "tz2020")]
    assert {"report", "achievements", "shortcomings", "plans", "shortcoming_item"} <= set(pair["scope"])
    whole = pair[pair["scope"] == "report"]
    assert whole["similarity"].iloc[0] > 0.95
    assert whole["span"].max() >= 2                     # broken by the reworded sentence
    assert (whole["a_end"] - whole["a_start"]).sum() > 0.95 * corpus.reports.set_index("report_id").loc[
        "tz2019", "n_chars"]
    items = pair[pair["scope"] == "shortcoming_item"]
    assert sorted(zip(items["item_a"], items["item_b"])) == [(1, 1), (2, 2), (3, 3)]


def test_spans_are_offsets_into_both_clean_texts(variants):
    corpus, table = variants
    assert list(table.columns) == schema.columns("reuse")
    mask = str.maketrans("0123456789", "0000000000")
    located = table[table["a_start"].notna()]
    assert len(located) and (located["a_end"] - located["a_start"] >= 20).all()
    for row in located.itertuples():
        a = corpus.documents[row.report_a].text[row.a_start:row.a_end]
        b = corpus.documents[row.report_b].text[row.b_start:row.b_end]
        assert a == row.text
        assert a.translate(mask) == b.translate(mask)   # the same passage, numbers aside


def test_a_shared_template_of_two_towns(variants):
    _, table = variants
    pair = table[(table["scope"] == "shortcoming_item")
                 & (table[["report_a", "report_b"]].apply(frozenset, axis=1) == frozenset({"ld2022", "zx2022"}))]
    sims = pair.groupby("item_a")["similarity"].first()
    assert sims[1] == 1.0 and 0.5 < sims[2] < 1.0       # item 1 copied, item 2 reworded at its start
    assert "伊春" not in "".join(table["text"].dropna())
    assert not ((table["report_a"] == "yc2022") | (table["report_b"] == "yc2022")).any()


def test_reuse_measures(variants):
    corpus, table = variants
    m = reuse_measures(corpus, table).set_index("report_id")
    assert list(m.reset_index().columns) == schema.columns("reuse_measures")
    assert m.loc["tz2020", "previous_report"] == "tz2019" and m.loc["tz2020", "previous_year"] == 2019
    assert m.loc["tz2020", "shortcomings_from_previous"] == 1.0
    assert m.loc["tz2020", "report_from_previous"] > 0.95
    assert pd.isna(m.loc["tz2019", "shortcomings_from_previous"])        # no earlier report
    assert pd.isna(m.loc["tz2019", "shortcomings_from_same_year"])       # nobody else reported on 2019
    zx = m.loc["zx2022"]
    assert zx["same_year_sources"] == "ld2022" and 0.4 < zx["shortcomings_from_same_year"] < 1.0
    assert m.loc["yc2022", "shortcomings_from_same_year"] == 0.0 and pd.isna(m.loc["yc2022", "same_year_sources"])
    # computed on the fly without a table
    again = reuse_measures(corpus).set_index("report_id")
    pd.testing.assert_frame_equal(m, again)


def test_a_texts_table_and_the_candidate_cap(caplog):
    base = seed_path("003").read_text("utf-8")
    n = 12
    reports = pd.DataFrame({"report_id": [f"r{i:02d}" for i in range(n)], "adcode": [f"1201{i:02d}" for i in range(n)],
                            "report_year": [2023] * n})
    texts = pd.DataFrame({"report_id": reports["report_id"], "text": [base + f"附{i}" for i in range(n)]})
    full = reuse({"reports": reports, "texts": texts}, scopes=["report"])
    assert full.groupby(["report_a", "report_b"]).ngroups == n * (n - 1) // 2
    with caplog.at_level(logging.WARNING, logger="lawreports.reuse"):
        capped = reuse({"reports": reports, "texts": texts}, scopes=["report"], max_candidates=3)
    assert capped.groupby(["report_a", "report_b"]).ngroups < n * 3
    assert "max_candidates=3" in caplog.text


def test_bad_arguments_name_the_parameter(corpus):
    with pytest.raises(ValueError, match="`scopes`"):
        reuse(corpus, scopes=["paragraph"])
    with pytest.raises(ValueError, match="lsh_threshold"):
        reuse(corpus, threshold=0.2, lsh_threshold=0.5)
    assert set(SCOPES) == {"report", *schema.PARTS, "shortcoming_item"}


@pytest.mark.parametrize("cap", [1, 3])
def test_the_candidates_are_the_same_whether_a_band_is_listed_by_unit_and_year_or_not(monkeypatch, cap):
    """The index lists a shared band by unit and by year only past _Candidates.SPLIT documents;
    below it, it filters the band's list: both must pick the same candidates in the same order."""
    from lawreports.reuse import _Candidates

    base = seed_path("003").read_text("utf-8")
    n = 16
    reports = pd.DataFrame({"report_id": [f"r{i:02d}" for i in range(n)],
                            "adcode": [f"1201{i % 4:02d}" for i in range(n)],      # four units
                            "report_year": [2020 + i % 3 for i in range(n)]})      # three years
    texts = pd.DataFrame({"report_id": reports["report_id"], "text": [base + f"附{i}" for i in range(n)]})
    tables = []
    for split in (0, 1, 10**6):
        monkeypatch.setattr(_Candidates, "SPLIT", split)
        tables.append(reuse({"reports": reports, "texts": texts}, scopes=["report"], max_candidates=cap))
    assert len(tables[0])
    for other in tables[1:]:
        pd.testing.assert_frame_equal(tables[0], other)


def test_the_table_is_the_same_with_the_scopes_in_two_workers(variants):
    corpus, table = variants
    assert len(table) and table["scope"].nunique() > 2
    pd.testing.assert_frame_equal(reuse(corpus, jobs=2), table)


def test_passages_are_the_long_equal_runs_of_the_two_texts():
    """A passage is a run the two texts share, at least min_span long, at its offsets in both."""
    shared = "依法行政工作存在短板基层执法人员法治素养有待提高"       # 24 characters
    a, b = "甲县" + shared + "乙事项尚未完成", "丙区第一" + shared + "其他问题"
    reports = pd.DataFrame({"report_id": ["a", "b"], "adcode": ["120101", "120102"], "report_year": [2023, 2023]})
    texts = pd.DataFrame({"report_id": ["a", "b"], "text": [a, b]})
    table = reuse({"reports": reports, "texts": texts}, scopes=["report"], threshold=0.3, lsh_threshold=0.05,
                  min_span=20, min_chars=5)
    assert table[["a_start", "a_end", "b_start", "b_end", "text"]].values.tolist() == [[2, 26, 4, 28, shared]]


def _dies_on_items(scope, folder):
    """A reuse worker that dies comparing the shortcoming items, as one the kernel kills for its memory."""
    import os

    import lawreports.reuse as module

    if scope == "shortcoming_item":
        os._exit(9)
    return module._FORKED_RUN(scope, folder)


def test_a_worker_that_dies_is_said_and_its_scope_compared_here(variants, monkeypatch, caplog):
    import lawreports.reuse as module

    corpus, table = variants
    monkeypatch.setattr(module, "_FORKED_RUN", module._run_forked, raising=False)
    monkeypatch.setattr(module, "_run_forked", _dies_on_items)
    with caplog.at_level(logging.WARNING, logger="lawreports.reuse"):
        again = reuse(corpus, jobs=2)
    assert "a worker died before shortcoming_item was compared" in caplog.text
    pd.testing.assert_frame_equal(again, table)


@pytest.mark.parametrize("jobs", [1, 2])
def test_write_reuse_writes_the_table_reuse_returns(variants, tmp_path, jobs):
    from lawreports.derived import StoredTable
    from lawreports.reuse import write_reuse

    corpus, table = variants
    path = tmp_path / "reuse.parquet"
    assert write_reuse(corpus, path, jobs=jobs) == len(table)
    stored = StoredTable("reuse", path)
    pd.testing.assert_frame_equal(stored.read(), table)
    pd.testing.assert_frame_equal(stored.head(3), table.head(3))
    pd.testing.assert_frame_equal(stored.read(["report_b", "a_start"]), table[["report_b", "a_start"]])
    again = pd.concat([b.to_pandas() for b in stored.batches(4)], ignore_index=True)
    pd.testing.assert_frame_equal(schema.coerce("reuse", again), table)
