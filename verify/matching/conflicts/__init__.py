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

`find_conflict` (here) decides whether the passage is about the claim at all and hands the pair
to the checks for its languages:

- `english`: an English claim and passage, in the order the checks are tried; negation and
  antonyms there, numbers, dates and months in `english_numbers`, names and roles in
  `english_names`, all over the tokens of `tokens`;
- `chinese`: a Chinese claim and a Chinese passage;
- `chinese_english`: a Chinese claim and an English passage, through the claim's glosses;
- `antonyms`: the curated opposites, English and Chinese.

Pure functions over verify.matching's units and indexes; no I/O, no model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from verify.matching.conflicts.antonyms import ANTONYMS, ZH_ANTONYMS
from verify.matching.conflicts.chinese import chinese_conflict
from verify.matching.conflicts.chinese_english import cross_conflict
from verify.matching.conflicts.english import english_conflict, phrasal
from verify.matching.conflicts.tokens import tokens
from verify.matching.docindex import DocIndex
from verify.matching.units import MONTH_KEYS, ClaimUnits
from verify.matching.words import ZH_KEY, simplified
from verify.models import Conflict

# A claim is compared with a passage only when the passage is about it: this share of the
# claim's weight found in the window.
MIN_COVERAGE = 0.5
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


def find_conflict(
    units: ClaimUnits, doc: DocIndex, window: tuple[int, int], credit: Sequence[float]
) -> Conflict | None:
    """The first disagreement between a claim and its best window, or None.

    `window` is the sentence range [first, last) of the best window, `credit` the claim's
    per-unit credit in it (verify.matching.features.Scored)."""
    if not units.units or not doc.spans:
        return None
    first, last = window
    start, end = doc.spans[first][0], doc.spans[max(first, last - 1)][1]
    # how well the passage matches the rest of the claim: its plain words, since the number,
    # date or name that differs is missing from the passage by definition, and so is a word
    # whose opposite the passage has (否决 where it says "passed")
    opposed = _opposed(units, doc.text[start:end])
    base = [
        (u, c)
        for u, c in zip(units.units, credit, strict=True)
        if u.kind == "word" and not (u.keys & MONTH_KEYS) and u.span not in opposed
    ]
    if len(base) < 2:
        base = list(zip(units.units, credit, strict=True))
    total = sum(u.weight for u, _ in base)
    covered = sum(u.weight * min(1.0, c) for u, c in base)
    if total <= 0 or covered / total < MIN_COVERAGE or sum(c > 0.5 for c in credit) < 2:
        return None
    if units.language == "zh":
        zh = doc.zh
        if zh is not None and _CJK_CHAR.search(zh, start, end):
            return chinese_conflict(units, zh[start:end])
        return cross_conflict(units, doc.text[start:end], credit, doc)
    return english_conflict(units, doc.text[start:end], credit, doc, covered / total)


def _opposed(units: ClaimUnits, window: str) -> set[tuple[int, int]]:
    """Spans of the claim's words whose opposite (verify.matching.conflicts.antonyms) the
    window has and the word itself not: by key, by Chinese word, or through a gloss."""
    keys = {t.key for t in phrasal(tokens(window))}
    zh = simplified(window) if _CJK_CHAR.search(window) else ""
    out = set()
    for u in units.units:
        if u.kind != "word" or u.keys & keys:
            continue
        words = [k[1:] for k in u.keys if k.startswith(ZH_KEY)]
        if any(w in zh for w in words):
            continue
        if any(o in keys for k in u.keys for o in ANTONYMS.get(k, ())) or any(
            o in zh for w in words for o in ZH_ANTONYMS.get(w, ())
        ):
            out.add(u.span)
    return out
