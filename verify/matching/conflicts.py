"""Contradictions: where the passage that best matches a claim says otherwise.

Word overlap cannot tell "the council approved the plan" from "the council did not approve the
plan" or "... rejected the plan": both share nearly every word with the source. So once a
claim's best window is found, the claim and the window are compared on what overlap misses:

- negation: a negation on one side only, next to a word both sides share;
- antonym: the claim's word is absent and its opposite (a curated list) stands in the passage;
- number / date: the claim's number, year or month is absent and the passage gives another of
  the same kind (a year for a year, a percentage for a percentage, a count of the same thing);
- name: the claim's name is absent and the passage has another name in the same slot (next to
  the same word);
- role: both names and the verb between them are there, in the opposite order (who did what
  to whom), active and passive voice told apart.

Pure functions over verify.matching's units and indexes; no I/O, no model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from rapidfuzz import fuzz

from verify.matching.docindex import DocIndex
from verify.matching.units import MONTH_KEYS, ClaimUnits, Unit
from verify.matching.words import (
    MONTHS,
    STOPWORDS,
    TOKEN_KEYS,
    TOKEN_RE,
    ZH_KEY,
    number_key,
    simplified,
    word_key,
    wordset,
    zh_negations,
)
from verify.models import Conflict

# A claim is compared with a passage only when the passage is about it: this share of the
# claim's weight found in the window.
MIN_COVERAGE = 0.5

# English negation cues, as words and as two-word phrases.
_NEG_WORDS = wordset(
    """
    not no never none nobody nothing neither nor without cannot denied denies deny refused
    refuses refuse failed fails fail n't lacked lacks
    """
)
_NEG_PHRASES = (("yet", "to"), ("no", "longer"), ("declined", "to"), ("failed", "to"))
# a cheap first look: most claims and passages hold no negation at all
_NEG_CUE = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot|den(?:y|ied|ies)|"
    r"refuse[sd]?|fail(?:ed|s)?|lack(?:ed|s)?|yet|declined)\b|n't\b|n’t\b",
    re.IGNORECASE,
)
_NOT_NEGATION = (("not", "only"), ("no", "doubt"), ("not", "just"))

# Curated opposites, both directions; compared by word key (stem).
_ANTONYM_PAIRS = (
    ("approve", "reject"),
    ("approve", "veto"),
    ("approve", "deny"),
    ("accept", "reject"),
    ("accept", "decline"),
    ("rise", "fall"),
    ("rise", "drop"),
    ("rise", "decline"),
    ("increase", "decrease"),
    ("increase", "reduce"),
    ("increase", "drop"),
    ("increase", "cut"),
    ("grow", "shrink"),
    ("gain", "lose"),
    ("win", "lose"),
    ("won", "lost"),
    ("open", "close"),
    ("hire", "fire"),
    ("hire", "dismiss"),
    ("hire", "lay"),
    ("support", "oppose"),
    ("allow", "ban"),
    ("allow", "forbid"),
    ("allow", "prohibit"),
    ("pass", "fail"),
    ("succeed", "fail"),
    ("start", "end"),
    ("begin", "end"),
    ("buy", "sell"),
    ("bought", "sold"),
    ("higher", "lower"),
    ("more", "less"),
    ("more", "fewer"),
    ("above", "below"),
    ("before", "after"),
    ("first", "last"),
    ("largest", "smallest"),
    ("biggest", "smallest"),
    ("highest", "lowest"),
    ("maximum", "minimum"),
    ("alive", "dead"),
    ("born", "died"),
    ("male", "female"),
    ("man", "woman"),
    ("public", "private"),
    ("rural", "urban"),
    ("north", "south"),
    ("east", "west"),
    ("true", "false"),
    ("success", "failure"),
    ("profit", "loss"),
    ("expand", "shrink"),
    ("strengthen", "weaken"),
    ("join", "leave"),
    ("arrive", "depart"),
    ("include", "exclude"),
    ("confirm", "deny"),
    ("raise", "lower"),
    ("launch", "cancel"),
    ("add", "remove"),
    ("wet", "dry"),
    ("early", "late"),
    ("earlier", "later"),
    ("young", "old"),
    ("ancient", "modern"),
    ("fiction", "nonfiction"),
    ("comedy", "tragedy"),
    ("comedy", "drama"),
    ("victory", "defeat"),
    ("acquit", "convict"),
    ("legal", "illegal"),
    ("possible", "impossible"),
)
_ZH_ANTONYM_PAIRS = (
    ("批准", "否决"),
    ("批准", "拒绝"),
    ("通过", "否决"),
    ("同意", "反对"),
    ("支持", "反对"),
    ("接受", "拒绝"),
    ("增加", "减少"),
    ("增长", "下降"),
    ("增长", "减少"),
    ("上升", "下降"),
    ("上涨", "下跌"),
    ("提高", "降低"),
    ("扩大", "缩小"),
    ("赢", "输"),
    ("赢得", "输掉"),
    ("获胜", "落败"),
    ("胜", "负"),
    ("开放", "关闭"),
    ("开业", "关闭"),
    ("开始", "结束"),
    ("雇用", "解雇"),
    ("聘用", "解雇"),
    ("招聘", "裁员"),
    ("成功", "失败"),
    ("买", "卖"),
    ("买入", "卖出"),
    ("购买", "出售"),
    ("最高", "最低"),
    ("最大", "最小"),
    ("多", "少"),
    ("高", "低"),
    ("大", "小"),
    ("早", "晚"),
    ("男", "女"),
    ("生", "死"),
    ("真", "假"),
    ("盈利", "亏损"),
    ("允许", "禁止"),
    ("加入", "离开"),
    ("之前", "之后"),
    ("以前", "以后"),
    ("上午", "下午"),
    ("南", "北"),
    ("东", "西"),
    ("喜欢", "讨厌"),
    ("热", "冷"),
    ("新", "旧"),
    ("快", "慢"),
    ("容易", "困难"),
    ("简单", "复杂"),
    ("富", "穷"),
    ("安全", "危险"),
)


def _antonym_table(pairs: Sequence[tuple[str, str]], key: bool) -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for a, b in pairs:
        ka, kb = (word_key(a), word_key(b)) if key else (a, b)
        table.setdefault(ka, set()).add(kb)
        table.setdefault(kb, set()).add(ka)
    return table


ANTONYMS = _antonym_table(_ANTONYM_PAIRS, key=True)
ZH_ANTONYMS = _antonym_table(_ZH_ANTONYM_PAIRS, key=False)

_MONTH_KEYS = frozenset(word_key(m) for m in set(MONTHS.values()) | {"may"})
_PASSIVE_RE = re.compile(r"\b(?:was|were|is|are|been|being|be|got)\s+\w+(?:\s+\w+)?\s+by\b")
_SCORE_RE = re.compile(r"\d+\s*(?:[-–—]|to)\s*\d+")
# what a number counts: the word after it (24 km, 300 jobs) or a % sign
_AFTER_RE = re.compile(r"\s*(%|percent\b|per cent\b|[^\W\d_]+)")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
# capitalised adjectives (Democratic, American, British, Chinese) name no one
_ADJECTIVE = re.compile(r"(?:ic|an|ish|ese|ian)$")


class _Tok(NamedTuple):
    text: str
    key: str
    start: int
    end: int
    upper: bool


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in TOKEN_RE.finditer(text):
        t = m.group(0)
        out.append(_Tok(t, TOKEN_KEYS[t], m.start(), m.end(), t[:1].isupper()))
    return out


def find_conflict(
    units: ClaimUnits, doc: DocIndex, window: tuple[int, int], credit: Sequence[float]
) -> Conflict | None:
    """The first disagreement between a claim and its best window, or None.

    `window` is the sentence range [first, last) of the best window, `credit` the claim's
    per-unit credit in it (verify.matching.features.Scored)."""
    if not units.units or not doc.spans:
        return None
    # how well the passage matches the rest of the claim: its plain words, since the number,
    # date or name that differs is missing from the passage by definition
    base = [
        (u, c)
        for u, c in zip(units.units, credit, strict=True)
        if u.kind == "word" and not (u.keys & MONTH_KEYS)
    ]
    if len(base) < 2:
        base = list(zip(units.units, credit, strict=True))
    total = sum(u.weight for u, _ in base)
    covered = sum(u.weight * min(1.0, c) for u, c in base)
    if total <= 0 or covered / total < MIN_COVERAGE or sum(c > 0.5 for c in credit) < 2:
        return None
    first, last = window
    start, end = doc.spans[first][0], doc.spans[max(first, last - 1)][1]
    if units.language == "zh":
        zh = doc.zh
        if zh is not None and _CJK_CHAR.search(zh, start, end):
            return _chinese(units, zh[start:end], doc.text[start:end], credit)
        return _cross(units, doc.text[start:end], credit, doc)
    return _english(units, doc.text[start:end], credit, doc, covered / total)


# --------------------------------------------------------------------------- English


def _negations(toks: Sequence[_Tok]) -> list[int]:
    """Indexes of the tokens that negate (the second token of a two-word cue)."""
    out = []
    for i, t in enumerate(toks):
        low = t.text.lower()
        nxt = toks[i + 1].text.lower() if i + 1 < len(toks) else ""
        if (low, nxt) in _NOT_NEGATION:
            continue
        phrase = bool(i) and (toks[i - 1].text.lower(), low) in _NEG_PHRASES
        if low in _NEG_WORDS or low.endswith("n't") or phrase:
            out.append(i)
    return out


def _negated_keys(toks: Sequence[_Tok], shared: set[str]) -> dict[str, str]:
    """Shared content keys that a negation governs (within three words after it, or the word
    a "not"/"no" follows directly), with the negated phrase as written."""
    out: dict[str, str] = {}
    for i in _negations(toks):
        for j in range(i + 1, min(len(toks), i + 4)):
            t = toks[j]
            if t.key in shared:
                first = toks[i - 1] if i and toks[i].text.lower() == "to" else toks[i]
                out.setdefault(t.key, f"{first.text} … {t.text}" if j > i + 1 else "")
                if not out[t.key]:
                    out[t.key] = f"{toks[i].text} {t.text}"
                break
            if t.text.lower() in STOPWORDS or t.text.lower() in ("been", "be"):
                continue
            break  # the negated word is the first content word: this one, not shared
    return out


def _english(
    units: ClaimUnits, window: str, credit: Sequence[float], doc: DocIndex, coverage: float
) -> Conflict | None:
    claim_toks = _tokens(units.text)
    src_toks = _tokens(window)
    found_keys = {k for u, c in zip(units.units, credit, strict=True) if c > 0.5 for k in u.keys}
    src_keys = {t.key for t in src_toks}
    shared = (found_keys & src_keys) - {t.key for t in claim_toks if t.text.lower() in STOPWORDS}
    negation = None
    if _NEG_CUE.search(units.text) or _NEG_CUE.search(window):
        negation = _english_negation(claim_toks, src_toks, shared, window, coverage)
    return (
        negation
        or _english_antonym(claim_toks, src_toks, src_keys)
        or _english_number(units, window, src_toks, credit, claim_toks)
        or _english_name(units, claim_toks, src_toks, credit, doc, window)
        or _english_role(units, claim_toks, src_toks, window, credit)
    )


def _english_negation(
    claim_toks: Sequence[_Tok],
    src_toks: Sequence[_Tok],
    shared: set[str],
    window: str,
    coverage: float,
) -> Conflict | None:
    in_claim = _negated_keys(claim_toks, shared)
    in_source = _negated_keys(src_toks, shared)
    if not in_claim and not _negations(src_toks) and coverage >= 0.75:
        # "never voted on" against a passage that says they approved it 7–2: the claim
        # denies what its verb says, and the passage denies nothing
        for i in _negations(claim_toks):
            if claim_toks[i].text.lower() not in ("never", "to"):
                continue  # only "never X" / "yet to X": a plain "not X" may well be so
            nxt = next(
                (t for t in claim_toks[i + 1 : i + 4] if t.text.lower() not in STOPWORDS), None
            )
            if nxt is not None and nxt.key not in shared:
                phrase = f"{claim_toks[i].text} {nxt.text}"
                return Conflict("negation", phrase, _sentence_around(window, shared))
    for key, phrase in in_claim.items():
        if key not in in_source:
            word = next(t.text for t in src_toks if t.key == key)
            return Conflict("negation", phrase, word)
    for key, phrase in in_source.items():
        if key not in in_claim:
            word = next(t.text for t in claim_toks if t.key == key)
            return Conflict("negation", word, phrase)
    return None


def _sentence_around(window: str, shared: set[str]) -> str:
    """The window, cut to about 100 characters around its first shared word."""
    text = " ".join(window.split())
    if len(text) <= 100:
        return text
    at = next((m.start() for m in TOKEN_RE.finditer(text) if TOKEN_KEYS[m.group()] in shared), 0)
    start = max(0, at - 30)
    return ("…" if start else "") + text[start : start + 100].strip() + "…"


def _english_antonym(
    claim_toks: Sequence[_Tok], src_toks: Sequence[_Tok], src_keys: set[str]
) -> Conflict | None:
    claim_keys = {t.key for t in claim_toks}
    for t in claim_toks:
        opposite = ANTONYMS.get(t.key)
        if not opposite or t.key in src_keys:
            continue
        for s in src_toks:
            if s.key in opposite and s.key not in claim_keys:
                return Conflict("antonym", t.text, s.text)
    return None


def _number_kind(text: str, start: int, end: int, value: str) -> str:
    """What a number is: a year, a percentage, or a count of the word after it."""
    after = _AFTER_RE.match(text, end)
    word = after.group(1).lower() if after else ""
    if word in ("%", "percent", "per cent"):
        return "percent"
    if len(value) == 4 and value.isdigit() and 1000 <= int(value) <= 2100:
        return "year"
    if start > 0 and text[start - 1] in "$€£¥":
        return "money"
    if word and word not in STOPWORDS and not word[0].isdigit():
        return "count:" + word_key(word)
    return "plain"


def _source_numbers(window: str) -> list[tuple[str, str, str, int]]:
    """(key, kind, as written) of each number in the window; scores (7–2) kept whole."""
    out = []
    for m in _SCORE_RE.finditer(window):
        out.append(("score:" + re.sub(r"\s+", "", m.group()), "score", m.group(), m.start()))
    for m in TOKEN_RE.finditer(window):
        t = m.group(0)
        if not t[0].isdigit():
            continue
        key = number_key(t)
        if key is None:
            continue
        kind = _number_kind(window, m.start(), m.end(), key)
        after = _AFTER_RE.match(window, m.end())
        shown = t + (after.group(0) if after and kind.startswith(("count", "percent")) else "")
        out.append((key, kind, shown.strip(), m.start()))
    return out


def _slot(toks: Sequence[_Tok], start: int, end: int) -> tuple[str | None, str | None]:
    """The nearest content word before and after characters [start, end), within three
    tokens: what a number or date is the number or date of ("finished in 2027")."""
    before = [t for t in toks if t.end <= start][-3:]
    after = [t for t in toks if t.start >= end][:3]

    def content(ts: Sequence[_Tok]) -> str | None:
        return next(
            (t.key for t in ts if t.text.lower() not in STOPWORDS and not t.text[0].isdigit()),
            None,
        )

    return content(list(reversed(before))), content(after)


def _same_slot(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    return (a[0] is not None and a[0] == b[0]) or (a[1] is not None and a[1] == b[1])


def _english_number(
    units: ClaimUnits,
    window: str,
    src_toks: Sequence[_Tok],
    credit: Sequence[float],
    claim_toks: Sequence[_Tok],
) -> Conflict | None:
    # months are words, but a wrong month is a wrong date
    for u, c in zip(units.units, credit, strict=True):
        key = next(iter(u.keys))
        if key in _MONTH_KEYS and c <= 0.5:
            slot = _slot(claim_toks, *u.span)
            for t in src_toks:
                other_month = t.key in _MONTH_KEYS and t.key not in u.keys
                if other_month and _same_slot(slot, _slot(src_toks, t.start, t.end)):
                    return Conflict("date", u.text, t.text)
    src_numbers = _source_numbers(window)
    if not src_numbers:
        return None
    src_keys = {t.key for t in src_toks}
    score = _SCORE_RE.search(units.text)
    scores = [w for _, kind, w, _ in src_numbers if kind == "score"]
    for u, c in zip(units.units, credit, strict=True):
        if u.kind != "number" or c > 0.5:
            continue
        s, e = u.span
        if score is not None and score.start() <= s < score.end() and scores:
            return Conflict("number", score.group(), scores[0])  # "voted 9 to 0" against "7–2"
        key = next(iter(u.keys))
        kind = _number_kind(units.text, s, e, key) if s < e else "plain"
        slot = _slot(claim_toks, s, e)
        for k, src_kind, shown, at in src_numbers:
            if k in u.keys or k in src_keys & u.keys or src_kind != kind:
                continue
            # a count of the same thing (24 km, 42 km) is comparable as it stands; a bare
            # number, a year or a percentage only in the same slot ("finished in 2027")
            if kind.startswith("count:") or _same_slot(slot, _slot(src_toks, at, at + len(k))):
                return Conflict("date" if kind == "year" else "number", u.text, shown)
    return None


def _name_groups(toks: Sequence[_Tok]) -> list[tuple[int, int]]:
    """Runs of capitalised tokens [i, j), the first word of the text excepted."""
    groups = []
    i = 0
    while i < len(toks):
        two = i + 1 < len(toks) and toks[i + 1].upper  # "John Smith said": a name at the start
        if toks[i].upper and (i > 0 or two) and toks[i].text.lower() not in STOPWORDS:
            j = i
            while j < len(toks) and toks[j].upper and toks[j].text.lower() not in STOPWORDS:
                j += 1
            groups.append((i, j))
            i = j
        else:
            i += 1
    return groups


def _source_group_at(src: Sequence[_Tok], i: int, direction: int) -> tuple[int, int] | None:
    """The run of capitalised words starting right after (direction 1) or ending right
    before (-1) token i, at most one stop word away."""
    j = i + direction
    if 0 <= j < len(src) and src[j].text.lower() in STOPWORDS and not src[j].upper:
        j += direction
    if not (0 <= j < len(src)) or not src[j].upper or src[j].text.lower() in STOPWORDS:
        return None
    k = j
    while (
        0 <= k + direction < len(src)
        and src[k + direction].upper
        and (src[k + direction].text.lower() not in STOPWORDS)
    ):
        k += direction
    return (min(j, k), max(j, k) + 1)


def _english_name(
    units: ClaimUnits,
    claim_toks: Sequence[_Tok],
    src_toks: Sequence[_Tok],
    credit: Sequence[float],
    doc: DocIndex,
    window: str,
) -> Conflict | None:
    missing = {
        k
        for u, c in zip(units.units, credit, strict=True)
        if u.kind == "name" and c <= 0.5
        for k in u.keys
    }
    if not missing:
        return None
    claim_keys = {t.key for t in claim_toks}
    spans = _name_groups(claim_toks)
    # each missing word of a name on its own too: "Maria Okonkwo" where the source has
    # "Maria Okafor" is a different surname in the slot after "Maria"
    spans += [
        (i, i + 1)
        for a, b in list(spans)
        if b - a > 1
        for i in range(a, b)
        if claim_toks[i].key in missing
    ]
    for a, b in spans:
        group = claim_toks[a:b]
        if not any(t.key in missing for t in group):
            continue
        name = " ".join(t.text for t in group)
        # the slot: the nearest content word on either side, found in the source
        left = next(
            (t for t in reversed(claim_toks[max(0, a - 2) : a]) if t.text.lower() not in STOPWORDS),
            None,
        )
        right = next((t for t in claim_toks[b : b + 2] if t.text.lower() not in STOPWORDS), None)
        for anchor, direction in ((left, 1), (right, -1)):
            if anchor is None:
                continue
            for i, s in enumerate(src_toks):
                if s.key != anchor.key:
                    continue
                span = _source_group_at(src_toks, i, direction)
                if span is None:
                    continue
                other = src_toks[span[0] : span[1]]
                if any(t.key in claim_keys for t in other):
                    # the source's group holds words of the claim: the same name, told longer
                    # or shorter ("Supreme Court", "United States Supreme Court")
                    continue
                if span[1] - span[0] == 1 and _starts_sentence(window, other[0]):
                    continue  # a capital that only starts a sentence is no name
                shown = " ".join(t.text for t in other)
                if fuzz.ratio(shown.lower(), name.lower()) >= 85:
                    continue  # a variant spelling, not another name
                if _ADJECTIVE.search(shown) or any(
                    doc.occurrences(t.key)[0] for t in group if t.key in missing
                ):
                    continue  # "Democratic" is no name; a name the page has elsewhere is there
                return Conflict("name", name, shown)
    # A full name (two words or more) the passage lacks entirely, where the passage names
    # another person: someone else did or said it.
    src_groups = [src_toks[a:b] for a, b in _name_groups(src_toks) if b - a >= 2]
    for a, b in _name_groups(claim_toks):
        group = claim_toks[a:b]
        if b - a < 2 or not all(t.key in missing for t in group):
            continue
        if any(doc.occurrences(t.key)[0] for t in group):
            continue  # the page has the name, elsewhere
        for other in src_groups:
            if not {t.key for t in other} & claim_keys:
                return Conflict("name", " ".join(t.text for t in group), _shown(other))
    return None


def _starts_sentence(text: str, tok: _Tok) -> bool:
    before = text[: tok.start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"


def _shown(toks: Sequence[_Tok]) -> str:
    return " ".join(t.text for t in toks)


def _roles(toks: Sequence[_Tok], verb: str, names: dict[str, int]) -> tuple[int, int] | None:
    """(agent, patient) name keys around the first `verb` token: the name right before it
    and the one right after (within three words), swapped when a "by" after the verb makes
    it passive ("B was hired by A")."""
    for v, t in enumerate(toks):
        if t.key != verb:
            continue
        before = next(
            (names[toks[i].key] for i in range(v - 1, max(-1, v - 4), -1) if toks[i].key in names),
            None,
        )
        after_i = next(
            (i for i in range(v + 1, min(len(toks), v + 5)) if toks[i].key in names), None
        )
        if before is None or after_i is None:
            return None
        passive = any(toks[i].text.lower() == "by" for i in range(v + 1, after_i))
        after = names[toks[after_i].key]
        if after == before:
            return None
        return (after, before) if passive else (before, after)
    return None


def _english_role(
    units: ClaimUnits,
    claim_toks: Sequence[_Tok],
    src_toks: Sequence[_Tok],
    window: str,
    credit: Sequence[float],
) -> Conflict | None:
    found_names = {
        k
        for u, c in zip(units.units, credit, strict=True)
        if u.kind == "name" and c > 0.5
        for k in u.keys
    }
    # each name word stands for its whole name ("Daniel Reyes" is one person)
    names: dict[str, int] = {}
    groups = _name_groups(claim_toks)
    for g, (a, b) in enumerate(groups):
        for tok in claim_toks[a:b]:
            if tok.key in found_names:
                names[tok.key] = g
    if len(set(names.values())) < 2:
        return None
    found = {k for u, c in zip(units.units, credit, strict=True) if c > 0.5 for k in u.keys}
    for t in claim_toks:
        if t.key not in found or t.key in names or t.upper or t.text.lower() in STOPWORDS:
            continue
        claim_roles = _roles(claim_toks, t.key, names)
        if claim_roles is None:
            continue
        src_roles = _roles(src_toks, t.key, names)
        if src_roles is not None and src_roles == claim_roles[::-1]:
            agent, patient = (_shown(claim_toks[slice(*groups[g])]) for g in claim_roles)
            src_verb = next(x.text for x in src_toks if x.key == t.key)
            return Conflict("role", f"{agent} {t.text} {patient}", f"{patient} {src_verb} {agent}")
    return None


# --------------------------------------------------------------------------- Chinese

_ZH_BOUNDARY = re.compile(
    r"[\s，。、；：！？,.;:!?（）()“”\"'《》「」]|的|由|在|和|与|被|把|向|对|从|是"
)
_ZH_NUMBER_IN_TEXT = re.compile(
    r"(百分之)?(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)"
    r"(年|月|日|号|岁|名|个|位|次|届|项|家|人|倍|%|％|票|公里|千米|米|元|美元|天|周|万|亿)?"
)


def _zh_negated(text: str, words: set[str]) -> dict[str, str]:
    """Words of `words` governed by a negation in text (within four characters after it)."""
    from verify.matching.words import _ZH_NOT_NEG_RE  # the same masking as zh_negations

    masked = _ZH_NOT_NEG_RE.sub(lambda m: " " * len(m.group()), text)
    out: dict[str, str] = {}
    for neg in zh_negations(masked):
        for m in re.finditer(re.escape(neg), masked):
            tail = text[m.end() : m.end() + 6]
            for w in sorted(words, key=len, reverse=True):
                at = tail.find(w)
                if 0 <= at <= 1:
                    out.setdefault(w, text[m.start() : m.end() + at + len(w)])
                    break
    return out


def _zh_units(units: ClaimUnits) -> list[tuple[Unit, str]]:
    out = []
    for u in units.units:
        zh = next((k[1:] for k in u.keys if k.startswith(ZH_KEY)), None)
        if zh:
            out.append((u, zh))
    return out


def _chinese(
    units: ClaimUnits, window: str, original: str, credit: Sequence[float]
) -> Conflict | None:
    claim = simplified(units.text.lower())
    pairs = _zh_units(units)
    shared = {w for u, w in pairs if w in window}
    # negation
    in_claim = _zh_negated(claim, shared)
    in_source = _zh_negated(window, shared)
    for w, phrase in in_claim.items():
        if w not in in_source:
            return Conflict("negation", phrase, w)
    for w, phrase in in_source.items():
        if w not in in_claim:
            return Conflict("negation", w, phrase)
    # antonyms
    for _, w in pairs:
        if w in window:
            continue
        for opposite in ZH_ANTONYMS.get(w, ()):
            if opposite in window and opposite not in claim:
                return Conflict("antonym", w, opposite)
    conflict = _chinese_number(units, window, credit)
    if conflict is not None:
        return conflict
    conflict = _chinese_name(units, claim, window, credit, pairs)
    if conflict is not None:
        return conflict
    return _chinese_role(units, claim, window, credit, pairs)


def _zh_number_kind(unit: str, percent: str | None) -> str:
    if percent or unit in ("%", "％"):
        return "percent"
    if unit in ("万", "亿", ""):
        return "plain"
    return unit


def _chinese_number(units: ClaimUnits, window: str, credit: Sequence[float]) -> Conflict | None:
    from verify.matching.crosslang import chinese_number_keys

    claim = simplified(units.text.lower())
    claim_nums = []
    for m in _ZH_NUMBER_IN_TEXT.finditer(claim):
        keys = chinese_number_keys(m.group(2), m.group(3) or "", m.group(1)) or frozenset(
            {number_key(m.group(2)) or m.group(2)}
        )
        claim_nums.append((m.group(), keys, _zh_number_kind(m.group(3) or "", m.group(1))))
    if not claim_nums:
        return None
    src_nums = []
    for m in _ZH_NUMBER_IN_TEXT.finditer(window):
        keys = chinese_number_keys(m.group(2), m.group(3) or "", m.group(1)) or frozenset(
            {number_key(m.group(2)) or m.group(2)}
        )
        src_nums.append((m.group(), keys, _zh_number_kind(m.group(3) or "", m.group(1))))
    src_all = {k for _, keys, _ in src_nums for k in keys}
    for shown, keys, kind in claim_nums:
        if keys & src_all or shown in ("一",):
            continue
        for s_shown, s_keys, s_kind in src_nums:
            if s_kind == kind and not (s_keys & keys) and s_shown != "一":
                return Conflict(
                    "date" if kind in ("年", "月", "日", "号") else "number", shown, s_shown
                )
    return None


def _zh_slot(window: str, at: int, direction: int) -> str:
    """The characters after (1) or before (-1) offset `at` up to a boundary, 2–8 of them."""
    if direction > 0:
        m = _ZH_BOUNDARY.search(window, at)
        end = m.start() if m else len(window)
        return window[at : min(end, at + 8)]
    text = window[:at]
    last = None
    for m in _ZH_BOUNDARY.finditer(text):
        last = m
    start = last.end() if last else 0
    return text[max(start, at - 8) :]


def _chinese_name(
    units: ClaimUnits,
    claim: str,
    window: str,
    credit: Sequence[float],
    pairs: list[tuple[Unit, str]],
) -> Conflict | None:
    words = [w for _, w in pairs]
    for idx, (u, w) in enumerate(pairs):
        is_name = u.kind == "name" or bool(u.alias)
        if not is_name or w in window:
            continue
        for n_idx, direction in ((idx - 1, 1), (idx + 1, -1)):
            if not 0 <= n_idx < len(pairs):
                continue
            neighbour = words[n_idx]
            # the neighbour must touch the name in the claim
            p = claim.find(w)
            q = claim.find(neighbour)
            if p < 0 or q < 0:
                continue
            gap = q - (p + len(w)) if direction < 0 else p - (q + len(neighbour))
            if not 0 <= gap <= 1:
                continue
            at = window.find(neighbour)
            if at < 0:
                continue
            other = _zh_slot(window, at if direction < 0 else at + len(neighbour), direction)
            # the slot ends where the claim's own words resume (奥卡福|领导)
            for other_word in words:
                if other_word in other and other_word != w:
                    cut = other.find(other_word)
                    other = other[:cut] if direction > 0 else other[cut + len(other_word) :]
            other = other.strip("·•・‧ ")
            if len(other) >= 2 and other not in claim and w not in other:
                return Conflict("name", u.text, other)
    return None


def _chinese_role(
    units: ClaimUnits,
    claim: str,
    window: str,
    credit: Sequence[float],
    pairs: list[tuple[Unit, str]],
) -> Conflict | None:
    """Who did what to whom, by word order around a verb both sides share: the run of the
    claim's words right before the verb and the run right after, found the other way round
    in the passage (被 marks the passive on either side)."""
    spans = [(u.span, w) for u, w in pairs if w in window]
    for i, ((vs, ve), verb) in enumerate(spans):
        if len(verb) < 2 or window.count(verb) != 1 or i == 0 or i == len(spans) - 1:
            continue
        # the subject: the claim's opening words, else the words right before the verb
        left = _run(claim, spans[:i], spans[0][0][0], 1, window) if spans[0][0][0] <= 1 else ""
        left = left or _run(claim, spans[:i][::-1], vs, -1, window)
        right = _run(claim, spans[i + 1 :], ve, 1, window)
        if len(left) < 2 or len(right) < 2 or left in right or right in left:
            continue
        if not claim.find(left) < vs < ve <= claim.find(right):
            continue
        claim_passive = claim.find("被" + right) >= 0 or claim.find("被" + left) >= 0
        v = window.find(verb)
        pl, pr = window.find(left), window.find(right)
        src_agent = None
        by = window.find("被", min(pl, pr), v) if min(pl, pr) < v else -1
        if by >= 0 and window[by + 1 :].startswith((left, right)) and max(pl, pr) < v:
            src_agent = left if pl > by else right  # 甲被乙任命: the agent comes after 被
        elif pr < v < pl or pl < v < pr:
            src_agent = left if pl < pr else right
        claim_agent = right if claim_passive else left
        if src_agent is not None and src_agent != claim_agent:
            patient = left if claim_agent == right else right
            return Conflict(
                "role", f"{claim_agent}{verb}{patient}", f"{patient}…{verb}…{claim_agent}"
            )
    return None


def _run(
    claim: str, spans: Sequence[tuple[tuple[int, int], str]], at: int, direction: int, window: str
) -> str:
    """The claim's words next to offset `at`, going one way (two at most, across a particle
    or a dot: 了, 的, ·), as long a run as the passage has once."""
    edges = []
    edge = at
    for (s, e), _ in spans[:2]:
        gap = claim[e:edge] if direction < 0 else claim[edge:s]
        if len(gap.strip("了的·•・‧ ")) > 0 or len(gap) > 2:
            break
        edge = s if direction < 0 else e
        edges.append(edge)
    for edge in reversed(edges):
        text = (claim[edge:at] if direction < 0 else claim[at:edge]).strip("了的·•・‧ ")
        if text and window.count(text) == 1:
            return text
    return ""


# --------------------------------------------------------------------------- Chinese claim,
# English passage: the claim's words carry their English glosses as keys


def _gloss(u: Unit) -> frozenset[str]:
    return frozenset(k for k in u.keys if not k.startswith((ZH_KEY, "\0")))


def _adjacent(a: Unit, b: Unit) -> bool:
    return 0 <= b.span[0] - a.span[1] <= 1


def _cross(
    units: ClaimUnits, window: str, credit: Sequence[float], doc: DocIndex
) -> Conflict | None:
    src_toks = _tokens(window)
    if not src_toks:
        return None
    found = [c > 0.5 for c in credit]
    us = units.units
    claim = simplified(units.text)
    # negation: the claim negates a word the passage states plainly, or the reverse
    claim_neg = zh_negations(claim)
    src_negs = _negations(src_toks)
    # a negation character inside a word is no negation: 无效 "invalid", 不当 "improper",
    # 那不勒斯 "Naples" (the negation words themselves are never units)
    inside = [u.span for u in us]
    claim_neg = [
        neg
        for neg in claim_neg
        if not any(s <= claim.find(neg) < e for s, e in inside)  # 那不勒斯 is Naples
    ]
    if claim_neg and not src_negs:
        for neg in claim_neg:
            at = claim.find(neg) + len(neg)
            nxt = next(
                (u for u, f in zip(us, found, strict=True) if f and at <= u.span[0] <= at + 4),
                None,
            )
            if nxt is not None:
                word = next((t.text for t in src_toks if t.key in _gloss(nxt)), nxt.text)
                return Conflict("negation", claim[claim.find(neg) : nxt.span[1]], word)
    if not claim_neg and src_negs:
        found_keys = {k for u, f in zip(us, found, strict=True) if f for k in _gloss(u)}
        negated = _negated_keys(src_toks, found_keys)
        for key, phrase in negated.items():
            u = next(u for u in us if key in u.keys)
            if u.kind != "name":
                return Conflict("negation", u.text, phrase)
    # antonyms, through the glosses: 否决 ("to veto; to reject") against "approved"
    src_keys = {t.key for t in src_toks}
    for u, f in zip(us, found, strict=True):
        if f:
            continue
        for k in _gloss(u):
            for opposite in ANTONYMS.get(k, ()):
                if opposite in src_keys and not any(opposite in v.keys for v in us):
                    word = next(t.text for t in src_toks if t.key == opposite)
                    return Conflict("antonym", u.text, word)
    # names: the claim's name is missing and the passage has another in the same slot
    for i, u in enumerate(us):
        if found[i] or u.kind != "name" or any(doc.occurrences(k)[0] for k in _gloss(u)):
            continue  # (a name the page has elsewhere: the passage may be the wrong one)
        for j, direction in ((i + 1, -1), (i - 1, 1)):
            if not 0 <= j < len(us) or not found[j]:
                continue
            a, b = (us[i], us[j]) if direction < 0 else (us[j], us[i])
            if not _adjacent(a, b):
                continue
            keys = _gloss(us[j])
            for n, t in enumerate(src_toks):
                if t.key not in keys:
                    continue
                span = _source_group_at(src_toks, n, direction)
                if span is None:
                    continue
                other = src_toks[span[0] : span[1]]
                if any(any(x.key in v.keys for v in us) for x in other):
                    continue
                if span[1] - span[0] == 1 and _starts_sentence(window, other[0]):
                    continue
                if any(x.text.isupper() for x in other) or _ADJECTIVE.search(
                    shown := _shown(other)
                ):
                    continue  # an acronym (MIT) may be the claim's name; "Democratic" no name
                glosses = _gloss(u)
                if any(x.key[:5] == g[:5] and len(g) >= 5 for x in other for g in glosses):
                    continue  # Moroccan for 摩洛哥 (Morocco)
                shown = _shown(other)
                if fuzz.ratio(shown.lower(), u.text.lower()) >= 85:
                    continue
                return Conflict("name", u.text, shown)
    return _cross_role(units, claim, src_toks, found)


def _cross_role(
    units: ClaimUnits, claim: str, src_toks: Sequence[_Tok], found: Sequence[bool]
) -> Conflict | None:
    us = units.units
    # names as groups of adjacent name units ("Maria Okafor" is two units, one person)
    group_of: dict[int, int] = {}
    groups: list[list[int]] = []
    for i, u in enumerate(us):
        if u.kind != "name" or not found[i]:
            continue
        if groups and groups[-1][-1] == i - 1 and _adjacent(us[i - 1], u):
            groups[-1].append(i)
        else:
            groups.append([i])
        group_of[i] = len(groups) - 1
    if len(groups) < 2:
        return None
    names = {k: group_of[i] for i in group_of for k in _gloss(us[i])}
    for v in range(len(us)):
        if v in group_of or us[v].kind != "word":
            continue
        # the verb stands between the two people: "A起诉了B", "A在半决赛中击败了B", not
        # "A的律师B"
        if v + 1 >= len(us) or (v + 1) not in group_of:
            continue
        after = group_of[v + 1]
        if claim[us[v].span[1] : us[v + 1].span[0]].strip() not in ("", "了"):
            continue
        before = None
        for i in range(v - 1, -1, -1):
            if i not in group_of:
                continue
            gap = claim[us[i].span[1] : us[v].span[0]].strip()
            if gap in ("", "被") or (
                gap[0] in "在为于从向对" and not any(ch in gap for ch in "的，,、")
            ):
                before = group_of[i]
                break
        if before is None or before == after:
            continue
        passive = "被" in claim[us[groups[before][-1]].span[1] : us[v].span[0]]
        claim_roles = (after, before) if passive else (before, after)
        # the claim's verb by its glosses, or else the one word between the two people
        verbs = set(_gloss(us[v])) if found[v] else set()
        verbs |= _between_verbs(src_toks, names, before, after)
        for verb in verbs:
            src_roles = _roles(src_toks, verb, names)
            if src_roles is not None and src_roles == claim_roles[::-1]:

                def shown(g: int) -> str:
                    return " ".join(us[i].text for i in groups[g])

                agent, patient = claim_roles
                src_verb = next(t.text for t in src_toks if t.key == verb)
                return Conflict(
                    "role",
                    f"{shown(agent)}{us[v].text}{shown(patient)}",
                    f"{shown(patient)} {src_verb} {shown(agent)}",
                )
    return None


def _between_verbs(src_toks: Sequence[_Tok], names: dict[str, int], a: int, b: int) -> set[str]:
    """Content words standing alone between the two people in the passage ("Tomas Brenner
    sued Alan Pierce"): the verb, when the claim's word for it is glossed otherwise."""
    out: set[str] = set()
    ids = [names.get(t.key) for t in src_toks]
    for i, g in enumerate(ids):
        if g not in (a, b):
            continue
        for j in range(i + 1, min(len(src_toks), i + 5)):
            if ids[j] is not None:
                if ids[j] != g:
                    middle = [t for t in src_toks[i + 1 : j] if t.text.lower() not in STOPWORDS]
                    if len(middle) == 1 and not middle[0].upper:
                        out.add(middle[0].key)
                break
    return out
