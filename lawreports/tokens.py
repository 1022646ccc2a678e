"""Tokenization of report text: rjieba or jieba with the bundled domain lexicon and stopwords.

A :class:`Tokenizer` is configured by one :class:`TokenizerOptions` (backend, HMM, user words,
stopwords, whether to load the bundled lexicon and stopwords, caching); :func:`tokenize` and
:func:`get_tokenizer` take the same options object and share one tokenizer per options.

The tokenizer segments Chinese text with a *private* segmenter instance (never jieba's global
one), loads the bundled domain lexicon (``resources/lexicon.txt``) into it so that the field's
terms stay whole (放管服, 双随机一公开, 第一责任人, 信访不信法…), and drops what carries no
content. The rule, applied to each segmented token in order:

1. a stopword (``resources/stopwords.txt`` plus the user's) is dropped;
2. a lexicon or user word is kept, whatever its length;
3. a single character is dropped (的, 和, 镇, 年…: too ambiguous to count on its own; add it as a
   user word to keep it);
4. a token that is two stopwords run together is dropped (the segmenter's HMM joins unknown
   pairs: 不断完善 = 不断 + 完善, 切实加强, 及其);
5. a token with neither a Chinese character nor a Latin letter is dropped: whitespace,
   punctuation, numbers, percentages, dates, codes (2022, 95.29%, 12345);
6. everything else is kept (Latin words of two letters or more such as APP stay as written).

jieba's dictionary cache (a ``marshal`` file jieba would keep in the shared temporary folder,
where anyone may plant one) is kept in the user's own cache folder instead (mode 0700).

Tokens are cached by content: the key is the SHA-1 of the tokenizer's configuration (backend,
HMM, lexicon, user words, stopwords) and the text, so a second call on the same corpus costs one
hash per text, and adding a word or a stopword gives new keys.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, filterfalse
from typing import TYPE_CHECKING, Any, Union

from lawreports import resource_files

if TYPE_CHECKING:
    import pandas as pd

LOGGER = logging.getLogger(__name__)

__all__ = [
    "BACKENDS",
    "Tokenizer",
    "TokenizerOptions",
    "agreement",
    "clear_cache",
    "get_tokenizer",
    "load_lexicon",
    "load_stopwords",
    "tokenize",
]

#: Segmentation backends a :class:`Tokenizer` can use (``TokenizerOptions.backend``).
BACKENDS = ("jieba", "rjieba")

#: Characters that join the parts of an enumerated term (双随机、一公开); a run of tokens
#: separated by them is rejoined when, without them, it spells a lexicon or user word.
_JOINERS = frozenset({"、", "·", "•"})
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_CACHE_VERSION = "1"

WordSpec = Union[str, tuple]


@dataclass(frozen=True)
class LexiconEntry:
    """One entry of a jieba-format user dictionary.

    Attributes
    ----------
    word : str
        The term as written.
    freq : int or None
        Frequency on jieba's scale; None lets the backend suggest one.
    pos : str or None
        Part-of-speech tag (nz, n, vn, l, a…), or None.
    """

    word: str
    freq: int | None = None
    pos: str | None = None


def _parse_entry(spec: WordSpec) -> LexiconEntry:
    """Turn a user word (``"词"``, ``("词", 300)``, ``("词", 300, "n")`` or a line) into an entry."""
    if isinstance(spec, LexiconEntry):
        return spec
    if isinstance(spec, str):
        parts = spec.split()
    else:
        parts = [str(p) for p in spec if p is not None]
    if not parts or not parts[0]:
        raise ValueError(f"Empty word in {spec!r}.")
    word, freq, pos = parts[0], None, None
    rest = parts[1:]
    if rest and rest[0].isdigit():
        freq = int(rest.pop(0))
    if rest:
        pos = rest.pop(0)
    if rest:
        raise ValueError(
            f"Cannot read {spec!r} as a word: expected `word`, `word freq`, `word freq pos` "
            "or `word pos` (the word itself may not contain spaces)."
        )
    return LexiconEntry(word, freq, pos)


def _freeze_words(words: Iterable[WordSpec] | WordSpec | None) -> tuple:
    """User words as a hashable tuple (a single string is one word)."""
    if words is None:
        return ()
    if isinstance(words, (str, LexiconEntry)):
        words = [words]
    return tuple(tuple(w) if isinstance(w, list) else w for w in words)


def _freeze_stopwords(words: Iterable[str] | str | None) -> tuple[str, ...]:
    """Stopwords as a sorted tuple of distinct stripped words (a single string is one word)."""
    if words is None:
        return ()
    if isinstance(words, str):
        words = [words]
    return tuple(sorted({w.strip() for w in words if w and w.strip()}))


@dataclass(frozen=True)
class TokenizerOptions:
    """Everything that decides a :class:`Tokenizer`'s tokens, in one hashable object.

    Parameters
    ----------
    backend : {"rjieba", "jieba"}, default "rjieba"
        Segmenter. ``"rjieba"`` is jieba's algorithm and dictionary in Rust, many times
        faster; both get the same lexicon and user words.
    hmm : bool, default True
        Let the segmenter's HMM join characters absent from the dictionary (jieba's default).
    user_words : iterable, default ()
        Extra words to keep whole, each ``"词"``, ``("词", freq)`` or ``("词", freq, pos)``
        (a single string is one word). Stored as a tuple.
    stopwords : iterable of str, default ()
        Extra stopwords, removed from the output (a single string is one word). Stored as a
        sorted tuple of distinct words.
    lexicon : bool, default True
        Load the bundled domain lexicon (:func:`load_lexicon`).
    default_stopwords : bool, default True
        Use the bundled stopword list (:func:`load_stopwords`).
    cache : bool, default True
        Reuse the tokens of a text seen before with the same configuration.

    Examples
    --------
    >>> opts = TokenizerOptions(user_words=["执法带教"])
    >>> tokenize("组织开展5场执法带教活动", opts)
    ['组织', '执法带教', '活动']
    >>> dataclasses.replace(opts, backend="jieba").backend
    'jieba'
    """

    backend: str = "rjieba"
    hmm: bool = True
    user_words: tuple = ()
    stopwords: tuple[str, ...] = ()
    lexicon: bool = True
    default_stopwords: bool = True
    cache: bool = True

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(
                f"The value for `backend` must be one of {', '.join(map(repr, BACKENDS))}; "
                f"got {self.backend!r}."
            )
        for name in ("hmm", "lexicon", "default_stopwords", "cache"):
            object.__setattr__(self, name, bool(getattr(self, name)))
        object.__setattr__(self, "user_words", _freeze_words(self.user_words))
        object.__setattr__(self, "stopwords", _freeze_stopwords(self.stopwords))


#: ``TokenizerOptions()``, made once: options are frozen, and the parse asks for them per report.
_DEFAULT_OPTIONS = TokenizerOptions()


def _options(options: TokenizerOptions | None) -> TokenizerOptions:
    if options is None:
        return _DEFAULT_OPTIONS
    if not isinstance(options, TokenizerOptions):
        raise TypeError(
            f"`options` must be a lawreports.tokens.TokenizerOptions or None, not "
            f"{type(options).__name__}; e.g. TokenizerOptions(backend='jieba')."
        )
    return options


@functools.lru_cache(maxsize=None)
def load_lexicon() -> tuple[LexiconEntry, ...]:
    """Read the bundled domain lexicon (``resources/lexicon.txt``).

    Returns
    -------
    tuple of LexiconEntry
        Entries in file order (comments and blank lines skipped).
    """
    return tuple(_parse_entry(line) for line in resource_files.read_lines("lexicon.txt"))


@functools.lru_cache(maxsize=None)
def load_stopwords() -> frozenset[str]:
    """Read the bundled stopword list (``resources/stopwords.txt``), one word a line.

    Returns
    -------
    frozenset of str
    """
    return frozenset(resource_files.read_lines("stopwords.txt"))


@functools.lru_cache(maxsize=None)
def _resource_digest(name: str) -> str:
    return hashlib.sha1(resource_files.read_text(name).encode("utf-8")).hexdigest()


# -- token cache ---------------------------------------------------------------------------


class _TokenCache:
    """A bounded LRU mapping from content keys to token tuples (thread-safe)."""

    def __init__(self, max_entries: int = 200_000, max_tokens: int = 20_000_000) -> None:
        self.max_entries = max_entries
        self.max_tokens = max_tokens
        self._data: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._n_tokens = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> tuple[str, ...] | None:
        with self._lock:
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: str, value: tuple[str, ...]) -> None:
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._n_tokens -= len(old)
            self._data[key] = value
            self._n_tokens += len(value)
            while self._data and (
                len(self._data) > self.max_entries or self._n_tokens > self.max_tokens
            ):
                _, dropped = self._data.popitem(last=False)
                self._n_tokens -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._n_tokens = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


_CACHE = _TokenCache()


def clear_cache() -> None:
    """Empty the shared token cache (tokens of every tokenizer)."""
    _CACHE.clear()


# -- segmenters ----------------------------------------------------------------------------


def _jieba_cache_dir() -> str:
    """jieba's dictionary cache: a folder only this user can write (never the shared temp folder).

    jieba keeps its dictionary as a ``marshal`` file in the shared temporary folder and loads
    whatever it finds there: anyone who can write that folder chooses what is unmarshalled.
    """
    return resource_files.private_cache_dir("jieba")


def _private_jieba(jieba: Any) -> Any:
    """A ``jieba.Tokenizer`` whose dictionary cache is ours (never the shared temporary folder)."""
    seg = jieba.Tokenizer()
    seg.tmp_dir = _jieba_cache_dir()
    seg.cache_file = f"jieba-{getattr(jieba, '__version__', 'unknown')}.cache"
    return seg


@functools.lru_cache(maxsize=1)
def _jieba_base() -> Any:
    """jieba's default dictionary, loaded once; private tokenizers copy its frequencies."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    base = _private_jieba(jieba)
    base.initialize()
    return base


def _new_jieba() -> Any:
    """A private ``jieba.Tokenizer`` with the default dictionary and no user words."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    base = _jieba_base()
    seg = _private_jieba(jieba)
    try:
        # Copying the loaded table avoids re-reading the dictionary cache (~0.7 s) per tokenizer.
        seg.FREQ = dict(base.FREQ)
        seg.total = base.total
        seg.user_word_tag_tab = {}
        seg.initialized = True
    except AttributeError:  # pragma: no cover - other jieba versions
        seg = _private_jieba(jieba)
        seg.initialize()
    return seg


def _new_rjieba() -> Any:
    import rjieba

    return rjieba.Jieba()


class _Segmenter:
    """Uniform face over a jieba or rjieba instance: ``cut``, ``add_word``."""

    def __init__(self, backend: str, hmm: bool) -> None:
        self.backend = backend
        self.hmm = hmm
        if backend == "jieba":
            self._impl = _new_jieba()
        else:
            self._impl = _new_rjieba()

    def suggest_freq(self, word: str) -> int:
        if self.backend == "jieba":
            return int(self._impl.suggest_freq(word, False))
        return int(self._impl.suggest_freq(word))

    def add_word(self, entry: LexiconEntry) -> None:
        freq = max(entry.freq or 0, self.suggest_freq(entry.word), 1)
        self._impl.add_word(entry.word, freq, entry.pos)

    def cut(self, text: str) -> list[str]:
        if self.backend == "jieba":
            return self._impl.lcut(text, HMM=self.hmm)
        return self._impl.cut(text, self.hmm)


# -- the tokenizer -------------------------------------------------------------------------


class Tokenizer:
    """Segment report text into content tokens, keeping the field's terms whole.

    Parameters
    ----------
    options : TokenizerOptions, optional
        The configuration; ``TokenizerOptions()`` (rjieba, bundled lexicon and stopwords) by
        default. :meth:`from_options` builds the options from keywords.

    Attributes
    ----------
    options : TokenizerOptions
        The configuration, including the words and stopwords added since
        (:meth:`add_words`, :meth:`add_stopwords`).

    Notes
    -----
    The segmenter is created on first use; each tokenizer has its own, so words added to one
    never reach another (nor jieba's global tokenizer). Words can be added, not removed. A
    tokenizer is callable (``tok(text)``) and picklable (the segmenter is rebuilt on load), so
    it can be passed as scikit-learn's ``tokenizer=``.

    Examples
    --------
    >>> tok = Tokenizer()
    >>> tok("部分群众思想守旧,依旧存在信访不信法的现象")
    ['群众', '思想', '守旧', '信访不信法']
    >>> Tokenizer.from_options(backend="jieba", cache=False).backend
    'jieba'
    """

    def __init__(self, options: TokenizerOptions | None = None) -> None:
        self.options = _options(options)
        self._user_entries: list[LexiconEntry] = [_parse_entry(w) for w in self.options.user_words]
        self._extra_stopwords: set[str] = set(self.options.stopwords)
        self._segmenter: _Segmenter | None = None
        self._reset_derived()

    @classmethod
    def from_options(cls, options: TokenizerOptions | None = None, /, **fields: Any) -> Tokenizer:
        """A tokenizer of ``options`` with some fields replaced by keyword.

        ``Tokenizer.from_options(backend="jieba", user_words=["执法带教"])`` is
        ``Tokenizer(TokenizerOptions(backend="jieba", user_words=["执法带教"]))``; the keywords
        are the fields of :class:`TokenizerOptions` (a TypeError names any other).
        """
        return cls(dataclasses.replace(_options(options), **fields))

    @property
    def backend(self) -> str:
        """The segmentation backend (``options.backend``)."""
        return self.options.backend

    @property
    def hmm(self) -> bool:
        return self.options.hmm

    @property
    def lexicon(self) -> bool:
        return self.options.lexicon

    @property
    def default_stopwords(self) -> bool:
        return self.options.default_stopwords

    @property
    def cache(self) -> bool:
        return self.options.cache

    # state --------------------------------------------------------------------------------

    def _reset_derived(self) -> None:
        self._memo: dict[str, str | None] = {}
        self._fingerprint: str | None = None
        self._words: frozenset[str] | None = None
        self._stopwords: frozenset[str] | None = None
        self._parts: tuple[frozenset, ...] | None = None
        self._spellings: dict[str, list[tuple[str, str]]] | None = None
        self._unbroken: bool | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_segmenter"] = None
        state["_memo"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return (
            f"Tokenizer(backend={self.backend!r}, lexicon={self.lexicon}, "
            f"user_words={len(self._user_entries)}, stopwords={len(self.stopwords)}, "
            f"hmm={self.hmm}, cache={self.cache})"
        )

    @property
    def words(self) -> frozenset[str]:
        """Words kept whole and always kept: the lexicon's (if loaded) and the user's."""
        if self._words is None:
            lex = {e.word for e in load_lexicon()} if self.lexicon else set()
            self._words = frozenset(lex | {e.word for e in self._user_entries})
        return self._words

    @property
    def stopwords(self) -> frozenset[str]:
        """Words removed from the output: the bundled list (if used) and the user's."""
        if self._stopwords is None:
            base = load_stopwords() if self.default_stopwords else frozenset()
            self._stopwords = frozenset(base | self._extra_stopwords)
        return self._stopwords

    @property
    def fingerprint(self) -> str:
        """SHA-1 of everything that decides the tokens; part of every cache key."""
        if self._fingerprint is None:
            config = (
                _CACHE_VERSION,
                self.backend,
                self.hmm,
                _resource_digest("lexicon.txt") if self.lexicon else None,
                tuple((e.word, e.freq, e.pos) for e in self._user_entries),
                _resource_digest("stopwords.txt") if self.default_stopwords else None,
                tuple(sorted(self._extra_stopwords)),
            )
            self._fingerprint = hashlib.sha1(repr(config).encode("utf-8")).hexdigest()
        return self._fingerprint

    def add_words(self, words: Iterable[WordSpec] | WordSpec) -> Tokenizer:
        """Add words to keep whole (and always keep).

        Parameters
        ----------
        words : str, tuple or iterable of them
            ``"词"``, ``("词", freq)`` or ``("词", freq, pos)``; a single string is one word.

        Returns
        -------
        Tokenizer
            ``self``, so calls can be chained.
        """
        if isinstance(words, (str, LexiconEntry)):
            words = [words]
        words = list(words)
        entries = [_parse_entry(w) for w in words]
        for entry in entries:
            self._user_entries.append(entry)
            if self._segmenter is not None:
                self._segmenter.add_word(entry)
        self.options = dataclasses.replace(
            self.options, user_words=self.options.user_words + _freeze_words(words)
        )
        self._reset_derived()
        return self

    def add_stopwords(self, words: Iterable[str] | str) -> Tokenizer:
        """Add stopwords (a single string is one word).

        Returns
        -------
        Tokenizer
            ``self``, so calls can be chained.
        """
        added = _freeze_stopwords(words)
        self._extra_stopwords.update(added)
        self.options = dataclasses.replace(
            self.options, stopwords=self.options.stopwords + added
        )
        self._reset_derived()
        return self

    # segmentation -------------------------------------------------------------------------

    @property
    def segmenter(self) -> _Segmenter:
        """The private backend instance, created (and given the lexicon) on first use."""
        if self._segmenter is None:
            seg = _Segmenter(self.backend, self.hmm)
            if self.lexicon:
                for entry in load_lexicon():
                    seg.add_word(entry)
            for entry in self._user_entries:
                seg.add_word(entry)
            self._segmenter = seg
        return self._segmenter

    def cut(self, text: str) -> list[str]:
        """Segment ``text`` without filtering (punctuation and stopwords included).

        Runs of tokens separated by an enumeration comma that spell a known word without it
        are rejoined (``双随机、一公开`` → ``双随机一公开``).
        """
        tokens = self.segmenter.cut(text)
        if self._may_rejoin(text):
            tokens = self._rejoin(tokens)
        return tokens

    def _may_rejoin(self, text: str) -> bool:
        """Whether a known word is written across a joiner in ``text`` (双随机、一公开): else the
        tokens, which spell the text, hold nothing for :meth:`_rejoin` to merge."""
        by_window = self._join_spellings
        for joiner in _JOINERS:
            # each joiner found by str.find, which skips to it: a pattern's scan tries every
            # character of the text, and most texts hold a few joiners or none
            p = text.find(joiner, 1)
            while p >= 0:
                for left, right in by_window.get(text[p - 1:p + 2], ()):
                    if p >= len(left) and text.startswith(left, p - len(left)) and text.startswith(right, p + 1):
                        return True
                p = text.find(joiner, p + 1)
        return False

    @property
    def _join_spellings(self) -> dict[str, list[tuple[str, str]]]:
        """For :meth:`_may_rejoin`: the (left, right) splits of the known words by the three
        characters around their joiner (the character that ends the left part, the joiner and
        the character that starts the right part)."""
        if self._spellings is None:
            by_window: dict[str, list[tuple[str, str]]] = {}
            for left, right in sorted(self._join_parts[0]):
                for joiner in sorted(_JOINERS):
                    by_window.setdefault(left[-1] + joiner + right[0], []).append((left, right))
            self._spellings = by_window
        return self._spellings

    @property
    def _join_parts(self) -> tuple[frozenset, frozenset, frozenset, frozenset, frozenset]:
        """(left, right) splits of every known word, for :meth:`_rejoin`: the pairs, the lefts,
        the rights, every tail of a left and every head of a right (a token next to a joiner
        that is neither cannot start a merge)."""
        if self._parts is None:
            pairs = {(w[:k], w[k:]) for w in self.words for k in range(1, len(w))}
            lefts = frozenset(a for a, _ in pairs)
            rights = frozenset(b for _, b in pairs)
            self._parts = (
                frozenset(pairs),
                lefts,
                rights,
                frozenset(a[j:] for a in lefts for j in range(len(a))),
                frozenset(b[:j] for b in rights for j in range(1, len(b) + 1)),
            )
        return self._parts

    def _rejoin(self, tokens: list[str]) -> list[str]:
        """Merge ``left 、 right`` (up to 3 tokens a side) where ``left + right`` is a word."""
        joiners = list(compress(range(len(tokens)), map(_JOINERS.__contains__, tokens)))
        if not joiners:
            return tokens
        pairs, lefts, rights, left_tails, right_heads = self._join_parts
        n = len(tokens)
        merges: list[tuple[int, int, str]] = []
        done = 0  # tokens before this index are already merged
        for k in joiners:
            if k <= done:
                continue
            # a left ends with the token before the joiner, a right starts with the one after
            if k + 1 >= n or tokens[k - 1] not in left_tails or tokens[k + 1] not in right_heads:
                continue
            left: list[tuple[int, str]] = []
            acc = ""
            for i in range(k - 1, max(done, k - 3) - 1, -1):
                if tokens[i] in _JOINERS:
                    break
                acc = tokens[i] + acc
                if acc in lefts:
                    left.append((i, acc))
            if not left:
                continue
            right: list[tuple[int, str]] = []
            acc = ""
            for j in range(k + 1, min(n, k + 4)):
                if tokens[j] in _JOINERS:
                    break
                acc += tokens[j]
                if acc in rights:
                    right.append((j + 1, acc))
            best: tuple[int, int, str] | None = None
            for i, a in left:
                for j, b in right:
                    if (a, b) in pairs and (best is None or j - i > best[1] - best[0]):
                        best = (i, j, a + b)
            if best is not None:
                merges.append(best)
                done = best[1]
        if not merges:
            return tokens
        out: list[str] = []
        pos = 0
        for i, j, word in merges:
            out.extend(tokens[pos:i])
            out.append(word)
            pos = j
        out.extend(tokens[pos:])
        return out

    def keeps(self, token: str) -> bool:
        """Whether ``token`` survives filtering (see the module docstring for the rule)."""
        token = token.strip()
        stop = self.stopwords
        if not token or token in stop:
            return False
        if token in self.words:
            return True
        if len(token) == 1:
            return False
        if any(token[:k] in stop and token[k:] in stop for k in range(1, len(token))):
            return False  # two stopwords run together by the segmenter: 不断完善, 切实加强
        return bool(_HAN.search(token) or _LATIN.search(token))

    def segments(self, text: str) -> list[str]:
        """The segments of ``text`` before any filtering, whitespace left out.

        What the parse stores in the ``tokens`` table (joined by a single space):
        ``tok.filter(tok.segments(text)) == tok.tokenize(text)``, so stopwords and the other
        filters apply afterwards, and can change without segmenting again.
        """
        tokens = self.cut(text)
        if self._words_unbroken:
            # the segmenters cut blanks apart from everything else (each blank of the text is a
            # segment, or in one with its line break: \r\n), and no word holds one, so a segment is
            # blank or holds no blank at all: the blank ones are left out, without a join and a split
            return list(filterfalse(str.isspace, filter(None, tokens)))
        # a word of the user's holds a blank, and a rejoined one can: split where it does
        return " ".join(tokens).split()

    @property
    def _words_unbroken(self) -> bool:
        """Whether no known word holds a blank (the bundled lexicon's never do)."""
        if self._unbroken is None:
            self._unbroken = not any(ch.isspace() for word in self.words for ch in word)
        return self._unbroken

    def filter(self, segments: Iterable[str]) -> list[str]:
        """The content tokens among ``segments`` (the output of :meth:`cut` or :meth:`segments`).

        Applies the rule of the module docstring to each segment, in order.
        """
        return self._filter(segments)

    def _filter(self, tokens: Iterable[str]) -> list[str]:
        # memo: token -> the kept (stripped) token or None; one decision per distinct token
        memo = self._memo
        tokens = tokens if isinstance(tokens, list) else list(tokens)
        for tok in set(tokens).difference(memo):
            memo[tok] = tok.strip() if self.keeps(tok) else None
        return list(filter(None, map(memo.__getitem__, tokens)))

    def cache_key(self, text: str) -> str:
        """The cache key of ``text`` under this configuration (SHA-1 hex)."""
        h = hashlib.sha1(self.fingerprint.encode("ascii"))
        h.update(b"\x00")
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def tokenize(self, text: str) -> list[str]:
        """Content tokens of ``text``, in order.

        Parameters
        ----------
        text : str

        Returns
        -------
        list of str
            A new list each call (the cached tokens are not shared).
        """
        if not isinstance(text, str):
            raise TypeError(f"`text` must be a str, not {type(text).__name__}.")
        if not text:
            return []
        if not self.cache:
            return self._filter(self.cut(text))
        key = self.cache_key(text)
        hit = _CACHE.get(key)
        if hit is not None:
            return list(hit)
        tokens = self._filter(self.cut(text))
        _CACHE.put(key, tuple(tokens))
        return tokens

    __call__ = tokenize

    def tokenize_many(self, texts: Iterable[str]) -> list[list[str]]:
        """:meth:`tokenize` over several texts."""
        return [self.tokenize(t) for t in texts]


# -- functional interface ------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _shared_tokenizer(options: TokenizerOptions) -> Tokenizer:
    return Tokenizer(options)


def get_tokenizer(options: TokenizerOptions | None = None) -> Tokenizer:
    """The shared :class:`Tokenizer` of ``options``: built (and its dictionary loaded) once per
    process, then reused.

    Do not add words to the returned tokenizer; build your own :class:`Tokenizer` for that.
    """
    return _shared_tokenizer(_options(options))


def tokenize(text: str, options: TokenizerOptions | None = None) -> list[str]:
    """Content tokens of ``text``: segmented with the domain lexicon, filler removed.

    Parameters
    ----------
    text : str
    options : TokenizerOptions, optional
        Backend, user words, stopwords…; ``TokenizerOptions()`` by default. The tokenizer of
        these options is shared (:func:`get_tokenizer`).

    Returns
    -------
    list of str

    Examples
    --------
    >>> tokenize("落实“双随机、一公开”市场监管等仍需不断改进")
    ['双随机一公开', '市场监管']
    """
    return get_tokenizer(options).tokenize(text)


# -- backend agreement ---------------------------------------------------------------------


def _spans(tokens: Sequence[str]) -> set[tuple[int, int]]:
    spans = set()
    pos = 0
    for tok in tokens:
        spans.add((pos, pos + len(tok)))
        pos += len(tok)
    return spans


def _agreement_tokenizer(spec: str | TokenizerOptions | Tokenizer) -> Tokenizer:
    if isinstance(spec, Tokenizer):
        return spec
    if isinstance(spec, str):
        return Tokenizer(TokenizerOptions(backend=spec, cache=False))
    return Tokenizer(dataclasses.replace(_options(spec), cache=False))


def agreement(
    texts: Sequence[str] | dict[str, str],
    *,
    a: str | TokenizerOptions | Tokenizer = "jieba",
    b: str | TokenizerOptions | Tokenizer = "rjieba",
) -> pd.DataFrame:
    """How far two tokenizers (by default jieba and rjieba) agree, text by text.

    Parameters
    ----------
    texts : sequence of str or dict
        Texts, or a mapping from a name to a text.
    a, b : str, TokenizerOptions or Tokenizer
        Backend names (a fresh tokenizer with the bundled lexicon each), options or
        tokenizers.

    Returns
    -------
    DataFrame
        One row per text: ``document``, ``n_chars``, ``n_tokens_a``, ``n_tokens_b`` (content
        tokens), ``identical`` (share of ``a``'s raw segments, punctuation included, that ``b``
        cuts at exactly the same place), ``jaccard`` (multiset Jaccard of the content tokens:
        sum of the smaller count over sum of the larger count).
    """
    import pandas as pd

    items = texts.items() if isinstance(texts, dict) else enumerate(texts)
    tok_a, tok_b = _agreement_tokenizer(a), _agreement_tokenizer(b)
    rows = []
    for name, text in items:
        raw_a = tok_a.segmenter.cut(text)
        raw_b = tok_b.segmenter.cut(text)
        spans_a, spans_b = _spans(raw_a), _spans(raw_b)
        ca, cb = Counter(tok_a.tokenize(text)), Counter(tok_b.tokenize(text))
        union = sum((ca | cb).values())
        rows.append(
            {
                "document": name,
                "n_chars": len(text),
                "n_tokens_a": sum(ca.values()),
                "n_tokens_b": sum(cb.values()),
                "identical": len(spans_a & spans_b) / len(spans_a) if spans_a else 1.0,
                "jaccard": sum((ca & cb).values()) / union if union else 1.0,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["document", "n_chars", "n_tokens_a", "n_tokens_b", "identical", "jaccard"],
    )
