"""Who did what to whom in the passive: 甲被乙任命 (乙 appointed 甲) against Chinese and
English passages in either voice, with a title between 被 or "by" and the person, and the
English passive with the agent a few words after the verb."""

from __future__ import annotations

import pytest
from council import verdict

from verify.models import Verdict

ZH_ACTIVE = "学区任命了新经理。学监帕特尔任命陈露西为项目经理。"
ZH_PASSIVE = "学区任命了新经理。陈露西被学监帕特尔任命为项目经理。"
EN_ACTIVE = (
    "The district named a new manager. Superintendent Raj Patel appointed Lucy Chen as project "
    "manager on Friday."
)
EN_PASSIVE = (
    "The district named a new manager. Lucy Chen was appointed project manager by "
    "Superintendent Raj Patel on Friday."
)


@pytest.mark.parametrize("page", [ZH_ACTIVE, ZH_PASSIVE])
@pytest.mark.parametrize(
    ("claim", "kind"),
    [
        ("帕特尔被陈露西任命为项目经理。", "role"),
        ("陈露西任命帕特尔为项目经理。", "role"),
        ("陈露西被帕特尔任命为项目经理。", None),
        ("帕特尔任命陈露西为项目经理。", None),
    ],
)
def test_chinese_roles_in_either_voice(claim: str, kind: str | None, page: str) -> None:
    got, named = verdict(claim, page)
    assert named == kind
    assert (got is Verdict.UNSUPPORTED) == (kind is not None)


@pytest.mark.parametrize("page", [EN_ACTIVE, EN_PASSIVE])
@pytest.mark.parametrize(
    ("claim", "kind"),
    [
        ("Raj Patel被Lucy Chen任命为项目经理。", "role"),
        ("Lucy Chen任命Raj Patel为项目经理。", "role"),
        ("Lucy Chen appointed Raj Patel as project manager.", "role"),
        ("Raj Patel was appointed project manager by Lucy Chen.", "role"),
        ("Lucy Chen被Raj Patel任命为项目经理。", None),
        ("Raj Patel任命Lucy Chen为项目经理。", None),
        ("Raj Patel appointed Lucy Chen as project manager.", None),
    ],
)
def test_roles_against_an_english_page_in_either_voice(
    claim: str, kind: str | None, page: str
) -> None:
    got, named = verdict(claim, page)
    assert named == kind
    assert (got is Verdict.UNSUPPORTED) == (kind is not None)
