"""Contradictions named, Chinese sources read, and the small matching bugs of issue 12.

The texts are written for these tests: a council page in English and one in Chinese.
"""

from __future__ import annotations

import pytest

from verify.matching.match import DEFAULT_THRESHOLDS, assess_claim, match_claims
from verify.models import Claim, Document, Verdict

PAGE = (
    "Riverside council backs bike lane plan. "
    "The Riverside city council approved the bike lane plan 7–2 on Tuesday night. "
    "The first segment, along Harbor Avenue, will open in September, and the full 42 km "
    "network is due to be finished in 2027. "
    "Maria Okafor, the city's transport director, led the project from its start. "
    "Okafor hired Daniel Reyes as chief engineer in 2021. "
    "The plan was first proposed in Nov. 2018, and the design work ran through the 2018–19 "
    "budget year. Council member Ann Paterson voted against it."
)
ZH_PAGE = (
    "里弗赛德市议会周二以七票对两票批准了自行车道计划。新路段将于九月开放，"
    "整个路网长四十二公里，预算为五千万元，占交通预算的百分之九。"
    "该计划由玛丽亚·奥卡福领导。计划于2024年8月首次提出。"
)


def _verdict(claim: str, page: str = PAGE) -> tuple[Verdict, str | None]:
    docs = {"1": Document(url="https://example.org/council", text=page)}
    [res] = match_claims([Claim(0, claim, 1, ("1",))], docs, {0: ["1"]})
    return res.verdict, res.conflict.kind if res.conflict else None


@pytest.mark.parametrize(
    ("claim", "kind"),
    [
        ("The council did not approve the plan.", "negation"),
        ("The council never voted on the bike lane plan.", "negation"),
        ("The first segment on Harbor Avenue would not open in September.", "negation"),
        ("The Riverside city council rejected the bike lane plan.", "antonym"),
        ("The council voted 9 to 0 for the bike lane plan.", "number"),
        ("The full network is due to be finished in 2028.", "date"),
        ("The first segment on Harbor Avenue will open in December.", "date"),
        ("Maria Okonkwo led the project from its start.", "name"),
        ("The Boston city council approved the bike lane plan.", "name"),
        ("Daniel Reyes hired Maria Okafor as chief engineer.", "role"),
    ],
)
def test_contradicted_claims_are_unsupported_and_say_why(claim: str, kind: str) -> None:
    verdict, got = _verdict(claim)
    assert verdict is Verdict.UNSUPPORTED
    assert got == kind


@pytest.mark.parametrize(
    "claim",
    [
        "The Riverside city council approved the bike lane plan 7–2.",
        "Maria Okafor led the project from its start.",
        "Okafor hired Daniel Reyes as chief engineer.",
        # the bugs: abbreviated months, short year ranges, a one-letter name variant
        "The plan was first proposed in November 2018.",
        "The design work ran through the 2018-2019 budget year.",
        "Council member Ann Patterson voted against it.",
    ],
)
def test_what_the_page_says_stays_supported(claim: str) -> None:
    assert _verdict(claim) == (Verdict.SUPPORTED, None)


def test_a_wrong_number_is_a_conflict_not_partial_support() -> None:
    verdict, kind = _verdict("The full 24 km network is due to be finished in 2027.")
    assert (verdict, kind) == (Verdict.UNSUPPORTED, "number")


def test_a_chinese_claim_copied_from_a_chinese_page_is_supported_with_that_passage() -> None:
    claim = "里弗赛德市议会周二以七票对两票批准了自行车道计划。"
    a = assess_claim(claim, ZH_PAGE)
    assert a is not None and a.score >= DEFAULT_THRESHOLDS.supported
    start, end = a.span
    assert "批准了自行车道计划" in a.doc.text[start:end]
    assert len(a.scored.found) == len(a.units.units)


@pytest.mark.parametrize(
    "claim",
    [
        "預算為5000萬元。",  # Traditional characters, Arabic digits and 万
        "预算占交通预算的9%。",  # 百分之九
        "议会以7票对2票批准了计划。",  # 七 / 两
        "该计划于2024年8月首次提出。",
        "新路段将于9月开放。",
    ],
)
def test_chinese_numbers_and_scripts_compare_equal(claim: str) -> None:
    a = assess_claim(claim, ZH_PAGE)
    assert a is not None
    assert a.conflict is None
    assert a.score >= DEFAULT_THRESHOLDS.supported, [u.text for u in a.units.units]


@pytest.mark.parametrize(
    ("claim", "kind"),
    [
        ("里弗赛德市议会没有批准自行车道计划。", "negation"),
        ("里弗赛德市议会否决了自行车道计划。", "antonym"),
        ("新路段将于十二月开放。", "date"),
        ("预算为八千万元。", "number"),
        ("该计划由玛丽亚·奥孔克沃领导。", "name"),
    ],
)
def test_chinese_contradictions(claim: str, kind: str) -> None:
    verdict, got = _verdict(claim, ZH_PAGE)
    assert verdict is Verdict.UNSUPPORTED
    assert got == kind
