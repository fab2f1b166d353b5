"""Chinese claims against a Chinese page: read in either script and with either kind of
numeral, and contradicted by negation, antonym, date, number or name."""

from __future__ import annotations

import pytest
from council import ZH_PAGE, verdict

from verify.matching.match import DEFAULT_THRESHOLDS, assess_claim
from verify.models import Verdict


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
        ("里弗赛德市议会拒绝了自行车道计划。", "antonym"),  # a negation word, and a verb
        ("里弗赛德市议会周二并未通过新的自行车道计划。", "negation"),  # what was not passed
        # 九月 is in the passage too, but the sentence that says the rest says 8月
        ("计划于2024年9月首次提出。", "date"),
        ("新路段将于十二月开放。", "date"),
        ("预算为八千万元。", "number"),
        ("该计划由玛丽亚·奥孔克沃领导。", "name"),
    ],
)
def test_chinese_contradictions(claim: str, kind: str) -> None:
    got, named = verdict(claim, ZH_PAGE)
    assert got is Verdict.UNSUPPORTED
    assert named == kind


VOTE_PAGE = "一位不知名的工程师设计了这座桥。市长没有出席周二的投票。议会批准了桥梁预算。"


@pytest.mark.parametrize(
    "claim",
    [
        "市长没有出席周二的投票。",  # the page's own negation
        "市长拒绝出席周二的投票。",  # refused to attend: did not attend
        "一位工程师设计了这座桥。",  # 不 governs 知名, not the engineer five characters on
    ],
)
def test_negations_the_page_shares_or_that_deny_another_word_leave_a_claim_alone(
    claim: str,
) -> None:
    got, named = verdict(claim, VOTE_PAGE)
    assert named is None
    assert got is not Verdict.UNSUPPORTED
