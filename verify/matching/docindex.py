"""A source text indexed for matching: sentences, a lower-cased text, keys found on demand."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence

from verify.article.sentences import MAX_SENTENCE_CHARS, sentence_spans
from verify.matching.words import (
    IRREGULAR,
    MONTHS,
    NEGATIONS,
    NUMBER_WORDS,
    TOKEN_KEYS,
    TOKEN_RE,
    ZH_KEY,
    is_cjk,
    normalise,
    simplified,
    sound,
    stem,
    zh_negations,
)

_TOKEN_AT = re.compile(TOKEN_RE.pattern)
# a month's key (its stem, "novembe") -> its abbreviations (nov; sep and sept)
_MONTH_ABBR: dict[str, set[str]] = {}
for _abbr, _month in MONTHS.items():
    _MONTH_ABBR.setdefault(stem(_month), set()).add(_abbr)
_IRREGULAR_FORMS: dict[str, list[str]] = {}
for _form, _base in IRREGULAR.items():
    _IRREGULAR_FORMS.setdefault(stem(_base), []).append(_form)
_NUMBER_SPELLED: dict[str, list[str]] = {}
for _w, _n in NUMBER_WORDS.items():
    _NUMBER_SPELLED.setdefault(_n, []).append(_w)


def _prefixes(key: str) -> set[str]:
    """Strings every word carrying `key` starts with (its stem, give or take)."""
    if key[0].isdigit():
        out = {key, *_NUMBER_SPELLED.get(key, ())}
        if key.isdigit() and len(key) > 3:  # 1500 is also written 1,500
            out.add(f"{int(key):,}")
        return out
    # A stem is a prefix of every word it stands for, except where -ies became -y.
    out = {key[:-1] if key.endswith("y") and len(key) > 3 else key}
    out.update(_MONTH_ABBR.get(key, ()))
    out.update(_IRREGULAR_FORMS.get(key, ()))
    return out


class DocIndex:
    """A source text split into sentences, lower-cased once, searched per key on demand.

    The page is never tokenised whole: where a claim's key occurs is found with str.find on
    its stem (C speed), each hit checked to be a word carrying that key, and the answer kept
    for the next claim that asks. So a claim costs in proportion to what it mentions, not
    to the length of the page.
    """

    def __init__(self, text: str, spans: list[tuple[int, int]], segment: list[int]) -> None:
        self.text = text
        self.spans = spans
        self.segment = segment  # per sentence: the input item it came from
        self.lower = _lower_same_length(text)
        self.start_list = [s for s, _ in spans]
        self._occ: dict[str, tuple[list[int], list[int]]] = {}
        self._names: list[str] | None = None
        self._zh: str | None = None
        self._chinese: bool | None = None
        self._zh_nums: dict[str, list[int]] | None = None
        self._years: dict[str, list[int]] | None = None
        self._sounds: list[str] | None = None

    def occurrences(self, key: str) -> tuple[list[int], list[int]]:
        """Sentences (ascending) holding a word whose key is `key`, and those
        holding a longer word that merely starts with it (Japan -> Japanese)."""
        hit = self._occ.get(key)
        if hit is not None:
            return hit
        if key.startswith(ZH_KEY):
            result = (self._sentences(self._find_zh(key[1:])), [])
            if len(self._occ) < 20_000:
                self._occ[key] = result
            return result
        low = self.lower
        keys = TOKEN_KEYS
        match = _TOKEN_AT.match
        exact: list[int] = []
        longer: list[int] = []
        extendable = len(key) >= 5 and not key[0].isdigit()
        if key and key[0] != "\0":
            for prefix in _prefixes(key):
                i = low.find(prefix)
                while i >= 0:
                    nxt = i + 1
                    before = low[i - 1] if i else " "
                    if not (before.isalnum() or before in "_.,") or "\u3400" <= before <= "\u9fff":
                        m = match(low, i)
                        if m is not None:
                            nxt = m.end()  # the rest of this word cannot start another
                            k = keys[m.group()]
                            if k == key:
                                exact.append(i)
                            elif extendable and k.startswith(key):
                                longer.append(i)
                    i = low.find(prefix, nxt)
        if self.zh is not None:
            exact.extend(self._zh_numbers().get(key, ()))
        if len(key) == 4 and key.isdigit():
            # the second year of a range written short: 2019 in "2018–19", "2018/19"
            exact.extend(self._short_years().get(key, ()))
        result = (self._sentences(sorted(exact)), self._sentences(longer))

        if len(self._occ) < 20_000:
            self._occ[key] = result
        return result

    def _sentences(self, offsets: list[int]) -> list[int]:
        """Distinct sentences holding the offsets, ascending."""
        if not offsets or not self.spans:
            return []
        starts = self.start_list
        out = {bisect.bisect_right(starts, o) - 1 for o in offsets}
        out.discard(-1)
        return sorted(out)

    def negated_between(self, start: int, end: int) -> bool:
        """Whether characters [start, end) hold a negation (English or Chinese)."""
        if _NEG_RE.search(self.lower, start, end) is not None:
            return True
        return self.zh is not None and bool(zh_negations(self.zh[start:end]))

    @property
    def zh(self) -> str | None:
        """The lower-cased text with Traditional characters made Simplified (same offsets),
        or None when the text has no Chinese."""
        if self._zh is None:
            self._zh = simplified(self.lower) if _CJK_RE.search(self.lower) else ""
        return self._zh or None

    @property
    def chinese(self) -> bool:
        """Whether the text is mostly Chinese (a Chinese claim against it is same-language)."""
        if self._chinese is None:
            self._chinese = self.zh is not None and is_cjk(self.text[:20_000], share=0.3)
        return self._chinese

    def _find_zh(self, word: str) -> list[int]:
        zh = self.zh
        if not zh or not word:
            return []
        out = []
        i = zh.find(word)
        while i >= 0:
            out.append(i)
            i = zh.find(word, i + 1)
        return out

    def _short_years(self) -> dict[str, list[int]]:
        if self._years is None:
            years: dict[str, list[int]] = {}
            for m in _SHORT_RANGE_RE.finditer(self.lower):
                first, second = m.group(1), m.group(2)
                year = first[:2] + second
                if year > first:
                    years.setdefault(year, []).append(m.start(2))
            self._years = years
        return self._years

    def _zh_numbers(self) -> dict[str, list[int]]:
        """Offsets of the numbers written the Chinese way (五千万, 两, 百分之九, 8月, 2018年),
        by the key a claim's number has (50000000, 2, 9, august, 2018)."""
        if self._zh_nums is None:
            from verify.matching.crosslang import chinese_number_keys

            found: dict[str, list[int]] = {}
            for m in _ZH_NUMBER_RE.finditer(self.zh or ""):
                for key in chinese_number_keys(m.group("num"), m.group("unit") or "", m.group(1)):
                    found.setdefault(key, []).append(m.start())
            self._zh_nums = found
        return self._zh_nums

    def words_like(self, word: str, prefix_length: int = 4) -> list[str]:
        """Distinct words of the page sharing the first four letters of `word`: the
        candidates for a fuzzy match (misspellings and inflections past the stemmer)."""
        prefix = word[:prefix_length]
        low = self.lower
        out: set[str] = set()
        i = low.find(prefix)
        while i >= 0:
            if i == 0 or not low[i - 1].isalnum():
                m = _TOKEN_AT.match(low, i)
                if m is not None:
                    out.add(m.group())
            i = low.find(prefix, i + 1)
        return sorted(out)

    @property
    def names(self) -> list[str]:
        """Distinct capitalised words, lower-cased: what transliterated names are matched to."""
        if self._names is None:
            self._names = sorted({w.lower() for w in _NAME_RE.findall(self.text) if w[0].isupper()})
        return self._names

    @property
    def name_sounds(self) -> list[str]:
        """The names' consonant skeletons (see `sound`), aligned with `names`."""
        if self._sounds is None:
            self._sounds = [sound(n) for n in self.names]
        return self._sounds


_NAME_RE = re.compile(r"\b[^\W\d_]{3,}")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ZH_NUMERALS = "零〇一二两三四五六七八九十百千万亿"
# A number next to Chinese text: digits or numerals, a scale, and what it counts.
_ZH_NUMBER_RE = re.compile(
    rf"(百分之)?(?P<num>\d+(?:\.\d+)?|[{_ZH_NUMERALS}]+)"
    r"(?P<unit>年|月|日|号|岁|名|个|位|次|届|项|家|人|倍|%|票|公里|千米|米|元|美元|天|周)?"
)
_NEG_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted((re.escape(w) for w in NEGATIONS if "'" not in w), key=len, reverse=True))
    + r")\b|n't\b"
)


_SHORT_RANGE_RE = re.compile(r"(?<!\d)((?:1[5-9]|20)\d\d)\s?[-–—/]\s?(\d\d)(?!\d)")


def _lower_same_length(text: str) -> str:
    """NFKC-folded, lower-cased, accent-free text whose offsets are still those of `text`."""
    low = normalise(text).lower()
    if len(low) != len(text):
        # NFKC expanded something (… to ..., a ligature): fold only what keeps its length,
        # full-width forms and the one letter whose lower case is two characters (İ).
        folded = text.replace("’", "'").replace("İ", "I")
        if _FULLWIDTH_RE.search(folded):
            folded = _FULLWIDTH_RE.sub(lambda m: chr(ord(m.group()) - 0xFEE0), folded)
        low = folded.lower()
        if len(low) != len(text):
            low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    if low.isascii() or not _ACCENTED_RE.search(low):
        return low
    folds = {ch: f for ch in set(_ACCENTED_RE.findall(low)) if (f := _fold_accent(ch)) != ch}
    if not folds:
        return low
    return _fold_pattern("".join(sorted(folds))).sub(lambda m: folds[m.group()], low)


_FULLWIDTH_RE = re.compile(r"[\uff01-\uff5e]")
# Latin letters with diacritics (Latin-1 Supplement, Extended-A/B, Extended Additional): the
# only characters whose accent-free form is one character.
_ACCENTED_RE = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")


@functools.lru_cache(maxsize=1024)
def _fold_pattern(chars: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(chars) + "]")


@functools.lru_cache(maxsize=4096)
def _fold_accent(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base.lower() if len(base) == 1 and len(base.lower()) == 1 else ch


def _spans_fit(spans: Sequence[tuple[int, int]], length: int) -> bool:
    previous = 0
    for start, end in spans:
        if not previous <= start < end <= length:
            return False
        previous = end
    return True


def index_document(
    parts: str | Sequence[str],
    *,
    split: bool = True,
    spans: Sequence[tuple[int, int]] | None = None,
) -> DocIndex:
    """Index a page (one string) or a list of passages/sentences (each split further).

    With a list, sentence boundaries never cross items, and `segment` maps every sentence
    back to its item, which the harness uses for evidence recall. `spans`, for one string,
    are its sentences already split (Document.sentences); spans that do not fit the text
    are ignored and the text is split again.
    """
    whole = isinstance(parts, str)
    if (
        whole
        and split
        and spans is not None
        and _spans_fit(spans, len(parts))
        # spans from elsewhere (a cache entry) may predate, or ignore, the window limit
        and all(e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    ):
        return DocIndex(parts, [(s, e) for s, e in spans], [0] * len(spans))
    items = [parts] if whole else [str(p) for p in parts]
    offsets = list(itertools.accumulate((len(item) + 1 for item in items), initial=0))
    limit = 0 if whole else 200  # a list's short items are sentences already
    spans: list[tuple[int, int]] = []
    segment: list[int] = []
    for i, (offset, item) in enumerate(zip(offsets, items, strict=False)):
        if split and len(item) > limit:
            local = [(offset + s, offset + e) for s, e in sentence_spans(item)]
            spans.extend(local)
            segment.extend([i] * len(local))
        elif item and not item.isspace():
            spans.append((offset, offset + len(item)))
            segment.append(i)
    return DocIndex("\n".join(items), spans, segment)


def clear_memos() -> None:
    """Forget memoised token keys and stems, as in a fresh process (for benchmarks)."""
    from verify.matching import words

    _fold_accent.cache_clear()
    words.clear_memos()
