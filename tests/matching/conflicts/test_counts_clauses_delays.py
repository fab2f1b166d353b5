"""A count in words against another ("two hours" against "six hours"), a whole clause denied
("it is not true that the council passed it"), and backing against voting against, bringing
forward (提前) against delaying (推迟)."""

from __future__ import annotations

import pytest
from council import verdict

from verify.models import Verdict

PAGE = (
    "Town budget passes after long night. After six hours of debate, the Millbrook town "
    "council passed the 2025 budget on Wednesday. Councillor Priya Nair voted against the "
    "budget. Mayor Colin Doyle did not sign the housing bill."
)
ZH_PAGE = "议会还把新体育场的投票推迟到十月。"


@pytest.mark.parametrize(
    ("claim", "page", "kind"),
    [
        ("The council passed the 2025 budget after two hours of debate.", PAGE, "number"),
        ("It is not true that the council passed the 2025 budget.", PAGE, "negation"),
        ("It is not the case that the council passed the 2025 budget.", PAGE, "negation"),
        ("Councillor Nair backed the budget.", PAGE, "antonym"),
        ("议会还把新体育场的投票提前到十月。", ZH_PAGE, "antonym"),
    ],
)
def test_contradicted(claim: str, page: str, kind: str) -> None:
    assert verdict(claim, page) == (Verdict.UNSUPPORTED, kind)


@pytest.mark.parametrize(
    ("claim", "page"),
    [
        ("The council passed the 2025 budget after six hours of debate.", PAGE),
        ("The council passed the 2025 budget after 6 hours of debate.", PAGE),
        ("It is true that the council passed the 2025 budget.", PAGE),
        # both deny it: the page says he did not sign
        ("It is not true that Mayor Colin Doyle signed the housing bill.", PAGE),
        ("议会还把新体育场的投票推迟到十月。", ZH_PAGE),
    ],
)
def test_what_the_page_says_is_not_contradicted(claim: str, page: str) -> None:
    got, named = verdict(claim, page)
    assert named is None
    assert got is not Verdict.UNSUPPORTED
