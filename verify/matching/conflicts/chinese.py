"""Chinese claim, Chinese passage: negation, antonyms, numbers and dates, names and roles,
compared on the claim's Chinese words (simplified script) as they stand in the passage."""

from __future__ import annotations

import re
from collections.abc import Sequence

from verify.matching.conflicts.antonyms import ZH_ANTONYMS, zh_verbs_done
from verify.matching.units import ClaimUnits, Unit
from verify.matching.words import ZH_KEY, clause_end, number_key, simplified, zh_negations
from verify.models import Conflict

_ZH_BOUNDARY = re.compile(
    r"[\s，。、；：！？,.;:!?（）()“”\"'《》「」]|的|由|在|和|与|被|把|向|对|从|是"
)
_ZH_NUMBER_IN_TEXT = re.compile(
    r"(百分之)?(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)"
    r"(年|月|日|号|岁|名|个|位|次|届|项|家|人|倍|%|％|票|公里|千米|米|元|美元|天|周|万|亿)?"
)


def _zh_negated(text: str, words: set[str], *, reach: bool) -> dict[str, str]:
    """Words of `words` governed by a negation in text: the word right after it (one
    character may stand between: 没有了); with `reach`, else the first of them in its
    clause, within NEGATION_REACH characters (并未通过新的预算: 预算)."""
    from verify.matching.words import _ZH_NOT_NEG_RE  # the same masking as zh_negations

    masked = _ZH_NOT_NEG_RE.sub(lambda m: " " * len(m.group()), text)
    out: dict[str, str] = {}
    for neg in zh_negations(masked):
        for m in re.finditer(re.escape(neg), masked):
            tail = text[m.end() : clause_end(text, m.end())]
            # the nearest word; of two as near, the longer one (没去找: 去, not 找), then by
            # text, so the report never rests on a set's order
            last = len(tail) if reach else 1
            near = [(w, at) for w in words if 0 <= (at := tail.find(w)) <= last]
            if near:
                w, at = min(near, key=lambda wa: (wa[1], -len(wa[0]), wa[0]))
                out.setdefault(w, text[m.start() : m.end() + at + len(w)])
    return out


def _zh_units(units: ClaimUnits) -> list[tuple[Unit, str]]:
    out = []
    for u in units.units:
        zh = next((k[1:] for k in u.keys if k.startswith(ZH_KEY)), None)
        if zh:
            out.append((u, zh))
    return out


def chinese_conflict(units: ClaimUnits, window: str) -> Conflict | None:
    claim = simplified(units.text.lower())
    pairs = _zh_units(units)
    shared = {w for u, w in pairs if w in window}
    # a number the passage gives counts too, as the claim writes it (没有通过2025年预算:
    # 2025年 is what the negation reaches first; 通过 is a stop word)
    said = {k for _, keys, _ in _zh_numbers(window) for k in keys}
    shared |= {simplified(u.text.lower()) for u in units.units if u.keys & said}
    # a negation word that is a verb of its own (拒绝 "to reject") whose opposite the passage
    # gives (批准): named as such before it is read as a negation
    negating_verbs = [n for n in zh_negations(claim) if n in ZH_ANTONYMS]
    conflict = _antonym(claim, window, negating_verbs)
    if conflict is not None:
        return conflict
    # negation
    # A claim's negation reaches through its clause (并未通过新的预算: 预算); a passage's only
    # the word right after it, unless the claim negates the word too: a passage is long and
    # discursive (不知名的小伙子, 坚定不移地贯彻), where a word further on is seldom what
    # the negation denies. On OCNLI's 3k training rows: 254 negations named rightly, 39
    # wrongly, against 184 and 31 with the adjacent word alone on both sides; reaching in
    # passages too gave 282 and 58.
    in_claim = _zh_negated(claim, shared, reach=True)
    in_source = _zh_negated(window, shared, reach=True)
    for w, phrase in in_claim.items():
        if w not in in_source:
            return Conflict("negation", phrase, w)
    for w, phrase in _zh_negated(window, shared, reach=False).items():
        if w not in in_claim:
            return Conflict("negation", w, phrase)
    conflict = _antonym(claim, window, [w for _, w in pairs] + zh_verbs_done(claim))
    if conflict is not None:
        return conflict
    conflict = _chinese_number(units, window)
    if conflict is not None:
        return conflict
    conflict = _chinese_name(claim, window, pairs)
    if conflict is not None:
        return conflict
    return _chinese_role(claim, window, pairs) or _chinese_passive_role(claim, window, pairs)


def _antonym(claim: str, window: str, words: Sequence[str]) -> Conflict | None:
    """The first of the claim's `words` missing from the passage whose opposite it has."""
    for w in words:
        if w in window:
            continue
        # of the word's opposites in the passage, the one it gives first (longest there)
        opposites = [
            (at, -len(o), o)
            for o in ZH_ANTONYMS.get(w, ())
            if (at := window.find(o)) >= 0 and o not in claim
        ]
        if opposites:
            return Conflict("antonym", w, min(opposites)[2])
    return None


def _zh_number_kind(unit: str, percent: str | None) -> str:
    if percent or unit in ("%", "％"):
        return "percent"
    if unit in ("万", "亿", ""):
        return "plain"
    return unit


def _zh_numbers(text: str) -> list[tuple[str, frozenset[str], str]]:
    """(as written, keys, kind) of each number in `text`."""
    from verify.matching.crosslang import chinese_number_keys

    out = []
    for m in _ZH_NUMBER_IN_TEXT.finditer(text):
        keys = chinese_number_keys(m.group(2), m.group(3) or "", m.group(1)) or frozenset(
            {number_key(m.group(2)) or m.group(2)}
        )
        out.append((m.group(), keys, _zh_number_kind(m.group(3) or "", m.group(1))))
    return out


def _chinese_number(units: ClaimUnits, window: str) -> Conflict | None:
    claim_nums = _zh_numbers(simplified(units.text.lower()))
    if not claim_nums:
        return None
    src_nums = _zh_numbers(window)
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


def _chinese_name(claim: str, window: str, pairs: list[tuple[Unit, str]]) -> Conflict | None:
    words = [w for _, w in pairs]
    for idx, (u, w) in enumerate(pairs):
        is_name = u.kind == "name" or bool(u.alias)
        if not is_name or w in window:
            continue
        if u.kind != "name" and w[0] in "一二两三四五六七八九十0123456789":
            continue  # a word the dictionary lacks that starts with a numeral (一座) is a count
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


def _chinese_role(claim: str, window: str, pairs: list[tuple[Unit, str]]) -> Conflict | None:
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
        if 0 <= min(pl, pr) < by < max(pl, pr) < v:
            src_agent = left if pl > by else right  # 甲被(学监)乙任命: the agent after 被
        elif pr < v < pl or pl < v < pr:
            src_agent = left if pl < pr else right
        claim_agent = right if claim_passive else left
        if src_agent is not None and src_agent != claim_agent:
            patient = left if claim_agent == right else right
            return Conflict(
                "role", f"{claim_agent}{verb}{patient}", f"{patient}…{verb}…{claim_agent}"
            )
    return None


def _chinese_passive_role(
    claim: str, window: str, pairs: list[tuple[Unit, str]]
) -> Conflict | None:
    """甲被乙任命 (乙 appointed 甲) where the passage has 甲 do it (甲任命乙, 乙被甲任命): the
    verb stands after both people, so _chinese_role, which looks for it between them, cannot
    tell."""
    spans = [(u.span, w) for u, w in pairs if w in window]
    for m in re.finditer("被", claim):
        before = [sw for sw in spans if sw[0][1] <= m.start()][::-1]
        after = [sw for sw in spans if sw[0][0] >= m.end()]
        patient = _run(claim, before, m.start(), -1, window) if before else ""
        agent = _run(claim, after, m.end(), 1, window) if after else ""
        if len(patient) < 2 or len(agent) < 2 or patient in agent or agent in patient:
            continue
        agent_end = claim.find(agent, m.end()) + len(agent)
        verb = next((w for (a, _), w in after if agent_end <= a <= agent_end + 1), "")
        if len(verb) < 2 or window.count(verb) != 1:
            continue
        v, pp, pa = window.find(verb), window.find(patient), window.find(agent)
        by = window.rfind("被", min(pp, pa), v)
        # whether the passage has the claim's patient do it
        if 0 <= min(pp, pa) < by < max(pp, pa) < v:
            swapped = pp > by  # 乙被(学监)甲任命: the one after 被 did it
        elif 0 <= pp < v < pa or 0 <= pa < v < pp:
            swapped = pp < pa  # 甲任命乙
        else:
            continue
        if swapped:
            return Conflict("role", f"{agent}{verb}{patient}", f"{patient}…{verb}…{agent}")
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
