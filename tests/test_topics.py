"""Tests for lawreports.topics: TF-IDF profiles, themes, NMF topics and similarity."""

from __future__ import annotations

import dataclasses
import re
import types

import numpy as np
import pandas as pd
import pytest

from lawreports import topics
from lawreports.structure import Section, part_spans
from lawreports.tokens import Tokenizer, TokenizerOptions, get_tokenizer, load_stopwords

#: The themes a reader gives each seed shortcomings item (report prefix, item): read by hand.
#: 000 海陵试验区: 1 officials' 法治思维/法律意识; 2 政务公开; 3 监督问责制度.
#: 001 天镇县: 1 the 《纲要》 not yet carried out; 2 法治责任, the 第一责任人 duty;
#:     3 decision procedure steps skipped, and government contracts' filing not standardised.
#: 002 伊春市: 1 uneven 依法行政; 2 the 第一责任人 duty.
#: 003 武清区: 1 uneven progress, slack 责任链条; 2 营商环境, 放管服, 双随机、一公开;
#:     3 enforcement results, staff age and skills, 程序瑕疵.
#: 004 珍溪镇: 1 disputes still serious, too few enforcement staff without legal training,
#:     limited funds; 2 信访不信法, low participation of the public, more publicity needed.
EXPECTED_THEMES = {
    ("000", 1): {"领导干部法治意识"},
    ("000", 2): {"政务公开"},
    ("000", 3): {"监督问责"},
    ("001", 1): {"制度建设与落实"},
    ("001", 2): {"责任落实"},
    ("001", 3): {"决策程序", "制度建设与落实"},
    ("002", 1): {"发展不均衡"},
    ("002", 2): {"责任落实"},
    ("003", 1): {"发展不均衡", "责任落实"},
    ("003", 2): {"营商环境与放管服"},
    ("003", 3): {"执法队伍与能力"},
    ("004", 1): {"执法队伍与能力", "保障与经费", "矛盾纠纷化解"},
    ("004", 2): {"基层治理与群众参与", "普法与法治宣传"},
}


def _prefix(report_id: str) -> str:
    return str(report_id)[:3]


def _genre_corpus() -> types.SimpleNamespace:
    """Three small reports in the genre: nested sections, an inline part, a twin report."""
    a = ("一、主要举措和成效\n(一)深化行政执法改革。推进综合执法,规范执法人员持证上岗。\n"
         "(二)优化营商环境。推行“一网通办”。\n二、存在的不足\n执法人员不足,经费保障有限。\n")
    b = "一、工作成效\n推进政务公开,完善行政复议。\n二、存在的问题\n信息化建设相对滞后,数据共享程度不高。\n"
    texts = {"A": a, "B": b, "C": b}
    sections = []

    def add(rid, sid, parent, depth, role, start, end):
        sections.append({"report_id": rid, "section_id": sid, "parent_id": parent,
                         "depth": depth, "role": role, "start": start, "end": end,
                         "text": texts[rid][start:end]})

    s1, s2 = a.index("一、"), a.index("二、")
    add("A", 0, None, 0, "preamble", 0, len(a))
    add("A", 1, 0, 1, "achievements", s1, s2)
    add("A", 2, 1, 2, "achievements", a.index("(一)"), a.index("(二)"))
    add("A", 3, 1, 2, "achievements", a.index("(二)"), s2)
    add("A", 4, 0, 1, "shortcomings", s2, len(a))
    for rid in ("B", "C"):
        t1, t2 = b.index("一、"), b.index("二、")
        add(rid, 0, None, 0, "preamble", 0, len(b))
        add(rid, 1, 0, 1, "achievements", t1, t2)
        add(rid, 2, 0, 1, "shortcomings", t2, len(b))
    items = []
    for rid, sid, body in [("A", 4, "执法人员不足,经费保障有限。"),
                           ("B", 2, "信息化建设相对滞后,数据共享程度不高。"),
                           ("C", 2, "信息化建设相对滞后,数据共享程度不高。")]:
        start = texts[rid].index(body)
        items.append({"report_id": rid, "item": 1, "text": body, "source": "heading",
                      "section_id": sid, "start": start, "end": start + len(body)})
    reports = pd.DataFrame({
        "report_id": ["A", "B", "C"],
        "jurisdiction": ["甲镇", "乙县", "丙县"],
        "tier": ["township", "county", "county"],
    })
    # the parts as the structure stage finds them from these sections
    parts = []
    for rid, text in texts.items():
        secs = [Section(**{k: v for k, v in s.items() if k != "report_id"}, marker="", heading="",
                        source="root" if s["parent_id"] is None else "heading",
                        kind="root" if s["parent_id"] is None else "heading")
                for s in sections if s["report_id"] == rid]
        parts += [{"report_id": rid, **dataclasses.asdict(p)} for p in part_spans(text, secs)]
    return types.SimpleNamespace(reports=reports, sections=pd.DataFrame(sections),
                                 shortcomings=pd.DataFrame(items), parts=pd.DataFrame(parts),
                                 texts=pd.DataFrame({"report_id": list(texts), "text": list(texts.values())}),
                                 text_of=texts)


# -- documents -----------------------------------------------------------------------------


def test_documents_shortcomings_are_the_items(corpus):
    docs = topics.documents(corpus)
    assert len(docs) == len(corpus.shortcomings)
    assert list(docs["text"]) == list(corpus.shortcomings["text"])


@pytest.mark.parametrize("part", ["achievements", "plans", "preamble", "responsibility"])
def test_documents_of_a_role_are_exact_non_overlapping_slices(corpus, part):
    docs = topics.documents(corpus, part)
    assert not docs.empty
    for rid, group in docs.groupby("report_id"):
        clean = corpus.documents[rid].text
        spans = sorted(zip(group["start"], group["end"]))
        for (s, e), (s2, _) in zip(spans, spans[1:]):
            assert e <= s2, (rid, part, "overlapping documents")
        for row in group.itertuples():
            assert clean[row.start:row.end] == row.text
    # no document reaches into a shortcomings item
    items = corpus.shortcomings
    for row in docs.itertuples():
        same = items[items["report_id"] == row.report_id]
        assert not ((same["start"] < row.end) & (same["end"] > row.start)).any()


def test_documents_count_nested_sections_once():
    c = _genre_corpus()
    docs = topics.documents(c, "achievements")
    a = docs[docs["report_id"] == "A"]
    assert len(a) == 1  # (一) and (二) lie inside 一、: one run of text
    assert a["text"].iloc[0].count("综合执法") == 1
    assert a["text"].iloc[0] == c.text_of["A"][a["start"].iloc[0]:a["end"].iloc[0]]
    assert "存在的不足" not in a["text"].iloc[0]
    pre = topics.documents(c, "preamble")
    assert pre.empty  # the root owns no text of its own in these reports


def test_documents_rejects_unknown_part(corpus):
    with pytest.raises(ValueError, match="`part` must be one of .*'shortcomings'"):
        topics.documents(corpus, "weaknesses")


def _without_tokens(corpus) -> types.SimpleNamespace:
    """The corpus's tables without the parse's ``tokens``: every text is tokenized again."""
    return types.SimpleNamespace(**{name: corpus.table(name) for name in
                                    ("reports", "texts", "parts", "shortcomings")})


@pytest.mark.parametrize("part", topics.ROLES)
def test_documents_tokens_from_the_parse_equal_tokenizing_again(corpus, part):
    """On the seed corpus, the stored segments give exactly the default tokenizer's tokens."""
    stored = topics.documents(corpus, part, tokens=True)
    again = topics.documents(_without_tokens(corpus), part, tokens=True)
    assert list(stored["tokens"]) == list(again["tokens"])
    assert list(stored["tokens"]) == [get_tokenizer().tokenize(t) for t in stored["text"]]
    if part in ("shortcomings", "achievements"):
        assert sum(map(len, stored["tokens"])) > 50


@pytest.mark.parametrize("part", ["shortcomings", "plans"])
def test_analyses_on_stored_tokens_equal_tokenizing_again(corpus, part):
    bare = _without_tokens(corpus)
    pd.testing.assert_frame_equal(topics.tfidf_profiles(corpus, part=part, top=None),
                                  topics.tfidf_profiles(bare, part=part, top=None))
    pd.testing.assert_frame_equal(topics.similarity(corpus, part=part, by="report_id").tidy,
                                  topics.similarity(bare, part=part, by="report_id").tidy)
    a = topics.topic_model(corpus, part=part, n_topics=3)
    b = topics.topic_model(bare, part=part, n_topics=3)
    pd.testing.assert_frame_equal(a.topic_terms, b.topic_terms)
    pd.testing.assert_frame_equal(a.doc_topics, b.doc_topics)


def test_stored_tokens_serve_only_the_default_tokenizer(corpus):
    marked = dict(corpus.to_pandas()._tables)
    marked["tokens"] = corpus.tokens.assign(tokens="存储标记")   # a token no text holds
    for default in (None, TokenizerOptions(), TokenizerOptions(cache=False), Tokenizer()):
        docs = topics.documents(marked, tokens=True, tokenizer=default)
        assert all(t == ["存储标记"] for t in docs["tokens"]), default
    for other in (TokenizerOptions(backend="jieba"), TokenizerOptions(stopwords=["群众"]),
                  Tokenizer().add_words(["执法带教"]), str.split):
        docs = topics.documents(marked, tokens=True, tokenizer=other)
        assert not any("存储标记" in t for t in docs["tokens"]), other


# -- TF-IDF profiles -----------------------------------------------------------------------


def test_profiles_shape_and_ranks(corpus):
    prof = topics.tfidf_profiles(corpus, top=20)
    assert list(prof.columns) == ["group", "term", "weight", "rank", "n_docs"]
    assert set(prof["group"]) == set(corpus.reports["jurisdiction"])
    for _, g in prof.groupby("group"):
        assert list(g["rank"]) == list(range(1, len(g) + 1))
        assert (np.diff(g["weight"].to_numpy()) <= 1e-12).all()
        assert len(g) <= 20
        assert not g["term"].duplicated().any()
    assert (prof["weight"] > 0).all()


def test_profiles_show_what_each_seed_admits(corpus):
    prof = topics.tfidf_profiles(corpus, top=20)
    terms = {g: list(d["term"]) for g, d in prof.groupby("group")}
    assert any("信访" in t for t in terms["珍溪镇"])
    assert any("执法" in t for t in terms["珍溪镇"])
    assert "纲要" in terms["天镇县"]
    assert any("决策" in t for t in terms["天镇县"])
    assert "营商环境" in terms["武清区"] or any("执法" in t for t in terms["武清区"])
    assert {"法治思维", "政务公开", "监督问责"} <= set(terms["海陵试验区"])
    assert "不均衡" in terms["伊春市"]


def test_profiles_are_free_of_filler(corpus):
    prof = topics.tfidf_profiles(corpus, top=20)
    stop = load_stopwords()
    assert not set(prof["term"]) & stop
    assert not [t for t in prof["term"] if len(t) < 2 or re.search(r"\d", t)]


def test_profile_n_docs_counts_items_using_the_term(corpus):
    prof = topics.tfidf_profiles(corpus, top=None)
    tok = Tokenizer()
    items = corpus.shortcomings.merge(corpus.reports[["report_id", "jurisdiction"]])
    token_sets = {(r.jurisdiction, r.item): set(tok(r.text)) for r in items.itertuples()}
    for row in prof.sample(40, random_state=1).itertuples():
        expected = sum(row.term in s for (g, _), s in token_sets.items() if g == row.group)
        assert row.n_docs == expected, row


@pytest.mark.parametrize("by", ["division_type", "tier", "province", "report_year", "report_id"])
def test_profiles_group_by_any_report_column(corpus, by):
    prof = topics.tfidf_profiles(corpus, by=by, top=5)
    with_items = corpus.reports[corpus.reports["report_id"].isin(corpus.shortcomings["report_id"])]
    assert set(prof["group"]) == set(with_items[by])


def test_profiles_by_tier_pool_reports():
    c = _genre_corpus()
    prof = topics.tfidf_profiles(c, by="tier", top=None)
    county = prof[prof["group"] == "county"].set_index("term")
    assert county.loc["信息化", "n_docs"] == 2  # both county reports use it
    assert "信息化" not in set(prof.loc[prof["group"] == "township", "term"])


def test_profiles_errors_name_the_choices(corpus):
    with pytest.raises(ValueError, match="`by` must be a column of `reports`.*jurisdiction"):
        topics.tfidf_profiles(corpus, by="level")
    with pytest.raises(ValueError, match="`part` must be one of"):
        topics.tfidf_profiles(corpus, part="problems")
    with pytest.raises(ValueError, match="`top`"):
        topics.tfidf_profiles(corpus, top=0)


def test_profiles_take_other_parts_and_vectorizer_settings(corpus):
    plans = topics.tfidf_profiles(corpus, part="plans", top=10)
    assert set(plans["group"]) == set(corpus.reports["jurisdiction"])
    common = topics.tfidf_profiles(corpus, part="achievements", top=None, min_df=3)
    # min_df counts groups: every term kept is used by at least 3 jurisdictions
    assert (common.groupby("term")["group"].nunique() >= 3).all()
    with pytest.warns(UserWarning, match="token_pattern"):
        topics.tfidf_profiles(corpus, top=3, token_pattern=r"\w+")


def test_profiles_accept_a_callable_or_backend_tokenizer(corpus):
    def by_comma(text: str) -> list[str]:
        return [p for p in re.split(r"[,,。;;]", text) if len(p) > 6]

    prof = topics.tfidf_profiles(corpus, top=3, tokenizer=by_comma)
    pieces = {p for text in corpus.shortcomings["text"] for p in by_comma(text)}
    assert set(prof["term"]) <= pieces  # the callable's tokens, one item at a time
    assert "法治政府建设水平和依法行政不均衡" in set(prof["term"])
    jb = topics.tfidf_profiles(corpus, top=20, tokenizer=TokenizerOptions(backend="jieba"))
    rj = topics.tfidf_profiles(corpus, top=20)  # rjieba, the default
    pd.testing.assert_frame_equal(rj, jb)
    with pytest.raises(TypeError, match="TokenizerOptions"):
        topics.tfidf_profiles(corpus, tokenizer="rjieba")


def test_profiles_read_polars_tables(corpus):
    import polars as pl

    pol = types.SimpleNamespace(
        reports=pl.from_pandas(corpus.reports[["report_id", "jurisdiction"]]),
        shortcomings=pl.from_pandas(corpus.shortcomings[["report_id", "item", "text"]]),
    )
    pd.testing.assert_frame_equal(
        topics.tfidf_profiles(pol, top=5), topics.tfidf_profiles(corpus, top=5)
    )


# -- similarity ----------------------------------------------------------------------------


def test_similarity_matrix_and_tidy_agree(corpus):
    res = topics.similarity(corpus)
    m = res.matrix
    n = len(corpus.reports)
    assert m.shape == (n, n)
    assert np.allclose(m.to_numpy(), m.to_numpy().T)
    assert np.allclose(np.diag(m), 1.0)
    assert ((m.to_numpy() >= -1e-12) & (m.to_numpy() <= 1 + 1e-12)).all()
    assert list(res.tidy.columns) == ["a", "b", "similarity"]
    assert len(res.tidy) == n * (n - 1)
    for row in res.tidy.itertuples():
        assert row.similarity == pytest.approx(m.loc[row.a, row.b])
    tidy, matrix = res  # unpacks as a pair
    assert tidy is res.tidy and matrix is res.matrix


def test_similarity_of_identical_and_disjoint_texts():
    res = topics.similarity(_genre_corpus())
    assert res.matrix.loc["乙县", "丙县"] == pytest.approx(1.0)
    assert res.matrix.loc["甲镇", "乙县"] == pytest.approx(0.0)
    assert tuple(res.tidy.iloc[0][["a", "b"]]) in {("乙县", "丙县"), ("丙县", "乙县")}


# -- topic model ---------------------------------------------------------------------------


def test_topic_model_is_deterministic(corpus):
    one = topics.topic_model(corpus, n_topics=3, random_state=7)
    two = topics.topic_model(corpus, n_topics=3, random_state=7)
    pd.testing.assert_frame_equal(one.topic_terms, two.topic_terms)
    pd.testing.assert_frame_equal(one.doc_topics, two.doc_topics)


def test_topic_model_tables(corpus):
    res = topics.topic_model(corpus, n_topics=4, top=5)
    tt, dt = res.topic_terms, res.doc_topics
    assert list(tt.columns) == ["topic", "term", "weight", "rank"]
    assert list(dt.columns) == ["report_id", "item", "topic", "weight"]
    assert set(tt["topic"]) <= {1, 2, 3, 4}
    assert (tt.groupby("topic").size() <= 5).all()
    assert len(dt) == 4 * len(corpus.shortcomings)
    assert (dt["weight"] >= 0).all()
    # a topic's heaviest term is used by the item that loads most on the topic
    tok = Tokenizer()
    items = corpus.shortcomings.set_index(["report_id", "item"])["text"]
    for k, group in dt.groupby("topic"):
        best = group.loc[group["weight"].idxmax()]
        first = tt[(tt["topic"] == k) & (tt["rank"] == 1)]["term"].iloc[0]
        assert first in tok(items[(best["report_id"], best["item"])]), (k, first)


def test_topic_model_rejects_too_many_topics(corpus):
    with pytest.raises(ValueError, match="`n_topics` must be at most"):
        topics.topic_model(corpus, n_topics=500)
    with pytest.raises(ValueError, match="`n_topics`"):
        topics.topic_model(corpus, n_topics=0)


# -- themes --------------------------------------------------------------------------------


def test_theme_dictionary_is_valid():
    table = topics.load_themes()
    assert list(table.columns) == ["theme", "pattern", "note"]
    assert table["theme"].nunique() >= 10
    assert (table["note"].str.len() > 0).all()
    for p in table["pattern"]:
        re.compile(p)
    for theme in ["执法队伍与能力", "领导干部法治意识", "决策程序", "政务公开", "监督问责",
                  "营商环境与放管服", "基层治理与群众参与", "发展不均衡", "保障与经费"]:
        assert theme in set(table["theme"])


def test_seed_items_get_the_themes_a_reader_gives(corpus):
    res = topics.themes(corpus)
    got = {}
    for row in res.items.itertuples():
        got.setdefault((_prefix(row.report_id), row.item), set()).add(row.theme)
    assert got == EXPECTED_THEMES
    assert res.unmatched.empty


def test_theme_matches_are_traceable(corpus):
    res = topics.themes(corpus)
    items = corpus.shortcomings.set_index(["report_id", "item"])["text"]
    for row in res.matches.itertuples():
        assert items[(row.report_id, row.item)][row.start:row.end] == row.term
        assert corpus.documents[row.report_id].text[row.report_start:row.report_end] == row.term
    # 武清区's 双随机、一公开 is matched where written, with the enumeration comma
    wq = res.items[res.items["report_id"].str.startswith("003") & (res.items["item"] == 2)]
    assert "双随机" in wq["terms"].iloc[0]


def test_theme_shares(corpus):
    res = topics.themes(corpus, by="jurisdiction")
    sh = res.shares
    n_themes = topics.load_themes()["theme"].nunique()
    assert len(sh) == len(corpus.reports) * n_themes
    assert np.allclose(sh["share"], sh["n_items"] / sh["group_items"])
    zx = sh[sh["group"] == "珍溪镇"].set_index("theme")
    assert zx.loc["执法队伍与能力", "share"] == pytest.approx(0.5)
    assert zx.loc["政务公开", "n_items"] == 0
    by_tier = topics.themes(corpus, by="tier").shares
    assert by_tier.groupby("group")["group_items"].first().sum() == len(corpus.shortcomings)


def test_themes_on_genre_sentences():
    c = _genre_corpus()
    res = topics.themes(c)
    got = res.items.groupby("report_id")["theme"].apply(set).to_dict()
    assert got["A"] == {"执法队伍与能力", "保障与经费"}
    assert got["B"] == {"信息化与数字政府"}
    legal = types.SimpleNamespace(
        reports=pd.DataFrame({"report_id": ["D"], "jurisdiction": ["丁区"]}),
        shortcomings=pd.DataFrame({"report_id": ["D"], "item": [1],
                                   "text": ["基层法制机构人员力量薄弱,法律顾问作用发挥不充分"]}),
    )
    themed = set(topics.themes(legal).items["theme"])
    assert themed == {"法治工作队伍"}  # 发挥不充分 is not 发展不均衡


def test_themes_report_unmatched_items():
    c = types.SimpleNamespace(
        reports=pd.DataFrame({"report_id": ["E"], "jurisdiction": ["戊市"]}),
        shortcomings=pd.DataFrame({"report_id": ["E", "E"], "item": [1, 2],
                                   "text": ["个别干部作风漂浮", "行政复议案件数量上升"]}),
    )
    res = topics.themes(c)
    assert list(res.unmatched["item"]) == [1]
    assert set(res.items["theme"]) == {"矛盾纠纷化解"}
    assert res.shares.set_index("theme").loc["矛盾纠纷化解", "share"] == pytest.approx(0.5)
