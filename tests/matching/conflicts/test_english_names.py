"""English names and roles: another name in the same slot, or the same two people the other
way round, is a contradiction; the same name told longer, shorter or spelt one letter
otherwise (a bug of issue 12) is not."""

from __future__ import annotations

import pytest
from council import verdict

from verify.models import Verdict


@pytest.mark.parametrize(
    ("claim", "kind"),
    [
        ("Maria Okonkwo led the project from its start.", "name"),
        ("The Boston city council approved the bike lane plan.", "name"),
        ("Daniel Reyes hired Maria Okafor as chief engineer.", "role"),
    ],
)
def test_contradicted_claims_are_unsupported_and_say_why(claim: str, kind: str) -> None:
    got, named = verdict(claim)
    assert got is Verdict.UNSUPPORTED
    assert named == kind


@pytest.mark.parametrize(
    "claim",
    [
        "Maria Okafor led the project from its start.",
        "Okafor hired Daniel Reyes as chief engineer.",
        # the bug: a one-letter name variant
        "Council member Ann Patterson voted against it.",
    ],
)
def test_what_the_page_says_stays_supported(claim: str) -> None:
    assert verdict(claim) == (Verdict.SUPPORTED, None)
