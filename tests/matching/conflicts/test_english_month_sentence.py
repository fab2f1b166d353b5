"""A claim's month against the one month of the passage's sentence that says the rest, in
whatever slot the sentence puts it ("sent him in August" against "sent the bill to Mayor
Doyle in June"); a sentence with two months is left alone."""

from __future__ import annotations

from council import verdict

from verify.models import Verdict

PAGE = (
    "Mayor vetoes housing bill. Mayor Colin Doyle did not sign the housing bill, which the "
    "council had sent him in August. The council also delayed a vote on the new stadium."
)


def test_another_month_in_the_sentence_that_says_the_rest_is_a_contradiction() -> None:
    claim = "The council sent the housing bill to Mayor Doyle in June."
    assert verdict(claim, PAGE) == (Verdict.UNSUPPORTED, "date")


def test_the_same_month_stays_supported() -> None:
    claim = "The council sent the housing bill to Mayor Doyle in August."
    assert verdict(claim, PAGE) == (Verdict.SUPPORTED, None)


def test_a_sentence_with_two_months_names_neither() -> None:
    page = PAGE.replace("in August", "in August, after a draft in March")
    _, named = verdict("The council sent the housing bill to Mayor Doyle in June.", page)
    assert named is None
