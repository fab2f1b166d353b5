"""A word whose opposite the passage has is the word that differs: it does not count against
the passage being about the claim, any more than a differing number does (否决 where the
page says "passed", 支持 where it says "voted against", 下降 where it says "rose")."""

from __future__ import annotations

import pytest
from council import verdict

from verify.models import Verdict

PAGE = (
    "Town budget passes after long night. After six hours of debate, the Millbrook town "
    "council passed the 2025 budget on Wednesday. Councillor Priya Nair voted against the "
    "budget, saying it ignored the libraries. Doyle praised Nair for her work on the library "
    "report. Visits to the libraries rose by 8 percent last year."
)


@pytest.mark.parametrize(
    "claim",
    [
        "镇议会否决了2025年预算。",
        "议员Priya Nair支持该预算。",
        "Doyle批评了Nair在图书馆报告上的工作。",
        "Doyle criticised Nair for her work on the library report.",
        "去年图书馆访问量下降了8%。",
    ],
)
def test_a_claim_whose_word_the_page_says_the_opposite_of_is_contradicted(claim: str) -> None:
    assert verdict(claim, PAGE) == (Verdict.UNSUPPORTED, "antonym")


@pytest.mark.parametrize(
    "claim",
    [
        "镇议会通过了2025年预算。",
        "议员Priya Nair投票反对该预算。",
        "Doyle praised Nair for her work on the library report.",
    ],
)
def test_the_page_s_own_words_stay_supported(claim: str) -> None:
    assert verdict(claim, PAGE) == (Verdict.SUPPORTED, None)
