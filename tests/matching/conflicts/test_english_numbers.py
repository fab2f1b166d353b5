"""English numbers, dates and months: another of the same kind in the passage is a
contradiction; the small matching bugs of issue 12 (abbreviated months, short year ranges)
stay fixed."""

from __future__ import annotations

import pytest
from council import verdict

from verify.models import Verdict


@pytest.mark.parametrize(
    ("claim", "kind"),
    [
        ("The council voted 9 to 0 for the bike lane plan.", "number"),
        ("The full network is due to be finished in 2028.", "date"),
        ("The first segment on Harbor Avenue will open in December.", "date"),
    ],
)
def test_contradicted_claims_are_unsupported_and_say_why(claim: str, kind: str) -> None:
    got, named = verdict(claim)
    assert got is Verdict.UNSUPPORTED
    assert named == kind


@pytest.mark.parametrize(
    "claim",
    [
        # the bugs: abbreviated months, short year ranges
        "The plan was first proposed in November 2018.",
        "The design work ran through the 2018-2019 budget year.",
    ],
)
def test_what_the_page_says_stays_supported(claim: str) -> None:
    assert verdict(claim) == (Verdict.SUPPORTED, None)


def test_a_wrong_number_is_a_conflict_not_partial_support() -> None:
    got = verdict("The full 24 km network is due to be finished in 2027.")
    assert got == (Verdict.UNSUPPORTED, "number")
