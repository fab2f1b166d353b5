"""The support judgement: which passage of which source backs a claim, and how well.

Pure functions, no I/O. Each candidate document is indexed once (sentences reduced to keys),
every claim is scored against every window of one to three sentences in bulk
(verify.matching.features), a small logistic combiner with committed weights
(verify.matching.weights, fitted by benchmarks/fit_combiner.py on the shared dev data) turns
the features into a score in [0, 1], and the score against DEFAULT_THRESHOLDS gives the verdict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from verify.matching import weights as shipped
from verify.matching.claims import claim_units
from verify.matching.conflicts import find_conflict
from verify.matching.docindex import DocIndex, index_document
from verify.matching.features import FEATURES, Scored, compute_features
from verify.matching.units import ClaimUnits, Unit
from verify.matching.words import STOPWORDS, TOKEN_RE, is_cjk, word_key, wordset
from verify.models import (
    Claim,
    ClaimResult,
    Conflict,
    Document,
    Evidence,
    Thresholds,
    Verdict,
)

# The shipped cut-offs on the combiner's score; benchmarks/fit_combiner.py chose them on the
# shared dev data (figures in verify/matching/weights.py). Options.thresholds overrides them.
DEFAULT_THRESHOLDS = Thresholds(supported=shipped.SUPPORTED, partial=shipped.PARTIAL)

MAX_EVIDENCE = 3
# A clause whose units are this fully present in the evidence window counts as found whole.
WHOLE_CLAUSE = 0.7
NUMBER_VETO = 0.6
NAME_VETO = 0.7
# A contradicted claim's score is cut to well under any cut-off (and stays ordered within).
CONFLICT_VETO = 0.2
# Contradictions are looked for in claims scoring at least this (or with a clause found whole).
CONFLICT_FLOOR = 0.05
_NAMES_DOC = FEATURES.index("names_doc")
_NUMBER_MISSING = FEATURES.index("number_missing")

__all__ = [
    "DEFAULT_THRESHOLDS",
    "Assessment",
    "ClaimMatcher",
    "assess",
    "assess_claim",
    "combine",
    "is_checkable",
    "match_claims",
    "prepare_claims",
    "score_claim",
    "verdict_for",
]


# --------------------------------------------------------------------------- scoring


def combine(
    features: Sequence[float], language: str, weights: Mapping[str, Sequence[float]] | None = None
) -> float:
    """The combiner: logistic regression over the features, one weight set per language,
    then the vetoes for a number or a name the source never mentions."""
    table = weights if weights is not None else shipped.WEIGHTS
    w = table.get(language) or table["en"]
    z = w[0] + sum(c * f for c, f in zip(w[1:], features, strict=True))
    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    if features[_NUMBER_MISSING] > 0:
        # A number the source never states is close to a veto: on the dev data such claims
        # were supported 5% of the time (WiCE 4/76, X-PARADE 1/62).
        p *= NUMBER_VETO
    if features[_NAMES_DOC] < 1.0:
        # Likewise a name the source never mentions (supported: WiCE 13 of 116 such claims,
        # X-PARADE 3 of 40).
        p *= NAME_VETO
    return p


@dataclass(frozen=True)
class Assessment:
    """One claim against one document: features, score and the best window."""

    units: ClaimUnits
    scored: Scored
    score: float
    doc: DocIndex
    conflict: Conflict | None = None
    conflict_window: tuple[int, int] | None = None  # when not the best window

    @property
    def features(self) -> dict[str, float]:
        return dict(zip(FEATURES, self.scored.features, strict=True))

    @property
    def span(self) -> tuple[int, int]:
        """The evidence: the best window, or the sentence that contradicts the claim."""
        first, last = self.conflict_window or self.scored.window
        if not self.doc.spans:
            return (0, 0)
        return self.doc.spans[first][0], self.doc.spans[last - 1][1]


def assess(
    units: ClaimUnits, doc: DocIndex, weights: Mapping[str, Sequence[float]] | None = None
) -> Assessment:
    scored = compute_features(units, doc)
    score = combine(scored.features, pair_language(units, doc), weights)
    conflict = None
    where: tuple[int, int] | None = None
    if score >= CONFLICT_FLOOR or scored.best_clause >= WHOLE_CLAUSE:
        # (a claim scored this low is unsupported anyway: no need to say why in detail)
        conflict = find_conflict(units, doc, scored.window, scored.credit)
    if conflict is None and units.has_dates and score >= CONFLICT_FLOOR:
        # a number or a date may be given in a sentence next to the best one ("voted 9 to 0"
        # where the headline matches best and the body says 7–2)
        first, last = scored.window
        for sentence, credit in scored.near:
            conflict = find_conflict(units, doc, (sentence, sentence + 1), credit)
            # inside the best window, only a date: a claim listing several facts ("20, 21
            # and 24 years old") is told in several sentences, each lacking the others'
            # numbers, but an event has one date (proposed in August, not September)
            if conflict is not None and first <= sentence < last and conflict.kind != "date":
                conflict = None
            if conflict is not None:
                where = (sentence, sentence + 1)
                break
    if conflict is not None:
        # the best passage says otherwise: whatever the overlap, this is not support
        score *= CONFLICT_VETO
    return Assessment(units, scored, score, doc, conflict, where)


def pair_language(units: ClaimUnits, doc: DocIndex) -> str:
    """Which weight set judges the pair: "en", "zh" (a Chinese claim, an English source) or
    "zh-zh" (a Chinese claim against a mostly Chinese source)."""
    if units.language == "zh" and doc.chinese:
        return "zh-zh"
    return units.language


def _highlights(a: Assessment, text: str) -> tuple[tuple[int, int], ...]:
    """Spans in the evidence text that carry the claim's found units (merged, sorted)."""
    found_keys: set[str] = set()
    for j in a.scored.found:
        found_keys |= a.units.units[j].keys
    spans = [m.span() for m in TOKEN_RE.finditer(text) if word_key(m.group(0)) in found_keys]
    if a.units.language == "en" and len(a.units.text) >= 20:
        # A near-verbatim passage is worth showing whole.
        al = fuzz.partial_ratio_alignment(a.units.text, text, processor=str.lower, score_cutoff=85)
        if al is not None:
            spans.append((al.dest_start, al.dest_end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return tuple(merged)


# The longest passage quoted as evidence, and the characters of evidence one article's
# claims may quote between them (past it, each passage is cut to EVIDENCE_CUT): a report's
# size stays bounded however long the pages and however many claims cite them.
MAX_PASSAGE_CHARS = 1500
MAX_ARTICLE_EVIDENCE_CHARS = 2_000_000
EVIDENCE_CUT = 300


def _evidence(a: Assessment, reference: str, document: Document | None = None) -> Evidence:
    start, end = a.span
    text = a.doc.text[start:end]
    passage = Evidence(
        reference=reference,
        text=text,
        score=round(a.score, 4),
        start=start,
        end=end,
        highlights=_highlights(a, text),
    )
    return cut_evidence(passage, MAX_PASSAGE_CHARS, document)


def cut_evidence(e: Evidence, limit: int, document: Document | None = None) -> Evidence:
    """`e` cut to `limit` characters, keeping the stretch that shows the first matched words
    and a little before them; its offsets, highlights and page follow the cut."""
    text, start, highlights = e.text, e.start, e.highlights
    if len(text) > limit:
        first = highlights[0][0] if highlights else 0
        cut = max(0, min(first - limit // 5, len(text) - limit))
        text = text[cut : cut + limit]
        start += cut
        highlights = tuple(
            (max(0, s - cut), min(limit, end - cut))
            for s, end in highlights
            if end > cut and s < cut + limit
        )
    page = document.page_at(start) if document is not None else e.page
    end_ = start + len(text)
    return replace(e, text=text, start=start, end=end_, page=page, highlights=highlights)


def limit_evidence(
    results: Sequence[ClaimResult],
    documents: Mapping[str, Document],
    budget: int = MAX_ARTICLE_EVIDENCE_CHARS,
) -> list[ClaimResult]:
    """An article's results with its evidence budget applied: in claim order, once the
    passages quoted so far reach `budget` characters, each later passage is cut to
    EVIDENCE_CUT. Applied after matching, so the report is the same whatever order the
    claims were judged in (each as its sources arrived)."""
    quoted = 0
    out: list[ClaimResult] = []
    for result in results:
        if quoted >= budget and result.evidence:
            cut = tuple(
                cut_evidence(e, EVIDENCE_CUT, documents.get(e.reference)) for e in result.evidence
            )
            result = replace(result, evidence=cut)
        quoted += sum(len(e.text) for e in result.evidence)
        out.append(result)
    return out


def assess_claim(
    claim: str,
    evidence: Sequence[str] | str,
    *,
    glossary: Mapping[str, str] | None = None,
    weights: Mapping[str, Sequence[float]] | None = None,
) -> Assessment | None:
    """Features, score and best window of a claim against raw evidence (None: no text)."""
    doc = index_document(evidence)
    if not doc.spans:
        return None
    return assess(claim_units(claim, dict(glossary) if glossary else None), doc, weights)


def score_claim(
    claim: str, evidence: Sequence[str] | str, *, glossary: Mapping[str, str] | None = None
) -> tuple[float, Evidence | None]:
    """Score a claim against raw evidence (a page, or a list of sentences/passages).

    The same code path match_claims uses, for the accuracy harness and for library users.
    """
    a = assess_claim(claim, evidence, glossary=glossary)
    if a is None:
        return 0.0, None
    return a.score, _evidence(a, "")


def verdict_for(
    score: float, thresholds: Thresholds | None = None, *, best_clause: float = 0.0
) -> Verdict:
    """The verdict for a score; `best_clause` is the recall of the claim's best-covered clause
    (Scored.best_clause), which can lift an unsupported claim to partial."""
    t = thresholds or DEFAULT_THRESHOLDS
    if score >= t.supported:
        return Verdict.SUPPORTED
    if score >= t.partial:
        return Verdict.PARTIAL
    if best_clause >= WHOLE_CLAUSE:
        # One clause stands on the page in full and the rest does not: that is what partial
        # means to a reader, whatever the overall score.
        return Verdict.PARTIAL
    return Verdict.UNSUPPORTED


# --------------------------------------------------------------------------- checkability

_QUESTION_END = re.compile(r"[?？]\s*[\"'”’」』)）]*\s*$")
_TRANSITION_END = re.compile(r"(——|—|:|：|…|\.\.\.)\s*$")
_PLACEHOLDER = re.compile(r"……|\.\.\.")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ZH_FILLER = set(
    "的了在是和与也都而被把对于为以其之这那个着过他她它们我你并或但就还又从到由向让使将已曾所该此"
)


# Words that say nothing a source could confirm on their own: a sentence made only of these
# (and stop words) is an opinion or a transition, not a claim.
GENERIC_WORDS = wordset(
    """
    big small huge good bad great best worst new old important interesting clear clearly
    news thing things stuff something anything nothing everything someone anyone everyone
    everybody somebody nobody people person time times way ways lot lots kind sort matter
    fact really truly certainly surely perhaps maybe probably indeed simply just quite
    agree agrees agreed tell tells told think thinks thought believe believes feel feels
    seem seems seemed look looks looked sure true right wrong real only going get gets
    got make makes made come comes came see sees saw know knows knew want wants wanted
    need needs needed happen happens happened change changes changed day days story
    stories question questions answer problem problems issue issues point points case
    cases part parts place world life here there now today tomorrow yesterday soon later
    again always never often sometimes everywhere anywhere remains remain remained
    """
)
_ZH_GENERIC_CHARS = frozenset("大小好坏新旧人们都很真个一些有没说会要能看想这那就")
# longest first, so 大家 goes before 家 could
_ZH_GENERIC_WORDS = sorted(
    wordset(
        "大家 所有人 每个人 同意 认同 新闻 消息 事情 事件 一切 东西 时间 只有 告诉 知道 证明 "
        "觉得 认为 相信 重要 问题 真的 确实 也许 可能 总是 永远 现在 今天 以后 将来"
    ),
    key=len,
    reverse=True,
)


def is_checkable(text: str) -> bool:
    """Whether a sentence states something a source could back.

    Questions, headings-like fragments and transitions (「在……的同时，……也有新的动作——」)
    are not: they get verdict unverifiable with checkable=False instead of unsupported.
    """
    t = text.strip()
    if not t or _QUESTION_END.search(t):
        return False
    end = _TRANSITION_END.search(t)
    # a lead-in ("他表示：", "The report found:") is short; a sentence that states a fact and
    # then introduces a formula or a list with a colon still states it
    short = 25 if end is not None and end.group(1) in ":：" else 40
    if end is not None and (_PLACEHOLDER.search(t[:-2]) or len(t) < short):
        return False
    if _PLACEHOLDER.search(t) and t.count("……") >= 2:
        return False
    if is_cjk(t):
        content = [ch for ch in _CJK.findall(t) if ch not in _ZH_FILLER]
        latin = re.findall(r"[A-Za-z0-9]{2,}", t)
        rest = "".join(content)
        for word in _ZH_GENERIC_WORDS:
            rest = rest.replace(word, "")
        specific = [ch for ch in rest if ch not in _ZH_GENERIC_CHARS]
        return len(specific) + 2 * len(latin) >= 1 and len(content) + len(latin) >= 2
    # Something a source could confirm: a name, a number, or a word beyond the generic
    # ("This is big news.", "Everyone agrees.", "Only time will tell." have none).
    tokens = TOKEN_RE.findall(t)
    anchors = sum(1 for i, w in enumerate(tokens) if w[0].isdigit() or (i > 0 and w[0].isupper()))
    content = [
        w
        for w in tokens
        if len(w) > 2 and w.lower() not in STOPWORDS and w.lower() not in GENERIC_WORDS
    ]
    return (anchors >= 1 or len(content) >= 1) and sum(len(w) > 2 for w in tokens) >= 2


def partial_note(units: ClaimUnits, found: set[int]) -> str | None:
    """'backed: "…"; not backed: "…"', the claim's clauses by whether the evidence holds
    their words (a clause with most of its weight found counts as backed)."""
    clauses: dict[int, list[int]] = {}
    for j, u in enumerate(units.units):
        clauses.setdefault(u.clause, []).append(j)
    backed, not_backed = [], []
    for members in clauses.values():
        total = sum(units.units[j].weight for j in members)
        got = sum(units.units[j].weight for j in members if j in found)
        start = min(units.units[j].span[0] for j in members)
        end = max(units.units[j].span[1] for j in members)
        text = _shorten(units.text[start:end])
        (backed if total and got / total >= WHOLE_CLAUSE else not_backed).append(text)
    if not backed or not not_backed:
        return None
    quoted = "; ".join
    return (
        f"backed: {quoted(f'“{t}”' for t in backed)}; "
        f"not backed: {quoted(f'“{t}”' for t in not_backed)}"
    )


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _distinctive(unit: Unit) -> bool:
    """A unit whose presence in a passage says something: not a generic word."""
    return unit.kind != "word" or unit.text.lower() not in GENERIC_WORDS


# --------------------------------------------------------------------------- the pipeline step


def prepare_claims(
    claims: Sequence[Claim], glossary: Mapping[str, str] | None = None
) -> dict[str, ClaimUnits]:
    """The claim side of matching, keyed by claim text: it needs no source, so the pipeline
    runs it while the sources are still being fetched (for Chinese claims this is also
    where the tokenizer and the dictionary load)."""
    gloss = dict(glossary) if glossary else None
    prepared: dict[str, ClaimUnits] = {}
    for claim in claims:
        if claim.text in prepared or claim.ignored or not claim.checkable:
            continue
        if is_checkable(claim.text):
            prepared[claim.text] = claim_units(claim.text, gloss)
    return prepared


def match_claims(
    claims: Sequence[Claim],
    documents: Mapping[str, Document],
    candidates: Mapping[int, Sequence[str]],
    *,
    thresholds: Thresholds | None = None,
    glossary: Mapping[str, str] | None = None,
    prepared: Mapping[str, ClaimUnits] | None = None,
) -> list[ClaimResult]:
    """Judge every claim against its candidate documents. One result per claim, same order.

    `prepared` is prepare_claims' answer for these claims with the same glossary."""
    matcher = ClaimMatcher(thresholds=thresholds, glossary=glossary, prepared=prepared)
    results = [matcher.match(c, documents, candidates.get(c.index, ())) for c in claims]
    return limit_evidence(results, documents)


class ClaimMatcher:
    """Judges the claims of one article one at a time, so a caller can judge each as soon
    as its sources are in. Each document is indexed once and shared by every claim that
    cites it, so the reference ids must be those of a single article. The article's
    evidence budget is the caller's to apply, once every claim is judged (limit_evidence)."""

    def __init__(
        self,
        *,
        thresholds: Thresholds | None = None,
        glossary: Mapping[str, str] | None = None,
        prepared: Mapping[str, ClaimUnits] | None = None,
    ) -> None:
        self.thresholds = thresholds
        self.gloss = dict(glossary) if glossary else None
        self.prepared: Mapping[str, ClaimUnits] = prepared or {}
        self._indexes: dict[str, DocIndex] = {}

    def match(
        self, claim: Claim, documents: Mapping[str, Document], candidates: Sequence[str]
    ) -> ClaimResult:
        """The result for one claim; `documents` must hold every readable candidate."""
        thresholds = self.thresholds
        if claim.ignored:
            return ClaimResult(claim, Verdict.UNVERIFIABLE, 0.0, note="ignored")
        if not claim.checkable or not is_checkable(claim.text):
            note = "nothing to check"
            if claim.checkable and not _QUESTION_END.search(claim.text):
                note += ": no name, number, date or specific word a source could confirm"
            return ClaimResult(claim, Verdict.UNVERIFIABLE, 0.0, checkable=False, note=note)
        readable = [r for r in candidates if r in documents]
        if not readable:
            return ClaimResult(claim, Verdict.UNVERIFIABLE, 0.0, note="no reference could be read")
        units = self.prepared.get(claim.text) or claim_units(claim.text, self.gloss)
        indexes = self._indexes
        assessed: list[tuple[Assessment, str]] = []
        for ref in dict.fromkeys(readable):
            if ref not in indexes:
                doc = documents[ref]
                indexes[ref] = index_document(doc.text, spans=doc.sentences)
            if indexes[ref].spans:
                assessed.append((assess(units, indexes[ref]), ref))
        if not assessed:
            return ClaimResult(claim, Verdict.UNVERIFIABLE, 0.0, note="no reference could be read")
        assessed.sort(key=lambda ar: -ar[0].score)
        best, _ = assessed[0]
        evidence = tuple(_evidence(a, ref, documents[ref]) for a, ref in assessed[:MAX_EVIDENCE])
        best_clause = 0.0 if best.conflict is not None else best.scored.best_clause
        verdict = verdict_for(best.score, thresholds, best_clause=best_clause)
        conflict = best.conflict if verdict is Verdict.UNSUPPORTED else None
        found_idx = set(best.scored.found)
        found = tuple(u.text for j, u in enumerate(units.units) if j in found_idx)
        missing = tuple(u.text for j, u in enumerate(units.units) if j not in found_idx)
        note = None
        if verdict is Verdict.SUPPORTED and not any(
            _distinctive(u) for j, u in enumerate(units.units) if j in found_idx
        ):
            # a high score from generic words alone is not support
            verdict = Verdict.UNSUPPORTED
            note = "none of the claim's specific content was found"
        if not units.units:
            note = "no content words to match"
        elif verdict is Verdict.PARTIAL:
            # which clause is backed and which is not (the score alone may read unsupported)
            note = partial_note(units, found_idx)
        return ClaimResult(
            claim,
            verdict,
            round(best.score, 4),
            evidence,
            found=found,
            missing=missing,
            note=note,
            conflict=conflict,
        )
