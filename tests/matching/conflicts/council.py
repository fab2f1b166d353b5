"""The pages the contradiction tests read, written for these tests: a council page in English
and one in Chinese, and a claim's verdict against one of them with the kind of contradiction
named, if any."""

from __future__ import annotations

from verify.matching.match import match_claims
from verify.models import Claim, Document, Verdict

PAGE = (
    "Riverside council backs bike lane plan. "
    "The Riverside city council approved the bike lane plan 7–2 on Tuesday night. "
    "The first segment, along Harbor Avenue, will open in September, and the full 42 km "
    "network is due to be finished in 2027. "
    "Maria Okafor, the city's transport director, led the project from its start. "
    "Okafor hired Daniel Reyes as chief engineer in 2021. "
    "The plan was first proposed in Nov. 2018, and the design work ran through the 2018–19 "
    "budget year. Council member Ann Paterson voted against it."
)
ZH_PAGE = (
    "里弗赛德市议会周二以七票对两票批准了自行车道计划。新路段将于九月开放，"
    "整个路网长四十二公里，预算为五千万元，占交通预算的百分之九。"
    "该计划由玛丽亚·奥卡福领导。计划于2024年8月首次提出。"
)


def verdict(claim: str, page: str = PAGE) -> tuple[Verdict, str | None]:
    docs = {"1": Document(url="https://example.org/council", text=page)}
    [res] = match_claims([Claim(0, claim, 1, ("1",))], docs, {0: ["1"]})
    return res.verdict, res.conflict.kind if res.conflict else None
