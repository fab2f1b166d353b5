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
    ],
)
def test_what_the_page_says_stays_supported(claim: str) -> None:
    assert verdict(claim) == (Verdict.SUPPORTED, None)
