"""PDF text: pages, scans, encryption, damage, and files built to exhaust a reader."""

from __future__ import annotations

import io

import pytest
from pdfs import make_pdf
from pypdf import PdfWriter

from verify.errors import SourceError
from verify.models import RefStatus
from verify.sources.pdf import is_pdf, read_pdf


def test_pages_are_numbered_from_one_and_cover_their_text() -> None:
    texts = ["Opening page of a filing.", "Second page (with parentheses).", "Third and last."]
    doc = read_pdf(make_pdf(texts), "https://example.com/a.pdf")
    assert doc.via == "pdf"
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert [doc.text[p.start : p.end] for p in doc.pages] == texts


def test_blank_pages_keep_their_numbers() -> None:
    doc = read_pdf(make_pdf(["Words on one.", None, "Words on three."]), "u")
    assert doc.page_at(doc.text.index("three")) == 3


def test_no_text_layer_is_empty() -> None:
    with pytest.raises(SourceError) as err:
        read_pdf(make_pdf([None, None]), "u")
    assert err.value.status is RefStatus.EMPTY
    assert err.value.message == "PDF has no text layer (scanned?)"


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(["Text behind a lock."])))
    writer.encrypt(user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_is_unsupported() -> None:
    with pytest.raises(SourceError) as err:
        read_pdf(_encrypted("reader-secret"), "u")
    assert err.value.status is RefStatus.UNSUPPORTED
    assert "encrypted" in err.value.message


def test_pdf_encrypted_with_an_empty_password_is_read() -> None:
    assert "behind a lock" in read_pdf(_encrypted(""), "u").text


@pytest.mark.parametrize("data", [b"%PDF-1.4\nnothing else", b"%PDF-1.7\n" + b"\x00" * 300, b""])
def test_broken_pdf_is_an_error_with_a_message(data: bytes) -> None:
    with pytest.raises(SourceError) as err:
        read_pdf(data, "u")
    assert err.value.status is RefStatus.ERROR
    assert err.value.message.startswith("PDF could not be read")


def test_page_cap() -> None:
    doc = read_pdf(make_pdf([f"Page number {i} text." for i in range(1, 31)]), "u", max_pages=5)
    assert [p.number for p in doc.pages] == [1, 2, 3, 4, 5]
    assert "Page number 6" not in doc.text


def test_text_cap() -> None:
    doc = read_pdf(make_pdf(["A" * 40 + " words"] * 10), "u", max_chars=100)
    assert len(doc.text) <= 100
    assert doc.pages[-1].end <= 100


def test_decompression_bomb_is_refused_not_inflated() -> None:
    # 80 MB of whitespace in one Flate stream: past pypdf's per-stream output limit
    with pytest.raises(SourceError) as err:
        read_pdf(make_pdf(["x"], compress_bomb=80_000_000), "u")
    assert err.value.status is RefStatus.ERROR
    assert "safety limits" in err.value.message


def test_signature_sniffing() -> None:
    assert is_pdf(b"%PDF-1.5\n...")
    assert is_pdf(b"\xef\xbb\xbf\n%PDF-1.5")
    assert is_pdf(b"", "application/pdf")
    assert is_pdf(b"junk before the signature %PDF-1.4", "application/octet-stream")
    assert not is_pdf(b"<html><body>Files start with %PDF-1.4</body></html>", "text/html")
    assert not is_pdf(b"<html><body>hello</body></html>")
