"""Chinese claims against the English council page: contradicted through the claim's English
glosses by negation, antonym, name or role, and left alone when the page says the same."""

from __future__ import annotations

import pytest
from council import verdict

from verify.models import Verdict


@pytest.mark.parametrize(
    ("claim", "kind"),
    [
        ("市议会没有批准自行车道计划。", "negation"),
        ("市议会从未批准自行车道计划。", "negation"),
        ("市议会并未通过自行车道计划。", "negation"),  # 通过 unread: the plan is what was not
        ("市议会周二拒绝了自行车道计划。", "antonym"),  # to reject, against "approved"
        ("第一段将于十二月开放。", "date"),  # September
        ("议员Ann Paterson投票支持该计划。", "antonym"),  # to support, against "voted against"
        # the page has "2018–19" too, but the sentence on the hiring says 2021
        ("Maria Okafor于2019年雇用了Daniel Reyes。", "date"),
        ("第一段将于九月关闭。", "antonym"),  # close, against "will open"
        ("Okafor解雇了Daniel Reyes。", "antonym"),  # dismiss, against "hired"
        ("Maria Okonkwo领导了这个项目。", "name"),
        ("Boston市议会批准了自行车道计划。", "name"),
        ("Daniel Reyes雇用了Maria Okafor。", "role"),
    ],
)
def test_contradicted_claims_are_unsupported_and_say_why(claim: str, kind: str) -> None:
    got, named = verdict(claim)
    assert got is Verdict.UNSUPPORTED
    assert named == kind


@pytest.mark.parametrize(
    "claim",
    [
        "市议会批准了自行车道计划。",
        "第一段将于九月开放。",
        "Maria Okafor领导了这个项目。",
        "Maria Okafor雇用了Daniel Reyes。",
        "Okafor于2021年雇用了Daniel Reyes。",
        # 网络 is "Internet" first in the dictionary, and "network" too: a word, not a name
        "整个42公里的网络将于2027年完工。",
    ],
)
def test_what_the_page_says_stays_supported(claim: str) -> None:
    assert verdict(claim) == (Verdict.SUPPORTED, None)


VOTE_PAGE = (
    "The council approved the bridge budget on Tuesday. The mayor did not attend the vote. "
    "Engineers expect the work to start in spring."
)


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        ("市长没有出席投票。", None),
        ("市长拒绝出席投票。", None),  # refused to attend: did not attend
        ("市长出席了投票。", "negation"),
        # the page's negation is about the mayor, not the budget
        ("议会在周二并未通过桥梁预算。", "negation"),
        ("议会在周二拒绝了桥梁预算。", "antonym"),
    ],
)
def test_a_negation_is_read_in_its_own_sentence(claim: str, expected: str | None) -> None:
    got, named = verdict(claim, VOTE_PAGE)
    assert named == expected
    assert (got is Verdict.UNSUPPORTED) == (expected is not None)
