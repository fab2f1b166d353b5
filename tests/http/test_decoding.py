"""Decoding fetched bodies to text: BOM, declared charsets, detection."""

from __future__ import annotations

from verify.http.decoding import decode_body
from verify.models import FetchResult, RefStatus

CHINESE = "科技公司发布了新的研究报告，指出城市空气质量在过去十年中明显改善。"


def body_result(body: bytes, charset: str | None = None) -> FetchResult:
    return FetchResult(url="http://x.test/", status=RefStatus.OK, body=body, charset=charset)


def test_decode_uses_the_header_charset() -> None:
    assert decode_body(body_result("café".encode("cp1252"), "windows-1252")) == "café"


def test_decode_uses_meta_charset() -> None:
    html = f'<html><head><meta charset="gbk"></head><body>{CHINESE}</body></html>'
    assert CHINESE in decode_body(body_result(html.encode("gbk")))


def test_decode_uses_http_equiv() -> None:
    html = (
        '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
        "<p>東京の天気は晴れです。</p>"
    )
    assert "東京の天気は晴れです。" in decode_body(body_result(html.encode("shift_jis")))


def test_decode_gbk_declared_utf8() -> None:
    html = f"<html><body><p>{CHINESE}</p><p>{CHINESE}</p></body></html>"
    assert CHINESE in decode_body(body_result(html.encode("gbk"), "utf-8"))


def test_decode_mostly_utf8_keeps_the_good_parts() -> None:
    good = "Le café était fermé; the naïve résumé was déjà vu. " * 3
    text = decode_body(body_result(good.encode() + b"\xff\xfe broken tail", "utf-8"))
    assert text.startswith(good)
    assert "\ufffd" in text


def test_decode_utf8_page_labelled_latin1() -> None:
    text = "Le musée a rouvert; l'entrée est gratuite le dimanche."
    assert decode_body(body_result(text.encode(), "iso-8859-1")) == text
    # real Latin-1 text is still read as declared
    assert decode_body(body_result(text.encode("latin-1"), "iso-8859-1")) == text


def test_decode_bom_wins() -> None:
    assert decode_body(body_result(b"\xef\xbb\xbfhello", "iso-8859-1")) == "hello"


def test_decode_detects_undeclared_text() -> None:
    text = f"<p>{CHINESE}</p>" * 3
    assert CHINESE in decode_body(body_result(text.encode("gb18030")))


def test_decode_empty() -> None:
    assert decode_body(body_result(b"", "utf-8")) == ""
