"""The HTML report's evidence (verify.report.html_evidence): the text fragment that opens a
source at its passage."""

from __future__ import annotations

from urllib.parse import unquote

from verify.report.html_evidence import text_fragment


def test_text_fragment_names_a_long_passage_by_its_start_and_end() -> None:
    passage = (
        "Lumen Labs raised $400 million in a Series B round. " * 4
        + "The round was led by Northfield-Capital & co."
    )
    url = text_fragment("https://example.com/a#top", passage)
    base, spec = url.split("#:~:text=")
    assert base == "https://example.com/a"
    start, end = spec.split(",")
    assert unquote(start) == "Lumen Labs raised $400 million"
    assert unquote(end) == "led by Northfield-Capital & co."
    # the fragment's own syntax characters may not appear raw inside a part
    assert "-" not in end and "&" not in end


def test_text_fragment_cuts_chinese_after_punctuation_and_keeps_short_passages_whole() -> None:
    long = "据知情人士透露，" + "另一家公司为他开出了超过五千万美元的薪酬" * 10 + "。双方均未置评。"
    spec = text_fragment("https://example.cn/", long).split("#:~:text=")[1]
    start, end = (unquote(p) for p in spec.split(","))
    assert start == "据知情人士透露，" and end == "双方均未置评。"
    short = "Schulman joined in 2015."
    assert unquote(text_fragment("https://e.com/", short).split("=", 1)[1]) == short
