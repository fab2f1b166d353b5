"""English claim, English passage: the checks in the order they are tried.

Negation and antonyms are here; numbers, dates and months in `english_numbers`; names and
roles in `english_names`. The negation cues serve the Chinese-English checks too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from verify.matching.conflicts.antonyms import ANTONYMS
from verify.matching.conflicts.english_names import english_name, english_role
from verify.matching.conflicts.english_numbers import english_number
from verify.matching.conflicts.tokens import Tok, tokens
from verify.matching.docindex import DocIndex
from verify.matching.units import ClaimUnits
from verify.matching.words import STOPWORDS, TOKEN_KEYS, TOKEN_RE, word_key, wordset
from verify.models import Conflict

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


def negations(toks: Sequence[Tok]) -> list[int]:
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


def denied_clause(toks: Sequence[Tok], i: int) -> int | None:
    """Where the clause starts that negation `i` denies as a whole ("it is not true that
    the council passed it", "not the case that"), if it does."""
    after = [t.text.lower() for t in toks[i + 1 : i + 4]]
    if after[:2] == ["true", "that"] or after == ["the", "case", "that"]:
        return i + 1 + after.index("that") + 1
    return None


def negated_keys(toks: Sequence[Tok], shared: set[str]) -> dict[str, str]:
    """Shared content keys that a negation governs (within three words after it, or the word
    a "not"/"no" follows directly), with the negated phrase as written."""
    out: dict[str, str] = {}
    for i in negations(toks):
        begin = denied_clause(toks, i) or i + 1
        for j in range(begin, min(len(toks), begin + 3)):
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


def english_conflict(
    units: ClaimUnits, window: str, credit: Sequence[float], doc: DocIndex, coverage: float
) -> Conflict | None:
    claim_toks = tokens(units.text)
    src_toks = tokens(window)
    found_keys = {k for u, c in zip(units.units, credit, strict=True) if c > 0.5 for k in u.keys}
    src_keys = {t.key for t in src_toks}
    shared = (found_keys & src_keys) - {t.key for t in claim_toks if t.text.lower() in STOPWORDS}
    negation = None
    if _NEG_CUE.search(units.text) or _NEG_CUE.search(window):
        negation = _english_negation(claim_toks, src_toks, shared, window, coverage)
    return (
        negation
        or _english_antonym(claim_toks, src_toks, src_keys)
        or english_number(units, window, src_toks, credit, claim_toks)
        or english_name(units, claim_toks, src_toks, credit, doc, window)
        or english_role(units, claim_toks, src_toks, credit, window)
    )


def _english_negation(
    claim_toks: Sequence[Tok],
    src_toks: Sequence[Tok],
    shared: set[str],
    window: str,
    coverage: float,
) -> Conflict | None:
    in_claim = negated_keys(claim_toks, shared)
    in_source = negated_keys(src_toks, shared)
    for i in negations(claim_toks):
        begin = denied_clause(claim_toks, i)
        if begin is not None and in_source.keys() & {t.key for t in claim_toks[begin:]}:
            # "it is not true that Doyle signed the bill" where the passage says he did not
            # sign it: both deny it
            return None
    if not in_claim and not negations(src_toks) and coverage >= 0.75:
        # "never voted on" against a passage that says they approved it 7–2: the claim
        # denies what its verb says, and the passage denies nothing
        for i in negations(claim_toks):
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


# Phrasal verbs that say what a word of the antonym table says ("voted down" is "rejected").
_PHRASAL = {
    (word_key(verb), word_key(particle)): word_key(meaning)
    for verb, particle, meaning in (
        ("vote", "down", "reject"),
        ("turn", "down", "reject"),
        ("strike", "down", "reject"),
        ("struck", "down", "reject"),
        ("shut", "down", "close"),
        ("call", "off", "cancel"),
        ("vote", "against", "oppose"),
        ("vote", "for", "support"),
    )
}


def phrasal(toks: Sequence[Tok]) -> list[Tok]:
    """`toks` with each phrasal verb of _PHRASAL as one token keyed by what it means."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        meaning = _PHRASAL.get((t.key, nxt.key)) if nxt is not None else None
        if nxt is not None and meaning is not None:
            out.append(Tok(f"{t.text} {nxt.text}", meaning, t.start, nxt.end, t.upper))
            i += 2
        else:
            out.append(t)
            i += 1
    return out


def _english_antonym(
    claim_toks: Sequence[Tok], src_toks: Sequence[Tok], src_keys: set[str]
) -> Conflict | None:
    claim_toks, src_toks = phrasal(claim_toks), phrasal(src_toks)
    src_keys = src_keys | {s.key for s in src_toks}
    claim_keys = {t.key for t in claim_toks}
    for t in claim_toks:
        opposite = ANTONYMS.get(t.key)
        if not opposite or t.key in src_keys:
            continue
        for s in src_toks:
            if s.key in opposite and s.key not in claim_keys:
                return Conflict("antonym", t.text, s.text)
    return None
