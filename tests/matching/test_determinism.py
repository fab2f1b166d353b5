"""The same claim and page give the same result in every run, whatever Python's hash seed.

Where a check could name one of several words (opposites, negated words, verbs, a number's
keys), iterating a set would pick one by the seed. Each seed runs in its own interpreter,
since the seed is fixed when the interpreter starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from verify.matching.match import assess_claim

CONTRASTIVE = Path(__file__).parent.parent / "data" / "contrastive.jsonl"
SEEDS = ("0", "1", "2", "3")

# (claim, passage): each where a check has more than one word it could name.
CASES: list[tuple[str, str]] = [
    # Chinese: 增长's two opposites, both in the passage
    ("去年这家工厂的产量大幅增长", "去年这家工厂的产量大幅减少，出口也下降了。"),
    ("去年这家工厂的产量大幅增长", "去年这家工厂的出口下降了，产量也大幅减少。"),
    # Chinese: two one-character words right after the negation (去, 找)
    ("他没去找工作", "他去找工作了。"),
    ("她上周没去找那位医生", "她上周去找那位医生了。"),
    ("公司今年不会扩大规模", "公司今年会扩大规模。"),
    ("该市的人口在十年间增加了", "十年间该市的人口减少了，学校也关闭了几所。"),
    ("新图书馆于2021年开放", "新图书馆于2019年开放，旧馆随后关闭。"),
    # English: a number whose keys include one that passes for a year (2 thousand, 2000)
    (
        "The club sold 2 thousand tickets for the final.",
        "The club sold 3,500 tickets for the final in 2019.",
    ),
    ("The fund raised 1 thousand dollars in June.", "The fund raised 4,000 dollars in June."),
    ("The museum rose in popularity in May.", "The museum fell in popularity in June."),
    (
        "The board did not approve the harbour plan.",
        "The board approved the harbour plan in March.",
    ),
    ("Lena Varga hired Tomas Brenner as coach.", "Tomas Brenner hired Lena Varga as coach."),
    # Chinese claim, English passage: several glosses, several opposites
    (
        "市议会今年增加了学校预算",
        "This year the city council reduced the school budget and cut park spending.",
    ),
    (
        "市议会今年增加了学校预算",
        "This year the city council cut the school budget and reduced park spending.",
    ),
    ("市议会没有批准学校预算", "The city council approved the school budget."),
]


def _inputs() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in CONTRASTIVE.read_text(encoding="utf-8").splitlines()]
    return CASES + [(r["claim"], " ".join(r["evidence"])) for r in rows]


# Judges each (claim, passage) through match_claims, as the pipeline does, and prints every
# part of the result a report shows.
_RUN = """
import json, sys
from verify.matching.match import match_claims
from verify.models import Claim, Document

for claim, passage in json.load(sys.stdin):
    doc = Document("https://example.test/page", passage)
    r = match_claims([Claim(0, claim, 1, ("p",))], {"p": doc}, {0: ("p",)})[0]
    c = r.conflict
    print(json.dumps([
        claim, r.verdict.value, repr(r.score),
        c and [c.kind, c.claim_text, c.source_text],
        [[e.text, e.start, e.end, list(e.highlights), repr(e.score)] for e in r.evidence],
        r.found, r.missing, r.note,
    ], ensure_ascii=False))
"""


def _run(seed: str, cases: list[tuple[str, str]]) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _RUN],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_results_are_the_same_under_every_hash_seed() -> None:
    cases = _inputs()
    outputs = {seed: _run(seed, cases) for seed in SEEDS}
    first = outputs[SEEDS[0]].splitlines()
    assert len(first) == len(cases)
    for seed in SEEDS[1:]:
        other = outputs[seed].splitlines()
        differ = [
            f"{a}\n  vs (seed {seed})\n{b}" for a, b in zip(first, other, strict=True) if a != b
        ]
        assert not differ, "\n".join(differ[:5])
    # the cases do reach the conflict checks (a contradiction is named for most of them)
    named = sum(json.loads(line)[3] is not None for line in first[: len(CASES)])
    assert named >= len(CASES) - 2, first[: len(CASES)]


# In-process: which of several candidates is named, by where it stands in the text.
@pytest.mark.parametrize(
    ("passage", "named"),
    [
        ("去年这家工厂的产量大幅减少，出口也下降了。", "减少"),
        ("去年这家工厂的出口下降了，产量也大幅减少。", "下降"),
    ],
)
def test_of_several_opposites_the_one_the_passage_gives_first_is_named(
    passage: str, named: str
) -> None:
    a = assess_claim("去年这家工厂的产量大幅增长", passage)
    assert a is not None and a.conflict is not None
    assert (a.conflict.kind, a.conflict.claim_text, a.conflict.source_text) == (
        "antonym",
        "增长",
        named,
    )


@pytest.mark.parametrize(
    ("passage", "named"),
    [
        ("This year the city council reduced the school budget and cut park spending.", "reduced"),
        ("This year the city council cut the school budget and reduced park spending.", "cut"),
    ],
)
def test_through_the_glosses_the_opposite_the_passage_gives_first_is_named(
    passage: str, named: str
) -> None:
    a = assess_claim("市议会今年增加了学校预算", passage)
    assert a is not None and a.conflict is not None
    assert (a.conflict.kind, a.conflict.source_text) == ("antonym", named)


def test_of_two_negated_words_as_long_the_nearer_is_named() -> None:
    a = assess_claim("他没去找工作", "他去找工作了。")
    assert a is not None and a.conflict is not None
    assert (a.conflict.kind, a.conflict.claim_text, a.conflict.source_text) == (
        "negation",
        "没去",
        "去",
    )


def test_a_number_with_a_scale_word_is_compared_as_written_not_as_a_year() -> None:
    # "2 thousand" is also 2000, which alone would read as a year and miss the count
    a = assess_claim(
        "The club sold 2 thousand tickets for the final.",
        "The club sold 3,500 tickets for the final in 2019.",
    )
    assert a is not None and a.conflict is not None
    assert (a.conflict.kind, a.conflict.claim_text, a.conflict.source_text) == (
        "number",
        "2 thousand",
        "3,500 tickets",
    )
