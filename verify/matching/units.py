"""A claim as units: the content words, numbers and names a source must contain.

English claims are cut here; Chinese ones in verify.matching.crosslang, into the same Unit
shape with English keys; verify.matching.claims picks between them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from verify.matching.words import (
    MONTHS,
    NEGATIONS,
    STOPWORDS,
    TOKEN_KEYS,
    TOKEN_RE,
    normalise,
    number_key,
    strip_citations,
    word_key,
)

MONTH_KEYS = frozenset(word_key(m) for m in (*MONTHS.values(), "may"))

# Words that look like numbers but are rarely the fact being claimed ("one of the", "first
# time") are kept as plain words; only digits and the larger number words are anchors.
_WEAK_NUMBER_WORDS = frozenset({"one", "first", "second", "single", "half"})
_QUOTE_RE = re.compile(r"[\"“”«»「」『』]([^\"“”«»「」『』]{4,200})[\"“”«»「」『』]")
_CLAUSE_SPLIT_RE = re.compile(
    r"[,;:()\u2013\u2014，；：、（）]|\b(?:and|but|while|whereas|which|who|where|after|before|"
    r"although|because|when|as well as)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Unit:
    """One part of a claim a source has to contain."""

    text: str  # as written in the claim, for found/missing
    keys: frozenset[str]  # any of these in a sentence counts as finding the unit
    weight: float
    kind: str  # "word" | "number" | "name" | "quote"
    clause: int = 0  # which clause of the claim it belongs to
    span: tuple[int, int] = (0, 0)  # in the claim text
    alias: tuple[str, ...] = ()  # spellings to look for among the source's names, fuzzily


@dataclass(frozen=True)
class ClaimUnits:
    text: str
    language: str  # "en" | "zh"
    units: tuple[Unit, ...]
    negated: bool = False
    quotes: tuple[str, ...] = ()
    n_clauses: int = 1

    @property
    def has_dates(self) -> bool:
        """Whether the claim holds a number or a month (what a neighbouring sentence may
        contradict)."""
        # a month is a unit with nothing but month keys (可能 glosses "may" among others)
        return any(u.kind == "number" or (u.keys and u.keys <= MONTH_KEYS) for u in self.units)


def _clause_ids(text: str) -> list[int]:
    """Clause number at each character (a cheap split on punctuation and conjunctions)."""
    ids = [0] * (len(text) + 1)
    clause = 0
    last = 0
    for m in _CLAUSE_SPLIT_RE.finditer(text):
        for i in range(last, m.start()):
            ids[i] = clause
        clause += 1
        last = m.start()
    for i in range(last, len(text) + 1):
        ids[i] = clause
    return ids


def merge_small_clauses(units: list[Unit]) -> tuple[list[Unit], int]:
    """Merge clauses too small to judge on their own into their neighbour, renumber from 0."""
    order: list[int] = []
    for u in units:
        if not order or order[-1] != u.clause:
            order.append(u.clause)
    sizes = {c: sum(1 for u in units if u.clause == c) for c in order}
    mapping: dict[int, int] = {}
    current = -1
    pending_small = False
    for c in order:
        if current < 0 or (sizes[c] >= 2 and not pending_small):
            current += 1
        mapping[c] = current
        pending_small = sizes[c] < 2
    out = [
        u
        if u.clause == mapping[u.clause]
        else Unit(u.text, u.keys, u.weight, u.kind, mapping[u.clause], u.span, u.alias)
        for u in units
    ]
    return out, current + 1


_YEAR_RANGE_RE = re.compile(r".*?(?<!\d)((?:1[5-9]|20)\d\d)\s*[-–—/]\s*\d\d(?!\d)")

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def _is_plain_number(num: str) -> bool:
    try:
        float(num)
    except ValueError:
        return False
    return True


# words before a month: "in May", "by May", "early May"
_BEFORE_MONTH = frozenset(
    {"in", "by", "since", "until", "till", "from", "through", "of", "early", "late", "mid"}
    | {"last", "next", "this"}
)


def _may_is_month(tokens: Sequence[re.Match[str]], i: int) -> bool:
    """Whether "May" (a stop word as the verb) is the month: a day or year next to it, or a
    word that comes before months ("in May")."""
    after = tokens[i + 1].group(0) if i + 1 < len(tokens) else ""
    before = tokens[i - 1].group(0).lower() if i else ""
    return after[:1].isdigit() or before[:1].isdigit() or before in _BEFORE_MONTH


def english_units(text: str) -> ClaimUnits:
    """Units of an English (or any non-Chinese) claim."""
    text = strip_citations(normalise(text))
    clause_at = _clause_ids(text)
    units: list[Unit] = []
    seen: set[str] = set()
    negated = False
    sentence_start = True
    tokens = list(TOKEN_RE.finditer(text))
    skip = -1
    for i, m in enumerate(tokens):
        if i == skip:
            continue
        tok = m.group(0)
        low = tok.lower()
        initial = sentence_start
        sentence_start = False
        if low in NEGATIONS or low.endswith("n't"):
            negated = True
            continue
        num = number_key(low)
        scale = (
            SCALES.get(tokens[i + 1].group(0).lower())
            if num is not None and i + 1 < len(tokens)
            else None
        )
        if num is not None and scale and _is_plain_number(num):
            # "1 million" is one number; its source may write 1,000,000 or 1 million.
            full = number_key(f"{float(num) * scale:.0f}") or num
            key_set = frozenset({full, num})
            if full in seen:
                continue
            seen.add(full)
            end = tokens[i + 1].end()
            units.append(
                Unit(
                    text[m.start() : end],
                    key_set,
                    1.5,
                    "number",
                    clause_at[m.start()],
                    (m.start(), end),
                )
            )
            skip = i + 1
            continue
        if num is not None and low not in _WEAK_NUMBER_WORDS:
            kind, weight = "number", 1.5
            short = (
                _YEAR_RANGE_RE.match(text, max(0, m.start() - 12), m.end())
                if len(tok) == 2 and tok.isdigit()
                else None
            )
            if short is not None and short.end() == m.end():
                # "2018–19": the second year is 2019, whichever way the source writes it
                year = short.group(1)[:2] + tok
                if year not in seen:
                    seen.add(year)
                    units.append(
                        Unit(tok, frozenset({year}), weight, kind, clause_at[m.start()], m.span())
                    )
                continue
        elif low == "may" and tok == "May" and not initial and _may_is_month(tokens, i):
            kind, weight = "name", 1.3
        elif low in STOPWORDS or len(low) < 2:
            continue
        elif (tok[0].isupper() and not initial) or (tok.isupper() and len(tok) > 1):
            kind, weight = "name", 1.3
        else:
            kind, weight = "word", 1.0
        key = TOKEN_KEYS[tok]
        if key in seen:
            continue
        seen.add(key)
        units.append(
            Unit(tok, frozenset({key}), weight, kind, clause_at[m.start()], (m.start(), m.end()))
        )
    quotes = tuple(q.strip() for q in _QUOTE_RE.findall(text))
    units, n_clauses = merge_small_clauses(units)
    return ClaimUnits(text, "en", tuple(units), negated, quotes, n_clauses)
