"""English contradictions by negation and antonym, and a true claim left alone."""

from __future__ import annotations

import pytest
from council import verdict

from verify.models import Verdict


@pytest.mark.parametrize(
    ("claim", "kind"),
    [
        ("The council did not approve the plan.", "negation"),
        ("The council never voted on the bike lane plan.", "negation"),
        ("The first segment on Harbor Avenue would not open in September.", "negation"),
        ("The Riverside city council rejected the bike lane plan.", "antonym"),
        ("The Riverside city council voted down the bike lane plan.", "antonym"),
        ("The Riverside city council turned down the bike lane plan.", "antonym"),
        ("The first segment, along Harbor Avenue, will shut down in September.", "antonym"),
        ("Council member Ann Paterson voted for the plan.", "antonym"),  # voted against it
    ],
)
def test_contradicted_claims_are_unsupported_and_say_why(claim: str, kind: str) -> None:
    got, named = verdict(claim)
    assert got is Verdict.UNSUPPORTED
    assert named == kind


def test_what_the_page_says_stays_supported() -> None:
    claim = "The Riverside city council approved the bike lane plan 7–2."
    assert verdict(claim) == (Verdict.SUPPORTED, None)


def test_a_phrasal_verb_in_the_passage_is_read_as_what_it_means() -> None:
    page = "The council voted down the harbour plan on Tuesday. The vote was 6-3."
    assert verdict("The council approved the harbour plan on Tuesday.", page) == (
        Verdict.UNSUPPORTED,
        "antonym",
    )
    assert verdict("The council voted down the harbour plan on Tuesday.", page) == (
        Verdict.SUPPORTED,
        None,
    )


REGATTA = (
    "The regatta ended on Sunday. Ana Ruiz, who is 31 years old, took first place. "
    "Tom Kell, who is 45 years old, came second. Lea Marsh, who is 52 years old, was third."
)


def test_a_claim_listing_facts_told_in_several_sentences_is_not_contradicted_by_each() -> None:
    """Each sentence lacks the other people's ages: within the best window only a date that
    differs in the sentence saying the rest is a contradiction, not a number."""
    listed = (
        "The podium went to Ana Ruiz, who is {}, Tom Kell, who is {}, and Lea Marsh, who is {}."
    )
    ages = ("31 years old", "45 years old", "52 years old")
    assert verdict(listed.format(*ages), REGATTA) == (Verdict.SUPPORTED, None)
    wrong = ("31 years old", "47 years old", "52 years old")
    assert verdict(listed.format(*wrong), REGATTA) == (Verdict.UNSUPPORTED, "number")
