"""The month May (a stop word as the verb "may") and the days of the week: "in May 2026"
against "in July 2026" is a wrong date, the verb "may" in a passage is no month, and 周五
against "on Monday" is a wrong day."""

from __future__ import annotations

import pytest
from council import verdict

from verify.models import Verdict

MAY = (
    "The ferry timetable changes this year. The new evening ferry will start running in "
    "May 2026, the port said. Fares may rise later."
)
JULY = MAY.replace("May 2026", "July 2026")
MONDAY = "The ferry board met this week. The board approved the new timetable on Monday."


@pytest.mark.parametrize(
    ("claim", "page", "kind"),
    [
        ("The new evening ferry will start running in May 2026.", JULY, "date"),
        ("The new evening ferry will start running by May.", JULY, "date"),
        ("The new evening ferry will start running in June 2026.", MAY, "date"),
        ("新的夜间渡轮将于2026年6月开始运行。", MAY, "date"),
        ("董事会周五批准了新的时刻表。", MONDAY, "date"),
        ("董事会週五批准了新的時刻表。", MONDAY, "date"),
    ],
)
def test_another_month_or_day_is_a_contradiction(claim: str, page: str, kind: str) -> None:
    assert verdict(claim, page) == (Verdict.UNSUPPORTED, kind)


@pytest.mark.parametrize(
    ("claim", "page"),
    [
        ("The new evening ferry will start running in May 2026.", MAY),
        ("The new evening ferry will start running in May.", MAY),
        ("Fares may rise later, the port said.", MAY),
        ("新的夜间渡轮将于2026年5月开始运行。", MAY),
        ("董事会周一批准了新的时刻表。", MONDAY),
    ],
)
def test_the_same_month_or_day_stays_supported(claim: str, page: str) -> None:
    assert verdict(claim, page) == (Verdict.SUPPORTED, None)
