"""English numbers, dates and months: the claim's is absent and the passage gives another of
the same kind (a year for a year, a percentage for a percentage, a count of the same thing),
in the same slot where the kind alone does not say what is counted."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from verify.matching.conflicts.tokens import Tok, is_month
from verify.matching.units import MONTH_KEYS, ClaimUnits
from verify.matching.words import STOPWORDS, TOKEN_RE, number_key, word_key
from verify.models import Conflict

# number words a passage counts with ("six hours"); one, first, half are seldom counts
_COUNT_WORDS = frozenset(
    {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"}
    | {"twelve", "twenty", "thirty", "forty", "fifty", "hundred"}
)
_SCORE_RE = re.compile(r"\d+\s*(?:[-–—]|to)\s*\d+")
# what a number counts: the word after it (24 km, 300 jobs) or a % sign
_AFTER_RE = re.compile(r"\s*(%|percent\b|per cent\b|[^\W\d_]+)")


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


def source_numbers(window: str) -> list[tuple[str, str, str, int]]:
    """(key, kind, as written) of each number in the window; scores (7–2) kept whole."""
    out = []
    for m in _SCORE_RE.finditer(window):
        out.append(("score:" + re.sub(r"\s+", "", m.group()), "score", m.group(), m.start()))
    for m in TOKEN_RE.finditer(window):
        t = m.group(0)
        if not t[0].isdigit() and t.lower() not in _COUNT_WORDS:
            continue
        key = number_key(t)
        if key is None:
            continue
        kind = _number_kind(window, m.start(), m.end(), key)
        after = _AFTER_RE.match(window, m.end())
        shown = t + (after.group(0) if after and kind.startswith(("count", "percent")) else "")
        out.append((key, kind, shown.strip(), m.start()))
    return out


def _written_key(text: str, start: int, keys: frozenset[str]) -> str:
    """The key of a number unit as the claim writes it: "2 thousand" is 2 (its keys are 2
    and 2000, and 2000 would pass for a year), whatever order the set holds them in."""
    m = TOKEN_RE.match(text, start)
    written = number_key(m.group()) if m is not None else None
    return written if written in keys else min(keys)


def _slot(toks: Sequence[Tok], start: int, end: int) -> tuple[str | None, str | None]:
    """The nearest content word before and after characters [start, end), within three
    tokens: what a number or date is the number or date of ("finished in 2027")."""
    before = [t for t in toks if t.end <= start][-3:]
    after = [t for t in toks if t.start >= end][:3]

    def content(ts: Sequence[Tok]) -> str | None:
        return next(
            (t.key for t in ts if t.text.lower() not in STOPWORDS and not t.text[0].isdigit()),
            None,
        )

    return content(list(reversed(before))), content(after)


def _same_slot(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    return (a[0] is not None and a[0] == b[0]) or (a[1] is not None and a[1] == b[1])


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def _month_of_sentence(
    units: ClaimUnits, window: str, src_toks: Sequence[Tok], credit: Sequence[float]
) -> Tok | None:
    """The one month of the window's sentence that holds the most of the claim's words
    found (two at least), in whatever slot: "sent him in August" for a claim's "sent the
    bill to Mayor Doyle in June"."""
    found = {k for u, c in zip(units.units, credit, strict=True) if c > 0.5 for k in u.keys}
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(window)), len(window)]
    best, most = (0, 0), 1
    for start, end in itertools.pairwise(bounds):
        n = len({t.key for t in src_toks if start <= t.start < end and t.key in found})
        if n > most:
            best, most = (start, end), n
    months = [t for t in src_toks if best[0] <= t.start < best[1] and is_month(t)]
    return months[0] if months and len({t.key for t in months}) == 1 else None


def english_number(
    units: ClaimUnits,
    window: str,
    src_toks: Sequence[Tok],
    credit: Sequence[float],
    claim_toks: Sequence[Tok],
) -> Conflict | None:
    # months are words, but a wrong month is a wrong date
    for u, c in zip(units.units, credit, strict=True):
        if u.keys <= MONTH_KEYS and c <= 0.5:
            slot = _slot(claim_toks, *u.span)
            for t in src_toks:
                other_month = is_month(t) and t.key not in u.keys
                if other_month and _same_slot(slot, _slot(src_toks, t.start, t.end)):
                    return Conflict("date", u.text, t.text)
            other = _month_of_sentence(units, window, src_toks, credit)
            if other is not None and other.key not in u.keys:
                return Conflict("date", u.text, other.text)
    src_numbers = source_numbers(window)
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
        written = _written_key(units.text, s, u.keys)
        kind = _number_kind(units.text, s, e, written) if s < e else "plain"
        slot = _slot(claim_toks, s, e)
        for k, src_kind, shown, at in src_numbers:
            if k in u.keys or k in src_keys & u.keys or src_kind != kind:
                continue
            # a count of the same thing (24 km, 42 km) is comparable as it stands; a bare
            # number, a year or a percentage only in the same slot ("finished in 2027")
            if kind.startswith("count:") or _same_slot(slot, _slot(src_toks, at, at + len(k))):
                return Conflict("date" if kind == "year" else "number", u.text, shown)
    return None
