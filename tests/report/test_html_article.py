"""The HTML report's article (verify.report.html_article): where a claim lies in the text a
reader sees of a rendered paragraph."""

from __future__ import annotations

from verify.report.html_article import locate


def test_locate_skips_dropped_markers_and_whitespace() -> None:
    plain = "The bridge opened in 1932 [1]. It cost ten\nmillion dollars [2]."
    assert locate(plain, "The bridge opened in 1932.") == (0, plain.index(".") + 1)
    a, b = locate(plain, "It cost ten million dollars.") or (0, 0)
    assert plain[a:b] == "It cost ten\nmillion dollars [2]."
    assert locate(plain, "Something else entirely.") is None
