"""Property tests over the matcher: any text in, no exception out, results consistent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify.matching.match import match_claims, score_claim
from verify.models import Claim, Document, Verdict

# Latin, CJK, digits, punctuation and whitespace: the alphabet articles and pages are made of
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
        st.sampled_from(list("。，！？；：“”（）—…\n\t 0123456789%$")),
    ),
    max_size=300,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claim=TEXT, evidence=st.lists(TEXT, max_size=6))
def test_score_claim_never_raises_and_stays_in_range(claim: str, evidence: list[str]) -> None:
    score, best = score_claim(claim, evidence)
    assert 0.0 <= score <= 1.0
    if best is not None:
        assert 0.0 <= best.score <= 1.0
        for start, end in best.highlights:
            assert 0 <= start <= end <= len(best.text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims=st.lists(TEXT, min_size=1, max_size=5), pages=st.lists(TEXT, max_size=3))
def test_match_claims_is_total_and_consistent(claims: list[str], pages: list[str]) -> None:
    claim_objs = [Claim(index=i, text=t, line=i + 1) for i, t in enumerate(claims)]
    docs = {str(i + 1): Document(url=f"https://e{i}.test/", text=t) for i, t in enumerate(pages)}
    # every claim cites every page, plus one id that could not be read
    ids = (*docs, "missing")
    results = match_claims(claim_objs, docs, {c.index: ids for c in claim_objs})
    assert [r.claim for r in results] == claim_objs
    for r in results:
        assert 0.0 <= r.score <= 1.0
        assert list(r.evidence) == sorted(r.evidence, key=lambda e: -e.score)
        for ev in r.evidence:
            assert ev.reference in docs
            doc = docs[ev.reference]
            if ev.end > ev.start:
                assert 0 <= ev.start <= ev.end <= len(doc.text)
        if not docs:
            assert r.verdict is Verdict.UNVERIFIABLE
