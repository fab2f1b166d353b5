"""A Chinese negation whose predicate is a stop word before a number (没有通过2025年预算:
通过 is no unit, 2025年 is what the negation reaches first) against a Chinese page that
says the opposite; and a year in Chinese numerals (二〇二五年) read as one number."""

from __future__ import annotations

import pytest
from council import verdict

from verify.models import Verdict

PAGE = (
    "米尔布鲁克镇议会经过六个小时的辩论，周三通过了2025年预算。"
    "预算拨出三百二十万美元用于道路维修。房产税将在2025年上涨百分之二。"
)


@pytest.mark.parametrize(
    "claim",
    [
        "米尔布鲁克镇议会周三没有通过2025年预算。",
        "米爾布魯克鎮議會週三並未通過2025年預算。",
        "米尔布鲁克镇议会周三未能通过2025年预算。",
        "米尔布鲁克镇议会周三尚未通过二〇二五年预算。",
    ],
)
def test_a_negation_before_a_number_is_a_contradiction(claim: str) -> None:
    assert verdict(claim, PAGE) == (Verdict.UNSUPPORTED, "negation")


@pytest.mark.parametrize(
    "claim",
    [
        "米尔布鲁克镇议会周三通过了二〇二五年预算。",
        "米尔布鲁克镇议会周三通过了2025年预算。",
    ],
)
def test_the_page_s_own_words_stay_supported(claim: str) -> None:
    assert verdict(claim, PAGE) == (Verdict.SUPPORTED, None)


def test_a_year_in_chinese_numerals_against_another_is_a_date() -> None:
    assert verdict("米尔布鲁克镇议会周三通过了二〇二四年预算。", PAGE) == (
        Verdict.UNSUPPORTED,
        "date",
    )


def test_more_than_is_no_negation() -> None:
    """不止 is "more than", not a denial."""
    page = "新公园今年春天开放。公园里有三座雕像和一个喷泉。"
    got, named = verdict("公园里不止有一座雕像。", page)
    assert named is None
    assert got is not Verdict.UNSUPPORTED
