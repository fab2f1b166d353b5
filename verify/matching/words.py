"""Words on both sides of a match: tokens, stems, number and name keys, stop words.

A claim's word and a source's word match when they have the same key: numbers in one
canonical form (1,500 -> 1500, two -> 2), months spelled out, irregular past forms mapped to
their base, everything else lower-cased, accent-free and lightly stemmed. Pure functions.
"""

from __future__ import annotations

import re
import unicodedata


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of a text block, as a set (keeps word lists readable)."""
    return frozenset(text.split())


STOPWORDS = wordset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves s t d ll m re ve o y upon via per within among amongst whose whether may
    might must shall one's let us yet still even ever however thus hence therefore whereas
    according said says say including include includes included known called named like well
    many much several various other others another etc
    """
)
NEGATIONS = wordset(
    """
    not no never none nobody nothing neither nor without cannot can't won't don't doesn't
    didn't isn't aren't wasn't weren't hasn't haven't hadn't couldn't shouldn't wouldn't n't
    denied denies deny refused refuses failed fails lack lacks
    """
)
NUMBER_WORDS = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
    "sixth": "6",
    "seventh": "7",
    "eighth": "8",
    "ninth": "9",
    "tenth": "10",
    "twice": "2",
    "single": "1",
    "dozen": "12",
    "half": "0.5",
}
MONTHS = {
    "jan": "january",
    "feb": "february",
    "mar": "march",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
}

# A number (1,500 / 3.5 / 1990s / 21st) or a run of letters (any script) with an optional
# 's / 't ending.
# A run of Chinese characters is a token apart from the Latin letters around it ("OpenAI的"
# is "OpenAI" and "的"), so a name or a number inside Chinese text keeps its key.
TOKEN_RE = re.compile(
    r"\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?"
    r"|[^\W\d_\u3400-\u9fff\uf900-\ufaff]+(?:['’][a-z]{1,2})?"
    r"|[\u3400-\u9fff\uf900-\ufaff]+"
)
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# The surface key of a Chinese word (Simplified): a Chinese claim's word is looked up by it,
# as a substring, in a Chinese source (its English glosses serve English sources).
ZH_KEY = "\x01"


def is_cjk_char(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


# Chinese negation words, and words that merely contain a negation character (未来 "future",
# 非常 "very", 不过 "but"), which are masked out first.
ZH_NEGATION_WORDS = tuple(
    sorted(
        wordset(
            "并非 并不 并未 没有 从未 从不 从没 尚未 未曾 未能 无法 不能 不是 不再 拒绝 否认 "
            "毫无 毫不 绝非 绝不 决不 不会 不要 不得 不可 不必 不用 没法 "
            "不 没 未 非 无"
        ),
        key=lambda w: (-len(w), w),  # longest first, so 没有 wins over 没; then by text
    )
)
_ZH_NOT_NEGATION = wordset(
    """
    不过 不断 不同 不仅 不少 不久 不错 不但 不管 不论 不如 不禁 不得不 差不多 了不起 非常
    非洲 无论 无数 无线 无人机 莫非 除非 是非 未来 未成年 无不 无比 无条件 无限 无穷 无私
    非政府 非营利 非法 非凡 无疑 毫无疑问 不可或缺 不止
    """
)
_ZH_NEG_RE = re.compile("|".join(ZH_NEGATION_WORDS))
_ZH_NOT_NEG_RE = re.compile("|".join(sorted(_ZH_NOT_NEGATION, key=lambda w: (-len(w), w))))


# How far a Chinese negation reaches: to the end of its clause, and no further than this
# (没有批准新的交通预算: the budget, five characters on, is what was not approved).
NEGATION_REACH = 8
_CLAUSE_END = re.compile(r"[，,。；;：:！!？?（(\n]")


def clause_end(text: str, at: int) -> int:
    """Where the negation scope that starts at `at` ends."""
    m = _CLAUSE_END.search(text, at, at + NEGATION_REACH)
    return m.start() if m else min(len(text), at + NEGATION_REACH)


def zh_negations(text: str) -> list[str]:
    """The Chinese negation words of a (Simplified) text, in order."""
    if not _CJK_RE.search(text):
        return []
    masked = _ZH_NOT_NEG_RE.sub(lambda m: " " * len(m.group()), text)
    return _ZH_NEG_RE.findall(masked)


_CONVERTER: list[object] = []


def simplified(text: str) -> str:
    """Traditional characters as Simplified (OpenCC's t2s), offsets unchanged.

    OpenCC converts phrase by phrase; where a phrase changed length (rare) the text is
    converted character by character instead, so offsets into the text still hold."""
    if not _CJK_RE.search(text):
        return text
    if not _CONVERTER:
        import opencc

        _CONVERTER.append(opencc.OpenCC("t2s"))
    convert = _CONVERTER[0].convert  # type: ignore[attr-defined]
    out: str = convert(text)
    if len(out) != len(text):
        out = "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)
    return out


_STEM_CACHE: dict[str, str] = {}


def stem(word: str) -> str:
    """A light, cached English stemmer: enough to fold plurals, tenses and -ly/-er forms.

    Truncation after stripping suffixes conflates a word family (publisher, published,
    publishing) the way a reader would, at a fraction of Porter's cost.
    """
    cached = _STEM_CACHE.get(word)
    if cached is not None:
        return cached
    w = word
    if not w[0].isdigit():
        if len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes")):
            w = w[:-2]
        elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        if len(w) > 5 and w.endswith("ing"):
            w = w[:-3]
        elif (len(w) > 4 and w.endswith("ed")) or (len(w) > 5 and w.endswith("ly")):
            w = w[:-2]
        if len(w) > 3 and w.endswith("e"):  # promise / promised / promising -> promis
            w = w[:-1]
        w = w[:7]
    if len(_STEM_CACHE) < 200_000:
        _STEM_CACHE[word] = w
    return w


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII) and typographic quotes folded."""
    return unicodedata.normalize("NFKC", text).replace("’", "'")


def number_key(token: str) -> str | None:
    """The canonical form of a numeric token ("1,500" -> "1500", "3.50" -> "3.5"), or None."""
    t = token.lower()
    if t in NUMBER_WORDS:
        return NUMBER_WORDS[t]
    if not t[0].isdigit():
        return None
    t = re.sub(r"(st|nd|rd|th)$", "", t)
    if t.endswith("s") and t[:-1].isdigit():  # the 1990s
        t = t[:-1]
    if re.fullmatch(r"\d{1,3}(,\d{3})+", t):
        t = t.replace(",", "")
    if re.fullmatch(r"\d+\.\d+", t):
        t = t.rstrip("0").rstrip(".")
    return t


def word_key(token: str) -> str:
    """The key a token is indexed under on both sides: numbers canonical, words stemmed."""
    low = token.lower()
    num = number_key(low)
    if num is not None:
        return num
    low = MONTHS.get(low, low)
    if not low.isascii():  # Čapek, Ōsaka: accents vary between sources and glosses
        low = "".join(
            ch for ch in unicodedata.normalize("NFKD", low) if not unicodedata.combining(ch)
        )
    if low.endswith(("'s", "'t")):
        low = low[:-2]
    return stem(IRREGULAR.get(low, low))


# Past forms no suffix-stripping reaches, mapped to the base form (a claim says "leads",
# its source "led").
IRREGULAR = {
    past: base
    for base, forms in (
        ("begin", "began begun"),
        ("bring", "brought"),
        ("build", "built"),
        ("buy", "bought"),
        ("choose", "chose chosen"),
        ("come", "came"),
        ("do", "did done"),
        ("draw", "drew drawn"),
        ("drive", "drove driven"),
        ("eat", "ate eaten"),
        ("fall", "fell fallen"),
        ("feel", "felt"),
        ("fight", "fought"),
        ("find", "found"),
        ("fly", "flew flown"),
        ("forget", "forgot forgotten"),
        ("get", "got gotten"),
        ("give", "gave given"),
        ("go", "went gone"),
        ("grow", "grew grown"),
        ("hold", "held"),
        ("keep", "kept"),
        ("know", "knew known"),
        ("lead", "led"),
        ("leave", "left"),
        ("lend", "lent"),
        ("lose", "lost"),
        ("make", "made"),
        ("mean", "meant"),
        ("meet", "met"),
        ("pay", "paid"),
        ("rise", "rose risen"),
        ("run", "ran"),
        ("say", "said"),
        ("see", "saw seen"),
        ("sell", "sold"),
        ("send", "sent"),
        ("sing", "sang sung"),
        ("sit", "sat"),
        ("speak", "spoke spoken"),
        ("spend", "spent"),
        ("stand", "stood"),
        ("steal", "stole stolen"),
        ("take", "took taken"),
        ("teach", "taught"),
        ("tell", "told"),
        ("think", "thought"),
        ("throw", "threw thrown"),
        ("understand", "understood"),
        ("win", "won"),
        ("write", "wrote written"),
        ("wear", "wore worn"),
        ("shoot", "shot"),
        ("strike", "struck"),
        ("swim", "swam"),
        ("become", "became"),
        ("break", "broke broken"),
        ("catch", "caught"),
        ("child", "children"),
        ("man", "men"),
        ("woman", "women"),
        ("person", "people"),
    )
    for past in forms.split()
}


_SOUND_DIGRAPHS = (
    ("zh", "k"),
    ("ch", "k"),
    ("sh", "s"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("qu", "k"),
    ("ng", "n"),
)
_SOUND_MAP = str.maketrans("bpdtgkcqjxszlrfvwmn", "ppttkkkkksssllfffmn")


def sound(word: str) -> str:
    """A crude consonant skeleton shared by a name and its pinyin transliteration.

    Accents dropped, digraphs folded, consonants mapped to classes (b/p, d/t, g/k/c/q/j/zh,
    s/x/z/sh, l/r, f/v/w), vowels, h and y dropped, repeats collapsed: Garibaldi and
    jialibodi (加里波底) both give "klplt"/"klpt", close enough for a fuzzy ratio.
    """
    w = "".join(
        ch for ch in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(ch)
    )
    for a, b in _SOUND_DIGRAPHS:
        w = w.replace(a, b)
    out: list[str] = []
    for ch in w.translate(_SOUND_MAP):
        if ch in "pktslfmn" and (not out or out[-1] != ch):
            out.append(ch)
    return "".join(out)


def is_cjk(text: str, share: float = 0.15) -> bool:
    """Whether enough of the text is Chinese characters to treat it as Chinese."""
    if not text:
        return False
    cjk = len(_CJK_RE.findall(text))
    if not cjk:
        return False
    # Latin-script words count as two characters each, whatever their length: "Alan Pierce
    # 起诉了Tomas Brenner" is a Chinese sentence about two people with long names
    words = len(_LATIN_WORD_RE.findall(text))
    return cjk / (cjk + 2 * words) >= share


_LATIN_WORD_RE = re.compile(r"[^\W\u3400-\u9fff\uf900-\ufaff]+")


_CITATION_RE = re.compile(r"\[\^?[\w.-]{1,8}\]")


def strip_citations(text: str) -> str:
    """Blank out citation markers ([2], [^note]): they are not part of what is claimed."""
    return _CITATION_RE.sub(lambda m: " " * len(m.group()), text)


class _KeyCache(dict[str, str]):
    """token -> key, memoised: pages repeat their words, and stemming is the costly part."""

    def __missing__(self, token: str) -> str:
        key = word_key(token)
        if len(self) < 200_000:
            self[token] = key
        return key


# TOKEN_KEYS[token] == word_key(token), remembered
TOKEN_KEYS = _KeyCache()


def clear_memos() -> None:
    """Forget memoised keys and stems (benchmarks time cold runs; memory is capped anyway)."""
    _STEM_CACHE.clear()
    TOKEN_KEYS.clear()
