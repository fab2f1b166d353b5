"""A page without sentence breaks (a 1 MB run of words) cited by many claims: the passages
quoted as evidence stay short, an article's evidence has a budget, and the page is indexed
in windows, so matching costs what a page of ordinary sentences would."""

from __future__ import annotations

import json
import random

from verify.article.sentences import MAX_SENTENCE_CHARS, sentence_spans
from verify.matching.docindex import index_document
from verify.matching.match import EVIDENCE_CUT, MAX_PASSAGE_CHARS, ClaimMatcher, limit_evidence
from verify.models import Claim, Document

WORDS = ("harbour", "ships", "cargo", "grain", "timber", "river", "bridge", "council", "budget")


def unpunctuated(chars: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        word = rng.choice(WORDS)
        out.append(word)
        size += len(word) + 1
    return " ".join(out)


def test_a_long_run_is_indexed_in_bounded_windows_that_cover_it() -> None:
    text = unpunctuated(200_000) + "\n\n" + "x" * 5000  # a run with no space at all, too
    spans = sentence_spans(text)
    assert all(e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    covered = "".join(text[s:e] for s, e in spans)
    assert covered.replace(" ", "") == text.replace(" ", "").replace("\n", "")
    # spans handed over from elsewhere (an old cache entry) that ignore the limit are redone
    index = index_document(text, spans=[(0, len(text))])
    assert all(e - s <= MAX_SENTENCE_CHARS for s, e in index.spans)


def test_evidence_from_an_unpunctuated_page_is_bounded() -> None:
    page = unpunctuated(1_000_000)
    documents = {"1": Document(url="http://127.0.0.1:9/p", text=page)}
    matcher = ClaimMatcher()
    claims = [
        Claim(index=i, text=f"The council budget paid {i} workers on the river bridge.", line=i)
        for i in range(20)
    ]
    results = [matcher.match(c, documents, ("1",)) for c in claims]
    quoted = [e.text for r in results for e in r.evidence]
    assert quoted and all(len(t) <= MAX_PASSAGE_CHARS for t in quoted)
    for r in results:
        for e in r.evidence:
            assert page[e.start : e.end] == e.text  # offsets still point at what is quoted
            assert all(0 <= a < b <= len(e.text) for a, b in e.highlights)
    report_size = len(json.dumps([e.text for r in results for e in r.evidence]))
    assert report_size < 20 * MAX_PASSAGE_CHARS * 2


def test_an_article_has_an_evidence_budget() -> None:
    page = unpunctuated(50_000)
    documents = {"1": Document(url="http://127.0.0.1:9/p", text=page)}
    matcher = ClaimMatcher()
    claims = [
        Claim(index=i, text="The harbour ships carried grain and timber.", line=i)
        for i in range(10)
    ]
    results = limit_evidence(
        [matcher.match(c, documents, ("1",)) for c in claims], documents, 2_000
    )
    lengths = [max(len(e.text) for e in r.evidence) for r in results]
    assert max(lengths[:1]) > EVIDENCE_CUT  # the first claims quote in full
    assert max(lengths[-3:]) <= EVIDENCE_CUT
    for r in results:
        for e in r.evidence:
            assert page[e.start : e.end] == e.text  # a cut passage still points at its text


def test_the_budget_does_not_depend_on_the_order_claims_were_judged_in() -> None:
    """Claims are judged as their sources arrive, in no fixed order: which passages are cut
    is decided afterwards, in the article's order."""
    page = unpunctuated(50_000)
    documents = {"1": Document(url="http://127.0.0.1:9/p", text=page)}
    claims = [
        Claim(index=i, text=f"The harbour ships carried {i} tons of grain and timber.", line=i)
        for i in range(12)
    ]
    forward = ClaimMatcher()
    in_order = [forward.match(c, documents, ("1",)) for c in claims]
    backward = ClaimMatcher()
    reversed_ = [backward.match(c, documents, ("1",)) for c in reversed(claims)][::-1]
    assert limit_evidence(in_order, documents, 3_000) == limit_evidence(reversed_, documents, 3_000)
