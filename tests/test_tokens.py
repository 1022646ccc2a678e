"""Tests for lawreports.tokens: segmentation with the domain lexicon, filtering, caching."""

from __future__ import annotations

import dataclasses
import logging
import pickle
import re

import jieba
import pytest

from lawreports import tokens as tokens_mod
from lawreports.tokens import (
    BACKENDS,
    Tokenizer,
    TokenizerOptions,
    agreement,
    get_tokenizer,
    load_lexicon,
    load_stopwords,
    tokenize,
)

# Sentences of the seed reports (and of the genre) with a field term inside.
IN_CONTEXT = [
    ("部分群众思想守旧,依旧存在信访不信法的现象", "信访不信法"),
    ("深化“放管服”改革、落实“双随机、一公开”市场监管等仍需不断改进", "双随机一公开"),
    ("深化“放管服”改革、落实“双随机、一公开”市场监管等仍需不断改进", "放管服"),
    ("严格落实行政执法“三项制度”,加强基层执法人员全部通过行政执法培训", "三项制度"),
    ("切实履行推进法治建设第一责任人职责", "第一责任人"),
    ("严格落实《重大行政决策程序暂行条例》", "重大行政决策"),
    ("成立了行政复议领导小组,不断完善行政执法监督制度", "行政复议"),
    ("行政机关工作人员的法治思维和法律意识还需要进一步提高", "法治思维"),
    ("我镇持续深化“放管服”改革,优化营商环境,为企业解难题", "营商环境"),
    ("推动消防、综合执法、生态环境保护3支执法队伍加强制度建设", "综合执法"),
    ("有的单位执法人员整体年龄结构偏大,存在不同程度的程序瑕疵", "程序瑕疵"),
]

#: The genre's filler that the issue names.
FILLER = ["进一步", "加强", "有待", "不断", "工作", "方面", "一是", "存在", "问题"]


@pytest.fixture(scope="module", params=BACKENDS)
def backend_tok(request) -> Tokenizer:
    return Tokenizer(TokenizerOptions(backend=request.param, cache=False))


# -- resources -----------------------------------------------------------------------------


def test_lexicon_has_documented_entries():
    entries = load_lexicon()
    words = [e.word for e in entries]
    assert len(words) >= 150
    assert len(set(words)) == len(words), "duplicate lexicon entries"
    assert not any(w.startswith("#") for w in words), "a comment line was read as a word"
    for e in entries:
        assert e.freq is not None and e.freq > 0, e
        assert e.pos in {"nz", "n", "vn", "l", "a"}, e
        assert not re.search(r"\s", e.word), e
    for term in ["放管服", "双随机一公开", "三项制度", "第一责任人", "重大行政决策", "行政复议",
                 "法治思维", "营商环境", "综合执法", "信访不信法"]:
        assert term in words


def test_stopwords_cover_genre_filler():
    stop = load_stopwords()
    assert set(FILLER) <= stop
    assert not any(w.startswith("#") for w in stop)
    # field terms must not be stopwords, except the genre's own name kept whole to be removed
    overlap = stop & {e.word for e in load_lexicon()}
    assert overlap <= {"法治政府建设", "法治政府", "法治建设", "不到位",
                       "习近平新时代中国特色社会主义思想"}


def test_jieba_does_not_skip_comment_lines():
    # the reason load_lexicon parses the file itself: jieba would add "#…" lines as words
    import io

    seg = tokens_mod._new_jieba()
    seg.load_userdict(io.BytesIO("# 注释 说明\n信访不信法 5 l\n".encode("utf-8")))
    assert "# 注释 说明" in seg.FREQ or "# 注释" in seg.FREQ


# -- segmentation --------------------------------------------------------------------------


def test_every_lexicon_term_is_kept_whole_alone(backend_tok):
    for entry in load_lexicon():
        assert backend_tok.cut(entry.word) == [entry.word], (backend_tok.backend, entry.word)


@pytest.mark.parametrize(("sentence", "term"), IN_CONTEXT)
def test_lexicon_terms_kept_whole_in_context(backend_tok, sentence, term):
    assert term in backend_tok.tokenize(sentence)


def test_enumeration_comma_rejoins_known_words_only(backend_tok):
    sentence = "落实“双随机、一公开”监管,健全公众参与、专家论证、风险评估程序"
    tokens = backend_tok.cut(sentence)
    assert "双随机一公开" in tokens
    assert {"公众参与", "专家论证", "风险评估"} <= set(tokens)  # listed terms stay apart
    bare = Tokenizer.from_options(backend_tok.options, lexicon=False)
    assert "双随机一公开" not in bare.cut(sentence)  # only known words are rejoined
    assert "双随机一公开" in bare.add_words(["双随机一公开"]).cut(sentence)


def test_terms_split_without_lexicon():
    bare = Tokenizer(TokenizerOptions(lexicon=False, cache=False))
    assert "信访不信法" not in bare.tokenize("依旧存在信访不信法的现象")
    assert "双随机一公开" not in bare.tokenize("落实“双随机、一公开”市场监管")


def test_filler_removed_from_seed_shortcomings(corpus):
    tok = Tokenizer(TokenizerOptions(cache=False))
    tokens = [t for s in corpus.shortcomings["text"] for t in tok.tokenize(s)]
    assert tokens
    assert not set(tokens) & set(FILLER)
    # filler glued to another word by the segmenter is dropped too (进一步提高, 不断改进)
    assert not [t for t in tokens if re.search("进一步|有待|不断|一是|二是|三是", t)]


def test_filler_free_on_whole_seed_texts(corpus):
    tok = Tokenizer(TokenizerOptions(cache=False))
    for report_id, doc in corpus.documents.items():
        tokens = tok.tokenize(doc.text)
        glued = [t for t in tokens if re.search("进一步|有待|不断|切实|一是|二是|三是", t)]
        assert not glued, (report_id, glued)


def test_drop_rule_numbers_punctuation_single_characters():
    tokens = tokenize("2022年,共计为4名综合行政执法人员换发执法证,即办率为95.29%,上线APP。")
    assert "执法证" in tokens and "APP" in tokens
    assert all(len(t) > 1 for t in tokens)
    assert not [t for t in tokens if re.fullmatch(r"[\d.%,。,]+", t)]


def test_single_character_user_word_is_kept():
    sentence = "还需要更广泛的发动村(居)组干部进一步加大宣传力度"
    assert "村" not in tokenize(sentence)
    assert "村" in Tokenizer(TokenizerOptions(user_words=["村"])).tokenize(sentence)


def test_two_stopwords_run_together_are_dropped():
    tok = Tokenizer(TokenizerOptions(cache=False))
    assert "不断完善" in tok.cut("不断完善行政执法监督制度")
    assert "不断完善" not in tok.tokenize("不断完善行政执法监督制度")


# -- user words and stopwords --------------------------------------------------------------


def test_user_word_changes_a_token():
    sentence = "组织基层工作人员现场开展5场执法带教活动"
    assert "执法带教" not in tokenize(sentence)
    assert "带教" in tokenize(sentence)
    assert "执法带教" in tokenize(sentence, TokenizerOptions(user_words=["执法带教"]))
    tok = Tokenizer().add_words([("执法带教", 2000, "n")])
    assert "执法带教" in tok.tokenize(sentence)
    assert "带教" not in tok.tokenize(sentence)


def test_user_words_do_not_leak():
    sentence = "组织开展5场执法带教活动"
    mine = Tokenizer(TokenizerOptions(backend="jieba", user_words=["执法带教"]))
    assert "执法带教" in mine.tokenize(sentence)
    assert "执法带教" not in Tokenizer(TokenizerOptions(backend="jieba")).tokenize(sentence)
    assert "执法带教" not in jieba.lcut(sentence)
    rmine = Tokenizer(TokenizerOptions(backend="rjieba", user_words=["执法带教"]))
    assert "执法带教" in rmine.tokenize(sentence)
    assert "执法带教" not in Tokenizer(TokenizerOptions(backend="rjieba")).tokenize(sentence)


def test_user_stopword_removes_a_token():
    sentence = "我镇执法人员普遍缺乏法律专业背景"
    assert "执法人员" in tokenize(sentence)
    assert "执法人员" not in tokenize(sentence, TokenizerOptions(stopwords=["执法人员"]))
    tok = Tokenizer().add_stopwords("专业背景")
    assert "专业背景" not in tok.tokenize(sentence)
    assert "执法人员" in tok.tokenize(sentence)


# -- caching -------------------------------------------------------------------------------


class _Exploding:
    def cut(self, text):
        raise AssertionError("the segmenter was called")


def test_second_call_comes_from_cache_and_new_words_invalidate(corpus):
    text = corpus.shortcomings["text"].iloc[-1]
    tok = Tokenizer()
    first = tok.tokenize(text)
    real = tok.segmenter
    tok._segmenter = _Exploding()
    assert tok.tokenize(text) == first  # no segmentation: served from the cache
    assert tok.tokenize(text) is not tok.tokenize(text)  # callers get their own list
    key = tok.cache_key(text)
    tok.add_stopwords(["群众"])
    assert tok.cache_key(text) != key
    with pytest.raises(AssertionError, match="segmenter was called"):
        tok.tokenize(text)
    tok._segmenter = real
    assert tok.tokenize(text) == [t for t in first if t != "群众"]
    key = tok.cache_key(text)
    tok.add_words(["思想守旧"])
    assert tok.cache_key(text) != key
    assert "思想守旧" in tok.tokenize(text)


def test_cache_key_depends_on_backend_and_text():
    a = Tokenizer(TokenizerOptions(backend="jieba"))
    b = Tokenizer(TokenizerOptions(backend="rjieba"))
    assert a.cache_key("执法人员不足") != b.cache_key("执法人员不足")
    assert a.cache_key("执法人员不足") != a.cache_key("执法人员不足。")
    assert a.cache_key("执法人员不足") == Tokenizer.from_options(backend="jieba").cache_key("执法人员不足")


def test_cache_off_gives_same_tokens(corpus):
    text = corpus.shortcomings["text"].iloc[0]
    assert Tokenizer(TokenizerOptions(cache=False)).tokenize(text) == Tokenizer().tokenize(text)


# -- options -------------------------------------------------------------------------------


def test_rjieba_is_the_default_backend():
    assert TokenizerOptions().backend == "rjieba"
    assert Tokenizer().backend == "rjieba"
    assert get_tokenizer().backend == "rjieba"


def test_options_are_frozen_hashable_and_normalised():
    opts = TokenizerOptions(user_words=["执法带教", ["带教", 300]], stopwords=["群众", "群众 ", "村"])
    assert opts.user_words == ("执法带教", ("带教", 300))
    assert opts.stopwords == ("村", "群众")
    assert opts == TokenizerOptions(user_words=("执法带教", ("带教", 300)), stopwords=("群众", "村"))
    assert hash(opts) == hash(TokenizerOptions(user_words=("执法带教", ("带教", 300)), stopwords=("村", "群众")))
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.backend = "jieba"


def test_get_tokenizer_loads_once_per_options():
    opts = TokenizerOptions(backend="jieba", stopwords=["群众"])
    assert get_tokenizer(opts) is get_tokenizer(TokenizerOptions(backend="jieba", stopwords=("群众",)))
    assert get_tokenizer(opts) is not get_tokenizer(TokenizerOptions(backend="jieba"))
    assert get_tokenizer() is get_tokenizer(TokenizerOptions())


def test_options_follow_added_words():
    tok = Tokenizer.from_options(backend="jieba").add_words("执法带教").add_stopwords("群众")
    assert tok.options == TokenizerOptions(backend="jieba", user_words=["执法带教"], stopwords=["群众"])
    assert tok.cache_key("x") == Tokenizer(tok.options).cache_key("x")
    with pytest.raises(TypeError, match="TokenizerOptions"):
        Tokenizer("jieba")
    with pytest.raises(TypeError):
        Tokenizer.from_options(backnd="jieba")


# -- backends ------------------------------------------------------------------------------


def test_backends_agree_on_seeds(corpus):
    table = agreement({rid: doc.text for rid, doc in corpus.documents.items()})
    assert len(table) == len(corpus.documents)
    assert (table["jaccard"] > 0.99).all(), table
    assert (table["identical"] > 0.98).all(), table
    assert (table["n_tokens_a"] > 100).all()


def test_unknown_backend_names_the_choices():
    with pytest.raises(ValueError, match="'jieba', 'rjieba'"):
        TokenizerOptions(backend="pkuseg")
    with pytest.raises(ValueError, match="backend"):
        Tokenizer.from_options(backend="thulac")


def test_tokenizer_pickles():
    tok = Tokenizer(TokenizerOptions(backend="rjieba", user_words=["执法带教"]))
    sentence = "开展执法带教活动"
    expected = tok.tokenize(sentence)
    clone = pickle.loads(pickle.dumps(tok))
    assert clone.tokenize(sentence) == expected
    assert clone.cache_key(sentence) == tok.cache_key(sentence)


def test_jieba_loading_is_silent(capfd):
    tokens_mod._jieba_base.cache_clear()
    Tokenizer(TokenizerOptions(backend="jieba", cache=False)).tokenize("依法行政")
    err = capfd.readouterr().err
    assert "prefix dict" not in err
    assert logging.getLogger("jieba").level >= logging.WARNING


def test_segments_filtered_are_the_tokens(backend_tok):
    text = "落实“双随机、一公开”市场监管等仍需不断改进。  APP 应用\n部分群众依旧存在信访不信法的现象,95.29%"
    segments = backend_tok.segments(text)
    assert all(s and not s.isspace() and " " not in s for s in segments)
    assert "双随机一公开" in segments and "等" in segments   # rejoined, not yet filtered
    assert backend_tok.filter(" ".join(segments).split(" ")) == backend_tok.tokenize(text)


def test_stored_segments_are_the_tokens_of_every_seed_document(corpus):
    """The parse's ``tokens`` table, split and filtered, is the default tokenizer's tokens."""
    from lawreports import topics

    tok = get_tokenizer()
    table = corpus.tokens
    assert len(table) and set(table["part"]) <= set(topics.ROLES)
    for part in topics.ROLES:
        docs = topics.documents(corpus, part)
        rows = table[table["part"] == part]
        stored = dict(zip(zip(rows["report_id"], rows["item"]), rows["tokens"]))
        assert len(stored) == len(docs), part
        for rid, item, text in zip(docs["report_id"], docs["item"], docs["text"]):
            assert tok.filter(stored[(rid, item)].split(" ")) == tok.tokenize(text), (part, rid, item)
