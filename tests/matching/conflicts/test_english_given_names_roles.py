"""Another given name before the same surname ("Anita Nair" where the page has "Priya Nair",
after the same title), not when the initial is the same (a nickname or an initial may be the
same person); and who did what to whom when the claim opens with a one-word name ("Nair
praised Doyle")."""

from __future__ import annotations

import pytest
from council import verdict

from verify.models import Verdict

PAGE = (
    "Town budget passes after long night. Councillor Priya Nair voted against the budget, "
    "saying it ignored the libraries. Mayor Tom Briggs did not attend the meeting. Doyle "
    "praised Nair for her work on the library report."
)


@pytest.mark.parametrize(
    ("claim", "kind"),
    [
        ("Councillor Anita Nair voted against the budget.", "name"),
        ("Mayor Ann Briggs did not attend the meeting.", "name"),
        ("Nair praised Doyle for his work on the library report.", "role"),
    ],
)
def test_another_person_is_a_contradiction(claim: str, kind: str) -> None:
    assert verdict(claim, PAGE) == (Verdict.UNSUPPORTED, kind)


@pytest.mark.parametrize(
    "claim",
    [
        "Councillor Priya Nair voted against the budget.",
        "Mayor Thomas Briggs did not attend the meeting.",
        "Doyle praised Nair for her work on the library report.",
    ],
)
def test_the_same_person_is_not(claim: str) -> None:
    got, named = verdict(claim, PAGE)
    assert named is None
    assert got is not Verdict.UNSUPPORTED
