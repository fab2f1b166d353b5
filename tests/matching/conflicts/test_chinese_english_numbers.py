"""A Chinese claim's number against an English page: named as a contradiction where the
page's sentence that says the rest counts the same thing with another number (六万册 against
"80,000 books", 百分之二十 against "12 percent"), and 六万 read as one number however jieba
cuts it."""

from __future__ import annotations

import pytest
from council import verdict

from verify.models import Verdict

PAGE = (
    "The harbour museum reopened in spring. The museum library now holds 80,000 books and "
    "employs 45 guides. Ticket sales rose by 12 percent in the first month."
)


@pytest.mark.parametrize(
    "claim",
    [
        "博物馆图书馆现在藏书六万册。",
        "博物馆雇用了六十名导游。",
        "第一个月门票销售增长了百分之二十。",
        "第一个月门票销售增长了20%。",
    ],
)
def test_another_count_of_the_same_thing_is_a_contradiction(claim: str) -> None:
    assert verdict(claim, PAGE) == (Verdict.UNSUPPORTED, "number")


@pytest.mark.parametrize(
    "claim",
    [
        "博物馆图书馆现在藏书八万册。",
        "博物馆雇用了四十五名导游。",
        "博物馆雇用了45名导游。",
        "第一个月门票销售增长了百分之十二。",
    ],
)
def test_the_same_count_stays_supported(claim: str) -> None:
    assert verdict(claim, PAGE) == (Verdict.SUPPORTED, None)
