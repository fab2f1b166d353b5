"""Chinese claims against English sources: segmentation, dictionary glosses, numbers, names.

A Chinese claim is cut into words with jieba (words it leaves whole that CC-CEDICT lacks are
cut again into dictionary words), and each word becomes a unit whose keys are the stems of
its English glosses, so the same matching that serves English claims counts it found when an
English sentence uses any of them. Numbers and dates are normalised to the keys the English
side produces (2015年 -> 2015, 五月 -> may, 两名 -> 2); Latin-script names inside the Chinese are
matched directly; a user glossary covers names no dictionary knows (奥特曼 -> Altman); names
the dictionary only transliterates are compared by sound (pinyin) with the source's names.

jieba and the dictionary (verify.matching.cedict) load once, lazily, the first time Chinese
text is seen: nothing here is imported for English-only runs.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping

from verify.matching.cedict import Dictionary, gloss_keys, shared_resources
from verify.matching.units import ClaimUnits, Unit, merge_small_clauses
from verify.matching.words import (
    STOPWORDS,
    TOKEN_RE,
    ZH_KEY,
    ZH_NEGATION_WORDS,
    normalise,
    number_key,
    simplified,
    strip_citations,
    word_key,
    wordset,
    zh_negations,
)

# Function words and particles that carry no checkable content on their own.
ZH_STOPWORDS = wordset(
    """
    几 几位 几名 几个 几家 性 化 此前 之前 随后 目前 当前
    一位 一名 一个 一家 一项 一次 一种 一些
    与此同时 表示 称 说 指出 透露 据 据称 据悉 认为 声称 宣称 报道 所谓
    的 了 在 是 和 与 及 以及 等 等等 也 都 而 而且 被 把 对 对于 于 为 为了 以 其 之
    这 那 这个 那个 这些 那些 个 着 过 他 她 它 他们 她们 它们 我 我们 你 你们 并 并且
    或 或者 但 但是 就 还 又 从 到 由 向 让 使 将 已 已经 曾 曾经 所 该 此 各 每 中 上
    下 里 内 后 前 时 之后 之前 时候 有 一 一个 一些 些 可以 能 能够 会 要 也是 就是 则
    即 如 如果 因为 所以 因此 虽然 然而 其中 之一 当 当时 并不 这样 那样 如此 地 得 啊
    吧 呢 吗 么 嘛 就是 通过 关于 作为 以来 以后 以前 之间 方面 进行 成为 相当 非常
    十分 很 更 最 较 比较 主要 一直 一样 同时 另外 此外 其他 另 所有 任何 自己 本 该
    这种 那种 这里 那里 什么 怎么 如何 哪 谁 一般 大 小 多 少 新 再 曾 又 于是 却 仍
    仍然 只 只是 才 便 比 这位 那位
    """
)
# negation words are no units (否, 别, 勿 too, though too ambiguous to count as negation)
ZH_NEGATIONS = frozenset(ZH_NEGATION_WORDS) | {"否", "别", "勿"}
_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_NUMBER_RE = re.compile(
    rf"^(?P<num>\d+(?:\.\d+)?|[{_NUMERAL_CHARS}]+)(?P<unit>年|月|日|号|岁|名|个|位|次|届|项|"
    r"家|人|倍|%|％|万|亿|票)?$"
)
# 一位/一个/一名 read "a"/"one" as an article, not a count worth checking.
_CLASSIFIERS = frozenset("个位名家项次届")
_ZH_STOP_CHARS = frozenset(w for w in ZH_STOPWORDS if len(w) == 1)
_DOTTED_NAME_RE = re.compile(r"[\u4e00-\u9fff]{1,6}(?:[·•・‧][\u4e00-\u9fff]{1,6})+")
_DIGIT_SUFFIXES = frozenset("年月日号万亿岁")
_LATIN_RUN_RE = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9.+\-']|,(?=\d))*(?:\s+[A-Za-z0-9](?:[A-Za-z0-9.+\-']|,(?=\d))*)*"
)
_CLAUSE_PUNCT = frozenset("，,；;：:、（）()——…")
_TEN_THOUSANDS_RE = re.compile(r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*[万亿]")
_ZH_YEAR_RE = re.compile(r"[〇零一二三四五六七八九]{4}年")
_PERCENT_RE = re.compile(rf"百分之([\d.]+|[{_NUMERAL_CHARS}]+)")


def to_simplified(text: str, dictionary: Dictionary | None = None) -> str:
    """Traditional as Simplified, with OpenCC (the same conversion the source side uses)."""
    return simplified(text)


def chinese_number_keys(num: str, unit: str, percent: str | None = None) -> frozenset[str]:
    """Keys of a number written the Chinese way in a source, as a claim's number would have
    them: 五千万 -> 50000000 (and 50, for "50 million"), 八月 -> august, 百分之九 -> 9.
    Bare digits with nothing Chinese about them are left to the ordinary search."""
    if num[0].isdigit() and not unit and not percent:
        return frozenset()
    if num == "一" and not unit and not percent:  # 一 is mostly "a", "one of", 统一...
        return frozenset()
    scale = ""
    if unit in ("万", "亿"):
        scale, unit = unit, ""
    value = chinese_number(num + scale)
    if value is None:
        return frozenset()
    if unit == "月" and 1 <= value <= 12 and value == int(value):
        return frozenset({word_key(_MONTHS[int(value) - 1])})
    return _num_keys(value)


def chinese_number(text: str) -> float | None:
    """二十五 -> 25, 两 -> 2, 三百 -> 300, 一千二百 -> 1200, 2015 -> 2015, 3万 -> 30000."""
    mult = 1.0
    if text and text[-1] in "万亿" and len(text) > 1:
        mult = 1e4 if text[-1] == "万" else 1e8
        text = text[:-1]
    try:
        return float(text) * mult
    except ValueError:
        pass
    if not text or any(ch not in _NUMERAL_CHARS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text) and len(text) > 1:  # 二〇一五 read digit by digit
        return float("".join(str(_DIGITS[ch]) for ch in text)) * mult
    total, section, digit = 0.0, 0.0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (digit if digit is not None else 1) * _UNITS[ch]
            digit = None
        elif ch in "万亿":
            section += digit or 0
            total += section * (1e4 if ch == "万" else 1e8)
            section, digit = 0.0, None
    return (total + section + (digit or 0)) * mult


def _num_keys(value: float) -> frozenset[str]:
    """Keys an English source would use for the number (30000000 is also "30 million")."""
    keys = {number_key(f"{value:g}" if value != int(value) else str(int(value))) or ""}
    for scale in (1e9, 1e6, 1e3):
        if value >= scale and value % (scale / 10) == 0:
            keys.add(f"{value / scale:g}")
            break
    keys.discard("")
    return frozenset(keys)


def _starts_word(text: str, i: int, dictionary: Dictionary) -> bool:
    return any(text[i : i + n] in dictionary.glosses for n in (2, 3, 4) if i + n <= len(text))


def _name_start(text: str, m: re.Match[str]) -> int:
    """Where a dotted name starts: three characters before the first dot, or four when a
    boundary (start, punctuation, a particle) precedes them (亚历山大·...)."""
    dot = m.start() + min(i for i, ch in enumerate(m.group(0)) if ch in "·•・‧")
    start = max(m.start(), dot - 3)
    if dot - 4 >= m.start() and (
        dot - 4 == 0 or not text[dot - 5].isalnum() or text[dot - 5] in _ZH_STOP_CHARS
    ):
        start = dot - 4
    while start < dot - 1 and text[start] in _ZH_STOP_CHARS:
        start += 1
    return start


def _name_end(text: str, m: re.Match[str], dictionary: Dictionary) -> int:
    """Where a dotted name ends: its last part is 2-4 characters, and is taken long only
    when what follows then reads as a word (加里波底|领导) and does not otherwise."""
    last = (
        m.group(0).rfind("·") if "·" in m.group(0) else max(m.group(0).rfind(ch) for ch in "•・‧")
    )
    base = m.start() + last + 1
    end = min(m.end(), base + 3)

    def boundary(i: int) -> bool:
        return (
            i >= len(text)
            or not text[i].isalnum()
            or text[i] in _ZH_STOP_CHARS
            or _starts_word(text, i, dictionary)
        )

    if m.end() >= base + 4 and boundary(base + 4) and not boundary(base + 3):
        end = base + 4
    while end > base + 1 and text[end - 1] in _ZH_STOP_CHARS:
        end -= 1
    return end


def _pieces(word: str, dictionary: Dictionary) -> list[tuple[str, int]]:
    """A word jieba made up, cut into dictionary words (longest first, left to right).

    Returns the word whole when the dictionary knows it, or when it breaks into nothing but
    single characters: then it is most likely a transliterated name.
    """
    if word in dictionary.glosses or len(word) == 1:
        return [(word, 0)]
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(word):
        for size in range(min(6, len(word) - i), 0, -1):
            piece = word[i : i + size]
            if size == 1 or piece in dictionary.glosses:
                out.append((piece, i))
                i += size
                break
    if all(len(p) == 1 for p, _ in out):
        return [(word, 0)]
    return [(p, o) for p, o in out if p not in ZH_STOPWORDS and p not in ZH_NEGATIONS]


def _word_unit(
    w: str, start: int, original: str, clause_at: list[int], dictionary: Dictionary
) -> Unit | None:
    span = (start, start + len(w))
    keys, names = gloss_keys(w, dictionary)
    alias: tuple[str, ...] = names
    weight = 1.0
    if not keys and len(w) > 1:
        # Unknown to the dictionary: most often a transliterated name. Match it by sound
        # against the source's names, and by its characters' glosses at a discount.
        alias = (dictionary.pinyin.get(w) or "".join(dictionary.pinyin.get(ch, "") for ch in w),)
        parts = [gloss_keys(ch, dictionary)[0] for ch in w]
        keys = frozenset().union(*parts) if parts else frozenset()
        weight = 0.5
    alias = tuple(a for a in alias if len(a) >= 3)
    if not keys and not alias:
        return None
    # Words with many glosses match by chance more often: they count for less.
    weight *= 1.0 / math.sqrt(max(1.0, len(keys) / 3.0))
    return Unit(
        original[span[0] : span[1]],
        (keys or frozenset({"\0" + w})) | {ZH_KEY + w},
        weight,
        "name" if names else "word",
        clause_at[start],
        span,
        alias,
    )


def _clause_of(text: str) -> list[int]:
    ids, clause = [], 0
    for ch in text:
        if ch in _CLAUSE_PUNCT:
            clause += 1
        ids.append(clause)
    ids.append(clause)
    return ids


def chinese_units(text: str, glossary: Mapping[str, str] | None = None) -> ClaimUnits:
    """Units of a Chinese claim, keyed in English so they match English sources."""
    dictionary, tokenizer = shared_resources()
    original = strip_citations(normalise(text))
    simp = to_simplified(original, dictionary)
    clause_at = _clause_of(simp)
    units: list[Unit] = []
    seen: set[frozenset[str]] = set()
    taken = [False] * len(simp)

    def add(u: Unit) -> None:
        # two words with the same glosses are one unit (as against an English source); the
        # first one's Chinese form is what a Chinese source is searched for
        gloss = frozenset(k for k in u.keys if not k.startswith(ZH_KEY)) or u.keys
        if u.keys and gloss not in seen:
            seen.add(gloss)
            units.append(u)

    # Glossary terms first (longest first), then Latin-script runs: names and terms that
    # stand as written in the source.
    for term, english in sorted((glossary or {}).items(), key=lambda kv: -len(kv[0])):
        term_s = to_simplified(normalise(term), dictionary)
        for m in re.finditer(re.escape(term_s), simp):
            if any(taken[m.start() : m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            keys = frozenset(
                word_key(t) for t in TOKEN_RE.findall(english) if t.lower() not in STOPWORDS
            )
            add(
                Unit(
                    original[m.start() : m.end()],
                    keys,
                    1.3,
                    "name",
                    clause_at[m.start()],
                    (m.start(), m.end()),
                )
            )
    for m in _LATIN_RUN_RE.finditer(simp):
        if any(taken[m.start() : m.end()]):
            continue
        for i in range(m.start(), m.end()):
            taken[i] = True
        for t in TOKEN_RE.finditer(m.group(0)):
            tok = t.group(0)
            s, e = m.start() + t.start(), m.start() + t.end()
            low = tok.lower()
            if low in STOPWORDS:
                continue
            num = number_key(low)
            if num is None:
                add(Unit(tok, frozenset({word_key(tok)}), 1.3, "name", clause_at[s], (s, e)))
                continue
            # A Chinese unit right after the digits says what the number is (2015年, 7月).
            after = simp[e] if e < len(simp) and e == m.end() else ""
            keys = frozenset({num})
            if after in _DIGIT_SUFFIXES:
                taken[e] = True
                e += 1
                if after == "月" and num.isdigit() and 1 <= int(num) <= 12:
                    keys = frozenset({word_key(_MONTHS[int(num) - 1])})
                elif after in "万亿":
                    keys = _num_keys(float(num) * (1e4 if after == "万" else 1e8))
            add(Unit(original[s:e], keys, 1.5, "number", clause_at[s], (s, e)))

    # Names transliterated with a middle dot (朱塞佩·加里波底) are foreign names part by part:
    # matched by sound and by the dictionary's name glosses, never cut up by jieba.
    for m in _DOTTED_NAME_RE.finditer(simp):
        begin, end = _name_start(simp, m), _name_end(simp, m, dictionary)
        if any(taken[begin:end]):
            continue
        for part in re.finditer(r"[^·•・‧]+", simp[begin:end]):
            s, e = begin + part.start(), begin + part.end()
            word = part.group(0)
            _, names = gloss_keys(word, dictionary)
            keys = frozenset(word_key(n) for n in names)
            alias = (
                *names,
                dictionary.pinyin.get(word)
                or "".join(dictionary.pinyin.get(ch, "") for ch in word),
            )
            # Only a dictionary-known name counts as a name (anchors, veto); one matched by
            # sound alone is too uncertain to veto a claim over.
            add(
                Unit(
                    original[s:e],
                    (keys or frozenset({"\0" + word})) | {ZH_KEY + word},
                    1.0,
                    "name" if keys else "word",
                    clause_at[s],
                    (s, e),
                    tuple(a for a in alias if len(a) >= 3),
                )
            )
        for i in range(begin, end):
            taken[i] = True

    negated = bool(zh_negations(simp))
    # One number each, not words and numerals: 百分之九 (9%); 六万, 一千二百万 and 二〇二五年,
    # which jieba may cut (六 | 万册, 二 | 〇 | 二 | 五年).
    whole_numbers = itertools.chain(
        ((m, m.group(1)) for m in _PERCENT_RE.finditer(simp)),
        ((m, m.group().rstrip("年")) for m in _TEN_THOUSANDS_RE.finditer(simp)),
        ((m, m.group().rstrip("年")) for m in _ZH_YEAR_RE.finditer(simp)),
    )
    for m, numeral in whole_numbers:
        value = chinese_number(numeral)
        if value is None or any(taken[m.start() : m.end()]):
            continue
        for i in range(m.start(), m.end()):
            taken[i] = True
        add(
            Unit(
                original[m.start() : m.end()],
                _num_keys(value),
                1.5,
                "number",
                clause_at[m.start()],
                m.span(),
            )
        )
    pos = 0
    masked = "".join(" " if taken[i] else ch for i, ch in enumerate(simp))
    words = tokenizer.cut(masked, HMM=True) if tokenizer is not None else list(masked)
    for word in words:
        start, pos = pos, pos + len(word)
        w = word.strip()
        if not w or w in ZH_STOPWORDS or w in ZH_NEGATIONS or not any(ch.isalnum() for ch in w):
            continue
        start += word.index(w)
        num = _NUMBER_RE.match(w)
        if num and (num.group("unit") or len(w) > 1):
            unit = num.group("unit")
            value = chinese_number(num.group("num") + (unit if unit in ("万", "亿") else ""))
            if value is not None and not (value == 1 and unit in _CLASSIFIERS):
                span = (start, start + len(w))
                if unit == "月" and 1 <= value <= 12 and value == int(value):
                    keys = frozenset({word_key(_MONTHS[int(value) - 1])})
                else:
                    keys = _num_keys(value)
                add(Unit(original[span[0] : span[1]], keys, 1.5, "number", clause_at[start], span))
                continue
        for piece, offset in _pieces(w, dictionary):
            u = _word_unit(piece, start + offset, original, clause_at, dictionary)
            if u is not None:
                add(u)
    units.sort(key=lambda u: u.span)
    units, n_clauses = merge_small_clauses(units)
    return ClaimUnits(original, "zh", tuple(units), negated, (), n_clauses)
