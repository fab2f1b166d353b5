"""Opposites by class, in all three pairings: going up against going down (rose / dropped,
增长 / 减少), approving against opposing or voting against (批准 / 反对), appointing against
firing, and 通过了 ("passed", a stop word elsewhere) against rejecting; true claims left alone."""

from __future__ import annotations

import pytest
from council import verdict

from verify.models import Verdict

PAGE = (
    "Hillcrest parks committee meets. The parks committee approved a new skateboard park on "
    "Thursday. Visitor numbers at the lake rose by 6 percent last summer. Director Nadia Fox "
    "appointed Omar Hale as head gardener. The committee rejected a plan to sell the old "
    "boathouse."
)
ZH_PAGE = (
    "山城公园委员会周四批准了新的滑板公园。去年夏天湖边的游客人数增长了百分之六。"
    "委员会否决了出售旧船屋的计划。"
)


@pytest.mark.parametrize(
    ("claim", "page"),
    [
        ("Visitor numbers at the lake dropped by 6 percent last summer.", PAGE),
        ("Visitor numbers at the lake decreased by 6 percent last summer.", PAGE),
        ("The parks committee voted against a new skate park on Thursday.", PAGE),
        ("The parks committee opposed a new skate park on Thursday.", PAGE),
        ("Director Nadia Fox fired Omar Hale as head gardener.", PAGE),
        ("The committee passed a plan to sell the old boathouse.", PAGE),
        ("公园委员会周四投票反对新的滑板公园。", PAGE),
        ("委员会通过了出售旧船屋的计划。", PAGE),
        ("山城公园委员会周四投票反对新的滑板公园。", ZH_PAGE),
        ("委员会通过了出售旧船屋的计划。", ZH_PAGE),
        ("委员会同意了出售旧船屋的计划。", ZH_PAGE),
        ("去年夏天湖边的游客人数下降了百分之六。", ZH_PAGE),
    ],
)
def test_a_word_against_its_opposite_is_unsupported(claim: str, page: str) -> None:
    assert verdict(claim, page) == (Verdict.UNSUPPORTED, "antonym")


@pytest.mark.parametrize(
    ("claim", "page"),
    [
        ("Visitor numbers at the lake rose by 6 percent last summer.", PAGE),
        ("The parks committee approved a new skate park on Thursday.", PAGE),
        ("Director Nadia Fox appointed Omar Hale as head gardener.", PAGE),
        ("The committee rejected a plan to sell the old boathouse.", PAGE),
        ("委员会拒绝了出售旧船屋的计划。", PAGE),
        ("委员会否决了出售旧船屋的计划。", ZH_PAGE),
        ("山城公园委员会周四批准了新的滑板公园。", ZH_PAGE),
        ("去年夏天湖边的游客人数增长了百分之六。", ZH_PAGE),
    ],
)
def test_what_the_page_says_stays_supported(claim: str, page: str) -> None:
    assert verdict(claim, page) == (Verdict.SUPPORTED, None)


WELCOME = (
    "Harbor school expands. The Harbor school board approved a new science wing in "
    "September 2024. Principal Grace Lund welcomed the vote. Parents opposed a plan to "
    "shorten the school day."
)
ZH_WELCOME = "港湾学校扩建。港湾学校董事会于2024年9月批准了新的科学楼。家长反对缩短上课时间的计划。"


@pytest.mark.parametrize(
    ("claim", "page", "expected"),
    [
        ("Principal Grace Lund criticised the vote.", WELCOME, (Verdict.UNSUPPORTED, "antonym")),
        ("Principal Grace Lund welcomed the vote.", WELCOME, (Verdict.SUPPORTED, None)),
        ("家长赞成缩短上课时间的计划。", ZH_WELCOME, (Verdict.UNSUPPORTED, "antonym")),
        ("家长反对缩短上课时间的计划。", ZH_WELCOME, (Verdict.SUPPORTED, None)),
    ],
)
def test_welcoming_and_favouring_against_criticising_and_opposing(
    claim: str, page: str, expected: tuple[Verdict, str | None]
) -> None:
    assert verdict(claim, page) == expected
