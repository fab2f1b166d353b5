"""English names and roles: another name in the claim's name's slot, and the same two people
and verb in the opposite order (who did what to whom, active and passive voice told apart).

The name runs and roles serve the Chinese-English checks too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from verify.matching.conflicts.tokens import Tok, as_written, starts_sentence
from verify.matching.docindex import DocIndex
from verify.matching.units import ClaimUnits
from verify.matching.words import STOPWORDS
from verify.models import Conflict

# capitalised adjectives (Democratic, American, British, Chinese) name no one
ADJECTIVE = re.compile(r"(?:ic|an|ish|ese|ian)$")


def _name_groups(toks: Sequence[Tok]) -> list[tuple[int, int]]:
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


def source_group_at(src: Sequence[Tok], i: int, direction: int) -> tuple[int, int] | None:
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


def english_name(
    units: ClaimUnits,
    claim_toks: Sequence[Tok],
    src_toks: Sequence[Tok],
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
                span = source_group_at(src_toks, i, direction)
                if span is None:
                    continue
                other = src_toks[span[0] : span[1]]
                if direction < 0 and b - a == 1:
                    # a given name before the claim's surname, after a title both have ("Mayor
                    # Tom Briggs" where the claim has "Mayor Ann Briggs")
                    while other and other[0].key in claim_keys:
                        other = other[1:]
                    if not other or other[0].text[:1].lower() == group[0].text[:1].lower():
                        continue  # (Tom for Thomas, J. for John: the same person, maybe)
                if any(t.key in claim_keys for t in other):
                    # the source's group holds words of the claim: the same name, told longer
                    # or shorter ("Supreme Court", "United States Supreme Court")
                    continue
                if len(other) == 1 and starts_sentence(window, other[0]):
                    continue  # a capital that only starts a sentence is no name
                shown = " ".join(t.text for t in other)
                if fuzz.ratio(shown.lower(), name.lower()) >= 85:
                    continue  # a variant spelling, not another name
                if ADJECTIVE.search(shown) or any(
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
                return Conflict("name", " ".join(t.text for t in group), as_written(other))
    return None


def roles(toks: Sequence[Tok], verb: str, names: dict[str, int]) -> tuple[int, int] | None:
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
        # "B was appointed project manager by Superintendent A": the agent after a "by" a
        # few words on, a title between
        by = next(
            (i for i in range(v + 1, min(len(toks), v + 5)) if toks[i].text.lower() == "by"),
            None,
        )
        if after_i is None and by is not None:
            after_i = next(
                (i for i in range(by + 1, min(len(toks), by + 4)) if toks[i].key in names), None
            )
        if before is None or after_i is None:
            return None
        passive = any(toks[i].text.lower() == "by" for i in range(v + 1, after_i))
        after = names[toks[after_i].key]
        if after == before:
            return None
        return (after, before) if passive else (before, after)
    return None


def english_role(
    units: ClaimUnits,
    claim_toks: Sequence[Tok],
    src_toks: Sequence[Tok],
    credit: Sequence[float],
    window: str,
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
    first = claim_toks[0] if claim_toks else None
    if (
        first is not None
        and first.upper
        and (not groups or groups[0][0] > 0)
        and first.text.lower() not in STOPWORDS
        and any(t.key == first.key and t.upper and not starts_sentence(window, t) for t in src_toks)
    ):
        # "Nair praised Doyle": a capitalised first word is a name where the passage has it
        # capitalised inside a sentence
        groups = [(0, 1), *groups]
        found_names |= {
            k for u, c in zip(units.units, credit, strict=True) if c > 0.5 for k in u.keys
        } & {first.key}
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
        claim_roles = roles(claim_toks, t.key, names)
        if claim_roles is None:
            continue
        src_roles = roles(src_toks, t.key, names)
        if src_roles is not None and src_roles == claim_roles[::-1]:
            agent, patient = (as_written(claim_toks[slice(*groups[g])]) for g in claim_roles)
            src_verb = next(x.text for x in src_toks if x.key == t.key)
            return Conflict("role", f"{agent} {t.text} {patient}", f"{patient} {src_verb} {agent}")
    return None
