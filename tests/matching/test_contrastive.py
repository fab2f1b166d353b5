"""Contrastive fixtures: each kind of contradiction, in English, in Chinese against Chinese
sources and in Chinese against English sources.

tests/data/contrastive.jsonl holds pairs written for this project: a claim its one-sentence
source supports, and a minimal edit of it (a negation, an opposite, another number, date or
name, swapped roles) that the same source does not. The floor is pinned per language and
kind: at least 8 of each 10 edited claims not supported, and 8 of each 10 originals still
supported.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.accuracy import evaluate  # noqa: E402
from verify.matching.match import DEFAULT_THRESHOLDS, assess_claim  # noqa: E402
from verify.models import CONFLICT_KINDS  # noqa: E402

FIXTURES = ROOT / "tests" / "data" / "contrastive.jsonl"
FLOOR = 8  # of 10
LANGS = ("en", "zh", "zh-en")


def _rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines()]


def test_fixtures_cover_every_kind_in_every_language() -> None:
    counts = Counter((r["lang"], r["kind"], r["label"]) for r in _rows())
    for lang in LANGS:
        for kind in CONFLICT_KINDS:
            assert counts[(lang, kind, "supported")] >= 10, (lang, kind)
            assert counts[(lang, kind, "not_supported")] >= 10, (lang, kind)


@pytest.fixture(scope="module")
def per_kind() -> dict[str, dict[str, int]]:
    [summary] = evaluate([str(FIXTURES)], peer=False, timing=1)
    kinds = summary["kinds"]
    assert isinstance(kinds, dict)
    return kinds


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_floor_per_kind(per_kind: dict[str, dict[str, int]], lang: str, kind: str) -> None:
    got = per_kind[f"{lang} {kind}"]
    assert got["rejected"] >= FLOOR * got["edited"] / 10, got
    assert got["kept"] >= FLOOR * got["originals"] / 10, got


def test_most_edits_are_named_as_the_conflict_they_are() -> None:
    # the verdict alone could come from a low score; the report should also say why
    named = Counter()
    total = Counter()
    for r in _rows():
        if r["label"] != "not_supported" or r["lang"] == "zh-en":
            continue
        a = assess_claim(str(r["claim"]), list(r["evidence"]))  # type: ignore[arg-type]
        assert a is not None
        total[r["kind"]] += 1
        if a.conflict is not None and a.score < DEFAULT_THRESHOLDS.partial:
            named[r["kind"]] += a.conflict.kind in (r["kind"], "date", "number")
    for kind in CONFLICT_KINDS:
        assert named[kind] >= 0.7 * total[kind], (kind, named[kind], total[kind])
