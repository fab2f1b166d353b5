"""Chinese claim, English passage: the claim's words carry their English glosses as keys, and
the passage is read with the English checks' tokens, negation cues, names and roles."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from verify.matching.conflicts.antonyms import ANTONYMS, zh_verbs_done
from verify.matching.conflicts.english import negated_keys, negations, phrasal
from verify.matching.conflicts.english_names import ADJECTIVE, roles, source_group_at
from verify.matching.conflicts.english_numbers import source_numbers
from verify.matching.conflicts.tokens import (
    Tok,
    as_written,
    is_month,
    starts_sentence,
    tokens,
)
from verify.matching.docindex import DocIndex
from verify.matching.units import MONTH_KEYS, ClaimUnits, Unit
from verify.matching.words import (
    STOPWORDS,
    ZH_KEY,
    clause_end,
    simplified,
    word_key,
    zh_negations,
)
from verify.models import Conflict


def _gloss(u: Unit) -> frozenset[str]:
    return frozenset(k for k in u.keys if not k.startswith((ZH_KEY, "\0")))


def _adjacent(a: Unit, b: Unit) -> bool:
    return 0 <= b.span[0] - a.span[1] <= 1


def _same_sentence(text: str, a: Tok, b: Tok) -> bool:
    between = text[min(a.end, b.end) : max(a.start, b.start)]
    return _SENTENCE_END.search(between) is None


_SENTENCE_END = re.compile(r"[.!?。！？\n]")


def _glosses(word: str) -> frozenset[str]:
    # here, not at the top: an English-only run never loads the Chinese dictionary
    from verify.matching.cedict import gloss_keys, shared_resources

    return gloss_keys(word, shared_resources()[0])[0]


def _negating_verb(
    claim_neg: Sequence[str], us: Sequence[Unit], src_toks: Sequence[Tok]
) -> Conflict | None:
    """A negation word that is a verb of its own (拒绝 "to reject", 否决 "to veto") whose
    opposite the passage gives instead (拒绝了预算 against "approved the budget"); not when the
    passage has the verb too, nor when its opposite is also the claim's (拒绝批准 "refused to
    approve" is a negation of 批准, judged as such)."""
    if not claim_neg:
        return None
    src_keys = {t.key for t in src_toks}
    claim_keys = {k for u in us for k in u.keys}
    for neg in claim_neg:
        glosses = _glosses(neg)
        if not glosses or glosses & src_keys:
            continue
        opposites = {o for k in glosses for o in ANTONYMS.get(k, ())} - claim_keys
        word = next((t.text for t in src_toks if t.key in opposites), None)
        if word is not None:
            return Conflict("antonym", neg, word)
    return None


def cross_conflict(
    units: ClaimUnits, window: str, credit: Sequence[float], doc: DocIndex
) -> Conflict | None:
    src_toks = tokens(window)
    if not src_toks:
        return None
    found = [c > 0.5 for c in credit]
    us = units.units
    claim = simplified(units.text)
    # negation: the claim negates a word the passage states plainly, or the reverse
    claim_neg = zh_negations(claim)
    src_negs = negations(src_toks)
    # a negation character inside a word is no negation: 无效 "invalid", 不当 "improper",
    # 那不勒斯 "Naples" (the negation words themselves are never units)
    inside = [u.span for u in us]
    claim_neg = [
        neg
        for neg in claim_neg
        if not any(s <= claim.find(neg) < e for s, e in inside)  # 那不勒斯 is Naples
    ]
    conflict = _negating_verb(claim_neg, us, src_toks)
    if conflict is not None:
        return conflict
    if claim_neg:
        for neg in claim_neg:
            at = claim.find(neg) + len(neg)
            end = clause_end(claim, at)
            nxt = next(
                (u for u, f in zip(us, found, strict=True) if f and at <= u.span[0] < end),
                None,
            )
            if nxt is None:
                continue
            # the passage states it plainly: no negation in any sentence that has the word
            # (one elsewhere in the passage, "The mayor did not attend", is not about it); a
            # negation word that is a verb (拒绝 "to reject") is the passage's own there too
            said = [t for t in src_toks if t.key in _gloss(nxt)]
            cues = [*src_negs, *(n for n, t in enumerate(src_toks) if t.key in _glosses(neg))]
            if said and not any(_same_sentence(window, t, src_toks[n]) for t in said for n in cues):
                return Conflict("negation", claim[claim.find(neg) : nxt.span[1]], said[0].text)
    if not claim_neg and src_negs:
        found_keys = {k for u, f in zip(us, found, strict=True) if f for k in _gloss(u)}
        negated = negated_keys(src_toks, found_keys)
        for key, phrase in negated.items():
            u = next(u for u in us if key in u.keys)
            if u.kind != "name":
                return Conflict("negation", u.text, phrase)
    # antonyms, through the glosses: 否决 ("to veto; to reject") against "approved", 支持
    # ("to support") against "voted against"
    read = phrasal(src_toks)
    read_keys = {t.key for t in read}
    claim_keys = {k for v in us for k in v.keys}
    words = [(u.text, _gloss(u)) for u, f in zip(us, found, strict=True) if not f]
    spans = [u.span for u in us]
    for verb in zh_verbs_done(claim):
        # a stop word used as a verb (通过了 "passed"): no unit, so glossed here
        glosses = _glosses(verb)
        if not any(s <= claim.find(verb) < e for s, e in spans) and not glosses & read_keys:
            words.append((verb, glosses))
    for text, glosses in words:
        opposites = {o for k in glosses for o in ANTONYMS.get(k, ())} - claim_keys
        # of the opposites of all its glosses, the one the passage gives first
        word = next((t.text for t in read if t.key in opposites), None)
        if word is not None:
            return Conflict("antonym", text, word)
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
                span = source_group_at(src_toks, n, direction)
                if span is None:
                    continue
                other = src_toks[span[0] : span[1]]
                if any(any(x.key in v.keys for v in us) for x in other):
                    continue
                if span[1] - span[0] == 1 and starts_sentence(window, other[0]):
                    continue
                if any(x.text.isupper() for x in other) or ADJECTIVE.search(
                    shown := as_written(other)
                ):
                    continue  # an acronym (MIT) may be the claim's name; "Democratic" no name
                glosses = _gloss(u)
                if any(x.key[:5] == g[:5] and len(g) >= 5 for x in other for g in glosses):
                    continue  # Moroccan for 摩洛哥 (Morocco)
                shown = as_written(other)
                if fuzz.ratio(shown.lower(), u.text.lower()) >= 85:
                    continue
                return Conflict("name", u.text, shown)
    conflict = _cross_date(units, window, src_toks, found) or _cross_number(
        units, window, src_toks, found
    )
    if conflict is not None:
        return conflict
    return _cross_role(units, claim, src_toks, found)


_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_WEEKDAYS = frozenset(
    word_key(d + "day") for d in ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")
)


def _core_sentence(
    us: Sequence[Unit], window: str, src_toks: Sequence[Tok], found: Sequence[bool]
) -> tuple[int, int]:
    """The passage's sentence, as [start, end) in `window`, with the most tokens among the
    glosses of the claim's words found: where its date or number is told."""
    said = {k for u, f in zip(us, found, strict=True) if f for k in _gloss(u)}
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(window)), len(window)]
    return max(
        itertools.pairwise(bounds),
        key=lambda se: sum(se[0] <= t.start < se[1] and t.key in said for t in src_toks),
    )


def _cross_date(
    units: ClaimUnits, window: str, src_toks: Sequence[Tok], found: Sequence[bool]
) -> Conflict | None:
    """A year, month or weekday of the claim that the passage lacks, where the passage's
    sentence that holds the most of the claim's other words gives another (2019年 against
    "in 2021", 十二月 against "in September", 周五 against "on Monday")."""
    us = units.units
    missing = [u for u, f in zip(us, found, strict=True) if not f and _is_date(u)]
    if not missing:
        return None
    start, end = _core_sentence(us, window, src_toks, found)
    toks = [t for t in src_toks if start <= t.start < end]
    for u in missing:
        if u.keys <= MONTH_KEYS:
            other = next((t for t in toks if is_month(t) and t.key not in u.keys), None)
        elif u.keys & _WEEKDAYS:
            other = next((t for t in toks if t.key in _WEEKDAYS and t.key not in u.keys), None)
        else:
            other = next(
                (t for t in toks if _YEAR.fullmatch(t.text) and t.text != _year_of(u)), None
            )
        if other is not None:
            return Conflict("date", u.text, other.text)
    return None


def _cross_number(
    units: ClaimUnits, window: str, src_toks: Sequence[Tok], found: Sequence[bool]
) -> Conflict | None:
    """A number of the claim that the passage lacks, where the passage's sentence that holds
    the most of the claim's other words counts the same thing with another (六万册 against
    "80,000 books", 百分之七 against "4 percent")."""
    us = units.units
    missing = [
        i
        for i, (u, f) in enumerate(zip(us, found, strict=True))
        if not f and u.kind == "number" and not u.keys <= MONTH_KEYS and _year_of(u) is None
    ]
    if not missing:
        return None
    start, end = _core_sentence(us, window, src_toks, found)
    numbers = [n for n in source_numbers(window[start:end]) if n[1] != "score"]
    for i in missing:
        u = us[i]
        text = units.text[u.span[0] :]
        # what it counts: a percent sign, or the claim's next word (册 "book", 名 "person")
        if text.startswith("百分之") or units.text[u.span[1] : u.span[1] + 1] in "%％":
            kinds = {"percent"}
        else:
            nxt = us[i + 1] if i + 1 < len(us) and _adjacent(u, us[i + 1]) else None
            kinds = {"count:" + k for k in _gloss(nxt)} if nxt is not None else set()
        other = next((n for n in numbers if n[1] in kinds and n[0] not in u.keys), None)
        if other is not None:
            return Conflict("number", u.text, other[2])
    return None


def _is_date(u: Unit) -> bool:
    """A year, a month or a day of the week (周五, Friday)."""
    if u.kind == "number" and (u.keys <= MONTH_KEYS or _year_of(u) is not None):
        return True
    return bool(_gloss(u)) and _gloss(u) <= _WEEKDAYS


def _year_of(u: Unit) -> str | None:
    return next((k for k in u.keys if _YEAR.fullmatch(k)), None)


def _cross_role(
    units: ClaimUnits, claim: str, src_toks: Sequence[Tok], found: Sequence[bool]
) -> Conflict | None:
    us = units.units
    # names as groups of adjacent name units ("Maria Okafor" is two units, one person)
    group_of: dict[int, int] = {}
    groups: list[list[int]] = []
    for i, u in enumerate(us):
        if u.kind != "name" or not found[i]:
            continue
        gap = claim[us[i - 1].span[1] : u.span[0]].strip(" ·•・‧") if i else "?"
        if groups and groups[-1][-1] == i - 1 and _adjacent(us[i - 1], u) and not gap:
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
        # "A的律师B"; or after them, in the passive "A被B任命"
        pair = _between(claim, us, group_of, v) or _passive(claim, us, group_of, groups, v)
        if pair is None:
            continue
        before, after = pair
        passive = "被" in claim[us[groups[before][-1]].span[1] : us[v].span[0]]
        claim_roles = (after, before) if passive else (before, after)
        # the claim's verb by its glosses, or else the one word between the two people
        verbs = set(_gloss(us[v])) if found[v] else set()
        verbs |= _between_verbs(src_toks, names, before, after)
        # tried in the order the passage has them (a verb it lacks has no roles there)
        for verb in dict.fromkeys(t.key for t in src_toks if t.key in verbs):
            src_roles = roles(src_toks, verb, names)
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


def _between(
    claim: str, us: Sequence[Unit], group_of: dict[int, int], v: int
) -> tuple[int, int] | None:
    """The people before and after verb unit `v` ("A起诉了B"), as groups."""
    if v + 1 >= len(us) or (v + 1) not in group_of:
        return None
    after = group_of[v + 1]
    if claim[us[v].span[1] : us[v + 1].span[0]].strip() not in ("", "了"):
        return None
    for i in range(v - 1, -1, -1):
        if i not in group_of:
            continue
        gap = claim[us[i].span[1] : us[v].span[0]].strip()
        if gap in ("", "被") or (
            gap[0] in "在为于从向对" and not any(ch in gap for ch in "的，,、")
        ):
            return (group_of[i], after) if group_of[i] != after else None
        return None
    return None


def _passive(
    claim: str, us: Sequence[Unit], group_of: dict[int, int], groups: list[list[int]], v: int
) -> tuple[int, int] | None:
    """The people of "A被B任命" (B appointed A) before verb unit `v`, as groups: A, then B."""
    if v == 0 or (v - 1) not in group_of or claim[us[v - 1].span[1] : us[v].span[0]].strip():
        return None
    agent = group_of[v - 1]
    first = groups[agent][0]
    if first == 0 or (first - 1) not in group_of:
        return None
    if claim[us[first - 1].span[1] : us[first].span[0]].strip() != "被":
        return None
    return group_of[first - 1], agent


def _between_verbs(src_toks: Sequence[Tok], names: dict[str, int], a: int, b: int) -> set[str]:
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
