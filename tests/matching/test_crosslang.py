"""Chinese claims against English sources: numbers, dictionary glosses, names, glossary.

The source pages here are written for these tests; they tell the same kind of story as the
demo article (a co-founder leaving for a rival, a president on leave, a lawsuit).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from verify.matching import cedict, crosslang
from verify.matching.claims import claim_units
from verify.matching.match import DEFAULT_THRESHOLDS, match_claims, score_claim, verdict_for
from verify.matching.words import sound, word_key
from verify.models import Claim, Document, Verdict

LAB = (
    "Northwind Labs said on Monday that its co-founder, Mira Castell, is leaving the company "
    "to join the rival startup Arbor. "
    "Separately, president Leo Brandt is taking an extended leave through the end of the year. "
    "About 20 minutes after Castell's announcement, chief executive Sam Ortiz replied on X, "
    "thanking her for her contributions and recalling that the two first met in 2015. "
    "The company was founded in May 2015 in a garage in Oakland."
)
SUIT = (
    "Dana Whitfield sued Northwind again on Monday in federal court, naming Sam Ortiz and "
    "Leo Brandt as defendants. "
    "Her lawyer, Victor Lane, said the case would go forward. "
    "The complaint asks the court to declare void the licence Northwind granted to Helix."
)
GLOSSARY = {"奥蒂斯": "Ortiz", "卡斯特尔": "Castell"}


def _verdict(claim: str, text: str = LAB, glossary: dict[str, str] | None = None) -> Verdict:
    score, _ = score_claim(claim, text, glossary=glossary)
    return verdict_for(score)


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二十五", 25),
        ("两", 2),
        ("三百", 300),
        ("一千二百", 1200),
        ("二〇一五", 2015),
        ("十", 10),
        ("2015", 2015),
        ("3万", 30000),
        ("五千", 5000),
    ],
)
def test_chinese_numbers(text: str, value: float) -> None:
    assert crosslang.chinese_number(text) == value


def _keys(claim: str) -> list[frozenset[str]]:
    return [u.keys for u in claim_units(claim).units]


def test_numbers_and_dates_normalise_to_english_keys() -> None:
    keys = _keys("他在2015年五月创立了公司，20分钟后两名员工离开。")
    flat = set().union(*keys)
    assert "2015" in flat
    assert word_key("May") in flat
    assert "20" in flat and word_key("minutes") in flat
    assert "2" in flat
    # a number glued to its unit stays one unit, not 2015 and 5
    assert frozenset({"2015"}) in keys
    assert frozenset({"5"}) not in keys


def test_large_numbers_match_english_scales() -> None:
    keys = set().union(*_keys("公司融资5000万美元。"))
    assert "50" in keys  # 5000万 = 50 million
    assert word_key("dollars") in keys


def test_year_end_and_long_leave_gloss_to_english() -> None:
    keys = set().union(*_keys("他将休长假，直到年底。"))
    assert {word_key("end"), word_key("year")} <= keys
    assert word_key("long") in keys


# --------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    "claim",
    [
        "联创Mira Castell辞职，加入Arbor。",
        "Leo Brandt将休长假，直到年底。",
        "Sam Ortiz回忆了两人2015年初次见面。",
        "在Castell宣布约20分钟后，Sam Ortiz在X上回复并感谢她的贡献。",
    ],
)
def test_chinese_claims_backed_by_english_page_are_supported(claim: str) -> None:
    assert _verdict(claim) is Verdict.SUPPORTED


@pytest.mark.parametrize(
    "claim",
    [
        "Northwind将在东京开设新办公室，并招聘200名员工。",
        "据知情人士透露，Arbor为她开出了超过5000万美元的薪酬。",
        "这家公司生产电动汽车的电池。",
    ],
)
def test_chinese_claims_the_page_never_mentions_are_not_supported(claim: str) -> None:
    assert _verdict(claim) is not Verdict.SUPPORTED


def test_lawsuit_claims_against_the_right_page() -> None:
    docs = {
        "1": Document(url="https://example.org/lab", text=LAB),
        "2": Document(url="https://example.org/suit", text=SUIT),
    }
    claims = [
        Claim(0, "Dana Whitfield再次在联邦法院起诉Northwind，Sam Ortiz和Leo Brandt被列为被告。", 1),
        Claim(1, "诉状请求法院宣布Northwind给予Helix的许可无效。", 2),
    ]
    res = match_claims(claims, docs, {0: ["1", "2"], 1: ["1", "2"]})
    assert [r.verdict for r in res] == [Verdict.SUPPORTED, Verdict.SUPPORTED]
    assert [r.evidence[0].reference for r in res] == ["2", "2"]
    assert "defendants" in res[0].evidence[0].text


def test_partial_chinese_claim_reports_the_missing_half() -> None:
    claim = Claim(0, "Mira Castell离开了Northwind，并将负责Arbor在东京和大阪的办公室。", 1)
    [res] = match_claims([claim], {"1": Document(url="u", text=LAB)}, {0: ["1"]})
    assert res.verdict is not Verdict.SUPPORTED
    assert "Castell" in res.found
    assert any(m in res.missing for m in ("东京", "大阪", "办公室"))


def test_glossary_names_a_dictionary_cannot_know() -> None:
    claim = "奥蒂斯感谢了卡斯特尔的贡献。"
    without, _ = score_claim(claim, LAB)
    with_glossary, ev = score_claim(claim, LAB, glossary=GLOSSARY)
    assert with_glossary > without
    assert verdict_for(with_glossary) is Verdict.SUPPORTED
    assert ev is not None and "Ortiz" in ev.text


def test_traditional_characters_are_read() -> None:
    assert _verdict("聯合創始人Mira Castell辭職，加入Arbor。") is Verdict.SUPPORTED
    simplified = claim_units("联合创始人离职").units
    traditional = claim_units("聯合創始人離職").units
    assert [u.keys for u in simplified] == [u.keys for u in traditional]


def test_transliterated_names_match_by_sound() -> None:
    assert sound("jialibodi")[:3] == sound("Garibaldi")[:3]
    assert sound("qiapeike") == sound("Čapek")
    page = "The unification was led by Giuseppe Garibaldi in 1861."
    score, _ = score_claim("1861年，朱塞佩·加里波底领导了统一。", page)
    assert score >= DEFAULT_THRESHOLDS.partial


def test_dictionary_loads_once() -> None:
    claim_units("数据加载一次。")
    first = cedict.shared_resources()
    claim_units("再次使用词典。")
    assert cedict.shared_resources()[0] is first[0]
    assert cedict.shared_resources()[1] is first[1]


def test_missing_dictionary_degrades_to_names_and_numbers(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(cedict, "_state", {})
    monkeypatch.setattr(cedict, "cedict_path", lambda: Path("/nonexistent/cedict"))
    monkeypatch.setattr(cedict, "_tokenizer", lambda _dictionary: None)  # no second jieba
    score, _ = score_claim("Leo Brandt将休长假，直到2015年。", "Leo Brandt met Sam Ortiz in 2015.")
    assert 0.0 <= score <= 1.0
    assert "no CC-CEDICT dictionary" in caplog.text


@pytest.mark.parametrize(
    ("claim", "page"),
    [
        ("Victor Lane在6月撤回了诉讼。", "Victor Lane withdrew the suit in June."),
        ("Victor Lane在六月撤回了诉讼。", "Victor Lane withdrew the suit in June."),
        ("Victor Lane承诺保持开放。", "Victor Lane promised to stay open."),
    ],
)
def test_months_and_inflections_meet_their_english_forms(claim: str, page: str) -> None:
    score, ev = score_claim(claim, page)
    assert verdict_for(score) is Verdict.SUPPORTED, (score, ev)
