"""The text-as-data verbs on the seed reports, against counts taken by hand (str.count)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from scipy import io as sio  # noqa: E402
from scipy import stats  # noqa: E402

from lawreports import plot_verbs, topics, verbs  # noqa: E402
from lawreports.tokens import Tokenizer, TokenizerOptions, get_tokenizer  # noqa: E402

TIANZHEN = "001_3dc2c55ea39481b7"  # 天镇县, 2019
YICHUN = "002_0602d87ad858af6b"  # 伊春市, 2022
WUQING = "003_d673bbc54b047a03"  # 武清区, 2023
ZHENXI = "004_5a3d4ea908f6eae1"  # 珍溪镇, 2022


@pytest.fixture(scope="module")
def texts(corpus):
    return {rid: corpus.documents[rid].text for rid in corpus.reports["report_id"]}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# -- tokens --------------------------------------------------------------------------------


def test_stored_ids_give_back_the_tokenizers_tokens(corpus, texts):
    tk = verbs.tokens(corpus)
    tok = get_tokenizer()
    assert list(tk.docs["report_id"]) == list(texts)
    for i, rid in enumerate(tk.docs["report_id"]):
        assert tk.terms(i) == tok.tokenize(texts[rid])
    assert list(tk.n_tokens) == [len(tok.tokenize(t)) for t in texts.values()]


def test_texts_table_is_used_when_the_corpus_has_one(corpus, texts):
    fake = {"reports": corpus.reports, "sections": corpus.sections,
            "texts": pd.DataFrame({"report_id": list(texts), "text": ["依法行政"] * len(texts)})}
    assert list(verbs.tokens(fake).n_tokens) == [1] * len(texts)


# -- kwic ----------------------------------------------------------------------------------


def test_kwic_offsets_slice_the_match_and_its_context(corpus, texts):
    hits = verbs.kwic(corpus, "行政复议", window=10)
    assert list(hits.columns) == ["report_id", "part", "start", "end", "left", "match", "right",
                                  "pattern"]
    counts = hits.groupby("report_id").size()
    assert {rid: counts.get(rid, 0) for rid in texts} == {rid: t.count("行政复议")
                                                          for rid, t in texts.items()}
    for row in hits.itertuples(index=False):
        text = texts[row.report_id]
        assert text[row.start:row.end] == row.match == "行政复议"
        assert text[max(0, row.start - 10):row.start] == row.left
        assert text[row.end:row.end + 10] == row.right


def test_kwic_finds_a_lexicon_term_written_with_an_enumeration_comma(corpus, texts):
    hits = verbs.kwic(corpus, "双随机一公开")
    assert list(hits["match"]) == ["双随机、一公开", "双随机、一公开"]
    assert list(hits["report_id"]) == [YICHUN, WUQING]
    # 伊春市 lists it among its measures, 武清区 among what still needs improving
    assert list(hits["part"]) == ["achievements", "shortcomings"]
    assert texts[WUQING][hits["start"][1]:hits["end"][1]] == "双随机、一公开"


def test_kwic_in_a_part_keeps_report_offsets(corpus, texts):
    hits = verbs.kwic(corpus, "信访", part="shortcomings")
    assert len(hits) == 1
    hit = hits.iloc[0]
    assert hit["report_id"] == ZHENXI and hit["part"] == "shortcomings"
    assert texts[ZHENXI][hit["start"]:hit["end"]] == "信访"
    assert hit["right"].startswith("不信法")


def test_kwic_regex_and_dictionary_keys(corpus, texts):
    hits = verbs.kwic(corpus, r"三项制度|行政复议", regex=True)
    assert len(hits) == sum(t.count("三项制度") + t.count("行政复议") for t in texts.values())
    by_key = verbs.kwic(corpus, {"执法": ["三项制度"], "复议": ["行政复议"]})
    assert by_key.groupby("pattern").size().to_dict() == {
        "执法": sum(t.count("三项制度") for t in texts.values()),
        "复议": sum(t.count("行政复议") for t in texts.values()),
    }


def test_kwic_rejects_bad_arguments(corpus):
    with pytest.raises(ValueError, match="`part`"):
        verbs.kwic(corpus, "执法", part="conclusion")
    with pytest.raises(ValueError, match="`window`"):
        verbs.kwic(corpus, "执法", window=-1)
    with pytest.raises(ValueError, match="Bad pattern"):
        verbs.kwic(corpus, "(", regex=True)


# -- term frequency ------------------------------------------------------------------------


def test_term_frequency_by_year_counts_the_terms(corpus, texts):
    freq = verbs.term_frequency(corpus, by="report_year", terms=["依法行政", "采购"])
    table = freq.set_index(["group", "term"])
    # 依法行政 by str.count: 海陵 6 (2021), 天镇 8 (2019), 伊春 7 + 珍溪 8 (2022), 武清 2 (2023)
    assert table.loc[(2019, "依法行政"), "frequency"] == texts[TIANZHEN].count("依法行政") == 8
    assert table.loc[(2022, "依法行政"), "frequency"] == 15
    assert table.loc[(2022, "依法行政"), "n_reports"] == 2
    assert table.loc[(2023, "采购"), "frequency"] == 0  # a listed term absent from a year is 0
    row = table.loc[(2019, "依法行政")]
    assert math.isclose(row["per_1000"], 8 * 1000 / row["group_tokens"])
    assert row["group_tokens"] == len(get_tokenizer().tokenize(texts[TIANZHEN]))


def test_term_frequency_ranks_within_groups(corpus):
    freq = verbs.term_frequency(corpus, by="jurisdiction", min_count=2)
    assert (freq["frequency"] >= 2).all()
    top = freq[freq["rank"] == 1].set_index("group")["term"]
    assert top["天镇县"] == "制度"
    for _, g in freq.groupby("group"):
        assert g["frequency"].is_monotonic_decreasing
        assert list(g["rank"]) == list(range(1, len(g) + 1))


# -- keyness -------------------------------------------------------------------------------


def test_keyness_counts_and_chi2_match_a_hand_built_table(corpus, texts):
    key = verbs.keyness(corpus, "天镇县", by="jurisdiction")
    row = key.set_index("term").loc["采购"]
    assert row["n_target"] == texts[TIANZHEN].count("采购") == 9
    assert row["n_reference"] == sum(t.count("采购") for r, t in texts.items() if r != TIANZHEN) == 0
    ta, tb = key.attrs["target_tokens"], key.attrs["reference_tokens"]
    table = [[9, 0], [ta - 9, tb]]
    chi2, p, _, _ = stats.chi2_contingency(table, correction=True)
    assert math.isclose(row["statistic"], chi2) and math.isclose(row["p"], p)
    assert row["statistic"] > 0
    # 习近平法治思想: never in 天镇县's 2019 report, 21 times in the others → negative
    other = key.set_index("term").loc["习近平法治思想"]
    assert (other["n_target"], other["n_reference"]) == (0, 21)
    assert other["statistic"] < 0
    assert key["statistic"].is_monotonic_decreasing


def test_keyness_log_likelihood_and_chosen_reference(corpus, texts):
    key = verbs.keyness(corpus, [2022], by="report_year", reference=2019, measure="lr")
    row = key.set_index("term").loc["办理"]
    # 2022: 伊春市 3 + 珍溪镇 0; 2019: 天镇县 28
    assert (row["n_target"], row["n_reference"]) == (3, 28)
    ta, tb = key.attrs["target_tokens"], key.attrs["reference_tokens"]
    g2, p, _, _ = stats.chi2_contingency([[3, 28], [ta - 3, tb - 28]], correction=False,
                                         lambda_="log-likelihood")
    assert math.isclose(row["statistic"], -g2) and math.isclose(row["p"], p)


def test_keyness_rejects_bad_arguments(corpus):
    with pytest.raises(ValueError, match="`measure`"):
        verbs.keyness(corpus, "天镇县", measure="pmi")
    with pytest.raises(ValueError, match="No document"):
        verbs.keyness(corpus, "北京市")
    with pytest.raises(ValueError, match="`by`"):
        verbs.keyness(corpus, "天镇县", by="mayor")


# -- dictionaries --------------------------------------------------------------------------


def test_dictionary_words_are_added_to_the_tokenizer(corpus, texts, tmp_path):
    # 四所一庭 is cut into pieces by the default tokenizer …
    assert "四所一庭" not in get_tokenizer().tokenize(texts[YICHUN])
    path = tmp_path / "dict.csv"
    path.write_text("# a user dictionary\nkey,entry\n基层,四所一庭\n执法,三项制度\n执法,行政复议|复议\n",
                    "utf-8")
    scores = verbs.dictionary_scores(corpus, path, by="report_id").set_index(["group", "key"])
    # … but counted whole once it is a dictionary word
    assert scores.loc[(YICHUN, "基层"), "count"] == texts[YICHUN].count("四所一庭") == 3
    t = texts[TIANZHEN]
    import re
    assert scores.loc[(TIANZHEN, "执法"), "count"] == t.count("三项制度") + len(re.findall("行政复议|复议", t))
    row = scores.loc[(YICHUN, "基层")]
    assert math.isclose(row["per_1000"], 3000 / row["group_tokens"])
    assert scores.loc[(WUQING, "基层"), "count"] == 0


def test_bundled_themes_as_a_dictionary_agree_with_topics_themes(corpus):
    scores = verbs.dictionary_scores(corpus, "themes", part="shortcomings", by="report_id")
    mine = scores.set_index(["group", "key"])["count"]
    mine = mine[mine > 0].sort_index()
    theirs = topics.themes(corpus, by="report_id").matches.groupby(["report_id", "theme"]).size()
    assert mine.to_dict() == theirs.sort_index().to_dict()


def test_load_dictionary_reads_kinds_and_refuses_yaml(tmp_path):
    dic = verbs.load_dictionary({"a": ["营商环境", "放管服|简政放权"], "b": "三项制度"})
    assert dic.keys == ["a", "b"]
    assert dict(zip(dic.entries["entry"], dic.entries["kind"])) == {
        "营商环境": "word", "放管服|简政放权": "regex", "三项制度": "word"}
    assert set(verbs.load_dictionary("themes").entries["kind"]) == {"regex"}
    with pytest.raises(ValueError, match="YAML"):
        verbs.load_dictionary(tmp_path / "d.yaml")
    with pytest.raises(ValueError, match="Bad dictionary pattern"):
        verbs.load_dictionary({"a": ["(未闭合"]}, kind="regex")


# -- collocations --------------------------------------------------------------------------


def test_collocations_count_adjacent_tokens(corpus, texts):
    coll = verbs.collocations(corpus).set_index("collocation")
    row = coll.loc["重大行政决策程序"]
    assert row["tokens"] == "重大行政决策 程序"
    assert row["count"] == sum(t.count("重大行政决策程序") for t in texts.values()) == 8
    assert row["n_reports"] == 5
    assert (coll["count"] >= 2).all()


def test_collocation_lambda_is_the_smoothed_log_odds_ratio():
    # one document, tokens split on spaces (no gaps): bigrams ab ab bc ca ab → 'a b' 3 times
    corpus = {"reports": pd.DataFrame({"report_id": ["r"]}),
              "texts": pd.DataFrame({"report_id": ["r"], "text": ["a b a b c a b"]})}
    coll = verbs.collocations(corpus, tokenizer=str.split, min_count=1).set_index("tokens")
    # over the 6 bigram positions: n11 = 3 (a b), n10 = 0 (a ¬b), n01 = 0 (¬a b), n00 = 3
    n11, n10, n01, n00 = 3.5, 0.5, 0.5, 3.5
    lam = math.log(n11) - math.log(n10) - math.log(n01) + math.log(n00)
    assert math.isclose(coll.loc["a b", "lambda"], lam)
    assert math.isclose(coll.loc["a b", "z"], lam / math.sqrt(1 / n11 + 1 / n10 + 1 / n01 + 1 / n00))
    assert coll.loc["a b", "count"] == 3


def test_collocations_do_not_span_a_dropped_word(corpus, texts):
    # 行政执法“三项制度”: the quotation mark is dropped, so 行政执法 三项制度 is never adjacent
    tok = Tokenizer(TokenizerOptions(lexicon=False))
    coll = verbs.collocations(corpus, tokenizer=tok, min_count=1)
    assert "执法 三项" not in set(coll["tokens"])
    assert "三项 制度" in set(coll["tokens"])


def test_quoted_terms_find_slogans_the_segmenter_would_cut(corpus):
    quoted = verbs.quoted_terms(corpus, tokenizer=Tokenizer(TokenizerOptions(lexicon=False)))
    row = quoted.set_index("term").loc["双随机一公开"]
    assert row["as_written"] == "双随机、一公开"
    assert (row["count"], row["n_reports"]) == (2, 2)
    assert not row["whole"]  # without the lexicon it is cut into 双 / 随机 / 、 / 一 / 公开


# -- document-term matrix ------------------------------------------------------------------


def test_document_term_matrix_and_its_files(corpus, texts, tmp_path):
    dtm = verbs.document_term_matrix(corpus)
    assert dtm.shape == (5, len(dtm.vocabulary))
    assert list(dtm.docvars["report_id"]) == list(corpus.reports["report_id"])
    j = dtm.vocabulary.index("采购")
    assert dtm.matrix[:, j].toarray().ravel().tolist() == [t.count("采购") for t in texts.values()]
    paths = dtm.write(tmp_path)
    back = sio.mmread(str(paths["dtm.mtx"])).tocsr()
    assert (back != dtm.matrix).nnz == 0
    tidy = pd.read_parquet(paths["dtm.parquet"])
    assert list(tidy.columns) == ["report_id", "term", "count"]
    assert tidy["count"].sum() == dtm.matrix.sum()
    assert pd.read_csv(paths["dtm_terms.csv"])["term"].tolist() == dtm.vocabulary
    assert pd.read_csv(paths["dtm_docs.csv"])["report_id"].tolist() == list(texts)


def test_document_term_matrix_of_a_part_has_a_row_per_report(corpus):
    dtm = verbs.document_term_matrix(corpus, part="shortcomings")
    assert dtm.shape[0] == len(corpus.reports)
    items = topics.documents(corpus, "shortcomings")
    tok = get_tokenizer()
    for i, rid in enumerate(dtm.docvars["report_id"]):
        expected = sum(len(tok.tokenize(t)) for t in items.loc[items["report_id"] == rid, "text"])
        assert dtm.matrix[i].sum() == expected


# -- charts --------------------------------------------------------------------------------


def test_charts_draw_what_they_are_given(corpus):
    hits = verbs.kwic(corpus, ["行政复议", "三项制度"])
    ax = plot_verbs.kwic_dispersion(hits, corpus.reports)
    assert len(ax.get_yticklabels()) == hits["report_id"].nunique()
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(hits)
    plt.close("all")
    key = verbs.keyness(corpus, "天镇县")
    ax = plot_verbs.keyness_bars(key, n=5)
    assert len(ax.patches) == 10
    assert ax.get_yticklabels()[0].get_text() == key["term"].iloc[0]
    plt.close("all")
    freq = verbs.term_frequency(corpus, by="report_year", terms=["依法行政", "行政复议"])
    ax = plot_verbs.term_trends(freq)
    assert len(ax.get_lines()) >= 2
    with pytest.raises(ValueError, match="`measure`"):
        plot_verbs.term_trends(freq, measure="tfidf")
